"""The main window: every section reachable, unbuilt ones say so, the status bar, workbench → ledger."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSettings

from xinfang_desktop.core.ledger import SortKey
from xinfang_desktop.ui.main_window import SECTIONS, MainWindow
from xinfang_desktop.ui.placeholder_panel import NOT_BUILT, PlaceholderPanel


@pytest.fixture
def window(qtbot: Any, ctx: Any) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    win.start()
    return win


def test_sections_in_order(window: MainWindow):
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[:8] == ["工作台", "信访台账", "来信来访登记", "领导包案", "预警与积案", "文书", "统计", "设置"]
    assert titles[8:] == ["责任落实", "账号与安全"]


def test_every_section_opens_and_unbuilt_ones_say_so(window: MainWindow):
    for section in SECTIONS:
        window.show_section(section.key)
        assert window.current_section == section.key
        panel = window.stack.currentWidget()
        if isinstance(panel, PlaceholderPanel):
            assert NOT_BUILT in panel.status_label.text()
    assert window.ledger.model.rowCount() == 200


def test_status_bar(window: MainWindow, ledger_db: Any):
    assert window.status.database_label.toolTip() == ledger_db.display_name
    assert window.status.user_label.text() == "用户：tester"
    assert "全国" in window.status.profile_label.text()
    assert window.status.holiday_label.text().startswith("节假日数据：")


def test_workbench_counts_and_click_opens_the_ledger(qtbot: Any, window: MainWindow, ledger_db: Any, monkeypatch: Any):
    from xinfang_desktop.core.queues import QUEUE_NAMES, queue_filter
    from xinfang_desktop.persistence.calendar_store import load_calendar
    from xinfang_desktop.persistence.ledger_queries import ledger_count
    from xinfang_desktop.persistence.uow import user_id_of

    counts = window.workbench.counts
    assert set(counts) == {*QUEUE_NAMES, "explanations", "explanations_overdue"}
    assert counts["explanations"] == counts["explanations_overdue"] == 0  # no warning slips in this ledger
    today = window._ctx.today()
    with ledger_db.read_session() as s:
        me = user_id_of(s, "tester")
        for name in QUEUE_NAMES:
            flt = queue_filter(name, today=today, calendar=load_calendar(ledger_db), user_id=me)
            assert counts[name] == ledger_count(s, flt), name
    assert counts["mine"] == 450  # every open case of the fixture was registered by "tester"
    card = window.workbench.cards["overdue"]
    assert card.count_text == f"{counts['overdue']:,}"
    filled: list[Any] = []
    original = window.ledger.filters.fill_choices
    monkeypatch.setattr(
        window.ledger.filters, "fill_choices", lambda choices: (filled.append(choices), original(choices))
    )
    card.click()
    assert window.current_section == "ledger"
    flt, sort, descending = window.ledger.model.query
    assert (sort, descending) == (SortKey.DUE, False)
    assert flt.due_to is not None and flt.due_to < today
    assert window.ledger.queue_button.isVisible() and "已超期" in window.ledger.queue_button.text()
    # Opened from a card, the ledger's lists (属地, 责任单位, 内容分类, views) are read all the same: they stayed
    # empty for the whole session.
    assert filled, "the ledger's choices were never loaded"
    # A search inside the queue that finds nothing says why.
    window.ledger.search_box.setText("查无此人此事")
    qtbot.waitUntil(lambda: "当前队列" in window.ledger.count_label.text(), timeout=3000)
    window.ledger.queue_button.click()
    assert not window.ledger.queue_button.isVisible()
    assert window.ledger.model.query[0].due_to is None


def test_opening_a_case_from_the_ledger(qtbot: Any, window: MainWindow):
    window.show_section("ledger")
    dialog = window.open_case("XF2026-000002")
    assert dialog.isVisible()
    assert dialog.detail is not None and dialog.detail["number"] == "XF2026-000002"
    dialog.close()


def test_geometry_is_remembered(qtbot: Any, ctx: Any, tmp_path: Any):
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    first = MainWindow(ctx, settings)
    qtbot.addWidget(first)
    first.resize(780, 560)  # the offscreen screen is 800 x 600
    first.show()
    first.close()
    second = MainWindow(ctx, settings)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (780, 560)


def test_the_explanations_card_opens_the_warnings_section(qtbot: Any, window: MainWindow):
    window.workbench.cards["explanations"].click()
    assert window.current_section == "warnings"


def test_all_warning_candidates_open_in_the_ledger(qtbot: Any, window: MainWindow):
    window.show_section("warnings")
    window.warnings.all_candidates_button.click()
    assert window.current_section == "ledger"
    flt, sort, descending = window.ledger.model.query
    assert flt.warning_candidate and (sort, descending) == (SortKey.RECEIVED, True)
    assert "预警对象" in window.ledger.queue_button.text()
    assert window.ledger.model.rowCount() == 0  # the fixture's cases have one submission each: none is a candidate


def test_a_section_is_built_the_first_time_it_is_opened(qtbot: Any, window: MainWindow):
    from xinfang_desktop.ui.main_window import OpeningPanel

    assert not window.is_built("statistics")
    opened: list[str] = []
    window.section_changed.connect(opened.append)
    window.show_section("statistics")
    assert isinstance(window.stack.currentWidget(), OpeningPanel)  # imported in steps: the window stays responsive
    qtbot.waitUntil(lambda: "statistics" in opened)
    assert window.is_built("statistics") and window.stack.currentWidget() is window.statistics
    assert window.statistics.report is not None  # started: the counts were loaded
    assert window.stack.count() == len(SECTIONS)


def test_start_up_imports_only_the_first_screen():
    """The window is built without importing the other sections' modules (start-up time, issue 6)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from xinfang_desktop.ui.app import create_application\n"
        "app = create_application()\n"
        "from xinfang_desktop.ui.context import AppContext\n"
        "from xinfang_desktop.ui.main_window import LAZY_PANELS, MainWindow\n"
        "from xinfang_desktop.ui.tasks import SyncTaskRunner\n"
        "MainWindow(AppContext(SyncTaskRunner(None)))\n"
        "loaded = [m for m, _c in LAZY_PANELS.values() if m in sys.modules]\n"
        "loaded += [m for m in ('xinfang_desktop.ui.case_detail_dialog',) if m in sys.modules]\n"
        "print(','.join(loaded) or 'none')\n"
        "from xinfang_desktop.ui.stepwise_import import direct_imports\n"
        "print(','.join(direct_imports('xinfang_desktop.ui.statistics_panel')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    loaded, steps = done.stdout.split()
    assert loaded == "none"
    # The steps of the 统计 section's first opening: its own modules not imported yet, in the order of its source.
    assert steps.split(",") == [
        "xinfang_desktop.core.assessment",
        "xinfang_desktop.reports.assessment",
        "xinfang_desktop.reports.assessment_cache",
        "xinfang_desktop.ui.column_widths",
        "xinfang_desktop.ui.period_report_tab",  # issue 14's tabs; their charts import pyqtgraph when first shown
        "xinfang_desktop.ui.role_gate",  # issue 17: the buttons the role may not use are hidden
    ]
