"""Warning slips, explanations, backlog, 一事双查 and 三方会审 on stored cases (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.errors import ConflictError, DomainError, ValidationError
from xinfang_desktop.core.lifecycle import ActionRequest
from xinfang_desktop.documents.document_store import issue_document
from xinfang_desktop.persistence.backlog_store import (
    InquiryUpdate,
    classify_backlog,
    create_inquiry,
    list_backlog,
    record_inquiry,
    show_inquiry,
)
from xinfang_desktop.persistence.case_intake import add_case, submit
from xinfang_desktop.persistence.lifecycle_store import act, tick_all
from xinfang_desktop.persistence.records import AuditEntryRecord, CaseRecord
from xinfang_desktop.persistence.reviews_store import (
    ReviewRecordInput,
    create_review,
    list_reviews,
    record_review,
    show_review,
    verify_manifest,
)
from xinfang_desktop.persistence.units import add_unit
from xinfang_desktop.persistence.warnings_store import (
    candidates,
    issue_slip,
    list_slips,
    receipt_slip,
    record_explanation,
    scan_case,
    tick_warnings,
)

D = date.fromisoformat
UNIT = "县自然资源局"
LATER = D("2024-12-31")


def issuer(db: Any) -> Any:
    def issue(type_id: str, data: Mapping[str, Any], case_number: str) -> Any:
        return issue_document(db, type_id, data, case_number=case_number)

    return issue


def new_case(db: Any, **changes: Any) -> str:
    data = sample_case(received_on="2024-09-02", level="乡镇", responsible_unit=UNIT, **changes)
    return add_case(db, data, today=LATER).registered.number


def visit(db: Any, number: str, on: str, level: str = "县", channel: str = "来访", **extra: Any) -> dict[str, Any]:
    """Register a later submission; the intake checks it at once (scan_case) and returns what that found."""
    outcome = submit(db, number, {"channel": channel, "received_on": on, "level": level, **extra}, today=LATER)
    assert outcome.scan is not None
    return outcome.scan


@pytest.fixture
def wdb(db: Any) -> Any:
    add_unit(db, UNIT)
    return db


def test_detection_slip_receipt_and_explanations(wdb: Any) -> None:
    number = new_case(wdb)
    visit(wdb, number, "2024-09-10", "县")
    visit(wdb, number, "2024-09-12", "县", channel="来信")  # a letter does not count (R-WS-01)
    assert scan_case(wdb, number, today=D("2024-09-12"))["candidate"] is None
    visit(wdb, number, "2024-09-20", "市")
    found = scan_case(wdb, number, today=D("2024-09-20"))
    assert found["candidate"]["met_on"] == "2024-09-20"
    assert [v["level"] for v in found["candidate"]["visits"]] == ["县", "市"]
    assert [c["number"] for c in candidates(wdb, today=D("2024-09-21"))] == [number]

    slip = issue_slip(wdb, number, today=D("2024-09-25"), issue=issuer(wdb))
    assert slip["number"].startswith("示信预警〔2024〕") and slip["to_unit"] == UNIT
    assert slip["trigger"] == "repeat_visits" and slip["evidence"]["count"] == 2
    assert candidates(wdb, today=D("2024-09-26")) == []
    with pytest.raises(ConflictError):
        issue_slip(wdb, number, today=D("2024-09-26"), issue=issuer(wdb))

    for bad in ("2030-01-01", "2024-09-24"):  # in the future; before the slip was issued
        with DbUnchanged(wdb), pytest.raises(ValidationError):
            receipt_slip(wdb, slip["number"], on=D(bad), today=D("2024-09-26"))
    receipt_slip(wdb, slip["number"], on=D("2024-09-26"), today=D("2024-09-26"))
    with pytest.raises(ConflictError):
        receipt_slip(wdb, slip["number"], on=D("2024-09-27"), today=D("2024-09-27"))

    # R-WS-03: a visit on 2024-09-30 → explanation due 2024-10-10 across the National Day holiday.
    created = visit(wdb, number, "2024-09-30", "县")["explanations"]
    assert [(e["rule"], e["due_on"], e["owed_to"]) for e in created] == [
        ("R-WS-03", "2024-10-10", "上级信访工作领导小组组长")
    ]
    assert scan_case(wdb, number, today=D("2024-09-30"))["explanations"] == []  # idempotent
    # R-WS-04: the next visit escalates.
    escalated = visit(wdb, number, "2024-10-14", "市")["explanations"]
    assert [(e["rule"], e["owed_to"]) for e in escalated] == [("R-WS-04", "上级党政主要领导")]
    summary = tick_warnings(wdb, today=D("2024-10-14"))
    assert summary["explanations"] == []  # already owed since the visit was registered
    assert [o["due_on"] for o in summary["overdue"]] == ["2024-10-10"]
    assert tick_warnings(wdb, today=D("2024-10-14"))["overdue"] == []  # idempotent

    [listed] = list_slips(wdb, today=D("2024-10-14"))
    first, second = listed["explanations"]
    assert first["status"] == "overdue" and "R-AC-01" in first["accountability_ground"]
    assert second["status"] == "owed" and second["due_on"] == "2024-10-17" and second["rule"] == "R-WS-04"

    record_explanation(wdb, slip["number"], on=D("2024-10-15"), today=D("2024-10-15"))
    [listed] = list_slips(wdb, today=D("2024-10-15"))
    assert [e["status"] for e in listed["explanations"]] == ["received_late", "owed"]
    record_explanation(wdb, slip["number"], on=D("2024-10-16"), today=D("2024-10-16"))
    with pytest.raises(DomainError):
        record_explanation(wdb, slip["number"], on=D("2024-10-16"), today=D("2024-10-16"))


class DbUnchanged:
    def __init__(self, db: Any) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.before = content_hash(self.db)

    def __exit__(self, *exc: object) -> None:
        assert content_hash(self.db) == self.before


def test_slip_by_hand_needs_a_reason_and_a_unit(wdb: Any) -> None:
    number = new_case(wdb)
    with DbUnchanged(wdb), pytest.raises(DomainError, match="R-WS-01"):
        issue_slip(wdb, number, today=D("2024-09-05"), issue=issuer(wdb))
    slip = issue_slip(wdb, number, today=D("2024-09-05"), issue=issuer(wdb), reason="扬言进京上访", to_leader="局长")
    assert slip["trigger"] == "other_risk" and "扬言进京上访" in slip["reason"] and slip["to_leader"] == "局长"
    other = add_case(wdb, sample_case(received_on="2024-09-02"), today=LATER).registered.number
    with DbUnchanged(wdb), pytest.raises(DomainError, match="--unit"):
        issue_slip(wdb, other, today=D("2024-09-05"), issue=issuer(wdb), reason="风险")


def test_a_failing_document_engine_writes_no_slip(wdb: Any) -> None:
    number = new_case(wdb)

    def broken(type_id: str, data: Mapping[str, Any], case_number: str) -> Any:
        raise DomainError("渲染失败")

    with DbUnchanged(wdb), pytest.raises(DomainError):
        issue_slip(wdb, number, today=D("2024-09-05"), issue=broken, reason="风险")


def test_backlog_detection_dual_inquiry_and_ledger(wdb: Any) -> None:
    number = new_case(wdb)
    act(wdb, number, ActionRequest(action=CaseAction.ACCEPT, on=D("2024-09-03"), unit=UNIT), today=D("2024-09-03"))
    tick_all(wdb, today=D("2024-11-10"))  # R-DL-06 due 2024-11-04 passes
    assert tick_warnings(wdb, today=D("2024-11-10"))["backlog"] == []  # not petitioned again yet
    with DbUnchanged(wdb), pytest.raises(DomainError, match="R-CL-05"):
        create_inquiry(wdb, number, today=D("2024-11-10"))
    with wdb.read_session() as s:
        version = s.scalar(select(CaseRecord.version).where(CaseRecord.number == number))
    found = visit(wdb, number, "2024-11-20", channel="来信")["backlog"]
    assert found["missed_rule"] == "R-DL-06" and found["repeat"]["date"] == "2024-11-20"
    with wdb.read_session() as s:
        case = s.scalar(select(CaseRecord).where(CaseRecord.number == number))
        assert case is not None and case.is_backlog
        assert case.version == version + 1  # the submit; the flag is a plain UPDATE
        audit = s.scalars(select(AuditEntryRecord.entity).where(AuditEntryRecord.entity == "backlog_case")).all()
        assert audit == ["backlog_case"]
    inquiry = show_inquiry(wdb, number, today=D("2024-11-21"))
    assert inquiry["handling"]["due_on"] == "2024-12-11" and inquiry["accountability"]["done_on"] is None
    with pytest.raises(ConflictError):
        create_inquiry(wdb, number, today=D("2024-11-22"))
    with DbUnchanged(wdb), pytest.raises(ValidationError):
        record_inquiry(wdb, number, InquiryUpdate("handling", D("2024-11-25"), first_unit=UNIT), today=D("2024-11-25"))
    with DbUnchanged(wdb), pytest.raises(ValidationError):
        record_inquiry(wdb, number, InquiryUpdate("accountability", D("2024-11-25")), today=D("2024-11-25"))
    record_inquiry(
        wdb,
        number,
        InquiryUpdate("handling", D("2024-11-25"), first_unit=UNIT, handler="李四", findings="未按期办结"),
        today=D("2024-11-25"),
    )
    done = record_inquiry(
        wdb,
        number,
        InquiryUpdate("accountability", D("2024-11-26"), pursued=True, outcome="通报"),
        today=D("2024-11-26"),
    )
    assert done["complete"] and done["handling"]["handler"] == "李四"

    classify_backlog(wdb, number, origin="国家信访局交办", batch="第一批", handed_down_on=D("2024-11-01"), today=LATER)
    ledger = list_backlog(wdb, today=D("2024-11-26"))
    assert ledger["total"] == 1 and ledger["cases"][0]["origin"] == "national"
    national = next(t for t in ledger["targets"] if t["origin"] == "national")
    assert national == {**national, "total": 1, "resolved": 0, "target": 1.0, "met": False}
    assert ledger["batches"][0]["burn_down"] == [{"date": "2024-11-01", "remaining": 1}]
    assert tick_warnings(wdb, today=D("2024-11-26"))["backlog"] == []


def test_tripartite_review_from_a_visit_of_50_and_its_record(wdb: Any, tmp_path: Path) -> None:
    number = new_case(wdb)
    assert visit(wdb, number, "2024-09-30", "省", headcount=49)["reviews"] == []
    with DbUnchanged(wdb), pytest.raises(DomainError, match="R-BK-02"):
        create_review(wdb, number, seq=None, today=D("2024-09-30"))
    [created] = visit(wdb, number, "2024-10-08", "省", headcount=50)["reviews"]
    assert created["triggers"] == ["50人以上赴省集体上访"]
    review_id = created["id"]
    with pytest.raises(ConflictError):
        create_review(wdb, number, seq=3, today=D("2024-10-08"))
    assert [r["triggers"] for r in visit(wdb, number, "2024-10-09", "国家", abnormal=True)["reviews"]] == [
        ["进京非正常上访"]
    ]
    assert tick_warnings(wdb, today=D("2024-10-09"))["reviews"] == []  # idempotent: created with the visit
    assert [r["status"] for r in list_reviews(wdb, today=D("2024-10-09"))] == ["due", "due"]

    audio = tmp_path / "会审录音.mp3"
    audio.write_bytes(b"ID3 fake audio")
    with DbUnchanged(wdb), pytest.raises(ValidationError, match="司法部门专家"):
        record_review(
            wdb,
            review_id,
            ReviewRecordInput(held_on=D("2024-10-20"), participants=(("leader", "王书记"), ("unit", UNIT))),
            today=D("2024-10-21"),
        )
    before_files = sorted(p.name for p in tmp_path.rglob("*"))
    done = record_review(
        wdb,
        review_id,
        ReviewRecordInput(
            held_on=D("2024-10-20"),
            participants=(("leader", "王书记"), ("unit", UNIT), ("legal", "赵律师")),
            petitioner_met=True,
            notes="与信访人面对面交流",
            city_copy_sent_on=D("2024-10-21"),
            files=((audio, None),),
        ),
        today=D("2024-10-21"),
    )
    assert done["status"] == "held" and done["petitioner_met"] and done["city_copy_sent_on"] == "2024-10-21"
    [f] = done["manifest"]
    assert f["kind"] == "audio" and f["size"] == len(b"ID3 fake audio") and len(f["sha256"]) == 64
    assert verify_manifest(show_review(wdb, review_id, today=D("2024-10-21"))) == []
    archive = {"ledger.files", "archive.json", "attachments"} | {f["sha256"], f["sha256"][:2]}  # the db's own store
    assert sorted(p.name for p in tmp_path.rglob("*") if p.name not in archive) == before_files  # source left as is


def test_owed_explanation_counts_for_the_workbench(wdb: Any) -> None:
    from xinfang_desktop.persistence.warnings_store import owed_explanation_counts

    number = new_case(wdb)
    visit(wdb, number, "2024-09-10", "县")
    visit(wdb, number, "2024-09-20", "市")
    issue_slip(wdb, number, today=D("2024-09-25"), issue=issuer(wdb))
    visit(wdb, number, "2024-09-30", "县")  # owed by 2024-10-10
    with wdb.read_session() as s:
        assert owed_explanation_counts(s, today=D("2024-10-10")) == (1, 0)
        assert owed_explanation_counts(s, today=D("2024-10-11")) == (1, 1)
