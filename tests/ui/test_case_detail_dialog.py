"""Case detail: status, deadlines with their explanation, submissions and the timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QPlainTextEdit

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog


def test_shows_deadline_explanation_and_timeline(qtbot: Any, ctx: Any):
    dialog = CaseDetailDialog(ctx, "XF2026-000001")
    qtbot.addWidget(dialog)
    assert dialog.detail is not None  # the sync runner answered at once
    assert "受理申请审查中" in dialog.message.text()
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["概况", "期限（1）", "信访记录（1）", "办理经过（1）", "文书（0）", "附件（0）"]
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


@pytest.fixture
def case_ctx(empty_ctx: Any) -> Any:
    from tests.ui.conftest import register_cases
    from xinfang_desktop.persistence.units import add_unit

    add_unit(empty_ctx.tasks.database, "县自然资源局")
    register_cases(empty_ctx.tasks.database, 1)
    return empty_ctx


def _open(qtbot: Any, ctx: Any) -> CaseDetailDialog:
    dialog = CaseDetailDialog(ctx, "XF2026-000001")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_only_allowed_actions_are_offered(qtbot: Any, case_ctx: Any):
    dialog = _open(qtbot, case_ctx)
    offered = list(dialog.action_buttons)
    assert CaseAction.ACCEPT in offered and CaseAction.FORWARD in offered
    assert CaseAction.CONCLUDE not in offered and CaseAction.DELIVER not in offered
    assert [b.text() for b in dialog.action_buttons.values()] == [a.label for a in offered]


def test_action_dialog_asks_for_its_parameters_and_shows_refusals(qtbot: Any, case_ctx: Any):
    dialog = _open(qtbot, case_ctx)
    qtbot.mouseClick(dialog.action_buttons[CaseAction.DECLINE], Qt.MouseButton.LeftButton)
    action = dialog.action_dialog
    assert action is not None
    assert set(action.editors) == {"reason", "unit"}
    assert "不予受理告知书" in action.document_label.text()
    assert not action.ok_button.isEnabled() and "理由" in action.ok_button.toolTip()
    reason = action.editors["reason"]
    assert isinstance(reason, QPlainTextEdit)
    reason.setPlainText("不属于信访事项")
    assert action.ok_button.isEnabled()
    action.date_edit.setDate(QDate(2026, 1, 1))  # before the case was received: the state machine refuses
    qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)
    assert action.isVisible()
    assert action.error_label.isVisible() and action.error_label.text()
    action.reject()


def test_accept_issues_its_notice_and_reissue_makes_a_new_version(qtbot: Any, case_ctx: Any):
    dialog = _open(qtbot, case_ctx)
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(dialog.action_buttons[CaseAction.ACCEPT], Qt.MouseButton.LeftButton)
        assert dialog.action_dialog is not None
        qtbot.mouseClick(dialog.action_dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.detail is not None and dialog.detail["status"] == "受理"
    docs = dialog.detail["documents"]
    assert [d["label"] for d in docs] == ["受理告知书"]
    assert "已出具受理告知书" in dialog.notice.text()
    dialog.documents_table.selectRow(0)
    assert dialog.reissue_button.isEnabled()
    with qtbot.waitSignal(dialog.loaded):
        qtbot.mouseClick(dialog.reissue_button, Qt.MouseButton.LeftButton)
    assert [d["version"] for d in dialog.detail["documents"]] == [2, 1]


def test_attachment_is_added(qtbot: Any, case_ctx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    scan = tmp_path / "扫描件.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    dialog = _open(qtbot, case_ctx)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(scan), ""))
    with qtbot.waitSignal(dialog.changed):
        qtbot.mouseClick(dialog.add_attachment_button, Qt.MouseButton.LeftButton)
    assert dialog.detail is not None
    assert [a["name"] for a in dialog.detail["attachments"]] == ["扫描件.png"]
    assert dialog.attachments_table.item(0, 0).text() == "扫描件.png"


def _overview_text(dialog: CaseDetailDialog) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in dialog.tabs.widget(0).findChildren(QLabel))


def test_personal_data_masked_until_revealed_with_a_reason(qtbot: Any, empty_ctx: Any, tmp_path: Path):
    """Issue 17: 概况 shows the ID number and phone masked; 显示完整… asks a reason and the view is audited."""
    from sqlalchemy import select

    from tests.helpers import SAMPLE_CASE, sample_case
    from tests.ui.conftest import TODAY
    from xinfang_desktop.persistence.case_intake import add_case
    from xinfang_desktop.persistence.identity import Identity, set_acting
    from xinfang_desktop.persistence.records import AuditEntryRecord

    case_ctx = empty_ctx
    db = case_ctx.tasks.database
    add_case(db, sample_case(), today=TODAY, user="tester")
    full_id, full_phone = SAMPLE_CASE["petitioner"]["id_number"], SAMPLE_CASE["petitioner"]["phone"]
    set_acting(Identity.of("stat", "统计员甲", ("statistician",)))
    try:
        dialog = _open(qtbot, case_ctx)
        text = _overview_text(dialog)
        assert full_id[:6] + "********" + full_id[-4:] in text and full_id not in text and full_phone not in text
        assert dialog.reveal_button is None  # the 统计员 may not see the full values: no button
        set_acting(Identity.of("clerk", "张三", ("registrar",)))
        dialog.reload()
        assert dialog.reveal_button is not None and dialog.reveal_button.isVisible()
        dialog.reveal("  ")  # no reason: refused, nothing shown, nothing written
        assert "说明理由" in dialog.notice.text() and full_id not in _overview_text(dialog)
        dialog.reveal("电话回访核实身份")
        assert full_id in _overview_text(dialog) and full_phone in _overview_text(dialog)
        dialog.grab().save(str(tmp_path / "case-revealed.png"))
        with db.read_session() as s:
            reasons = s.scalars(
                select(AuditEntryRecord.detail).where(AuditEntryRecord.action == "personal.reveal")
            ).all()
        assert len(reasons) == 1 and "电话回访核实身份" in (reasons[0] or "")
        dialog.reload()  # masked again
        assert full_id not in _overview_text(dialog)
    finally:
        set_acting(None)


def test_the_case_window_offers_only_the_roles_steps(qtbot: Any, empty_ctx: Any, tmp_path: Path):
    """Issue 17: a 统计员 sees the case but no 办理 step, no 重新出具, no 添加附件; a 督办员 sees 督办 and not 受理;
    a 承办人 sees 受理 and not 督办."""
    from tests.helpers import sample_case
    from tests.ui.conftest import TODAY
    from xinfang_desktop.core.actions import CaseAction
    from xinfang_desktop.persistence.case_intake import add_case
    from xinfang_desktop.persistence.identity import Identity, set_acting

    db = empty_ctx.tasks.database
    add_case(db, sample_case(), today=TODAY, user="tester")
    try:
        set_acting(Identity.of("stat", "统计员甲", ("statistician",)))
        dialog = _open(qtbot, empty_ctx)
        assert dialog.action_buttons == {}
        assert "当前账号的角色不办理" in " ".join(w.text() for w in dialog.findChildren(QLabel))
        assert not dialog.add_attachment_button.isVisibleTo(dialog)
        dialog.grab().save(str(tmp_path / "case-statistician.png"))
        set_acting(Identity.of("sup", "督办员乙", ("supervisor",)))
        dialog.reload()
        steps = set(dialog.action_buttons)
        assert CaseAction.SUPERVISE in steps and CaseAction.ACCEPT not in steps
        set_acting(Identity.of("han", "承办人丙", ("handler",)))
        dialog.reload()
        steps = set(dialog.action_buttons)
        assert CaseAction.ACCEPT in steps and CaseAction.SUPERVISE not in steps
    finally:
        set_acting(None)
