"""Where the table is in a sheet: the header row (not always row 1, sometimes two merged rows), the total rows at
the end, and what a column holds judged by its content when its header says nothing known."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from xinfang_desktop.core.importing.cells import CellError, cell_text, is_blank, parse_date_cell
from xinfang_desktop.core.importing.fields import IGNORE, field_for_header, field_for_header_loose

HEADER_SCAN_ROWS = 30  # a header below 30 rows of titles is not a header
_TOTAL = re.compile(r"^(合\s*计|总\s*计|小\s*计|共\s*计|累\s*计|总数|合计[:：].*|共\s*\d+\s*[件条人].*)$")


@dataclass(frozen=True)
class HeaderGuess:
    row: int  # 0-based index of the (last) header row in the rows given
    rows: int  # 1 or 2 header rows
    headers: tuple[str, ...]  # one per column; a two-row header joins “上级 下级” as “上级下级” where both exist


def _score(row: Sequence[object]) -> int:
    known = 0
    for v in row:
        if isinstance(v, str) and v.strip() and field_for_header(v) not in (None, IGNORE):
            known += 1
    return known


def detect_header(rows: Sequence[Sequence[object]]) -> HeaderGuess | None:
    """The row among the first 30 with the most known header names (at least two), and whether the next row is a
    second header row (the sub-headers under a merged “信访人” cell: 姓名, 身份证号, 电话)."""
    best: tuple[int, int] | None = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _score(row)
        if score >= 2 and (best is None or score > best[1]):
            best = (i, score)
    if best is None:
        return None
    top = best[0]
    width = max((len(r) for r in rows[top : top + 2]), default=0)
    upper = [cell_text(c) for c in rows[top]] + [""] * (width - len(rows[top]))
    if top + 1 < len(rows) and _is_sub_header(rows[top + 1], upper):
        lower = [cell_text(c) for c in rows[top + 1]] + [""] * (width - len(rows[top + 1]))
        return HeaderGuess(top + 1, 2, tuple(_join(u, lo) for u, lo in zip(upper, lower, strict=True)))
    return HeaderGuess(top, 1, tuple(upper))


def _is_sub_header(row: Sequence[object], upper: list[str]) -> bool:
    texts = [cell_text(c) for c in row]
    filled = [t for t in texts if t]
    if not filled or any(not isinstance(c, str) for c in row if not is_blank(c)):
        return False  # a data row has numbers and dates
    known = sum(1 for t in filled if field_for_header_loose(t) not in (None,))
    repeated = sum(1 for i, t in enumerate(texts) if t and i < len(upper) and upper[i] == t)
    return known >= 1 and known + repeated >= len(filled) * 0.6


def _join(upper: str, lower: str) -> str:
    if not lower or lower == upper:
        return upper
    if not upper:
        return lower
    return lower if field_for_header(lower) not in (None, IGNORE) else upper + lower


def is_total_row(row: Sequence[object]) -> bool:
    """合计 / 总计 / 小计 / “共 35 件” in the first filled cells of a row."""
    for v in row[:3]:
        text = cell_text(v)
        if text:
            return bool(_TOTAL.match(text.replace(" ", "")))
    return False


def is_blank_row(row: Sequence[object]) -> bool:
    return all(is_blank(v) for v in row)


_ID = re.compile(r"\d{17}[\dXx]|\d{15}")
_MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def guess_by_content(samples: Sequence[object]) -> str | None:
    """id_number, phone or received_on when most filled samples of a column look like one (headers unknown)."""
    filled = [s for s in samples if not is_blank(s)]
    if len(filled) < 2:
        return None
    texts = [cell_text(s).replace(" ", "") for s in filled]
    need = 0.8 * len(filled)
    if sum(1 for t in texts if _ID.fullmatch(t)) >= need:
        return "id_number"
    if sum(1 for t in texts if _MOBILE.fullmatch(t) or _LANDLINE.fullmatch(t)) >= need:
        return "phone"
    dates = 0
    for s in filled:
        try:
            if not isinstance(s, int | float) and parse_date_cell(s) is not None:
                dates += 1
        except CellError:
            pass
    return "received_on" if dates >= need else None
