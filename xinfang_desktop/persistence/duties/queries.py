"""Who carries the duties (R-RC-03…06): the county's units, its townships and its leaders as the ledger registers them,
and the lookup of one by name for a record.

- 县直单位 (applies_to ``units``): the units directly under the county — no parent, or the parent is the county's top
  unit (the parentless unit with the most children, 示范县人民政府) — except the top unit itself and the township
  governments (a unit whose region is a 9-digit township code) (**I**, the parties of the responsibility statements).
- 乡镇（街道） (``townships``): the regions of level ``township``; a township may be named by its region name, its code,
  or the name of its government unit (东湖镇人民政府).
- 领导 (``leaders``): the registered leaders of the duty's level (``leader_level``; all leaders when it sets none).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.duties import AppliesTo, Duty, LeaderLevelCode, Subject
from xinfang_desktop.core.errors import ConflictError, DomainError, NotFoundError
from xinfang_desktop.persistence.records import LeaderRecord, RegionRecord, UnitRecord

TOWNSHIP_CODE_LENGTH = 9  # GB/T 2260 county code (6) + township (3)
TOWNSHIP_LEVEL = "township"
MAX_CHOICES_NAMED = 8


@dataclass(frozen=True)
class Carriers:
    """The subjects of each kind of duty: (id, name) of units, (code, name) of townships, leaders with their level."""

    units: tuple[tuple[int, str], ...]
    townships: tuple[tuple[str, str], ...]
    leaders: tuple[tuple[int, str, str, str], ...]  # id, name, post, level (city/county/township)
    township_units: dict[str, str]  # unit name → township code (东湖镇人民政府 → 331221101)
    all_units: dict[str, int]  # every registered unit, name without spaces → id (a leader's contact unit)
    unit_names: dict[int, str]  # every registered unit, id → name

    def place_key(self, unit_id: int | None, region_code: str | None) -> str | None:
        """Where a visit or a contact point is: "township:<code>" (a township, or its government unit) or
        "unit:<id>"; None when nothing is named."""
        if region_code is not None:
            return f"township:{region_code}"
        if unit_id is None:
            return None
        code = self.township_units.get(self.unit_names.get(unit_id, ""))
        return f"township:{code}" if code is not None else f"unit:{unit_id}"

    def place_name(self, key: str | None) -> str | None:
        if key is None:
            return None
        kind, _, value = key.partition(":")
        if kind == "township":
            return dict(self.townships).get(value, value)
        return self.unit_names.get(int(value), value)

    def subjects(self, duty: Duty) -> list[Subject]:
        """Every subject the duty applies to, in register order (townships by code)."""
        if duty.applies_to is AppliesTo.COUNTY:
            return [Subject("county", duty.body or "县本级")]
        if duty.applies_to is AppliesTo.UNITS:
            return [Subject(f"unit:{i}", name) for i, name in self.units]
        if duty.applies_to is AppliesTo.TOWNSHIPS:
            return [Subject(f"township:{code}", name) for code, name in self.townships]
        return [Subject(f"leader:{i}", leader_name(name, post)) for i, name, post, level in self._leaders_of(duty)]

    def _leaders_of(self, duty: Duty) -> list[tuple[int, str, str, str]]:
        want = duty.leader_level.value if duty.leader_level is not None else None
        return [ld for ld in self.leaders if want is None or ld[3] == want]


def leader_name(name: str, post: str) -> str:
    return f"{name}（{post}）" if post else name


def is_township_code(code: str | None) -> bool:
    return code is not None and len(code) == TOWNSHIP_CODE_LENGTH


def load_carriers(session: Session) -> Carriers:
    units = session.execute(
        select(UnitRecord.id, UnitRecord.name, UnitRecord.parent_id, UnitRecord.region_code).order_by(UnitRecord.id)
    ).all()
    children: dict[int, int] = {}
    for u in units:
        if u.parent_id is not None:
            children[u.parent_id] = children.get(u.parent_id, 0) + 1
    tops = [u for u in units if u.parent_id is None and children.get(u.id, 0) > 0]
    top = max(tops, key=lambda u: (children.get(u.id, 0), -u.id)).id if tops else None
    county_units = tuple(
        (int(u.id), str(u.name))
        for u in units
        if u.id != top and (u.parent_id is None or u.parent_id == top) and not is_township_code(u.region_code)
    )
    townships = tuple(
        (str(code), str(name))
        for code, name in session.execute(
            select(RegionRecord.code, RegionRecord.name)
            .where(RegionRecord.level == TOWNSHIP_LEVEL)
            .order_by(RegionRecord.code)
        )
    )
    known = {code for code, _ in townships}
    township_units = {str(u.name): str(u.region_code) for u in units if u.region_code in known}
    leaders = tuple(
        (int(i), str(n), str(p or ""), str(lv))
        for i, n, p, lv in session.execute(
            select(LeaderRecord.id, LeaderRecord.name, LeaderRecord.post, LeaderRecord.level).order_by(LeaderRecord.id)
        )
    )
    all_units = {_squash(str(u.name)): int(u.id) for u in units}
    unit_names = {int(u.id): str(u.name) for u in units}
    return Carriers(county_units, townships, leaders, township_units, all_units, unit_names)


def _choices(names: list[str]) -> str:
    more = "等" if len(names) > MAX_CHOICES_NAMED else ""
    return "、".join(names[:MAX_CHOICES_NAMED]) + more if names else "（尚未登记）"


def _squash(text: str) -> str:
    return "".join(text.split())


def resolve_unit(carriers: Carriers, name: str, duty: Duty) -> tuple[int, str]:
    key = _squash(name)
    for unit_id, unit_name in carriers.units:
        if _squash(unit_name) == key or str(unit_id) == key:
            return unit_id, unit_name
    if key in {_squash(n) for n in carriers.township_units}:
        raise DomainError(f"“{name}”是乡镇（街道），{duty.label}由县直单位开展，请选择县直单位", field="unit")
    names = [n for _, n in carriers.units]
    raise NotFoundError(f"未登记的县直单位“{name}”（可选：{_choices(names)}）", field="unit")


def resolve_township(carriers: Carriers, name: str) -> tuple[str, str]:
    key = _squash(name)
    for code, township in carriers.townships:
        if key in (code, _squash(township)):
            return code, township
    by_unit = {_squash(n): code for n, code in carriers.township_units.items()}
    if key in by_unit:
        code = by_unit[key]
        return code, dict(carriers.townships)[code]
    names = [n for _, n in carriers.townships]
    raise NotFoundError(f"未登记的乡镇（街道）“{name}”（可选：{_choices(names)}）", field="township")


def find_leader(carriers: Carriers, ref: str) -> tuple[int, str, str, str]:
    """A registered leader by number, name or 姓名（职务）: (id, name, post, level); none or several are refused."""
    key = _squash(ref)
    if key.isdigit():
        found = [ld for ld in carriers.leaders if ld[0] == int(key)]
    else:
        found = [ld for ld in carriers.leaders if _squash(ld[1]) == key or _squash(leader_name(ld[1], ld[2])) == key]
    if not found:
        raise NotFoundError(f"未登记的领导“{ref}”", field="leader")
    if len(found) > 1:
        ids = "、".join(str(ld[0]) for ld in found)
        raise ConflictError(f"有多位领导名为“{ref}”（编号 {ids}），请用编号指定", field="leader")
    return found[0]


def resolve_leader(carriers: Carriers, ref: str, duty: Duty) -> tuple[int, str]:
    leader_id, name, post, level = find_leader(carriers, ref)
    want = duty.leader_level
    if want is not None and level != want.value:
        actual = LeaderLevelCode(level).label if level in {lv.value for lv in LeaderLevelCode} else level
        raise DomainError(f"{duty.label}适用于{want.label}领导，“{name}”是{actual}领导", field="leader")
    return leader_id, leader_name(name, post)
