"""A check shared by the model tests: what a paint asks through multiData equals what data() answers, role by role."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelRoleData, Qt

PAINT_ROLES = [
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.CheckStateRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole,
]


def _comparable(value: Any) -> Any:
    if hasattr(value, "color"):  # QBrush
        return value.color()
    if hasattr(value, "bold"):  # QFont
        return value.toString()
    return value


def assert_multidata_matches_data(model: QAbstractItemModel, rows: list[int], extra_roles: list[int] = []) -> int:  # noqa: B006
    """Every cell of `rows`: multiData's answer for each role equals data()'s, None included (a role it leaves alone
    would show the previous cell's value). Returns how many answers were not None (so a caller can tell that something
    was compared)."""
    roles = [int(r) for r in PAINT_ROLES] + [int(r) for r in extra_roles]
    answered = 0
    for row in rows:
        for column in range(model.columnCount()):
            index = model.index(row, column)
            asked = [QModelRoleData(role) for role in roles]
            for role_data in asked:  # what the previous cell left there: the delegate reuses its role data
                role_data.setData("上一格")
            model.multiData(index, asked)
            for role, answer in zip(roles, asked, strict=True):
                expected, got = model.data(index, role), answer.data()
                assert _comparable(got) == _comparable(expected), (row, column, role)
                answered += expected is not None
    return answered
