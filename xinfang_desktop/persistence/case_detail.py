"""Read side of one case: the case with petitioners, submissions, events and deadlines, as a plain snapshot."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.actions import action_label
from xinfang_desktop.core.codes import (
    CaseStatus,
    Channel,
    Destination,
    IdType,
    OfficeLevel,
    PetitionerRole,
    Purpose,
)
from xinfang_desktop.core.deadlines import deadline_status
from xinfang_desktop.core.errors import NotFoundError
from xinfang_desktop.core.masking import mask_id_number, mask_phone
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.data_scope import require_case_in_scope
from xinfang_desktop.persistence.records import (
    AccusedUnitRecord,
    AttachmentRecord,
    CaseDeadlineRecord,
    CaseEventRecord,
    CasePetitionerRecord,
    CaseRecord,
    CategoryRecord,
    PetitionerRecord,
    RegionRecord,
    SubmissionRecord,
    UnitRecord,
    UserRecord,
)
from xinfang_desktop.persistence.rule_profile_store import DeadlineThresholds


def _label(enum: Any, value: str | None) -> str | None:
    return enum(value).label if value else None


def _name(session: Session, record: Any, column: Any, key: Any) -> str | None:
    return session.scalar(select(column).where(record == key)) if key is not None else None


def case_events(session: Session, case_id: int) -> list[dict[str, Any]]:
    """The timeline in order (R-LC-04): who did what, when, why, and the document produced."""
    rows = session.execute(
        select(CaseEventRecord, UserRecord.display_name)
        .join(UserRecord, UserRecord.id == CaseEventRecord.actor_id)
        .where(CaseEventRecord.case_id == case_id)
        .order_by(CaseEventRecord.seq)
    ).all()
    return [
        {
            "seq": e.seq,
            "action": e.action,
            "action_label": action_label(e.action),
            "date": e.occurred_on.isoformat(),
            "recorded_at": e.recorded_at.isoformat(timespec="seconds"),
            "actor": actor,
            "from_status": _label(CaseStatus, e.from_status),
            "to_status": _label(CaseStatus, e.to_status),
            "reason": e.reason,
            "details": json.loads(e.details) if e.details else {},
            "document": e.document,
        }
        for e, actor in rows
    ]


def case_detail(
    session: Session,
    number: str,
    *,
    today: date,
    calendar: WorkdayCalendar,
    thresholds: DeadlineThresholds,
    reveal: bool = False,
) -> dict[str, Any]:
    """The case as a snapshot; the petitioners' ID numbers and phones masked unless `reveal` (issue 17: the caller
    has checked personal.reveal and audited the view — persistence.personal_data.reveal_case)."""
    case = session.scalar(select(CaseRecord).where(CaseRecord.number == number))
    if case is None:
        raise NotFoundError(f"未找到信访事项 {number}", field="number")
    require_case_in_scope(session, case.id, number)  # issue 17: a case outside the user's data scope is not shown
    people = session.execute(
        select(PetitionerRecord, CasePetitionerRecord.role)
        .join(CasePetitionerRecord, CasePetitionerRecord.petitioner_id == PetitionerRecord.id)
        .where(CasePetitionerRecord.case_id == case.id)
        .order_by(CasePetitionerRecord.position)
    ).all()
    submissions = session.scalars(
        select(SubmissionRecord).where(SubmissionRecord.case_id == case.id).order_by(SubmissionRecord.seq)
    ).all()
    deadlines = session.scalars(
        select(CaseDeadlineRecord).where(CaseDeadlineRecord.case_id == case.id).order_by(CaseDeadlineRecord.start_on)
    ).all()
    accused = session.scalars(select(AccusedUnitRecord.name).where(AccusedUnitRecord.case_id == case.id)).all()
    return {
        "id": case.id,
        "number": case.number,
        "status": CaseStatus(case.status).label,
        "status_code": case.status,
        "awaiting": case.awaiting,  # receipt | delivery | rating | None
        "channel": Channel(case.channel).label,
        "purpose": Purpose(case.purpose).label,
        "received_on": case.received_on.isoformat(),
        "last_received_on": case.last_received_on.isoformat(),
        "registered_at": case.registered_at.isoformat(timespec="seconds"),
        "category": _name(session, CategoryRecord.code, CategoryRecord.name, case.category_code),
        "category_code": case.category_code,
        "locality": _name(session, RegionRecord.code, RegionRecord.name, case.locality_code),
        "locality_code": case.locality_code,
        "responsible_unit": _name(session, UnitRecord.id, UnitRecord.name, case.responsible_unit_id),
        "summary": case.summary,
        "headcount": case.headcount,
        "batches": case.batches,
        "person_visits": case.person_visits,
        "flags": {
            "collective": case.is_collective,
            "repeat": case.is_repeat,
            "level_skipping": case.is_level_skipping,
            "first_submission": case.is_first_submission,
            "backlog": case.is_backlog,
            "accusation": case.is_accusation,
        },
        "accused_units": list(accused),
        "petitioners": [
            {
                "name": p.name,
                "role": PetitionerRole(role).label,
                "id_type": IdType(p.id_type).label,
                "id_number": p.id_number if reveal else mask_id_number(p.id_number),
                "phone": p.phone if reveal else mask_phone(p.phone),
                "address": p.address,
            }
            for p, role in people
        ],
        "personal_data": "revealed" if reveal else "masked",
        "submissions": [
            {
                "seq": s.seq,
                "channel": Channel(s.channel).label,
                "received_on": s.received_on.isoformat(),
                "level": OfficeLevel(s.level).label,
                "destination": _label(Destination, s.destination),
                "headcount": s.headcount,
                "abnormal": s.is_abnormal,
                "level_skipping": s.is_level_skipping,
                "level_skipping_reason": s.level_skipping_reason,
                "external_number": s.external_number,  # 信访件编号 of the national system (imports, issue 15)
            }
            for s in submissions
        ],
        "deadlines": [_deadline_json(d, today, calendar, thresholds) for d in deadlines],
        "events": case_events(session, case.id),
        "attachments": [
            {"name": a.name, "type": a.media_type, "size": a.size, "sha256": a.sha256}
            for a in session.scalars(
                select(AttachmentRecord).where(AttachmentRecord.case_id == case.id).order_by(AttachmentRecord.id)
            )
        ],
    }


def _deadline_json(
    d: CaseDeadlineRecord, today: date, calendar: WorkdayCalendar, thresholds: DeadlineThresholds
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule": d.rule_id,
        "start_event": d.start_event,
        "start": d.start_on.isoformat(),
        "due": d.due_on.isoformat(),
        "provisional": d.provisional,
        "explanation": d.explanation,
        "met_on": d.met_on.isoformat() if d.met_on else None,
    }
    if d.met_on is None:
        status = deadline_status(
            d.due_on,
            today,
            calendar,
            due_soon_workdays=thresholds.due_soon_workdays,
            seriously_overdue_days=thresholds.seriously_overdue_days,
        )
        data["state"] = status.state.value
        data["state_label"] = status.label
    return data
