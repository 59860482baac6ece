"""Full-text search objects: SQLite FTS5 (trigram + bigram) and PostgreSQL pg_trgm, created by migrations."""

from __future__ import annotations

from sqlalchemy import Connection, text

TRIGRAM_TABLE = "case_search"
BIGRAM_TABLE = "case_search_bigram"
BULK_FLAG_TABLE = "search_bulk_mode"
PG_TRIGRAM_INDEX = "ix_cases_search_trgm"
PG_BIGRAM_INDEX = "ix_cases_search_bigram_trgm"

# The text the PostgreSQL indexes cover; queries must use exactly these expressions to hit the indexes.
PG_TRIGRAM_EXPR = "(search_people || ' ' || search_address || ' ' || summary)"
PG_BIGRAM_EXPR = "(' ' || search_bigrams || ' ')"

_SQLITE_DDL = [
    f"""CREATE VIRTUAL TABLE {TRIGRAM_TABLE} USING fts5(
        search_people, search_address, summary,
        content='cases', content_rowid='id', tokenize='trigram')""",
    f"""CREATE VIRTUAL TABLE {BIGRAM_TABLE} USING fts5(
        search_bigrams, content='cases', content_rowid='id', tokenize='unicode61', detail='none', prefix='1')""",
    # A row here means a bulk load is running and will sync the search tables itself, set-based.
    f"CREATE TABLE {BULK_FLAG_TABLE} (flag INTEGER PRIMARY KEY)",
    f"""CREATE TRIGGER cases_search_ai AFTER INSERT ON cases
        WHEN NOT EXISTS (SELECT 1 FROM {BULK_FLAG_TABLE}) BEGIN
        INSERT INTO {TRIGRAM_TABLE}(rowid, search_people, search_address, summary)
            VALUES (new.id, new.search_people, new.search_address, new.summary);
        INSERT INTO {BIGRAM_TABLE}(rowid, search_bigrams) VALUES (new.id, new.search_bigrams);
    END""",
    f"""CREATE TRIGGER cases_search_ad AFTER DELETE ON cases BEGIN
        INSERT INTO {TRIGRAM_TABLE}({TRIGRAM_TABLE}, rowid, search_people, search_address, summary)
            VALUES ('delete', old.id, old.search_people, old.search_address, old.summary);
        INSERT INTO {BIGRAM_TABLE}({BIGRAM_TABLE}, rowid, search_bigrams)
            VALUES ('delete', old.id, old.search_bigrams);
    END""",
    # Only the searched columns fire it: a trigger on every column makes status updates 10x slower.
    f"""CREATE TRIGGER cases_search_au AFTER UPDATE OF search_people, search_address, summary, search_bigrams
        ON cases BEGIN
        INSERT INTO {TRIGRAM_TABLE}({TRIGRAM_TABLE}, rowid, search_people, search_address, summary)
            VALUES ('delete', old.id, old.search_people, old.search_address, old.summary);
        INSERT INTO {BIGRAM_TABLE}({BIGRAM_TABLE}, rowid, search_bigrams)
            VALUES ('delete', old.id, old.search_bigrams);
        INSERT INTO {TRIGRAM_TABLE}(rowid, search_people, search_address, summary)
            VALUES (new.id, new.search_people, new.search_address, new.summary);
        INSERT INTO {BIGRAM_TABLE}(rowid, search_bigrams) VALUES (new.id, new.search_bigrams);
    END""",
]

_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS cases_search_au",
    "DROP TRIGGER IF EXISTS cases_search_ad",
    "DROP TRIGGER IF EXISTS cases_search_ai",
    f"DROP TABLE IF EXISTS {BULK_FLAG_TABLE}",
    f"DROP TABLE IF EXISTS {BIGRAM_TABLE}",
    f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}",
]

_PG_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX {PG_TRIGRAM_INDEX} ON cases USING gin ({PG_TRIGRAM_EXPR} gin_trgm_ops)",
    f"CREATE INDEX {PG_BIGRAM_INDEX} ON cases USING gin ({PG_BIGRAM_EXPR} gin_trgm_ops)",
]

_PG_DROP = [f"DROP INDEX IF EXISTS {PG_BIGRAM_INDEX}", f"DROP INDEX IF EXISTS {PG_TRIGRAM_INDEX}"]


def is_search_object(name: str) -> bool:
    return name.startswith((TRIGRAM_TABLE, BULK_FLAG_TABLE)) or name in (PG_TRIGRAM_INDEX, PG_BIGRAM_INDEX)


def create_search_objects(conn: Connection) -> None:
    statements = _SQLITE_DDL if conn.dialect.name == "sqlite" else _PG_DDL
    for stmt in statements:
        conn.exec_driver_sql(stmt)


def drop_search_objects(conn: Connection) -> None:
    statements = _SQLITE_DROP if conn.dialect.name == "sqlite" else _PG_DROP
    for stmt in statements:
        conn.exec_driver_sql(stmt)


def suspend_search_triggers(conn: Connection) -> None:
    """Inside a write transaction: the per-row search triggers stand aside until `resume_search_triggers`.

    Bulk loads then call `sync_search_range` once per batch: set-based FTS maintenance is ~3x faster than
    per-row triggers (performance.md §2). No-op on PostgreSQL, whose GIN indexes maintain themselves.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT OR IGNORE INTO {BULK_FLAG_TABLE} (flag) VALUES (1)")


def sync_search_range(conn: Connection, first_id: int, last_id: int) -> None:
    """Index the cases with ids in [first_id, last_id] (inserted while the triggers were suspended)."""
    if conn.dialect.name != "sqlite":
        return
    bounds = {"lo": first_id, "hi": last_id}
    conn.execute(
        text(
            f"INSERT INTO {TRIGRAM_TABLE} (rowid, search_people, search_address, summary) "
            "SELECT id, search_people, search_address, summary FROM cases WHERE id BETWEEN :lo AND :hi"
        ),
        bounds,
    )
    conn.execute(
        text(
            f"INSERT INTO {BIGRAM_TABLE} (rowid, search_bigrams) "
            "SELECT id, search_bigrams FROM cases WHERE id BETWEEN :lo AND :hi"
        ),
        bounds,
    )


def resume_search_triggers(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DELETE FROM {BULK_FLAG_TABLE}")
