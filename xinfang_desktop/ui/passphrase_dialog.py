"""数据库口令 dialog (issue 17): an encrypted database is unlocked before anything opens it — before the login.

The passphrase is checked against the file (SQLCipher) in the dialog; a wrong one says so and lets the user try
again, a missing sqlcipher3 is named with what to install. The passphrase is kept in this process only
(persistence.encryption.remember_key), never written anywhere. XINFANG_DB_KEY / XINFANG_DB_KEY_FILE (the smoke run,
a key file on removable media) unlock without the dialog when they hold the right passphrase.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import APP_LABEL
from xinfang_desktop.core.errors import DomainError

Checker = Callable[[Path, str], bool]


def _default_check(path: Path, passphrase: str) -> bool:
    from xinfang_desktop.persistence.encryption import check_passphrase

    return check_passphrase(path, passphrase)


class PassphraseDialog(QDialog):
    """数据库口令 for one encrypted file; accepted once the passphrase opens it (then remembered)."""

    def __init__(
        self, path: Path, parent: QWidget | None = None, *, check: Checker = _default_check, note: str = ""
    ) -> None:
        super().__init__(parent)
        self.path = path
        self._check = check
        self.attempts = 0
        self.setWindowTitle(f"数据库口令 — {APP_LABEL}")
        self.setModal(True)
        layout = QVBoxLayout(self)
        title = QLabel("数据库已加密")
        title.setStyleSheet("font-size: 15pt; font-weight: bold; margin: 6px 0 6px 0;")
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(QLabel(f"请输入数据库口令以打开 {path.name}"))
        folder = QLabel(f"位置：{path.parent}")
        folder.setStyleSheet("color: #555;")
        folder.setToolTip(str(path))
        layout.addWidget(folder)
        form = QFormLayout()
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setMaxLength(256)
        form.addRow("数据库口令(&K)：", self.passphrase_edit)
        layout.addLayout(form)
        self.error = QLabel(note)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.setVisible(bool(note))
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("打开")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出程序")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.passphrase_edit.setFocus()

    def submit(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self._show_error("请输入数据库口令")
            return
        self.ok_button.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            opened = self._check(self.path, passphrase)
        except DomainError as exc:
            self._show_error(exc.message)
            return
        except Exception as exc:  # an unreadable file, a broken installation: said, never a crash
            self._show_error(f"无法打开数据库：{type(exc).__name__}: {exc}")
            return
        finally:
            QApplication.restoreOverrideCursor()
            self.ok_button.setEnabled(True)
        if not opened:
            self.attempts += 1
            self.passphrase_edit.clear()
            self._show_error(f"口令不正确，请重新输入（已错 {self.attempts} 次）")
            return
        from xinfang_desktop.persistence.encryption import remember_key

        remember_key(self.path, passphrase)
        self.passphrase_edit.clear()
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.passphrase_edit.setFocus()


def encrypted_file(target: str | None) -> Path | None:
    """The SQLite file behind `target` when it is encrypted (None: plain, new, or a server database)."""
    from xinfang_desktop.persistence.encryption import is_encrypted
    from xinfang_desktop.persistence.engine import database_url, sqlite_path

    path = sqlite_path(database_url(target))
    return path if path is not None and is_encrypted(path) else None


def unlock_database(
    target: str | None, *, interactive: bool, parent: QWidget | None = None, check: Checker = _default_check
) -> str | None:
    """Before the database is opened: None when it may be opened (plain, or unlocked now), else why not (cancelled,
    sqlcipher3 missing, no passphrase in a smoke run)."""
    from xinfang_desktop.persistence import encryption as enc

    path = encrypted_file(target)
    if path is None:
        return None
    if enc.cipher_module() is None:
        message = f"数据库已加密，但本机未安装数据库加密组件 sqlcipher3。请先安装：{enc.INSTALL_HINT}"
        if interactive:
            QMessageBox.critical(parent, "无法打开加密数据库", message)
        return message
    note = ""
    try:
        given = enc.given_passphrase(path)
    except DomainError as exc:  # an unreadable key file
        given, note = None, exc.message
    if given is not None:
        try:
            if check(path, given):
                enc.remember_key(path, given)
                return None
            note = "环境变量或密钥文件中的数据库口令不正确"
        except DomainError as exc:
            note = exc.message
    if not interactive:
        return note or f"数据库已加密：请设置环境变量 {enc.KEY_ENV} 或 {enc.KEY_FILE_ENV}"
    dialog = PassphraseDialog(path, parent, check=check, note=note)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return None
    return "未输入数据库口令，程序已退出"
