"""The 责任书 tab (pytest-qt, offscreen): statements prefilled from last year's ledger through the dialog, a target
edited and the statement signed in the edit dialog, progress colours, the 责任书 issued, the year-end evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.helpers import sample_case
from tests.ui.conftest import TODAY, make_ctx
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.statements.store import show_statement
from xinfang_desktop.ui.responsibility.statements_tab import (
    VERDICT_COLOURS,
    EditDialog,
    EvaluateDialog,
    PrefillDialog,
    StatementsTab,
)

TOWNSHIP = "城关街道办事处"


@pytest.fixture
def statement_db(tmp_path: Path) -> Iterator[Any]:
    """The example county with four visits to 城关街道 in 2025 and three so far in 2026."""
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    db = open_database(tmp_path / "s.sqlite3")
    seed_reference_data(db)
    for i, day in enumerate(("2025-02-03", "2025-04-07", "2025-06-09", "2025-09-01", "2026-03-02", "2026-05-04")):
        data = sample_case(received_on=day, locality="331221001")
        data["petitioner"] = {"name": f"王{'一二三四五六'[i]}", "phone": "13800138000"}
        add_case(db, data, today=date.fromisoformat(day))
    yield db
    db.dispose()


@pytest.fixture
def tab(qtbot: Any, statement_db: Any) -> StatementsTab:
    tab = StatementsTab(make_ctx(statement_db))
    qtbot.addWidget(tab)
    tab.resize(1280, 720)
    tab.show()
    tab.refresh()
    return tab


def _select(tab: StatementsTab, name: str) -> None:
    row = next(i for i, s in enumerate(tab.statements) if s["party_name"] == name)
    tab.list.select_row(row)


def _target_row(tab: StatementsTab, label: str) -> int:
    return next(r for r in range(tab.targets.rowCount()) if tab.targets.item(r, 0).text() == label)


def test_prefill_edit_sign_issue_and_evaluate(qtbot: Any, tab: StatementsTab, statement_db: Any, tmp_path: Path):
    assert tab.year == TODAY.year and tab.list.rowCount() == 0 and tab.empty_hint.label.isVisible()
    assert not tab.edit_button.isEnabled()

    tab.prefill_button.click()
    prefill = tab.dialog
    assert isinstance(prefill, PrefillDialog)
    prefill.ok_button.click()
    assert not prefill.isVisible()
    assert tab.list.rowCount() > 30  # the county, its units and townships
    assert tab.list.text(0, 0) == "县本级"
    _select(tab, TOWNSHIP)
    # 4 visits in 2025 → at most 3 in 2026 (4 × 0.8^½ = 3.58); 2 by 20 November is on track (projected 2).
    visits = _target_row(tab, "上访量")
    assert tab.targets.item(visits, 1).text() == "4批次"
    assert tab.targets.item(visits, 2).text() == "比上年下降10.6%以上，不超过3批次"
    assert tab.targets.item(visits, 3).text() == "2批次" and tab.targets.item(visits, 5).text() == "进度正常"
    assert tab.targets.item(visits, 5).foreground().color().name() == VERDICT_COLOURS["on_track"]
    assert "上访量 =" in tab.targets.item(visits, 0).toolTip()
    assert tab.grab().save(str(tmp_path / "statements.png"))

    # 编辑: the ceiling lowered to 1 (now missed: 2 visits already), signatories, signed on 10 February.
    tab.open_edit()
    edit = tab.dialog
    assert isinstance(edit, EditDialog)
    row = next(i for i, t in enumerate(edit.targets) if t["code"] == "visit_volume")
    edit.spins[row].setValue(1)
    edit.first_signatory.setText("县长")
    edit.second_signatory.setText("主任")
    edit.signed_check.setChecked(True)
    edit.signed_date.setDate(date(2026, 2, 10))
    assert edit.grab().save(str(tmp_path / "statement_edit.png"))
    edit.ok_button.click()
    assert not edit.isVisible(), edit.error_label.text()
    stored = show_statement(statement_db, 2026, TOWNSHIP)
    assert stored["signed_on"] == "2026-02-10" and stored["second_signatory"] == "主任"
    visit_target = next(t for t in stored["targets"] if t["code"] == "visit_volume")
    assert visit_target["target"] == 1 and visit_target["target_text"] == "不超过1批次"  # the wording follows the value
    _select(tab, TOWNSHIP)
    visits = _target_row(tab, "上访量")
    assert tab.targets.item(visits, 5).text() == "未完成"
    assert tab.targets.item(visits, 5).foreground().color().name() == VERDICT_COLOURS["missed"]

    # A signed statement's targets are refused without the 允许修改 box; the dialog stays open, nothing written.
    tab.open_edit()
    edit = tab.dialog
    assert isinstance(edit, EditDialog) and edit.force_check.isVisibleTo(edit)
    edit.spins[row].setValue(2)
    edit.ok_button.click()
    assert edit.isVisible() and "签订" in edit.error_label.text()
    edit.reject()
    assert {t["code"]: t["target"] for t in show_statement(statement_db, 2026, TOWNSHIP)["targets"]}[
        "visit_volume"
    ] == 1

    # 出具: numbered, stored, linked; the clerk is offered to open it.
    with qtbot.waitSignal(tab.issued) as issued:
        tab.pdf_button.click()
    number = issued.args[0]["number"]
    assert Path(issued.args[0]["stored_path"]).exists()
    assert isinstance(tab.message_box, QMessageBox) and number in tab.message_box.text()
    tab.message_box.reject()
    _select(tab, TOWNSHIP)
    assert number in tab.detail_label.text()

    # 年度考评 of a year not over yet is refused in the dialog.
    tab.evaluate_button.click()
    evaluate = tab.dialog
    assert isinstance(evaluate, EvaluateDialog)
    evaluate.date_edit.setDate(date(2026, 12, 1))
    evaluate.ok_button.click()
    assert evaluate.isVisible() and "12月31日" in evaluate.error_label.text()
    evaluate.date_edit.setDate(date(2027, 1, 4))
    evaluate.ok_button.click()
    assert not evaluate.isVisible()
    _select(tab, TOWNSHIP)
    assert "已考评" in tab.detail_label.text()


def test_another_year_shows_its_own_statements(tab: StatementsTab) -> None:
    tab.prefill_button.click()
    assert isinstance(tab.dialog, PrefillDialog)
    tab.dialog.ok_button.click()
    assert tab.list.rowCount() > 0
    tab.year_spin.setValue(2030)
    assert tab.list.rowCount() == 0 and "0 份" in tab.summary_label.text()
    assert not tab.pdf_button.isEnabled()
