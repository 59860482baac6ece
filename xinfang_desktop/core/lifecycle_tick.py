"""Time-driven changes of a case (R-DL-06/08…11, R-LC-01, R-LC-06): overdue marks, lapsed windows, automatic 督办.

`tick` applies, in date order, every change that has taken effect by `today`, each as an event dated on the day
it took effect (never before the case's last event, so the timeline stays in order):

- R-DL-06 / R-DL-13 passed without a 处理意见 → 超期未作出处理意见; R-DL-09 / R-DL-11 likewise → 超期未作出复查意见 /
  超期未作出复核意见 (the state keeps accepting the late opinion);
- a lapsed 复查 window (R-DL-08) → 超期未申请复查 and then 审核认定办结; a lapsed 复核 window (R-DL-10) →
  超期未申请复核 and then 审核认定办结 (both events in one tick);
- automatic 督办 orders, each opened once per trigger: half of the handling period gone without a progress note;
  the petitioner came again within the period; a unit returned the case (异议) and it was not forwarded or
  handed down again within 5 日; a 不满意 or 未评价 rating (R-LC-06);
- 催办 reminders for an order whose deadline passed, then every `reminder_days` 日 while it stays open.

Idempotent: `tick` on the state it returns finds nothing to do. `next_due` is the first day `tick` would change a
case (stored as `cases.tick_due_on`, so the daily run reads only the due cases: issue 19).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.cases import EventData
from xinfang_desktop.core.codes import CaseStatus, Satisfaction
from xinfang_desktop.core.lifecycle import Decision
from xinfang_desktop.core.lifecycle_clocks import running_clock, supervision_due
from xinfang_desktop.core.lifecycle_model import (
    DEFAULT_SUPERVISION_DAYS,
    ISSUED,
    STAGE_LABELS,
    CaseFacts,
    CaseState,
    SupervisionOrder,
)
from xinfang_desktop.core.lifecycle_state import evolve
from xinfang_desktop.core.rule_profiles import RuleProfile
from xinfang_desktop.core.workdays import WorkdayCalendar, cn_date

_A = CaseAction
_S = CaseStatus
_MAX_STEPS = 500


@dataclass(frozen=True)
class SupervisionPolicy:
    """The numbers of automatic supervision (configurable; defaults are the office's practice, **I**)."""

    order_days: int = DEFAULT_SUPERVISION_DAYS  # the period an automatic order gives (日)
    resubmit_days: int = 5  # a returned case must be forwarded or handed down again within (日)
    reminder_days: int = 5  # interval between 催办 reminders once an order is overdue (日)
    rating_triggers: frozenset[Satisfaction] = frozenset({Satisfaction.DISSATISFIED, Satisfaction.NOT_RATED})


DEFAULT_POLICY = SupervisionPolicy()

# status → (the stage's duty clock, the overdue status, what was not made)
_OVERDUE = {
    _S.ACCEPTED: (None, _S.OPINION_OVERDUE, "处理意见"),
    _S.REVIEW: ("R-DL-09", _S.REVIEW_OPINION_OVERDUE, "复查意见"),
    _S.FINAL_REVIEW: ("R-DL-11", _S.FINAL_REVIEW_OPINION_OVERDUE, "复核意见"),
}
_DUTY_STATUSES = {
    _S.ACCEPTED: None,
    _S.OPINION_OVERDUE: None,
    _S.REVIEW: "R-DL-09",
    _S.REVIEW_OPINION_OVERDUE: "R-DL-09",
    _S.FINAL_REVIEW: "R-DL-11",
    _S.FINAL_REVIEW_OPINION_OVERDUE: "R-DL-11",
}
# status → (window rule, lapsed status, what was not requested)
_WINDOWS = {
    _S.OPINION_ISSUED: ("R-DL-08", _S.REVIEW_WINDOW_LAPSED, "复查"),
    _S.REVIEW_OPINION_ISSUED: ("R-DL-10", _S.FINAL_REVIEW_WINDOW_LAPSED, "复核"),
}
_LAPSED = {_S.REVIEW_WINDOW_LAPSED: "复查", _S.FINAL_REVIEW_WINDOW_LAPSED: "复核"}

# A pending change: the day it took effect, a tie-breaking rank, and how to make its event on a given date.
_Pending = tuple[date, int, Callable[[date], EventData]]


@dataclass(frozen=True)
class _Env:
    facts: CaseFacts
    today: date
    calendar: WorkdayCalendar
    profile: RuleProfile
    policy: SupervisionPolicy


def _event(
    state: CaseState,
    action: CaseAction,
    on: date,
    reason: str,
    details: dict[str, object],
    to: CaseStatus | None = None,
    document: str | None = None,
) -> EventData:
    return EventData(action.value, on, state.status, to or state.status, reason, details, document)


def _order(state: CaseState, env: _Env, trigger: str, eff: date, reason: str) -> _Pending:
    def make(on: date) -> EventData:
        due = supervision_due(env.calendar, on, env.policy.order_days)
        details: dict[str, object] = {
            "trigger": trigger,
            "due_on": due.isoformat(),
            "days": env.policy.order_days,
            "automatic": True,
            "unit": state.lead_unit or state.routed_unit,
        }
        return _event(state, _A.SUPERVISE, on, reason, details, document="supervision_form")

    return (eff, 0, make)


def _duty_rule(state: CaseState, status_rule: str | None) -> str:
    return status_rule or state.handling_rule


def _overdue(state: CaseState, env: _Env) -> list[_Pending]:
    entry = _OVERDUE.get(state.status)
    if entry is None:
        return []
    rule_id = _duty_rule(state, entry[0])
    d = running_clock(state, rule_id, profile=env.profile, calendar=env.calendar, today=env.today)
    if d is None or d.due_on >= env.today:
        return []
    to, what = entry[1], entry[2]
    reason = f"{d.label}期限已于{cn_date(d.due_on)}届满，未作出{what}（{rule_id}，{d.citation}）"
    details: dict[str, object] = {"rule": rule_id, "due_on": d.due_on.isoformat()}
    return [(d.due_on + timedelta(days=1), 2, lambda on: _event(state, _A.OVERDUE, on, reason, details, to))]


def _lapse(state: CaseState, env: _Env) -> list[_Pending]:
    if state.status in _LAPSED:
        what = _LAPSED[state.status]
        reason = f"请求{what}的期间届满未申请，审核认定办结"
        return [(state.last_event_on, 3, lambda on: _event(state, _A.CLOSE, on, reason, {}, _S.CLOSED))]
    entry = _WINDOWS.get(state.status)
    if entry is None:
        return []
    rule_id, to, what = entry
    d = running_clock(state, rule_id, profile=env.profile, calendar=env.calendar)
    if d is None or d.due_on >= env.today:
        return []
    reason = f"请求{what}的期间已于{cn_date(d.due_on)}届满，信访人未申请{what}（{rule_id}，{d.citation}）"
    details: dict[str, object] = {"rule": rule_id, "due_on": d.due_on.isoformat()}
    return [(d.due_on + timedelta(days=1), 2, lambda on: _event(state, _A.LAPSE, on, reason, details, to))]


def _half_period(state: CaseState, env: _Env) -> list[_Pending]:
    if state.status is not _S.ACCEPTED:
        return []
    rule_id = state.handling_rule
    spec = state.open_spec(rule_id)
    d = running_clock(state, rule_id, profile=env.profile, calendar=env.calendar, today=env.today)
    if spec is None or d is None:
        return []
    trigger = f"half:{rule_id}:{spec.start_on.isoformat()}"
    if trigger in state.supervision_triggers:
        return []
    if state.last_progress_on is not None and state.last_progress_on >= spec.start_on:
        return []
    half = spec.start_on + timedelta(days=-(-(d.due_on - spec.start_on).days // 2))
    eff = half + timedelta(days=1)
    if eff > env.today:
        return []
    reason = f"办理期限（{rule_id}，至{cn_date(d.due_on)}）已过半，尚无办理进展，自动督办"
    return [_order(state, env, trigger, eff, reason)]


def _repeats(state: CaseState, env: _Env) -> list[_Pending]:
    if state.status not in _DUTY_STATUSES or not state.repeat_submissions:
        return []
    rule_id = _duty_rule(state, _DUTY_STATUSES[state.status])
    spec = state.open_spec(rule_id)
    d = running_clock(state, rule_id, profile=env.profile, calendar=env.calendar, today=env.today)
    if spec is None or d is None:
        return []
    for came in sorted(set(state.repeat_submissions)):
        trigger = f"repeat:{came.isoformat()}"
        if spec.start_on <= came <= d.due_on and came <= env.today and trigger not in state.supervision_triggers:
            reason = f"信访人于{cn_date(came)}在办理期限内再次信访，自动督办"
            return [_order(state, env, trigger, came, reason)]
    return []


def _returned(state: CaseState, env: _Env) -> list[_Pending]:
    if state.status is not _S.UNDER_REVIEW or not state.returned or state.objected_on is None:
        return []
    trigger = f"returned:{state.objected_on.isoformat()}"
    eff = state.objected_on + timedelta(days=env.policy.resubmit_days + 1)
    if trigger in state.supervision_triggers or eff > env.today:
        return []
    unit = state.objecting_unit or "承办单位"
    reason = f"“{unit}”于{cn_date(state.objected_on)}异议退回，{env.policy.resubmit_days}日内未重新转送或交办，自动督办"
    return [_order(state, env, trigger, eff, reason)]


def _rating(state: CaseState, env: _Env) -> list[_Pending]:
    stage = ISSUED.get(state.status)
    value, rated = state.satisfaction, state.rated_on
    if stage is None or value is None or rated is None or value not in env.policy.rating_triggers:
        return []
    trigger = f"rating:{state.redo_count}:{stage}"
    if trigger in state.supervision_triggers:
        return []
    reason = f"信访人对{STAGE_LABELS[stage]}的评价为“{value.label}”，回访核实并自动督办（R-LC-06）"
    return [_order(state, env, trigger, rated, reason)]


def _reminders(state: CaseState, env: _Env) -> list[_Pending]:
    pending: list[_Pending] = []
    step = max(1, env.policy.reminder_days)
    for order in state.supervision_orders:
        first = order.due_on + timedelta(days=1)
        if first > env.today:
            continue
        latest = first + timedelta(days=((env.today - first).days // step) * step)
        if order.last_reminded_on is not None and order.last_reminded_on >= latest:
            continue
        reason = f"督办事项（{order.reason}）已于{cn_date(order.due_on)}到期仍未办结，第{order.reminders + 1}次催办"
        details: dict[str, object] = {"triggers": [order.trigger], "automatic": True}

        def make(on: date, reason: str = reason, details: dict[str, object] = details) -> EventData:
            return _event(state, _A.URGE, on, reason, details, document="urge_notice")

        pending.append((latest, 1, make))
    return pending


_SOURCES = (_overdue, _lapse, _half_period, _repeats, _returned, _rating, _reminders)


def pending_changes(state: CaseState, env: _Env) -> list[_Pending]:
    return [p for source in _SOURCES for p in source(state, env) if p[0] <= env.today]


def tick(
    state: CaseState,
    facts: CaseFacts,
    *,
    today: date,
    calendar: WorkdayCalendar,
    profile: RuleProfile,
    policy: SupervisionPolicy = DEFAULT_POLICY,
) -> Decision:
    """Every time-driven change that has taken effect by `today`, as events in date order, and the state after."""
    env = _Env(facts, today, calendar, profile, policy)
    events: list[EventData] = []
    for _ in range(_MAX_STEPS):
        pending = pending_changes(state, env)
        if not pending:
            break
        eff, _rank, make = min(pending, key=lambda p: (p[0], p[1]))
        event = make(max(eff, state.last_event_on))
        events.append(event)
        state = evolve(state, event)
    documents = [e.document for e in events if e.document]
    return Decision(tuple(events), state, documents[-1] if documents else None)


# ---------------------------------------------------------------------------------------------- next due (issue 19)


def _reminder_due(order: SupervisionOrder, step: int) -> date:
    """The first day `_reminders` sends a 催办 for this order: its due date + 1, then every `step` 日 after the last."""
    first = order.due_on + timedelta(days=1)
    if order.last_reminded_on is None or order.last_reminded_on < first:
        return first
    return first + timedelta(days=((order.last_reminded_on - first).days // step + 1) * step)


def in_replay(state: CaseState, profile: RuleProfile) -> bool:
    """Whether the full replay (`tick_all --full`) looks at the case: a running clock of the profile or an open
    督办 order (the `case_deadlines` / `supervision_orders` projections)."""
    if state.supervision_orders:
        return True
    return any(s.met_on is None and s.rule_id in profile.rules for s in state.clock_specs)


def next_due(
    state: CaseState,
    facts: CaseFacts,
    *,
    calendar: WorkdayCalendar,
    profile: RuleProfile,
    policy: SupervisionPolicy = DEFAULT_POLICY,
    after: date | None = None,
) -> date | None:
    """The first day on which `tick` would change the case, or None if time alone never will (issue 19).

    Exact while no hearing is open: `tick(today=d)` finds something to do iff `d >= next_due` (every change waits
    for a fixed date, and each source stays pending once due). An open hearing (R-TM-04) moves the clocks with
    `today`: the date is then a lower bound (clocks computed with the shortest pause), and with `after` (the day the
    tick has just run) never before the next day, so such a case is examined at every tick until the hearing ends.
    None when the full replay would not examine the case either (`in_replay`): the results stay the same.
    """
    if state.is_final and state.status not in _LAPSED:
        return None
    if not in_replay(state, profile):
        return None
    if state.status in _LAPSED:
        return state.last_event_on
    # The shortest pause of an open hearing: the clocks at their earliest (a longer pause only moves them later).
    lowest = state.hearing_open_since
    env = _Env(facts, lowest or state.last_event_on, calendar, profile, policy)
    found: list[date] = []
    entry = _OVERDUE.get(state.status)
    if entry is not None:
        d = running_clock(state, _duty_rule(state, entry[0]), profile=profile, calendar=calendar, today=lowest)
        if d is not None:
            found.append(d.due_on + timedelta(days=1))
    window = _WINDOWS.get(state.status)
    if window is not None:
        d = running_clock(state, window[0], profile=profile, calendar=calendar)
        if d is not None:
            found.append(d.due_on + timedelta(days=1))
    found += _half_period_due(state, env)
    found += _repeats_due(state, env)
    objected = state.objected_on
    returned = f"returned:{objected.isoformat()}" if objected else ""
    if state.status is _S.UNDER_REVIEW and state.returned and objected and returned not in state.supervision_triggers:
        found.append(objected + timedelta(days=policy.resubmit_days + 1))
    stage = ISSUED.get(state.status)
    value, rated = state.satisfaction, state.rated_on
    rating_trigger = f"rating:{state.redo_count}:{stage}"
    if stage and value in policy.rating_triggers and rated and rating_trigger not in state.supervision_triggers:
        found.append(rated)
    step = max(1, policy.reminder_days)
    found += [_reminder_due(o, step) for o in state.supervision_orders]
    if not found:
        return None
    due = min(found)
    if lowest is not None and after is not None:
        due = max(due, after + timedelta(days=1))
    return due


def _half_period_due(state: CaseState, env: _Env) -> list[date]:
    if state.status is not _S.ACCEPTED:
        return []
    rule_id = state.handling_rule
    spec = state.open_spec(rule_id)
    d = running_clock(state, rule_id, profile=env.profile, calendar=env.calendar, today=state.hearing_open_since)
    if spec is None or d is None:
        return []
    if f"half:{rule_id}:{spec.start_on.isoformat()}" in state.supervision_triggers:
        return []
    if state.last_progress_on is not None and state.last_progress_on >= spec.start_on:
        return []
    return [spec.start_on + timedelta(days=-(-(d.due_on - spec.start_on).days // 2) + 1)]


def _repeats_due(state: CaseState, env: _Env) -> list[date]:
    if state.status not in _DUTY_STATUSES or not state.repeat_submissions:
        return []
    rule_id = _duty_rule(state, _DUTY_STATUSES[state.status])
    spec = state.open_spec(rule_id)
    if spec is None or running_clock(state, rule_id, profile=env.profile, calendar=env.calendar) is None:
        return []
    if state.hearing_open_since is None:
        d = running_clock(state, rule_id, profile=env.profile, calendar=env.calendar)
        last = d.due_on if d is not None else spec.start_on
    else:
        last = date.max  # the clock grows with the hearing: any later visit may still fall inside it
    came = [
        c
        for c in set(state.repeat_submissions)
        if spec.start_on <= c <= last and f"repeat:{c.isoformat()}" not in state.supervision_triggers
    ]
    return [min(came)] if came else []
