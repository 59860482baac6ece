"""`db check` (issue 17): a status edited behind the application's back contradicts the case's events and is
reported (exit 1), as a changed document file is (tests/persistence/test_archive.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import sample_case
from xinfang_desktop.cli import main


def test_a_status_that_contradicts_the_events_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "ledger.sqlite3")
    source = tmp_path / "case.json"
    source.write_text(json.dumps(sample_case(), ensure_ascii=False), encoding="utf-8")
    assert main(["case", "add", str(source), "--db", db, "--json"]) == 0
    number = json.loads(capsys.readouterr().out)["number"]
    assert main(["db", "check", "--db", db, "--json"]) == 0
    fine = json.loads(capsys.readouterr().out)
    assert fine["statuses"] == {"contradicted": 0, "examples": [], "without_events": 0, "ok": True}

    conn = sqlite3.connect(db)
    conn.execute("UPDATE cases SET status = 'closed' WHERE number = ?", (number,))
    conn.commit()
    conn.close()
    assert main(["db", "check", "--db", db, "--json"]) == 1
    bad = json.loads(capsys.readouterr().out)
    assert not bad["ok"] and bad["statuses"]["contradicted"] == 1
    assert bad["statuses"]["examples"][0]["number"] == number
    assert bad["statuses"]["examples"][0]["status"] == "closed"
    assert main(["db", "check", "--db", db]) == 1
    out = capsys.readouterr().out
    assert "状态与办理记录不符" in out and number in out and "closed" not in out


def test_an_edited_audit_row_and_a_dropped_guard_fail_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "ledger.sqlite3")
    source = tmp_path / "case.json"
    source.write_text(json.dumps(sample_case(), ensure_ascii=False), encoding="utf-8")
    assert main(["case", "add", str(source), "--db", db, "--json"]) == 0
    capsys.readouterr()
    assert main(["db", "check", "--db", db, "--json"]) == 0
    fine = json.loads(capsys.readouterr().out)
    assert fine["audit"]["ok"] and fine["audit"]["chain"]["first_broken"] is None
    assert main(["db", "check", "--db", db]) == 0
    assert "审计链完整" in capsys.readouterr().out

    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER audit_entries_no_update")
    conn.execute("UPDATE audit_entries SET entity_id = 'XF2026-000099' WHERE id = 1")
    conn.commit()
    conn.close()
    assert main(["db", "check", "--db", db, "--json"]) == 1
    bad = json.loads(capsys.readouterr().out)
    assert not bad["ok"] and bad["audit"]["chain"]["first_broken"]["id"] == 1
    assert bad["audit"]["chain"]["missing_triggers"] == ["audit_entries_no_update"]
    assert main(["db", "check", "--db", db]) == 1
    out = capsys.readouterr().out
    assert "审计日志有问题" in out and "编号 1" in out and "audit_entries_no_update" in out
