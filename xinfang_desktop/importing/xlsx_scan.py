"""A look inside an .xlsx before the reader loads it: zip sanity, the used range and the formula cells of a sheet.

The reader (calamine) holds a sheet's used range whole: one value at row 1,000,000 of a 5 KB file costs 700 MB. The
scan streams the sheet's XML once, so such a file is refused with a message before anything is loaded.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from xinfang_desktop.importing.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_SHEET_CELLS,
    MAX_UNCOMPRESSED_BYTES,
    ImportFileError,
)

_VALUE_COL = re.compile(rb'<c r="([A-Z]{1,3})\d{1,7}"[^>/]*(?:/[^>][^>]*)?><(?:f|v|is)[ >/]')
_FORMULA = re.compile(rb'<c r="([A-Z]{1,3}\d{1,7})"[^>]*><f[ >/]')
_REF = re.compile(rb"([A-Z]{1,3})(\d{1,7})")
_SHEET = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL = re.compile(
    rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"|<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"'
)
_MERGE = re.compile(rb'<mergeCell\b[^>]*?ref="([A-Z]{1,3}\d{1,7}):([A-Z]{1,3}\d{1,7})"')
_CHUNK = 1 << 20


@dataclass
class SheetScan:
    last_row: int = 0  # the last row holding a value (1-based)
    last_col: int = 0
    formulas: dict[int, list[str]] = field(default_factory=dict)  # row → the cells (B12) holding a formula
    first_row: int = 0  # the first row holding a value (1-based; 0: none)
    path: str = ""  # the sheet's member in the zip
    # the merged ranges as calamine gives them: ((first row, first col), (last row, last col)), 0-based
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_zip(path: str) -> zipfile.ZipFile:
    """The .xlsx as a zip, or a clear refusal: not a zip, truncated, or a bomb."""
    bad = "文件不是有效的 Excel 工作簿（.xlsx 应为 zip 格式）：可能已损坏、未下载完整，或扩展名与内容不符"
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFileError(bad) from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(f"工作簿解压后超过 {MAX_UNCOMPRESSED_BYTES >> 20} MB，不予读取")
    for info in infos:
        if info.file_size > (1 << 20) and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise ImportFileError("工作簿的压缩比异常（疑似“压缩炸弹”），不予读取")
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise ImportFileError(bad)
    return archive


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = archive.read("xl/workbook.xml")
    try:
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[bytes, bytes] = {}
    for m in _REL.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        targets[rid] = target
    out: dict[str, str] = {}
    for m in _SHEET.finditer(workbook):
        target = targets.get(m.group(2))
        if target:
            t = target.decode("utf-8", "replace").lstrip("/")
            out[_unescape(m.group(1).decode("utf-8", "replace"))] = t if t.startswith("xl/") else "xl/" + t
    return out


def sheet_names(archive: zipfile.ZipFile) -> tuple[str, ...]:
    """The workbook's sheet names in order, from xl/workbook.xml (empty when it cannot say)."""
    try:
        names = tuple(_sheet_paths(archive))
        return () if any("&#" in n for n in names) else names  # character references: calamine decodes them
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return ()
    except Exception:  # zlib.error from a damaged member: calamine's own message follows
        return ()


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def scan_sheet(archive: zipfile.ZipFile, sheet: str) -> SheetScan:
    """Stream the sheet's XML: the last row and column holding a value, and the formula cells by row."""
    path = _sheet_paths(archive).get(sheet)
    scan = SheetScan()
    if path is None:
        return scan
    scan.path = path
    try:
        stream = archive.open(path)
    except (KeyError, zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(f"工作表“{sheet}”已损坏，无法读取") from exc
    tail = b""
    try:
        with stream:
            while True:
                chunk = stream.read(_CHUNK)
                data = tail + chunk
                if not chunk:
                    _scan_part(data, scan)
                    break
                cut = data.rfind(b"<c ")
                if cut <= 0:
                    cut = data.rfind(b"<")  # past the cells (the merged ranges): an element is not cut in two
                if cut <= 0:
                    cut = len(data)
                _scan_part(data[:cut], scan)
                tail = data[cut:]
                if len(tail) > _CHUNK * 4:
                    tail = b""  # one cell of megabytes: its own text carries no cell tags
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFileError("工作簿已损坏（压缩数据不完整），无法读取") from exc
    except Exception as exc:  # zlib.error and the like from a damaged member
        raise ImportFileError("工作簿已损坏，无法读取") from exc
    if scan.last_row * max(scan.last_col, 1) > MAX_SHEET_CELLS:
        raise ImportFileError(
            f"工作表“{sheet}”的使用区域达 {scan.last_row:,} 行 × {scan.last_col} 列（多为空行或空列），超过上限："
            "请在 Excel 中删除数据下方和右侧的空行、空列后再导入"
        )
    return scan


def _scan_part(data: bytes, scan: SheetScan) -> None:
    """The columns holding values (`findall` runs in C: a 100,000-row sheet scans in a fraction of a second), the
    formula cells, and the row of the last value in this part (rows come in order)."""
    for letters in set(_VALUE_COL.findall(data)):
        col = _col_number(letters)
        if col > scan.last_col:
            scan.last_col = col
    for ref in _FORMULA.findall(data):
        m = _REF.fullmatch(ref)
        if m:
            scan.formulas.setdefault(int(m.group(2)), []).append(ref.decode())
    for a, b in _MERGE.findall(data):
        ma, mb = _REF.fullmatch(a), _REF.fullmatch(b)
        if ma and mb:
            scan.merged.append(
                (
                    (int(ma.group(2)) - 1, _col_number(ma.group(1)) - 1),
                    (int(mb.group(2)) - 1, _col_number(mb.group(1)) - 1),
                )
            )
    if not scan.first_row:
        first = min((i for i in (data.find(b"<v>"), data.find(b"<v "), data.find(b"<is>")) if i >= 0), default=-1)
        if first > 0:
            start = data.rfind(b'<c r="', 0, first)
            m = _REF.match(data, start + 6) if start >= 0 else None
            if m:
                scan.first_row = int(m.group(2))
    end = max(data.rfind(b"<v>"), data.rfind(b"<v "), data.rfind(b"<is>"))
    if end > 0:
        start = data.rfind(b'<c r="', 0, end)
        m = _REF.match(data, start + 6) if start >= 0 else None
        if m and int(m.group(2)) > scan.last_row:
            scan.last_row = int(m.group(2))
