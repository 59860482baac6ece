"""The issue's flow through the real widgets: intake → hand down (交办) → 签收 → accept → conclude → deliver → rate.

The state machine hands a case down before the receiving organ accepts it (交办 is the registering office's step,
受理 the receiving unit's after 签收), so the 交办 comes before the 受理 here. Every step is a click on the case
detail's action button, the action's own dialog filled in, and its OK button; the ledger and the workbench follow.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox

from tests.ui.conftest import type_text
from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.ui.case_actions import ActionDialog
from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog
from xinfang_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: Any, empty_ctx: Any) -> MainWindow:
    from xinfang_desktop.persistence.units import add_unit

    add_unit(empty_ctx.tasks.database, "县住房和城乡建设局")
    win = MainWindow(empty_ctx)
    qtbot.addWidget(win)
    win.show()
    win.start()
    return win


def _step(qtbot: Any, detail: CaseDetailDialog, action: CaseAction, fill: Any = None) -> ActionDialog:
    button = detail.action_buttons[action]
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = detail.action_dialog
    assert dialog is not None and dialog.isVisible()
    if fill is not None:
        fill(dialog)
    assert dialog.ok_button.isEnabled(), dialog.ok_button.toolTip()
    with qtbot.waitSignal(detail.loaded, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog


def _choose(dialog: ActionDialog, key: str, text: str) -> None:
    combo = dialog.editors[key]
    assert isinstance(combo, QComboBox)
    index = combo.findText(text)
    assert index >= 0, f"{text} not offered in {key}"
    combo.setCurrentIndex(index)


def test_intake_to_rating_through_the_widgets(qtbot: Any, window: MainWindow, empty_ctx: Any):
    # 登记
    window.show_section("intake")
    panel = window.intake
    type_text(panel.name_edit, "王小明")
    type_text(panel.phone_edit, "13912345678")
    panel.channel_combo.setCurrentText("来信")
    type_text(panel.summary_edit, "反映小区房屋漏水问题，要求开发商维修。")
    with qtbot.waitSignal(panel.case_saved) as saved:
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    number = saved.args[0]

    # the ledger shows it; double-click opens the case
    window.show_section("ledger")
    assert window.ledger.model.rowCount() == 1
    detail = window.open_case(number)
    assert "受理申请审查中" in detail.message.text()
    offered = set(detail.action_buttons)
    assert CaseAction.ASSIGN in offered and CaseAction.CONCLUDE not in offered  # only what the state allows
    assert "15 日内决定" in detail.next_step.text()  # what comes next, in words (issue 18)

    # 交办: the unit, the mode and the period; the dialog names the 交办单
    def hand_down(dialog: ActionDialog) -> None:
        assert "交办单" in dialog.document_label.text()
        assert not dialog.ok_button.isEnabled()  # the unit is required
        _choose(dialog, "unit", "县住房和城乡建设局")
        _choose(dialog, "mode", "要结果")
        days = dialog.editors["days"]
        assert isinstance(days, QSpinBox)
        days.setValue(20)

    _step(qtbot, detail, CaseAction.ASSIGN, hand_down)
    assert detail.detail is not None and len(detail.detail["documents"]) == 1  # the 交办单, issued as asked
    assert detail.detail["documents"][0]["label"] == "交办单"

    _step(qtbot, detail, CaseAction.RECEIPT)
    _step(qtbot, detail, CaseAction.ACCEPT, lambda d: _choose(d, "unit", "县住房和城乡建设局"))
    assert "受理" in detail.message.text()
    assert "不再交办或转送" in detail.next_step.text()

    def conclude(dialog: ActionDialog) -> None:
        assert "处理意见书" in dialog.document_label.text()
        assert dialog.issue_check is not None
        dialog.issue_check.setChecked(False)  # the findings are written in 文书 later
        _choose(dialog, "outcome", "予以支持")

    _step(qtbot, detail, CaseAction.CONCLUDE, conclude)
    assert "已作出处理意见" in detail.message.text()
    _step(qtbot, detail, CaseAction.DELIVER)
    _step(qtbot, detail, CaseAction.RATE, lambda d: _choose(d, "rating", "满意"))

    assert detail.detail is not None
    actions = [e["action"] for e in detail.detail["events"]]
    assert actions == ["register", "assign", "receipt", "accept", "conclude", "deliver", "rate"]
    assert CaseAction.RATE not in detail.action_buttons  # rated once per stage
    labels = [d["label"] for d in detail.detail["documents"]]
    assert sorted(labels) == ["交办单", "受理告知书", "送达回证"]
    # the ledger and the workbench were refreshed after each step
    row = window.ledger.model.row_snapshot(0)
    assert row is not None and row.status.label == "已作出处理意见"
    assert window.workbench.counts["awaiting_rating"] == 0
    detail.close()
