"""Periods and calibers of the period statistics (core/period_stats.py, R-AS-01): the 21–20 reporting month,
同比 and 环比 periods, the change percentages, the composition of rows."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.period_stats import (
    Caliber,
    Tally,
    change,
    compose_rows,
    format_change,
    monthly_periods,
    previous_period,
    resolve_period,
    same_period_last_year,
)

N, R = Caliber.NATURAL, Caliber.REPORTING


def test_natural_month_is_the_dates_given_and_its_comparisons() -> None:
    p = resolve_period(date(2026, 3, 1), date(2026, 3, 31), N)
    assert (p.start, p.end, p.months) == (date(2026, 3, 1), date(2026, 3, 31), 1)
    assert (same_period_last_year(p).start, same_period_last_year(p).end) == (date(2025, 3, 1), date(2025, 3, 31))
    prev = previous_period(p)
    assert (prev.start, prev.end) == (date(2026, 2, 1), date(2026, 2, 28))  # a month, not 31 days


def test_reporting_month_runs_from_the_21st_to_the_20th() -> None:
    p = resolve_period(date(2026, 3, 1), date(2026, 3, 31), R)
    assert (p.start, p.end, p.months) == (date(2026, 2, 21), date(2026, 3, 20), 1)
    assert (previous_period(p).start, previous_period(p).end) == (date(2026, 1, 21), date(2026, 2, 20))
    ly = same_period_last_year(p)
    assert (ly.start, ly.end) == (date(2025, 2, 21), date(2025, 3, 20))
    # Dates already on the caliber's bounds are kept; a --from on the 21st starts the next reporting month.
    q = resolve_period(date(2026, 2, 21), date(2026, 3, 20), R)
    assert (q.start, q.end) == (date(2026, 2, 21), date(2026, 3, 20))
    year = resolve_period(date(2026, 1, 1), date(2026, 12, 31), R)
    assert (year.start, year.end, year.months) == (date(2025, 12, 21), date(2026, 12, 20), 12)
    january = resolve_period(date(2026, 1, 5), date(2026, 1, 10), R)
    assert (january.start, january.end) == (date(2025, 12, 21), date(2026, 1, 20))


def test_a_period_that_is_not_whole_months_compares_by_days() -> None:
    p = resolve_period(date(2026, 3, 5), date(2026, 3, 14), N)
    assert p.months is None
    prev = previous_period(p)
    assert (prev.start, prev.end) == (date(2026, 2, 23), date(2026, 3, 4))
    leap = same_period_last_year(resolve_period(date(2024, 2, 29), date(2024, 3, 3), N))
    assert (leap.start, leap.end) == (date(2023, 2, 28), date(2023, 3, 3))


def test_a_start_after_the_end_is_refused() -> None:
    with pytest.raises(DomainError):
        resolve_period(date(2026, 3, 2), date(2026, 3, 1), N)


def test_monthly_points_follow_the_caliber() -> None:
    months = monthly_periods(resolve_period(date(2026, 1, 1), date(2026, 3, 31), R))
    assert [(m.start, m.end) for m in months] == [
        (date(2025, 12, 21), date(2026, 1, 20)),
        (date(2026, 1, 21), date(2026, 2, 20)),
        (date(2026, 2, 21), date(2026, 3, 20)),
    ]


def test_change_is_rounded_half_away_from_zero_and_none_without_a_base() -> None:
    assert change(9, 8) == 12.5
    assert change(1, 3) == -66.7
    assert change(2, 3) == -33.3
    assert change(5, 0) is None
    assert change(4, 4) == 0.0
    assert [format_change(v) for v in (12.5, -3.0, 0.0, None)] == ["+12.5%", "-3.0%", "0.0%", "—"]


def test_rows_keep_the_listed_groups_and_end_with_the_total() -> None:
    cur = {"a": Tally({"batches": 3, "persons": 9})}
    ly = {"b": Tally({"batches": 2, "persons": 2})}
    rows = compose_rows(cur, ly, {}, {"a": "甲", "b": "乙", "c": "丙"}, ["c", "b", "a"], keep=["c"])
    assert [r.name for r in rows] == ["丙", "乙", "甲", "合计"]
    total = rows[-1]
    assert total.is_total and total.numbers == (3, 9, 2, 2, 0, 0)
    assert total.yoy == (50.0, 350.0) and total.mom == (None, None)
