"""Case detail: status, deadlines with their explanation, submissions and the timeline."""

from __future__ import annotations

from typing import Any

from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog


def test_shows_deadline_explanation_and_timeline(qtbot: Any, ctx: Any):
    dialog = CaseDetailDialog(ctx, "XF2026-000001")
    qtbot.addWidget(dialog)
    assert dialog.detail is not None  # the sync runner answered at once
    assert "受理申请审查中" in dialog.message.text()
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["概况", "期限（1）", "信访记录（1）", "办理经过（1）"]
    deadlines = dialog.tabs.widget(1)
    assert "届满" in deadlines.item(0, 4).text()  # why this date
    assert deadlines.item(0, 0).text() == "信访部门登记并转送、交办或书面告知"
    events = dialog.tabs.widget(3)
    assert events.item(0, 1).text() == "登记"


def test_unknown_number_says_so(qtbot: Any, ctx: Any):
    dialog = CaseDetailDialog(ctx, "XF1999-000009")
    qtbot.addWidget(dialog)
    assert dialog.detail is None
    assert "未找到" in dialog.message.text()
