"""The representatives' table of the intake form (条例 art 20): typed into row by row with the keyboard.

Qt's item view wraps Tab from the last cell back to the first one; a clerk typing the next representative then wrote
over the first row, one column off (data lost without a word). Here Tab in the last cell (and Shift+Tab in the first)
leaves the table for the next field of the form, and a new row opens its first cell for typing.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget


class RepresentativesTable(QTableWidget):
    """姓名, 身份证号码, 联系电话 per row; `add_row()` appends a row and opens its first cell."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)

    def add_row(self) -> None:
        row = self.rowCount()
        self.insertRow(row)
        self.setCurrentCell(row, 0)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editItem(self._item(row, 0))

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem("")
            self.setItem(row, column, item)
        return item

    def moveCursor(self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        current = self.currentIndex()
        last_row, last_column = self.rowCount() - 1, self.columnCount() - 1
        leaving_forward = cursorAction == QAbstractItemView.CursorAction.MoveNext and (
            not current.isValid() or (current.row() == last_row and current.column() == last_column)
        )
        leaving_back = cursorAction == QAbstractItemView.CursorAction.MovePrevious and (
            not current.isValid() or (current.row() == 0 and current.column() == 0)
        )
        if leaving_forward or leaving_back:
            # No wrap: the cell keeps what was typed and the cursor goes on to the form's next (or previous) field.
            QTimer.singleShot(0, lambda: QWidget.focusNextPrevChild(self, leaving_forward))
            return QModelIndex()
        return super().moveCursor(cursorAction, modifiers)

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text().strip() if item is not None else ""


__all__ = ["RepresentativesTable"]
