"""Backlog cases — 积案 (R-CL-05), 一事双查 (R-BK-01), 三方会审 (R-BK-02) and the backlog targets (R-BK-03).

Pure rules: the caller passes the clocks, the submissions, the calendar and `today`.

- R-CL-05 a case is a new backlog case when it was not resolved within its statutory period and the petitioner
  petitions again about the same matter (S2 §二(三)3). **I**: "the statutory period" is a resolution clock of the
  office — 办结 (R-DL-06), 简易办理 (R-DL-13), 复查 (R-DL-09) or 复核 (R-DL-11); it was missed when it was met after
  its due date, or is still running after it. "Petitions again" is any later submission (letter, visit, call,
  online) received after that due date.
- R-BK-01 every new backlog case gets a 一事双查: the handling (first handling unit, handler, what went wrong) and
  the accountability (pursued or not, the outcome). **I**: the handling check is due in 15 工作日 and the
  accountability check in 30 工作日 from the day the backlog case was detected (S2 sets no period).
- R-BK-02 a 进京非正常上访, a 进京集体上访 (collective = the settings' threshold, 5 by default, R-CL-02) or a visit to
  the province by 50 or more people calls for a 三方会审 within 15 工作日 of the visit.
- R-BK-03 targets: cases handed down by the national bureau 100% resolved; provincial and city backlog ≥ 80%.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.warnings_rules import DEFAULT_POLICY, Visit, WarningPolicy, in_order
from xinfang_desktop.core.workdays import WorkdayCalendar

#: The office's resolution clocks (R-CL-05 interpretation): missing one of them makes a repeat a backlog case.
RESOLUTION_RULES = ("R-DL-06", "R-DL-13", "R-DL-09", "R-DL-11")
#: 一事双查 periods (**I**, R-BK-01): the handling check, then the accountability check.
INQUIRY_HANDLING_WORKDAYS = 15
INQUIRY_ACCOUNTABILITY_WORKDAYS = 30


@dataclass(frozen=True)
class ClockFact:
    """A statutory clock of a case as stored: its rule, due date and the date it was met (None while running)."""

    rule_id: str
    due_on: date
    met_on: date | None = None

    def missed(self, today: date) -> bool:
        """Met after its due date, or still running after it."""
        if self.met_on is not None:
            return self.met_on > self.due_on
        return today > self.due_on


@dataclass(frozen=True)
class BacklogFinding:
    """Why a case is a new backlog case (R-CL-05): the missed clock and the repeat submission after it."""

    clock: ClockFact
    repeat: Visit

    def reason(self) -> str:
        met = f"，{self.clock.met_on.isoformat()}方办结" if self.clock.met_on else "，至今未办结"
        return (
            f"法定期限（{self.clock.rule_id}）{self.clock.due_on.isoformat()}届满{met}；"
            f"信访人于{self.repeat.received_on.isoformat()}就同一事项再次{self.repeat.channel.label}（R-CL-05）"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "rule": "R-CL-05",
            "missed_rule": self.clock.rule_id,
            "missed_due_on": self.clock.due_on.isoformat(),
            "met_on": self.clock.met_on.isoformat() if self.clock.met_on else None,
            "repeat": self.repeat.to_json(),
            "reason": self.reason(),
        }


def detect_backlog(clocks: Iterable[ClockFact], submissions: Sequence[Visit], *, today: date) -> BacklogFinding | None:
    """R-CL-05: the earliest missed resolution clock with a repeat submission after its due date, or None.

    The first submission of the case never counts as a repeat; submissions after `today` are ignored.
    """
    ordered = in_order(submissions)
    repeats = [v for v in ordered[1:] if v.received_on <= today]
    missed = sorted(
        (c for c in clocks if c.rule_id in RESOLUTION_RULES and c.missed(today)), key=lambda c: (c.due_on, c.rule_id)
    )
    for clock in missed:
        for visit in repeats:
            if visit.received_on > clock.due_on:
                return BacklogFinding(clock, visit)
    return None


@dataclass(frozen=True)
class InquiryDeadlines:
    handling_due_on: date
    accountability_due_on: date


def inquiry_deadlines(detected_on: date, calendar: WorkdayCalendar) -> InquiryDeadlines:
    """The two deadlines of a 一事双查 (R-BK-01, periods **I**)."""
    return InquiryDeadlines(
        calendar.add_workdays(detected_on, INQUIRY_HANDLING_WORKDAYS),
        calendar.add_workdays(detected_on, INQUIRY_ACCOUNTABILITY_WORKDAYS),
    )


class ReviewTrigger(LabelledEnum):
    """Why a visit calls for a 三方会审 (R-BK-02)."""

    ABNORMAL_CAPITAL = "abnormal_capital", "进京非正常上访"
    COLLECTIVE_CAPITAL = "collective_capital", "进京集体上访"
    PROVINCE_MASS = "province_mass", "50人以上赴省集体上访"


def review_triggers(visit: Visit, *, policy: WarningPolicy = DEFAULT_POLICY) -> tuple[ReviewTrigger, ...]:
    """The R-BK-02 triggers a visit meets (empty for a letter, a call, a township or county visit …)."""
    if not visit.is_visit:
        return ()
    found: list[ReviewTrigger] = []
    if visit.to_capital:
        if visit.abnormal:
            found.append(ReviewTrigger.ABNORMAL_CAPITAL)
        if visit.headcount >= policy.collective_threshold:
            found.append(ReviewTrigger.COLLECTIVE_CAPITAL)
    elif visit.to_province and visit.headcount >= policy.province_headcount:
        found.append(ReviewTrigger.PROVINCE_MASS)
    return tuple(found)


def review_due(visit_on: date, calendar: WorkdayCalendar, *, policy: WarningPolicy = DEFAULT_POLICY) -> date:
    """A 三方会审 is held within 15 工作日 of the visit (R-BK-02; the visit day not counted, R-TM-02)."""
    return calendar.add_workdays(visit_on, policy.review_workdays)


class BacklogOrigin(LabelledEnum):
    """Who handed a backlog case down (R-BK-03 sets a target for each)."""

    NATIONAL = "national", "国家信访局交办"
    PROVINCE = "province", "省级交办"
    CITY = "city", "市级交办"
    LOCAL = "local", "本级积案"


#: R-BK-03 (S2 §二(四)1): resolution rate targets.
TARGETS: dict[BacklogOrigin, float] = {
    BacklogOrigin.NATIONAL: 1.0,
    BacklogOrigin.PROVINCE: 0.8,
    BacklogOrigin.CITY: 0.8,
}


@dataclass(frozen=True)
class TargetProgress:
    origin: BacklogOrigin
    total: int
    resolved: int
    target: float | None

    @property
    def rate(self) -> float | None:
        return self.resolved / self.total if self.total else None

    @property
    def met(self) -> bool | None:
        if self.target is None or self.rate is None:
            return None
        return self.rate + 1e-9 >= self.target

    def to_json(self) -> dict[str, object]:
        return {
            "origin": self.origin.value,
            "label": self.origin.label,
            "total": self.total,
            "resolved": self.resolved,
            "rate": None if self.rate is None else round(self.rate, 4),
            "target": self.target,
            "met": self.met,
            "rule": "R-BK-03",
        }


def target_progress(rows: Iterable[tuple[BacklogOrigin, bool]]) -> list[TargetProgress]:
    """Resolution against the R-BK-03 targets for each origin (every origin listed, even with no case)."""
    totals = dict.fromkeys(BacklogOrigin, 0)
    resolved = dict.fromkeys(BacklogOrigin, 0)
    for origin, is_resolved in rows:
        totals[origin] += 1
        resolved[origin] += int(is_resolved)
    return [TargetProgress(o, totals[o], resolved[o], TARGETS.get(o)) for o in BacklogOrigin]


def burn_down(items: Iterable[tuple[date, date | None]], *, today: date) -> list[tuple[date, int]]:
    """The burn-down of a batch handed down: (date, cases still unresolved) at the hand-down and at each resolution
    up to `today`. `items` are (handed down on, resolved on or None)."""
    rows = list(items)
    if not rows:
        return []
    start = min(h for h, _ in rows)
    remaining = len(rows)
    points = [(start, remaining)]
    for day in sorted({r for _, r in rows if r is not None and r <= today}):
        remaining -= sum(1 for _, r in rows if r == day)
        points.append((max(day, start), remaining))
    return points
