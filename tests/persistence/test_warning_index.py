"""The warning-trigger index (cases.warning_met_on, R-WS-01): kept by every registered visit, rebuilt in bulk after
a demo load or a policy change, and equal to evaluating the rule on every case (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update

from tests.persistence.test_warnings_store import UNIT, issuer, new_case, visit
from xinfang_desktop.core.warnings_rules import warning_trigger
from xinfang_desktop.persistence import warning_index
from xinfang_desktop.persistence.backlog_store import case_visits, policy_for
from xinfang_desktop.persistence.demo_data import generate_demo
from xinfang_desktop.persistence.records import CaseRecord, DerivedIndexRecord
from xinfang_desktop.persistence.units import add_unit
from xinfang_desktop.persistence.warnings_store import candidate_page, candidates, issue_slip

D = date.fromisoformat


def brute_force(db: Any, today: date) -> list[int]:
    """R-WS-01 evaluated case by case on the submissions up to `today` (what the index must reproduce)."""
    with db.read_session() as s:
        policy = policy_for(s)
        met = []
        for case_id in s.scalars(select(CaseRecord.id)):
            visits = [v for v in case_visits(s, case_id) if v.received_on <= today]
            if warning_trigger(visits, policy=policy) is not None:
                met.append(case_id)
        return sorted(met)


def indexed(db: Any, today: date) -> list[int]:
    with db.read_session() as s:
        total, ids = warning_index.candidate_ids(s, today=today)
    assert total == len(ids)
    return sorted(ids)


def test_each_registered_visit_keeps_its_case_current(db: Any) -> None:
    add_unit(db, UNIT)
    number = new_case(db)
    visit(db, number, "2024-09-10", "县")
    visit(db, number, "2024-09-12", "县", channel="来信")  # a letter does not count
    with db.read_session() as s:
        assert s.scalar(select(CaseRecord.warning_met_on).where(CaseRecord.number == number)) is None
    visit(db, number, "2024-09-20", "市")
    with db.read_session() as s:
        assert s.scalar(select(CaseRecord.warning_met_on).where(CaseRecord.number == number)) == D("2024-09-20")
    assert indexed(db, D("2024-09-19")) == []  # met on the 20th, not before
    assert len(indexed(db, D("2024-09-20"))) == 1
    issue_slip(db, number, today=D("2024-09-25"), issue=issuer(db))
    assert indexed(db, D("2024-09-26")) == []  # a case with a slip is no longer a candidate


def test_rebuild_after_a_demo_load_equals_the_rule_on_every_case(db: Any) -> None:
    today = D("2026-11-20")
    generate_demo(db, 600, seed=7, today=today)
    expected = brute_force(db, today)
    assert expected, "the demo data should contain repeat visitors"
    assert indexed(db, today) == expected
    earlier = D("2022-06-30")
    assert indexed(db, earlier) == brute_force(db, earlier)

    # Wipe the column as an upgrade leaves it (empty, no fingerprint): the next listing rebuilds it.
    with db.write_engine.begin() as conn:
        conn.execute(update(CaseRecord).values(warning_met_on=None))
        conn.execute(DerivedIndexRecord.__table__.delete())
    assert indexed(db, today) == []
    assert [c["number"] for c in candidates(db, today=today)] == _numbers(db, expected)
    assert indexed(db, today) == expected
    assert warning_index.ensure(db) is None  # current: nothing to do
    assert warning_index.ensure(db, force=True) == 0  # a repair run finds nothing to change


def test_the_ledger_filter_lists_the_same_cases(db: Any) -> None:
    """信访台账 with 预警对象: the candidates in the ledger's own order, pages and count (R-WS-01)."""
    from xinfang_desktop.core.ledger import LedgerFilter, LedgerPageRequest, SortKey
    from xinfang_desktop.persistence.ledger_queries import ledger_count, ledger_page

    today = D("2026-11-20")
    generate_demo(db, 600, seed=7, today=today)
    number = candidates(db, today=today)[0]["number"]
    issue_slip(db, number, today=today, issue=issuer(db))  # a slip takes a case off the list
    flt = LedgerFilter(warning_candidate=True)
    seen: list[int] = []
    with db.read_session() as s:
        cursor = None
        while True:
            page = ledger_page(s, LedgerPageRequest(flt, SortKey.RECEIVED, True, 7, cursor))
            seen += [r.id for r in page.rows]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert ledger_count(s, flt) == len(seen)
    assert sorted(seen) == indexed(db, today) and len(seen) == len(set(seen))


def test_a_changed_fingerprint_rebuilds(db: Any) -> None:
    today = D("2026-11-20")
    generate_demo(db, 300, seed=3, today=today)
    with db.write_engine.begin() as conn:
        conn.execute(update(DerivedIndexRecord).values(fingerprint="R-WS-01:3:city"))
        some = conn.execute(select(CaseRecord.id).where(CaseRecord.warning_met_on.is_not(None)).limit(1)).scalar()
        conn.execute(update(CaseRecord).where(CaseRecord.id == some).values(warning_met_on=None))
    assert warning_index.ensure(db) == 1
    assert indexed(db, today) == brute_force(db, today)


def test_candidate_page_counts_all_and_lists_the_newest_first(db: Any) -> None:
    today = D("2026-11-20")
    generate_demo(db, 600, seed=7, today=today)
    everything = candidates(db, today=today)
    page = candidate_page(db, today=today, newest=5)
    assert page["total"] == len(everything) > 5
    newest = sorted(everything, key=lambda c: (c["met_on"], c["number"]), reverse=True)[:5]
    assert [c["met_on"] for c in page["items"]] == [c["met_on"] for c in newest]
    assert page["items"][0]["reason"].endswith("（R-WS-01）")


def _numbers(db: Any, ids: list[int]) -> list[str]:
    with db.read_session() as s:
        rows = s.execute(
            select(CaseRecord.number).where(CaseRecord.id.in_(ids)).order_by(CaseRecord.warning_met_on, CaseRecord.id)
        )
        return [r for (r,) in rows]
