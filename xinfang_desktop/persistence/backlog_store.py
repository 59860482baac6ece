"""Backlog cases (积案, R-CL-05) and 一事双查 (R-BK-01) on stored cases; the backlog ledger with the R-BK-03 targets.

Detection runs inside the unit of work of `warnings_store.scan_case` / `tick_warnings` (see `sync_backlog`); the
operations here (`create_inquiry`, `record_inquiry`, `classify_backlog`) validate everything first and write in one
audited transaction. Also the helpers the warning and review stores share (a case's submissions as `Visit`s).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from xinfang_desktop.core.backlog import (
    RESOLUTION_RULES,
    BacklogFinding,
    BacklogOrigin,
    ClockFact,
    burn_down,
    detect_backlog,
    inquiry_deadlines,
    target_progress,
)
from xinfang_desktop.core.codes import CaseStatus, Channel, Destination, OfficeLevel
from xinfang_desktop.core.errors import ConflictError, DomainError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.warnings_rules import DEFAULT_POLICY, Visit, WarningPolicy
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.data_scope import require_case_in_scope
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import (
    UNRESOLVED_CLOCKS,
    CaseDeadlineRecord,
    CaseEventRecord,
    CasePetitionerRecord,
    CaseRecord,
    PetitionerRecord,
    SubmissionRecord,
)
from xinfang_desktop.persistence.records_warnings import BacklogCaseRecord, DualInquiryRecord
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import SqlUnitOfWork, unit_of_work

MAX_TEXT = 2000

# --- shared helpers -------------------------------------------------------------------------------------------


def policy_for(session: Session) -> WarningPolicy:
    """The R-WS / R-BK numbers with the office's collective threshold (settings.collective_threshold, R-CL-02)."""
    value = SqlSettings(session).get("collective_threshold", DEFAULT_POLICY.collective_threshold)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 2:
        return WarningPolicy(collective_threshold=value)
    return DEFAULT_POLICY


def visit_of(r: Any) -> Visit:
    """A Visit from a submission record or a row with the same column names (bulk reads skip the ORM)."""
    return Visit(
        seq=r.seq,
        received_on=r.received_on,
        channel=Channel(r.channel),
        level=OfficeLevel(r.level),
        headcount=r.headcount,
        abnormal=r.is_abnormal,
        destination=Destination(r.destination) if r.destination else None,
        submission_id=r.id,
    )


def case_visits(session: Session, case_id: int) -> list[Visit]:
    """Every submission of a case (letters and calls too) in the order received."""
    rows = session.scalars(
        select(SubmissionRecord).where(SubmissionRecord.case_id == case_id).order_by(SubmissionRecord.seq)
    )
    return [visit_of(r) for r in rows]


def case_by_number(session: Session, number: str) -> CaseRecord:
    record = session.scalar(select(CaseRecord).where(CaseRecord.number == number.strip()))
    if record is None:
        raise NotFoundError(f"未找到信访事项 {number}", field="number")
    require_case_in_scope(session, record.id, number)
    return record


def principal_name(session: Session, case_id: int) -> str | None:
    """The case's first petitioner (the principal), for one case."""
    name: str | None = session.scalar(_principal_select(case_id))
    return name


def principal_name_column(case_id: Any) -> Any:
    """The principal's name beside each row of a list (a correlated subquery): one query for the list, not one more
    per row (666 backlog cases took 0.4 s of Python that way)."""
    return _principal_select(case_id).scalar_subquery()


def _principal_select(case_id: Any) -> Any:
    return (
        select(PetitionerRecord.name)
        .join(CasePetitionerRecord, CasePetitionerRecord.petitioner_id == PetitionerRecord.id)
        .where(CasePetitionerRecord.case_id == case_id)
        .order_by(CasePetitionerRecord.position)
        .limit(1)
    )


def check_day(value: date, today: date, field: str, label: str, *, not_before: date | None = None) -> None:
    """A recorded date may not be in the future nor before the event it follows."""
    problems: list[FieldProblem] = []
    if value > today:
        problems.append(FieldProblem(field, label, f"{value.isoformat()} 晚于今天（{today.isoformat()}）"))
    if not_before is not None and value < not_before:
        problems.append(FieldProblem(field, label, f"{value.isoformat()} 早于 {not_before.isoformat()}"))
    if problems:
        raise ValidationError(problems)


def check_text(value: str | None, field: str, label: str, *, required: bool, max_length: int = MAX_TEXT) -> str | None:
    text = value.strip() if isinstance(value, str) else None
    if not text:
        if required:
            raise ValidationError([FieldProblem(field, label, "不能为空")])
        return None
    if len(text) > max_length:
        raise ValidationError([FieldProblem(field, label, f"不能超过{max_length}字")])
    return text


# --- detection (inside a unit of work) -------------------------------------------------------------------------


def clock_facts(session: Session, case_id: int) -> list[ClockFact]:
    rows = session.execute(
        select(CaseDeadlineRecord.rule_id, CaseDeadlineRecord.due_on, CaseDeadlineRecord.met_on).where(
            CaseDeadlineRecord.case_id == case_id, CaseDeadlineRecord.rule_id.in_(RESOLUTION_RULES)
        )
    ).all()
    return [ClockFact(rule, due, met) for rule, due, met in rows]


def backlog_candidate_ids(session: Session, today: date) -> list[int]:
    """Cases not yet in the backlog ledger with a missed resolution clock and a submission after its due date (the
    SQL pre-filter of R-CL-05; `detect_backlog` decides)."""
    missed = (CaseDeadlineRecord.met_on > CaseDeadlineRecord.due_on) | (
        CaseDeadlineRecord.met_on.is_(None) & (CaseDeadlineRecord.due_on < today)
    )
    stmt = (
        select(CaseDeadlineRecord.case_id)
        .join(SubmissionRecord, SubmissionRecord.case_id == CaseDeadlineRecord.case_id)
        .where(
            text(UNRESOLVED_CLOCKS),  # verbatim: the terms of ix_case_deadlines_unresolved (implied by the ones below)
            CaseDeadlineRecord.rule_id.in_(RESOLUTION_RULES),
            missed,
            SubmissionRecord.seq > 1,
            SubmissionRecord.received_on > CaseDeadlineRecord.due_on,
            SubmissionRecord.received_on <= today,
            ~CaseDeadlineRecord.case_id.in_(select(BacklogCaseRecord.case_id)),
        )
        .distinct()
    )
    return sorted(session.scalars(stmt))


def _open_inquiry(uow: SqlUnitOfWork, backlog: BacklogCaseRecord, opened_on: date, calendar: WorkdayCalendar) -> None:
    deadlines = inquiry_deadlines(opened_on, calendar)
    inquiry = DualInquiryRecord(
        backlog_id=backlog.id,
        case_id=backlog.case_id,
        opened_on=opened_on,
        handling_due_on=deadlines.handling_due_on,
        accountability_due_on=deadlines.accountability_due_on,
        created_at=uow.now,
    )
    uow.session.add(inquiry)
    uow.session.flush()
    uow.audit.record(
        "create",
        "dual_inquiry",
        str(inquiry.id),
        {"backlog": backlog.id, "rule": "R-BK-01", "handling_due_on": deadlines.handling_due_on},
    )


def _add_backlog(
    uow: SqlUnitOfWork, case: CaseRecord, finding: BacklogFinding, today: date, calendar: WorkdayCalendar
) -> BacklogCaseRecord:
    backlog = BacklogCaseRecord(
        case_id=case.id,
        detected_on=today,
        missed_rule=finding.clock.rule_id,
        missed_due_on=finding.clock.due_on,
        repeat_submission_id=finding.repeat.submission_id,
        repeat_on=finding.repeat.received_on,
        reason=finding.reason(),
        origin=BacklogOrigin.LOCAL.value,
        created_at=uow.now,
    )
    uow.session.add(backlog)
    uow.session.flush()
    # A plain UPDATE of the flag: the case's lifecycle (and its version) is not touched.
    uow.session.execute(
        update(CaseRecord)
        .where(CaseRecord.id == case.id)
        .values(is_backlog=True)
        .execution_options(synchronize_session=False)
    )
    uow.audit.record("create", "backlog_case", case.number, finding.to_json())
    _open_inquiry(uow, backlog, today, calendar)
    return backlog


def sync_backlog(
    uow: SqlUnitOfWork, case: CaseRecord, visits: Sequence[Visit], *, today: date, calendar: WorkdayCalendar
) -> dict[str, Any] | None:
    """R-CL-05 on one case: a new backlog case is recorded with its 一事双查 (R-BK-01); returns it, or None."""
    exists = uow.session.scalar(select(BacklogCaseRecord.id).where(BacklogCaseRecord.case_id == case.id))
    if exists is not None:
        return None
    finding = detect_backlog(clock_facts(uow.session, case.id), visits, today=today)
    if finding is None:
        return None
    _add_backlog(uow, case, finding, today, calendar)
    return {"number": case.number, **finding.to_json()}


def close_resolved(uow: SqlUnitOfWork, today: date) -> int:
    """Backlog cases whose case is now 审核认定办结 are resolved on the day of its last event."""
    rows = uow.session.execute(
        select(BacklogCaseRecord, CaseRecord.number)
        .join(CaseRecord, CaseRecord.id == BacklogCaseRecord.case_id)
        .where(BacklogCaseRecord.resolved_on.is_(None), CaseRecord.status == CaseStatus.CLOSED.value)
    ).all()
    for backlog, number in rows:
        last = uow.session.scalar(
            select(func.max(CaseEventRecord.occurred_on)).where(CaseEventRecord.case_id == backlog.case_id)
        )
        backlog.resolved_on = min(last or today, today)
        uow.audit.record("resolve", "backlog_case", number, {"resolved_on": backlog.resolved_on})
    return len(rows)


# --- the backlog ledger --------------------------------------------------------------------------------------


def _inquiry_json(i: DualInquiryRecord, today: date) -> dict[str, Any]:
    return {
        "id": i.id,
        "opened_on": i.opened_on.isoformat(),
        "handling": {
            "due_on": i.handling_due_on.isoformat(),
            "first_unit": i.first_unit,
            "handler": i.handler,
            "findings": i.handling_findings,
            "done_on": i.handling_done_on.isoformat() if i.handling_done_on else None,
            "overdue": i.handling_done_on is None and today > i.handling_due_on,
        },
        "accountability": {
            "due_on": i.accountability_due_on.isoformat(),
            "pursued": i.accountability_pursued,
            "outcome": i.accountability_outcome,
            "done_on": i.accountability_done_on.isoformat() if i.accountability_done_on else None,
            "overdue": i.accountability_done_on is None and today > i.accountability_due_on,
        },
        "complete": i.handling_done_on is not None and i.accountability_done_on is not None,
        "rule": "R-BK-01",
    }


def list_backlog(db: Database, *, today: date) -> dict[str, Any]:
    """The backlog ledger: every backlog case with its 一事双查, the R-BK-03 targets and a burn-down per batch."""
    with db.read_session() as s:
        rows = s.execute(
            select(
                BacklogCaseRecord,
                CaseRecord.number,
                CaseRecord.summary,
                CaseRecord.status,
                DualInquiryRecord,
                principal_name_column(BacklogCaseRecord.case_id),
            )
            .join(CaseRecord, CaseRecord.id == BacklogCaseRecord.case_id)
            .outerjoin(DualInquiryRecord, DualInquiryRecord.backlog_id == BacklogCaseRecord.id)
            .order_by(BacklogCaseRecord.detected_on, BacklogCaseRecord.id)
        ).all()
        cases = [
            {
                "number": number,
                "petitioner": petitioner,
                "summary": summary,
                "status": CaseStatus(status).label,
                "detected_on": b.detected_on.isoformat(),
                "missed_rule": b.missed_rule,
                "missed_due_on": b.missed_due_on.isoformat(),
                "repeat_on": b.repeat_on.isoformat(),
                "reason": b.reason,
                "origin": b.origin,
                "origin_label": BacklogOrigin(b.origin).label,
                "batch": b.batch,
                "handed_down_on": b.handed_down_on.isoformat() if b.handed_down_on else None,
                "resolved_on": b.resolved_on.isoformat() if b.resolved_on else None,
                "inquiry": _inquiry_json(inquiry, today) if inquiry is not None else None,
            }
            for b, number, summary, status, inquiry, petitioner in rows
        ]
        targets = target_progress(
            (BacklogOrigin(b.origin), b.resolved_on is not None and b.resolved_on <= today) for b, *_ in rows
        )
        batches: dict[str, list[tuple[date, date | None]]] = {}
        for b, *_ in rows:
            if b.batch:
                batches.setdefault(b.batch, []).append((b.handed_down_on or b.detected_on, b.resolved_on))
    return {
        "today": today.isoformat(),
        "total": len(cases),
        "resolved": sum(1 for c in cases if c["resolved_on"]),
        "cases": cases,
        "targets": [t.to_json() for t in targets],
        "batches": [
            {
                "batch": name,
                "total": len(items),
                "burn_down": [{"date": d.isoformat(), "remaining": n} for d, n in burn_down(items, today=today)],
            }
            for name, items in sorted(batches.items())
        ],
    }


@requires("case.supervise")
def classify_backlog(
    db: Database, number: str, *, origin: str, batch: str | None, handed_down_on: date | None, today: date
) -> dict[str, Any]:
    """Record who handed a backlog case down and in which batch (R-BK-03 targets, burn-down)."""
    parsed = BacklogOrigin.parse(origin, field="origin")
    batch_text = check_text(batch, "batch", "交办批次", required=False, max_length=64)
    if handed_down_on is not None:
        check_day(handed_down_on, today, "handed_down_on", "交办日期")
    with unit_of_work(db) as uow:
        case = case_by_number(uow.session, number)
        backlog = uow.session.scalar(select(BacklogCaseRecord).where(BacklogCaseRecord.case_id == case.id))
        if backlog is None:
            raise DomainError(f"信访事项 {case.number} 不在积案台账中（R-CL-05）", field="number")
        backlog.origin, backlog.batch, backlog.handed_down_on = parsed.value, batch_text, handed_down_on
        uow.audit.record("classify", "backlog_case", case.number, {"origin": parsed.value, "batch": batch_text})
        uow.commit()
    return {"number": case.number, "origin": parsed.value, "origin_label": parsed.label, "batch": batch_text}


# --- 一事双查 -------------------------------------------------------------------------------------------------


@requires("case.supervise")
def create_inquiry(db: Database, number: str, *, today: date) -> dict[str, Any]:
    """Open the 一事双查 of a backlog case (R-BK-01). A case not yet in the ledger is checked against R-CL-05 first
    and recorded as a backlog case when it meets it; otherwise refused."""
    calendar = load_calendar(db)
    with unit_of_work(db) as uow:
        case = case_by_number(uow.session, number)
        backlog = uow.session.scalar(select(BacklogCaseRecord).where(BacklogCaseRecord.case_id == case.id))
        if backlog is None:
            finding = detect_backlog(clock_facts(uow.session, case.id), case_visits(uow.session, case.id), today=today)
            if finding is None:
                raise DomainError(
                    f"信访事项 {case.number} 不是积案：未发现法定期限内未办结且信访人再次信访的情形（R-CL-05）",
                    field="number",
                )
            backlog = _add_backlog(uow, case, finding, today, calendar)
        else:
            exists = uow.session.scalar(select(DualInquiryRecord.id).where(DualInquiryRecord.backlog_id == backlog.id))
            if exists is not None:
                raise ConflictError(f"信访事项 {case.number} 已有一事双查记录", field="number")
            _open_inquiry(uow, backlog, today, calendar)
        uow.commit()
    return show_inquiry(db, number, today=today)


@dataclass(frozen=True)
class InquiryUpdate:
    """One part of a 一事双查: `part` is "handling" or "accountability"."""

    part: str
    done_on: date
    first_unit: str | None = None
    handler: str | None = None
    findings: str | None = None
    pursued: bool | None = None
    outcome: str | None = None


@requires("case.supervise")
def record_inquiry(db: Database, number: str, change: InquiryUpdate, *, today: date) -> dict[str, Any]:
    """Record the handling check (first handling unit, handler, what went wrong) or the accountability check
    (pursued or not, and the outcome or the reason why not) of a 一事双查 (R-BK-01)."""
    if change.part not in ("handling", "accountability"):
        raise ValidationError(
            [FieldProblem("part", "核查内容", "应为 handling（办理情况）或 accountability（追责情况）")]
        )
    if change.part == "handling":
        first_unit = check_text(change.first_unit, "first_unit", "首办单位", required=True, max_length=128)
        handler = check_text(change.handler, "handler", "经办人", required=False, max_length=64)
        findings = check_text(change.findings, "findings", "存在问题", required=True)
    else:
        if change.pursued is None:
            raise ValidationError([FieldProblem("pursued", "是否追责", "须写明是否追究责任")])
        outcome = check_text(change.outcome, "outcome", "追责结果或不追责理由", required=True)
    with unit_of_work(db) as uow:
        case = case_by_number(uow.session, number)
        inquiry = uow.session.scalar(select(DualInquiryRecord).where(DualInquiryRecord.case_id == case.id))
        if inquiry is None:
            raise NotFoundError(f"信访事项 {case.number} 没有一事双查记录（先运行 xinfang inquiry create）")
        check_day(change.done_on, today, "date", "核查日期", not_before=inquiry.opened_on)
        if change.part == "handling":
            inquiry.first_unit, inquiry.handler, inquiry.handling_findings = first_unit, handler, findings
            inquiry.handling_done_on = change.done_on
        else:
            inquiry.accountability_pursued, inquiry.accountability_outcome = change.pursued, outcome
            inquiry.accountability_done_on = change.done_on
        uow.audit.record("record", "dual_inquiry", str(inquiry.id), {"part": change.part, "case": case.number})
        uow.commit()
    return show_inquiry(db, number, today=today)


def show_inquiry(db: Database, number: str, *, today: date) -> dict[str, Any]:
    with db.read_session() as s:
        case = case_by_number(s, number)
        row = s.execute(
            select(DualInquiryRecord, BacklogCaseRecord)
            .join(BacklogCaseRecord, BacklogCaseRecord.id == DualInquiryRecord.backlog_id)
            .where(DualInquiryRecord.case_id == case.id)
        ).first()
        if row is None:
            raise NotFoundError(f"信访事项 {case.number} 没有一事双查记录", field="number")
        inquiry, backlog = row
        return {
            "number": case.number,
            "petitioner": principal_name(s, case.id),
            "summary": case.summary,
            "backlog": {"detected_on": backlog.detected_on.isoformat(), "reason": backlog.reason},
            **_inquiry_json(inquiry, today),
        }


def inquiry_report(data: dict[str, Any]) -> str:
    """The printable text of a 一事双查 record (both parts, with deadlines)."""
    h, a = data["handling"], data["accountability"]

    def state(part: dict[str, Any]) -> str:
        if part["done_on"]:
            return f"已于{part['done_on']}完成"
        return "已逾期" if part["overdue"] else "待核查"

    pursued = {True: "已追究", False: "未追究", None: "—"}[a["pursued"]]
    return "\n".join(
        [
            "新增信访积案“一事双查”记录（R-BK-01）",
            f"信访事项：{data['number']}　信访人：{data['petitioner'] or '—'}",
            f"事项内容：{data['summary']}",
            f"列为积案：{data['backlog']['detected_on']}，{data['backlog']['reason']}",
            "",
            f"一、信访事项处理情况（期限 {h['due_on']}，{state(h)}）",
            f"  首办单位：{h['first_unit'] or '—'}　经办人：{h['handler'] or '—'}",
            f"  存在问题：{h['findings'] or '—'}",
            "",
            f"二、责任追究情况（期限 {a['due_on']}，{state(a)}）",
            f"  是否追责：{pursued}",
            f"  追责结果：{a['outcome'] or '—'}",
        ]
    )
