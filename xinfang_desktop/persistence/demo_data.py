"""`generate_demo`: realistic synthetic cases for demonstrations and speed tests (`xinfang demo`).

Bulk path: a producer thread builds batches of rows (deterministic for a seed) while the caller's thread
writes the previous batch with Core `insert()` in its own transaction. On SQLite each transaction sets the
`search_bulk_mode` flag (the per-row search triggers stand aside), inserts, syncs both FTS tables with one
`INSERT … SELECT` over the batch's id range, clears the flag and advances `number_sequences`; a committed
batch is therefore always complete and searchable. On PostgreSQL the pg_trgm indexes keep themselves.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.demo_rows import BatchRows, DemoSetup, generate_batches, plan_days
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
    UnitRecord,
)
from xinfang_desktop.persistence.reference_data import load_example_county, seed_reference_data
from xinfang_desktop.persistence.search_schema import BIGRAM_TABLE, BULK_FLAG_TABLE, TRIGRAM_TABLE
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import ensure_user

MAX_CASES = 5_000_000
BATCH_SIZE = 20_000
DEMO_LOGIN = "demo"

_TABLES = (
    ("petitioners", PetitionerRecord),
    ("cases", CaseRecord),
    ("case_petitioners", CasePetitionerRecord),
    ("accused_units", AccusedUnitRecord),
    ("submissions", SubmissionRecord),
    ("events", CaseEventRecord),
    ("deadlines", CaseDeadlineRecord),
)


class DemoCancelled(Exception):
    """Raised inside the producer when the consumer stopped early."""


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
    )


def _write_batch(conn: Connection, batch: BatchRows, sqlite: bool) -> None:
    if sqlite:
        conn.exec_driver_sql(f"INSERT INTO {BULK_FLAG_TABLE} (flag) VALUES (1)")
    for key, record in _TABLES:
        rows = batch.rows[key]
        if rows:
            conn.execute(insert(record), rows)
    if sqlite:
        bounds = {"lo": batch.first_case_id, "hi": batch.last_case_id}
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
        conn.exec_driver_sql(f"DELETE FROM {BULK_FLAG_TABLE}")
    for year, last in sorted(batch.sequences.items()):
        conn.execute(
            text(
                "INSERT INTO number_sequences (kind, year, last_value) VALUES ('case', :year, :last) "
                "ON CONFLICT (kind, year) DO UPDATE SET last_value = excluded.last_value"
            ),
            {"year": year, "last": last},
        )


def _fix_pg_sequences(conn: Connection) -> None:
    """Explicit ids do not advance PostgreSQL's sequences; move them past the highest id."""
    for table in ("cases", "petitioners"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        )


def _produce(
    setup: DemoSetup, cases: int, seed: int, today: date, out: queue.Queue[Any], stop: threading.Event
) -> None:
    try:
        for batch in generate_batches(setup, plan_days(cases, today, seed), seed, today, BATCH_SIZE):
            while True:
                if stop.is_set():
                    return
                try:
                    out.put(batch, timeout=0.2)
                    break
                except queue.Full:
                    continue
        out.put(None)
    except BaseException as exc:  # handed to the writer, which re-raises it
        out.put(exc)


def _batches(setup: DemoSetup, cases: int, seed: int, today: date, stop: threading.Event) -> Iterator[BatchRows]:
    """Batches from a producer thread: SQLite releases the GIL while it works, so the two overlap."""
    out: queue.Queue[Any] = queue.Queue(maxsize=2)
    worker = threading.Thread(target=_produce, args=(setup, cases, seed, today, out, stop), daemon=True)
    worker.start()
    try:
        while True:
            item = out.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def generate_demo(
    db: Database,
    cases: int,
    seed: int,
    *,
    today: date,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """Add `cases` synthetic cases (received over the ten years ending `today`) and return the row counts.

    The same seed on the same database state gives the same data. Cancelling keeps the batches already
    committed (each one complete, numbered and searchable) and reports `"cancelled": true`.
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
    stop = threading.Event()
    with db.write_engine.connect() as conn:
        if sqlite:  # a bigger page cache for index maintenance during the load, restored afterwards
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
            conn.commit()
        try:
            for batch in _batches(setup, cases, seed, today, stop):
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    break
                with conn.begin():
                    _write_batch(conn, batch, sqlite)
                for key, _ in _TABLES:
                    counts[key] += len(batch.rows[key])
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
                conn.commit()
    return {
        **counts,
        "reference": reference,
        "cancelled": cancelled,
        "first_case_id": setup.next_case_id if done else None,
        "last_case_id": setup.next_case_id + done - 1 if done else None,
        "seconds": round(time.perf_counter() - started, 2),
    }
