"""Warning slips (信访预警单, R-WS-01…04) on stored cases, and the detection hooks of issue 8.

- `scan_case(db, number, today=)` — call after every registered submission (`case_intake.submit` / `add_case`):
  reports whether the case meets R-WS-01 (with the evidence) and records what follows from the new visit — the
  explanations owed under an issued slip (R-WS-03/04), a new backlog case with its 一事双查 (R-CL-05, R-BK-01) and
  a 三方会审 (R-BK-02). One transaction, audited; running it again changes nothing.
- `tick_warnings(db, today=)` — for `xinfang tick`: the same over every case that may need it, marks explanations
  overdue and records each as a candidate accountability ground (R-AC-01), and resolves backlog cases now closed.
- `scan(db, today=)` — `xinfang warn scan`: the tick, then every case that meets R-WS-01 with no slip yet.
- `issue_slip`, `receipt_slip`, `record_explanation`, `list_slips` — the slip's life: issued (numbered and rendered
  by the documents engine, passed in as `issue` since persistence sits below documents), 签收, the explanations.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.codes import CaseStatus, Channel, OfficeLevel
from xinfang_desktop.core.errors import ConflictError, DomainError, NotFoundError
from xinfang_desktop.core.warnings_rules import (
    Addressee,
    ExplanationStatus,
    TriggerEvidence,
    Visit,
    WarningPolicy,
    WarningTrigger,
    accountability_ground,
    explanation_status,
    explanations_owed,
    warning_trigger,
)
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence import warning_index
from xinfang_desktop.persistence.backlog_store import (
    backlog_candidate_ids,
    case_by_number,
    case_visits,
    check_day,
    check_text,
    close_resolved,
    policy_for,
    principal_name,
    sync_backlog,
)
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import (
    CasePetitionerRecord,
    CaseRecord,
    LeaderRecord,
    PetitionerRecord,
    UnitRecord,
)
from xinfang_desktop.persistence.records_warnings import WarningExplanationRecord, WarningSlipRecord
from xinfang_desktop.persistence.reviews_store import review_candidate_ids, sync_reviews
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import SqlUnitOfWork, unit_of_work
from xinfang_desktop.persistence.warning_index import visits_by_case

#: The warning_slip document type's level names (OfficeLevel → 县 / 市 / 省 / 进京).
DOC_LEVEL = {
    OfficeLevel.COUNTY: "县",
    OfficeLevel.CITY: "市",
    OfficeLevel.PROVINCE: "省",
    OfficeLevel.NATIONAL: "进京",
}
DEFAULT_LEADER = "主要负责同志"
BATCH = 200


class IssuedLike(Protocol):
    """What the documents engine returns for an issued document (`IssuedDocument`)."""

    @property
    def id(self) -> int: ...

    @property
    def number(self) -> str: ...


#: Issues a document: (type_id, input data, case number) → the issued document.
Issuer = Callable[[str, Mapping[str, Any], str], IssuedLike]


# --- explanations (inside a unit of work) ----------------------------------------------------------------------


def _addressee_name(settings: SqlSettings, addressee: Addressee) -> str:
    """The concrete addressee: the office's higher leading group (+组长) or higher leaders from the settings."""
    if addressee is Addressee.LEADING_GROUP:
        value = settings.get("higher_leading_group")
        return f"{value.strip()}组长" if isinstance(value, str) and value.strip() else addressee.label
    value = settings.get("higher_leaders")
    return value.strip() if isinstance(value, str) and value.strip() else addressee.label


def sync_explanations(
    uow: SqlUnitOfWork,
    case: CaseRecord,
    visits: Sequence[Visit],
    *,
    calendar: WorkdayCalendar,
    policy: WarningPolicy,
) -> list[dict[str, Any]]:
    """Under each slip of the case, an explanation for every further county-or-above visit (R-WS-03/04)."""
    created: list[dict[str, Any]] = []
    slips = uow.session.scalars(
        select(WarningSlipRecord).where(WarningSlipRecord.case_id == case.id).order_by(WarningSlipRecord.id)
    ).all()
    settings = SqlSettings(uow.session)
    for slip in slips:
        have = set(
            uow.session.scalars(
                select(WarningExplanationRecord.submission_id).where(WarningExplanationRecord.slip_id == slip.id)
            )
        )
        for owed in explanations_owed(visits, slip_issued_on=slip.issued_on, calendar=calendar, policy=policy):
            if owed.visit.submission_id is None or owed.visit.submission_id in have:
                continue
            record = WarningExplanationRecord(
                slip_id=slip.id,
                submission_id=owed.visit.submission_id,
                seq=owed.index,
                visit_on=owed.visit.received_on,
                visit_level=owed.visit.level.value,
                rule_id=owed.rule_id,
                owed_to=owed.addressee.value,
                owed_to_name=_addressee_name(settings, owed.addressee),
                due_on=owed.due_on,
                status=ExplanationStatus.OWED.value,
                created_at=uow.now,
            )
            uow.session.add(record)
            uow.session.flush()
            uow.audit.record(
                "create",
                "warning_explanation",
                f"{slip.number}/{owed.index}",
                {"rule": owed.rule_id, "visit_on": owed.visit.received_on, "due_on": owed.due_on},
            )
            created.append(
                {
                    "slip": slip.number,
                    "number": case.number,
                    "seq": owed.index,
                    "visit_on": owed.visit.received_on.isoformat(),
                    "rule": owed.rule_id,
                    "owed_to": owed.addressee.label,
                    "due_on": owed.due_on.isoformat(),
                }
            )
    return created


def mark_overdue(uow: SqlUnitOfWork, today: date) -> list[dict[str, Any]]:
    """Explanations past their due date and not received: status overdue, with the candidate ground (R-AC-01)."""
    rows = uow.session.execute(
        select(WarningExplanationRecord, WarningSlipRecord)
        .join(WarningSlipRecord, WarningSlipRecord.id == WarningExplanationRecord.slip_id)
        .where(
            WarningExplanationRecord.received_on.is_(None),
            WarningExplanationRecord.due_on < today,
            WarningExplanationRecord.status == ExplanationStatus.OWED.value,
        )
    ).all()
    marked = []
    for e, slip in rows:
        e.status = ExplanationStatus.OVERDUE.value
        e.accountability_ground = accountability_ground(unit=slip.to_unit, due_on=e.due_on, rule_id=e.rule_id)
        uow.audit.record(
            "overdue", "warning_explanation", f"{slip.number}/{e.seq}", {"due_on": e.due_on, "ground": "R-AC-01"}
        )
        marked.append({"slip": slip.number, "seq": e.seq, "due_on": e.due_on.isoformat(), "unit": slip.to_unit})
    return marked


# --- detection hooks ---------------------------------------------------------------------------------------------


def _candidate_json(case: CaseRecord, petitioner: str | None, evidence: TriggerEvidence) -> dict[str, Any]:
    return {
        "number": case.number,
        "petitioner": petitioner,
        "summary": case.summary,
        "status": CaseStatus(case.status).label,
        **evidence.to_json(),
    }


def _bulk_candidates(session: Session, case_ids: Sequence[int], *, today: date, policy: WarningPolicy) -> list[Any]:
    """R-WS-01 with its evidence on many cases at once, read-only: a few queries per chunk, in the order met."""
    out: list[dict[str, Any]] = []
    for visits in visits_by_case(session, case_ids, until=today):
        met = {cid: ev for cid, vs in visits.items() if (ev := warning_trigger(vs, policy=policy)) is not None}
        if not met:
            continue
        names: dict[int, str] = {}
        for cid, name in session.execute(
            select(CasePetitionerRecord.case_id, PetitionerRecord.name)
            .join(PetitionerRecord, PetitionerRecord.id == CasePetitionerRecord.petitioner_id)
            .where(CasePetitionerRecord.case_id.in_(list(met)))
            .order_by(CasePetitionerRecord.case_id, CasePetitionerRecord.position)
        ):
            names.setdefault(cid, name)
        for case in session.scalars(select(CaseRecord).where(CaseRecord.id.in_(list(met)))):
            out.append(_candidate_json(case, names.get(case.id), met[case.id]))
    out.sort(key=lambda c: (c["met_on"], c["number"]))
    return out


def _scan_in(
    uow: SqlUnitOfWork, case: CaseRecord, *, today: date, calendar: WorkdayCalendar, policy: WarningPolicy
) -> dict[str, Any]:
    recorded = case_visits(uow.session, case.id)
    warning_index.note_case(uow.session, case, recorded, policy)
    visits = [v for v in recorded if v.received_on <= today]
    evidence = warning_trigger(visits, policy=policy)
    slip_count = uow.session.scalar(select(func.count()).where(WarningSlipRecord.case_id == case.id)) or 0
    return {
        "number": case.number,
        "candidate": _candidate_json(case, principal_name(uow.session, case.id), evidence)
        if evidence is not None and slip_count == 0
        else None,
        "explanations": sync_explanations(uow, case, visits, calendar=calendar, policy=policy) if slip_count else [],
        "backlog": sync_backlog(uow, case, visits, today=today, calendar=calendar),
        "reviews": sync_reviews(uow, case, visits, calendar=calendar, policy=policy),
    }


def scan_case(db: Database, number: str, *, today: date, user: str | None = None) -> dict[str, Any]:
    """The issue-8 detection on one case after a registered visit (see the module docstring); idempotent."""
    calendar = load_calendar(db)
    with unit_of_work(db, user=user) as uow:
        case = case_by_number(uow.session, number)
        result = _scan_in(uow, case, today=today, calendar=calendar, policy=policy_for(uow.session))
        uow.commit()
    return result


def tick_warnings(db: Database, *, today: date, user: str | None = None) -> dict[str, Any]:
    """Time-driven changes of issue 8 (for `xinfang tick`); idempotent, in batches of one transaction each.

    Writes only where something may follow (cases with a slip, backlog and review candidates); the R-WS-01
    candidates (every case meeting the trigger with no slip yet, with the evidence) are computed read-only in bulk.
    """
    calendar = load_calendar(db)
    warning_index.ensure(db, force=True)  # a repair: a visit whose scan failed after its intake is caught here
    with db.read_session() as s:
        policy = policy_for(s)
        with_slips = set(s.scalars(select(WarningSlipRecord.case_id).distinct()))
        ids = sorted(with_slips | set(backlog_candidate_ids(s, today)) | set(review_candidate_ids(s, policy)))
    summary: dict[str, Any] = {
        "today": today.isoformat(),
        "examined": len(ids),
        "candidates": [],
        "explanations": [],
        "backlog": [],
        "reviews": [],
        "overdue": [],
        "resolved_backlog": 0,
    }
    for start in range(0, len(ids), BATCH):
        with unit_of_work(db, user=user) as uow:
            cases = uow.session.scalars(select(CaseRecord).where(CaseRecord.id.in_(ids[start : start + BATCH])))
            for case in cases:
                found = _scan_in(uow, case, today=today, calendar=calendar, policy=policy)
                summary["explanations"] += found["explanations"]
                if found["backlog"]:
                    summary["backlog"].append(found["backlog"])
                summary["reviews"] += found["reviews"]
            uow.commit()
    with unit_of_work(db, user=user) as uow:
        summary["overdue"] = mark_overdue(uow, today)
        summary["resolved_backlog"] = close_resolved(uow, today)
        uow.commit()
    summary["candidates"] = candidates(db, today=today)
    return summary


def scan(db: Database, *, today: date, user: str | None = None) -> dict[str, Any]:
    """`xinfang warn scan`: the candidates for a slip (R-WS-01, with the evidence) and what the tick recorded."""
    return tick_warnings(db, today=today, user=user)


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


def _slip_header(session: Session, case: CaseRecord) -> dict[str, Any]:
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
        return _slip_header(s, case_by_number(s, number))


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
            **_slip_header(s, case),
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


def _slip(session: Session, slip_no: str) -> WarningSlipRecord:
    slip = session.scalar(select(WarningSlipRecord).where(WarningSlipRecord.number == slip_no.strip()))
    if slip is None:
        raise NotFoundError(f"未找到预警单 {slip_no}", field="slip")
    return slip


def receipt_slip(db: Database, slip_no: str, *, on: date, today: date) -> dict[str, Any]:
    """Record the 签收 of a slip by the warned unit (R-WS-02)."""
    with unit_of_work(db) as uow:
        slip = _slip(uow.session, slip_no)
        if slip.receipted_on is not None:
            raise ConflictError(f"预警单 {slip.number} 已于 {slip.receipted_on.isoformat()} 签收", field="slip")
        check_day(on, today, "date", "签收日期", not_before=slip.issued_on)
        slip.receipted_on = on
        uow.audit.record("receipt", "warning_slip", slip.number, {"receipted_on": on})
        uow.commit()
    return slip_detail(db, slip_no, today=today)


def record_explanation(db: Database, slip_no: str, *, on: date, today: date) -> dict[str, Any]:
    """Record the written explanation received for the oldest one still owed under the slip (R-WS-03/04)."""
    with unit_of_work(db) as uow:
        slip = _slip(uow.session, slip_no)
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


# --- 书面说明通知 ----------------------------------------------------------------------------------------------------

#: The 书面说明通知 issued under a slip live in the slip's evidence JSON under this key: explanation seq → notice
#: ({number, document_id, issued_on}); no schema change, and `_slip_json` shows them per explanation, not as evidence.
NOTICES_KEY = "explanation_notices"


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _notices(slip: WarningSlipRecord) -> dict[str, Any]:
    evidence = json.loads(slip.evidence)
    found = evidence.get(NOTICES_KEY) if isinstance(evidence, dict) else None
    return dict(found) if isinstance(found, dict) else {}


def _notice_input(
    s: Session, slip: WarningSlipRecord, e: WarningExplanationRecord, calendar: WorkdayCalendar, today: date
) -> dict[str, Any]:
    case = s.get(CaseRecord, slip.case_id)
    assert case is not None
    return {
        **_slip_header(s, case),
        "to_unit": slip.to_unit,
        "warning_number": slip.number,
        "warning_on": slip.issued_on.isoformat(),
        "visit_on": e.visit_on.isoformat(),
        "visit_level": DOC_LEVEL[OfficeLevel(e.visit_level)],
        "escalated": e.owed_to != Addressee.LEADING_GROUP.value,
        "deadline": {
            "rule": e.rule_id,
            "start": e.visit_on.isoformat(),
            "due": e.due_on.isoformat(),
            "explanation": f"自{_cn(e.visit_on)}再次上访之次日起计算3个工作日，至{_cn(e.due_on)}届满（{e.rule_id}）。",
            "provisional": calendar.is_provisional_span(e.visit_on, e.due_on),
        },
        "issued_on": today.isoformat(),
    }


def notify_explanations(
    db: Database, slip_no: str, *, today: date, issue: Issuer, user: str | None = None
) -> dict[str, Any]:
    """Issue the 书面说明通知 (R-WS-03/04) for every explanation of the slip still owed that has no notice yet.

    Each notice is numbered, rendered and stored by `issue`, then recorded on the slip (which explanation, which
    number) with an audit entry, one at a time: running it again issues only what is still missing."""
    calendar = load_calendar(db)
    with db.read_session() as s:
        slip = _slip(s, slip_no)
        have = _notices(slip)
        pending = [
            (e.seq, _notice_input(s, slip, e, calendar, today))
            for e in s.scalars(
                select(WarningExplanationRecord)
                .where(WarningExplanationRecord.slip_id == slip.id, WarningExplanationRecord.received_on.is_(None))
                .order_by(WarningExplanationRecord.seq)
            )
            if str(e.seq) not in have
        ]
        slip_number = slip.number
    for _, data in pending:
        if today < date.fromisoformat(data["visit_on"]):
            raise DomainError(f"通知日期 {today.isoformat()} 早于再次上访日期 {data['visit_on']}", field="today")
    issued: list[dict[str, Any]] = []
    for seq, data in pending:
        document = issue("explanation_request", data, data["case_number"])
        notice = {"number": document.number, "document_id": document.id, "issued_on": today.isoformat()}
        with unit_of_work(db, user=user) as uow:
            slip = _slip(uow.session, slip_number)
            evidence = json.loads(slip.evidence)
            evidence.setdefault(NOTICES_KEY, {})[str(seq)] = notice
            slip.evidence = json.dumps(evidence, ensure_ascii=False)
            uow.audit.record("notify", "warning_explanation", f"{slip_number}/{seq}", {"document": document.number})
            uow.commit()
        issued.append({"seq": seq, **notice})
    return {**slip_detail(db, slip_number, today=today), "notified": issued}


# --- reading ------------------------------------------------------------------------------------------------------


def _explanation_json(e: WarningExplanationRecord, today: date) -> dict[str, Any]:
    status = explanation_status(e.due_on, e.received_on, today)
    return {
        "seq": e.seq,
        "visit_on": e.visit_on.isoformat(),
        "visit_level": OfficeLevel(e.visit_level).label,
        "rule": e.rule_id,
        "addressee": Addressee(e.owed_to).label,
        "addressee_code": e.owed_to,
        "owed_to": e.owed_to_name,
        "due_on": e.due_on.isoformat(),
        "received_on": e.received_on.isoformat() if e.received_on else None,
        "status": status.value,
        "status_label": status.label,
        "overdue": status is ExplanationStatus.OVERDUE,
        "accountability_ground": e.accountability_ground
        or (
            accountability_ground(unit="被预警单位", due_on=e.due_on, rule_id=e.rule_id)
            if status is ExplanationStatus.OVERDUE
            else None
        ),
    }


def _slip_json(s: Session, slip: WarningSlipRecord, today: date) -> dict[str, Any]:
    case = s.get(CaseRecord, slip.case_id)
    assert case is not None
    explanations = s.scalars(
        select(WarningExplanationRecord)
        .where(WarningExplanationRecord.slip_id == slip.id)
        .order_by(WarningExplanationRecord.seq)
    ).all()
    evidence = json.loads(slip.evidence)
    notices = evidence.pop(NOTICES_KEY, {}) if isinstance(evidence, dict) else {}
    items = [_explanation_json(e, today) | {"notice": notices.get(str(e.seq))} for e in explanations]
    return {
        "number": slip.number,
        "case_number": case.number,
        "petitioner": principal_name(s, case.id),
        "to_unit": slip.to_unit,
        "to_leader": slip.to_leader,
        "trigger": slip.trigger,
        "trigger_label": WarningTrigger(slip.trigger).label,
        "reason": slip.reason,
        "evidence": evidence,
        "issued_on": slip.issued_on.isoformat(),
        "receipted_on": slip.receipted_on.isoformat() if slip.receipted_on else None,
        "document_id": slip.document_id,
        "explanations": items,
        "owed": sum(1 for i in items if i["status"] in ("owed", "overdue")),
        "overdue": sum(1 for i in items if i["overdue"]),
    }


def slip_detail(db: Database, slip_no: str, *, today: date) -> dict[str, Any]:
    with db.read_session() as s:
        return _slip_json(s, _slip(s, slip_no), today)


def list_slips(db: Database, *, today: date) -> list[dict[str, Any]]:
    """Every slip with its explanations (due date, addressee, status as of `today`), newest first."""
    with db.read_session() as s:
        slips = s.scalars(
            select(WarningSlipRecord).order_by(WarningSlipRecord.issued_on.desc(), WarningSlipRecord.id.desc())
        )
        return [_slip_json(s, slip, today) for slip in slips]


def candidates(db: Database, *, today: date) -> list[dict[str, Any]]:
    """Read-only: every case that meets R-WS-01 and has no slip yet, with the evidence, in the order met."""
    warning_index.ensure(db)
    with db.read_session() as s:
        _, ids = warning_index.candidate_ids(s, today=today)
        return _bulk_candidates(s, ids, today=today, policy=policy_for(s))


def candidate_page(db: Database, *, today: date, newest: int) -> dict[str, Any]:
    """How many cases meet R-WS-01 with no slip yet, and the `newest` of them with their evidence, newest first
    (for the 预警与积案 section: an index read however large the ledger)."""
    warning_index.ensure(db)
    with db.read_session() as s:
        total, ids = warning_index.candidate_ids(s, today=today, newest=newest)
        items = _bulk_candidates(s, ids, today=today, policy=policy_for(s))
    return {"total": total, "items": list(reversed(items))}


def owed_explanation_counts(session: Session, *, today: date) -> tuple[int, int]:
    """(owed, overdue) written explanations of warned units (R-WS-03/04), for the workbench: index reads only."""
    open_ = WarningExplanationRecord.received_on.is_(None)
    owed = session.scalar(select(func.count()).where(open_)) or 0
    overdue = session.scalar(select(func.count()).where(open_, WarningExplanationRecord.due_on < today)) or 0
    return int(owed), int(overdue)
