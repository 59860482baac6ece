"""`xinfang rectification …` (挂牌整治, R-AS-02) on a demo database: listing from the quarter's ranking twice adds
nothing, the explanation with its file, the 约谈, the 摘牌, the ranking report showing each listed group's state, and
bad input refused with exit code 2 and the database unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import JsonCli
from xinfang_desktop.cli import main

TODAY = "2026-10-09"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rect") / "demo.sqlite3"
    assert main(["init", "--db", str(path)]) == 0
    assert main(["demo", "--cases", "2000", "--seed", "7", "--today", TODAY, "--db", str(path)]) == 0
    return path


@pytest.fixture
def cli(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> JsonCli:
    copy = tmp_path / "office.sqlite3"
    copy.write_bytes(demo_db.read_bytes())
    capsys.readouterr()
    return JsonCli(str(copy), capsys)


def test_from_ranking_is_idempotent_and_the_ranking_shows_the_state(cli: JsonCli) -> None:
    code, ranking = cli("report", "ranking", "--quarter", "2026Q3", "--today", TODAY)
    assert code == 0
    listed = ranking["rectification_listing"]
    assert listed and all(item["listing"] is None for item in listed)
    assert "尚未登记挂牌" in ranking["rectification_note"]
    code, out = cli("rectification", "from-ranking", "--quarter", "2026Q3", "--today", TODAY)
    assert code == 0, cli.err
    keyed = [i for i in listed if i["key"]]
    assert len(out["added"]) == len(keyed) and out["explanation_workdays"] == 10
    assert {(r["group_kind"], r["key"]) for r in out["added"]} == {(i["by"], i["key"]) for i in keyed}
    assert all(r["explanation_due"] == "2026-10-22" for r in out["added"])  # Fri + 10 工作日 (make-up Sat 10-10)
    before = cli.content_hash()
    code, again = cli("rectification", "from-ranking", "--quarter", "2026Q3", "--today", TODAY)
    assert code == 0 and again["added"] == [] and len(again["already_listed"]) == len(keyed)
    code, ranking = cli("report", "ranking", "--quarter", "2026Q3", "--today", TODAY)
    assert all(i["listing"]["mark"] == "listed" for i in ranking["rectification_listing"] if i["key"])
    assert ranking["rectification_note"].startswith("挂牌整治对象：待书面说明")
    # Ranked again as of a later day (the 办理状态 moved on), the groups listed on 10-09 show their clock overdue
    code, ranking = cli("report", "ranking", "--quarter", "2026Q3", "--today", "2026-10-23")
    recorded = ranking["rectification_recorded"]
    assert {(i["by"], i["key"]) for i in recorded} == {(r["group_kind"], r["key"]) for r in out["added"]}
    assert {i["mark"] for i in recorded} == {"overdue"}
    rows = [r for t in ranking["tables"] for r in t["rows"] if r["listing"]]
    assert len(rows) == len(recorded)  # shown in the table whether or not the ranking of 10-23 lists them
    assert cli.content_hash() == before  # neither the second listing nor the reports wrote anything


def test_the_chain_explain_interview_lift_show(cli: JsonCli, tmp_path: Path) -> None:
    code, out = cli("rectification", "from-ranking", "--quarter", "2026Q3", "--today", TODAY)
    first = out["added"][0]["id"]
    paper = tmp_path / "书面说明.pdf"
    paper.write_bytes(b"%PDF-1.4 explanation")
    code, r = cli(
        "rectification", "explain", str(first), "--date", "2026-10-20", "--summary", "已排查化解重点信访事项",
        "--file", str(paper), "--today", "2026-10-20",
    )  # fmt: skip
    assert code == 0, cli.err
    assert r["state"] == "explained" and r["explanation"]["attachment"]["name"] == "书面说明.pdf"
    assert r["explanation"]["clock"]["label"] == "按期提交"
    code, r = cli(
        "rectification", "interview", str(first), "--date", "2026-10-21", "--by", "市委副书记王某",
        "--persons", "乡党委书记、乡长", "--notes", "要求限期整改", "--today", "2026-10-21",
    )  # fmt: skip
    assert code == 0 and r["state"] == "interviewed" and r["interview"]["notes"] == "要求限期整改"
    code, r = cli("rectification", "lift", str(first), "--date", "2026-11-02", "--reason", "整改到位",
                  "--today", "2026-11-02")  # fmt: skip
    assert code == 0 and r["state"] == "lifted"
    code, shown = cli("rectification", "show", str(first), "--today", "2026-11-02")
    assert code == 0 and shown["lifted"]["reason"] == "整改到位" and shown["interview"]["by"] == "市委副书记王某"
    code, listing = cli("rectification", "list", "--quarter", "2026Q3", "--open", "--today", "2026-11-02")
    assert code == 0 and first not in [row["id"] for row in listing["rows"]]
    assert listing["total"] == len(out["added"]) - 1
    # Chinese text without --json
    assert main(["rectification", "show", str(first), "--today", "2026-11-02", "--db", cli.db]) == 0
    text = cli.capsys.readouterr().out
    assert "已摘牌" in text and "书面说明摘要：已排查化解重点信访事项" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["from-ranking", "--quarter", "2026Q4", "--today", TODAY], "季度排名尚未确定"),
        (["from-ranking", "--quarter", "2026-09", "--today", TODAY], "季度格式错误"),
        (["from-ranking", "--quarter", "2026Q5"], "期间格式错误"),
        (["explain", "1", "--date", "2026-13-01", "--summary", "x"], "提交日期（--date）格式错误"),
        (["explain", "1", "--date", "2026-10-12", "--summary", "x", "--today", "2026-10-10"], "晚于今天"),
        (
            ["explain", "1", "--date", "2026-10-12", "--summary", "x", "--file", "/nonexistent.pdf"],
            "找不到书面说明文件",
        ),
        (["explain", "999", "--date", "2026-10-12", "--summary", "x", "--today", "2026-10-12"], "没有编号为 999"),
        (["explain", "0", "--date", "2026-10-12", "--summary", "x"], "正整数"),
        (
            ["interview", "1", "--date", "2026-10-12", "--by", " ", "--persons", "x", "--today", "2026-10-12"],
            "约谈领导",
        ),
        (["lift", "1", "--date", "2026-10-01", "--reason", "x", "--today", "2026-10-12"], "早于挂牌日期"),
        (["lift", "1", "--date", "2026-10-12", "--reason", "", "--today", "2026-10-12"], "摘牌理由"),
        (["list", "--quarter", "2026"], "季度格式错误"),
    ],
)
def test_bad_input_exit_2_and_nothing_written(cli: JsonCli, argv: list[str], message: str) -> None:
    assert cli("rectification", "from-ranking", "--quarter", "2026Q3", "--today", TODAY)[0] == 0
    before = cli.content_hash()
    code, data = cli("rectification", *argv)
    assert code == 2
    assert message in (json.dumps(data, ensure_ascii=False) if data else "") + cli.err
    assert cli.content_hash() == before


def test_duty_compliance_carries_the_explanations_owed(cli: JsonCli) -> None:
    """R-AS-02 in 职责落实: each listed group's written explanation is a row of `duty compliance` — open while its
    10 working days run, red once they passed without it, green when it came — and can be asked for alone."""
    code, out = cli("rectification", "from-ranking", "--quarter", "2026Q3", "--today", TODAY)
    assert code == 0 and out["added"]
    first, second = out["added"][0], out["added"][1] if len(out["added"]) > 1 else None
    comp = ("duty", "compliance", "--period", "2026Q4", "--kind", "rectification_explanation")
    code, data = cli(*comp, "--today", TODAY)
    assert code == 0, cli.err
    rows = {r["listing_id"]: r for r in data["rows"]}
    assert set(rows) == {a["id"] for a in out["added"]} and rows[first["id"]]["status"] == "open"
    assert [k["kind"] for k in data["kinds"]] == ["rectification_explanation"]
    assert cli("rectification", "explain", str(first["id"]), "--date", "2026-10-15", "--summary", "已说明",
               "--today", "2026-10-15")[0] == 0  # fmt: skip
    code, late = cli(*comp, "--today", "2026-11-30")
    rows = {r["listing_id"]: r for r in late["rows"]}
    assert rows[first["id"]]["status"] == "met" and rows[first["id"]]["light"] == "green"
    if second is not None:
        assert rows[second["id"]]["status"] == "missed" and "逾期未交" in rows[second["id"]]["missing"][0]
    assert late["summary"]["met"] + late["summary"]["missed"] == len(late["rows"])
    # With every duty: the profile's duties and the explanations together, counted in one summary.
    code, everything = cli("duty", "compliance", "--period", "2026Q4", "--today", "2026-11-30")
    kinds = {r["kind"] for r in everything["rows"]}
    assert "rectification_explanation" in kinds and "dispute_screening" in kinds
    assert sum(everything["summary"].values()) == len(everything["rows"])
