"""`xinfang stats rates|rank` (R-AS-01, R-AS-02): the JSON contract, the .xlsx, and exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import content_hash
from tests.persistence.assessment_ledger import UNIT_A, UNIT_B, build_ledger
from xinfang_desktop import cli
from xinfang_desktop.core.assessment import RATE_IDS
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.reference_data import seed_reference_data

PERIOD = ("--from", "2026-01-01", "--to", "2026-06-30", "--today", "2026-06-30")
RATE_KEYS = {"id", "name", "numerator", "denominator", "value", "formula", "rule"}


def run(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> tuple[int, Any]:
    code = cli.main([*argv, "--json", "--db", db])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


@pytest.fixture
def ledger_target(db_target: str) -> str:
    db = open_database(db_target)
    seed_reference_data(db)
    build_ledger(db)
    db.dispose()
    return db_target


def test_rates_json_by_unit(capsys: pytest.CaptureFixture[str], ledger_target: str) -> None:
    code, out = run(capsys, ledger_target, "stats", "rates", *PERIOD, "--by", "unit")
    assert code == 0, out
    assert out["period"] == {"from": "2026-01-01", "to": "2026-06-30"} and out["by"] == "unit"
    assert [g["name"] for g in out["groups"]] == [UNIT_A, UNIT_B, "未指定责任单位"]
    assert out["total"]["name"] == "合计" and out["total"]["cases"] == 7 and out["empty"] is False
    for row in [*out["groups"], out["total"]]:
        assert [r["id"] for r in row["rates"]] == list(RATE_IDS)
        assert all(set(r) >= RATE_KEYS for r in row["rates"])
    total = {r["id"]: r for r in out["total"]["rates"]}
    assert (total["timely_acceptance"]["numerator"], total["timely_acceptance"]["denominator"]) == (4, 6)
    assert total["timely_acceptance"]["value"] == 66.7 and total["repeat"]["value"] == 14.3
    assert total["satisfaction"]["formula"].startswith("群众满意率 =") and "R-LC-06" in total["satisfaction"]["rule"]
    none = {r["id"]: r["value"] for r in out["groups"][2]["rates"]}
    assert none["on_time_conclusion"] is None  # no denominator: null, not a crash
    counts = {c["id"]: (c["batches"], c["person_visits"]) for c in out["total"]["counts"]}
    assert counts == {
        "level_skipping": (3, 10),
        "to_county": (2, 3),
        "to_city": (1, 3),
        "to_province": (1, 6),
        "to_capital": (1, 1),
    }
    assert [d["id"] for d in out["definitions"]] == list(RATE_IDS)


def test_rates_for_the_county_and_as_text(capsys: pytest.CaptureFixture[str], ledger_target: str) -> None:
    code, out = run(capsys, ledger_target, "stats", "rates", *PERIOD)
    assert code == 0 and out["by"] == "county" and out["groups"] == [] and out["total"]["cases"] == 7
    assert cli.main(["stats", "rates", *PERIOD, "--by", "township", "--db", ledger_target]) == 0
    text = capsys.readouterr().out
    assert "城关街道：信访事项 3 件" in text and "合计：信访事项 7 件" in text and "及时受理率 66.7%（4/6）" in text
    assert "公式：" in text


def test_rates_xlsx_is_written_and_readable(
    capsys: pytest.CaptureFixture[str], ledger_target: str, tmp_path: Path
) -> None:
    target = tmp_path / "考核.xlsx"
    code, out = run(capsys, ledger_target, "stats", "rates", *PERIOD, "--by", "unit", "-o", str(target))
    assert code == 0 and out["xlsx"] == str(target)
    wb = load_workbook(target)
    assert wb.sheetnames == ["考核指标", "分子分母"]
    ws = wb["考核指标"]
    header = [c.value for c in ws[3]]
    assert header[:3] == ["单位/乡镇", "信访事项(件)", "及时受理率"] and "进京人次" in header
    assert "按期受理件数" in ws.cell(3, 3).comment.text  # the formula next to the rate (R-AS-01)
    names = [ws.cell(r, 1).value for r in range(4, 8)]
    assert names == [UNIT_A, UNIT_B, "未指定责任单位", "合计"]
    assert (
        ws.cell(7, 2).value == 7
        and ws.cell(7, 3).value == pytest.approx(0.667)
        and ws.cell(7, 3).number_format == "0.0%"
    )
    assert ws.cell(6, 4).value == "—"  # 未指定责任单位 has no handling clock due
    legend = [ws.cell(r, 1).value for r in range(9, ws.max_row + 1)]
    assert any(str(v).startswith("及时受理率 = ") for v in legend)
    fractions = wb["分子分母"]
    assert [c.value for c in fractions[7]][:3] == ["合计", 4, 6]


def test_rank_json_and_xlsx(capsys: pytest.CaptureFixture[str], ledger_target: str, tmp_path: Path) -> None:
    target = tmp_path / "rank.xlsx"
    code, out = run(
        capsys,
        ledger_target,
        "stats",
        "rank",
        "--rate",
        "timely_acceptance",
        *PERIOD,
        "--by",
        "unit",
        "-o",
        str(target),
    )
    assert code == 0, out
    assert out["rate"]["id"] == "timely_acceptance" and out["by"] == "unit"
    # 未指定 0/1 = 0%, A 1/2 = 50%, B 3/3 = 100%: worst first, the 末位 marked.
    assert [(r["name"], r["rank"], r["value"], r["lowest"]) for r in out["rows"]] == [
        ("未指定责任单位", 3, 0.0, True),
        (UNIT_A, 2, 50.0, False),
        (UNIT_B, 1, 100.0, False),
    ]
    assert out["total"]["value"] == 66.7
    wb = load_workbook(target)
    assert wb.sheetnames == ["考核指标", "分子分母", "排名"]
    assert [c.value for c in wb["排名"][4]][:2] == [3, "未指定责任单位"] and wb["排名"].cell(4, 6).value == "末位"
    code, out = run(capsys, ledger_target, "stats", "rank", "--rate", "重复信访率", *PERIOD, "--by", "township")
    assert code == 0 and out["rows"][0]["name"] == "东湖镇" and out["rows"][0]["lowest"]  # 1/3 repeats: worst


def test_an_empty_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "empty.sqlite3")
    code, out = run(capsys, db, "stats", "rates", *PERIOD, "--by", "unit")
    assert code == 0 and out["empty"] is True and out["groups"] == []
    assert all(r["value"] is None for r in out["total"]["rates"])
    code, out = run(capsys, db, "stats", "rank", "--rate", "satisfaction", *PERIOD, "--by", "unit")
    assert code == 0 and out["rows"] == [] and out["total"]["value"] is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("rank", "--rate", "满意度", "--by", "unit"), "未知的考核指标"),
        (("rank", "--rate", "repeat", "--by", "county"), "排名须按单位或乡镇分组"),
        (("rank", "--rate", "repeat"), "排名须指定分组"),
        (("rates", "--from", "2026-07-01", "--to", "2026-06-30"), "晚于结束日期"),
        (("rates", "--from", "2026-02-30"), "期间开始日期（--from）格式错误"),
        (("rates", "--to", "yesterday"), "期间结束日期（--to）格式错误"),
        (("rates", "--by", "city"), "--by 应为 county、unit、township 之一"),
        (("rates", "-o", "out.csv"), "-o 应为 .xlsx 文件"),
        (("rates", "-o", "/no/such/dir/out.xlsx"), "所在文件夹须已存在"),
        (("rates", "--today", "2026-13-01"), "今天日期格式错误"),
    ],
)
def test_bad_input_exits_2_with_the_reason_and_touches_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...], message: str
) -> None:
    missing = tmp_path / "never.sqlite3"
    code, out = run(capsys, str(missing), "stats", *argv)
    assert code == 2 and message in out["error"], out
    assert not missing.exists()  # checked before the database is opened (or created)


def test_bad_input_leaves_an_existing_database_unchanged(
    capsys: pytest.CaptureFixture[str], ledger_target: str
) -> None:
    db = open_database(ledger_target)
    before = content_hash(db)
    code, _out = run(capsys, ledger_target, "stats", "rank", "--rate", "nope", "--by", "unit")
    assert code == 2 and content_hash(db) == before
    db.dispose()
