"""登录 and 修改口令 dialogs (issue 17): the password checked on the database thread, the reason for a refusal
(wrong password, locked, disabled) shown in the dialog; a first or expired password changed before the window opens."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import APP_LABEL
from xinfang_desktop.ui.context import AppContext


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(128)
    return field


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #c62828;")
    label.setWordWrap(True)
    label.hide()
    return label


class LoginDialog(QDialog):
    """账号 and 口令; `result_login` holds the LoginResult once accepted."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, login: str = "", locked: bool = False):
        super().__init__(parent)
        self._ctx = ctx
        self.result_login: Any = None
        self.setWindowTitle("解除锁定" if locked else f"登录 — {APP_LABEL}")
        self.setModal(True)
        layout = QVBoxLayout(self)
        title = QLabel("屏幕已锁定，请输入口令继续" if locked else APP_LABEL)
        title.setStyleSheet("font-size: 15pt; font-weight: bold; margin: 6px 0 10px 0;")
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        form = QFormLayout()
        self.login_edit = QLineEdit(login)
        self.login_edit.setMaxLength(32)
        self.login_edit.setReadOnly(locked)
        self.password_edit = _password_field()
        form.addRow("账号(&U)：", self.login_edit)
        form.addRow("口令(&P)：", self.password_edit)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("解锁" if locked else "登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出程序")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)
        (self.password_edit if login else self.login_edit).setFocus()

    def submit(self) -> None:
        login, password = self.login_edit.text().strip(), self.password_edit.text()
        if not login or not password:
            self._show_error("请输入账号和口令")
            return
        self.ok_button.setEnabled(False)

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.users import authenticate

            return authenticate(db, login, password)

        self._ctx.tasks.run_db(job, self._done, self._failed, after_paint=False)

    def _done(self, result: Any) -> None:
        self.result_login = result
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from xinfang_desktop.core.errors import DomainError

        self.ok_button.setEnabled(True)
        self.password_edit.clear()
        self.password_edit.setFocus()
        self._show_error(exc.message if isinstance(exc, DomainError) else f"登录失败：{exc}")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class ChangePasswordDialog(QDialog):
    """原口令, 新口令 twice; the policy's rule shown, its refusal in the dialog."""

    def __init__(self, ctx: AppContext, login: str, parent: QWidget | None = None, *, reason: str = ""):
        super().__init__(parent)
        self._ctx = ctx
        self._login = login
        self.setWindowTitle("修改口令")
        layout = QVBoxLayout(self)
        if reason:
            note = QLabel(reason)
            note.setWordWrap(True)
            note.setStyleSheet("color: #e65100;")
            layout.addWidget(note)
        form = QFormLayout()
        self.old_edit = _password_field()
        self.new_edit = _password_field()
        self.again_edit = _password_field()
        form.addRow("账号：", QLabel(login))
        form.addRow("原口令(&O)：", self.old_edit)
        form.addRow("新口令(&N)：", self.new_edit)
        form.addRow("再输入一次(&A)：", self.again_edit)
        layout.addLayout(form)
        self.hint = QLabel("口令至少 8 位，包含大写字母、小写字母、数字、符号中的 3 种，不含账号名")
        self.hint.setStyleSheet("color: #616161;")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("修改")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(400)
        self._ctx.tasks.run_db(self._policy_job, self._show_policy, lambda _exc: None)

    @staticmethod
    def _policy_job(db: Any) -> Any:
        from xinfang_desktop.persistence.users import policy

        return policy(db)

    def _show_policy(self, pol: Any) -> None:
        self.hint.setText(
            f"口令至少 {pol.min_length} 位，包含大写字母、小写字母、数字、符号中的 {pol.min_classes} 种，不含账号名"
        )

    def submit(self) -> None:
        old, new = self.old_edit.text(), self.new_edit.text()
        if new != self.again_edit.text():
            self._show_error("两次输入的新口令不一致")
            return
        login = self._login
        self.ok_button.setEnabled(False)

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.users import set_password

            return set_password(db, login, new, old_password=old)

        self._ctx.tasks.run_db(job, lambda _account: self.accept(), self._failed, after_paint=False)

    def _failed(self, exc: BaseException) -> None:
        from xinfang_desktop.core.errors import DomainError

        self.ok_button.setEnabled(True)
        self._show_error(exc.message if isinstance(exc, DomainError) else f"修改失败：{exc}")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
