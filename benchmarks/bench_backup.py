"""Backups of issue 17 on a large database: `create_backup` (snapshot, files, reopen and verify) and `verify_folder`.

    python benchmarks/bench_backup.py DB.sqlite3 [--runs 3] [--workdir /tmp/bench_backup]

DB is left untouched: it is copied once into the work directory (schema 0015: upgrade a copy first with
`xinfang db upgrade --db COPY`), and every run backs that copy up into its own `.backups` folder, removed afterwards.

Floor (raw sqlite3, same run): the online backup API into a new file plus `PRAGMA integrity_check` on the copy — the
two things a verified backup cannot do without. Prints medians over the runs and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

from xinfang_desktop.persistence.backup import backups_dir, create_backup, verify_folder
from xinfang_desktop.persistence.database import open_database


def _floor(source: Path, target: Path) -> float:
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst, pages=4096)
    dst.execute("PRAGMA integrity_check").fetchone()
    dst.close()
    src.close()
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench_backup"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    copy = args.workdir / "bench.sqlite3"
    shutil.copyfile(args.db, copy)
    db = open_database(copy)
    creates, verifies, floors = [], [], []
    try:
        for _ in range(args.runs):
            shutil.rmtree(backups_dir(db), ignore_errors=True)
            started = time.perf_counter()
            generation = create_backup(db)
            creates.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert verify_folder(generation.path).ok
            verifies.append(time.perf_counter() - started)
            floors.append(_floor(copy, args.workdir / "floor.sqlite3"))
        size = generation.size
    finally:
        shutil.rmtree(backups_dir(db), ignore_errors=True)
        db.dispose()
    create, verify, floor = (statistics.median(x) for x in (creates, verifies, floors))
    print(f"database {size / 1024**2:,.0f} MB, {args.runs} runs (medians)")
    ratio = create / floor
    print(f"create_backup   {create:8.2f} s   floor (backup API + integrity_check) {floor:.2f} s   ratio {ratio:.2f}")
    print(f"verify_folder   {verify:8.2f} s")


if __name__ == "__main__":
    main()
