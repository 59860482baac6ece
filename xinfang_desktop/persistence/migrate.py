"""Schema migrations at start-up: copy the SQLite file, then upgrade; refuse a database from a newer version.

An upgraded database then takes its files from the old shared folders into its own archive (persistence.archive).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from xinfang_desktop.core.errors import ConflictError
from xinfang_desktop.paths import migrations_dir

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database


class SchemaTooNewError(ConflictError):
    """The database was written by a newer version of the application; it is left untouched."""


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    pending: tuple[str, ...]
    backup: str | None = None

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    def to_json(self) -> dict[str, object]:
        return {
            "current": self.current,
            "head": self.head,
            "up_to_date": self.up_to_date,
            "pending": list(self.pending),
            "backup": self.backup,
        }


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def schema_state(db: Database) -> SchemaState:
    script = _script()
    head = script.get_current_head()
    assert head is not None
    with db.engine.connect() as conn:
        current = _current(conn)
    _refuse_unknown(script, current, db)
    pending = [rev.revision for rev in script.iterate_revisions(head, current)]
    return SchemaState(current, head, tuple(reversed(pending)))


def _refuse_unknown(script: ScriptDirectory, current: str | None, db: Database) -> None:
    if current is None:
        return
    try:
        known = script.get_revision(current)
    except Exception:
        known = None
    if known is None:
        raise SchemaTooNewError(
            f"数据库 {db.display_name} 由更新版本的信访工作台创建（数据结构版本 {current}），"
            "本程序无法识别，未做任何改动。请安装新版本后再打开。",
            details={"revision": current},
        )


def backup_sqlite(path: Path, label: str) -> Path:
    """A consistent copy of a SQLite file (WAL included) through the online backup API; an encrypted file is copied
    encrypted (keyed like it, so the copy opens with the same passphrase; issue 17)."""
    from xinfang_desktop.persistence import encryption as enc

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{label}-{stamp}{path.suffix}")
    src = enc.connect(path)
    try:
        dst = enc.connect_like(path, target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def ensure_current(db: Database) -> SchemaState:
    """Bring the schema to head: a new database is created; an older one is copied first, then upgraded."""
    state = schema_state(db)
    if state.up_to_date:
        return state
    backup: str | None = None
    if state.current is not None and db.path is not None and db.path.exists():
        backup = str(backup_sqlite(db.path, state.current))
    cfg = alembic_config()
    with db.write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    if state.current is not None:
        # An existing install: its documents and attachments move beside it now (issue 17), not at first issue.
        from xinfang_desktop.persistence.archive import archive_of

        archive_of(db)
    return SchemaState(state.head, state.head, (), backup)
