"""年度市领导包片督查信访积案表 (R-PK-05, S2's annex): the table from the ledger, its .xlsx export and import.

The table lists, in the order of the year's assignments, the overseeing leader (a name, a role, or nobody), the
contact unit and its backlog count from the ledger; the total goes in the header (“积案数(共237件)”), as in the
annex. Note rows (no count) are kept where they stand. The PDF is built from `table_rows()` by
`documents.leader_documents.oversight_document` (reports and documents are independent layers).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinfang_desktop.core.errors import DomainError, FieldProblem, ValidationError
from xinfang_desktop.core.packages import normalise_name, pad_name
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.oversight_store import OversightRowInput, oversight_data

HEADER_LEADER = "督查领导"
HEADER_CONTACT = "联系单位"
HEADER_COUNT = "积案数"

# Issue 17: what `oversight import` reads at most (the annex is one sheet of a few dozen rows). A 4.7 KB crafted sheet
# declaring the whole grid as its dimension made openpyxl pad 16,384 columns on a million rows (6 GB); a 1M-row sheet
# ran past five minutes. The dimension is ignored, columns and rows are capped, and the zip is measured first.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # zip bombs compress thousands of times; real sheets 5-20 times
MAX_ROWS = 2_000
MAX_COLUMNS = 30
MAX_CELL_CHARS = 500


def title_of(year: int) -> str:
    return f"{year}年度市领导包片督查信访积案表"


@dataclass(frozen=True)
class OversightRow:
    order: int
    leader: str | None  # as written, without padding (a name or a role)
    leader_id: int | None
    contact_unit: str
    backlog: int | None  # None on a note row
    imported_count: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.order,
            "leader": self.leader,
            "leader_id": self.leader_id,
            "contact_unit": self.contact_unit,
            "backlog": self.backlog,
            "imported_count": self.imported_count,
            "note": self.backlog is None,
        }


@dataclass(frozen=True)
class OversightReport:
    year: int
    rows: tuple[OversightRow, ...]
    unassigned: int

    @property
    def title(self) -> str:
        return title_of(self.year)

    @property
    def total(self) -> int:
        return sum(r.backlog or 0 for r in self.rows)

    @property
    def counted_rows(self) -> list[OversightRow]:
        return [r for r in self.rows if r.backlog is not None]

    def by_leader(self) -> list[dict[str, Any]]:
        """One leader over several units (R-PK-05): the leader's units and backlog together."""
        groups: dict[str, dict[str, Any]] = {}
        for r in self.counted_rows:
            key = r.leader or ""
            g = groups.setdefault(key, {"leader": r.leader, "units": [], "backlog": 0})
            g["units"].append(r.contact_unit)
            g["backlog"] += r.backlog or 0
        return list(groups.values())

    def count_header(self) -> str:
        return f"{HEADER_COUNT}(共{self.total}件)"

    def table_rows(self) -> tuple[tuple[str, ...], ...]:
        """Header and rows as printed: two-character names padded (“张  兵”), note rows with an empty count."""
        rows: list[tuple[str, ...]] = [(HEADER_LEADER, HEADER_CONTACT, self.count_header())]
        for r in self.rows:
            leader = pad_name(r.leader) if r.leader else ""
            rows.append((leader, r.contact_unit, "" if r.backlog is None else str(r.backlog)))
        return tuple(rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "title": self.title,
            "total": self.total,
            "rows": [r.to_json() for r in self.rows],
            "row_count": len(self.counted_rows),
            "by_leader": self.by_leader(),
            "unassigned": self.unassigned,
        }

    def text(self) -> str:
        lines = [self.title, f"{HEADER_LEADER}\t{HEADER_CONTACT}\t{self.count_header()}"]
        lines += ["\t".join(row) for row in self.table_rows()[1:]]
        if self.unassigned:
            lines.append(f"另有 {self.unassigned} 件积案不属于任何联系单位")
        return "\n".join(lines)


def oversight_report(db: Database, year: int) -> OversightReport:
    """The year's table from the ledger's backlog and the imported assignments."""
    data = oversight_data(db, year)
    if not data.assignments:
        raise DomainError(
            f"尚未设置 {year} 年度的包片督查安排，请先用 xinfang oversight import 导入督查表", field="year"
        )
    rows = tuple(
        OversightRow(
            a.row_order,
            a.leader_text,
            a.leader_id,
            a.contact_text,
            None if a.is_note else data.counts.get(a.row_order, 0),
            a.imported_count,
        )
        for a in data.assignments
    )
    return OversightReport(year, rows, data.unassigned)


# ------------------------------------------------------------------------------------------------ .xlsx


def write_xlsx(report: OversightReport, path: str | Path) -> None:
    """The table as a worksheet in the annex's shape: title, header with the total, rows, note rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from xinfang_desktop.reports.xlsx_cells import safe_value

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{report.year}包片督查"
    ws.append([safe_value(report.title)])  # every text cell through safe_value: a unit named "=…" stays text
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    ws.cell(1, 1).font = Font(name="方正小标宋简体", size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    for r, row in enumerate(report.table_rows(), start=2):
        for c, value in enumerate(row, start=1):
            count_cell = c == 3 and r > 2 and value != ""
            cell = ws.cell(r, c, int(value) if count_cell else safe_value(value or None))
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if r == 2:
                cell.font = Font(bold=True)
    for col, width in zip("ABC", (24, 36, 18), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(str(path))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(path: str | Path) -> list[OversightRowInput]:
    """Rows of an oversight table (columns 督查领导, 联系单位, 积案数) from the first worksheet that has them.

    Title rows above the header are skipped; an empty 督查领导 is a row without a named leader; an empty 积案数
    makes a note row; a 合计 row is ignored; the table ends at the first blank row after it. Problems are reported
    with their row numbers. A file beyond the MAX_… limits is refused with a message before it can swamp the PC.
    """
    from openpyxl import load_workbook

    _check_file(Path(path))
    try:
        wb = load_workbook(str(path), read_only=True, data_only=True)
    except FileNotFoundError:
        raise DomainError(f"找不到文件：{path}", field="file") from None
    except Exception as exc:  # openpyxl raises several kinds for a file that is not .xlsx
        raise DomainError(f"无法读取 .xlsx 文件 {path}：{type(exc).__name__}", field="file") from None
    try:
        for ws in wb.worksheets:
            rows, truncated = _sheet_rows(ws)
            found = _find_header(rows)
            if found is not None:
                return _rows_after(rows, *found, truncated=truncated)
    except DomainError:
        raise
    except Exception as exc:  # a broken sheet inside a valid zip: one message, nothing written
        raise DomainError(f"无法读取 .xlsx 文件 {path}：{type(exc).__name__}", field="file") from None
    finally:
        wb.close()
    raise DomainError(f"表中没有找到“{HEADER_LEADER}”“{HEADER_CONTACT}”“{HEADER_COUNT}”三列的表头", field="file")


def _check_file(path: Path) -> None:
    """Size, uncompressed size and compression ratio, before any XML is parsed."""
    import zipfile

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DomainError(f"找不到文件：{path}", field="file") from None
    if size > MAX_FILE_BYTES:
        raise DomainError(
            f"文件过大（{size / 1048576:.1f} MB）：督查表最多 {MAX_FILE_BYTES >> 20} MB，请确认选择的是督查表",
            field="file",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        raise DomainError(f"无法读取 .xlsx 文件 {path}：不是 .xlsx 文件（无法解压）", field="file") from None
    total = sum(m.file_size for m in members)
    bomb = any(m.file_size > 1048576 and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1) for m in members)
    if total > MAX_UNCOMPRESSED_BYTES or bomb:
        raise DomainError(
            f"{path.name} 解压后过大（{total / 1048576:,.0f} MB，压缩比异常）：不像是督查表，已拒绝读取",
            field="file",
        )


def _sheet_rows(ws: Any) -> tuple[list[tuple[str, ...]], bool]:
    """The first MAX_ROWS rows (MAX_COLUMNS columns) as text; True when the sheet goes on beyond them."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # the declared dimension is not trusted: only the cells present are read
    rows: list[tuple[str, ...]] = []
    for row in ws.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True):
        if len(rows) == MAX_ROWS:
            return rows, True
        texts = tuple(_cell_text(v) for v in row)
        for j, text in enumerate(texts):
            if len(text) > MAX_CELL_CHARS:
                raise DomainError(
                    f"第 {len(rows) + 1} 行第 {j + 1} 列的内容过长（{len(text):,} 字，最多 {MAX_CELL_CHARS} 字）",
                    field="file",
                )
        rows.append(texts)
    return rows, False


def _find_header(rows: list[tuple[str, ...]]) -> tuple[int, int, int, int] | None:
    for i, row in enumerate(rows):
        cols = [normalise_name(c) for c in row]
        lead = next((j for j, c in enumerate(cols) if c == HEADER_LEADER), None)
        contact = next((j for j, c in enumerate(cols) if c == HEADER_CONTACT), None)
        count = next((j for j, c in enumerate(cols) if c.startswith(HEADER_COUNT)), None)
        if lead is not None and contact is not None and count is not None:
            return i, lead, contact, count
    return None


def _rows_after(
    rows: list[tuple[str, ...]], header: int, lead: int, contact: int, count: int, *, truncated: bool = False
) -> list[OversightRowInput]:
    out: list[OversightRowInput] = []
    problems: list[FieldProblem] = []
    ended = False
    for i in range(header + 1, len(rows)):
        row = rows[i]

        def cell(j: int, row: tuple[str, ...] = row) -> str:
            return row[j] if j < len(row) else ""

        leader, unit, number = cell(lead), cell(contact), cell(count)
        if not (leader or unit or number):
            if out or problems:  # the table ends at the first blank row (a contact line may follow it)
                ended = True
                break
            continue
        if normalise_name(leader) in ("合计", "总计") or normalise_name(unit) in ("合计", "总计"):
            continue
        excel_row = i + 1
        value: int | None = None
        if number:
            try:
                value = int(number)
            except ValueError:
                problems.append(FieldProblem("count", HEADER_COUNT, f"第 {excel_row} 行：“{number}”不是整数"))
                continue
        if not unit:
            problems.append(FieldProblem("contact", HEADER_CONTACT, f"第 {excel_row} 行：不能为空"))
            continue
        out.append(OversightRowInput(" ".join(leader.split()) or None, unit, value, excel_row))
    if truncated and not ended:
        raise DomainError(f"督查表超过 {MAX_ROWS} 行，已停止读取：请确认选择的是督查表", field="file")
    if problems:
        raise ValidationError(problems)
    if not out:
        raise DomainError("督查表的表头下没有数据行", field="file")
    return out
