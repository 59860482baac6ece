"""`generate_demo`: realistic synthetic cases for demonstrations and speed tests (`xinfang demo`).

Bulk path: a producer thread builds batches of rows (deterministic for a seed) while the caller's thread
writes the previous batch with Core `insert()` in its own transaction. On SQLite each transaction sets the
`search_bulk_mode` flag (the per-row search triggers stand aside), inserts, syncs both FTS tables with one
`INSERT … SELECT` over the batch's id range, clears the flag and advances `number_sequences`; a committed
batch is therefore always complete and searchable. On PostgreSQL the pg_trgm indexes keep themselves.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from xinfang_desktop.persistence import warning_index
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.demo_rows import BatchRows, DemoSetup, generate_batches, produce_batches
from xinfang_desktop.persistence.records import (
    AccusedUnitRecord,
    CaseDeadlineRecord,
    CaseEventRecord,
    CasePetitionerRecord,
    CaseRecord,
    CategoryRecord,
    NumberSequenceRecord,
    PetitionerRecord,
    RegionRecord,
    SubmissionRecord,
    SupervisionOrderRecord,
    UnitRecord,
)
from xinfang_desktop.persistence.reference_data import load_example_county, seed_reference_data
from xinfang_desktop.persistence.rule_profile_store import selected_profile
from xinfang_desktop.persistence.search_schema import (
    BIGRAM_TABLE,
    TRIGRAM_TABLE,
    resume_search_triggers,
    suspend_search_triggers,
    sync_search_range,
)
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import ensure_user

log = logging.getLogger(__name__)

MAX_CASES = 5_000_000
BATCH_SIZE = 20_000
PARALLEL_FROM = 50_000
FTS_BULK_HASHSIZE = 64 * 1024 * 1024
FTS_DEFAULT_HASHSIZE = 1024 * 1024
DEMO_LOGIN = "demo"

_TABLES = (
    ("petitioners", PetitionerRecord),
    ("cases", CaseRecord),
    ("case_petitioners", CasePetitionerRecord),
    ("accused_units", AccusedUnitRecord),
    ("submissions", SubmissionRecord),
    ("events", CaseEventRecord),
    ("deadlines", CaseDeadlineRecord),
    ("orders", SupervisionOrderRecord),
)


def _setup(db: Database, today: date) -> DemoSetup:
    """Read what the generator needs: places, units, categories, number format, next ids and counters."""
    county = load_example_county()
    county_code = county["county"]
    now = datetime.combine(today, datetime.min.time()).replace(hour=8)
    with db.write_session() as session:
        registrar = ensure_user(session, DEMO_LOGIN, now)
        settings = SqlSettings(session)
        prefix = str(settings.get("case_number_prefix"))
        fmt = str(settings.get("case_number_format"))
    with db.read_session() as session:
        regions = {
            code: (name, level, parent)
            for code, name, level, parent in session.execute(
                select(RegionRecord.code, RegionRecord.name, RegionRecord.level, RegionRecord.parent_code)
            )
        }
        units = {name: int(uid) for uid, name in session.execute(select(UnitRecord.id, UnitRecord.name))}
        categories = set(session.scalars(select(CategoryRecord.code)))
        sequences = {
            int(year): int(last)
            for year, last in session.execute(
                select(NumberSequenceRecord.year, NumberSequenceRecord.last_value).where(
                    NumberSequenceRecord.kind == "case"
                )
            )
        }
        next_case = int(session.scalar(select(func.max(CaseRecord.id))) or 0) + 1
        next_person = int(session.scalar(select(func.max(PetitionerRecord.id))) or 0) + 1
    calendar = load_calendar(db)
    holiday_years = tuple(y for y in map(calendar.holiday_year, calendar.known_years()) if y is not None)
    villages: list[tuple[str, str, str, int | None]] = []
    for code, (name, level, parent) in sorted(regions.items()):
        if level != "village" or not code.startswith(county_code) or parent not in regions:
            continue
        township = regions[parent][0]
        gov = units.get(township + ("办事处" if township.endswith("街道") else "人民政府"))
        villages.append((code, name, township, gov))
    if not villages:
        raise RuntimeError("示例县没有村（社区）：请先运行 xinfang reference seed")
    return DemoSetup(
        county_name=regions.get(county_code, ("示范县", "", None))[0],
        villages=villages,
        units=units,
        categories=categories,
        registrar_id=registrar,
        prefix=prefix,
        number_format=fmt,
        sequences=sequences,
        next_case_id=next_case,
        next_petitioner_id=next_person,
        now=now,
        holiday_years=holiday_years,
        profile=selected_profile(db),
    )


def _insert_sql(conn: Connection, record: Any, columns: tuple[str, ...]) -> str:
    """The Core `insert()` of these columns compiled for the connection's dialect (qmark/positional)."""
    compiled = insert(record).compile(dialect=conn.dialect, column_keys=list(columns))
    if compiled.positiontup is None or list(compiled.positiontup) != list(columns):
        # A column with a Python-side default was added to the table: the generator must fill it.
        missing = [c for c in compiled.positiontup or () if c not in columns]
        raise RuntimeError(f"demo rows for {record.__tablename__} lack columns {missing}")
    return compiled.string


def _write_batch(conn: Connection, batch: BatchRows, sqlite: bool, sql_cache: dict[str, str]) -> None:
    suspend_search_triggers(conn)
    for key, record in _TABLES:
        rows, columns = batch.tuples[key], batch.columns[key]
        if not rows:
            continue
        if sqlite:
            # Values are already in SQLAlchemy's SQLite storage form: one executemany through the driver
            # skips the per-row bind processing that makes Core inserts about half as fast.
            sql = sql_cache.get(key) or sql_cache.setdefault(key, _insert_sql(conn, record, columns))
            conn.exec_driver_sql(sql, rows)
        else:
            conn.execute(insert(record), [dict(zip(columns, row, strict=True)) for row in rows])
    sync_search_range(conn, batch.first_case_id, batch.last_case_id)
    resume_search_triggers(conn)
    for year, last in sorted(batch.sequences.items()):
        conn.execute(
            text(
                "INSERT INTO number_sequences (kind, year, last_value) VALUES ('case', :year, :last) "
                "ON CONFLICT (kind, year) DO UPDATE SET last_value = excluded.last_value"
            ),
            {"year": year, "last": last},
        )


def _fts_hashsize(conn: Connection, size: int) -> None:
    """FTS5 buffers this many bytes of new terms per table before writing a segment (default 1 MB).

    A big buffer during the load means fewer, larger segments and far less merging; it is set back after.
    """
    for table in (TRIGRAM_TABLE, BIGRAM_TABLE):
        conn.exec_driver_sql(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {int(size)})")


def _fix_pg_sequences(conn: Connection) -> None:
    """Explicit ids do not advance PostgreSQL's sequences; move them past the highest id."""
    for table in ("cases", "petitioners"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        )


def _batches(setup: DemoSetup, cases: int, seed: int, today: date, sqlite: bool, parallel: bool) -> Iterator[BatchRows]:
    """Packed batches, built in this process or (for big runs) in a child process that works while we write.

    Both give exactly the same rows: one generator, one seeded Random, in the same order.
    """
    if not parallel:
        yield from generate_batches(setup, cases, seed, today, BATCH_SIZE, sqlite)
        return
    ctx: Any = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    out: Any = ctx.Queue(maxsize=2)
    worker = ctx.Process(target=produce_batches, args=(setup, cases, seed, today, BATCH_SIZE, sqlite, out), daemon=True)
    worker.start()
    finished = False
    try:
        while True:
            item = out.get()
            if item is None:
                finished = True
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if not finished:
            worker.terminate()
        worker.join()
        out.close()


def generate_demo(
    db: Database,
    cases: int,
    seed: int,
    *,
    today: date,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    parallel: bool | None = None,
) -> dict[str, Any]:
    """Add `cases` synthetic cases (received over the ten years ending `today`) and return the row counts.

    The same seed on the same database state gives the same data. Cancelling keeps the batches already
    committed (each one complete, numbered and searchable) and reports `"cancelled": true`. `parallel`
    (default: from PARALLEL_FROM cases on) builds the rows in a child process while this one writes.
    """
    if not 1 <= cases <= MAX_CASES:
        raise ValueError(f"cases must be 1..{MAX_CASES}")
    started = time.perf_counter()
    reference = seed_reference_data(db)
    setup = _setup(db, today)
    sqlite = db.dialect == "sqlite"
    counts = {key: 0 for key, _ in _TABLES}
    done = 0
    cancelled = False
    sql_cache: dict[str, str] = {}
    use_process = cases >= PARALLEL_FROM if parallel is None else parallel
    with db.write_engine.connect() as conn:
        if sqlite:  # a bigger page cache for index maintenance during the load, restored afterwards
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
            _fts_hashsize(conn, FTS_BULK_HASHSIZE)
            conn.commit()
        try:
            for batch in _batches(setup, cases, seed, today, sqlite, use_process):
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    break
                with conn.begin():
                    _write_batch(conn, batch, sqlite, sql_cache)
                for key, _ in _TABLES:
                    counts[key] += len(batch.tuples[key])
                done += batch.last_case_id - batch.first_case_id + 1
                if progress is not None:
                    progress(done, cases)
            if not sqlite:
                with conn.begin():
                    _fix_pg_sequences(conn)
        finally:
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA cache_size=-65536")
                _fts_hashsize(conn, FTS_DEFAULT_HASHSIZE)
                conn.commit()
    # The rows above bypass the intake's per-case hooks: what `xinfang tick` records follows in one pass — the
    # warning-trigger index, backlog cases with their 一事双查 (R-CL-05), 三方会审 (R-BK-02), candidate accountability
    # grounds — as in live use.
    if cancelled:  # stop soon, but leave no stale index behind
        warning_index.ensure(db, force=True)
    else:
        from xinfang_desktop.persistence.accountability.detection import detect_candidates
        from xinfang_desktop.persistence.warnings_store import tick_warnings

        tick_warnings(db, today=today)
        detect_candidates(db, today=today)  # the candidate accountability grounds the ledger shows (R-AC-01)
        _prefill_statements(db, today)
    return {
        **counts,
        "reference": reference,
        "cancelled": cancelled,
        "first_case_id": setup.next_case_id if done else None,
        "last_case_id": setup.next_case_id + done - 1 if done else None,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _prefill_statements(db: Database, today: date) -> None:
    """This year's responsibility statements prefilled from last year's demo figures (R-RS-02), as an office
    starts its year; a profile without targets, or a demo without last year, leaves them to the clerk."""
    from xinfang_desktop.core.errors import DomainError
    from xinfang_desktop.persistence.statements.store import prefill

    try:
        # The generator writes as the installation (its command needs system.maintain), not as a 督办员.
        prefill.__wrapped__(db, today.year, today=today)  # type: ignore[attr-defined]
    except DomainError:
        log.info("demo: no responsibility statements prefilled", exc_info=True)
