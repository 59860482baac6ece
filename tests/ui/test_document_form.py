"""The 文书 content form (issue 18): built from each type's parser, it carries every example input unchanged, and
issuing from the form alone (no JSON) gives the same document as issuing the JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xinfang_desktop.documents.input_schema import input_schema
from xinfang_desktop.documents.types import all_specs, spec
from xinfang_desktop.ui.document_form import DocumentForm, RowsEditor


def _pruned(value: Any) -> Any:
    """The input without empty values (what a form leaves out)."""
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {}, False)}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


@pytest.mark.parametrize("type_id", [s.type_id for s in all_specs()])
def test_every_example_goes_through_the_form_unchanged(qtbot: Any, type_id: str) -> None:
    form = DocumentForm(input_schema(type_id))
    qtbot.addWidget(form)
    sample = spec(type_id).sample()
    form.set_value(sample)
    assert form.value() == _pruned(sample)
    spec(type_id).from_json(form.value())  # and the parser takes it


def test_the_form_has_the_fields_and_tables_of_the_type(qtbot: Any, tmp_path: Path) -> None:
    form = DocumentForm(input_schema("package_notice"))
    qtbot.addWidget(form)
    form.resize(700, 1200)
    form.set_value(spec("package_notice").sample())
    team = form.fields.editors["team"]
    assert isinstance(team, RowsEditor) and team.table.rowCount() == len(spec("package_notice").sample()["team"])
    team.add_button.click()
    team.table.item(team.table.rowCount() - 1, 0).setText("王五（县信访局副局长）")
    assert form.value()["team"][-1] == "王五（县信访局副局长）"
    form.grab().save(str(tmp_path / "package-form.png"))
