"""The ledger's table view: a page appended below the visible rows does not repaint the rows on screen."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, SignalInstance
from PySide6.QtWidgets import QTableView, QWidget


class CaseTableView(QTableView):
    """QTableView lays itself out again after any insertion and repaints the whole viewport (20-40 ms for a screen
    of CJK cells). When the user scrolls to the end, the next page is appended below the last row on screen: nothing
    visible changes but the scroll bar's range, so only the geometries are updated. Any other change lays out in
    full, as QTableView does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Since the last layout: a page was appended out of sight / anything else changed the rows.
        self._appended_below = False
        self._changed_otherwise = False

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            for signal in _full_layout_signals(old):
                signal.disconnect(self._lay_out_in_full)
            old.rowsInserted.disconnect(self._rows_inserted)
        super().setModel(model)
        if model is not None:
            for signal in _full_layout_signals(model):
                signal.connect(self._lay_out_in_full)
            model.rowsInserted.connect(self._rows_inserted)

    def _rows_inserted(self, parent: QModelIndex | QPersistentModelIndex, first: int, last: int) -> None:
        model = self.model()
        appended = not parent.isValid() and first > 0 and last == model.rowCount() - 1
        # The old last row's bottom edge at or below the viewport's: the new rows start out of sight.
        if appended and self.rowViewportPosition(first - 1) + self.rowHeight(first - 1) >= self.viewport().height():
            self._appended_below = True
        else:
            self._changed_otherwise = True
        # Lay out now rather than on Qt's zero timer: the repaint is then asked for before whatever the model's
        # listeners start next (a task waiting for the paint, `TaskRunner.run_db`, would otherwise run beside it).
        self.executeDelayedItemsLayout()

    def _lay_out_in_full(self, *_args: object) -> None:
        self._changed_otherwise = True

    def doItemsLayout(self) -> None:
        only_appended_below = self._appended_below and not self._changed_otherwise
        self._appended_below = self._changed_otherwise = False
        if only_appended_below:
            self.updateGeometries()  # the scroll bar's range and the headers; the rows on screen stay as painted
            return
        super().doItemsLayout()


def _full_layout_signals(model: QAbstractItemModel) -> list[SignalInstance]:
    return [
        model.modelReset,
        model.layoutChanged,
        model.rowsRemoved,
        model.rowsMoved,
        model.columnsInserted,
        model.columnsRemoved,
        model.columnsMoved,
    ]
