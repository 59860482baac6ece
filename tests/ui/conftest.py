"""GUI test fixtures: offscreen Qt, a real SQLite database with registered cases, a synchronous task runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = date(2026, 11, 20)
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
TOPICS = ("拖欠工资", "征地补偿", "房屋质量", "噪声扰民", "医疗纠纷", "低保待遇", "土地承包", "物业管理")


def intake(i: int, **changes: Any) -> dict[str, Any]:
    """A valid intake object, different for each `i`."""
    data: dict[str, Any] = {
        "petitioner": {"name": f"{SURNAMES[i % len(SURNAMES)]}{'明华强丽'[i % 4]}{i}", "phone": f"138{i:08d}"},
        "channel": ("来访", "来信", "网上信访")[i % 3],
        "received_on": (TODAY - timedelta(days=i % 40)).isoformat(),
        "purpose": "求决",
        "summary": f"反映{TOPICS[i % len(TOPICS)]}问题（第{i}件），要求依法处理。",
        "headcount": 1,
    }
    data.update(changes)
    return data


def register_cases(db: Any, count: int) -> list[str]:
    from xinfang_desktop.persistence.case_intake import add_case

    return [add_case(db, intake(i), today=TODAY, user="tester").registered.number for i in range(count)]


@pytest.fixture(scope="session")
def ledger_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with 450 cases (more than two pages of the ledger), built once per session."""
    from xinfang_desktop.persistence.database import open_database

    path = tmp_path_factory.mktemp("ledger") / "ledger.sqlite3"
    db = open_database(path)
    try:
        register_cases(db, 450)
    finally:
        db.dispose()
    return path


@pytest.fixture
def ledger_db(ledger_db_path: Path) -> Iterator[Any]:
    from xinfang_desktop.persistence.database import open_database

    db = open_database(ledger_db_path)
    yield db
    db.dispose()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Any]:
    from xinfang_desktop.persistence.database import open_database

    db = open_database(tmp_path / "x.sqlite3")
    yield db
    db.dispose()


def make_ctx(db: Any) -> Any:
    from xinfang_desktop.ui.context import AppContext
    from xinfang_desktop.ui.tasks import SyncTaskRunner

    return AppContext(SyncTaskRunner(db), today=lambda: TODAY, user="tester")


@pytest.fixture
def ctx(ledger_db: Any) -> Any:
    return make_ctx(ledger_db)


@pytest.fixture
def empty_ctx(empty_db: Any) -> Any:
    return make_ctx(empty_db)


# The offscreen platform (tests, CI) cannot resize native windows to their size hints and says so whenever a
# top-level widget's layout changes its minimum size; no real platform emits this. Every other Qt warning fails.
OFFSCREEN_ONLY_MESSAGE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_ONLY_MESSAGE))


def type_text(widget: Any, text: str) -> None:
    """Type `text` into a widget key by key (QTest.keyClicks aborts on some non-ASCII characters)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
