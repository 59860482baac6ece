"""The idle lock and the 账号 menu (issue 17): after the policy's idle minutes the window is covered (no personal
data on screen, the case windows hidden) until the same user's password is entered again; Ctrl+L locks at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from xinfang_desktop.core.access import ROLE_BY_KEY
from xinfang_desktop.ui.context import AppContext

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class LockCover(QWidget):
    """Opaque cover over the whole window while it is locked."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setAutoFillBackground(True)
        self.setStyleSheet("background: #eceff1;")
        layout = QVBoxLayout(self)
        label = QLabel("屏幕已锁定\n\n按任意键或单击，输入口令继续")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("font-size: 16pt; color: #455a64;")
        layout.addWidget(label)
        self.hide()

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()


class SessionLock(QObject):
    """Watches input application-wide; locks after `minutes` without any."""

    def __init__(self, window: QMainWindow, ctx: AppContext, login: str, minutes: int) -> None:
        super().__init__(window)
        self._window = window
        self._ctx = ctx
        self._login = login
        self.minutes = minutes
        self.locked = False
        self._hidden: list[QWidget] = []
        self._idle = QElapsedTimer()
        self._idle.start()
        self.cover = LockCover(window)
        self._timer = QTimer(self)
        self._timer.setInterval(15_000)
        self._timer.timeout.connect(self._check)
        self._timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT_EVENTS:
            self._idle.restart()
            if self.locked and kind in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
                QTimer.singleShot(0, self.ask_password)
                return True
        elif kind == QEvent.Type.Resize and watched is self._window and self.locked:
            self.cover.cover()
        return False

    def _check(self) -> None:
        if not self.locked and self._idle.elapsed() >= self.minutes * 60_000:
            self.lock()

    def lock(self) -> None:
        """Cover the window and hide the other windows of this application (case windows show personal data)."""
        if self.locked:
            return
        self.locked = True
        self._hidden = [
            w for w in QApplication.topLevelWidgets() if w is not self._window and w.isVisible() and w.isWindow()
        ]
        for widget in self._hidden:
            widget.hide()
        self.cover.cover()
        self._asking = False

    def ask_password(self) -> None:
        if not self.locked or getattr(self, "_asking", False):
            return
        from xinfang_desktop.ui.login_dialog import LoginDialog

        self._asking = True
        dialog = LoginDialog(self._ctx, self._window, login=self._login, locked=True)
        accepted = dialog.exec() == LoginDialog.DialogCode.Accepted
        self._asking = False
        if accepted:
            self.unlock()
        else:
            self._window.close()

    def unlock(self) -> None:
        self.locked = False
        self.cover.hide()
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self._idle.restart()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def install_account_menu(window: QMainWindow, ctx: AppContext, identity: Any, lock: SessionLock | None) -> None:
    """账号(&A): who is logged in, 修改口令…, 锁定屏幕 (Ctrl+L)."""
    menu = window.menuBar().addMenu("账号(&A)")
    roles = "、".join(ROLE_BY_KEY[r].label for r in identity.roles if r in ROLE_BY_KEY)
    who = menu.addAction(f"{identity.display_name}（{identity.login}）" + (f"：{roles}" if roles else ""))
    who.setEnabled(False)
    menu.addSeparator()

    def change_password() -> None:
        from xinfang_desktop.ui.login_dialog import ChangePasswordDialog

        ChangePasswordDialog(ctx, identity.login, window).exec()

    menu.addAction("修改口令…").triggered.connect(change_password)
    if lock is not None:
        action = menu.addAction("锁定屏幕")
        action.setShortcut(QKeySequence("Ctrl+L"))
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # from a case window too (it shows data)
        action.triggered.connect(lock.lock)


def on_idle_minutes(ctx: AppContext, apply: Callable[[int], None]) -> None:
    """Read the policy's idle minutes on the database thread, then `apply` them."""

    def job(db: Any) -> int:
        from xinfang_desktop.persistence.users import policy

        return policy(db).idle_lock_minutes

    ctx.tasks.run_db(job, apply, lambda _exc: None)
