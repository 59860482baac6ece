"""The streaming .xlsx reader (importing/xlsx_stream.py, used above STREAM_ROWS rows) gives the rows calamine gives,
cell by cell: openpyxl's inline strings with character references, LibreOffice's shared strings (as Excel and WPS
write them), dates by their number format, merged cells, formulas' cached values; and an import through it has the
same outcome as through calamine."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.importing.fixtures import TODAY, messy_ledger, messy_mapping, national_sheet
from xinfang_desktop.importing import readers, xlsx_stream
from xinfang_desktop.importing.mapping import ImportMapping
from xinfang_desktop.importing.run import run_import
from xinfang_desktop.importing.xlsx_stream import SharedStrings, is_date_format


def _rows(path: Path, monkeypatch: pytest.MonkeyPatch, *, stream: bool) -> tuple[int, int, list[list[object]]]:
    monkeypatch.setattr(xlsx_stream, "STREAM_ROWS", 0 if stream else 10**9)
    _, _, sheet = readers.read_sheet(path)
    return sheet.first_row, sheet.total, list(sheet.rows)


def _odd_sheet(path: Path) -> Path:
    """Blank rows above and inside the table, an empty first column, dates in several formats, booleans, a formula
    with its cached value, text with XML specials and a character outside the BMP."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "杂项"
    ws["B3"] = "姓名"
    ws["C3"] = "信访日期"
    ws["D3"] = "数量"
    ws["E3"] = "备注 <a & b>"
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = "张三", date(2026, 3, 2), 3, True
    ws["B6"], ws["C6"], ws["D6"], ws["E6"] = "李四\U00020000", datetime(2026, 3, 2, 9, 30, 15), 2.5, "“引号”'单'"
    ws["C6"].number_format = 'yyyy"年"m"月"d"日" hh:mm:ss'
    ws["B7"], ws["C7"], ws["D7"] = "王五", 46090, "=D4+D6"
    ws["C8"] = 46090
    ws["C8"].number_format = "0.00"
    ws.merge_cells("E7:E9")
    ws["E7"] = "合并"
    wb.save(path)
    return path


@pytest.mark.parametrize("maker", [messy_ledger, national_sheet, _odd_sheet])
def test_the_two_readers_agree(maker: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = maker(tmp_path / "sheet.xlsx")
    assert _rows(path, monkeypatch, stream=True) == _rows(path, monkeypatch, stream=False)


def test_shared_strings_as_excel_writes_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The messy ledger saved again by LibreOffice Calc: shared strings, styles of its own; the same rows."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: no shared-strings .xlsx can be made")
    source = messy_ledger(tmp_path / "src" / "messy.xlsx") if (tmp_path / "src").mkdir() is None else None
    assert source is not None
    out = tmp_path / "out"
    argv = [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
            "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)]  # fmt: skip
    subprocess.run(argv, capture_output=True, timeout=180, check=False)
    path = out / "messy.xlsx"
    if not path.exists():
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui): no .xlsx written")
    import zipfile

    with zipfile.ZipFile(path) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    streamed = _rows(path, monkeypatch, stream=True)
    assert streamed == _rows(path, monkeypatch, stream=False)
    assert streamed[2][5][1] == "李娜"


def test_an_import_through_the_stream(sqlite_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_stream, "STREAM_ROWS", 0)
    path = messy_ledger(tmp_path / "台账.xlsx")
    report = run_import(sqlite_db, path, today=TODAY, mapping=ImportMapping.from_json(messy_mapping()), dry_run=True)
    assert (report.rows, report.cases, report.submissions) == (6, 3, 1)
    assert [(e.row, e.column) for e in report.errors] == [(6, "身份证号"), (9, "来访日期")]
    assert report.skipped == [{"row": 12, "reason": "合计行"}]


def test_date_formats() -> None:
    assert is_date_format('yyyy"年"m"月"d"日"') and is_date_format("[$-F800]dddd, mmmm dd, yyyy")
    assert is_date_format("h:mm:ss") and is_date_format("[h]:mm")
    assert not is_date_format("General") and not is_date_format("0.00") and not is_date_format('"日期"0')
    assert not is_date_format("[Red]#,##0")


def test_shared_strings_spill_to_a_file() -> None:
    strings = SharedStrings()
    try:
        texts = ["", "来访", "反映" * 500, "x\U00020000"] * 3000
        for t in texts:
            strings.add(t)
        strings.finish()
        assert len(strings) == len(texts)
        assert [strings[i] for i in (0, 1, 2, 3, 11_999)] == ["", "来访", "反映" * 500, "x\U00020000", "x\U00020000"]
    finally:
        strings.close()


@pytest.mark.parametrize("stream", [False, True])
def test_row_numbers_below_blank_rows(
    sqlite_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    """A table under two blank rows: errors name the rows as Excel shows them, with either reader."""
    monkeypatch.setattr(xlsx_stream, "STREAM_ROWS", 0 if stream else 10**9)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A3"], ws["B3"], ws["C3"], ws["D3"], ws["E3"] = "姓名", "信访日期", "信访形式", "概况", "信访目的"
    ws.append(["张三", "2026年1月2日", "来信", "反映小区噪声扰民问题。", "求决"])
    ws.append(["李四", "2026/13/01", "来信", "反映拖欠工资。", "求决"])
    path = tmp_path / "blank_rows.xlsx"
    wb.save(path)
    report = run_import(sqlite_db, path, today=TODAY, dry_run=True)
    assert report.header_row == 3 and report.cases == 1
    assert [(e.row, e.column) for e in report.errors] == [(5, "信访日期")]


def test_cells_in_an_unusual_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attributes in another order and on their own lines (a generator's pretty-printing): read cell by cell."""
    import re
    import zipfile

    plain = _odd_sheet(tmp_path / "plain.xlsx")
    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(odd, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")*)', rb'<c\n  \2 r="\1"', data)
            dst.writestr(item, data)
    assert b'<c\n   t="' in zipfile.ZipFile(odd).read("xl/worksheets/sheet1.xml")
    assert _rows(odd, monkeypatch, stream=True) == _rows(plain, monkeypatch, stream=False)
