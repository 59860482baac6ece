"""Export a ledger view (filter + order + columns) to .xlsx, page by page, with progress and cancellation.

A pure function of the database: it walks the same keyset pages as the ledger table (never OFFSET, never the whole
result in memory), writes rows with openpyxl's write-only workbook into a temporary file beside the target and
renames it into place at the end, so a cancelled or failed export leaves no half-written file. `progress(done,
total)` is called after every page (from the calling thread); setting `cancel` stops at the next page.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.ledger import LedgerFilter, LedgerPageRequest, LedgerRow, SortKey
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.ledger_queries import ledger_count, ledger_page
from xinfang_desktop.reports.xlsx_cells import safe_value

PAGE = 500
SHEET_TITLE = "信访台账"

Value = str | int | None


def _petitioner(row: LedgerRow) -> str:
    return row.petitioner + (f" 等{row.headcount}人" if row.headcount > 1 else "")


def _yes(flag: bool) -> str:
    return "是" if flag else ""


#: Every exportable column: key → (title, width in characters, value of a row).
COLUMNS: dict[str, tuple[str, int, Callable[[LedgerRow], Value]]] = {
    "number": ("编号", 16, lambda r: r.number),
    "received": ("收到日期", 12, lambda r: r.received_on.isoformat()),
    "last_received": ("最近信访日期", 12, lambda r: r.last_received_on.isoformat()),
    "channel": ("形式", 10, lambda r: r.channel.label),
    "petitioner": ("信访人", 14, _petitioner),
    "summary": ("内容摘要", 60, lambda r: " ".join(r.summary.split())),
    "locality": ("属地", 12, lambda r: r.locality or ""),
    "unit": ("责任单位", 18, lambda r: r.unit or ""),
    "status": ("状态", 16, lambda r: r.status.label),
    "due": ("期限", 12, lambda r: r.due_on.isoformat() if r.due_on else ""),
    "headcount": ("人数", 6, lambda r: r.headcount),
    "batches": ("批次", 6, lambda r: r.batches),
    "collective": ("集体访", 8, lambda r: _yes(r.is_collective)),
    "repeat": ("重复信访", 8, lambda r: _yes(r.is_repeat)),
    "level_skipping": ("越级", 6, lambda r: _yes(r.is_level_skipping)),
}
DEFAULT_COLUMNS = ("number", "received", "channel", "petitioner", "summary", "locality", "unit", "status", "due")


def ledger_pages(
    db: Database, flt: LedgerFilter, sort: SortKey, descending: bool, page_size: int = PAGE
) -> Iterator[Sequence[LedgerRow]]:
    """The rows of a ledger view in its order, a keyset page at a time, each page in its own read session."""
    request = LedgerPageRequest(flt, sort, descending, page_size, None)
    while True:
        with db.read_session() as session:
            page = ledger_page(session, request)
        yield page.rows
        if page.next_cursor is None:
            return
        request = LedgerPageRequest(flt, sort, descending, page_size, page.next_cursor)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    total: int
    cancelled: bool


def export_ledger(
    db: Database,
    target: Path,
    flt: LedgerFilter,
    sort: SortKey = SortKey.RECEIVED,
    descending: bool = True,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    page_size: int = PAGE,
    title: str = "信访事项台账",
    filter_text: str | None = None,
    exported_on: date | None = None,
) -> ExportResult:
    """Write the cases matching `flt`, in the ledger's order, to `target` (.xlsx); nothing is left when cancelled.

    The sheet opens with its title and the filter it was made with (and the date and count), then the header, frozen
    below; it prints A4 landscape, one page wide, the header repeated and the pages numbered (issue 18)."""
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown or not columns:
        raise DomainError(f"未知的导出列：{'、'.join(unknown) or '（未选择列）'}", field="columns")
    with db.read_session() as session:
        total = ledger_count(session, flt)
    if progress is not None:
        progress(0, total)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    written = 0
    cancelled = False
    saved = False
    wb = Workbook(write_only=True)
    try:
        ws: WriteOnlyWorksheet = wb.create_sheet(SHEET_TITLE)
        for i, key in enumerate(columns):
            ws.column_dimensions[_letter(i)].width = COLUMNS[key][1]
        ws.freeze_panes = "A4"
        # Printing: A4 landscape, one page wide, the header row on every page, pages numbered — set before the
        # first row, when a write-only sheet writes its properties.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "3:3"
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        bold = Font(bold=True)
        heading = WriteOnlyCell(ws, value=safe_value(title))
        heading.font = Font(bold=True, size=14)
        ws.append([heading])
        note = f"筛选条件：{filter_text or '全部信访事项'}；共 {total:,} 件"
        if exported_on is not None:
            note += f"；导出日期：{exported_on.isoformat()}"
        ws.append([safe_value(note)])
        header = []
        for key in columns:
            cell = WriteOnlyCell(ws, value=COLUMNS[key][0])
            cell.font = bold
            header.append(cell)
        ws.append(header)
        getters = [COLUMNS[key][2] for key in columns]
        for rows in ledger_pages(db, flt, sort, descending, page_size):
            if cancel is not None and cancel.is_set():
                cancelled = True
                break
            for row in rows:
                ws.append([safe_value(get(row)) for get in getters])  # a summary typed "=…" stays text
            written += len(rows)
            if progress is not None:
                progress(written, max(total, written))
        wb.save(tmp)  # also when cancelled: it closes the worksheet's row writer and its temporary file
        saved = True
        if cancelled:
            return ExportResult(target, written, total, True)
        os.replace(tmp, target)
    finally:
        if not saved:
            with contextlib.suppress(Exception):
                wb.save(tmp)
        tmp.unlink(missing_ok=True)
    return ExportResult(target, written, total, False)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
