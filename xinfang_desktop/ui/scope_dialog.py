"""数据范围… (issue 17): the townships and units an account is limited to, ticked in two searchable lists from the
registers (nothing ticked: the whole county). The 安全管理员's form for `xinfang user scope`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)


def scope_choices(db: Any) -> dict[str, list[tuple[str, str]]]:
    """(value, label) of every township (region code, name) and every registered unit (name, name)."""
    from sqlalchemy import select

    from xinfang_desktop.persistence.records import RegionRecord, UnitRecord

    with db.read_session() as s:
        townships = [
            (str(code), f"{name}（{code}）")
            for code, name in s.execute(
                select(RegionRecord.code, RegionRecord.name)
                .where(RegionRecord.level == "township")
                .order_by(RegionRecord.code)
            )
        ]
        units = [(str(n), str(n)) for n in s.scalars(select(UnitRecord.name).order_by(UnitRecord.id))]
    return {"townships": townships, "units": units}


class _Checklist(QWidget):
    """A search box over a list of checkable items."""

    def __init__(self, title: str, items: list[tuple[str, str]], chosen: list[str]) -> None:
        super().__init__()
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"输入以查找{title}")
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        for value, label in items:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(title))
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)

    def _filter(self, text: str) -> None:
        key = "".join(text.split())
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(key) and key not in item.text())

    def checked(self) -> list[str]:
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def checked_labels(self) -> list[str]:
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, value: str, on: bool = True) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == value:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class ScopeDialog(QDialog):
    """`townships()` and `units()` once accepted."""

    def __init__(self, login: str, account: dict[str, Any], choices: dict[str, Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"数据范围：{login}")
        self.setMinimumSize(640, 460)
        self.township_list = _Checklist("乡镇（街道）", choices["townships"], list(account.get("townships", [])))
        self.unit_list = _Checklist("责任单位（含下属单位）", choices["units"], list(account.get("units", [])))
        note = QLabel(
            "勾选后，该账号只能看到和办理属地在所选乡镇（街道）、或责任单位为所选单位及其下属单位的信访事项；"
            "台账、查询、统计、导出和打印同样限于此范围。都不勾选：全县。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        grid = QGridLayout()
        grid.addWidget(self.township_list, 0, 0)
        grid.addWidget(self.unit_list, 0, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(grid, 1)
        layout.addWidget(buttons)

    def townships(self) -> list[str]:
        return self.township_list.checked()

    def units(self) -> list[str]:
        return self.unit_list.checked()

    def described(self) -> str:
        """The chosen scope in words, for the confirmation."""
        return "、".join([*self.township_list.checked_labels(), *self.unit_list.checked_labels()]) or "全县"


__all__ = ["ScopeDialog", "scope_choices"]
