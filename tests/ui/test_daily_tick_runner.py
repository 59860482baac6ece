"""The window runs the day's time-driven changes when it opens (issue 19) and says so in the status bar."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.ui.conftest import TODAY, make_ctx, register_cases
from xinfang_desktop.ui.main_window import MainWindow


def test_the_window_ticks_the_day_once_and_tells_it(qtbot: Any, empty_db: Any) -> None:
    register_cases(empty_db, 3)
    ctx = make_ctx(empty_db)
    later = TODAY + timedelta(days=40)  # past each case's 15-日 answer: three candidate grounds (R-AC-01)
    ctx.today = lambda: later
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.start()
    window.run_daily_tick()
    label = window.status.tick_label
    assert label.text().startswith("到期处理：今日已完成") and "新追责线索 3 条" in label.text(), label.text()
    window.run_daily_tick()  # opened again the same day: nothing more happens
    assert "0 件有变化" in label.text() and "追责线索" not in label.text()
