"""The daily clock of issue 19 on a large database: `xinfang tick` one day ahead, a no-op second run, `warn scan`.

    python benchmarks/bench_tick.py DB.sqlite3 [--today 2026-12-02] [--runs 3] [--workdir /tmp/bench_tick]

DB is left untouched (schema 0013 or later; upgrade a copy first with `xinfang db upgrade --db COPY`). The script
copies it once and runs the catch-up tick for `--today` (default: the latest receipt date, the demo's today; the demo
leaves lapsed windows for the tick to close), then for each run copies that state afresh and measures, in-process:

- `tick` for the next day (the lifecycle clocks `tick_all`, then `tick_warnings` and `detect_candidates` as the
  command runs them), and the command itself (`xinfang tick --json`, start-up included) on another fresh copy;
- the no-op second run on the same day (the same parts, and the command);
- `warn scan` (idempotent: repeated on the same copy).

Floors (raw sqlite3, same run): selecting the due cases by `ix_cases_tick_due` (ids and the columns the tick reads
first) for each tick; counting the R-WS-01 candidates and reading the first 50 by `ix_cases_warning_met_on` for the
scan. Prints medians over the runs and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from xinfang_desktop.persistence.accountability.detection import detect_candidates
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.lifecycle_store import tick_all
from xinfang_desktop.persistence.warnings_store import scan, tick_warnings

FIRST = 50


def _copy(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    # Settle the copy on disk first: otherwise the tick's first commit (fsync, synchronous=FULL) pays for writing the
    # gigabytes of the fresh copy, which a database in use does not have pending.
    fd = os.open(dst, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return dst


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def _tick_parts(path: Path, today: date) -> dict[str, Any]:
    """The parts of `xinfang tick` (lifecycle_cmd._tick), each timed, in one process with the database open."""
    db = open_database(path, create=False)
    try:
        clocks_s, clocks = _timed(lambda: tick_all(db, today=today))
        warn_s, _ = _timed(lambda: tick_warnings(db, today=today, repair=False, first=FIRST))
        acc_s, _ = _timed(lambda: detect_candidates(db, today=today))
    finally:
        db.dispose()
    return {
        "clocks": clocks_s,
        "warnings": warn_s,
        "accountability": acc_s,
        "total": clocks_s + warn_s + acc_s,
        "examined": clocks["examined"],
        "changed": clocks["changed"],
    }


def _command(path: Path, today: date) -> float:
    exe = Path(sys.executable).with_name("xinfang")
    t = time.perf_counter()
    subprocess.run(
        [str(exe), "tick", "--db", str(path), "--today", today.isoformat(), "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t


def _floor_due(path: Path, today: date) -> float:
    con = sqlite3.connect(path)
    t = time.perf_counter()
    ids = [
        r[0]
        for r in con.execute(
            "SELECT id FROM cases WHERE tick_due_on IS NOT NULL AND tick_due_on <= ?", (today.isoformat(),)
        )
    ]
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        marks = ",".join("?" * len(chunk))
        con.execute(f"SELECT id, number, status, tick_due_on FROM cases WHERE id IN ({marks})", chunk).fetchall()
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def _floor_scan(path: Path, today: date) -> float:
    con = sqlite3.connect(path)
    t = time.perf_counter()
    met = (
        "FROM cases c WHERE c.warning_met_on IS NOT NULL AND c.warning_met_on <= ? "
        "AND NOT EXISTS (SELECT 1 FROM warning_slips s WHERE s.case_id = c.id)"
    )
    con.execute(f"SELECT count(*) {met}", (today.isoformat(),)).fetchone()
    con.execute(f"SELECT c.id {met} ORDER BY c.warning_met_on, c.id LIMIT {FIRST}", (today.isoformat(),)).fetchall()
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def _latest_receipt(path: Path) -> date:
    con = sqlite3.connect(path)
    (value,) = con.execute("SELECT max(received_on) FROM cases").fetchone()
    con.close()
    return date.fromisoformat(value)


def _line(name: str, times: list[float], floors: list[float]) -> None:
    m, f = statistics.median(times), statistics.median(floors)
    print(f"{name:<34} median {m:8.3f} s   floor {f * 1000:8.1f} ms   ratio {m / f:7.0f}x   (n={len(times)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path)
    ap.add_argument("--today", type=date.fromisoformat)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench_tick"))
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    base = _copy(a.db, a.workdir / "base.sqlite3")
    today = a.today or _latest_receipt(base)
    tomorrow = today + timedelta(days=1)
    catch_up = _tick_parts(base, today)
    print(
        f"catch-up tick {today} (once): {catch_up['total']:.2f} s — clocks {catch_up['clocks']:.2f} s, "
        f"{catch_up['examined']} examined, {catch_up['changed']} changed"
    )
    parts: dict[str, list[float]] = {}
    floors: dict[str, list[float]] = {"day": [], "noop": [], "scan": []}
    work = a.workdir / "run.sqlite3"
    for run in range(a.runs):
        _copy(base, work)
        floors["day"].append(_floor_due(work, tomorrow))
        day = _tick_parts(work, tomorrow)
        floors["noop"].append(_floor_due(work, tomorrow))
        noop = _tick_parts(work, tomorrow)
        floors["scan"].append(_floor_scan(work, tomorrow))
        db = open_database(work, create=False)
        scan_s, found = _timed(lambda db=db: scan(db, today=tomorrow, repair=False, first=FIRST))
        db.dispose()
        _copy(base, work)
        day_cmd = _command(work, tomorrow)
        noop_cmd = _command(work, tomorrow)
        for key, value in (
            ("day", day["total"]),
            ("day.clocks", day["clocks"]),
            ("day.warnings", day["warnings"]),
            ("day.accountability", day["accountability"]),
            ("day.command", day_cmd),
            ("noop", noop["total"]),
            ("noop.clocks", noop["clocks"]),
            ("noop.warnings", noop["warnings"]),
            ("noop.accountability", noop["accountability"]),
            ("noop.command", noop_cmd),
            ("scan", scan_s),
        ):
            parts.setdefault(key, []).append(value)
        print(
            f"run {run + 1}: day {day['total']:.2f} s ({day['changed']} of {day['examined']} changed), "
            f"no-op {noop['total']:.2f} s ({noop['examined']} examined), scan {scan_s:.2f} s "
            f"({found['counts']['candidates']} candidates), commands {day_cmd:.2f} / {noop_cmd:.2f} s"
        )
    floor_note = "floors: raw sqlite3, ix_cases_tick_due / warning index"
    print(f"\n{today} → {tomorrow}, medians over {a.runs} runs ({floor_note})")
    for key in ("day", "day.clocks", "day.warnings", "day.accountability", "day.command"):
        _line(f"tick one day ahead: {key}", parts[key], floors["day"])
    for key in ("noop", "noop.clocks", "noop.warnings", "noop.accountability", "noop.command"):
        _line(f"tick no-op: {key}", parts[key], floors["noop"])
    _line("warn scan", parts["scan"], floors["scan"])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
        Path(f"{base}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
