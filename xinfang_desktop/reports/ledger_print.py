"""The rows of a ledger view as a table to print (打印台账): title, filter, headers with relative widths, cell texts.

The window paints it page by page (ui/ledger/ledger_print.py); the rows come from the same keyset walk and the same
column definitions as the Excel export, so what is printed is what is exported. A view larger than MAX_PRINT_ROWS is
refused with the count — a clerk narrows the filter or prints the exported workbook — rather than spooling a
thousand pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.ledger_queries import ledger_count
from xinfang_desktop.reports.ledger_export import COLUMNS, ledger_pages

MAX_PRINT_ROWS = 5000


@dataclass(frozen=True)
class PrintTable:
    title: str
    note: str  # 筛选条件…；共 N 件；打印日期
    headers: tuple[str, ...]
    widths: tuple[int, ...]  # relative column widths (the export's widths in characters)
    rows: tuple[tuple[str, ...], ...]


def ledger_print_table(
    db: Database,
    flt: LedgerFilter,
    sort: SortKey,
    descending: bool,
    columns: Sequence[str],
    *,
    filter_text: str | None = None,
    printed_on: date | None = None,
    title: str = "信访事项台账",
    limit: int | None = None,
) -> PrintTable:
    """The view as text cells, in the ledger's order; more than `limit` (MAX_PRINT_ROWS) cases is refused before
    anything is read."""
    limit = MAX_PRINT_ROWS if limit is None else limit
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown or not columns:
        raise DomainError(f"未知的打印列：{'、'.join(unknown) or '（未选择列）'}", field="columns")
    with db.read_session() as session:
        total = ledger_count(session, flt)
    if total > limit:
        raise DomainError(
            f"当前查询共 {total:,} 件，超过直接打印的上限 {limit:,} 件：请缩小筛选范围（如按月份），"
            "或“导出 Excel…”后打印工作簿",
            field="rows",
        )
    getters = [COLUMNS[key][2] for key in columns]
    rows: list[tuple[str, ...]] = []
    for page in ledger_pages(db, flt, sort, descending):
        rows.extend(tuple("" if (v := get(r)) is None else str(v) for get in getters) for r in page)
    note = f"筛选条件：{filter_text or '全部信访事项'}；共 {len(rows):,} 件"
    if printed_on is not None:
        note += f"；打印日期：{printed_on.isoformat()}"
    return PrintTable(
        title,
        note,
        tuple(COLUMNS[key][0] for key in columns),
        tuple(COLUMNS[key][1] for key in columns),
        tuple(rows),
    )
