"""The state of a case as the fold of its timeline events (R-LC-01…07, R-DL-01…13, R-TM-04).

Event-sourced: the events are the truth (R-LC-04, never changed once written); `CaseState` is what they add up
to. `evolve` applies one event, `fold` applies them all. Every event the state machine (`lifecycle.decide`,
`lifecycle_tick.tick`) produces carries in its details everything `evolve` needs, so a case folded from its
stored events equals the state the machine computed step by step. The intake events `register` and `submit`
(written by the intake service) are accepted too; events of unknown actions only advance the last event date.

Clocks are kept as `ClockSpec`s — the raw inputs of a statutory clock (rule, start, per-case length, extension,
met date) — and turned into `Deadline`s by `lifecycle_clocks.clocks`, so a deadline is always recomputed from
the state with the current calendar, profile, extension and hearing pauses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.cases import EventData
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
#: The period given to a unit to answer a 督办 when none is set (日), and the interval of 催办 reminders.
DEFAULT_SUPERVISION_DAYS = 15

_S = CaseStatus
_E = TypeVar("_E", Outcome, ReviewOutcome, Satisfaction)
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


def initial_state(facts: CaseFacts) -> CaseState:
    """A case just registered: 受理申请审查中 with R-DL-01 running from receipt."""
    return CaseState(
        status=_S.UNDER_REVIEW,
        received_on=facts.received_on,
        last_event_on=facts.received_on,
        clock_specs=(ClockSpec("R-DL-01", facts.received_on),),
    )


def fold(facts: CaseFacts, events: Iterable[EventData]) -> CaseState:
    """The state of a case: its events applied in order to the initial state."""
    state = initial_state(facts)
    for event in events:
        state = evolve(state, event)
    return state


# ---------------------------------------------------------------------------------------------- helpers


def _text(details: dict[str, object], key: str) -> str | None:
    value = details.get(key)
    return str(value) if value is not None and value != "" else None


def _int(details: dict[str, object], key: str) -> int | None:
    value = details.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _date(details: dict[str, object], key: str) -> date | None:
    value = details.get(key)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _close(specs: tuple[ClockSpec, ...], rules: Iterable[str], on: date) -> tuple[ClockSpec, ...]:
    wanted = set(rules)
    return tuple(replace(s, met_on=on) if s.rule_id in wanted and s.met_on is None else s for s in specs)


def _open(state: CaseState, *specs: ClockSpec) -> tuple[ClockSpec, ...]:
    return state.clock_specs + specs


def _parse(cls: type[_E], text: str | None) -> _E | None:
    if text is None:
        return None
    for member in cls:
        if text in (member.label, member.value):
            return member
    return None


# ---------------------------------------------------------------------------------------------- evolve

_Handler = Callable[[CaseState, EventData], CaseState]
_ROUTING_CLOCKS = ("R-DL-01", "R-DL-03", "R-DL-04")
#: Events that answer (close) the open 督办 orders: the case moved on.
_ANSWERS_SUPERVISION = frozenset(
    {
        CaseAction.PROGRESS,
        CaseAction.ACCEPT,
        CaseAction.DECLINE,
        CaseAction.REFUSE_AGAIN,
        CaseAction.FORWARD,
        CaseAction.ASSIGN,
        CaseAction.CONCLUDE,
        CaseAction.SIMPLIFIED_ACCEPT,
        CaseAction.SIMPLIFIED_CONCLUDE,
        CaseAction.REQUEST_REVIEW,
        CaseAction.REVIEW_DECISION,
        CaseAction.REQUEST_FINAL_REVIEW,
        CaseAction.FINAL_REVIEW_DECISION,
        CaseAction.CLOSE,
    }
)


def _register(s: CaseState, e: EventData) -> CaseState:
    return replace(s, submissions=s.submissions + 1)


def _submit(s: CaseState, e: EventData) -> CaseState:
    repeats = s.repeat_submissions + (e.occurred_on,) if s.accepted_on is not None else s.repeat_submissions
    return replace(s, submissions=s.submissions + 1, repeat_submissions=repeats)


def _accept(s: CaseState, e: EventData) -> CaseState:
    on, d = e.occurred_on, e.details
    simplified = e.action == CaseAction.SIMPLIFIED_ACCEPT
    specs = _close(s.clock_specs, (*_ROUTING_CLOCKS, "R-DL-05"), on)
    if simplified:
        start = _date(d, "window_start") or s.receipted_on or s.received_on
        specs += (ClockSpec("R-DL-12", start, met_on=on), ClockSpec("R-DL-13", on))
    else:
        specs += (ClockSpec("R-DL-06", on),)
    assisting = d.get("assisting_units")
    return replace(
        s,
        status=_S.ACCEPTED,
        mode=SIMPLIFIED if simplified else NORMAL,
        accepted_on=on,
        handling_started_on=on,
        lead_unit=_text(d, "unit") or s.routed_unit or s.lead_unit,
        assisting_units=tuple(str(u) for u in assisting) if isinstance(assisting, list | tuple) else (),
        returned=False,
        clock_specs=specs,
    )


def _decline(s: CaseState, e: EventData) -> CaseState:
    status = _S.REFUSED_AGAIN if e.action == CaseAction.REFUSE_AGAIN else _S.DECLINED
    specs = _close(s.clock_specs, (*_ROUTING_CLOCKS, "R-DL-05"), e.occurred_on)
    return replace(s, status=status, returned=False, closed_on=e.occurred_on, clock_specs=specs)


def _route(s: CaseState, e: EventData) -> CaseState:
    on, d = e.occurred_on, e.details
    assign = e.action == CaseAction.ASSIGN
    days = _int(d, "days") if assign else None
    specs = _close(s.clock_specs, ("R-DL-01",), on)
    if assign:
        specs += (ClockSpec("R-DL-05", on, length=days),)
    return replace(
        s,
        route=ASSIGN if assign else FORWARD,
        routed_unit=_text(d, "unit"),
        transfer_number=_text(d, "transfer_number"),
        sent_on=on,
        receipted_on=None,
        assign_mode=(_text(d, "assign_mode") or ASSIGN_RESULT) if assign else None,
        assign_days=days,
        returned=False,
        clock_specs=specs,
    )


def _receipt(s: CaseState, e: EventData) -> CaseState:
    on = e.occurred_on
    return replace(s, receipted_on=on, clock_specs=_open(s, ClockSpec("R-DL-03", on), ClockSpec("R-DL-04", on)))


def _object(s: CaseState, e: EventData) -> CaseState:
    on = e.occurred_on
    specs = _close(s.clock_specs, ("R-DL-03", "R-DL-04", "R-DL-05"), on) + (ClockSpec("R-DL-01", on),)
    return replace(
        s,
        route=None,
        routed_unit=None,
        receipted_on=None,
        assign_mode=None,
        assign_days=None,
        returned=True,
        objected_on=on,
        objecting_unit=_text(e.details, "unit") or s.routed_unit,
        objection_reason=e.reason,
        clock_specs=specs,
    )


def _progress(s: CaseState, e: EventData) -> CaseState:
    on, kind = e.occurred_on, _text(e.details, "kind")
    meetings = s.three_meetings + ((kind, on),) if kind in THREE_MEETINGS else s.three_meetings
    specs = s.clock_specs
    if s.assign_mode == ASSIGN_PROGRESS:
        specs = _close(specs, ("R-DL-05",), on)  # 要情况: the report on the situation answers the 交办
    return replace(
        s,
        progress_notes=s.progress_notes + 1,
        last_progress_on=on,
        three_meetings=meetings,
        follow_up_needed=s.follow_up_needed and kind != FOLLOW_UP,
        clock_specs=specs,
    )


def _extend(s: CaseState, e: EventData) -> CaseState:
    days = _int(e.details, "days") or 0
    specs = tuple(
        replace(c, extension_days=days) if c.rule_id == "R-DL-06" and c.met_on is None else c for c in s.clock_specs
    )
    return replace(
        s,
        extension_days=days,
        extended_on=e.occurred_on,
        extension_approver=_text(e.details, "approver"),
        extension_reason=e.reason,
        clock_specs=specs,
    )


def _hearing_start(s: CaseState, e: EventData) -> CaseState:
    return replace(s, hearing_open_since=e.occurred_on)


def _hearing_end(s: CaseState, e: EventData) -> CaseState:
    if s.hearing_open_since is None:
        return s
    pause = Pause(s.hearing_open_since, e.occurred_on, "听证")
    return replace(s, hearings=(*s.hearings, pause), hearing_open_since=None)


def _conclude(s: CaseState, e: EventData) -> CaseState:
    on = e.occurred_on
    return replace(
        s,
        status=_S.OPINION_ISSUED,
        outcome=_parse(Outcome, _text(e.details, "outcome")),
        concluded_on=on,
        delivered_on=None,
        satisfaction=None,
        rated_on=None,
        clock_specs=_close(s.clock_specs, ("R-DL-06", "R-DL-13", "R-DL-05"), on),
    )


def _deliver(s: CaseState, e: EventData) -> CaseState:
    on, stage = e.occurred_on, ISSUED.get(s.status)
    if stage == OPINION:
        return replace(s, delivered_on=on, clock_specs=_open(s, ClockSpec("R-DL-08", on)))
    if stage == REVIEW:
        return replace(s, review_delivered_on=on, clock_specs=_open(s, ClockSpec("R-DL-10", on)))
    if stage == FINAL_REVIEW:
        return replace(s, final_review_delivered_on=on)
    return s


def _rate(s: CaseState, e: EventData) -> CaseState:
    value = _parse(Satisfaction, _text(e.details, "rating"))
    if value is None:
        return s
    follow_up = value in (Satisfaction.DISSATISFIED, Satisfaction.NOT_RATED)
    return replace(
        s,
        satisfaction=value,
        rated_on=e.occurred_on,
        ratings=(*s.ratings, (s.stage or OPINION, value, e.occurred_on)),
        follow_up_needed=s.follow_up_needed or follow_up,
    )


def _request(s: CaseState, e: EventData) -> CaseState:
    on = e.occurred_on
    if e.action == CaseAction.REQUEST_REVIEW:
        specs = _close(s.clock_specs, ("R-DL-08",), on) + (ClockSpec("R-DL-09", on),)
        return replace(s, status=_S.REVIEW, review_requested_on=on, satisfaction=None, rated_on=None, clock_specs=specs)
    specs = _close(s.clock_specs, ("R-DL-10",), on) + (ClockSpec("R-DL-11", on),)
    return replace(
        s, status=_S.FINAL_REVIEW, final_review_requested_on=on, satisfaction=None, rated_on=None, clock_specs=specs
    )


def _review_decision(s: CaseState, e: EventData) -> CaseState:
    on, final = e.occurred_on, e.action == CaseAction.FINAL_REVIEW_DECISION
    outcome = _parse(ReviewOutcome, _text(e.details, "outcome"))
    specs = _close(s.clock_specs, ("R-DL-11" if final else "R-DL-09",), on)
    if final:
        s = replace(s, final_review_decided_on=on, final_review_outcome=outcome, final_review_delivered_on=None)
    else:
        s = replace(s, review_decided_on=on, review_outcome=outcome, review_delivered_on=None)
    if outcome is ReviewOutcome.REDO:  # 责令重新作出: back to handling with a new clock
        return replace(
            s,
            status=_S.ACCEPTED,
            mode=NORMAL,
            handling_started_on=on,
            redo_count=s.redo_count + 1,
            outcome=None,
            concluded_on=None,
            delivered_on=None,
            extension_days=0,
            extended_on=None,
            extension_approver=None,
            extension_reason=None,
            satisfaction=None,
            rated_on=None,
            clock_specs=(*specs, ClockSpec("R-DL-06", on)),
        )
    status = _S.FINAL_REVIEW_OPINION_ISSUED if final else _S.REVIEW_OPINION_ISSUED
    return replace(s, status=status, satisfaction=None, rated_on=None, clock_specs=specs)


def _supervise(s: CaseState, e: EventData) -> CaseState:
    d = e.details
    trigger = _text(d, "trigger") or f"manual:{len(s.supervision_triggers) + 1}"
    order = SupervisionOrder(
        trigger=trigger,
        issued_on=e.occurred_on,
        due_on=_date(d, "due_on") or e.occurred_on,
        reason=e.reason or "督办",
        automatic=bool(d.get("automatic")),
    )
    return replace(
        s, supervision_orders=(*s.supervision_orders, order), supervision_triggers=s.supervision_triggers | {trigger}
    )


def _urge(s: CaseState, e: EventData) -> CaseState:
    keys = e.details.get("triggers")
    wanted = {str(k) for k in keys} if isinstance(keys, list | tuple) else {o.trigger for o in s.supervision_orders}
    orders = tuple(
        replace(o, reminders=o.reminders + 1, last_reminded_on=e.occurred_on) if o.trigger in wanted else o
        for o in s.supervision_orders
    )
    return replace(s, supervision_orders=orders, reminders=s.reminders + 1)


def _close_case(s: CaseState, e: EventData) -> CaseState:
    return replace(s, status=_S.CLOSED, closed_on=e.occurred_on)


def _mark(s: CaseState, e: EventData) -> CaseState:
    return s  # overdue marks and lapsed windows: the status comes from the event


_HANDLERS: dict[str, _Handler] = {
    CaseAction.REGISTER: _register,
    CaseAction.SUBMIT: _submit,
    CaseAction.ACCEPT: _accept,
    CaseAction.SIMPLIFIED_ACCEPT: _accept,
    CaseAction.DECLINE: _decline,
    CaseAction.REFUSE_AGAIN: _decline,
    CaseAction.FORWARD: _route,
    CaseAction.ASSIGN: _route,
    CaseAction.RECEIPT: _receipt,
    CaseAction.OBJECT: _object,
    CaseAction.PROGRESS: _progress,
    CaseAction.EXTEND: _extend,
    CaseAction.HEARING_START: _hearing_start,
    CaseAction.HEARING_END: _hearing_end,
    CaseAction.CONCLUDE: _conclude,
    CaseAction.SIMPLIFIED_CONCLUDE: _conclude,
    CaseAction.DELIVER: _deliver,
    CaseAction.RATE: _rate,
    CaseAction.REQUEST_REVIEW: _request,
    CaseAction.REQUEST_FINAL_REVIEW: _request,
    CaseAction.REVIEW_DECISION: _review_decision,
    CaseAction.FINAL_REVIEW_DECISION: _review_decision,
    CaseAction.SUPERVISE: _supervise,
    CaseAction.URGE: _urge,
    CaseAction.OVERDUE: _mark,
    CaseAction.LAPSE: _mark,
    CaseAction.CLOSE: _close_case,
}


def evolve(state: CaseState, event: EventData) -> CaseState:
    """The state after one event. The event's `to_status`, when set, is authoritative (it is the record)."""
    handler = _HANDLERS.get(event.action)
    last_on = max(state.last_event_on, event.occurred_on)
    if handler is None:
        return replace(state, last_event_on=last_on)
    new = handler(state, event)
    if event.to_status is not None and new.status is not event.to_status:
        new = replace(new, status=event.to_status)
    if new.status is _S.CLOSED and new.closed_on is None:
        new = replace(new, closed_on=event.occurred_on)
    if event.action in _ANSWERS_SUPERVISION or new.is_final:
        new = replace(new, supervision_orders=())
    return replace(new, last_event_on=last_on, last_action=event.action)
