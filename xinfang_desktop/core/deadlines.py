"""The statutory deadline engine (R-TM-02…05, R-DL-01…13): a deadline is a value with its reason in Chinese.

Counting (RULES.md §1):
- the day of the starting event is not counted; counting starts the next day (R-TM-02);
- a calendar-day (日) period whose last day is not a working day ends on the next working day (R-TM-03);
- paused days (听证, R-TM-04) are not counted: the clock stops on the first paused day and restarts after the last;
- an extension (R-DL-07) is granted at most once and at most `max_length` of the extension rule (30 日 nationally);
  it runs from the end of the original period (after the roll-forward) and is rolled forward again;
- a period touching a year without holiday data is provisional (暂估, R-TM-05).

Deadlines recompute from their inputs: call `compute_deadline` again with the corrected start date, pauses or
extension. Nothing here reads the clock; `today` is always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.rule_profiles import MAX_RULE_LENGTH, Rule, RuleProfile, TimeUnit
from xinfang_desktop.core.workdays import WEEKDAY_NAMES, DayKind, WorkdayCalendar, check_date, cn_date

DEFAULT_DUE_SOON_WORKDAYS = 3
DEFAULT_SERIOUSLY_OVERDUE_DAYS = 30


class DeadlineError(DomainError):
    """A deadline cannot be computed from these inputs (no length, an extension too long, a bad pause)."""


@dataclass(frozen=True)
class Pause:
    """Days the clock stands still (R-TM-04), both ends inclusive, with the reason and article."""

    start: date
    end: date
    reason: str = "听证"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise DeadlineError(
                f"暂停期间的结束日{self.end.isoformat()}早于开始日{self.start.isoformat()}", field="pauses"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "reason": self.reason}


@dataclass(frozen=True)
class Deadline:
    """A computed due date: its rule, start, unit and length, pauses, extension, provisional flag and explanation."""

    rule_id: str
    label: str
    start_event: str
    start_on: date
    due_on: date
    unit: TimeUnit
    length: int
    provisional: bool
    pauses: tuple[Pause, ...]
    extension_days: int
    citation: str
    explanation: str
    nominal_end: date
    rolled_forward: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "label": self.label,
            "start_event": self.start_event,
            "start": self.start_on.isoformat(),
            "due": self.due_on.isoformat(),
            "unit": self.unit.value,
            "length": self.length,
            "extension_days": self.extension_days,
            "pauses": [p.to_json() for p in self.pauses],
            "provisional": self.provisional,
            "citation": self.citation,
            "explanation": self.explanation,
        }


def _merge_pauses(pauses: Iterable[Pause], after: date) -> list[tuple[date, date]]:
    """Pauses clipped to the days after `after`, sorted and merged."""
    spans: list[tuple[date, date]] = []
    for p in sorted(pauses, key=lambda p: p.start):
        start = max(p.start, after + timedelta(days=1))
        if p.end < start:
            continue
        if spans and start <= spans[-1][1] + timedelta(days=1):
            spans[-1] = (spans[-1][0], max(spans[-1][1], p.end))
        else:
            spans.append((start, p.end))
    return spans


def _count_forward(
    calendar: WorkdayCalendar, start: date, n: int, unit: TimeUnit, spans: Sequence[tuple[date, date]]
) -> date:
    """The day on which n units after `start` are complete, skipping paused spans (R-TM-02, R-TM-04)."""

    def add(d: date, k: int) -> date:
        return d + timedelta(days=k) if unit is TimeUnit.DAYS else calendar.add_workdays(d, k)

    def between(a: date, b: date) -> int:
        return (b - a).days if unit is TimeUnit.DAYS else calendar.workdays_between(a, b)

    pos, remaining = start, n
    for first, last in spans:
        if last <= pos:
            continue
        end = add(pos, remaining)
        if end < first:
            break
        remaining -= between(pos, first - timedelta(days=1))  # units counted before the clock stopped
        pos = last
    return add(pos, remaining)


def _roll(calendar: WorkdayCalendar, d: date) -> tuple[date, str | None]:
    """R-TM-03: a last day that is not a working day moves to the next working day; returns why, in Chinese."""
    kind = calendar.day_kind(d)
    if kind.is_working:
        return d, None
    reason = "法定节假日" if kind is DayKind.HOLIDAY else f"休息日（{WEEKDAY_NAMES[d.weekday()]}）"
    return calendar.next_workday(d), reason


def compute_deadline(
    profile: RuleProfile,
    rule_id: str,
    start_on: date,
    calendar: WorkdayCalendar,
    *,
    pauses: Iterable[Pause] = (),
    extension_days: int = 0,
    length: int | None = None,
) -> Deadline:
    """The due date of a clock of `profile` started on `start_on` (the day of the start event, not counted).

    `length` sets the period of a clock whose length is fixed per case (R-DL-05 交办) and may not override a
    statutory length. `extension_days` (R-DL-07) is allowed only on a clock with an extension rule, up to its maximum.
    """
    rule = profile.rule(rule_id)
    check_date(start_on, field="start")
    n = _resolve_length(rule, length)
    ext_rule = _check_extension(profile, rule, extension_days)
    pause_list = tuple(sorted(pauses, key=lambda p: p.start))
    spans = _merge_pauses(pause_list, start_on)

    nominal = _count_forward(calendar, start_on, n, rule.unit, spans)
    due, roll_reason = (nominal, None) if rule.unit is TimeUnit.WORKDAYS else _roll(calendar, nominal)
    original_due = due
    ext_nominal: date | None = None
    ext_roll: str | None = None
    if extension_days:
        ext_nominal = _count_forward(calendar, original_due, extension_days, TimeUnit.DAYS, spans)
        due, ext_roll = _roll(calendar, ext_nominal)
    provisional = calendar.is_provisional_span(start_on, due)

    parts = [f"自{cn_date(start_on)}{rule.start_event}之次日起计算{rule.unit.phrase(n)}"]
    if spans:
        paused = "、".join(f"{cn_date(a)}至{cn_date(b)}" if a != b else cn_date(a) for a, b in spans)
        reasons = "、".join(dict.fromkeys(p.reason for p in pause_list))
        parts.append(f"扣除{reasons}期间{paused}（共{sum((b - a).days + 1 for a, b in spans)}日，不计入期限）")
    if roll_reason:
        parts.append(f"届满日{cn_date(nominal)}为{roll_reason}，顺延至{cn_date(original_due)}")
    else:
        parts.append(f"至{cn_date(original_due)}届满")
    text = "，".join(parts) + f"（{rule.citation}）"
    if extension_days and ext_nominal is not None and ext_rule is not None:
        text += f"；经批准延期{extension_days}日"
        if ext_roll:
            text += f"，延期届满日{cn_date(ext_nominal)}为{ext_roll}，顺延至{cn_date(due)}"
        else:
            text += f"，至{cn_date(due)}届满"
        text += f"（{ext_rule.citation}）"
    text += "。"
    if provisional:
        missing = [
            str(y) for y in range((start_on + timedelta(days=1)).year, due.year + 1) if y not in calendar.known_years()
        ] or [str(start_on.year)]
        text += f"{'、'.join(missing)}年节假日安排尚未录入，按周末推算，此日期为暂估日期。"

    return Deadline(
        rule_id=rule.id,
        label=rule.label,
        start_event=rule.start_event,
        start_on=start_on,
        due_on=due,
        unit=rule.unit,
        length=n,
        provisional=provisional,
        pauses=pause_list,
        extension_days=extension_days,
        citation=rule.citation,
        explanation=text,
        nominal_end=nominal,
        rolled_forward=bool(roll_reason or ext_roll),
    )


def _resolve_length(rule: Rule, length: int | None) -> int:
    if length is None:
        if rule.length is None:
            raise DeadlineError(f"{rule.id}（{rule.label}）的期限须按交办要求指定天数", field="length")
        return rule.length
    if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= MAX_RULE_LENGTH:
        raise DeadlineError(f"期限天数应为 1–{MAX_RULE_LENGTH} 的整数，现为“{length}”", field="length")
    if rule.length is not None and length != rule.length:
        raise DeadlineError(
            f"{rule.id}（{rule.label}）是法定期限{rule.unit.phrase(rule.length)}，不能改为{length}", field="length"
        )
    return length


def _check_extension(profile: RuleProfile, rule: Rule, extension_days: int) -> Rule | None:
    if isinstance(extension_days, bool) or not isinstance(extension_days, int) or extension_days < 0:
        raise DeadlineError(f"延期天数应为非负整数，现为“{extension_days}”", field="extension_days")
    if extension_days == 0:
        return None
    if rule.extension_rule is None:
        raise DeadlineError(f"{rule.id}（{rule.label}）不能延期", field="extension_days")
    ext = profile.rule(rule.extension_rule)
    limit = ext.max_length or 0
    if extension_days > limit:
        raise DeadlineError(
            f"延期不得超过{limit}日（{ext.citation}），申请延期{extension_days}日", field="extension_days"
        )
    return ext


# ---------------------------------------------------------------------------------------------- states


class DeadlineState(LabelledEnum):
    """Escalation levels of a running clock."""

    ON_TRACK = "on_track", "正常"
    DUE_SOON = "due_soon", "临期"
    DUE_TODAY = "due_today", "今日到期"
    OVERDUE = "overdue", "超期"
    SERIOUSLY_OVERDUE = "seriously_overdue", "严重超期"


@dataclass(frozen=True)
class DeadlineStatus:
    """Where a deadline stands on `today`: state, calendar and working days left, days overdue, a Chinese label."""

    state: DeadlineState
    days_left: int
    workdays_left: int
    overdue_days: int
    label: str

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "state_label": self.state.label,
            "days_left": self.days_left,
            "workdays_left": self.workdays_left,
            "overdue_days": self.overdue_days,
            "label": self.label,
        }


def deadline_status(
    deadline: Deadline | date,
    today: date,
    calendar: WorkdayCalendar,
    *,
    due_soon_workdays: int = DEFAULT_DUE_SOON_WORKDAYS,
    seriously_overdue_days: int = DEFAULT_SERIOUSLY_OVERDUE_DAYS,
) -> DeadlineStatus:
    """The state of a deadline on `today`.

    临期 = due within `due_soon_workdays` working days (after today, up to and including the due day);
    超期N日 counts calendar days after the due day; 严重超期 from `seriously_overdue_days` days overdue.
    """
    if due_soon_workdays < 0 or seriously_overdue_days < 1:
        raise DeadlineError("临期工作日数不能为负，严重超期天数至少为1", field="deadline_thresholds")
    due = deadline.due_on if isinstance(deadline, Deadline) else deadline
    days_left = (due - today).days
    if days_left < 0:
        overdue = -days_left
        if overdue >= seriously_overdue_days:
            return DeadlineStatus(DeadlineState.SERIOUSLY_OVERDUE, days_left, 0, overdue, f"严重超期{overdue}日")
        return DeadlineStatus(DeadlineState.OVERDUE, days_left, 0, overdue, f"超期{overdue}日")
    if days_left == 0:
        return DeadlineStatus(DeadlineState.DUE_TODAY, 0, 0, 0, "今日到期")
    workdays_left = calendar.workdays_between(today, due)
    if workdays_left <= due_soon_workdays:
        return DeadlineStatus(
            DeadlineState.DUE_SOON, days_left, workdays_left, 0, f"临期（剩余{workdays_left}个工作日）"
        )
    return DeadlineStatus(DeadlineState.ON_TRACK, days_left, workdays_left, 0, f"剩余{days_left}日")
