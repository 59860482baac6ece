"""From an open database to a logged-in window (issue 17): the login dialog once accounts exist, a first or expired
password changed, the idle lock and the 账号 menu; in open mode (no account yet) the first-run set-up offered.

Unattended runs (`gui --smoke`, CI) log in from XINFANG_USER and XINFANG_PASSWORD when accounts exist.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMessageBox

from xinfang_desktop.persistence.identity import Identity, set_acting
from xinfang_desktop.ui.context import AppContext


def sign_in(window: QMainWindow, ctx: AppContext, *, smoke: bool, then: Callable[[Identity | None], None]) -> None:
    """Find out whether login is required, get the identity, and call `then` with it (None: the user gave up)."""

    def job(db: Any) -> Any:
        from xinfang_desktop.persistence.users import authenticate, login_required

        if not login_required(db):
            return None
        if smoke:  # unattended: the account from the environment, or a refusal that names the variables
            login, password = os.environ.get("XINFANG_USER"), os.environ.get("XINFANG_PASSWORD")
            if not login or password is None:
                raise RuntimeError("本数据库已启用登录：无人值守运行请设置 XINFANG_USER 和 XINFANG_PASSWORD")
            return authenticate(db, login, password)
        return "ask"

    def decided(outcome: Any) -> None:
        if outcome is None:
            identity = Identity.open(ctx.user)
            _finish(window, ctx, identity, smoke, then)
            if not smoke:
                _mark_open_mode(window, ctx, then)
        elif outcome == "ask":
            _ask(window, ctx, smoke, then)
        else:
            _finish(window, ctx, outcome.identity, smoke, then)

    ctx.tasks.run_db(job, decided, lambda exc: _failed(window, exc, then))


def _failed(window: QMainWindow, exc: BaseException, then: Callable[[Identity | None], None]) -> None:
    from xinfang_desktop.core.errors import DomainError

    text = exc.message if isinstance(exc, DomainError) else str(exc)
    window.statusBar().showMessage(text)
    then(None)


def _ask(window: QMainWindow, ctx: AppContext, smoke: bool, then: Callable[[Identity | None], None]) -> None:
    from xinfang_desktop.ui.login_dialog import ChangePasswordDialog, LoginDialog

    dialog = LoginDialog(ctx, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        then(None)
        return
    result = dialog.result_login
    if result.must_change_password or result.password_expired:
        reason = "这是首次登录或口令已过期，请先修改口令。" if result.must_change_password else "口令已过期，请修改。"
        change = ChangePasswordDialog(ctx, result.identity.login, window, reason=reason)
        if change.exec() != QDialog.DialogCode.Accepted:
            then(None)
            return
    _finish(window, ctx, result.identity, smoke, then)


def _finish(
    window: QMainWindow, ctx: AppContext, identity: Identity, smoke: bool, then: Callable[[Identity | None], None]
) -> None:
    from xinfang_desktop.ui.session_lock import SessionLock, install_account_menu, on_idle_minutes

    set_acting(identity)
    window.apply_identity(identity)  # type: ignore[attr-defined]
    lock = None
    if not identity.open_mode and not smoke:
        lock = SessionLock(window, ctx, identity.login, 15)
        on_idle_minutes(ctx, lambda minutes: setattr(lock, "minutes", minutes))
    if not identity.open_mode:
        install_account_menu(window, ctx, identity, lock)
    then(identity)


def _mark_open_mode(window: QMainWindow, ctx: AppContext, then: Callable[[Identity | None], None]) -> None:
    """A red note in the status bar while no account exists, and the set-up offered once at start."""
    from xinfang_desktop.ui.first_run_dialog import FirstRunDialog

    note = QLabel("未设置登录账号：任何人都能查看全部信息")
    note.setObjectName("open_mode_note")
    note.setStyleSheet("color: #c62828; font-weight: bold;")
    window.statusBar().addPermanentWidget(note)

    def offer() -> None:
        dialog = FirstRunDialog(ctx, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        note.hide()
        QMessageBox.information(window, "账号已建立", "登录账号已建立。请用刚设置的账号登录。")

        def after(identity: Identity | None) -> None:
            if identity is None:  # accounts exist now: nobody goes on without logging in
                window.close()

        _ask(window, ctx, False, after)

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, window, offer)
