"""Responsibility statements through the CLI (SQLite and PostgreSQL): prefill from last year's hand-counted ledger
(R-RS-02), edits, progress that moves when a case is concluded or a visit comes in, the year-end evaluation, the
责任书 read back from its PDF — and bad input refused with the database unchanged (R-RS-01)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database

CHENGGUAN = "331221001"  # 城关街道 of the example county
UNIT = "示范县自然资源和规划局"


class Cli:
    def __init__(self, db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.db, self.capsys, self.tmp = db, capsys, tmp_path

    def __call__(self, *argv: str) -> tuple[int, Any]:
        code = main([*argv, "--json", "--db", self.db])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    def ok(self, *argv: str) -> Any:
        code, out = self(*argv)
        assert code == 0, out
        return out

    def add(self, received_on: str, channel: str = "来访", today: str = "2026-12-31") -> str:
        path = self.tmp / "case.json"
        data = sample_case(received_on=received_on, channel=channel, locality=CHENGGUAN)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(self.ok("case", "add", str(path), "--today", today)["number"])

    def visit_again(self, number: str, received_on: str) -> None:
        path = self.tmp / "submission.json"
        path.write_text(json.dumps({"channel": "来访", "received_on": received_on}), encoding="utf-8")
        self.ok("case", "submit", number, str(path), "--today", "2026-12-31")


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    c = Cli(db_target, capsys, tmp_path)
    c.ok("init")
    return c


def _ledger_2025(cli: Cli) -> dict[str, str]:
    """Hand-counted 2025: 城关街道 has visits A (+ a second visit) and B and a letter C → 3 visits (批次); A is the
    自然资源 bureau's (2 visits); A is accepted within 15 days and concluded in time."""
    a = cli.add("2025-03-10")
    cli.ok("case", "act", a, "accept", "--date", "2025-03-12", "--unit", UNIT)
    cli.ok("case", "act", a, "conclude", "--date", "2025-04-20", "--outcome", "予以支持")
    cli.visit_again(a, "2025-05-06")
    b = cli.add("2025-05-10")
    c = cli.add("2025-06-02", channel="来信")
    return {"a": a, "b": b, "c": c}


def _targets(statement: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in statement["targets"]}


def test_prefill_from_last_year_against_hand_counts(cli: Cli) -> None:
    _ledger_2025(cli)
    out = cli.ok("statement", "prefill", "--year", "2026", "--today", "2026-01-05")
    assert out["baseline_period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    by_party = {s["party_name"]: s for s in out["statements"]}
    assert {"县本级", "城关街道办事处", UNIT} <= set(by_party)
    county, township, unit = (_targets(by_party[n]) for n in ("县本级", "城关街道办事处", UNIT))
    # 上访量: −20% over two years is −10.6% a year; 3 × 0.8^(1/2) = 2.68 → at most 2; 2 × 0.894 = 1.79 → 1.
    assert county["visit_volume"]["baseline"] == 3 and county["visit_volume"]["target"] == 2
    assert county["visit_volume"]["target_text"] == "比上年下降10.6%以上，不超过2批次"
    assert township["visit_volume"]["baseline"] == 3 and township["visit_volume"]["target"] == 2
    assert unit["visit_volume"]["baseline"] == 2 and unit["visit_volume"]["target"] == 1
    # The rates are the profile's floors; last year's 及时受理率 was 1/1.
    assert unit["timely_acceptance"]["baseline"] == 100.0 and unit["timely_acceptance"]["target"] == 100.0
    assert township["satisfaction"]["target_text"] == "不低于90%"
    # A unit with no visits last year keeps zero; one without cases has no rate to reduce.
    other = _targets(by_party["示范县教育局"])
    assert other["visit_volume"]["target_text"] == "保持为0批次"
    assert other["new_backlog_rate"]["target"] is None and other["new_backlog_rate"]["target_text"] == "目标值待定"
    # Prefill again: refreshed, not duplicated.
    again = cli.ok("statement", "prefill", "--year", "2026", "--today", "2026-01-05")
    assert not again["created"] and len(again["refreshed"]) == len(out["created"])


def test_progress_moves_with_the_ledger(cli: Cli) -> None:
    _ledger_2025(cli)
    cli.ok("statement", "prefill", "--year", "2026", "--unit", "城关街道办事处", "--today", "2026-01-05")

    def status(today: str) -> dict[str, dict[str, Any]]:
        out = cli.ok("statement", "progress", "--year", "2026", "--unit", "城关街道办事处", "--today", today)
        (statement,) = out["statements"]
        return _targets(statement)

    d = cli.add("2026-02-02")
    cli.ok("case", "act", d, "accept", "--date", "2026-02-04", "--unit", UNIT)
    running = status("2026-03-01")
    assert running["on_time_conclusion"]["verdict"] == "no_data"  # its 60-day clock is still running
    assert running["timely_acceptance"]["current"] == 100.0  # accepted two days after receipt
    assert status("2026-06-30")["on_time_conclusion"]["verdict"] == "missed"  # not concluded: late by June
    cli.ok("case", "act", d, "conclude", "--date", "2026-03-20", "--outcome", "予以支持")
    concluded = status("2026-07-10")
    # 1 visit by 10 July (191 of 365 days) projects to 1.9: not above the ceiling of 2 (on 30 June, 2.02 would be).
    assert concluded["visit_volume"]["current"] == 1 and concluded["visit_volume"]["verdict"] == "on_track"
    assert concluded["on_time_conclusion"]["current"] == 100.0
    assert concluded["on_time_conclusion"]["verdict"] == "on_track"
    assert concluded["on_time_conclusion"]["numerator"] == 1 == concluded["on_time_conclusion"]["denominator"]
    cli.visit_again(d, "2026-03-01")
    assert status("2026-07-10")["visit_volume"]["verdict"] == "at_risk"  # 2 by mid-year projects to 4
    cli.visit_again(d, "2026-04-01")
    missed = status("2026-07-10")["visit_volume"]
    assert missed["current"] == 3 and missed["verdict"] == "missed"  # above the ceiling already
    # The year-end evaluation records the verdicts for the annual assessment.
    code, out = cli("statement", "evaluate", "--year", "2026", "--date", "2026-12-30")
    assert code == 2 and "12月31日" in out["error"]
    out = cli.ok("statement", "evaluate", "--year", "2026", "--date", "2027-01-05", "--unit", "城关街道办事处")
    (evaluation,) = out["statements"]
    verdicts = {t["code"]: t["verdict"] for t in evaluation["targets"]}
    assert verdicts["visit_volume"] == "missed" and verdicts["on_time_conclusion"] == "met"
    assert evaluation["overall"] == "missed"


def test_set_sign_render_and_read_back(cli: Cli, tmp_path: Path) -> None:
    _ledger_2025(cli)
    cli.ok("statement", "prefill", "--year", "2026", "--today", "2026-01-05")
    out = cli.ok(
        "statement",
        "set",
        "--year",
        "2026",
        "--unit",
        "城关街道办事处",
        "--target",
        "上访量=1",
        "--first-signatory",
        "县长",
        "--second-signatory",
        "主任",
        "--signed-on",
        "2026-02-10",
    )
    assert (
        _targets(out)["visit_volume"]["target"] == 1 and _targets(out)["visit_volume"]["target_text"] == "不超过1批次"
    )
    # Signed: its targets are kept by a new prefill and change only with --force.
    code, err = cli("statement", "set", "--year", "2026", "--unit", "城关街道办事处", "--target", "visit_volume=2")
    assert code == 2 and "已" in err["error"] and "签订" in err["error"]
    again = cli.ok("statement", "prefill", "--year", "2026", "--today", "2026-01-06")
    assert any(s["party"] == "城关街道办事处" for s in again["skipped"])
    pdf = tmp_path / "statement.pdf"
    out = cli.ok("statement", "render", "--year", "2026", "--unit", "城关街道办事处", "-o", str(pdf))
    assert pdf.exists() and out["number"].startswith("示信") and out["statement"]["document"]["number"] == out["number"]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not read back")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "2026年度信访工作责任书" in flat and out["number"] in flat
    assert "甲方（盖章）：乙方（盖章）：示范县人民政府城关街道办事处" in flat  # side by side, row by row
    assert "不超过1批次" in flat and "2025年实际3批次" in flat and "2026年2月10日" in flat
    assert "R-" not in text and "visit_volume" not in text and "--" not in text


def test_bad_input_exits_2_and_changes_nothing(cli: Cli, db_target: str, tmp_path: Path) -> None:
    _ledger_2025(cli)
    cli.ok("statement", "prefill", "--year", "2026", "--today", "2026-01-05")
    db = open_database(db_target)
    before = content_hash(db)
    bad: list[tuple[str, ...]] = [
        ("statement", "prefill", "--year", "1999"),
        ("statement", "prefill", "--year", "2026", "--unit", "不存在的单位"),
        ("statement", "prefill", "--year", "2028", "--today", "2026-01-05"),
        ("statement", "set", "--year", "2026", "--unit", "城关街道办事处", "--target", "visit_volume=abc"),
        ("statement", "set", "--year", "2026", "--unit", "城关街道办事处", "--target", "no_such=3"),
        ("statement", "set", "--year", "2026", "--unit", "城关街道办事处", "--target", "satisfaction=120"),
        ("statement", "set", "--year", "2026", "--unit", "城关街道办事处", "--target", "visit_volume=2.5"),
        ("statement", "set", "--year", "2026", "--unit", "城关街道办事处", "--signed-on", "2020-01-01"),
        ("statement", "set", "--year", "2026", "--unit", "城关街道办事处", "--measure", ""),
        ("statement", "set", "--year", "2026", "--unit", "城关街道办事处"),
        ("statement", "show", "--year", "2027", "--unit", "城关街道办事处"),
        ("statement", "render", "--year", "2026", "--unit", "城关街道办事处", "-o", str(tmp_path / "no" / "x.pdf")),
        ("statement", "render", "--year", "2026", "--unit", "城关街道办事处", "-o", str(tmp_path / "x.txt")),
        ("statement", "evaluate", "--year", "2026", "--date", "2026-06-30"),
    ]
    for argv in bad:
        code, out = cli(*argv)
        assert code == 2, (argv, out)
        assert out["error"] and not out["error"].isascii(), (argv, out)
    assert content_hash(db) == before
    db.dispose()


def test_edits_and_renders_are_audited(cli: Cli, db_target: str, tmp_path: Path) -> None:
    _ledger_2025(cli)
    cli.ok("statement", "prefill", "--year", "2026", "--unit", "县本级", "--today", "2026-01-05")
    cli.ok("statement", "set", "--year", "2026", "--unit", "县本级", "--measure", "每月召开一次信访形势分析会")
    cli.ok("statement", "render", "--year", "2026", "--unit", "县本级", "-o", str(tmp_path / "county.docx"))
    db = open_database(db_target)
    from sqlalchemy import text

    with db.engine.connect() as conn:
        actions = [
            a
            for (a,) in conn.execute(
                text("SELECT action FROM audit_entries WHERE entity = 'responsibility_statement' ORDER BY id")
            )
        ]
    db.dispose()
    assert actions == ["prefill", "update", "render"]
    shown = cli.ok("statement", "show", "--year", "2026", "--unit", "county")
    assert shown["measures"] == ["每月召开一次信访形势分析会"] and shown["first_party"] == "示范市人民政府"
