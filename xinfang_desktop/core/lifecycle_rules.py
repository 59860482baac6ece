"""Which actions a case allows in its state (R-LC-01), and why an action is refused, in Chinese.

`allowed_actions` follows the national list of states; within a state the sub-conditions follow the rules:
签收 before the receiving organ decides (R-DL-03/04), 送达 before any appeal window starts (R-DL-08/10), one
extension only and none in 简易办理 (R-DL-07, R-DL-13), no opinion while a hearing is open (R-TM-04).
"""

from __future__ import annotations

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.codes import CaseStatus, ReviewOutcome
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.lifecycle_model import (
    FINAL_REVIEW,
    ISSUED,
    NORMAL,
    OPINION,
    REVIEW,
    SIMPLIFIED,
    STAGE_LABELS,
    CaseState,
)
from xinfang_desktop.core.workdays import cn_date

_A = CaseAction
_S = CaseStatus


class IllegalActionError(DomainError):
    """The action is not allowed in the case's state; `details` lists the allowed ones."""


ISSUED_LABEL = {OPINION: "处理意见书", REVIEW: "复查意见书", FINAL_REVIEW: "复核意见书"}
_SUPPORT = frozenset({_A.PROGRESS, _A.SUPERVISE, _A.URGE})
_BY_STATUS: dict[CaseStatus, frozenset[CaseAction]] = {
    _S.UNDER_REVIEW: frozenset(
        {_A.ACCEPT, _A.DECLINE, _A.REFUSE_AGAIN, _A.FORWARD, _A.ASSIGN, _A.RECEIPT, _A.OBJECT, _A.SIMPLIFIED_ACCEPT}
    ),
    _S.ACCEPTED: frozenset({_A.EXTEND, _A.HEARING_START, _A.HEARING_END, _A.CONCLUDE, _A.SIMPLIFIED_CONCLUDE}),
    _S.OPINION_OVERDUE: frozenset({_A.HEARING_END, _A.CONCLUDE, _A.SIMPLIFIED_CONCLUDE}),
    _S.OPINION_ISSUED: frozenset({_A.DELIVER, _A.RATE, _A.REQUEST_REVIEW}),
    _S.REVIEW: frozenset({_A.HEARING_START, _A.HEARING_END, _A.REVIEW_DECISION}),
    _S.REVIEW_OPINION_OVERDUE: frozenset({_A.HEARING_END, _A.REVIEW_DECISION}),
    _S.REVIEW_OPINION_ISSUED: frozenset({_A.DELIVER, _A.RATE, _A.REQUEST_FINAL_REVIEW}),
    _S.FINAL_REVIEW: frozenset({_A.HEARING_START, _A.HEARING_END, _A.FINAL_REVIEW_DECISION}),
    _S.FINAL_REVIEW_OPINION_OVERDUE: frozenset({_A.HEARING_END, _A.FINAL_REVIEW_DECISION}),
    _S.FINAL_REVIEW_OPINION_ISSUED: frozenset({_A.DELIVER, _A.RATE, _A.CLOSE}),
}
_DECISIONS = frozenset({_A.CONCLUDE, _A.SIMPLIFIED_CONCLUDE, _A.REVIEW_DECISION, _A.FINAL_REVIEW_DECISION})
_RECEIVING_ORGAN = frozenset({_A.ACCEPT, _A.SIMPLIFIED_ACCEPT, _A.DECLINE, _A.REFUSE_AGAIN, _A.OBJECT})


def cli_name(action: CaseAction) -> str:
    """The command-line spelling of an action: request-review."""
    return action.value.replace("_", "-")


def _route_word(state: CaseState) -> str:
    return "交办" if state.route == "assign" else "转送"


def _under_review(state: CaseState, action: CaseAction) -> str | None:
    routed, unit = state.route is not None, state.routed_unit or "承办单位"
    if routed and state.receipted_on is None:
        if action is _A.RECEIPT or action in _SUPPORT:
            return None
        return f"已{_route_word(state)}“{unit}”，待其签收"
    if action is _A.RECEIPT:
        if routed:
            return f"“{unit}”已于{cn_date(state.receipted_on or state.last_event_on)}签收"
        return "本事项未转送或交办，无需签收"
    if action is _A.OBJECT and not routed:
        return "只有转送、交办并签收后，承办单位才能提出异议退回（R-DL-04）"
    if action in (_A.FORWARD, _A.ASSIGN) and routed:
        return f"已{_route_word(state)}“{unit}”并签收；不属其职权范围的，应由其异议退回后再转送、交办（R-DL-04）"
    return None


def _handling(state: CaseState, action: CaseAction) -> str | None:
    if action is _A.EXTEND:
        if state.mode == SIMPLIFIED:
            return "简易办理的事项不能延期（R-DL-13）"
        if state.extension_days and state.extended_on:
            return f"延期只能申请一次（R-DL-07），本事项已于{cn_date(state.extended_on)}延期{state.extension_days}日"
    if action is _A.HEARING_START:
        if state.mode == SIMPLIFIED and state.stage == OPINION:
            return "简易办理的事项不举行听证"
        if state.hearing_open_since is not None:
            return f"听证已于{cn_date(state.hearing_open_since)}开始，尚未结束"
    if action is _A.HEARING_END and state.hearing_open_since is None:
        return "没有正在进行的听证"
    if action in _DECISIONS and state.hearing_open_since is not None:
        return f"听证自{cn_date(state.hearing_open_since)}开始尚未结束，请先记录听证结束"
    if action is _A.CONCLUDE and state.mode == SIMPLIFIED:
        return "简易办理的事项应执行“简易办结”"
    if action is _A.SIMPLIFIED_CONCLUDE and state.mode == NORMAL:
        return "本事项按普通程序办理，应执行“办结”"
    return None


def _issued(state: CaseState, action: CaseAction) -> str | None:
    stage = ISSUED[state.status]
    paper, delivered = ISSUED_LABEL[stage], state.stage_delivered_on
    if action is _A.DELIVER and delivered is not None:
        return f"{paper}已于{cn_date(delivered)}送达"
    if action is not _A.DELIVER and action not in _SUPPORT and delivered is None:
        if action is _A.REQUEST_REVIEW:
            return f"{paper}尚未送达，请求复查的期限自送达之日起计算（R-DL-08），请先登记送达"
        if action is _A.REQUEST_FINAL_REVIEW:
            return f"{paper}尚未送达，请求复核的期限自送达之日起计算（R-DL-10），请先登记送达"
        return f"{paper}尚未送达，请先登记送达"
    if action is _A.RATE and state.satisfaction is not None:
        return f"本阶段（{STAGE_LABELS[stage]}）已评价：{state.satisfaction.label}"
    return None


def blocked_reason(state: CaseState, action: CaseAction) -> str | None:
    """None when `action` is allowed in `state`; otherwise why not ("" when the state alone rules it out)."""
    if action in (_A.REGISTER, _A.SUBMIT):
        return "登记和重复信访由信访登记功能记录"
    if action in (_A.OVERDUE, _A.LAPSE):
        return "超期标记和期限届满由系统按日自动记录（xinfang tick）"
    if state.is_final:
        return "该事项已终结"
    allowed = _BY_STATUS.get(state.status, frozenset()) | _SUPPORT
    if action not in allowed:
        if action in _RECEIVING_ORGAN and state.status is not _S.UNDER_REVIEW:
            return "受理、不予受理等决定只能在受理申请审查中作出"
        return ""
    if state.status is _S.UNDER_REVIEW:
        return _under_review(state, action)
    if state.status in ISSUED:
        return _issued(state, action)
    return _handling(state, action)


def allowed_actions(state: CaseState) -> list[CaseAction]:
    """The actions a person may take on the case now, in the order of `CaseAction`."""
    return [a for a in CaseAction if blocked_reason(state, a) is None]


def illegal_action(state: CaseState, action: CaseAction, why: str = "") -> IllegalActionError:
    allowed = allowed_actions(state)
    labels = [a.label for a in allowed]
    choices = "、".join(labels) if labels else "无（该事项已终结）"
    because = f"（{why}）" if why else ""
    return IllegalActionError(
        f"当前状态“{state.status.label}”不能执行“{action.label}”{because}，可执行：{choices}",
        field="action",
        details={
            "status": state.status.label,
            "action": cli_name(action),
            "allowed": labels,
            "allowed_actions": [cli_name(a) for a in allowed],
        },
    )


def suggest_refuse_again(state: CaseState) -> str | None:
    """After 复核, the same facts and reasons again are 不再受理 (R-LC-03, 条例 art 36 ¶3): the suggestion, or None."""
    decided, outcome = state.final_review_decided_on, state.final_review_outcome
    if decided is None or outcome is None or outcome is ReviewOutcome.REDO:
        return None
    return (
        f"该事项已于{cn_date(decided)}作出复核意见（{outcome.label}），信访人以同一事实和理由再次提出的，"
        "建议不再受理（R-LC-03，《信访工作条例》第三十六条第三款）"
    )
