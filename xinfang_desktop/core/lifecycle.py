"""The case lifecycle state machine (R-LC-01…07, R-DL-01…13): which action is allowed when, and what it records.

`decide` validates one action against the state of a case and returns the events it produces, the state after
them (their fold) and the document the step produces. Nothing is written here: the caller appends the events.
An action not allowed in the state raises `IllegalActionError` listing the allowed actions; a bad parameter
raises a `DomainError` naming the field, in Chinese, with the rule it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xinfang_desktop.core.accusation_guard import RULE_ID, refusal
from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.cases import EventData
from xinfang_desktop.core.codes import CaseStatus, Outcome, ReviewOutcome, Satisfaction
from xinfang_desktop.core.deadlines import compute_deadline
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.lifecycle_clocks import (
    Clock,
    clocks,
    current_due,
    running_clock,
    supervision_due,
)
from xinfang_desktop.core.lifecycle_model import (
    ASSIGN,
    ASSIGN_MODES,
    ASSIGN_RESULT,
    DEFAULT_SUPERVISION_DAYS,
    ISSUED,
    PROGRESS_KINDS,
    CaseFacts,
    CaseState,
)
from xinfang_desktop.core.lifecycle_rules import (
    ISSUED_LABEL,
    IllegalActionError,
    allowed_actions,
    blocked_reason,
    cli_name,
    illegal_action,
    suggest_refuse_again,
)
from xinfang_desktop.core.lifecycle_state import evolve
from xinfang_desktop.core.rule_profiles import MAX_RULE_LENGTH, RuleProfile
from xinfang_desktop.core.workdays import WorkdayCalendar, cn_date

__all__ = [
    "ActionRequest",
    "Clock",
    "Decision",
    "IllegalActionError",
    "allowed_actions",
    "cli_name",
    "clocks",
    "current_due",
    "decide",
    "suggest_refuse_again",
]

_A = CaseAction
_S = CaseStatus

#: The document each step produces (the documents issue renders it).
DOCUMENTS: dict[CaseAction, str] = {
    _A.ACCEPT: "acceptance_notice",
    _A.SIMPLIFIED_ACCEPT: "acceptance_notice",
    _A.DECLINE: "decline_notice",
    _A.REFUSE_AGAIN: "refuse_again_notice",
    _A.FORWARD: "transfer_letter",
    _A.ASSIGN: "assignment_form",
    _A.SUPERVISE: "supervision_form",
    _A.URGE: "urge_notice",
    _A.EXTEND: "extension_notice",
    _A.CONCLUDE: "handling_opinion",
    _A.SIMPLIFIED_CONCLUDE: "handling_opinion",
    _A.REVIEW_DECISION: "review_opinion",
    _A.FINAL_REVIEW_DECISION: "final_review_opinion",
    _A.DELIVER: "delivery_receipt",
}


@dataclass(frozen=True)
class ActionRequest:
    """One action asked for on a case. Labels are Chinese (予以支持, 维持, 满意 …); `on` is the day it happened.

    `days`: extension days (延期), the set period (交办) or the supervision period (督办); `number`: the transfer
    number (转送/交办文号) or, for 不再受理, the earlier decision; `mode`: 要结果/要情况 (交办) or the kind of a
    progress note (事权单位见面, 当面反馈, 领导见面, 回访核实 …); `units`: assisting units (协办) on 受理.
    """

    action: CaseAction
    on: date
    unit: str | None = None
    reason: str | None = None
    outcome: str | None = None
    rating: str | None = None
    days: int | None = None
    number: str | None = None
    mode: str | None = None
    approver: str | None = None
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """What an action (or a tick) does: the events to append, the state after them, the document produced."""

    events: tuple[EventData, ...]
    state: CaseState
    document: str | None = None


# ---------------------------------------------------------------------------------------------- decide


@dataclass(frozen=True)
class _Ctx:
    state: CaseState
    facts: CaseFacts
    req: ActionRequest
    calendar: WorkdayCalendar
    profile: RuleProfile


def _clean(text: str | None) -> str | None:
    text = text.strip() if text else None
    return text or None


def _required(value: str | None, field: str, message: str) -> str:
    value = _clean(value)
    if value is None:
        raise DomainError(message, field=field)
    return value


def _not_accused(facts: CaseFacts, unit: str | None) -> None:
    """R-LC-07: accusation material never goes to, nor is handled by, the accused unit or a unit under it.

    `facts.accused_units` is the case's `AccusedScope` when the store loaded it with the register's hierarchy
    (persistence.units.accused_scope_of); a plain set of names is compared by name only.
    """
    why = refusal(facts.accused_units, unit)
    if why is not None:
        raise DomainError(why, field="unit", details={"rule": RULE_ID})


def _check_date(state: CaseState, on: date, today: date) -> None:
    if on > today:
        raise DomainError(f"日期{cn_date(on)}晚于今天（{cn_date(today)}），不能登记尚未发生的办理记录", field="date")
    if on < state.last_event_on:
        last = CaseAction(state.last_action).label if state.last_action in set(CaseAction) else "登记"
        raise DomainError(
            f"日期{cn_date(on)}早于本事项上一条记录“{last}”的日期{cn_date(state.last_event_on)}，"
            "办理记录须按时间顺序登记",
            field="date",
        )


def _window(ctx: _Ctx, rule_id: str, start: date, what: str) -> date:
    """The due date of a window clock started on `start`; refuses an action after it."""
    due = compute_deadline(ctx.profile, rule_id, start, ctx.calendar).due_on
    if ctx.req.on > due:
        rule = ctx.profile.rule(rule_id)
        raise DomainError(
            f"{what}已超过期限：应自{cn_date(start)}{rule.start_event}之次日起"
            f"{rule.unit.phrase(rule.length or 0)}内提出，至{cn_date(due)}届满（{rule_id}，{rule.citation}）",
            field="date",
            details={"rule": rule_id, "due_on": due.isoformat()},
        )
    return due


def _event(ctx: _Ctx, reason: str | None, details: dict[str, object], to_status: CaseStatus | None = None) -> EventData:
    action = ctx.req.action
    return EventData(
        action=action.value,
        occurred_on=ctx.req.on,
        from_status=ctx.state.status,
        to_status=to_status or ctx.state.status,
        reason=reason,
        details=details,
        document=DOCUMENTS.get(action),
    )


def _accept(ctx: _Ctx) -> EventData:
    s, req = ctx.state, ctx.req
    unit = _clean(req.unit) or s.routed_unit
    assisting = [u.strip() for u in req.units if u.strip()]
    for u in (unit, *assisting):
        _not_accused(ctx.facts, u)
    details: dict[str, object] = {"unit": unit, "assisting_units": assisting}
    if req.action is _A.SIMPLIFIED_ACCEPT:
        start = s.receipted_on or s.received_on
        due = _window(ctx, "R-DL-12", start, "简易办理的受理决定")
        details |= {"window_start": start.isoformat(), "window_due_on": due.isoformat()}
        return _event(ctx, _clean(req.reason) or "简易办理，予以受理", details, _S.ACCEPTED)
    return _event(ctx, _clean(req.reason) or "予以受理", details, _S.ACCEPTED)


def _decline(ctx: _Ctx) -> EventData:
    req = ctx.req
    if req.action is _A.REFUSE_AGAIN:
        reason = _required(req.reason, "reason", "不再受理须写明所依据的原处理、复查或复核意见（R-LC-03）")
        return _event(ctx, reason, {"earlier": _clean(req.number)}, _S.REFUSED_AGAIN)
    reason = _required(req.reason, "reason", "不予受理须写明理由，并告知信访人应当通过的法定途径（R-LC-09）")
    return _event(ctx, reason, {"direct_to": _clean(req.unit)}, _S.DECLINED)


def _route(ctx: _Ctx) -> EventData:
    req = ctx.req
    verb = "转送" if req.action is _A.FORWARD else "交办"
    unit = _required(req.unit, "unit", f"{verb}须指定承办单位")
    _not_accused(ctx.facts, unit)
    details: dict[str, object] = {"unit": unit, "transfer_number": _clean(req.number)}
    if req.action is _A.ASSIGN:
        mode = _clean(req.mode) or ASSIGN_RESULT
        if mode not in ASSIGN_MODES:
            raise DomainError(f"交办方式“{mode}”无效，可选：{'、'.join(ASSIGN_MODES)}", field="mode")
        if req.days is None:
            raise DomainError("交办须指定办理期限天数（R-DL-05，期限由交办机关确定）", field="days")
        if isinstance(req.days, bool) or not 1 <= req.days <= MAX_RULE_LENGTH:
            raise DomainError(f"交办期限应为 1–{MAX_RULE_LENGTH} 日，现为“{req.days}”", field="days")
        due = compute_deadline(ctx.profile, "R-DL-05", req.on, ctx.calendar, length=req.days).due_on
        details |= {"assign_mode": mode, "days": req.days, "due_on": due.isoformat()}
        return _event(ctx, _clean(req.reason) or f"交办{unit}（{mode}，{req.days}日内）", details)
    return _event(ctx, _clean(req.reason) or f"转送{unit}", details)


def _receipt(ctx: _Ctx) -> EventData:
    unit = ctx.state.routed_unit
    return _event(ctx, _clean(ctx.req.reason) or f"{unit or '承办单位'}签收", {"unit": unit})


def _object(ctx: _Ctx) -> EventData:
    s = ctx.state
    reason = _required(ctx.req.reason, "reason", "异议退回须说明不属于本机关职权范围的理由（R-DL-04）")
    assert s.receipted_on is not None  # guaranteed by blocked_reason
    due = _window(ctx, "R-DL-04", s.receipted_on, "异议")
    return _event(ctx, reason, {"unit": s.routed_unit, "window_due_on": due.isoformat()})


def _progress(ctx: _Ctx) -> EventData:
    kind = _clean(ctx.req.mode) or PROGRESS_KINDS[0]
    if kind not in PROGRESS_KINDS:
        raise DomainError(f"进展类别“{kind}”无效，可选：{'、'.join(PROGRESS_KINDS)}", field="mode")
    details: dict[str, object] = {"kind": kind, "unit": _clean(ctx.req.unit)}
    return _event(ctx, _clean(ctx.req.reason) or kind, details)


def _extend(ctx: _Ctx) -> EventData:
    req, s = ctx.req, ctx.state
    reason = _required(req.reason, "reason", "延期须写明理由，并告知信访人（延期告知书，R-DL-07）")
    approver = _required(req.approver, "approver", "延期须经本机关负责人批准，请填写批准人（R-DL-07）")
    rule = ctx.profile.rule("R-DL-06")
    if rule.extension_rule is None:
        raise DomainError(f"规则配置“{ctx.profile.name}”中办理期限不能延期", field="days")
    limit = ctx.profile.rule(rule.extension_rule).max_length or 0
    if req.days is None or isinstance(req.days, bool) or not 1 <= req.days <= limit:
        raise DomainError(
            f"延期天数应为 1–{limit} 日，现为“{req.days if req.days is not None else '未填'}”（R-DL-07）", field="days"
        )
    current = running_clock(s, "R-DL-06", profile=ctx.profile, calendar=ctx.calendar, today=req.on)
    assert current is not None  # ACCEPTED in normal mode always has R-DL-06 running
    if req.on > current.due_on:
        raise DomainError(
            f"办理期限已于{cn_date(current.due_on)}届满，不能再延期（延期应在期限届满前批准，R-DL-07）", field="date"
        )
    spec = s.open_spec("R-DL-06")
    assert spec is not None
    after = compute_deadline(
        ctx.profile, "R-DL-06", spec.start_on, ctx.calendar, pauses=current.pauses, extension_days=req.days
    ).due_on
    details: dict[str, object] = {
        "days": req.days,
        "approver": approver,
        "due_before": current.due_on.isoformat(),
        "due_after": after.isoformat(),
    }
    return _event(ctx, reason, details)


def _hearing(ctx: _Ctx) -> EventData:
    if ctx.req.action is _A.HEARING_START:
        return _event(ctx, _clean(ctx.req.reason) or "举行听证，听证时间不计入办理期限（R-TM-04）", {})
    started = ctx.state.hearing_open_since
    return _event(ctx, _clean(ctx.req.reason) or "听证结束", {"started_on": started.isoformat() if started else None})


def _conclude(ctx: _Ctx) -> EventData:
    s, req = ctx.state, ctx.req
    text = _required(req.outcome, "outcome", "办结须填写处理意见：予以支持、解释说明或不予支持（R-LC-02）")
    outcome = Outcome.parse(text, field="outcome")
    unit = _clean(req.unit) or s.lead_unit
    _not_accused(ctx.facts, unit)
    details: dict[str, object] = {"outcome": outcome.label, "unit": unit}
    if s.route == ASSIGN:
        details["report"] = "办结报告"  # the office reviews it before the case is closed
    return _event(ctx, _clean(req.reason) or f"作出处理意见：{outcome.label}", details, _S.OPINION_ISSUED)


def _deliver(ctx: _Ctx) -> EventData:
    stage = ISSUED[ctx.state.status]
    return _event(ctx, _clean(ctx.req.reason) or f"{ISSUED_LABEL[stage]}送达信访人", {"stage": stage})


def _rate(ctx: _Ctx) -> EventData:
    text = _required(ctx.req.rating, "rating", "请填写满意度：满意、基本满意、不满意或未评价（R-LC-06）")
    value = Satisfaction.parse(text, field="rating")
    reason = f"满意度评价：{value.label}"
    if value in (Satisfaction.DISSATISFIED, Satisfaction.NOT_RATED):
        reason += "，需回访核实并督办（R-LC-06）"
    return _event(ctx, reason, {"rating": value.label, "stage": ctx.state.stage})


def _request(ctx: _Ctx) -> EventData:
    s = ctx.state
    if ctx.req.action is _A.REQUEST_REVIEW:
        assert s.delivered_on is not None
        due = _window(ctx, "R-DL-08", s.delivered_on, "复查请求")
        return _event(ctx, _clean(ctx.req.reason) or "信访人请求复查", {"window_due_on": due.isoformat()}, _S.REVIEW)
    assert s.review_delivered_on is not None
    due = _window(ctx, "R-DL-10", s.review_delivered_on, "复核请求")
    details: dict[str, object] = {"window_due_on": due.isoformat()}
    return _event(ctx, _clean(ctx.req.reason) or "信访人请求复核", details, _S.FINAL_REVIEW)


def _review_decision(ctx: _Ctx) -> EventData:
    final = ctx.req.action is _A.FINAL_REVIEW_DECISION
    what = "复核意见" if final else "复查意见"
    text = _required(ctx.req.outcome, "outcome", f"请填写{what}：维持、撤销、变更或责令重新作出（R-LC-02）")
    outcome = ReviewOutcome.parse(text, field="outcome")
    if outcome is ReviewOutcome.REDO:
        to = _S.ACCEPTED
        reason = f"{what}：责令重新作出，重新办理并重新计算办理期限（R-DL-06）"
    else:
        to = _S.FINAL_REVIEW_OPINION_ISSUED if final else _S.REVIEW_OPINION_ISSUED
        reason = f"{what}：{outcome.label}"
    return _event(ctx, _clean(ctx.req.reason) or reason, {"outcome": outcome.label}, to)


def _supervise(ctx: _Ctx) -> EventData:
    req, s = ctx.req, ctx.state
    reason = _required(req.reason, "reason", "督办须写明督办事由")
    days = DEFAULT_SUPERVISION_DAYS if req.days is None else req.days
    if isinstance(days, bool) or not 1 <= days <= MAX_RULE_LENGTH:
        raise DomainError(f"督办期限应为 1–{MAX_RULE_LENGTH} 日，现为“{days}”", field="days")
    _not_accused(ctx.facts, _clean(req.unit))  # a 督办单 goes to the unit supervised, with the case's material
    due = supervision_due(ctx.calendar, req.on, days)
    trigger = f"manual:{sum(1 for t in s.supervision_triggers if t.startswith('manual:')) + 1}"
    details: dict[str, object] = {
        "trigger": trigger,
        "due_on": due.isoformat(),
        "days": days,
        "automatic": False,
        "unit": _clean(req.unit) or s.lead_unit or s.routed_unit,
    }
    return _event(ctx, reason, details)


def _urge(ctx: _Ctx) -> EventData:
    triggers = [o.trigger for o in ctx.state.supervision_orders]
    return _event(ctx, _clean(ctx.req.reason) or "催办", {"triggers": triggers, "automatic": False})


def _close(ctx: _Ctx) -> EventData:
    return _event(ctx, _clean(ctx.req.reason) or "经审核认定办结", {}, _S.CLOSED)


_BUILDERS = {
    _A.ACCEPT: _accept,
    _A.SIMPLIFIED_ACCEPT: _accept,
    _A.DECLINE: _decline,
    _A.REFUSE_AGAIN: _decline,
    _A.FORWARD: _route,
    _A.ASSIGN: _route,
    _A.RECEIPT: _receipt,
    _A.OBJECT: _object,
    _A.PROGRESS: _progress,
    _A.EXTEND: _extend,
    _A.HEARING_START: _hearing,
    _A.HEARING_END: _hearing,
    _A.CONCLUDE: _conclude,
    _A.SIMPLIFIED_CONCLUDE: _conclude,
    _A.DELIVER: _deliver,
    _A.RATE: _rate,
    _A.REQUEST_REVIEW: _request,
    _A.REQUEST_FINAL_REVIEW: _request,
    _A.REVIEW_DECISION: _review_decision,
    _A.FINAL_REVIEW_DECISION: _review_decision,
    _A.SUPERVISE: _supervise,
    _A.URGE: _urge,
    _A.CLOSE: _close,
}


def decide(
    state: CaseState,
    facts: CaseFacts,
    request: ActionRequest,
    *,
    today: date,
    calendar: WorkdayCalendar,
    profile: RuleProfile,
) -> Decision:
    """Validate `request` against the case and return its events, the state after them and the document."""
    why = blocked_reason(state, request.action)
    builder = _BUILDERS.get(request.action)
    if why is not None or builder is None:
        raise illegal_action(state, request.action, why or "")
    _check_date(state, request.on, today)
    event = builder(_Ctx(state, facts, request, calendar, profile))
    return Decision((event,), evolve(state, event), event.document)
