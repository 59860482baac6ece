"""上报数据包 → 核验/导入 (issue 14): a package verified at once, imported with its counts, the sum shown."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.duties import parse_period
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.exchange_widgets import (
    GREEN,
    GREY,
    PACKAGE_FILTER,
    RED,
    error_message,
    file_row,
    fill_rows,
    own_key,
    plain_table,
    require_action,
    styled_label,
)
from xinfang_desktop.ui.progress import PolledProgress
from xinfang_desktop.ui.role_gate import may


def _size(n: int) -> str:
    return f"{n:,} 字节" if n < 10_000 else (f"{n / 1024:,.0f} KB" if n < 10_000_000 else f"{n / 1048576:,.1f} MB")


class ImportTab(QWidget):
    verified = Signal(object)  # the verify JSON, or an error message (str)
    imported = Signal(object)  # the ImportResult, or an error message (str)
    exported = Signal(str)  # the city's .xlsx written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("请选择下级单位报来的数据包文件")
        self.file_button = QPushButton("选择数据包…")
        self.file_button.clicked.connect(self._choose)
        self.status_label = styled_label()
        self.sender_label = QLabel("—")
        self.fingerprint_label = QLabel("—")
        self.period_label = QLabel("—")
        self.package_label = QLabel("—")
        self.cases_label = QLabel("—")
        self.encrypted_label = QLabel("—")
        for label in (self.sender_label, self.fingerprint_label, self.period_label, self.package_label):
            label.setWordWrap(True)
        self.members = plain_table(["成员", "大小", "SHA-256"])
        self.members.setMaximumHeight(110)
        self.import_button = QPushButton("导入")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._cancel)
        self.result_label = styled_label()
        self.city = plain_table(["单位", "批次", "人次", "数据包"])
        self.city_label = styled_label()
        self.city_period = ""
        self.export_button = QPushButton("导出汇总表 Excel…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._choose_export)
        self.cancel = threading.Event()
        self.data: dict[str, Any] | None = None
        self.running = False

        form = QFormLayout()
        form.addRow("数据包文件：", file_row(self.file_edit, self.file_button))
        form.addRow("核验：", self.status_label)
        form.addRow("发送单位：", self.sender_label)
        form.addRow("公钥指纹：", self.fingerprint_label)
        form.addRow("期间：", self.period_label)
        form.addRow("数据包：", self.package_label)
        form.addRow("内容：", self.cases_label)
        form.addRow("加密：", self.encrypted_label)
        run = QHBoxLayout()
        run.addWidget(self.import_button)
        run.addWidget(self.bar, 1)
        run.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("清单中的成员及其 SHA-256："))
        layout.addWidget(self.members)
        layout.addLayout(run)
        layout.addWidget(self.result_label)
        city_row = QHBoxLayout()
        city_row.addWidget(self.city_label, 1)
        city_row.addWidget(self.export_button)
        layout.addLayout(city_row)
        layout.addWidget(self.city, 1)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择上报数据包", "", PACKAGE_FILTER)
        if path:
            self.check(Path(path))

    def _clear(self) -> None:
        self.data = None
        for label in (
            self.sender_label,
            self.fingerprint_label,
            self.period_label,
            self.package_label,
            self.cases_label,
            self.encrypted_label,
        ):
            label.setText("—")
        self.members.setRowCount(0)
        self.result_label.setText("")
        self.import_button.setEnabled(False)

    def check(self, path: Path) -> None:
        """Verify the package on the database thread and show what it holds."""
        from xinfang_desktop.reports.exchange_import import verify

        self.file_edit.setText(str(path))
        self._clear()
        self.status_label.setStyleSheet(GREY)
        self.status_label.setText("正在核验签名和清单…")
        self.file_button.setEnabled(False)

        def job(db: Database) -> dict[str, Any]:
            return verify(db, path, own_key(db))

        def done(data: dict[str, Any]) -> None:
            if not shiboken6.isValid(self):
                return
            self.file_button.setEnabled(True)
            self._show_verified(data)
            self.verified.emit(data)

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.file_button.setEnabled(True)
            self.status_label.setStyleSheet(RED)
            self.status_label.setText(error_message(exc))
            self.verified.emit(error_message(exc))

        self._ctx.tasks.run_db(job, done, failed)

    def _show_verified(self, data: dict[str, Any]) -> None:
        self.data = data
        signer = data["signer"]
        who = "本单位" if signer["own"] else signer["office"]
        self.sender_label.setText(who + ("" if signer["trusted"] or signer["own"] else "（未登记）"))
        self.fingerprint_label.setText(signer["fingerprint_text"])
        if data["encrypted"]:
            opened = "，已用本单位私钥解开" if data["contents_checked"] else "，须接收单位的私钥才能打开"
            self.encrypted_label.setText(f"是（SM4-GCM{opened}）")
        else:
            self.encrypted_label.setText("否")
        manifest = data.get("manifest")
        if manifest is not None:
            self.period_label.setText(
                f"{manifest['period_label']}（{manifest['period_start']} 至 {manifest['period_end']}）"
            )
            self.package_label.setText(f"第 {manifest['seq']} 号，生成于 {manifest['created_at'].replace('T', ' ')}")
            self.cases_label.setText(
                f"{manifest['cases']:,} 件事项、{manifest['events']:,} 条办理记录"
                f"（收到日期 {manifest['range_from']} 至 {manifest['range_to']}）"
            )
            rows = [[n, _size(int(m["size"])), m["sha256"]] for n, m in sorted(manifest["members"].items())]
            fill_rows(self.members, rows)
            self.status_label.setStyleSheet(GREEN)
            self.status_label.setText("签名有效（SM2 签名、SM3 摘要）；各成员的 SHA-256 与清单一致")
        else:
            envelope = data.get("envelope") or {}
            self.period_label.setText(str(envelope.get("period") or "—"))
            self.package_label.setText(f"第 {envelope.get('seq', '—')} 号")
            self.status_label.setStyleSheet(GREEN)
            self.status_label.setText("签名有效（SM2 签名、SM3 摘要）；内容已加密，本单位无法核对：" + data["note"])
        can_import = bool(manifest) and signer["trusted"] and not signer["own"]
        if manifest is not None and signer["own"]:
            self.result_label.setStyleSheet(GREY)
            self.result_label.setText("这是本单位自己生成的数据包，应交上级单位导入。")
        self.import_button.setEnabled(can_import and may("report.export"))
        if can_import and not may("report.export"):
            self.result_label.setStyleSheet(GREY)
            self.result_label.setText("当前账号的角色不能导入数据（需要“导入”权限）：请由有导入权限的账号导入。")

    def _cancel(self) -> None:
        self.cancel.set()
        self.cancel_button.setEnabled(False)
        self.result_label.setStyleSheet(GREY)
        self.result_label.setText("正在取消…")

    def run_import(self) -> None:
        from xinfang_desktop.reports.exchange_import import import_package

        if self.running or not self.file_edit.text():
            return
        path = Path(self.file_edit.text())
        self.cancel = cancel = threading.Event()
        progress = PolledProgress(self.bar, self)
        user = self._ctx.user

        def job(db: Database) -> Any:
            require_action("report.export")
            return import_package(db, path, own_key(db), user=user, progress=progress, cancelled=cancel.is_set)

        def done(result: Any) -> None:
            if not shiboken6.isValid(self):
                return
            progress.stop(full=True)
            self._end()
            m, c = result.manifest, result.cases
            self.result_label.setStyleSheet(GREEN)
            if result.already_imported:
                self.result_label.setText(f"第 {m.seq} 号数据包此前已导入，本次未作任何更改。")
            else:
                text = (
                    f"已导入 {result.sender['office']} 第 {m.seq} 号数据包：新增 {c.new:,} 件，更新 {c.updated:,} 件，"
                    f"未变 {c.unchanged:,} 件；"
                    + ("统计数字已更新。" if result.report_updated else "统计数字未变（已有更新的数据包）。")
                )
                if result.stale:
                    text += "此数据包早于已导入的数据包，只补充了尚无的数据。"
                if result.missing_previous is not None:
                    text += "\n" + result.gap_text() + "。"
                self.result_label.setText(text)
            self._show_city(result.city, m.period_label)
            self.imported.emit(result)

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            progress.stop(full=False)
            self._end()
            self.result_label.setStyleSheet(RED)
            self.result_label.setText(error_message(exc))
            self.imported.emit(error_message(exc))

        self.running = True
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.result_label.setStyleSheet(GREY)
        self.result_label.setText("正在导入…")
        progress.start()
        self._ctx.tasks.run_db(job, done, failed)

    def _show_city(self, city: Any, label: str) -> None:
        if city is None:
            return
        rows = [[o.office, f"{o.batches:,}", f"{o.persons:,}", f"第 {o.package_seq} 号"] for o in city.offices]
        total = city.report.total
        rows.append(["合计", f"{total.numbers[0]:,}", f"{total.numbers[1]:,}", f"{len(city.offices)} 个单位"])
        fill_rows(self.city, rows, right=(1, 2))
        note = "（各单位统计口径不一致，请核对）" if city.calibers_differ else ""
        self.city_label.setText(f"{label} 各单位上报数字汇总（按去向；各单位取其最新的数据包）{note}")
        self.city_period = city.period
        self.export_button.setEnabled(True)

    def _choose_export(self) -> None:
        if not self.city_period:
            return
        suggested = str(Path.home() / f"各单位汇总-{self.city_period}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "导出汇总表", suggested, "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_city(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def export_city(self, path: Path) -> None:
        """The city's table (the sum of the offices' figures, by destination) as the period report's .xlsx."""
        from xinfang_desktop.reports.exchange_summary import city_report
        from xinfang_desktop.reports.period_xlsx import write_period_xlsx

        period = parse_period(self.city_period)

        def job(db: Database) -> Path:
            require_action("stats.view")
            return Path(write_period_xlsx(city_report(db, period).report, path))

        def done(written: Path) -> None:
            if shiboken6.isValid(self):
                self.city_label.setStyleSheet(GREEN)
                self.city_label.setText(f"汇总表已导出：{written}")
                self.exported.emit(str(written))

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.city_label.setStyleSheet(RED)
                self.city_label.setText(error_message(exc))

        self._ctx.tasks.run_db(job, done, failed)

    def _end(self) -> None:
        self.running = False
        self.cancel_button.setEnabled(False)
        self.import_button.setEnabled(False)  # imported (or refused): choose the file again to retry


# ------------------------------------------------------------------------------------------------ 密钥
