"""The ledger section: debounced search, status filter, count, header sorting, opening a case."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlalchemy import select, update

from tests.ui.conftest import make_ctx, type_text
from xinfang_desktop.core.codes import Channel
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.persistence.ledger_queries import ledger_count
from xinfang_desktop.persistence.records import CaseRecord, RegionRecord, UnitRecord
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


def test_typing_queries_once_after_the_debounce(qtbot: Any, panel: LedgerPanel, monkeypatch: pytest.MonkeyPatch):
    """Each key restarts the wait; the query runs once, SEARCH_DEBOUNCE_MS after the last key — short enough that
    the first page of a result can be painted within 300 ms of the last key (issue 6)."""
    assert ledger_panel.SEARCH_DEBOUNCE_MS <= 200
    queries: list[str | None] = []
    real = panel.model.set_query
    monkeypatch.setattr(panel.model, "set_query", lambda flt, *a: (queries.append(flt.search), real(flt, *a)))
    for ch in "张三丰":
        panel.search_box.insert(ch)
    assert queries == []
    qtbot.waitUntil(lambda: queries != [], timeout=2000)
    qtbot.wait(ledger_panel.SEARCH_DEBOUNCE_MS + 50)
    assert queries == ["张三丰"]


# -- 属地 / 责任单位 / 内容分类, saved views ------------------------------------------------------------------------


@pytest.fixture
def placed_db(ledger_db_path: Path, tmp_path: Path) -> Iterator[Any]:
    """A copy of the 450-case ledger with the example county, cases spread over townships, villages, units and
    categories (top-level and subcategories)."""
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    path = tmp_path / "placed.sqlite3"
    shutil.copy(ledger_db_path, path)
    db = open_database(path)
    seed_reference_data(db)
    with db.write_session() as s:
        places = list(s.scalars(select(RegionRecord.code).where(RegionRecord.level.in_(["township", "village"]))))
        units = list(s.scalars(select(UnitRecord.id).order_by(UnitRecord.id)))[:7]
        categories = ["01", "0101", "03", "0301", "0302", None]
        for case_id in s.scalars(select(CaseRecord.id)).all():
            s.execute(
                update(CaseRecord)
                .where(CaseRecord.id == case_id)
                .values(
                    locality_code=places[case_id % len(places)],
                    responsible_unit_id=units[case_id % len(units)],
                    category_code=categories[case_id % len(categories)],
                )
            )
    yield db
    db.dispose()


@pytest.fixture
def placed_panel(qtbot: Any, placed_db: Any) -> LedgerPanel:
    widget = LedgerPanel(make_ctx(placed_db))
    qtbot.addWidget(widget)
    widget.resize(1400, 600)
    widget.show()
    widget.start()
    return widget


def _count(db: Any, flt: LedgerFilter) -> int:
    with db.read_session() as s:
        return ledger_count(s, flt)


def _choose(qtbot: Any, panel: LedgerPanel, combo: Any, index: int) -> int:
    with qtbot.waitSignal(panel.count_changed) as blocker:
        combo.setCurrentIndex(index)
    count: int = blocker.args[0]
    return count


def test_new_combos_are_filled_once_with_all_first(placed_panel: LedgerPanel):
    assert placed_panel.locality_combo.itemText(0) == "全部属地"
    assert placed_panel.locality_combo.count() == 1 + 15  # the example county's townships
    assert all(len(placed_panel.locality_combo.itemData(i)) == 9 for i in range(1, 16))
    assert placed_panel.unit_combo.itemText(0) == "全部责任单位"
    assert placed_panel.unit_combo.count() == 1 + 41
    assert placed_panel.category_combo.itemText(0) == "全部分类"
    assert placed_panel.category_combo.count() == 1 + 14
    assert placed_panel.category_combo.itemText(3) == "劳动和社会保障"


def test_locality_filter_takes_a_township_with_its_villages(qtbot: Any, placed_db: Any, placed_panel: LedgerPanel):
    combo = placed_panel.locality_combo
    index = next(i for i in range(1, combo.count()) if _count(placed_db, LedgerFilter(locality_code=combo.itemData(i))))
    code = combo.itemData(index)
    count = _choose(qtbot, placed_panel, combo, index)
    assert placed_panel.current_filter().locality_prefix == code
    assert count == _count(placed_db, LedgerFilter(locality_prefix=code))
    assert count > _count(placed_db, LedgerFilter(locality_code=code)) > 0  # its villages' cases too
    assert placed_panel.model.rowCount() == count
    assert placed_panel.count_label.text() == f"共 {count} 件"


def test_unit_filter(qtbot: Any, placed_db: Any, placed_panel: LedgerPanel):
    combo = placed_panel.unit_combo
    index = next(i for i in range(1, combo.count()) if _count(placed_db, LedgerFilter(unit_id=combo.itemData(i))))
    count = _choose(qtbot, placed_panel, combo, index)
    assert 0 < count < 450
    assert count == _count(placed_db, LedgerFilter(unit_id=combo.itemData(index)))
    assert placed_panel.model.rowCount() == count
    name = combo.itemText(index)
    assert all(placed_panel.model.data(placed_panel.model.index(r, Column.UNIT)) == name for r in range(count))


def test_category_filter_takes_the_subcategories(qtbot: Any, placed_db: Any, placed_panel: LedgerPanel):
    combo = placed_panel.category_combo
    count = _choose(qtbot, placed_panel, combo, combo.findData("03"))
    assert count == _count(placed_db, LedgerFilter(category_prefix="03")) == 225  # 03, 0301, 0302 of six
    assert count > _count(placed_db, LedgerFilter(category_code="03"))
    assert placed_panel.model.rowCount() == 200  # the first page
    both = _choose(qtbot, placed_panel, placed_panel.locality_combo, 1)
    assert both == _count(placed_db, placed_panel.current_filter())
    assert placed_panel.current_filter().category_prefix == "03"


def _set_up_a_view(qtbot: Any, panel: LedgerPanel) -> None:
    panel.search_box.setText("补偿")
    panel.channel_combo.setCurrentIndex(panel.channel_combo.findData(Channel.VISIT.value))
    panel.repeat_check.setChecked(False)
    panel.date_check.setChecked(True)
    panel.locality_combo.setCurrentIndex(2)
    panel.unit_combo.setCurrentIndex(3)
    panel.category_combo.setCurrentIndex(panel.category_combo.findData("03"))
    header = panel.table.horizontalHeader()
    with qtbot.waitSignal(panel.count_changed):
        header.setSortIndicator(Column.NUMBER, Qt.SortOrder.AscendingOrder)
        panel.status_combo.setCurrentIndex(1)  # 在办（未办结）


def test_saved_view_round_trips_and_is_applied(qtbot: Any, placed_db: Any, placed_panel: LedgerPanel):
    from xinfang_desktop.persistence.saved_views_store import user_views

    _set_up_a_view(qtbot, placed_panel)
    state = placed_panel.view_state()
    flt, sort, descending = placed_panel.model.query
    assert (sort, descending) == (SortKey.NUMBER, False)
    placed_panel.save_view("东湖在办")
    assert user_views(placed_db, user="tester")["own"] == {"东湖在办": state}  # the user's own, in the database
    assert placed_panel.view_combo.currentText() == "东湖在办"
    assert placed_panel.delete_view_button.isEnabled()

    # A new panel (the next start of the program) reads the view from the database; choosing it applies it.
    other = LedgerPanel(make_ctx(placed_db))
    qtbot.addWidget(other)
    other.start()
    assert other.view_names() == ["东湖在办"]
    assert other.model.query[1] is SortKey.RECEIVED
    with qtbot.waitSignal(other.count_changed) as blocker:
        other.view_combo.setCurrentIndex(other.view_combo.findText("东湖在办"))
    assert other.model.query == (flt, SortKey.NUMBER, False)
    assert other.view_state() == state
    assert blocker.args == [_count(placed_db, flt)]
    assert other.search_box.text() == "补偿"
    assert other.locality_combo.currentIndex() == 2 and other.unit_combo.currentIndex() == 3
    assert other.table.horizontalHeader().sortIndicatorSection() == Column.NUMBER
    assert other.view_combo.currentText() == "东湖在办"

    other.delete_view("东湖在办")
    assert other.view_names() == [] and other.view_combo.count() == 1
    assert user_views(placed_db, user="tester")["own"] == {}


def test_views_are_each_users_own_and_shared_ones_are_offered_to_all(
    qtbot: Any, placed_db: Any, placed_panel: LedgerPanel
):
    from xinfang_desktop.persistence.settings_store import set_setting

    _set_up_a_view(qtbot, placed_panel)
    placed_panel.save_view("我的")
    in_progress = placed_panel.status_combo.itemText(1)  # 在办（未办结）
    set_setting(placed_db, "ledger_views", {"全局在办": {"search": "东湖", "status": in_progress}})  # shared
    ctx = make_ctx(placed_db)
    ctx.user = "colleague"
    colleague = LedgerPanel(ctx)
    qtbot.addWidget(colleague)
    colleague.start()
    assert colleague.view_names() == [] and colleague.views.shared_names() == ["全局在办"]
    texts = [colleague.view_combo.itemText(i) for i in range(colleague.view_combo.count())]
    assert texts == ["（选择视图）", "全局在办（共享）"]  # not the other user's
    colleague.view_combo.setCurrentIndex(1)
    assert colleague.search_box.text() == "东湖" and colleague.status_combo.currentIndex() == 1  # applied
    assert not colleague.delete_view_button.isEnabled()  # a shared view is not deleted from here
    colleague.save_view("我的")  # the same name as the other user's: each has their own
    assert colleague.view_names() == ["我的"] and placed_panel.view_names() == ["我的"]
    assert colleague.view_combo.currentText() == "我的"


def test_clear_filters_resets_everything(qtbot: Any, placed_panel: LedgerPanel):
    _set_up_a_view(qtbot, placed_panel)
    placed_panel.save_view("临时")
    with qtbot.waitSignal(placed_panel.count_changed) as blocker:
        placed_panel.reset_button.click()
    assert blocker.args == [450]
    assert placed_panel.current_filter() == LedgerFilter()
    for combo in (
        placed_panel.status_combo,
        placed_panel.channel_combo,
        placed_panel.locality_combo,
        placed_panel.unit_combo,
        placed_panel.category_combo,
        placed_panel.view_combo,
    ):
        assert combo.currentIndex() == 0
    assert placed_panel.search_box.text() == "" and not placed_panel.date_check.isChecked()
    assert not placed_panel.delete_view_button.isEnabled()
    assert placed_panel.view_names() == ["临时"]  # clearing the filters keeps the saved views
