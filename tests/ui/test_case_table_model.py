"""The lazy ledger model: pages of 200 by keyset, Qt's model checks, sorting and filtering in SQL."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from xinfang_desktop.core.codes import Channel
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.ui.ledger import case_table_model
from xinfang_desktop.ui.ledger.case_table_model import PAGE_SIZE, CaseTableModel, Column

from .model_checks import assert_multidata_matches_data


def test_passes_qt_model_checks(qtmodeltester: Any, ctx: Any):
    model = CaseTableModel(ctx)
    model.reload()
    qtmodeltester.check(model)


def test_loads_one_page_at_a_time(ctx: Any):
    model = CaseTableModel(ctx)
    model.reload()
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()
    assert ctx.tasks.calls == 3


def test_rows_show_the_snapshot_columns(ctx: Any):
    model = CaseTableModel(ctx)
    model.set_query(LedgerFilter(), SortKey.NUMBER, False)
    first = [model.data(model.index(0, c)) for c in Column]
    assert first[Column.NUMBER] == "XF2026-000001"
    assert first[Column.CHANNEL] == "来访"
    assert first[Column.SUMMARY].startswith("反映拖欠工资问题")
    assert model.headerData(Column.DUE, Qt.Orientation.Horizontal) == "期限"


def test_multidata_answers_as_data_does(ctx: Any):
    """The item delegate asks for all roles of a cell at once (multiData); the answers equal data()'s."""
    model = CaseTableModel(ctx)
    model.set_query(LedgerFilter(), SortKey.DUE, False)
    rows = [0, 5, model.rowCount() - 1]
    assert assert_multidata_matches_data(model, rows, [case_table_model.CaseIdRole]) > 3 * len(Column)


def test_sorting_by_received_date_descending(ctx: Any):
    model = CaseTableModel(ctx)
    model.set_query(LedgerFilter(), SortKey.RECEIVED, True)
    dates = [model.data(model.index(r, Column.RECEIVED)) for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_filters_run_in_sql(ctx: Any):
    model = CaseTableModel(ctx)
    model.set_query(LedgerFilter(channel=Channel.LETTER))
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 150
    assert {model.data(model.index(r, Column.CHANNEL)) for r in range(model.rowCount())} == {"来信"}


def test_overdue_deadlines_are_red(ctx: Any):
    model = CaseTableModel(ctx)
    model.set_query(LedgerFilter(), SortKey.DUE, False)  # earliest deadline first: overdue at the top
    brush = model.data(model.index(0, Column.DUE), Qt.ItemDataRole.ForegroundRole)
    assert brush is not None
    assert brush.color() == case_table_model.OVERDUE_COLOUR
    assert "已超期" in model.data(model.index(0, Column.DUE), Qt.ItemDataRole.ToolTipRole)


def test_evicted_pages_are_fetched_again_by_id(ctx: Any, monkeypatch: Any):
    monkeypatch.setattr(case_table_model, "MAX_CACHED_PAGES", 1)
    model = CaseTableModel(ctx)
    model.set_query(LedgerFilter(), SortKey.NUMBER, False)
    model.fetchMore()
    assert model.cached_rows == PAGE_SIZE  # only the newest page is kept
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
    # The sync runner answers at once: the evicted first page comes back and the view is told.
    assert model.data(model.index(0, Column.NUMBER)) in ("…", "XF2026-000001")
    assert changed == [0]
    assert model.data(model.index(0, Column.NUMBER)) == "XF2026-000001"


def test_a_stale_page_is_ignored(ledger_db: Any):
    from xinfang_desktop.ui.context import AppContext

    class DeferredRunner:
        def __init__(self) -> None:
            self.pending: list[Any] = []

        def run_db(self, fn: Any, on_done: Any = None, on_error: Any = None, *, after_paint: bool = False) -> None:
            self.pending.append((fn, on_done))

    runner = DeferredRunner()
    model = CaseTableModel(AppContext(runner, user="t"))  # type: ignore[arg-type]
    model.set_query(LedgerFilter(channel=Channel.LETTER))
    model.set_query(LedgerFilter(channel=Channel.VISIT))
    for fn, on_done in runner.pending:  # the first query's page arrives after the second was asked for
        on_done(fn(ledger_db))
    assert model.rowCount() == 150
    assert {model.data(model.index(r, Column.CHANNEL)) for r in range(model.rowCount())} == {"来访"}
