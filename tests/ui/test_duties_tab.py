"""The 职责落实 tab (pytest-qt, offscreen, a real SQLite database with the example county): the period picker, the
compliance table in green, red and grey with what is missing, 登记… through the dialog with the minutes chosen in a file
dialog, 作废… with a reason (the record kept, shown with 显示已作废), the leaders' 联系点 and the visit that counts only
there, and the tab built by the 责任落实 section (R-RC-03…06)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.conftest import TODAY, make_ctx
from xinfang_desktop.persistence.duties.store import DutyInput, list_duties, record_duty
from xinfang_desktop.persistence.packages_store import add_leader
from xinfang_desktop.ui.responsibility.duties_tab import (
    LIGHT_COLOURS,
    RED_BG,
    DutiesTab,
    RecordDialog,
    VoidDialog,
)
from xinfang_desktop.ui.responsibility.panel import ResponsibilityPanel

FOREGROUND = Qt.ItemDataRole.ForegroundRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole


@pytest.fixture
def duty_db(tmp_path: Path) -> Iterator[Any]:
    """The example county, a county leader, and two duties done in October 2026 (TODAY is 2026-11-20)."""
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    db = open_database(tmp_path / "d.sqlite3")
    seed_reference_data(db)
    add_leader(db, "李县长", organ="政府", rank="副职", level="县", post="副县长")
    record_duty(db, DutyInput("contact_unit_visit", date(2026, 10, 15), leader="李县长"), today=TODAY)
    record_duty(db, DutyInput("dispute_screening", date(2026, 10, 9)), today=TODAY)
    yield db
    db.dispose()


@pytest.fixture
def tab(qtbot: Any, duty_db: Any) -> DutiesTab:
    tab = DutiesTab(make_ctx(duty_db))
    qtbot.addWidget(tab)
    tab.resize(1280, 760)
    tab.show()
    tab.refresh()
    return tab


def _row(tab: DutiesTab, kind: str, subject: str) -> int:
    return next(i for i, r in enumerate(tab.rows) if r["kind"] == kind and r["subject"] == subject)


def _colour(tab: DutiesTab, row: int, role: Qt.ItemDataRole, column: int = 0) -> str | None:
    brush = tab.model.data(tab.model.index(row, column), role)
    return brush.color().name() if brush is not None else None


def test_period_picker_and_lights(tab: DutiesTab, tmp_path: Path) -> None:
    assert tab.period() == "2026Q4"  # the quarter containing today
    assert "2026年第四季度" in tab.summary_label.text() and "未达标 38" in tab.summary_label.text()
    visit = _row(tab, "contact_unit_visit", "李县长（副县长）")
    assert tab.table.text(visit, 0) == "● 达标"
    assert _colour(tab, visit, FOREGROUND) == LIGHT_COLOURS["green"].name()
    # The county's monthly screening over Q4 on 2026-11-20: October met, November open, December not started.
    screening = _row(tab, "dispute_screening", "县信访工作联席会议")
    assert tab.table.text(screening, 0) == "○ 进行中"
    assert tab.table.text(screening, 4) == "1/3"
    assert tab.table.text(screening, 6) == "2026年11月尚需1次（截至2026-11-30）"
    assert _colour(tab, screening, FOREGROUND) == LIGHT_COLOURS["grey"].name()
    unit = _row(tab, "dispute_screening_unit", "示范县民政局")
    assert tab.table.text(unit, 0) == "✕ 未达标" and tab.table.text(unit, 6).startswith("2026年10月缺1次")
    assert _colour(tab, unit, FOREGROUND, 2) == LIGHT_COLOURS["red"].name()
    assert _colour(tab, unit, BACKGROUND) == RED_BG.name()
    assert tab.records_table.rowCount() == 2 and tab.records_table.text(0, 1) == "领导到联系单位督导信访工作"

    # October alone: the screening is green; half-months of townships show both halves missing.
    tab.part_combo.setCurrentIndex(tab.part_combo.findText("10月"))
    assert tab.period() == "2026-10"
    screening = _row(tab, "dispute_screening", "县信访工作联席会议")
    assert tab.table.text(screening, 0) == "● 达标"
    town = _row(tab, "dispute_screening_township", "东湖镇")
    assert tab.table.text(town, 6) == (
        "2026年10月上半月（1—15日）缺1次（应至少1次，实0次）；2026年10月下半月（16—31日）缺1次（应至少1次，实0次）"
    )
    # The kind filter and 只看未落实.
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("dispute_screening"))
    assert tab.table.rowCount() == 1 and tab.records_table.rowCount() == 1
    tab.missing_only.setChecked(True)
    assert tab.table.rowCount() == 0 and tab.empty_hint.label.isVisible()
    tab.missing_only.setChecked(False)
    tab.kind_combo.setCurrentIndex(0)
    # Another year: nothing recorded, every slot of 2025 has ended.
    tab.year_spin.setValue(2025)
    assert tab.period() == "2025-10" and tab.records_table.rowCount() == 0
    assert {r["status"] for r in tab.rows} == {"missed"}
    tab.year_spin.setValue(2026)
    tab.part_combo.setCurrentIndex(tab.part_combo.findData("Q4"))
    assert tab.grab().save(str(tmp_path / "duties-tab.png"))


def test_record_through_the_dialog(
    qtbot: Any, tab: DutiesTab, duty_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    minutes = tmp_path / "东湖镇排查纪要.docx"
    minutes.write_bytes(b"PK minutes")
    tab.record_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, RecordDialog) and dialog.isVisible()
    # The kind shows its citation; a county kind asks for no subject.
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("committee_hearing"))
    assert "第一条" in dialog.kind_combo.currentText()
    assert not dialog.subject_combo.isVisible() and "县委常委会" in dialog.body_edit.placeholderText()
    # A unit kind without a unit is refused in the dialog; nothing is written.
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("dispute_screening_unit"))
    assert dialog.subject_combo.isVisible() and dialog.subject_label.text() == "县直单位"
    assert dialog.subject_combo.findText("示范县民政局") >= 0 and dialog.subject_combo.findText("东湖镇人民政府") < 0
    dialog.ok_button.click()
    assert dialog.error_label.text() == "请选择县直单位" and dialog.isVisible()
    # A township screening on the 16th, with minutes chosen in the file dialog.
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("dispute_screening_township"))
    assert dialog.subject_label.text() == "乡镇（街道）"
    dialog.set_subject("东湖镇")
    dialog.date_edit.setDate(QDate(2026, 11, 16))
    assert dialog.date_edit.maximumDate() == QDate(2026, 11, 20)  # not after today
    dialog.participants_edit.setPlainText("镇党委书记、综治中心")
    dialog.topic_edit.setText("11月下半月矛盾纠纷排查")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(minutes), ""))
    dialog.minutes_button.click()
    assert dialog.minutes_edit.text() == minutes.name and dialog.minutes_edit.toolTip() == str(minutes)
    qtbot.wait(20)  # let the form lay out its relabelled rows before the picture
    assert dialog.grab().save(str(tmp_path / "record-dialog.png"))
    dialog.ok_button.click()
    assert not dialog.isVisible(), dialog.error_label.text()
    stored = list_duties(duty_db, period="2026-11")["rows"]
    assert [(r["kind"], r["township"], r["held_on"]) for r in stored] == [
        ("dispute_screening_township", "东湖镇", "2026-11-16")
    ]
    assert stored[0]["minutes"]["name"] == "东湖镇排查纪要.docx"
    assert tab.records_table.text(0, 7) == "东湖镇排查纪要.docx"
    town = _row(tab, "dispute_screening_township", "东湖镇")
    assert "2026年11月下半月" not in tab.table.text(town, 6)  # the second half of November is met

    # Double-clicking a compliance row opens the dialog for that kind and subject.
    leader_row = _row(tab, "contact_unit_visit", "李县长（副县长）")
    tab.table.row_activated.emit(leader_row)
    again = tab.dialog
    assert isinstance(again, RecordDialog) and again is not dialog
    assert again.kind_combo.currentData() == "contact_unit_visit"
    assert again.subject_combo.currentText() == "李县长（副县长）" and again.contact_combo.isVisible()
    again.reject()


def test_void_needs_a_reason_and_keeps_the_record(tab: DutiesTab, duty_db: Any, qtbot: Any) -> None:
    tab.void_button.click()
    assert tab.error_label.text() == "请先在落实记录中选择一条记录"
    tab.records_table.select_row(0)
    tab.void_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, VoidDialog)
    dialog.ok_button.click()
    assert dialog.error_label.text() == "请填写作废理由" and dialog.isVisible()
    dialog.reason_edit.setPlainText("误登记")
    dialog.ok_button.click()
    assert not dialog.isVisible(), dialog.error_label.text()
    qtbot.waitUntil(lambda: tab.records_table.rowCount() == 1)
    assert list_duties(duty_db)["total"] == 1 and list_duties(duty_db, include_voided=True)["total"] == 2
    tab.show_voided.setChecked(True)
    assert tab.records_table.rowCount() == 2
    states = {tab.records_table.text(i, 8) for i in range(2)}
    assert states == {"有效", "已作废：误登记"}
    voided = next(i for i in range(2) if tab.records_table.text(i, 8) != "有效")
    tab.records_table.select_row(voided)
    tab.void_button.click()
    assert tab.error_label.text() == "这条记录已作废"


def test_contact_points_and_the_visit_that_counts(tab: DutiesTab, duty_db: Any, qtbot: Any) -> None:
    """联系点… adds 李县长's contact point by picking from the lists; the October visit (no place) then no longer
    counts and the row says why; a new visit's 所到单位 offers the contact point first and is chosen for him."""
    from xinfang_desktop.ui.responsibility.contact_points_dialog import ContactPointsDialog

    tab.part_combo.setCurrentIndex(tab.part_combo.findData("Q4"))
    qtbot.waitUntil(lambda: tab.data is not None and tab.data["compliance"]["period"]["period"] == "2026Q4")
    row = tab.rows[_row(tab, "contact_unit_visit", "李县长（副县长）")]
    assert row["status"] == "met" and row["notes"] == ["未登记2026年联系点，所到单位未核对"]
    tab.contacts_button.click()
    dialog = tab.contacts_dialog
    assert isinstance(dialog, ContactPointsDialog)
    qtbot.waitUntil(lambda: dialog.leader_combo.count() > 0)
    dialog.add_button.click()
    assert dialog.message.text() == "请选择领导和联系点（乡镇或单位）"
    dialog.leader_combo.setCurrentIndex(dialog.leader_combo.findText("李县长（副县长）"))
    dialog.place_combo.setEditText("东湖镇")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert [dialog.table.text(0, c) for c in range(3)] == ["李县长（副县长）", "乡镇（街道）", "东湖镇"]
    dialog.place_combo.setEditText("东湖镇人民政府")  # the same township through its government: refused
    dialog.add_button.click()
    qtbot.waitUntil(lambda: "已登记" in dialog.message.text())
    dialog.grab().save("/tmp/duties_contact_points.png")
    dialog.reject()
    qtbot.waitUntil(
        lambda: (
            tab.rows and "不计入" in " ".join(tab.rows[_row(tab, "contact_unit_visit", "李县长（副县长）")]["notes"])
        )
    )
    row = tab.rows[_row(tab, "contact_unit_visit", "李县长（副县长）")]
    assert row["status"] == "open" and row["notes"] == ["2026-10-15 未填写所到单位，不计入"]
    cell = tab.table.text(_row(tab, "contact_unit_visit", "李县长（副县长）"), 6)
    assert "未填写所到单位，不计入" in cell

    tab.open_record_dialog("contact_unit_visit", "李县长（副县长）")
    qtbot.waitUntil(lambda: isinstance(tab.dialog, RecordDialog))
    record = tab.dialog
    assert isinstance(record, RecordDialog)
    assert record.contact_combo.itemText(1) == "东湖镇（联系点）" and record.contact_combo.currentIndex() == 1
    record.date_edit.setDate(QDate(2026, 11, 18))
    record.ok_button.click()
    qtbot.waitUntil(lambda: not record.isVisible())
    qtbot.waitUntil(lambda: tab.rows[_row(tab, "contact_unit_visit", "李县长（副县长）")]["status"] == "met")
    assert tab.records_table.text(0, 3) == "东湖镇"
    tab.grab().save("/tmp/duties_tab_contact_points.png")


def test_the_section_builds_the_tab(qtbot: Any, duty_db: Any) -> None:
    panel = ResponsibilityPanel(make_ctx(duty_db))
    qtbot.addWidget(panel)
    panel.show()
    panel.start()
    index = next(i for i in range(panel.tabs.count()) if panel.tabs.tabText(i) == "职责落实")
    panel.tabs.setCurrentIndex(index)
    content = panel.late_tabs[1].content
    assert isinstance(content, DutiesTab)
    assert content.table.rowCount() > 0
