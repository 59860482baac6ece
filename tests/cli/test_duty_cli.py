"""Duty compliance (职责落实, R-RC-03…06) through the CLI on a real database (the example county's units and townships):
records with minutes stored as attachments and audited, compliance per period in green and red with what is missing,
the rule profile choosing the duties, and bad input refused with exit code 2 and the database unchanged."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.attachments import attachments_dir, stored_path
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.records import AuditEntryRecord


class Cli:
    def __init__(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys

    def __call__(self, *argv: str) -> tuple[int, Any]:
        code = main([*argv, "--json", "--db", self.db])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    c = Cli(db_target, capsys)
    assert c("init")[0] == 0  # the example county: 示范县's units and 15 townships
    organ = ("--organ", "政府", "--rank", "副职")
    assert c("leader", "add", "李县长", *organ, "--post", "副县长", "--level", "县")[0] == 0
    assert c("leader", "add", "王镇长", *organ, "--post", "镇长", "--level", "乡镇")[0] == 0
    return c


@pytest.fixture
def minutes(tmp_path: Path) -> Path:
    path = tmp_path / "常委会纪要.pdf"
    path.write_bytes(b"%PDF-1.4 minutes of the standing committee")
    return path


def _stored_files(db: Any) -> list[str]:
    root = attachments_dir(db)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def _row(data: dict[str, Any], kind: str, subject: str) -> dict[str, Any]:
    return next(r for r in data["rows"] if r["kind"] == kind and r["subject"] == subject)


def test_kinds_follow_the_profile(cli: Cli) -> None:
    code, national = cli("duty", "kinds")
    assert code == 0 and national["profile"] == "national"
    kinds = {k["kind"]: k for k in national["kinds"]}
    assert kinds["dispute_screening_township"]["requirement"] == "每半月至少1次"
    assert kinds["contact_unit_visit"]["applies_to_label"] == "县级领导"
    code, lishui = cli("duty", "kinds", "--profile", "lishui")
    hearing = next(k for k in lishui["kinds"] if k["kind"] == "committee_hearing")
    assert (hearing["period"], hearing["min_count"], hearing["rule"]) == ("year", 2, "R-RC-04")  # S0 art 4
    assert "第四条" in hearing["citation"]


def test_record_with_minutes_and_compliance(cli: Cli, db_target: str, minutes: Path) -> None:
    code, rec = cli(
        "duty", "record", "committee_hearing", "--date", "2026-02-10", "--body", "县委常委会",
        "--participants", "县委书记、常委", "--topic", "听取2025年信访工作汇报", "--minutes", str(minutes),
        "--today", "2026-02-11",
    )  # fmt: skip
    assert code == 0, rec
    assert rec["kind_label"] == "党委常委会会议听取信访工作汇报" and rec["held_on"] == "2026-02-10"
    assert rec["body"] == "县委常委会" and rec["topic"] == "听取2025年信访工作汇报"
    sha = hashlib.sha256(minutes.read_bytes()).hexdigest()
    assert rec["minutes"]["sha256"] == sha and rec["minutes"]["name"] == "常委会纪要.pdf"
    db = open_database(db_target)
    assert stored_path(db, sha).read_bytes() == minutes.read_bytes()
    db.dispose()

    # Units, townships (by name or by the government's name) and leaders, resolved against the register.
    ok = [
        ("dispute_screening_unit", "--unit", "示范县民政局", "2026-03-05"),
        ("dispute_screening_township", "--township", "东湖镇", "2026-03-15"),
        ("dispute_screening_township", "--township", "东湖镇人民政府", "2026-03-16"),
        ("contact_unit_visit", "--leader", "李县长", "2026-03-20"),
    ]
    for kind, option, subject, day in ok:
        code, out = cli("duty", "record", kind, option, subject, "--date", day, "--today", "2026-03-31")
        assert code == 0, out
    code, listed = cli("duty", "list", "--period", "2026Q1")
    assert code == 0 and listed["total"] == 5
    assert [r["held_on"] for r in listed["rows"]][:2] == ["2026-03-20", "2026-03-16"]
    assert listed["rows"][1]["township"] == "东湖镇" and listed["rows"][1]["township_code"] == "331221101"

    code, data = cli("duty", "compliance", "--period", "2026-03", "--today", "2026-04-01")
    assert code == 0, data
    assert data["period"]["label"] == "2026年3月"
    screening = _row(data, "dispute_screening_township", "东湖镇")
    assert (screening["light"], screening["status_label"], screening["done"]) == ("green", "达标", 2)
    assert [s["period"] for s in screening["slots"]] == ["2026-03-H1", "2026-03-H2"]
    other = _row(data, "dispute_screening_township", "西山镇")
    assert other["light"] == "red" and other["missing"] == [
        "2026年3月上半月（1—15日）缺1次（应至少1次，实0次）",
        "2026年3月下半月（16—31日）缺1次（应至少1次，实0次）",
    ]
    assert _row(data, "dispute_screening_unit", "示范县民政局")["status"] == "met"
    assert _row(data, "dispute_screening_unit", "示范县教育局")["status"] == "missed"
    # The committee meets each quarter (national profile, S4 §1): March lies in Q1, which the February meeting met.
    hearing = _row(data, "committee_hearing", "县委常委会")
    assert hearing["status"] == "met" and hearing["slots"][0]["period"] == "2026Q1"
    # The quarterly leader visit: a county leader only (the township leader is not listed).
    visits = [r for r in data["rows"] if r["kind"] == "contact_unit_visit"]
    assert [(r["subject"], r["status"]) for r in visits] == [("李县长（副县长）", "met")]
    # The yearly special inspection of each unit seen from March: the year, still open.
    assert _row(data, "special_inspection", "示范县民政局")["status"] == "open"
    # Township governments are townships, not 县直单位; the county government is not its own unit.
    subjects = {r["subject"] for r in data["rows"] if r["kind"] == "dispute_screening_unit"}
    assert "东湖镇人民政府" not in subjects and "示范县人民政府" not in subjects and "示范县公安局" in subjects
    assert data["summary"]["missed"] > 0 and sum(data["summary"].values()) == len(data["rows"])

    # Seen inside the month: the second half is still open, not red.
    code, mid = cli(
        "duty", "compliance", "--period", "2026-03", "--today", "2026-03-20", "--kind", "dispute_screening_township"
    )
    assert [s["status"] for s in _row(mid, "dispute_screening_township", "西山镇")["slots"]] == ["missed", "open"]

    db = open_database(db_target)
    with db.read_session() as s:
        audit = s.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity == "duty_record")).all()
        assert len(audit) == 5 and {a.action for a in audit} == {"create"}
        assert s.scalar(select(AuditEntryRecord.id).where(AuditEntryRecord.entity == "attachment")) is not None
    db.dispose()


def test_void_with_reason_keeps_the_record_and_counts_it_no_more(cli: Cli, db_target: str) -> None:
    code, rec = cli("duty", "record", "dispute_screening", "--date", "2026-01-08", "--today", "2026-01-09")
    assert code == 0 and rec["body"] == "县信访工作联席会议" and rec["voided"] is None
    comp = ("duty", "compliance", "--period", "2026-01", "--kind", "dispute_screening", "--today", "2026-02-01")
    assert cli(*comp)[1]["rows"][0]["status"] == "met"
    assert cli("duty", "void", str(rec["id"]), "--reason", "")[0] == 2
    code, out = cli("duty", "void", str(rec["id"]), "--reason", "误登记，实为2月排查")
    assert code == 0 and out["voided"]["id"] == rec["id"]
    assert out["voided"]["voided"]["reason"] == "误登记，实为2月排查"
    # Voided, not deleted: off the default list and out of the compliance, still on file.
    assert cli("duty", "list")[1]["total"] == 0
    kept = cli("duty", "list", "--include-voided")[1]["rows"]
    assert [r["id"] for r in kept] == [rec["id"]] and kept[0]["voided"]["reason"] == "误登记，实为2月排查"
    assert cli(*comp)[1]["rows"][0]["status"] == "missed"
    # Once is enough; the older verb `delete` voids too (a second time is refused).
    code, again = cli("duty", "delete", str(rec["id"]), "--reason", "再来一次")
    assert code == 2 and "已于" in again["error"] and "作废" in again["error"]
    # The same day may be recorded again now that the wrong record no longer counts.
    assert cli("duty", "record", "dispute_screening", "--date", "2026-01-08", "--today", "2026-01-09")[0] == 0
    db = open_database(db_target)
    with db.read_session() as s:
        entry = s.scalars(select(AuditEntryRecord).where(AuditEntryRecord.action == "void")).one()
        detail = json.loads(entry.detail or "{}")
        assert detail["reason"] == "误登记，实为2月排查" and detail["record"]["held_on"] == "2026-01-08"
    db.dispose()


def test_a_visit_counts_only_at_the_leaders_contact_point(cli: Cli, db_target: str) -> None:
    """R-RC-06 (S4 §3): 每季度至少到联点单位调研督导1次 — the visit elsewhere stays on file, named, and not counted."""
    today = ("--today", "2026-07-01")
    comp = ("duty", "compliance", "--period", "2026Q2", "--kind", "contact_unit_visit", *today)
    code, visit = cli("duty", "record", "contact_unit_visit", "--leader", "李县长", "--date", "2026-05-06",
                      "--unit", "示范县民政局", *today)  # fmt: skip
    assert code == 0 and visit["warnings"] == ["该领导尚未登记2026年联系点，所到单位无法核对"]
    row = cli(*comp)[1]["rows"][0]
    assert row["status"] == "met" and row["notes"] == ["未登记2026年联系点，所到单位未核对"]

    code, point = cli("duty", "contacts", "add", "--year", "2026", "--leader", "李县长", "--township", "东湖镇")
    assert code == 0 and (point["place"], point["place_kind"]) == ("东湖镇", "township")
    # The same place again (here through its government unit) is refused; an unknown one too.
    assert cli("duty", "contacts", "add", "--year", "2026", "--leader", "李县长", "--unit", "东湖镇人民政府")[0] == 2
    assert cli("duty", "contacts", "add", "--year", "2026", "--leader", "李县长", "--unit", "火星局")[0] == 2
    assert cli("duty", "contacts", "add", "--year", "2026", "--leader", "李县长")[0] == 2
    assert cli("duty", "contacts", "add", "--year", "1066", "--leader", "李县长", "--township", "东湖镇")[0] == 2
    row = cli(*comp)[1]["rows"][0]
    assert row["status"] == "missed" and row["excluded_record_ids"] == [visit["id"]]
    assert row["notes"] == ["2026-05-06 所到“示范县民政局”不是联系点，不计入"]
    assert row["requirement"] == "每季度至少到联系点1次"

    code, there = cli("duty", "record", "contact_unit_visit", "--leader", "李县长", "--date", "2026-06-10",
                      "--unit", "东湖镇人民政府", *today)  # fmt: skip
    assert code == 0 and there["warnings"] == []
    row = cli(*comp)[1]["rows"][0]
    assert row["status"] == "met" and row["done"] == 1 and row["slots"][0]["record_ids"] == [there["id"]]
    code, listed = cli("duty", "contacts", "list", "--year", "2026")
    assert code == 0 and [(p["leader"], p["place"]) for p in listed["rows"]] == [("李县长（副县长）", "东湖镇")]
    # A contact point of another year does not check this year's visits.
    assert cli("duty", "contacts", "list", "--year", "2025")[1]["total"] == 0

    assert cli("duty", "contacts", "remove", str(point["id"]), "--reason", "")[0] == 2
    code, removed = cli("duty", "contacts", "remove", str(point["id"]), "--reason", "分工调整")
    assert code == 0 and removed["removed"]["place"] == "东湖镇"
    assert cli(*comp)[1]["rows"][0]["notes"] == ["未登记2026年联系点，所到单位未核对"]
    db = open_database(db_target)
    with db.read_session() as s:
        actions = s.execute(
            select(AuditEntryRecord.action).where(AuditEntryRecord.entity == "leader_contact_point")
        ).scalars()
        assert sorted(actions) == ["create", "delete"]
    db.dispose()


def test_the_profile_chooses_the_duties(cli: Cli) -> None:
    assert cli("settings", "set", "rule_profile", "lishui")[0] == 0
    code, out = cli("duty", "record", "committee_hearing", "--date", "2026-03-10", "--today", "2026-03-31")
    assert code == 0, out
    code, data = cli("duty", "compliance", "--period", "2026Q1", "--today", "2026-04-01")
    hearing = _row(data, "committee_hearing", "县委常委会")
    # S0 art 4: at least twice a year — one meeting by Q1 leaves the year open with one more to go.
    assert hearing["status"] == "open" and hearing["missing"] == ["2026年尚需1次（截至2026-12-31）"]
    assert not any(r["kind"] == "dispute_screening_township" for r in data["rows"])
    code, late = cli("duty", "compliance", "--period", "2026", "--today", "2027-01-01", "--kind", "committee_hearing")
    assert late["rows"][0]["status"] == "missed" and late["rows"][0]["light"] == "red"
    # The national-only kind is unknown under this profile.
    code, out = cli("duty", "record", "dispute_screening_township", "--township", "东湖镇", "--date", "2026-03-10",
                    "--today", "2026-03-31")  # fmt: skip
    assert code == 2 and "没有职责" in out["error"]


def test_bad_input_exit_2_and_nothing_written(cli: Cli, db_target: str, minutes: Path, tmp_path: Path) -> None:
    assert cli("duty", "record", "dispute_screening", "--date", "2026-03-02", "--today", "2026-03-31")[0] == 0
    db = open_database(db_target)
    before = content_hash(db)
    files_before = _stored_files(db)
    record = ("duty", "record")
    today = ("--today", "2026-03-31")
    bad: list[tuple[str, ...]] = [
        (*record, "no_such_duty", "--date", "2026-03-02", *today),
        (*record, "dispute_screening", "--date", "2026-3-2x", *today),
        (*record, "dispute_screening", "--date", "2026-04-01", *today),  # after today
        (*record, "dispute_screening", "--date", "2026-03-02", *today),  # already recorded
        (*record, "dispute_screening", "--date", "2026-03-03", "--unit", "示范县民政局", *today),
        (*record, "dispute_screening_unit", "--date", "2026-03-03", *today),  # no unit
        (*record, "dispute_screening_unit", "--date", "2026-03-03", "--unit", "不存在局", *today),
        (*record, "dispute_screening_unit", "--date", "2026-03-03", "--unit", "东湖镇人民政府", *today),
        (*record, "dispute_screening_township", "--date", "2026-03-03", "--township", "火星镇", *today),
        (*record, "dispute_screening_township", "--date", "2026-03-03", "--leader", "李县长", *today),
        (*record, "contact_unit_visit", "--date", "2026-03-03", *today),
        (*record, "contact_unit_visit", "--date", "2026-03-03", "--leader", "王镇长", *today),  # township leader
        (*record, "contact_unit_visit", "--date", "2026-03-03", "--leader", "张三", *today),
        (*record, "committee_hearing", "--date", "2026-03-03", "--minutes", str(tmp_path / "missing.pdf"), *today),
        (*record, "committee_hearing", "--date", "2026-03-03", "--minutes", str(minutes), "--unit", "示范县民政局",
         *today),  # a bad subject with a good file: the file is not stored either
        (*record, "committee_hearing", "--date", "2026-03-03", "--body", "x" * 200, *today),
        (*record, "committee_hearing", "--date", "2026-03-03", "--topic", "a\x00b", *today),
        ("duty", "compliance", "--period", "2026Q5"),
        ("duty", "compliance", "--period", "2026-13"),
        ("duty", "compliance", "--period", "2026", "--kind", "nothing"),
        ("duty", "compliance", "--period", "2026", "--today", "yesterday"),
        ("duty", "compliance"),  # --period is required
        ("duty", "list", "--period", "26Q1"),
        ("duty", "delete", "999", "--reason", "x"),
        ("duty", "void", "999", "--reason", "x"),
        ("duty", "contacts", "add", "--year", "2026", "--leader", "无此人", "--township", "东湖镇"),
        ("duty", "contacts", "add", "--year", "2026", "--leader", "李县长", "--township", "东湖镇",
         "--unit", "示范县民政局"),
        ("duty", "contacts", "list", "--year", "twenty"),
        ("duty", "contacts", "remove", "999", "--reason", "x"),
        ("duty", "kinds", "--profile", "nowhere"),
    ]  # fmt: skip
    for argv in bad:
        code, out = cli(*argv)
        assert code == 2, (argv, out)
        assert out["error"], argv
    assert content_hash(db) == before
    assert _stored_files(db) == files_before
    db.dispose()
    code, out = cli(*record, "dispute_screening_unit", "--date", "2026-03-03", "--unit", "火星局", *today)
    assert "未登记的县直单位“火星局”" in out["error"] and "示范县信访局" in out["error"]
    code, out = cli(*record, "contact_unit_visit", "--date", "2026-03-03", "--leader", "王镇长", *today)
    assert out["error"] == "领导到联系单位督导信访工作适用于县级领导，“王镇长”是乡镇领导"


def test_text_output(cli: Cli, capsys: pytest.CaptureFixture[str], db_target: str) -> None:
    assert main(["duty", "compliance", "--period", "2026Q1", "--today", "2026-02-01", "--kind", "dispute_screening",
                 "--db", db_target]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "2026年第一季度职责落实" in out and "✕ [未达标] 矛盾纠纷排查｜县信访工作联席会议" in out
    assert "2026年1月缺1次" in out and "2026年2月尚需1次（截至2026-02-28）" in out
