"""The reports of issue 14 on a large database: the period report (three periods and the monthly trend) for a year
and a month in each grouping, the quarterly composite ranking, 三无 for a year, the annual report's DOCX draft, the
national export of a month.

    python benchmarks/bench_reports.py DB.sqlite3 [--year 2025] [--runs 5]

DB is only read (no copy needed; schema 0013 or later). Targets (issue 14): a yearly period report by destination
≤ 2 s on 1M cases, the annual report ≤ 10 s. Floor (raw sqlite3, same run): the three periods' rows of
`ix_submissions_received` summed with count(*) and sum(headcount), i.e. reading every submission the report has to
count once. Prints medians over the runs and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from xinfang_desktop.core.duties import quarter_span, year_span
from xinfang_desktop.core.period_stats import Caliber, GroupBy, previous_period, resolve_period, same_period_last_year
from xinfang_desktop.documents.annual_report_document import annual_report_document
from xinfang_desktop.documents.docx_renderer import render_docx
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.reports.annual_report import annual_report
from xinfang_desktop.reports.national_export import export_national
from xinfang_desktop.reports.period_report import period_report
from xinfang_desktop.reports.ranking_report import ranking_report, sanwu_report


def _median(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _floor(path: Path, start: date, end: date, caliber: Caliber) -> Callable[[], None]:
    period = resolve_period(start, end, caliber)
    spans = [period, same_period_last_year(period), previous_period(period)]
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def run() -> None:
        for p in spans:
            conn.execute(
                "SELECT count(*), sum(headcount) FROM submissions WHERE received_on >= ? AND received_on <= ?",
                (p.start.isoformat(), p.end.isoformat()),
            ).fetchone()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = Database(f"sqlite:///{args.db}")  # no upgrade, no write: the reports only read
    year = args.year
    start, end = date(year, 1, 1), date(year, 12, 31)
    with db.read_session() as session:
        cases = session.execute(text("SELECT count(*) FROM cases")).scalar_one()
    print(f"{args.db}: {cases:,} cases; medians of {args.runs} runs")
    period_report(db, start, end, GroupBy.DESTINATION, Caliber.NATURAL)  # warm the page cache
    floor = _median(_floor(args.db, start, end, Caliber.NATURAL), args.runs)
    print(f"floor (raw sqlite3, the year's three periods of submissions): {floor * 1000:.0f} ms")
    rows = []
    for group_by in GroupBy:
        for label, (s, e) in (("year", (start, end)), ("month", (date(year, 3, 1), date(year, 3, 31)))):
            for caliber in (Caliber.NATURAL, Caliber.REPORTING):
                if caliber is Caliber.REPORTING and group_by is not GroupBy.DESTINATION:
                    continue
                t = _median(lambda g=group_by, s=s, e=e, c=caliber: period_report(db, s, e, g, c), args.runs)
                rows.append((f"report period --by {group_by.value} ({label}, {caliber.value})", t))
    quarter = quarter_span(year, 3)
    rows.append(("report ranking (quarter)", _median(lambda: ranking_report(db, quarter, today=end), args.runs)))
    rows.append(("report sanwu (year)", _median(lambda: sanwu_report(db, year_span(year)), args.runs)))
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / "annual.docx"

        def annual() -> None:
            render_docx(annual_report_document(annual_report(db, year).to_json()), docx)

        rows.append(("report annual (the year's draft, DOCX)", _median(annual, max(1, args.runs // 2))))
        out = Path(tmp) / "national.xlsx"
        n = export_national(db, date(year, 3, 1), date(year, 3, 31), out)
        t = _median(lambda: export_national(db, date(year, 3, 1), date(year, 3, 31), out), max(1, args.runs // 2))
        rows.append((f"export national (a month, {n:,} cases)", t))
    for name, t in rows:
        ratio = f"  ×{t / floor:.1f} floor" if name.startswith("report period") and "year" in name else ""
        print(f"  {name:<52} {t * 1000:8.0f} ms{ratio}")
    target = next(t for name, t in rows if name.startswith("report period --by destination (year, natural"))
    print(f"target: yearly period report by destination ≤ 2000 ms — {target * 1000:.0f} ms")
    annual_time = next(t for name, t in rows if name.startswith("report annual"))
    print(f"target: annual report ≤ 10000 ms — {annual_time * 1000:.0f} ms")
    db.dispose()


if __name__ == "__main__":
    main()
