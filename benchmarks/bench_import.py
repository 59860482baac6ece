"""Import of a hand-kept ledger (issue 15): 10,000, 50,000 and 100,000 rows end to end, the readers, and memory.

    python benchmarks/bench_import.py [--rows 10000 50000 100000] [--runs 3] [--openpyxl-runs 1]
                                      [--source excel|openpyxl] [--workdir /tmp/bench_import]

Makes the .xlsx files once (openpyxl write-only, 17 columns as a county 台账: title rows, a two-row header, mixed date
forms, repeats of earlier petitioners every 20th row). openpyxl writes every text inline with each CJK character as
a character reference (&#20449;), which no office program does; so, where LibreOffice Calc is installed, each file is
also saved again by it (`--source excel`, the default then): shared strings, as Excel and WPS write them. Measures:

- reading every row, each in a fresh process with its peak RSS: python-calamine (whole sheet in memory), the
  streaming reader (importing/xlsx_stream.py, used above STREAM_ROWS rows) and openpyxl read-only, values only;
- `xinfang import run FILE --mapping M --json` in a fresh process on a fresh copy of an initialised empty database,
  for each size: wall time and peak RSS (the child's own ru_maxrss, from wait4);
- the floor: the same rows parsed by calamine and written by raw sqlite3 `executemany` into a bare table of the
  same columns, one transaction.

Prints medians over the runs, rows per second, the ratio to the floor, and the peak RSS at each size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
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


READERS = {
    "calamine": "from python_calamine import CalamineWorkbook\n"
    "n = sum(1 for _ in CalamineWorkbook.from_path(PATH).get_sheet_by_index(0).iter_rows())",
    "stream": "from xinfang_desktop.importing import readers, xlsx_stream\n"
    "xlsx_stream.STREAM_ROWS = 0\n"
    "n = sum(1 for _ in readers.read_sheet(PATH)[2].rows)",
    "openpyxl": "from openpyxl import load_workbook\n"
    "wb = load_workbook(PATH, read_only=True, data_only=True)\n"
    "n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))",
}
_CHILD = """import resource, sys, time
import xinfang_desktop.importing.run  # the application's imports, as in an import
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
PATH = sys.argv[1]
t = time.perf_counter()
{code}
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base, n)
"""


def parse(reader: str, path: Path) -> tuple[float, int]:
    """(seconds, RSS the reading added in MB), reading every row of the first sheet in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _CHILD.format(code=READERS[reader]), str(path)], capture_output=True,
                         text=True, check=True)  # fmt: skip
    seconds, added, _ = out.stdout.split()
    return float(seconds), int(added) // 1024


def excel_like(path: Path) -> Path | None:
    """The file saved again by LibreOffice Calc (shared strings, as Excel and WPS write them), or None without it."""
    target = path.with_name(path.stem + "-calc.xlsx")
    if target.exists():
        return target
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    out = path.parent / "calc"
    subprocess.run([soffice, f"-env:UserInstallation={(path.parent / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
                   capture_output=True, timeout=1800, check=False)  # fmt: skip
    made = out / path.name
    if not made.exists():
        return None
    made.replace(target)
    return target


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
    t = time.perf_counter()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        child = subprocess.Popen(argv, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak RSS (not the largest child so far)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - t
        stdout.seek(0)
        stderr.seek(0)
        text, err = stdout.read().decode(), stderr.read().decode()
    if child.returncode != 0:
        raise SystemExit(f"import failed ({child.returncode}): {text[-500:]} {err[-500:]}")
    return elapsed, usage.ru_maxrss // 1024, json.loads(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--source", choices=("excel", "openpyxl"), default=None,
                        help="the file imported: LibreOffice's copy (where installed) or openpyxl's")  # fmt: skip
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
    summary: list[str] = []
    for rows in sorted(args.rows):
        path = work / f"ledger-{rows}.xlsx"
        if not path.exists():
            t = time.perf_counter()
            make_ledger(path, rows)
            print(f"made {path.name} ({path.stat().st_size / 1048576:.1f} MB) in {time.perf_counter() - t:.1f} s")
        calc = excel_like(path) if args.source != "openpyxl" else None
        if args.source == "excel" and calc is None:
            raise SystemExit("--source excel needs LibreOffice Calc (apt-get install libreoffice-calc-nogui)")
        source = calc or path
        size = f", {calc.name} ({calc.stat().st_size / 1048576:.1f} MB, shared strings)" if calc else ""
        print(f"\n{rows:,} rows: {path.name} ({path.stat().st_size / 1048576:.1f} MB, openpyxl){size}")
        for label, file in (("openpyxl-made", path), ("shared strings", calc)):
            if file is None:
                continue
            for reader in ("calamine", "stream", "openpyxl"):
                n = args.openpyxl_runs if reader == "openpyxl" else args.runs
                runs = [parse(reader, file) for _ in range(n)]
                if not runs:
                    continue
                secs = [r[0] for r in runs]
                print(f"  read {label:15} {reader:9} median {statistics.median(secs):6.2f} s  (runs {_fmt(secs)})"
                      f"  +{max(r[1] for r in runs)} MB RSS")  # fmt: skip
        floors = [floor(source, work / "floor.sqlite3") for _ in range(args.runs)]
        ends: list[float] = []
        peaks: list[int] = []
        report: dict[str, object] = {}
        for _ in range(args.runs):
            db = work / "run.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(empty, db)
            elapsed, peak, report = run_cli(source, db, mapping)
            ends.append(elapsed)
            peaks.append(peak)
        end = statistics.median(ends)
        print(f"  import run (CLI) of {source.name}: median {end:6.2f} s  (runs {_fmt(ends)})"
              f"  {rows / end:,.0f} rows/s")  # fmt: skip
        print(f"     cases {report.get('cases')}, submissions {report.get('submissions')}, "
              f"skipped {report.get('skipped')}, bad rows {report.get('bad_rows')}")  # fmt: skip
        print(f"  floor (calamine + raw sqlite3) median {statistics.median(floors):6.2f} s → ratio "
              f"{end / statistics.median(floors):.1f}x")  # fmt: skip
        print(f"  peak RSS of the import process: {max(peaks)} MB (runs {', '.join(map(str, peaks))})")
        summary.append(f"{rows:>9,} rows  {end:6.1f} s  peak RSS {max(peaks)} MB")
    print("\nimport run, end to end:")
    print("\n".join(summary))


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    os.environ.setdefault("XINFANG_DATA_DIR", "/tmp/bench_import/data")
    main()
