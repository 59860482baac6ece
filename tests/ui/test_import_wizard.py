"""导入台账 wizard on the real SQLite (offscreen, synchronous task runner): file → mapping → dry run → import."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.importing.fixtures import TODAY, messy_ledger, national_sheet
from tests.ui.conftest import make_ctx

SHOTS = Path(os.environ.get("XINFANG_SCREENSHOTS", "/tmp/xf-shots"))


@pytest.fixture
def seeded_db(tmp_path: Path) -> Iterator[Any]:
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    db = open_database(tmp_path / "w.sqlite3")
    seed_reference_data(db)
    yield db
    db.dispose()


def _wizard(qtbot: Any, db: Any) -> Any:
    from xinfang_desktop.ui.context import AppContext
    from xinfang_desktop.ui.import_wizard import ImportWizard

    ctx = make_ctx(db)
    assert isinstance(ctx, AppContext)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


def test_messy_ledger_through_the_wizard(qtbot: Any, seeded_db: Any, tmp_path: Path) -> None:
    path = messy_ledger(tmp_path / "台账.xlsx")
    wizard = _wizard(qtbot, seeded_db)
    wizard.file_page.choose(str(path))
    assert wizard.file_page.isComplete() and wizard.file_page.sheet_combo.currentText() == "2026年台账"
    _shot(wizard, "import-1-file.png")
    wizard.next()
    page = wizard.mapping_page
    assert page.inspection.header_row == 4
    assert not page.isComplete() and "信访目的" in page.summary.text()  # not in the sheet: the clerk chooses it
    page.purpose_default.setCurrentText("求决")
    assert page.isComplete()
    # the value pickers: 征地拆迁 proposed, 拖欠农民工工资 found by name; 走访 → 来访
    values = {
        (page.values.item(r, 0).text(), page.values.item(r, 1).text()): page.values.cellWidget(r, 3)
        for r in range(page.values.rowCount())
    }
    assert values[("信访形式", "走访")].currentText() == "来访"
    assert values[("内容分类", "征地拆迁")].currentData() == "0101"
    _shot(wizard, "import-2-mapping.png")
    wizard.next()
    dry = wizard.dry_run_page
    assert dry.report is not None and (dry.report.cases, dry.report.submissions) == (3, 1)
    assert dry.errors.rowCount() == 2 and dry.errors.item(0, 1).text() == "身份证号"
    assert not dry.isComplete()  # bad rows: import only when the clerk chooses to skip them
    dry.export_to(str(tmp_path / "bad.xlsx"))
    assert (tmp_path / "bad.xlsx").exists()
    dry.skip_bad.setChecked(True)
    assert dry.isComplete()
    _shot(wizard, "import-3-dry-run.png")
    wizard.next()
    run = wizard.run_page
    assert run.finished and run.report.committed and run.report.cases == 3
    assert "导入完成" in run.summary.text()
    _shot(wizard, "import-4-done.png")


def test_profile_saved_and_used(qtbot: Any, seeded_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from xinfang_desktop.persistence.importing.profiles import list_profiles

    path = messy_ledger(tmp_path / "台账.xlsx")
    wizard = _wizard(qtbot, seeded_db)
    wizard.file_page.choose(str(path))
    wizard.next()
    wizard.mapping_page.purpose_default.setCurrentText("求决")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("乡镇台账", True))
    wizard.mapping_page._save_profile()
    assert list_profiles(seeded_db)["乡镇台账"]["defaults"] == {"purpose": "求决"}
    second = _wizard(qtbot, seeded_db)
    combo: QComboBox = second.file_page.profile_combo
    assert combo.findText("乡镇台账") >= 0
    combo.setCurrentText("乡镇台账")
    second.file_page.choose(str(path))
    second.next()
    assert second.mapping_page.isComplete()


def test_unreadable_file_says_why(qtbot: Any, seeded_db: Any, tmp_path: Path) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a zip at all")
    wizard = _wizard(qtbot, seeded_db)
    wizard.file_page.choose(str(bad))
    assert not wizard.file_page.isComplete() and "不是有效的 Excel 工作簿" in wizard.file_page.info.text()


def test_national_sheet_and_main_window_menu(qtbot: Any, seeded_db: Any, tmp_path: Path) -> None:
    from xinfang_desktop.ui.main_window import MainWindow

    window = MainWindow(make_ctx(seeded_db))
    qtbot.addWidget(window)
    menu = window.menuBar().actions()[0].menu()
    assert [a.text() for a in menu.actions()] == ["导入台账…"]
    wizard = _wizard(qtbot, seeded_db)
    wizard.file_page.choose(str(national_sheet(tmp_path / "n.xlsx")))
    wizard.next()
    assert wizard.mapping_page.isComplete()
    wizard.next()
    assert wizard.dry_run_page.isComplete() and wizard.dry_run_page.report.cases == 4
    wizard.next()
    assert wizard.run_page.report.committed
    assert TODAY.year == 2026


def test_closing_the_wizard_cancels_a_running_import(qtbot: Any, seeded_db: Any, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, seeded_db)
    wizard.file_page.choose(str(national_sheet(tmp_path / "n.xlsx")))
    wizard.next()
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot closes it at the end of the test
    wizard.reject()
    assert wizard.dry_run_page.cancel.is_set() and wizard.run_page.cancel.is_set()
