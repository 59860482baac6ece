"""A streaming reader of one .xlsx sheet, for large files: rows come out one at a time, so the memory of an import
does not grow with the rows of the sheet.

calamine (importing/readers.py) holds a sheet's used range whole — about 1.5 KB per 17-column row, 150 MB at 100,000
rows — which is fine for the usual 台账 and is what small files use. Above `STREAM_ROWS` rows the sheet's XML is read
here instead, in 1 MB pieces through regular expressions (they run in C; openpyxl's read-only mode builds an object
per cell and was 13× slower). The shared strings — every distinct text of the workbook — are kept as UTF-8 in one
temporary file with an offset table (8 bytes per string), not as Python strings, so they do not grow the process
either. Values come out as calamine gives them: numbers as float, date-formatted numbers as date (or datetime when
they carry a time), booleans, text; empty cells None; the rows from the first to the last row holding a value, each
as wide as the used range (tests/importing/test_xlsx_stream.py compares the two readers cell by cell).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from array import array
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import IO

from xinfang_desktop.importing.limits import ImportFileError

STREAM_ROWS = 20_000  # sheets with more rows than this are streamed (calamine below)
_CHUNK = 1 << 20

_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_V = re.compile(rb"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
_T = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_RPH = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_IS = re.compile(rb"<is>(.*?)</is>", re.S)
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_REF = re.compile(rb"([A-Z]{1,3})(\d+)")
_ATTR_R = re.compile(rb'\br="(\d+)"')
_XESC = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_CELLXFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b([^>]*?)/?>")
_NUMFMT_ID = re.compile(rb'numFmtId="(\d+)"')
_DATE1904 = re.compile(rb'date1904="(1|true)"')
# the built-in number formats that are dates or times (ECMA-376 18.8.30, and the CJK locales' 27–36, 50–58)
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[(?![hms]+\])[^\]]*\]')


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _charrefs(s: str) -> str:
    """&#20449; and &#x4fe1; decoded (openpyxl writes every CJK character so; html.unescape is 5× slower)."""
    parts = s.split("&#")
    out = [parts[0]]
    for part in parts[1:]:
        end = part.find(";")
        code = part[:end]
        try:
            ch = chr(int(code[1:], 16) if code[:1] in ("x", "X") else int(code)) if 0 < end <= 8 else ""
        except ValueError:
            ch = ""
        out.append(ch + part[end + 1 :] if ch else "&#" + part)
    return "".join(out)


def _text(raw: bytes) -> str:
    s = raw.decode("utf-8", "replace")
    if "&" in s:
        if "&#" in s:
            s = _charrefs(s)
        if "&" in s:
            s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            s = s.replace("&amp;", "&")
    if "_x" in s:
        s = _XESC.sub(lambda m: chr(int(m.group(1), 16)), s)
    return s


def _rich_text(inner: bytes) -> str:
    if b"<rPh" in inner:
        inner = _RPH.sub(b"", inner)
    return "".join(_text(t) for t in _T.findall(inner))


def is_date_format(code: str) -> bool:
    """A custom number format shows a date or time: d, m, y, h or s outside quoted text, escapes and [colour]."""
    stripped = _FORMAT_NOISE.sub("", code).lower()
    if stripped in ("general", ""):
        return False
    return any(ch in stripped for ch in "dmyhs") and "general" not in stripped


class SharedStrings:
    """The workbook's shared strings as UTF-8 in a temporary file and an offset table (8 bytes a string), with the
    strings looked up last remembered (at most `CACHE` of them: the repeated 来访, 求决, 城关街道 … are read once)."""

    CACHE = 20_000

    def __init__(self) -> None:
        # unbuffered: a look-up reads its bytes only; closed by close() (stream_sheet's finally)
        self._file: IO[bytes] = tempfile.TemporaryFile(buffering=0)  # noqa: SIM115
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._offsets = array("q", [0])
        self._cache: dict[int, str] = {}

    def add(self, text: str) -> None:
        data = text.encode("utf-8")
        self._pending.append(data)
        self._pending_size += len(data)
        self._offsets.append(self._offsets[-1] + len(data))
        if self._pending_size > _CHUNK:
            self.finish()

    def finish(self) -> None:
        """Write what `add` gathered (once at the end and every megabyte on the way)."""
        if self._pending:
            self._file.write(b"".join(self._pending))
            self._pending, self._pending_size = [], 0

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: int) -> str:
        found = self._cache.get(index)
        if found is not None:
            return found
        start, end = self._offsets[index], self._offsets[index + 1]
        if start == end:
            return ""
        self._file.seek(start)
        text = self._file.read(end - start).decode("utf-8")
        if len(self._cache) >= self.CACHE:
            self._cache.clear()
        self._cache[index] = text
        return text

    def close(self) -> None:
        self._file.close()


def _read_members(archive: zipfile.ZipFile, name: str, split: bytes) -> Iterator[bytes]:
    """A member's bytes in pieces of about 1 MB, each cut after `split` (so no element is cut in two)."""
    try:
        stream = archive.open(name)
    except KeyError:
        return
    tail = b""
    with stream:
        while True:
            chunk = stream.read(_CHUNK)
            data = tail + chunk
            if not chunk:
                if data:
                    yield data
                return
            cut = data.rfind(split)
            if cut < 0:
                tail = data
                continue
            cut += len(split)
            yield data[:cut]
            tail = data[cut:]


def _shared_strings(archive: zipfile.ZipFile) -> SharedStrings:
    strings = SharedStrings()
    for part in _read_members(archive, "xl/sharedStrings.xml", b"</si>"):
        for m in _SI.finditer(part):
            inner = m.group(1)
            strings.add(_rich_text(inner) if inner else "")
    strings.finish()
    return strings


def _date_styles(archive: zipfile.ZipFile) -> list[bool]:
    """For each cell style (the `s` of a cell): does it show a date?"""
    try:
        styles = archive.read("xl/styles.xml")
    except KeyError:
        return []
    custom = {int(i): _text(code) for i, code in _NUMFMT.findall(styles)}
    xfs = _CELLXFS.search(styles)
    out: list[bool] = []
    for attrs in _XF.findall(xfs.group(1)) if xfs else ():
        m = _NUMFMT_ID.search(attrs)
        fmt = int(m.group(1)) if m else 0
        out.append(fmt in _BUILTIN_DATES or (fmt in custom and is_date_format(custom[fmt])))
    return out


def _serial(value: float, epoch: datetime) -> object:
    """An Excel serial as calamine gives it: a date when whole, a datetime with a time, a time below one day."""
    if value < 0:
        return value
    if 0 <= value < 1:
        seconds = round(value * 86400)
        return time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    moment = epoch + timedelta(days=value)
    moment = moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))
    if value == int(value):
        return moment.date()
    return moment


def stream_sheet(path: str, sheet_path: str, first_row: int, last_row: int, last_col: int) -> Iterator[list[object]]:
    """Rows `first_row`..`last_row` (1-based, as the scan found them) of the sheet at `sheet_path` inside the zip,
    each `last_col` cells wide; a row the sheet leaves out is a row of None."""
    archive = zipfile.ZipFile(path)
    strings = _shared_strings(archive)
    try:
        dates = _date_styles(archive)
        try:
            workbook = archive.read("xl/workbook.xml")
        except KeyError:
            workbook = b""
        epoch = datetime(1904, 1, 1) if _DATE1904.search(workbook) else datetime(1899, 12, 30)
        width = last_col
        expected = first_row
        for part in _read_members(archive, sheet_path, b"</row>"):
            for row_match in _ROW.finditer(part):
                attrs, inner = row_match.group(1), row_match.group(2)
                r = _ATTR_R.search(attrs)
                number = int(r.group(1)) if r else expected
                if number < first_row:
                    expected = number + 1
                    continue
                if number > last_row:
                    return
                while expected < number:
                    yield [None] * width
                    expected += 1
                values: list[object] = [None] * width
                if inner:
                    _cells(inner, values, strings, dates, epoch)
                yield values
                expected = number + 1
        while expected <= last_row:
            yield [None] * width
            expected += 1
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, IndexError) as exc:
        raise ImportFileError(f"读取工作表时出错：文件已损坏（{type(exc).__name__}）") from exc
    finally:
        strings.close()
        archive.close()


# The common form of a cell, as Excel, WPS, LibreOffice and openpyxl write it: r, then s and t if any, then an optional
# formula and the value. A row whose cells all have this form is read by one findall (in C); any other is read cell
# by cell below (the same values, slower).
_FAST_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?(?:/>|>(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?'
    rb"(?:<v>([^<]*)</v>|<is>(.*?)</is>)?</c>)",
    re.S,
)
_CELL_TAGS = (b"<c ", b"<c>", b"<c/", b"<c\n", b"<c\r", b"<c\t")  # every cell, counted (in C) against the findall
_COLUMNS: dict[bytes, int] = {}


def _column(letters: bytes) -> int:
    index = _COLUMNS.get(letters)
    if index is None:
        index = _COLUMNS.setdefault(letters, _col(letters)) if len(_COLUMNS) < 20_000 else _col(letters)
    return index


def _cells(inner: bytes, values: list[object], strings: SharedStrings, dates: list[bool], epoch: datetime) -> None:
    fast = _FAST_CELL.findall(inner)
    if len(fast) != sum(inner.count(tag) for tag in _CELL_TAGS):
        _slow_cells(inner, values, strings, dates, epoch)
        return
    width = len(values)
    n_dates = len(dates)
    for letters, style, kind, raw, inline in fast:
        col = _column(letters)
        if col >= width:
            continue
        if not kind or kind == b"n":
            if not raw:
                continue
            if style and n_dates and int(style) < n_dates and dates[int(style)]:
                values[col] = _serial(float(raw), epoch)
            else:
                values[col] = float(raw)
        elif kind == b"s":
            if raw:
                values[col] = strings[int(raw)] or None
        elif kind == b"inlineStr":
            values[col] = _rich_text(inline) or None
        elif kind == b"b":
            values[col] = raw.strip() in (b"1", b"true")
        elif raw:
            values[col] = _text(raw) or None


def _slow_cells(inner: bytes, values: list[object], strings: SharedStrings, dates: list[bool], epoch: datetime) -> None:
    width = len(values)
    col = -1
    for m in _CELL.finditer(inner):
        attrs = dict(_ATTR.findall(m.group(1)))
        ref = attrs.get(b"r")
        if ref:
            ref_match = _REF.match(ref)
            col = _col(ref_match.group(1)) if ref_match else col + 1
        else:
            col += 1
        body = m.group(2)
        if not body or col >= width:
            continue
        kind = attrs.get(b"t", b"n")
        if kind == b"inlineStr":
            inline = _IS.search(body)
            text = _rich_text(inline.group(1)) if inline else ""
            values[col] = text or None
            continue
        v = _V.search(body)
        if v is None:
            continue
        raw = v.group(1)
        if kind == b"s":
            text = strings[int(raw)]
            values[col] = text or None
        elif kind == b"n":
            if not raw:
                continue
            number = float(raw)
            style = attrs.get(b"s")
            if style is not None and dates:
                index = int(style)
                if index < len(dates) and dates[index]:
                    values[col] = _serial(number, epoch)
                    continue
            values[col] = number
        elif kind == b"b":
            values[col] = raw.strip() in (b"1", b"true")
        else:  # str (a formula's text), e (an error such as #N/A), d (an ISO date as text)
            text = _text(raw)
            values[col] = text or None
