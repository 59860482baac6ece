"""Small read-only tables of the 统计 report tabs (period statistics, ranking, 三无): a standard item model in a
view that fits its columns, and its refill."""

from __future__ import annotations

from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

RED = QColor("#c62828")


def report_table() -> tuple[QTableView, QStandardItemModel]:
    model = QStandardItemModel()
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setMinimumSectionSize(64)
    view.setAlternatingRowColors(True)
    return view, model


def fill_table(model: QStandardItemModel, headers: list[str], rows: list[list[QStandardItem]]) -> None:
    model.clear()
    model.setHorizontalHeaderLabels(headers)
    for items in rows:
        model.appendRow(items)
