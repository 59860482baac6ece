"""A picker the clerk can type into: an editable combo whose list narrows to the entries containing what is typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter


def make_searchable(combo: QComboBox, placeholder: str | None = None) -> QComboBox:
    """Editable, nothing inserted by typing, the completer matching anywhere in an entry (any case)."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if (completer := combo.completer()) is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    if placeholder and (line := combo.lineEdit()) is not None:
        line.setPlaceholderText(placeholder)
    return combo
