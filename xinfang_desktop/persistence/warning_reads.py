"""The read side of warning slips (R-WS-01…04): a slip with its explanations and notices, the list, workbench counts.

Explanation statuses are computed as of the `today` passed in, so an explanation not yet marked overdue by the tick
still reads as overdue (with its candidate accountability ground, R-AC-01) once its due date has passed.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.codes import OfficeLevel
from xinfang_desktop.core.errors import NotFoundError
from xinfang_desktop.core.warnings_rules import (
    Addressee,
    ExplanationStatus,
    WarningTrigger,
    accountability_ground,
    explanation_status,
)
from xinfang_desktop.persistence.backlog_store import principal_name
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import CaseRecord
from xinfang_desktop.persistence.records_warnings import WarningExplanationRecord, WarningSlipRecord

#: The 书面说明通知 issued under a slip live in the slip's evidence JSON under this key: explanation seq → notice
#: ({number, document_id, issued_on}); no schema change, and `_slip_json` shows them per explanation, not as evidence.
NOTICES_KEY = "explanation_notices"


def find_slip(session: Session, slip_no: str) -> WarningSlipRecord:
    """The slip with this number (surrounding spaces ignored); NotFoundError if there is none."""
    slip = session.scalar(select(WarningSlipRecord).where(WarningSlipRecord.number == slip_no.strip()))
    if slip is None:
        raise NotFoundError(f"未找到预警单 {slip_no}", field="slip")
    return slip


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
        return _slip_json(s, find_slip(s, slip_no), today)


def list_slips(db: Database, *, today: date) -> list[dict[str, Any]]:
    """Every slip with its explanations (due date, addressee, status as of `today`), newest first."""
    with db.read_session() as s:
        slips = s.scalars(
            select(WarningSlipRecord).order_by(WarningSlipRecord.issued_on.desc(), WarningSlipRecord.id.desc())
        )
        return [_slip_json(s, slip, today) for slip in slips]


def owed_explanation_counts(session: Session, *, today: date) -> tuple[int, int]:
    """(owed, overdue) written explanations of warned units (R-WS-03/04), for the workbench: index reads only."""
    open_ = WarningExplanationRecord.received_on.is_(None)
    owed = session.scalar(select(func.count()).where(open_)) or 0
    overdue = session.scalar(select(func.count()).where(open_, WarningExplanationRecord.due_on < today)) or 0
    return int(owed), int(overdue)
