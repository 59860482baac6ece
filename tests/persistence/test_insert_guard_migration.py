"""Schema 0018: the INSERT guard on a fresh database and after an upgrade from 0017 with entries in the log."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command

from xinfang_desktop.persistence.append_only import INSERT_GUARD
from xinfang_desktop.persistence.audit_chain import verify_chain
from xinfang_desktop.persistence.database import Database, open_database
from xinfang_desktop.persistence.engine import database_url
from xinfang_desktop.persistence.migrate import alembic_config, ensure_current
from xinfang_desktop.persistence.uow import unit_of_work


def _forge(path: Path) -> None:
    conn = sqlite3.connect(path)
    row = list(conn.execute("SELECT * FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone())
    columns = [d[1] for d in conn.execute("PRAGMA table_info(audit_entries)")]
    row[columns.index("id")] += 1
    row[columns.index("mac")] = None
    with pytest.raises(sqlite3.IntegrityError, match="appended by the program only"):
        conn.execute(f"INSERT INTO audit_entries ({', '.join(columns)}) VALUES ({', '.join('?' * len(row))})", row)
    conn.close()


def test_fresh_and_upgraded(tmp_path: Path) -> None:
    fresh = open_database(tmp_path / "fresh.sqlite3")
    with unit_of_work(fresh, user="a", now=datetime(2026, 11, 20, 9)) as uow:
        uow.audit.record("update", "setting", "k", {"new": 1})
        uow.commit()
    assert verify_chain(fresh).ok and verify_chain(fresh).missing_triggers == []
    fresh.dispose()
    _forge(tmp_path / "fresh.sqlite3")

    old_path = tmp_path / "old.sqlite3"
    old = Database(database_url(str(old_path)))
    cfg = alembic_config()
    with old.write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0017")
    with unit_of_work(old, user="a", now=datetime(2026, 11, 20, 9)) as uow:
        uow.audit.record("update", "setting", "k", {"new": 1})
        uow.commit()
    assert verify_chain(old).missing_triggers == []  # 0017: no INSERT guard expected
    ensure_current(old)
    assert verify_chain(old).ok
    old.dispose()
    _forge(old_path)
    conn = sqlite3.connect(old_path)
    conn.execute(f"DROP TRIGGER {INSERT_GUARD}")
    conn.commit()
    conn.close()
    again = Database(database_url(str(old_path)))
    assert verify_chain(again).missing_triggers == [INSERT_GUARD]
    again.dispose()
