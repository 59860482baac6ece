"""Under a half-yearly rule profile (S4 §18, the hengyang profile; R-AS-02) the 统计 ranking tab and 责任落实 →
挂牌整治 offer 上半年 / 下半年 instead of quarters (pytest-qt, offscreen, a real SQLite demo database; TODAY is
2026-11-20): the 半年评价 of the half year chosen, 从排名列入… for the last ended half year, and a profile changed in
the settings shown at the next refresh. Screenshots in the test artefacts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.conftest import content_hash
from tests.ui.conftest import TODAY, make_ctx
from xinfang_desktop.cli import main
from xinfang_desktop.core.duties import PeriodKind
from xinfang_desktop.ui.ranking_tab import RankingTab
from xinfang_desktop.ui.responsibility.rectification_tab import FromRankingDialog, RectificationTab


def _shot(widget: Any, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("XINFANG_TEST_ARTEFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    assert widget.grab().save(str(path))
    return path


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("half-ui") / "demo.sqlite3"
    assert main(["init", "--db", str(path)]) == 0
    assert main(["demo", "--cases", "2000", "--seed", "7", "--today", TODAY.isoformat(), "--db", str(path)]) == 0
    return path


@pytest.fixture
def office(demo_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "office.sqlite3"
    copy.write_bytes(demo_path.read_bytes())
    return copy


def _profile(path: Path, profile: str) -> None:
    assert main(["settings", "set", "rule_profile", profile, "--db", str(path)]) == 0


@pytest.fixture
def half_db(office: Path) -> Iterator[Any]:
    from xinfang_desktop.persistence.database import open_database

    _profile(office, "hengyang")
    db = open_database(office)
    yield db
    db.dispose()


def _items(combo: Any) -> list[tuple[str, Any]]:
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def test_the_ranking_tab_offers_half_years(qtbot: Any, half_db: Any, tmp_path: Path) -> None:
    tab = RankingTab(make_ctx(half_db))
    qtbot.addWidget(tab)
    tab.resize(1500, 760)
    titles: list[str] = []
    tab.title_changed.connect(titles.append)
    with qtbot.waitSignal(tab.loaded):
        tab.show()  # the first show reads the profile's option, then ranks
    assert tab.period_kind is PeriodKind.HALF_YEAR and titles == ["半年评价与三无"]
    assert _items(tab.quarter_combo) == [("上半年", 1), ("下半年", 2)] and tab.period_label.text() == "半年："
    assert tab.quarter_combo.currentData() == 2  # November: the second half year
    assert tab.ranking is not None and tab.ranking.quarter.code == "2026H2"
    tab.quarter_combo.setCurrentIndex(0)
    with qtbot.waitSignal(tab.loaded):
        tab.refresh_button.click()
    assert tab.ranking.quarter.code == "2026H1" and tab.ranking.title == "2026年上半年信访工作半年评价"
    assert "每半年" in tab.formula_label.text() and tab.model.rowCount() >= 10
    qtbot.wait(50)
    _shot(tab, tmp_path, "ranking-half-year.png")


def test_the_rectification_tab_lists_a_half_year(qtbot: Any, half_db: Any, tmp_path: Path) -> None:
    tab = RectificationTab(make_ctx(half_db))
    qtbot.addWidget(tab)
    tab.resize(1360, 640)
    tab.show()
    tab.refresh()
    assert tab.period_kind is PeriodKind.HALF_YEAR and tab.period_label.text() == "半年："
    assert _items(tab.quarter_combo)[:3] == [("全部半年", None), ("2026年上半年", "2026H1"), ("2025年下半年", "2025H2")]
    assert "半年结束后" in tab.empty_hint.label.text()
    tab.from_ranking_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, FromRankingDialog) and dialog.windowTitle() == "从半年评价列入挂牌整治"
    assert dialog.picker.code() == "2026H1" and _items(dialog.picker.quarter_combo) == [("上半年", 1), ("下半年", 2)]
    expected = len([g for g in dialog.groups if g.key])
    assert dialog.form.labelForField(dialog.picker).text() == "半年"
    qtbot.wait(50)
    _shot(dialog, tmp_path, "rectification-half-year-dialog.png")
    # the half year running has not ended: refused in the form, nothing written
    before = content_hash(half_db)
    dialog.picker.quarter_combo.setCurrentIndex(1)
    dialog.ok_button.click()
    assert "尚未结束" in dialog.error_label.text() and "评价未定" in dialog.error_label.text()
    assert content_hash(half_db) == before
    dialog.picker.quarter_combo.setCurrentIndex(0)
    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert len(tab.rows) == expected > 0 and tab.quarter_combo.currentData() == "2026H1"
    assert {r["quarter_label"] for r in tab.rows} == {"2026年上半年"}
    assert (
        tab.model.item(0, 1).text() == "2026年上半年" and tab.model.headerData(1, Qt.Orientation.Horizontal) == "期间"
    )
    assert tab.model.item(0, 6).text().startswith("2026-12-04")  # listed Fri 11-20 + 10 工作日, as for a quarter
    qtbot.wait(50)
    _shot(tab, tmp_path, "rectification-half-year.png")


def test_a_profile_changed_shows_at_the_next_refresh(qtbot: Any, office: Path) -> None:
    from xinfang_desktop.persistence.database import open_database

    db = open_database(office)
    try:
        tab = RectificationTab(make_ctx(db))
        qtbot.addWidget(tab)
        tab.refresh()
        assert tab.period_kind is PeriodKind.QUARTER and tab.quarter_combo.itemText(0) == "全部季度"
        tab.quarter_combo.setCurrentIndex(1)  # a quarter chosen
        ranking = RankingTab(make_ctx(db))
        qtbot.addWidget(ranking)
        ranking.refresh()
        assert ranking.period_kind is PeriodKind.QUARTER and ranking.quarter_combo.count() == 4
        _profile(office, "hengyang")
        tab.refresh()
        assert tab.period_kind is PeriodKind.HALF_YEAR and tab.quarter_combo.currentData() is None  # 全部
        ranking.refresh()
        assert ranking.quarter_combo.count() == 2 and ranking.ranking is not None
        assert ranking.ranking.quarter.code == "2026H2"
        _profile(office, "national")
        ranking.refresh()
        assert ranking.period_kind is PeriodKind.QUARTER and ranking.ranking.quarter.code == "2026Q4"
    finally:
        db.dispose()


def test_the_statistics_section_names_the_tab_after_the_period(qtbot: Any, half_db: Any) -> None:
    from xinfang_desktop.ui.statistics_panel import StatisticsPanel

    panel = StatisticsPanel(make_ctx(half_db))
    qtbot.addWidget(panel)
    panel.resize(1500, 800)
    panel.show()
    index = next(i for i in range(panel.tabs.count()) if "三无" in panel.tabs.tabText(i))
    ranking = panel.tabs.widget(index)
    with qtbot.waitSignal(ranking.loaded, timeout=10000):
        panel.tabs.setCurrentIndex(index)
    assert panel.tabs.tabText(index) == "半年评价与三无"
