"""The half-yearly evaluation of S4 §18 (R-AS-02) on a demo database: `report ranking --half 2026H1` with its JSON,
xlsx and PDF titled 半年评价; `rectification from-ranking --half` idempotent, `list --half`, the next half year's
evaluation lifting; the explanations owed in duty compliance; bad input exit 2 with the database unchanged; the
quarterly commands as before."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.helpers import JsonCli
from xinfang_desktop.cli import main

TODAY = "2026-10-09"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("half") / "demo.sqlite3"
    assert main(["init", "--db", str(path)]) == 0
    assert main(["demo", "--cases", "2000", "--seed", "7", "--today", TODAY, "--db", str(path)]) == 0
    assert main(["settings", "set", "rule_profile", "hengyang", "--db", str(path)]) == 0
    return path


@pytest.fixture
def cli(demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> JsonCli:
    copy = tmp_path / "office.sqlite3"
    copy.write_bytes(demo_db.read_bytes())
    capsys.readouterr()
    return JsonCli(str(copy), capsys)


def test_report_ranking_half(cli: JsonCli, tmp_path: Path) -> None:
    code, data = cli("report", "ranking", "--half", "2026H1", "--today", TODAY)
    assert code == 0, cli.err
    assert (data["quarter"], data["period"], data["period_kind"]) == ("2026H1", "2026H1", "half_year")
    assert (data["from"], data["to"], data["label"]) == ("2026-01-01", "2026-06-30", "2026年上半年")
    assert data["title"] == "2026年上半年信访工作半年评价" and data["evaluation"] == "半年评价"
    assert data["rectification_listing"] and "尚未登记挂牌" in data["rectification_note"]
    # six months counted: more visits than the first quarter alone
    code, q1 = cli("report", "ranking", "--quarter", "2026Q1", "--today", TODAY)
    assert code == 0 and q1["title"] == "2026年第一季度信访工作综合排名" and q1["period_kind"] == "quarter"

    def batches(report: dict[str, Any]) -> int:
        return sum(d["batches"] for t in report["tables"] for r in t["rows"] for d in r["deductions"].values())

    assert batches(data) >= batches(q1)
    xlsx, pdf = tmp_path / "半年评价.xlsx", tmp_path / "半年评价.pdf"
    assert cli("report", "ranking", "--half", "2026H1", "--today", TODAY, "--xlsx", str(xlsx))[0] == 0
    sheet = load_workbook(xlsx).worksheets[0]
    assert str(sheet["A1"].value).startswith("2026年上半年信访工作半年评价")
    code, out = cli("report", "ranking", "--half", "2026H1", "--today", TODAY, "--pdf", str(pdf))
    assert code == 0 and out["pdf"]["pages"] >= 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2026年上半年信访工作半年评价" in text and "每半年" in text and "R-AS" not in text


def test_from_ranking_half_is_idempotent_and_lifts_by_the_next_half_year(cli: JsonCli) -> None:
    code, ranking = cli("report", "ranking", "--half", "2026H1", "--today", TODAY)
    keyed = [i for i in ranking["rectification_listing"] if i["key"]]
    code, out = cli("rectification", "from-ranking", "--half", "2026H1", "--today", TODAY)
    assert code == 0, cli.err
    assert out["quarter"] == "2026H1" and out["period_kind"] == "half_year" and out["quarter_label"] == "2026年上半年"
    assert {(r["group_kind"], r["key"]) for r in out["added"]} == {(i["by"], i["key"]) for i in keyed}
    # the due-day rule unchanged: Fri 2026-10-09 + 10 工作日 (make-up Sat 10-10) = 10-22
    assert all(r["explanation_due"] == "2026-10-22" and r["period_kind"] == "half_year" for r in out["added"])
    before = cli.content_hash()
    code, again = cli("rectification", "from-ranking", "--half", "2026H1", "--today", TODAY)
    assert code == 0 and again["added"] == [] and len(again["already_listed"]) == len(keyed)
    assert cli.content_hash() == before
    code, listed = cli("rectification", "list", "--half", "2026H1", "--today", TODAY)
    assert code == 0 and listed["total"] == len(keyed) and listed["quarter"]["period"] == "2026H1"
    assert {r["quarter"] for r in listed["rows"]} == {"2026H1"}
    code, quarter = cli("rectification", "list", "--quarter", "2026Q2", "--today", TODAY)
    assert code == 0 and quarter["total"] == 0  # a half year is not a quarter
    code, ranking = cli("report", "ranking", "--half", "2026H1", "--today", TODAY)
    assert ranking["rectification_note"].startswith("挂牌整治对象：待书面说明")
    # In the explanations owed (职责落实): one row per listing, its slot a half year.
    code, comp = cli("duty", "compliance", "--period", "2026Q4", "--kind", "rectification_explanation",
                     "--today", TODAY)  # fmt: skip
    assert code == 0, cli.err
    rows = {r["listing_id"]: r for r in comp["rows"]}
    assert set(rows) == {r["id"] for r in out["added"]}
    assert {r["slots"][0]["kind"] for r in rows.values()} == {"half_year"}
    assert all("每半年" in r["citation"] for r in rows.values())
    # The second half year's evaluation lifts what it no longer lists (after it ended).
    code, h2 = cli("rectification", "from-ranking", "--half", "2026H2", "--today", "2027-01-05")
    assert code == 0, cli.err
    still = {(r["group_kind"], r["key"]) for r in h2["added"]}
    expected = {(r["group_kind"], r["key"]) for r in out["added"]} - still
    assert {(r["group_kind"], r["key"]) for r in h2["lifted"]} == expected
    assert all(r["lifted"]["reason"].startswith("2026年下半年评价不再列入挂牌整治") for r in h2["lifted"])
    # Chinese text without --json
    assert main(["rectification", "list", "--half", "2026H1", "--today", TODAY, "--db", cli.db]) == 0
    assert "2026年上半年：挂牌整治" in cli.capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "ranking", "--today", TODAY], "请指定 --quarter"),
        (["report", "ranking", "--half", "2026H1", "--quarter", "2026Q1"], "只能指定一个"),
        (["report", "ranking", "--half", "2026Q1"], "--half 应为半年"),
        (["report", "ranking", "--half", "2026H3"], "期间格式错误"),
        (["report", "ranking", "--quarter", "2026H1"], "--quarter 应为季度"),
        (["rectification", "from-ranking", "--today", TODAY], "请指定 --quarter"),
        (["rectification", "from-ranking", "--half", "2026H1", "--quarter", "2026Q3"], "只能指定一个"),
        (["rectification", "from-ranking", "--half", "2026H2", "--today", TODAY], "半年评价尚未确定"),
        (["rectification", "from-ranking", "--half", "2026Q2", "--today", TODAY], "半年格式错误"),
        (["rectification", "from-ranking", "--half", "2026", "--today", TODAY], "半年格式错误"),
        (["rectification", "from-ranking", "--quarter", "2026H1", "--today", TODAY], "季度格式错误"),
        (["rectification", "list", "--half", "2026-06"], "半年格式错误"),
        (["rectification", "list", "--half", "2026H1", "--quarter", "2026Q1"], "只能指定一个"),
    ],
)
def test_bad_input_exit_2_and_nothing_written(cli: JsonCli, argv: list[str], message: str) -> None:
    assert cli("rectification", "from-ranking", "--half", "2026H1", "--today", TODAY)[0] == 0
    before = cli.content_hash()
    code, data = cli(*argv)
    assert code == 2
    assert message in (json.dumps(data, ensure_ascii=False) if data else "") + cli.err
    assert cli.content_hash() == before


def test_the_quarterly_commands_are_as_before(cli: JsonCli) -> None:
    """--quarter keeps working under the half-yearly profile (the option chooses what the window offers)."""
    code, out = cli("rectification", "from-ranking", "--quarter", "2026Q3", "--today", TODAY)
    assert code == 0 and out["period_kind"] == "quarter" and out["added"]
    assert all(r["quarter"] == "2026Q3" and r["period_kind"] == "quarter" for r in out["added"])
    code, listed = cli("rectification", "list", "--quarter", "2026Q3", "--today", TODAY)
    assert code == 0 and listed["total"] == len(out["added"])
