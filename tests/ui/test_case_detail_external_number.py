"""The case window's 信访记录 table shows each imported submission's 信访件编号 as 原编号 (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.importing.fixtures import TODAY, national_sheet
from xinfang_desktop.importing.run import run_import
from xinfang_desktop.persistence.reference_data import seed_reference_data
from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _headers(table: Any) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def test_submissions_table_shows_the_external_number(qtbot: Any, empty_ctx: Any, tmp_path: Path) -> None:
    db = empty_ctx.tasks.database
    seed_reference_data(db)
    report = run_import(db, national_sheet(tmp_path / "n.xlsx"), today=TODAY)
    assert report.committed and report.numbers[0] == "XF2026-000001"  # 孙丽: a first submission and a repeat
    dialog = CaseDetailDialog(empty_ctx, "XF2026-000001")
    qtbot.addWidget(dialog)
    dialog.resize(1100, 600)
    dialog.show()
    dialog.tabs.setCurrentIndex(2)
    table = dialog.tabs.widget(2)
    assert _headers(table) == ["批次", "收到日期", "原编号", "形式", "层级", "去向", "人数", "非正常", "越级"]
    assert [table.item(r, 2).text() for r in range(table.rowCount())] == ["3312212026000101", "3312212026000104"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "case_detail_external_number.png"))


def test_a_case_without_one_has_no_such_column(qtbot: Any, ctx: Any) -> None:
    dialog = CaseDetailDialog(ctx, "XF2026-000001")
    qtbot.addWidget(dialog)
    assert "原编号" not in _headers(dialog.tabs.widget(2))
