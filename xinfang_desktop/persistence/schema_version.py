"""The schema revision this program writes, and a cheap read of a database's revision (no Alembic import).

Opening an up-to-date database is the common case at every start; it should not pay for importing Alembic and
parsing the migration scripts. A test keeps SCHEMA_HEAD equal to the head of `db/versions`.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

SCHEMA_HEAD = "0021"


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database (None for a new, empty database)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return str(value) if value is not None else None
