"""The working-day calendar (R-TM-01, R-TM-02, R-TM-05): holiday years, their import format, and fast arithmetic.

工作日 = Monday–Friday, minus 法定节假日 (`holiday`), plus 调休上班日 (`makeup_workday`) (R-TM-01).
A year without data is computed on weekends alone and every result touching it is *provisional* (R-TM-05).

Arithmetic runs on precomputed cumulative working-day counts indexed by date ordinal, so `add_workdays`
and `workdays_between` are O(1) after the table is built (a million calls take well under a second).

Import format (one year, JSON)::

    {"year": 2027, "holidays": ["2027-01-01", ...], "makeup_workdays": ["2027-02-07", ...],
     "source": "国务院办公厅关于2027年部分节假日安排的通知"}

or the equivalent simple text format (``#`` starts a comment)::

    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知
    holidays: 2027-01-01, 2027-02-06 .. 2027-02-12
    makeup_workdays: 2027-02-14

Ranges ``A .. B`` (or ``A~B``) are inclusive. Holidays may fall on a weekend (a holiday block usually spans one).
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.errors import DomainError

#: Dates the calendar accepts at all; anything else is an input error, not a computation.
MIN_DATE = date(1950, 1, 1)
MAX_DATE = date(2199, 12, 31)
#: The largest count of working days one call may add (about 40 years); larger counts are input errors.
MAX_WORKDAYS = 10_000
#: Years added on each side of the known years when the table is built, and when it is extended.
_MARGIN_YEARS = 3

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class DayKind(LabelledEnum):
    """What a day is in the calendar (R-TM-01)."""

    WORKDAY = "workday", "工作日"
    WEEKEND = "weekend", "休息日"
    HOLIDAY = "holiday", "法定节假日"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班日"

    @property
    def is_working(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


class CalendarError(DomainError):
    """Bad calendar input: a malformed import file, a date out of range, an absurd count."""


def cn_date(d: date) -> str:
    """2024年8月3日 — the way dates are read aloud and printed."""
    return f"{d.year}年{d.month}月{d.day}日"


def check_date(d: date, *, field: str = "date") -> date:
    """Refuse dates the calendar does not handle (before 1950 or after 2199)."""
    if not MIN_DATE <= d <= MAX_DATE:
        raise CalendarError(f"日期{d.isoformat()}超出可计算范围（{MIN_DATE.year}年至{MAX_DATE.year}年）", field=field)
    return d


@dataclass(frozen=True)
class HolidayYear:
    """One year of the State Council arrangement: its 法定节假日 and 调休上班日 (R-TM-01, R-TM-05)."""

    year: int
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    source: str | None = None

    def __post_init__(self) -> None:
        problems = _year_problems(self.year, self.holidays, self.makeup_workdays)
        if problems:
            raise CalendarError("；".join(problems), field="holidays")

    def to_json(self) -> dict[str, Any]:
        """The import format (dates sorted, ISO strings)."""
        return {
            "year": self.year,
            "holidays": [d.isoformat() for d in sorted(self.holidays)],
            "makeup_workdays": [d.isoformat() for d in sorted(self.makeup_workdays)],
            "source": self.source,
        }


def _year_problems(year: int, holidays: frozenset[date], makeups: frozenset[date]) -> list[str]:
    problems: list[str] = []
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        return [f"年份{year}超出范围（{MIN_DATE.year}–{MAX_DATE.year}）"]
    for d in sorted(holidays | makeups):
        if d.year != year:
            which = "法定节假日" if d in holidays else "调休上班日"
            problems.append(f"{which}{d.isoformat()}不在{year}年内（跨年安排请录入该日期所在年份的文件）")
    for d in sorted(holidays & makeups):
        problems.append(f"{d.isoformat()}既列为法定节假日又列为调休上班日")
    for d in sorted(makeups - holidays):
        if d.weekday() < 5:
            problems.append(f"调休上班日{d.isoformat()}是{WEEKDAY_NAMES[d.weekday()]}，调休上班日应为周六或周日")
    if not holidays:
        problems.append(f"{year}年未列出任何法定节假日（至少应有元旦、春节、国庆节等）")
    return problems


# ---------------------------------------------------------------------------------------------- parsing

_RANGE_RE = re.compile(r"^\s*(\S+?)\s*(?:\.\.|~|～|至)\s*(\S+)\s*$")


def _parse_one_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CalendarError(f"{what}中的日期“{text.strip()}”格式错误，应为 YYYY-MM-DD", field=what) from None


def _parse_dates(items: Iterable[Any], what: str) -> frozenset[date]:
    result: set[date] = set()
    for item in items:
        if not isinstance(item, str):
            raise CalendarError(f"{what}中的“{item}”不是日期文本（应为 YYYY-MM-DD）", field=what)
        m = _RANGE_RE.match(item)
        if m:
            first, last = _parse_one_date(m.group(1), what), _parse_one_date(m.group(2), what)
            if last < first or (last - first).days > 366:
                raise CalendarError(f"{what}中的日期范围“{item}”无效", field=what)
            result.update(first + timedelta(days=i) for i in range((last - first).days + 1))
        else:
            result.add(_parse_one_date(item, what))
    return frozenset(result)


def holiday_year_from_dict(data: Mapping[str, Any]) -> HolidayYear:
    """Validate one year in the import format; every problem is reported in Chinese, naming the date."""
    if not isinstance(data, Mapping):
        raise CalendarError('节假日文件应为一个 JSON 对象：{"year", "holidays", "makeup_workdays", "source"}')
    unknown = sorted(set(data) - {"year", "holidays", "makeup_workdays", "source"})
    if unknown:
        raise CalendarError(f"节假日文件含有未知字段：{'、'.join(unknown)}")
    year = data.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if not isinstance(year, int) or isinstance(year, bool):
        raise CalendarError("节假日文件缺少年份（year），或年份不是整数", field="year")
    lists: dict[str, frozenset[date]] = {}
    for key, what in (("holidays", "法定节假日"), ("makeup_workdays", "调休上班日")):
        value = data.get(key, [] if key == "makeup_workdays" else None)
        if value is None:
            raise CalendarError(f"节假日文件缺少{what}列表（{key}）", field=key)
        if not isinstance(value, list):
            raise CalendarError(f"{what}（{key}）应为日期列表", field=key)
        lists[key] = _parse_dates(value, what)
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        raise CalendarError("来源（source）应为文本", field="source")
    return HolidayYear(year, lists["holidays"], lists["makeup_workdays"], (source or "").strip() or None)


_TEXT_KEYS = {
    "year": "year",
    "年份": "year",
    "source": "source",
    "来源": "source",
    "holidays": "holidays",
    "法定节假日": "holidays",
    "节假日": "holidays",
    "makeup_workdays": "makeup_workdays",
    "调休上班日": "makeup_workdays",
    "调休": "makeup_workdays",
}


def _parse_text(text: str) -> dict[str, Any]:
    data: dict[str, Any] = {"holidays": [], "makeup_workdays": []}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"^([^:：]+)[:：](.*)$", line)
        if not m or m.group(1).strip() not in _TEXT_KEYS:
            raise CalendarError(
                f"第{number}行无法识别：“{raw.strip()}”（应为 year:、holidays:、makeup_workdays: 或 source:）"
            )
        key, value = m.group(1), m.group(2)
        field = _TEXT_KEYS[key.strip()]
        value = value.strip()
        if field in ("year", "source"):
            data[field] = value
        else:
            data[field].extend(v for v in re.split(r"[,，、;；\s]+", value) if v)
    return data


def parse_holiday_year(source: str | bytes | Mapping[str, Any]) -> HolidayYear:
    """Parse an import file (JSON or the simple text format, see the module doc) into a validated HolidayYear."""
    if isinstance(source, Mapping):
        return holiday_year_from_dict(source)
    text = source.decode("utf-8-sig") if isinstance(source, bytes) else source.lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CalendarError(f"节假日文件 JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}") from None
        return holiday_year_from_dict(data)
    return holiday_year_from_dict(_parse_text(_normalise_ranges(text)))


def _normalise_ranges(text: str) -> str:
    # "A .. B" with spaces becomes "A..B" so that splitting on blanks keeps a range together.
    return re.sub(r"\s*(\.\.|~|～|至)\s*", r"\1", text)


# ---------------------------------------------------------------------------------------------- the calendar


class WorkdayCalendar:
    """Working-day arithmetic over the known holiday years, weekends-only (provisional) elsewhere.

    ``cum[i]`` is the number of working days among the days ``base .. base + i`` (inclusive);
    ``nth[k]`` is the index of the k-th working day (``nth[0]`` is a sentinel). Both grow lazily.
    """

    def __init__(self, years: Iterable[HolidayYear] = ()) -> None:
        self._years: dict[int, HolidayYear] = {}
        for y in years:
            self._years[y.year] = y  # later entries override earlier ones (imported over shipped)
        self._holidays: frozenset[date] = frozenset().union(*(y.holidays for y in self._years.values()))
        self._makeups: frozenset[date] = frozenset().union(*(y.makeup_workdays for y in self._years.values()))
        if self._years:
            first, last = min(self._years) - _MARGIN_YEARS, max(self._years) + _MARGIN_YEARS
        else:
            first, last = 2000, 2040
        self._build(date(max(first, MIN_DATE.year), 1, 1), date(min(last, MAX_DATE.year), 12, 31))

    # -- table

    def _build(self, start: date, end: date) -> None:
        base = start.toordinal()
        n = end.toordinal() - base + 1
        cum = array("q", bytes(8 * n))
        nth = array("q", [base - 1])
        count = 0
        for i in range(n):
            ordinal = base + i
            if self._is_working_ordinal(ordinal):
                count += 1
                nth.append(ordinal)
            cum[i] = count
        # One assignment, so a reader on another thread never sees a half-replaced table.
        self._table: tuple[int, int, array[int], array[int]] = (base, base + n - 1, cum, nth)

    def _is_working_ordinal(self, ordinal: int) -> bool:
        d = date.fromordinal(ordinal)
        if d in self._makeups:
            return True
        if d in self._holidays:
            return False
        return d.weekday() < 5

    def _ensure(self, first: date, last: date) -> None:
        base, end_ord, _, _ = self._table
        if first.toordinal() >= base and last.toordinal() <= end_ord:
            return
        start = min(date.fromordinal(base), date(max(first.year - _MARGIN_YEARS, MIN_DATE.year), 1, 1))
        end = max(date.fromordinal(end_ord), date(min(last.year + _MARGIN_YEARS, MAX_DATE.year), 12, 31))
        self._build(start, end)

    # -- queries

    def known_years(self) -> list[int]:
        return sorted(self._years)

    def holiday_year(self, year: int) -> HolidayYear | None:
        return self._years.get(year)

    def is_provisional(self, d: date) -> bool:
        """True when d's year has no holiday data: it is computed on weekends alone (R-TM-05)."""
        return d.year not in self._years

    def is_provisional_span(self, start: date, end: date) -> bool:
        """True when any day after `start` up to `end` (or the reverse) lies in a year without data."""
        a, b = (start, end) if start <= end else (end, start)
        if a == b:
            return self.is_provisional(a)
        first = (a + timedelta(days=1)).year if a < MAX_DATE else a.year
        return any(y not in self._years for y in range(first, b.year + 1))

    def day_kind(self, d: date) -> DayKind:
        check_date(d)
        if d in self._makeups:
            return DayKind.MAKEUP_WORKDAY
        if d in self._holidays:
            return DayKind.HOLIDAY
        return DayKind.WEEKEND if d.weekday() >= 5 else DayKind.WORKDAY

    def is_workday(self, d: date) -> bool:
        check_date(d)
        base, end_ord, cum, _ = self._table
        i = d.toordinal() - base
        if 0 <= i <= end_ord - base:
            return cum[i] != (cum[i - 1] if i else 0)
        return self._is_working_ordinal(d.toordinal())

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after d; the start day is not counted (R-TM-02). n = 0 gives d itself."""
        base, end_ord, cum, nth = self._table
        i = d.toordinal() - base
        # Fast path: the table lies within MIN_DATE..MAX_DATE, so a date inside it needs no other check.
        if 0 < n <= MAX_WORKDAYS and i >= 0 and i + n * 2 + 40 <= end_ord - base:
            return date.fromordinal(nth[cum[i] + n])
        check_date(d)
        if n < 0:
            raise CalendarError(f"工作日数不能为负数：{n}", field="n")
        if n > MAX_WORKDAYS:
            raise CalendarError(f"工作日数{n}过大（最多{MAX_WORKDAYS}）", field="n")
        if n == 0:
            return d
        self._ensure(d, min(d + timedelta(days=n * 2 + 40), MAX_DATE))
        base, end_ord, cum, nth = self._table
        k = cum[d.toordinal() - base] + n
        if k >= len(nth):
            raise CalendarError(f"{cn_date(d)}加{n}个工作日超出可计算范围", field="n")
        return date.fromordinal(nth[k])

    def workdays_between(self, a: date, b: date) -> int:
        """Working days after a up to and including b (negative when b is before a).

        workdays_between(d, add_workdays(d, n)) == n.
        """
        base, end_ord, cum, _ = self._table
        ia, ib = a.toordinal() - base, b.toordinal() - base
        last = end_ord - base
        if 0 <= ia <= last and 0 <= ib <= last:
            return cum[ib] - cum[ia]
        check_date(a)
        check_date(b)
        self._ensure(min(a, b), max(a, b))
        base, end_ord, cum, _ = self._table
        return cum[b.toordinal() - base] - cum[a.toordinal() - base]

    def next_workday(self, d: date) -> date:
        """d itself when it is a working day, else the first working day after it."""
        check_date(d)
        if self.is_workday(d):
            return d
        return self.add_workdays(d, 1)

    def missing_next_year_warning(self, today: date) -> str | None:
        """In the fourth quarter, a Chinese reminder when next year's holiday table is missing (R-TM-05)."""
        if today.month < 10 or (today.year + 1) in self._years:
            return None
        nxt = today.year + 1
        return (
            f"尚未录入{nxt}年节假日安排：{nxt}年的期限暂按周末推算并标注“暂估”。"
            f"国务院办公厅发布{nxt}年部分节假日安排的通知后，请在“设置 → 节假日安排”中录入。"
        )
