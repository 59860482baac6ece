"""An empty table says why it is empty and what to do: a grey note centred in the view while it has no rows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel
from shiboken6 import isValid


class EmptyHint(QObject):
    """Shows `text` over `view` whenever its model has no rows; follows resets, inserts, removals and resizes."""

    def __init__(self, view: QAbstractItemView, text: str) -> None:
        super().__init__(view)
        self._view = view
        self.label = QLabel(text, view.viewport())
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #757575; padding: 24px;")
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.update)
        view.viewport().installEventFilter(self)
        self.update()

    def set_text(self, text: str) -> None:
        self.label.setText(text)

    def update(self) -> None:
        # A view being destroyed deletes its model after itself; the model's last signals must find nothing to do.
        if not isValid(self._view) or not isValid(self.label):
            return
        empty = self._view.model().rowCount() == 0
        self.label.setVisible(empty)
        if empty:
            self.label.setGeometry(self._view.viewport().rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isValid(self.label) and self.label.isVisible():
            self.label.setGeometry(self._view.viewport().rect())
        return False
