"""Ledger: date, flag and deadline-state filters, the column chooser, and export of the current view to .xlsx."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from tests.ui.conftest import TODAY
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.reports.ledger_export import export_ledger
from xinfang_desktop.ui.ledger.case_table_model import Column
from xinfang_desktop.ui.ledger.ledger_panel import LedgerPanel, merge_filters


@pytest.fixture
def panel(qtbot: Any, ctx: Any) -> LedgerPanel:
    widget = LedgerPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    widget.start()
    return widget


def test_received_date_range(qtbot: Any, panel: LedgerPanel):
    panel.date_from.setDate(QDate(2026, 11, 11))
    panel.date_to.setDate(QDate(2026, 11, 20))
    with qtbot.waitSignal(panel.count_changed) as blocker:
        panel.date_check.setChecked(True)
    expected = sum(1 for i in range(450) if i % 40 < 10)  # received TODAY - (i % 40) days
    assert blocker.args == [expected]
    flt = panel.model.query[0]
    assert (flt.received_from, flt.received_to) == (TODAY.replace(day=11), TODAY)


def test_flags_and_deadline_state(qtbot: Any, panel: LedgerPanel):
    with qtbot.waitSignal(panel.count_changed) as blocker:
        panel.collective_check.setChecked(True)
    assert blocker.args == [0]  # every fixture case has one petitioner
    panel.clear_filters()
    index = panel.deadline_combo.findText("已超期")
    with qtbot.waitSignal(panel.count_changed):
        panel.deadline_combo.setCurrentIndex(index)
    flt = panel.model.query[0]
    assert flt.due_to is not None and flt.due_to < TODAY
    panel.clear_filters()
    assert panel.model.query[0] == LedgerFilter()


def test_merge_filters_keeps_what_the_queue_sets():
    base = LedgerFilter(search="张", collective=True)
    merged = merge_filters(base, LedgerFilter(awaiting="rating"))
    assert (merged.search, merged.collective, merged.awaiting) == ("张", True, "rating")


def test_column_chooser(panel: LedgerPanel):
    menu = panel.column_menu()
    actions = {a.text(): a for a in menu.actions()}
    assert not actions["编号"].isEnabled()
    actions["内容摘要"].setChecked(False)
    assert panel.table.isColumnHidden(Column.SUMMARY)
    assert Column.SUMMARY not in panel.visible_columns()


def test_export_the_current_view(qtbot: Any, panel: LedgerPanel, tmp_path: Path):
    panel.set_column_visible(Column.SUMMARY, False)
    target = tmp_path / "台账.xlsx"
    with qtbot.waitSignal(panel.export_finished) as finished:
        panel.export(target)
    assert finished.args == [f"已导出 450 件到 {target}", False]
    book = load_workbook(target, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    # A title, the filter it was made with (issue 18), then the header and the rows.
    assert rows[0][0] == "信访事项台账" and rows[1][0].startswith("筛选条件：全部信访事项；共 450 件")
    assert rows[2] == ("编号", "收到日期", "形式", "信访人", "属地", "责任单位", "状态", "期限")
    assert len(rows) == 453
    assert rows[3][1] == TODAY.isoformat()  # the ledger's order: newest first


def test_the_export_names_its_filter_and_prints_a4_landscape(qtbot: Any, panel: LedgerPanel, tmp_path: Path):
    with qtbot.waitSignal(panel.count_changed):
        panel.channel_combo.setCurrentIndex(panel.channel_combo.findText("来访"))
    target = tmp_path / "来访.xlsx"
    with qtbot.waitSignal(panel.export_finished):
        panel.export(target)
    ws = load_workbook(target).active
    assert ws is not None
    assert "来访" in str(ws["A2"].value) and ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3" and "&P" in ws.oddFooter.center.text


def test_exporter_reports_progress_and_can_cancel(ledger_db: Any, tmp_path: Path):
    seen: list[tuple[int, int]] = []
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 200:
            cancel.set()

    target = tmp_path / "x.xlsx"
    result = export_ledger(
        ledger_db, target, LedgerFilter(), SortKey.NUMBER, False, progress=progress, cancel=cancel, page_size=100
    )
    assert result.cancelled and (result.rows, result.total) == (200, 450)
    assert seen == [(0, 450), (100, 450), (200, 450)]
    assert not target.exists() and not list(tmp_path.iterdir())  # nothing half-written left

    done = export_ledger(ledger_db, target, LedgerFilter(search="征地补偿"), columns=("number", "summary"))
    assert not done.cancelled and done.rows == done.total == sum(1 for i in range(450) if i % 8 == 1)
    assert target.exists()
