"""统计 → 期间统计 and 季度排名与三无 (issue 14, pytest-qt offscreen) on a demo database.

The table with 同比/环比 equals the report, the caliber and grouping pickers recount, the charts render and export
as PNG, Excel and PDF are written through the task runner; screenshots in the test artefacts."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt

from tests.reports.period_fixture import TODAY, build_demo
from tests.ui.conftest import make_ctx
from xinfang_desktop.core.period_stats import Caliber, GroupBy
from xinfang_desktop.reports.period_report import period_report
from xinfang_desktop.ui.period_report_tab import PeriodReportTab, RankingTab

H = Qt.Orientation.Horizontal


def _shot(widget: Any, tmp_path: Path, name: str) -> Path:
    """A screenshot in $XINFANG_TEST_ARTEFACTS (CI keeps it) or the test's temporary folder."""
    folder = Path(os.environ.get("XINFANG_TEST_ARTEFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert widget.grab().save(str(path))
    return path


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("period_tab") / "demo.sqlite3")


@pytest.fixture
def demo_db(demo_path: Path) -> Any:
    from xinfang_desktop.persistence.database import open_database

    db = open_database(demo_path)
    yield db
    db.dispose()


def _tab(qtbot: Any, db: Any) -> PeriodReportTab:
    ctx = make_ctx(db)
    tab = PeriodReportTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 820)
    tab.from_edit.setDate(QDate(2026, 1, 1))
    tab.to_edit.setDate(QDate(2026, 10, 31))
    with qtbot.waitSignal(tab.loaded):
        tab.show()  # the first show reads the caliber setting and counts
    return tab


def _cells(model: Any, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_table_shows_the_report_with_yoy_and_mom(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    tab = _tab(qtbot, demo_db)
    expected = period_report(demo_db, date(2026, 1, 1), date(2026, 10, 31), GroupBy.DESTINATION, Caliber.NATURAL)
    model = tab.model
    assert model.headerData(0, H) == "去向"
    assert [model.headerData(c, H) for c in (1, 2, 5, 9)] == ["本期\n批次", "本期\n人次", "同比\n批次", "环比\n批次"]
    first = _cells(model, 0)
    row = expected.rows[0]
    assert first[0] == "来县" and first[1] == f"{row.current.batches:,}"
    assert first[5] == (f"{row.yoy[0]:+.1f}%" if row.yoy[0] else "0.0%")
    assert _cells(model, model.rowCount() - 1)[0] == "合计"
    assert [tab.special_model.index(r, 0).data() for r in range(4)] == ["集体访", "越级访", "重复访", "非正常上访"]
    assert "统计口径：自然月" in tab.period_label.text()
    _shot(tab, tmp_path, "period_report_table.png")


def test_caliber_and_grouping_recount(qtbot: Any, demo_db: Any) -> None:
    tab = _tab(qtbot, demo_db)
    tab.caliber_combo.setCurrentIndex(tab.caliber_combo.findData(Caliber.REPORTING.value))
    tab.group_combo.setCurrentIndex(tab.group_combo.findData(GroupBy.LOCALITY.value))
    with qtbot.waitSignal(tab.loaded):
        tab.refresh_button.click()
    assert tab.report is not None and tab.report.period.start == date(2025, 12, 21)
    assert tab.report.period.end == date(2026, 10, 20)
    assert "上月21日至本月20日" in tab.period_label.text()
    assert tab.model.headerData(0, H) == "乡镇（属地）" and tab.model.rowCount() >= 10


def test_a_start_after_the_end_is_explained(qtbot: Any, demo_db: Any) -> None:
    tab = _tab(qtbot, demo_db)
    tab.from_edit.setDate(QDate(2026, 11, 1))
    tab.to_edit.setDate(QDate(2026, 10, 1))
    with qtbot.waitSignal(tab.failed):
        tab.refresh_button.click()
    assert "开始日期晚于结束日期" in tab.error_label.text()


def test_charts_render_and_export_png(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    tab = _tab(qtbot, demo_db)
    assert tab.trend_chart is None  # made when their page is first shown (pyqtgraph is not imported before)
    tab.pages.setCurrentIndex(1)
    qtbot.wait(1)
    assert tab.trend_chart is not None and tab.group_chart is not None and tab.category_chart is not None
    _shot(tab, tmp_path, "period_report_charts.png")
    for chart, name in ((tab.trend_chart, "trend"), (tab.group_chart, "bars"), (tab.category_chart, "share")):
        path = chart.save_png(tmp_path / f"{name}.png")
        assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 2000
    assert tab.trend_chart.plot.getPlotItem().listDataItems()  # the lines are drawn


def test_exports_write_xlsx_and_pdf(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    tab = _tab(qtbot, demo_db)
    xlsx, pdf = tmp_path / "期间统计.xlsx", tmp_path / "期间统计.pdf"
    with qtbot.waitSignal(tab.exported):
        tab.export_xlsx(xlsx)
    assert load_workbook(xlsx).sheetnames[0] == "信访情况统计"
    with qtbot.waitSignal(tab.exported):
        tab.export_pdf(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "已导出" in tab.period_label.text()


def test_ranking_tab_lists_and_draws(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    ctx = make_ctx(demo_db)
    tab = RankingTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 820)
    assert TODAY.month == 11 and tab.quarter_combo.currentData() == 4
    tab.quarter_combo.setCurrentIndex(0)
    with qtbot.waitSignal(tab.loaded):
        tab.show()  # the first show ranks the quarter chosen
    assert tab.ranking is not None and tab.ranking.quarter.code == "2026Q1"
    tab.by_combo.setCurrentIndex(1)
    assert tab.model.headerData(1, H) == "责任单位"
    tab.by_combo.setCurrentIndex(0)
    assert tab.model.headerData(2, H) == "综合得分" and tab.model.rowCount() >= 10
    assert "综合得分 =" in tab.formula_label.text()
    assert tab.sanwu_model.rowCount() >= 10
    _shot(tab, tmp_path, "ranking_tab.png")
    tab.pages.setCurrentIndex(1)
    _shot(tab, tmp_path, "sanwu_tab.png")


def test_the_annual_report_is_drafted_from_the_tab(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    from docx import Document

    tab = _tab(qtbot, demo_db)
    path = tmp_path / "2025年度信访工作情况报告.docx"
    with qtbot.waitSignal(tab.exported):
        tab.draft_annual(path, 2025)
    text = "".join(p.text for p in Document(str(path)).paragraphs)
    assert "一、信访事项的数据统计和分析" in text and "四、其他应当报告的事项" in text
    assert tab.annual_button.isEnabled()


def test_the_national_export_is_written_from_the_tab(qtbot: Any, demo_db: Any, tmp_path: Path) -> None:
    from xinfang_desktop.reports.national_export import HEADERS

    tab = _tab(qtbot, demo_db)
    path = tmp_path / "national.xlsx"
    with qtbot.waitSignal(tab.exported):
        tab.export_national(path, date(2026, 1, 1), date(2026, 3, 31))
    wb = load_workbook(path, read_only=True)
    rows = list(wb["信访件"].iter_rows(values_only=True))
    wb.close()
    assert list(rows[0]) == list(HEADERS) and len(rows) > 1
    assert tab.national_button.isEnabled()
