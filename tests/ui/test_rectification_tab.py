"""The 挂牌整治 tab (pytest-qt, offscreen, a real SQLite demo database; TODAY is 2026-11-20): 从排名列入… for the last
ended quarter (2026Q3) through the form, the table with the due day in colour, 登记书面说明… with the file chosen in a
file dialog, 登记约谈… with a leader found by search, 摘牌… with its reason, Chinese refusals in the forms with nothing
written, and the tab built by the 责任落实 section (R-AS-02)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.conftest import content_hash
from tests.ui.conftest import TODAY, make_ctx
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.packages_store import add_leader
from xinfang_desktop.ui.responsibility.rectification_tab import (
    AMBER,
    DUE_COLUMN,
    GREEN,
    RED,
    ExplainDialog,
    FromRankingDialog,
    InterviewDialog,
    LiftDialog,
    RectificationTab,
    last_ended_quarter,
)

FOREGROUND = Qt.ItemDataRole.ForegroundRole


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rect-ui") / "demo.sqlite3"
    assert main(["init", "--db", str(path)]) == 0
    assert main(["demo", "--cases", "2000", "--seed", "7", "--today", TODAY.isoformat(), "--db", str(path)]) == 0
    return path


@pytest.fixture
def rect_db(demo_path: Path, tmp_path: Path) -> Iterator[Any]:
    from xinfang_desktop.persistence.database import open_database

    copy = tmp_path / "office.sqlite3"
    copy.write_bytes(demo_path.read_bytes())
    db = open_database(copy)
    add_leader(db, "张市长", organ="政府", rank="副职", level="市", post="副市长")
    yield db
    db.dispose()


@pytest.fixture
def tab(qtbot: Any, rect_db: Any) -> RectificationTab:
    tab = RectificationTab(make_ctx(rect_db))
    qtbot.addWidget(tab)
    tab.resize(1360, 640)
    tab.show()
    tab.refresh()
    return tab


def _cell(tab: RectificationTab, row: int, column: int) -> str:
    return str(tab.model.item(row, column).text())


def _colour(tab: RectificationTab, row: int, column: int = DUE_COLUMN) -> str:
    return str(tab.model.item(row, column).data(FOREGROUND).color().name())


def _list_from_ranking(tab: RectificationTab) -> FromRankingDialog:
    tab.from_ranking_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, FromRankingDialog) and dialog.isVisible()
    return dialog


def test_list_from_ranking_and_the_table(tab: RectificationTab, rect_db: Any, tmp_path: Path) -> None:
    assert tab.rows == [] and tab.empty_hint.label.isVisible()
    assert not tab.explain_button.isEnabled() and not tab.lift_button.isEnabled()
    assert last_ended_quarter(TODAY) == (2026, 3)
    dialog = _list_from_ranking(tab)
    assert dialog.picker.code() == "2026Q3"
    preview = dialog.preview_label.text()
    assert "综合得分末位" in preview and "挂牌整治" in dialog.rule_label.text()
    expected = len([g for g in dialog.groups if g.key])
    # The current quarter has not ended: refused in the form, nothing written.
    before = content_hash(rect_db)
    dialog.picker.quarter_combo.setCurrentIndex(3)
    dialog.ok_button.click()
    assert "尚未结束" in dialog.error_label.text() and dialog.isVisible()
    assert content_hash(rect_db) == before
    dialog.picker.quarter_combo.setCurrentIndex(2)
    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert len(tab.rows) == expected > 0 and tab.quarter_combo.currentData() == "2026Q3"
    assert _cell(tab, 0, 5) == "已挂牌" and _cell(tab, 0, 7) == "未提交"
    # Listed on 2026-11-20 (Fri): 10 工作日 → 2026-12-04
    assert _cell(tab, 0, DUE_COLUMN).startswith("2026-12-04")
    assert "10个工作日" in tab.model.item(0, DUE_COLUMN).toolTip()
    assert tab.explain_button.isEnabled() and "R-AS-02" in tab.detail_label.text()
    # Listed twice: nothing added.
    before = content_hash(rect_db)
    dialog = _list_from_ranking(tab)
    dialog.ok_button.click()
    assert len(tab.rows) == expected and content_hash(rect_db) == before
    assert tab.grab().save(str(tmp_path / "rectification-listed.png"))


def test_the_chain_through_the_forms(
    qtbot: Any, tab: RectificationTab, rect_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _list_from_ranking(tab).ok_button.click()
    assert len(tab.rows) >= 2
    paper = tmp_path / "书面说明.pdf"
    paper.write_bytes(b"%PDF-1.4 explanation")
    # 登记书面说明… without a summary: refused in the form.
    tab.select_id(tab.rows[0]["id"])
    tab.explain_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, ExplainDialog) and dialog.isVisible()
    before = content_hash(rect_db)
    dialog.ok_button.click()
    assert dialog.error_label.text() == "请填写书面说明的内容摘要" and content_hash(rect_db) == before
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(paper), ""))
    dialog.file_button.click()
    assert dialog.file_edit.text() == "书面说明.pdf"
    dialog.summary_edit.setPlainText("已对重点信访事项逐件化解，落实包案领导")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    first = tab.rows[0]
    assert first["state"] == "explained" and _cell(tab, 0, 7).endswith("｜书面说明.pdf")
    assert _colour(tab, 0) == GREEN.name() and not tab.explain_button.isEnabled()
    # 登记约谈…: the leader found by search in the register.
    tab.interview_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, InterviewDialog)
    assert dialog.leader_combo.findText("张市长（副市长）") == 0
    dialog.ok_button.click()
    assert dialog.error_label.text() == "请选择或填写约谈领导"
    dialog.leader_combo.setEditText("张市长（副市长）")
    dialog.ok_button.click()
    assert dialog.error_label.text() == "请填写被约谈人员"
    dialog.persons_edit.setPlainText("乡党委书记、乡长")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    row = next(i for i, r in enumerate(tab.rows) if r["id"] == first["id"])
    assert tab.rows[row]["state"] == "interviewed" and _cell(tab, row, 8) == "2026-11-20 张市长（副市长）"
    assert tab.rows[row]["interview"]["leader_id"] is not None
    # 摘牌… of another listing: the reason required.
    other = next(r for r in tab.rows if r["id"] != first["id"])
    tab.select_id(other["id"])
    tab.lift_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, LiftDialog)
    dialog.ok_button.click()
    assert dialog.error_label.text() == "请填写摘牌理由"
    dialog.reason_edit.setPlainText("经市信访工作联席会议研究，整改到位，予以摘牌")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    lifted = next(r for r in tab.rows if r["id"] == other["id"])
    assert lifted["state"] == "lifted" and not tab.lift_button.isEnabled()
    tab.open_check.setChecked(True)
    assert other["id"] not in [r["id"] for r in tab.rows]
    tab.open_check.setChecked(False)
    tab.select_id(first["id"])
    assert "张市长（副市长） 约谈 乡党委书记、乡长" in tab.detail_label.text()
    qtbot.wait(50)  # the layout gives the detail its lines
    assert tab.grab().save(str(tmp_path / "rectification-chain.png"))
    assert tab.grab().save("/tmp/rectification-chain.png")


def test_due_colours(qtbot: Any, rect_db: Any) -> None:
    from datetime import date

    from xinfang_desktop.ui.context import AppContext
    from xinfang_desktop.ui.tasks import SyncTaskRunner

    tab = RectificationTab(make_ctx(rect_db))
    qtbot.addWidget(tab)
    tab.refresh()
    _list_from_ranking(tab).ok_button.click()
    # Seen on 2026-12-02 (2 working days left: 临期, amber) and on 2026-12-07 (overdue, red)
    for day, colour in ((date(2026, 12, 2), AMBER), (date(2026, 12, 7), RED)):
        later = RectificationTab(AppContext(SyncTaskRunner(rect_db), today=lambda d=day: d, user="tester"))
        qtbot.addWidget(later)
        later.refresh()
        assert later.rows and _colour(later, 0) == colour.name()
    assert "逾期" in later.summary_label.text() and later.summary_label.styleSheet() == "color: #c62828;"


def test_the_section_builds_the_tab(qtbot: Any, rect_db: Any) -> None:
    from xinfang_desktop.ui.responsibility.panel import LATE_TABS, ResponsibilityPanel

    panel = ResponsibilityPanel(make_ctx(rect_db))
    qtbot.addWidget(panel)
    panel.start()
    index = next(i for i in range(panel.tabs.count()) if panel.tabs.tabText(i) == "挂牌整治")
    panel.tabs.setCurrentIndex(index)
    late = [title for title, _module, _name in LATE_TABS].index("挂牌整治")
    assert isinstance(panel.late_tabs[late].content, RectificationTab)


def test_the_ranking_tab_shows_the_listing_state(qtbot: Any, rect_db: Any, tmp_path: Path) -> None:
    from xinfang_desktop.ui.ranking_tab import LISTING_COLOURS, RankingTab

    tab = RectificationTab(make_ctx(rect_db))
    qtbot.addWidget(tab)
    tab.refresh()
    _list_from_ranking(tab).ok_button.click()
    names = {r["name"] for r in tab.rows}
    ranking = RankingTab(make_ctx(rect_db))
    qtbot.addWidget(ranking)
    ranking.resize(1500, 700)
    ranking.quarter_combo.setCurrentIndex(2)
    ranking.show()
    ranking.refresh()
    heads = [ranking.model.headerData(c, Qt.Orientation.Horizontal) for c in range(ranking.model.columnCount())]
    state = heads.index("挂牌状态")
    marked = {
        ranking.model.item(r, 1).text(): ranking.model.item(r, state)
        for r in range(ranking.model.rowCount())
        if ranking.model.item(r, state).text()
    }
    townships = {n for n in names if n in marked}
    assert townships and all(marked[n].text().startswith("已挂牌，待书面说明（2026-12-04前）") for n in townships)
    assert all(marked[n].data(FOREGROUND).color().name() == LISTING_COLOURS["listed"].name() for n in townships)
    assert "挂牌整治对象：待书面说明" in ranking.formula_label.text()
    qtbot.wait(50)
    assert ranking.grab().save(str(tmp_path / "ranking-listing.png"))
    assert ranking.grab().save("/tmp/ranking-listing.png")
