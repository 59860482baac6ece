"""Warning slips — 信访预警单 (R-WS-01…04, S2 §二(二)4): the trigger on a case's submissions and the written
explanations (书面说明) a warned unit owes after each further visit.

Pure rules: the caller passes the submissions, the calendar and `today`; nothing here reads a clock or a database.

- R-WS-01 after the first submission of the matter, 2 or more visits (来访) to a 信访部门 at county level or above
  trigger a slip. **I**: only visits strictly after the first submission count (a visit that *is* the first
  submission does not); letters, calls, online filings and visits to a township office never count.
- R-WS-03 after a slip, each further visit at county level or above obliges the warned unit to explain in writing
  within 3 工作日 of that visit (the visit day not counted, R-TM-02) to the head of the higher-level
  信访工作领导小组; R-WS-04 the next one (and every one after it) escalates to the higher-level 党政主要领导.
  **I**: a visit on the day the slip was issued is presumed to precede it (it is part of the slip's evidence).
- An explanation not received by its due date is a candidate accountability ground (R-AC-01), for a person to
  confirm.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from xinfang_desktop.core.codes import Channel, Destination, LabelledEnum, OfficeLevel
from xinfang_desktop.core.workdays import WorkdayCalendar


@dataclass(frozen=True)
class WarningPolicy:
    """The numbers of R-WS and R-BK as data (a county may change them; the defaults are S2's)."""

    trigger_visits: int = 2  # R-WS-01: 2 次（含）以上
    min_level: OfficeLevel = OfficeLevel.COUNTY  # R-WS-01/03: 县级及以上信访部门
    explanation_workdays: int = 3  # R-WS-03: 3个工作日内
    review_workdays: int = 15  # R-BK-02: 15个工作日内
    province_headcount: int = 50  # R-BK-02: 50人以上赴省集体上访
    collective_threshold: int = 5  # R-CL-02: 集体访 = 5 人以上（settings.collective_threshold）


DEFAULT_POLICY = WarningPolicy()


class WarningTrigger(LabelledEnum):
    """Why a slip was issued (R-WS-01)."""

    REPEAT_VISITS = "repeat_visits", "初次信访后到县级及以上信访部门上访2次（含）以上"
    OTHER_RISK = "other_risk", "其他可能引发异常情况上访的风险"


class Addressee(LabelledEnum):
    """To whom the warned unit explains (R-WS-03 / R-WS-04)."""

    LEADING_GROUP = "leading_group", "上级信访工作领导小组组长"
    HIGHER_LEADERS = "higher_leaders", "上级党政主要领导"

    @property
    def rule_id(self) -> str:
        return "R-WS-03" if self is Addressee.LEADING_GROUP else "R-WS-04"


class ExplanationStatus(LabelledEnum):
    """Where an owed explanation stands on a given day."""

    OWED = "owed", "待说明"
    OVERDUE = "overdue", "已逾期"
    RECEIVED = "received", "已说明"
    RECEIVED_LATE = "received_late", "逾期后说明"


@dataclass(frozen=True)
class Visit:
    """One submission of a case as the rules see it (a letter or a call too: `channel` tells)."""

    seq: int
    received_on: date
    channel: Channel
    level: OfficeLevel
    headcount: int = 1
    abnormal: bool = False
    destination: Destination | None = None
    submission_id: int | None = None

    @property
    def is_visit(self) -> bool:
        return self.channel is Channel.VISIT

    def counts_for_warning(self, policy: WarningPolicy = DEFAULT_POLICY) -> bool:
        """A visit (来访) to a 信访部门 at county level or above (R-WS-01, R-WS-03)."""
        return self.is_visit and self.level.rank >= policy.min_level.rank

    @property
    def to_capital(self) -> bool:
        return self.level is OfficeLevel.NATIONAL or self.destination is Destination.TO_CAPITAL

    @property
    def to_province(self) -> bool:
        return self.level is OfficeLevel.PROVINCE or self.destination is Destination.TO_PROVINCE

    def to_json(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "submission_id": self.submission_id,
            "date": self.received_on.isoformat(),
            "channel": self.channel.label,
            "level": self.level.label,
            "level_code": self.level.value,
            "destination": self.destination.label if self.destination else None,
            "headcount": self.headcount,
            "abnormal": self.abnormal,
        }


def in_order(submissions: Iterable[Visit]) -> list[Visit]:
    return sorted(submissions, key=lambda v: (v.received_on, v.seq))


@dataclass(frozen=True)
class TriggerEvidence:
    """Why R-WS-01 is met: the first submission of the matter and the counted visits after it."""

    first: Visit
    visits: tuple[Visit, ...]
    met_on: date  # the day of the visit that completed the trigger

    def reason(self) -> str:
        levels = "、".join(f"{v.received_on.isoformat()}到{v.level.label}级" for v in self.visits)
        return (
            f"{self.first.received_on.isoformat()}初次{self.first.channel.label}后，"
            f"到县级及以上信访部门上访{len(self.visits)}次（{levels}）（R-WS-01）"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "rule": "R-WS-01",
            "first_submission": self.first.to_json(),
            "visits": [v.to_json() for v in self.visits],
            "count": len(self.visits),
            "met_on": self.met_on.isoformat(),
            "reason": self.reason(),
        }


def warning_trigger(
    submissions: Sequence[Visit], *, initial_on: date | None = None, policy: WarningPolicy = DEFAULT_POLICY
) -> TriggerEvidence | None:
    """R-WS-01 on a case's submissions, or None when it is not met.

    The first submission of the matter is the earliest (date, then sequence) — on or after `initial_on` when the
    matter's initial petition is known to be later than some recorded submissions (those before it never count).
    Only visits after the first submission, at county level or above, are counted; the trigger is met on the day
    of the `policy.trigger_visits`-th such visit.
    """
    ordered = [v for v in in_order(submissions) if initial_on is None or v.received_on >= initial_on]
    if not ordered:
        return None
    first, later = ordered[0], ordered[1:]
    counted = tuple(v for v in later if v.counts_for_warning(policy))
    if len(counted) < policy.trigger_visits:
        return None
    return TriggerEvidence(first, counted, counted[policy.trigger_visits - 1].received_on)


@dataclass(frozen=True)
class OwedExplanation:
    """An explanation the warned unit owes for one further visit (R-WS-03, escalated by R-WS-04)."""

    visit: Visit
    index: int  # 1 for the first further visit after the slip
    addressee: Addressee
    due_on: date

    @property
    def rule_id(self) -> str:
        return self.addressee.rule_id

    def basis(self, workdays: int = DEFAULT_POLICY.explanation_workdays) -> str:
        return (
            f"信访人{self.visit.received_on.isoformat()}再次到{self.visit.level.label}级上访，被预警单位须在上访后"
            f"{workdays}个工作日内（{self.due_on.isoformat()}前）向{self.addressee.label}书面说明（{self.rule_id}）"
        )


def explanations_owed(
    submissions: Sequence[Visit],
    *,
    slip_issued_on: date,
    calendar: WorkdayCalendar,
    policy: WarningPolicy = DEFAULT_POLICY,
) -> list[OwedExplanation]:
    """Every explanation owed after a slip issued on `slip_issued_on`: one per further visit at county level or
    above (strictly after the day of issue), due `policy.explanation_workdays` 工作日 after the visit; the first
    goes to the leading group's head (R-WS-03), every later one to the higher party and government leaders
    (R-WS-04)."""
    after = [v for v in in_order(submissions) if v.received_on > slip_issued_on and v.counts_for_warning(policy)]
    return [
        OwedExplanation(
            visit=v,
            index=i,
            addressee=Addressee.LEADING_GROUP if i == 1 else Addressee.HIGHER_LEADERS,
            due_on=calendar.add_workdays(v.received_on, policy.explanation_workdays),
        )
        for i, v in enumerate(after, start=1)
    ]


def explanation_status(due_on: date, received_on: date | None, today: date) -> ExplanationStatus:
    """Owed until `due_on` (inclusive), overdue after it; once received, on time or late."""
    if received_on is not None:
        return ExplanationStatus.RECEIVED if received_on <= due_on else ExplanationStatus.RECEIVED_LATE
    return ExplanationStatus.OVERDUE if today > due_on else ExplanationStatus.OWED


def accountability_ground(*, unit: str, due_on: date, rule_id: str) -> str:
    """The text of the candidate accountability ground an overdue explanation records (R-AC-01, for a person to
    confirm): the warned unit did not explain in writing in time."""
    return (
        f"{unit}未在信访人再次上访后规定的工作日内（{due_on.isoformat()}前）书面说明责任落实、化解稳控工作及"
        f"再次上访原因（{rule_id}）；可作为责任追究的情形，待核实（R-AC-01）"
    )
