"""The ledger's table view: a page appended out of sight does not repaint the rows on screen; other changes do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication

from xinfang_desktop.ui.ledger.case_table_model import PAGE_SIZE, CaseTableModel
from xinfang_desktop.ui.ledger.case_table_view import CaseTableView


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def _shown(qtbot: Any, model: Any) -> tuple[CaseTableView, PaintCounter]:
    """A view over `model`, shown and painted once; the counter counts the viewport's paints from then on."""
    view = CaseTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(700, 400)
    counter = PaintCounter()
    view.viewport().installEventFilter(counter)
    view.show()
    qtbot.waitUntil(lambda: counter.paints > 0)  # the rows painted once
    _settle()
    counter.paints = 0
    return view, counter


def _settle() -> None:
    """Run what is posted (layouts, repaint requests) twice over: a repaint asked for would have happened."""
    for _ in range(2):
        QApplication.processEvents()


def _rows(model: QStandardItemModel, n: int) -> None:
    for _ in range(n):
        model.appendRow([QStandardItem(f"信访事项 {model.rowCount() + 1}"), QStandardItem("来访")])


def test_a_page_of_the_ledger_appended_out_of_sight_does_not_repaint_the_rows(qtbot: Any, ctx: Any):
    model = CaseTableModel(ctx)
    model.reload()
    view, counter = _shown(qtbot, model)
    maximum = view.verticalScrollBar().maximum()
    model.fetchMore()  # what scrolling to the end asks for
    assert model.rowCount() == 2 * PAGE_SIZE
    _settle()
    assert view.verticalScrollBar().maximum() > maximum  # the scroll bar knows the new rows
    assert counter.paints == 0
    view.scrollToBottom()
    qtbot.waitUntil(lambda: counter.paints > 0)
    assert view.rowAt(view.viewport().height() - 1) >= PAGE_SIZE  # and they are there to see


def test_rows_appended_within_sight_are_painted(qtbot: Any):
    model = QStandardItemModel(0, 2)
    _rows(model, 3)
    _view, counter = _shown(qtbot, model)
    _rows(model, 1)  # right under the third row, on screen
    qtbot.waitUntil(lambda: counter.paints > 0)


def test_a_change_other_than_an_append_out_of_sight_lays_out_in_full(qtbot: Any):
    model = QStandardItemModel(0, 2)
    _rows(model, 100)
    view, counter = _shown(qtbot, model)
    top = view.indexAt(view.viewport().rect().topLeft()).data()
    model.sort(0, Qt.SortOrder.DescendingOrder)  # every row moves (a layout change, laid out later)...
    _rows(model, 1)  # ...and before that layout, a row is appended out of sight
    qtbot.waitUntil(lambda: counter.paints > 0)
    assert view.indexAt(view.viewport().rect().topLeft()).data() != top
