"""Smoke mode (`xinfang gui --smoke`): visit every section, load the first ledger page, save screenshots, report.

The contract (used by CI and the packaged build): exit 0 and print
`{"startup_ms", "first_rows_ms", "sections": [...]}`; any Qt or Python warning makes the run fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from xinfang_desktop.ui.main_window import SECTIONS, MainWindow
from xinfang_desktop.ui.tasks import TaskRunner

SECTION_TIMEOUT_MS = 30_000


class SmokeRun(QObject):
    """Drives the window through the sections one after the other; `finished` carries the report."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, window: MainWindow, tasks: TaskRunner, shots: Path | None) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = tasks
        self._shots = shots
        self._queue = list(SECTIONS)
        self.visited: list[dict[str, object]] = []
        self.first_rows_ms: float | None = None
        self._ledger_started = 0.0
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(SECTION_TIMEOUT_MS)
        self._watchdog.timeout.connect(lambda: self.failed.emit("冒烟测试超时：栏目未能加载完成"))
        self._awaiting: tuple[str, str] | None = None
        window.section_changed.connect(self._section_changed)
        window.ledger.model.page_loaded.connect(self._first_rows)
        window.ledger.model.load_failed.connect(lambda message: self.failed.emit(f"台账加载失败：{message}"))

    def start(self) -> None:
        if self._shots is not None:
            self._shots.mkdir(parents=True, exist_ok=True)
        self._next()

    def _next(self) -> None:
        if not self._queue:
            self._watchdog.stop()
            self.finished.emit({"first_rows_ms": self.first_rows_ms, "sections": self.visited})
            return
        section = self._queue.pop(0)
        self._watchdog.start()
        if section.key == "ledger":
            self._ledger_started = time.perf_counter()
        self._awaiting = (section.key, section.title)
        self._window.show_section(section.key)  # a section opened the first time is built first: section_changed

    def _section_changed(self, key: str) -> None:
        if self._awaiting is None or self._awaiting[0] != key:
            return
        section, self._awaiting = self._awaiting, None
        # The database thread runs tasks in order: when this no-op comes back, everything the section asked for
        # on opening has come back too (its callbacks were queued before ours); a second one waits for what it
        # asked for on those answers (the ledger counts once its first page is in).
        self._tasks.run_db(
            lambda _db: None,
            lambda _r: self._tasks.run_db(
                lambda _db: None, lambda _r: self._after_idle(lambda: self._capture(*section))
            ),
        )

    def _after_idle(self, then: Callable[[], None]) -> None:
        QTimer.singleShot(0, then)

    def _first_rows(self, _rows: int) -> None:
        if self.first_rows_ms is None and self._ledger_started:
            self._window.ledger.table.viewport().repaint()
            self.first_rows_ms = round((time.perf_counter() - self._ledger_started) * 1000, 1)

    def _capture(self, key: str, title: str) -> None:
        QApplication.processEvents()
        entry: dict[str, object] = {"key": key, "title": title}
        if key == "ledger":
            entry["rows"] = self._window.ledger.model.rowCount()
        if self._shots is not None:
            path = self._shots / f"{len(self.visited) + 1:02d}-{key}.png"
            if not self._window.grab().save(str(path)):
                self.failed.emit(f"无法保存截图：{path}")
                return
            entry["screenshot"] = str(path)
        self.visited.append(entry)
        self._next()
