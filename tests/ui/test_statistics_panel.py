"""The 统计 section (pytest-qt, offscreen): rates per unit and township with the 合计 row and formulas, the ranking
with the 末位 marked, the export, the empty state, a bad period, the real worker thread, and a screenshot."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt

from tests.persistence.assessment_ledger import TODAY, UNIT_A, UNIT_B, build_ledger
from tests.ui.conftest import make_ctx
from xinfang_desktop.core.assessment import RATES, Grouping
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.statistics_panel import StatisticsPanel
from xinfang_desktop.ui.tasks import ThreadedTaskRunner

from .model_checks import assert_multidata_matches_data

HEADERS = ["单位/乡镇", "信访事项\n（件）", *(r.name for r in RATES)]


@pytest.fixture(scope="module")
def stats_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    path = tmp_path_factory.mktemp("stats") / "stats.sqlite3"
    db = open_database(path)
    seed_reference_data(db)
    build_ledger(db)
    db.dispose()
    return path


@pytest.fixture
def stats_db(stats_db_path: Path) -> Iterator[Any]:
    from xinfang_desktop.persistence.database import open_database

    db = open_database(stats_db_path)
    yield db
    db.dispose()


def _panel(qtbot: Any, ctx: Any) -> StatisticsPanel:
    ctx.today = lambda: TODAY
    panel = StatisticsPanel(ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.start()
    return panel


def _column(panel: StatisticsPanel, title: str) -> int:
    model = panel.model
    return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == title)


def _names(model: Any) -> list[str]:
    return [model.text(r, 0) for r in range(model.rowCount())]


def test_rates_per_unit_with_the_total_row_and_the_formulas(qtbot: Any, stats_db: Any, tmp_path: Path) -> None:
    ctx = make_ctx(stats_db)
    panel = _panel(qtbot, ctx)
    assert (panel.from_edit.date(), panel.to_edit.date()) == (QDate(2026, 1, 1), QDate(2026, 6, 30))  # this year
    assert panel.grouping is Grouping.UNIT and ctx.tasks.calls == 2  # the kept counts looked up (none), then the count
    model = panel.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)] == HEADERS
    assert _names(model) == [UNIT_A, UNIT_B, "未指定责任单位", "合计"]
    total = model.rowCount() - 1
    timely = _column(panel, "及时受理率")
    assert model.text(total, 1) == "7" and model.text(total, timely) == "66.7%"
    assert "4 / 6" in model.tip(total, timely)  # numerator and denominator behind the value
    assert model.header_tip(timely).startswith("及时受理率 = 按期受理件数 ÷ 应受理件数 × 100%")
    assert model.text(2, _column(panel, "按期办结率")) == "—"  # no handling clock due: no value, no crash
    assert model.text(total, _column(panel, "越级访\n批次/人次")) == "3 / 10"
    assert model.data(model.index(total, 0), Qt.ItemDataRole.FontRole).bold()
    assert assert_multidata_matches_data(model, list(range(model.rowCount()))) > 0
    assert assert_multidata_matches_data(panel.rank_model, list(range(panel.rank_model.rowCount()))) > 0
    for rate in RATES:
        assert rate.formula in panel.legend.text()
    assert "收到信访事项 7 件" in panel.summary_label.text()

    # R-AS-02: worst first, the 末位 marked; another rate re-ranks the loaded counts without the database.
    rank = panel.rank_model
    assert _names(rank)[:3] == ["3", "2", "1"] and rank.text(0, 1) == "未指定责任单位"
    assert rank.text(0, 4).startswith("末位：列为挂牌整治候选")
    assert rank.is_flagged(0) and not rank.is_flagged(1) and rank.text(3, 1) == "合计"
    panel.rate_combo.setCurrentIndex(panel.rate_combo.findData("participation"))
    assert rank.text(0, 1) == UNIT_B and rank.text(0, 2) == "50.0%" and rank.is_flagged(0)
    assert ctx.tasks.calls == 2  # re-ranking used no database call

    panel.resize(1260, 760)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.grab().save(str(tmp_path / "statistics-rates.png"))
    panel.tabs.setCurrentIndex(1)
    assert panel.grab().save(str(tmp_path / "statistics-ranking.png"))


def test_by_township_and_for_the_county(qtbot: Any, stats_db: Any) -> None:
    panel = _panel(qtbot, make_ctx(stats_db))
    with qtbot.waitSignal(panel.loaded):
        panel.group_combo.setCurrentIndex(panel.group_combo.findData("township"))
    assert _names(panel.model) == ["城关街道", "东湖镇", "属地未明确到乡镇", "合计"]
    assert panel.model.text(1, _column(panel, "重复信访率")) == "33.3%"  # C3 of C2, C3, C9
    with qtbot.waitSignal(panel.loaded):
        panel.group_combo.setCurrentIndex(panel.group_combo.findData("county"))
    assert _names(panel.model) == ["全县"]
    assert panel.rank_model.rowCount() == 0 and "按责任单位或乡镇" in panel.rank_formula.text()


def test_export_writes_the_table_and_the_ranking(qtbot: Any, stats_db: Any, tmp_path: Path) -> None:
    panel = _panel(qtbot, make_ctx(stats_db))
    assert panel.export_button.isEnabled()
    target = tmp_path / "考核指标.xlsx"
    with qtbot.waitSignal(panel.exported) as exported:
        panel.export_to(target)
    assert exported.args == [str(target)] and str(target) in panel.summary_label.text()
    wb = load_workbook(target)
    assert wb.sheetnames == ["考核指标", "分子分母", "排名"]
    assert wb["考核指标"].cell(7, 1).value == "合计" and wb["排名"].cell(4, 6).value == "末位"


def test_an_empty_database_says_so(qtbot: Any, empty_ctx: Any) -> None:
    panel = _panel(qtbot, empty_ctx)
    assert panel.empty_label.isVisibleTo(panel) and not panel.tabs.isVisibleTo(panel)
    assert "没有收到信访事项" in panel.empty_label.text() and "2026-01-01 至 2026-06-30" in panel.empty_label.text()
    assert not panel.export_button.isEnabled()


def test_a_start_after_the_end_is_refused_without_the_database(qtbot: Any, stats_db: Any) -> None:
    ctx = make_ctx(stats_db)
    panel = _panel(qtbot, ctx)
    panel.from_edit.setDate(QDate(2026, 6, 1))
    panel.to_edit.setDate(QDate(2026, 5, 1))
    with qtbot.waitSignal(panel.failed) as failed:
        panel.refresh()
    assert "晚于" in failed.args[0] and "晚于" in panel.error_label.text() and ctx.tasks.calls == 1


def test_the_counting_runs_on_the_database_thread(qtbot: Any, stats_db: Any) -> None:
    runner = ThreadedTaskRunner()
    runner.attach(stats_db)
    threads: list[str] = []
    original = runner.run_db

    def spy(fn: Any, on_done: Any = None, on_error: Any = None) -> None:
        def job(db: Any) -> Any:
            threads.append(threading.current_thread().name)
            return fn(db)

        original(job, on_done, on_error)

    runner.run_db = spy  # type: ignore[method-assign]
    try:
        panel = StatisticsPanel(AppContext(runner, today=lambda: date(2026, 6, 30), user="tester"))
        qtbot.addWidget(panel)
        with qtbot.waitSignal(panel.loaded, timeout=20_000):
            panel.start()
        assert threads and all(name.startswith("xinfang-db") for name in threads)
        assert _names(panel.model)[-1] == "合计"
    finally:
        runner.shutdown()
