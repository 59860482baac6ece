"""The 设置 section: office, prefixes, rules and thresholds saved through settings_store; holidays; fonts."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from xinfang_desktop.ui.settings_panel import SettingsPanel, YearDialog


@pytest.fixture
def panel(qtbot: Any, empty_ctx: Any) -> SettingsPanel:
    widget = SettingsPanel(empty_ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    widget.start()
    return widget


def _settings(ctx: Any) -> dict[str, Any]:
    from xinfang_desktop.persistence.settings_store import SqlSettings

    with ctx.tasks.database.read_session() as session:
        return SqlSettings(session).all()


def test_shows_the_stored_values(panel: SettingsPanel):
    assert panel.text_edits["office_name"].text() == "示范县信访局"
    assert panel.profile_combo.count() >= 1 and panel.profile_combo.currentData() == "national"
    assert panel.collective_spin.value() == 5
    assert panel.prefix_table.rowCount() == 22
    assert panel.prefix_table.item(1, 1).text() == "示信受"
    assert panel.changes() == {}


def test_saving_writes_only_what_changed(qtbot: Any, panel: SettingsPanel, empty_ctx: Any):
    panel.text_edits["office_name"].setText("城关县信访局")
    panel.text_edits["document_issuer_mark"].setText("城关县人民政府信访局")
    panel.collective_spin.setValue(8)
    panel.due_soon_spin.setValue(5)
    panel.prefix_table.item(1, 2).setText("城信受")
    with qtbot.waitSignal(panel.saved) as saved:
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert set(saved.args[0]) == {
        "office_name", "document_issuer_mark", "collective_threshold", "deadline_thresholds", "document_prefixes",
    }  # fmt: skip
    stored = _settings(empty_ctx)
    assert stored["office_name"] == "城关县信访局"
    assert stored["document_prefixes"] == {"acceptance_notice": "城信受"}
    assert stored["deadline_thresholds"] == {"due_soon_workdays": 5, "seriously_overdue_days": 30}
    assert panel.changes() == {}
    assert "已保存 5 项" in panel.message.text()


def test_refusal_is_shown(panel: SettingsPanel):
    panel.text_edits["office_name"].setText("")
    panel.text_edits["case_number_prefix"].setText(" ")
    panel.save()
    assert panel.message.text().startswith("未能保存")


def test_holiday_years_listed_and_a_year_added(qtbot: Any, panel: SettingsPanel):
    assert panel.years_table.rowCount() >= 1
    assert "随软件提供" in panel.years_table.item(0, 1).text()
    dialog = YearDialog(2099)
    qtbot.addWidget(dialog)
    dialog.holidays_edit.setPlainText("2099-01-01, 2099-10-01 .. 2099-10-07")
    dialog.makeup_edit.setPlainText("2099-10-10")
    with qtbot.waitSignal(panel.years_loaded) as loaded:
        panel.import_text(dialog.text())
    years = {y["year"]: y for y in loaded.args[0]}
    assert years[2099]["origin"] == "imported" and years[2099]["holidays"] == 8
    assert "已导入2099年" in panel.holiday_message.text()
    # the same year again: asks before replacing
    panel.confirm_replace = lambda _message: False  # type: ignore[method-assign]
    panel.import_text(dialog.text())
    assert "已存在" in panel.holiday_message.text()


def test_fonts_per_role(panel: SettingsPanel):
    assert panel.fonts_table.rowCount() == 0  # read when their tab is first shown
    panel.tabs.setCurrentWidget(panel.fonts_page)
    assert panel.fonts_table.rowCount() == 5
    roles = [panel.fonts_table.item(r, 0).text() for r in range(5)]
    assert "仿宋（正文）" in roles
    assert all(panel.fonts_table.item(r, 1).text() for r in range(5))
