"""Cell values for every .xlsx the application writes: text that a spreadsheet would run as a formula stays text.

A petitioner's summary or a unit name typed as ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` must open in Excel or WPS
as the characters typed, never as a live formula (CSV/formula injection, OWASP). openpyxl writes any string that
starts with ``=`` as a formula; a leading ``+``, ``-`` or ``@`` is evaluated by Excel when the cell is edited, and a
leading tab or carriage return hides such a start. Such text is written as an inline string with its value as typed:
the sheet shows exactly what was entered, and nothing is prefixed to it.
"""

from __future__ import annotations

from typing import Any

#: The first characters with which a spreadsheet starts a formula (or, after a tab or CR, may).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """True for a text a spreadsheet would treat as a formula (a number such as -3 is not text, and stays a number)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_value(value: Any) -> Any:
    """`value` as an openpyxl cell value that is never a formula: formula-like text is kept as typed, as text."""
    if is_formula_like(value):
        from openpyxl.cell.rich_text import CellRichText

        # A rich-text value is written as an inline string (t="inlineStr"): openpyxl never makes a formula of it,
        # and the cell shows the text exactly as typed.
        return CellRichText(value)
    return value


__all__ = ["FORMULA_STARTS", "is_formula_like", "safe_value"]
