"""The case window when another workstation changed the case meanwhile (issue 17, 多台工作站): the clerk's step is not
saved, the window says who changed what and shows the case as it now is."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.lifecycle import ActionRequest
from xinfang_desktop.persistence.lifecycle_store import act
from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog


@pytest.fixture
def case_ctx(empty_ctx: Any) -> Any:
    from tests.ui.conftest import register_cases
    from xinfang_desktop.persistence.units import add_unit

    add_unit(empty_ctx.tasks.database, "县自然资源局")
    add_unit(empty_ctx.tasks.database, "县人社局")
    register_cases(empty_ctx.tasks.database, 1)
    return empty_ctx


def test_a_step_on_a_case_changed_meanwhile_is_refused_and_the_window_reloads(
    qtbot: Any, case_ctx: Any, tmp_path: Path
) -> None:
    number = "XF2026-000001"
    detail = CaseDetailDialog(case_ctx, number)
    qtbot.addWidget(detail)
    detail.show()
    assert detail.detail is not None and CaseAction.ACCEPT in detail.action_buttons
    # Clerk A has the window open; clerk B, at another workstation, accepts the case.
    db = case_ctx.tasks.database
    act(
        db,
        number,
        ActionRequest(CaseAction.ACCEPT, date(2026, 11, 23), unit="县人社局"),
        today=date(2026, 11, 23),
        user="lisi",
    )
    # A, still seeing 受理申请审查中, forwards it.
    qtbot.mouseClick(detail.action_buttons[CaseAction.FORWARD], Qt.MouseButton.LeftButton)
    dialog = detail.action_dialog
    assert dialog is not None
    combo = dialog.editors["unit"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findText("县自然资源局"))
    with qtbot.waitSignal(detail.loaded, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    text = detail.notice.text()
    assert detail.notice.isVisible() and "已被他人修改" in text and "lisi" in text and "受理" in text, text
    assert "没有保存" in text and "窗口已重新读取" in text
    assert "#c62828" in detail.notice.styleSheet()
    assert "当前状态：<b>受理</b>" in detail.message.text()  # reloaded: the case as it now is
    assert CaseAction.FORWARD not in detail.action_buttons
    events = detail.tabs.widget(3)
    assert events.rowCount() == 2  # 登记, B's 受理 — nothing of A's
    detail.grab().save(str(tmp_path / "case-conflict.png"))
    print(tmp_path / "case-conflict.png")
