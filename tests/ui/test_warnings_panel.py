"""The 预警与积案 section (pytest-qt, offscreen): candidates, slips with owed/overdue explanations, backlog, reviews;
the dialogs that issue a slip, record its 签收 and an explanation (refusals shown in the dialog, nothing written)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.conftest import content_hash
from tests.helpers import sample_case
from tests.ui.conftest import make_ctx
from xinfang_desktop.documents.document_store import issue_document
from xinfang_desktop.persistence.case_intake import add_case, submit
from xinfang_desktop.persistence.units import add_unit
from xinfang_desktop.persistence.warnings_store import issue_slip
from xinfang_desktop.ui.rows_table import RED
from xinfang_desktop.ui.warnings_panel import (
    ExplanationDialog,
    IssueSlipDialog,
    ReceiptDialog,
    WarningsPanel,
)

D = date.fromisoformat


@pytest.fixture
def warned_db(tmp_path: Path) -> Iterator[Any]:
    from xinfang_desktop.persistence.database import open_database

    db = open_database(tmp_path / "w.sqlite3")
    add_unit(db, "县自然资源局")
    later = D("2024-12-31")

    def new(name: str) -> str:
        data = sample_case(received_on="2024-09-02", level="乡镇", responsible_unit="县自然资源局")
        data["petitioner"] = {"name": name, "phone": "13800138000"}
        return add_case(db, data, today=later).registered.number

    def visit(number: str, on: str, level: str, **extra: Any) -> None:
        submit(db, number, {"channel": "来访", "received_on": on, "level": level, **extra}, today=later)

    warned, candidate = new("王五"), new("赵六")
    for number in (warned, candidate):
        visit(number, "2024-09-10", "县")
        visit(number, "2024-09-20", "市")

    def issue(type_id: str, data: Mapping[str, Any], case_number: str) -> Any:
        return issue_document(db, type_id, data, case_number=case_number)

    issue_slip(db, warned, today=D("2024-09-25"), issue=issue)
    visit(warned, "2024-09-30", "县")
    visit(warned, "2024-10-10", "省", headcount=50)
    yield db
    db.dispose()


def test_panel_shows_candidates_overdue_explanations_in_red_and_reviews(qtbot: Any, warned_db: Any) -> None:
    ctx = make_ctx(warned_db)
    ctx.today = lambda: D("2024-10-14")
    panel = WarningsPanel(ctx)
    qtbot.addWidget(panel)
    panel.start()
    # The explanations were recorded when the visits were registered (the intake checks every visit).
    assert panel.candidates_table.rowCount() == 1 and panel.slips_table.rowCount() == 2
    with qtbot.waitSignal(panel.loaded):
        panel.scan()
    assert panel.candidates_table.rowCount() == 1
    assert panel.candidates_table.text(0, 1) == "赵六"
    rows = panel.slips_table.rowCount()
    assert rows == 2
    first_status = panel.slips_table.text(0, 7)
    assert first_status == "已逾期" and panel.slips_table.text(0, 5) == "上级信访工作领导小组组长"
    slips = panel.slips_table.rows
    assert slips.data(slips.index(0, 7), Qt.ItemDataRole.ForegroundRole).color() == RED
    assert panel.slips_table.text(1, 5) == "上级党政主要领导"
    assert panel.slips_table.text(1, 6) == "2024-10-14"  # 11 Oct, the 调休 Saturday 12 Oct, 14 Oct
    assert not panel.slips_table.rows.is_flagged(1)
    assert panel.reviews_table.rowCount() == 1
    assert panel.reviews_table.text(0, 2) == "50人以上赴省集体上访"
    assert "逾期 1 项" in panel.summary_label.text()
    with qtbot.waitSignal(panel.case_activated) as signal:
        panel.candidates_table.activated.emit(panel.candidates_table.rows.index(0, 2))
    assert signal.args == [panel.candidates_table.text(0, 0)]


def test_panel_on_an_empty_database(qtbot: Any, empty_ctx: Any) -> None:
    panel = WarningsPanel(empty_ctx)
    qtbot.addWidget(panel)
    panel.start()
    assert panel.slips_table.rowCount() == 0 and panel.backlog_table.rowCount() == 0
    assert panel.summary_label.text().startswith("预警对象 0 件")


def _panel(qtbot: Any, db: Any) -> WarningsPanel:
    ctx = make_ctx(db)
    ctx.today = lambda: D("2024-10-14")
    panel = WarningsPanel(ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.start()
    return panel


def test_issue_a_slip_for_the_selected_candidate(qtbot: Any, warned_db: Any) -> None:
    panel = _panel(qtbot, warned_db)
    candidate = panel.candidates_table.text(0, 0)
    panel.candidates_table.select_row(0)
    dialog = panel.make_dialog("issue")
    assert isinstance(dialog, IssueSlipDialog) and dialog.number_edit.text() == candidate
    qtbot.addWidget(dialog)
    dialog.reason_edit.setPlainText("扬言进京上访")
    with qtbot.waitSignal(dialog.saved) as saved, qtbot.waitSignal(panel.loaded):
        dialog.submit()
    slip = saved.args[0]
    assert slip["case_number"] == candidate and slip["trigger"] == "repeat_visits" and "扬言进京上访" in slip["reason"]
    assert panel.candidates_table.rowCount() == 0 and slip["number"] in panel.notice_label.text()
    assert slip["number"] in {panel.slips_table.text(r, 0) for r in range(panel.slips_table.rowCount())}


def test_issue_refusals_are_shown_in_the_dialog_and_change_nothing(qtbot: Any, warned_db: Any) -> None:
    panel = _panel(qtbot, warned_db)
    warned = panel.slips_table.text(0, 1)
    dialog = panel.make_dialog("issue")
    assert isinstance(dialog, IssueSlipDialog) and dialog.number_edit.text() == ""  # nothing selected: by hand
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed) as failed:
        dialog.submit()  # no case number: refused by the dialog itself
    assert "信访事项编号" in failed.args[0]
    before = content_hash(warned_db)
    dialog.number_edit.setText(warned)
    with qtbot.waitSignal(dialog.failed) as failed:
        dialog.submit()
    assert "已发出预警单" in failed.args[0] and dialog.error_label.text() == failed.args[0]
    assert dialog.result() != IssueSlipDialog.DialogCode.Accepted and dialog.ok_button.isEnabled()
    assert content_hash(warned_db) == before


def test_record_receipt_and_explanation_on_the_selected_slip(qtbot: Any, warned_db: Any) -> None:
    panel = _panel(qtbot, warned_db)
    assert panel.make_dialog("receipt") is None and "选择一份预警单" in panel.error_label.text()
    panel.slips_table.select_row(0)
    slip_no = panel.slips_table.text(0, 0)
    receipt = panel.make_dialog("receipt")
    assert isinstance(receipt, ReceiptDialog) and receipt.slip_no == slip_no
    qtbot.addWidget(receipt)
    before = content_hash(warned_db)
    receipt.date_edit.setText("2024-09-20")  # before the slip was issued
    with qtbot.waitSignal(receipt.failed) as failed:
        receipt.submit()
    assert "签收日期" in failed.args[0] and content_hash(warned_db) == before
    receipt.date_edit.setText("2024-9-x")
    with qtbot.waitSignal(receipt.failed) as failed:
        receipt.submit()
    assert "YYYY-MM-DD" in failed.args[0]
    receipt.date_edit.setText("2024-09-26")
    with qtbot.waitSignal(receipt.saved), qtbot.waitSignal(panel.loaded):
        receipt.submit()
    assert panel.slips_table.text(0, 3) == "2024-09-26"

    panel.slips_table.select_row(0)
    explain = panel.make_dialog("explain")
    assert isinstance(explain, ExplanationDialog)
    qtbot.addWidget(explain)
    explain.date_edit.setText("2099-01-01")  # in the future
    with qtbot.waitSignal(explain.failed):
        explain.submit()
    explain.date_edit.setText("2024-10-11")
    with qtbot.waitSignal(explain.saved) as saved, qtbot.waitSignal(panel.loaded):
        explain.submit()
    assert saved.args[0]["explanations"][0]["status"] == "received_late"
    assert panel.slips_table.text(0, 7) == "逾期后说明"
