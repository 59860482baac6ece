"""Working-day calendar (R-TM-01, R-TM-02, R-TM-05): State Council notices, properties, the shipped table, import."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.workdays import (
    MAX_WORKDAYS,
    DayKind,
    HolidayYear,
    WorkdayCalendar,
    holiday_year_from_dict,
    parse_holiday_year,
)
from xinfang_desktop.paths import resource


@cache
def shipped_years() -> tuple[HolidayYear, ...]:
    data = json.loads(resource("calendar", "holidays.json").read_text(encoding="utf-8"))
    return tuple(holiday_year_from_dict(y) for y in data["years"])


@cache
def shipped() -> WorkdayCalendar:
    return WorkdayCalendar(shipped_years())


D = date.fromisoformat


# R-TM-01: the State Council notices of recent years (放假调休 blocks and the weekend days worked instead).
NOTICE_DAYS = [
    # 2023 春节: 1月21日至27日放假调休，1月28日（星期六）、1月29日（星期日）上班
    ("2023-01-20", DayKind.WORKDAY),
    ("2023-01-21", DayKind.HOLIDAY),
    ("2023-01-27", DayKind.HOLIDAY),
    ("2023-01-28", DayKind.MAKEUP_WORKDAY),
    ("2023-01-29", DayKind.MAKEUP_WORKDAY),
    # 2023 中秋节、国庆节: 9月29日至10月6日放假调休，10月7日（星期六）、10月8日（星期日）上班
    ("2023-09-29", DayKind.HOLIDAY),
    ("2023-10-06", DayKind.HOLIDAY),
    ("2023-10-07", DayKind.MAKEUP_WORKDAY),
    ("2023-10-08", DayKind.MAKEUP_WORKDAY),
    # 2024 春节: 2月10日至17日放假调休，2月4日（星期日）、2月18日（星期日）上班；除夕2月9日为工作日
    ("2024-02-04", DayKind.MAKEUP_WORKDAY),
    ("2024-02-09", DayKind.WORKDAY),
    ("2024-02-10", DayKind.HOLIDAY),
    ("2024-02-17", DayKind.HOLIDAY),
    ("2024-02-18", DayKind.MAKEUP_WORKDAY),
    # 2024 国庆节: 10月1日至7日放假调休，9月29日（星期日）、10月12日（星期六）上班
    ("2024-09-29", DayKind.MAKEUP_WORKDAY),
    ("2024-10-01", DayKind.HOLIDAY),
    ("2024-10-07", DayKind.HOLIDAY),
    ("2024-10-08", DayKind.WORKDAY),
    ("2024-10-12", DayKind.MAKEUP_WORKDAY),
    ("2024-10-13", DayKind.WEEKEND),
    # 2025 春节: 1月28日至2月4日放假调休，1月26日（星期日）、2月8日（星期六）上班
    ("2025-01-26", DayKind.MAKEUP_WORKDAY),
    ("2025-01-28", DayKind.HOLIDAY),
    ("2025-02-04", DayKind.HOLIDAY),
    ("2025-02-08", DayKind.MAKEUP_WORKDAY),
    # 2025 国庆节、中秋节: 10月1日至8日放假调休，9月28日（星期日）、10月11日（星期六）上班
    ("2025-09-28", DayKind.MAKEUP_WORKDAY),
    ("2025-10-08", DayKind.HOLIDAY),
    ("2025-10-11", DayKind.MAKEUP_WORKDAY),
    # plain weeks
    ("2024-03-16", DayKind.WEEKEND),
    ("2024-03-18", DayKind.WORKDAY),
]


@pytest.mark.parametrize(("day", "kind"), NOTICE_DAYS)
def test_day_kind_follows_state_council_notices(day: str, kind: DayKind) -> None:
    cal = shipped()
    assert cal.day_kind(D(day)) is kind
    assert cal.is_workday(D(day)) is kind.is_working
    assert not cal.is_provisional(D(day))


# R-TM-02: the start day is not counted.
ADDITIONS = [
    ("2024-02-08", 1, "2024-02-09"),  # 除夕 is a working day in 2024
    ("2024-02-09", 1, "2024-02-18"),  # over the Spring Festival block to the makeup Sunday
    ("2024-09-27", 1, "2024-09-29"),  # makeup Sunday before National Day
    ("2024-09-27", 5, "2024-10-10"),
    ("2023-09-28", 1, "2023-10-07"),
    ("2025-01-24", 1, "2025-01-26"),
    ("2025-01-27", 1, "2025-02-05"),
    ("2024-03-15", 1, "2024-03-18"),  # Friday + 1 → Monday
    ("2024-03-16", 1, "2024-03-18"),  # from a Saturday: the start day is not counted either way
    ("2024-03-18", 0, "2024-03-18"),
    ("2024-12-27", 3, "2025-01-02"),  # across the year end and 元旦
]


@pytest.mark.parametrize(("start", "n", "expected"), ADDITIONS)
def test_add_workdays_cases(start: str, n: int, expected: str) -> None:
    cal = shipped()
    assert cal.add_workdays(D(start), n) == D(expected)
    assert cal.workdays_between(D(start), D(expected)) == n


def test_workdays_between_is_antisymmetric_and_excludes_start() -> None:
    cal = shipped()
    assert cal.workdays_between(D("2024-09-27"), D("2024-10-10")) == 5
    assert cal.workdays_between(D("2024-10-10"), D("2024-09-27")) == -5
    assert cal.workdays_between(D("2024-10-01"), D("2024-10-07")) == 0
    assert cal.workdays_between(D("2024-03-18"), D("2024-03-18")) == 0


def test_next_workday() -> None:
    cal = shipped()
    assert cal.next_workday(D("2024-10-02")) == D("2024-10-08")
    assert cal.next_workday(D("2024-10-08")) == D("2024-10-08")
    assert cal.next_workday(D("2024-10-12")) == D("2024-10-12")  # makeup Saturday


# R-TM-05: a year without data is weekends-only and provisional.
def test_year_without_data_is_weekends_only_and_provisional() -> None:
    cal = shipped()
    assert cal.known_years() == list(range(2004, 2027))
    assert cal.is_provisional(D("2027-01-01"))
    assert cal.day_kind(D("2027-01-01")) is DayKind.WORKDAY  # 元旦 unknown until imported: a Friday
    assert cal.day_kind(D("2027-01-02")) is DayKind.WEEKEND
    assert cal.add_workdays(D("2026-12-31"), 1) == D("2027-01-01")
    assert cal.is_provisional_span(D("2026-11-22"), cal.add_workdays(D("2026-11-22"), 60))
    assert not cal.is_provisional_span(D("2026-01-05"), D("2026-12-31"))
    assert cal.is_provisional(D("2003-06-01"))


def test_far_dates_extend_the_table_lazily() -> None:
    cal = WorkdayCalendar(shipped_years())
    assert cal.add_workdays(D("2150-01-01"), 5) == D("2150-01-08")
    assert cal.workdays_between(D("1960-01-01"), D("1960-01-08")) == 5
    assert cal.add_workdays(D("2024-09-27"), 5) == D("2024-10-10")  # still right after the rebuild


def test_imported_year_overrides_and_completes() -> None:
    y2027 = parse_holiday_year(
        {"year": 2027, "holidays": ["2027-01-01", "2027-02-06..2027-02-12"], "makeup_workdays": ["2027-02-14"]}
    )
    cal = WorkdayCalendar([*shipped_years(), y2027])
    assert not cal.is_provisional(D("2027-02-08"))
    assert cal.day_kind(D("2027-02-08")) is DayKind.HOLIDAY
    assert cal.day_kind(D("2027-02-14")) is DayKind.MAKEUP_WORKDAY
    assert cal.add_workdays(D("2027-02-05"), 1) == D("2027-02-14")


def test_bad_counts_and_dates_are_refused() -> None:
    cal = shipped()
    with pytest.raises(DomainError, match="负数"):
        cal.add_workdays(D("2024-01-01"), -1)
    with pytest.raises(DomainError, match="过大"):
        cal.add_workdays(D("2024-01-01"), MAX_WORKDAYS + 1)
    with pytest.raises(DomainError, match="超出可计算范围"):
        cal.is_workday(D("1900-01-01"))


def test_missing_next_year_warning_in_fourth_quarter_only() -> None:
    cal = shipped()
    assert cal.missing_next_year_warning(D("2026-09-30")) is None
    warning = cal.missing_next_year_warning(D("2026-10-01"))
    assert warning is not None and "2027" in warning and "暂估" in warning
    assert cal.missing_next_year_warning(D("2025-12-31")) is None  # 2026 is known


# Properties (R-TM-02).
dates = st.dates(min_value=date(2003, 1, 1), max_value=date(2029, 12, 31))
counts = st.integers(min_value=1, max_value=400)


@settings(max_examples=400, deadline=None)
@given(dates, counts)
def test_add_workdays_lands_on_a_workday_and_round_trips(d: date, n: int) -> None:
    cal = shipped()
    result = cal.add_workdays(d, n)
    assert result > d
    assert cal.is_workday(result)
    assert cal.workdays_between(d, result) == n


@settings(max_examples=300, deadline=None)
@given(dates, counts, counts)
def test_add_workdays_is_monotonic(d: date, a: int, b: int) -> None:
    cal = shipped()
    lo, hi = sorted((a, b))
    assert cal.add_workdays(d, lo) <= cal.add_workdays(d, hi)
    if lo < hi:
        assert cal.add_workdays(d, lo) < cal.add_workdays(d, hi)


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=0, max_value=120))
def test_workdays_between_matches_a_naive_count(d: date, span: int) -> None:
    cal = shipped()
    end = d + timedelta(days=span)
    naive = sum(cal.day_kind(d + timedelta(days=i)).is_working for i in range(1, span + 1))
    assert cal.workdays_between(d, end) == naive


# The shipped table equals the chinese-calendar package for every year both know.
def test_shipped_table_equals_chinese_calendar() -> None:
    chinese_calendar = pytest.importorskip("chinese_calendar")
    from chinese_calendar import constants

    cal = shipped()
    package_years = {d.year for d in constants.holidays}
    assert set(cal.known_years()) == package_years
    assert {d for y in shipped_years() for d in y.holidays} == set(constants.holidays)
    assert {d for y in shipped_years() for d in y.makeup_workdays} == set(constants.workdays)
    d = date(min(package_years), 1, 1)
    while d.year <= max(package_years):
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


def test_generated_file_is_up_to_date() -> None:
    pytest.importorskip("chinese_calendar")
    import importlib.util

    path = resource("calendar", "holidays.json").parents[2] / "scripts" / "generate_holidays.py"
    if not path.exists():
        pytest.skip("scripts/ not bundled")
    spec = importlib.util.spec_from_file_location("generate_holidays", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render() == resource("calendar", "holidays.json").read_text(encoding="utf-8")


# The import format.
def test_parse_json_and_text_formats_agree() -> None:
    from_json = parse_holiday_year(
        json.dumps(
            {
                "year": 2027,
                "holidays": ["2027-01-01", "2027-02-06..2027-02-12"],
                "makeup_workdays": ["2027-02-14"],
                "source": "国务院办公厅关于2027年部分节假日安排的通知",
            },
            ensure_ascii=False,
        )
    )
    from_text = parse_holiday_year(
        "# 2027年\n年份：2027\n来源：国务院办公厅关于2027年部分节假日安排的通知\n"
        "法定节假日：2027-01-01、2027-02-06 .. 2027-02-12\nmakeup_workdays: 2027-02-14\n"
    )
    assert from_json == from_text
    assert len(from_json.holidays) == 8
    assert parse_holiday_year(json.dumps(from_json.to_json())) == from_json


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"year": 2027, "holidays": ["2027-02-14"], "makeup_workdays": ["2027-02-14"]},
            "2027-02-14既列为法定节假日又列为调休上班日",
        ),
        ({"year": 2027, "holidays": ["2028-01-01"]}, "法定节假日2028-01-01不在2027年内"),
        ({"year": 2027, "holidays": ["2027-01-01"], "makeup_workdays": ["2027-02-15"]}, "调休上班日2027-02-15是星期一"),
        ({"year": 2027, "holidays": []}, "未列出任何法定节假日"),
        ({"year": 2027, "holidays": ["2027-02-30"]}, "“2027-02-30”格式错误"),
        ({"year": 2027, "holidays": ["2027-01-01"], "extra": 1}, "未知字段：extra"),
        ({"holidays": ["2027-01-01"]}, "缺少年份"),
        ({"year": 2027}, "缺少法定节假日列表"),
        ({"year": 2027, "holidays": "2027-01-01"}, "应为日期列表"),
        ({"year": 2027, "holidays": ["2027-02-12..2027-02-06"]}, "日期范围"),
        ({"year": 2027, "holidays": [20270101]}, "不是日期文本"),
    ],
)
def test_import_validation_errors_name_the_date(data: dict[str, object], message: str) -> None:
    with pytest.raises(DomainError) as err:
        parse_holiday_year(data)
    assert message in err.value.message


def test_malformed_json_and_text_are_refused() -> None:
    with pytest.raises(DomainError, match="JSON 格式错误"):
        parse_holiday_year('{"year": 2027,')
    with pytest.raises(DomainError, match="第2行无法识别"):
        parse_holiday_year("year: 2027\nholidayz: 2027-01-01\n")
