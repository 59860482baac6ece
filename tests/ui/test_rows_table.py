"""The read-only rows table of the 预警与积案 section: Qt's model checks, flagged rows in red, selection, activation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from xinfang_desktop.ui.rows_table import FLAGGED_BG, RED, RowsTable

from .model_checks import assert_multidata_matches_data

ROWS = [(["XF2026-000001", "张三", "2026-01-05"], False), (["XF2026-000002", "李四", "2026-02-01"], True)]


def test_model_passes_qt_checks_and_colours_flagged_rows(qtbot: Any, qtmodeltester: Any) -> None:
    table = RowsTable(["信访事项", "信访人", "日期"])
    qtbot.addWidget(table)
    table.set_rows(list(ROWS))
    qtmodeltester.check(table.rows)
    model = table.rows
    assert model.headerData(1, Qt.Orientation.Horizontal) == "信访人"
    assert (
        model.data(model.index(1, 1)) == "李四" and model.data(model.index(1, 1), Qt.ItemDataRole.ToolTipRole) == "李四"
    )
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole).color() == RED
    assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole).color() == FLAGGED_BG
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    # texts and tooltips of every cell, and the red row's two brushes
    assert assert_multidata_matches_data(model, [0, 1]) == 2 * 3 * 2 + 3 * 2


def test_selection_and_activation_give_the_row(qtbot: Any) -> None:
    table = RowsTable(["信访事项", "信访人", "日期"])
    qtbot.addWidget(table)
    table.set_rows(list(ROWS))
    assert table.current_text(0) is None  # nothing selected yet
    table.select_row(1)
    assert table.current_text(0) == "XF2026-000002"
    table.show()
    table.setFocus()
    with qtbot.waitSignal(table.row_activated) as activated:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert activated.args == [1]
    table.set_rows([])
    assert table.rowCount() == 0 and table.current_text(0) is None
