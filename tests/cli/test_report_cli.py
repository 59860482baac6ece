"""`xinfang report period|sanwu|ranking` and `xinfang export national` on a demo database (issue 14): the exact
contract (flags, JSON keys, exit codes), the files written, and bad input refused with exit code 2 and nothing
written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.reports.period_fixture import build_demo
from xinfang_desktop.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("report_cli") / "demo.sqlite3")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, Any]:
    code = main([*argv, "--db", str(db)])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip().startswith("{") else out


def test_period_json_by_destination(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, demo, "report", "period", "--from", "2026-03-01", "--to", "2026-03-31", "--json")
    assert code == 0
    assert data["by"] == "destination" and data["caliber"]["id"] == "natural"
    assert {"period", "same_period_last_year", "previous_period", "rows", "total", "special", "trend", "notes"} <= set(
        data
    )
    row = data["rows"][0]
    assert row["name"] == "来县"
    assert set(row) >= {"current", "same_period_last_year", "previous_period", "yoy", "mom", "by_channel"}
    assert set(row["current"]) == {"batches", "person_visits"}
    assert [s["name"] for s in data["special"]] == ["集体访", "越级访", "重复访", "非正常上访"]


def test_period_caliber_and_groupings(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(
        capsys, demo, "report", "period", "--from", "2026-03-01", "--to", "2026-03-31", "--caliber", "21-20", "--json"
    )
    assert code == 0 and data["period"]["from"] == "2026-02-21" and data["period"]["to"] == "2026-03-20"
    assert "上月21日至本月20日" in data["caliber"]["note"]
    for by in ("category", "locality", "unit", "channel"):
        code, data = run(
            capsys, demo, "report", "period", "--from", "2026-01-01", "--to", "2026-06-30", "--by", by, "--json"
        )
        assert code == 0 and data["by"] == by and data["rows"], by
        assert sum(r["current"]["batches"] for r in data["rows"]) == data["total"]["current"]["batches"]


def test_period_xlsx_and_pdf_files(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx, pdf = tmp_path / "p.xlsx", tmp_path / "p.pdf"
    code, data = run(
        capsys, demo, "report", "period", "--from", "2026-01-01", "--to", "2026-03-31", "--xlsx", str(xlsx)
    )
    assert code == 0 and xlsx.exists() and "已导出" in data
    assert load_workbook(xlsx).sheetnames[0] == "信访情况统计"
    code, data = run(
        capsys, demo, "report", "period", "--from", "2026-01-01", "--to", "2026-03-31", "--pdf", str(pdf), "--json"
    )
    assert code == 0 and data["pdf"]["pages"] >= 1 and pdf.read_bytes().startswith(b"%PDF")


def test_sanwu_and_ranking(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run(capsys, demo, "report", "sanwu", "--period", "2026", "--json")
    assert code == 0 and len(data["townships"]) >= 10
    assert all(set(t) >= {"name", "sanwu", "conditions", "events"} for t in data["townships"])
    code, data = run(capsys, demo, "report", "ranking", "--quarter", "2026Q1", "--today", "2026-11-20", "--json")
    assert code == 0 and data["quarter"] == "2026Q1" and data["formula"].startswith("综合得分")
    assert [t["by"] for t in data["tables"]] == ["township", "unit"]
    assert "rectification_listing" in data
    for flag, name in (("--xlsx", "r.xlsx"), ("--pdf", "r.pdf")):
        target = tmp_path / name
        code, _ = run(capsys, demo, "report", "ranking", "--quarter", "2026Q1", flag, str(target))
        assert code == 0 and target.stat().st_size > 1000


def test_export_national(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "national.xlsx"
    code, data = run(
        capsys, demo, "export", "national", "--from", "2026-01-01", "--to", "2026-02-28", "-o", str(out), "--json"
    )
    assert code == 0 and data["cases"] > 0 and data["headers"][0] == "信访件编号"
    wb = load_workbook(out, read_only=True)
    assert sum(1 for _ in wb["信访件"].iter_rows()) == data["cases"] + 1
    wb.close()


@pytest.mark.parametrize(
    "argv",
    [
        ("report", "period", "--from", "2026-03-31", "--to", "2026-03-01", "--json"),
        ("report", "period", "--from", "2026-13-01", "--to", "2026-03-31", "--json"),
        ("report", "period", "--from", "2026-03-01", "--to", "2026-03-31", "--by", "county", "--json"),
        ("report", "period", "--from", "2026-03-01", "--to", "2026-03-31", "--caliber", "26-25", "--json"),
        ("report", "period", "--from", "2026-03-01", "--to", "2026-03-31"),  # no output chosen
        ("report", "period", "--from", "2026-03-01", "--to", "2026-03-31", "--xlsx", "out.csv"),
        ("report", "period", "--from", "2026-03-01", "--to", "2026-03-31", "--xlsx", "a.xlsx", "--pdf", "a.pdf"),
        ("report", "period", "--to", "2026-03-31", "--json"),
        ("report", "sanwu", "--period", "2026Q5", "--json"),
        ("report", "ranking", "--quarter", "2026-03", "--json"),
        ("report", "ranking", "--quarter", "2026Q3", "--pdf", "/no/such/dir/r.pdf"),
        ("export", "national", "--from", "2026-03-01", "--to", "2026-01-01", "-o", "n.xlsx"),
        ("export", "national", "--from", "2026-01-01", "--to", "2026-03-01", "-o", "n.pdf"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    demo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    before = _digest(demo)
    code = main([*argv, "--db", str(demo)])
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "错误" in captured.err
    assert _digest(demo) == before
    assert list(tmp_path.iterdir()) == []


def test_caliber_and_weights_are_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "settings.sqlite3"
    assert main(["init", "--db", str(db)]) == 0
    capsys.readouterr()
    code, shown = run(capsys, db, "settings", "show", "--json")
    assert code == 0 and shown["statistics_caliber"] == "natural"
    assert main(["settings", "set", "statistics_caliber", "21-20", "--db", str(db)]) == 0
    capsys.readouterr()
    code, data = run(capsys, db, "report", "period", "--from", "2026-03-01", "--to", "2026-03-31", "--json")
    assert code == 0 and data["caliber"]["id"] == "21-20" and data["period"]["from"] == "2026-02-21"
    weights = '{"rates": {"on_time_conclusion": 60, "satisfaction": 40}, "deductions": {"abnormal_capital": 3}}'
    assert main(["settings", "set", "ranking_weights", weights, "--db", str(db)]) == 0
    capsys.readouterr()
    code, data = run(capsys, db, "report", "ranking", "--quarter", "2026Q1", "--json")
    assert code == 0 and data["formula"].startswith("综合得分 = 按期办结率×60% + 群众满意率×40% − 进京非访批次×3分")
    for key, value in (("statistics_caliber", "26-25"), ("ranking_weights", '{"rates": {"satisfaction": 50}}')):
        assert main(["settings", "set", key, value, "--db", str(db)]) == 2
    assert "权重之和应为100" in capsys.readouterr().err
