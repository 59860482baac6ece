"""Picking cases by number, name or words with search as you type (issue 18), in the package dialog and 文书."""

from __future__ import annotations

from typing import Any

from tests.ui.conftest import intake, type_text
from xinfang_desktop.ui.case_picker import CaseNumberEdit, CasePicker


def _offers(qtbot: Any, edit: CaseNumberEdit, text: str) -> list[str]:
    edit.clear()
    type_text(edit, text)
    qtbot.waitUntil(lambda: bool(edit.offered()), timeout=3000)
    return edit.offered()


def test_a_number_beginning_offers_the_numbers(qtbot: Any, ctx: Any) -> None:
    edit = CaseNumberEdit(ctx)
    qtbot.addWidget(edit)
    edit.show()
    offered = _offers(qtbot, edit, "XF2026-0001")
    assert offered and all(line.startswith("XF2026-0001") for line in offered)


def test_a_name_offers_that_petitioners_cases_and_choosing_keeps_the_number(qtbot: Any, ctx: Any) -> None:
    edit = CaseNumberEdit(ctx)
    qtbot.addWidget(edit)
    edit.show()
    name = intake(7)["petitioner"]["name"]
    offered = _offers(qtbot, edit, name)
    assert any(name in line for line in offered)
    with qtbot.waitSignal(edit.chosen) as chosen:
        edit._activated(offered[0])  # what the completer's popup sends when a line is picked
    number = offered[0].split("　")[0]
    assert chosen.args[0] == number and edit.text() == number


def test_the_picker_keeps_several_cases_once_each(qtbot: Any, ctx: Any) -> None:
    picker = CasePicker(ctx, ["XF2026-000001"])
    qtbot.addWidget(picker)
    picker.add("xf2026-000002")
    picker.add("XF2026-000001")
    assert picker.numbers() == ["XF2026-000001", "XF2026-000002"]
    picker.list.setCurrentRow(0)
    picker.remove_button.click()
    assert picker.numbers() == ["XF2026-000002"]
