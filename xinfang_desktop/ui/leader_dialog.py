"""登记领导: the leader register's entry form (as `xinfang leader add` does), for the 领导包案 section."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from xinfang_desktop.core.packages import LeaderLevel, Organ, Rank
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.packages_store import add_leader
from xinfang_desktop.persistence.units import list_units
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.store_dialog import StoreDialog


def _townships(db: Database) -> list[tuple[str, str]]:
    from xinfang_desktop.persistence.ledger_queries import filter_choices

    with db.read_session() as session:
        return filter_choices(session)["townships"]


def _combo(labels: list[str], default: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.addItems(labels)
    if default is not None:
        combo.setCurrentText(default)
    return combo


class LeaderDialog(StoreDialog):
    """Name, post, organ, rank and level (they set the R-PK-03 order and the R-RC-01 reception period), with the
    unit, region and phone optional. The store validates; a refusal is shown in place and nothing is written."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "登记领导", parent)
        self.name_edit = QLineEdit()
        self.post_edit = QLineEdit()
        self.post_edit.setPlaceholderText("如 县委书记、副县长")
        self.organ_combo = _combo(Organ.labels())
        self.rank_combo = _combo(Rank.labels())
        self.level_combo = _combo(LeaderLevel.labels(), LeaderLevel.COUNTY.label)
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)  # a unit not registered yet can be typed
        self.unit_combo.setMinimumWidth(320)  # long unit names stay readable (issue 18)
        self.unit_combo.addItem("")
        line = self.unit_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText("可空：选择或输入单位名称")
        # The region as a list of the townships by name (a code typed from memory was a mini-syntax); value = code.
        self.region_combo = QComboBox()
        self.region_combo.setMinimumWidth(320)
        self.region_combo.addItem("（不指定）", None)
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("手机或座机（列表中隐去中间四位）")
        for label, widget in (
            ("姓名：", self.name_edit),
            ("职务：", self.post_edit),
            ("所属机关：", self.organ_combo),
            ("职级：", self.rank_combo),
            ("层级：", self.level_combo),
            ("所在单位：", self.unit_combo),
            ("分管或所在乡镇：", self.region_combo),
            ("联系电话：", self.phone_edit),
        ):
            self.form.addRow(label, widget)
        self.ok_button.setText("登记")

    def load(self) -> None:
        """Offer the registered units and the townships (read on the database thread)."""
        self.ctx.tasks.run_db(list_units, self._units_loaded, lambda exc: None)
        self.ctx.tasks.run_db(_townships, self._townships_loaded, lambda exc: None)

    def _townships_loaded(self, townships: list[tuple[str, str]]) -> None:
        for code, name in townships:
            self.region_combo.addItem(name, code)

    def _units_loaded(self, units: list[dict[str, Any]]) -> None:
        self.unit_combo.addItems([u["name"] for u in units])

    def job(self) -> Callable[[Database], Any]:
        name, post = self.name_edit.text(), self.post_edit.text()
        organ, rank, level = (c.currentText() for c in (self.organ_combo, self.rank_combo, self.level_combo))
        unit = self.unit_combo.currentText().strip() or None
        region = self.region_combo.currentData()
        phone = self.phone_edit.text().strip() or None
        return lambda db: add_leader(
            db, name, organ=organ, rank=rank, level=level, post=post, unit=unit, region=region, phone=phone
        )
