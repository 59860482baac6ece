"""Progress that does not flicker (Anki's rule): shown only after 600 ms, then kept at least 0.5 s."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

SHOW_AFTER_MS = 600
MIN_VISIBLE_S = 0.5


class DelayedProgress:
    """A busy indicator for one background task: `start()` when submitting, `finish()` in the callback."""

    def __init__(self, parent: QWidget, label: str, show_after_ms: int = SHOW_AFTER_MS) -> None:
        self._parent = parent
        self._label = label
        self._dialog: QProgressDialog | None = None
        self._shown_at = 0.0
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(show_after_ms)
        self._timer.timeout.connect(self._show)

    @property
    def visible(self) -> bool:
        return self._dialog is not None

    def start(self) -> None:
        self._timer.start()

    def _show(self) -> None:
        dialog = QProgressDialog(self._label, "", 0, 0, self._parent)
        dialog.setWindowTitle("请稍候")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self._dialog = dialog
        self._shown_at = time.monotonic()

    def finish(self) -> None:
        self._timer.stop()
        dialog = self._dialog
        if dialog is None:
            return
        self._dialog = None
        remaining_ms = int((MIN_VISIBLE_S - (time.monotonic() - self._shown_at)) * 1000)
        if remaining_ms > 0:
            QTimer.singleShot(remaining_ms, dialog.deleteLater)
            QTimer.singleShot(remaining_ms, dialog.hide)
        else:
            dialog.hide()
            dialog.deleteLater()
