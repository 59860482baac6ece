"""The 信访台账 section: search box (debounced), filters, the lazy case table, counts, sorting by header."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.codes import OPEN_STATUSES, CaseStatus, Channel
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.ledger_queries import ledger_count
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.ledger.case_table_model import SORT_KEYS, CaseNumberRole, CaseTableModel, Column

SEARCH_DEBOUNCE_MS = 300

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

_STATUS_CHOICES: list[tuple[str, tuple[CaseStatus, ...]]] = [
    ("全部状态", ()),
    ("在办（未办结）", tuple(s for s in CaseStatus if s in OPEN_STATUSES)),
    *((s.label, (s,)) for s in CaseStatus),
]


def _count_job(flt: LedgerFilter) -> Any:
    def job(db: Database) -> int:
        with db.read_session() as session:
            return ledger_count(session, flt)

    return job


class LedgerPanel(QWidget):
    """Search, filter and browse every case; double-click (or Enter) opens a case."""

    case_activated = Signal(str)  # case number
    count_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._count_generation = 0
        self._started = False
        self._queue_filter = LedgerFilter()
        self.queue_button = QPushButton()
        self.queue_button.setToolTip("正在查看工作台的一个队列；点击回到全部台账")
        self.queue_button.setStyleSheet("QPushButton { color: #1565c0; border: 1px solid #90caf9; padding: 2px 8px; }")
        self.queue_button.setVisible(False)
        self.queue_button.clicked.connect(self.clear_queue)
        self.model = CaseTableModel(ctx, self)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("搜索：编号、姓名、身份证号、电话或内容（输入后自动查询）")
        self.search_box.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        for label, statuses in _STATUS_CHOICES:
            self.status_combo.addItem(label, statuses)
        self.channel_combo = QComboBox()
        self.channel_combo.addItem("全部形式", None)
        for channel in Channel:
            self.channel_combo.addItem(channel.label, channel)
        self.count_label = QLabel("")
        self.count_label.setMinimumWidth(140)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filters)
        self.search_box.textChanged.connect(self._debounce.start)
        self.status_combo.currentIndexChanged.connect(self._apply_filters)
        self.channel_combo.currentIndexChanged.connect(self._apply_filters)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
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
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self._open_current)
        QShortcut(QKeySequence("Ctrl+F"), self, self._focus_search)
        self.model.load_failed.connect(self._show_error)

        bar = QHBoxLayout()
        bar.addWidget(self.queue_button)
        bar.addWidget(self.search_box, 1)
        bar.addWidget(QLabel("状态"))
        bar.addWidget(self.status_combo)
        bar.addWidget(QLabel("形式"))
        bar.addWidget(self.channel_combo)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    # -- loading -----------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the first page (called when the section is first shown)."""
        if not self._started:
            self._started = True
            self._apply_filters()

    def refresh(self) -> None:
        """Run the current query again (after a case was saved elsewhere)."""
        if self._started:
            self._apply_filters()

    def current_filter(self) -> LedgerFilter:
        """The work queue's filter (if one is shown) narrowed by the search box and the combos."""
        text = self.search_box.text().strip()
        statuses = self.status_combo.currentData() or ()
        channel = self.channel_combo.currentData()
        return replace(self._queue_filter, search=text or None, statuses=tuple(statuses), channel=channel)

    def show_queue(self, flt: LedgerFilter, sort: SortKey, descending: bool, label: str) -> None:
        """Show a work queue (what the workbench opens): its filter, in its order, the other filters cleared."""
        column = next(c for c, k in SORT_KEYS.items() if k is sort)
        self._set_sort_indicator(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        for widget, action in (
            (self.search_box, self.search_box.clear),
            (self.channel_combo, lambda: self.channel_combo.setCurrentIndex(0)),
            (self.status_combo, lambda: self.status_combo.setCurrentIndex(0)),
        ):
            widget.blockSignals(True)
            action()
            widget.blockSignals(False)
        self._queue_filter = flt
        self.queue_button.setText(f"队列：{label}  ✕")
        self.queue_button.setVisible(True)
        self._started = True
        flt = self.current_filter()
        self.count_label.setText("正在查询…")
        self.model.set_query(flt, sort, descending)
        self._request_count(flt)

    def clear_queue(self) -> None:
        self._queue_filter = LedgerFilter()
        self.queue_button.setVisible(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        self._debounce.stop()
        self._started = True
        flt = self.current_filter()
        self.count_label.setText("正在查询…")
        self.model.set_query(flt)
        self._request_count(flt)

    def _request_count(self, flt: LedgerFilter) -> None:
        self._count_generation += 1
        generation = self._count_generation

        def done(count: int) -> None:
            if generation == self._count_generation:
                self.count_label.setText(f"共 {count:,} 件")
                self.count_changed.emit(count)

        self._ctx.tasks.run_db(_count_job(flt), done, lambda exc: self._show_error(str(exc)))

    def _show_error(self, message: str) -> None:
        self.count_label.setText("查询出错")
        self.count_label.setToolTip(message)

    # -- sorting -----------------------------------------------------------------------------------------------

    def _set_sort_indicator(self, column: int, order: Qt.SortOrder) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        key = SORT_KEYS.get(Column(section))
        if key is None:
            # Sorting runs in SQL on indexed columns only; put the indicator back where the data is sorted.
            _flt, sort, descending = self.model.query
            column = next(c for c, k in SORT_KEYS.items() if k is sort)
            self._set_sort_indicator(
                column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            )
            self.count_label.setToolTip("此列暂不支持排序；可按编号、收到日期、期限排序")
            return
        self.model.set_query(self.current_filter(), key, order == Qt.SortOrder.DescendingOrder)

    # -- opening a case ----------------------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _open_current(self) -> None:
        self._open_index(self.table.currentIndex())

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        number = self.model.data(index, CaseNumberRole)
        if number:
            self.case_activated.emit(number)
