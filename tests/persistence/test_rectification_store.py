"""挂牌整治 (R-AS-02) on a real database (the example county): listing a quarter's groups twice adds nothing, the
explanation with its file, the 约谈 with a registered leader, 摘牌 by decision and by the next ranking, the audit entry
of every write, bad input leaving the database unchanged, and the explanations as duty-compliance rows."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from xinfang_desktop.core.duties import parse_period, quarter_span
from xinfang_desktop.core.errors import DomainError, NotFoundError
from xinfang_desktop.core.rectification import GroupKind, ListedGroup
from xinfang_desktop.persistence.records import AuditEntryRecord, LeaderRecord
from xinfang_desktop.persistence.rectification.compliance import explanation_compliance
from xinfang_desktop.persistence.rectification.queries import listing_states
from xinfang_desktop.persistence.rectification.store import (
    add_listings,
    lift_listing,
    list_listings,
    record_explanation,
    record_interview,
    show_listing,
)
from xinfang_desktop.persistence.settings_store import SqlSettings

Q3 = quarter_span(2026, 3)
Q4 = quarter_span(2026, 4)
LISTED_ON = date(2026, 9, 30)  # the last day of Q3: its ranking is not final yet
DONGHU = ListedGroup(GroupKind.TOWNSHIP, "331221101", "东湖镇", ("进京非访3批次",))
POLICE = ListedGroup(GroupKind.UNIT, "6", "示范县公安局", ("综合得分末位",))
NO_UNIT = ListedGroup(GroupKind.UNIT, "", "未指定责任单位", ("综合得分末位",))
ON = date(2026, 10, 9)  # Fri; + 10 工作日 with the make-up Sat 10-10: 10-10, 10-12…16, 10-19…22 → 10-22


def _audit(db: Any, entity: str = "rectification_listing") -> list[tuple[str, str, dict[str, Any]]]:
    with db.read_session() as s:
        rows = s.execute(
            select(AuditEntryRecord.action, AuditEntryRecord.entity_id, AuditEntryRecord.detail)
            .where(AuditEntryRecord.entity == entity)
            .order_by(AuditEntryRecord.id)
        ).all()
    return [(a, i, json.loads(d) if d else {}) for a, i, d in rows]


@pytest.fixture
def listed(db: Any) -> dict[str, Any]:
    return add_listings(db, Q3, [DONGHU, POLICE, NO_UNIT], today=ON, user="clerk")


def test_listing_is_idempotent_and_audited(db: Any, listed: dict[str, Any]) -> None:
    assert [r["name"] for r in listed["added"]] == ["东湖镇", "示范县公安局"]
    assert listed["skipped"] == [{"group_kind": "unit", "name": "未指定责任单位", "reasons": ["综合得分末位"]}]
    town = listed["added"][0]
    assert town["state"] == "listed" and town["region_code"] == "331221101" and town["unit_id"] is None
    assert town["listed_on"] == "2026-10-09" and town["explanation_due"] == "2026-10-22"
    assert town["explanation"]["workdays"] == 10 and "R-AS-02" in town["explanation"]["basis"]
    assert town["listed_for"] == ["进京非访3批次"]
    before = content_hash(db)
    again = add_listings(db, Q3, [DONGHU, POLICE], today=date(2026, 10, 12), user="clerk")
    assert again["added"] == [] and [r["id"] for r in again["already_listed"]] == [r["id"] for r in listed["added"]]
    assert content_hash(db) == before  # nothing added, not even an audit entry
    audit = _audit(db)
    assert [(a, d["name"]) for a, _i, d in audit] == [("create", "东湖镇"), ("create", "示范县公安局")]


def test_listing_refused_before_the_quarter_ends_or_for_unknown_groups(db: Any) -> None:
    before = content_hash(db)
    with pytest.raises(DomainError, match="季度排名尚未确定"):
        add_listings(db, Q3, [DONGHU], today=LISTED_ON)
    with pytest.raises(DomainError, match="不是季度"):
        add_listings(db, parse_period("2026-09"), [DONGHU], today=ON)
    with pytest.raises(NotFoundError, match="未登记的乡镇"):
        add_listings(db, Q3, [DONGHU, ListedGroup(GroupKind.TOWNSHIP, "999999999", "无名镇", ())], today=ON)
    assert content_hash(db) == before  # the good group before the bad one was not written either


def test_setting_sets_the_number_of_working_days(db: Any) -> None:
    # Stored directly: `settings set` learns the key when the lead registers it in settings_store.
    with db.write_session() as s:
        SqlSettings(s).set("rectification_explanation_workdays", 3)
    out = add_listings(db, Q3, [DONGHU], today=ON)
    assert out["explanation_workdays"] == 3 and out["added"][0]["explanation_due"] == "2026-10-13"


def test_explain_interview_lift(db: Any, listed: dict[str, Any], tmp_path: Path) -> None:
    town_id, unit_id = (r["id"] for r in listed["added"])
    paper = tmp_path / "东湖镇书面说明.pdf"
    paper.write_bytes(b"%PDF-1.4 written explanation")
    r = record_explanation(
        db, town_id, on=date(2026, 10, 23), summary="已开展重点人员稳控", file=paper, today=date(2026, 10, 23)
    )
    assert r["state"] == "explained" and r["explanation"]["on"] == "2026-10-23"
    assert r["explanation"]["clock"]["label"] == "逾期1个工作日提交" and not r["overdue"]
    att = r["explanation"]["attachment"]
    assert att["name"] == "东湖镇书面说明.pdf" and att["sha256"] == hashlib.sha256(paper.read_bytes()).hexdigest()
    assert Path(att["path"]).exists()
    with db.write_session() as s:
        s.add(LeaderRecord(name="张市长", organ="政府", rank="副职", level="city", post="副市长"))
    r = record_interview(
        db, town_id, on=date(2026, 10, 26), by="张市长", persons="东湖镇党委书记、镇长", today=date(2026, 10, 26)
    )
    assert r["state"] == "interviewed" and r["interview"]["by"] == "张市长（副市长）"
    assert r["interview"]["leader_id"] is not None
    r2 = record_interview(db, unit_id, on=date(2026, 10, 26), by="市委李书记", persons="局长", today=date(2026, 10, 26))
    assert r2["interview"]["by"] == "市委李书记" and r2["interview"]["leader_id"] is None  # not registered: as typed
    r = lift_listing(db, unit_id, on=date(2026, 11, 2), reason="整改到位，经联席会议研究摘牌", today=date(2026, 11, 2))
    assert r["state"] == "lifted" and r["lifted"] == {"on": "2026-11-02", "reason": "整改到位，经联席会议研究摘牌"}
    shown = show_listing(db, unit_id, today=date(2026, 12, 1))
    assert shown["explanation"]["clock"]["state"] == "stopped" and not shown["overdue"]
    actions = [(d.get("action"), i) for a, i, d in _audit(db) if a == "update"]
    assert actions == [("explain", str(town_id)), ("interview", str(town_id)), ("interview", str(unit_id)),
                       ("lift", str(unit_id))]  # fmt: skip
    assert [i for _a, i, _d in _audit(db, "attachment")] == [f"rectification/{town_id}/{att['id']}"]


def test_bad_input_leaves_the_database_unchanged(db: Any, listed: dict[str, Any], tmp_path: Path) -> None:
    town_id = listed["added"][0]["id"]
    paper = tmp_path / "说明.pdf"
    paper.write_bytes(b"x")
    before = content_hash(db)
    today = date(2026, 10, 20)
    cases = [
        lambda: record_explanation(db, town_id, on=date(2026, 10, 21), summary="x", file=paper, today=today),
        lambda: record_explanation(db, town_id, on=date(2026, 10, 8), summary="x", today=today),
        lambda: record_explanation(db, town_id, on=today, summary="  ", today=today),
        lambda: record_explanation(db, town_id, on=today, summary="x", file=tmp_path / "无.pdf", today=today),
        lambda: record_explanation(db, 999, on=today, summary="x", today=today),
        lambda: record_interview(db, town_id, on=today, by="", persons="x", today=today),
        lambda: record_interview(db, town_id, on=today, by="张三", persons="", today=today),
        lambda: lift_listing(db, town_id, on=today, reason="", today=today),
        lambda: lift_listing(db, town_id, on=date(2026, 10, 1), reason="x", today=today),
    ]
    for call in cases:
        with pytest.raises(DomainError):
            call()
    assert content_hash(db) == before


def test_next_ranking_lifts_what_it_no_longer_lists(db: Any, listed: dict[str, Any]) -> None:
    town_id, unit_id = (r["id"] for r in listed["added"])
    out = add_listings(db, Q4, [POLICE], today=date(2027, 1, 8), user="clerk")
    assert [r["id"] for r in out["lifted"]] == [town_id]
    assert out["lifted"][0]["lifted"] == {
        "on": "2027-01-08",
        "reason": "2026年第四季度综合排名不再列入挂牌整治（R-AS-02）",
    }
    assert [r["name"] for r in out["added"]] == ["示范县公安局"]  # listed again: a new quarter's listing
    assert show_listing(db, unit_id, today=date(2027, 1, 8))["open"]  # the old one stays open
    before = content_hash(db)
    add_listings(db, Q4, [POLICE], today=date(2027, 1, 9), user="clerk")
    assert content_hash(db) == before
    rows = list_listings(db, today=date(2027, 1, 9), open_only=True)["rows"]
    assert [(r["quarter"], r["name"]) for r in rows] == [("2026Q4", "示范县公安局"), ("2026Q3", "示范县公安局")]
    assert list_listings(db, today=date(2027, 1, 9), quarter="2026Q3")["counts"]["lifted"] == 1


def test_ranking_states(db: Any, listed: dict[str, Any]) -> None:
    town_id = listed["added"][0]["id"]
    with db.read_session() as s:
        states = listing_states(s, "2026Q3", date(2026, 10, 23))
    assert states[("township", "331221101")]["mark"] == "overdue"
    assert states[("unit", "6")]["mark"] == "overdue"
    record_explanation(db, town_id, on=date(2026, 10, 20), summary="说明", today=date(2026, 10, 20))
    with db.read_session() as s:
        states = listing_states(s, "2026Q3", date(2026, 10, 23))
    assert states[("township", "331221101")]["mark"] == "explained"
    assert states[("township", "331221101")]["state_label"] == "已提交书面说明"


def test_explanation_compliance_rows(db: Any, listed: dict[str, Any]) -> None:
    town_id, unit_id = (r["id"] for r in listed["added"])
    with db.read_session() as s:
        rows = explanation_compliance(s, parse_period("2026H2"), date(2026, 10, 15))
    assert [r["status"] for r in rows] == ["open", "open"]
    keys = {
        "kind", "label", "rule", "citation", "requirement", "applies_to", "subject_key", "subject", "status",
        "status_label", "light", "done", "required", "slots_met", "slots", "missing",
    }  # fmt: skip
    assert keys <= set(rows[0])
    record_explanation(db, town_id, on=date(2026, 10, 26), summary="说明", today=date(2026, 10, 26))
    with db.read_session() as s:
        rows = {r["subject_key"]: r for r in explanation_compliance(s, Q4, date(2026, 11, 2))}
        assert explanation_compliance(s, quarter_span(2026, 2), date(2026, 11, 2)) == []
        whole_year = explanation_compliance(s, parse_period("2026"), date(2026, 11, 2))
    town, unit = rows["township:331221101"], rows[f"unit:{6}"]
    assert (town["kind"], town["label"], town["rule"]) == ("rectification_explanation", "挂牌整治书面说明", "R-AS-02")
    assert town["status"] == "met" and town["light"] == "green" and town["done"] == 1 and town["slots_met"] == 1
    assert town["missing"] == ["逾期2个工作日提交（2026-10-26提交，应于2026-10-22前）"]  # 10-23, 10-26
    assert unit["status"] == "missed" and unit["light"] == "red" and unit["done"] == 0
    assert unit["missing"] == ["应于2026-10-22前提交书面说明，逾期未交"] and unit["subject"] == "示范县公安局"
    assert unit["slots"][0]["status"] == "missed" and unit["slots"][0]["record_ids"] == [unit_id]
    assert len(whole_year) == 2
