"""GB/T 2260 region codes bundled in resources/reference/gb2260.json (current and historical), loaded once."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from xinfang_desktop.paths import resource

__all__ = [
    "RegionTable",
    "known_region_codes",
    "load_region_table",
    "office_region_codes",
    "region_full_name",
    "region_name",
]


@dataclass(frozen=True, slots=True)
class RegionTable:
    """All known codes (current ∪ historical), the current ones, code → name, and the file's `_meta` header."""

    codes: frozenset[str]
    current: frozenset[str]
    names: Mapping[str, str]
    meta: Mapping[str, Any]


@functools.cache
def load_region_table() -> RegionTable:
    path = resource("reference", "gb2260.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    regions: dict[str, dict[str, Any]] = data["regions"]
    names = {code: str(entry["name"]) for code, entry in regions.items()}
    current = frozenset(code for code, entry in regions.items() if entry.get("current"))
    return RegionTable(
        codes=frozenset(names),
        current=current,
        names=MappingProxyType(names),
        meta=MappingProxyType(dict(data.get("_meta", {}))),
    )


def known_region_codes() -> frozenset[str]:
    """Every 6-digit code in the table, including abolished ones (an old ID number may carry one)."""
    return load_region_table().codes


def office_region_codes(db: Any) -> frozenset[str]:
    """GB/T 2260 with the county and city codes of the office's own region register added (6-digit prefixes of its
    regions): a county whose code the bundled table does not hold — the example county 331221, or a code newer
    than the table — must not make every local ID number "not in the code table" (issue 18)."""
    from sqlalchemy import select

    from xinfang_desktop.persistence.records import RegionRecord

    with db.read_session() as s:
        own = {str(code)[:6] for code in s.scalars(select(RegionRecord.code)) if len(str(code)) >= 6}
        own |= {str(code)[:4] + "00" for code in own}  # the prefecture of each county
    return known_region_codes() | frozenset(own)


def region_name(code: str) -> str | None:
    """The name of exactly this code (e.g. 110105 → 朝阳区), or None when unknown."""
    return load_region_table().names.get(code)


def region_full_name(code: str) -> str | None:
    """Province + prefecture + county names for a 6-digit code (e.g. 广东省汕头市潮阳县), or None when unknown.

    Placeholder levels (市辖区, 县, 省直辖县级行政区划) are left out.
    """
    names = load_region_table().names
    if code not in names or len(code) != 6:
        return None
    parts: list[str] = []
    for prefix in dict.fromkeys((code[:2] + "0000", code[:4] + "00", code)):
        name = names.get(prefix)
        if name and name not in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}:
            parts.append(name)
    return "".join(parts) or None
