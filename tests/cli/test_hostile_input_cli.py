"""Issue 17: hostile input exits 2 with nothing written — JSON nested 100,000 deep, numbers of thousands of digits,
a calendar year of 365 holidays — and a calendar import is audited."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.records import AuditEntryRecord


@pytest.fixture
def dbfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "ledger.sqlite3")
    assert main(["init", "--db", path]) == 0
    capsys.readouterr()
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_deep_json_and_huge_numbers_exit_2(dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    deep_object = tmp_path / "deep-object.json"
    deep_object.write_text('{"summary": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001)
    big = tmp_path / "big.json"
    big.write_text('{"headcount": ' + "9" * 5000 + "}")
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"headcount": 1}\n{"headcount": ' + "9" * 5000 + "}\n")
    db = open_database(dbfile)
    before = content_hash(db)
    for argv in (
        ("case", "add", str(deep)),
        ("case", "add", str(deep_object)),
        ("case", "add", str(big)),
        ("case", "import", str(lines)),
        ("doc", "render", "petitioner_receipt", "--input", str(deep), "-o", str(tmp_path / "x.pdf")),
        ("doc", "render", "petitioner_receipt", "--input", str(big), "-o", str(tmp_path / "x.pdf")),
    ):
        code, out = _run(capsys, *argv, "--db", dbfile)
        assert code == 2, (argv, out)
        assert "嵌套层数过多" in out["error"] or "数字过长" in out["error"], out
    assert content_hash(db) == before
    db.dispose()


def test_calendar_import_refuses_an_implausible_year_and_audits(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    every_day = [(date(2031, 1, 1) + timedelta(days=i)).isoformat() for i in range(365)]
    bad = tmp_path / "2031.json"
    bad.write_text(json.dumps({"year": 2031, "holidays": every_day, "makeup_workdays": []}))
    db = open_database(dbfile)
    before = content_hash(db)
    code, out = _run(capsys, "calendar", "import", str(bad), "--db", dbfile)
    assert code == 2 and "不合常理" in out["error"] and "365" in out["error"]
    assert content_hash(db) == before
    good = tmp_path / "2031-ok.json"
    good.write_text(json.dumps({"year": 2031, "holidays": ["2031-01-01", "2031-10-01"], "makeup_workdays": []}))
    code, out = _run(capsys, "calendar", "import", str(good), "--db", dbfile)
    assert code == 0, out
    with db.read_session() as s:
        entry = s.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity == "holiday_year")).one()
        assert (entry.action, entry.entity_id) == ("import", "2031")
        assert json.loads(entry.detail or "{}")["holidays"] == 2
    db.dispose()
