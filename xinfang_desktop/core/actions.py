"""Actions recorded on a case's timeline (CaseEvent.action), with their Chinese labels (R-LC-01, R-LC-04)."""

from __future__ import annotations

from xinfang_desktop.core.codes import LabelledEnum


class CaseAction(LabelledEnum):
    """Every action a case event can record; the lifecycle decides which are allowed when."""

    REGISTER = "register", "登记"
    SUBMIT = "submit", "重复信访登记"
    ACCEPT = "accept", "受理"
    DECLINE = "decline", "不予受理"
    REFUSE_AGAIN = "refuse_again", "不再受理"
    FORWARD = "forward", "转送"
    ASSIGN = "assign", "交办"
    RECEIPT = "receipt", "签收"
    OBJECT = "object", "异议退回"
    PROGRESS = "progress", "办理进展"
    EXTEND = "extend", "延期"
    HEARING_START = "hearing_start", "听证开始"
    HEARING_END = "hearing_end", "听证结束"
    CONCLUDE = "conclude", "办结"
    DELIVER = "deliver", "送达"
    RATE = "rate", "满意度评价"
    REQUEST_REVIEW = "request_review", "申请复查"
    REVIEW_DECISION = "review_decision", "复查意见"
    REQUEST_FINAL_REVIEW = "request_final_review", "申请复核"
    FINAL_REVIEW_DECISION = "final_review_decision", "复核意见"
    SUPERVISE = "supervise", "督办"
    URGE = "urge", "催办"
    SIMPLIFIED_ACCEPT = "simplified_accept", "简易受理"
    SIMPLIFIED_CONCLUDE = "simplified_conclude", "简易办结"
    LAPSE = "lapse", "期限届满"
    IMPORT = "import", "历史数据导入"  # a case migrated from an older system with its final status only
    OVERDUE = "overdue", "超期标记"
    CLOSE = "close", "审核认定办结"


def action_label(value: str) -> str:
    """The Chinese label of a stored action (the identifier itself if a newer version wrote an unknown one)."""
    try:
        return CaseAction(value).label
    except ValueError:
        return value
