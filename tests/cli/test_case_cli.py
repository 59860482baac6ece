"""The `xinfang case …` and `xinfang init/db` contract: JSON keys, exit codes, and bad input that changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    try:
        data = json.loads(out) if out.strip() else None
    except json.JSONDecodeError:
        data = out
    return code, data, err


@pytest.fixture
def dbfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "cli.sqlite3")
    code, data, _ = run(capsys, "init", "--db", path, "--json")
    assert code == 0 and data["schema"]["up_to_date"]
    return path


def write(tmp_path: Path, data: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_add_show_list_submit_round_trip(tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, added, _ = run(capsys, "case", "add", "--json", write(tmp_path, sample_case()), "--db", dbfile)
    assert code == 0
    assert set(added) >= {"number", "id"} and added["number"] == "XF2026-000001"
    # --db before the subcommand works as well as after it.
    code, shown, _ = run(capsys, "--db", dbfile, "case", "show", added["number"], "--json")
    assert code == 0
    assert shown["status"] == "受理申请审查中" and shown["channel"] == "来访"
    assert shown["petitioners"][0]["name"] == "张伟"
    assert shown["submissions"][0]["level"] == "县"
    assert shown["deadlines"][0]["rule"] == "R-DL-01" and shown["deadlines"][0]["explanation"]
    assert [e["action"] for e in shown["events"]] == ["register"]

    repeat = {"channel": "来访", "received_on": "2026-11-21", "level": "市", "destination": "来市", "headcount": 2}
    code, sub, _ = run(
        capsys, "case", "submit", added["number"], "--json", write(tmp_path, repeat, "r.json"), "--db", dbfile
    )
    assert code == 0 and (sub["batches"], sub["person_visits"]) == (2, 3)

    code, listed, _ = run(capsys, "case", "list", "--search", "张伟", "--json", "--db", dbfile)
    assert code == 0 and listed["total"] == 1
    assert listed["rows"][0]["number"] == added["number"] and listed["rows"][0]["repeat"] is True
    code, listed, _ = run(
        capsys, "case", "list", "--status", "受理申请审查中", "--limit", "5", "--json", "--db", dbfile
    )
    assert code == 0 and listed["total"] == 1


def test_add_reads_standard_input(dbfile: str, capsys: pytest.CaptureFixture[str], monkeypatch: Any) -> None:
    import io

    payload = json.dumps(sample_case(), ensure_ascii=False).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload), encoding="utf-8"))
    code, added, _ = run(capsys, "case", "add", "--json", "-", "--db", dbfile)
    assert code == 0 and added["number"].startswith("XF2026-")


BAD_INPUTS: dict[str, Any] = {
    "missing name": sample_case(petitioner={"phone": "13800138000"}),
    "empty summary": sample_case(summary="   "),
    "invalid id": sample_case(petitioner={"name": "张伟", "id_number": "110105194912310021"}),
    "ten megabyte summary": sample_case(summary="长" * 10_000_000),
    "control characters": sample_case(petitioner={"name": "张\x00伟"}),
    "future date": sample_case(received_on="2099-01-01"),
    "unknown channel": sample_case(channel="飞鸽传书"),
    "unknown key": sample_case(colour="red"),
    "not an object": ["a", "list"],
    "six representatives": sample_case(headcount=9, representatives=[{"name": f"代表{i}"} for i in range(6)]),
    "zero headcount": sample_case(headcount=0),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_exits_2_with_the_reason_and_changes_nothing(
    case: str, tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "case", "add", "--json", write(tmp_path, sample_case(), "ok.json"), "--db", dbfile)
    db = open_database(dbfile)
    before = content_hash(db)
    code, data, err = run(capsys, "case", "add", "--json", write(tmp_path, BAD_INPUTS[case]), "--db", dbfile)
    assert code == 2
    assert data["error"] and "错误" in err and "Traceback" not in err
    assert content_hash(db) == before
    db.dispose()


def test_malformed_json_and_missing_file(tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"petitioner": {"name": "张伟",', encoding="utf-8")
    code, data, _ = run(capsys, "case", "add", "--json", str(bad), "--db", dbfile)
    assert code == 2 and "JSON 格式错误" in data["error"]
    code, data, _ = run(capsys, "case", "add", "--json", str(tmp_path / "absent.json"), "--db", dbfile)
    assert code == 2 and "无法读取" in data["error"]


def test_error_messages_name_the_field(tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = sample_case(received_on="2026-13-01", summary="")
    code, out, _ = run(capsys, "case", "add", "--json", write(tmp_path, data), "--db", dbfile)
    assert code == 2
    fields = {e["field"]: e["reason"] for e in out["errors"]}
    assert set(fields) == {"received_on", "summary"}
    assert "不能为空" in fields["summary"]


def test_unknown_case_and_bad_arguments_exit_2(dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "case", "show", "XF2026-999999", "--json", "--db", dbfile)[0] == 2
    assert run(capsys, "case", "list", "--status", "不存在", "--json", "--db", dbfile)[0] == 2
    assert run(capsys, "case", "list", "--limit", "0", "--json", "--db", dbfile)[0] == 2
    assert run(capsys, "case", "frobnicate", "--db", dbfile)[0] == 2
    assert run(capsys, "case", "--db", dbfile)[0] == 2


def test_db_check_and_upgrade(dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "db", "check", "--db", dbfile, "--json")
    assert code == 0 and data["ok"] and data["integrity"] == "ok" and data["differences"] == []
    code, data, _ = run(capsys, "db", "upgrade", "--db", dbfile, "--json")
    assert code == 0 and data["before"] == data["after"]


def test_db_upgrade_reports_the_upgrade_it_ran(dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An older database: `db upgrade` says from which revision it came and where the copy is, although checking
    the acting user already opened (and so upgraded) the file (the offline-update smoke of issue 16)."""
    import sqlite3

    from alembic import command

    from xinfang_desktop.persistence.migrate import alembic_config

    head = run(capsys, "db", "upgrade", "--db", dbfile, "--json")[1]["after"]
    cfg = alembic_config()
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{dbfile}")
    with open_database(dbfile).write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "-2")
    with sqlite3.connect(dbfile) as conn:
        old = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    conn.close()
    assert old != head
    code, data, _ = run(capsys, "db", "upgrade", "--db", dbfile, "--json")
    assert code == 0 and (data["before"], data["after"]) == (old, head)
    assert data["backup"] and Path(data["backup"]).is_file() and f"backup-{old}-" in data["backup"]


def test_no_traceback_without_debug(tmp_path: Path) -> None:
    """A failure that is not bad input exits 1 with a one-line message, and a traceback only with --debug."""
    not_a_db = tmp_path / "not-a-db.sqlite3"
    not_a_db.write_bytes(b"this is not a database file" * 100)
    cmd = [sys.executable, "-m", "xinfang_desktop", "case", "list", "--db", str(not_a_db)]
    plain = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr and "错误" in plain.stderr
    debug = subprocess.run([*cmd, "--debug"], capture_output=True, text=True, check=False)
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_import_is_all_or_nothing(tmp_path: Path, dbfile: str, capsys: pytest.CaptureFixture[str]) -> None:
    good = [sample_case(received_on=f"2026-11-{d:02d}") for d in range(1, 11)]
    lines = tmp_path / "cases.jsonl"
    lines.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in good), encoding="utf-8")
    code, out, _ = run(capsys, "case", "import", str(lines), "--json", "--db", dbfile)
    assert code == 0 and out["imported"] == 10
    assert out["numbers"] == [f"XF2026-{i:06d}" for i in range(1, 11)]
    code, listed, _ = run(capsys, "case", "list", "--search", "张伟", "--json", "--db", dbfile)
    assert listed["total"] == 10  # imported cases are searchable at once

    db = open_database(dbfile)
    before = content_hash(db)
    bad = [*good, sample_case(summary="")]
    code, out, _ = run(capsys, "case", "import", write(tmp_path, bad, "bad.json"), "--json", "--db", dbfile)
    assert code == 2 and out["errors"][0]["field"] == "[10].summary"
    assert content_hash(db) == before
    db.dispose()
