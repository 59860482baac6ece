"""Alembic environment: batch mode for SQLite, the records' metadata, search objects kept out of autogenerate."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from xinfang_desktop.persistence.engine import database_url, make_engine
from xinfang_desktop.persistence.schema import metadata
from xinfang_desktop.persistence.search_schema import is_search_object

config = context.config
target_metadata = metadata


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # FTS5 virtual tables, their shadow tables and the PostgreSQL trigram indexes are created by hand-written
    # migration steps, not from the metadata; autogenerate must neither drop nor re-create them.
    return not (name and is_search_object(name))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    env_db = os.environ.get("XINFANG_DB")
    url = database_url(env_db) if env_db else config.get_main_option("sqlalchemy.url")
    assert url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
