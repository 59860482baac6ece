"""Benchmark of working-day arithmetic (issue 3): 1M add_workdays and 1M workdays_between vs a naive day loop.

    .venv/bin/python benchmarks/bench_workdays.py [--ops 1000000] [--naive-sample 20000] [--repeat 5]

Inputs as in ../shared/research/performance.md §5: random start dates 2016–2026, +60 working days, and spans of
0–120 days. The naive loop walks day by day calling `day_kind` (itself a set lookup, far cheaper than the
`chinese_calendar.is_workday` of the research note); it is timed on a sample and scaled. Results are checked equal.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xinfang_desktop.core.workdays import WorkdayCalendar, holiday_year_from_dict
from xinfang_desktop.paths import resource


def naive_add(cal: WorkdayCalendar, d: date, n: int) -> date:
    while n:
        d += timedelta(days=1)
        if cal.day_kind(d).is_working:
            n -= 1
    return d


def naive_between(cal: WorkdayCalendar, a: date, b: date) -> int:
    return sum(cal.day_kind(a + timedelta(days=i)).is_working for i in range(1, (b - a).days + 1))


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ops", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    data = json.loads(resource("calendar", "holidays.json").read_text(encoding="utf-8"))
    cal = WorkdayCalendar(holiday_year_from_dict(y) for y in data["years"])
    build = time.perf_counter() - t0

    rng = random.Random(20240803)
    lo, hi = date(2016, 1, 1).toordinal(), date(2026, 12, 31).toordinal()
    starts = [date.fromordinal(rng.randint(lo, hi)) for _ in range(args.ops)]
    ends = [d + timedelta(days=rng.randint(0, 120)) for d in starts]
    add, between = cal.add_workdays, cal.workdays_between

    def run_add() -> None:
        for d in starts:
            add(d, 60)

    def run_between() -> None:
        for a, b in zip(starts, ends, strict=True):
            between(a, b)

    k = min(args.naive_sample, args.ops)
    for i in range(k):  # correctness on the sample
        assert add(starts[i], 60) == naive_add(cal, starts[i], 60)
        assert between(starts[i], ends[i]) == naive_between(cal, starts[i], ends[i])

    t_add = statistics.median(timed(run_add, args.repeat))
    t_between = statistics.median(timed(run_between, args.repeat))
    t0 = time.perf_counter()
    for i in range(k):
        naive_add(cal, starts[i], 60)
    n_add = (time.perf_counter() - t0) / k * args.ops
    t0 = time.perf_counter()
    for i in range(k):
        naive_between(cal, starts[i], ends[i])
    n_between = (time.perf_counter() - t0) / k * args.ops

    print(f"table load + build (2004–2026 ± 3 years): {build * 1000:.1f} ms")
    print(
        f"{args.ops:,} × add_workdays(d, 60):   median {t_add:.3f} s   naive (scaled from {k:,}) {n_add:.1f} s"
        f"   ratio {n_add / t_add:,.0f}×"
    )
    print(
        f"{args.ops:,} × workdays_between(a, b): median {t_between:.3f} s   naive (scaled from {k:,}) {n_between:.1f} s"
        f"   ratio {n_between / t_between:,.0f}×"
    )
    print(f"results equal to the naive loop on {k:,} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
