"""Start-up migrations: create at head, copy the file before an upgrade, refuse a database from a newer version."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from xinfang_desktop.persistence import migrate
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.migrate import SchemaTooNewError, schema_state
from xinfang_desktop.persistence.schema import metadata
from xinfang_desktop.persistence.search_schema import is_search_object

EXTRA_REVISION = '''"""a later version adds a column"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("units") as batch_op:
        batch_op.drop_column("note")
'''


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_created_at_head_matching_the_records(db_target: str) -> None:
    db = open_database(db_target)
    state = schema_state(db)
    assert state.up_to_date and state.current == state.head
    with db.engine.connect() as conn:
        mc = MigrationContext.configure(
            conn, opts={"include_object": lambda o, name, t, r, c: not (name and is_search_object(name))}
        )
        assert compare_metadata(mc, metadata) == []
    db.dispose()


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = open_database(tmp_path / "p.sqlite3")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    db.dispose()


def test_database_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dcafe'")
    conn.close()
    before = file_digest(path)
    with pytest.raises(SchemaTooNewError) as err:
        open_database(path)
    assert "更新版本" in err.value.message
    assert file_digest(path) == before


def test_upgrade_copies_the_file_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite3"
    db = open_database(path)
    head = schema_state(db).head
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO units (name, created_at) VALUES ('县人社局', '2026-01-01 00:00:00')")
    db.dispose()

    newer = tmp_path / "db"
    shutil.copytree(migrate.migrations_dir(), newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / "9999_later.py").write_text(EXTRA_REVISION.format(head=head), encoding="utf-8")
    monkeypatch.setattr(migrate, "migrations_dir", lambda: newer)
    monkeypatch.setattr("xinfang_desktop.persistence.schema_version.SCHEMA_HEAD", "9999")

    upgraded = open_database(path)
    assert schema_state(upgraded).current == "9999"
    with upgraded.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name, note FROM units").all() == [("县人社局", None)]
    upgraded.dispose()
    backups = list(tmp_path.glob(f"old.backup-{head}-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
        assert conn.execute("SELECT name FROM units").fetchall() == [("县人社局",)]
    conn.close()


def test_backup_of_a_wal_database_holds_committed_rows(sqlite_db: Any) -> None:
    with sqlite_db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO units (name, created_at) VALUES ('甲', '2026-01-01 00:00:00')")
    assert sqlite_db.path is not None
    copy = migrate.backup_sqlite(sqlite_db.path, "test")
    with sqlite3.connect(copy) as conn:
        assert ("甲",) in conn.execute("SELECT name FROM units").fetchall()
    conn.close()


def test_schema_head_constant_matches_the_migration_scripts() -> None:
    from alembic.script import ScriptDirectory

    from xinfang_desktop.persistence.schema_version import SCHEMA_HEAD

    assert ScriptDirectory.from_config(migrate.alembic_config()).get_current_head() == SCHEMA_HEAD
