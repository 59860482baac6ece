"""The responsibility system through the CLI (SQLite and PostgreSQL): candidates found in a hand-built ledger by
`tick`, dismissed or opened, persons and their ladder across the Spring Festival, referral with the 建议书 read back
from the PDF, feedback, the 通报, lost honours — and bad input refused with the database unchanged (R-AC-01…05)."""

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


class Cli:
    def __init__(self, db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        self.db, self.capsys, self.tmp = db, capsys, tmp_path

    def __call__(self, *argv: str) -> tuple[int, Any]:
        code = main([*argv, "--json", "--db", self.db])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    def add(self, **changes: Any) -> str:
        path = self.tmp / "case.json"
        path.write_text(json.dumps(sample_case(**changes), ensure_ascii=False), encoding="utf-8")
        code, out = self("case", "add", str(path), "--today", "2024-12-31")
        assert code == 0, out
        return str(out["number"])


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    c = Cli(db_target, capsys, tmp_path)
    for unit in ("县人力资源和社会保障局", "县自然资源局"):
        assert c("unit", "add", unit)[0] == 0
    return c


def _ledger(cli: Cli) -> dict[str, str]:
    """Three cases: one accepted and never concluded (R-DL-06 due 2024-11-22), one concluded on time, one accusation
    case whose handler tried to forward it to the accused unit."""
    late = cli.add(received_on="2024-09-20")
    assert cli("case", "act", late, "accept", "--date", "2024-09-23", "--unit", "县自然资源局")[0] == 0
    on_time = cli.add(received_on="2024-09-20")
    assert cli("case", "act", on_time, "accept", "--date", "2024-09-23", "--unit", "县自然资源局")[0] == 0
    code, out = cli("case", "act", on_time, "conclude", "--date", "2024-10-30", "--outcome", "予以支持")
    assert code == 0, out
    accused = cli.add(received_on="2024-12-20", purpose="揭发控告", accused_units=["县自然资源局"])
    code, out = cli("case", "act", accused, "forward", "--date", "2024-12-23", "--unit", "县自然资源局")
    assert code == 2 and "被控告" in out["error"]
    return {"late": late, "on_time": on_time, "accused": accused}


def _candidates(cli: Cli, today: str) -> list[dict[str, Any]]:
    code, out = cli("accountability", "candidates", "--today", today)
    assert code == 0, out
    return list(out["rows"])


def test_detection_positive_negative_and_idempotent(cli: Cli) -> None:
    cases = _ledger(cli)
    code, out = cli("tick", "--today", "2025-01-10")
    assert code == 0 and out["accountability"]["added"] >= 2
    rows = _candidates(cli, "2025-01-10")
    kinds = {(r["kind"], r["case_number"]) for r in rows}
    # R-DL-06 due 2024-11-22, 49 days overdue on 2025-01-10: beyond the 30-day 严重超期 threshold.
    assert ("conclusion_seriously_overdue", cases["late"]) in kinds
    assert ("accused_forward_attempt", cases["accused"]) in kinds
    assert not any(n == cases["on_time"] for _, n in kinds)  # concluded in time: nothing to pursue
    serious = next(r for r in rows if r["kind"] == "conclusion_seriously_overdue")
    assert serious["evidence"]["due_on"] == "2024-11-22" and serious["evidence"]["days_overdue"] == 49
    assert "县自然资源局" in serious["summary"]
    # Running it again (tick or candidates) adds nothing.
    assert cli("tick", "--today", "2025-01-10")[1]["accountability"]["added"] == 0
    assert len(_candidates(cli, "2025-01-10")) == len(rows)


def test_not_yet_seriously_overdue_is_no_candidate(cli: Cli) -> None:
    cases = _ledger(cli)
    rows = _candidates(cli, "2024-12-21")  # 29 days after the due day
    assert not any(r["kind"] == "conclusion_seriously_overdue" and r["case_number"] == cases["late"] for r in rows)


def test_dismiss_keeps_the_candidate_with_its_reason(cli: Cli) -> None:
    _ledger(cli)
    first = _candidates(cli, "2025-01-10")[0]
    code, out = cli(
        "accountability", "dismiss", str(first["id"]), "--reason", "系信访人重复登记，已核实", "--today", "2025-01-11"
    )
    assert code == 0 and out["status"] == "dismissed"
    code, listed = cli("accountability", "candidates", "--status", "dismissed", "--no-detect")
    assert [r["decision_reason"] for r in listed["rows"]] == ["系信访人重复登记，已核实"]
    assert cli("accountability", "dismiss", str(first["id"]), "--reason", "再次", "--today", "2025-01-11")[0] == 2


def _pdf_text(path: str) -> str:
    return "".join(subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout.split())


def test_the_whole_flow(cli: Cli, tmp_path: Path) -> None:
    cases = _ledger(cli)
    serious = next(r for r in _candidates(cli, "2025-01-10") if r["kind"] == "conclusion_seriously_overdue")
    code, acc = cli(
        "accountability", "open", "--candidate", str(serious["id"]), "--ground", "TL45-1", "--ground", "BF11-2",
        "--today", "2025-01-10",
    )  # fmt: skip
    assert code == 0, acc
    number = acc["number"]
    assert acc["subject_unit"] == "县自然资源局" and [c["number"] for c in acc["cases"]] == [cases["late"]]
    assert [g["citation"] for g in acc["grounds"]] == [
        "《信访工作条例》第四十五条第（一）项",
        "《信访工作责任制实施办法》第十一条第（二）项",
    ]
    person = ("accountability", "person", "add", number, "--unit", "县自然资源局", "--authority", "中共示范县委组织部")
    code, acc = cli(
        *person, "--name", "陈某", "--post", "信访科科长", "--responsibility", "直接责任", "--today", "2025-01-10"
    )
    assert code == 0, acc
    code, acc = cli(
        *person, "--name", "刘某", "--post", "副局长", "--responsibility", "领导责任", "--today", "2025-01-10"
    )
    assert code == 0, acc
    chen, liu = (p["id"] for p in acc["persons"])
    assert acc["persons"][0]["next"]["measure"] == "circulate"

    # 通报 on 2025-01-20 with 14 days to rectify: 2025-02-03 falls in the Spring Festival holiday → 2025-02-05.
    code, acc = cli("accountability", "step", number, str(chen), "--measure", "通报", "--date", "2025-01-20",
                    "--rectify-days", "14", "--today", "2025-01-20")  # fmt: skip
    assert code == 0, acc
    step = acc["persons"][0]["steps"][0]
    assert step["rectify_by"] == "2025-02-05" and "法定节假日" in step["deadline"]["explanation"]
    # Before the deadline passes, 诫勉 needs a reason; after it, the ladder suggests it.
    early = cli("accountability", "step", number, str(chen), "--measure", "诫勉", "--date", "2025-02-05",
                "--rectify-days", "20", "--today", "2025-02-05")  # fmt: skip
    assert early[0] == 2 and "从重理由" in early[1]["error"]
    code, acc = cli("accountability", "show", number, "--today", "2025-02-06")
    assert acc["persons"][0]["next"]["measure"] == "admonish"
    code, acc = cli("accountability", "step", number, str(chen), "--measure", "诫勉", "--date", "2025-02-06",
                    "--rectify-days", "30", "--today", "2025-02-06")  # fmt: skip
    assert code == 0 and acc["honours_lost"] is True
    code, acc = cli("accountability", "step", number, str(liu), "--measure", "通报", "--date", "2025-02-06",
                    "--rectify-by", "2025-03-08", "--today", "2025-02-06")  # fmt: skip
    assert code == 0 and acc["persons"][1]["steps"][0]["rectify_by"] == "2025-03-10"  # a Saturday rolls to Monday
    code, honours = cli("accountability", "honours", "--year", "2025")
    assert [r["unit"] for r in honours["rows"]] == ["县自然资源局"]

    target = tmp_path / "建议书.pdf"
    code, acc = cli("accountability", "refer", number, "--to", "中共示范县委组织部", "--date", "2025-02-10",
                    "--material", "调查笔录", "--copy-to", "中共示范县纪委示范县监委", "-o", str(target),
                    "--today", "2025-02-10")  # fmt: skip
    assert code == 0, acc
    assert acc["referral"]["feedback_deadline"]["due"] == "2025-03-12" and acc["status"] == "referred"
    if shutil.which("pdftotext"):
        text = _pdf_text(str(target))
        assert "《信访工作条例》第四十五条第（一）项" in text and "陈某" in text and "诫勉" in text
        assert "受到通报后未在2025年2月5日前完成整改" in text and "调查笔录" in text
        assert "R-" not in text and "{" not in text and "circulate" not in text
    code, late = cli("accountability", "list", "--overdue", "--today", "2025-03-13")
    assert [r["number"] for r in late["rows"]] == [number] and late["rows"][0]["feedback_overdue"]
    feedback_kinds = {r["kind"] for r in _candidates(cli, "2025-03-13")}
    assert "feedback_overdue" in feedback_kinds
    assert cli("accountability", "urge", number, "--date", "2025-03-13", "--today", "2025-03-13")[0] == 0
    code, acc = cli("accountability", "feedback", number, "--date", "2025-03-20", "--outcome", "对陈某诫勉，对刘某通报",
                    "--document", "示组函〔2025〕3号", "--person", f"{chen}=诫勉", "--person", f"{liu}=通报",
                    "--today", "2025-03-20")  # fmt: skip
    assert code == 0 and acc["status"] == "answered" and acc["persons"][0]["outcome"]["measure"] == "诫勉"
    code, acc = cli("accountability", "report", number, "--to", "中共示范县委组织部", "--date", "2025-03-21",
                    "--today", "2025-03-21")  # fmt: skip
    assert code == 0 and acc["status"] == "closed" and acc["report"]["document"]["number"].startswith("示信追通")
    code, hist = cli("accountability", "history", "--person", "陈某")
    assert hist["rows"][0]["measures"] == ["通报", "诫勉"]


def test_bad_input_changes_nothing(cli: Cli, db_target: str) -> None:
    _ledger(cli)
    serious = next(r for r in _candidates(cli, "2025-01-10") if r["kind"] == "conclusion_seriously_overdue")
    code, acc = cli(
        "accountability", "open", "--candidate", str(serious["id"]), "--ground", "TL45-1", "--today", "2025-01-10"
    )
    number = acc["number"]
    person = ("accountability", "person", "add", number, "--unit", "县自然资源局", "--authority", "县委组织部")
    assert (
        cli(*person, "--name", "王某", "--post", "局长", "--responsibility", "领导责任", "--today", "2025-01-10")[0]
        == 0
    )
    db = open_database(db_target)
    before = content_hash(db)
    bad: list[tuple[str, ...]] = [
        ("accountability", "open", "--candidate", str(serious["id"]), "--ground", "XX1", "--today", "2025-01-10"),
        ("accountability", "open", "--case", "XF2099-999999", "--ground", "TL45-1", "--today", "2025-01-10"),
        ("accountability", "open", "--ground", "TL45-1", "--today", "2025-01-10"),
        (*person, "--name", "张某", "--post", "副局长", "--responsibility", "主要领导责任", "--today", "2025-01-10"),
        (*person, "--name", "李某", "--post", "科员", "--responsibility", "重要领导责任", "--objection",
         "--today", "2025-01-10"),
        (*person, "--name", "", "--post", "科员", "--responsibility", "直接责任", "--today", "2025-01-10"),
        ("accountability", "step", number, "999", "--measure", "通报", "--rectify-days", "5", "--today", "2025-01-10"),
        ("accountability", "step", number, "1", "--measure", "通报", "--today", "2025-01-10"),
        ("accountability", "step", number, "1", "--measure", "警告", "--rectify-days", "5", "--today", "2025-01-10"),
        ("accountability", "step", number, "1", "--measure", "通报", "--rectify-days", "5", "--date", "2025-02-01",
         "--today", "2025-01-10"),
        ("accountability", "refer", number, "--to", "县委组织部", "--today", "2025-01-10"),  # nobody has a measure yet
        ("accountability", "feedback", number, "--outcome", "x", "--today", "2025-01-10"),  # not referred
        ("accountability", "show", "ZZ1999-001"),
        ("accountability", "dismiss", "99999", "--reason", "x"),
        ("accountability", "list", "--year", "1800"),
        ("grounds", "list", "--profile", "nowhere"),
    ]  # fmt: skip
    for argv in bad:
        code, out = cli(*argv)
        assert code == 2, (argv, out)
        assert out["error"], argv
    assert content_hash(db) == before
    db.dispose()


def test_grounds_per_profile(cli: Cli) -> None:
    code, national = cli("grounds", "list")
    assert code == 0 and national["profile"] == "national"
    assert {g["code"] for g in national["grounds"]} >= {"BF11-1", "BF11-6", "TL44-3", "TL46-5"}
    code, chongqing = cli("grounds", "list", "--profile", "chongqing")
    codes = [g["code"] for g in chongqing["grounds"]]
    assert [c for c in codes if c.startswith("CQ")] == [f"CQ11-{i}" for i in range(1, 10)]
    item8 = next(g for g in chongqing["grounds"] if g["code"] == "CQ11-8")
    assert "揭发控告材料" in item8["text"] and item8["citation"] == "《重庆市信访工作责任制实施细则》第十一条第（八）项"
    code, lishui = cli("grounds", "list", "--profile", "lishui")
    assert [c["code"] for c in lishui["grounds"] if c["code"].startswith("LS")] == [f"LS14-{i}" for i in range(1, 10)]
    assert lishui["suggestions"]["accused_forward_attempt"][0] == "TL46-5"
