"""What comes next for a case, in a sentence for the clerk beside the action buttons (issue 18).

The buttons show what the state allows; this says which of them the statute expects next and why a step the
clerk may look for is not there (交办 and 转送 belong before 受理: 条例 arts 22 and 31–32, R-LC-02/03).
"""

from __future__ import annotations

from collections.abc import Collection

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.codes import CaseStatus

_S = CaseStatus

_BY_STATUS: dict[CaseStatus, str] = {
    _S.UNDER_REVIEW: (
        "下一步：收到之日起 15 日内决定——属本机关处理的“受理”；属其他机关处理的“转送”，需有权机关办理并反馈的"
        "“交办”（交办、转送须在受理前）；依法不予受理的“不予受理”，并书面告知信访人。"
    ),
    _S.ACCEPTED: (
        "下一步：在办理期限内作出处理意见（“办结”），期间可记录“办理进展”，情况复杂的经批准“延期”。"
        "事项已由受理机关办理，不再交办或转送；需要其他单位配合的，受理时选定协办单位。"
    ),
    _S.OPINION_OVERDUE: "已超过办理期限：请尽快作出处理意见（“办结”）；超期情形会列入追责线索供核实。",
    _S.OPINION_ISSUED: (
        "下一步：将处理意见书“送达”信访人，并记录其“满意度评价”。信访人不服的，可自收到之日起 30 日内申请复查。"
    ),
    _S.REVIEW: "复查中：复查机关自收到复查请求之日起 30 日内提出复查意见。",
    _S.REVIEW_OPINION_OVERDUE: "已超过复查期限：请尽快提出复查意见。",
    _S.REVIEW_OPINION_ISSUED: "下一步：送达复查意见书。信访人不服的，可自收到之日起 30 日内申请复核。",
    _S.FINAL_REVIEW: "复核中：复核机关自收到复核请求之日起 30 日内提出复核意见。",
    _S.FINAL_REVIEW_OPINION_OVERDUE: "已超过复核期限：请尽快提出复核意见。",
    _S.FINAL_REVIEW_OPINION_ISSUED: ("已提出复核意见：送达复核意见书；信访人仍以同一事实和理由提出信访的，不再受理。"),
    _S.REVIEW_WINDOW_LAPSED: "信访人未在期限内申请复查，处理意见已生效。",
    _S.FINAL_REVIEW_WINDOW_LAPSED: "信访人未在期限内申请复核，复查意见已生效。",
    _S.DECLINED: "已不予受理并告知信访人。",
    _S.REFUSED_AGAIN: "已决定不再受理并告知信访人。",
    _S.CLOSED: "已审核认定办结。",
}

_AWAITING = {
    "receipt": "已交办或转送，等待承办单位“签收”；承办单位认为不属其职责的，可“异议退回”。",
    "delivery": "处理意见已作出，尚未送达信访人：请“送达”。",
    "rating": "已送达，尚未记录信访人的满意度：请“满意度评价”。",
}


def next_step(status: CaseStatus, allowed: Collection[CaseAction], awaiting: str | None = None) -> str:
    """The sentence for `status` (and what it awaits); an action it names but the state does not allow is not
    promised: the sentence then only describes the state."""
    if awaiting in _AWAITING:
        return _AWAITING[awaiting]
    text = _BY_STATUS.get(status, "")
    if status is _S.UNDER_REVIEW and CaseAction.ACCEPT not in allowed:
        return "等待承办单位签收或处理。"
    if CaseAction.CLOSE in allowed:
        text += "事项可以“审核认定办结”。"
    return text


__all__ = ["next_step"]
