"""The 信访台账 section: search box (debounced), filters, the lazy case table, counts, sorting by header."""

from __future__ import annotations

import threading
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.codes import OPEN_STATUSES, CaseStatus, Channel
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.ledger_queries import filter_choices, ledger_count
from xinfang_desktop.persistence.settings_store import LEDGER_VIEW_NAME_MAX, SqlSettings, set_setting
from xinfang_desktop.persistence.units import list_units
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.ledger.case_table_model import SORT_KEYS, CaseNumberRole, CaseTableModel, Column
from xinfang_desktop.ui.progress import DelayedProgress
from xinfang_desktop.ui.workbench_panel import CARDS, queue_filter_job

SEARCH_DEBOUNCE_MS = 200
EXPORT_POLL_MS = 100

#: The exporter's column of each table column (reports/ledger_export.COLUMNS).
EXPORT_KEYS = {
    Column.NUMBER: "number",
    Column.RECEIVED: "received",
    Column.CHANNEL: "channel",
    Column.PETITIONER: "petitioner",
    Column.SUMMARY: "summary",
    Column.LOCALITY: "locality",
    Column.UNIT: "unit",
    Column.STATUS: "status",
    Column.DUE: "due",
}
#: Deadline states offered in the filter bar: the work queues of core/queues.py (without 我的在办事项).
DEADLINE_CHOICES = [(card.key, card.title) for card in CARDS if card.key != "mine"]


def merge_filters(base: LedgerFilter, extra: LedgerFilter) -> LedgerFilter:
    """`base` with every field that `extra` sets (differs from the default) taken from `extra`."""
    default = LedgerFilter()
    changes = {f.name: getattr(extra, f.name) for f in fields(LedgerFilter)}
    return replace(base, **{k: v for k, v in changes.items() if v != getattr(default, k)})


def _to_date(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


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


#: Where saved views are kept: the database settings table (they back up and move with the data).
VIEWS_KEY = "ledger_views"


def _choices_job(db: Database) -> dict[str, Any]:
    """Townships, units, top-level categories and the saved views, read once when the section starts."""
    with db.read_session() as session:
        choices: dict[str, Any] = dict(filter_choices(session))
        views = SqlSettings(session).get(VIEWS_KEY)
    choices["units"] = [(unit["id"], unit["name"]) for unit in list_units(db)]
    choices["views"] = views if isinstance(views, dict) else {}
    return choices


def _save_views_job(views: dict[str, dict[str, Any]]) -> Any:
    def job(db: Database) -> dict[str, dict[str, Any]]:
        set_setting(db, VIEWS_KEY, views)
        return views

    return job


def _set_combo_data(combo: QComboBox, value: object) -> None:
    """Select the item carrying `value` (the first item, 全部…, when there is none)."""
    found = (i for i in range(1, combo.count()) if value is not None and combo.itemData(i) == value)
    combo.setCurrentIndex(next(found, 0))


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
            # The value, not the enum: Qt hands a str subclass back as a plain str.
            self.channel_combo.addItem(channel.label, channel.value)
        today = ctx.today()
        self.date_check = QCheckBox("收到日期")
        self.date_from = QDateEdit(QDate(today.year, 1, 1))
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._apply_filters)
        self.date_check.toggled.connect(self._date_toggled)
        self.collective_check = QCheckBox("集体访")
        self.repeat_check = QCheckBox("重复信访")
        self.skipping_check = QCheckBox("越级")
        for check in (self.collective_check, self.repeat_check, self.skipping_check):
            check.toggled.connect(self._apply_filters)
        self.deadline_combo = QComboBox()
        self.deadline_combo.addItem("全部期限状态", None)
        for key, title in DEADLINE_CHOICES:
            self.deadline_combo.addItem(title, key)
        self.deadline_combo.currentIndexChanged.connect(self._deadline_changed)
        self._deadline_filter = LedgerFilter()
        self._pending_sort: tuple[SortKey, bool] | None = None
        # 属地 (a township and its villages), 责任单位, 内容分类 (a top-level category and its subcategories):
        # filled from the database when the section starts.
        self.locality_combo = QComboBox()
        self.locality_combo.addItem("全部属地", None)
        self.unit_combo = QComboBox()
        self.unit_combo.addItem("全部责任单位", None)
        self.unit_combo.setMaximumWidth(220)
        self.category_combo = QComboBox()
        self.category_combo.addItem("全部分类", None)
        for combo in (self.locality_combo, self.unit_combo, self.category_combo):
            combo.currentIndexChanged.connect(self._apply_filters)
        self._views: dict[str, dict[str, Any]] = {}
        self.view_combo = QComboBox()
        self.view_combo.addItem("（选择视图）", None)
        self.view_combo.setToolTip("保存过的筛选与排序；选中即应用")
        self.view_combo.setMinimumWidth(130)
        self.view_combo.currentIndexChanged.connect(self._view_chosen)
        self.save_view_button = QPushButton("保存视图…")
        self.save_view_button.setToolTip("把当前的搜索、筛选和排序保存为一个视图")
        self.save_view_button.clicked.connect(self._ask_view_name)
        self.delete_view_button = QPushButton("删除视图")
        self.delete_view_button.setEnabled(False)
        self.delete_view_button.clicked.connect(self._confirm_delete_view)
        self.columns_button = QPushButton("列…")
        self.columns_button.setToolTip("选择显示哪些列（也可在表头上点右键）")
        self.columns_button.clicked.connect(
            lambda: self.column_menu().exec(self.columns_button.mapToGlobal(QPoint(0, self.columns_button.height())))
        )
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setToolTip("把当前查询结果（当前的筛选、排序和显示的列）导出为 .xlsx")
        self.export_button.clicked.connect(self._choose_export_path)
        self.reset_button = QPushButton("清除筛选")
        self.reset_button.clicked.connect(self.clear_filters)
        self.export_dialog: DelayedProgress | None = None
        self.last_export: Any = None
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
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.column_menu().exec(header.mapToGlobal(pos)))
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
            self._load_choices()
            self._apply_filters()

    def _load_choices(self) -> None:
        self._ctx.tasks.run_db(_choices_job, self._fill_choices, lambda exc: self._show_error(str(exc)))

    def _fill_choices(self, choices: dict[str, Any]) -> None:
        """Fill the combos without a query; a selection made meanwhile (a view, a queue) is kept."""
        for combo, key in (
            (self.locality_combo, "townships"),
            (self.unit_combo, "units"),
            (self.category_combo, "categories"),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value, name in choices[key]:
                combo.addItem(name, value)
            _set_combo_data(combo, current)
            combo.blockSignals(False)
        self._set_views(choices["views"])

    def refresh(self) -> None:
        """Run the current query again (after a case was saved elsewhere)."""
        if self._started:
            self._apply_filters()

    def current_filter(self) -> LedgerFilter:
        """The work queue's filter (if one is shown) narrowed by the search box and the combos."""
        text = self.search_box.text().strip()
        statuses = self.status_combo.currentData() or ()
        channel = self.channel_combo.currentData()
        dated = self.date_check.isChecked()
        flt = replace(
            self._queue_filter,
            search=text or None,
            statuses=tuple(statuses),
            channel=Channel(channel) if channel else None,
            received_from=_to_date(self.date_from.date()) if dated else None,
            received_to=_to_date(self.date_to.date()) if dated else None,
            collective=True if self.collective_check.isChecked() else None,
            repeat=True if self.repeat_check.isChecked() else None,
            level_skipping=True if self.skipping_check.isChecked() else None,
            locality_prefix=self.locality_combo.currentData() or self._queue_filter.locality_prefix,
            unit_id=self.unit_combo.currentData() or self._queue_filter.unit_id,
            category_prefix=self.category_combo.currentData() or self._queue_filter.category_prefix,
        )
        return merge_filters(flt, self._deadline_filter)

    # -- more filters ------------------------------------------------------------------------------------------

    def _date_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self._apply_filters()

    def _deadline_changed(self) -> None:
        """A deadline state is a work queue's filter, computed on the database thread (calendar, thresholds)."""
        key = self.deadline_combo.currentData()
        if key is None:
            self._deadline_filter = LedgerFilter()
            self._apply_filters()
            return

        def done(flt: LedgerFilter) -> None:
            if self.deadline_combo.currentData() == key:
                self._deadline_filter = flt
                self._apply_filters()

        self._ctx.tasks.run_db(
            queue_filter_job(key, self._ctx.today(), self._ctx.user), done, lambda exc: self._show_error(str(exc))
        )

    def clear_filters(self) -> None:
        """Every filter back to 全部 (one query afterwards)."""
        self._reset_filter_widgets()
        self._queue_filter = LedgerFilter()
        self.queue_button.setVisible(False)
        self._apply_filters()

    def _reset_filter_widgets(self) -> None:
        widgets = (
            self.search_box,
            self.status_combo,
            self.channel_combo,
            self.date_check,
            self.collective_check,
            self.repeat_check,
            self.skipping_check,
            self.deadline_combo,
            self.locality_combo,
            self.unit_combo,
            self.category_combo,
            self.view_combo,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.search_box.clear()
        combos = (
            self.status_combo,
            self.channel_combo,
            self.deadline_combo,
            self.locality_combo,
            self.unit_combo,
            self.category_combo,
            self.view_combo,
        )
        for combo in combos:
            combo.setCurrentIndex(0)
        for check in (self.date_check, self.collective_check, self.repeat_check, self.skipping_check):
            check.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self.delete_view_button.setEnabled(False)
        self._deadline_filter = LedgerFilter()

    # -- saved views -------------------------------------------------------------------------------------------

    def view_state(self) -> dict[str, Any]:
        """The search, every filter widget and the sort order as JSON (what a saved view stores)."""
        _flt, sort, descending = self.model.query
        dated = self.date_check.isChecked()
        return {
            "search": self.search_box.text().strip(),
            "status": self.status_combo.currentText(),
            "channel": self.channel_combo.currentData(),
            "received_from": _to_date(self.date_from.date()).isoformat() if dated else None,
            "received_to": _to_date(self.date_to.date()).isoformat() if dated else None,
            "collective": self.collective_check.isChecked(),
            "repeat": self.repeat_check.isChecked(),
            "level_skipping": self.skipping_check.isChecked(),
            "deadline": self.deadline_combo.currentData(),
            "locality": self.locality_combo.currentData(),
            "unit": self.unit_combo.currentData(),
            "category": self.category_combo.currentData(),
            "sort": sort.value,
            "descending": descending,
        }

    def apply_view_state(self, state: dict[str, Any]) -> None:
        """Set the widgets and the sort order from a saved view, then run one query."""
        self._reset_filter_widgets()
        self._queue_filter = LedgerFilter()
        self.queue_button.setVisible(False)
        widgets = (
            self.search_box,
            self.status_combo,
            self.channel_combo,
            self.date_from,
            self.date_to,
            self.date_check,
            self.collective_check,
            self.repeat_check,
            self.skipping_check,
            self.deadline_combo,
            self.locality_combo,
            self.unit_combo,
            self.category_combo,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.search_box.setText(str(state.get("search") or ""))
        self.status_combo.setCurrentIndex(max(self.status_combo.findText(str(state.get("status") or "")), 0))
        _set_combo_data(self.channel_combo, state.get("channel"))
        received_from, received_to = state.get("received_from"), state.get("received_to")
        dated = isinstance(received_from, str) and isinstance(received_to, str)
        if dated:
            self.date_from.setDate(QDate.fromString(str(received_from), "yyyy-MM-dd"))
            self.date_to.setDate(QDate.fromString(str(received_to), "yyyy-MM-dd"))
        self.date_check.setChecked(dated)
        self.date_from.setEnabled(dated)
        self.date_to.setEnabled(dated)
        self.collective_check.setChecked(bool(state.get("collective")))
        self.repeat_check.setChecked(bool(state.get("repeat")))
        self.skipping_check.setChecked(bool(state.get("level_skipping")))
        _set_combo_data(self.deadline_combo, state.get("deadline"))
        _set_combo_data(self.locality_combo, state.get("locality"))
        _set_combo_data(self.unit_combo, state.get("unit"))
        _set_combo_data(self.category_combo, state.get("category"))
        for widget in widgets:
            widget.blockSignals(False)
        sort = SortKey(state["sort"]) if state.get("sort") in {k.value for k in SortKey} else SortKey.RECEIVED
        descending = bool(state.get("descending", True))
        column = next(c for c, k in SORT_KEYS.items() if k is sort)
        self._set_sort_indicator(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self._pending_sort = (sort, descending)  # used by the query below
        self._deadline_changed()  # applies the filters (after computing the deadline state's filter, if any)

    def view_names(self) -> list[str]:
        return list(self._views)

    def _set_views(self, views: dict[str, dict[str, Any]], current: str | None = None) -> None:
        self._views = dict(views)
        self.view_combo.blockSignals(True)
        while self.view_combo.count() > 1:
            self.view_combo.removeItem(1)
        for name in sorted(self._views):
            self.view_combo.addItem(name, name)
        _set_combo_data(self.view_combo, current)
        self.view_combo.blockSignals(False)
        self.delete_view_button.setEnabled(self.view_combo.currentIndex() > 0)

    def _view_chosen(self) -> None:
        name = self.view_combo.currentData()
        self.delete_view_button.setEnabled(name is not None)
        if name is not None and name in self._views:
            self.apply_view_state(self._views[name])
            self._set_views(self._views, name)  # _reset_filter_widgets cleared the combo

    def save_view(self, name: str) -> None:
        """Store the current state under `name` (replacing a view of that name) in the database settings."""
        name = name.strip()
        views = {**self._views, name: self.view_state()}
        self._ctx.tasks.run_db(
            _save_views_job(views),
            lambda saved: self._set_views(saved, name),
            lambda exc: self._show_error(str(getattr(exc, "message", exc))),
        )

    def delete_view(self, name: str) -> None:
        views = {k: v for k, v in self._views.items() if k != name}
        self._ctx.tasks.run_db(
            _save_views_job(views),
            self._set_views,
            lambda exc: self._show_error(str(getattr(exc, "message", exc))),
        )

    def _ask_view_name(self) -> None:
        current = self.view_combo.currentData() or ""
        name, ok = QInputDialog.getText(self, "保存视图", f"视图名称（不超过{LEDGER_VIEW_NAME_MAX}字）：", text=current)
        name = name.strip()
        if not ok or not name:
            return
        if len(name) > LEDGER_VIEW_NAME_MAX:
            QMessageBox.warning(self, "保存视图", f"视图名称不能超过{LEDGER_VIEW_NAME_MAX}字")
            return
        if name in self._views and name != current:
            answer = QMessageBox.question(self, "保存视图", f"已有名为“{name}”的视图，要替换它吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.save_view(name)

    def _confirm_delete_view(self) -> None:
        name = self.view_combo.currentData()
        if name is None:
            return
        if QMessageBox.question(self, "删除视图", f"删除视图“{name}”？") == QMessageBox.StandardButton.Yes:
            self.delete_view(name)

    # -- columns -----------------------------------------------------------------------------------------------

    def column_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setTitle("显示的列")
        for column in Column:
            action = QAction(column.title, menu)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.setEnabled(column is not Column.NUMBER)  # the number identifies the case: always shown
            action.toggled.connect(lambda on, c=column: self.set_column_visible(c, on))
            menu.addAction(action)
        return menu

    def set_column_visible(self, column: Column, visible: bool) -> None:
        self.table.setColumnHidden(column, not visible)

    def visible_columns(self) -> list[Column]:
        return [c for c in Column if not self.table.isColumnHidden(c)]

    # -- export ------------------------------------------------------------------------------------------------

    def _choose_export_path(self) -> None:
        today = self._ctx.today().isoformat()
        target, _f = QFileDialog.getSaveFileName(self, "导出台账", f"信访台账-{today}.xlsx", "Excel 工作簿 (*.xlsx)")
        if target:
            self.export(Path(target if target.endswith(".xlsx") else target + ".xlsx"))

    def export(self, target: Path) -> None:
        """Export the current view on the database thread; a progress dialog after 600 ms that can cancel."""
        from xinfang_desktop.reports.ledger_export import export_ledger

        flt, sort, descending = self.model.query
        columns = [EXPORT_KEYS[c] for c in self.visible_columns()]
        cancel = threading.Event()
        state = {"done": 0, "total": 0}

        def progress(done: int, total: int) -> None:  # the worker thread: plain Python only
            state["done"], state["total"] = done, total

        progress_dialog = DelayedProgress(self, "正在导出台账…", title="导出 Excel", cancel=cancel)
        self.export_dialog = progress_dialog
        self.export_button.setEnabled(False)
        poll = QTimer(self)  # the worker only writes `state`; the GUI thread reads it
        poll.setInterval(EXPORT_POLL_MS)
        poll.timeout.connect(
            lambda: progress_dialog.set_progress(
                state["done"], state["total"], f"正在导出台账：{state['done']:,} / {state['total']:,} 件"
            )
        )
        poll.start()
        progress_dialog.start()

        def finish(text: str, error: bool = False) -> None:
            poll.stop()
            poll.deleteLater()
            progress_dialog.finish()
            self.export_button.setEnabled(True)
            self.export_dialog = None
            self.count_label.setToolTip(text)
            self.export_finished.emit(text, error)

        def done(result: Any) -> None:
            self.last_export = result
            if result.cancelled:
                finish("已取消导出，未生成文件")
            else:
                finish(f"已导出 {result.rows:,} 件到 {result.path}")

        def job(db: Database) -> Any:
            return export_ledger(db, target, flt, sort, descending, columns, progress=progress, cancel=cancel)

        self._ctx.tasks.run_db(job, done, lambda exc: finish("导出失败：" + str(getattr(exc, "message", exc)), True))

    def show_queue(self, flt: LedgerFilter, sort: SortKey, descending: bool, label: str) -> None:
        """Show a work queue (what the workbench opens): its filter, in its order, the other filters cleared."""
        column = next(c for c, k in SORT_KEYS.items() if k is sort)
        self._set_sort_indicator(column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self._reset_filter_widgets()
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
        sort, descending = self._pending_sort or (None, None)
        self._pending_sort = None
        self.model.set_query(flt, sort, descending)
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
