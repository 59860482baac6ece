"""联系点 (R-RC-06, S4 §3): the places and units each leader is tied to for a year, by the division of work — entered,
listed and removed (audited), and read by duty compliance so that a 督导 visit counts only when made there."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.duties import ContactPoints
from xinfang_desktop.core.errors import ConflictError, DomainError, NotFoundError, ValidationError
from xinfang_desktop.core.field_rules import check_text
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.duties.queries import (
    Carriers,
    find_leader,
    leader_name,
    load_carriers,
    resolve_township,
)
from xinfang_desktop.persistence.duties.records import LeaderContactPointRecord
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.uow import unit_of_work

EARLIEST_YEAR, LATEST_YEAR = 2000, 2199
REASON_MAX = 2000


def _check_year(year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DomainError(f"年度应在 {EARLIEST_YEAR}—{LATEST_YEAR} 之间：{year}", field="year")


def resolve_place(carriers: Carriers, *, unit: str | None, township: str | None) -> tuple[int | None, str | None]:
    """(unit_id, region_code) of the place named: a township by name, code or its government unit; else any unit."""
    unit, township = (unit or "").strip() or None, (township or "").strip() or None
    if bool(unit) == bool(township):
        raise DomainError("联系点须指定一个单位（--unit）或一个乡镇（街道）（--township）", field="unit")
    if township is not None:
        return None, resolve_township(carriers, township)[0]
    assert unit is not None
    key = "".join(unit.split())
    townships = {"".join(n.split()) for n in [*carriers.township_units, *(n for _, n in carriers.townships)]}
    if key in townships:  # a township named where a unit was asked for (the GUI offers both in one list)
        return None, resolve_township(carriers, unit)[0]
    found = carriers.all_units.get(key)
    if found is None:
        raise NotFoundError(f"未登记的单位“{unit}”（请先在单位名录中登记）", field="unit")
    return found, None


def load_contact_points(session: Session, carriers: Carriers, years: Iterable[int]) -> ContactPoints:
    """subject key "leader:<id>" → year → the place keys of that leader's contact points."""
    cp = LeaderContactPointRecord
    out: dict[str, dict[int, set[str]]] = {}
    rows = session.execute(select(cp.leader_id, cp.year, cp.unit_id, cp.region_code).where(cp.year.in_(set(years))))
    for leader_id, year, unit_id, region in rows:
        key = carriers.place_key(unit_id, region)
        if key is not None:
            out.setdefault(f"leader:{leader_id}", {}).setdefault(int(year), set()).add(key)
    return {k: {y: frozenset(v) for y, v in years_.items()} for k, years_ in out.items()}


def _point_json(carriers: Carriers, rec: LeaderContactPointRecord) -> dict[str, Any]:
    leader = next((ld for ld in carriers.leaders if ld[0] == rec.leader_id), None)
    key = carriers.place_key(rec.unit_id, rec.region_code)
    kind = key.partition(":")[0] if key else None
    return {
        "id": rec.id,
        "year": rec.year,
        "leader_id": rec.leader_id,
        "leader": leader_name(leader[1], leader[2]) if leader else str(rec.leader_id),
        "place_key": key,
        "place": carriers.place_name(key),
        "place_kind": kind,
        "place_kind_label": {"township": "乡镇（街道）", "unit": "单位"}.get(kind or "", ""),
    }


def list_contact_points(db: Database, *, year: int, leader: str | None = None) -> dict[str, Any]:
    """The contact points of a year (of one leader), by leader then place."""
    _check_year(year)
    cp = LeaderContactPointRecord
    with db.read_session() as s:
        carriers = load_carriers(s)
        cond = [cp.year == year]
        if leader:
            cond.append(cp.leader_id == find_leader(carriers, leader)[0])
        recs = list(s.scalars(select(cp).where(*cond).order_by(cp.leader_id, cp.id)))
        rows = [_point_json(carriers, r) for r in recs]
    return {"year": year, "total": len(rows), "rows": rows}


@requires("accountability.manage")
def add_contact_point(
    db: Database,
    *,
    year: int,
    leader: str,
    unit: str | None = None,
    township: str | None = None,
    user: str | None = None,
) -> dict[str, Any]:
    """Register one contact point of a leader for a year; the same place twice is refused. Audited."""
    _check_year(year)
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        carriers = load_carriers(s)
        leader_id = find_leader(carriers, leader)[0]
        unit_id, region = resolve_place(carriers, unit=unit, township=township)
        key = carriers.place_key(unit_id, region)
        cp = LeaderContactPointRecord
        existing = s.execute(select(cp.unit_id, cp.region_code).where(cp.year == year, cp.leader_id == leader_id))
        if any(carriers.place_key(u, r) == key for u, r in existing):
            raise ConflictError(f"{year}年已登记该领导的联系点“{carriers.place_name(key)}”", field="unit")
        rec = cp(
            year=year,
            leader_id=leader_id,
            unit_id=unit_id,
            region_code=region,
            created_at=uow.now,
            created_by=uow.user_id,
        )
        s.add(rec)
        s.flush()
        result = _point_json(carriers, rec)
        uow.audit.record("create", "leader_contact_point", str(rec.id), result)
        uow.commit()
    return result


@requires("accountability.manage")
def remove_contact_point(db: Database, point_id: int, *, reason: str, user: str | None = None) -> dict[str, Any]:
    """Take a contact point off the register (the division of work changed, or it was entered in error); the reason
    and the row stay in the audit trail. Visits already recorded stay; compliance is judged on the register as it is."""
    problems = check_text("reason", "理由", reason, max_length=REASON_MAX, multiline=True)
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        rec = s.get(LeaderContactPointRecord, point_id)
        if rec is None:
            raise NotFoundError(f"没有编号为 {point_id} 的联系点", field="id")
        snapshot = _point_json(load_carriers(s), rec)
        s.delete(rec)
        uow.audit.record("delete", "leader_contact_point", str(point_id), {"reason": reason.strip(), **snapshot})
        uow.commit()
    return {"removed": snapshot, "reason": reason.strip()}
