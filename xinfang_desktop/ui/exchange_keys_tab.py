"""上报数据包 → 密钥 (issue 14): the office's fingerprint and key pair, its public key, a lower office's key trusted."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.exchange import format_fingerprint
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.exchange_widgets import (
    GREEN,
    GREY,
    KEY_FILTER,
    RED,
    KeyState,
    error_message,
    fill_rows,
    key_path,
    key_state,
    own_key,
    plain_table,
    require_action,
    styled_label,
)
from xinfang_desktop.ui.role_gate import may


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
            styled_label(
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
        self.file_label = styled_label()
        self.init_button = QPushButton("生成本单位密钥")
        self.init_button.clicked.connect(self.init_key)
        self.export_button = QPushButton("导出本单位公钥…")
        self.export_button.clicked.connect(self._export)
        self.trust_button = QPushButton("登记发送单位的公钥…")
        self.trust_button.clicked.connect(self._choose_trust)
        self.message_label = styled_label()
        self.senders = plain_table(["单位", "行政区划代码", "公钥指纹"])
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
            styled_label(
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
                self._show_message(error_message(exc), RED)

        self._ctx.tasks.run_db(key_state, self._show, failed)

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
        fill_rows(
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
            require_action("system.maintain")
            init_office_key(db, key_path(db), datetime.now().replace(microsecond=0))
            return key_state(db)

        def done(state: KeyState) -> None:
            if not shiboken6.isValid(self):
                return
            self._show(state)
            self._show_message(
                "已生成本单位的上报密钥（SM2）。请点“导出本单位公钥…”交上级登记，并把公钥指纹书面报给上级。", GREEN
            )

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self._show_message(error_message(exc), RED)
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
            require_action("system.maintain")
            trust_key(db, public, office=name, region_code=region, own=own_key(db))
            return key_state(db)

        def done(state: KeyState) -> None:
            if not shiboken6.isValid(self):
                return
            self._show(state)
            self._show_message(f"已登记 {name.strip()} 的公钥，指纹 {public.fingerprint_text}", GREEN)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self._show_message(error_message(exc), RED)

        self._ctx.tasks.run_db(job, done, failed)


# ------------------------------------------------------------------------------------------------ the dialog
