"""Reference data shipped in resources/reference/: the content classification and the example county.

`seed_reference_data` only adds what is missing (by category code, region code and unit name) and never
changes a row that is already there, so running it again is harmless and never undoes the office's edits.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import Connection, insert, select

from xinfang_desktop.paths import resource
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import CategoryRecord, RegionRecord, UnitRecord

CATEGORIES_FILE = "categories.json"
EXAMPLE_COUNTY_FILE = "example_county.json"


class CategoryItem(TypedDict):
    code: str
    name: str
    parent: str | None


class RegionItem(TypedDict):
    code: str
    name: str
    level: str
    parent: str | None


class UnitItem(TypedDict):
    name: str
    region: str | None
    parent: str | None
    kind: str


class ExampleCounty(TypedDict):
    county: str
    regions: list[RegionItem]
    units: list[UnitItem]


def _read(name: str) -> dict[str, Any]:
    data = json.loads(resource("reference", name).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"resources/reference/{name}: expected a JSON object")
    return data


def load_categories() -> list[CategoryItem]:
    """The shipped classification, parents before children."""
    return [
        CategoryItem(code=str(c["code"]), name=str(c["name"]), parent=c.get("parent"))
        for c in _read(CATEGORIES_FILE)["categories"]
    ]


def load_example_county() -> ExampleCounty:
    """The example county: regions (province → village, parents first) and units (parents first)."""
    data = _read(EXAMPLE_COUNTY_FILE)
    regions = [
        RegionItem(code=str(r["code"]), name=str(r["name"]), level=str(r["level"]), parent=r.get("parent"))
        for r in data["regions"]
    ]
    units = [
        UnitItem(name=str(u["name"]), region=u.get("region"), parent=u.get("parent"), kind=str(u.get("kind", "")))
        for u in data["units"]
    ]
    return ExampleCounty(county=str(data["county"]), regions=regions, units=units)


def seed_categories(conn: Connection) -> int:
    """Insert the shipped categories whose code is not in the table yet; returns how many were added."""
    existing = set(conn.scalars(select(CategoryRecord.code)))
    rows = [
        {"code": c["code"], "name": c["name"], "parent_code": c["parent"]}
        for c in load_categories()
        if c["code"] not in existing
    ]
    if rows:
        conn.execute(insert(CategoryRecord), rows)
    return len(rows)


def seed_example_county(conn: Connection, now: datetime) -> tuple[int, int]:
    """Insert the example county's missing regions and units; returns (regions added, units added)."""
    county = load_example_county()
    existing_regions = set(conn.scalars(select(RegionRecord.code)))
    region_rows = [
        {"code": r["code"], "name": r["name"], "level": r["level"], "parent_code": r["parent"]}
        for r in county["regions"]
        if r["code"] not in existing_regions
    ]
    if region_rows:
        conn.execute(insert(RegionRecord), region_rows)
    known_regions = existing_regions | {r["code"] for r in county["regions"]}
    unit_ids: dict[str, int] = {name: int(uid) for uid, name in conn.execute(select(UnitRecord.id, UnitRecord.name))}
    added_units = 0
    for unit in county["units"]:  # one at a time: a child needs its parent's id
        if unit["name"] in unit_ids:
            continue
        region = unit["region"] if unit["region"] in known_regions else None
        parent = unit_ids.get(unit["parent"]) if unit["parent"] else None
        new_id = conn.execute(
            insert(UnitRecord)
            .values(name=unit["name"], region_code=region, parent_id=parent, created_at=now)
            .returning(UnitRecord.id)
        ).scalar_one()
        unit_ids[unit["name"]] = int(new_id)
        added_units += 1
    return len(region_rows), added_units


def seed_reference_data(db: Database, *, example_county: bool = True, now: datetime | None = None) -> dict[str, int]:
    """Load the classification (always) and the example county (unless told not to) in one transaction.

    Returns how many categories, regions and units were added (0 each when everything is already there).
    """
    stamp = now or datetime.now().replace(microsecond=0)
    with db.write_engine.begin() as conn:
        categories = seed_categories(conn)
        regions, units = seed_example_county(conn, stamp) if example_county else (0, 0)
    return {"categories": categories, "regions": regions, "units": units}
