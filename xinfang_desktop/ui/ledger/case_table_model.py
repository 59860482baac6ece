"""The ledger table: a model over the ordered case ids, filled page by page (Anki's browser model).

Only ids and the row snapshots of pages the view has asked for are held; every query runs on the database
thread through the task runner. Pages come from keyset queries (`ledger_page` with a cursor), never OFFSET.
Snapshots of pages far from the visible rows are dropped and fetched again by id when scrolled back to.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from xinfang_desktop.core.ledger import Cursor, LedgerFilter, LedgerPage, LedgerPageRequest, LedgerRow, SortKey
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.ledger_queries import ledger_count, ledger_page, rows_by_ids
from xinfang_desktop.ui.context import AppContext

PAGE_SIZE = 200
MAX_CACHED_PAGES = 25  # 5,000 row snapshots at most, whatever the size of the ledger
DUE_SOON_DAYS = 3

OVERDUE_COLOUR = QColor("#c62828")
DUE_SOON_COLOUR = QColor("#e65100")
OVERDUE_BRUSH = QBrush(OVERDUE_COLOUR)
DUE_SOON_BRUSH = QBrush(DUE_SOON_COLOUR)
LOADING = "…"
SUMMARY_SHOWN = 100  # characters of the summary in its cell

CaseIdRole = Qt.ItemDataRole.UserRole + 1
CaseNumberRole = Qt.ItemDataRole.UserRole + 2
# data() is called for every role of every visible cell on each paint: roles compared as plain ints, and the
# display strings of a row computed once when its page arrives, keep a repaint of the table cheap.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_CASE_ID = int(CaseIdRole)
_CASE_NUMBER = int(CaseNumberRole)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_HANDLED_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND, _CASE_ID, _CASE_NUMBER})

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NUMBER = 0
    RECEIVED = 1
    CHANNEL = 2
    PETITIONER = 3
    SUMMARY = 4
    LOCALITY = 5
    UNIT = 6
    STATUS = 7
    DUE = 8

    @property
    def title(self) -> str:
        return _TITLES[self]


_COLUMN_COUNT = len(Column)
_DUE_COLUMN = int(Column.DUE)

_TITLES = {
    Column.NUMBER: "编号",
    Column.RECEIVED: "收到日期",
    Column.CHANNEL: "形式",
    Column.PETITIONER: "信访人",
    Column.SUMMARY: "内容摘要",
    Column.LOCALITY: "属地",
    Column.UNIT: "责任单位",
    Column.STATUS: "状态",
    Column.DUE: "期限",
}

SORT_KEYS: dict[Column, SortKey] = {
    Column.NUMBER: SortKey.NUMBER,
    Column.RECEIVED: SortKey.RECEIVED,
    Column.DUE: SortKey.DUE,
}
"""Columns the database can sort on (each has an index ending in the case id)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    """A row as the view shows it: the snapshot, its cell texts and the brush of the 期限 cell."""

    row: LedgerRow
    cells: tuple[str, ...]
    due_brush: QBrush | None


def _entry(row: LedgerRow, today: date) -> _Entry:
    """Plain Python (the brushes are constants made at import): runs on the database thread with the query, so a
    page arriving costs the GUI thread only the insertion."""
    colour = _due_colour(row, today)
    brush = None if colour is None else OVERDUE_BRUSH if colour is OVERDUE_COLOUR else DUE_SOON_BRUSH
    return _Entry(row, tuple(_display(row, column) for column in Column), brush)


def _page_job(request: LedgerPageRequest, today: date) -> Any:
    def job(db: Database) -> tuple[LedgerPage, list[_Entry]]:
        with db.read_session() as session:
            page = ledger_page(session, request)
        return page, [_entry(r, today) for r in page.rows]

    return job


def warm_up_job(db: Database) -> None:
    """The ledger's default first page and count, read once after start-up and dropped: SQLAlchemy compiles the
    statements and SQLite reads the index pages then, not when the user opens the ledger (on 1M cases the first
    page took 38 ms instead of 8, the first count 26 ms instead of 2)."""
    with db.read_session() as session:
        ledger_page(session, LedgerPageRequest(LedgerFilter(), SortKey.RECEIVED, True, PAGE_SIZE, None))
        ledger_count(session, LedgerFilter())


def _rows_job(ids: list[int], today: date) -> Any:
    def job(db: Database) -> list[_Entry]:
        with db.read_session() as session:
            return [_entry(r, today) for r in rows_by_ids(session, ids)]

    return job


class CaseTableModel(QAbstractTableModel):
    """Rows are cases in the order of the current query; `set_query` starts over, `fetchMore` appends a page."""

    page_loaded = Signal(int)  # rows now known
    load_failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._filter = LedgerFilter()
        self._sort = SortKey.RECEIVED
        self._descending = True
        self._ids = array("q")  # 8 bytes a row: a million rows scrolled through hold 8 MB of ids, not 36 MB of ints
        self._pages: OrderedDict[int, dict[int, _Entry]] = OrderedDict()  # page number → rows, LRU order
        self._pending_pages: set[int] = set()
        self._cursor: Cursor | None = None
        self._exhausted = True
        self._fetching = False
        self._generation = 0
        self._today = ctx.today()

    # -- the query ---------------------------------------------------------------------------------------------

    @property
    def query(self) -> tuple[LedgerFilter, SortKey, bool]:
        return self._filter, self._sort, self._descending

    @property
    def is_loading(self) -> bool:
        return self._fetching

    def set_query(self, flt: LedgerFilter, sort: SortKey | None = None, descending: bool | None = None) -> None:
        """Forget every row and load the first page of the new query."""
        self._filter = flt
        if sort is not None:
            self._sort = sort
        if descending is not None:
            self._descending = descending
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self._today = self._ctx.today()
        self.beginResetModel()
        self._ids = array("q")
        self._pages.clear()
        self._pending_pages.clear()
        self._cursor = None
        self._exhausted = False
        self._fetching = False
        self.endResetModel()
        self._fetch_next_page()

    def _fetch_next_page(self) -> None:
        if self._fetching or self._exhausted:
            return
        self._fetching = True
        generation = self._generation
        request = LedgerPageRequest(self._filter, self._sort, self._descending, PAGE_SIZE, self._cursor)
        self._ctx.tasks.run_db(
            _page_job(request, self._today),
            lambda result: self._page_arrived(generation, *result),
            lambda exc: self._failed(generation, exc),
        )

    def _page_arrived(self, generation: int, page: LedgerPage, entries: list[_Entry]) -> None:
        if generation != self._generation:
            return  # a newer query replaced this one while it ran
        self._fetching = False
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if entries:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
            self._ids.extend(e.row.id for e in entries)
            self._store_page(first // PAGE_SIZE, entries)
            self.endInsertRows()
        self.page_loaded.emit(len(self._ids))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self._exhausted = True
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        self.load_failed.emit(str(message))

    def _store_page(self, page_no: int, entries: list[_Entry]) -> None:
        self._pages[page_no] = {e.row.id: e for e in entries}
        self._pages.move_to_end(page_no)
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)

    def _entry(self, row: int) -> _Entry | None:
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            self._refetch_page(page_no)
            return None
        self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    def _refetch_page(self, page_no: int) -> None:
        """Snapshots of an evicted page: fetched again by id (the ids and their order are kept)."""
        if page_no in self._pending_pages:
            return
        self._pending_pages.add(page_no)
        generation = self._generation
        ids = self._ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE].tolist()

        def arrived(entries: list[_Entry]) -> None:
            if generation != self._generation:
                return
            self._pending_pages.discard(page_no)
            self._store_page(page_no, entries)
            first = page_no * PAGE_SIZE
            self.dataChanged.emit(self.index(first, 0), self.index(first + len(ids) - 1, len(Column) - 1))

        self._ctx.tasks.run_db(_rows_job(ids, self._today), arrived, lambda exc: self._failed(generation, exc))

    def case_id(self, row: int) -> int:
        return self._ids[row]

    def row_snapshot(self, row: int) -> LedgerRow | None:
        entry = self._entry(row) if 0 <= row < len(self._ids) else None
        return entry.row if entry is not None else None

    @property
    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    # -- Qt model interface ------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMN_COUNT

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._fetch_next_page()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            column = Column(section)
            if role == Qt.ItemDataRole.DisplayRole:
                return column.title
            if role == Qt.ItemDataRole.ToolTipRole:
                return "点击按此列排序" if column in SORT_KEYS else None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _HANDLED_ROLES:
            return None
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._ids) or not 0 <= column < _COLUMN_COUNT:
            return None  # an invalid index has row -1
        return self._value(row, column, role, self._entry(row))

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        """What the item delegate calls on every paint: one call for all the roles of a cell, not one per role."""
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._ids) or not 0 <= column < _COLUMN_COUNT:
            return
        entry = self._entry(row)
        # Every role is answered, None included: the delegate hands the same role data from cell to cell, and a
        # role left alone keeps the previous cell's value (a red 期限 spread over whole rows).
        for role_data in roleDataSpan:
            role = role_data.role()
            if role == _DISPLAY:
                role_data.setData(LOADING if entry is None else entry.cells[column])
            elif role == _FOREGROUND:
                role_data.setData(entry.due_brush if column == _DUE_COLUMN and entry is not None else None)
            elif role in _HANDLED_ROLES:
                role_data.setData(self._value(row, column, role, entry))
            else:
                role_data.setData(None)

    def _value(self, row: int, column: int, role: int, entry: _Entry | None) -> Any:
        if role == _CASE_ID:
            return self._ids[row]
        if entry is None:
            return LOADING if role == _DISPLAY else None
        if role == _DISPLAY:
            return entry.cells[column]
        if role == _FOREGROUND:
            return entry.due_brush if column == Column.DUE else None
        if role == _CASE_NUMBER:
            return entry.row.number
        if column == Column.SUMMARY:  # the tooltip
            return entry.row.summary
        if column == Column.DUE:
            return _due_tip(entry.row, self._today)
        return None


def _display(row: LedgerRow, column: Column) -> str:
    match column:
        case Column.NUMBER:
            return row.number
        case Column.RECEIVED:
            return row.received_on.isoformat()
        case Column.CHANNEL:
            return row.channel.label
        case Column.PETITIONER:
            extra = f" 等{row.headcount}人" if row.headcount > 1 else ""
            return row.petitioner + extra
        case Column.SUMMARY:
            # No more than a wide column shows: Qt shapes (and elides) the whole text on every paint, and a
            # summary runs to 500 characters; the tooltip has all of it.
            text = " ".join(row.summary.split())
            return text if len(text) <= SUMMARY_SHOWN else text[:SUMMARY_SHOWN] + "…"
        case Column.LOCALITY:
            return row.locality or ""
        case Column.UNIT:
            return row.unit or ""
        case Column.STATUS:
            return row.status.label
        case Column.DUE:
            return row.due_on.isoformat() if row.due_on else ""


def _due_colour(row: LedgerRow, today: date) -> QColor | None:
    if row.due_on is None or not row.status.is_open:
        return None
    days = (row.due_on - today).days
    if days < 0:
        return OVERDUE_COLOUR
    if days <= DUE_SOON_DAYS:
        return DUE_SOON_COLOUR
    return None


def _due_tip(row: LedgerRow, today: date) -> str | None:
    if row.due_on is None:
        return "无办理期限"
    if not row.status.is_open:
        return f"期限 {row.due_on.isoformat()}（已不在办理中）"
    days = (row.due_on - today).days
    if days < 0:
        return f"已超期 {-days} 天"
    if days == 0:
        return "今天到期"
    return f"还有 {days} 天到期（自然日；详见信访事项的期限说明）"
