"""Intake through the service layer on a real database (SQLite, and PostgreSQL when available)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.core.errors import NotFoundError, ValidationError
from xinfang_desktop.persistence.case_intake import add_case, duplicate_suggestions, submit
from xinfang_desktop.persistence.records import (
    AuditEntryRecord,
    CaseDeadlineRecord,
    CaseEventRecord,
    CaseRecord,
    RegionRecord,
    SubmissionRecord,
)
from xinfang_desktop.persistence.settings_store import SqlSettings

TODAY = date(2026, 11, 22)


def _township(db: Any) -> tuple[str, str]:
    with db.read_session() as s:
        row = s.execute(select(RegionRecord.code, RegionRecord.name).where(RegionRecord.level == "township")).first()
    assert row is not None, "the example county has townships"
    return row.code, row.name


def test_register_new_case_opens_it_under_review_with_the_15_day_clock(db: Any) -> None:
    out = add_case(db, sample_case(received_on="2024-09-20"), today=TODAY)
    reg = out.registered
    assert reg.number == "XF2024-000001"
    assert reg.status.label == "受理申请审查中"
    # R-DL-01: 15 日 from 2024-09-20 ends on 2024-10-05, inside the National Day holiday → 2024-10-08.
    assert reg.due_on == date(2024, 10, 8)
    with db.read_session() as s:
        case = s.scalar(select(CaseRecord).where(CaseRecord.number == reg.number))
        assert case is not None
        assert (case.batches, case.person_visits, case.is_repeat, case.is_collective) == (1, 1, False, False)
        dl = s.scalar(select(CaseDeadlineRecord).where(CaseDeadlineRecord.case_id == case.id))
        assert dl is not None and dl.rule_id == "R-DL-01" and "顺延" in dl.explanation
        events = s.scalars(select(CaseEventRecord).where(CaseEventRecord.case_id == case.id)).all()
        assert [e.action for e in events] == ["register"]
        audit = s.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity_id == reg.number)).all()
        assert len(audit) == 1 and audit[0].workstation


def test_numbers_are_per_year_and_follow_the_configured_format(db: Any) -> None:
    with db.write_session() as s:
        SqlSettings(s).set("case_number_prefix", "SFX")
    a = add_case(db, sample_case(received_on="2025-12-31"), today=TODAY).registered.number
    b = add_case(db, sample_case(received_on="2026-01-02"), today=TODAY).registered.number
    c = add_case(db, sample_case(received_on="2026-01-03"), today=TODAY).registered.number
    assert (a, b, c) == ("SFX2025-000001", "SFX2026-000001", "SFX2026-000002")


def test_collective_flag_follows_the_configurable_threshold(db: Any) -> None:
    reps = [{"name": f"代表{i}"} for i in range(3)]
    four = add_case(db, sample_case(headcount=4, representatives=reps), today=TODAY).registered
    five = add_case(db, sample_case(headcount=5, representatives=reps), today=TODAY).registered
    with db.write_session() as s:
        SqlSettings(s).set("collective_threshold", 4)
    four_again = add_case(db, sample_case(headcount=4), today=TODAY).registered
    with db.read_session() as s:
        flags = dict(s.execute(select(CaseRecord.number, CaseRecord.is_collective)).all())
    assert flags[four.number] is False
    assert flags[five.number] is True
    assert flags[four_again.number] is True


def test_repeat_submission_updates_batches_and_person_visits(db: Any) -> None:
    number = add_case(db, sample_case(headcount=2), today=TODAY).registered.number
    out = submit(
        db, number, {"channel": "来访", "received_on": "2026-11-21", "level": "县", "headcount": 3}, today=TODAY
    )
    assert (out.submitted.batches, out.submitted.person_visits) == (2, 5)
    with db.read_session() as s:
        case = s.scalar(select(CaseRecord).where(CaseRecord.number == number))
        assert case is not None and case.is_repeat and case.last_received_on == date(2026, 11, 21)
        seqs = s.scalars(select(SubmissionRecord.seq).where(SubmissionRecord.case_id == case.id)).all()
        assert sorted(seqs) == [1, 2]


def test_level_skipping_is_derived_with_its_reason(db: Any) -> None:
    code, _ = _township(db)
    number = add_case(db, sample_case(locality=code), today=TODAY).registered.number
    to_county = submit(db, number, {"channel": "来访", "received_on": "2026-11-21", "level": "县"}, today=TODAY)
    assert to_county.submitted.level_skipping is False  # the level directly above the township
    to_city = submit(db, number, {"channel": "来访", "received_on": "2026-11-21", "level": "市"}, today=TODAY)
    assert to_city.submitted.level_skipping is True
    assert "越级" in (to_city.submitted.level_skipping_reason or "")
    letter = submit(db, number, {"channel": "来信", "received_on": "2026-11-21", "level": "省"}, today=TODAY)
    assert letter.submitted.level_skipping is False  # R-CL-03 concerns visits


def test_locality_accepts_a_name_and_unknown_references_are_refused(db: Any) -> None:
    code, name = _township(db)
    number = add_case(db, sample_case(locality=name), today=TODAY).registered.number
    with db.read_session() as s:
        assert s.scalar(select(CaseRecord.locality_code).where(CaseRecord.number == number)) == code
    before = content_hash(db)
    with pytest.raises(ValidationError) as err:
        add_case(db, sample_case(locality="不存在乡", responsible_unit="不存在局"), today=TODAY)
    assert {p.field for p in err.value.errors} == {"locality", "responsible_unit"}
    assert content_hash(db) == before


def test_duplicates_are_suggested_by_id_number_or_name_and_phone(db: Any) -> None:
    first = add_case(db, sample_case(), today=TODAY).registered
    assert first.duplicates == ()
    same_id = add_case(db, sample_case(), today=TODAY).registered
    assert [d.number for d in same_id.duplicates] == [first.number]
    assert same_id.duplicates[0].matched_on == "id_number"
    assert same_id.duplicates[0].similarity == pytest.approx(1.0)
    by_phone = sample_case(summary="物业公司乱收费，要求查处。")
    by_phone["petitioner"] = {"name": "张伟", "phone": "13800138000"}
    found = duplicate_suggestions(db, by_phone, today=TODAY)
    assert {d.number for d in found} == {first.number, same_id.number}
    assert all(d.matched_on == "name_phone" and d.similarity < 0.2 for d in found)
    stranger = sample_case()
    stranger["petitioner"] = {"name": "李娜", "phone": "13900001111"}
    assert duplicate_suggestions(db, stranger, today=TODAY) == []


def test_unknown_case_number_for_a_repeat_is_refused(db: Any) -> None:
    with pytest.raises(NotFoundError):
        submit(db, "XF2026-999999", {"channel": "来信", "received_on": "2026-11-21"}, today=TODAY)


def test_a_repeat_cannot_predate_the_case(db: Any) -> None:
    number = add_case(db, sample_case(), today=TODAY).registered.number
    before = content_hash(db)
    with pytest.raises(Exception, match="早于"):
        submit(db, number, {"channel": "来信", "received_on": "2026-01-01"}, today=TODAY)
    assert content_hash(db) == before


def test_events_and_audit_entries_are_append_only(db: Any) -> None:
    add_case(db, sample_case(), today=TODAY)
    for table in ("case_events", "audit_entries"):
        with pytest.raises(Exception, match="append-only"), db.write_session() as s:
            s.execute(text(f"UPDATE {table} SET id = id"))
        with pytest.raises(Exception, match="append-only"), db.write_session() as s:
            s.execute(text(f"DELETE FROM {table}"))


def test_concurrent_registrations_never_share_a_number(db: Any) -> None:
    """Two workstations registering at once: every number distinct and the sequence without gaps."""
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(10):
                n = add_case(db, sample_case(), today=TODAY).registered.number
                with lock:
                    numbers.append(n)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"XF2026-{i:06d}" for i in range(1, 41)]


def _with_id(number17: str) -> dict[str, Any]:
    from xinfang_desktop.core.id_numbers import id_check_char

    data = sample_case()
    data["petitioner"]["id_number"] = number17 + id_check_char(number17)
    return data


def test_an_id_number_of_the_offices_own_county_is_not_an_unknown_region(db: Any) -> None:
    # Issue 18: the example county's code 331221 is not in GB/T 2260 (chosen so), and every local ID number was
    # "地址码 331221 不在行政区划代码表中". The office's own region register counts as known; a stray code still warns.
    own = add_case(db, _with_id("33122119800101123"), today=TODAY)
    assert not [w for w in own.warnings if "地址码" in w]
    stray = add_case(db, _with_id("33998819800101123"), today=TODAY)
    assert [w for w in stray.warnings if "地址码 339988" in w]


def test_an_id_number_on_file_under_another_name_is_said(db: Any) -> None:
    # Issue 17: the stored person was silently kept when the same ID number came with another name or address.
    first = sample_case()
    add_case(db, first, today=TODAY)
    renamed = sample_case()
    renamed["petitioner"] = {**first["petitioner"], "name": "张卫"}
    warned = add_case(db, renamed, today=TODAY).warnings
    assert any("已登记为“张伟”" in w and "本次填写为“张卫”" in w for w in warned), warned
    moved = sample_case()
    moved["petitioner"] = {**first["petitioner"], "address": "示范县城关镇西街9号"}
    assert any("登记的住址为" in w for w in add_case(db, moved, today=TODAY).warnings)
    assert not [w for w in add_case(db, sample_case(), today=TODAY).warnings if "身份证号码" in w and "登记" in w]
