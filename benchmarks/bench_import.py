"""Import of a hand-kept ledger (issue 15): 10,000 and 100,000 rows end to end, and the reader choice.

    python benchmarks/bench_import.py [--rows 10000 100000] [--runs 3] [--openpyxl-runs 1] [--workdir /tmp/bench_import]

Makes the .xlsx files once (openpyxl write-only, 17 columns as a county 台账: title rows, a two-row header, mixed date
forms, repeats of earlier petitioners every 20th row), then measures:

- parsing every row: python-calamine (the reader used) against openpyxl read-only, values only;
- `xinfang import run FILE --mapping M --json` in a fresh process on a fresh copy of an initialised empty database,
  for each size: wall time and peak RSS (ru_maxrss of the child);
- the floor: the same rows parsed by calamine and written by raw sqlite3 `executemany` into a bare table of the
  same columns, one transaction.

Prints medians over the runs, rows per second, the ratio to the floor, and the peak RSS at each size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
TOPICS = ("拖欠工资", "征地补偿", "房屋质量", "噪声扰民", "医疗纠纷", "低保待遇", "土地承包", "物业管理")
HEADERS = ["序号", "信访人", None, None, None, "信访日期", "登记日期", "信访形式", "信访目的", "信访人数", "反映问题",
           "问题属地", "内容分类", "责任单位", "住址", "办理情况", "备注"]  # fmt: skip
SUB = [
    None,
    "姓名",
    "身份证号",
    "联系电话",
    "性别",
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
]
CHANNELS = ("来访", "来信", "网上信访", "电话", "走访")
TOWNS = ("城关街道", "城东街道")
CATEGORIES = ("拖欠农民工工资", "集体土地征收补偿安置", "物业管理纠纷", "征地拆迁", "劳动报酬")
TODAY = date(2026, 11, 20)
MAPPING = {"defaults": {"purpose": "求决"}}


def _id_number(i: int) -> str:
    born = date(1950, 1, 1) + timedelta(days=i % 20000)  # unique for 20 million people with the sequence below
    base = f"331221{born:%Y%m%d}{(i // 20000) % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return base + "10X98765432"[sum(int(c) * w for c, w in zip(base, weights, strict=True)) % 11]


def make_ledger(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["示范县信访事项登记台账"])
    ws.append(HEADERS)
    ws.append(SUB)
    for i in range(rows):
        person = max(0, i - 7) if i % 20 == 0 else i  # every 20th row: the petitioner of 7 rows earlier, same matter
        received = TODAY - timedelta(days=400 - (i * 400) // rows)
        day = (received.isoformat(), f"{received.year}年{received.month}月{received.day}日",
               f"{received.year}.{received.month}.{received.day}", received)[i % 4]  # fmt: skip
        topic = TOPICS[person % len(TOPICS)]
        name = f"{SURNAMES[person % 30]}{GIVEN[(person // 30) % len(GIVEN)]}{GIVEN[(person // 900) % len(GIVEN)]}"
        ws.append([
            i + 1, name, _id_number(person),
            f"138{person:08d}", "男", day, received.isoformat(), CHANNELS[i % 5], "求决", 1 + (i % 7 == 0) * 5,
            f"反映{topic}问题（第{person}号），要求依法处理并答复。" + ("再次反映。" if person != i else ""),
            TOWNS[i % 2], CATEGORIES[person % 5], None, f"示范县{TOWNS[i % 2]}{i % 97}号", "已转办", None,
        ])  # fmt: skip
    ws.append(["合计", None, None, None, None, None, None, None, None, None, f"共{rows}件"])
    wb.save(str(path))


def parse_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    return sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())


def parse_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(str(path), read_only=True, data_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return n


def floor(path: Path, db: Path) -> float:
    """calamine + raw sqlite3 executemany of the same cells into a bare table, one transaction."""
    db.unlink(missing_ok=True)
    t = time.perf_counter()
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(17))})")
    with conn:
        conn.executemany(
            f"INSERT INTO t VALUES ({', '.join('?' * 17)})",
            ([str(v) for v in (list(r) + [None] * 17)[:17]] for r in rows),
        )
    conn.close()
    return time.perf_counter() - t


def run_cli(path: Path, db: Path, mapping: Path) -> tuple[float, int, dict[str, object]]:
    """`xinfang import run` in a child process: (seconds, peak RSS in MB, report)."""
    argv = [sys.executable, "-m", "xinfang_desktop", "import", "run", str(path), "--mapping", str(mapping),
            "--today", TODAY.isoformat(), "--skip-bad-rows", "--json", "--db", str(db)]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if out.returncode != 0:
        raise SystemExit(f"import failed ({out.returncode}): {out.stdout[-500:]} {out.stderr[-500:]}")
    # ru_maxrss of children is the largest child so far: children run in increasing size, so it is this one's
    return elapsed, max(peak, before) // 1024, json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--openpyxl-runs", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench_import"))
    args = parser.parse_args()
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    mapping = work / "mapping.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    empty = work / "empty.sqlite3"
    if not empty.exists():
        subprocess.run([sys.executable, "-m", "xinfang_desktop", "init", "--db", str(empty)], check=True,
                       capture_output=True)  # fmt: skip
    for rows in sorted(args.rows):
        path = work / f"ledger-{rows}.xlsx"
        if not path.exists():
            t = time.perf_counter()
            make_ledger(path, rows)
            print(f"made {path.name} ({path.stat().st_size / 1048576:.1f} MB) in {time.perf_counter() - t:.1f} s")
        cal = [_timed(parse_calamine, path) for _ in range(args.runs)]
        opx = [_timed(parse_openpyxl, path) for _ in range(args.openpyxl_runs)]
        floors = [floor(path, work / "floor.sqlite3") for _ in range(args.runs)]
        ends: list[float] = []
        peaks: list[int] = []
        report: dict[str, object] = {}
        for _ in range(args.runs):
            db = work / "run.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(empty, db)
            elapsed, peak, report = run_cli(path, db, mapping)
            ends.append(elapsed)
            peaks.append(peak)
        end = statistics.median(ends)
        print(f"\n{rows:,} rows ({path.stat().st_size / 1048576:.1f} MB .xlsx)")
        print(f"  parse calamine      median {statistics.median(cal):6.2f} s  (runs {_fmt(cal)})")
        print(f"  parse openpyxl r/o  median {statistics.median(opx):6.2f} s  (runs {_fmt(opx)})"
              f"  → calamine {statistics.median(opx) / statistics.median(cal):.1f}x faster")  # fmt: skip
        print(f"  import run (CLI)    median {end:6.2f} s  (runs {_fmt(ends)})  {rows / end:,.0f} rows/s")
        print(f"     cases {report.get('cases')}, submissions {report.get('submissions')}, "
              f"skipped {report.get('skipped')}, bad rows {report.get('bad_rows')}")  # fmt: skip
        print(f"  floor (calamine + raw sqlite3) median {statistics.median(floors):6.2f} s → ratio "
              f"{end / statistics.median(floors):.1f}x")  # fmt: skip
        print(f"  peak RSS of the import process: {max(peaks)} MB")


def _timed(fn: object, path: Path) -> float:
    t = time.perf_counter()
    fn(path)  # type: ignore[operator]
    return time.perf_counter() - t


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    os.environ.setdefault("XINFANG_DATA_DIR", "/tmp/bench_import/data")
    main()
