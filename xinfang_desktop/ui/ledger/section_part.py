"""The base of the ledger section's parts: a QObject that owns some of the section's widgets."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from xinfang_desktop.ui.context import AppContext


class SectionPart(QObject):
    """Owns widgets that the section lays out (so the look stays the section's); dialogs open on the section."""

    def __init__(self, ctx: AppContext, section: QWidget) -> None:
        super().__init__(section)
        self._ctx = ctx
        self._section = section  # QObject.parent() is typed as a plain QObject: dialogs need the widget
