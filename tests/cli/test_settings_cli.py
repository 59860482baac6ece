"""`xinfang settings`: values are validated before they are stored, and every change is audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.records import AuditEntryRecord


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_settings_round_trip_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.sqlite3")
    assert run(capsys, "settings", "set", "office_name", "东湖县信访局", "--db", db)[0] == 0
    assert run(capsys, "settings", "set", "collective_threshold", "6", "--db", db)[0] == 0
    code, shown = run(capsys, "settings", "show", "--db", db)
    assert code == 0 and shown["office_name"] == "东湖县信访局" and shown["collective_threshold"] == 6
    for key, value in [
        ("case_number_format", "{prefix}-{seq}"),  # no year: numbers would repeat
        ("collective_threshold", "0"),
        ("rule_profile", "atlantis"),
        ("no_such_key", "1"),
    ]:
        code, out = run(capsys, "settings", "set", key, value, "--db", db)
        assert code == 2 and out["error"], key
    assert run(capsys, "settings", "show", "--db", db)[1] == shown
    database = open_database(db)
    with database.read_session() as s:
        audited = s.scalars(select(AuditEntryRecord.entity_id).where(AuditEntryRecord.entity == "setting")).all()
    database.dispose()
    assert sorted(audited) == ["collective_threshold", "office_name"]
