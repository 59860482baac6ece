"""`xinfang leader record` (信访工作实绩档案 PDF) and `xinfang package notice` (领导包案通知 from a stored package)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop import cli
from xinfang_desktop.persistence.database import open_database

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


def ok(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, data = run(capsys, *argv)
    assert code == 0, (argv, data)
    return data


def unchanged(path: str) -> str:
    db = open_database(path)
    try:
        return content_hash(db)
    finally:
        db.dispose()


def pdftext(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())  # table cells wrap: compare without whitespace


@pytest.fixture
def ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """王强 (县委书记) in 2026Q3: a closed package (化解) on a visit he received in person, an open package on a first
    letter he instructed, one reception held (3 people) and one planned day missed in August."""
    path = str(tmp_path / "lr.sqlite3")
    d = ("--db", path, "--json")
    ok(capsys, "init", *d)
    ok(capsys, "reference", "seed", *d)
    ok(capsys, "leader", "add", "王强", "--organ", "党委", "--rank", "正职", "--level", "县", "--post", "县委书记", *d)
    ok(capsys, "leader", "add", "李明", "--organ", "政府", "--rank", "副职", "--level", "县", "--post", "副县长", *d)
    numbers = []
    for i, channel in enumerate(("来访", "来信")):
        f = tmp_path / f"case{i}.json"
        f.write_text(
            json.dumps(sample_case(received_on="2026-07-06", channel=channel), ensure_ascii=False), encoding="utf-8"
        )
        added = ok(capsys, "case", "add", str(f), "--today", "2026-07-06", *d)
        numbers.append(added["registered"]["number"] if "registered" in added else added["number"])
    visit, letter = numbers
    today = ("--today", "2026-07-08")
    p1 = ok(capsys, "package", "create", "--case", visit, "--leader", "王强", "--target", "2026-09-30", *today, *d)
    p2 = ok(
        capsys,
        "package",
        "create",
        "--case",
        letter,
        "--leader",
        "王强",
        "--target",
        "2026-11-30",
        "--unit",
        "示范县人力资源和社会保障局",
        "--member",
        "张三:组长:信访局长",
        "--member",
        "赵六",
        "--milestone",
        "见面说明核算结果=2026-07-31",
        *today,
        *d,
    )
    ok(
        capsys,
        "package",
        "close",
        str(p1["id"]),
        "--outcome",
        "化解",
        "--on",
        "2026-07-20",
        "--today",
        "2026-07-21",
        *d,
    )
    ok(capsys, "reception", "plan", "--leader", "王强", "--date", "2026-08-05", *d)
    ok(capsys, "reception", "record", "--leader", "王强", "--date", "2026-07-15", "--received", "3", "--case", visit,
       "--today", "2026-07-16", *d)  # fmt: skip
    ok(capsys, "instruction", "add", "--leader", "王强", "--case", letter, "--text", "请阅处", "--date", "2026-07-07",
       "--today", "2026-07-08", *d)  # fmt: skip
    return {"db": path, "d": d, "visit": visit, "letter": letter, "p1": str(p1["id"]), "p2": str(p2["id"])}


def test_leader_record_pdf_carries_the_figures(
    ledger: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d, pdf = ledger["d"], tmp_path / "实绩档案.pdf"
    data = ok(capsys, "leader", "record", "王强", "--period", "2026Q3", "--pdf", str(pdf), "--today", "2026-10-08", *d)
    assert [p["cases"] for p in data["packages"]] == [[ledger["visit"]], [ledger["letter"]]]
    assert data["packages"][0]["outcome"] == "化解"
    assert data["resolution"] == {"packages": 1, "resolved": 1, "open": 0, "rate": 1.0}
    rec = data["reception"]
    assert (rec["required"], rec["held"], rec["missing"], rec["compliant"]) == (3, 1, 2, False)
    assert rec["missed_days"] == ["2026-08-05"]
    ins = data["instructions"]
    assert (ins["first_letters"], ins["instructed"], ins["share"], ins["met"]) == (1, 1, 1.0, True)
    assert data["received_in_person"] == {"days": 1, "petitioners": 3, "cases": [ledger["visit"]]}
    assert data["pdf"]["pages"] >= 1 and pdf.read_bytes().startswith(b"%PDF")
    text = pdftext(pdf)
    for piece in (
        "王强同志信访工作实绩档案",
        "2026Q3",
        "1/1（100.0%）",  # 化解率
        "应接访3天，实际接访1天，未达标，缺2天",
        "2026-08-05",
        "1/1（100.0%，要求不低于30%，达标）",  # 阅批
        "接待3人次，登记信访事项1件",
        ledger["visit"],
        ledger["letter"],
    ):
        assert piece in text, piece

    # a month: one county window; the deputy without packages gets an empty record
    data = ok(capsys, "leader", "record", "李明", "--period", "2026-07", "--pdf", str(pdf), "--today", "2026-10-08", *d)
    assert data["packages"] == [] and data["resolution"]["rate"] is None
    assert data["reception"]["required"] == 1 and data["instructions"]["applies"] is False
    assert "期间内无包案" in pdftext(pdf)
    data = ok(capsys, "leader", "record", "1", "--period", "2026", "--pdf", str(pdf), "--today", "2026-10-08", *d)
    assert data["instructions"]["quarters"] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]


def test_leader_record_bad_input_exits_2(
    ledger: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d, pdf = ledger["d"], tmp_path / "x.pdf"
    before = unchanged(ledger["db"])
    for argv in (
        ("leader", "record", "无此人", "--period", "2026Q3", "--pdf", str(pdf)),
        ("leader", "record", "王强", "--period", "2026Q9", "--pdf", str(pdf)),
        ("leader", "record", "王强", "--period", "2026W27", "--pdf", str(pdf)),
        ("leader", "record", "王强", "--period", "2026Q3", "--pdf", str(tmp_path)),
        ("leader", "record", "王强", "--period", "2026Q3"),  # --pdf is required
    ):
        code, data = run(capsys, *argv, *d)
        assert code == 2, argv
        assert data["exit_code"] == 2 and data["error"]
    assert not pdf.exists()
    assert unchanged(ledger["db"]) == before


def test_package_notice_issued_from_the_package(
    ledger: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d, out = ledger["d"], tmp_path / "通知.pdf"
    before = unchanged(ledger["db"])
    for argv in (
        ("package", "notice", ledger["p1"], "-o", str(out)),  # closed
        ("package", "notice", "99", "-o", str(out)),
        ("package", "notice", "abc", "-o", str(out)),
        ("package", "notice", ledger["p2"], "-o", str(out), "--format", "odt"),
        ("package", "notice", ledger["p2"], "-o", str(out), "--duty", "没有等号"),
        ("package", "notice", ledger["p2"], "-o", str(out), "--duty", "包吃包住=x", "--today", "2026-07-10"),
        ("package", "notice", ledger["p2"], "-o", str(out), "--issued", "2026-12-01"),  # after the target date
    ):
        code, data = run(capsys, *argv, *d)
        assert code == 2, argv
        assert data["exit_code"] == 2 and data["error"]
    assert not out.exists()
    assert unchanged(ledger["db"]) == before

    data = ok(
        capsys,
        "package",
        "notice",
        ledger["p2"],
        "-o",
        str(out),
        "--duty",
        "包矛盾化解=协调县财政落实补发资金",
        "--report-every",
        "每半月",
        "--today",
        "2026-07-10",
        *d,
    )
    assert data["type"] == "package_notice" and data["case_number"] == ledger["letter"] and data["number"]
    assert Path(data["stored_path"]).exists() and out.read_bytes().startswith(b"%PDF")
    text = pdftext(out)
    for piece in (
        "关于领导包案化解信访事项的通知",
        "县委书记王强",
        "示范县人力资源和社会保障局：",
        "张三（信访局长）",
        "赵六（成员）",
        "2026年7月31日前见面说明核算结果",
        "协调县财政落实补发资金",
        "2026年11月30日",
        ledger["letter"],
    ):
        assert piece in text, piece
    docs = ok(capsys, "doc", "list", "--case", ledger["letter"], *d)  # stored and linked to the case
    assert data["number"] in json.dumps(docs, ensure_ascii=False)
    again = ok(capsys, "package", "notice", ledger["p2"], "-o", str(tmp_path / "n.docx"), "--format", "docx",
               "--to", "城关街道办事处", "--today", "2026-07-10", *d)  # fmt: skip
    assert again["number"] != data["number"] and again["format"] == "docx"
