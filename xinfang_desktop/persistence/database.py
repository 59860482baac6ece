"""The opened database: engines for reading and writing, sessions, and start-up migration."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from xinfang_desktop.persistence.engine import WRITE_OPTION, database_url, is_sqlite, make_engine, sqlite_path


class Database:
    """One database (SQLite file or PostgreSQL URL) with a read engine and a write engine sharing one pool."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self.write_engine: Engine = self.engine.execution_options(**{WRITE_OPTION: True})
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        # (revision before, backup copy) of the upgrade `open_database` ran, for `db upgrade` to report it when
        # opening the file to check the acting user already brought it to head.
        self.upgraded_from: tuple[str | None, str | None] | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def display_name(self) -> str:
        """Where the data lives, for the status bar and messages (no password)."""
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)

    def new_session(self, *, write: bool) -> Session:
        """A bare session; the caller ends it (prefer `read_session` / `write_session` / a unit of work)."""
        return self._write() if write else self._read()

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for queries; whatever it did is rolled back at the end."""
        session = self._read()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends normally, rolled back on any error."""
        session = self._write()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(target: str | Path | None, *, create: bool = True) -> Database:
    """Open (and create or upgrade, after a backup copy) the database at a path or URL.

    A database written by a newer version of the application is refused and left untouched.
    """
    from xinfang_desktop.persistence.schema_version import SCHEMA_HEAD, stored_revision

    url = database_url(target)
    path = sqlite_path(url)
    if path is not None:
        from xinfang_desktop.persistence.network_share import refuse_network_share

        # Issue 17: SQLite's locks are unreliable over SMB/NFS; refused unless XINFANG_ALLOW_NETWORK_SQLITE=1.
        refuse_network_share(path)
        if not create and not path.exists():
            from xinfang_desktop.core.errors import NotFoundError

            raise NotFoundError(f"数据库文件不存在：{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(url)
    try:
        before = stored_revision(db.engine)
        if before != SCHEMA_HEAD:  # up to date: no Alembic import at start-up
            from xinfang_desktop.persistence.migrate import ensure_current

            db.upgraded_from = (before, ensure_current(db).backup)
    except BaseException:
        db.dispose()
        raise
    # Every table mapped with the database opened, on the thread that opens it: the desktop imports the stores
    # section by section on its GUI thread, where mapping the package tables took 20-45 ms at once.
    import xinfang_desktop.persistence.records_exchange
    import xinfang_desktop.persistence.records_packages
    import xinfang_desktop.persistence.records_warnings
    import xinfang_desktop.persistence.rectification.records  # noqa: F401

    return db
