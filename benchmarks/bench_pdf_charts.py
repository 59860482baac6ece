"""What the charts add to the PDF reports (issue 14): the yearly period report by destination and the quarterly
ranking, counted once, then laid out and written as PDF with and without their figures.

    python benchmarks/bench_pdf_charts.py DB.sqlite3 [--year 2026] [--quarter 2026Q3] [--runs 5]

DB is only read. The counting is the report's own (benchmarks/bench_reports.py measures it on 1M cases); the
figures are drawn from the report's data, so what they add does not grow with the ledger — only with the number of
groups and months. Prints medians over the runs.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from xinfang_desktop.core.duties import parse_period
from xinfang_desktop.core.period_stats import Caliber, GroupBy
from xinfang_desktop.documents.fonts import get_fonts
from xinfang_desktop.documents.model import Figure, OfficialDocument
from xinfang_desktop.documents.pdf_renderer import render_pdf
from xinfang_desktop.documents.report_documents import period_report_document, ranking_document
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.reports.period_report import period_report
from xinfang_desktop.reports.ranking_report import ranking_report


def _median(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _bare(doc: OfficialDocument) -> OfficialDocument:
    return replace(doc, body=tuple(b for b in doc.body if not isinstance(b, Figure)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--today", default="2026-11-20")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = open_database(args.db)
    get_fonts()  # loaded once per process, before any timing
    start, end = date(args.year, 1, 1), date(args.year, 12, 31)
    count = _median(lambda: period_report(db, start, end, GroupBy.DESTINATION, Caliber.NATURAL), args.runs)
    data = period_report(db, start, end, GroupBy.DESTINATION, Caliber.NATURAL).to_json()
    today = date.fromisoformat(args.today)
    rank_count = _median(lambda: ranking_report(db, parse_period(args.quarter), today=today), args.runs)
    ranking = ranking_report(db, parse_period(args.quarter), today=today).to_json()
    print(f"{args.db}: medians of {args.runs} runs")
    for name, counting, build in (
        (f"period {args.year} by destination", count, lambda: period_report_document(data)),
        (f"ranking {args.quarter}", rank_count, lambda: ranking_document(ranking)),
    ):
        with_charts = _median(lambda b=build: render_pdf(b(), io.BytesIO()), args.runs)
        without = _median(lambda b=build: render_pdf(_bare(b()), io.BytesIO()), args.runs)
        figures = sum(isinstance(b, Figure) for b in build().body)
        print(
            f"  {name}: counting {counting * 1000:.0f} ms; PDF without charts "
            f"{without * 1000:.0f} ms, with {figures} charts {with_charts * 1000:.0f} ms "
            f"(+{(with_charts - without) * 1000:.0f} ms)"
        )
    db.dispose()


if __name__ == "__main__":
    main()
