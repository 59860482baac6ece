"""Column widths measured once from the texts a table shows, for the small read-only tables of the sections.

`QHeaderView.ResizeToContents` measures every cell again, through the Python model and for every role, on each
layout and paint request: 50–300 ms on the GUI thread for a table of a few hundred cells. Measuring the texts with
QFontMetrics once per fill costs a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

CELL_PADDING = 9  # a cell's margins and grid line beside its text (as much as Qt's own size hint adds)
HEADER_PADDING = 8  # a header section's margins


def fit_columns(
    view: QTableView,
    headers: Sequence[str],
    rows: Iterable[tuple[Sequence[str], bool]],
    *,
    stretch: int | None = None,
    max_width: int | None = None,
    bold: QFont | None = None,
) -> None:
    """Set each column to its widest text (header lines, then cells; a row flagged True is measured in `bold`),
    capped at `max_width`; the `stretch` column, if any, takes the spare width instead of being measured."""
    header = view.horizontalHeader()
    head_metrics, plain = header.fontMetrics(), view.fontMetrics()
    strong = QFontMetrics(bold) if bold is not None else plain
    widths = [
        max((head_metrics.horizontalAdvance(line) for line in title.split("\n")), default=0) + HEADER_PADDING
        for title in headers
    ]
    for cells, emphasised in rows:
        metrics = strong if emphasised else plain
        for column, text in enumerate(cells[: len(widths)]):
            widths[column] = max(widths[column], metrics.horizontalAdvance(text) + CELL_PADDING)
    for column, width in enumerate(widths):
        if column == stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width if max_width is None else min(width, max_width))
