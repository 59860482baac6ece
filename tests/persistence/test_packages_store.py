"""Leader packages and reception duty on SQLite and PostgreSQL: validation, audit, nothing half-written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.packages import parse_milestone
from xinfang_desktop.core.reception import parse_period
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.packages_store import (
    PackageInput,
    PackageUpdate,
    add_leader,
    case_card_data,
    close_package,
    create_package,
    leader_resolution_rates,
    list_leaders,
    list_packages,
    package_detail,
    update_package,
)
from xinfang_desktop.persistence.reception_store import (
    add_instruction,
    instruction_meters,
    plan_reception,
    reception_compliance,
    reception_roster,
    record_reception,
)
from xinfang_desktop.persistence.records import AuditEntryRecord

TODAY = date(2026, 7, 8)


def _leaders(db: Database) -> None:
    add_leader(db, "李明", organ="政府", rank="副职", level="县", post="副县长", phone="13800138000")
    add_leader(db, "王强", organ="党委", rank="正职", level="县", post="县委书记", region="331221")
    add_leader(db, "陈静", organ="政府", rank="正职", level="县", post="县长")


def _case(db: Database, **kw: object) -> str:
    data = sample_case(received_on="2026-07-06", **kw)
    return str(add_case(db, data, today=date(2026, 7, 6)).registered.number)


def _audits(db: Database, entity: str) -> int:
    with db.read_session() as s:
        return int(s.scalar(select(func.count()).where(AuditEntryRecord.entity == entity)) or 0)


def test_leader_register_in_rpk03_order_with_masked_phones(db: Database) -> None:
    _leaders(db)
    rows = list_leaders(db)
    assert [r["name"] for r in rows] == ["王强", "陈静", "李明"]  # R-PK-03
    assert rows[2]["phone"] == "138****8000" and rows[0]["region"] == "331221"
    assert _audits(db, "leader") == 3
    before = content_hash(db)
    for kwargs in (
        {"organ": "军队", "rank": "正职", "level": "县", "post": "x"},
        {"organ": "党委", "rank": "正职", "level": "县", "post": "x", "unit": "不存在的单位"},
        {"organ": "党委", "rank": "正职", "level": "县", "post": "x", "phone": "123"},
    ):
        with pytest.raises(DomainError):
            add_leader(db, "赵六", **kwargs)  # type: ignore[arg-type]
    assert content_hash(db) == before


def test_package_lifecycle(db: Database) -> None:
    """R-PK-01/02: create with team and plan, record duties and 约见, close with an outcome; every write audited."""
    _leaders(db)
    number = _case(db)
    related = _case(db, petitioner={"name": "刘洋", "phone": "13900139000"})
    inp = PackageInput(
        cases=[number, related],
        leader="王强",
        members=[("张三", "组长", "信访局局长"), ("李四", "成员", None)],
        milestones=[parse_milestone("见面=+5"), parse_milestone("方案=2026-08-15")],
        lead_unit="示范县人力资源和社会保障局",
    )
    p = create_package(db, inp, today=TODAY)
    assert [c["number"] for c in p["cases"]] == [number, related]
    assert p["target_on"] == "2026-09-30"  # 60 working days (PackageRules.default_target_workdays)
    assert [m["due_on"] for m in p["plan"]] == ["2026-07-15", "2026-08-17"]  # a Saturday moves to Monday
    assert [d["duty"] for d in p["duties"]] == ["包掌握情况", "包思想转化", "包矛盾化解", "包教育稳控", "包息访息诉"]
    assert list_leaders(db)[0]["load"] == 1
    # One case, one leader (R-PK-01): a second open package on the same case is refused.
    before = content_hash(db)
    with pytest.raises(DomainError, match="不能重复包案"):
        create_package(db, PackageInput(cases=[number], leader="陈静"), today=TODAY)
    for bad in (
        PackageInput(cases=["XF2026-999999"], leader="王强"),
        PackageInput(cases=[number], leader="无此人"),
        PackageInput(cases=[number], leader="王强", lead_unit="无此单位"),
        PackageInput(cases=[number], leader="王强", target_on=date(2026, 7, 1)),
    ):
        with pytest.raises(DomainError):
            create_package(db, bad, today=TODAY)
    assert content_hash(db) == before

    upd = PackageUpdate(
        duties=[("包掌握情况", "已落实", "走访信访人，查阅档案")], meetings=[(date(2026, 7, 9), "县信访局", "面谈")]
    )
    p = update_package(db, p["id"], upd, today=date(2026, 7, 10))
    assert p["duties_progress"] == "1/5" and p["meetings"][0]["held_on"] == "2026-07-09"
    assert "走访信访人" in (p["duties"][0]["evidence"] or "")
    p = update_package(db, p["id"], PackageUpdate(milestones_done=[(1, date(2026, 7, 10))]), today=date(2026, 7, 10))
    assert p["plan"][0]["done_on"] == "2026-07-10"
    rows = list_packages(db, today=date(2026, 8, 14))
    assert rows[0]["duties_progress"] == "1/5" and [r["kind"] for r in rows[0]["reminders"]] == ["milestone_due_soon"]
    card = case_card_data(db, p["id"], today=date(2026, 8, 14))
    assert card["petitioner"] == "张伟" and card["channel"] == "来访"

    before = content_hash(db)
    with pytest.raises(DomainError, match="包息访息诉"):
        close_package(db, p["id"], "息访息诉", on=date(2026, 9, 1), note=None, today=date(2026, 9, 1))
    with pytest.raises(DomainError):
        update_package(db, p["id"], PackageUpdate(duties=[("包吃包住", "已落实", None)]), today=date(2026, 9, 1))
    assert content_hash(db) == before
    for duty in ("包思想转化", "包矛盾化解", "包教育稳控", "包息访息诉"):
        update_package(db, p["id"], PackageUpdate(duties=[(duty, "已落实", None)]), today=date(2026, 9, 1))
    p = close_package(db, p["id"], "息访息诉", on=date(2026, 9, 1), note="签订息访协议", today=date(2026, 9, 2))
    assert (p["status"], p["outcome"], p["reminders"]) == ("已办结", "息访息诉", [])
    with pytest.raises(DomainError, match="已办结"):
        update_package(db, p["id"], PackageUpdate(target_on=date(2026, 12, 1)), today=date(2026, 9, 2))
    assert _audits(db, "case_package") == 1 + 2 + 4 + 1
    rates = leader_resolution_rates(db, date(2026, 7, 1), date(2026, 9, 30))
    assert rates == [
        {"leader_id": p["leader"]["id"], "packages": 1, "resolved": 1, "open": 0, "rate": 1.0, "leader": "王强"}
    ]
    assert package_detail(db, p["id"], today=date(2026, 9, 2))["closed_on"] == "2026-09-01"
    with pytest.raises(DomainError):
        package_detail(db, 999, today=TODAY)


def test_reception_compliance_and_roster(db: Database) -> None:
    """R-RC-01 and R-PK-06: a planned day becomes held with the cases registered from it; months without one are red."""
    _leaders(db)
    number = _case(db)
    plan_reception(db, "李明", date(2026, 7, 15), place="县信访局接待大厅")
    plan_reception(db, "李明", date(2026, 8, 19))
    with pytest.raises(DomainError, match="已有接访安排"):
        plan_reception(db, "李明", date(2026, 7, 15))
    day = record_reception(db, "李明", date(2026, 7, 15), received=4, cases=[number], today=date(2026, 7, 16))
    assert day["held"] and day["cases"] == [number] and day["id"] is not None
    pkg = create_package(db, PackageInput(cases=[number], leader="李明", reception_day_id=day["id"]), today=TODAY)
    assert pkg["reception_day_id"] == day["id"]
    before = content_hash(db)
    with pytest.raises(DomainError):
        record_reception(db, "李明", date(2026, 7, 20), received=1, cases=["XF2026-999999"], today=date(2026, 7, 21))
    with pytest.raises(DomainError):
        record_reception(db, "李明", date(2026, 12, 1), received=1, today=date(2026, 7, 21))
    assert content_hash(db) == before
    rows = {r["leader"]: r for r in reception_compliance(db, parse_period("2026Q3"), today=date(2026, 10, 8))}
    li = rows["李明"]
    assert [w["light"] for w in li["windows"]] == ["green", "red", "red"]
    assert li["windows"][1]["missed_days"] == ["2026-08-19"] and li["missing"] == 2
    assert li["petitioners_received"] == 4 and rows["王强"]["missing"] == 3
    plan_reception(db, "王强", date(2026, 10, 1), duty=True)
    roster = reception_roster(db, date(2026, 10, 1), date(2026, 10, 2), ["县"])
    assert [d["gaps"] for d in roster] == [[], ["县"]] and roster[0]["names"]["县"] == ["王强"]
    assert _audits(db, "reception_day") == 4


def test_instruction_meter(db: Database) -> None:
    """R-RC-02: of the quarter's first letters in the leader's region, the share the principal leader instructed."""
    _leaders(db)
    letters = [_case(db, channel="来信", locality="331221001") for _ in range(3)]
    visit = _case(db)
    add_instruction(db, "王强", letters[0], date(2026, 7, 7), "请县人社局阅处", today=TODAY)
    add_instruction(db, "王强", visit, date(2026, 7, 7), "阅", today=TODAY)  # not a letter: does not count
    with pytest.raises(DomainError):
        add_instruction(db, "王强", letters[1], date(2026, 7, 1), "早于收到日期", today=TODAY)
    meters = {m["leader"]: m for m in instruction_meters(db, parse_period("2026Q3"))}
    wang = meters["王强"]
    assert (wang["first_letters"], wang["instructed"], wang["share"], wang["met"]) == (3, 1, 0.3333, True)
    assert meters["陈静"]["instructed"] == 0 and meters["陈静"]["met"] is False
    assert "李明" not in meters  # a deputy with no instruction
