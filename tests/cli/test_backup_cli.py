"""`xinfang backup list|create|verify|restore` (issue 17): JSON contract, exit codes, a restore only with --yes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database


class Cli:
    def __init__(self, db: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys

    def __call__(self, *argv: str) -> tuple[int, Any]:
        code = main([*argv, "--json", "--db", self.db])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    c = Cli(str(tmp_path / "ledger.sqlite3"), capsys)
    assert c("init")[0] == 0
    return c


def _add_case(cli: Cli, summary: str) -> None:
    source = Path(cli.db).with_name(f"case-{abs(hash(summary))}.json")
    source.write_text(json.dumps(sample_case(summary=summary), ensure_ascii=False), encoding="utf-8")
    code, out = cli("case", "add", str(source))
    assert code == 0, out


def test_create_list_verify_restore(cli: Cli, tmp_path: Path) -> None:
    code, empty = cli("backup", "list")
    assert code == 0 and empty["generations"] == [] and empty["folder"].endswith("ledger.backups")
    _add_case(cli, "备份前的事项")
    code, made = cli("backup", "create")
    assert code == 0 and made["verified"]["ok"] and made["counts"]["cases"] == 1
    assert set(made) >= {"name", "path", "created_at", "reason", "counts", "files", "size", "verified"}
    code, listed = cli("backup", "list")
    assert [g["name"] for g in listed["generations"]] == [made["name"]]
    code, verified = cli("backup", "verify", made["name"])
    assert code == 0 and verified["ok"] and verified["results"][0]["integrity"] == "ok"

    _add_case(cli, "备份后的事项")
    db = open_database(cli.db)
    before = content_hash(db)
    code, preview = cli("backup", "restore")  # no --yes: the preview only
    assert code == 0 and preview["restored"] is False
    cases = next(r for r in preview["counts"] if r["table"] == "cases")
    assert (cases["backup"], cases["current"]) == (1, 2) and preview["generation"]["name"] == made["name"]
    assert content_hash(db) == before
    db.dispose()

    code, done = cli("backup", "restore", made["name"], "--yes")
    assert code == 0 and done["restored"] and done["safety_backup"], done
    code, listed = cli("case", "list")
    assert code == 0
    code, check = cli("db", "check")
    assert code == 0 and check["ok"]
    code, listed = cli("backup", "list")
    assert {g["reason"] for g in listed["generations"]} == {"manual", "before-restore"}


def test_verify_fails_with_exit_1_and_bad_names_exit_2(cli: Cli) -> None:
    code, made = cli("backup", "create")
    assert code == 0
    conn = sqlite3.connect(Path(made["path"]) / "database.sqlite3")
    conn.execute("DELETE FROM regions")
    conn.commit()
    conn.close()
    code, verified = cli("backup", "verify", "--all")
    assert code == 1 and not verified["ok"] and "regions" in verified["results"][0]["counts_differ"]
    db = open_database(cli.db)
    before = content_hash(db)
    code, out = cli("backup", "restore", made["name"], "--yes")
    assert code == 2 and "校验未通过" in out["error"]
    code, out = cli("backup", "restore", "no-such-backup", "--yes")
    assert code == 2 and "没有名为" in out["error"]
    assert content_hash(db) == before
    db.dispose()


def test_text_output(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "create", "--db", cli.db]) == 0
    assert "已重新打开校验" in capsys.readouterr().out
    assert main(["backup", "restore", "--db", cli.db]) == 0
    out = capsys.readouterr().out
    assert "信访事项：备份中 0，现在 0" in out and "确认恢复请加 --yes" in out
