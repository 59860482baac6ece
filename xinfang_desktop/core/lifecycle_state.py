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
from dataclasses import replace
from datetime import date
from typing import TypeVar

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.cases import EventData
from xinfang_desktop.core.codes import CaseStatus, Outcome, ReviewOutcome, Satisfaction
from xinfang_desktop.core.deadlines import Pause
from xinfang_desktop.core.lifecycle_model import (
    ASSIGN,
    ASSIGN_PROGRESS,
    ASSIGN_RESULT,
    FINAL_REVIEW,
    FOLLOW_UP,
    FORWARD,
    ISSUED,
    NORMAL,
    OPINION,
    REVIEW,
    SIMPLIFIED,
    THREE_MEETINGS,
    CaseFacts,
    CaseState,
    ClockSpec,
    SupervisionOrder,
    detail_date,
    detail_int,
    detail_text,
)

__all__ = [
    "CaseFacts",
    "CaseState",
    "ClockSpec",
    "SupervisionOrder",
    "evolve",
    "fold",
    "initial_state",
]

_S = CaseStatus
_E = TypeVar("_E", Outcome, ReviewOutcome, Satisfaction)


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
    repeats = (*s.repeat_submissions, e.occurred_on) if s.accepted_on is not None else s.repeat_submissions
    return replace(s, submissions=s.submissions + 1, repeat_submissions=repeats)


def _accept(s: CaseState, e: EventData) -> CaseState:
    on, d = e.occurred_on, e.details
    simplified = e.action == CaseAction.SIMPLIFIED_ACCEPT
    specs = _close(s.clock_specs, _ROUTING_CLOCKS, on)  # R-DL-05 runs on until the report (办结报告 / 情况)
    if simplified:
        start = detail_date(d, "window_start") or s.receipted_on or s.received_on
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
        lead_unit=detail_text(d, "unit") or s.routed_unit or s.lead_unit,
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
    days = detail_int(d, "days") if assign else None
    specs = _close(s.clock_specs, ("R-DL-01",), on)
    if assign:
        specs += (ClockSpec("R-DL-05", on, length=days),)
    return replace(
        s,
        route=ASSIGN if assign else FORWARD,
        routed_unit=detail_text(d, "unit"),
        transfer_number=detail_text(d, "transfer_number"),
        sent_on=on,
        receipted_on=None,
        assign_mode=(detail_text(d, "assign_mode") or ASSIGN_RESULT) if assign else None,
        assign_days=days,
        returned=False,
        clock_specs=specs,
    )


def _receipt(s: CaseState, e: EventData) -> CaseState:
    on = e.occurred_on
    return replace(s, receipted_on=on, clock_specs=_open(s, ClockSpec("R-DL-03", on), ClockSpec("R-DL-04", on)))


def _object(s: CaseState, e: EventData) -> CaseState:
    on = e.occurred_on
    specs = (*_close(s.clock_specs, ("R-DL-03", "R-DL-04", "R-DL-05"), on), ClockSpec("R-DL-01", on))
    return replace(
        s,
        route=None,
        routed_unit=None,
        receipted_on=None,
        assign_mode=None,
        assign_days=None,
        returned=True,
        objected_on=on,
        objecting_unit=detail_text(e.details, "unit") or s.routed_unit,
        objection_reason=e.reason,
        clock_specs=specs,
    )


def _progress(s: CaseState, e: EventData) -> CaseState:
    on, kind = e.occurred_on, detail_text(e.details, "kind")
    meetings = (*s.three_meetings, (kind, on)) if kind in THREE_MEETINGS else s.three_meetings
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
    days = detail_int(e.details, "days") or 0
    specs = tuple(
        replace(c, extension_days=days) if c.rule_id == "R-DL-06" and c.met_on is None else c for c in s.clock_specs
    )
    return replace(
        s,
        extension_days=days,
        extended_on=e.occurred_on,
        extension_approver=detail_text(e.details, "approver"),
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
        outcome=_parse(Outcome, detail_text(e.details, "outcome")),
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
    value = _parse(Satisfaction, detail_text(e.details, "rating"))
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
        specs = (*_close(s.clock_specs, ("R-DL-08",), on), ClockSpec("R-DL-09", on))
        return replace(s, status=_S.REVIEW, review_requested_on=on, satisfaction=None, rated_on=None, clock_specs=specs)
    specs = (*_close(s.clock_specs, ("R-DL-10",), on), ClockSpec("R-DL-11", on))
    return replace(
        s, status=_S.FINAL_REVIEW, final_review_requested_on=on, satisfaction=None, rated_on=None, clock_specs=specs
    )


def _review_decision(s: CaseState, e: EventData) -> CaseState:
    on, final = e.occurred_on, e.action == CaseAction.FINAL_REVIEW_DECISION
    outcome = _parse(ReviewOutcome, detail_text(e.details, "outcome"))
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
    trigger = detail_text(d, "trigger") or f"manual:{len(s.supervision_triggers) + 1}"
    order = SupervisionOrder(
        trigger=trigger,
        issued_on=e.occurred_on,
        due_on=detail_date(d, "due_on") or e.occurred_on,
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
    CaseAction.IMPORT: _mark,
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
