"""上报数据包 (issue 14), opened from 统计 → 上报数据包…: three tabs.

- 生成: a period, optionally the receiver's public-key file (then SM4-encrypted for it), where to save; the package is
  built on the database thread with a progress bar and a 取消 that really stops it (no file, nothing recorded).
- 核验/导入: a package file is verified at once (signer, period, members and their SHA-256, the SM2 signature);
  导入 stores it with the counts of new, updated and unchanged cases and shows the sum of every office's figures.
- 密钥: this office's fingerprint (to read out to the higher bureau), making the key pair, exporting the public key,
  and registering a lower office's public key after comparing its fingerprint.

Everything touching the database runs through `ctx.tasks.run_db`; the role of the signed-in user is checked in each
job as on the command line (report.export, stats.view, system.maintain)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.duties import Span, parse_period
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.exchange import format_fingerprint
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.progress import PolledProgress
from xinfang_desktop.ui.role_gate import may

GREEN, RED, GREY = "color: #2e7d32;", "color: #c62828;", "color: #555555;"
PACKAGE_FILTER = "上报数据包 (*.zip);;所有文件 (*)"
KEY_FILTER = "公钥文件 (*.json);;所有文件 (*)"
KINDS = (("month", "月度"), ("quarter", "季度"), ("half", "半年"), ("year", "全年"))
CANCELLED = "已取消：未生成数据包，数据库未改动"


def _require(action: str) -> None:
    from xinfang_desktop.persistence.identity import require

    require(action)


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


def _label(style: str = GREY, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], right: tuple[int, ...] = ()) -> None:
    """The rows as items; the columns in `right` (numbers) right-aligned."""
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def _file_row(edit: QLineEdit, *buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    for button in buttons:
        row.addWidget(button)
    return row


class PeriodPicker(QWidget):
    """月度 / 季度 / 半年 / 全年, the year and which part: a period code as on the command line (2026-11, 2026Q3, …)."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_combo = QComboBox()
        for key, text in KINDS:
            self.kind_combo.addItem(text, key)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, max(today.year, 2000))
        self.year_spin.setSuffix(" 年")
        self.part_combo = QComboBox()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.kind_combo)
        row.addWidget(self.year_spin)
        row.addWidget(self.part_combo)
        row.addStretch(1)
        previous = date(today.year, today.month, 1).replace(day=1)
        year, month = (previous.year, previous.month - 1) if previous.month > 1 else (previous.year - 1, 12)
        self.year_spin.setValue(year)
        self._fill_parts()
        self.part_combo.setCurrentIndex(month - 1)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.year_spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.part_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _fill_parts(self) -> None:
        self.part_combo.blockSignals(True)
        self.part_combo.clear()
        kind = self.kind
        if kind == "month":
            for m in range(1, 13):
                self.part_combo.addItem(f"{m}月", m)
        elif kind == "quarter":
            for q, text in enumerate(("第一季度", "第二季度", "第三季度", "第四季度"), start=1):
                self.part_combo.addItem(text, q)
        elif kind == "half":
            self.part_combo.addItem("上半年", 1)
            self.part_combo.addItem("下半年", 2)
        self.part_combo.setVisible(kind != "year")
        self.part_combo.blockSignals(False)

    def _kind_changed(self, _index: int) -> None:
        self._fill_parts()
        self.changed.emit()

    def set_code(self, code: str) -> None:
        span = parse_period(code)
        kind = {"month": "month", "quarter": "quarter", "half_year": "half", "year": "year"}.get(
            span.kind.value, "month"
        )
        self.kind_combo.setCurrentIndex(next(i for i, (k, _t) in enumerate(KINDS) if k == kind))
        self.year_spin.setValue(span.start.year)
        part = {"month": span.start.month, "quarter": (span.start.month + 2) // 3, "half": 1 + (span.start.month > 6)}
        if kind in part:
            self.part_combo.setCurrentIndex(part[kind] - 1)

    def code(self) -> str:
        year, part, kind = self.year_spin.value(), self.part_combo.currentData(), self.kind
        if kind == "month":
            return f"{year}-{int(part):02d}"
        if kind == "quarter":
            return f"{year}Q{part}"
        if kind == "half":
            return f"{year}H{part}"
        return str(year)

    def span(self) -> Span:
        return parse_period(self.code())


# ------------------------------------------------------------------------------------------------ state of the keys


@dataclass(frozen=True)
class KeyState:
    """This office's key (or None) with its file, and the senders registered."""

    path: Path
    own: Any  # OfficeKey | None
    senders: list[Any]  # persistence.exchange.queries.Sender


def _key_path(db: Database) -> Path:
    from xinfang_desktop.reports.exchange_keys import default_key_path

    return default_key_path(db.url)


def _own_key(db: Database) -> Any:
    from xinfang_desktop.core.errors import NotFoundError
    from xinfang_desktop.reports.exchange_keys import load_key

    try:
        return load_key(_key_path(db))
    except NotFoundError:
        return None


def _key_state(db: Database) -> KeyState:
    from xinfang_desktop.persistence.exchange.queries import senders

    with db.read_session() as session:
        trusted = senders(session)
    return KeyState(_key_path(db), _own_key(db), trusted)


# ------------------------------------------------------------------------------------------------ 生成


class PackTab(QWidget):
    finished = Signal(object)  # the PackResult, or an error message (str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.period = PeriodPicker(ctx.today())
        self.period_note = _label()
        self.period.changed.connect(self._show_period)
        self.receiver_edit = QLineEdit()
        self.receiver_edit.setReadOnly(True)
        self.receiver_edit.setPlaceholderText("不加密（可选：选择上级单位交来的公钥文件，数据包即加密给它）")
        self.receiver_button = QPushButton("选择公钥…")
        self.receiver_button.clicked.connect(self._choose_receiver)
        self.clear_receiver_button = QPushButton("不加密")
        self.clear_receiver_button.clicked.connect(lambda: self.receiver_edit.clear())
        self.output_edit = QLineEdit()
        self.output_edit.setReadOnly(True)
        self.output_edit.setPlaceholderText("请选择保存位置")
        self.output_button = QPushButton("选择…")
        self.output_button.clicked.connect(self._choose_output)
        self.generate_button = QPushButton("生成数据包")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.generate_button.setEnabled(may("report.export"))
        self.bar = QProgressBar()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._cancel)
        self.result_label = _label()
        self.cancel = threading.Event()
        self.running = False

        form = QFormLayout()
        form.addRow("上报期间：", self.period)
        form.addRow("", self.period_note)
        form.addRow("接收单位公钥：", _file_row(self.receiver_edit, self.receiver_button, self.clear_receiver_button))
        form.addRow("保存到：", _file_row(self.output_edit, self.output_button))
        run = QHBoxLayout()
        run.addWidget(self.generate_button)
        run.addWidget(self.bar, 1)
        run.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                GREY,
                "数据包包含：期间内收到的全部信访事项、上次上报以来有变化的事项（连同全部办理记录）和本期各项统计数字，"
                "附每个文件的 SHA-256 清单，用本单位的 SM2 私钥签名（SM3 摘要）。选择接收单位的公钥后，"
                "数据包用 SM4 加密，只有接收单位能打开。",
            )
        )
        layout.addLayout(form)
        layout.addLayout(run)
        # the rest of the height: a long path in the text needs more lines than a QLabel guesses beside a stretch
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.result_label, 1)
        self._show_period()

    def _show_period(self) -> None:
        try:
            span = self.period.span()
        except DomainError as exc:  # the picker's own values: shown, not raised
            self.period_note.setText(_message(exc))
            return
        self.period_note.setText(f"{span.label}：{span.start:%Y年%m月%d日} 至 {span.end:%Y年%m月%d日}")

    def _choose_receiver(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择接收单位的公钥文件", "", KEY_FILTER)
        if path:
            self.receiver_edit.setText(path)

    def _choose_output(self) -> None:
        suggested = str(Path.home() / f"上报数据包-{self.period.code()}.zip")
        path, _ = QFileDialog.getSaveFileName(
            self, "保存上报数据包", self.output_edit.text() or suggested, PACKAGE_FILTER
        )
        if path:
            self.output_edit.setText(path if path.lower().endswith(".zip") else path + ".zip")

    def _cancel(self) -> None:
        self.cancel.set()
        self.cancel_button.setEnabled(False)
        self.result_label.setStyleSheet(GREY)
        self.result_label.setText("正在取消…")

    def generate(self) -> None:
        from xinfang_desktop.reports.exchange_keys import read_public_key
        from xinfang_desktop.reports.exchange_pack import pack

        if self.running:
            return
        try:
            span = self.period.span()
        except DomainError as exc:
            self._show_error(_message(exc))
            return
        if not self.output_edit.text():
            self._show_error("请先选择数据包的保存位置（“保存到”右边的“选择…”）")
            return
        output = Path(self.output_edit.text())
        if not output.parent.is_dir():
            self._show_error(f"保存位置所在的文件夹不存在：{output.parent}")
            return
        receiver_file = self.receiver_edit.text()
        self.cancel = cancel = threading.Event()
        progress = PolledProgress(self.bar, self)
        user = self._ctx.user

        def job(db: Database) -> Any:
            from xinfang_desktop.core.errors import NotFoundError
            from xinfang_desktop.reports.exchange_keys import load_key

            _require("report.export")
            try:
                key = load_key(_key_path(db))
            except NotFoundError:
                raise DomainError("本单位尚未生成上报密钥：请先在“密钥”页点“生成本单位密钥”", field="key") from None
            receiver = read_public_key(Path(receiver_file)) if receiver_file else None
            if receiver is not None and receiver.fingerprint == key.fingerprint:
                raise DomainError("所选公钥是本单位自己的：应选择接收单位（上级）交来的公钥文件", field="encrypt_for")
            return pack(db, span, output, key, receiver=receiver, user=user, progress=progress, cancelled=cancel.is_set)

        def done(result: Any) -> None:
            if not shiboken6.isValid(self):
                return
            progress.stop(full=True)
            self._end()
            first = "首次上报：期间内收到的全部事项" if result.first else "上次上报以来有变化的事项及新收到的事项"
            sealed = "，已加密给接收单位" if result.encrypted else "，未加密"
            self.result_label.setStyleSheet(GREEN)
            self.result_label.setText(
                f"已生成第 {result.seq} 号上报数据包（{span.label}）：{result.cases:,} 件事项、"
                f"{result.events:,} 条办理记录（{first}，收到日期 {result.range_from} 至 {result.range_to}）"
                f"{sealed}，已用本单位 SM2 私钥签名。\n文件：{result.path}"
            )
            self.finished.emit(result)

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            progress.stop(full=False)
            self._end()
            self._show_error(CANCELLED if isinstance(exc, InterruptedError) else _message(exc))

        self.running = True
        self.generate_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.result_label.setStyleSheet(GREY)
        self.result_label.setText("正在生成数据包…")
        progress.start()
        self._ctx.tasks.run_db(job, done, failed)

    def _end(self) -> None:
        self.running = False
        self.generate_button.setEnabled(may("report.export"))
        self.cancel_button.setEnabled(False)

    def _show_error(self, text: str) -> None:
        self.result_label.setStyleSheet(RED)
        self.result_label.setText(text)
        self.finished.emit(text)


# ------------------------------------------------------------------------------------------------ 核验/导入


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
        self.status_label = _label()
        self.sender_label = QLabel("—")
        self.fingerprint_label = QLabel("—")
        self.period_label = QLabel("—")
        self.package_label = QLabel("—")
        self.cases_label = QLabel("—")
        self.encrypted_label = QLabel("—")
        for label in (self.sender_label, self.fingerprint_label, self.period_label, self.package_label):
            label.setWordWrap(True)
        self.members = _table(["成员", "大小", "SHA-256"])
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
        self.result_label = _label()
        self.city = _table(["单位", "批次", "人次", "数据包"])
        self.city_label = _label()
        self.city_period = ""
        self.export_button = QPushButton("导出汇总表 Excel…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._choose_export)
        self.cancel = threading.Event()
        self.data: dict[str, Any] | None = None
        self.running = False

        form = QFormLayout()
        form.addRow("数据包文件：", _file_row(self.file_edit, self.file_button))
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
            return verify(db, path, _own_key(db))

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
            self.status_label.setText(_message(exc))
            self.verified.emit(_message(exc))

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
            _fill(self.members, rows)
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
            _require("report.export")
            return import_package(db, path, _own_key(db), user=user, progress=progress, cancelled=cancel.is_set)

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
            self.result_label.setText(_message(exc))
            self.imported.emit(_message(exc))

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
        _fill(self.city, rows, right=(1, 2))
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
            _require("stats.view")
            return Path(write_period_xlsx(city_report(db, period).report, path))

        def done(written: Path) -> None:
            if shiboken6.isValid(self):
                self.city_label.setStyleSheet(GREEN)
                self.city_label.setText(f"汇总表已导出：{written}")
                self.exported.emit(str(written))

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.city_label.setStyleSheet(RED)
                self.city_label.setText(_message(exc))

        self._ctx.tasks.run_db(job, done, failed)

    def _end(self) -> None:
        self.running = False
        self.cancel_button.setEnabled(False)
        self.import_button.setEnabled(False)  # imported (or refused): choose the file again to retry


# ------------------------------------------------------------------------------------------------ 密钥


class TrustDialog(QDialog):
    """登记发送单位公钥: the office's name and region as the file states them (editable), the fingerprint to compare."""

    def __init__(self, public: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记发送单位的公钥")
        self.office_edit = QLineEdit(public.office)
        self.office_edit.setMaxLength(128)
        self.region_edit = QLineEdit(public.region_code)
        self.region_edit.setMaxLength(12)
        fingerprint = QLabel(public.fingerprint_text)
        fingerprint.setFont(QFont("monospace", 12))
        form = QFormLayout()
        form.addRow("单位名称：", self.office_edit)
        form.addRow("行政区划代码：", self.region_edit)
        form.addRow("公钥指纹：", fingerprint)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("登记", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            _label(
                RED,
                "请与该单位书面（盖章）提供的公钥指纹逐位核对，一致后再登记：登记后，凡用该公钥签名的数据包都会被接受。",
            )
        )
        layout.addWidget(buttons)


class KeysTab(QWidget):
    changed = Signal(object)  # the KeyState, or an error message (str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.state: KeyState | None = None
        self.fingerprint_label = QLabel("—")
        self.fingerprint_label.setFont(QFont("monospace", 14))
        self.office_label = QLabel("—")
        self.file_label = _label()
        self.init_button = QPushButton("生成本单位密钥")
        self.init_button.clicked.connect(self.init_key)
        self.export_button = QPushButton("导出本单位公钥…")
        self.export_button.clicked.connect(self._export)
        self.trust_button = QPushButton("登记发送单位的公钥…")
        self.trust_button.clicked.connect(self._choose_trust)
        self.message_label = _label()
        self.senders = _table(["单位", "行政区划代码", "公钥指纹"])
        for button in (self.init_button, self.export_button):
            button.setEnabled(False)
        self.trust_button.setEnabled(may("system.maintain"))

        form = QFormLayout()
        form.addRow("本单位：", self.office_label)
        form.addRow("公钥指纹：", self.fingerprint_label)
        form.addRow("私钥文件：", self.file_label)
        own = QHBoxLayout()
        own.addWidget(self.init_button)
        own.addWidget(self.export_button)
        own.addStretch(1)
        trust = QHBoxLayout()
        trust.addWidget(QLabel("<b>已登记的发送单位</b>（其数据包可以导入）"))
        trust.addStretch(1)
        trust.addWidget(self.trust_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                GREY,
                "本单位用自己的 SM2 私钥签名数据包；把公钥文件交上级登记，并把公钥指纹书面报给上级核对。"
                "上级用下级交来的公钥核验签名：未登记的单位的数据包不能导入。",
            )
        )
        layout.addLayout(form)
        layout.addLayout(own)
        layout.addWidget(self.message_label)
        layout.addLayout(trust)
        layout.addWidget(self.senders, 1)

    def load(self) -> None:
        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self._show_message(_message(exc), RED)

        self._ctx.tasks.run_db(_key_state, self._show, failed)

    def _show(self, state: KeyState) -> None:
        if not shiboken6.isValid(self):
            return
        self.state = state
        maintain = may("system.maintain")
        if state.own is None:
            self.office_label.setText("—")
            self.fingerprint_label.setText("尚未生成")
            self.file_label.setText(f"将保存在 {state.path}")
        else:
            self.office_label.setText(state.own.public.office or "（设置中未填写单位名称）")
            self.fingerprint_label.setText(state.own.public.fingerprint_text)
            self.file_label.setText(f"{state.path}（请勿外传；与数据库一同备份到安全处）")
        self.init_button.setVisible(state.own is None)
        self.init_button.setEnabled(state.own is None and maintain)
        self.export_button.setEnabled(state.own is not None)
        _fill(
            self.senders,
            [[s.office, s.region_code or "—", format_fingerprint(s.fingerprint)] for s in state.senders],
        )
        self.changed.emit(state)

    def _show_message(self, text: str, style: str) -> None:
        self.message_label.setStyleSheet(style)
        self.message_label.setText(text)

    def init_key(self) -> None:
        from xinfang_desktop.reports.exchange_keys import init_office_key

        self.init_button.setEnabled(False)

        def job(db: Database) -> KeyState:
            _require("system.maintain")
            init_office_key(db, _key_path(db), datetime.now().replace(microsecond=0))
            return _key_state(db)

        def done(state: KeyState) -> None:
            if not shiboken6.isValid(self):
                return
            self._show(state)
            self._show_message(
                "已生成本单位的上报密钥（SM2）。请点“导出本单位公钥…”交上级登记，并把公钥指纹书面报给上级。", GREEN
            )

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self._show_message(_message(exc), RED)
                self.load()

        self._ctx.tasks.run_db(job, done, failed)

    def _export(self) -> None:
        from xinfang_desktop.reports.exchange_keys import write_public_key

        if self.state is None or self.state.own is None:
            return
        suggested = str(Path.home() / f"{self.state.own.public.office or '本单位'}-上报公钥.json")
        path, _ = QFileDialog.getSaveFileName(self, "导出本单位公钥", suggested, KEY_FILTER)
        if not path:
            return
        try:
            written = write_public_key(self.state.own.public, Path(path))
        except OSError as exc:
            self._show_message(f"无法写入 {path}：{exc.strerror or exc}", RED)
            return
        self._show_message(
            f"公钥已写入 {written}：交上级登记，并请上级核对指纹 {self.state.own.public.fingerprint_text}", GREEN
        )

    def _choose_trust(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择发送单位交来的公钥文件", "", KEY_FILTER)
        if path:
            self.trust_file(Path(path))

    def trust_file(self, path: Path, *, confirm: bool = True, office: str | None = None) -> None:
        """Read the key file, let the clerk compare the fingerprint and name the office, then register it."""
        from xinfang_desktop.reports.exchange_keys import read_public_key, trust_key

        try:
            public = read_public_key(path)
        except DomainError as exc:
            self._show_message(exc.message, RED)
            return
        name, region = office if office is not None else public.office, public.region_code
        if confirm:
            dialog = TrustDialog(public, self)
            if office is not None:
                dialog.office_edit.setText(office)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            name, region = dialog.office_edit.text(), dialog.region_edit.text()

        def job(db: Database) -> KeyState:
            _require("system.maintain")
            trust_key(db, public, office=name, region_code=region, own=_own_key(db))
            return _key_state(db)

        def done(state: KeyState) -> None:
            if not shiboken6.isValid(self):
                return
            self._show(state)
            self._show_message(f"已登记 {name.strip()} 的公钥，指纹 {public.fingerprint_text}", GREEN)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self._show_message(_message(exc), RED)

        self._ctx.tasks.run_db(job, done, failed)


# ------------------------------------------------------------------------------------------------ the dialog


class ExchangeDialog(QDialog):
    """上报数据包: 生成, 核验/导入, 密钥."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("上报数据包")
        self.resize(860, 620)
        self.pack_tab = PackTab(ctx)
        self.import_tab = ImportTab(ctx)
        self.keys_tab = KeysTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.pack_tab, "生成")
        self.tabs.addTab(self.import_tab, "核验/导入")
        self.tabs.addTab(self.keys_tab, "密钥")
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.keys_tab.changed.connect(self._keys_known)
        self.keys_tab.load()

    def _keys_known(self, state: object) -> None:
        if isinstance(state, KeyState) and state.own is None:
            self.pack_tab.result_label.setStyleSheet(GREY)
            self.pack_tab.result_label.setText("本单位尚未生成上报密钥：请先在“密钥”页点“生成本单位密钥”。")

    def reject(self) -> None:
        """Closing while a package is being made or imported asks first; 是 cancels it (nothing is left behind)."""
        running = [t for t in (self.pack_tab, self.import_tab) if t.running]
        if running:
            answer = QMessageBox.question(
                self, "上报数据包", "数据包仍在处理中。取消并关闭吗？（不会留下半个文件或数据）"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            for tab in running:
                tab.cancel.set()
        super().reject()
