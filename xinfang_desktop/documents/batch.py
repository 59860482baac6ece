"""Batches of case documents (e.g. every 受理告知书 of the day): one transaction per document, progress and cancel.

A batch never stops at the first bad case: each case either gets its numbered, stored document or a reason why not,
and a cancelled batch keeps what it already issued (each document is complete on its own).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.documents.case_documents import input_from_case
from xinfang_desktop.documents.document_store import IssuedDocument, issue_document, office_info
from xinfang_desktop.documents.types import spec
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds

Progress = Callable[[int, int], None]


@dataclass
class BatchResult:
    issued: list[IssuedDocument] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # case number → the reason in Chinese
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "issued": [{"case": d.case_number, "number": d.number, "path": str(d.path)} for d in self.issued],
            "refused": self.refused,
            "cancelled": self.cancelled,
        }


def issue_for_cases(
    db: Database,
    type_id: str,
    case_numbers: Sequence[str],
    *,
    today: date,
    fmt: str = "pdf",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> BatchResult:
    """Issue one document of `type_id` for each case, in order; fonts, office and calendar are loaded once."""
    spec(type_id)
    office = office_info(db)
    calendar, thresholds = load_calendar(db), deadline_thresholds(db)
    result = BatchResult()
    total = len(case_numbers)
    for done, number in enumerate(case_numbers):
        if cancel is not None and cancel.is_set():
            result.cancelled = True
            break
        try:
            with db.read_session() as session:
                data, event_seq = input_from_case(
                    session, type_id, number, today=today, calendar=calendar, thresholds=thresholds, office=office
                )
            result.issued.append(
                issue_document(db, type_id, data, fmt=fmt, office=office, case_number=number, event_seq=event_seq)
            )
        except DomainError as exc:
            result.refused[number] = exc.message
        if progress is not None:
            progress(done + 1, total)
    return result
