"""Readers of the files an office keeps: .xlsx/.xlsm/.xls/.ods/.et through calamine, CSV in UTF-8 (with or without
BOM), GBK or GB18030 with the encoding detected. Rows come out as lists of plain values, merged cells filled.

calamine, not openpyxl: on 100,000 rows × 17 columns it parsed in 6.2 s against openpyxl read-only's 46 s
(docs/import.md has this machine's figures, benchmarks/bench_import.py measures them again).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from xinfang_desktop.importing import xlsx_stream
from xinfang_desktop.importing.limits import MAX_FILE_BYTES, ImportFileError
from xinfang_desktop.importing.ods_scan import ods_merged_ranges
from xinfang_desktop.importing.xlsx_scan import check_zip, scan_sheet, sheet_names

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
CSV_SHEET = "CSV"


@dataclass(frozen=True)
class SourceInfo:
    path: str
    kind: str  # "xlsx" | "xls" | "ods" | "csv"
    sheets: tuple[str, ...]
    encoding: str | None = None  # CSV only: UTF-8, UTF-8-BOM, GBK or GB18030
    size: int = 0


@dataclass
class SheetRows:
    """The rows of one sheet: `first_row` is the Excel row number of the first row yielded; `formulas` the formula
    cells by row number (their values are not imported)."""

    rows: Iterator[list[object]]
    first_row: int = 1
    formulas: dict[int, list[str]] = field(default_factory=dict)
    total: int = 0  # the sheet's last row number (for progress)


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".xls", ".et"):
        return "xls"
    if suffix == ".ods":
        return "ods"
    if suffix in CSV_SUFFIXES:
        return "csv"
    raise ImportFileError(f"不支持的文件类型“{suffix or '无扩展名'}”：可导入 .xlsx、.xls、.et、.ods 和 .csv")


def _check_size(path: Path) -> int:
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise ImportFileError(f"无法打开文件：{exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"文件过大（{size / 1048576:.0f} MB），上限 {MAX_FILE_BYTES >> 20} MB：请按年度拆分后分批导入"
        )
    if size == 0:
        raise ImportFileError("文件是空的")
    return size


def decode_csv(raw: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with BOM, UTF-8, GBK, then GB18030 (a superset of GBK), else a refusal."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8-BOM"
        except UnicodeDecodeError:
            pass
    for codec, name in (("utf-8", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            return raw.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise ImportFileError("无法识别文件的编码（不是 UTF-8、GBK 或 GB18030）：请在 Excel 中另存为“CSV UTF-8”后再导入")


def _open_calamine(path: Path) -> object:
    from python_calamine import CalamineWorkbook

    et = path.suffix.lower() == ".et"
    try:
        if et:  # WPS 表格: the BIFF8 binary of .xls; calamine knows no .et suffix, so it reads it by its content
            with open(path, "rb") as fh:
                return CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own errors and plain ones for broken files
        if et:
            raise ImportFileError(
                "无法读取这个 WPS 表格（.et）文件：请在 WPS 表格中用“另存为”保存为 Excel 工作簿（.xlsx）后再导入"
            ) from exc
        raise ImportFileError(f"无法读取工作簿：文件已损坏或不是该格式（{type(exc).__name__}）") from exc


def inspect_source(path: str | Path) -> SourceInfo:
    """What the file is: its kind, sheets and (CSV) encoding; a clear ImportFileError for anything unreadable."""
    return _open(Path(path))[0]


def _open(p: Path) -> tuple[SourceInfo, object, str | None]:
    """(the file, its calamine workbook or None for CSV, the CSV's text): each file is opened and decoded once."""
    kind = _kind(p)
    size = _check_size(p)
    if kind == "csv":
        text, encoding = decode_csv(p.read_bytes())
        return SourceInfo(str(p), kind, (CSV_SHEET,), encoding, size), None, text
    if kind == "xlsx":
        with check_zip(str(p)) as archive:
            names = sheet_names(archive)
        if names:  # calamine is opened by read_sheet when it reads the sheet (it loads the shared strings at once)
            return SourceInfo(str(p), kind, names, None, size), None, None
    workbook = _open_calamine(p)
    names = tuple(str(n) for n in workbook.sheet_names)  # type: ignore[attr-defined]
    if not names:
        raise ImportFileError("工作簿中没有工作表")
    return SourceInfo(str(p), kind, names, None, size), workbook, None


def read_sheet(path: str | Path, sheet: str | None = None) -> tuple[SourceInfo, str, SheetRows]:
    """(the file, the sheet read, its rows). `sheet`: a name or a 1-based number; the first sheet by default."""
    p = Path(path)
    info, workbook, text = _open(p)
    name = _pick_sheet(info, sheet)
    if text is not None:
        return info, name, SheetRows(_csv_rows(text), total=text.count("\n") + 1)
    scan = None
    if info.kind == "xlsx":
        with check_zip(str(p)) as archive:
            scan = scan_sheet(archive, name)
        if scan.path and scan.first_row and scan.last_row - scan.first_row + 1 > xlsx_stream.STREAM_ROWS:
            # a large sheet: streamed, so the import's memory does not grow with its rows (importing/xlsx_stream.py)
            start = (scan.first_row - 1, 0)
            merged = _merged(None, start, scan.merged)
            rows = _filled(
                xlsx_stream.stream_sheet(str(p), scan.path, scan.first_row, scan.last_row, scan.last_col), merged
            )
            return info, name, SheetRows(rows, scan.first_row, scan.formulas, scan.last_row)
    if workbook is None:
        workbook = _open_calamine(p)
    try:
        data = workbook.get_sheet_by_name(name)  # type: ignore[attr-defined]
    except Exception as exc:
        raise ImportFileError(f"无法读取工作表“{name}”：文件已损坏（{type(exc).__name__}）") from exc
    start = data.start or (0, 0)
    try:
        raw = iter(data.iter_rows())
        first = next(raw, None)
    except Exception as exc:
        raise ImportFileError(f"读取工作表时出错：文件已损坏（{type(exc).__name__}）") from exc
    # python-calamine yields the rows from the sheet's first row (the columns from the used range's first): the blank
    # rows above the used range are passed over here, so that row numbers and merged ranges line up. (Should a version
    # start at the used range, its first row holds a value — an empty first row tells which.)
    if start[0] > 0 and first is not None and all(v == "" for v in first):
        first = next(itertools.islice(raw, start[0] - 1, None), None)
    merged = _merged(data, start, ods_merged_ranges(str(p), name) if info.kind == "ods" else None)
    rows = _calamine_rows(itertools.chain([] if first is None else [first], raw), start, merged)
    total = start[0] + int(data.height or 0)
    return info, name, SheetRows(rows, start[0] + 1, scan.formulas if scan else {}, total)


def _pick_sheet(info: SourceInfo, sheet: str | None) -> str:
    if sheet is None or sheet == "":
        return info.sheets[0]
    if sheet in info.sheets:
        return sheet
    if sheet.isdigit() and 1 <= int(sheet) <= len(info.sheets):
        return info.sheets[int(sheet) - 1]
    raise ImportFileError(f"没有名为“{sheet}”的工作表，可选：{'、'.join(info.sheets)}")


def _merged(
    data: object, start: tuple[int, int], given: list[tuple[tuple[int, int], tuple[int, int]]] | None = None
) -> dict[tuple[int, int], tuple[int, int]]:
    """Each covered cell of a merged range (relative to the used range) → its top-left cell. `given`: the ranges
    when calamine does not report them (.ods, importing/ods_scan.py)."""
    try:
        ranges = given if given is not None else (data.merged_cell_ranges or [])  # type: ignore[attr-defined]
    except Exception:
        return {}
    cover: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in ranges:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue  # a merge over a whole column: not a value that applies to rows below
        top = (r0 - start[0], c0 - start[1])
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    cover[(r - start[0], c - start[1])] = top
    return cover


def _calamine_rows(
    raw: Iterator[list[object]], start: tuple[int, int], merged: dict[tuple[int, int], tuple[int, int]]
) -> Iterator[list[object]]:
    pad = [None] * start[1]
    try:
        rows = ([None if v == "" else v for v in row] for row in raw)
        for values in _filled(rows, merged):
            yield pad + values if pad else values
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(f"读取工作表时出错：文件已损坏（{type(exc).__name__}）") from exc


def _filled(rows: Iterator[list[object]], merged: dict[tuple[int, int], tuple[int, int]]) -> Iterator[list[object]]:
    """The rows with each merged range's value in the cells it covers (positions relative to the first row)."""
    if not merged:
        yield from rows
        return
    tops = set(merged.values())
    kept: dict[tuple[int, int], object] = {}
    for r, values in enumerate(rows):
        for c in range(len(values)):
            if (r, c) in tops:
                kept[(r, c)] = values[c]
            top = merged.get((r, c))
            if top is not None and values[c] is None:
                values[c] = kept.get(top)
        yield values


def _csv_rows(text: str) -> Iterator[list[object]]:
    sample = text[:8192]
    delimiter = ","
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        if sample.count("\t") > sample.count(","):
            delimiter = "\t"
    csv.field_size_limit(16 * 1024 * 1024)  # long cells are reported per row, not by the csv module
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield [v if v.strip() else None for v in row]
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式错误（第 {reader.line_num} 行）：{exc}") from exc
