"""Pinned SQLite query plans of the ledger: every offered sort and indexed filter walks an index, never sorts.

SQLite's planner has been seen choosing a 38x slower plan after ANALYZE (performance.md, pitfall 3), so the plans
are asserted here, on a database that has been ANALYZEd with a skewed distribution.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, text

from xinfang_desktop.core.codes import CaseStatus, Channel
from xinfang_desktop.core.ledger import Cursor, LedgerFilter, LedgerPageRequest, SortKey
from xinfang_desktop.persistence.ledger_queries import _ordered_ids_select, filter_conditions
from xinfang_desktop.persistence.records import CaseRecord


@pytest.fixture
def analyzed(sqlite_db: Any) -> Any:
    """A few thousand rows (most closed, as in a real ledger), then ANALYZE, so the planner has statistics."""
    start = date(2020, 1, 1)
    rows = [
        {
            "number": f"T{i:06d}",
            "year": 2020,
            "received_on": start + timedelta(days=i // 5),
            "registered_at": start,
            "channel": ["letter", "visit", "phone"][i % 3],
            "purpose": "request",
            "summary": "测试内容",
            "status": "closed" if i % 20 else "accepted",
            "headcount": 1,
            "is_collective": False,
            "is_repeat": False,
            "is_level_skipping": False,
            "is_first_submission": True,
            "is_backlog": False,
            "is_accusation": False,
            "batches": 1,
            "person_visits": 1,
            "last_received_on": start + timedelta(days=i // 5),
            "due_on": None if i % 20 else start + timedelta(days=i // 5 + 60),
            "registrar_id": 1,
            "search_people": f"T{i:06d}",
            "search_address": "",
            "search_bigrams": "",
            "version": 1,
        }
        for i in range(3000)
    ]
    with sqlite_db.write_session() as s:
        s.execute(text("INSERT INTO users (id, login, display_name, created_at) VALUES (1, 'u', 'u', '2020-01-01')"))
        s.execute(insert(CaseRecord), rows)
    with sqlite_db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return sqlite_db


def plan(db: Any, req: LedgerPageRequest, null_phase: bool = False) -> str:
    with db.read_session() as s:
        stmt = _ordered_ids_select(req, filter_conditions(s, req.filter), null_phase).limit(req.limit)
        compiled = stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        rows = s.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    return "\n".join(r[-1] for r in rows)


SORT_INDEX = {
    SortKey.RECEIVED: "ix_cases_received",
    SortKey.LAST_RECEIVED: "ix_cases_last_received",
    SortKey.DUE: "ix_cases_due",
}


@pytest.mark.parametrize("sort", [SortKey.RECEIVED, SortKey.LAST_RECEIVED, SortKey.DUE])
@pytest.mark.parametrize("paged", [False, True])
def test_each_sort_order_walks_its_index(analyzed: Any, sort: SortKey, paged: bool) -> None:
    after = Cursor("2020-06-01", 500) if paged else None
    p = plan(analyzed, LedgerPageRequest(LedgerFilter(), sort, True, 50, after))
    assert SORT_INDEX[sort] in p, p
    assert "TEMP B-TREE" not in p, p


def test_number_order_walks_the_primary_key(analyzed: Any) -> None:
    p = plan(analyzed, LedgerPageRequest(LedgerFilter(), SortKey.NUMBER, True, 50, Cursor("10", 10)))
    assert "TEMP B-TREE" not in p and ("PRIMARY KEY" in p or "INTEGER PRIMARY KEY" in p), p


@pytest.mark.parametrize(
    ("flt", "index"),
    [
        (LedgerFilter(statuses=(CaseStatus.ACCEPTED,)), "ix_cases_status_received"),
        (LedgerFilter(channel=Channel.VISIT), "ix_cases_channel_received"),
        (LedgerFilter(locality_code="123456001"), "ix_cases_locality_received"),
        (LedgerFilter(unit_id=3), "ix_cases_unit_received"),
        (LedgerFilter(category_code="03"), "ix_cases_category_received"),
        (LedgerFilter(warning_candidate=True), "ix_cases_warning_received"),
    ],
)
def test_indexed_filters_walk_their_index_in_received_order(analyzed: Any, flt: LedgerFilter, index: str) -> None:
    p = plan(analyzed, LedgerPageRequest(flt, SortKey.RECEIVED, True, 50))
    assert index in p, p
    assert "TEMP B-TREE" not in p, p


def test_search_reads_the_fts_index(analyzed: Any) -> None:
    p = plan(analyzed, LedgerPageRequest(LedgerFilter(search="测试内容"), SortKey.RECEIVED, True, 50))
    assert "case_search VIRTUAL TABLE INDEX" in p, p
    p = plan(analyzed, LedgerPageRequest(LedgerFilter(search="张伟"), SortKey.RECEIVED, True, 50))
    assert "case_search_bigram VIRTUAL TABLE INDEX" in p, p


QUEUE_INDEX = {
    "due_today": "ix_cases_due",
    "due_soon": "ix_cases_due",
    "overdue": "ix_cases_due",
    "awaiting_delivery": "ix_cases_awaiting",
    "mine": "ix_cases_handler",
    "supervision_open": "ix_supervision_orders_open",
}


@pytest.mark.parametrize("name", sorted(QUEUE_INDEX))
def test_each_work_queue_reads_its_index(analyzed: Any, name: str) -> None:
    from xinfang_desktop.core.queues import queue, queue_filter
    from xinfang_desktop.persistence.calendar_store import load_calendar

    q = queue(name)
    flt = queue_filter(name, today=date(2020, 6, 1), calendar=load_calendar(None), user_id=1)
    p = plan(analyzed, LedgerPageRequest(flt, q.sort, q.descending, 50))
    assert QUEUE_INDEX[name] in p, p
    assert "SCAN cases" not in p.replace("SCAN cases USING", ""), p
