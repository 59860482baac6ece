"""The documents of an accountability case, issued from the record: the 责任追究建议书 at referral (R-AC-05) and the
追责情况通报 to the organisation and personnel departments once the outcome is fed back (S1 art 18)."""

from __future__ import annotations

from datetime import date
from typing import Any

from xinfang_desktop.documents.document_store import issue_document
from xinfang_desktop.persistence.accountability.store import (
    prepare_referral,
    prepare_report,
    record_referral,
    record_report,
    show_accountability,
)
from xinfang_desktop.persistence.database import Database


def refer(
    db: Database,
    number: str,
    *,
    to_organ: str,
    on: date,
    today: date,
    feedback_days: int | None = None,
    materials: tuple[str, ...] = (),
    copy_to: tuple[str, ...] | None = None,
    fmt: str = "pdf",
    user: str | None = None,
) -> dict[str, Any]:
    """Check the referral, issue the numbered 建议书 built from the record, then record the hand-over and the feedback
    deadline. Nothing is issued when the check fails."""
    plan = prepare_referral(
        db,
        number,
        to_organ=to_organ,
        on=on,
        today=today,
        feedback_days=feedback_days,
        materials=materials,
        copy_to=copy_to,
    )
    issued = issue_document(
        db, "accountability_recommendation", plan.document_input, fmt=fmt, case_number=plan.case_number, user=user
    )
    record_referral(db, plan, document_id=issued.id, user=user)
    return {**show_accountability(db, number, today=today), "document": issued.to_json()}


def report(
    db: Database, number: str, *, to: str, on: date, today: date, fmt: str = "pdf", user: str | None = None
) -> dict[str, Any]:
    """Issue the 追责情况通报 to the organisation and personnel departments and close the case."""
    data = prepare_report(db, number, to=to, on=on, today=today)
    issued = issue_document(
        db, "accountability_outcome_report", data, fmt=fmt, case_number=data["case_number"], user=user
    )
    record_report(db, number, on=on, document_id=issued.id, user=user)
    return {**show_accountability(db, number, today=today), "document": issued.to_json()}
