"""Intake through the real widgets: checks as you type, errors next to fields, duplicates, saving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

from tests.ui.conftest import type_text
from xinfang_desktop.core.ledger import LedgerFilter
from xinfang_desktop.persistence.ledger_queries import ledger_count
from xinfang_desktop.ui.field_row import Tone
from xinfang_desktop.ui.intake_panel import IntakePanel


@pytest.fixture
def panel(qtbot: Any, empty_ctx: Any) -> IntakePanel:
    widget = IntakePanel(empty_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    widget.start()
    return widget


def _count(ctx: Any) -> int:
    with ctx.tasks.database.read_session() as session:
        return ledger_count(session, LedgerFilter())


def _fill(qtbot: Any, panel: IntakePanel, name: str = "王小明", phone: str = "13912345678") -> None:
    type_text(panel.name_edit, name)
    type_text(panel.id_edit, "11010519491231002X")
    type_text(panel.phone_edit, phone)
    type_text(panel.address_edit, "城关镇人民路1号")
    panel.channel_combo.setCurrentText("来信")
    type_text(panel.summary_edit, "反映小区噪声扰民问题，要求相关部门处理。")


def test_id_number_is_checked_as_you_type(qtbot: Any, panel: IntakePanel):
    row = panel.fields["petitioner.id_number"]
    type_text(panel.id_edit, "1101051949")
    assert row.tone is Tone.HINT and "已输入 10 位" in row.message.text()
    type_text(panel.id_edit, "12310021")  # 18 characters, wrong check digit
    assert row.has_error
    assert "校验" in row.message.text()
    panel.id_edit.clear()
    type_text(panel.id_edit, "11010519491231002X")
    assert row.tone is Tone.HINT and "1949-12-31" in row.message.text()


def test_bad_phone_is_shown_next_to_the_field(qtbot: Any, panel: IntakePanel):
    type_text(panel.phone_edit, "12345678901234")
    assert panel.fields["petitioner.phone"].has_error


def test_abnormal_only_for_visits(panel: IntakePanel):
    panel.channel_combo.setCurrentText("来信")
    assert not panel.abnormal_check.isEnabled()
    panel.channel_combo.setCurrentText("来访")
    assert panel.abnormal_check.isEnabled()


def test_saving_an_empty_form_lists_problems_next_to_the_fields(qtbot: Any, panel: IntakePanel):
    with qtbot.waitSignal(panel.save_failed):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.fields["petitioner.name"].has_error
    assert "不能为空" in panel.fields["petitioner.name"].message.text()
    assert panel.fields["summary"].has_error
    assert "处需要修改" in panel.general_message.text()


def test_register_a_case_through_the_widgets(qtbot: Any, panel: IntakePanel, empty_ctx: Any):
    _fill(qtbot, panel)
    with qtbot.waitSignal(panel.case_saved) as blocker:
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    number = blocker.args[0]
    assert number.startswith("XF2026-")
    assert number in panel.banner.text()
    assert panel.name_edit.text() == ""  # ready for the next one
    assert _count(empty_ctx) == 1
    data = panel.last_outcome
    assert data is not None and data.registered.due_on is not None


def test_representatives_are_saved(qtbot: Any, panel: IntakePanel, empty_ctx: Any):
    _fill(qtbot, panel)
    panel.headcount_spin.setValue(6)
    assert "集体访" in panel.fields["headcount"].message.text()
    panel.add_representative()
    panel.reps_table.setItem(0, 0, QTableWidgetItem("李四"))
    with qtbot.waitSignal(panel.case_saved):
        panel.save()
    with empty_ctx.tasks.database.read_session() as session:
        from xinfang_desktop.persistence.calendar_store import load_calendar
        from xinfang_desktop.persistence.case_detail import case_detail
        from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds

        db = empty_ctx.tasks.database
        detail = case_detail(
            session, panel.last_outcome.registered.number, today=empty_ctx.today(),
            calendar=load_calendar(db), thresholds=deadline_thresholds(db),
        )  # fmt: skip
    assert [p["name"] for p in detail["petitioners"]] == ["王小明", "李四"]
    assert detail["flags"]["collective"] is True


def test_duplicates_are_shown_before_saving(qtbot: Any, panel: IntakePanel, empty_ctx: Any):
    _fill(qtbot, panel)
    with qtbot.waitSignal(panel.case_saved):
        panel.save()
    _fill(qtbot, panel)  # the same person and matter again
    with qtbot.waitSignal(panel.duplicates_shown) as blocker:
        panel.save()
    assert blocker.args[0] >= 1
    assert panel.duplicates_box.isVisible()
    assert panel.duplicates_table.item(0, 2).text().startswith("身份证号相同")
    assert _count(empty_ctx) == 1  # nothing saved yet
    with qtbot.waitSignal(panel.case_saved):
        qtbot.mouseClick(panel.confirm_new_button, Qt.MouseButton.LeftButton)
    assert _count(empty_ctx) == 2
    assert not panel.duplicates_box.isVisible()


def test_a_repeat_visit_is_registered_onto_the_original_case(
    qtbot: Any, panel: IntakePanel, empty_ctx: Any, tmp_path: Path
):
    """Issue 18: the duplicate check offers what its text promises — 登记到原件, a submission of that case."""
    from sqlalchemy import select

    from xinfang_desktop.persistence.records import CaseRecord

    _fill(qtbot, panel)
    with qtbot.waitSignal(panel.case_saved) as first:
        panel.save()
    original = first.args[0]
    _fill(qtbot, panel)
    panel.channel_combo.setCurrentText("来访")
    with qtbot.waitSignal(panel.duplicates_shown):
        panel.save()
    box = panel.duplicates_box
    assert box.chosen_number() == original and panel.onto_button.isEnabled()  # the first candidate chosen
    panel.grab().save(str(tmp_path / "duplicates.png"))
    with qtbot.waitSignal(panel.case_saved) as saved:
        qtbot.mouseClick(panel.onto_button, Qt.MouseButton.LeftButton)
    assert saved.args[0] == original
    assert _count(empty_ctx) == 1  # no new case
    with empty_ctx.tasks.database.read_session() as session:
        batches, visits = session.execute(
            select(CaseRecord.batches, CaseRecord.person_visits).where(CaseRecord.number == original)
        ).one()
    assert (batches, visits) == (2, 2)
    assert "重复信访" in panel.banner.text() and "2 批次" in panel.banner.text()
    assert not box.isVisible()


def test_representatives_typed_by_keyboard_land_in_their_own_rows(qtbot: Any, panel: IntakePanel):
    """Tab from the last cell leaves the table instead of wrapping onto the first row (data was overwritten)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    people = [("王五", "11010519491231002X", "13800138000"), ("赵六", "", "13912345678")]
    for person in people:
        panel.add_rep_button.click()
        for n, text in enumerate(person):
            editor = QApplication.focusWidget()
            assert editor is not None and panel.reps_table.isAncestorOf(editor), n
            type_text(editor, text)
            QTest.keyClick(editor, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda: not panel.reps_table.isAncestorOf(QApplication.focusWidget()))
    assert panel.intake_data()["representatives"] == [
        {"name": "王五", "id_number": "11010519491231002X", "phone": "13800138000"},
        {"name": "赵六", "id_number": None, "phone": "13912345678"},
    ]
    assert QApplication.focusWidget() is not panel.reps_table  # the cursor went on to the next field


def test_clearing_a_filled_form_asks_first(qtbot: Any, panel: IntakePanel):
    from PySide6.QtWidgets import QMessageBox

    panel.clear_button.click()  # empty: cleared at once, nothing asked
    assert panel.confirm_box is None
    type_text(panel.name_edit, "王小明")
    panel.clear_button.click()
    box = panel.confirm_box
    assert box is not None and box.isVisible() and "清空" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()  # 继续填写
    assert panel.name_edit.text() == "王小明"
    panel.clear_button.click()
    panel.confirm_box.button(QMessageBox.StandardButton.Discard).click()
    assert panel.name_edit.text() == "" and not panel.is_filled()


def test_the_cursor_waits_in_the_name_field(qtbot: Any, panel: IntakePanel):
    panel.address_edit.setFocus()
    panel.hide()
    panel.show()  # what Ctrl+3 does to the section
    qtbot.waitUntil(lambda: panel.focusWidget() is panel.name_edit)
