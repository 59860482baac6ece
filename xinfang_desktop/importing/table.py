"""The table in a sheet: its header (detected or given), then its data rows with their Excel row numbers; blank rows
skipped, total rows (合计) skipped and counted, reading stopped after a long run of empty rows."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from xinfang_desktop.core.importing.cells import cell_text
from xinfang_desktop.core.importing.layout import HEADER_SCAN_ROWS, detect_header, is_blank_row, is_total_row
from xinfang_desktop.importing.limits import MAX_DATA_ROWS, MAX_EMPTY_RUN, ImportFileError
from xinfang_desktop.importing.readers import SheetRows


@dataclass
class TableStats:
    blank_rows: int = 0
    total_rows: list[int] = field(default_factory=list)  # row numbers of 合计 rows
    data_rows: int = 0


@dataclass
class Table:
    headers: tuple[str, ...]  # unique: a repeated header gets “（2）”
    header_row: int  # Excel row number of the (last) header row
    header_rows: int
    rows: Iterator[tuple[int, list[object]]]
    formulas: dict[int, list[str]]
    stats: TableStats


def _unique(headers: list[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for i, h in enumerate(headers):
        h = h.strip() or f"第{i + 1}列"
        n = seen.get(h, 0) + 1
        seen[h] = n
        out.append(h if n == 1 else f"{h}（{n}）")
    return tuple(out)


def open_table(sheet: SheetRows, header_row: int | None = None) -> Table:
    """The table of a sheet. `header_row`: the Excel row number of the (last) header row, else detected."""
    head = list(itertools.islice(sheet.rows, HEADER_SCAN_ROWS + 1))
    first = sheet.first_row
    if header_row is not None:
        index = header_row - first
        if not 0 <= index < len(head):
            raise ImportFileError(f"表头行号 {header_row} 超出了表格的前 {HEADER_SCAN_ROWS} 行")
        guess = detect_header(head[max(0, index - 1) : index + 1])
        if guess is not None and guess.row == (1 if index > 0 else 0):
            headers, n_rows = list(guess.headers), guess.rows
        else:
            headers, n_rows = [cell_text(c) for c in head[index]], 1
    else:
        found = detect_header(head)
        if found is None:
            raise ImportFileError(
                "在前 30 行中找不到表头（至少要有两个能认出的列名，如 姓名、信访日期、概况）：请在映射中指定表头所在行"
            )
        index, headers, n_rows = found.row, list(found.headers), found.rows
    width = max([len(headers)] + [len(r) for r in head[index + 1 :]])
    headers += [""] * (width - len(headers))
    stats = TableStats()
    rest = itertools.chain(head[index + 1 :], sheet.rows)
    return Table(
        _unique(headers), first + index, n_rows, _data_rows(rest, first + index + 1, stats), sheet.formulas, stats
    )


def _data_rows(rows: Iterator[list[object]], first: int, stats: TableStats) -> Iterator[tuple[int, list[object]]]:
    empty_run = 0
    for number, row in enumerate(rows, start=first):
        if is_blank_row(row):
            stats.blank_rows += 1
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                return  # the rest is a formatted but empty sheet
            continue
        empty_run = 0
        if is_total_row(row):
            stats.total_rows.append(number)
            continue
        stats.data_rows += 1
        if stats.data_rows > MAX_DATA_ROWS:
            raise ImportFileError(f"数据超过 {MAX_DATA_ROWS:,} 行：请按年度拆分后分批导入")
        yield number, row
