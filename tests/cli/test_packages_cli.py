"""The issue 7 CLI contract: leader, package, oversight, reception, instruction — JSON out, exit 2 on bad input with
the database unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from tests.helpers import sample_case
from tests.reports.oversight_fixture import ANNEX_ROWS, TOTAL, setup_ledger, write_annex_xlsx
from xinfang_desktop import cli
from xinfang_desktop.persistence.database import Database, open_database
from xinfang_desktop.persistence.records import CaseRecord

MODULE = "xinfang_desktop.commands.packages_cmd"


@pytest.fixture(autouse=True)
def _with_packages_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    if MODULE not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, MODULE))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = cli.main(list(argv))
    out, _ = capsys.readouterr()
    try:
        return code, json.loads(out) if out.strip() else None
    except json.JSONDecodeError:
        return code, out


@pytest.fixture
def dbfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "cli.sqlite3")
    assert run(capsys, "init", "--db", path, "--json")[0] == 0
    assert run(capsys, "reference", "seed", "--db", path, "--json")[0] == 0
    return path


def unchanged(path: str) -> str:
    db = open_database(path)
    try:
        return content_hash(db)
    finally:
        db.dispose()


def test_leader_package_flow(dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ("--db", dbfile, "--json")
    code, leader = run(
        capsys,
        "leader",
        "add",
        "王强",
        "--organ",
        "党委",
        "--rank",
        "正职",
        "--level",
        "县",
        "--post",
        "县委书记",
        "--phone",
        "13800138000",
        *d,
    )
    assert code == 0 and leader["id"] == 1
    code, listed = run(capsys, "leader", "list", *d)
    assert code == 0 and listed["leaders"][0]["phone"] == "138****8000"
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(sample_case(received_on="2026-07-06"), ensure_ascii=False), encoding="utf-8")
    code, added = run(capsys, "case", "add", str(case_file), "--today", "2026-07-06", *d)
    number = added["registered"]["number"] if "registered" in added else added["number"]

    before = unchanged(dbfile)
    bad_inputs = [
        ("leader", "add", "赵", "--organ", "军队", "--rank", "正职", "--level", "县", "--post", "x"),
        ("package", "create", "--case", "XF2026-999999", "--leader", "王强"),
        ("package", "create", "--case", number, "--leader", "无此人"),
        ("package", "create", "--case", number, "--leader", "王强", "--target", "2026-13-01"),
        ("package", "create", "--case", number, "--leader", "王强", "--milestone", "没有日期"),
        ("package", "show", "abc"),
        ("package", "close", "1", "--outcome", "化解"),
        ("reception", "compliance", "--period", "2026Q9"),
        ("reception", "record", "--leader", "王强", "--date", "2026-07-01", "--received", "-1"),
        ("instruction", "meter", "--quarter", "2026-07"),
        ("oversight", "report", "--year", "2018"),
        ("oversight", "import", str(tmp_path / "missing.xlsx"), "--year", "2018"),
        ("package", "create", "--leader", "王强"),  # argparse: --case is required
    ]
    for argv in bad_inputs:
        code, data = run(capsys, *argv, *d)
        assert code == 2, argv
        assert data["exit_code"] == 2 and data["error"]
    assert unchanged(dbfile) == before

    code, p = run(
        capsys,
        "package",
        "create",
        "--case",
        number,
        "--leader",
        "王强",
        "--member",
        "张三:组长:信访局长",
        "--milestone",
        "见面=+5",
        "--today",
        "2026-07-08",
        *d,
    )
    assert code == 0 and p["team"][0] == {"name": "张三", "role": "组长", "post": "信访局长"}
    pid = str(p["id"])
    code, p = run(
        capsys,
        "package",
        "update",
        pid,
        "--duty",
        "包掌握情况",
        "--status",
        "已落实",
        "--evidence",
        "已走访",
        "--meeting",
        "2026-07-09",
        "--notes",
        "面谈",
        "--today",
        "2026-07-10",
        *d,
    )
    assert code == 0 and p["duties_progress"] == "1/5" and len(p["meetings"]) == 1
    card = tmp_path / "card.pdf"
    code, shown = run(capsys, "package", "show", pid, "--card", str(card), "--today", "2026-07-10", *d)
    assert code == 0 and shown["card"]["pages"] == 1 and card.read_bytes().startswith(b"%PDF")
    code, rows = run(capsys, "package", "list", "--today", "2026-07-10", *d)
    assert code == 0 and rows["total"] == 1 and rows["packages"][0]["cases"] == [number]
    code, closed = run(
        capsys, "package", "close", pid, "--outcome", "化解", "--on", "2026-07-20", "--today", "2026-07-21", *d
    )
    assert code == 0 and closed["outcome"] == "化解"
    code, rates = run(capsys, "leader", "list", "--period", "2026Q3", *d)
    assert rates["resolution"][0]["rate"] == 1.0

    # reception and instructions
    assert run(capsys, "reception", "plan", "--leader", "王强", "--date", "2026-08-05", *d)[0] == 0
    code, rec = run(
        capsys,
        "reception",
        "record",
        "--leader",
        "王强",
        "--date",
        "2026-07-15",
        "--received",
        "3",
        "--case",
        number,
        "--today",
        "2026-07-16",
        *d,
    )
    assert code == 0 and rec["cases"] == [number]
    code, comp = run(capsys, "reception", "compliance", "--period", "2026Q3", "--today", "2026-10-08", *d)
    assert code == 0 and comp["red"] == 1
    windows = comp["leaders"][0]["windows"]
    assert [w["light"] for w in windows] == ["green", "red", "red"] and windows[1]["missed_days"] == ["2026-08-05"]
    assert (
        run(
            capsys,
            "instruction",
            "add",
            "--leader",
            "王强",
            "--case",
            number,
            "--text",
            "阅处",
            "--date",
            "2026-07-07",
            "--today",
            "2026-07-08",
            *d,
        )[0]
        == 0
    )
    code, meter = run(capsys, "instruction", "meter", "--quarter", "2026Q3", *d)
    assert code == 0 and meter["leaders"][0]["instructed"] == 0  # the sample case is a visit, not a letter


def test_oversight_import_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "o.sqlite3")
    db = open_database(path)
    setup_ledger(db)
    db.dispose()
    d = ("--db", path, "--json")
    annex = write_annex_xlsx(tmp_path / "annex.xlsx")
    code, imported = run(capsys, "oversight", "import", str(annex), "--year", "2018", *d)
    assert code == 0 and imported["row_count"] == 14 and imported["imported_total"] == TOTAL
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    code, report = run(capsys, "oversight", "report", "--year", "2018", "--xlsx", str(xlsx), "--pdf", str(pdf), *d)
    assert code == 0 and report["total"] == 237 and report["row_count"] == 14
    assert [r["backlog"] for r in report["rows"][:14]] == [c for _, _, c in ANNEX_ROWS]
    assert xlsx.exists() and pdf.read_bytes().startswith(b"%PDF") and report["pdf"]["pages"] >= 1
    code, text = run(capsys, "oversight", "report", "--year", "2018", "--db", path)
    assert code == 0 and "积案数(共237件)" in text and "张  兵\t景宁县\t8" in text


def test_meter_on_a_demo_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """R-RC-02 on generated data: the count of first letters matches the ledger; 30% instructed is green."""
    path = str(tmp_path / "demo.sqlite3")
    d = ("--db", path, "--json")
    assert run(capsys, "demo", "--cases", "1500", "--seed", "7", "--today", "2026-10-15", *d)[0] == 0
    assert (
        run(
            capsys,
            "leader",
            "add",
            "王强",
            "--organ",
            "党委",
            "--rank",
            "正职",
            "--level",
            "县",
            "--post",
            "县委书记",
            *d,
        )[0]
        == 0
    )
    db: Database = open_database(path)
    with db.read_session() as s:
        letters = s.scalars(
            select(CaseRecord.number)
            .where(
                CaseRecord.channel == "letter",
                CaseRecord.is_first_submission.is_(True),
                CaseRecord.received_on.between("2026-07-01", "2026-09-30"),
            )
            .order_by(CaseRecord.number)
        ).all()
        received = dict(s.execute(select(CaseRecord.number, CaseRecord.received_on)).all())
    db.dispose()
    assert len(letters) >= 4
    target = -(-len(letters) * 3 // 10)  # ceil(30%)
    for number in letters[:target]:
        on = received[number].isoformat()
        assert (
            run(
                capsys,
                "instruction",
                "add",
                "--leader",
                "王强",
                "--case",
                number,
                "--text",
                "阅",
                "--date",
                on,
                "--today",
                "2026-10-15",
                *d,
            )[0]
            == 0
        )
    code, meter = run(capsys, "instruction", "meter", "--quarter", "2026Q3", *d)
    wang = meter["leaders"][0]
    assert code == 0 and wang["first_letters"] == len(letters) and wang["instructed"] == target
    assert wang["met"] is True and wang["light"] == "green"
