"""Database guards that make the event and audit tables append-only (R-LC-04): UPDATE and DELETE abort; a forged
INSERT into the audit log aborts; the check that every guard is still there and still aborts (issue 17)."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

APPEND_ONLY_TABLES = ("case_events", "audit_entries")

# The audit log's INSERT guard: the program appends entries with the next id and a 64-digit MAC
# (audit_chain.append_entries); a row without a MAC, with a MAC of another length, or out of sequence (an id taken
# from the past, a gap) aborts. A forgery that gets past it — the right id and 64 hex digits — fails the chain check.
# Created by the migration of this revision; a database before it has no INSERT guard and none is expected.
INSERT_GUARD_REVISION = "0018"
INSERT_GUARD = "audit_entries_no_forged_insert"
_INSERT_GUARD_MESSAGE = "audit_entries: entries are appended by the program only"
_SQLITE_INSERT_GUARD = (
    f"CREATE TRIGGER {INSERT_GUARD} BEFORE INSERT ON audit_entries "
    "WHEN NEW.mac IS NULL OR length(NEW.mac) != 64 OR NEW.id IS NULL "
    "OR NEW.id != (SELECT coalesce(max(id), 0) + 1 FROM audit_entries) "
    f"BEGIN SELECT RAISE(ABORT, '{_INSERT_GUARD_MESSAGE}'); END"
)
_PG_INSERT_FUNCTION = "xinfang_audit_insert_guard"
_PG_INSERT_GUARD_BODY = (
    "BEGIN IF NEW.mac IS NULL OR length(NEW.mac) <> 64 OR NEW.id IS DISTINCT FROM "
    "(SELECT coalesce(max(id), 0) + 1 FROM audit_entries) THEN "
    f"RAISE EXCEPTION USING MESSAGE = '{_INSERT_GUARD_MESSAGE}'; END IF; RETURN NEW; END"
)


def create_append_only_guards(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for op in ("UPDATE", "DELETE"):
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        return
    conn.exec_driver_sql(
        """CREATE OR REPLACE FUNCTION xinfang_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END $$"""
    )
    for table in APPEND_ONLY_TABLES:
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION xinfang_append_only()"
        )


def drop_append_only_guards(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for op in ("update", "delete"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
        return
    for table in APPEND_ONLY_TABLES:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    conn.exec_driver_sql("DROP FUNCTION IF EXISTS xinfang_append_only()")


def create_insert_guard(conn: Connection) -> None:
    """The audit log's INSERT guard (the migration of INSERT_GUARD_REVISION calls this)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(_SQLITE_INSERT_GUARD)
        return
    conn.exec_driver_sql(
        f"CREATE OR REPLACE FUNCTION {_PG_INSERT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"{_PG_INSERT_GUARD_BODY} $$"
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER {INSERT_GUARD} BEFORE INSERT ON audit_entries "
        f"FOR EACH ROW EXECUTE FUNCTION {_PG_INSERT_FUNCTION}()"
    )


def drop_insert_guard(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {INSERT_GUARD}")
        return
    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {INSERT_GUARD} ON audit_entries")
    conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {_PG_INSERT_FUNCTION}()")


def expects_insert_guard(conn: Connection) -> bool:
    """Whether the database's schema revision includes the INSERT guard."""
    if not inspect(conn).has_table("alembic_version"):  # never migrated (a failed query would end a PG transaction)
        return False
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return revision is not None and str(revision).isdigit() and str(revision) >= INSERT_GUARD_REVISION


def expected_triggers(dialect: str, *, insert_guard: bool = False) -> list[str]:
    """The names of the guards every database must have."""
    if dialect == "sqlite":
        names = [f"{table}_no_{op}" for table in APPEND_ONLY_TABLES for op in ("update", "delete")]
    else:
        names = [f"{table}_append_only" for table in APPEND_ONLY_TABLES]
    return [*names, INSERT_GUARD] if insert_guard else names


def _normal(sql: object) -> str:
    return " ".join(str(sql or "").upper().split())


def missing_triggers(conn: Connection) -> list[str]:
    """Guards dropped, disabled or replaced by something that no longer aborts (issue 17: DROP TRIGGER detection)."""
    insert_guard = expects_insert_guard(conn)
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        present = {
            name: (table, " ".join(str(sql or "").upper().split())) for name, table, sql in rows
        }  # fmt: skip
        missing = []
        for table in APPEND_ONLY_TABLES:
            for op in ("UPDATE", "DELETE"):
                name = f"{table}_no_{op.lower()}"
                found = present.get(name)
                intact = (
                    found is not None
                    and found[0] == table
                    and f"BEFORE {op} ON {table.upper()}" in found[1]
                    and "RAISE(ABORT" in found[1].replace(" ", "")
                    and " WHEN " not in found[1]
                )
                if not intact:
                    missing.append(name)
        found = present.get(INSERT_GUARD)
        if insert_guard and (found is None or found[1] != _normal(_SQLITE_INSERT_GUARD)):
            missing.append(INSERT_GUARD)
        return missing
    # tgtype bits: 1 row, 2 before, 8 delete, 16 update; tgenabled 'D' = disabled.
    rows = conn.exec_driver_sql(
        """SELECT t.tgname, c.relname, t.tgtype, t.tgenabled, p.proname, p.prosrc
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema())"""
    )
    found_pg = {str(r[0]): r for r in rows}
    missing = []
    for table in APPEND_ONLY_TABLES:
        name = f"{table}_append_only"
        r = found_pg.get(name)
        intact = (
            r is not None
            and r[1] == table
            and int(r[2]) & 27 == 27
            and str(r[3]) != "D"
            and r[4] == "xinfang_append_only"
            and "RAISE EXCEPTION" in str(r[5]).upper()
        )
        if not intact:
            missing.append(name)
    r = found_pg.get(INSERT_GUARD)
    # tgtype 1 row | 2 before | 4 insert
    intact = (
        r is not None
        and r[1] == "audit_entries"
        and int(r[2]) & 7 == 7
        and str(r[3]) != "D"
        and r[4] == _PG_INSERT_FUNCTION
        and _normal(r[5]) == _normal(_PG_INSERT_GUARD_BODY)
    )
    if insert_guard and not intact:
        missing.append(INSERT_GUARD)
    return missing
