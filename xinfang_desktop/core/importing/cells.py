"""Cell values of imported sheets: dates in their many forms, ID numbers that were stored as numbers, counts, text."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

MAX_CELL_CHARS = 10_000  # a 概况 may have 5,000 characters (field_rules); anything longer is not a ledger cell
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 with Lotus's phantom 1900-02-29 accounted for
_SERIAL_RANGE = (18_264, 73_051)  # 1950-01-01 … 2099-12-31 as Excel serials
_EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of a number


class CellError(ValueError):
    """A cell that cannot be read as its field; the message is for the clerk (Chinese)."""


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_length(value: object) -> None:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise CellError(f"单元格内容过长（{len(value):,} 字），上限 {MAX_CELL_CHARS:,} 字")


_DATE_FORMS = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(\d{4})[./\-](\d{1,2})[./\-](\d{1,2})"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_TIME_TAIL = re.compile(r"(?:\s*[T ]?\s*\d{1,2}[:：时]\d{1,2}(?:[:：分]\d{1,2}(?:\.\d+)?秒?)?分?)?\s*", re.ASCII)


def _ymd(y: int, m: int, d: int, shown: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise CellError(f"“{shown}”不是有效日期") from None


def parse_date_cell(value: object) -> date | None:
    """A date from a cell: a date or datetime, an Excel serial, 20260302, or text in the common forms
    (2026年3月2日, 2026.3.2, 2026/03/02, 2026-3-2, 20260302, each optionally followed by a time). None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("应为日期")
    if isinstance(value, int | float):
        if float(value).is_integer() and 19_491_001 <= value <= 20_991_231:
            n = int(value)
            return _ymd(n // 10_000, n // 100 % 100, n % 100, str(n))
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(f"无法识别的日期“{cell_text(value)}”")
    text = str(value).strip()
    for form in _DATE_FORMS:
        m = form.match(text)
        if m and _TIME_TAIL.fullmatch(text[m.end() :]):
            return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    raise CellError(f"无法识别的日期“{text[:40]}”，可写作 2026-03-02、2026年3月2日、2026.3.2 或 20260302")


_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")


def id_number_text(value: object) -> str | None:
    """An ID number cell as text, or a CellError when it was stored as a number and lost digits.

    Excel keeps 15 significant digits: an 18-digit 身份证号码 typed into a number cell ends in zeros (or shows as
    1.10105E+17) and cannot be recovered — the row is reported, never imported with a wrong number."""
    if is_blank(value):
        return None
    lost = "身份证号码被存为数字，末尾几位已丢失（Excel 只保留15位有效数字）：请把该列设为文本后重新录入"
    if isinstance(value, bool):
        raise CellError("应为身份证号码")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(lost)
        digits = str(int(value))
        if len(digits) > _EXCEL_DIGITS:
            raise CellError(lost)
        return digits  # 15 digits: an old 15-digit number, intact
    text = re.sub(r"\s+", "", str(value))
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(lost)
    if text.endswith("'"):
        text = text[:-1]
    return text.lstrip("'")


def lost_digits_hint(text: str) -> bool:
    """An 18-digit text ending in 000: typical of a number column converted to text after the digits were lost."""
    return len(text) == 18 and text.isdigit() and text.endswith("000")


def phone_text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell_text(value)
    return str(value).strip()


_COUNT = re.compile(r"(\d+)\s*(?:人|名|位|户)?")


def parse_count(value: object) -> int | None:
    """A 信访人数 cell: 3, 3.0, “3人”; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("应为人数")
    if isinstance(value, int | float):
        if float(value).is_integer() and value >= 1:
            return int(value)
        raise CellError(f"人数应为正整数（收到“{cell_text(value)}”）")
    m = _COUNT.fullmatch(str(value).strip())
    if not m or int(m.group(1)) < 1:
        raise CellError(f"人数应为正整数（收到“{str(value).strip()[:20]}”）")
    return int(m.group(1))


_YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "已办结", "办结", "已结", "集体访", "联名信"})
_NO = frozenset({"否", "n", "no", "false", "0", "×", "未办结", "在办", "未结", ""})


def parse_flag(value: object) -> bool | None:
    """是/否 cells (是否办结, 是否全国初次信访, 联名信或集体访); None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"应为“是”或“否”（收到“{text[:20]}”）")
