"""数据库口令 dialog (issue 17): a wrong passphrase says so and lets the user retry; the right one unlocks."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from xinfang_desktop.persistence import archive as archive_mod
from xinfang_desktop.persistence import encryption as enc
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.encryption import EncryptionUnavailable
from xinfang_desktop.ui.passphrase_dialog import PassphraseDialog, unlock_database

pytest.importorskip("sqlcipher3", reason="sqlcipher3 (the encryption extra) not installed")

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PASS = "示范县 passphrase 1"


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(enc.KEY_ENV, raising=False)
    monkeypatch.delenv(enc.KEY_FILE_ENV, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    enc.forget_keys()
    yield
    enc.forget_keys()
    archive_mod.forget()


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.sqlite3"
    enc.create_encrypted(path)
    enc.remember_key(path, PASS)
    open_database(path).dispose()
    enc.forget_keys()
    return path


def test_wrong_passphrase_says_so_and_the_right_one_unlocks(qtbot, encrypted: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = PassphraseDialog(encrypted)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.submit()
    assert dialog.error.text() == "请输入数据库口令" and dialog.isVisible()
    dialog.passphrase_edit.setText("not it")
    dialog.submit()
    assert "口令不正确" in dialog.error.text() and dialog.attempts == 1 and dialog.isVisible()
    assert dialog.passphrase_edit.text() == ""
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SHOTS / "passphrase_dialog_wrong.png"))
    dialog.passphrase_edit.setText(PASS)
    dialog.submit()
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted
    assert enc.given_passphrase(encrypted) == PASS  # remembered for the engine (this process only)
    open_database(encrypted).dispose()


def test_a_failing_check_is_shown_not_raised(qtbot, encrypted: Path) -> None:  # type: ignore[no-untyped-def]
    def broken(path: Path, passphrase: str) -> bool:
        raise EncryptionUnavailable("未安装数据库加密组件 sqlcipher3")

    def exploding(path: Path, passphrase: str) -> bool:
        raise OSError("设备未就绪")

    for check, shown in ((broken, "sqlcipher3"), (exploding, "设备未就绪")):
        dialog = PassphraseDialog(encrypted, check=check)
        qtbot.addWidget(dialog)
        dialog.passphrase_edit.setText("x")
        dialog.submit()
        assert shown in dialog.error.text() and dialog.result() != PassphraseDialog.DialogCode.Accepted


def test_unlock_before_the_login(qtbot, encrypted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "plain.sqlite3"
    open_database(plain).dispose()
    assert unlock_database(str(plain), interactive=False) is None
    assert unlock_database(str(tmp_path / "new.sqlite3"), interactive=False) is None
    assert "XINFANG_DB_KEY" in (unlock_database(str(encrypted), interactive=False) or "")
    monkeypatch.setenv(enc.KEY_ENV, "wrong")
    assert "不正确" in (unlock_database(str(encrypted), interactive=False) or "")
    monkeypatch.setenv(enc.KEY_ENV, PASS)
    assert unlock_database(str(encrypted), interactive=False) is None
    monkeypatch.delenv(enc.KEY_ENV)
    enc.forget_keys()

    def answer() -> None:  # the dialog at start: a wrong try, then the right passphrase
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PassphraseDialog)
        dialog.passphrase_edit.setText("wrong")
        dialog.submit()
        assert "口令不正确" in dialog.error.text()
        dialog.passphrase_edit.setText(PASS)
        dialog.submit()

    QTimer.singleShot(0, answer)
    assert unlock_database(str(encrypted), interactive=True) is None
    enc.forget_keys()

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PassphraseDialog)
        dialog.reject()

    QTimer.singleShot(0, cancel)
    assert "退出" in (unlock_database(str(encrypted), interactive=True) or "")


def test_without_sqlcipher3_the_window_names_what_to_install(encrypted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enc, "cipher_module", lambda: None)
    message = unlock_database(str(encrypted), interactive=False)
    assert message and "sqlcipher3" in message and "pip install" in message
