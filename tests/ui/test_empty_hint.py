"""The empty-table note: shown while the view has no rows, hidden otherwise, quiet when the view is destroyed."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTableWidget

from xinfang_desktop.ui.empty_hint import EmptyHint


def test_shown_only_while_empty(qtbot: Any) -> None:
    table = QTableWidget(0, 2)
    qtbot.addWidget(table)
    table.resize(400, 300)
    table.show()
    hint = EmptyHint(table, "还没有包案。")
    assert hint.label.isVisible() and hint.label.text() == "还没有包案。"
    assert hint.label.geometry() == table.viewport().rect()
    table.setRowCount(2)
    assert not hint.label.isVisible()
    table.setRowCount(0)
    assert hint.label.isVisible()
    table.resize(600, 400)
    qtbot.waitUntil(lambda: hint.label.geometry() == table.viewport().rect())


def test_destroying_the_view_is_quiet(qtbot: Any) -> None:
    """The view is deleted before its model, whose last signals reach the hint (qt_log / exceptions fail the test)."""
    table = QTableWidget(3, 2)
    EmptyHint(table, "空")
    table.setRowCount(0)
    table.deleteLater()
    qtbot.wait(10)
