"""Ledger pages, counts and search on a real database: keyset paging complete and ordered; 1–3+ character search."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.helpers import sample_case
from xinfang_desktop.core.codes import CaseStatus, Channel
from xinfang_desktop.core.ledger import LedgerFilter, LedgerPageRequest, SortKey
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.ledger_queries import ledger_count, ledger_page
from xinfang_desktop.persistence.records import CaseRecord

TODAY = date(2026, 11, 22)
NAMES = ["张伟", "王芳", "李强", "欧阳娜娜", "程斌", "张三丰", "韦萍"]
TOPICS = ["征地拆迁补偿款未到位", "拖欠农民工工资", "物业纠纷要求更换物业", "环境污染影响生活", "低保评定不公"]


@pytest.fixture
def ledger(db: Any) -> Any:
    rng = random.Random(7)
    for i in range(60):
        data = sample_case(
            received_on=(TODAY - timedelta(days=rng.randrange(0, 400))).isoformat(),
            channel=rng.choice(["来信", "来访", "电话"]),
            summary=f"{rng.choice(TOPICS)}，第{i}号。",
        )
        data["petitioner"] = {"name": NAMES[i % len(NAMES)], "phone": f"1390000{i:04d}", "address": f"东街{i}号"}
        add_case(db, data, today=TODAY)
    # Give some cases other states and no running deadline, as closed cases have.
    with db.write_session() as s:
        s.execute(update(CaseRecord).where(CaseRecord.id % 3 == 0).values(status=CaseStatus.CLOSED.value, due_on=None))
    return db


def _all_pages(db: Any, req: LedgerPageRequest) -> list[Any]:
    rows: list[Any] = []
    with db.read_session() as s:
        while True:
            page = ledger_page(s, req)
            rows.extend(page.rows)
            if page.next_cursor is None:
                return rows
            req = LedgerPageRequest(req.filter, req.sort, req.descending, req.limit, page.next_cursor)


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [True, False])
def test_keyset_pages_cover_every_row_once_in_order(ledger: Any, sort: SortKey, descending: bool) -> None:
    rows = _all_pages(ledger, LedgerPageRequest(LedgerFilter(), sort, descending, limit=7))
    assert len(rows) == len({r.id for r in rows}) == 60
    attr = {
        SortKey.RECEIVED: "received_on",
        SortKey.LAST_RECEIVED: "last_received_on",
        SortKey.DUE: "due_on",
        SortKey.NUMBER: None,
    }[sort]
    if attr is None:
        keys = [r.id for r in rows]
        assert keys == sorted(keys, reverse=descending)
        return
    dated = [(getattr(r, attr), r.id) for r in rows if getattr(r, attr) is not None]
    assert dated == sorted(dated, reverse=descending)
    # Rows without a value (closed cases have no due date) come last.
    values = [getattr(r, attr) for r in rows]
    assert values[len(dated) :] == [None] * (len(values) - len(dated))


def test_filters_and_counts_agree(ledger: Any) -> None:
    flt = LedgerFilter(statuses=(CaseStatus.CLOSED,), channel=Channel.VISIT)
    rows = _all_pages(ledger, LedgerPageRequest(flt, limit=50))
    with ledger.read_session() as s:
        assert ledger_count(s, flt) == len(rows)
        assert ledger_count(s, LedgerFilter()) == 60
        expected = s.scalar(
            select(CaseRecord.id)
            .where(CaseRecord.status == "closed", CaseRecord.channel == "visit")
            .with_only_columns(CaseRecord.id.count() if False else CaseRecord.id)
            .limit(1)
        )
    assert all(r.status is CaseStatus.CLOSED and r.channel is Channel.VISIT for r in rows)
    assert (expected is None) == (rows == [])
    since = TODAY - timedelta(days=30)
    recent = _all_pages(ledger, LedgerPageRequest(LedgerFilter(received_from=since), limit=50))
    assert all(r.received_on >= since for r in recent)


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("拖欠农民工", lambda r: "拖欠农民工" in r.summary),  # 3+ characters: trigram
        ("张伟", lambda r: r.petitioner == "张伟"),  # a two-character name: bigram index
        ("欧阳", lambda r: r.petitioner.startswith("欧阳")),
        ("拖欠", lambda r: "拖欠" in r.summary),  # a two-character word of the complaint text
        ("纠纷", lambda r: "纠纷" in r.summary),
        ("萍", lambda r: "萍" in r.petitioner),  # one character at the end of a name
        ("张", lambda r: "张" in r.petitioner),  # one character: surname
        ("13900000042", lambda r: r.id == 43),  # a phone number
        ("东街17号", lambda r: r.id == 18),  # an address
    ],
)
def test_search_finds_short_and_long_terms(ledger: Any, term: str, expected: Any) -> None:
    rows = _all_pages(ledger, LedgerPageRequest(LedgerFilter(search=term), limit=50))
    everything = _all_pages(ledger, LedgerPageRequest(LedgerFilter(), limit=50))
    assert rows, f"{term} finds something"
    assert {r.id for r in rows} == {r.id for r in everything if expected(r)}
    with ledger.read_session() as s:
        assert ledger_count(s, LedgerFilter(search=term)) == len(rows)


def test_search_by_case_number_and_absent_terms(ledger: Any) -> None:
    with ledger.read_session() as s:
        number = s.scalar(select(CaseRecord.number).where(CaseRecord.id == 5))
        assert number is not None
        assert [r.id for r in ledger_page(s, LedgerPageRequest(LedgerFilter(search=number))).rows] == [5]
        assert ledger_count(s, LedgerFilter(search="不存在的内容")) == 0
        assert ledger_count(s, LedgerFilter(search='"引号" OR *')) == 0  # FTS syntax is quoted, not parsed


@pytest.mark.parametrize("sort", list(SortKey))
def test_walking_the_sort_index_gives_the_same_pages(ledger: Any, sort: SortKey, monkeypatch: Any) -> None:
    """Common words are paged by walking the sort index in chunks; the pages equal those of the sorted hit list."""
    from xinfang_desktop.persistence import ledger_queries

    for term in ("拖欠农民工", "纠纷", "张"):
        req = LedgerPageRequest(LedgerFilter(search=term), sort, True, limit=4)
        sorted_pages = [r.id for r in _all_pages(ledger, req)]
        monkeypatch.setattr(ledger_queries, "SORT_HITS_UP_TO", 0)
        monkeypatch.setattr(ledger_queries, "WALK_CHUNK", 7)
        walked = [r.id for r in _all_pages(ledger, req)]
        monkeypatch.undo()
        assert walked == sorted_pages and walked, (term, sort)


def test_locality_and_category_prefixes_include_everything_below(ledger: Any) -> None:
    """A township covers itself and its villages; a top-level category covers its subcategories."""
    with ledger.write_session() as s:
        ids = list(s.scalars(select(CaseRecord.id).order_by(CaseRecord.id)))
        places = ["331221001", "331221001001", "331221002", None]
        categories = ["03", "0301", "01", None]
        for n, case_id in enumerate(ids):
            s.execute(
                update(CaseRecord)
                .where(CaseRecord.id == case_id)
                .values(locality_code=places[n % 4], category_code=categories[n % 4])
            )
    with ledger.read_session() as s:
        assert ledger_count(s, LedgerFilter(locality_prefix="331221001")) == 30
        assert ledger_count(s, LedgerFilter(locality_code="331221001")) == 15
        assert ledger_count(s, LedgerFilter(category_prefix="03")) == 30
        assert ledger_count(s, LedgerFilter(category_prefix="0301")) == 15
        assert ledger_count(s, LedgerFilter(locality_prefix="331221001", category_prefix="03")) == 30
        rows = _all_pages(ledger, LedgerPageRequest(LedgerFilter(locality_prefix="331221002"), limit=7))
        assert len(rows) == 15


def test_prefix_filter_searches_the_index_on_sqlite(ledger: Any) -> None:
    """The prefix is a range, not LIKE (SQLite's case-insensitive LIKE scans the BINARY index)."""
    if ledger.write_engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    from xinfang_desktop.persistence.ledger_queries import filter_conditions

    with ledger.read_session() as s:
        query = select(CaseRecord.id).where(*filter_conditions(s, LedgerFilter(locality_prefix="331221001")))
        compiled = query.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
    assert "SEARCH" in plan and "ix_cases_locality_received" in plan, plan


def test_ledger_views_setting_must_be_a_dict_of_dicts(db: Any) -> None:
    from xinfang_desktop.core.errors import DomainError
    from xinfang_desktop.persistence.settings_store import SqlSettings, set_setting

    views = {"本月东湖镇": {"locality": "331221001", "sort": "received"}}
    set_setting(db, "ledger_views", views)
    with db.read_session() as s:
        assert SqlSettings(s).get("ledger_views") == views
    for bad in (["x"], {"名称": "不是对象"}, {"": {}}, {"长" * 41: {}}):
        with pytest.raises(DomainError):
            set_setting(db, "ledger_views", bad)
