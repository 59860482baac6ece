"""Progress that does not flicker (Anki's rule): shown only after 600 ms, then kept at least 0.5 s."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

SHOW_AFTER_MS = 600
MIN_VISIBLE_S = 0.5


class DelayedProgress:
    """A progress dialog for one background task: `start()` when submitting, `finish()` in the callback.

    With `cancel`, the dialog has a 取消 button that sets the event (the worker polls it); `set_progress` (GUI thread)
    turns the busy indicator into a bar.
    """

    def __init__(
        self,
        parent: QWidget,
        label: str,
        show_after_ms: int = SHOW_AFTER_MS,
        *,
        title: str = "请稍候",
        cancel: threading.Event | None = None,
    ) -> None:
        self._parent = parent
        self._label = label
        self._title = title
        self._cancel = cancel
        self._done_total = (0, 0)
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
        dialog = QProgressDialog(self._label, "取消", 0, 0, self._parent)
        dialog.setWindowTitle(self._title)
        if self._cancel is None:
            dialog.setCancelButton(None)
        else:
            dialog.canceled.connect(self._cancel.set)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.show()
        self._dialog = dialog
        self._shown_at = time.monotonic()
        self.set_progress(*self._done_total)

    def set_progress(self, done: int, total: int, label: str | None = None) -> None:
        self._done_total = (done, total)
        if self._dialog is not None and total:
            self._dialog.setMaximum(total)
            self._dialog.setValue(min(done, total))
            if label:
                self._dialog.setLabelText(label)

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


POLL_MS = 100


class PolledProgress:
    """An inline progress bar fed by a worker: the worker calls it with (done, total) — plain attributes, no Qt — and a
    timer on the GUI thread shows them (the import wizard, the exchange package)."""

    def __init__(self, bar: QProgressBar, owner: QWidget) -> None:
        self.done, self.total = 0, 0
        self._bar = bar
        self._timer = QTimer(owner)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.show)

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def start(self) -> None:
        self.done, self.total = 0, 0
        self._bar.setRange(0, 0)  # busy until the first count arrives
        self._bar.setVisible(True)
        self._timer.start()

    def show(self) -> None:
        if self.total:
            self._bar.setRange(0, self.total)
            self._bar.setValue(min(self.done, self.total))

    def stop(self, *, full: bool | None = None) -> None:
        """Stop polling; `full` fills the bar (finished), False empties a bar that never got a count (cancelled or
        failed), None leaves it as the last count showed it."""
        self._timer.stop()
        self.show()
        if full:
            self._bar.setRange(0, 1)
            self._bar.setValue(1)
        elif full is False and not self.total:
            self._bar.setRange(0, 1)
            self._bar.setValue(0)
