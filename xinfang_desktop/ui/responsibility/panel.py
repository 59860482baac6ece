"""The 责任落实 section: tabs 追责线索, 追责事项, 责任书 and 职责落实. Each tab is loaded the first time it is shown;
责任书 and 职责落实 come from their own modules, imported then — if one is missing or fails to import, its tab says
so (“尚未提供”) and the others work."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.responsibility.accountability_tab import AccountabilityTab
from xinfang_desktop.ui.responsibility.candidates_tab import CandidatesTab

log = logging.getLogger(__name__)

# Tabs built from other modules when first shown: title, module, class.
LATE_TABS = (
    ("责任书", "xinfang_desktop.ui.responsibility.statements_tab", "StatementsTab"),
    ("职责落实", "xinfang_desktop.ui.responsibility.duties_tab", "DutiesTab"),
    ("挂牌整治", "xinfang_desktop.ui.responsibility.rectification_tab", "RectificationTab"),
)
NOT_PROVIDED = "尚未提供"


class _LateTab(QWidget):
    """Holds the place of a tab from another module until it is first shown, then holds that tab (or a note)."""

    def __init__(self, ctx: AppContext, module: str, class_name: str) -> None:
        super().__init__()
        self._ctx, self._module, self._class = ctx, module, class_name
        self.content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.content is None:
            content: QWidget
            try:
                content = getattr(importlib.import_module(self._module), self._class)(self._ctx)
            except Exception:  # a module not provided yet, or broken: the section still opens
                log.info("tab %s.%s unavailable", self._module, self._class, exc_info=True)
                content = QLabel(NOT_PROVIDED)
                content.setAlignment(Qt.AlignmentFlag.AlignCenter)
                content.setStyleSheet("color: #757575;")
            self.content = content
            self._layout.addWidget(content)
            content.show()  # added to a tab already shown
        return self.content


class ResponsibilityPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._shown: set[int] = set()
        self.heading = QLabel("<h2>责任落实</h2>")
        self.candidates = CandidatesTab(ctx)
        self.accountability = AccountabilityTab(ctx)
        self.late_tabs = [_LateTab(ctx, module, name) for _title, module, name in LATE_TABS]
        self.tabs = QTabWidget()
        self.tabs.addTab(self.candidates, "追责线索")
        self.tabs.addTab(self.accountability, "追责事项")
        for (title, _module, _name), tab in zip(LATE_TABS, self.late_tabs, strict=True):
            self.tabs.addTab(tab, title)
        self.candidates.opened.connect(self.show_accountability)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)

    def start(self) -> None:
        self.tabs.currentChanged.connect(self._tab_shown)
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        if index < 0 or index in self._shown:
            return
        self._shown.add(index)
        widget: Any = self.tabs.widget(index)
        if isinstance(widget, _LateTab):
            widget = widget.build()
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

    def refresh(self) -> None:
        """Reload the tabs already shown."""
        for index in sorted(self._shown):
            widget: Any = self.tabs.widget(index)
            widget = widget.content if isinstance(widget, _LateTab) else widget
            if callable(getattr(widget, "refresh", None)):
                widget.refresh()

    def show_accountability(self, number: str) -> None:
        """Switch to 追责事项 with `number` selected."""
        index = self.tabs.indexOf(self.accountability)
        self._shown.add(index)
        self.tabs.setCurrentIndex(index)
        self.accountability.select(number)


__all__ = ["NOT_PROVIDED", "ResponsibilityPanel"]
