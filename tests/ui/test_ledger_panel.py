"""The ledger section: debounced search, status filter, count, header sorting, opening a case."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.ui.conftest import type_text
from xinfang_desktop.core.ledger import SortKey
from xinfang_desktop.ui.ledger import ledger_panel
from xinfang_desktop.ui.ledger.case_table_model import Column
from xinfang_desktop.ui.ledger.ledger_panel import LedgerPanel


@pytest.fixture
def panel(qtbot: Any, ctx: Any) -> LedgerPanel:
    widget = LedgerPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    widget.start()
    return widget


def test_first_page_and_count(panel: LedgerPanel):
    assert panel.model.rowCount() == 200
    assert panel.count_label.text() == "共 450 件"


def test_search_waits_for_the_typing_to_stop(qtbot: Any, panel: LedgerPanel):
    type_text(panel.search_box, "征地补偿")
    assert panel.count_label.text() == "共 450 件"  # nothing ran yet: the debounce timer is pending
    with qtbot.waitSignal(panel.count_changed, timeout=2000) as blocker:
        pass
    expected = sum(1 for i in range(450) if i % 8 == 1)
    assert blocker.args == [expected]
    assert panel.model.rowCount() == expected
    assert all("征地补偿" in panel.model.data(panel.model.index(r, Column.SUMMARY)) for r in range(expected))


def test_status_filter(qtbot: Any, panel: LedgerPanel):
    index = panel.status_combo.findText("不予受理")
    with qtbot.waitSignal(panel.count_changed) as blocker:
        panel.status_combo.setCurrentIndex(index)
    assert blocker.args == [0]
    assert panel.model.rowCount() == 0


def test_clicking_a_sortable_header_sorts_in_sql(qtbot: Any, panel: LedgerPanel):
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(Column.NUMBER) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    _flt, sort, _desc = panel.model.query
    assert sort is SortKey.NUMBER


def test_unsortable_header_keeps_the_current_order(panel: LedgerPanel):
    panel.table.horizontalHeader().setSortIndicator(Column.PETITIONER, Qt.SortOrder.AscendingOrder)
    _flt, sort, desc = panel.model.query
    assert (sort, desc) == (SortKey.RECEIVED, True)
    assert panel.table.horizontalHeader().sortIndicatorSection() == Column.RECEIVED


def test_double_click_reports_the_case_number(qtbot: Any, panel: LedgerPanel):
    panel.model.set_query(panel.current_filter(), SortKey.NUMBER, False)
    rect = panel.table.visualRect(panel.model.index(0, Column.SUMMARY))
    with qtbot.waitSignal(panel.case_activated) as blocker:
        # A real double click starts with a press; QAbstractItemView only reacts to a double click on a pressed row.
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["XF2026-000001"]


def test_enter_opens_the_current_case(qtbot: Any, panel: LedgerPanel):
    panel.model.set_query(panel.current_filter(), SortKey.NUMBER, False)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(1, 0))
    with qtbot.waitSignal(panel.case_activated) as blocker:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert blocker.args == ["XF2026-000002"]


def test_debounce_interval_is_300_ms():
    assert ledger_panel.SEARCH_DEBOUNCE_MS == 300
