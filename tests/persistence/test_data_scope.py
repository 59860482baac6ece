"""Data scope at the query (issue 17): a user limited to a township or a unit sees only those cases in the ledger page
and count, full-text search, the queues' filters, the national export rows and one case's detail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tests.helpers import sample_case
from xinfang_desktop.core.errors import NotFoundError
from xinfang_desktop.core.ledger import LedgerFilter, LedgerPageRequest, SortKey
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.case_detail import case_detail
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.data_scope import case_in_scope, scope_clause
from xinfang_desktop.persistence.identity import Identity, set_acting
from xinfang_desktop.persistence.ledger_queries import ledger_count, ledger_page, rows_by_ids
from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds
from xinfang_desktop.reports.national_export import _rows

TODAY = date(2026, 11, 22)
CHENGGUAN = "331221001"  # 城关街道
DONGHU = "331221101"  # 东湖镇
SUB_UNIT = "示范县公安局城关派出所"  # under 示范县公安局 in the register


@pytest.fixture
def two_townships(db: Any) -> Iterator[tuple[Any, dict[str, list[str]]]]:
    """Three cases in 城关街道 (one of them handed to the 派出所), two in 东湖镇, one with no 属地."""
    numbers: dict[str, list[str]] = {"chengguan": [], "donghu": [], "none": []}
    for i, (key, locality, unit) in enumerate(
        [
            ("chengguan", CHENGGUAN + "001", None),
            ("chengguan", CHENGGUAN + "002", SUB_UNIT),
            ("chengguan", CHENGGUAN, None),
            ("donghu", DONGHU + "001", "示范县住房和城乡建设局"),
            ("donghu", DONGHU + "201", None),
            ("none", None, None),
        ]
    ):
        data = sample_case(received_on=f"2026-11-{10 + i}", locality=locality, responsible_unit=unit)
        data["summary"] = f"反映征地拆迁补偿款未足额发放，第{i}件。"
        numbers[key].append(add_case(db, data, today=TODAY).registered.number)
    yield db, numbers
    set_acting(None)


def _user(townships: tuple[str, ...] = (), units: tuple[str, ...] = ()) -> Identity:
    return Identity.of("xiaoli", "小李", ("registrar",), townships, units)


ALL = LedgerFilter()


def _page_numbers(db: Any, flt: LedgerFilter = ALL, sort: SortKey = SortKey.RECEIVED) -> list[str]:
    with db.read_session() as s:
        return sorted(r.number for r in ledger_page(s, LedgerPageRequest(flt, sort, True, 50)).rows)


def _count(db: Any, flt: LedgerFilter = ALL) -> int:
    with db.read_session() as s:
        return ledger_count(s, flt)


def test_no_scope_open_mode_and_nobody_acting_add_no_condition() -> None:
    assert scope_clause(None) is None
    assert scope_clause(Identity.open("os-login")) is None
    assert scope_clause(_user()) is None
    assert scope_clause(_user((CHENGGUAN,))) is not None


def test_township_user_sees_only_their_township(two_townships: tuple[Any, dict[str, list[str]]]) -> None:
    db, numbers = two_townships
    everything = sorted(n for ns in numbers.values() for n in ns)
    assert _page_numbers(db) == everything and _count(db) == 6  # nobody acting: a library call sees all
    set_acting(_user((CHENGGUAN,)))
    assert _page_numbers(db) == sorted(numbers["chengguan"])
    assert _count(db) == 3
    for sort in SortKey:  # every keyset order holds the same rows
        assert _page_numbers(db, sort=sort) == sorted(numbers["chengguan"])
    # Full-text search: the search-only count no longer comes straight from the index (it would count 东湖镇 too).
    search = LedgerFilter(search="补偿款")
    assert _page_numbers(db, search) == sorted(numbers["chengguan"])
    assert _count(db, search) == 3
    assert _count(db, LedgerFilter(search="第3件")) == 0  # a 东湖镇 case's own words find nothing
    # A filter narrows within the scope, never out of it.
    assert _count(db, LedgerFilter(locality_prefix=DONGHU)) == 0
    # The queue filters go through the same conditions (`queue overdue` on a later day: every open case is due).
    overdue = LedgerFilter(due_to=date(2027, 12, 31))
    assert _count(db, overdue) == 3
    set_acting(_user((DONGHU,)))
    assert _page_numbers(db) == sorted(numbers["donghu"])
    set_acting(_user((CHENGGUAN, DONGHU)))
    assert _page_numbers(db) == sorted(numbers["chengguan"] + numbers["donghu"])
    set_acting(Identity.open("os-login"))
    assert _count(db) == 6


def test_unit_user_sees_their_unit_and_the_units_under_it(two_townships: tuple[Any, dict[str, list[str]]]) -> None:
    db, numbers = two_townships
    set_acting(_user(units=("示范县公安局",)))
    assert _page_numbers(db) == [numbers["chengguan"][1]]  # handed to the 派出所 under 示范县公安局
    set_acting(_user(units=(SUB_UNIT,)))
    assert _page_numbers(db) == [numbers["chengguan"][1]]
    set_acting(_user(units=("示范县住房和城乡建设局",)))
    assert _page_numbers(db) == [numbers["donghu"][0]]
    set_acting(_user(units=("示范县人民政府",)))  # the top of the register: every case with a responsible unit
    assert _page_numbers(db) == sorted([numbers["chengguan"][1], numbers["donghu"][0]])
    set_acting(_user(units=("县公安局",)))  # not a register name: nothing, never everything
    assert _page_numbers(db) == [] and _count(db) == 0


def test_township_and_unit_together_see_either(two_townships: tuple[Any, dict[str, list[str]]]) -> None:
    db, numbers = two_townships
    set_acting(_user((DONGHU,), ("示范县公安局",)))
    assert _page_numbers(db) == sorted([*numbers["donghu"], numbers["chengguan"][1]])
    assert _count(db) == 3


def test_rows_by_id_detail_and_export_keep_to_the_scope(two_townships: tuple[Any, dict[str, list[str]]]) -> None:
    db, numbers = two_townships
    inside, outside = numbers["chengguan"][0], numbers["donghu"][0]
    set_acting(_user((CHENGGUAN,)))
    calendar, thresholds = WorkdayCalendar(), deadline_thresholds(db)
    with db.read_session() as s:
        ids = {r.number: r.id for r in rows_by_ids(s, list(range(1, 10)))}
        assert sorted(ids) == sorted(numbers["chengguan"])
        assert case_detail(s, inside, today=TODAY, calendar=calendar, thresholds=thresholds)["number"] == inside
        with pytest.raises(NotFoundError, match="不在您的数据范围内"):
            case_detail(s, outside, today=TODAY, calendar=calendar, thresholds=thresholds)
        with pytest.raises(NotFoundError) as missing:
            case_detail(s, "XF2099-000001", today=TODAY, calendar=calendar, thresholds=thresholds)
        assert "数据范围" not in missing.value.message
        exported = sorted(row[0] for row in _rows(s, date(2026, 1, 1), date(2026, 12, 31)))
        assert exported == sorted(numbers["chengguan"])
        assert not case_in_scope(s, 4)
    set_acting(None)
    with db.read_session() as s:
        assert len(list(_rows(s, date(2026, 1, 1), date(2026, 12, 31)))) == 6


def test_ledger_xlsx_export_holds_only_the_scope(
    two_townships: tuple[Any, dict[str, list[str]]], tmp_path: Any
) -> None:
    from openpyxl import load_workbook

    from xinfang_desktop.reports.ledger_export import export_ledger

    db, numbers = two_townships
    set_acting(_user((DONGHU,)))
    result = export_ledger(db, tmp_path / "台账.xlsx", LedgerFilter())
    assert (result.rows, result.total) == (2, 2)
    cells = {c for row in load_workbook(result.path).active.iter_rows(values_only=True) for c in row if c}
    assert set(numbers["donghu"]) <= cells
    assert not cells & set(numbers["chengguan"] + numbers["none"])
