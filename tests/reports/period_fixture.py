"""A demo database for the period-report tests (issue 14), built once per module that asks for it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

TODAY = date(2026, 11, 20)
DEMO_CASES = 5000


def build_demo(path: Path) -> Path:
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.demo_data import generate_demo
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    db = open_database(path)
    try:
        seed_reference_data(db)
        generate_demo(db, DEMO_CASES, 14, today=TODAY)
    finally:
        db.dispose()
    return path


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("period") / "period.sqlite3")


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Any]:
    from xinfang_desktop.persistence.database import open_database

    db = open_database(demo_path)
    yield db
    db.dispose()


def raw(path: Path) -> sqlite3.Connection:
    """A plain read-only sqlite3 connection for the hand counts."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
