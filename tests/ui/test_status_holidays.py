"""The status bar's holiday warning says how to fix it and links to the tab it names (issue 18)."""

from __future__ import annotations

from typing import Any

from xinfang_desktop.persistence.calendar_store import missing_next_year_warning
from xinfang_desktop.ui.main_window import MainWindow
from xinfang_desktop.ui.status_bar import environment_job


def test_the_holiday_warning_links_to_the_holiday_tab(qtbot: Any, empty_ctx: Any, empty_db: Any) -> None:
    today = empty_ctx.today()
    warning = missing_next_year_warning(empty_db, today)
    assert warning is not None, "the shipped calendar covers the test year only: the Q4 warning is expected"
    assert "设置 → 节假日安排" in warning and "xinfang" not in warning  # the GUI names no command
    window = MainWindow(empty_ctx)
    qtbot.addWidget(window)
    window.show()
    window.status.show_environment(environment_job(today)(empty_db))
    label = window.status.holiday_label
    assert "设置 → 节假日安排" in label.text() and label.toolTip() == warning
    label.linkActivated.emit("holidays")  # what a click on the link sends
    assert window.current_section == "settings"
    settings = window.panel("settings")
    assert settings.tabs.tabText(settings.tabs.currentIndex()) == "节假日安排"  # type: ignore[attr-defined]


def test_a_role_without_the_holiday_tab_is_told_who_enters_them(qtbot: Any, empty_ctx: Any, empty_db: Any) -> None:
    """Issue 17: a 统计员 cannot open 设置; the warning names who enters the holidays instead of a link."""
    from xinfang_desktop.persistence.identity import Identity, set_acting

    set_acting(Identity.of("tongji", "统计员", ("statistician",)))
    try:
        window = MainWindow(empty_ctx)
        qtbot.addWidget(window)
        window.status.show_environment(environment_job(empty_ctx.today())(empty_db))
        text = window.status.holiday_label.text()
        assert "请系统管理员在 设置 → 节假日安排 中录入" in text and "<a " not in text
    finally:
        set_acting(None)
