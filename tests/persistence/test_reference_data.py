"""Reference data: the content classification and the example county load once and never overwrite edits."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select, update

from xinfang_desktop.core.codes import RegionLevel
from xinfang_desktop.paths import resource
from xinfang_desktop.persistence.database import Database, open_database
from xinfang_desktop.persistence.records import CategoryRecord, RegionRecord, UnitRecord
from xinfang_desktop.persistence.reference_data import load_categories, load_example_county, seed_reference_data
from xinfang_desktop.persistence.region_codes import known_region_codes


def _db(tmp_path: Path) -> Database:
    return open_database(tmp_path / "x.sqlite3")


def _count(db: Database, record: type) -> int:
    with db.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(record)) or 0)


def test_categories_file_is_a_three_level_tree() -> None:
    items = load_categories()
    codes = {c["code"] for c in items}
    tops = [c for c in items if c["parent"] is None]
    assert 12 <= len(tops) <= 16
    assert {"城乡建设", "劳动和社会保障", "环境保护", "党纪政纪", "其他"} <= {c["name"] for c in tops}
    for c in items:
        assert len(c["code"]) in (2, 4, 6)
        if c["parent"] is not None:
            assert c["parent"] in codes and c["code"].startswith(c["parent"]) and len(c["code"]) == len(c["parent"]) + 2
    assert any(len(c["code"]) == 6 for c in items)


def test_example_county_has_real_code_structure_but_unused_codes() -> None:
    county = load_example_county()
    by_code = {r["code"]: r for r in county["regions"]}
    assert county["county"] not in known_region_codes()  # a made-up county, not a real one
    assert by_code[county["county"]]["name"] == "示范县"
    lengths = {RegionLevel.PROVINCE: 6, RegionLevel.CITY: 6, RegionLevel.COUNTY: 6, RegionLevel.TOWNSHIP: 9}
    townships = [r for r in county["regions"] if r["level"] == "township"]
    assert 12 <= len(townships) <= 18
    for r in county["regions"]:
        level = RegionLevel(r["level"])
        assert len(r["code"]) == lengths.get(level, 12) and r["code"].isdigit()
        if r["parent"] is not None:
            assert r["code"].startswith(r["parent"].rstrip("0")[:2]) and r["parent"] in by_code
    for t in townships:
        villages = [r for r in county["regions"] if r["parent"] == t["code"]]
        assert 3 <= len(villages) <= 6
    names = {u["name"] for u in county["units"]}
    assert len(county["units"]) >= 35
    assert {"示范县人力资源和社会保障局", "示范县公安局", "示范县住房和城乡建设局"} <= names
    assert all(u["parent"] is None or u["parent"] in names for u in county["units"])
    meta = json.loads(resource("reference", "example_county.json").read_text(encoding="utf-8"))["_meta"]
    assert "未使用" in meta["note"]


def test_seed_loads_everything_once(tmp_path: Path) -> None:
    db = _db(tmp_path)
    try:
        first = seed_reference_data(db)
        assert first["categories"] == len(load_categories())
        assert first["regions"] == len(load_example_county()["regions"])
        assert first["units"] == len(load_example_county()["units"])
        assert seed_reference_data(db) == {"categories": 0, "regions": 0, "units": 0}
        assert _count(db, CategoryRecord) == first["categories"]
        with db.read_session() as s:
            police = s.scalar(select(UnitRecord).where(UnitRecord.name == "示范县公安局城关派出所"))
            assert police is not None and police.parent_id is not None and police.region_code == "331221001"
            village = s.get(RegionRecord, "331221101200")
            assert village is not None and village.level == "village" and village.parent_code == "331221101"
    finally:
        db.dispose()


def test_seed_never_overwrites_office_edits(tmp_path: Path) -> None:
    db = _db(tmp_path)
    try:
        seed_reference_data(db)
        with db.write_session() as s:
            s.execute(update(CategoryRecord).where(CategoryRecord.code == "03").values(name="劳动社保（本地）"))
            s.execute(update(UnitRecord).where(UnitRecord.name == "示范县公安局").values(region_code=None))
        seed_reference_data(db)
        with db.read_session() as s:
            assert s.get(CategoryRecord, "03").name == "劳动社保（本地）"  # type: ignore[union-attr]
            unit = s.scalar(select(UnitRecord).where(UnitRecord.name == "示范县公安局"))
            assert unit is not None and unit.region_code is None
    finally:
        db.dispose()


def test_seed_without_example_county(tmp_path: Path) -> None:
    db = _db(tmp_path)
    try:
        added = seed_reference_data(db, example_county=False)
        assert added["categories"] > 0 and added["regions"] == 0 and added["units"] == 0
        assert _count(db, RegionRecord) == 0
    finally:
        db.dispose()
