"""The ledger's saved views: the views combo, 保存视图/删除视图, kept in the database settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QMessageBox, QPushButton, QWidget

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.settings_store import LEDGER_VIEW_NAME_MAX, set_setting
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.ledger.ledger_filters import set_combo_data
from xinfang_desktop.ui.ledger.section_part import SectionPart

#: Where saved views are kept: the database settings table (they back up and move with the data).
VIEWS_KEY = "ledger_views"

ViewState = dict[str, Any]


def _save_views_job(views: dict[str, ViewState]) -> Callable[[Database], dict[str, ViewState]]:
    def job(db: Database) -> dict[str, ViewState]:
        set_setting(db, VIEWS_KEY, views)
        return views

    return job


class SavedViews(SectionPart):
    """Owns the views combo and its buttons; choosing a view hands its state to `apply`, saving reads `state`."""

    failed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget,
        state: Callable[[], ViewState],
        apply: Callable[[ViewState], None],
    ) -> None:
        super().__init__(ctx, parent)
        self._state = state
        self._apply = apply
        self._views: dict[str, ViewState] = {}
        self.view_combo = QComboBox()
        self.view_combo.addItem("（选择视图）", None)
        self.view_combo.setToolTip("保存过的筛选与排序；选中即应用")
        self.view_combo.setMinimumWidth(130)
        self.view_combo.currentIndexChanged.connect(self._view_chosen)
        self.save_view_button = QPushButton("保存视图…")
        self.save_view_button.setToolTip("把当前的搜索、筛选和排序保存为一个视图")
        self.save_view_button.clicked.connect(self._ask_view_name)
        self.delete_view_button = QPushButton("删除视图")
        self.delete_view_button.setEnabled(False)
        self.delete_view_button.clicked.connect(self._confirm_delete_view)

    def view_names(self) -> list[str]:
        return list(self._views)

    def set_views(self, views: dict[str, ViewState], current: str | None = None) -> None:
        self._views = dict(views)
        self.view_combo.blockSignals(True)
        while self.view_combo.count() > 1:
            self.view_combo.removeItem(1)
        for name in sorted(self._views):
            self.view_combo.addItem(name, name)
        set_combo_data(self.view_combo, current)
        self.view_combo.blockSignals(False)
        self.delete_view_button.setEnabled(self.view_combo.currentIndex() > 0)

    def deselect(self) -> None:
        """No view chosen (the filters were changed or cleared), without applying anything."""
        self.view_combo.blockSignals(True)
        self.view_combo.setCurrentIndex(0)
        self.view_combo.blockSignals(False)
        self.delete_view_button.setEnabled(False)

    def _view_chosen(self) -> None:
        name = self.view_combo.currentData()
        self.delete_view_button.setEnabled(name is not None)
        if name is not None and name in self._views:
            self._apply(self._views[name])
            self.set_views(self._views, name)  # applying a view deselected the combo

    def save_view(self, name: str) -> None:
        """Store the current state under `name` (replacing a view of that name) in the database settings."""
        name = name.strip()
        self._store({**self._views, name: self._state()}, name)

    def delete_view(self, name: str) -> None:
        self._store({k: v for k, v in self._views.items() if k != name})

    def _store(self, views: dict[str, ViewState], current: str | None = None) -> None:
        self._ctx.tasks.run_db(
            _save_views_job(views),
            lambda saved: self.set_views(saved, current),
            lambda exc: self.failed.emit(str(getattr(exc, "message", exc))),
        )

    def _ask_view_name(self) -> None:
        current = self.view_combo.currentData() or ""
        name, ok = QInputDialog.getText(
            self._section, "保存视图", f"视图名称（不超过{LEDGER_VIEW_NAME_MAX}字）：", text=current
        )
        name = name.strip()
        if not ok or not name:
            return
        if len(name) > LEDGER_VIEW_NAME_MAX:
            QMessageBox.warning(self._section, "保存视图", f"视图名称不能超过{LEDGER_VIEW_NAME_MAX}字")
            return
        if name in self._views and name != current:
            answer = QMessageBox.question(self._section, "保存视图", f"已有名为“{name}”的视图，要替换它吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.save_view(name)

    def _confirm_delete_view(self) -> None:
        name = self.view_combo.currentData()
        if name is None:
            return
        if QMessageBox.question(self._section, "删除视图", f"删除视图“{name}”？") == QMessageBox.StandardButton.Yes:
            self.delete_view(name)
