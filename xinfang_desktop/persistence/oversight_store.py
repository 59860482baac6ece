"""包片督案 (R-PK-05): the year's oversight assignments of city leaders and the backlog they oversee.

An assignment row names a leader (a registered leader, a role such as 市委专职副书记, or nobody), and a contact
unit: a unit of the register (counted by the cases' responsible unit and its sub-units) or a region (counted by
the cases' locality). A row without a count is a note row (e.g. 市人大常委会、市政协领导 / 负责城中村改造…).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.core.errors import FieldProblem, ValidationError
from xinfang_desktop.core.packages import normalise_name
from xinfang_desktop.persistence.data_scope import acting_scope_clause
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.reception_store import region_prefix
from xinfang_desktop.persistence.records import CaseRecord, LeaderRecord, RegionRecord, UnitRecord
from xinfang_desktop.persistence.records_packages import OversightAssignmentRecord
from xinfang_desktop.persistence.region_codes import find_region, region_level, region_name
from xinfang_desktop.persistence.uow import unit_of_work


@dataclass(frozen=True)
class OversightRowInput:
    """One row of an oversight table as written: 督查领导 (may be empty), 联系单位, 积案数 (empty on a note row)."""

    leader: str | None
    contact: str
    count: int | None
    source_row: int = 0  # the row of the file it came from, for messages


@dataclass(frozen=True)
class Assignment:
    row_order: int
    leader_id: int | None
    leader_text: str | None
    contact_text: str
    unit_id: int | None
    region_code: str | None
    imported_count: int | None

    @property
    def is_note(self) -> bool:
        return self.unit_id is None and self.region_code is None


def _check_year(year: int) -> None:
    if not 1990 <= year <= 2999:
        raise ValidationError([FieldProblem("year", "年度", f"无效的年度 {year}")])


def _gb2260_region(s: Any, name: str, near: str | None, regions: dict[str, str]) -> str | None:
    """A county, city or province named as the table writes it (景宁县 for 景宁畲族自治县), through the bundled
    GB/T 2260 table; added to the region register if it is not there yet (the contact of a city's table)."""
    code = find_region(name, near=near)
    if code is None:
        return None
    if code not in regions.values():
        parent = code[:4] + "00" if region_level(code) == "county" else code[:2] + "0000"
        known_parent = parent if parent != code and parent in regions.values() else None
        s.add(
            RegionRecord(code=code, name=region_name(code) or name, level=region_level(code), parent_code=known_parent)
        )
        s.flush()
        regions[region_name(code) or name] = code
    return code


@requires("import.run")
def import_assignments(
    db: Database, year: int, rows: Sequence[OversightRowInput], *, create_units: bool = False
) -> list[dict[str, Any]]:
    """Set up the year's assignments from a table (replacing the year's previous ones); all rows valid or none.

    A contact is a registered unit, a region of the register, or a county, city or province of GB/T 2260 (short
    forms included); with `create_units`, any other contact is registered as a unit in the same transaction."""
    _check_year(year)
    if not rows:
        raise ValidationError([FieldProblem("rows", "督查安排", "表中没有任何数据行")])
    problems: list[FieldProblem] = []
    for r in rows:
        where = f"第 {r.source_row} 行" if r.source_row else "数据行"
        if not r.contact.strip():
            problems.append(FieldProblem("contact", "联系单位", f"{where}：不能为空"))
        if r.count is not None and r.count < 0:
            problems.append(FieldProblem("count", "积案数", f"{where}：不能为负数"))
        if r.leader and len(r.leader) > 128:
            problems.append(FieldProblem("leader", "督查领导", f"{where}：不能超过128字"))
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db) as uow:
        s = uow.session
        leaders: dict[str, list[int]] = {}
        for lid, name in s.execute(select(LeaderRecord.id, LeaderRecord.name)).all():
            leaders.setdefault(normalise_name(name), []).append(lid)
        units = dict(s.execute(select(UnitRecord.name, UnitRecord.id)).all())
        regions = dict(s.execute(select(RegionRecord.name, RegionRecord.code)).all())
        near = s.scalar(select(RegionRecord.code).where(RegionRecord.level == "county").limit(1))
        created: list[str] = []
        records: list[OversightAssignmentRecord] = []
        for order, r in enumerate(rows, start=1):
            leader_text = normalise_name(r.leader or "") or None
            ids = leaders.get(leader_text or "", [])
            contact = r.contact.strip()
            unit_id = region_code = None
            if r.count is not None:  # a counted row needs a contact unit the ledger knows
                key = normalise_name(contact)
                unit_id = units.get(contact) or units.get(key)
                if unit_id is None:
                    region_code = regions.get(contact) or regions.get(key) or _gb2260_region(s, key, near, regions)
                if unit_id is None and region_code is None and create_units:
                    unit = UnitRecord(name=contact, created_at=uow.now)
                    s.add(unit)
                    s.flush()
                    unit_id = units[contact] = unit.id
                    created.append(contact)
                if unit_id is None and region_code is None:
                    problems.append(
                        FieldProblem(
                            "contact",
                            "联系单位",
                            f"第 {r.source_row or order} 行：“{contact}”既不是已登记的单位，也不是已知的行政区划"
                            "（可同时登记为单位：--create-units）",
                        )
                    )
            records.append(
                OversightAssignmentRecord(
                    year=year,
                    row_order=order,
                    leader_id=ids[0] if len(ids) == 1 else None,
                    leader_text=leader_text,
                    contact_text=contact,
                    unit_id=unit_id,
                    region_code=region_code,
                    imported_count=r.count,
                    created_at=uow.now,
                )
            )
        if problems:
            raise ValidationError(problems)
        replaced = len(
            s.scalars(select(OversightAssignmentRecord.id).where(OversightAssignmentRecord.year == year)).all()
        )
        s.execute(delete(OversightAssignmentRecord).where(OversightAssignmentRecord.year == year))
        s.add_all(records)
        s.flush()
        uow.audit.record(
            "import",
            "oversight_year",
            str(year),
            {
                "rows": len(records),
                "replaced": replaced,
                "total": sum(r.count or 0 for r in rows),
                "units_created": created,
            },
        )
        result = [_assignment_json(_assignment(rec)) for rec in records]
        uow.commit()
    return result


def _assignment(rec: OversightAssignmentRecord) -> Assignment:
    return Assignment(
        rec.row_order,
        rec.leader_id,
        rec.leader_text,
        rec.contact_text,
        rec.unit_id,
        rec.region_code,
        rec.imported_count,
    )


def _assignment_json(a: Assignment) -> dict[str, Any]:
    return {
        "row": a.row_order,
        "leader": a.leader_text,
        "leader_id": a.leader_id,
        "contact_unit": a.contact_text,
        "unit_id": a.unit_id,
        "region_code": a.region_code,
        "imported_count": a.imported_count,
        "note": a.is_note,
    }


def load_assignments(session: Session, year: int) -> list[Assignment]:
    recs = session.scalars(
        select(OversightAssignmentRecord)
        .where(OversightAssignmentRecord.year == year)
        .order_by(OversightAssignmentRecord.row_order)
    ).all()
    return [_assignment(r) for r in recs]


@dataclass(frozen=True)
class BacklogCase:
    case_id: int
    unit_id: int | None
    locality_code: str | None


def backlog_cases(session: Session, year: int) -> list[BacklogCase]:
    """The backlog (积案) of the year: cases flagged `is_backlog`, received by the end of the year, not closed."""
    scope = acting_scope_clause()  # issue 17: a scoped account's table counts its own backlog only
    rows = session.execute(
        select(CaseRecord.id, CaseRecord.responsible_unit_id, CaseRecord.locality_code).where(
            CaseRecord.is_backlog == True,  # noqa: E712 — `= 1` matches ix_cases_backlog; `IS 1` does not
            CaseRecord.received_on <= date(year, 12, 31),
            CaseRecord.status != CaseStatus.CLOSED.value,
            *([] if scope is None else [scope]),
        )
    ).all()
    return [BacklogCase(i, u, loc) for i, u, loc in rows]


def attribute(
    cases: Sequence[BacklogCase],
    assignments: Sequence[Assignment],
    unit_parent: dict[int, int | None],
    unit_region: dict[int, str | None],
) -> tuple[dict[int, int], int]:
    """Count each backlog case once: under the row of its responsible unit (or the nearest parent unit with a
    row), else under the row of the region of its locality (the most specific region), else under the row of
    its unit's region; the rest is unassigned. Returns (count per row order, unassigned)."""
    by_unit: dict[int, int] = {}
    for a in assignments:
        if a.unit_id is not None:
            by_unit.setdefault(a.unit_id, a.row_order)
    by_region = sorted(
        ((region_prefix(a.region_code), a.row_order) for a in assignments if a.region_code),
        key=lambda p: -len(p[0]),
    )
    counts = {a.row_order: 0 for a in assignments if not a.is_note}
    unassigned = 0

    def region_row(code: str | None) -> int | None:
        if not code:
            return None
        for prefix, order in by_region:
            if code.startswith(prefix):
                return order
        return None

    for c in cases:
        row: int | None = None
        unit = c.unit_id
        seen: set[int] = set()
        while unit is not None and unit not in seen and row is None:
            seen.add(unit)
            row = by_unit.get(unit)
            unit = unit_parent.get(unit)
        if row is None:
            row = region_row(c.locality_code)
        if row is None and c.unit_id is not None:
            row = region_row(unit_region.get(c.unit_id))
        if row is None:
            unassigned += 1
        else:
            counts[row] += 1
    return counts, unassigned


@dataclass(frozen=True)
class OversightData:
    year: int
    assignments: tuple[Assignment, ...]
    counts: dict[int, int]
    unassigned: int
    leader_posts: dict[int, str]


def oversight_data(db: Database, year: int) -> OversightData:
    _check_year(year)
    with db.read_session() as s:
        assignments = load_assignments(s, year)
        units = s.execute(select(UnitRecord.id, UnitRecord.parent_id, UnitRecord.region_code)).all()
        cases = backlog_cases(s, year)
        posts = dict(s.execute(select(LeaderRecord.id, LeaderRecord.post)).all())
    counts, unassigned = attribute(cases, assignments, {i: p for i, p, _ in units}, {i: r for i, _, r in units})
    return OversightData(year, tuple(assignments), counts, unassigned, posts)
