"""Shared fixtures: a real database per test — SQLite always, PostgreSQL when XINFANG_TEST_PG_URL is set."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL = os.environ.get("XINFANG_TEST_PG_URL")
PG_SKIP_REASON = "XINFANG_TEST_PG_URL not set: no PostgreSQL server for this run (.ci/run starts one)"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data directory or a database named in the environment."""
    monkeypatch.setenv("XINFANG_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("XINFANG_DB", raising=False)


@pytest.fixture(autouse=True)
def _nobody_acting() -> Iterator[None]:
    """No test leaves an acting identity behind for the next (the role checks read it: issue 17)."""
    yield
    from xinfang_desktop.persistence.identity import set_acting

    set_acting(None)


def _pg_admin_url() -> str:
    assert PG_URL is not None
    return PG_URL


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"xinfang_test_{uuid.uuid4().hex[:12]}"
    base = make_url(_pg_admin_url())
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database location on each back end: the same test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.sqlite3")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def db(db_target: str) -> Iterator[object]:
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    database = open_database(db_target)
    seed_reference_data(database)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[object]:
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    database = open_database(tmp_path / "ledger.sqlite3")
    seed_reference_data(database)
    yield database
    database.dispose()


def content_hash(db: object) -> str:
    """A hash of every row of every table: equal before and after means the database is unchanged."""
    from sqlalchemy import inspect, text

    engine = db.engine  # type: ignore[attr-defined]
    h = hashlib.sha256()
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            h.update(table.encode())
            for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that runs on PostgreSQL, so `.ci/run` can run exactly those with `-m pg`."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "pg_url" in getattr(item, "fixturenames", ()) or params.get("db_target") == "postgresql":
            item.add_marker(pytest.mark.pg)
