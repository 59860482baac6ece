"""`xinfang demo` and `xinfang reference seed` through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xinfang_desktop.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip().startswith("{") else {}, err


def test_demo_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "demo.sqlite3")
    code, data, _ = _run(capsys, "demo", "--cases", "250", "--seed", "3", "--today", "2026-11-22", "--db", db, "--json")
    assert code == 0
    assert data["cases"] == 250 and data["petitioners"] >= 250 and data["submissions"] >= 250  # type: ignore[operator]
    assert isinstance(data["seconds"], float | int) and data["database"] == str(Path(db).resolve())


def test_demo_text_reports_progress_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(tmp_path / "d.sqlite3"), "demo", "--cases", "120", "--today", "2026-11-22"])
    out, err = capsys.readouterr()
    assert code == 0 and "已生成演示数据" in out and "120/120" in err


@pytest.mark.parametrize("cases", ["0", "5000001", "-3", "many"])
def test_demo_rejects_bad_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str], cases: str) -> None:
    db = tmp_path / "bad.sqlite3"
    code, data, err = _run(capsys, "demo", f"--cases={cases}", "--db", str(db), "--json")
    assert code == 2 and "--cases" in str(data["error"]) and "错误" in err
    assert not db.exists()


def test_demo_rejects_future_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = _run(
        capsys, "demo", "--cases", "5", "--today", "2999-01-01", "--db", str(tmp_path / "f.db"), "--json"
    )
    assert code == 2 and "--today" in str(data["error"])


def test_reference_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "ref.sqlite3")
    code, data, _ = _run(capsys, "reference", "seed", "--no-example", "--db", db, "--json")
    assert code == 0 and data["categories"] > 0 and data["regions"] == 0  # type: ignore[operator]
    code, data, _ = _run(capsys, "reference", "seed", "--db", db, "--json")
    assert code == 0 and data["categories"] == 0 and data["regions"] > 0 and data["units"] > 0  # type: ignore[operator]
    code, data, _ = _run(capsys, "reference", "seed", "--db", db, "--json")
    assert (data["categories"], data["regions"], data["units"]) == (0, 0, 0)
