"""Candidate grounds found in the ledger (R-AC-01): what each detector looks for, how a finding is keyed so that it is
recorded once, and the Chinese sentence that states its evidence. Never decided automatically: a person dismisses a
candidate with a reason or opens an accountability case from it.

**I** (the texts name the failures, not the tests):
- 受理告知 missed: a running acceptance clock (R-DL-01/02/03, 简易 R-DL-12) past its due day, or one met after it.
- 办结严重超期: a handling or review clock (R-DL-06/09/11, 简易 R-DL-13) overdue by the 严重超期 threshold or more
  (the office's setting, 30 日 by default), whether still running or met that late.
- 督办/催办 unanswered: a supervision order still open the day after its own deadline.
- 预警后书面说明逾期 (R-WS-03/04): an explanation not received by its due day.
- 预警后多次越级上访: two or more level-skipping visits about the case after the day its 预警单 was issued.
- 检举控告材料转交被控告单位 (条例 art 46(五), S1 art 11(8)): an attempt refused by R-LC-07, recorded when refused.
- 一事双查 found a handling failure (R-BK-01): the handling check recorded a problem (not a plain "no problem").
- 追责反馈逾期 (S0 art 16): the organ with authority has not fed back by the date set at the referral.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.workdays import cn_date

ACCEPTANCE_RULES = ("R-DL-01", "R-DL-02", "R-DL-03", "R-DL-12")
CONCLUSION_RULES = ("R-DL-06", "R-DL-09", "R-DL-11", "R-DL-13")
#: Level-skipping visits after a slip that make "repeated" (R-WS-03 speaks of each further visit; 2 = repeated).
REPEATED_SKIPPING = 2
#: Findings of a 一事双查 handling check that say no failure was found.
NO_PROBLEM_FINDINGS = ("无", "无问题", "未发现问题", "无明显问题", "办理规范", "未发现办理问题")


class CandidateKind(LabelledEnum):
    """The detectors (issue 13 §1), each with its label."""

    ACCEPTANCE_MISSED = "acceptance_missed", "未在期限内告知是否受理"
    CONCLUSION_SERIOUSLY_OVERDUE = "conclusion_seriously_overdue", "办理严重超期"
    SUPERVISION_UNANSWERED = "supervision_unanswered", "督办催办逾期未回复"
    EXPLANATION_OVERDUE = "explanation_overdue", "预警后书面说明逾期"
    SKIPPING_AFTER_WARNING = "skipping_after_warning", "预警后多次越级上访"
    ACCUSED_FORWARD_ATTEMPT = "accused_forward_attempt", "拟将检举控告材料转交被控告单位"
    DUAL_INQUIRY_FAILURE = "dual_inquiry_failure", "一事双查发现办理问题"
    FEEDBACK_OVERDUE = "feedback_overdue", "追责处理结果逾期未反馈"


class CandidateStatus(LabelledEnum):
    OPEN = "open", "待研判"
    DISMISSED = "dismissed", "已排除"
    OPENED = "opened", "已立追责事项"


@dataclass(frozen=True)
class Finding:
    """One detector's finding: the kind, the case (if any), the unit concerned, the key that makes it unique, the
    evidence (dates, rule, numbers) and the day it was found."""

    kind: CandidateKind
    key: str
    case_id: int | None
    case_number: str | None
    unit: str | None
    evidence: dict[str, Any]

    def summary(self) -> str:
        return describe(self.kind, self.case_number, self.unit, self.evidence)


def _d(value: Any) -> str:
    return cn_date(date.fromisoformat(value)) if isinstance(value, str) else "—"


def describe(kind: CandidateKind, case_number: str | None, unit: str | None, ev: dict[str, Any]) -> str:
    """The evidence in one Chinese sentence (shown to the clerk; the rule IDs stay in the evidence)."""
    who = unit or "（未指定）"
    case = f"信访事项{case_number}" if case_number else ""
    if kind in (CandidateKind.ACCEPTANCE_MISSED, CandidateKind.CONCLUSION_SERIOUSLY_OVERDUE):
        what = ev.get("label") or ev.get("rule")
        met = (
            f"，{_d(ev['met_on'])}才完成（超期{ev['days_overdue']}日）"
            if ev.get("met_on")
            else (f"，至{_d(ev['as_of'])}仍未完成（超期{ev['days_overdue']}日）")
        )
        return f"{case}“{what}”期限自{_d(ev['start_on'])}起算，应于{_d(ev['due_on'])}前完成{met}；承办：{who}"
    if kind is CandidateKind.SUPERVISION_UNANSWERED:
        reminders = f"，其后催办{ev['reminders']}次" if ev.get("reminders") else ""
        return (
            f"{case}于{_d(ev['issued_on'])}督办，要求{_d(ev['due_on'])}前回复{reminders}，"
            f"至{_d(ev['as_of'])}未回复；承办：{who}"
        )
    if kind is CandidateKind.EXPLANATION_OVERDUE:
        return (
            f"预警单{ev['slip']}下，信访人{_d(ev['visit_on'])}再次上访，{who}应于{_d(ev['due_on'])}前书面说明，"
            f"至{_d(ev['as_of'])}未收到（{case}）"
        )
    if kind is CandidateKind.SKIPPING_AFTER_WARNING:
        visits = "、".join(_d(v) for v in ev.get("visits", []))
        n = len(ev.get("visits", []))
        warned = f"{case}于{_d(ev['warned_on'])}发出预警单{ev['slip']}后"
        return f"{warned}，信访人又{n}次越级上访（{visits}）；被预警单位：{who}"
    if kind is CandidateKind.ACCUSED_FORWARD_ATTEMPT:
        return (
            f"{case}为检举控告件，{_d(ev['attempted_on'])}曾拟{ev.get('action_label') or '转送'}给被控告单位"
            f"“{ev.get('to_unit')}”（已被系统拒绝），操作人：{ev.get('user') or '—'}"
        )
    if kind is CandidateKind.DUAL_INQUIRY_FAILURE:
        return f"{case}一事双查（{_d(ev['done_on'])}）发现办理问题：{ev.get('findings')}；首办单位：{who}"
    if kind is CandidateKind.FEEDBACK_OVERDUE:
        return (
            f"追责事项{ev['accountability']}于{_d(ev['referred_on'])}移送{ev.get('to_organ')}，"
            f"应于{_d(ev['feedback_due'])}前书面反馈处理结果，至{_d(ev['as_of'])}未反馈"
        )
    return f"{case}{kind.label}"  # pragma: no cover — every kind is described above


def finding_key(kind: CandidateKind, *parts: object) -> str:
    """The unique key of a finding: the same failure found again (a second tick) is the same key."""
    return ":".join([kind.value, *(str(p) for p in parts)])


def clock_finding(
    *,
    rule_id: str,
    label: str,
    clock_id: int,
    case_id: int,
    case_number: str,
    unit: str | None,
    start_on: date,
    due_on: date,
    met_on: date | None,
    today: date,
    seriously_overdue_days: int,
) -> Finding | None:
    """A finding for one statutory clock, or None when it is not one (on time, not yet late, not late enough)."""
    end = met_on if met_on is not None else today
    overdue = (end - due_on).days
    if rule_id in ACCEPTANCE_RULES:
        kind = CandidateKind.ACCEPTANCE_MISSED
        if overdue < 1:
            return None
    elif rule_id in CONCLUSION_RULES:
        kind = CandidateKind.CONCLUSION_SERIOUSLY_OVERDUE
        if overdue < seriously_overdue_days:
            return None
    else:
        return None
    evidence = {
        "rule": rule_id,
        "label": label,
        "start_on": start_on.isoformat(),
        "due_on": due_on.isoformat(),
        "met_on": met_on.isoformat() if met_on else None,
        "as_of": today.isoformat(),
        "days_overdue": overdue,
    }
    return Finding(kind, finding_key(kind, case_id, clock_id), case_id, case_number, unit, evidence)


def is_handling_failure(findings: str | None) -> bool:
    """A 一事双查 handling check that recorded a problem (not one of the plain "no problem" answers)."""
    text = (findings or "").strip().rstrip("。.").strip()
    return bool(text) and text not in NO_PROBLEM_FINDINGS
