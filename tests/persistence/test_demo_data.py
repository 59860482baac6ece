"""Demo data: counts, statuses, search tables in sync, determinism, and number sequences that continue."""

from __future__ import annotations

import os
import random
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.core.demo_text import complaint_text, id_check_digit, id_number, person_name, pick_topic
from xinfang_desktop.core.id_numbers import validate_id_number
from xinfang_desktop.persistence.database import Database, open_database
from xinfang_desktop.persistence.demo_data import generate_demo
from xinfang_desktop.persistence.records import (
    CaseDeadlineRecord,
    CaseEventRecord,
    CaseRecord,
    NumberSequenceRecord,
    PetitionerRecord,
    SubmissionRecord,
)

TODAY = date(2026, 11, 22)
PG_URL = os.environ.get("XINFANG_TEST_PG_URL")


def _db(tmp_path: Path, name: str = "x.sqlite3") -> Database:
    return open_database(tmp_path / name)


def _scalar(db: Database, sql: str, **params: object) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


@pytest.fixture(scope="module")
def demo_2000(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, dict[str, object]]:
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    counts = generate_demo(db, 2000, 11, today=TODAY)
    yield db, counts  # type: ignore[misc]
    db.dispose()


def test_counts_and_links(demo_2000: tuple[Database, dict[str, object]]) -> None:
    db, counts = demo_2000
    assert counts["cases"] == 2000 and counts["events"] > 2000 and not counts["cancelled"]
    assert _scalar(db, "SELECT count(*) FROM cases") == 2000
    assert _scalar(db, "SELECT count(*) FROM petitioners") == counts["petitioners"] >= 2000
    assert _scalar(db, "SELECT count(*) FROM submissions") == counts["submissions"] > 2000
    assert _scalar(db, "SELECT count(*) FROM case_events WHERE action = 'register' AND seq = 1") == 2000
    assert (
        _scalar(
            db,
            "SELECT count(*) FROM cases c WHERE NOT EXISTS "
            "(SELECT 1 FROM case_petitioners p WHERE p.case_id = c.id AND p.role = 'principal')",
        )
        == 0
    )
    # batches / person_visits / last_received_on agree with the submissions
    assert (
        _scalar(
            db,
            """SELECT count(*) FROM cases c JOIN (SELECT case_id, count(*) n, sum(headcount) h,
        max(received_on) last FROM submissions GROUP BY case_id) s ON s.case_id = c.id
        WHERE c.batches != s.n OR c.person_visits != s.h OR c.last_received_on != s.last
        OR c.is_repeat != (s.n > 1)""",
        )
        == 0
    )
    assert _scalar(db, "SELECT count(*) FROM submissions WHERE received_on > :t", t=TODAY.isoformat()) == 0


def test_ids_follow_received_dates_over_ten_years(demo_2000: tuple[Database, dict[str, object]]) -> None:
    db, _ = demo_2000
    assert (
        _scalar(db, "SELECT count(*) FROM cases a JOIN cases b ON b.id = a.id + 1 WHERE b.received_on < a.received_on")
        == 0
    )
    with db.read_session() as s:
        first, last = s.execute(select(func.min(CaseRecord.received_on), func.max(CaseRecord.received_on))).one()
    assert (TODAY - first).days > 9 * 365 and last <= TODAY


def test_every_status_with_plausible_deadlines(demo_2000: tuple[Database, dict[str, object]]) -> None:
    db, _ = demo_2000
    with db.read_session() as s:
        rows = s.execute(select(CaseRecord.status, func.count()).group_by(CaseRecord.status)).all()
        by_status = {CaseStatus(st): n for st, n in rows}
        assert set(by_status) == set(CaseStatus)
        assert by_status[CaseStatus.CLOSED] > 2000 * 0.5
        for status, received, due in s.execute(select(CaseRecord.status, CaseRecord.received_on, CaseRecord.due_on)):
            st = CaseStatus(status)
            if not st.is_open:
                assert due is None
            elif st is CaseStatus.UNDER_REVIEW:
                assert 15 <= (due - received).days <= 25  # R-DL-01, rolled past rest days and holidays
            else:
                assert due is not None and due > received
        open_cases = sum(n for st, n in by_status.items() if st.is_open)
        with_clock = s.scalar(select(func.count(func.distinct(CaseDeadlineRecord.case_id))))
        assert with_clock is not None and with_clock >= open_cases
        rules = set(s.scalars(select(CaseDeadlineRecord.rule_id)))
        assert {"R-DL-01", "R-DL-06"} <= rules


def test_every_demo_case_folds_to_its_status(demo_2000: tuple[Database, dict[str, object]]) -> None:
    """The demo's histories come from the state machine: acting on a demo case starts from the right state."""
    from xinfang_desktop.core.lifecycle import clocks, current_due
    from xinfang_desktop.persistence.calendar_store import load_calendar
    from xinfang_desktop.persistence.lifecycle_store import load_case
    from xinfang_desktop.persistence.rule_profile_store import load_profile

    db, counts = demo_2000
    calendar, profile = load_calendar(db), load_profile("national")
    with db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(CaseEventRecord)) == counts["events"]
        for number, status, due, awaiting in s.execute(
            select(CaseRecord.number, CaseRecord.status, CaseRecord.due_on, CaseRecord.awaiting)
        ).all():
            loaded = load_case(s, number)
            assert loaded.state.status.value == status, number
            assert loaded.state.awaiting == awaiting, number
            if not loaded.state.is_final:
                running = clocks(loaded.state, loaded.facts, profile=profile, calendar=calendar, today=TODAY)
                assert current_due(running) == due, number


def test_groups_repeats_and_level_skipping(demo_2000: tuple[Database, dict[str, object]]) -> None:
    db, _ = demo_2000
    assert _scalar(db, "SELECT count(*) FROM cases WHERE is_collective AND headcount < 5") == 0
    assert _scalar(db, "SELECT count(*) FROM cases WHERE is_collective") > 20
    assert _scalar(db, "SELECT count(*) FROM case_petitioners WHERE role = 'representative'") > 20
    assert _scalar(db, "SELECT max(n) FROM (SELECT count(*) n FROM case_petitioners GROUP BY case_id)") <= 5
    assert _scalar(db, "SELECT count(*) FROM cases WHERE is_repeat") > 100
    skipping = _scalar(db, "SELECT count(*) FROM submissions WHERE is_level_skipping")
    assert skipping > 10
    assert (
        _scalar(
            db,
            "SELECT count(*) FROM submissions WHERE is_level_skipping "
            "AND (level NOT IN ('city', 'province', 'national') OR level_skipping_reason IS NULL "
            "OR channel != 'visit')",
        )
        == 0
    )
    assert _scalar(db, "SELECT count(*) FROM submissions WHERE destination = 'to_capital'") > 0
    assert _scalar(db, "SELECT count(*) FROM submissions WHERE destination = 'to_province'") > 0
    assert (
        _scalar(
            db,
            "SELECT count(*) FROM cases c WHERE is_level_skipping != EXISTS "
            "(SELECT 1 FROM submissions s WHERE s.case_id = c.id AND s.is_level_skipping)",
        )
        == 0
    )


def test_petitioners_look_real(demo_2000: tuple[Database, dict[str, object]]) -> None:
    db, _ = demo_2000
    with db.read_session() as s:
        people = s.execute(select(PetitionerRecord.name, PetitionerRecord.id_number, PetitionerRecord.phone)).all()
    for name, id_no, phone in people[:500]:
        assert 2 <= len(name) <= 3
        result = validate_id_number(id_no, today=TODAY)
        assert result.valid, (id_no, result.errors)
        assert phone is None or (len(phone) == 11 and phone.startswith("1"))
    two_char = sum(1 for name, _, _ in people if len(name) == 2) / len(people)
    assert 0.2 < two_char < 0.4


def test_search_tables_in_sync(demo_2000: tuple[Database, dict[str, object]]) -> None:
    db, _ = demo_2000
    fts = _scalar(db, "SELECT count(*) FROM case_search WHERE case_search MATCH '\"拖欠农民工\"'")
    like = _scalar(
        db,
        "SELECT count(*) FROM cases WHERE summary LIKE '%拖欠农民工%' "
        "OR search_people LIKE '%拖欠农民工%' OR search_address LIKE '%拖欠农民工%'",
    )
    assert fts == like > 0
    assert _scalar(db, "SELECT count(*) FROM case_search") == 2000
    with db.read_session() as s:
        name = s.scalar(select(PetitionerRecord.name).where(func.length(PetitionerRecord.name) == 2).limit(1))
    assert name is not None
    hits = _scalar(db, "SELECT count(*) FROM case_search_bigram WHERE case_search_bigram MATCH :q", q=f'"{name}"')
    exact = _scalar(
        db, "SELECT count(*) FROM cases WHERE search_people LIKE :p OR search_address LIKE :p", p=f"%{name}%"
    )
    assert hits == exact > 0
    assert _scalar(db, "SELECT count(*) FROM search_bulk_mode") == 0


def test_same_seed_same_data(tmp_path: Path) -> None:
    dumps = []
    for name, parallel in (("a.sqlite3", False), ("b.sqlite3", True)):
        db = _db(tmp_path, name)
        try:
            generate_demo(db, 300, 5, today=TODAY, parallel=parallel)
            with db.engine.connect() as conn:
                dumps.append(
                    [
                        conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2")).all()
                        for t in ("cases", "petitioners", "submissions", "case_petitioners", "case_deadlines")
                    ]
                )
        finally:
            db.dispose()
    assert dumps[0] == dumps[1]
    other = _db(tmp_path, "c.sqlite3")
    try:
        generate_demo(other, 300, 6, today=TODAY)
        with other.engine.connect() as conn:
            assert conn.execute(text("SELECT * FROM cases ORDER BY 1, 2")).all() != dumps[0][0]
    finally:
        other.dispose()


def test_number_sequences_continue(tmp_path: Path) -> None:
    from xinfang_desktop.persistence.case_repository import SqlCaseRepository

    db = _db(tmp_path)
    try:
        generate_demo(db, 300, 1, today=TODAY)
        generate_demo(db, 300, 2, today=TODAY)  # a second run appends with new numbers
        with db.read_session() as s:
            assert s.scalar(select(func.count(func.distinct(CaseRecord.number)))) == 600
            seq = s.scalar(
                select(NumberSequenceRecord.last_value).where(
                    NumberSequenceRecord.kind == "case", NumberSequenceRecord.year == TODAY.year
                )
            )
            used = s.scalar(select(func.count()).where(CaseRecord.year == TODAY.year))
            assert seq == used
        with db.write_session() as s:
            assert SqlCaseRepository(s, datetime(2026, 11, 22)).next_number("case", TODAY.year) == used + 1
    finally:
        db.dispose()


def test_cancel_keeps_complete_batches(tmp_path: Path) -> None:
    import threading

    db = _db(tmp_path)
    cancel = threading.Event()
    cancel.set()
    try:
        counts = generate_demo(db, 500, 1, today=TODAY, cancel=cancel)
        assert counts["cancelled"] and counts["cases"] == 0
        assert _scalar(db, "SELECT count(*) FROM cases") == 0
    finally:
        db.dispose()


def test_generated_text_and_ids() -> None:
    rng = random.Random(3)
    for _ in range(200):
        text_ = complaint_text(
            rng, pick_topic(rng), county="示范县", township="东湖镇", village="湖滨村", year=2024, group=False
        )
        assert 50 <= len(text_) <= 500 and "{" not in text_
        assert 2 <= len(person_name(rng, rng.random() < 0.5)) <= 3
    number = id_number(rng, "331221", date(1970, 5, 17), True)
    assert number[6:14] == "19700517" and int(number[16]) % 2 == 1
    assert id_check_digit("11010519491231002") == "X"  # the GB 11643 example


def test_submission_rows_reference_cases(demo_2000: tuple[Database, dict[str, object]]) -> None:
    db, _ = demo_2000
    with db.read_session() as s:
        orphans = s.scalar(
            select(func.count())
            .select_from(SubmissionRecord)
            .where(SubmissionRecord.case_id.not_in(select(CaseRecord.id)))
        )
    assert orphans == 0


@pytest.mark.pg
@pytest.mark.skipif(not PG_URL, reason="XINFANG_TEST_PG_URL not set: no PostgreSQL server")
def test_demo_on_postgresql(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        counts = generate_demo(db, 300, 4, today=TODAY)
        assert counts["cases"] == 300
        assert _scalar(db, "SELECT count(*) FROM cases") == 300
        assert _scalar(db, "SELECT count(*) FROM cases WHERE summary LIKE '%补偿%'") > 0
        with db.write_session() as s:  # the id sequences moved past the explicit ids
            from xinfang_desktop.persistence.uow import ensure_user

            ensure_user(s, "someone", datetime(2026, 11, 22))
            assert int(s.scalar(text("SELECT nextval(pg_get_serial_sequence('cases', 'id'))"))) > 300
    finally:
        db.dispose()
