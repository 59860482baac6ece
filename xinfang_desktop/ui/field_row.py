"""An input with its message underneath: errors in red, warnings in amber, hints in grey (as-you-type checks)."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class Tone(Enum):
    ERROR = "#c62828"
    WARNING = "#b26a00"
    HINT = "#666666"


class FieldRow(QWidget):
    """Wraps one editor; `show_message` puts a Chinese sentence under it, `clear_message` hides it."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None, *, room_below: bool = False) -> None:
        super().__init__(parent)
        self.editor = editor
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.tone: Tone | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.message)
        if room_below:
            # An editor with a maximum height in a row that grows: the spare height goes below it, and the editor
            # stays level with its label (the 内容摘要 box sat 40 px under its label).
            layout.addStretch(1)

    def show_message(self, text: str, tone: Tone = Tone.ERROR) -> None:
        if not text:
            self.clear_message()
            return
        self.tone = tone
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {tone.value}; font-size: 9pt;")
        self.message.show()

    def clear_message(self) -> None:
        self.tone = None
        self.message.clear()
        self.message.hide()

    @property
    def has_error(self) -> bool:
        return self.tone is Tone.ERROR
