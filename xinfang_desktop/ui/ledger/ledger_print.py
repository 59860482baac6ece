"""The ledger's 打印… button: the current view (filter, order, shown columns) printed from the window — A4 landscape,
the title and filter on the first page, the column heads on every page, long summaries wrapped, pages numbered
“第 N 页，共 M 页” — through Qt's print preview, where the clerk picks the printer (or 另存为 PDF)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QPushButton, QWidget

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.reports.ledger_print import PrintTable
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.ledger.case_table_model import Column
from xinfang_desktop.ui.ledger.excel_export import EXPORT_KEYS, Query
from xinfang_desktop.ui.ledger.section_part import SectionPart

MARGIN_MM = 12.0
BODY_PT, HEAD_PT, TITLE_PT, NOTE_PT = 9.0, 9.0, 15.0, 8.5
MAX_LINES = 4  # a summary longer than this is cut with …: the ledger row stays readable, the case holds it all
PAD = 0.35  # of a line height, inside each cell
LONG_COLUMN = 18  # an export width (characters) from which a column wraps and takes the room left
SAMPLE_ROWS = 300


@dataclass(frozen=True)
class _Fonts:
    body: QFont
    head: QFont
    title: QFont
    note: QFont


def _fonts() -> _Fonts:
    def font(size: float, bold: bool = False) -> QFont:
        f = QFont()
        f.setPointSizeF(size)
        f.setBold(bold)
        return f

    return _Fonts(font(BODY_PT), font(HEAD_PT, True), font(TITLE_PT, True), font(NOTE_PT))


def set_up_printer(printer: QPrinter) -> None:
    """A4 landscape with the ledger's margins (the preview may still change them)."""
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )
    printer.setPageLayout(layout)
    printer.setDocName("信访事项台账")


def _column_edges(table: PrintTable, width: float, metrics: QFontMetricsF, pad: float) -> list[float]:
    """Short columns (编号, dates, 状态 …) as wide as their longest text, so nothing is cut; what is left goes to the
    long columns (内容摘要, 责任单位) by their export widths. Without room for that, every column by its width."""
    sample = table.rows[:SAMPLE_ROWS]
    natural = [
        max(metrics.horizontalAdvance(t) for t in (table.headers[i], *(r[i] for r in sample))) + 2 * pad + 1
        for i in range(len(table.headers))
    ]
    long = [w >= LONG_COLUMN for w in table.widths]
    if not any(long):
        long = [w == max(table.widths) for w in table.widths]
    fixed = sum(n for n, is_long in zip(natural, long, strict=True) if not is_long)
    rest = width - fixed
    weights = sum(w for w, is_long in zip(table.widths, long, strict=True) if is_long)
    if rest < width * 0.3 or weights == 0:
        total = sum(table.widths) or 1
        sizes = [width * w / total for w in table.widths]
    else:
        sizes = [
            rest * w / weights if is_long else n for w, n, is_long in zip(table.widths, natural, long, strict=True)
        ]
    edges = [0.0]
    for size in sizes:
        edges.append(edges[-1] + size)
    return edges


def _cell_height(metrics: QFontMetricsF, text: str, width: float) -> float:
    line = metrics.lineSpacing()
    lines = metrics.boundingRect(QRectF(0, 0, width, line * 100), int(Qt.TextFlag.TextWordWrap), text).height() / line
    return line * min(max(round(lines), 1), MAX_LINES) + 2 * PAD * line


def _paginate(table: PrintTable, heights: list[float], first: float, other: float) -> list[range]:
    """Row ranges per page: the first page has less room (title and filter above the heads)."""
    pages: list[range] = []
    start, used, room = 0, 0.0, first
    for i, h in enumerate(heights):
        if used + h > room and i > start:
            pages.append(range(start, i))
            start, used, room = i, 0.0, other
        used += h
    pages.append(range(start, len(heights)))
    return pages


def paint_table(printer: QPrinter, table: PrintTable) -> int:
    """Lay the table out on the printer's pages and paint it; the number of pages."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法打开打印机")
    try:
        return _paint(painter, printer, table)
    finally:
        painter.end()


def _paint(painter: QPainter, printer: QPrinter, table: PrintTable) -> int:
    fonts = _fonts()
    page = printer.pageLayout().paintRectPixels(printer.resolution())
    width, height = float(page.width()), float(page.height())
    painter.setFont(fonts.body)
    body = QFontMetricsF(fonts.body, printer)
    head = QFontMetricsF(fonts.head, printer)
    title = QFontMetricsF(fonts.title, printer)
    note = QFontMetricsF(fonts.note, printer)
    edges = _column_edges(table, width, body, PAD * body.lineSpacing())
    widths = [edges[i + 1] - edges[i] - 2 * PAD * body.lineSpacing() for i in range(len(table.headers))]
    head_height = max(_cell_height(head, h, w) for h, w in zip(table.headers, widths, strict=True))
    heights = [max(_cell_height(body, text, w) for text, w in zip(row, widths, strict=True)) for row in table.rows] or [
        0.0
    ]
    footer = note.lineSpacing() * 1.8
    top_block = title.lineSpacing() * 1.6 + note.lineSpacing() * 1.6
    pages = _paginate(table, heights, height - top_block - head_height - footer, height - head_height - footer)
    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(max(printer.resolution() / 300, 1.0))
    for number, rows in enumerate(pages, start=1):
        if number > 1:
            printer.newPage()
        y = 0.0
        if number == 1:
            painter.setFont(fonts.title)
            painter.drawText(QRectF(0, y, width, title.lineSpacing() * 1.4), int(Qt.AlignmentFlag.AlignCenter),
                             table.title)  # fmt: skip
            y += title.lineSpacing() * 1.6
            painter.setFont(fonts.note)
            painter.drawText(QRectF(0, y, width, note.lineSpacing() * 1.4), int(Qt.AlignmentFlag.AlignLeft),
                             note.elidedText(table.note, Qt.TextElideMode.ElideRight, width))  # fmt: skip
            y += note.lineSpacing() * 1.6
        painter.setPen(pen)
        y = _paint_row(painter, fonts.head, head, table.headers, edges, y, head_height, fill=True)
        painter.setFont(fonts.body)
        for i in rows:
            if table.rows:
                y = _paint_row(painter, fonts.body, body, table.rows[i], edges, y, heights[i])
        painter.setFont(fonts.note)
        painter.drawText(QRectF(0, height - footer * 0.7, width, footer * 0.7), int(Qt.AlignmentFlag.AlignCenter),
                         f"第 {number} 页，共 {len(pages)} 页")  # fmt: skip
    return len(pages)


def _paint_row(
    painter: QPainter,
    font: QFont,
    metrics: QFontMetricsF,
    cells: tuple[str, ...],
    edges: list[float],
    y: float,
    h: float,
    *,
    fill: bool = False,
) -> float:
    painter.setFont(font)
    pad = PAD * metrics.lineSpacing()
    for i, text in enumerate(cells):
        box = QRectF(edges[i], y, edges[i + 1] - edges[i], h)
        if fill:
            painter.fillRect(box, Qt.GlobalColor.lightGray)
        painter.drawRect(box)
        inner = box.adjusted(pad, pad, -pad, -pad)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)
        painter.drawText(inner, flags, _fitted(metrics, text, inner.width(), flags))
    return y + h


def _fitted(metrics: QFontMetricsF, text: str, width: float, flags: int) -> str:
    """The text, or its longest prefix + “…” that wraps into MAX_LINES lines (found by bisection)."""
    limit = metrics.lineSpacing() * MAX_LINES + 1

    def fits(candidate: str) -> bool:
        return metrics.boundingRect(QRectF(0, 0, width, limit * 50), flags, candidate).height() <= limit

    if fits(text):
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if fits(text[:mid] + "…"):
            low = mid
        else:
            high = mid - 1
    return text[:low] + "…"


def print_to_pdf(table: PrintTable, target: Path) -> int:
    """The same pages into a PDF file (tests, and 另存为 PDF without the preview)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    set_up_printer(printer)
    return paint_table(printer, table)


class LedgerPrint(SectionPart):
    """Prints the view behind the section's 打印… button (built at the first click: Qt's print support is not loaded
    at start-up); `failed(message)` when the view cannot be printed (too many cases, a database error)."""

    failed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget,
        query: Callable[[], Query],
        visible_columns: Callable[[], list[Column]],
        describe: Callable[[], str],
        button: QPushButton,
    ) -> None:
        super().__init__(ctx, parent)
        self._query, self._visible_columns, self._describe = query, visible_columns, describe
        self.print_button = button
        self.preview: QPrintPreviewDialog | None = None
        self.printer: QPrinter | None = None
        self.table: PrintTable | None = None

    def load_job(self) -> Callable[[Database], PrintTable]:
        from xinfang_desktop.reports.ledger_print import ledger_print_table

        flt, sort, descending = self._query()
        columns = [EXPORT_KEYS[c] for c in self._visible_columns()]
        filter_text, today = self._describe(), self._ctx.today()

        def job(db: Database) -> PrintTable:
            return ledger_print_table(db, flt, sort, descending, columns, filter_text=filter_text, printed_on=today)

        return job

    def start(self) -> None:
        self.print_button.setEnabled(False)
        self._ctx.tasks.run_db(self.load_job(), self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.print_button.setEnabled(True)
        self.failed.emit("无法打印：" + str(getattr(exc, "message", None) or exc))

    def _loaded(self, table: Any) -> None:
        self.print_button.setEnabled(True)
        self.table = table
        # Kept on self: the preview holds only a pointer to its printer (a dropped one crashed the window).
        self.printer = printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        set_up_printer(printer)
        preview = QPrintPreviewDialog(printer, self._section)
        preview.setWindowTitle(f"打印预览 — {table.title}（{len(table.rows):,} 件）")
        preview.paintRequested.connect(lambda p: paint_table(p, table))
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = preview
        preview.open()


__all__ = ["LedgerPrint", "paint_table", "print_to_pdf", "set_up_printer"]
