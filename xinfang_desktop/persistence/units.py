"""The register of units (事权单位 / 责任单位): add and list with audit entries; typed names resolved to it, and the
accused scope of a case (the accused units with every unit under them, R-LC-07)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from xinfang_desktop.core.accusation_guard import (
    AccusedScope,
    RegisterUnit,
    UnitRegister,
    accused_scope,
    refusal,
)
from xinfang_desktop.core.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.field_rules import check_text
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import AccusedUnitRecord, CaseRecord, RegionRecord, UnitRecord
from xinfang_desktop.persistence.uow import unit_of_work

UNIT_NAME_MAX = 128


@requires("settings.manage")
def add_unit(db: Database, name: str, *, parent: str | None = None, region: str | None = None) -> dict[str, Any]:
    problems = check_text("name", "单位名称", name, max_length=UNIT_NAME_MAX)
    if problems:
        raise ValidationError(problems)
    name = name.strip()
    with unit_of_work(db) as uow:
        s = uow.session
        if s.scalar(select(UnitRecord.id).where(UnitRecord.name == name)) is not None:
            raise ConflictError(f"单位“{name}”已登记", field="name")
        parent_id = None
        if parent:
            parent_id = s.scalar(select(UnitRecord.id).where(UnitRecord.name == parent.strip()))
            if parent_id is None:
                raise NotFoundError(f"未登记的上级单位“{parent}”", field="parent")
        if region and s.get(RegionRecord, region.strip()) is None:
            raise ValidationError([FieldProblem("region", "行政区划", f"未知的区划代码“{region}”")])
        record = UnitRecord(
            name=name, parent_id=parent_id, region_code=region.strip() if region else None, created_at=uow.now
        )
        s.add(record)
        s.flush()
        uow.audit.record("create", "unit", str(record.id), {"name": name})
        result = {"id": record.id, "name": name, "parent": parent, "region": record.region_code}
        uow.commit()
    return result


def list_units(db: Database) -> list[dict[str, Any]]:
    parent = aliased(UnitRecord)
    with db.read_session() as s:
        rows = s.execute(
            select(UnitRecord.id, UnitRecord.name, parent.name, UnitRecord.region_code)
            .outerjoin(parent, parent.id == UnitRecord.parent_id)
            .order_by(UnitRecord.id)
        ).all()
    return [{"id": i, "name": n, "parent": p, "region": r} for i, n, p, r in rows]


# ------------------------------------------------------------------------------------------------ the accusation guard


def load_register(session: Session) -> UnitRegister:
    """The register with its hierarchy and, for each unit, the county and city names its name may start with."""
    rows = session.execute(select(UnitRecord.id, UnitRecord.name, UnitRecord.parent_id, UnitRecord.region_code)).all()
    wanted = {c for *_, code in rows if code and len(code) >= 6 for c in (code[:6], code[:4] + "00")}
    names: dict[str, str] = {}
    if wanted:
        found = session.execute(
            select(RegionRecord.code, RegionRecord.name).where(
                RegionRecord.code.in_(wanted), RegionRecord.level.in_(("county", "city"))
            )
        )
        names = {code: name for code, name in found}
    units = []
    for unit_id, name, parent_id, code in rows:
        prefixes = tuple(
            n for c in ((code[:6], code[:4] + "00") if code and len(code) >= 6 else ()) if (n := names.get(c))
        )
        units.append(RegisterUnit(unit_id, name, parent_id, prefixes))
    return UnitRegister(tuple(units))


def resolve_unit(db: Database, typed: str) -> dict[str, Any]:
    """What a typed unit name refers to in the register (`unit resolve`, the intake picker's check)."""
    with db.read_session() as s:
        found = load_register(s).resolve(typed)
    unit = found.unit
    return {
        "typed": found.typed,
        "unit": {"id": unit.id, "name": unit.name} if unit else None,
        "candidates": [{"id": u.id, "name": u.name} for u in found.candidates],
        "ambiguous": found.ambiguous,
        "registered": unit is not None,
        "problem": found.problem(),
    }


def canonical_accused(
    register: UnitRegister, names: Sequence[str]
) -> tuple[tuple[str, ...], list[FieldProblem], list[str]]:
    """Accused units as typed at intake → the register's names (县公安局 → 示范县公安局), with problems and warnings.

    An ambiguous name is a problem (the clerk names the unit in full); a name not in the register stays as typed,
    with a warning: the guard then compares it by name only and cannot see the units under it.
    """
    out: list[str] = []
    problems: list[FieldProblem] = []
    warnings: list[str] = []
    for i, typed in enumerate(names):
        found = register.resolve(typed)
        problem = found.problem()
        if problem:
            problems.append(FieldProblem(f"accused_units[{i}]", "被控告单位", problem))
        elif found.unit is not None:
            out.append(found.unit.name)
        else:
            out.append(typed.strip())
            warnings.append(
                f"被控告单位“{typed.strip()}”不在单位名录中：只能按名称防止转送给该单位，无法识别其下属单位"
            )
    return tuple(dict.fromkeys(out)), problems, warnings


def accused_scope_of(session: Session, case_id: int, register: UnitRegister | None = None) -> AccusedScope:
    """The case's accused units and every unit under them in the register (R-LC-07); empty for other cases."""
    rows = session.execute(
        select(AccusedUnitRecord.name, AccusedUnitRecord.unit_id).where(AccusedUnitRecord.case_id == case_id)
    ).all()
    if not rows:
        return AccusedScope({})
    return accused_scope(register or load_register(session), [(n, i) for n, i in rows])


def case_accusation(session: Session, case_number: str) -> tuple[bool, AccusedScope] | None:
    """(is it an accusation case, its accused scope) for a stored case number; None when no such case is stored."""
    row = session.execute(
        select(CaseRecord.id, CaseRecord.is_accusation).where(CaseRecord.number == case_number)
    ).first()
    if row is None:
        return None
    scope = accused_scope_of(session, int(row[0]))
    return bool(row[1]) or bool(scope), scope


def unit_refusal(
    register: UnitRegister, scope: AccusedScope, typed: str, *, role: str = "接收或承办单位"
) -> str | None:
    """`refusal` for a unit named as typed on a form or document: every register unit the name may mean is checked."""
    found = register.resolve(typed)
    for unit in found.candidates or ():
        why = refusal(scope, unit.name, role=role)
        if why:
            return why
    return refusal(scope, typed, role=role)


def unit_register(db: Database) -> UnitRegister:
    """`load_register` in its own read session (the intake form's picker, the action dialog's check)."""
    with db.read_session() as s:
        return load_register(s)


def case_scope(db: Database, case_number: str) -> AccusedScope:
    """The accused scope of a stored case (empty for a case that accuses no unit, or no such case)."""
    with db.read_session() as s:
        found = case_accusation(s, case_number)
    return found[1] if found else AccusedScope({})
