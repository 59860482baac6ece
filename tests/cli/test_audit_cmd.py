"""`xinfang audit verify|list|retention` (issue 17) and the audit part of `db check`: JSON keys, exit codes, filters,
the retention floors, and a case event forged with sqlite3."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.consistency import check_audit
from xinfang_desktop.persistence.database import open_database


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


@pytest.fixture
def ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "ledger.sqlite3")
    for i in range(3):
        source = tmp_path / f"case{i}.json"
        data = sample_case(summary=f"反映第{i}件征地补偿款未足额发放的问题，要求补发。")
        data["petitioner"]["id_number"] = None
        source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        assert main(["case", "add", str(source), "--db", db, "--json"]) == 0
    capsys.readouterr()
    return db


def test_verify_reports_the_contract_keys_and_exit_codes(ledger: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, "audit", "verify", "--db", ledger)
    assert code == 0, data
    assert {
        "ok",
        "entries",
        "protected",
        "unprotected",
        "first_broken",
        "anchors",
        "triggers_ok",
        "missing_triggers",
    } <= set(data)
    assert data["ok"] and data["first_broken"] is None and data["unprotected"] == 0
    assert data["entries"] == data["protected"] >= 3 and data["triggers_ok"] and data["missing_triggers"] == []
    assert main(["audit", "verify", "--db", ledger]) == 0
    assert "审计链完整" in capsys.readouterr().out
    code, data = run(capsys, "audit", "verify", "--db", ledger, "--key-file", str(Path(ledger).parent / "none.key"))
    assert code == 2


def test_list_newest_first_with_filters(ledger: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, "audit", "list", "--db", ledger)
    assert code == 0
    rows = data["entries"]
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
    assert set(rows[0]) == {"id", "at", "user", "workstation", "action", "entity", "entity_id", "detail"}
    cases = [r for r in rows if r["entity"] == "case"]
    assert len(cases) == 3 and all(isinstance(r["detail"], dict) for r in cases)
    login = cases[0]["user"]
    code, data = run(capsys, "audit", "list", "--db", ledger, "--entity", "case", "--action", "create", "--limit", "2")
    assert code == 0 and data["count"] == 2 and data["more"] is True
    code, older = run(
        capsys, "audit", "list", "--db", ledger, "--entity", "case", "--before", str(data["entries"][-1]["id"])
    )
    assert [r["entity_id"] for r in older["entries"]] == [cases[2]["entity_id"]]
    day = cases[0]["at"][:10]
    code, data = run(capsys, "audit", "list", "--db", ledger, "--actor", login, "--from", day, "--to", day)
    assert code == 0 and len([r for r in data["entries"] if r["entity"] == "case"]) == 3
    code, data = run(capsys, "audit", "list", "--db", ledger, "--to", "2000-01-01")
    assert code == 0 and data["entries"] == []
    assert run(capsys, "audit", "list", "--db", ledger, "--from", "2026-02-30")[0] == 2
    assert run(capsys, "audit", "list", "--db", ledger, "--actor", "nobody")[0] == 2
    assert run(capsys, "audit", "list", "--db", ledger, "--from", "2026-12-01", "--to", "2026-11-01")[0] == 2
    assert run(capsys, "audit", "list", "--db", ledger, "--limit", "0")[0] == 2
    number = str(cases[1]["entity_id"])
    code, data = run(capsys, "audit", "list", "--db", ledger, "--object", number[-3:])
    assert code == 0 and [r["entity_id"] for r in data["entries"]] == [number]
    code, data = run(capsys, "audit", "list", "--db", ledger, "--object", "%")  # a LIKE wildcard is a character
    assert code == 0 and data["entries"] == []


def test_an_entry_whose_user_was_edited_away_is_still_listed(ledger: str, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(ledger)
    conn.execute("DROP TRIGGER audit_entries_no_update")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE audit_entries SET user_id = 9999 WHERE id = 1")
    conn.commit()
    conn.close()
    code, data = run(capsys, "audit", "list", "--db", ledger)
    assert code == 0 and [r["user"] for r in data["entries"] if r["id"] == 1] == ["#9999"]
    code, data = run(capsys, "audit", "verify", "--db", ledger)
    assert code == 1 and data["first_broken"]["id"] == 1 and data["missing_triggers"] == ["audit_entries_no_update"]


def test_retention_never_below_the_floors(ledger: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, "audit", "retention", "--db", ledger)
    assert code == 0 and (data["logs_days"], data["personal_days"]) == (180, 1096)
    for flag, value in (("--logs-days", "179"), ("--personal-days", "1095"), ("--logs-days", "0")):
        code, err = run(capsys, "audit", "retention", "--db", ledger, flag, value)
        assert code == 2 and "不能设为" in err["error"], err
    code, data = run(capsys, "audit", "retention", "--db", ledger, "--logs-days", "400", "--personal-days", "2000")
    assert code == 0 and (data["logs_days"], data["personal_days"]) == (400, 2000)
    code, data = run(capsys, "audit", "list", "--db", ledger, "--entity", "audit_retention")
    assert data["entries"][0]["detail"]["new"] == {"logs_days": 400, "personal_days": 2000}
    conn = sqlite3.connect(ledger)  # lowered behind the program's back: the floor still holds
    conn.execute("UPDATE settings SET value = '30' WHERE key = 'audit_retention_days'")
    conn.commit()
    conn.close()
    assert run(capsys, "audit", "retention", "--db", ledger)[1]["logs_days"] == 180


def test_a_forged_case_event_and_a_broken_chain_fail_the_audit_check(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(ledger)
    try:
        fine = check_audit(db)
        assert fine.ok and fine.unaudited_events == 0, fine.to_json()
        conn = sqlite3.connect(ledger)
        case_id, number, actor = conn.execute(
            "SELECT c.id, c.number, e.actor_id FROM cases c JOIN case_events e ON e.case_id = c.id LIMIT 1"
        ).fetchone()
        (last,) = conn.execute("SELECT max(at) FROM audit_entries").fetchone()
        when = (datetime.fromisoformat(last) + timedelta(minutes=5)).isoformat(sep=" ", timespec="microseconds")
        conn.execute(
            "INSERT INTO case_events (case_id, seq, action, occurred_on, recorded_at, actor_id, from_status, "
            "to_status) VALUES (?, 99, 'close', date(?), ?, ?, 'registered', 'closed')",
            (case_id, when, when, actor),
        )
        conn.commit()
        forged = check_audit(db)
        assert not forged.ok and forged.unaudited_events == 1
        assert forged.examples[0]["number"] == number and forged.examples[0]["seq"] == 99
        assert "没有对应的审计记录" in forged.text() and number in forged.text()
        conn.execute("DROP TRIGGER audit_entries_no_update")
        conn.execute("UPDATE audit_entries SET detail = NULL WHERE id = 2")
        conn.commit()
        conn.close()
        broken = check_audit(db)
        assert broken.chain.first_broken is not None and broken.chain.first_broken.id == 2
        assert "编号 2" in broken.text() and "audit_entries_no_update" in broken.text()
    finally:
        db.dispose()


def test_list_user_filter_of_the_contract(
    ledger: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`audit list --user U` lists U's entries: in open mode, and for a 审计管理员 signed in by a session (then
    --user is only the filter, not the account signing in)."""
    from xinfang_desktop.persistence.identity import Identity
    from xinfang_desktop.persistence.users import create_account, open_session, set_roles

    code, everything = run(capsys, "audit", "list", "--db", ledger)
    login = next(r["user"] for r in everything["entries"] if r["entity"] == "case")
    code, mine = run(capsys, "audit", "list", "--db", ledger, "--user", login)
    assert code == 0 and mine["entries"] and {r["user"] for r in mine["entries"]} == {login}
    db = open_database(ledger)
    admin = create_account(db, "sysadmin", "Xf#2026-audit", roles=["system_admin"])
    by_admin = Identity.of(admin.login, admin.login, admin.roles)
    create_account(db, "secadmin", "Xf#2026-audit", roles=["security_admin"], actor=by_admin)
    create_account(db, "auditor", "Xf#2026-audit", actor=by_admin)
    set_roles(db, "auditor", ["audit_admin"], actor=Identity.of("secadmin", "secadmin", ("security_admin",)))
    token, _ = open_session(db, Identity.of("auditor", "auditor", ("audit_admin",)))
    db.dispose()
    monkeypatch.setenv("XINFANG_SESSION", token)
    code, by_sysadmin = run(capsys, "audit", "list", "--db", ledger, "--user", "sysadmin")
    assert code == 0, by_sysadmin
    assert by_sysadmin["entries"] and {r["user"] for r in by_sysadmin["entries"]} == {"sysadmin"}
