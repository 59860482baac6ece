"""The 来信来访登记 duplicate check: cases that may be the same matter, and the three ways on (R-CL-04).

登记到原件 registers this visit or letter as a repeat submission of the chosen case (its 批次 and 人次 grow, no new
number), 登记为新件 registers a new case after the clerk confirmed it is another matter, 返回修改 goes back to the form.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.intake_rules import DuplicateCandidate


class DuplicatesBox(QGroupBox):
    """The candidates with their reason and state; a row chosen (the first at once) is the 原件."""

    onto_original = Signal(str)  # the chosen case's number
    register_new = Signal()
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("可能是同一信访事项", parent)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["编号", "信访人", "依据", "状态"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.onto_button = QPushButton("是同一事项，登记到原件")
        self.onto_button.setToolTip("作为所选事项的重复信访登记：不另立新件，批次、人次累计")
        self.new_button = QPushButton("不是同一事项，登记为新件")
        self.back_button = QPushButton("返回修改")
        buttons = QHBoxLayout()
        for button in (self.onto_button, self.new_button, self.back_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.onto_button.clicked.connect(self._onto)
        self.table.doubleClicked.connect(lambda _index: self._onto())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.new_button.clicked.connect(self.register_new.emit)
        self.back_button.clicked.connect(self.back.emit)
        self.hide()

    def show_candidates(self, found: Sequence[DuplicateCandidate]) -> None:
        self.intro.setText(
            f"已有 {len(found)} 件信访事项可能与本次登记相同。请核对：如是同一事项，选中原件后“登记到原件”"
            "（作为重复信访，批次、人次累计）；确认不是同一事项，再登记为新件。"
        )
        self.table.setRowCount(len(found))
        for r, d in enumerate(found):
            for c, value in enumerate((d.number, d.petitioner_name, d.reason, d.status_label)):
                item = QTableWidgetItem(value)
                item.setToolTip(d.summary)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.table.selectRow(0)
        self.show()
        self.onto_button.setFocus()

    def chosen_number(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item is not None else None

    def _selection_changed(self) -> None:
        self.onto_button.setEnabled(self.chosen_number() is not None)

    def _onto(self) -> None:
        number = self.chosen_number()
        if number is not None:
            self.onto_original.emit(number)


__all__ = ["DuplicatesBox"]
