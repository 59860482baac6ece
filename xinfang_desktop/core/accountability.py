"""责任追究 — the measures and their ladder (R-AC-02/03), the allocation of responsibility (R-AC-04) and the states of
an accountability case through referral and feedback (R-AC-05). Pure rules: dates are passed in.

**I** (interpretations, the texts being silent):
- A person's steps are a sequence; each new step's measure may be the next rung (the earlier deadline missed),
  the same rung again, or higher with a stated reason (危害严重 / 特别严重, S3 arts 14–15). 纪律处分 (S3 art 16)
  may be taken at any point, always with a reason. A rung below the last one is refused.
- A step's rectification deadline is missed when the day after it has come and no rectification is
  recorded.
- 诫勉 of any person of an accountability case costs the case's unit (and the region it belongs to) this year's
  eligibility for comprehensive honours (S3 art 14), the year being that of the 诫勉 step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.errors import DomainError, FieldProblem, ValidationError
from xinfang_desktop.core.grounds import cn_number

S3 = "《信访工作责任制实施办法》"


class Measure(LabelledEnum):
    """追责方式 for persons (R-AC-02), glossary `measure`; the 组织调整/组织处理 forms are listed one by one."""

    CIRCULATE = "circulate", "通报"
    ADMONISH = "admonish", "诫勉"
    REASSIGN = "reassign", "组织调整或者组织处理"
    SUSPEND = "suspend", "停职检查"
    ADJUST_POST = "adjust_post", "调整职务"
    ORDER_RESIGN = "order_resign", "责令辞职"
    DEMOTE = "demote", "降职"
    DISMISS = "dismiss", "免职"
    DISCIPLINE = "discipline", "纪律处分"

    @property
    def rung(self) -> int:
        """1 通报, 2 诫勉, 3 组织调整/组织处理, 4 纪律处分 (R-AC-03)."""
        return _RUNG[self]

    @property
    def article(self) -> int:
        """The S3 article providing for the measure (13, 14, 15, 16)."""
        return 12 + self.rung

    @property
    def needs_rectification(self) -> bool:
        """通报 and 诫勉 come with a rectification deadline (限期整改, S3 arts 13–14)."""
        return self.rung in (1, 2)


_RUNG = {
    Measure.CIRCULATE: 1,
    Measure.ADMONISH: 2,
    Measure.REASSIGN: 3,
    Measure.SUSPEND: 3,
    Measure.ADJUST_POST: 3,
    Measure.ORDER_RESIGN: 3,
    Measure.DEMOTE: 3,
    Measure.DISMISS: 3,
    Measure.DISCIPLINE: 4,
}


class OrganMeasure(LabelledEnum):
    """追责方式 for organs (S1 art 12)."""

    WRITTEN_SELF_REVIEW = "written_self_review", "责令书面检查"
    CRITICISM = "criticism", "通报批评"


class Severity(LabelledEnum):
    """情节 (S3 arts 13–15): the rung a case may start on without an earlier measure."""

    MINOR = "minor", "较轻"
    SERIOUS = "serious", "危害严重、影响重大"
    VERY_SERIOUS = "very_serious", "危害特别严重、影响特别重大"

    @property
    def rung(self) -> int:
        return {Severity.MINOR: 1, Severity.SERIOUS: 2, Severity.VERY_SERIOUS: 3}[self]


class Responsibility(LabelledEnum):
    """责任类型 (R-AC-04), glossary; `NONE` for one exempted (recorded objection, 尽职免责)."""

    PRINCIPAL_LEADERSHIP = "principal_leadership", "主要领导责任"
    IMPORTANT_LEADERSHIP = "important_leadership", "重要领导责任"
    DIRECT = "direct", "直接责任"
    LEADERSHIP = "leadership", "领导责任"
    NONE = "none", "不承担责任"

    @property
    def collective(self) -> bool | None:
        """True for the collective kinds, False for the individual ones, None for no responsibility."""
        if self is Responsibility.NONE:
            return None
        return self in (Responsibility.PRINCIPAL_LEADERSHIP, Responsibility.IMPORTANT_LEADERSHIP)


class Role(LabelledEnum):
    """A person's place in the matter, from which R-AC-04 allocates the responsibility."""

    PRINCIPAL = "principal", "领导班子主要负责人"
    IN_CHARGE = "in_charge", "直接主管的负责人"
    MEMBER = "member", "参与决策和工作的班子其他成员"
    STAFF = "staff", "具体负责的工作人员"


def allocate(role: Role, *, collective: bool, objection: bool = False, exemption: str | None = None) -> Responsibility:
    """R-AC-04 (S3 art 11 para 2, S1 art 11): the responsibility a person bears.

    Collective responsibility: the principal and the directly responsible leader bear 主要领导责任, other members who
    took part 重要领导责任; one who recorded an explicit objection that was not adopted bears none. Individual
    responsibility: the staff member bears 直接责任, the principal and the leader in charge 领导责任. 尽职免责
    (`exemption`, a reason): none."""
    if exemption and exemption.strip():
        return Responsibility.NONE
    if collective:
        if objection:
            return Responsibility.NONE
        if role in (Role.PRINCIPAL, Role.IN_CHARGE):
            return Responsibility.PRINCIPAL_LEADERSHIP
        return Responsibility.IMPORTANT_LEADERSHIP
    if role is Role.STAFF:
        return Responsibility.DIRECT
    if role is Role.MEMBER:
        raise DomainError(
            "个人责任中，班子其他成员不承担领导责任（R-AC-04）：请选择具体负责的工作人员或负责人", field="role"
        )
    return Responsibility.LEADERSHIP


def check_responsibility(
    responsibility: Responsibility, *, objection: bool, exemption: str | None, others: Sequence[Responsibility]
) -> list[FieldProblem]:
    """Problems with a person's recorded responsibility (R-AC-04): an objection or 尽职免责 means none; one case does
    not mix collective and individual responsibility."""
    problems: list[FieldProblem] = []
    exempt = objection or bool(exemption and exemption.strip())
    if exempt and responsibility is not Responsibility.NONE:
        why = "已明确提出反对意见" if objection else "尽职免责"
        problems.append(
            FieldProblem("responsibility", "责任类型", f"{why}的，不承担领导责任（R-AC-04），应为“不承担责任”")
        )
    if responsibility is Responsibility.NONE and not exempt:
        problems.append(
            FieldProblem("responsibility", "责任类型", "不承担责任须写明依据：明确提出的反对意见，或尽职免责的理由")
        )
    if objection and responsibility.collective is False:
        problems.append(FieldProblem("objection", "反对意见", "提出反对意见而免责只适用于集体决策的责任（R-AC-04）"))
    kinds = {r.collective for r in others if r.collective is not None}
    if responsibility.collective is not None and kinds and responsibility.collective not in kinds:
        problems.append(
            FieldProblem(
                "responsibility",
                "责任类型",
                "同一追责事项中集体责任（主要领导责任、重要领导责任）与个人责任（直接责任、领导责任）不能混用（R-AC-04）",
            )
        )
    return problems


@dataclass(frozen=True)
class Step:
    """One rung taken for a person: the measure, the day it was decided, the rectification deadline, and whether it
    was rectified (and when)."""

    seq: int
    measure: Measure
    decided_on: date
    rectify_by: date | None
    rectified_on: date | None
    reason: str | None = None

    def missed(self, today: date) -> bool:
        """The rectification deadline has passed with no rectification recorded (I: the day after it)."""
        return self.rectify_by is not None and self.rectified_on is None and today > self.rectify_by

    def rectified_late(self) -> bool:
        return self.rectify_by is not None and self.rectified_on is not None and self.rectified_on > self.rectify_by


@dataclass(frozen=True)
class Suggestion:
    """The next step suggested for a person, with its reason (never taken automatically)."""

    measure: Measure | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure.value if self.measure else None,
            "measure_label": self.measure.label if self.measure else None,
            "reason": self.reason,
        }


def suggest_next(steps: Sequence[Step], severity: Severity, today: date) -> Suggestion:
    """R-AC-03: what the ladder suggests next for a person."""
    if not steps:
        first = {1: Measure.CIRCULATE, 2: Measure.ADMONISH, 3: Measure.REASSIGN}[severity.rung]
        return Suggestion(first, f"情节{severity.label}，依照{S3}第{cn_number(first.article)}条，建议{first.label}")
    last = steps[-1]
    if last.missed(today):
        if last.measure is Measure.CIRCULATE:
            return Suggestion(
                Measure.ADMONISH,
                f"受到通报后未在{last.rectify_by}前完成整改，依照{S3}第十四条，建议诫勉并督促限期整改，"
                "同时取消所在地区、单位本年度评选综合性荣誉称号的资格",
            )
        if last.measure is Measure.ADMONISH:
            return Suggestion(
                Measure.REASSIGN,
                f"受到诫勉后未在{last.rectify_by}前完成整改，依照{S3}第十五条，建议采取组织调整或者组织处理措施",
            )
    if last.rectify_by is not None and last.rectified_on is None:
        return Suggestion(None, f"{last.measure.label}的整改期限至{last.rectify_by}，等待整改结果")
    return Suggestion(None, f"已{last.measure.label}，无须再进一步")


def check_step(
    steps: Sequence[Step],
    measure: Measure,
    *,
    severity: Severity,
    decided_on: date,
    rectify_by: date | None,
    reason: str | None,
) -> list[FieldProblem]:
    """Problems with a new step (R-AC-03): a rung below the last, a rung above what the ladder allows without a
    reason, a deadline missing or before the decision."""
    problems: list[FieldProblem] = []
    has_reason = bool(reason and reason.strip())
    if steps:
        last = steps[-1]
        if decided_on < last.decided_on:
            problems.append(FieldProblem("date", "决定日期", f"早于上一步（{last.measure.label}，{last.decided_on}）"))
        if measure.rung < last.measure.rung:
            problems.append(
                FieldProblem("measure", "追责方式", f"已{last.measure.label}，不能改为较轻的“{measure.label}”")
            )
        allowed = last.measure.rung + 1 if last.missed(decided_on) else last.measure.rung
        if measure.rung > max(allowed, severity.rung) and measure is not Measure.DISCIPLINE and not has_reason:
            why = (
                f"上一步“{last.measure.label}”的整改期限（{last.rectify_by}）尚未届满"
                if last.rectify_by is not None and not last.missed(decided_on)
                else f"上一步为“{last.measure.label}”"
            )
            problems.append(
                FieldProblem("measure", "追责方式", f"{why}，直接“{measure.label}”须写明从重理由（R-AC-03）")
            )
    elif measure.rung > severity.rung and measure is not Measure.DISCIPLINE and not has_reason:
        problems.append(
            FieldProblem(
                "measure",
                "追责方式",
                f"情节{severity.label}对应“{_FIRST[severity.rung]}”，“{measure.label}”须写明从重理由（R-AC-03）",
            )
        )
    if measure is Measure.DISCIPLINE and not has_reason:
        problems.append(FieldProblem("reason", "理由", "纪律处分须写明依纪依法应当给予处分的理由（R-AC-03）"))
    if measure.needs_rectification and rectify_by is None:
        problems.append(FieldProblem("rectify_by", "整改期限", f"{measure.label}应同时限期整改（R-AC-03）"))
    if rectify_by is not None and rectify_by <= decided_on:
        problems.append(FieldProblem("rectify_by", "整改期限", f"应晚于决定日期 {decided_on}"))
    return problems


_FIRST = {1: "通报", 2: "诫勉", 3: "组织调整或者组织处理"}


def raise_problems(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationError(problems)


def loses_honours(measure: Measure) -> bool:
    """S3 art 14: 诫勉 costs the region or unit this year's eligibility for comprehensive honours."""
    return measure is Measure.ADMONISH


class AccountabilityStatus(LabelledEnum):
    """Where an accountability case stands (R-AC-05)."""

    INVESTIGATING = "investigating", "调查核实"
    REFERRED = "referred", "已移送待反馈"
    FEEDBACK_OVERDUE = "feedback_overdue", "反馈逾期"
    ANSWERED = "answered", "已反馈"
    REPORTED = "reported", "已通报组织人事部门"
    CLOSED = "closed", "已办结"


def status_of(
    *,
    referred_on: date | None,
    feedback_due: date | None,
    feedback_on: date | None,
    reported_on: date | None,
    closed_on: date | None,
    today: date,
) -> AccountabilityStatus:
    if closed_on is not None:
        return AccountabilityStatus.CLOSED
    if reported_on is not None:
        return AccountabilityStatus.REPORTED
    if feedback_on is not None:
        return AccountabilityStatus.ANSWERED
    if referred_on is not None:
        if feedback_due is not None and today > feedback_due:
            return AccountabilityStatus.FEEDBACK_OVERDUE
        return AccountabilityStatus.REFERRED
    return AccountabilityStatus.INVESTIGATING
