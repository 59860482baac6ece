"""The 信访台账 section: search box (debounced), filters, the lazy case table, counts, sorting by header."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.ledger_queries import filter_choices, ledger_count
from xinfang_desktop.persistence.saved_views_store import user_views
from xinfang_desktop.persistence.units import list_units
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.ledger.case_table_model import SORT_KEYS, CaseNumberRole, CaseTableModel, Column
from xinfang_desktop.ui.ledger.case_table_view import CaseTableView
from xinfang_desktop.ui.ledger.column_chooser import ColumnChooser
from xinfang_desktop.ui.ledger.excel_export import ExcelExport
from xinfang_desktop.ui.ledger.ledger_filters import SEARCH_DEBOUNCE_MS, LedgerFilters, merge_filters
from xinfang_desktop.ui.ledger.saved_views import SavedViews
from xinfang_desktop.ui.progress import DelayedProgress

# SEARCH_DEBOUNCE_MS and merge_filters moved to ledger_filters; tests still import them from here.
__all__ = ["SEARCH_DEBOUNCE_MS", "LedgerPanel", "merge_filters"]

_COLUMN_WIDTHS = {
    Column.NUMBER: 120,
    Column.RECEIVED: 96,
    Column.CHANNEL: 72,
    Column.PETITIONER: 110,
    Column.SUMMARY: 320,
    Column.LOCALITY: 96,
    Column.UNIT: 140,
    Column.STATUS: 130,
    Column.DUE: 96,
}


def _choices_job(user: str) -> Callable[[Database], dict[str, Any]]:
    """Townships, units, top-level categories and the user's saved views, read once when the section starts."""

    def job(db: Database) -> dict[str, Any]:
        with db.read_session() as session:
            choices: dict[str, Any] = dict(filter_choices(session))
        choices["units"] = [(unit["id"], unit["name"]) for unit in list_units(db)]
        choices["views"] = user_views(db, user=user)
        return choices

    return job


def _count_job(flt: LedgerFilter) -> Any:
    def job(db: Database) -> int:
        with db.read_session() as session:
            return ledger_count(session, flt)

    return job


class LedgerPanel(QWidget):
    """Search, filter and browse every case; double-click (or Enter) opens a case."""

    case_activated = Signal(str)  # case number
    count_changed = Signal(int)
    export_finished = Signal(str, bool)  # message, is an error

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._count_generation = 0
        self._started = False
        self._queue_filter = LedgerFilter()
        self._pending_sort: tuple[SortKey, bool] | None = None
        self.queue_button = QPushButton()
        self.queue_button.setToolTip("正在查看工作台的一个队列；点击回到全部台账")
        self.queue_button.setStyleSheet("QPushButton { color: #1565c0; border: 1px solid #90caf9; padding: 2px 8px; }")
        self.queue_button.setVisible(False)
        self.queue_button.clicked.connect(self.clear_queue)
        self.model = CaseTableModel(ctx, self)
        self.table = CaseTableView()
        self.count_label = QLabel("")
        self.count_label.setMinimumWidth(140)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.filters = LedgerFilters(ctx, self)
        self.filters.changed.connect(self._apply_filters)
        self.filters.failed.connect(self._show_error)
        self.filters.reset_button.clicked.connect(self.clear_filters)
        self.views = SavedViews(ctx, self, self.view_state, self.apply_view_state)
        self.views.failed.connect(self._show_error)
        self.columns = ColumnChooser(self.table, self)
        self.exporter = ExcelExport(ctx, self, lambda: self.model.query, self.visible_columns, self._describe_filters)
        # The tooltip first: a listener of export_finished may read it.
        self.exporter.finished.connect(lambda text, _error: self.count_label.setToolTip(text))
        self.exporter.finished.connect(self.export_finished)
        # The parts' widgets under the panel's names (tests, the benchmark and the layout below use them).
        f = self.filters
        self.search_box, self._debounce, self.reset_button = f.search_box, f.debounce, f.reset_button
        self.status_combo, self.channel_combo, self.deadline_combo = f.status_combo, f.channel_combo, f.deadline_combo
        self.date_check, self.date_from, self.date_to = f.date_check, f.date_from, f.date_to
        self.collective_check, self.repeat_check = f.collective_check, f.repeat_check
        self.skipping_check = f.skipping_check
        self.locality_combo, self.unit_combo, self.category_combo = f.locality_combo, f.unit_combo, f.category_combo
        self.view_combo = self.views.view_combo
        self.save_view_button, self.delete_view_button = self.views.save_view_button, self.views.delete_view_button
        self.columns_button, self.export_button = self.columns.columns_button, self.exporter.export_button
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("打印当前查询结果（当前的筛选、排序和显示的列），先预览（Ctrl+P）")
        self.print_button.clicked.connect(self.print_view)
        self.printing: Any = None  # ui.ledger.ledger_print.LedgerPrint, built at the first 打印
        self.print_message: QMessageBox | None = None

        self._set_up_table()
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self._open_current)
        QShortcut(QKeySequence("Ctrl+F"), self, self.filters.focus_search)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_view)
        self.model.load_failed.connect(self._show_error)
        self.model.load_failed.connect(lambda _message: self._page_loaded(0))  # the count and choices all the same
        self.model.page_loaded.connect(self._page_loaded)
        self._count_after_page: LedgerFilter | None = None
        self._choices_wanted = False
        self._lay_out()

    def _set_up_table(self) -> None:
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # Always there: a scroll bar appearing with the first page narrowed the viewport and repainted it again.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(Column.RECEIVED, Qt.SortOrder.DescendingOrder)
        header.setStretchLastSection(False)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.SUMMARY, QHeaderView.ResizeMode.Stretch)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.doubleClicked.connect(self._open_index)

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.queue_button)
        bar.addWidget(self.search_box, 1)
        bar.addWidget(QLabel("状态"))
        bar.addWidget(self.status_combo)
        bar.addWidget(QLabel("形式"))
        bar.addWidget(self.channel_combo)
        bar.addWidget(self.count_label)
        second = QHBoxLayout()
        second.addWidget(self.date_check)
        second.addWidget(self.date_from)
        second.addWidget(QLabel("至"))
        second.addWidget(self.date_to)
        second.addSpacing(12)
        second.addWidget(self.collective_check)
        second.addWidget(self.repeat_check)
        second.addWidget(self.skipping_check)
        second.addSpacing(12)
        second.addWidget(self.deadline_combo)
        second.addWidget(self.reset_button)
        second.addStretch(1)
        second.addWidget(self.columns_button)
        second.addWidget(self.export_button)
        second.addWidget(self.print_button)
        third = QHBoxLayout()
        third.addWidget(QLabel("属地"))
        third.addWidget(self.locality_combo)
        third.addWidget(QLabel("责任单位"))
        third.addWidget(self.unit_combo)
        third.addWidget(QLabel("内容分类"))
        third.addWidget(self.category_combo)
        third.addStretch(1)
        third.addWidget(QLabel("视图"))
        third.addWidget(self.view_combo)
        third.addWidget(self.save_view_button)
        third.addWidget(self.delete_view_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(bar)
        layout.addLayout(second)
        layout.addLayout(third)
        layout.addWidget(self.table, 1)

    # -- loading -----------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the first page (called when the section is first shown)."""
        if not self._started:
            self._started = True
            self._choices_wanted = True  # loaded after the first page: the rows are what the user waits for
            self._apply_filters()

    def _load_choices(self) -> None:
        self._ctx.tasks.run_db(_choices_job(self._ctx.user), self._fill_choices, lambda exc: self._show_error(str(exc)))

    def _fill_choices(self, choices: dict[str, Any]) -> None:
        self.filters.fill_choices(choices)
        self.views.set_views(choices["views"])

    def refresh(self) -> None:
        """Run the current query again (after a case was saved elsewhere)."""
        if self._started:
            self._apply_filters()

    def current_filter(self) -> LedgerFilter:
        """The work queue's filter (if one is shown) narrowed by the search box and the combos."""
        return self.filters.current_filter(self._queue_filter)

    def clear_filters(self) -> None:
        """Every filter back to 全部 (one query afterwards)."""
        self._reset_filter_widgets()
        self._queue_filter = LedgerFilter()
        self.queue_button.setVisible(False)
        self._apply_filters()

    def _reset_filter_widgets(self) -> None:
        self.filters.reset()
        self.views.deselect()

    # -- saved views -------------------------------------------------------------------------------------------

    def view_state(self) -> dict[str, Any]:
        """The search, every filter widget and the sort order as JSON (what a saved view stores)."""
        _flt, sort, descending = self.model.query
        return {**self.filters.state(), "sort": sort.value, "descending": descending}

    def apply_view_state(self, state: dict[str, Any]) -> None:
        """Set the widgets and the sort order from a saved view, then run one query."""
        self._reset_filter_widgets()
        self._queue_filter = LedgerFilter()
        self.queue_button.setVisible(False)
        self.filters.set_state(state)
        sort = SortKey(state["sort"]) if state.get("sort") in {k.value for k in SortKey} else SortKey.RECEIVED
        descending = bool(state.get("descending", True))
        self._show_sort(sort, descending)
        self._pending_sort = (sort, descending)  # used by the query below
        self.filters.deadline_changed()  # applies the filters (after computing the deadline state's filter, if any)

    def view_names(self) -> list[str]:
        return self.views.view_names()

    def save_view(self, name: str) -> None:
        """Store the current state as the user's view `name` (replacing a view of theirs of that name)."""
        self.views.save_view(name)

    def delete_view(self, name: str) -> None:
        self.views.delete_view(name)

    # -- columns and export ------------------------------------------------------------------------------------

    def column_menu(self) -> QMenu:
        return self.columns.column_menu()

    def set_column_visible(self, column: Column, visible: bool) -> None:
        self.columns.set_column_visible(column, visible)

    def visible_columns(self) -> list[Column]:
        return self.columns.visible_columns()

    def export(self, target: Path) -> None:
        """Export the current view on the database thread; a progress dialog after 600 ms that can cancel."""
        self.exporter.export(target)

    @property
    def export_dialog(self) -> DelayedProgress | None:
        return self.exporter.export_dialog

    @property
    def last_export(self) -> Any:
        return self.exporter.last_export

    # -- queries -----------------------------------------------------------------------------------------------

    def show_queue(self, flt: LedgerFilter, sort: SortKey, descending: bool, label: str) -> None:
        """Show a work queue (what the workbench opens): its filter, in its order, the other filters cleared."""
        self._show_sort(sort, descending)
        self._reset_filter_widgets()
        self._queue_filter = flt
        self.queue_button.setText(f"队列：{label}  ✕")
        self.queue_button.setVisible(True)
        self._run_query(sort, descending)

    def _describe_filters(self) -> str:
        """The queue (if one is shown) and the filters, in words, for an export's heading."""
        text = self.filters.description()
        if self.queue_button.isVisible():
            queue = self.queue_button.text().removesuffix("  ✕")
            text = queue if text == "全部信访事项" else f"{queue}；{text}"
        return text

    def clear_queue(self) -> None:
        self._queue_filter = LedgerFilter()
        self.queue_button.setVisible(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        self._debounce.stop()
        sort, descending = self._pending_sort or (None, None)
        self._pending_sort = None
        self._run_query(sort, descending)

    def _run_query(self, sort: SortKey | None, descending: bool | None) -> None:
        if not self._started:
            # Opened straight on a queue (a workbench card) rather than by start(): its lists still need filling.
            self._choices_wanted = True
        self._started = True
        flt = self.current_filter()
        self.count_label.setText("正在查询…")
        self._count_generation += 1  # a count still running for the previous query is not shown
        # Counted once the first page is in: run beside the rows' first paint, the count made it twice as long
        # (the GIL) and the rows are what the user waits for.
        self._count_after_page = flt
        self.model.set_query(flt, sort, descending)

    def _page_loaded(self, _rows: int) -> None:
        flt, self._count_after_page = self._count_after_page, None
        if flt is not None:
            self._request_count(flt)
        if self._choices_wanted:
            self._choices_wanted = False
            self._load_choices()

    def _request_count(self, flt: LedgerFilter) -> None:
        self._count_generation += 1
        generation = self._count_generation

        def done(count: int) -> None:
            if generation == self._count_generation:
                self.count_label.setText(f"共 {count:,} 件")
                if count == 0 and self.queue_button.isVisible():
                    # A search inside a queue finds only the queue's cases: say so, and how to search them all.
                    self.count_label.setText("共 0 件（仅在当前队列中查找，点“✕”取消队列后查全部）")
                self.count_changed.emit(count)

        self._ctx.tasks.run_db(_count_job(flt), done, lambda exc: self._show_error(str(exc)))

    def print_view(self) -> None:
        """打印…: the current view to the print preview (printer or PDF)."""
        if self.printing is None:
            from xinfang_desktop.ui.ledger.ledger_print import LedgerPrint

            query = lambda: self.model.query  # noqa: E731 — read at each print: the filters change
            self.printing = LedgerPrint(
                self._ctx, self, query, self.visible_columns, self._describe_filters, self.print_button
            )
            self.printing.failed.connect(self._print_failed)
        self.printing.start()

    def _print_failed(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "打印台账", message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.print_message = box
        box.open()

    def _show_error(self, message: str) -> None:
        self.count_label.setText("查询出错")
        self.count_label.setToolTip(message)

    # -- sorting -----------------------------------------------------------------------------------------------

    def _show_sort(self, sort: SortKey, descending: bool) -> None:
        """Put the header's sort indicator on `sort` without asking for a query."""
        column = next(c for c, k in SORT_KEYS.items() if k is sort)
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        key = SORT_KEYS.get(Column(section))
        if key is None:
            # Sorting runs in SQL on indexed columns only; put the indicator back where the data is sorted.
            _flt, sort, descending = self.model.query
            self._show_sort(sort, descending)
            self.count_label.setToolTip("此列暂不支持排序；可按编号、收到日期、期限排序")
            return
        self.model.set_query(self.current_filter(), key, order == Qt.SortOrder.DescendingOrder)

    # -- opening a case ----------------------------------------------------------------------------------------

    def _open_current(self) -> None:
        self._open_index(self.table.currentIndex())

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        number = self.model.data(index, CaseNumberRole)
        if number:
            self.case_activated.emit(number)
