"""Issuing a warning slip and its life after: prepared and checked, issued (R-WS-01/02), 签收, written explanations.

The documents engine numbers, renders and stores the slip; it is passed in as `issue` since persistence sits below
documents. Explanations owed under a slip are created by `warning_detection.sync_explanations` (R-WS-03/04).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.codes import Channel, OfficeLevel
from xinfang_desktop.core.errors import ConflictError, DomainError
from xinfang_desktop.core.warnings_rules import WarningTrigger, explanation_status, warning_trigger
from xinfang_desktop.persistence.backlog_store import case_by_number, case_visits, check_day, check_text, policy_for
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import (
    CasePetitionerRecord,
    CaseRecord,
    LeaderRecord,
    PetitionerRecord,
    UnitRecord,
)
from xinfang_desktop.persistence.records_warnings import WarningExplanationRecord, WarningSlipRecord
from xinfang_desktop.persistence.uow import unit_of_work
from xinfang_desktop.persistence.warning_detection import sync_explanations
from xinfang_desktop.persistence.warning_reads import find_slip, slip_detail

#: The warning_slip document type's level names (OfficeLevel → 县 / 市 / 省 / 进京).
DOC_LEVEL = {
    OfficeLevel.COUNTY: "县",
    OfficeLevel.CITY: "市",
    OfficeLevel.PROVINCE: "省",
    OfficeLevel.NATIONAL: "进京",
}
DEFAULT_LEADER = "主要负责同志"


class IssuedLike(Protocol):
    """What the documents engine returns for an issued document (`IssuedDocument`)."""

    @property
    def id(self) -> int: ...

    @property
    def number(self) -> str: ...


#: Issues a document: (type_id, input data, case number) → the issued document.
Issuer = Callable[[str, Mapping[str, Any], str], IssuedLike]


# --- issuing a slip ---------------------------------------------------------------------------------------------


def _unit_leader(session: Session, unit_id: int | None) -> str | None:
    """The principal (正职) leader registered for the unit, as 姓名（职务）."""
    if unit_id is None:
        return None
    leaders = session.scalars(select(LeaderRecord).where(LeaderRecord.unit_id == unit_id).order_by(LeaderRecord.id))
    chosen = sorted(leaders, key=lambda r: (r.rank != "正职", r.organ != "党委", r.id))
    if not chosen:
        return None
    return f"{chosen[0].name}（{chosen[0].post}）"[:64]


def slip_header(session: Session, case: CaseRecord) -> dict[str, Any]:
    """The document header of the case: number, principal petitioner (DomainError without one), first submission."""
    row = session.execute(
        select(PetitionerRecord)
        .join(CasePetitionerRecord, CasePetitionerRecord.petitioner_id == PetitionerRecord.id)
        .where(CasePetitionerRecord.case_id == case.id)
        .order_by(CasePetitionerRecord.position)
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        raise DomainError(f"信访事项 {case.number} 没有登记信访人", field="number")
    petitioner: dict[str, Any] = {"name": row.name}
    for key in ("id_number", "phone", "address"):
        value = getattr(row, key)
        if value:
            petitioner[key] = value
    return {
        "case_number": case.number,
        "petitioner": petitioner,
        "received_on": case.received_on.isoformat(),
        "channel": Channel(case.channel).label,
        "summary": case.summary,
    }


def case_header(db: Database, number: str) -> dict[str, Any]:
    """The case header every issue-8 document starts from (case number, principal petitioner, first submission)."""
    with db.read_session() as s:
        return slip_header(s, case_by_number(s, number))


def prepare_slip(
    db: Database,
    number: str,
    *,
    today: date,
    reason: str | None = None,
    to_unit: str | None = None,
    to_leader: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check everything about a slip before anything is written; returns (document input, slip row values)."""
    risk = check_text(reason, "reason", "预警原因（其他风险）", required=False, max_length=1000)
    unit_text = check_text(to_unit, "unit", "被预警单位", required=False, max_length=128)
    leader_text = check_text(to_leader, "leader", "被预警单位领导", required=False, max_length=64)
    with db.read_session() as s:
        policy = policy_for(s)
        case = case_by_number(s, number)
        existing = s.scalar(select(WarningSlipRecord.number).where(WarningSlipRecord.case_id == case.id).limit(1))
        if existing is not None:
            raise ConflictError(
                f"信访事项 {case.number} 已发出预警单 {existing}；此后再次上访的，由被预警单位书面说明（R-WS-03/04）",
                field="number",
            )
        visits = [v for v in case_visits(s, case.id) if v.received_on <= today]
        evidence = warning_trigger(visits, policy=policy)
        if evidence is None and risk is None:
            counted = sum(1 for v in visits[1:] if v.counts_for_warning(policy))
            raise DomainError(
                f"信访事项 {case.number} 未达到预警条件：初次信访后到县级及以上信访部门上访{counted}次，"
                f"需{policy.trigger_visits}次（含）以上（R-WS-01）；如有其他可能引发异常情况上访的风险，"
                "请用 --reason 写明",
                field="reason",
            )
        unit_name = unit_text
        unit_id: int | None = None
        if unit_name is None and case.responsible_unit_id is not None:
            unit_id = case.responsible_unit_id
            unit_name = s.scalar(select(UnitRecord.name).where(UnitRecord.id == unit_id))
        elif unit_name is not None:
            unit_id = s.scalar(select(UnitRecord.id).where(UnitRecord.name == unit_name))
        if not unit_name:
            raise DomainError(
                f"信访事项 {case.number} 尚无责任单位：请用 --unit 写明属地或相关单位（R-WS-02）", field="unit"
            )
        leader = leader_text or _unit_leader(s, unit_id) or DEFAULT_LEADER
        trigger = WarningTrigger.REPEAT_VISITS if evidence is not None else WarningTrigger.OTHER_RISK
        shown = evidence.visits if evidence is not None else ()
        data = {
            **slip_header(s, case),
            "to_unit": unit_name,
            "to_leader": leader,
            "trigger": trigger.value,
            "visits": [{"date": v.received_on.isoformat(), "level": DOC_LEVEL[v.level]} for v in shown],
            "issued_on": today.isoformat(),
        }
        if risk:
            data["risk"] = risk
        reason_text = (evidence.reason() if evidence else WarningTrigger.OTHER_RISK.label) + (
            f"；{risk}" if risk and evidence else (f"：{risk}" if risk else "")
        )
        row = {
            "case_id": case.id,
            "to_unit": unit_name,
            "to_leader": leader,
            "trigger": trigger.value,
            "reason": reason_text,
            "evidence": json.dumps(
                evidence.to_json() if evidence else {"rule": "R-WS-01", "manual": True, "risk": risk},
                ensure_ascii=False,
            ),
        }
    return data, row


@requires("case.supervise")
def issue_slip(
    db: Database,
    number: str,
    *,
    today: date,
    issue: Issuer,
    reason: str | None = None,
    to_unit: str | None = None,
    to_leader: str | None = None,
    user: str | None = None,
) -> dict[str, Any]:
    """Issue a numbered 预警单 (R-WS-01/02): validated first (trigger met, or a reason for another risk; a unit to
    address; no earlier slip), then numbered, rendered and stored by `issue`, then recorded with its evidence."""
    data, row = prepare_slip(db, number, today=today, reason=reason, to_unit=to_unit, to_leader=to_leader)
    document = issue("warning_slip", data, data["case_number"])
    calendar = load_calendar(db)
    with unit_of_work(db, user=user) as uow:
        slip = WarningSlipRecord(
            number=document.number,
            issued_on=today,
            document_id=document.id,
            created_at=uow.now,
            created_by=uow.user_id,
            **row,
        )
        uow.session.add(slip)
        uow.session.flush()
        uow.audit.record("issue", "warning_slip", slip.number, {"case": data["case_number"], "trigger": row["trigger"]})
        case = uow.session.get(CaseRecord, row["case_id"])
        assert case is not None
        visits = [v for v in case_visits(uow.session, case.id) if v.received_on <= today]
        sync_explanations(uow, case, visits, calendar=calendar, policy=policy_for(uow.session))
        uow.commit()
    return slip_detail(db, document.number, today=today)


# --- 签收 and explanations -----------------------------------------------------------------------------------------


@requires("case.supervise")
def receipt_slip(db: Database, slip_no: str, *, on: date, today: date) -> dict[str, Any]:
    """Record the 签收 of a slip by the warned unit (R-WS-02)."""
    with unit_of_work(db) as uow:
        slip = find_slip(uow.session, slip_no)
        if slip.receipted_on is not None:
            raise ConflictError(f"预警单 {slip.number} 已于 {slip.receipted_on.isoformat()} 签收", field="slip")
        check_day(on, today, "date", "签收日期", not_before=slip.issued_on)
        slip.receipted_on = on
        uow.audit.record("receipt", "warning_slip", slip.number, {"receipted_on": on})
        uow.commit()
    return slip_detail(db, slip_no, today=today)


@requires("case.supervise")
def record_explanation(db: Database, slip_no: str, *, on: date, today: date) -> dict[str, Any]:
    """Record the written explanation received for the oldest one still owed under the slip (R-WS-03/04)."""
    with unit_of_work(db) as uow:
        slip = find_slip(uow.session, slip_no)
        owed = uow.session.scalar(
            select(WarningExplanationRecord)
            .where(WarningExplanationRecord.slip_id == slip.id, WarningExplanationRecord.received_on.is_(None))
            .order_by(WarningExplanationRecord.seq)
            .limit(1)
        )
        if owed is None:
            raise DomainError(f"预警单 {slip.number} 没有待说明的再次上访（R-WS-03）", field="slip")
        check_day(on, today, "date", "书面说明日期", not_before=owed.visit_on)
        owed.received_on = on
        owed.status = explanation_status(owed.due_on, on, today).value
        uow.audit.record(
            "explain", "warning_explanation", f"{slip.number}/{owed.seq}", {"received_on": on, "status": owed.status}
        )
        uow.commit()
    return slip_detail(db, slip_no, today=today)
