"""The canary in the window and in the files it writes (issue 17): a marked ID number and phone registered on a case
never show in full in the ledger's cells (text and tooltips), the case window, a crash report or the log file — for
every role that sees cases; the full value only through 显示完整… with a reason (tests/ui/test_case_detail_dialog)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidget

from tests.helpers import sample_case
from tests.ui.conftest import TODAY, make_ctx
from xinfang_desktop.core.access import ROLES
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.identity import Identity, set_acting

CANARY_ID = "511322198005177318"
CANARY_PHONE = "13977712345"


@pytest.fixture
def canary_ctx(empty_db: Any) -> Any:
    data = sample_case()
    data["petitioner"] = {**data["petitioner"], "id_number": CANARY_ID, "phone": CANARY_PHONE}
    add_case(empty_db, data, today=TODAY, user="tester")
    yield make_ctx(empty_db)
    set_acting(None)


def _clean(text: str, where: str) -> None:
    assert CANARY_ID not in text and CANARY_PHONE not in text, f"{where}: {text[:200]}"


@pytest.mark.parametrize("role", [r.key for r in ROLES if "case.view" in r.actions])
def test_ledger_cells_and_the_case_window_never_hold_the_full_values(qtbot: Any, canary_ctx: Any, role: str) -> None:
    from xinfang_desktop.ui.case_detail_dialog import CaseDetailDialog
    from xinfang_desktop.ui.ledger.ledger_panel import LedgerPanel

    set_acting(Identity.of("someone", "某人", (role,)))
    panel = LedgerPanel(canary_ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.start()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    model = panel.model
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            for data_role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                _clean(str(model.data(index, data_role) or ""), f"ledger cell {row},{col}")
    # A search by the full ID number still finds the case (the index holds it; the cells do not).
    panel.search_box.setText(CANARY_ID)
    qtbot.waitUntil(lambda: panel.model.query[0].search == CANARY_ID and panel.model.rowCount() == 1, timeout=3000)

    dialog = CaseDetailDialog(canary_ctx, "XF2026-000001")
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    for table in dialog.findChildren(QTableWidget):
        texts += [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
                  if table.item(r, c) is not None]  # fmt: skip
    joined = " ".join(texts)
    _clean(joined, f"case window as {role}")
    assert "511322********7318" in joined and "139****2345" in joined


def test_crash_reports_and_the_log_mask_what_an_error_quotes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from xinfang_desktop.ui import app, crash

    monkeypatch.setattr(crash, "logs_dir", lambda: tmp_path)
    try:
        raise ValueError(f"身份证号码 {CANARY_ID} 与姓名不符，联系电话 {CANARY_PHONE}")
    except ValueError as exc:
        path = crash.write_crash_log(type(exc), exc, exc.__traceback__)
    report = path.read_text(encoding="utf-8")
    _clean(report, "crash report")
    assert "511322********7318" in report and "139****2345" in report

    formatter = app._ScrubbingFormatter("%(message)s")
    record = logging.LogRecord("xinfang", logging.INFO, __file__, 1, "导入第3行：%s", (CANARY_ID,), None)
    line = formatter.format(record)
    _clean(line, "log line")
    assert line == "导入第3行：511322********7318"
