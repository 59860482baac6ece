"""`xinfang views`: a user's saved ledger views from the command line; bad input exits 2 with the database unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import content_hash
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_views_save_list_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "v.sqlite3")
    code, saved = run(capsys, "views", "save", "我的待办", "--state", '{"search": "张"}', "--user", "alice", "--db", db)
    assert code == 0 and saved == {"user": "alice", "own": {"我的待办": {"search": "张"}}, "shared": {}}
    assert run(capsys, "views", "list", "--user", "bob", "--db", db) == (0, {"user": "bob", "own": {}, "shared": {}})
    assert run(capsys, "views", "list", "--user", "alice", "--db", db)[1] == saved
    code, after = run(capsys, "views", "delete", "我的待办", "--user", "alice", "--db", db)
    assert code == 0 and after["own"] == {}


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "v.sqlite3")
    assert run(capsys, "views", "list", "--db", db)[0] == 0  # the database exists
    database = open_database(db)
    before = content_hash(database)
    for argv in (
        ("views", "save", "x", "--state", "{bad json"),
        ("views", "save", "x", "--state", '["a list"]'),
        ("views", "save", "", "--state", "{}"),
        ("views", "delete", "没有这个视图"),
    ):
        code, out = run(capsys, *argv, "--user", "alice", "--db", db)
        assert code == 2 and out["error"], argv
    assert content_hash(database) == before
    database.dispose()
