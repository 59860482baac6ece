"""The task runner: work runs on the database thread, callbacks on the GUI thread, errors reach on_error."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest

from xinfang_desktop.ui.tasks import DatabaseNotOpen, SyncTaskRunner, ThreadedTaskRunner


@pytest.fixture
def runner(qtbot: Any) -> Any:
    tasks = ThreadedTaskRunner()
    yield tasks
    tasks.shutdown()


def test_work_runs_on_the_worker_and_result_comes_back_on_the_gui_thread(qtbot: Any, runner: Any, empty_db: Any):
    runner.attach(empty_db)
    seen: dict[str, Any] = {}

    def work(db: Any) -> str:
        seen["worker"] = threading.current_thread().name
        return db.display_name

    def done(value: str) -> None:
        seen["value"] = value
        seen["callback"] = threading.current_thread() is threading.main_thread()

    runner.run_db(work, done)
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["worker"].startswith("xinfang-db")
    assert seen["callback"] is True
    assert seen["value"] == empty_db.display_name


def test_tasks_run_in_submission_order(qtbot: Any, runner: Any, empty_db: Any):
    runner.attach(empty_db)
    order: list[int] = []
    for i in range(20):
        runner.run_db(lambda _db, i=i: i, order.append)
    qtbot.waitUntil(lambda: len(order) == 20)
    assert order == list(range(20))


def test_errors_go_to_on_error(qtbot: Any, runner: Any, empty_db: Any):
    runner.attach(empty_db)
    errors: list[BaseException] = []

    def boom(_db: Any) -> None:
        raise ValueError("坏了")

    runner.run_db(boom, lambda _v: pytest.fail("no result expected"), errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)


def test_a_task_before_open_fails_cleanly(qtbot: Any, runner: Any):
    errors: list[BaseException] = []
    runner.run_db(lambda db: db, None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], DatabaseNotOpen)


def test_open_runs_first_and_later_tasks_see_the_database(qtbot: Any, runner: Any, tmp_path: Any):
    from xinfang_desktop.persistence.database import open_database

    got: list[Any] = []
    runner.open(lambda: open_database(tmp_path / "opened.sqlite3"))
    runner.run_db(lambda db: db.display_name, got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert got[0].endswith("opened.sqlite3")


def test_unhandled_task_error_goes_to_the_excepthook(qtbot: Any, runner: Any, empty_db: Any, monkeypatch: Any):
    runner.attach(empty_db)
    hooked: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, e, _tb: hooked.append(e))
    runner.run_db(lambda _db: 1 / 0)
    qtbot.waitUntil(lambda: bool(hooked))
    assert isinstance(hooked[0], ZeroDivisionError)


def test_sync_runner_calls_back_at_once(empty_db: Any):
    runner = SyncTaskRunner(empty_db)
    got: list[Any] = []
    runner.run_db(lambda db: db is empty_db, got.append)
    assert got == [True]
    runner.run_db(lambda _db: int("x"), None, got.append)
    assert isinstance(got[1], ValueError)


def test_a_task_starts_after_the_paint_already_asked_for(qtbot: Any, runner: Any, empty_db: Any):
    """The task waits for the window's pending repaint (run beside it, its Python work would stall the paint)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QLabel

    runner.attach(empty_db)
    events: list[str] = []

    class PaintLog(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                events.append("paint")
            return False

    label = QLabel("预警")
    qtbot.addWidget(label)
    paint_log = PaintLog()
    label.installEventFilter(paint_log)
    label.show()
    qtbot.waitUntil(lambda: "paint" in events)  # shown and painted once: a settled window
    events.clear()
    label.setText("预警单")  # asks for a repaint
    runner.run_db(lambda _db: events.append("task"), lambda _v: events.append("done"))
    qtbot.waitUntil(lambda: "done" in events and "paint" in events)
    assert events.index("paint") < events.index("task")


def test_a_task_not_waiting_for_the_paint_keeps_the_order_of_submission(qtbot: Any, runner: Any, empty_db: Any):
    runner.attach(empty_db)
    order: list[str] = []
    runner.run_db(lambda _db: "after paint", order.append)
    runner.run_db(lambda _db: "at once", order.append, after_paint=False)  # queued behind the first all the same
    runner.run_db(lambda _db: "after paint again", order.append)
    qtbot.waitUntil(lambda: len(order) == 3)
    assert order == ["after paint", "at once", "after paint again"]


def test_a_task_with_nothing_waiting_starts_at_once(qtbot: Any, runner: Any, empty_db: Any):
    runner.attach(empty_db)
    started = threading.Event()
    runner.run_db(lambda _db: started.set(), after_paint=False)
    assert started.wait(5)  # no event loop turn needed


def test_a_task_waiting_for_the_paint_still_runs_when_the_runner_shuts_down(qtbot: Any, empty_db: Any):
    """A save asked for just before the window closes (no turn of the event loop in between) is not lost."""
    runner = ThreadedTaskRunner()
    runner.attach(empty_db)
    ran: list[str] = []
    runner.run_db(lambda _db: ran.append("saved"))  # deferred: no event loop runs before the shutdown
    runner.shutdown()
    assert ran == ["saved"]
