"""Accountability cases (追责事项, R-AC-01…05): open from candidates or cases, persons and their ladder, referral with
the 建议书, feedback awaited and urged, outcomes per person, the 通报 to the organisation department.

Every write is one transaction with an audit entry; bad input raises a DomainError before anything is written.
Documents are issued by the caller (documents/accountability_documents.py) between `prepare_*` and `record_*`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.accountability import (
    Measure,
    OrganMeasure,
    Responsibility,
    Role,
    Severity,
    Step,
    check_responsibility,
    check_step,
    status_of,
    suggest_next,
)
from xinfang_desktop.core.accountability_candidates import CandidateKind, CandidateStatus
from xinfang_desktop.core.deadlines import compute_deadline, deadline_status
from xinfang_desktop.core.errors import ConflictError, DomainError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.field_rules import check_text
from xinfang_desktop.core.workdays import WorkdayCalendar, cn_date
from xinfang_desktop.persistence.accountability.catalogue import grounds_of
from xinfang_desktop.persistence.accountability.records import (
    AccountabilityCandidateRecord,
    AccountabilityCaseRecord,
    AccountabilityGroundRecord,
    AccountabilityPersonRecord,
    AccountabilityRecord,
    AccountabilityStepRecord,
)
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import CaseRecord, DocumentRecord, LeaderRecord, UnitRecord
from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds, load_profile, selected_profile
from xinfang_desktop.persistence.uow import SqlUnitOfWork, unit_of_work

#: **I**: the feedback period proposed at referral when the clerk sets none (the 2005 条例 gave 30 日 for the answer to
#: a suggestion; the 2022 条例 art 40 asks for written feedback without a number).
DEFAULT_FEEDBACK_DAYS = 30
MAX_FACTS = 6000
NUMBER_PREFIX = "ZZ"


def _one(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationError(problems)


def _text(field_: str, label: str, value: str | None, *, required: bool, max_length: int = 500) -> str | None:
    _one(check_text(field_, label, value, max_length=max_length, required=required, multiline=max_length > 500))
    return value.strip() if isinstance(value, str) and value.strip() else None


def _day(value: date, today: date, label: str, *, not_before: date | None = None) -> date:
    if value > today:
        raise DomainError(f"{label}{value.isoformat()}晚于今天（{today.isoformat()}）", field="date")
    if not_before is not None and value < not_before:
        raise DomainError(f"{label}{value.isoformat()}早于{not_before.isoformat()}", field="date")
    return value


def find(s: Session, number: str) -> AccountabilityRecord:
    rec = s.scalar(select(AccountabilityRecord).where(AccountabilityRecord.number == number.strip().upper()))
    if rec is None:
        raise NotFoundError(f"没有编号为“{number}”的追责事项", field="number")
    return rec


def _person(s: Session, acc: AccountabilityRecord, person_id: int) -> AccountabilityPersonRecord:
    rec = s.get(AccountabilityPersonRecord, person_id)
    if rec is None or rec.accountability_id != acc.id:
        raise NotFoundError(f"追责事项 {acc.number} 中没有编号为 {person_id} 的责任人", field="person")
    return rec


def _steps(s: Session, person_id: int) -> list[AccountabilityStepRecord]:
    return list(
        s.scalars(
            select(AccountabilityStepRecord)
            .where(AccountabilityStepRecord.person_id == person_id)
            .order_by(AccountabilityStepRecord.seq)
        )
    )


def _core_step(r: AccountabilityStepRecord) -> Step:
    return Step(r.seq, Measure(r.measure), r.decided_on, r.rectify_by, r.rectified_on, r.reason)


def _unit(s: Session, name: str) -> UnitRecord | None:
    return s.scalar(select(UnitRecord).where(UnitRecord.name == name.strip()))


# --- candidates ---------------------------------------------------------------------------------------------------


def _candidate_json(c: AccountabilityCandidateRecord, acc_numbers: dict[int, str]) -> dict[str, Any]:
    evidence = json.loads(c.evidence)
    return {
        "id": c.id,
        "kind": c.kind,
        "kind_label": CandidateKind(c.kind).label,
        "status": c.status,
        "status_label": CandidateStatus(c.status).label,
        "case_number": evidence.get("case_number"),
        "unit": c.unit,
        "summary": c.summary,
        "evidence": evidence,
        "found_on": c.found_on.isoformat(),
        "decided_on": c.decided_on.isoformat() if c.decided_on else None,
        "decision_reason": c.decision_reason,
        "accountability": acc_numbers.get(c.accountability_id) if c.accountability_id else None,
    }


def list_candidates(
    db: Database, *, status: str | None = "open", kind: str | None = None, limit: int = 500, offset: int = 0
) -> dict[str, Any]:
    """Candidates (newest first) with their evidence; `status` None lists all."""
    c = AccountabilityCandidateRecord
    cond = []
    if status:
        cond.append(c.status == CandidateStatus.parse(status, field="status").value)
    if kind:
        cond.append(c.kind == CandidateKind.parse(kind, field="kind").value)
    with db.read_session() as s:
        total = s.scalar(select(func.count()).select_from(c).where(*cond)) or 0
        rows = list(
            s.scalars(select(c).where(*cond).order_by(c.found_on.desc(), c.id.desc()).limit(limit).offset(offset))
        )
        counts = dict(s.execute(select(c.kind, func.count()).where(*cond).group_by(c.kind)).all())
        ids = {r.accountability_id for r in rows if r.accountability_id}
        numbers = (
            dict(
                s.execute(
                    select(AccountabilityRecord.id, AccountabilityRecord.number).where(AccountabilityRecord.id.in_(ids))
                ).all()
            )
            if ids
            else {}
        )
        items = [_candidate_json(r, numbers) for r in rows]
    by_kind = [{"kind": k.value, "label": k.label, "count": int(counts.get(k.value, 0))} for k in CandidateKind]
    return {"total": int(total), "by_kind": by_kind, "rows": items}


def _candidate(s: Session, candidate_id: int) -> AccountabilityCandidateRecord:
    rec = s.get(AccountabilityCandidateRecord, candidate_id)
    if rec is None:
        raise NotFoundError(f"没有编号为 {candidate_id} 的追责线索", field="candidate")
    return rec


@requires("accountability.manage")
def dismiss_candidate(
    db: Database, candidate_id: int, *, reason: str, today: date, user: str | None = None
) -> dict[str, Any]:
    """Dismiss a candidate with the reason (kept in the list and the audit trail)."""
    why = _text("reason", "排除理由", reason, required=True, max_length=2000)
    with unit_of_work(db, user=user) as uow:
        rec = _candidate(uow.session, candidate_id)
        if rec.status != CandidateStatus.OPEN.value:
            raise ConflictError(f"追责线索 {candidate_id} 已{CandidateStatus(rec.status).label}", field="candidate")
        rec.status, rec.decided_on, rec.decision_reason = CandidateStatus.DISMISSED.value, today, why
        uow.audit.record("dismiss", "accountability_candidate", str(candidate_id), {"reason": why})
        uow.commit()
        return _candidate_json(rec, {})


# --- opening ------------------------------------------------------------------------------------------------------


def _next_number(uow: SqlUnitOfWork, year: int) -> str:
    return f"{NUMBER_PREFIX}{year}-{uow.cases.next_number('accountability', year):03d}"


@requires("accountability.manage")
def open_accountability(
    db: Database,
    *,
    today: date,
    grounds: Sequence[str],
    candidate_ids: Sequence[int] = (),
    case_numbers: Sequence[str] = (),
    facts: str | None = None,
    severity: str = "minor",
    unit: str | None = None,
    profile: str | None = None,
    user: str | None = None,
) -> dict[str, Any]:
    """Open an accountability case from candidates and/or cases, citing at least one ground of the profile."""
    prof = selected_profile(db, profile)
    catalogue = grounds_of(prof)
    if not grounds:
        raise DomainError("至少选择一项追责情形（R-AC-01）", field="ground")
    chosen = [catalogue.get(code) for code in dict.fromkeys(g.strip().upper() for g in grounds)]
    sev = Severity.parse(severity, field="severity")
    if not candidate_ids and not case_numbers:
        raise DomainError("须指定追责线索（--candidate）或信访事项（--case）", field="candidate")
    facts_text = _text("facts", "基本事实", facts, required=False, max_length=MAX_FACTS)
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        candidates = [_candidate(s, int(i)) for i in dict.fromkeys(candidate_ids)]
        for c in candidates:
            if c.found_on > today:
                raise DomainError(f"立项日期早于线索 {c.id} 的发现日期 {c.found_on}", field="today")
            if c.status != CandidateStatus.OPEN.value:
                raise ConflictError(f"追责线索 {c.id} 已{CandidateStatus(c.status).label}", field="candidate")
        cases: dict[int, CaseRecord] = {}
        for n in case_numbers:
            case = s.scalar(select(CaseRecord).where(CaseRecord.number == n.strip()))
            if case is None:
                raise NotFoundError(f"没有编号为“{n}”的信访事项", field="case")
            cases[case.id] = case
        for c in candidates:
            if c.case_id is not None and c.case_id not in cases:
                case = s.get(CaseRecord, c.case_id)
                if case is not None:
                    cases[case.id] = case
        subject = (unit or "").strip() or next((c.unit for c in candidates if c.unit), None)
        if not subject:
            unit_ids = [c.responsible_unit_id for c in cases.values() if c.responsible_unit_id]
            subject = s.scalar(select(UnitRecord.name).where(UnitRecord.id == unit_ids[0])) if unit_ids else None
        if not subject:
            raise DomainError("无法确定被追责单位，请用 --unit 指定", field="unit")
        _text("unit", "被追责单位", subject, required=True, max_length=128)
        unit_rec = _unit(s, subject)
        fact_lines = [facts_text] if facts_text else [c.summary for c in candidates]
        if not fact_lines:
            fact_lines = [f"信访事项{c.number}：{c.summary[:200]}" for c in cases.values()]
        number = _next_number(uow, today.year)
        acc = AccountabilityRecord(
            number=number,
            year=today.year,
            profile_id=prof.id,
            subject_unit=subject,
            unit_id=unit_rec.id if unit_rec else None,
            region_code=unit_rec.region_code if unit_rec else None,
            facts="\n".join(fact_lines),
            severity=sev.value,
            opened_on=today,
            urge_count=0,
            created_at=uow.now,
            created_by=uow.user_id,
        )
        s.add(acc)
        s.flush()
        for g in chosen:
            s.add(AccountabilityGroundRecord(accountability_id=acc.id, code=g.code, citation=g.citation(), text=g.text))
        for case_id in cases:
            s.add(AccountabilityCaseRecord(accountability_id=acc.id, case_id=case_id))
        for c in candidates:
            c.status, c.decided_on, c.accountability_id = CandidateStatus.OPENED.value, today, acc.id
        uow.audit.record(
            "open",
            "accountability",
            number,
            {"grounds": [g.code for g in chosen], "candidates": [c.id for c in candidates], "cases": len(cases)},
        )
        uow.commit()
    return show_accountability(db, number, today=today)


@dataclass(frozen=True)
class AccountabilityChange:
    """Facts, severity, grounds, the measure proposed for the organ, copies: edits while investigating."""

    facts: str | None = None
    severity: str | None = None
    organ_measure: str | None = None
    add_grounds: tuple[str, ...] = ()
    remove_grounds: tuple[str, ...] = ()
    add_cases: tuple[str, ...] = ()
    copy_to: tuple[str, ...] | None = None


@requires("accountability.manage")
def change_accountability(
    db: Database, number: str, change: AccountabilityChange, *, today: date, user: str | None = None
) -> dict[str, Any]:
    facts = _text("facts", "基本事实", change.facts, required=False, max_length=MAX_FACTS)
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        acc = find(s, number)
        if acc.referred_on is not None and (
            change.facts or change.severity or change.add_grounds or change.remove_grounds
        ):
            raise ConflictError(
                f"追责事项 {acc.number} 已于{acc.referred_on}移送，事实、情节和依据不能再修改", field="number"
            )
        catalogue = grounds_of(load_profile(acc.profile_id))
        if facts:
            acc.facts = facts
        if change.severity:
            acc.severity = Severity.parse(change.severity, field="severity").value
        if change.organ_measure is not None:
            acc.organ_measure = (
                OrganMeasure.parse(change.organ_measure, field="organ_measure").value if change.organ_measure else None
            )
        have = {
            g.code: g
            for g in s.scalars(
                select(AccountabilityGroundRecord).where(AccountabilityGroundRecord.accountability_id == acc.id)
            )
        }
        for code in change.add_grounds:
            g = catalogue.get(code)
            if g.code not in have:
                rec = AccountabilityGroundRecord(
                    accountability_id=acc.id, code=g.code, citation=g.citation(), text=g.text
                )
                s.add(rec)
                have[g.code] = rec
        for code in change.remove_grounds:
            if code.strip().upper() not in have:
                raise NotFoundError(f"追责事项 {acc.number} 未引用追责情形“{code}”", field="ground")
            s.delete(have.pop(code.strip().upper()))
        if not have:
            raise DomainError("至少保留一项追责情形（R-AC-01）", field="ground")
        for n in change.add_cases:
            case = s.scalar(select(CaseRecord).where(CaseRecord.number == n.strip()))
            if case is None:
                raise NotFoundError(f"没有编号为“{n}”的信访事项", field="case")
            if s.get(AccountabilityCaseRecord, (acc.id, case.id)) is None:
                s.add(AccountabilityCaseRecord(accountability_id=acc.id, case_id=case.id))
        if change.copy_to is not None:
            acc.copy_to = json.dumps([c.strip() for c in change.copy_to if c.strip()], ensure_ascii=False)
        uow.audit.record(
            "change", "accountability", acc.number, {"fields": [k for k, v in change.__dict__.items() if v]}
        )
        uow.commit()
    return show_accountability(db, number, today=today)


# --- persons and their ladder -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInput:
    name: str
    post: str
    unit: str
    authority: str
    responsibility: str
    role: str | None = None
    objection: bool = False
    exemption: str | None = None
    leader: str | None = None


@requires("accountability.manage")
def add_person(
    db: Database, number: str, person: PersonInput, *, today: date, user: str | None = None
) -> dict[str, Any]:
    """A person held responsible (R-AC-04), the responsibility checked against objection, 尽职免责 and the others."""
    problems: list[FieldProblem] = []
    for key, label, value, n in (
        ("name", "姓名", person.name, 64),
        ("post", "职务", person.post, 128),
        ("unit", "所在单位", person.unit, 128),
        ("authority", "有干部管理权限的机关", person.authority, 128),
    ):
        problems += check_text(key, label, value, max_length=n)
    problems += check_text(
        "exemption", "尽职免责理由", person.exemption, max_length=2000, required=False, multiline=True
    )
    _one(problems)
    responsibility = Responsibility.parse(person.responsibility, field="responsibility")
    role = Role.parse(person.role, field="role") if person.role else None
    exemption = person.exemption.strip() if person.exemption and person.exemption.strip() else None
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        acc = find(s, number)
        if acc.feedback_on is not None:
            raise ConflictError(f"追责事项 {acc.number} 已收到处理结果反馈，不能再增加责任人", field="number")
        others = [
            Responsibility(r)
            for r in s.scalars(
                select(AccountabilityPersonRecord.responsibility).where(
                    AccountabilityPersonRecord.accountability_id == acc.id
                )
            )
        ]
        _one(check_responsibility(responsibility, objection=person.objection, exemption=exemption, others=others))
        leader_id = None
        if person.leader:
            leader_id = s.scalar(select(LeaderRecord.id).where(LeaderRecord.name == person.leader.strip()).limit(1))
            if leader_id is None:
                raise NotFoundError(f"未登记的领导“{person.leader}”", field="leader")
        elif person.name.strip():
            # A registered leader of the same name and post is the same person: their 实绩档案 shows this case.
            leader_id = s.scalar(
                select(LeaderRecord.id)
                .where(LeaderRecord.name == person.name.strip(), LeaderRecord.post == person.post.strip())
                .limit(1)
            )
        rec = AccountabilityPersonRecord(
            accountability_id=acc.id,
            name=person.name.strip(),
            post=person.post.strip(),
            unit=person.unit.strip(),
            authority=person.authority.strip(),
            role=role.value if role else None,
            responsibility=responsibility.value,
            objection=person.objection,
            exemption=exemption,
            leader_id=leader_id,
            created_at=uow.now,
        )
        s.add(rec)
        s.flush()
        uow.audit.record(
            "add_person",
            "accountability",
            acc.number,
            {"person": rec.id, "name": rec.name, "responsibility": responsibility.value},
        )
        uow.commit()
    return show_accountability(db, number, today=today)


@dataclass(frozen=True)
class StepInput:
    measure: str
    decided_on: date
    rectify_by: date | None = None
    rectify_days: int | None = None
    reason: str | None = None


@requires("case.decide")
def take_step(
    db: Database, number: str, person_id: int, step: StepInput, *, today: date, user: str | None = None
) -> dict[str, Any]:
    """One rung of a person's ladder (R-AC-03), with the rectification deadline on the working-day calendar."""
    measure = Measure.parse(step.measure, field="measure")
    reason = _text("reason", "理由", step.reason, required=False, max_length=2000)
    _day(step.decided_on, today, "决定日期")
    if step.rectify_by is not None and step.rectify_days is not None:
        raise DomainError("整改期限只能给出日期（--rectify-by）或天数（--rectify-days）之一", field="rectify_by")
    if step.rectify_days is not None and not 1 <= step.rectify_days <= 366:
        raise DomainError(f"整改天数应为 1–366，现为 {step.rectify_days}", field="rectify_days")
    calendar = load_calendar(db)
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        acc = find(s, number)
        person = _person(s, acc, person_id)
        if person.responsibility == Responsibility.NONE.value:
            raise DomainError(
                f"{person.name}不承担责任（{person.exemption or '提出明确反对意见'}），不能对其追责", field="person"
            )
        if acc.feedback_on is not None and person.outcome_measure is not None:
            raise ConflictError(
                f"{person.name}的处理结果已反馈（{person.outcome_measure}），不能再增加追责步骤", field="person"
            )
        if step.decided_on < acc.opened_on:
            raise DomainError(f"决定日期早于立项日期 {acc.opened_on}", field="date")
        records = _steps(s, person.id)
        profile = load_profile(acc.profile_id)
        length = step.rectify_days
        if step.rectify_by is not None:
            length = (step.rectify_by - step.decided_on).days
        explanation = None
        rectify_by = step.rectify_by
        if length is not None and length >= 1:
            deadline = compute_deadline(profile, "R-AC-03", step.decided_on, calendar, length=length)
            rectify_by, explanation = deadline.due_on, deadline.explanation
        _one(
            check_step(
                [_core_step(r) for r in records],
                measure,
                severity=Severity(acc.severity),
                decided_on=step.decided_on,
                rectify_by=rectify_by,
                reason=reason,
            )
        )
        rec = AccountabilityStepRecord(
            person_id=person.id,
            seq=len(records) + 1,
            measure=measure.value,
            decided_on=step.decided_on,
            rectify_by=rectify_by if measure.needs_rectification else None,
            rectify_explanation=explanation if measure.needs_rectification else None,
            reason=reason,
            created_at=uow.now,
        )
        s.add(rec)
        uow.audit.record(
            "step",
            "accountability",
            acc.number,
            {"person": person.id, "measure": measure.value, "rectify_by": rectify_by, "seq": rec.seq},
        )
        uow.commit()
    return show_accountability(db, number, today=today)


@requires("accountability.manage")
def record_rectified(
    db: Database, number: str, person_id: int, *, on: date, today: date, user: str | None = None
) -> dict[str, Any]:
    """The person's last step was rectified on `on` (late if after its deadline; the ladder then stops)."""
    _day(on, today, "整改完成日期")
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        acc = find(s, number)
        person = _person(s, acc, person_id)
        records = _steps(s, person.id)
        last = records[-1] if records else None
        if last is None or last.rectify_by is None:
            raise DomainError(f"{person.name}没有限期整改的追责步骤", field="person")
        if last.rectified_on is not None:
            raise ConflictError(f"{person.name}已于{last.rectified_on}完成整改", field="person")
        if on < last.decided_on:
            raise DomainError(f"整改完成日期早于决定日期 {last.decided_on}", field="date")
        last.rectified_on = on
        uow.audit.record("rectified", "accountability", acc.number, {"person": person.id, "on": on})
        uow.commit()
    return show_accountability(db, number, today=today)


# --- referral, feedback, report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Referral:
    """What `prepare_referral` checked: the organ, the day, the feedback deadline and its explanation."""

    number: str
    to_organ: str
    referred_on: date
    feedback_due: date
    explanation: str
    materials: tuple[str, ...]
    copy_to: tuple[str, ...]
    document_input: dict[str, Any] = field(default_factory=dict)
    case_number: str | None = None


DOC_SEVERITY = {Severity.MINOR: "较轻", Severity.SERIOUS: "严重", Severity.VERY_SERIOUS: "特别严重"}


def _escalation(person: dict[str, Any]) -> str:
    """Why a person's measure is above what the severity alone gives: the step's reason, or the earlier measure whose
    rectification deadline passed (R-AC-03)."""
    steps = person["steps"]
    if steps[-1]["reason"]:
        return str(steps[-1]["reason"]).rstrip("。")
    earlier = next((st for st in reversed(steps[:-1]) if st["rectify_by"]), None)
    if earlier is None:
        return f"{person['name']}同志情节较重"
    return (
        f"{person['name']}同志受到{earlier['measure_label']}后未在{cn_date(date.fromisoformat(earlier['rectify_by']))}前"
        "完成整改"
    )


def prepare_referral(
    db: Database,
    number: str,
    *,
    to_organ: str,
    on: date,
    today: date,
    feedback_days: int | None = None,
    materials: Sequence[str] = (),
    copy_to: Sequence[str] | None = None,
) -> Referral:
    """Check a referral (R-AC-05) and build the 责任追究建议书's input from the record; nothing is written."""
    organ = _text("to", "移送机关", to_organ, required=True, max_length=128) or ""
    _day(on, today, "移送日期")
    days = DEFAULT_FEEDBACK_DAYS if feedback_days is None else feedback_days
    if not 1 <= days <= 180:
        raise DomainError(f"反馈期限应为 1–180 日，现为 {days}", field="feedback_days")
    for i, m in enumerate(materials):
        _text(f"materials[{i}]", "移送材料", m, required=True, max_length=200)
    calendar = load_calendar(db)
    with db.read_session() as s:
        acc = find(s, number)
        if acc.referred_on is not None:
            raise ConflictError(f"追责事项 {acc.number} 已于{acc.referred_on}移送{acc.referred_to}", field="number")
        if on < acc.opened_on:
            raise DomainError(f"移送日期早于立项日期 {acc.opened_on}", field="date")
        detail = _detail(s, acc, today, _clock(db))
        acc_number = acc.number
    liable = [p for p in detail["persons"] if p["responsibility"] != Responsibility.NONE.value]
    if not liable:
        raise DomainError("尚无承担责任的责任人：先登记责任人及其责任类型", field="persons")
    missing = [p["name"] for p in liable if not p["steps"]]
    if missing:
        raise DomainError(f"以下责任人尚未确定建议的追责方式：{'、'.join(missing)}", field="persons")
    profile = load_profile(detail["profile"])
    deadline = compute_deadline(profile, "R-AC-05", on, calendar, length=days)
    copies = tuple(copy_to) if copy_to is not None else tuple(detail["copy_to"])
    mats = tuple(materials) or ("相关调查材料",)
    rectify = [p["steps"][-1]["rectify_by"] for p in liable if p["steps"][-1]["rectify_by"]]
    severity = Severity(detail["severity"])
    escalations = [_escalation(p) for p in liable if Measure(p["steps"][-1]["measure"]).rung > severity.rung]
    doc = {
        "to_organ": organ,
        "subject_unit": detail["subject_unit"],
        "case_number": detail["cases"][0]["number"] if detail["cases"] else None,
        "facts": [f for f in detail["facts"].split("\n") if f.strip()],
        "grounds": [{"citation": g["citation"], "text": g["text"]} for g in detail["grounds"]],
        "persons": [
            {
                "name": p["name"],
                "post": p["post"],
                "responsibility": p["responsibility_label"],
                "measure": p["steps"][-1]["measure_label"],
            }
            for p in liable
        ],
        "exempted": [
            {"name": p["name"], "post": p["post"], "reason": p["exemption"] or "对错误决策提出明确反对意见而没有被采纳"}
            for p in detail["persons"]
            if p["responsibility"] == Responsibility.NONE.value
        ],
        "organ_measure": OrganMeasure(detail["organ_measure"]).label if detail["organ_measure"] else None,
        "severity": DOC_SEVERITY[severity],
        "escalation": "；".join(dict.fromkeys(escalations)) or None,
        "rectify_by": max(rectify) if rectify else None,
        "feedback_by": deadline.due_on.isoformat(),
        "copy_to": list(copies),
        "materials": list(mats),
        "issued_on": on.isoformat(),
    }
    case_number = detail["cases"][0]["number"] if detail["cases"] else None
    return Referral(acc_number, organ, on, deadline.due_on, deadline.explanation, mats, copies, doc, case_number)


@requires("case.decide")
def record_referral(db: Database, referral: Referral, *, document_id: int | None, user: str | None = None) -> None:
    with unit_of_work(db, user=user) as uow:
        acc = find(uow.session, referral.number)
        if acc.referred_on is not None:
            raise ConflictError(f"追责事项 {acc.number} 已移送", field="number")
        acc.referred_to, acc.referred_on = referral.to_organ, referral.referred_on
        acc.feedback_due, acc.feedback_explanation = referral.feedback_due, referral.explanation
        acc.materials = json.dumps(list(referral.materials), ensure_ascii=False)
        acc.copy_to = json.dumps(list(referral.copy_to), ensure_ascii=False)
        acc.recommendation_document_id = document_id
        uow.audit.record(
            "refer",
            "accountability",
            acc.number,
            {"to": referral.to_organ, "feedback_due": referral.feedback_due, "document": document_id},
        )
        uow.commit()


@requires("accountability.manage")
def urge_feedback(db: Database, number: str, *, on: date, today: date, user: str | None = None) -> dict[str, Any]:
    """催办: the feedback is late (S0 art 16); counted and dated on the record."""
    _day(on, today, "催办日期")
    with unit_of_work(db, user=user) as uow:
        acc = find(uow.session, number)
        if acc.referred_on is None or acc.feedback_on is not None:
            raise DomainError(f"追责事项 {acc.number} 没有待反馈的移送，无须催办", field="number")
        if acc.feedback_due is not None and on <= acc.feedback_due:
            raise DomainError(f"反馈期限至{acc.feedback_due}，尚未逾期", field="date")
        acc.urged_on, acc.urge_count = on, (acc.urge_count or 0) + 1
        uow.audit.record("urge", "accountability", acc.number, {"on": on, "count": acc.urge_count})
        uow.commit()
    return show_accountability(db, number, today=today)


@dataclass(frozen=True)
class Outcome:
    """The measure actually taken for one person, as the organ fed back."""

    person_id: int
    measure: str
    on: date | None = None
    document: str | None = None
    note: str | None = None


@requires("accountability.manage")
def record_feedback(
    db: Database,
    number: str,
    *,
    on: date,
    outcome: str,
    today: date,
    document: str | None = None,
    outcomes: Sequence[Outcome] = (),
    user: str | None = None,
) -> dict[str, Any]:
    """The organ's written feedback (R-AC-05): the outcome text, its document number, and per person what was done."""
    text = _text("outcome", "处理结果", outcome, required=True, max_length=4000)
    doc = _text("document", "反馈文号", document, required=False, max_length=128)
    _day(on, today, "反馈日期")
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        acc = find(s, number)
        if acc.referred_on is None:
            raise DomainError(f"追责事项 {acc.number} 尚未移送，不能登记反馈", field="number")
        if on < acc.referred_on:
            raise DomainError(f"反馈日期早于移送日期 {acc.referred_on}", field="date")
        for o in outcomes:
            person = _person(s, acc, o.person_id)
            label = o.measure.strip()
            if label not in ("不予追责", "未予处理"):
                label = Measure.parse(label, field="measure").label
            person.outcome_measure = label
            person.outcome_on = o.on or on
            person.outcome_document = _text("document", "处理文号", o.document, required=False, max_length=128)
            person.outcome_note = _text("note", "说明", o.note, required=False, max_length=2000)
        acc.feedback_on, acc.feedback_outcome, acc.feedback_document = on, text, doc
        uow.audit.record(
            "feedback",
            "accountability",
            acc.number,
            {"on": on, "outcomes": [(o.person_id, o.measure) for o in outcomes]},
        )
        uow.commit()
    return show_accountability(db, number, today=today)


def prepare_report(db: Database, number: str, *, to: str, on: date, today: date) -> dict[str, Any]:
    """The 追责情况通报 to the organisation and personnel departments (S1 art 18): input built from the record."""
    organ = _text("to", "通报机关", to, required=True, max_length=128)
    _day(on, today, "通报日期")
    with db.read_session() as s:
        acc = find(s, number)
        if acc.feedback_on is None:
            raise DomainError(f"追责事项 {acc.number} 尚未收到处理结果反馈，不能通报结果", field="number")
        if acc.reported_on is not None:
            raise ConflictError(f"追责事项 {acc.number} 已于{acc.reported_on}通报", field="number")
        if on < acc.feedback_on:
            raise DomainError(f"通报日期早于反馈日期 {acc.feedback_on}", field="date")
        d = _detail(s, acc, today, _clock(db))
    rows = [
        {
            "name": p["name"],
            "post": p["post"],
            "unit": p["unit"],
            "responsibility": p["responsibility_label"],
            "measure": p["outcome"]["measure"] or "（未反馈）",
            "on": p["outcome"]["on"],
            "document": p["outcome"]["document"] or d["feedback"]["document"],
        }
        for p in d["persons"]
        if p["responsibility"] != Responsibility.NONE.value
    ]
    return {
        "to_organ": organ,
        "subject_unit": d["subject_unit"],
        "case_number": d["cases"][0]["number"] if d["cases"] else None,
        "recommendation_number": d["recommendation"]["number"] if d["recommendation"] else None,
        "referred_to": d["referral"]["to"],
        "referred_on": d["referral"]["on"],
        "feedback_on": d["feedback"]["on"],
        "feedback_document": d["feedback"]["document"],
        "outcome": d["feedback"]["outcome"],
        "grounds": [g["citation"] for g in d["grounds"]],
        "persons": rows,
        "issued_on": on.isoformat(),
    }


@requires("accountability.manage")
def record_report(db: Database, number: str, *, on: date, document_id: int | None, user: str | None = None) -> None:
    with unit_of_work(db, user=user) as uow:
        acc = find(uow.session, number)
        acc.reported_on, acc.report_document_id, acc.closed_on = on, document_id, on
        uow.audit.record("report", "accountability", acc.number, {"on": on, "document": document_id})
        uow.commit()


# --- reads --------------------------------------------------------------------------------------------------------


def _doc(s: Session, doc_id: int | None) -> dict[str, Any] | None:
    if doc_id is None:
        return None
    rec = s.get(DocumentRecord, doc_id)
    return {"id": rec.id, "number": rec.number, "path": rec.path, "format": rec.format} if rec else None


@dataclass(frozen=True)
class _Clock:
    """What the reads need to grade a deadline: the calendar and the office's 严重超期 threshold."""

    calendar: WorkdayCalendar
    serious_days: int


def _clock(db: Database) -> _Clock:
    return _Clock(load_calendar(db), deadline_thresholds(db).seriously_overdue_days)


def _deadline_json(
    due: date | None, explanation: str | None, today: date, done: date | None, clock: _Clock
) -> dict[str, Any] | None:
    """A deadline of the responsibility system with its grade (临期/超期/严重超期) while open, met or late once done."""
    if due is None:
        return None
    if done is not None:
        state, label = ("met", "按期完成") if done <= due else ("met_late", f"逾期{(done - due).days}日完成")
    else:
        status = deadline_status(due, today, clock.calendar, seriously_overdue_days=clock.serious_days)
        state, label = status.state.value, status.label
    return {
        "due": due.isoformat(),
        "explanation": explanation,
        "done_on": done.isoformat() if done else None,
        "late": (done > due) if done else today > due,
        "state": state,
        "label": label,
    }


def _detail(s: Session, acc: AccountabilityRecord, today: date, clock: _Clock) -> dict[str, Any]:
    grounds = list(
        s.scalars(
            select(AccountabilityGroundRecord)
            .where(AccountabilityGroundRecord.accountability_id == acc.id)
            .order_by(AccountabilityGroundRecord.id)
        )
    )
    cases = s.execute(
        select(CaseRecord.number, CaseRecord.status, CaseRecord.summary)
        .join(AccountabilityCaseRecord, AccountabilityCaseRecord.case_id == CaseRecord.id)
        .where(AccountabilityCaseRecord.accountability_id == acc.id)
        .order_by(CaseRecord.number)
    ).all()
    persons = []
    severity = Severity(acc.severity)
    for p in s.scalars(
        select(AccountabilityPersonRecord)
        .where(AccountabilityPersonRecord.accountability_id == acc.id)
        .order_by(AccountabilityPersonRecord.id)
    ):
        steps = _steps(s, p.id)
        core_steps = [_core_step(r) for r in steps]
        exempt = p.responsibility == Responsibility.NONE.value
        persons.append(
            {
                "id": p.id,
                "name": p.name,
                "post": p.post,
                "unit": p.unit,
                "authority": p.authority,
                "role": p.role,
                "role_label": Role(p.role).label if p.role else None,
                "responsibility": p.responsibility,
                "responsibility_label": Responsibility(p.responsibility).label,
                "objection": p.objection,
                "exemption": p.exemption,
                "leader_id": p.leader_id,
                "steps": [
                    {
                        "seq": r.seq,
                        "measure": r.measure,
                        "measure_label": Measure(r.measure).label,
                        "decided_on": r.decided_on.isoformat(),
                        "rectify_by": r.rectify_by.isoformat() if r.rectify_by else None,
                        "rectified_on": r.rectified_on.isoformat() if r.rectified_on else None,
                        "reason": r.reason,
                        "deadline": _deadline_json(r.rectify_by, r.rectify_explanation, today, r.rectified_on, clock),
                    }
                    for r in steps
                ],
                "next": None if exempt else suggest_next(core_steps, severity, today).to_json(),
                "outcome": {
                    "measure": p.outcome_measure,
                    "on": p.outcome_on.isoformat() if p.outcome_on else None,
                    "document": p.outcome_document,
                    "note": p.outcome_note,
                },
            }
        )
    status = status_of(
        referred_on=acc.referred_on,
        feedback_due=acc.feedback_due,
        feedback_on=acc.feedback_on,
        reported_on=acc.reported_on,
        closed_on=acc.closed_on,
        today=today,
    )
    admonished = [
        str(p["name"]) for p in persons if any(st["measure"] == Measure.ADMONISH.value for st in _list_of(p["steps"]))
    ]
    return {
        "number": acc.number,
        "year": acc.year,
        "profile": acc.profile_id,
        "status": status.value,
        "status_label": status.label,
        "subject_unit": acc.subject_unit,
        "region_code": acc.region_code,
        "facts": acc.facts,
        "severity": acc.severity,
        "severity_label": severity.label,
        "organ_measure": acc.organ_measure,
        "organ_measure_label": OrganMeasure(acc.organ_measure).label if acc.organ_measure else None,
        "opened_on": acc.opened_on.isoformat(),
        "grounds": [{"code": g.code, "citation": g.citation, "text": g.text} for g in grounds],
        "cases": [{"number": n, "status": st, "summary": (sm or "")[:100]} for n, st, sm in cases],
        "persons": persons,
        "honours_lost": bool(admonished),
        "honours_lost_because": admonished,
        "referral": {
            "to": acc.referred_to,
            "on": acc.referred_on.isoformat() if acc.referred_on else None,
            "materials": json.loads(acc.materials) if acc.materials else [],
            "feedback_deadline": _deadline_json(
                acc.feedback_due, acc.feedback_explanation, today, acc.feedback_on, clock
            ),
            "urge_count": acc.urge_count or 0,
            "urged_on": acc.urged_on.isoformat() if acc.urged_on else None,
        },
        "copy_to": json.loads(acc.copy_to) if acc.copy_to else [],
        "recommendation": _doc(s, acc.recommendation_document_id),
        "feedback": {
            "on": acc.feedback_on.isoformat() if acc.feedback_on else None,
            "outcome": acc.feedback_outcome,
            "document": acc.feedback_document,
        },
        "report": {
            "on": acc.reported_on.isoformat() if acc.reported_on else None,
            "document": _doc(s, acc.report_document_id),
        },
        "created_at": acc.created_at.isoformat(),
    }


def _list_of(value: object) -> list[dict[str, Any]]:
    return value if isinstance(value, list) else []


def show_accountability(db: Database, number: str, *, today: date) -> dict[str, Any]:
    clock = _clock(db)
    with db.read_session() as s:
        return _detail(s, find(s, number), today, clock)


def list_accountabilities(
    db: Database, *, today: date, year: int | None = None, overdue: bool = False
) -> dict[str, Any]:
    """Accountability cases of a year (or all); `overdue`: only those past a rectification or feedback deadline."""
    clock = _clock(db)
    r = AccountabilityRecord
    with db.read_session() as s:
        q = select(r).order_by(r.year.desc(), r.number.desc())
        if year is not None:
            q = q.where(r.year == year)
        rows = []
        for acc in s.scalars(q):
            d = _detail(s, acc, today, clock)
            late_steps = [
                p["name"]
                for p in d["persons"]
                if p["steps"]
                and p["steps"][-1]["deadline"]
                and p["steps"][-1]["deadline"]["late"]
                and not p["steps"][-1]["rectified_on"]
            ]
            feedback_late = d["status"] == "feedback_overdue"
            if overdue and not (late_steps or feedback_late):
                continue
            rows.append(
                {
                    "number": d["number"],
                    "year": d["year"],
                    "status": d["status"],
                    "status_label": d["status_label"],
                    "subject_unit": d["subject_unit"],
                    "grounds": [g["code"] for g in d["grounds"]],
                    "cases": [c["number"] for c in d["cases"]],
                    "persons": len(d["persons"]),
                    "opened_on": d["opened_on"],
                    "feedback_due": d["referral"]["feedback_deadline"]["due"]
                    if d["referral"]["feedback_deadline"]
                    else None,
                    "rectification_overdue": late_steps,
                    "feedback_overdue": feedback_late,
                    "honours_lost": d["honours_lost"],
                }
            )
    return {"today": today.isoformat(), "year": year, "total": len(rows), "rows": rows}
