"""Formatted .xlsx sheets for the reports sent upward: a title, merged two-row headers, frozen panes, number formats,
A4 landscape print setup (title rows repeated, one page wide, a page break every 40 rows), the caliber and formula
notes under the table. Every text cell goes through `xlsx_cells.safe_value`."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinfang_desktop.reports.xlsx_cells import safe_value

INT_FORMAT = "#,##0"
CHANGE_FORMAT = "+0.0%;-0.0%;0.0%"
PERCENT_FORMAT = "0.0%"
SCORE_FORMAT = "0.0"
ROWS_PER_PAGE = 40
NO_VALUE = "—"


@dataclass(frozen=True)
class HeaderGroup:
    """A column, or a group of columns under one merged title (`subs` on the second header row)."""

    title: str
    subs: tuple[str, ...] = ()
    width: float = 10.0

    @property
    def span(self) -> int:
        return max(1, len(self.subs))


@dataclass
class SheetSpec:
    name: str
    title: str
    subtitles: Sequence[str]
    headers: Sequence[HeaderGroup]
    rows: Sequence[Sequence[Any]]
    formats: Sequence[str | None]  # per column: a number format, or None for text
    notes: Sequence[str] = ()
    bold_rows: set[int] = field(default_factory=set)  # indexes into rows
    flagged_rows: set[int] = field(default_factory=set)  # shown in red (挂牌整治, 未达到三无)

    @property
    def width(self) -> int:
        return sum(h.span for h in self.headers)


def save_workbook(wb: Any, path: Path) -> Path:
    """Written beside `path` and renamed into place: a failure leaves no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        wb.save(str(tmp))
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


def write_sheets(path: Path, sheets: Sequence[SheetSpec]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for spec in sheets:
        fill_sheet(wb.create_sheet(spec.name[:31]), spec)
    return save_workbook(wb, path)


def fill_sheet(ws: Any, spec: SheetSpec) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    width = spec.width
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head_fill = PatternFill("solid", fgColor="E8EEF5")
    r = 1
    ws.cell(r, 1, safe_value(spec.title)).font = Font(size=16, bold=True)
    ws.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.row_dimensions[r].height = 28
    for line in spec.subtitles:
        r += 1
        ws.cell(r, 1, safe_value(line)).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    top = r + 1
    two_rows = any(h.subs for h in spec.headers)
    bottom = top + 1 if two_rows else top
    c = 1
    for h in spec.headers:
        for rr in range(top, bottom + 1):
            for cc in range(c, c + h.span):
                cell = ws.cell(rr, cc)
                cell.border, cell.alignment, cell.fill = border, centre, head_fill
                cell.font = Font(bold=True)
        ws.cell(top, c, safe_value(h.title))
        if h.subs:
            if h.span > 1:
                ws.merge_cells(start_row=top, start_column=c, end_row=top, end_column=c + h.span - 1)
            for i, sub in enumerate(h.subs):
                ws.cell(bottom, c + i, safe_value(sub))
        elif two_rows:
            ws.merge_cells(start_row=top, start_column=c, end_row=bottom, end_column=c)
        for i in range(h.span):
            ws.column_dimensions[get_column_letter(c + i)].width = h.width
        c += h.span
    ws.freeze_panes = f"B{bottom + 1}"  # a coordinate, not a cell: the header rows and the name column stay put
    red = Font(color="C62828", bold=True)
    first_data = bottom + 1
    for i, values in enumerate(spec.rows):
        rr = first_data + i
        for cc, (value, fmt) in enumerate(zip(values, spec.formats, strict=True), start=1):
            cell = ws.cell(rr, cc, NO_VALUE if value is None else safe_value(value))
            cell.border = border
            if fmt and value is not None and not isinstance(value, str):
                cell.number_format = fmt
                cell.alignment = Alignment(horizontal="right", vertical="center")
            else:
                cell.alignment = Alignment(
                    horizontal="left" if cc == 1 else "center", vertical="center", wrap_text=True
                )
            if i in spec.bold_rows:
                cell.font = Font(bold=True)
            if i in spec.flagged_rows:
                cell.font = red
        if i and i % ROWS_PER_PAGE == 0:
            ws.row_breaks.append(Break(id=rr - 1))
    last = first_data + len(spec.rows) - 1
    r = last + 1
    for line in spec.notes:
        r += 1
        ws.cell(r, 1, safe_value(line)).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.row_dimensions[r].height = 30 if len(line) > 12 * width else 18
    names = [str(values[0]) for values in spec.rows if values and values[0] is not None]
    if names:  # the name column as wide as its longest name (CJK counts double), so rows stay one line high
        longest = max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in name) for name in names)
        ws.column_dimensions["A"].width = max(spec.headers[0].width, min(48, longest + 5))
    pages = max(1, -(-len(spec.rows) // ROWS_PER_PAGE))
    _print_setup(ws, bottom, r, width, pages)


def _print_setup(ws: Any, header_last: int, last_row: int, width: int, pages: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages  # one page per 40 rows (the breaks above), scaled to fit
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_last}"
    ws.print_area = f"A1:{get_column_letter(width)}{last_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
