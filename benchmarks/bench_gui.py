"""GUI start-up and first ledger rows, measured through the smoke mode on a given (demo) database.

    .venv/bin/python benchmarks/bench_gui.py --db demo.sqlite3 [--runs 7]

Prints the medians of: process wall time until exit, `startup_ms` (process start → window shown with the
database open) and `first_rows_ms` (ledger opened → first page in the model and painted), as reported by
`xinfang gui --smoke --json`. Runs offscreen when there is no display.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def one_run(db: str) -> dict[str, float]:
    env = dict(os.environ)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory() as data:
        env["XINFANG_DATA_DIR"] = data
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "xinfang_desktop", "gui", "--smoke", "--json", "--db", db],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        wall = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise SystemExit(f"smoke run failed ({done.returncode}):\n{done.stderr}")
    report, _ = json.JSONDecoder().raw_decode(done.stdout.lstrip())
    return {"wall_ms": wall, "startup_ms": report["startup_ms"], "first_rows_ms": report["first_rows_ms"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="database file (e.g. made by `xinfang demo`)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    one_run(args.db)  # warm-up: page cache, .pyc files
    runs = [one_run(args.db) for _ in range(args.runs)]
    for key in ("wall_ms", "startup_ms", "first_rows_ms"):
        values = [r[key] for r in runs]
        print(f"{key:14s} median {statistics.median(values):8.1f}  min {min(values):8.1f}  max {max(values):8.1f}")


if __name__ == "__main__":
    main()
