"""The ledger's column chooser: the 列… button and the header's context menu, both a menu of checkable columns."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton, QTableView, QWidget

from xinfang_desktop.ui.ledger.case_table_model import Column


class ColumnChooser(QObject):
    """Shows and hides the columns of `table`; owns the 列… button (the panel lays it out)."""

    def __init__(self, table: QTableView, parent: QWidget) -> None:
        super().__init__(parent)
        self._table = table
        self._section = parent  # the menu's parent (QObject.parent() is typed as a plain QObject)
        self.columns_button = QPushButton("列…")
        self.columns_button.setToolTip("选择显示哪些列（也可在表头上点右键）")
        self.columns_button.clicked.connect(
            lambda: self.column_menu().exec(self.columns_button.mapToGlobal(QPoint(0, self.columns_button.height())))
        )
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.column_menu().exec(header.mapToGlobal(pos)))

    def column_menu(self) -> QMenu:
        menu = QMenu(self._section)
        menu.setTitle("显示的列")
        for column in Column:
            action = QAction(column.title, menu)
            action.setCheckable(True)
            action.setChecked(not self._table.isColumnHidden(column))
            action.setEnabled(column is not Column.NUMBER)  # the number identifies the case: always shown
            action.toggled.connect(lambda on, c=column: self.set_column_visible(c, on))
            menu.addAction(action)
        return menu

    def set_column_visible(self, column: Column, visible: bool) -> None:
        self._table.setColumnHidden(column, not visible)

    def visible_columns(self) -> list[Column]:
        return [c for c in Column if not self._table.isColumnHidden(c)]
