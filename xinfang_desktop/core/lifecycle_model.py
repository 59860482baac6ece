"""The values of the case lifecycle: facts, clock inputs, supervision orders and the folded `CaseState`.

Built only by `lifecycle_state.initial_state` / `evolve` (R-LC-04: the state is the fold of the events).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xinfang_desktop.core.codes import CaseStatus, Outcome, ReviewOutcome, Satisfaction
from xinfang_desktop.core.deadlines import Pause

NORMAL = "normal"
SIMPLIFIED = "simplified"
FORWARD = "forward"
ASSIGN = "assign"
#: 交办 modes (R-LC-01): 要结果 — a 办结报告 with the result; 要情况 — a report on the situation.
ASSIGN_RESULT = "要结果"
ASSIGN_PROGRESS = "要情况"
ASSIGN_MODES = (ASSIGN_RESULT, ASSIGN_PROGRESS)
#: 三见面 for first submissions (R-LC-05): the unit meets the petitioner, the result is given in person, and the
#: unit's leader meets a petitioner who is not satisfied.
THREE_MEETINGS = ("事权单位见面", "当面反馈", "领导见面")
FOLLOW_UP = "回访核实"
PROGRESS_KINDS = ("办理进展", *THREE_MEETINGS, FOLLOW_UP, "情况报告", "督办回复")
#: Stages of a case: each ends with a written opinion that is delivered and rated.
OPINION, REVIEW, FINAL_REVIEW = "opinion", "review", "final_review"
STAGE_LABELS = {OPINION: "处理意见", REVIEW: "复查意见", FINAL_REVIEW: "复核意见"}
#: The period given to a unit to answer a 督办 when none is set (日).
DEFAULT_SUPERVISION_DAYS = 15

_S = CaseStatus
ISSUED = {_S.OPINION_ISSUED: OPINION, _S.REVIEW_OPINION_ISSUED: REVIEW, _S.FINAL_REVIEW_OPINION_ISSUED: FINAL_REVIEW}
FINAL_STATUSES = frozenset(
    {_S.DECLINED, _S.REFUSED_AGAIN, _S.CLOSED, _S.REVIEW_WINDOW_LAPSED, _S.FINAL_REVIEW_WINDOW_LAPSED}
)
_STAGE_OF = {
    _S.UNDER_REVIEW: OPINION,
    _S.ACCEPTED: OPINION,
    _S.OPINION_ISSUED: OPINION,
    _S.OPINION_OVERDUE: OPINION,
    _S.REVIEW: REVIEW,
    _S.REVIEW_OPINION_ISSUED: REVIEW,
    _S.REVIEW_OPINION_OVERDUE: REVIEW,
    _S.FINAL_REVIEW: FINAL_REVIEW,
    _S.FINAL_REVIEW_OPINION_ISSUED: FINAL_REVIEW,
    _S.FINAL_REVIEW_OPINION_OVERDUE: FINAL_REVIEW,
}


@dataclass(frozen=True)
class CaseFacts:
    """What the machine needs to know of a case besides its events."""

    number: str
    received_on: date
    first_submission: bool = True
    accused_units: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ClockSpec:
    """The inputs of one statutory clock of a case: met (or closed) on `met_on`, running while it is None."""

    rule_id: str
    start_on: date
    met_on: date | None = None
    length: int | None = None  # per-case length (R-DL-05 交办); None = the profile's
    extension_days: int = 0  # R-DL-07, on the handling clock only


@dataclass(frozen=True)
class SupervisionOrder:
    """An open 督办 order: its trigger key (opened once per case), dates, reason and 催办 reminders sent."""

    trigger: str
    issued_on: date
    due_on: date
    reason: str
    automatic: bool = False
    reminders: int = 0
    last_reminded_on: date | None = None


@dataclass(frozen=True)
class CaseState:
    """Everything the events of a case add up to. Built by `initial_state` and `evolve`, never by hand."""

    status: CaseStatus
    received_on: date
    last_event_on: date
    last_action: str | None = None
    submissions: int = 0
    mode: str = NORMAL
    accepted_on: date | None = None
    handling_started_on: date | None = None  # 受理, or the date of a 责令重新作出
    lead_unit: str | None = None
    assisting_units: tuple[str, ...] = ()
    # 转送 / 交办 (R-DL-03…05)
    route: str | None = None  # FORWARD | ASSIGN while routed
    routed_unit: str | None = None
    transfer_number: str | None = None
    sent_on: date | None = None
    receipted_on: date | None = None
    assign_mode: str | None = None
    assign_days: int | None = None
    returned: bool = False  # an objection returned the case and it has not been routed again
    objected_on: date | None = None
    objecting_unit: str | None = None
    objection_reason: str | None = None
    # handling
    progress_notes: int = 0
    last_progress_on: date | None = None
    extension_days: int = 0
    extended_on: date | None = None
    extension_approver: str | None = None
    extension_reason: str | None = None
    hearings: tuple[Pause, ...] = ()
    hearing_open_since: date | None = None
    outcome: Outcome | None = None
    concluded_on: date | None = None
    delivered_on: date | None = None
    # satisfaction (R-LC-06): the rating of the current stage, and all ratings (stage, value, date)
    satisfaction: Satisfaction | None = None
    rated_on: date | None = None
    ratings: tuple[tuple[str, Satisfaction, date], ...] = ()
    follow_up_needed: bool = False
    # 复查 / 复核
    review_requested_on: date | None = None
    review_decided_on: date | None = None
    review_outcome: ReviewOutcome | None = None
    review_delivered_on: date | None = None
    final_review_requested_on: date | None = None
    final_review_decided_on: date | None = None
    final_review_outcome: ReviewOutcome | None = None
    final_review_delivered_on: date | None = None
    redo_count: int = 0
    three_meetings: tuple[tuple[str, date], ...] = ()
    repeat_submissions: tuple[date, ...] = ()  # submissions after acceptance
    supervision_orders: tuple[SupervisionOrder, ...] = ()  # open orders
    supervision_triggers: frozenset[str] = frozenset()  # every trigger ever opened
    reminders: int = 0
    closed_on: date | None = None
    clock_specs: tuple[ClockSpec, ...] = ()

    @property
    def stage(self) -> str | None:
        """opinion / review / final_review, or None in a final state."""
        return _STAGE_OF.get(self.status)

    @property
    def stage_delivered_on(self) -> date | None:
        """送达 date of the written opinion of the current stage."""
        stage = ISSUED.get(self.status)
        if stage == OPINION:
            return self.delivered_on
        if stage == REVIEW:
            return self.review_delivered_on
        if stage == FINAL_REVIEW:
            return self.final_review_delivered_on
        return None

    @property
    def awaiting(self) -> str | None:
        """What the case waits for: "receipt" (签收), "delivery" (送达), "rating" (评价) or None."""
        if self.status is _S.UNDER_REVIEW and self.route and self.receipted_on is None:
            return "receipt"
        if self.status in ISSUED:
            if self.stage_delivered_on is None:
                return "delivery"
            if self.satisfaction is None:
                return "rating"
        return None

    @property
    def forwarded_unit(self) -> str | None:
        return self.routed_unit if self.route == FORWARD else None

    @property
    def assigned_unit(self) -> str | None:
        return self.routed_unit if self.route == ASSIGN else None

    @property
    def handling_rule(self) -> str:
        """The clock of the 处理意见: R-DL-06, or R-DL-13 in 简易办理."""
        return "R-DL-13" if self.mode == SIMPLIFIED else "R-DL-06"

    def open_spec(self, rule_id: str) -> ClockSpec | None:
        for spec in self.clock_specs:
            if spec.rule_id == rule_id and spec.met_on is None:
                return spec
        return None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


# ---------------------------------------------------------------------------------------------- event details


def detail_text(details: dict[str, object], key: str) -> str | None:
    value = details.get(key)
    return str(value) if value is not None and value != "" else None


def detail_int(details: dict[str, object], key: str) -> int | None:
    value = details.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def detail_date(details: dict[str, object], key: str) -> date | None:
    value = details.get(key)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
