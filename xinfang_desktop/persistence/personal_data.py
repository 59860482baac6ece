"""Full views of personal data (issue 17): personal.reveal checked, the reason kept, one audit entry per view."""

from __future__ import annotations

from datetime import date
from typing import Any

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.masking import MASKED_FIELDS, check_reveal_reason
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import require
from xinfang_desktop.persistence.rule_profile_store import DeadlineThresholds
from xinfang_desktop.persistence.uow import unit_of_work

#: The audit action of a full view of personal data (kept the longer retention, issue 17).
REVEAL_ACTION = "personal.reveal"


def _permitted_reason(reason: str | None) -> str:
    require(REVEAL_ACTION)
    try:
        return check_reveal_reason(reason)
    except ValueError as exc:
        raise DomainError(str(exc), field="reason") from exc


def audit_reveal(db: Database, entity: str, entity_id: str, reason: str | None, *, fields: list[str]) -> None:
    """Check and record a full view or export of personal data that is not one case (an export of a period)."""
    why = _permitted_reason(reason)
    with unit_of_work(db) as uow:
        uow.audit.record(REVEAL_ACTION, entity, entity_id, {"reason": why, "fields": fields})
        uow.commit()


def reveal_case(
    db: Database,
    number: str,
    reason: str | None,
    *,
    today: date,
    calendar: WorkdayCalendar,
    thresholds: DeadlineThresholds,
) -> dict[str, Any]:
    """The case detail with full ID numbers and phones; refused (AccessDenied) without personal.reveal, refused
    (DomainError) without a reason; the view is audited in the same transaction that reads it."""
    from xinfang_desktop.persistence.case_detail import case_detail

    why = _permitted_reason(reason)
    with unit_of_work(db) as uow:
        detail = case_detail(uow.session, number, today=today, calendar=calendar, thresholds=thresholds, reveal=True)
        shown = sorted({label for p in detail["petitioners"] for key, label in MASKED_FIELDS.items() if p.get(key)})
        uow.audit.record(
            REVEAL_ACTION, "case", number, {"reason": why, "fields": shown, "people": len(detail["petitioners"])}
        )
        uow.commit()
    return detail
