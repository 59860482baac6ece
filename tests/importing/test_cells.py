"""Cell forms of imported sheets: dates, ID numbers stored as numbers, counts, flags (core.importing.cells)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from xinfang_desktop.core.importing.cells import (
    CellError,
    id_number_text,
    parse_count,
    parse_date_cell,
    parse_flag,
)


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 3, 2),
        datetime(2026, 3, 2, 14, 5),
        46083,
        46083.0,
        20260302,
        "20260302",
        "2026年3月2日",
        "2026 年 3 月 2 日",
        "2026年3月2号",
        "2026.3.2",
        "2026/03/02",
        "2026-3-2",
        "2026-03-02 08:30",
        "2026/3/2 8:30:15",
        "2026年3月2日 9时30分",
    ],
)
def test_every_common_date_form(value: object) -> None:
    assert parse_date_cell(value) == date(2026, 3, 2)


@pytest.mark.parametrize("value", ["2026/13/01", "2026年2月30日", "明天", "3月2日", 12, "2026-03-02abc"])
def test_unreadable_dates_are_errors(value: object) -> None:
    with pytest.raises(CellError):
        parse_date_cell(value)


def test_blank_date_is_none() -> None:
    assert parse_date_cell(None) is None and parse_date_cell("  ") is None


@pytest.mark.parametrize("value", [110105194912310021, 1.1010519491231002e17, "1.10105E+17", "1.1010519491231E17"])
def test_id_numbers_that_lost_digits_are_reported(value: object) -> None:
    with pytest.raises(CellError, match="末尾几位已丢失"):
        id_number_text(value)


def test_id_numbers_as_text_and_intact_15_digit_numbers() -> None:
    assert id_number_text(" 11010519491231002X ") == "11010519491231002X"
    assert id_number_text(110105491231002) == "110105491231002"  # an old 15-digit number survives Excel
    assert id_number_text("'110105194912310021") == "110105194912310021"
    assert id_number_text(None) is None


def test_counts_and_flags() -> None:
    assert parse_count("6人") == 6 and parse_count(3.0) == 3 and parse_count(None) is None
    with pytest.raises(CellError):
        parse_count("若干")
    assert parse_flag("是") is True and parse_flag("否") is False and parse_flag(None) is None
    with pytest.raises(CellError):
        parse_flag("也许")
