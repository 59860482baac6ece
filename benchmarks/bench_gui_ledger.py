"""The desktop window at work on a large ledger, in one process: the issue-6 targets other than start-up.

    .venv/bin/python benchmarks/bench_gui_ledger.py --db bench-data/ledger.sqlite3 [--runs 5]

Measures, with the real MainWindow, task runner and database thread (offscreen when there is no display):
- the workbench's counts (window started → every card filled);
- first ledger rows (section opened → first page in the model and painted);
- each further page: the query on the database thread, fetchMore → rows in the model, and with the repaint;
- search as you type: keys typed 120 ms apart; last key → the first page of results painted (debounce included),
  and the query alone (filter applied → rows in the model);
- every other section opened (its first data shown);
- model memory: what Python holds after scrolling N pages from the top (tracemalloc: ids, cached rows), and the
  growth of the process's resident memory since before the ledger opened (that includes SQLite's page cache of up
  to 64 MB per connection and Qt's glyph caches, so it is an upper bound for the model and the view);
- the GUI thread's worst lateness once the window has painted itself, until the memory measure (tracemalloc): a
  5 ms precise timer records how late it fires (> 50 ms is a freeze).
Prints medians (min–max) over the runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

import xinfang_desktop.ui.ledger.case_table_model as table_model
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.ui.app import create_application, freeze_heap
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.main_window import SECTIONS, MainWindow
from xinfang_desktop.ui.tasks import ThreadedTaskRunner

TICK_MS = 5
SEARCHES = ["张", "王建", "土地征收", "补偿款", "1101", "13800"]
TYPING_GAP_MS = 120


class LatenessMonitor:
    """A precise 5 ms timer on the GUI thread; how late each tick comes is how long the thread was busy."""

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        self._last = 0
        self.worst = 0.0
        self.worst_where = ""
        self.phase = ""
        self.late_over_50: list[tuple[str, float]] = []

    def stop(self) -> None:
        self._timer.stop()

    def start(self) -> None:
        self._clock.start()
        self._last = self._clock.nsecsElapsed()
        self._timer.start()

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        late = (now - self._last) / 1e6 - TICK_MS
        self._last = now
        if late > self.worst:
            self.worst, self.worst_where = late, self.phase
        if late > 50:
            self.late_over_50.append((self.phase, late))
            app = QApplication.instance()
            if isinstance(app, EventLog):
                app.stalled(self.phase, late)


class EventLog(QApplication):
    """Diagnostics (--events): times every top-level event; each stall over 50 ms prints the events > 5 ms of the
    100 ms before it (a Python notify() slows the GUI thread a little: the figures are not for quoting)."""

    monitor: LatenessMonitor | None = None

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self._depth = 0
        self.recent: list[tuple[float, float, str]] = []  # start, ms, what

    def notify(self, receiver: Any, event: Any) -> bool:
        self._depth += 1
        started = time.perf_counter()
        try:
            return bool(super().notify(receiver, event))
        finally:
            self._depth -= 1
            ms = (time.perf_counter() - started) * 1000
            if self._depth == 0 and ms > 5:
                self.recent.append((started, ms, f"{type(receiver).__name__}:{event.type().name}"))
                del self.recent[:-50]

    def stalled(self, phase: str, late_ms: float) -> None:
        now = time.perf_counter()
        events = [
            f"{(t - now) * 1000:+.0f} {what} {ms:.0f}" for t, ms, what in self.recent if now - t < 0.1 + late_ms / 1000
        ]
        print(f"stall {late_ms:.0f} ms in {phase}: " + "; ".join(events))


class StallSampler:
    """Diagnostics (--stacks): a thread that records the GUI thread's Python stack whenever a tick is overdue."""

    def __init__(self, monitor: LatenessMonitor) -> None:
        import collections
        import threading
        import traceback

        self._monitor = monitor
        self._main = threading.main_thread().ident
        self.stacks: collections.Counter[str] = collections.Counter()
        self._stop = threading.Event()

        def run() -> None:
            while not self._stop.wait(0.01):
                m = self._monitor
                overdue = (m._clock.nsecsElapsed() - m._last) / 1e6 - TICK_MS
                if overdue > 30:
                    frame = sys._current_frames().get(self._main)
                    if frame is not None:
                        lines = traceback.format_stack(frame)[-6:]
                        self.stacks[m.phase + "\n" + "".join(lines)] += 1

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()


def wait_until(app: QApplication, done: Callable[[], bool], timeout_s: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.0005)


WORKER_PAGE_MS: list[float] = []


def _timed_ledger_page(session: Any, request: Any) -> Any:
    """The page query as the model's job runs it on the database thread, timed there (the "data" part)."""
    started = time.perf_counter()
    page = _ledger_page(session, request)
    WORKER_PAGE_MS.append((time.perf_counter() - started) * 1000)
    return page


_ledger_page = table_model.ledger_page
table_model.ledger_page = _timed_ledger_page  # type: ignore[assignment]


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one_run(app: QApplication, db_path: str, pages: int, stacks: bool = False) -> dict[str, Any]:
    tasks = ThreadedTaskRunner()
    opened: list[Any] = []
    tasks.open(lambda: open_database(db_path), on_done=opened.append)
    window = MainWindow(AppContext(tasks), None)
    window.resize(1400, 900)
    window.show()
    out: dict[str, Any] = {}
    wait_until(app, lambda: bool(opened))
    app.processEvents()  # the window's first paint: start-up, which has its own target (bench_gui.py)
    monitor = LatenessMonitor()
    monitor.start()
    sampler = StallSampler(monitor) if stacks else None

    monitor.phase = "workbench"
    counts: list[dict[str, int]] = []
    window.workbench.counts_loaded.connect(counts.append)
    started = time.perf_counter()
    window.start()
    freeze_heap()  # as ui.app does once the window is up
    window.show_section("workbench")
    wait_until(app, lambda: bool(counts))
    out["workbench_counts_ms"] = (time.perf_counter() - started) * 1000

    ledger = window.ledger
    model, table = ledger.model, ledger.table
    loaded: list[int] = []
    model.page_loaded.connect(loaded.append)
    gc.collect()
    rss_before = rss_mb()

    monitor.phase = "ledger-first"
    started = time.perf_counter()
    window.show_section("ledger")
    wait_until(app, lambda: bool(loaded))
    app.processEvents()  # the paint the first rows asked for
    out["first_rows_ms"] = (time.perf_counter() - started) * 1000

    monitor.phase = "pages"
    data_ms, paint_ms = [], []
    WORKER_PAGE_MS.clear()
    for _ in range(pages):
        before = len(loaded)
        started = time.perf_counter()
        table.scrollToBottom()  # the view asks canFetchMore/fetchMore as a user scrolling down would
        wait_until(app, lambda before=before: len(loaded) > before)  # type: ignore[misc]
        arrived = time.perf_counter()
        app.processEvents()  # the repaint the new rows asked for (no extra, forced paint)
        data_ms.append((arrived - started) * 1000)
        paint_ms.append((time.perf_counter() - started) * 1000)
    out["page_query_ms"] = statistics.median(WORKER_PAGE_MS)
    out["page_data_ms"] = statistics.median(data_ms)
    out["page_paint_ms"] = statistics.median(paint_ms)
    monitor.phase = "search"
    typed_ms, query_ms = [], []
    applied: list[float] = []
    ledger.model.modelReset.connect(lambda: applied.append(time.perf_counter()))
    for text in SEARCHES:
        ledger.search_box.clear()
        wait_until(app, lambda: not ledger._debounce.isActive() and not model.is_loading)
        ledger.search_box.setFocus()
        for ch in text:
            ledger.search_box.insert(ch)  # as an input method commits a character (QTest types ASCII only)
            pause = time.perf_counter() + TYPING_GAP_MS / 1000
            while time.perf_counter() < pause:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        last_key = time.perf_counter()
        before = len(loaded)
        applied.clear()
        wait_until(app, lambda before=before: len(loaded) > before and not model.is_loading)  # type: ignore[misc]
        app.processEvents()  # the paint the new rows asked for (a forced repaint on top doubled it)
        done = time.perf_counter()
        typed_ms.append((done - last_key) * 1000)
        if applied:
            query_ms.append((done - applied[-1]) * 1000)
    out["search_typed_ms"] = statistics.median(typed_ms)
    out["search_typed_max_ms"] = max(typed_ms)
    out["search_query_ms"] = statistics.median(query_ms) if query_ms else float("nan")

    for section in SECTIONS:
        if section.key in ("workbench", "ledger"):
            continue
        monitor.phase = f"section:{section.key}"
        idle: list[bool] = []
        started = time.perf_counter()
        window.show_section(section.key)  # the first time: imported and built in steps, then started
        wait_until(app, lambda key=section.key: window.is_built(key) and window.current_section == key)  # type: ignore[misc]
        for _ in range(2):  # what the section asked for on opening, and what it asked on those answers
            idle.clear()
            tasks.run_db(lambda _db: None, lambda _r, idle=idle: idle.append(True))  # type: ignore[misc]
            wait_until(app, lambda idle=idle: bool(idle))  # type: ignore[misc]
        app.processEvents()
        out[f"section_{section.key}_ms"] = (time.perf_counter() - started) * 1000

    # Memory last (tracemalloc slows Python down): the query again from the top, scrolled `pages` pages down. The
    # lateness monitor stops first: with every allocation traced, the GUI thread is slower than any user sees it.
    monitor.stop()
    ledger.search_box.clear()
    wait_until(app, lambda: not ledger._debounce.isActive() and not model.is_loading)
    gc.collect()
    tracemalloc.start()
    model.reload()
    for _ in range(pages):
        before = len(loaded)
        table.scrollToBottom()
        wait_until(app, lambda before=before: len(loaded) > before)  # type: ignore[misc]
        app.processEvents()
    gc.collect()
    out["rows_kept"] = model.rowCount()
    out["model_python_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    out["rss_growth_mb"] = rss_mb() - rss_before

    out["gui_worst_late_ms"] = monitor.worst
    out["gui_worst_where"] = monitor.worst_where
    out["gui_late_over_50"] = list(monitor.late_over_50)
    if sampler is not None:
        sampler.stop()
        for stack, n in sampler.stacks.most_common(12):
            print(f"--- {n} samples in {stack}")
    tasks.shutdown()
    window.close()
    window.deleteLater()
    app.processEvents()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="database file (e.g. made by `xinfang demo --cases 1000000`)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=50, help="further pages to scroll through in each run")
    parser.add_argument("--stacks", action="store_true", help="print where the GUI thread was when it stalled")
    parser.add_argument("--events", action="store_true", help="print the Qt events handled before each stall")
    args = parser.parse_args()
    if args.events:
        EventLog([sys.argv[0]])  # the QApplication create_application() then uses
    app = create_application([sys.argv[0]])
    runs = [one_run(app, args.db, args.pages, args.stacks) for _ in range(args.runs)]
    numeric = [k for k, v in runs[0].items() if isinstance(v, (int, float))]
    for key in numeric:
        values = [r[key] for r in runs]
        print(f"{key:26s} median {statistics.median(values):9.1f}  min {min(values):9.1f}  max {max(values):9.1f}")
    for i, r in enumerate(runs):
        print(f"run {i + 1}: worst lateness {r['gui_worst_late_ms']:.1f} ms in {r['gui_worst_where']}; over 50 ms:",
              ", ".join(f"{p} {ms:.0f}" for p, ms in r["gui_late_over_50"]) or "none")  # fmt: skip


if __name__ == "__main__":
    main()
