"""Engine set-up: SQLite with WAL, foreign keys and synchronous FULL; PostgreSQL by URL.

An encrypted SQLite file (issue 17, persistence.encryption) goes through sqlcipher3 with the same pragmas: each
pooled connection is created keyed (`creator=`), so SQLAlchemy's first query already reads decrypted pages.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


def database_url(target: str | Path | None) -> str:
    """Turn a path or URL (or nothing: the default file in the data directory) into a SQLAlchemy URL."""
    if target is None or str(target) == "":
        from xinfang_desktop.paths import default_database_path

        target = default_database_path()
    text = str(target)
    if "://" in text:
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for in-memory databases and other back ends)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's BEGIN decide transactions; the pragmas below must run outside one.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


WRITE_OPTION = "xinfang_write"


def _sqlite_begin(conn: Any) -> None:
    # pysqlite's own transaction handling is off (isolation_level=None), so emit BEGIN ourselves.
    # Writers take the write lock at once (IMMEDIATE), so two workstations never deadlock on a lock
    # upgrade; readers stay deferred and never block writers under WAL.
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def _cipher_engine(url: str, path: Path, *, echo: bool) -> Engine:
    """A SQLCipher engine: the passphrase found once (persistence.encryption.passphrase_for), each connection keyed
    with the derived key and checked before SQLAlchemy uses it (WrongKey, a DomainError: exit 2)."""
    from xinfang_desktop.persistence import encryption

    dbapi = encryption.require_cipher()
    passphrase = encryption.passphrase_for(path)

    def creator() -> Any:
        conn = dbapi.connect(str(path), timeout=10, check_same_thread=False)
        try:
            encryption.apply_key(conn, path, passphrase)
        except BaseException:
            conn.close()
            raise
        return conn

    return create_engine(url, echo=echo, module=dbapi, creator=creator)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if is_sqlite(url):
        path = sqlite_path(url)
        from xinfang_desktop.persistence.encryption import wants_cipher

        if path is not None and wants_cipher(path):
            engine = _cipher_engine(url, path, echo=echo)
        else:
            engine = create_engine(url, echo=echo, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)
