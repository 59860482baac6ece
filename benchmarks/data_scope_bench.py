"""Data scope (issue 17) on a 100k-case demo database: the ledger's first and a deep page and the count, unscoped and
scoped to one township, to one unit (with the units under it) and to both;
full-text search page and count alike.

Usage:  .venv/bin/python benchmarks/data_scope_bench.py [--db bench-data/scope100k.sqlite3] [--cases 100000] [--reps 7]
The database is built with `xinfang demo` when it does not exist. Figures are medians in milliseconds; each scoped
figure is followed by its ratio to the unscoped one, and the query plan of the scoped first page is printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from xinfang_desktop.core.ledger import Cursor, LedgerFilter, LedgerPageRequest, SortKey
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.identity import Identity, set_acting
from xinfang_desktop.persistence.ledger_queries import (
    _ordered_ids_select,
    _row_select,
    filter_conditions,
    ledger_count,
    ledger_page,
)
from xinfang_desktop.persistence.records import CaseRecord, RegionRecord, UnitRecord


def median_ms(fn: Callable[[], Any], reps: int) -> float:
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def build(path: Path, cases: int) -> None:
    print(f"building {cases:,} demo cases in {path} …", flush=True)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "xinfang_desktop", "demo", "--cases", str(cases), "--db", str(path), "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"  demo: {time.perf_counter() - t:.1f} s", flush=True)


def _deep_cursor(session: Any, req: LedgerPageRequest, pages: int) -> Cursor | None:
    cursor = None
    for _ in range(pages):
        page = ledger_page(session, LedgerPageRequest(req.filter, req.sort, req.descending, req.limit, cursor))
        cursor = page.next_cursor
        if cursor is None:
            break
    return cursor


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="bench-data/scope100k.sqlite3")
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=7)
    args = ap.parse_args()
    path = Path(args.db)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        build(path, args.cases)
    db = open_database(path)
    with db.read_session() as s:
        total = int(s.scalar(select(func.count()).select_from(CaseRecord)) or 0)
        # The busiest township and the county department with most cases under it (its own and its sub-units').
        township = s.execute(
            select(RegionRecord.code, RegionRecord.name, func.count())
            .join(CaseRecord, CaseRecord.locality_code.startswith(RegionRecord.code))
            .where(RegionRecord.level == "township")
            .group_by(RegionRecord.code, RegionRecord.name)
            .order_by(func.count().desc())
        ).first()
        unit = s.execute(
            select(UnitRecord.name, func.count())
            .join(CaseRecord, CaseRecord.responsible_unit_id == UnitRecord.id)
            .where(UnitRecord.name.like("示范县%局"))
            .group_by(UnitRecord.name)
            .order_by(func.count().desc())
        ).first()
    assert township is not None and unit is not None
    code, tname, _ = township
    uname = str(unit[0])
    print(f"{total:,} cases; township {code} {tname}; unit {uname}")
    scopes: list[tuple[str, Identity | None]] = [
        ("unscoped", None),
        ("township", Identity.of("b", "b", ("reviewer",), (str(code),))),
        ("unit", Identity.of("b", "b", ("reviewer",), (), (uname,))),
        ("township+unit", Identity.of("b", "b", ("reviewer",), (str(code),), (uname,))),
    ]
    first = LedgerPageRequest(LedgerFilter(), SortKey.RECEIVED, True, 50)
    by_due = LedgerPageRequest(LedgerFilter(), SortKey.DUE, False, 50)
    search = LedgerFilter(search="补偿")
    base: dict[str, float] = {}
    print(f"{'measure':<34}" + "".join(f"{name:>16}" for name, _ in scopes))
    rows: dict[str, list[str]] = {}
    counts: list[str] = []
    plans: dict[str, list[str]] = {}
    for name, identity in scopes:
        set_acting(identity)
        with db.read_session() as s:
            deep = _deep_cursor(s, first, 20)
            deep_req = LedgerPageRequest(first.filter, first.sort, first.descending, first.limit, deep)
            measures: dict[str, Callable[[], Any]] = {
                "ledger page 1 (received desc)": lambda: ledger_page(s, first),
                "ledger page 21 (keyset cursor)": lambda r=deep_req: ledger_page(s, r),  # type: ignore[misc]
                "ledger page 1 (due asc)": lambda: ledger_page(s, by_due),
                "ledger count": lambda: ledger_count(s, LedgerFilter()),
                "search page 1 “补偿”": lambda: ledger_page(s, LedgerPageRequest(search, SortKey.RECEIVED, True, 50)),
                "search count “补偿”": lambda: ledger_count(s, search),
            }
            for label, fn in measures.items():
                ms = median_ms(fn, args.reps)
                if name == "unscoped":
                    base[label] = ms
                    cell = f"{ms:9.2f}      "
                else:
                    cell = f"{ms:9.2f} {ms / base[label]:4.1f}x"
                rows.setdefault(label, []).append(f"{cell:>16}")
            counts.append(f"{name}={ledger_count(s, LedgerFilter()):,}")
            if identity is not None:
                stmt = _ordered_ids_select(first, filter_conditions(s, first.filter), False, _row_select()).limit(50)
                sql = str(stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
                plans[name] = [str(r[-1]) for r in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    for label, cells in rows.items():
        print(f"{label:<34}" + "".join(cells))
    print("cases visible: " + ", ".join(counts))
    for name, plan in plans.items():
        print(f"plan of the first page, scoped to {name}:")
        for line in plan:
            print("   ", line)
    set_acting(None)
    db.dispose()


if __name__ == "__main__":
    main()
