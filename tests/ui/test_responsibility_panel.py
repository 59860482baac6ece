"""The 责任落实 section (pytest-qt, offscreen): candidates detected from the ledger, an accountability case opened from
one through the dialog, a person added and a measure taken; the tabs of other modules are built when first shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.helpers import sample_case
from tests.ui.conftest import TODAY, make_ctx
from xinfang_desktop.persistence.accountability.store import list_candidates, show_accountability
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.units import add_unit
from xinfang_desktop.ui.responsibility.accountability_dialogs import (
    DismissDialog,
    EditDialog,
    FeedbackDialog,
    OpenDialog,
    PersonDialog,
    ReferDialog,
    ReportDialog,
    StepDialog,
)
from xinfang_desktop.ui.responsibility.panel import ResponsibilityPanel


@pytest.fixture
def late_db(tmp_path: Path) -> Iterator[Any]:
    """Two cases received on 2026-09-02 and never handled: by TODAY their acceptance notice is long overdue."""
    from xinfang_desktop.persistence.database import open_database

    db = open_database(tmp_path / "r.sqlite3")
    add_unit(db, "县自然资源局")
    for name in ("王五", "赵六"):
        data = sample_case(received_on="2026-09-02", level="乡镇", responsible_unit="县自然资源局")
        data["petitioner"] = {"name": name, "phone": "13800138000"}
        add_case(db, data, today=date(2026, 9, 2))
    yield db
    db.dispose()


@pytest.fixture
def panel(qtbot: Any, late_db: Any) -> ResponsibilityPanel:
    panel = ResponsibilityPanel(make_ctx(late_db))
    qtbot.addWidget(panel)
    panel.resize(1200, 760)
    panel.show()
    panel.start()
    return panel


def test_candidates_are_detected_dismissed_and_opened(qtbot: Any, panel: ResponsibilityPanel, late_db: Any, tmp_path):
    tab = panel.candidates
    assert tab.table.rowCount() == 0 and tab.empty_hint.label.isVisible()
    tab.detect_button.click()
    assert tab.table.rowCount() == 2
    assert tab.table.text(0, 0) == "未在期限内告知是否受理"
    assert "超期" in tab.table.text(0, 3)
    assert tab.kind_combo.itemText(0) == "全部（2）"
    assert panel.grab().save(str(tmp_path / "candidates.png"))

    # 排除: the reason is required; refused in the dialog, nothing written.
    tab.table.select_row(1)
    tab.dismiss_button.click()
    dismiss = tab.dialog
    assert isinstance(dismiss, DismissDialog)
    dismiss.ok_button.click()
    assert dismiss.error_label.text() == "请填写排除理由" and dismiss.isVisible()
    dismiss.reason_edit.setPlainText("已另案处理")
    dismiss.ok_button.click()
    assert not dismiss.isVisible()
    assert tab.table.rowCount() == 1
    assert list_candidates(late_db, status="dismissed")["rows"][0]["decision_reason"] == "已另案处理"

    # 立追责事项: the kind's suggested grounds are checked; the facts come from the evidence.
    tab.table.select_row(0)
    candidate = tab.selected()
    assert candidate is not None
    tab.open_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, OpenDialog)
    assert "TL44-3" in dialog.grounds.checked_codes()
    assert dialog.facts_edit.toPlainText() == candidate["summary"]
    dialog.grounds.search_edit.setText("受理")
    visible = [dialog.grounds.grounds_list.item(i) for i in range(dialog.grounds.grounds_list.count())]
    assert any(item.isHidden() for item in visible) and not all(item.isHidden() for item in visible)
    dialog.grounds.set_checked(["BF11-2"])
    dialog.severity_combo.setCurrentIndex(dialog.severity_combo.findData("minor"))
    dialog.unit_edit.setText("县自然资源局")
    assert dialog.grab().save(str(tmp_path / "open-dialog.png"))
    dialog.ok_button.click()
    assert not dialog.isVisible(), dialog.error_label.text()
    assert tab.table.rowCount() == 0

    # The new case is selected in 追责事项.
    acc = panel.accountability
    assert panel.tabs.currentWidget() is acc
    assert acc.table.rowCount() == 1
    assert acc.detail is not None
    number = acc.detail["number"]
    assert acc.detail["subject_unit"] == "县自然资源局"
    assert [g["code"] for g in acc.detail["grounds"]] == ["BF11-2"]

    # 修改…: the facts and grounds stay editable while investigating; the current grounds are checked.
    acc.edit_button.click()
    edit = acc.dialog
    assert isinstance(edit, EditDialog)
    assert edit.grounds.checked_codes() == ["BF11-2"]
    edit.grounds.set_checked(["BF11-2", "TL44-3"])
    edit.facts_edit.setPlainText("经调查，县自然资源局未在15日内告知是否受理。")
    edit.organ_combo.setCurrentIndex(edit.organ_combo.findData("written_self_review"))
    edit.ok_button.click()
    assert not edit.isVisible(), edit.error_label.text()
    assert [g["code"] for g in acc.detail["grounds"]] == ["BF11-2", "TL44-3"]
    assert acc.detail["facts"].startswith("经调查") and acc.detail["organ_measure"] == "written_self_review"
    assert "经调查" in acc.facts_label.text()

    # 添加责任人
    acc.person_button.click()
    person = acc.dialog
    assert isinstance(person, PersonDialog)
    assert person.focusWidget() is person.name_edit  # the clerk types the name at once
    person.name_edit.setText("张三")
    person.post_edit.setText("副局长")
    person.authority_edit.setText("中共示范县委组织部")
    person.responsibility_combo.setCurrentIndex(person.responsibility_combo.findData("direct"))
    person.role_combo.setCurrentIndex(person.role_combo.findData("staff"))
    person.ok_button.click()
    assert not person.isVisible(), person.error_label.text()
    assert acc.persons_table.rowCount() == 1
    assert acc.persons_table.text(0, 4) == "尚未确定追责方式"
    assert "建议通报" in acc.persons_table.text(0, 5)

    # 追责措施: the suggested measure is preselected, with a rectification deadline.
    acc.persons_table.select_row(0)
    acc.step_button.click()
    step = acc.dialog
    assert isinstance(step, StepDialog)
    assert step.measure_combo.currentData() == "circulate"
    assert step.rectify_days_spin.isEnabled()
    step.ok_button.click()
    assert not step.isVisible(), step.error_label.text()
    assert acc.persons_table.text(0, 4).startswith("通报（整改至")
    assert "整改期限" in acc.deadlines_label.text()
    assert panel.grab().save(str(tmp_path / "accountability.png"))

    stored = show_accountability(late_db, number, today=TODAY)
    assert [(p["name"], p["responsibility"]) for p in stored["persons"]] == [("张三", "direct")]
    assert [s["measure"] for s in stored["persons"][0]["steps"]] == ["circulate"]

    # 催办 before any referral: refused, the message is shown in Chinese.
    acc.urge_button.click()
    assert acc.message_box is not None and "没有待反馈的移送" in acc.message_box.text()
    acc.message_box.close()

    # 移送: the 建议书 is issued, its opening offered; then the feedback (per person) and the 通报 close the case.
    acc.refer_button.click()
    refer = acc.dialog
    assert isinstance(refer, ReferDialog)
    assert refer.organ_edit.text() == "中共示范县委组织部"  # the person's authority
    assert refer.days_spin.value() == 30
    refer.materials.line.setText("调查报告")
    refer.materials.add_current()
    refer.ok_button.click()
    assert not refer.isVisible(), refer.error_label.text()
    assert acc.message_box is not None and "是否打开" in acc.message_box.text()
    acc.message_box.close()
    assert "书面反馈期限" in acc.deadlines_label.text()
    stored = show_accountability(late_db, number, today=TODAY)
    assert stored["referral"]["materials"] == ["调查报告"] and stored["recommendation"] is not None

    acc.feedback_button.click()
    feedback = acc.dialog
    assert isinstance(feedback, FeedbackDialog)
    assert feedback.outcome_combos[0].currentText() == "通报"
    feedback.outcome_edit.setPlainText("已对张三通报")
    feedback.document_edit.setText("示组〔2026〕1号")
    feedback.ok_button.click()
    assert not feedback.isVisible(), feedback.error_label.text()

    acc.report_button.click()
    report = acc.dialog
    assert isinstance(report, ReportDialog)
    report.organ_edit.setText("中共示范县委组织部")
    report.ok_button.click()
    assert not report.isVisible(), report.error_label.text()
    acc.message_box.close()
    stored = show_accountability(late_db, number, today=TODAY)
    assert stored["persons"][0]["outcome"]["measure"] == "通报"
    assert stored["report"]["on"] == TODAY.isoformat()
    # Laid out once the event loop turns (the synchronous runner never lets it): every line of the deadlines shows.
    qtbot.waitUntil(lambda: acc.deadlines_label.height() >= 4 * acc.cases_label.height())
    assert panel.grab().save(str(tmp_path / "accountability-reported.png"))


def test_other_tabs_are_built_when_first_shown(qtbot: Any, panel: ResponsibilityPanel, tmp_path: Path):
    for index, name in ((2, "statements"), (3, "duties")):
        panel.tabs.setCurrentIndex(index)
        late = panel.late_tabs[index - 2]
        assert late.content is not None and late.content.isVisible()  # its own widget, or the note “尚未提供”
        assert panel.grab().save(str(tmp_path / f"{name}.png"))


def test_a_missing_tab_says_it_is_not_provided(qtbot: Any, panel: ResponsibilityPanel, monkeypatch):
    from xinfang_desktop.ui.responsibility import panel as module

    late = module._LateTab(panel._ctx, "xinfang_desktop.ui.responsibility.no_such_tab", "Nothing")
    qtbot.addWidget(late)
    content = late.build()
    assert content.text() == module.NOT_PROVIDED  # type: ignore[attr-defined]
    assert content.alignment() & Qt.AlignmentFlag.AlignCenter  # type: ignore[attr-defined]
