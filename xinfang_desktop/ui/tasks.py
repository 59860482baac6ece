"""Background work: one worker thread owns every database call; results come back on the GUI thread.

Like Anki's task manager: a single-thread executor serialises database work (SQLite has one writer anyway),
and the outcomes are handed to the callbacks on the GUI thread. The worker never touches Qt: it puts each
outcome in a queue and writes a byte to a socket pair whose reading end a QSocketNotifier watches, so the GUI
thread wakes once per outcome instead of polling (a 2 ms poll timer made both threads fight for the GIL; emitting a
PySide6 6.12 signal from a plain Python thread corrupted reference counts and aborted the interpreter at exit).
`SyncTaskRunner` runs everything at once on the calling thread, for tests that want determinism.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSocketNotifier, Qt

from xinfang_desktop.persistence.database import Database

log = logging.getLogger(__name__)

DbCall = Callable[[Database], Any]
Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class DatabaseNotOpen(RuntimeError):
    """A task ran before the database was opened (or after opening it failed)."""


class TaskRunner(Protocol):
    """What panels need: run a function of the database off the GUI thread and get its result back on it."""

    def run_db(
        self, fn: DbCall, on_done: Success | None = None, on_error: Failure | None = None, *, after_paint: bool = True
    ) -> None: ...


# Posted at low priority, as Qt posts a window's UpdateRequest: it is handled after the paints already asked for.
_SUBMIT_DEFERRED = QEvent.Type(QEvent.registerEventType())


class _Outcome:
    __slots__ = ("error", "on_done", "on_error", "value")

    def __init__(self, value: Any, error: BaseException | None, on_done: Success | None, on_error: Failure | None):
        self.value = value
        self.error = error
        self.on_done = on_done
        self.on_error = on_error


def _report_unhandled(error: BaseException) -> None:
    """A task failed and nobody asked to hear about it: treat it as an uncaught error (crash log + message)."""
    import sys

    sys.excepthook(type(error), error, error.__traceback__)


class ThreadedTaskRunner(QObject):
    """The application's runner: one worker thread for the database, callbacks delivered on the GUI thread.

    Tasks run in submission order, so a task submitted after `open()` always sees the opened database.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xinfang-db")
        self._db: Database | None = None
        self._closed = False
        self._outcomes: queue.SimpleQueue[_Outcome] = queue.SimpleQueue()
        # socketpair, not a pipe: QSocketNotifier watches sockets on Windows too.
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)
        self._wake_out.setblocking(False)
        self._notifier = QSocketNotifier(self._wake_in.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._deliver)
        self._deferred: list[tuple[DbCall, Success | None, Failure | None]] = []

    @property
    def database(self) -> Database | None:
        """The opened database (set on the worker thread; read it only from callbacks of later tasks)."""
        return self._db

    def open(
        self, opener: Callable[[], Database], on_done: Success | None = None, on_error: Failure | None = None
    ) -> None:
        """Open the database on the worker; every later task receives it."""

        def job(_: Any) -> Database:
            self._db = opener()
            return self._db

        self._submit(job, on_done, on_error, needs_db=False)

    def attach(self, db: Database) -> None:
        """Use an already opened database (tests, or a caller that opened it itself)."""
        self._db = db

    def run_db(
        self, fn: DbCall, on_done: Success | None = None, on_error: Failure | None = None, *, after_paint: bool = True
    ) -> None:
        """Run `fn(db)` on the database thread; `on_done(result)` or `on_error(exc)` run later on the GUI thread.

        The task starts once the GUI thread has painted what is already due (`after_paint=False`: at once, unless
        tasks wait for that paint: the order of submission is kept). Run beside a paint, a task's Python work takes
        the GIL from the paint each time Qt calls into Python (a model's data, PySide's first look for overrides
        of a new widget's virtual methods), waiting up to the 5 ms switch interval each time: a section's first paint
        took 110 ms instead of 11 beside the query that fills it, a table's repaint twice as long.
        """
        if after_paint or self._deferred:
            self._deferred.append((fn, on_done, on_error))
            if len(self._deferred) == 1:
                QCoreApplication.postEvent(self, QEvent(_SUBMIT_DEFERRED), Qt.EventPriority.LowEventPriority.value)
            return
        self._submit(fn, on_done, on_error, needs_db=True)

    def customEvent(self, event: QEvent) -> None:
        if event.type() == _SUBMIT_DEFERRED:
            deferred, self._deferred = self._deferred, []
            for fn, on_done, on_error in deferred:
                self._submit(fn, on_done, on_error, needs_db=True)

    def _submit(
        self, fn: Callable[[Any], Any], on_done: Success | None, on_error: Failure | None, needs_db: bool
    ) -> Future[Any] | None:
        if self._closed:
            log.debug("task submitted after shutdown ignored")
            return None

        def call() -> Any:
            db = self._db
            if needs_db and db is None:
                raise DatabaseNotOpen("数据库尚未打开")
            return fn(db)

        future = self._executor.submit(call)
        # Runs on the worker thread: plain Python only, no Qt.
        future.add_done_callback(lambda f: None if f.cancelled() else self._finished(_outcome(f, on_done, on_error)))
        return future

    def _finished(self, outcome: _Outcome) -> None:
        """Worker thread: queue the outcome and wake the GUI thread."""
        self._outcomes.put(outcome)
        # OSError: the buffer is full (the GUI thread has wake-ups pending anyway) or the runner was shut down.
        with contextlib.suppress(OSError):
            self._wake_out.send(b"\0")

    def _deliver(self) -> None:
        """GUI thread: run the callbacks of every finished task, in order."""
        with contextlib.suppress(OSError):  # raised once drained (the socket would block)
            while self._wake_in.recv(4096):
                pass
        while not self._closed:
            try:
                outcome = self._outcomes.get_nowait()
            except queue.Empty:
                break
            _call_back(outcome.value, outcome.error, outcome.on_done, outcome.on_error)

    def shutdown(self) -> None:
        """Stop accepting work, finish what is running, close the database on its own thread."""
        if self._closed:
            return
        # Tasks still waiting for a paint run now (a save asked for just before the window closed is not lost);
        # what was queued before them has run by then, and tasks queued after them are dropped as ever.
        deferred, self._deferred = self._deferred, []
        pending = [self._submit(fn, on_done, on_error, needs_db=True) for fn, on_done, on_error in deferred]
        self._closed = True
        self._notifier.setEnabled(False)
        wait([f for f in pending if f is not None])

        def close() -> None:
            if self._db is not None:
                self._db.dispose()

        self._executor.submit(close)
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._wake_in.close()
        self._wake_out.close()


def _outcome(future: Future[Any], on_done: Success | None, on_error: Failure | None) -> _Outcome:
    error = future.exception()
    return _Outcome(None if error is not None else future.result(), error, on_done, on_error)


def _call_back(value: Any, error: BaseException | None, on_done: Success | None, on_error: Failure | None) -> None:
    if error is None:
        if on_done is not None:
            on_done(value)
    elif on_error is not None:
        on_error(error)
    else:
        _report_unhandled(error)


class SyncTaskRunner:
    """Runs each task at once on the calling thread (tests; the Picard `FakeThreadPool` idea)."""

    def __init__(self, db: Database | None = None) -> None:
        self.database = db
        self.calls = 0

    def attach(self, db: Database) -> None:
        self.database = db

    def run_db(
        self, fn: DbCall, on_done: Success | None = None, on_error: Failure | None = None, *, after_paint: bool = True
    ) -> None:
        self.calls += 1
        if self.database is None:
            _call_back(None, DatabaseNotOpen("数据库尚未打开"), on_done, on_error)
            return
        try:
            value = fn(self.database)
        except Exception as exc:
            _call_back(None, exc, on_done, on_error)
            return
        _call_back(value, None, on_done, on_error)

    def shutdown(self) -> None:
        pass
