"""Leader reception duty and instructions (R-RC): periods, compliance in green and red, the 阅批 meter, the roster.

Pure rules: `today` is passed in. The required frequencies and the 30% share are data (`ReceptionRules`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.packages import LeaderLevel


class PeriodKind:
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    WEEK = "week"


@dataclass(frozen=True, order=True)
class Period:
    """A span of days [start, end] with a label such as 2026Q3, 2026-07, 2026W27 or 2026."""

    start: date
    end: date
    kind: str
    label: str

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def to_json(self) -> dict[str, str]:
        return {"period": self.label, "kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), PeriodKind.YEAR, f"{year}")


def quarter_period(year: int, q: int) -> Period:
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
    return Period(start, end, PeriodKind.QUARTER, f"{year}Q{q}")


def month_period(year: int, m: int) -> Period:
    end = (date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1)) - timedelta(days=1)
    return Period(date(year, m, 1), end, PeriodKind.MONTH, f"{year}-{m:02d}")


def week_period(d: date) -> Period:
    """The ISO week (Monday to Sunday) containing d."""
    start = d - timedelta(days=d.weekday())
    iso = start.isocalendar()
    return Period(start, start + timedelta(days=6), PeriodKind.WEEK, f"{iso.year}W{iso.week:02d}")


_PERIOD_RE = re.compile(r"^(\d{4})(?:(?:Q|-Q)([1-4])|-(\d{1,2})|W(\d{1,2}))?$", re.IGNORECASE)


def parse_period(text: str) -> Period:
    """2026 (year), 2026Q3 (quarter), 2026-07 (month) or 2026W27 (ISO week)."""
    m = _PERIOD_RE.match((text or "").strip())
    if not m:
        raise DomainError(f"期间格式错误：“{text}”，应为 2026、2026Q3、2026-07 或 2026W27", field="period")
    year = int(m.group(1))
    if not 1900 <= year <= 2999:
        raise DomainError(f"期间的年份无效：“{text}”", field="period")
    if m.group(2):
        return quarter_period(year, int(m.group(2)))
    if m.group(3):
        month = int(m.group(3))
        if not 1 <= month <= 12:
            raise DomainError(f"期间的月份无效：“{text}”", field="period")
        return month_period(year, month)
    if m.group(4):
        week = int(m.group(4))
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise DomainError(f"期间的周数无效：“{text}”", field="period") from None
        return week_period(monday)
    return year_period(year)


def parse_quarter(text: str) -> Period:
    period = parse_period(text)
    if period.kind != PeriodKind.QUARTER:
        raise DomainError(f"季度格式错误：“{text}”，应为 2026Q3", field="quarter")
    return period


def windows_of(kind: str, period: Period) -> list[Period]:
    """The duty windows of one kind (quarter, month, week) that overlap the period, whole."""
    out: list[Period] = []
    d = period.start
    while d <= period.end:
        if kind == PeriodKind.QUARTER:
            w = quarter_period(d.year, (d.month - 1) // 3 + 1)
        elif kind == PeriodKind.MONTH:
            w = month_period(d.year, d.month)
        elif kind == PeriodKind.WEEK:
            w = week_period(d)
        else:
            w = year_period(d.year)
        out.append(w)
        d = w.end + timedelta(days=1)
    return out


@dataclass(frozen=True)
class ReceptionRules:
    """R-RC-01 and R-RC-02 as data: the window of each level, the days required in it, the 阅批 share."""

    window: dict[LeaderLevel, str] = field(
        default_factory=lambda: {
            LeaderLevel.CITY: PeriodKind.QUARTER,
            LeaderLevel.COUNTY: PeriodKind.MONTH,
            LeaderLevel.TOWNSHIP: PeriodKind.WEEK,
        }
    )
    days_required: int = 1
    instruction_share: float = 0.30


DEFAULT_RECEPTION_RULES = ReceptionRules()


class Light:
    GREEN = "green"
    RED = "red"
    PENDING = "pending"  # the window has not ended and the day is not yet held


LIGHT_LABELS = {Light.GREEN: "达标", Light.RED: "未达标", Light.PENDING: "进行中"}


@dataclass(frozen=True)
class ReceptionDayInfo:
    leader_id: int
    on: date
    held: bool
    received: int = 0


@dataclass(frozen=True)
class WindowCompliance:
    window: Period
    held_days: tuple[date, ...]
    missed_days: tuple[date, ...]  # planned days that passed without a reception
    missing: int  # days still owed in the window
    light: str

    def to_json(self) -> dict[str, object]:
        return {
            **self.window.to_json(),
            "held_days": [d.isoformat() for d in self.held_days],
            "missed_days": [d.isoformat() for d in self.missed_days],
            "missing": self.missing,
            "light": self.light,
            "light_label": LIGHT_LABELS[self.light],
        }


@dataclass(frozen=True)
class LeaderCompliance:
    leader_id: int
    level: LeaderLevel
    windows: tuple[WindowCompliance, ...]

    @property
    def light(self) -> str:
        lights = {w.light for w in self.windows}
        if Light.RED in lights:
            return Light.RED
        return Light.PENDING if Light.PENDING in lights else Light.GREEN

    @property
    def missing(self) -> int:
        return sum(w.missing for w in self.windows if w.light == Light.RED)

    def to_json(self) -> dict[str, object]:
        return {
            "leader_id": self.leader_id,
            "level": self.level.label,
            "light": self.light,
            "light_label": LIGHT_LABELS[self.light],
            "missing": self.missing,
            "windows": [w.to_json() for w in self.windows],
        }


def compliance(
    leader_id: int,
    level: LeaderLevel,
    days: Iterable[ReceptionDayInfo],
    period: Period,
    today: date,
    rules: ReceptionRules = DEFAULT_RECEPTION_RULES,
) -> LeaderCompliance:
    """R-RC-01: per window of the leader's level (city quarter, county month, township week) overlapping the
    period, green when the required reception days were held, red when the window ended without them, pending
    while it runs. Planned days that passed without a reception are listed as missed."""
    mine = [d for d in days if d.leader_id == leader_id]
    out: list[WindowCompliance] = []
    for w in windows_of(rules.window[level], period):
        inside = [d for d in mine if w.contains(d.on)]
        held = tuple(sorted({d.on for d in inside if d.held}))
        missed = tuple(sorted({d.on for d in inside if not d.held and d.on < today} - set(held)))
        missing = max(rules.days_required - len(held), 0)
        if missing == 0:
            light = Light.GREEN
        elif w.end < today:
            light = Light.RED
        else:
            light = Light.PENDING
        out.append(WindowCompliance(w, held, missed, missing, light))
    return LeaderCompliance(leader_id, level, tuple(out))


# ------------------------------------------------------------------------------------------------ 阅批 meter


@dataclass(frozen=True)
class InstructionMeter:
    """R-RC-02: of the first letters in the leader's area in the quarter, the share the leader instructed."""

    leader_id: int
    first_letters: int
    instructed: int
    applies: bool  # principal leaders carry the 30% duty
    threshold: float

    @property
    def share(self) -> float | None:
        return round(self.instructed / self.first_letters, 4) if self.first_letters else None

    @property
    def light(self) -> str:
        if not self.applies:
            return Light.PENDING
        share = self.share
        return Light.GREEN if share is not None and share >= self.threshold else Light.RED

    def to_json(self) -> dict[str, object]:
        return {
            "leader_id": self.leader_id,
            "first_letters": self.first_letters,
            "instructed": self.instructed,
            "share": self.share,
            "threshold": self.threshold,
            "applies": self.applies,
            "light": self.light if self.applies else None,
            "met": (self.light == Light.GREEN) if self.applies else None,
        }


def instruction_meter(
    leader_id: int,
    first_letters: Iterable[int],
    instructed_cases: Iterable[int],
    *,
    applies: bool,
    rules: ReceptionRules = DEFAULT_RECEPTION_RULES,
) -> InstructionMeter:
    """`first_letters`: case ids of the quarter's first letters in the leader's area; `instructed_cases`: the
    cases this leader instructed (any date). Only letters of the quarter count."""
    letters = set(first_letters)
    done = letters & set(instructed_cases)
    return InstructionMeter(leader_id, len(letters), len(done), applies, rules.instruction_share)


# ------------------------------------------------------------------------------------------------ duty roster


@dataclass(frozen=True)
class RosterDay:
    on: date
    on_duty: dict[LeaderLevel, tuple[int, ...]]

    @property
    def gaps(self) -> tuple[LeaderLevel, ...]:
        return tuple(lv for lv, ids in self.on_duty.items() if not ids)

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.on.isoformat(),
            "on_duty": {lv.label: list(ids) for lv, ids in self.on_duty.items()},
            "gaps": [lv.label for lv in self.gaps],
        }


def duty_roster(
    start: date,
    end: date,
    days: Iterable[ReceptionDayInfo],
    levels: dict[int, LeaderLevel],
    want: Sequence[LeaderLevel],
) -> list[RosterDay]:
    """R-RC-01 special protection periods: every day a leader on duty at each wanted level; gaps are listed."""
    if end < start:
        raise DomainError(f"截止日期 {end} 早于起始日期 {start}", field="to")
    if (end - start).days > 366:
        raise DomainError("值班表的期间不能超过一年", field="to")
    by_day: dict[date, dict[LeaderLevel, set[int]]] = {}
    for rd in days:
        level = levels.get(rd.leader_id)
        if level is not None and start <= rd.on <= end:
            by_day.setdefault(rd.on, {}).setdefault(level, set()).add(rd.leader_id)
    out: list[RosterDay] = []
    day = start
    while day <= end:
        found = by_day.get(day, {})
        out.append(RosterDay(day, {lv: tuple(sorted(found.get(lv, set()))) for lv in want}))
        day += timedelta(days=1)
    return out
