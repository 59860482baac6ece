"""The 领导包案 section: packages, the leader register (R-PK-03) and reception compliance (R-RC-01)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate

from tests.ui.conftest import TODAY, make_ctx, register_cases
from xinfang_desktop.persistence.packages_store import PackageInput, add_leader, create_package
from xinfang_desktop.persistence.reception_store import plan_reception, record_reception
from xinfang_desktop.ui.packages_panel import PackagesPanel


def test_panel_lists_packages_leaders_and_compliance(qtbot: Any, empty_db: Any) -> None:
    db = empty_db
    number = register_cases(db, 1)[0]
    add_leader(db, "李明", organ="政府", rank="副职", level="县", post="副县长", phone="13800138000")
    add_leader(db, "王强", organ="党委", rank="正职", level="县", post="县委书记")
    create_package(db, PackageInput(cases=[number], leader="王强"), today=date(2026, 11, 20))
    plan_reception(db, "李明", date(2026, 10, 14))
    record_reception(db, "王强", date(2026, 10, 13), received=2, today=date(2026, 11, 20))

    panel = PackagesPanel(make_ctx(db))
    qtbot.addWidget(panel)
    panel.start()
    assert panel.packages.rowCount() == 1
    assert panel.packages.item(0, 1).text() == "县委书记王强"
    assert panel.packages.item(0, 4).text() == "0/5"
    assert panel.leaders.item(0, 1).text() == "王强"  # R-PK-03: party principal first
    assert panel.leaders.item(1, 7).text() == "138****8000"  # masked
    assert panel.period.text() == "2026Q4"
    rows = {panel.compliance.item(i, 0).text(): i for i in range(panel.compliance.rowCount())}
    li = rows["李明"]
    assert panel.compliance.item(li, 2).text() == "未达标"  # October passed without a held day
    assert panel.compliance.item(li, 4).text() == "2026-10-14"
    panel.period.setText("2026Q9")
    panel.refresh_compliance()
    assert "读取失败" in panel.status.text()
    panel.status_filter.setCurrentText("已办结")
    assert panel.packages.rowCount() == 0


def _row_of(panel: PackagesPanel, package_id: int) -> int:
    return next(i for i in range(panel.packages.rowCount()) if panel.packages.item(i, 0).text() == str(package_id))


def test_dialogs_create_update_meet_and_close(qtbot: Any, empty_db: Any) -> None:
    from xinfang_desktop.persistence.packages_store import list_packages, package_detail
    from xinfang_desktop.ui.packages_panel import ClosePackageDialog, CreatePackageDialog, DutyDialog, MeetingDialog

    db = empty_db
    first, second = register_cases(db, 2)
    add_leader(db, "李明", organ="政府", rank="副职", level="县", post="副县长")
    add_leader(db, "王强", organ="党委", rank="正职", level="县", post="县委书记")
    create_package(db, PackageInput(cases=[first], leader="王强"), today=TODAY)
    panel = PackagesPanel(make_ctx(db))
    qtbot.addWidget(panel)
    panel.start()

    # no package selected: the package dialogs are not opened
    assert panel.make_dialog("duty") is None and "请先" in panel.status.text()

    dialog = panel.make_dialog("create")
    assert isinstance(dialog, CreatePackageDialog)
    qtbot.addWidget(dialog)
    combo = dialog.leader_combo
    assert [combo.itemText(i).split("（")[0] for i in range(combo.count())] == ["王强", "李明"]  # R-PK-03
    assert combo.itemText(0).endswith("在办包案 1 件") and combo.itemText(1).endswith("在办包案 0 件")

    # refusals are shown in the dialog and nothing is written
    dialog.case_picker.add(first)
    with qtbot.waitSignal(dialog.failed) as blocker:
        dialog.ok_button.click()
    assert "已由包案 1 包案" in blocker.args[0] and dialog.error_label.text() == blocker.args[0]
    dialog.case_picker.list.clear()
    dialog.case_picker.add(second)
    dialog.milestones_table.add_row(["没有日期", "", ""])  # a step without its date
    with qtbot.waitSignal(dialog.failed):
        dialog.ok_button.click()
    assert dialog.error_label.text() and not dialog.error_label.isHidden()
    assert len(list_packages(db, today=TODAY)) == 1

    dialog.milestones_table.set_value([{"title": "见面", "after_workdays": 5}])
    dialog.members_table.add_row(["张三", "组长", "信访局长"])
    dialog.members_table.add_row(["赵六", "", ""])
    combo.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.saved) as blocker:
        dialog.ok_button.click()
    created = blocker.args[0]
    assert created["leader"]["name"] == "李明" and [m["name"] for m in created["team"]] == ["张三", "赵六"]
    assert panel.packages.rowCount() == 2 and "已保存包案 2" in panel.status.text()
    pid = created["id"]

    panel.packages.selectRow(_row_of(panel, pid))
    duty = panel.make_dialog("duty")
    assert isinstance(duty, DutyDialog) and duty.package_id == pid
    qtbot.addWidget(duty)
    # 五包 as a table (issue 18): the five duties with their state; change one and add a note.
    assert duty.table.rowCount() == 5 and duty.table.item(4, 0).text() == "包息访息诉"
    assert duty.changes() == []  # nothing changed yet: 保存 says so
    with qtbot.waitSignal(duty.failed):
        duty.ok_button.click()
    duty.status_combos["包息访息诉"].setCurrentText("已落实")
    duty.table.item(4, 3).setText("已签订息诉罢访协议")
    assert duty.changes() == [("包息访息诉", "已落实", "已签订息诉罢访协议")]
    with qtbot.waitSignal(duty.saved):
        duty.ok_button.click()
    done = {d["duty"]: d for d in package_detail(db, pid, today=TODAY)["duties"]}["包息访息诉"]
    assert done["status"] == "已落实" and done["evidence"] == f"{TODAY.isoformat()} 已签订息诉罢访协议"
    assert panel.packages.item(_row_of(panel, pid), 4).text() == "1/5"

    panel.packages.selectRow(_row_of(panel, pid))
    meeting = panel.make_dialog("meeting")
    assert isinstance(meeting, MeetingDialog)
    qtbot.addWidget(meeting)
    meeting.date_edit.setDate(QDate(2026, 1, 5))  # before the package started
    with qtbot.waitSignal(meeting.failed) as blocker:
        meeting.ok_button.click()
    assert "应在包案开始" in blocker.args[0]
    meeting.date_edit.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    meeting.notes_edit.setPlainText("面谈，说明政策")
    with qtbot.waitSignal(meeting.saved):
        meeting.ok_button.click()
    assert [m["notes"] for m in package_detail(db, pid, today=TODAY)["meetings"]] == ["面谈，说明政策"]

    # 息访息诉 on the first package is refused (包息访息诉 not done); the second closes
    panel.packages.selectRow(_row_of(panel, 1))
    close = panel.make_dialog("close")
    assert isinstance(close, ClosePackageDialog)
    qtbot.addWidget(close)
    close.outcome_combo.setCurrentText("息访息诉")
    with qtbot.waitSignal(close.failed) as blocker:
        close.ok_button.click()
    assert "包息访息诉" in blocker.args[0] and package_detail(db, 1, today=TODAY)["status"] == "在办"
    panel.packages.selectRow(_row_of(panel, pid))
    close = panel.make_dialog("close")
    assert isinstance(close, ClosePackageDialog) and close.package_id == pid
    qtbot.addWidget(close)
    close.outcome_combo.setCurrentText("息访息诉")
    close.note_edit.setPlainText("签订协议")
    with qtbot.waitSignal(close.saved):
        close.ok_button.click()
    closed = package_detail(db, pid, today=TODAY)
    assert (closed["outcome"], closed["closed_on"], closed["outcome_note"]) == (
        "息访息诉",
        TODAY.isoformat(),
        "签订协议",
    )
    assert panel.packages.item(_row_of(panel, pid), 5).text() == "息访息诉"


def test_empty_tables_say_what_to_do_and_a_leader_is_registered_in_the_dialog(qtbot: Any, empty_db: Any) -> None:
    from xinfang_desktop.persistence.packages_store import list_leaders

    panel = PackagesPanel(make_ctx(empty_db))
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    panel.start()
    assert panel.packages.rowCount() == 0
    assert panel.packages_hint.label.isVisible() and "新建包案" in panel.packages_hint.label.text()

    dialog = panel.make_leader_dialog()
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("王强")
    dialog.post_edit.setText("县委书记")
    dialog.organ_combo.setCurrentText("党委")
    dialog.phone_edit.setText("12345")  # not a phone number: refused in place, nothing written
    dialog.submit()
    assert "联系电话" in dialog.error_label.text() and list_leaders(empty_db) == []
    dialog.phone_edit.setText("13800138000")
    with qtbot.waitSignal(dialog.saved):
        dialog.submit()
    [leader] = list_leaders(empty_db)
    assert (leader["name"], leader["post"], leader["organ"], leader["level"]) == ("王强", "县委书记", "党委", "县")
    assert panel.leaders.rowCount() == 1 and panel.leaders.item(0, 1).text() == "王强"
    assert "已登记领导" in panel.status.text()
