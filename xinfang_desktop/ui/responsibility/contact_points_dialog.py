"""联系点 (R-RC-06): the leaders' contact points of a year as a table — add one (a leader and a township or unit,
both picked with search), or take one off with a reason. A 督导 visit counts only when made at a contact point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.empty_hint import EmptyHint
from xinfang_desktop.ui.rows_table import RowsTable
from xinfang_desktop.ui.searchable_combo import make_searchable
from xinfang_desktop.ui.store_dialog import StoreDialog

POINT_COLUMNS = ["领导", "联系点类型", "联系点"]


def _load(year: int) -> Callable[[Database], dict[str, Any]]:
    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.persistence.duties.contact_points import list_contact_points
        from xinfang_desktop.persistence.duties.store import record_choices

        return {"points": list_contact_points(db, year=year), "choices": record_choices(db)}

    return job


class ContactPointsDialog(QDialog):
    """`changed` after a contact point was added or removed (the compliance behind it is then stale)."""

    changed = Signal()

    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle("领导联系点")
        self.setMinimumSize(720, 460)
        self.points: list[dict[str, Any]] = []
        self.choices: dict[str, Any] = {}
        self.remove_dialog: StoreDialog | None = None
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2199)
        self.year_spin.setValue(year)
        self.year_spin.setSuffix(" 年")
        self.year_spin.valueChanged.connect(self.refresh)
        self.table = RowsTable(POINT_COLUMNS)
        self.hint = EmptyHint(self.table, "这一年度还没有登记联系点。选择领导和乡镇（单位）后点击“添加”。")
        self.leader_combo = make_searchable(QComboBox(), "输入以查找领导")
        self.leader_combo.setMinimumContentsLength(20)
        self.place_combo = make_searchable(QComboBox(), "输入以查找乡镇或单位")
        self.place_combo.setMinimumContentsLength(20)
        self.add_button = QPushButton("添加")
        self.add_button.clicked.connect(self.add_point)
        self.remove_button = QPushButton("撤销…")
        self.remove_button.setToolTip("撤销所选联系点（须写明理由）")
        self.remove_button.clicked.connect(self.open_remove_dialog)
        self.message = QLabel()
        self.message.setWordWrap(True)
        note = QLabel("县级领导每季度至少到联系点调研督导一次信访工作；到联系点以外的单位督导，记录保留但不计入。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year_spin)
        top.addStretch(1)
        top.addWidget(self.remove_button)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("领导"))
        add_row.addWidget(self.leader_combo, 1)
        add_row.addWidget(QLabel("联系点"))
        add_row.addWidget(self.place_combo, 1)
        add_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(add_row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        self._ctx.tasks.run_db(_load(self.year_spin.value()), self._show, self._error)

    def _show(self, data: dict[str, Any]) -> None:
        self.points = data["points"]["rows"]
        self.table.set_rows([([p["leader"], p["place_kind_label"], p["place"]], False) for p in self.points])
        if not self.choices:
            self.choices = data["choices"]
            for ld in self.choices["leaders"]:
                self.leader_combo.addItem(ld["label"], str(ld["id"]))
            for name in self.choices["places"]:
                self.place_combo.addItem(name, name)
            self.leader_combo.setCurrentIndex(-1)
            self.place_combo.setCurrentIndex(-1)

    def _error(self, exc: BaseException) -> None:
        self.message.setStyleSheet("color: #c62828;")
        self.message.setText(str(getattr(exc, "message", None) or exc))

    def _ok(self, text: str) -> None:
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(text)

    @staticmethod
    def _value(combo: QComboBox) -> str | None:
        text = combo.currentText().strip()
        if not text:
            return None
        i = combo.findText(text)
        return str(combo.itemData(i)) if i >= 0 else text

    def add_point(self) -> None:
        from xinfang_desktop.persistence.duties.contact_points import add_contact_point

        leader, place = self._value(self.leader_combo), self._value(self.place_combo)
        if leader is None or place is None:
            self._error(ValueError("请选择领导和联系点（乡镇或单位）"))
            return
        year, user = self.year_spin.value(), self._ctx.user

        def job(db: Database) -> dict[str, Any]:
            return add_contact_point(db, year=year, leader=leader, unit=place, user=user)

        self._ctx.tasks.run_db(job, self._added, self._error)

    def _added(self, point: dict[str, Any]) -> None:
        self._ok(f"已添加：{point['leader']} — {point['place']}")
        self.place_combo.setCurrentIndex(-1)
        self.changed.emit()
        self.refresh()

    def selected(self) -> dict[str, Any] | None:
        row = self.table.currentIndex().row()
        return self.points[row] if 0 <= row < len(self.points) else None

    def open_remove_dialog(self) -> None:
        point = self.selected()
        if point is None:
            self._error(ValueError("请先在表中选择一个联系点"))
            return
        dialog = RemovePointDialog(self._ctx, point, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._removed)
        self.remove_dialog = dialog
        dialog.open()

    def _removed(self, result: dict[str, Any]) -> None:
        gone = result["removed"]
        self._ok(f"已撤销：{gone['leader']} — {gone['place']}")
        self.changed.emit()
        self.refresh()


class RemovePointDialog(StoreDialog):
    """撤销联系点: the reason is required and kept in the audit trail."""

    def __init__(self, ctx: AppContext, point: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, "撤销联系点", parent)
        self.point_id = int(point["id"])
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(72)
        self.reason_edit.setPlaceholderText("必填：如分工调整、误登记")
        self.form.addRow("联系点", QLabel(f"{point['year']}年　{point['leader']} — {point['place']}"))
        self.form.addRow("撤销理由", self.reason_edit)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.duties.contact_points import remove_contact_point

        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            raise ValueError("请填写撤销理由")
        point_id, user = self.point_id, self.ctx.user
        return lambda db: remove_contact_point(db, point_id, reason=reason, user=user)


__all__ = ["ContactPointsDialog", "RemovePointDialog"]
