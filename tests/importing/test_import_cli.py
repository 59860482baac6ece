"""`xinfang import inspect|run|profiles`: the CLI contract of issue 15 (flags, JSON keys, exit codes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from tests.importing.fixtures import TODAY, messy_ledger, messy_mapping, national_sheet
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def dbpath(tmp_path: Path) -> str:
    path = str(tmp_path / "c.sqlite3")
    assert main(["init", "--db", path]) == 0
    return path


def test_inspect_json(dbpath: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    path = messy_ledger(tmp_path / "台账.xlsx")
    code, data = run(capsys, "import", "inspect", str(path), "--db", dbpath)
    assert code == 0
    assert {"sheets", "sheet", "header_row", "mapping", "encoding", "columns", "missing"} <= set(data)
    assert data["sheets"] == ["2026年台账"] and data["header_row"] == 4 and data["encoding"] is None
    assert data["columns"][1] == {
        "header": "姓名",
        "field": "name",
        "samples": ["张伟", "李娜", "王强", "张伟", "赵敏"],
    }
    assert data["missing"] == [{"field": "purpose", "label": "信访目的"}]
    code, data = run(capsys, "import", "inspect", str(path), "--sheet", "没有", "--db", dbpath)
    assert code == 2 and "没有名为" in data["error"]


def test_run_exit_codes(dbpath: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    path = messy_ledger(tmp_path / "台账.xlsx")
    db = open_database(dbpath)
    before = content_hash(db)
    code, data = run(capsys, "import", "run", str(path), "--today", TODAY.isoformat(), "--db", dbpath)
    assert code == 2 and "信访目的" in data["error"]  # the mapping is incomplete
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps(messy_mapping(), ensure_ascii=False), encoding="utf-8")
    args = ("import", "run", str(path), "--mapping", str(mapping), "--today", TODAY.isoformat(), "--db", dbpath)
    code, data = run(capsys, *args, "--dry-run")
    assert code == 2 and data["dry_run"] and (data["cases"], data["submissions"], data["skipped"]) == (3, 1, 1)
    assert [(e["row"], e["column"]) for e in data["errors"]] == [(6, "身份证号"), (9, "来访日期")]
    code, data = run(capsys, *args)
    assert code == 2 and not data["committed"]
    assert content_hash(db) == before
    errors = tmp_path / "bad.xlsx"
    code, data = run(capsys, *args, "--skip-bad-rows", "--errors-xlsx", str(errors))
    assert code == 0 and data["committed"] and data["cases"] == 3 and data["errors_xlsx"] == str(errors)
    assert errors.exists()
    code, data = run(capsys, *args, "--skip-bad-rows")
    assert code == 0 and data["cases"] == 0 and data["skipped"] == 5  # 4 imported before + the total row
    db.dispose()


def test_profiles(dbpath: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps(messy_mapping(), ensure_ascii=False), encoding="utf-8")
    code, data = run(capsys, "import", "profiles", "save", "乡镇台账", "--mapping", str(mapping), "--db", dbpath)
    assert code == 0 and data["profiles"]["乡镇台账"]["defaults"] == {"purpose": "求决"}
    assert run(capsys, "import", "profiles", "list", "--db", dbpath)[1]["profiles"].keys() == {"乡镇台账"}
    path = messy_ledger(tmp_path / "台账.xlsx")
    code, data = run(
        capsys,
        "import",
        "run",
        str(path),
        "--profile",
        "乡镇台账",
        "--dry-run",
        "--today",
        TODAY.isoformat(),
        "--db",
        dbpath,
    )
    assert code == 2 and data["cases"] == 3  # the profile completes the mapping; the two bad rows remain
    bad = tmp_path / "bad.json"
    bad.write_text('{"columns": {"姓名": "nonsense"}}', encoding="utf-8")
    code, data = run(capsys, "import", "profiles", "save", "坏", "--mapping", str(bad), "--db", dbpath)
    assert code == 2 and "未知字段" in data["error"]
    code, data = run(capsys, "import", "profiles", "delete", "乡镇台账", "--db", dbpath)
    assert code == 0 and data["profiles"] == {}
    assert run(capsys, "import", "profiles", "delete", "乡镇台账", "--db", dbpath)[0] == 2
    assert run(capsys, "import", "run", str(path), "--profile", "没有", "--db", dbpath)[0] == 2


def test_national_sheet_by_cli(dbpath: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    path = national_sheet(tmp_path / "n.xlsx")
    code, data = run(capsys, "import", "run", str(path), "--today", TODAY.isoformat(), "--db", dbpath)
    assert code == 0 and (data["cases"], data["submissions"]) == (4, 1)
    code, queue = run(capsys, "queue", "overdue", "--today", TODAY.isoformat(), "--db", dbpath)
    assert code == 0 and len(queue["rows"]) >= 1
