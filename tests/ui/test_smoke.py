"""The smoke-mode contract, run as the packaged build and CI run it: a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def _first_json(text: str) -> dict[str, Any]:
    value, _end = json.JSONDecoder().raw_decode(text.lstrip())
    assert isinstance(value, dict)
    return value


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XINFANG_DATA_DIR": str(tmp_path / "data")}
    env.pop("XINFANG_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "xinfang_desktop", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_smoke_visits_every_section_and_saves_screenshots(tmp_path: Path, ledger_db_path: Path):
    shots = tmp_path / "shots"
    done = _run(["gui", "--smoke", "--screenshot", str(shots), "--json", "--db", str(ledger_db_path)], tmp_path)
    assert done.returncode == 0, done.stderr
    report = _first_json(done.stdout)
    assert set(report) == {"startup_ms", "first_rows_ms", "sections"}
    assert report["startup_ms"] > 0 and report["first_rows_ms"] > 0
    titles = [s["title"] for s in report["sections"]]
    assert titles[:8] == ["工作台", "信访台账", "来信来访登记", "领导包案", "预警与积案", "文书", "统计", "设置"]
    assert titles[8:] == ["责任落实", "账号与安全"]
    assert next(s for s in report["sections"] if s["key"] == "ledger")["rows"] == 200
    pngs = sorted(shots.glob("*.png"))
    assert len(pngs) == 10
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_smoke_creates_the_default_database_on_first_start(tmp_path: Path):
    done = _run(["gui", "--smoke", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "xinfang.sqlite3").is_file()
    assert _first_json(done.stdout)["sections"][1]["rows"] == 0


@pytest.mark.parametrize("kind", ["newer"])
def test_smoke_fails_on_a_database_from_a_newer_version(tmp_path: Path, kind: str):
    import sqlite3

    from xinfang_desktop.persistence.database import open_database

    path = tmp_path / "newer.sqlite3"
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    done = _run(["gui", "--smoke", "--json", "--db", str(path)], tmp_path)
    assert done.returncode == 1
    assert "无法打开数据库" in done.stderr
