"""Batches of case documents: each case numbered and stored on its own, refusals collected, cancel keeps the done."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from tests.helpers import sample_case
from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.lifecycle import ActionRequest
from xinfang_desktop.documents.batch import issue_for_cases
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.lifecycle_store import act

TODAY = date(2026, 11, 22)


def _accepted_cases(db: Any, n: int) -> list[str]:
    numbers = []
    for _ in range(n):
        number = add_case(db, sample_case(), today=TODAY).registered.number
        act(db, number, ActionRequest(CaseAction.ACCEPT, date(2026, 11, 21)), today=TODAY)
        numbers.append(number)
    return numbers


def test_batch_issues_each_case_and_reports_refusals(sqlite_db: Any) -> None:
    numbers = _accepted_cases(sqlite_db, 3)
    unaccepted = add_case(sqlite_db, sample_case(), today=TODAY).registered.number
    seen: list[tuple[int, int]] = []
    result = issue_for_cases(
        sqlite_db,
        "acceptance_notice",
        [*numbers, unaccepted, "XF2026-999999"],
        today=TODAY,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [d.case_number for d in result.issued] == numbers
    assert len({d.number for d in result.issued}) == 3
    assert all(d.path.is_file() for d in result.issued)
    assert set(result.refused) == {unaccepted, "XF2026-999999"}
    assert "受理" in result.refused[unaccepted]
    assert seen[-1] == (5, 5) and not result.cancelled


def test_cancel_keeps_what_was_issued(sqlite_db: Any) -> None:
    numbers = _accepted_cases(sqlite_db, 4)
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 2:
            cancel.set()

    result = issue_for_cases(sqlite_db, "acceptance_notice", numbers, today=TODAY, progress=progress, cancel=cancel)
    assert result.cancelled and [d.case_number for d in result.issued] == numbers[:2]
