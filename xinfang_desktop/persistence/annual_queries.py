"""The figures of the annual report to the level above (R-AS-04, 条例 art 41) that the period statistics do not hold:
the cases of the year by content category and by responsible or accused organ, the handling steps taken on them,
and the accountability recommendations made in the year with their feedback.

The cases are those received in the year (`ix_cases_received`); their events are reached through the case
(`case_events` by case), so nothing walks the whole event log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.persistence.accountability.records import AccountabilityRecord
from xinfang_desktop.persistence.records import (
    AccusedUnitRecord,
    CaseEventRecord,
    CaseRecord,
    CategoryRecord,
    UnitRecord,
)

HANDLING_ACTIONS = (
    CaseAction.ACCEPT,
    CaseAction.SIMPLIFIED_ACCEPT,
    CaseAction.FORWARD,
    CaseAction.ASSIGN,
    CaseAction.SUPERVISE,
    CaseAction.URGE,
    CaseAction.CONCLUDE,
    CaseAction.SIMPLIFIED_CONCLUDE,
    CaseAction.REQUEST_REVIEW,
    CaseAction.REQUEST_FINAL_REVIEW,
)


@dataclass(frozen=True)
class Recommendation:
    """A 责任追究建议 made in the year: to whom, about which unit, and the feedback (adopted when it came back)."""

    number: str
    subject_unit: str
    referred_to: str | None
    referred_on: date | None
    feedback_on: date | None
    feedback_outcome: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "subject_unit": self.subject_unit,
            "referred_to": self.referred_to,
            "referred_on": self.referred_on.isoformat() if self.referred_on else None,
            "feedback_on": self.feedback_on.isoformat() if self.feedback_on else None,
            "feedback_outcome": self.feedback_outcome,
            "adopted": self.feedback_on is not None,
        }


def cases_received(session: Session, start: date, end: date) -> int:
    stmt = select(func.count()).select_from(CaseRecord).where(CaseRecord.received_on.between(start, end))
    return int(session.execute(stmt).scalar_one())


def cases_by_category(session: Session, start: date, end: date) -> list[tuple[str, int]]:
    """Cases per top-level content category, most first (None: 未分类)."""
    stmt = (
        select(CaseRecord.category_code, func.count())
        .where(CaseRecord.received_on.between(start, end))
        .group_by(CaseRecord.category_code)
    )
    counts = dict(session.execute(stmt).all())
    rows = session.execute(select(CategoryRecord.code, CategoryRecord.parent_code, CategoryRecord.name)).all()
    parent = {str(c): p for c, p, _ in rows}
    names = {str(c): str(n) for c, _, n in rows}
    folded: dict[str, int] = {}
    for code, n in counts.items():
        root = code
        for _ in range(10):
            if root is None or parent.get(root) is None:
                break
            root = parent[root]
        name = names.get(root, "未分类") if root is not None else "未分类"
        folded[name] = folded.get(name, 0) + int(n)
    return sorted(folded.items(), key=lambda item: (-item[1], item[0]))


def cases_by_unit(session: Session, start: date, end: date, limit: int = 10) -> list[tuple[str, int]]:
    """The responsible units with the most cases of the year."""
    stmt = (
        select(UnitRecord.name, func.count())
        .join_from(CaseRecord, UnitRecord, UnitRecord.id == CaseRecord.responsible_unit_id)
        .where(CaseRecord.received_on.between(start, end))
        .group_by(UnitRecord.name)
        .order_by(func.count().desc(), UnitRecord.name)
        .limit(limit)
    )
    return [(str(n), int(c)) for n, c in session.execute(stmt).all()]


def accused_units(session: Session, start: date, end: date, limit: int = 10) -> list[tuple[str, int]]:
    """The organs most accused (揭发控告) in the cases of the year."""
    stmt = (
        select(AccusedUnitRecord.name, func.count())
        .join_from(AccusedUnitRecord, CaseRecord, CaseRecord.id == AccusedUnitRecord.case_id)
        .where(CaseRecord.received_on.between(start, end))
        .group_by(AccusedUnitRecord.name)
        .order_by(func.count().desc(), AccusedUnitRecord.name)
        .limit(limit)
    )
    return [(str(n), int(c)) for n, c in session.execute(stmt).all()]


def handling_steps(session: Session, start: date, end: date) -> dict[str, int]:
    """Per handling action, the cases of the year it was taken on (each case once per action)."""
    e = CaseEventRecord
    wanted = [a.value for a in HANDLING_ACTIONS]
    stmt = (
        select(e.action, func.count(func.distinct(e.case_id)))
        .join_from(CaseRecord, e, and_(e.case_id == CaseRecord.id, e.action.in_(wanted)))
        .where(CaseRecord.received_on.between(start, end))
        .group_by(e.action)
    )
    return {str(a): int(n) for a, n in session.execute(stmt).all()}


def recommendations(session: Session, start: date, end: date) -> list[Recommendation]:
    """The accountability cases referred in the year (责任追究建议), in order."""
    a = AccountabilityRecord
    stmt = (
        select(a.number, a.subject_unit, a.referred_to, a.referred_on, a.feedback_on, a.feedback_outcome)
        .where(a.referred_on.is_not(None), a.referred_on >= start, a.referred_on <= end)
        .order_by(a.referred_on, a.number)
    )
    return [Recommendation(*row) for row in session.execute(stmt).all()]
