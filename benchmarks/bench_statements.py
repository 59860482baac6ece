"""`statement progress` for all parties of a year (R-RS-02) on a given database: median of n in-process runs (both
halves in parallel, and sequentially), the whole CLI command once, and a raw-SQLite floor of the same counts.

    python benchmarks/bench_statements.py DB.sqlite3 [--year 2026] [--today 2026-12-02] [--runs 5]

The year must have statements (`xinfang statement prefill --year Y` on a copy first: it writes)."""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date

from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.statements.store import progress

_ACC = "('R-DL-01','R-DL-03','R-DL-12')"
_HND = "('R-DL-06','R-DL-13')"
_TWP = "CASE WHEN length(c.locality_code) >= 9 THEN substr(c.locality_code, 1, 9) END"


def _floor_sql(start: str, end: str, today: str) -> list[tuple[str, tuple[str, ...]]]:
    """The same five counts in hand-written SQL, grouped by (unit, township)."""
    state = (
        f"CASE WHEN d.met_on > d.due_on OR (d.met_on IS NULL AND d.due_on < '{today}') THEN 3 "
        "WHEN d.met_on IS NULL THEN 2 ELSE 1 END"
    )
    period = (start, end)
    return [
        (
            "SELECT u, t, count(*), sum(a IN (1,3)), sum(a = 1), sum(h IN (1,3)), sum(h = 1) FROM ("
            f"SELECT c.responsible_unit_id u, {_TWP} t, max(CASE WHEN d.rule_id IN {_ACC} THEN {state} END) a, "
            f"max(CASE WHEN d.rule_id IN {_HND} THEN {state} END) h FROM cases c LEFT JOIN case_deadlines d "
            f"ON d.case_id = c.id AND d.rule_id IN ('R-DL-01','R-DL-03','R-DL-12','R-DL-06','R-DL-13') "
            "WHERE c.received_on BETWEEN ? AND ? GROUP BY c.received_on, c.id) GROUP BY u, t",
            period,
        ),
        (
            f"SELECT c.responsible_unit_id, {_TWP}, count(*), "
            "sum(json_extract(e.details, '$.rating') IN ('满意','基本满意')) FROM cases c JOIN case_events e "
            "ON e.case_id = c.id AND e.action = 'rate' WHERE c.received_on BETWEEN ? AND ? "
            "AND json_extract(e.details, '$.stage') = 'opinion' "
            "AND json_extract(e.details, '$.rating') IN ('满意','基本满意','不满意') GROUP BY 1, 2",
            period,
        ),
        (
            f"SELECT c.responsible_unit_id, {_TWP}, count(*), "
            "sum(s.destination = 'to_capital' AND s.is_level_skipping) FROM submissions s JOIN cases c "
            "ON c.id = s.case_id WHERE s.received_on BETWEEN ? AND ? AND s.channel = 'visit' GROUP BY 1, 2",
            period,
        ),
        (
            "SELECT b.case_id, b.origin, b.detected_on, b.resolved_on FROM backlog_cases b WHERE b.detected_on <= ?",
            (end,),
        ),
        (
            f"SELECT DISTINCT c.responsible_unit_id, {_TWP}, cp.petitioner_id FROM cases c JOIN case_petitioners cp "
            "ON cp.case_id = c.id WHERE c.warning_met_on IS NOT NULL AND c.warning_met_on BETWEEN ? AND ?",
            period,
        ),
    ]


def _floor(path: str, start: str, end: str, today: str) -> float:
    con = sqlite3.connect(path)
    t = time.perf_counter()
    for sql, params in _floor_sql(start, end, today):
        con.execute(sql, params).fetchall()
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def _timed(db: object, year: int, today: date, runs: int, parallel: bool) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = progress(db, year, today=today, parallel=parallel)  # type: ignore[arg-type]
        times.append(time.perf_counter() - t)
        assert result["statements"], f"{year}年度尚无责任书：先在副本上运行 xinfang statement prefill --year {year}"
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--year", type=int, default=2026)
    ap.add_argument("--today", default="2026-12-02")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    today = date.fromisoformat(a.today)
    db = open_database(a.db)
    first = progress(db, a.year, today=today)
    targets = sum(len(s["targets"]) for s in first["statements"])
    print(f"{len(first['statements'])} statements, {targets} targets, {a.year} up to {a.today}")
    for parallel in (True, False):
        times = _timed(db, a.year, today, a.runs, parallel)
        label = "parallel halves" if parallel else "sequential"
        print(
            f"progress, all parties ({label}): median {statistics.median(times):.2f} s over {a.runs} "
            f"(min {min(times):.2f}, max {max(times):.2f})"
        )
    db.dispose()
    start, end = f"{a.year}-01-01", min(today, date(a.year, 12, 31)).isoformat()
    floors = [_floor(a.db, start, end, today.isoformat()) for _ in range(a.runs)]
    print(f"raw-SQLite floor of the same counts (sequential): median {statistics.median(floors):.2f} s")
    cli = [sys.executable, "-m", "xinfang_desktop", "statement", "progress", "--year", str(a.year)]
    cli += ["--today", a.today, "--db", a.db, "--json"]
    t = time.perf_counter()
    subprocess.run(cli, check=True, stdout=subprocess.DEVNULL, env=os.environ.copy())
    print(
        f"the whole command (`xinfang statement progress --json`, interpreter start included): "
        f"{time.perf_counter() - t:.2f} s"
    )


if __name__ == "__main__":
    main()
