"""Database guards that make the event and audit tables append-only (R-LC-04): UPDATE and DELETE abort; their check."""

from __future__ import annotations

from sqlalchemy import Connection

APPEND_ONLY_TABLES = ("case_events", "audit_entries")


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


def expected_triggers(dialect: str) -> list[str]:
    """The names of the guards every database must have."""
    if dialect == "sqlite":
        return [f"{table}_no_{op}" for table in APPEND_ONLY_TABLES for op in ("update", "delete")]
    return [f"{table}_append_only" for table in APPEND_ONLY_TABLES]


def missing_triggers(conn: Connection) -> list[str]:
    """Guards dropped, disabled or replaced by something that no longer aborts (issue 17: DROP TRIGGER detection)."""
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
    return missing
