"""Ledger speed on a large demo database: pages, counts, search and bulk registration, each beside a raw-sqlite3 floor.

Usage:  .venv/bin/python benchmarks/bench_ledger.py [--db bench-data/ledger.sqlite3] [--cases 1000000] [--reps 7]
The database is built with `xinfang demo` when it does not exist. Figures are medians in milliseconds; the floor
is the same SQL text run through the stdlib sqlite3 module on its own connection, so the ratio is our overhead.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from xinfang_desktop.core.codes import CaseStatus, Channel
from xinfang_desktop.core.ledger import Cursor, LedgerFilter, LedgerPageRequest, SortKey
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.ledger_queries import (
    _ordered_ids_select,
    _row_select,
    filter_conditions,
    ledger_count,
    ledger_page,
)
from xinfang_desktop.persistence.records import CaseRecord

TODAY = date(2026, 11, 22)


def median_ms(fn: Callable[[], Any], reps: int) -> float:
    fn()  # warm the cache and the statement cache
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def raw_sql(session: Any, stmt: Any) -> str:
    return str(stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))


def build(path: Path, cases: int) -> None:
    print(f"building {cases:,} demo cases in {path} …", flush=True)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "xinfang_desktop", "demo", "--cases", str(cases), "--db", str(path), "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"  demo --cases {cases:,}: {time.perf_counter() - t:.1f} s", flush=True)


def report(name: str, ours: float, floor: float | None, target: float | None) -> None:
    ratio = f"{ours / floor:6.1f}x" if floor else "      "
    floor_text = f"{floor:8.2f}" if floor is not None else "        "
    verdict = "" if target is None else ("  ok" if ours <= target else f"  OVER {target:g} ms")
    print(f"{name:<48} {ours:8.2f} {floor_text} {ratio}{verdict}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="bench-data/ledger.sqlite3")
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--register", type=int, default=100_000, help="cases to register through the service layer")
    args = ap.parse_args()
    path = Path(args.db)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        build(path, args.cases)
    db = open_database(path)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA cache_size=-65536")
    with db.read_session() as s:
        total = ledger_count(s, LedgerFilter())
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(f"database: {path} — {total:,} cases, {size / 1e6:,.0f} MB, {size / max(total, 1):,.0f} bytes per case")
    print(f"SQLite {sqlite3.sqlite_version}; medians of {args.reps} runs\n")
    print(f"{'query':<48} {'ours ms':>8} {'raw ms':>8} {'ratio':>7}")

    with db.read_session() as s:
        mid = s.execute(
            select(CaseRecord.received_on, CaseRecord.id)
            .order_by(CaseRecord.received_on.desc(), CaseRecord.id.desc())
            .offset(total // 2)
            .limit(1)
        ).one()
        due_mid = s.execute(
            select(CaseRecord.due_on, CaseRecord.id)
            .where(CaseRecord.due_on.is_not(None))
            .order_by(CaseRecord.due_on, CaseRecord.id)
            .offset(1000)
            .limit(1)
        ).first()

        def page(req: LedgerPageRequest) -> Callable[[], Any]:
            return lambda: ledger_page(s, req)

        def floor(req: LedgerPageRequest) -> Callable[[], Any]:
            # The same keyset page with the same columns (the row's joins and the principal petitioner), as one
            # statement through the stdlib driver: what a page cannot cost less than (issue 19).
            base = _row_select()
            stmt = _ordered_ids_select(req, filter_conditions(s, req.filter), False, base).limit(req.limit)
            sql = raw_sql(s, stmt)
            return lambda: raw.execute(sql).fetchall()

        pages = {
            "page 1, newest received": LedgerPageRequest(LedgerFilter(), SortKey.RECEIVED, True),
            "page at the middle, received (keyset)": LedgerPageRequest(
                LedgerFilter(), SortKey.RECEIVED, True, 50, Cursor(mid.received_on.isoformat(), mid.id)
            ),
            "page 1, oldest received": LedgerPageRequest(LedgerFilter(), SortKey.RECEIVED, False),
            "page 1, latest submission": LedgerPageRequest(LedgerFilter(), SortKey.LAST_RECEIVED, True),
            "page 1, due soonest": LedgerPageRequest(LedgerFilter(), SortKey.DUE, False),
            "page 1, by number": LedgerPageRequest(LedgerFilter(), SortKey.NUMBER, True),
            "page 1, status 受理": LedgerPageRequest(LedgerFilter(statuses=(CaseStatus.ACCEPTED,))),
            "page 1, channel 来访": LedgerPageRequest(LedgerFilter(channel=Channel.VISIT)),
        }
        if due_mid is not None:
            pages["page after 1,000, due (keyset)"] = LedgerPageRequest(
                LedgerFilter(), SortKey.DUE, False, 50, Cursor(due_mid.due_on.isoformat(), due_mid.id)
            )
        for name, req in pages.items():
            report(name, median_ms(page(req), args.reps), median_ms(floor(req), args.reps), 20)

        year_from = TODAY.replace(month=1, day=1)
        counts = {
            "count, all": LedgerFilter(),
            "count, status 受理": LedgerFilter(statuses=(CaseStatus.ACCEPTED,)),
            "count, received this year": LedgerFilter(received_from=year_from),
            "count, channel 来访": LedgerFilter(channel=Channel.VISIT),
        }
        for name, flt in counts.items():
            ours = median_ms(lambda flt=flt: ledger_count(s, flt), args.reps)
            report(name, ours, None, 20)

        print()
        from xinfang_desktop.core.queues import QUEUES, queue_filter
        from xinfang_desktop.persistence.calendar_store import load_calendar

        calendar = load_calendar(db)
        for q in QUEUES:
            flt = queue_filter(q.name, today=TODAY, calendar=calendar, user_id=1)
            req = LedgerPageRequest(flt, q.sort, q.descending)
            report(f"queue {q.name}: first page", median_ms(page(req), args.reps), median_ms(floor(req), args.reps), 20)
            report(f"queue {q.name}: count", median_ms(lambda flt=flt: ledger_count(s, flt), args.reps), None, 20)

        print()
        for term in ["拖欠农民工", "征地拆迁补偿", "物业纠纷", "环境污染", "不存在的词语"]:
            flt = LedgerFilter(search=term)
            req = LedgerPageRequest(flt)
            report(
                f"search {term!r}: first page", median_ms(page(req), args.reps), median_ms(floor(req), args.reps), 50
            )
            report(f"search {term!r}: hit count", median_ms(lambda flt=flt: ledger_count(s, flt), args.reps), None, 100)
        # Three different two-character names (a LIMIT 3 on the first rows gave the same common name three times).
        names = [
            r[0]
            for r in raw.execute(
                "SELECT name FROM petitioners WHERE length(name) = 2 GROUP BY name ORDER BY min(id) LIMIT 3"
            )
        ]
        for term in [*names, "拆迁", "张"]:
            flt = LedgerFilter(search=term)
            req = LedgerPageRequest(flt)
            report(
                f"search {term!r}: first page", median_ms(page(req), args.reps), median_ms(floor(req), args.reps), 100
            )
            report(f"search {term!r}: hit count", median_ms(lambda flt=flt: ledger_count(s, flt), args.reps), None, 100)
    db.dispose()
    raw.close()
    if args.register:
        print()
        bench_registration(args.register)


def _intake(rng: random.Random, i: int) -> dict[str, Any]:
    surname = rng.choice("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
    given = "".join(rng.choice("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚") for _ in range(rng.choice((1, 2))))
    received = TODAY - timedelta(days=rng.randrange(0, 3650))
    return {
        "petitioner": {"name": surname + given, "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"},
        "channel": rng.choice(["来信", "来访", "网上信访", "电话"]),
        "received_on": received.isoformat(),
        "purpose": rng.choice(["求决", "意见建议", "申诉"]),
        "summary": rng.choice(["反映征地拆迁补偿款未足额发放", "反映拖欠农民工工资", "反映物业纠纷"]) + f"，第{i}号。",
        "headcount": 1,
    }


def bench_registration(n: int) -> None:
    from xinfang_desktop.persistence.case_intake import import_cases

    rng = random.Random(1)
    items = [_intake(rng, i) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "register.sqlite3")
        batch = 10_000
        t = time.perf_counter()
        for start in range(0, n, batch):
            import_cases(db, items[start : start + batch], today=TODAY)
        elapsed = time.perf_counter() - t
        db.dispose()
    rate = n / elapsed
    verdict = "ok" if rate >= 2000 else "UNDER 2,000/s"
    print(
        f"register {n:,} cases through the service layer (batches of {batch:,}): "
        f"{elapsed:.1f} s, {rate:,.0f} cases/s  {verdict}"
    )


if __name__ == "__main__":
    main()
