"""Read-side queries of the accountability records: lost honours eligibility per year (S3 art 14) for the ranking and
the assessment, and the history of a person or a unit across years (into the leader's 信访工作实绩档案)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.accountability import Measure, Responsibility
from xinfang_desktop.persistence.accountability.records import (
    AccountabilityPersonRecord,
    AccountabilityRecord,
    AccountabilityStepRecord,
)
from xinfang_desktop.persistence.database import Database


@dataclass(frozen=True)
class HonoursLoss:
    """A unit (and its region) that lost this year's eligibility for comprehensive honours, and why."""

    unit: str
    unit_id: int | None
    region_code: str | None
    accountability: str
    person: str
    decided_on: str

    def to_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "unit_id": self.unit_id,
            "region_code": self.region_code,
            "accountability": self.accountability,
            "person": self.person,
            "decided_on": self.decided_on,
            "reason": f"{self.person}于{self.decided_on}受到诫勉（追责事项{self.accountability}）",
        }


def honours_losses(session: Session, year: int) -> list[HonoursLoss]:
    """S3 art 14: every 诫勉 decided in `year` costs the accountability case's unit (and region) that year's
    eligibility. One row per (unit, accountability case), the earliest 诫勉 first."""
    a, p, st = AccountabilityRecord, AccountabilityPersonRecord, AccountabilityStepRecord
    rows = session.execute(
        select(a.subject_unit, a.unit_id, a.region_code, a.number, p.name, st.decided_on)
        .join(p, p.accountability_id == a.id)
        .join(st, st.person_id == p.id)
        .where(st.measure == Measure.ADMONISH.value, extract("year", st.decided_on) == year)
        .order_by(st.decided_on, a.number)
    ).all()
    seen: set[tuple[str, str]] = set()
    out: list[HonoursLoss] = []
    for unit, unit_id, region, number, person, decided_on in rows:
        if (unit, number) in seen:
            continue
        seen.add((unit, number))
        out.append(HonoursLoss(unit, unit_id, region, number, person, decided_on.isoformat()))
    return out


def honours_lost(db: Database, year: int) -> dict[str, Any]:
    with db.read_session() as s:
        losses = honours_losses(s, year)
    return {"year": year, "total": len(losses), "rows": [x.to_json() for x in losses]}


def history(db: Database, *, person: str | None = None, unit: str | None = None) -> dict[str, Any]:
    """Every accountability of a person (by name, optionally narrowed by unit) or of a unit, across years."""
    a, p = AccountabilityRecord, AccountabilityPersonRecord
    q = select(a, p).join(p, p.accountability_id == a.id).order_by(a.year.desc(), a.number.desc(), p.id)
    if person:
        q = q.where(p.name == person.strip())
    if unit:
        q = q.where((a.subject_unit == unit.strip()) | (p.unit == unit.strip()))
    rows: list[dict[str, Any]] = []
    with db.read_session() as s:
        for acc, per in s.execute(q).all():
            steps = s.scalars(
                select(AccountabilityStepRecord)
                .where(AccountabilityStepRecord.person_id == per.id)
                .order_by(AccountabilityStepRecord.seq)
            ).all()
            rows.append(
                {
                    "year": acc.year,
                    "accountability": acc.number,
                    "subject_unit": acc.subject_unit,
                    "name": per.name,
                    "post": per.post,
                    "unit": per.unit,
                    "leader_id": per.leader_id,
                    "responsibility": Responsibility(per.responsibility).label,
                    "measures": [Measure(st.measure).label for st in steps],
                    "outcome": per.outcome_measure,
                    "outcome_on": per.outcome_on.isoformat() if per.outcome_on else None,
                }
            )
    years = sorted({int(r["year"]) for r in rows}, reverse=True)
    return {"person": person, "unit": unit, "total": len(rows), "years": years, "rows": rows}


def leader_accountabilities(session: Session, leader_id: int, start_year: int, end_year: int) -> list[dict[str, Any]]:
    """A registered leader's accountabilities in a span of years (for the 信访工作实绩档案)."""
    a, p = AccountabilityRecord, AccountabilityPersonRecord
    rows = session.execute(
        select(a.number, a.year, a.subject_unit, p.responsibility, p.outcome_measure)
        .join(p, p.accountability_id == a.id)
        .where(p.leader_id == leader_id, a.year >= start_year, a.year <= end_year)
        .order_by(a.year, a.number)
    ).all()
    return [
        {
            "accountability": n,
            "year": y,
            "subject_unit": u,
            "responsibility": Responsibility(r).label,
            "outcome": o,
        }
        for n, y, u, r, o in rows
    ]
