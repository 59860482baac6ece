"""GB/T 2260 region codes bundled in resources/reference/gb2260.json (current and historical), loaded once."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from xinfang_desktop.paths import resource

__all__ = [
    "RegionTable",
    "find_region",
    "known_region_codes",
    "load_region_table",
    "office_region_codes",
    "region_full_name",
    "region_level",
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


#: The nationalities named in autonomous counties (景宁畲族自治县, 长阳土家族自治县, 双江拉祜族佤族布朗族傣族自治县).
_NATIONALITIES = (
    "畲 土家 苗 侗 瑶 壮 回 彝 藏 蒙古 满 黎 傣 哈尼 佤 拉祜 纳西 傈僳 白 布依 仡佬 水 羌 土 撒拉 东乡",
    "保安 裕固 哈萨克 柯尔克孜 塔吉克 锡伯 达斡尔 鄂温克 鄂伦春 朝鲜 毛南 仫佬 京 独龙 怒 普米 阿昌",
    "德昂 基诺 景颇 布朗 各",
)
_NAMES = sorted((n for line in _NATIONALITIES for n in line.split()), key=len, reverse=True)
_NATIONALITY = re.compile("(?:" + "|".join(_NAMES) + ")族")


def _short_forms(name: str) -> set[str]:
    """The names a table may use for `name`: 景宁畲族自治县 → 景宁县, 景宁; 缙云县 → 缙云; 莲都区 → 莲都."""
    forms = {name}
    if "自治" in name and name[-1] in "县旗":
        base = _NATIONALITY.sub("", name.removesuffix("自治" + name[-1]))
        if len(base) >= 2:
            forms |= {base + name[-1], base}
    for suffix in ("县", "区", "市", "旗"):
        if name.endswith(suffix) and len(name) > 2:
            forms.add(name[: -len(suffix)])
    return forms


@functools.cache
def _names_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    table = load_region_table()
    for code in sorted(table.current):
        for form in _short_forms(table.names[code]):
            index.setdefault(form, []).append(code)
    return {k: tuple(v) for k, v in index.items()}


def find_region(name: str, *, near: str | None = None) -> str | None:
    """The current GB/T 2260 code of a county-level or higher name as a table writes it (景宁县 for 景宁畲族自治县,
    莲都区, 丽水市), or None. Several places of one name: the one sharing most leading digits with `near` (the
    office's own county code), else none (ambiguous names are not guessed)."""
    codes = _names_index().get(name.strip(), ())
    if len(codes) <= 1:
        return codes[0] if codes else None
    if near:
        for digits in (4, 2):
            same = [c for c in codes if c[:digits] == near[:digits]]
            if len(same) == 1:
                return same[0]
    return None


def region_level(code: str) -> str:
    """province, city or county for a 6-digit code (GB/T 2260: 330000, 331100, 331127)."""
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


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
