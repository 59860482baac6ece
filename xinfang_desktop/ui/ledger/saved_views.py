"""The ledger's saved views: the views combo, 保存视图/删除视图; the user's own views, then the office's shared ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QMessageBox, QPushButton, QWidget

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.saved_views_store import delete_view, save_view
from xinfang_desktop.persistence.settings_store import LEDGER_VIEW_NAME_MAX
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.ledger.ledger_filters import set_combo_data
from xinfang_desktop.ui.ledger.section_part import SectionPart

# Kept in the database (they back up and move with the data): a user's own views in `saved_views`, the office's
# shared ones in the settings (`xinfang settings set ledger_views`), offered to everyone after their own.
ViewState = dict[str, Any]
Views = dict[str, Any]  # {"user", "own": {name: state}, "shared": {name: state}} (saved_views_store.user_views)
SHARED_MARK = "（共享）"
SHARED_TIP = "本单位共享的视图（由系统管理员设置）；另存后可改为自己的视图"
OWN, SHARED = "own", "shared"


def _key(kind: str, name: str) -> str:
    """The combo item's data: whose view and its name, as one string (a tuple would come back as a list)."""
    return f"{kind}:{name}"


def _parse(key: object) -> tuple[str, str] | None:
    if not isinstance(key, str):
        return None
    kind, _, name = key.partition(":")
    return kind, name


def _save_job(user: str, name: str, state: ViewState) -> Callable[[Database], Views]:
    return lambda db: save_view(db, user=user, name=name, state=state)


def _delete_job(user: str, name: str) -> Callable[[Database], Views]:
    return lambda db: delete_view(db, user=user, name=name)


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
        self._own: dict[str, ViewState] = {}
        self._shared: dict[str, ViewState] = {}
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
        """The user's own views (the shared ones: `shared_names`)."""
        return list(self._own)

    def shared_names(self) -> list[str]:
        return list(self._shared)

    def set_views(self, views: Views, current: str | None = None) -> None:
        """Fill the combo: the user's views by name, then the shared ones marked （共享）; `current` is an own view."""
        self._own, self._shared = dict(views.get("own", {})), dict(views.get("shared", {}))
        self.view_combo.blockSignals(True)
        while self.view_combo.count() > 1:
            self.view_combo.removeItem(1)
        for name in sorted(self._own):
            self.view_combo.addItem(name, _key(OWN, name))
        for name in sorted(self._shared):
            self.view_combo.addItem(name + SHARED_MARK, _key(SHARED, name))
            self.view_combo.setItemData(self.view_combo.count() - 1, SHARED_TIP, Qt.ItemDataRole.ToolTipRole)
        set_combo_data(self.view_combo, _key(OWN, current) if current is not None else None)
        self.view_combo.blockSignals(False)
        self._update_delete()

    def deselect(self) -> None:
        """No view chosen (the filters were changed or cleared), without applying anything."""
        self.view_combo.blockSignals(True)
        self.view_combo.setCurrentIndex(0)
        self.view_combo.blockSignals(False)
        self._update_delete()

    def _update_delete(self) -> None:
        chosen = _parse(self.view_combo.currentData())
        self.delete_view_button.setEnabled(chosen is not None and chosen[0] == OWN)  # shared ones: not here

    def _view_chosen(self) -> None:
        key = self.view_combo.currentData()
        chosen = _parse(key)
        self._update_delete()
        if chosen is None:
            return
        kind, name = chosen
        views = self._own if kind == OWN else self._shared
        if name in views:
            self._apply(views[name])
            # Applying a view deselected the combo: choose it again.
            self.view_combo.blockSignals(True)
            set_combo_data(self.view_combo, key)
            self.view_combo.blockSignals(False)
            self._update_delete()

    def save_view(self, name: str) -> None:
        """Store the current state as the user's view `name` (replacing one of that name)."""
        name = name.strip()
        self._store(_save_job(self._ctx.user, name, self._state()), name)

    def delete_view(self, name: str) -> None:
        self._store(_delete_job(self._ctx.user, name))

    def _store(self, job: Callable[[Database], Views], current: str | None = None) -> None:
        self._ctx.tasks.run_db(
            job,
            lambda saved: self.set_views(saved, current),
            lambda exc: self.failed.emit(str(getattr(exc, "message", exc))),
        )

    def _ask_view_name(self) -> None:
        chosen = _parse(self.view_combo.currentData())
        current = chosen[1] if chosen is not None and chosen[0] == OWN else ""
        name, ok = QInputDialog.getText(
            self._section, "保存视图", f"视图名称（不超过{LEDGER_VIEW_NAME_MAX}字）：", text=current
        )
        name = name.strip()
        if not ok or not name:
            return
        if len(name) > LEDGER_VIEW_NAME_MAX:
            QMessageBox.warning(self._section, "保存视图", f"视图名称不能超过{LEDGER_VIEW_NAME_MAX}字")
            return
        if name in self._own and name != current:
            answer = QMessageBox.question(self._section, "保存视图", f"已有名为“{name}”的视图，要替换它吗？")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.save_view(name)

    def _confirm_delete_view(self) -> None:
        chosen = _parse(self.view_combo.currentData())
        if chosen is None or chosen[0] != OWN:
            return
        name = chosen[1]
        if QMessageBox.question(self._section, "删除视图", f"删除视图“{name}”？") == QMessageBox.StandardButton.Yes:
            self.delete_view(name)
