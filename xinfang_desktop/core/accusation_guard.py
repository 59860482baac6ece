"""The accusation guard (R-LC-07): accusation material never reaches the accused unit nor any unit under it.

《信访工作条例》第三十条第三款 forbids passing an accuser's material or particulars to the accused,
and 第四十六条第（五）项 makes doing so a ground for accountability. A name typed at intake is resolved here
against the unit register (exact name, the name without its county or city, the short name under its parent
unit); the accused units and every unit below them in the register form the case's `AccusedScope`, and
`refusal` says, in Chinese and naming the article, why a unit in that scope may not receive, handle or be
sent anything about the case. Pure: the register is passed in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

RULE_ID = "R-LC-07"
CITATION = "《信访工作条例》第四十六条第（五）项、第三十条第三款"
#: What a document to a unit prints instead of the accuser's name, ID number, phone and address.
CONFIDENTIAL = "（检举控告人信息依法保密）"


def normalise(name: str) -> str:
    """The form names are compared in: NFKC (full-width brackets and letters folded), no whitespace at all."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@dataclass(frozen=True)
class RegisterUnit:
    """One unit of the register; `prefixes`: the county and city names its name may start with (示范县, 示范市)."""

    id: int
    name: str
    parent_id: int | None = None
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """What a typed name refers to: one unit, several (ambiguous) or none (not in the register)."""

    typed: str
    candidates: tuple[RegisterUnit, ...]

    @property
    def unit(self) -> RegisterUnit | None:
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def problem(self) -> str | None:
        """Why the name cannot be used as it stands (ambiguous), in Chinese; None when it resolved or is unknown."""
        if not self.ambiguous:
            return None
        names = "、".join(f"“{u.name}”" for u in self.candidates[:6])
        return f"“{self.typed}”可能指{len(self.candidates)}个已登记的单位：{names}，请填写单位全称"


def _generic(prefix: str) -> str | None:
    """示范县 → 县: how a clerk names the county's own organs in speech (县公安局)."""
    return prefix[-1] if len(prefix) > 1 and prefix[-1] in "县区市旗" else None


def _keys(unit: RegisterUnit, parent: RegisterUnit | None) -> set[str]:
    """Every form of the unit's name a clerk may type for it."""
    name = normalise(unit.name)
    bases = {name, name.removeprefix("中共")} if name.startswith("中共") and len(name) > 2 else {name}
    keys = set(bases)
    for base in bases:
        for prefix in (normalise(p) for p in unit.prefixes if p):
            if base.startswith(prefix) and len(base) > len(prefix) + 1:
                rest = base[len(prefix) :]
                keys.add(rest)
                generic = _generic(prefix)
                if generic:
                    keys.add(generic + rest)
    if parent is not None:  # 示范县公安局城关派出所 under 示范县公安局: 城关派出所
        parent_name = normalise(parent.name)
        if name.startswith(parent_name) and len(name) > len(parent_name) + 1:
            keys.add(name[len(parent_name) :])
    return keys


@dataclass(frozen=True)
class UnitRegister:
    """The unit register with its hierarchy (a unit's `parent_id`), as read from the database."""

    units: tuple[RegisterUnit, ...]
    _by_id: dict[int, RegisterUnit] = field(init=False, repr=False, compare=False)
    _by_key: dict[str, tuple[RegisterUnit, ...]] = field(init=False, repr=False, compare=False)
    _children: dict[int, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {u.id: u for u in self.units}
        by_key: dict[str, list[RegisterUnit]] = {}
        children: dict[int, list[int]] = {}
        for u in self.units:
            for key in _keys(u, by_id.get(u.parent_id) if u.parent_id is not None else None):
                by_key.setdefault(key, []).append(u)
            if u.parent_id is not None:
                children.setdefault(u.parent_id, []).append(u.id)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_key", {k: tuple(v) for k, v in by_key.items()})
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})

    def get(self, unit_id: int) -> RegisterUnit | None:
        return self._by_id.get(unit_id)

    def resolve(self, typed: str) -> Resolution:
        """The register unit(s) a typed name means: the exact name first, else every unit it is a short form of."""
        text = normalise(typed)
        exact = [u for u in self._by_key.get(text, ()) if normalise(u.name) == text]
        if exact:
            return Resolution(typed.strip(), (exact[0],))
        found = dict.fromkeys(self._by_key.get(text, ()))
        prefixes = {normalise(p) for u in self.units for p in u.prefixes if p}
        for prefix in prefixes:  # 示范县城关派出所: the county typed before a short name
            if text.startswith(prefix) and len(text) > len(prefix) + 1:
                found.update(dict.fromkeys(self._by_key.get(text[len(prefix) :], ())))
        return Resolution(typed.strip(), tuple(sorted(found, key=lambda u: u.id)))

    def below(self, unit_id: int) -> list[RegisterUnit]:
        """Every unit under `unit_id` (children, their children …), nearest first; a cycle in the data ends the walk."""
        out: list[RegisterUnit] = []
        seen = {unit_id}
        queue = list(self._children.get(unit_id, ()))
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            unit = self._by_id.get(current)
            if unit is not None:
                out.append(unit)
            queue.extend(self._children.get(current, ()))
        return out


class AccusedScope(frozenset[str]):
    """The names (normalised) that may not receive a case's material: each accused unit and every unit under it.

    A frozenset of names, so it stands where the lifecycle's facts hold the accused units; `via` maps each name to
    the accused unit it falls under, and `accused` lists the accused units themselves, as stored or resolved.
    """

    via: Mapping[str, str]
    accused: tuple[str, ...]

    def __new__(cls, via: Mapping[str, str], accused: Iterable[str] = ()) -> AccusedScope:
        scope = super().__new__(cls, via.keys())
        scope.via = dict(via)
        scope.accused = tuple(dict.fromkeys(accused))
        return scope

    def __reduce__(self) -> tuple[object, ...]:
        return (AccusedScope, (dict(self.via), self.accused))


def accused_scope(register: UnitRegister, accused: Iterable[tuple[str, int | None]]) -> AccusedScope:
    """The scope of a case's accused units, each given as (name as stored, register id or None).

    A name not linked to the register is resolved again (a case registered before the guard, or with a short
    name); an ambiguous one guards every unit it may mean, a name found nowhere guards itself literally.
    """
    via: dict[str, str] = {}
    names: list[str] = []
    for name, unit_id in accused:
        unit = register.get(unit_id) if unit_id is not None else None
        units = [unit] if unit is not None else list(register.resolve(name).candidates)
        if not units:
            via.setdefault(normalise(name), name.strip())
            names.append(name.strip())
            continue
        for u in units:
            names.append(u.name)
            via[normalise(u.name)] = u.name
            for below in register.below(u.id):
                via.setdefault(normalise(below.name), u.name)
    return AccusedScope(via, names)


def scope_of_names(names: Iterable[str]) -> AccusedScope:
    """A scope from names only (no register at hand): each guards itself."""
    listed = [n.strip() for n in names if n and n.strip()]
    return AccusedScope({normalise(n): n for n in listed}, listed)


def refusal(scope: frozenset[str], unit: str | None, *, role: str = "接收或承办单位") -> str | None:
    """Why `unit` may not receive or handle the case (Chinese, naming the article), or None when it may.

    `scope` is an `AccusedScope` or, from older callers, a plain set of accused names (compared normalised).
    """
    if not unit or not unit.strip():
        return None
    if not isinstance(scope, AccusedScope):
        scope = scope_of_names(scope)
    key = normalise(unit)
    accused = scope.via.get(key)
    if accused is None:
        return None
    if normalise(accused) == key:
        why = f"“{unit.strip()}”是本事项被反映（被控告）的单位"
    else:
        why = f"“{unit.strip()}”隶属于本事项被反映（被控告）的单位“{accused}”"
    return (
        f"{why}，不得作为{role}：检举控告材料及检举控告人的情况不得透露、转给被检举控告的单位及其下属单位"
        f"（{RULE_ID}，{CITATION}）"
    )
