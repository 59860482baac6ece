"""`xinfang warn|backlog|inquiry|review` (the issue 8 contract), SQLite and PostgreSQL; bad input exits 2 unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop import cli
from xinfang_desktop.persistence.database import open_database

MODULE = "xinfang_desktop.commands.warnings_cmd"


class Cli:
    def __init__(self, db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.db, self.capsys, self.tmp = db, capsys, tmp_path

    def __call__(self, *argv: str) -> tuple[int, Any]:
        code = cli.main([*argv, "--json", "--db", self.db])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    def write(self, name: str, data: Any) -> str:
        path = self.tmp / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    def add(self) -> str:
        data = sample_case(received_on="2024-09-02", level="乡镇", responsible_unit="县自然资源局")
        code, out = self("case", "add", self.write("case.json", data), "--today", "2024-12-31")
        assert code == 0, out
        return str(out["number"])

    def visit(self, number: str, on: str, level: str, **extra: Any) -> None:
        path = self.write("sub.json", {"channel": "来访", "received_on": on, "level": level, **extra})
        code, out = self("case", "submit", number, path, "--today", "2024-12-31")
        assert code == 0, out

    def unchanged(self, *argv: str) -> Any:
        """Run a command that must fail with exit code 2 and leave the database as it was."""
        db = open_database(self.db)
        before = content_hash(db)
        code, out = self(*argv)
        assert code == 2, out
        assert content_hash(db) == before
        db.dispose()
        return out


@pytest.fixture
def wcli(db_target: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    if MODULE not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, MODULE))
    c = Cli(db_target, capsys, tmp_path)
    assert c("unit", "add", "县自然资源局")[0] == 0
    return c


def test_warn_scan_issue_receipt_list_explain(wcli: Cli) -> None:
    number = wcli.add()
    wcli.visit(number, "2024-09-10", "县")
    wcli.visit(number, "2024-09-20", "市")
    code, out = wcli("warn", "scan", "--today", "2024-09-21")
    assert code == 0
    [cand] = out["candidates"]
    assert cand["number"] == number and [v["date"] for v in cand["visits"]] == ["2024-09-10", "2024-09-20"]

    code, slip = wcli("warn", "issue", number, "--today", "2024-09-25")
    assert code == 0, slip
    slip_no = slip["number"]
    assert slip["trigger"] == "repeat_visits" and slip["document_id"] > 0
    code, docs = wcli("doc", "list", "--case", number)
    assert code == 0 and any(d["number"] == slip_no and d["type"] == "warning_slip" for d in docs["documents"])

    wcli.unchanged("warn", "issue", number, "--today", "2024-09-26")  # already warned
    wcli.unchanged("warn", "receipt", slip_no, "--date", "2024-13-01")
    wcli.unchanged("warn", "receipt", "没有这个号", "--date", "2024-09-26")
    assert wcli("warn", "receipt", slip_no, "--date", "2024-09-26", "--today", "2024-09-26")[0] == 0

    wcli.visit(number, "2024-09-30", "县")
    wcli.visit(number, "2024-10-14", "省")
    assert wcli("warn", "scan", "--today", "2024-10-14")[0] == 0
    code, out = wcli("warn", "list", "--today", "2024-10-14")
    assert code == 0
    [listed] = out["slips"]
    assert [(e["due_on"], e["addressee"], e["status"]) for e in listed["explanations"]] == [
        ("2024-10-10", "上级信访工作领导小组组长", "overdue"),
        ("2024-10-17", "上级党政主要领导", "owed"),
    ]
    code, out = wcli("warn", "explain", slip_no, "--date", "2024-10-15", "--today", "2024-10-15")
    assert code == 0 and out["explanations"][0]["status"] == "received_late"
    wcli.unchanged("warn", "explain", slip_no, "--date", "2099-01-01", "--today", "2024-10-15")


def test_warn_issue_by_hand_requires_a_reason(wcli: Cli) -> None:
    number = wcli.add()
    out = wcli.unchanged("warn", "issue", number, "--today", "2024-09-05")
    assert "R-WS-01" in out["error"]
    code, slip = wcli("warn", "issue", number, "--reason", "扬言进京上访", "--today", "2024-09-05")
    assert code == 0 and slip["trigger"] == "other_risk"


def test_backlog_inquiry_and_review_commands(wcli: Cli, tmp_path: Path) -> None:
    number = wcli.add()
    assert wcli("case", "act", number, "accept", "--date", "2024-09-03", "--unit", "县自然资源局")[0] == 0
    wcli.unchanged("inquiry", "create", number, "--today", "2024-11-10")  # not a backlog case
    path = wcli.write("letter.json", {"channel": "来信", "received_on": "2024-11-20", "level": "县"})
    assert wcli("case", "submit", number, path, "--today", "2024-12-31")[0] == 0
    assert wcli("warn", "scan", "--today", "2024-11-21")[0] == 0
    code, out = wcli("backlog", "list", "--today", "2024-11-21")
    assert code == 0 and out["total"] == 1 and out["cases"][0]["missed_rule"] == "R-DL-06"
    assert {t["origin"]: t["target"] for t in out["targets"]}["national"] == 1.0

    code, out = wcli("inquiry", "show", number, "--today", "2024-11-21")
    # Detected when the repeat letter of 2024-11-20 was registered: 15 工作日 from that day.
    assert code == 0 and out["handling"]["due_on"] == "2024-12-11"
    wcli.unchanged("inquiry", "record", number, "--handling", "--date", "2024-11-25", "--today", "2024-11-25")
    wcli.unchanged("inquiry", "record", number, "--accountability", "--pursued", "也许", "--outcome", "x")
    code, out = wcli(
        "inquiry", "record", number, "--handling", "--first-unit", "县自然资源局", "--handler", "李四",
        "--findings", "未按期办结", "--date", "2024-11-25", "--today", "2024-11-25",
    )  # fmt: skip
    assert code == 0 and out["handling"]["handler"] == "李四"

    wcli.visit(number, "2024-11-22", "国家", headcount=6)
    assert wcli("warn", "scan", "--today", "2024-11-22")[0] == 0
    code, out = wcli("review", "list", "--today", "2024-11-22")
    assert code == 0
    [review] = out["reviews"]
    assert review["triggers"] == ["进京集体上访"] and review["status"] == "due"
    wcli.unchanged("review", "create", number, "--seq", "3", "--today", "2024-11-22")  # exists
    video = tmp_path / "会审.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    wcli.unchanged("review", "record", str(review["id"]), "--participant", "路人:甲")
    wcli.unchanged("review", "record", "abc")
    wcli.unchanged("review", "record", str(review["id"]), "--file", str(tmp_path / "missing.mp4"))
    code, out = wcli(
        "review", "record", str(review["id"]), "--held-on", "2024-11-28", "--participant", "领导:县委书记王某",
        "--participant", "事权单位:县自然资源局", "--participant", "专家:赵律师", "--met-petitioner",
        "--file", str(video), "--city-copy", "2024-11-29", "--today", "2024-11-29",
    )  # fmt: skip
    assert code == 0, out
    assert out["status"] == "held" and out["manifest"][0]["kind"] == "video"
    code, out = wcli("review", "show", str(review["id"]), "--today", "2024-11-29")
    assert code == 0 and out["damaged_files"] == []
