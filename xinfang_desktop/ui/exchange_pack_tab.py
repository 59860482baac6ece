"""上报数据包 → 生成 (issue 14): a period, the receiver's key file if any, where to save; progress and 取消."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.exchange_widgets import (
    CANCELLED,
    GREEN,
    GREY,
    KEY_FILTER,
    PACKAGE_FILTER,
    RED,
    PeriodPicker,
    error_message,
    file_row,
    key_path,
    require_action,
    styled_label,
)
from xinfang_desktop.ui.progress import PolledProgress
from xinfang_desktop.ui.role_gate import may


class PackTab(QWidget):
    finished = Signal(object)  # the PackResult, or an error message (str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.period = PeriodPicker(ctx.today())
        self.period_note = styled_label()
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
        self.result_label = styled_label()
        self.cancel = threading.Event()
        self.running = False

        form = QFormLayout()
        form.addRow("上报期间：", self.period)
        form.addRow("", self.period_note)
        form.addRow("接收单位公钥：", file_row(self.receiver_edit, self.receiver_button, self.clear_receiver_button))
        form.addRow("保存到：", file_row(self.output_edit, self.output_button))
        run = QHBoxLayout()
        run.addWidget(self.generate_button)
        run.addWidget(self.bar, 1)
        run.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            styled_label(
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
            self.period_note.setText(error_message(exc))
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
            self._show_error(error_message(exc))
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

            require_action("report.export")
            try:
                key = load_key(key_path(db))
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
            self._show_error(CANCELLED if isinstance(exc, InterruptedError) else error_message(exc))

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
