"""The bad rows of an import as an .xlsx the clerk fixes and imports again: the original columns, the row number it
had, and the reasons; every cell written through `safe_value`, so formula-like text stays text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xinfang_desktop.reports.xlsx_cells import safe_value

ROW_HEADER = "原行号"
ERROR_HEADER = "错误"


@dataclass(frozen=True)
class BadRow:
    row: int
    values: tuple[object, ...]
    reasons: tuple[str, ...]  # “列名：原因”


def write_error_rows(path: str | Path, headers: Sequence[str], rows: Sequence[BadRow]) -> int:
    """Write the bad rows; returns how many. The header is on row 1, as the import expects after a fix."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误行")
    ws.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    def cell(value: object, *, bold: bool = False, red: bool = False) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=safe_value(value))
        if bold:
            c.font = Font(bold=True)
        if red:
            c.font = Font(color="C00000")
            c.fill = PatternFill("solid", fgColor="FFF2CC")
            c.alignment = Alignment(wrap_text=True, vertical="top")
        return c

    ws.append([cell(ROW_HEADER, bold=True), *(cell(h, bold=True) for h in headers), cell(ERROR_HEADER, bold=True)])
    for bad in rows:
        values = list(bad.values) + [None] * (len(headers) - len(bad.values))
        ws.append([cell(bad.row), *(cell(v) for v in values[: len(headers)]), cell("；".join(bad.reasons), red=True)])
    wb.save(str(path))
    return len(rows)
