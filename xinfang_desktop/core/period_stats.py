"""Period statistics (R-AS-01 批次/人次): calibers, the 同比/环比 periods, the counters and the rows of the report.

Pure rules: `persistence/period_queries.py` counts the submissions (信访件) of a period; the dates are the caller's.
Interpretations (**I**, the rules are silent on the exact counting):

- Every letter, visit, call or online petition *received* in the period counts: 批次 = submissions, 人次 = the people
  on them (one visit of 30 people = 1 批 30 人次), whatever the received date of its case.
- 去向 (R-CL-03): a visit's recorded destination (来县 / 来市 / 到省 / 进京); a letter, call or online petition has no
  destination in the ledger, so the level of the office that received it stands for one (county → 来县, city → 来市,
  province → 到省, national → 进京); what reached a township office is 乡镇 (not one of the four).
- 集体访 (R-CL-02): a visit of at least `collective_threshold` people (the setting, 5 by default), counted per visit.
- 越级访 (R-CL-03): a visit recorded as level-skipping. 重复访 (R-CL-04): a visit that is not the first submission of
  its case. 非正常上访: a visit recorded as abnormal.
- 同比: the same days one year earlier (29 February → 28 February). 环比: the period just before, of the same number of
  months when the period is whole months of its caliber, else of the same number of days.
- 同比/环比 change = (本期 − 比较期) ÷ 比较期 × 100%, one decimal half up; none ("—") when the base is 0.
- The 21–20 caliber (上月21日至本月20日): a month M covers the 21st of M−1 to the 20th of M; --from's month is the
  first month (a --from on the 21st starts the next month), --to's month the last.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from xinfang_desktop.core.codes import Channel, Destination, LabelledEnum
from xinfang_desktop.core.errors import DomainError

NO_VALUE = "—"
REPORTING_START_DAY = 21  # the 21–20 caliber: a reporting month starts on the 21st of the month before
REPORTING_END_DAY = 20


class Caliber(LabelledEnum):
    """统计口径: the natural month, or the 上月21日—本月20日 reporting month many bureaus use."""

    NATURAL = "natural", "自然月"
    REPORTING = "21-20", "上月21日至本月20日"


class GroupBy(LabelledEnum):
    """How the period report is split."""

    DESTINATION = "destination", "去向"
    CATEGORY = "category", "内容分类"
    LOCALITY = "locality", "乡镇（属地）"
    UNIT = "unit", "责任单位"
    CHANNEL = "channel", "信访形式"


#: The township-office row of the destination grouping (not one of the four destinations of R-CL-03).
TOWNSHIP_DESTINATION = "township"
TOWNSHIP_DESTINATION_LABEL = "乡镇"
#: The channels in the report's column order (R-CL-01).
CHANNELS: tuple[Channel, ...] = (Channel.LETTER, Channel.VISIT, Channel.ONLINE, Channel.PHONE, Channel.LEADER_MAILBOX)


@dataclass(frozen=True)
class SpecialCount:
    """A count of visits the report shows beside the groups (集体访, 越级访, 重复访, 非正常上访)."""

    id: str
    name: str
    description: str
    rules: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "description": self.description, "rule": ", ".join(self.rules)}


SPECIALS: tuple[SpecialCount, ...] = (
    SpecialCount("collective", "集体访", "一次来访人数达到集体访人数标准", ("R-CL-02", "R-AS-01")),
    SpecialCount("level_skipping", "越级访", "越过有权处理机关直接到上级机关的来访", ("R-CL-03", "R-AS-01")),
    SpecialCount("repeat", "重复访", "同一信访事项第二次及以后的来访", ("R-CL-04", "R-AS-01")),
    SpecialCount("abnormal", "非正常上访", "登记为非正常上访的来访", ("R-AS-01", "R-AS-03")),
)
SPECIAL_IDS = tuple(s.id for s in SPECIALS)

#: The counters of one group: 批次/人次 in all, per channel, and of each special kind of visit (all additive).
COUNTER_NAMES: tuple[str, ...] = (
    "batches",
    "persons",
    *(f"{c.value}_{k}" for c in CHANNELS for k in ("batches", "persons")),
    *(f"{s}_{k}" for s in SPECIAL_IDS for k in ("batches", "persons")),
)


@dataclass(frozen=True)
class Tally:
    """The counters of one group in one period (missing counters are 0)."""

    values: Mapping[str, int] = field(default_factory=dict)

    def get(self, name: str) -> int:
        return int(self.values.get(name, 0))

    @property
    def batches(self) -> int:
        return self.get("batches")

    @property
    def persons(self) -> int:
        return self.get("persons")

    def __add__(self, other: Tally) -> Tally:
        names = set(self.values) | set(other.values)
        return Tally({n: self.get(n) + other.get(n) for n in names})

    def is_empty(self) -> bool:
        return not any(self.values.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "batches": self.batches,
            "person_visits": self.persons,
            "by_channel": {
                c.value: {"batches": self.get(f"{c.value}_batches"), "person_visits": self.get(f"{c.value}_persons")}
                for c in CHANNELS
            },
        }


def sum_tallies(items: Iterable[Tally]) -> Tally:
    result = Tally()
    for item in items:
        result = result + item
    return result


# ------------------------------------------------------------------------------------------------ periods


def _month_end(year: int, month: int) -> date:
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def month_bounds(year: int, month: int, caliber: Caliber) -> tuple[date, date]:
    """The first and last day of statistical month (year, month) under the caliber."""
    if caliber is Caliber.NATURAL:
        return date(year, month, 1), _month_end(year, month)
    py, pm = _add_months(year, month, -1)
    return date(py, pm, REPORTING_START_DAY), date(year, month, REPORTING_END_DAY)


def month_of(day: date, caliber: Caliber) -> tuple[int, int]:
    """The statistical month a day is counted in (under 21–20, the 21st and later belong to the next month)."""
    if caliber is Caliber.REPORTING and day.day >= REPORTING_START_DAY:
        return _add_months(day.year, day.month, 1)
    return day.year, day.month


@dataclass(frozen=True)
class StatPeriod:
    """The days counted, both ends included, and the caliber they were chosen under; `months` is the number of whole
    statistical months the period is (None when it is not whole months)."""

    start: date
    end: date
    caliber: Caliber = Caliber.NATURAL
    months: int | None = None

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise DomainError(
                f"统计期间的开始日期 {self.start.isoformat()} 晚于结束日期 {self.end.isoformat()}", field="from"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    @property
    def label_cn(self) -> str:
        """For paper: 2026年3月1日至2026年3月31日."""
        return f"{_cn(self.start)}至{_cn(self.end)}"

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "days": self.days, "months": self.months}


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _whole_months(start: date, end: date, caliber: Caliber) -> int | None:
    sy, sm = month_of(start, caliber)
    ey, em = month_of(end, caliber)
    if month_bounds(sy, sm, caliber)[0] != start or month_bounds(ey, em, caliber)[1] != end:
        return None
    return (ey * 12 + em) - (sy * 12 + sm) + 1


def resolve_period(start: date, end: date, caliber: Caliber) -> StatPeriod:
    """The period counted for --from/--to under the caliber: the dates as given (natural), or the statistical months
    from --from's to --to's (21–20; a --from on or after the 21st starts the next month)."""
    if start > end:
        raise DomainError(f"统计期间的开始日期 {start.isoformat()} 晚于结束日期 {end.isoformat()}", field="from")
    if caliber is Caliber.REPORTING:
        sy, sm = month_of(start, caliber)
        ey, em = end.year, end.month
        if (ey, em) < (sy, sm):  # e.g. --from 03-25 --to 03-31: both in April's reporting month
            ey, em = sy, sm
        start, end = month_bounds(sy, sm, caliber)[0], month_bounds(ey, em, caliber)[1]
    return StatPeriod(start, end, caliber, _whole_months(start, end, caliber))


def month_period(year: int, month: int, caliber: Caliber, count: int = 1) -> StatPeriod:
    """`count` statistical months starting with (year, month)."""
    ey, em = _add_months(year, month, count - 1)
    return StatPeriod(month_bounds(year, month, caliber)[0], month_bounds(ey, em, caliber)[1], caliber, count)


def _year_earlier(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return date(d.year - 1, 2, 28)


def same_period_last_year(period: StatPeriod) -> StatPeriod:
    """同比: the same statistical months (or days) one year earlier."""
    if period.months is not None:
        sy, sm = month_of(period.start, period.caliber)
        return month_period(sy - 1, sm, period.caliber, period.months)
    return StatPeriod(_year_earlier(period.start), _year_earlier(period.end), period.caliber, None)


def previous_period(period: StatPeriod) -> StatPeriod:
    """环比: the months (or days) just before, as many as the period has."""
    if period.months is not None:
        sy, sm = month_of(period.start, period.caliber)
        py, pm = _add_months(sy, sm, -period.months)
        return month_period(py, pm, period.caliber, period.months)
    end = period.start - timedelta(days=1)
    return StatPeriod(end - timedelta(days=period.days - 1), end, period.caliber, None)


def monthly_periods(period: StatPeriod) -> list[StatPeriod]:
    """The statistical months the period touches, each clipped to the period (the trend chart's points)."""
    out: list[StatPeriod] = []
    y, m = month_of(period.start, period.caliber)
    while True:
        start, end = month_bounds(y, m, period.caliber)
        if start > period.end:
            break
        out.append(StatPeriod(max(start, period.start), min(end, period.end), period.caliber, None))
        y, m = _add_months(y, m, 1)
    return out


def caliber_note(caliber: Caliber) -> str:
    """The caliber as printed on every report and export."""
    if caliber is Caliber.REPORTING:
        return "统计口径：统计月为上月21日至本月20日；按信访件收到日期计入期间"
    return "统计口径：自然月（每月1日至月末）；按信访件收到日期计入期间"


COUNTING_NOTE = (
    "批次为信访件（来信、来访、网上信访、电话、领导信箱）件次，人次为各件信访人数之和；"
    "来信、电话、网上信访的去向按受理机关层级计"
)
CHANGE_NOTE = "同比 =（本期 − 去年同期）÷ 去年同期 × 100%；环比 =（本期 − 上期）÷ 上期 × 100%；比较期为0时记“—”"


# ------------------------------------------------------------------------------------------------ rows


def change(current: int, base: int) -> float | None:
    """(current − base) / base × 100 with one decimal, half away from zero; None without a base."""
    if base <= 0:
        return None
    diff = current - base
    tenths = (abs(diff) * 2000 + base) // (2 * base)
    return (tenths if diff >= 0 else -tenths) / 10


def format_change(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    return f"{value:+.1f}%" if value else "0.0%"


@dataclass(frozen=True)
class PeriodRow:
    """One line: a group (or a special count, or the 合计) in the period, a year earlier and the period before."""

    key: str | None
    name: str
    current: Tally
    last_year: Tally
    previous: Tally
    is_total: bool = False
    prefix: str = ""  # counters of a special kind of visit ("collective_"), "" for the whole group

    def pair(self, tally: Tally) -> tuple[int, int]:
        return tally.get(f"{self.prefix}batches"), tally.get(f"{self.prefix}persons")

    @property
    def numbers(self) -> tuple[int, int, int, int, int, int]:
        """本期批次, 本期人次, 同期批次, 同期人次, 上期批次, 上期人次."""
        return (*self.pair(self.current), *self.pair(self.last_year), *self.pair(self.previous))

    @property
    def yoy(self) -> tuple[float | None, float | None]:
        b, p, lb, lp, _, _ = self.numbers
        return change(b, lb), change(p, lp)

    @property
    def mom(self) -> tuple[float | None, float | None]:
        b, p, _, _, qb, qp = self.numbers
        return change(b, qb), change(p, qp)

    def cells(self) -> list[int | float | None]:
        """The ten numeric columns of the table: 本期, 去年同期, 同比, 上期, 环比 — each 批次 then 人次."""
        b, p, lb, lp, qb, qp = self.numbers
        return [b, p, lb, lp, *self.yoy, qb, qp, *self.mom]

    def to_json(self) -> dict[str, Any]:
        b, p, lb, lp, qb, qp = self.numbers
        yb, yp = self.yoy
        mb, mp = self.mom
        out: dict[str, Any] = {
            "key": self.key,
            "name": self.name,
            "current": {"batches": b, "person_visits": p},
            "same_period_last_year": {"batches": lb, "person_visits": lp},
            "previous_period": {"batches": qb, "person_visits": qp},
            "yoy": {"batches": yb, "person_visits": yp},
            "mom": {"batches": mb, "person_visits": mp},
        }
        if not self.prefix:
            out["by_channel"] = self.current.to_json()["by_channel"]
        return out


#: The column titles of the table (a two-row header: the period, then 批次 / 人次 under each).
COLUMN_GROUPS: tuple[str, ...] = ("本期", "去年同期", "同比", "上期", "环比")
SUB_COLUMNS: tuple[str, ...] = ("批次", "人次")


def compose_rows(
    current: Mapping[str | None, Tally],
    last_year: Mapping[str | None, Tally],
    previous: Mapping[str | None, Tally],
    names: Mapping[str | None, str],
    order: Sequence[str | None] = (),
    *,
    keep: Sequence[str | None] = (),
) -> list[PeriodRow]:
    """One row per group seen in any of the three periods (or listed in `keep`), in `order` first, the rest by name;
    then the 合计."""
    seen = [k for k in dict.fromkeys([*keep, *current, *last_year, *previous])]
    seen = [k for k in seen if k in keep or not _all_empty(k, current, last_year, previous)]
    rank = {k: i for i, k in enumerate(order)}
    seen.sort(key=lambda k: (rank.get(k, len(rank)), k is None, names.get(k, str(k))))
    empty = Tally()
    rows = [
        PeriodRow(k, names.get(k, str(k)), current.get(k, empty), last_year.get(k, empty), previous.get(k, empty))
        for k in seen
    ]
    total = PeriodRow(
        None,
        "合计",
        sum_tallies(current.values()),
        sum_tallies(last_year.values()),
        sum_tallies(previous.values()),
        is_total=True,
    )
    return [*rows, total]


def _all_empty(key: str | None, *maps: Mapping[str | None, Tally]) -> bool:
    return all(m.get(key, Tally()).is_empty() for m in maps)


def special_rows(total: PeriodRow) -> list[PeriodRow]:
    """集体访, 越级访, 重复访, 非正常上访 of the whole county, from the 合计's counters."""
    return [
        PeriodRow(s.id, s.name, total.current, total.last_year, total.previous, prefix=f"{s.id}_") for s in SPECIALS
    ]


def destination_order() -> list[str | None]:
    return [*(d.value for d in Destination), TOWNSHIP_DESTINATION, None]


def destination_names() -> dict[str | None, str]:
    names: dict[str | None, str] = {d.value: d.label for d in Destination}
    names[TOWNSHIP_DESTINATION] = TOWNSHIP_DESTINATION_LABEL
    names[None] = "去向未记录"
    return names


def channel_order() -> list[str | None]:
    return [c.value for c in CHANNELS]


def channel_names() -> dict[str | None, str]:
    return {c.value: c.label for c in Channel}
