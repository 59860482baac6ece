"""信访件编号 (issue 15): the national system's number of each imported submission is stored on it (a case's first
submission and a repeat alike), found by the ledger search, shown by `case show` and written back by the national
export; a second import of the same sheet adds nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.importing.fixtures import TODAY, national_sheet
from xinfang_desktop.cli import main
from xinfang_desktop.core.search_text import people_text, with_external_number
from xinfang_desktop.persistence.records import CaseRecord, SubmissionRecord
from xinfang_desktop.reports.national_export import export_national

# national_sheet: 孙丽's first submission 0101, her repeat 0104 (the same case), and three other cases
SUN_FIRST, SUN_REPEAT, ZHOU = "3312212026000101", "3312212026000104", "3312212026000102"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, Path]:
    db = str(tmp_path / "c.sqlite3")
    assert main(["init", "--db", db]) == 0
    sheet = national_sheet(tmp_path / "国家信访信息系统导出.xlsx")
    capsys.readouterr()
    code, report = run(capsys, "import", "run", str(sheet), "--today", TODAY.isoformat(), "--db", db)
    assert code == 0 and report["committed"] and (report["cases"], report["submissions"]) == (4, 1)
    return db, sheet


def test_search_finds_the_case_by_each_of_its_external_numbers(
    imported: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = imported
    numbers = set()
    for external in (SUN_FIRST, SUN_REPEAT, SUN_REPEAT[-8:]):  # the full number, the repeat's, a part of it
        code, found = run(capsys, "case", "list", "--search", external, "--db", db)
        assert code == 0 and found["total"] == 1, external
        numbers.add(found["rows"][0]["number"])
    assert len(numbers) == 1  # the repeat's number finds the case it was registered onto
    code, found = run(capsys, "case", "list", "--search", ZHOU, "--db", db)
    assert found["total"] == 1 and found["rows"][0]["number"] not in numbers


def test_case_show_lists_the_external_number_of_each_submission(
    imported: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = imported
    _, found = run(capsys, "case", "list", "--search", SUN_FIRST, "--db", db)
    code, shown = run(capsys, "case", "show", found["rows"][0]["number"], "--today", TODAY.isoformat(), "--db", db)
    assert code == 0
    assert [(s["seq"], s["external_number"]) for s in shown["submissions"]] == [(1, SUN_FIRST), (2, SUN_REPEAT)]


def test_reimport_adds_nothing(imported: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    from xinfang_desktop.persistence.database import open_database

    db, sheet = imported
    code, again = run(capsys, "import", "run", str(sheet), "--today", TODAY.isoformat(), "--db", db)
    assert code == 0 and (again["cases"], again["submissions"], again["skipped"]) == (0, 0, 5)
    database = open_database(db)
    try:
        with database.read_session() as s:
            assert s.scalar(select(func.count()).select_from(SubmissionRecord)) == 5
            stored = s.scalars(select(SubmissionRecord.external_number).order_by(SubmissionRecord.id)).all()
            people = s.scalar(select(CaseRecord.search_people).where(CaseRecord.search_people.contains(SUN_FIRST)))
    finally:
        database.dispose()
    assert sorted(stored) == sorted(["3312212026000101", "3312212026000102", "3312212026000103", SUN_REPEAT,
                                     "3312212026000105"])  # fmt: skip
    assert people is not None and people.split().count(SUN_REPEAT) == 1


def test_national_export_writes_the_external_number_back(imported: tuple[str, Path]) -> None:
    from xinfang_desktop.persistence.database import open_database

    db, _ = imported
    database = open_database(db)
    out = Path(db).with_name("export.xlsx")
    try:
        assert export_national(database, date(2026, 1, 1), date(2026, 12, 31), out) == 4
    finally:
        database.dispose()
    wb = load_workbook(out, read_only=True)
    rows = list(wb["信访件"].iter_rows(values_only=True))
    wb.close()
    by_name = {r[1]: r[0] for r in rows[1:]}
    # one row per case: the number of its first submission in the national system, not a repeat's
    assert by_name == {"孙丽": SUN_FIRST, "周强": ZHOU, "吴刚": "3312212026000103", "郑华": "3312212026000105"}


def test_a_case_registered_here_exports_its_own_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from xinfang_desktop.persistence.database import open_database

    db = str(tmp_path / "c.sqlite3")
    assert main(["init", "--db", db]) == 0
    sheet = tmp_path / "台账.csv"
    sheet.write_text("姓名,联系电话,信访日期,信访形式,概况,信访目的\n张三,13800138000,2026-01-02,来信,反映噪声扰民。,求决\n",
                     encoding="utf-8")  # fmt: skip
    capsys.readouterr()
    code, report = run(capsys, "import", "run", str(sheet), "--today", TODAY.isoformat(), "--db", db)
    assert code == 0 and report["cases"] == 1
    _, shown = run(capsys, "case", "show", report["numbers"][0], "--today", TODAY.isoformat(), "--db", db)
    assert shown["submissions"][0]["external_number"] is None
    database = open_database(db)
    out = tmp_path / "export.xlsx"
    try:
        export_national(database, date(2026, 1, 1), date(2026, 12, 31), out)
    finally:
        database.dispose()
    wb = load_workbook(out, read_only=True)
    rows = list(wb["信访件"].iter_rows(values_only=True))
    wb.close()
    assert rows[1][0] == report["numbers"][0]


def test_a_too_long_external_number_is_a_row_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "c.sqlite3")
    assert main(["init", "--db", db]) == 0
    sheet = tmp_path / "台账.csv"
    sheet.write_text(
        "信访件编号,姓名,联系电话,信访日期,信访形式,概况,信访目的\n"
        f"{'9' * 65},张三,13800138000,2026-01-02,来信,反映噪声扰民。,求决\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    code, report = run(capsys, "import", "run", str(sheet), "--today", TODAY.isoformat(), "--db", db)
    assert code == 2 and [e["column"] for e in report["errors"]] == ["信访件编号"]
    assert "64" in report["errors"][0]["reason"]


def test_people_text_carries_the_external_numbers() -> None:
    text = people_text("XF2026-000001", [("孙丽", None, "13811112222")], (SUN_FIRST, None))
    assert text == f"XF2026-000001 孙丽 13811112222 {SUN_FIRST}"
    assert with_external_number(text, SUN_REPEAT) == f"{text} {SUN_REPEAT}"
    assert with_external_number(text, SUN_FIRST) == text and with_external_number(text, None) == text
