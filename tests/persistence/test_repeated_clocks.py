"""A rule's clock can run twice on one case: an objection (异议退回) restarts R-DL-01, a review that orders a new
opinion (责令重新作出) restarts the handling clock; both instances are stored (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers import sample_case
from xinfang_desktop.core.actions import CaseAction as A
from xinfang_desktop.core.lifecycle import ActionRequest
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.lifecycle_store import act
from xinfang_desktop.persistence.records import CaseDeadlineRecord, CaseRecord
from xinfang_desktop.persistence.units import add_unit

D = date.fromisoformat
TODAY = D("2024-12-31")
UNITS = ("县自然资源局", "县住建局")


@pytest.fixture
def number(db: Any) -> str:
    for unit in UNITS:
        add_unit(db, unit)
    return add_case(db, sample_case(received_on="2024-09-02"), today=TODAY).registered.number


def step(db: Any, case: str, action: A, on: str, **params: Any) -> None:
    act(db, case, ActionRequest(action=action, on=D(on), **params), today=TODAY)


def clocks(db: Any, number: str, rule: str) -> list[tuple[date, date | None]]:
    with db.read_session() as s:
        case_id = s.scalar(select(CaseRecord.id).where(CaseRecord.number == number))
        rows = s.execute(
            select(CaseDeadlineRecord.start_on, CaseDeadlineRecord.met_on)
            .where(CaseDeadlineRecord.case_id == case_id, CaseDeadlineRecord.rule_id == rule)
            .order_by(CaseDeadlineRecord.start_on)
        )
        return [(start, met) for start, met in rows]


def test_an_objection_restarts_the_registration_clock(db: Any, number: str) -> None:
    step(db, number, A.FORWARD, "2024-09-03", unit=UNITS[0], number="县信转〔2024〕7号")
    step(db, number, A.RECEIPT, "2024-09-04")
    step(db, number, A.OBJECT, "2024-09-05", reason="该事项属县住建局职权")  # raised IntegrityError before 0007
    first, second = clocks(db, number, "R-DL-01")
    assert first[1] is not None and second == (D("2024-09-05"), None)
    step(db, number, A.FORWARD, "2024-09-06", unit=UNITS[1], number="县信转〔2024〕8号")
    assert all(met is not None for _, met in clocks(db, number, "R-DL-01"))


def test_a_review_ordering_a_new_opinion_restarts_handling(db: Any, number: str) -> None:
    step(db, number, A.ACCEPT, "2024-09-03", unit=UNITS[0])
    step(db, number, A.CONCLUDE, "2024-09-20", outcome="不予支持")
    step(db, number, A.DELIVER, "2024-09-21")
    step(db, number, A.REQUEST_REVIEW, "2024-09-25")
    before = clocks(db, number, "R-DL-06")
    step(db, number, A.REVIEW_DECISION, "2024-10-15", outcome="责令重新作出")  # raised IntegrityError before 0007
    after = clocks(db, number, "R-DL-06")
    assert len(after) == len(before) + 1 and after[-1][1] is None
