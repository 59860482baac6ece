"""被控告单位 on the intake form: chosen from the unit register with search; a name not in the register is still
taken, with a warning that the guard then knows it by name only and not the units under it (R-LC-07)."""

from __future__ import annotations

import re

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.accusation_guard import UnitRegister
from xinfang_desktop.ui.field_row import Tone

NOT_REGISTERED = "不在单位名录中"
_NAME_ROLE = Qt.ItemDataRole.UserRole
_SEPARATORS = re.compile(r"[、,，;；\n]+")  # several names pasted at once


class AccusedUnitsField(QWidget):
    """A search box over the register, 添加 / 移除, and the list of accused units chosen. `changed` on every change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._register = UnitRegister(())
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("输入单位名称查找，回车添加（可不填）")
        self.edit.setToolTip("被检举控告的单位：此后转送、交办、文书均不得发往该单位及其下属单位（R-LC-07）")
        self.add_button = QPushButton("添加")
        self.remove_button = QPushButton("移除")
        self.remove_button.setEnabled(False)
        self.list = QListWidget()
        self.list.setMaximumHeight(78)
        self.list.hide()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.list)
        layout.addWidget(self.note)

        self.edit.returnPressed.connect(self._return_pressed)
        self.add_button.clicked.connect(self.add_typed)
        self.remove_button.clicked.connect(self._remove_selected)
        self.list.itemSelectionChanged.connect(lambda: self.remove_button.setEnabled(bool(self.list.selectedItems())))
        self.setFocusProxy(self.edit)
        # As tall as its content: the form's spare height goes to the summary below, not into gaps in here.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    @property
    def register(self) -> UnitRegister:
        return self._register

    def set_register(self, register: UnitRegister) -> None:
        """The register to search and resolve against (loaded on the database thread)."""
        if not shiboken6.isValid(self):  # the form was closed before the register arrived
            return
        self._register = register
        completer = QCompleter(sorted(u.name for u in register.units), self.edit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._chosen)
        self.edit.setCompleter(completer)

    # -- values ------------------------------------------------------------------------------------------------

    def units(self) -> list[str]:
        """The names to save: the chosen ones, and what is still typed in the box."""
        names = [str(self.list.item(i).data(_NAME_ROLE)) for i in range(self.list.count())]
        typed = [t.strip() for t in _SEPARATORS.split(self.edit.text()) if t.strip()]
        return list(dict.fromkeys([*names, *typed]))

    def is_filled(self) -> bool:
        return bool(self.units())

    def clear(self) -> None:
        self.edit.clear()
        self.list.clear()
        self.list.hide()
        self._say("")
        self.changed.emit()

    # -- adding ------------------------------------------------------------------------------------------------

    def _return_pressed(self) -> None:
        # Return on a highlighted suggestion reaches the box first, then the completer activates the suggestion:
        # only the suggestion is added (not the few characters typed to find it).
        completer = self.edit.completer()
        popup = completer.popup() if completer is not None else None
        if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
            return
        self.add_typed()

    def _chosen(self, name: str) -> None:
        self.edit.setText(name)
        self.add_typed()

    def add_typed(self) -> None:
        """Add what is typed: the register's unit when a name resolves to one, else the name with a warning; an
        ambiguous name stays in the box with the units it may mean."""
        names = [t.strip() for t in _SEPARATORS.split(self.edit.text()) if t.strip()]
        if not names:
            return
        said: list[tuple[str, Tone]] = []
        left: list[str] = []
        for typed in names:
            found = self._register.resolve(typed)
            unit = found.unit
            if found.ambiguous:
                said.append((found.problem() or "", Tone.ERROR))
                left.append(typed)
            elif unit is not None:
                self._add(unit.name, registered=True)
                if unit.name != typed:
                    said.append((f"“{typed}”即单位名录中的“{unit.name}”，已按全称登记", Tone.HINT))
            else:
                self._add(typed, registered=False)
                said.append(
                    (
                        f"“{typed}”{NOT_REGISTERED}：只能按名称防止转送给该单位，无法识别其下属单位；"
                        "如为已登记单位，请从列表中选择全称",
                        Tone.WARNING,
                    )
                )
        worst = min((tone for _, tone in said), key=list(Tone).index, default=Tone.HINT)  # ERROR first
        self._say("；".join(text for text, _ in said), worst)
        self.edit.setText("、".join(left))
        self.changed.emit()

    def _add(self, name: str, *, registered: bool) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(_NAME_ROLE) == name:
                return
        item = QListWidgetItem(name if registered else f"{name}（{NOT_REGISTERED}）")
        item.setData(_NAME_ROLE, name)
        if not registered:
            item.setForeground(QColor(Tone.WARNING.value))
            item.setToolTip("按名称比对（R-LC-07）：登记该单位后，其下属单位也将被识别")
        self.list.addItem(item)
        self.list.show()

    def _remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self.list.setVisible(self.list.count() > 0)
        self._say("")
        self.changed.emit()

    def _say(self, text: str, tone: Tone = Tone.HINT) -> None:
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {tone.value}; font-size: 9pt;")
        self.note.setVisible(bool(text))
