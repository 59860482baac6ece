"""The 书面说明通知 under a warning slip (R-WS-03/04): one notice per explanation still owed, issued once each.

The notices are recorded in the slip's evidence JSON under `warning_reads.NOTICES_KEY` (no schema change).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.codes import OfficeLevel
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.warnings_rules import Addressee
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import CaseRecord
from xinfang_desktop.persistence.records_warnings import WarningExplanationRecord, WarningSlipRecord
from xinfang_desktop.persistence.uow import unit_of_work
from xinfang_desktop.persistence.warning_reads import NOTICES_KEY, find_slip, slip_detail
from xinfang_desktop.persistence.warning_slips import DOC_LEVEL, Issuer, slip_header


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
        **slip_header(s, case),
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


@requires("case.supervise")
def notify_explanations(
    db: Database, slip_no: str, *, today: date, issue: Issuer, user: str | None = None
) -> dict[str, Any]:
    """Issue the 书面说明通知 (R-WS-03/04) for every explanation of the slip still owed that has no notice yet.

    Each notice is numbered, rendered and stored by `issue`, then recorded on the slip (which explanation, which
    number) with an audit entry, one at a time: running it again issues only what is still missing."""
    calendar = load_calendar(db)
    with db.read_session() as s:
        slip = find_slip(s, slip_no)
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
            slip = find_slip(uow.session, slip_number)
            evidence = json.loads(slip.evidence)
            evidence.setdefault(NOTICES_KEY, {})[str(seq)] = notice
            slip.evidence = json.dumps(evidence, ensure_ascii=False)
            uow.audit.record("notify", "warning_explanation", f"{slip_number}/{seq}", {"document": document.number})
            uow.commit()
        issued.append({"seq": seq, **notice})
    return {**slip_detail(db, slip_number, today=today), "notified": issued}
