"""The merged cells of an OpenDocument sheet (.ods), which the reader (calamine) does not report for this format.

A 责任单位 written once over three rows is a merged cell in LibreOffice as in Excel: the import fills the rows it
covers (importing/readers.py). calamine gives the merged ranges of .xlsx and .xls only, so the sheet's content.xml is
streamed once here (expat through ElementTree.iterparse, each row released after it is read) for the cells with
`table:number-rows-spanned` / `table:number-columns-spanned`.
"""

from __future__ import annotations

import zipfile
from typing import IO
from xml.etree.ElementTree import ParseError, iterparse

from xinfang_desktop.importing.limits import MAX_COMPRESSION_RATIO, MAX_UNCOMPRESSED_BYTES, ImportFileError

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T_TABLE = f"{{{_TABLE}}}table"
_T_ROW = f"{{{_TABLE}}}table-row"
_T_CELL = f"{{{_TABLE}}}table-cell"
_T_COVERED = f"{{{_TABLE}}}covered-table-cell"
_A_NAME = f"{{{_TABLE}}}name"
_A_ROWS_REP = f"{{{_TABLE}}}number-rows-repeated"
_A_COLS_REP = f"{{{_TABLE}}}number-columns-repeated"
_A_ROWS_SPAN = f"{{{_TABLE}}}number-rows-spanned"
_A_COLS_SPAN = f"{{{_TABLE}}}number-columns-spanned"

Range = tuple[tuple[int, int], tuple[int, int]]


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(int(value), 1) if value is not None else default
    except ValueError:
        return default


def ods_merged_ranges(path: str, sheet: str) -> list[Range]:
    """The merged ranges of one sheet as calamine gives them for .xlsx: ((first row, first col), (last row, last
    col)), 0-based sheet coordinates. An unreadable file: an empty list (calamine's own error says why)."""
    try:
        archive = zipfile.ZipFile(path)
        info = archive.getinfo("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return []
    with archive:
        if info.file_size > MAX_UNCOMPRESSED_BYTES or (
            info.file_size > (1 << 20) and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise ImportFileError("工作簿解压后过大或压缩比异常（疑似“压缩炸弹”），不予读取")
        try:
            with archive.open(info) as stream:
                return _scan(stream, sheet)
        except (ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError):
            return []


def _scan(stream: IO[bytes], sheet: str) -> list[Range]:
    ranges: list[Range] = []
    depth = 0  # > 0 inside the wanted sheet (a nested table counts its own depth)
    row = col = 0
    for event, elem in iterparse(stream, events=("start", "end")):
        tag = elem.tag
        if tag == _T_TABLE:
            if event == "start" and (depth or elem.get(_A_NAME) == sheet):
                depth += 1
            elif event == "end" and depth:
                depth -= 1
                if not depth:
                    break
            continue
        if not depth:
            if event == "end" and tag == _T_ROW:
                elem.clear()
            continue
        if tag == _T_ROW:
            if event == "start":
                col = 0
            else:
                row += _int(elem.get(_A_ROWS_REP))
                elem.clear()  # the row's cells are done with: memory stays that of one row
        elif event == "start" and tag in (_T_CELL, _T_COVERED):
            rows_spanned, cols_spanned = _int(elem.get(_A_ROWS_SPAN)), _int(elem.get(_A_COLS_SPAN))
            if tag == _T_CELL and rows_spanned * cols_spanned > 1:
                ranges.append(((row, col), (row + rows_spanned - 1, col + cols_spanned - 1)))
            col += _int(elem.get(_A_COLS_REP))
    return ranges
