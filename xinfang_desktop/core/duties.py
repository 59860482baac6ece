"""职责落实 — the periodic duties the regulations put on bodies and leaders, and their compliance per period.

Which duties apply is data: the rule profile's ``duties`` section (resources/rules/*.json), parsed here into `Duty`:

- R-RC-04: 党委常委会会议 / 政府常务会议 hear petition-work reports (S0 art 4: at least 2 a year; S4 §1: each quarter);
  the leader in charge hears a topic report each quarter (S0 art 4);
- R-RC-05: the annual joint inspection and each organ's annual special inspection (S0 art 12, S1 art 9, S3 art 9);
- R-RC-06: leaders visit their contact unit each quarter (S4 §3: 根据联系点和分工…每季度至少到联点单位调研督导1次).
  A duty with ``"place": "contact_point"`` counts a visit only when made at one of the leader's contact points of
  that year (a township or a unit, `persistence/duties/contact_points.py`); a visit elsewhere stays on file but
  does not count, and is named. A leader with no contact point registered for the year has his visits counted
  unchecked, and the row says so (**I**: refusing them would hide that the division of work was never entered);
- R-RC-03: 矛盾纠纷排查 — city quarterly, county and units monthly, township every half month (S4 §14).

Each duty has a period (year, half year, quarter, month, half month) and a minimum count in it. For a period P chosen by
the user the duty is judged in *slots*: a duty finer than P is judged in each of its periods inside P (a monthly duty
seen over a quarter: three slots); a coarser duty in the one period of its own kind that contains P (a yearly duty seen
from a quarter: the whole year). A slot is met when enough records fall in it; missed when it ended without them; open
while it runs; not started before it begins. Pure rules: `today` is passed in, nothing is read here.

Half-months are the 1st–15th and the 16th–last day of a month (**I**: S4 §14 says 每半月 without fixing the cut).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.errors import DomainError

MAX_MIN_COUNT = 366
_KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
QUARTER_NAMES = ("一", "二", "三", "四")


class DutiesError(DomainError):
    """The duties section of a rule profile is malformed."""


class AppliesTo(LabelledEnum):
    """Who carries a duty: the county's own body, each county unit, each township, each leader of a level."""

    COUNTY = "county", "县本级"
    UNITS = "units", "县直单位"
    TOWNSHIPS = "townships", "乡镇（街道）"
    LEADERS = "leaders", "领导"


class PeriodKind(LabelledEnum):
    """The period of a duty, finest first (`rank`)."""

    HALF_MONTH = "half_month", "半月"
    MONTH = "month", "月"
    QUARTER = "quarter", "季度"
    HALF_YEAR = "half_year", "半年"
    YEAR = "year", "年"

    @property
    def rank(self) -> int:
        return list(PeriodKind).index(self)

    @property
    def every(self) -> str:
        """每半月 / 每月 / 每季度 / 每半年 / 每年."""
        return f"每{self.label}"


class LeaderLevelCode(LabelledEnum):
    """The level of the leaders a leader duty applies to (the values of core.packages.LeaderLevel)."""

    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇"


class PlaceRule(LabelledEnum):
    """Where a duty must be done to count: at one of the subject's contact points (R-RC-06)."""

    CONTACT_POINT = "contact_point", "联系点"


class SlotStatus(LabelledEnum):
    """The compliance of one slot (and, summed up, of a duty for one subject)."""

    MET = "met", "达标"
    MISSED = "missed", "未达标"
    OPEN = "open", "进行中"
    NOT_STARTED = "not_started", "未开始"

    @property
    def light(self) -> str:
        """green (met), red (missed), grey (open or not started) — as the reception compliance shows it."""
        return {SlotStatus.MET: "green", SlotStatus.MISSED: "red"}.get(self, "grey")


# --- periods ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Span:
    """A span of days [start, end] of one kind: `code` 2026, 2026H1, 2026Q3, 2026-07, 2026-07-H2; `label` in Chinese."""

    start: date
    end: date
    kind: PeriodKind
    code: str
    label: str

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def to_json(self) -> dict[str, str]:
        return {
            "period": self.code,
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def _month_end(year: int, month: int) -> date:
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


def year_span(year: int) -> Span:
    return Span(date(year, 1, 1), date(year, 12, 31), PeriodKind.YEAR, f"{year}", f"{year}年")


def half_year_span(year: int, half: int) -> Span:
    start, end = (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))
    return Span(start, end, PeriodKind.HALF_YEAR, f"{year}H{half}", f"{year}年{'上' if half == 1 else '下'}半年")


def quarter_span(year: int, q: int) -> Span:
    start = date(year, 3 * q - 2, 1)
    label = f"{year}年第{QUARTER_NAMES[q - 1]}季度"
    return Span(start, _month_end(year, 3 * q), PeriodKind.QUARTER, f"{year}Q{q}", label)


def month_span(year: int, month: int) -> Span:
    return Span(
        date(year, month, 1), _month_end(year, month), PeriodKind.MONTH, f"{year}-{month:02d}", f"{year}年{month}月"
    )


def half_month_span(year: int, month: int, half: int) -> Span:
    """The 1st–15th (half 1) or the 16th–last day (half 2) of a month."""
    end_of_month = _month_end(year, month)
    start, end = (date(year, month, 1), date(year, month, 15)) if half == 1 else (date(year, month, 16), end_of_month)
    words = "上半月（1—15日）" if half == 1 else f"下半月（16—{end_of_month.day}日）"
    return Span(start, end, PeriodKind.HALF_MONTH, f"{year}-{month:02d}-H{half}", f"{year}年{month}月{words}")


def span_containing(kind: PeriodKind, d: date) -> Span:
    """The span of `kind` that contains the day d."""
    if kind is PeriodKind.YEAR:
        return year_span(d.year)
    if kind is PeriodKind.HALF_YEAR:
        return half_year_span(d.year, 1 if d.month <= 6 else 2)
    if kind is PeriodKind.QUARTER:
        return quarter_span(d.year, (d.month - 1) // 3 + 1)
    if kind is PeriodKind.MONTH:
        return month_span(d.year, d.month)
    return half_month_span(d.year, d.month, 1 if d.day <= 15 else 2)


_PERIOD_RE = re.compile(r"^(\d{4})(?:H([12])|Q([1-4])|-(\d{1,2})(?:-H([12]))?)?$", re.IGNORECASE)
PERIOD_FORMS = "2026（全年）、2026H1/2026H2（上/下半年）、2026Q1…2026Q4（季度）、2026-03（月）"


def parse_period(text: str) -> Span:
    """2026 (year), 2026H1 / 2026H2 (half year), 2026Q1…2026Q4 (quarter), 2026-03 (month); a half-month slot code
    such as 2026-03-H2 is read back too."""
    raw = (text or "").strip()
    m = _PERIOD_RE.match(raw)
    if not m:
        raise DomainError(f"期间格式错误：“{text}”，应为 {PERIOD_FORMS}", field="period")
    year = int(m.group(1))
    if not 2000 <= year <= 2199:
        raise DomainError(f"期间的年份应在 2000—2199 之间：“{text}”", field="period")
    if m.group(2):
        return half_year_span(year, int(m.group(2)))
    if m.group(3):
        return quarter_span(year, int(m.group(3)))
    if m.group(4):
        month = int(m.group(4))
        if not 1 <= month <= 12:
            raise DomainError(f"期间的月份应为 1—12：“{text}”", field="period")
        return half_month_span(year, month, int(m.group(5))) if m.group(5) else month_span(year, month)
    return year_span(year)


def slots_of(kind: PeriodKind, period: Span) -> list[Span]:
    """The spans of a duty's period kind in which it is judged over `period`: every span of `kind` inside it when the
    duty is as fine or finer (the kinds nest), else the one span of `kind` containing it."""
    if kind.rank >= period.kind.rank:
        return [span_containing(kind, period.start)]
    out: list[Span] = []
    d = period.start
    while d <= period.end:
        span = span_containing(kind, d)
        out.append(span)
        d = span.end + timedelta(days=1)
    return out


# --- duties -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duty:
    """One periodic duty of the profile: at least `min_count` records each `period` for every subject it applies to."""

    kind: str
    label: str
    applies_to: AppliesTo
    period: PeriodKind
    min_count: int
    rule: str
    citation: str
    body: str | None = None  # the county body holding it (县委常委会 …), for applies_to county
    leader_level: LeaderLevelCode | None = None  # for applies_to leaders
    place: PlaceRule | None = None  # where a record must be made to count (a leader's contact point)

    def requirement(self) -> str:
        """每季度至少1次 / 每年至少2次 (到联系点)."""
        where = f"到{self.place.label}" if self.place is not None else ""
        return f"{self.period.every}至少{where}{self.min_count}次"

    def subject_label(self) -> str:
        if self.applies_to is AppliesTo.LEADERS and self.leader_level is not None:
            return f"{self.leader_level.label}领导"
        return self.applies_to.label

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "applies_to": self.applies_to.value,
            "applies_to_label": self.subject_label(),
            "body": self.body,
            "leader_level": self.leader_level.value if self.leader_level else None,
            "place": self.place.value if self.place else None,
            "period": self.period.value,
            "period_label": self.period.label,
            "min_count": self.min_count,
            "requirement": self.requirement(),
            "rule": self.rule,
            "citation": self.citation,
        }


def _text(item: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DutiesError(f"{where}缺少“{key}”", field=key)
        return None
    if not isinstance(value, str):
        raise DutiesError(f"{where}的“{key}”应为文本", field=key)
    return value.strip()


def _enum(cls: type[LabelledEnum], item: Mapping[str, Any], key: str, where: str) -> Any:
    text = _text(item, key, where)
    assert text is not None
    for member in cls:
        if text == member.value:
            return member
    choices = "、".join(m.value for m in cls)
    raise DutiesError(f"{where}的“{key}”无效：“{text}”，可选：{choices}", field=key)


_DUTY_KEYS = {"kind", "label", "applies_to", "body", "period", "min_count", "rule", "citation", "leader_level", "place"}


def duty_from_dict(item: Mapping[str, Any], where: str = "职责") -> Duty:
    if not isinstance(item, Mapping):
        raise DutiesError(f"{where}应为一个对象")
    kind = _text(item, "kind", where)
    assert kind is not None
    if not _KIND_RE.match(kind):
        raise DutiesError(f"{where}的类型“{kind}”无效（小写字母开头，仅含小写字母、数字、_）", field="kind")
    where = f"职责 {kind} "
    unknown = sorted(set(item) - _DUTY_KEYS)
    if unknown:
        raise DutiesError(f"{where}含有未知字段：{'、'.join(unknown)}")
    applies_to: AppliesTo = _enum(AppliesTo, item, "applies_to", where)
    count = item.get("min_count")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_MIN_COUNT:
        raise DutiesError(f"{where}的“min_count”应为 1—{MAX_MIN_COUNT} 的整数，现为“{count}”", field="min_count")
    body = _text(item, "body", where, required=applies_to is AppliesTo.COUNTY)
    level = None
    if item.get("leader_level") is not None:
        if applies_to is not AppliesTo.LEADERS:
            raise DutiesError(f"{where}只有领导的职责可设“leader_level”", field="leader_level")
        level = _enum(LeaderLevelCode, item, "leader_level", where)
    place = None
    if item.get("place") is not None:
        if applies_to is not AppliesTo.LEADERS:
            raise DutiesError(f"{where}只有领导的职责可设“place”（联系点）", field="place")
        place = _enum(PlaceRule, item, "place", where)
    return Duty(
        kind=kind,
        label=_text(item, "label", where) or kind,
        applies_to=applies_to,
        period=_enum(PeriodKind, item, "period", where),
        min_count=count,
        rule=_text(item, "rule", where) or "",
        citation=_text(item, "citation", where) or "",
        body=body,
        leader_level=level,
        place=place,
    )


def parse_duties(section: Any) -> tuple[Duty, ...]:
    """The duties section of a profile (None: no duties); kinds are unique."""
    if section is None:
        return ()
    if not isinstance(section, list):
        raise DutiesError("规则配置的职责（duties）应为一个列表", field="duties")
    duties: list[Duty] = []
    seen: set[str] = set()
    for n, item in enumerate(section, start=1):
        duty = duty_from_dict(item, f"第{n}项职责")
        if duty.kind in seen:
            raise DutiesError(f"职责类型“{duty.kind}”重复", field="duties")
        seen.add(duty.kind)
        duties.append(duty)
    return tuple(duties)


def find_duty(duties: Sequence[Duty], text: str, profile_name: str = "规则配置") -> Duty:
    """A duty by its kind or its label; an unknown one names the choices."""
    key = (text or "").strip()
    for duty in duties:
        if key in (duty.kind, duty.label):
            return duty
    choices = "、".join(f"{d.kind}（{d.label}）" for d in duties) or "无"
    raise DomainError(f"{profile_name}中没有职责“{text}”，可选：{choices}", field="kind")


# --- compliance ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """Who carries a duty: key "county", "unit:<id>", "township:<code>" or "leader:<id>", and the name shown."""

    key: str
    name: str


@dataclass(frozen=True)
class DutyEvent:
    """One recorded duty: which kind, which day, for which subject (its key), the record id, and the place it was
    done ("unit:<id>" / "township:<code>", with its name) when the record names one."""

    kind: str
    held_on: date
    subject_key: str
    record_id: int = 0
    place: str | None = None
    place_name: str | None = None


# A subject's contact points by year: subject key → year → the places ("unit:<id>" / "township:<code>").
ContactPoints = Mapping[str, Mapping[int, frozenset[str]]]


@dataclass(frozen=True)
class SlotCompliance:
    slot: Span
    required: int
    record_ids: tuple[int, ...]
    dates: tuple[date, ...]
    status: SlotStatus

    @property
    def count(self) -> int:
        return len(self.record_ids)

    @property
    def short(self) -> int:
        return max(self.required - self.count, 0)

    def missing_text(self) -> str | None:
        """What is missing in this slot, or None when nothing is (met, or not started)."""
        if self.status is SlotStatus.MISSED:
            return f"{self.slot.label}缺{self.short}次（应至少{self.required}次，实{self.count}次）"
        if self.status is SlotStatus.OPEN:
            return f"{self.slot.label}尚需{self.short}次（截至{self.slot.end.isoformat()}）"
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.slot.to_json(),
            "required": self.required,
            "count": self.count,
            "short": self.short,
            "dates": [d.isoformat() for d in self.dates],
            "record_ids": list(self.record_ids),
            "status": self.status.value,
            "status_label": self.status.label,
            "light": self.status.light,
            "missing": self.missing_text(),
        }


def slot_status(slot: Span, count: int, required: int, today: date) -> SlotStatus:
    """met with enough records (even before the slot ends); missed once it ended without them (the slot's last day
    still counts as open); open while it runs; not started before its first day."""
    if count >= required:
        return SlotStatus.MET
    if slot.end < today:
        return SlotStatus.MISSED
    if slot.start > today:
        return SlotStatus.NOT_STARTED
    return SlotStatus.OPEN


@dataclass(frozen=True)
class DutyCompliance:
    """A duty for one subject over a period: its slots and the status they add up to."""

    duty: Duty
    subject: Subject
    slots: tuple[SlotCompliance, ...]
    notes: tuple[str, ...] = ()  # what the reader must know: visits not counted, contact points not registered
    excluded: tuple[int, ...] = ()  # records of the period that did not count (not made at a contact point)

    @property
    def status(self) -> SlotStatus:
        """missed if any slot was missed; met if all were met; not started if none has begun; else open."""
        states = {s.status for s in self.slots}
        if SlotStatus.MISSED in states:
            return SlotStatus.MISSED
        if states == {SlotStatus.MET}:
            return SlotStatus.MET
        if states == {SlotStatus.NOT_STARTED}:
            return SlotStatus.NOT_STARTED
        return SlotStatus.OPEN

    @property
    def done(self) -> int:
        return sum(s.count for s in self.slots)

    @property
    def required(self) -> int:
        return sum(s.required for s in self.slots)

    def missing(self) -> list[str]:
        return [text for s in self.slots if (text := s.missing_text()) is not None]

    def to_json(self) -> dict[str, Any]:
        status = self.status
        return {
            "kind": self.duty.kind,
            "label": self.duty.label,
            "rule": self.duty.rule,
            "citation": self.duty.citation,
            "requirement": self.duty.requirement(),
            "applies_to": self.duty.applies_to.value,
            "subject_key": self.subject.key,
            "subject": self.subject.name,
            "status": status.value,
            "status_label": status.label,
            "light": status.light,
            "done": self.done,
            "required": self.required,
            "slots_met": sum(1 for s in self.slots if s.status is SlotStatus.MET),
            "slots": [s.to_json() for s in self.slots],
            "missing": self.missing(),
            "notes": list(self.notes),
            "excluded_record_ids": list(self.excluded),
        }


def _at_contact_points(
    events: list[DutyEvent], points: Mapping[int, frozenset[str]]
) -> tuple[list[DutyEvent], list[DutyEvent], list[str]]:
    """R-RC-06: the visits that count (made at a contact point of their year), those that do not, and the notes."""
    counted: list[DutyEvent] = []
    excluded: list[DutyEvent] = []
    unchecked_years: set[int] = set()
    for e in events:
        mine = points.get(e.held_on.year)
        if not mine:
            unchecked_years.add(e.held_on.year)
            counted.append(e)
        elif e.place in mine:
            counted.append(e)
        else:
            excluded.append(e)
    notes = [
        f"{e.held_on.isoformat()} 所到“{e.place_name}”不是联系点，不计入"
        if e.place_name
        else f"{e.held_on.isoformat()} 未填写所到单位，不计入"
        for e in excluded
    ]
    notes += [f"未登记{y}年联系点，所到单位未核对" for y in sorted(unchecked_years)]
    return counted, excluded, notes


def duty_compliance(
    duty: Duty,
    subjects: Sequence[Subject],
    events: Iterable[DutyEvent],
    period: Span,
    today: date,
    contact_points: ContactPoints | None = None,
) -> list[DutyCompliance]:
    """R-RC-03/04/05/06: for each subject the duty applies to, its slots over `period` (see `slots_of`), each met,
    missed, open or not started as of `today`. Events of other kinds or other subjects are ignored; for a duty with a
    place rule only the events at the subject's contact points count (see `_at_contact_points`)."""
    slots = slots_of(duty.period, period)
    by_subject: dict[str, list[DutyEvent]] = {}
    for e in events:
        if e.kind == duty.kind and slots[0].start <= e.held_on <= slots[-1].end:
            by_subject.setdefault(e.subject_key, []).append(e)
    out: list[DutyCompliance] = []
    for subject in subjects:
        mine = sorted(by_subject.get(subject.key, []), key=lambda e: (e.held_on, e.record_id))
        notes: list[str] = []
        excluded: list[DutyEvent] = []
        if duty.place is PlaceRule.CONTACT_POINT and mine:
            mine, excluded, notes = _at_contact_points(mine, (contact_points or {}).get(subject.key, {}))
        judged: list[SlotCompliance] = []
        for slot in slots:
            inside = [e for e in mine if slot.contains(e.held_on)]
            status = slot_status(slot, len(inside), duty.min_count, today)
            ids = tuple(e.record_id for e in inside)
            judged.append(SlotCompliance(slot, duty.min_count, ids, tuple(e.held_on for e in inside), status))
        skipped = tuple(e.record_id for e in excluded)
        out.append(DutyCompliance(duty, subject, tuple(judged), tuple(notes), skipped))
    return out


def summarise(rows: Iterable[DutyCompliance]) -> dict[str, int]:
    """How many (duty, subject) rows are in each status, keyed by the status value."""
    counts = {s.value: 0 for s in SlotStatus}
    for r in rows:
        counts[r.status.value] += 1
    return counts


__all__ = [
    "PERIOD_FORMS",
    "AppliesTo",
    "ContactPoints",
    "DutiesError",
    "Duty",
    "DutyCompliance",
    "DutyEvent",
    "LeaderLevelCode",
    "PeriodKind",
    "PlaceRule",
    "SlotCompliance",
    "SlotStatus",
    "Span",
    "Subject",
    "duty_compliance",
    "find_duty",
    "parse_duties",
    "parse_period",
    "slot_status",
    "slots_of",
    "span_containing",
    "summarise",
]
