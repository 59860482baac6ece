"""Detection hooks of issue 8: R-WS-01 candidates, the explanations owed under a slip, the visit scan and the tick.

`scan_case` runs after every registered submission and `tick_warnings` over every case that may need it (see
`warnings_store`); in the same unit of work both also record a new backlog case with its 一事双查 (R-CL-05, R-BK-01)
and a 三方会审 (R-BK-02), through `backlog_store.sync_backlog` and `reviews_store.sync_reviews`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.core.warnings_rules import (
    Addressee,
    ExplanationStatus,
    TriggerEvidence,
    Visit,
    WarningPolicy,
    accountability_ground,
    explanations_owed,
    warning_trigger,
)
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence import warning_index
from xinfang_desktop.persistence.backlog_store import (
    backlog_candidate_ids,
    case_by_number,
    case_visits,
    close_resolved,
    policy_for,
    principal_name,
    sync_backlog,
)
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import CasePetitionerRecord, CaseRecord, PetitionerRecord
from xinfang_desktop.persistence.records_warnings import WarningExplanationRecord, WarningSlipRecord
from xinfang_desktop.persistence.reviews_store import review_candidate_ids, sync_reviews
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import SqlUnitOfWork, unit_of_work
from xinfang_desktop.persistence.warning_index import visits_by_case

BATCH = 200  # cases per unit of work in the tick: bounded transactions on a large ledger

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


def tick_warnings(
    db: Database, *, today: date, user: str | None = None, repair: bool = True, first: int | None = None
) -> dict[str, Any]:
    """Time-driven changes of issue 8 (for `xinfang tick`); idempotent, in batches of one transaction each.

    Writes only where something may follow (cases with a slip, backlog and review candidates); the R-WS-01
    candidates (every case meeting the trigger with no slip yet, with the evidence) are computed read-only in bulk.
    `repair` rebuilds the warning-trigger index first (a visit whose scan failed after its intake is caught there;
    seconds on a million cases: `xinfang tick --full` and the demo, not the daily run, which rebuilds only for a new
    policy). `first`: the evidence of the first `first` candidates only (their total under `counts`, issue 19).
    """
    calendar = load_calendar(db)
    warning_index.ensure(db, force=repair)
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
    total, summary["candidates"] = _candidates(db, today=today, first=first)
    summary["counts"] = {"candidates": total}
    return summary


def scan(
    db: Database, *, today: date, user: str | None = None, repair: bool = True, first: int | None = None
) -> dict[str, Any]:
    """`xinfang warn scan`: the candidates for a slip (R-WS-01, with the evidence) and what the tick recorded."""
    return tick_warnings(db, today=today, user=user, repair=repair, first=first)


# --- candidates (read-only) --------------------------------------------------------------------------------------


def candidates(db: Database, *, today: date) -> list[dict[str, Any]]:
    """Read-only: every case that meets R-WS-01 and has no slip yet, with the evidence, in the order met."""
    return _candidates(db, today=today)[1]


def _candidates(db: Database, *, today: date, first: int | None = None) -> tuple[int, list[dict[str, Any]]]:
    """How many cases meet R-WS-01 with no slip yet, and the first `first` of them (None: all) in the order met."""
    warning_index.ensure(db)
    with db.read_session() as s:
        total, ids = warning_index.candidate_ids(s, today=today, first=first)
        return total, _bulk_candidates(s, ids, today=today, policy=policy_for(s))


def candidate_page(db: Database, *, today: date, newest: int) -> dict[str, Any]:
    """How many cases meet R-WS-01 with no slip yet, and the `newest` of them with their evidence, newest first
    (for the 预警与积案 section: an index read however large the ledger)."""
    warning_index.ensure(db)
    with db.read_session() as s:
        total, ids = warning_index.candidate_ids(s, today=today, newest=newest)
        items = _bulk_candidates(s, ids, today=today, policy=policy_for(s))
    return {"total": total, "items": list(reversed(items))}
