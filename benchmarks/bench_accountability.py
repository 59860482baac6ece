"""Candidate detection (R-AC-01) as `xinfang tick` runs it, on a given database: the first run (stores every finding),
then repeated no-op runs (nothing new), with medians; and a raw-SQLite floor of the same indexed reads.

    python benchmarks/bench_accountability.py DB.sqlite3 [--today 2026-12-02] [--runs 5]

Run it on a copy: the first run writes the candidates."""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from datetime import date, timedelta

from xinfang_desktop.persistence.accountability.detection import detect_candidates
from xinfang_desktop.persistence.database import open_database


def _floor(path: str, today: date) -> float:
    """The same three indexed reads in raw SQLite, rows fetched, no Python objects built."""
    con = sqlite3.connect(path)
    t = time.perf_counter()
    cut = (today - timedelta(days=30)).isoformat()
    since = (today - timedelta(days=366)).isoformat()
    con.execute(
        "SELECT d.id, d.case_id, c.number FROM case_deadlines d JOIN cases c ON c.id = d.case_id "
        "WHERE d.met_on IS NULL AND d.due_on < ? AND d.rule_id IN ('R-DL-01','R-DL-02','R-DL-03','R-DL-12')",
        (today.isoformat(),),
    ).fetchall()
    con.execute(
        "SELECT d.id FROM case_deadlines d WHERE d.met_on IS NULL AND d.due_on <= ? "
        "AND d.rule_id IN ('R-DL-06','R-DL-09','R-DL-11','R-DL-13')",
        (cut,),
    ).fetchall()
    con.execute("SELECT d.id FROM case_deadlines d WHERE d.met_on >= ? AND d.met_on > d.due_on", (since,)).fetchall()
    con.execute(
        "SELECT s.id FROM supervision_orders s WHERE s.closed_on IS NULL AND s.due_on < ?", (today.isoformat(),)
    ).fetchall()
    con.execute("SELECT key FROM accountability_candidates").fetchall()
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--today", default="2026-12-02")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    today = date.fromisoformat(a.today)
    db = open_database(a.db)
    t = time.perf_counter()
    first = detect_candidates(db, today=today)
    first_s = time.perf_counter() - t
    print(f"first run: {first_s:.2f} s, added {first['added']} {first['by_kind']}")
    times = []
    for _ in range(a.runs):
        t = time.perf_counter()
        again = detect_candidates(db, today=today)
        times.append(time.perf_counter() - t)
        assert again["added"] == 0
    floors = [_floor(a.db, today) for _ in range(a.runs)]
    med, floor = statistics.median(times), statistics.median(floors)
    print(f"no-op run: median {med:.2f} s over {a.runs} (min {min(times):.2f}, max {max(times):.2f})")
    print(f"raw-SQLite floor of the reads: median {floor:.2f} s; ratio {med / floor:.1f}x")
    db.dispose()


if __name__ == "__main__":
    main()
