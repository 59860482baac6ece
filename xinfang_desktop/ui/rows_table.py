"""A read-only table of text rows (a flagged row in red): a model, so a view paints only the rows it shows.

Filling a QTableWidget item by item costs the GUI thread ~0.1 ms a cell; 500 rows of five columns froze the window
for a quarter of a second. Here `set_rows` is one model reset whatever the number of rows, and column widths are
measured once from the first rows' texts.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from xinfang_desktop.ui.column_widths import fit_columns

RED = QColor("#c62828")
FLAGGED_BG = QColor("#fdecea")
WIDTH_SAMPLE_ROWS = 50  # rows whose texts set the column widths
MAX_COLUMN_WIDTH = 420

Index = QModelIndex | QPersistentModelIndex
Row = tuple[list[str], bool]  # cell texts, flagged (overdue: shown in red)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)


class RowsModel(QAbstractTableModel):
    """Rows of cell texts with a per-row flag."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self._rows: list[Row] = []
        self._red, self._flagged_bg = QBrush(RED), QBrush(FLAGGED_BG)

    @property
    def headers(self) -> list[str]:
        return self._headers

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def text(self, row: int, column: int) -> str:
        return self._rows[row][0][column]

    def is_flagged(self, row: int) -> bool:
        return self._rows[row][1]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row(index)
        return None if row is None else self._value(int(role), index.column(), row)

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        """What a paint calls: one call into Python for all the roles of a cell (data() is one call per role)."""
        row = self._row(index)
        if row is None:
            return
        column = index.column()
        for role_data in roleDataSpan:  # None too: the delegate reuses role data from cell to cell
            role_data.setData(self._value(role_data.role(), column, row))

    def _row(self, index: Index) -> Row | None:
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._rows) or not 0 <= column < len(self._headers):
            return None
        return self._rows[row]

    def _value(self, role: int, column: int, row: Row) -> Any:
        cells, flagged = row
        if role in (_DISPLAY, _TOOLTIP):
            return cells[column] if column < len(cells) else ""
        if flagged and role == _FOREGROUND:
            return self._red
        if flagged and role == _BACKGROUND:
            return self._flagged_bg
        return None


class RowsTable(QTableView):
    """The view: whole-row selection, no editing; `row_activated(row)` when a row is activated (double-click or
    Enter, as the platform does it)."""

    row_activated = Signal(int)

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = RowsModel(headers, self)
        self.setModel(self.rows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.activated.connect(lambda index: self.row_activated.emit(index.row()))

    def set_rows(self, rows: list[Row]) -> None:
        self.rows.set_rows(rows)
        # The last column stretches; a long text (a reason, an evidence list) is elided, its tooltip has it all.
        last = self.rows.columnCount() - 1
        fit_columns(self, self.rows.headers, rows[:WIDTH_SAMPLE_ROWS], stretch=last, max_width=MAX_COLUMN_WIDTH)

    def rowCount(self) -> int:
        return self.rows.rowCount()

    def text(self, row: int, column: int) -> str:
        return self.rows.text(row, column)

    def current_text(self, column: int) -> str | None:
        """The text of `column` in the selected row, None when no row is selected or the cell is empty."""
        row = self.currentIndex().row()
        if not 0 <= row < self.rows.rowCount():
            return None
        return self.rows.text(row, column) or None

    def select_row(self, row: int) -> None:
        self.setCurrentIndex(self.rows.index(row, 0))
