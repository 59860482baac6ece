"""Issue 17: `oversight import` stops at a stated size, row count and cell length with a clear message — a crafted
dimension, a zip bomb, a sheet of thousands of rows, a 600-character cell — and never reads the grid a file claims."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.reports.oversight_fixture import write_annex_xlsx
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.reports.oversight import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS, read_xlsx


def _rewrite(path: Path, member: str, change: object) -> Path:
    """A copy of an .xlsx with one member's text changed by `change` (a function of the text)."""
    out = path.with_name("crafted-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == member:
                data = change(data.decode()).encode()  # type: ignore[operator]
            dst.writestr(item, data)
    return out


def test_a_declared_whole_grid_dimension_is_not_read(tmp_path: Path) -> None:
    annex = write_annex_xlsx(tmp_path / "annex.xlsx")
    crafted = _rewrite(
        annex,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', xml).replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        ),
    )
    assert os.path.getsize(crafted) < 10_000
    rows = read_xlsx(crafted)  # returns at once with the annex's rows (read whole: 16,384 columns × 1,048,576 rows)
    assert len(rows) == 15


def test_a_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    annex = write_annex_xlsx(tmp_path / "annex.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(annex) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(DomainError, match="解压后过大"):
        read_xlsx(bomb)


def test_too_large_a_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    big.write_bytes(os.urandom(MAX_FILE_BYTES + 1))
    with pytest.raises(DomainError, match="文件过大"):
        read_xlsx(big)


def test_a_sheet_beyond_the_row_limit_stops_with_a_message(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["督查领导", "联系单位", "积案数"])
    for i in range(MAX_ROWS + 100):
        ws.append([f"领导{i}", f"单位{i}", 1])
    path = tmp_path / "rows.xlsx"
    wb.save(path)
    with pytest.raises(DomainError, match=f"超过 {MAX_ROWS} 行"):
        read_xlsx(path)


def test_an_overlong_cell_is_refused(tmp_path: Path) -> None:
    path = write_annex_xlsx(tmp_path / "long.xlsx", [("张兵", "景" * (MAX_CELL_CHARS + 100), 8)])
    with pytest.raises(DomainError, match=f"最多 {MAX_CELL_CHARS} 字"):
        read_xlsx(path)
