"""Hostile and broken files: a clear message, no crash, nothing written (R21 of the reliability note)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import content_hash
from tests.importing.fixtures import TODAY, national_sheet
from xinfang_desktop.importing.limits import ImportFileError
from xinfang_desktop.importing.run import run_import


def _refused(db: Any, path: Path, match: str) -> None:
    before = content_hash(db)
    with pytest.raises(ImportFileError, match=match):
        run_import(db, path, today=TODAY)
    assert content_hash(db) == before


def test_not_a_zip_xlsx(sqlite_db: Any, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_text("姓名,信访日期\n张三,2026-01-01\n", encoding="utf-8")
    _refused(sqlite_db, path, "不是有效的 Excel 工作簿")


def test_truncated_xlsx(sqlite_db: Any, tmp_path: Path) -> None:
    whole = national_sheet(tmp_path / "whole.xlsx").read_bytes()
    for cut in (len(whole) // 3, len(whole) - 200):
        path = tmp_path / f"cut{cut}.xlsx"
        path.write_bytes(whole[:cut])
        _refused(sqlite_db, path, "不是有效的 Excel 工作簿|已损坏")


def test_a_million_empty_rows(sqlite_db: Any, tmp_path: Path) -> None:
    """One value at row 1,000,000 of a 5 KB file: the reader would hold the whole used range (700 MB)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "信访日期", "信访形式", "概况", "信访目的"])
    ws.append(["张三", "2026-01-02", "来信", "反映问题。", "求决"])
    ws.cell(row=1_000_000, column=20, value="x")
    path = tmp_path / "far.xlsx"
    wb.save(path)
    _refused(sqlite_db, path, "使用区域达 1,000,000 行")


def test_empty_rows_below_the_data_are_not_read_as_rows(sqlite_db: Any, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "信访日期", "信访形式", "概况", "信访目的"])
    ws.append(["张三", "2026-01-02", "来信", "反映问题。", "求决"])
    ws.cell(row=300_000, column=1, value=" ")  # a space far below: formatted, empty rows in between
    path = tmp_path / "spaced.xlsx"
    wb.save(path)
    report = run_import(sqlite_db, path, today=TODAY)
    assert report.cases == 1 and not report.errors


def test_one_megabyte_cell(sqlite_db: Any, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(
        "姓名,信访日期,信访形式,概况,信访目的\n张三,2026-01-02,来信," + "长" * 1_048_576 + ",求决\n", encoding="utf-8"
    )
    before = content_hash(sqlite_db)
    report = run_import(sqlite_db, path, today=TODAY)
    assert not report.committed and report.errors[0].column == "概况" and "过长" in report.errors[0].reason
    assert content_hash(sqlite_db) == before


def test_formulas_are_row_errors_and_formula_text_stays_text(sqlite_db: Any, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "信访日期", "信访形式", "概况", "信访目的", "信访人数"])
    ws.append(["张三", "2026-01-02", "来信", "反映问题。", "求决", "=1+2"])
    ws.append(["李四", "2026-01-03", "来信", "反映另一个问题。", "求决", 1])
    ws.append(["合计", None, None, None, None, "=SUM(F2:F3)"])
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    before = content_hash(sqlite_db)
    errors = tmp_path / "errors.xlsx"
    report = run_import(sqlite_db, path, today=TODAY, errors_xlsx=errors)
    assert [(e.row, e.column) for e in report.errors] == [(2, "信访人数")] and "公式" in report.errors[0].reason
    assert report.skipped == [{"row": 4, "reason": "合计行"}]  # the total row's formula is skipped with it
    assert content_hash(sqlite_db) == before
    back = openpyxl.load_workbook(errors).active
    assert back.cell(1, back.max_column).value == "错误" and back.cell(2, 1).value == 2
    # text that looks like a formula in a CSV is kept as text, and written back as text
    csv_path = tmp_path / "inject.csv"
    csv_path.write_text(
        "姓名,信访日期,信访形式,概况,信访目的\n=HYPERLINK(1),2026-01-02,来信,反映问题。,求决\n", encoding="utf-8"
    )
    report = run_import(sqlite_db, csv_path, today=TODAY, errors_xlsx=tmp_path / "e2.xlsx")
    if report.errors:  # the name check refuses it: its error file keeps it as typed, never a live formula
        cell = openpyxl.load_workbook(tmp_path / "e2.xlsx").active.cell(2, 2)
        assert cell.data_type != "f"


def test_unsupported_and_empty_files(sqlite_db: Any, tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    _refused(sqlite_db, tmp_path / "x.pdf", "不支持的文件类型")
    (tmp_path / "e.csv").write_bytes(b"")
    _refused(sqlite_db, tmp_path / "e.csv", "空的")
    (tmp_path / "bin.csv").write_bytes(bytes(range(256)) * 10)
    with pytest.raises(ImportFileError):
        run_import(sqlite_db, tmp_path / "bin.csv", today=TODAY)


def test_cancel_rolls_back(sqlite_db: Any, tmp_path: Path) -> None:
    import threading

    from xinfang_desktop.importing.run import ImportCancelled

    cancel = threading.Event()
    cancel.set()
    before = content_hash(sqlite_db)
    with pytest.raises(ImportCancelled):
        run_import(sqlite_db, national_sheet(tmp_path / "n.xlsx"), today=TODAY, cancel=cancel)
    assert content_hash(sqlite_db) == before
