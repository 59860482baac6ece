"""The Figure block of the documents engine (issue 14's charts in the PDF reports): a drawing placed in whole grid
lines inside the GB/T 9704 text area, never split across pages, drawn by the PDF renderer, left out of the DOCX."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import pytest
from reportlab.graphics.shapes import Drawing, Rect, String

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.fonts import FallbackReport, FontSet
from xinfang_desktop.documents.model import Figure, FontRole, Layout, OfficialDocument, Paragraph, ParagraphKind
from xinfang_desktop.documents.page_ops import DrawingOp
from xinfang_desktop.documents.pdf_renderer import layout_document, printed_text, render_pdf

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber (test tool) is not installed")


def box(width: float, height: float, label: str = "示例图") -> Figure:
    def draw(fonts: FontSet, report: FallbackReport) -> Drawing:
        report.note(fonts, FontRole.SONGTI, label)
        d = Drawing(width, height)
        d.initialFontName = fonts.primary[FontRole.SONGTI].key
        d.add(Rect(0, 0, width, height, fillColor=None, strokeWidth=1))
        d.add(Rect(10, 10, 30, height / 2, strokeWidth=0))  # a black bar
        d.add(String(50, 10, label, fontName=fonts.primary[FontRole.SONGTI].key, fontSize=10.5))
        return d

    return Figure(label, draw, (label,))


def doc_with(figure: Figure, lines_before: int = 0) -> OfficialDocument:
    body: list[Any] = [Paragraph.of(f"第{i + 1}段。", ParagraphKind.PLAIN) for i in range(lines_before)]
    return OfficialDocument("test", "图表测试", layout=Layout.FORM, body=(*body, figure))


def drawing_ops(doc: OfficialDocument) -> list[tuple[int, DrawingOp]]:
    layout = layout_document(doc)
    return [(n, op) for n, page in enumerate(layout.pages) for op in page.ops if isinstance(op, DrawingOp)]


def inside_text_area(op: DrawingOp) -> bool:
    left, right = g.LEFT_MARGIN, g.LEFT_MARGIN + g.TEXT_WIDTH
    across = left - 1e-6 <= op.x and op.x + op.width <= right + 1e-6
    return across and op.top >= g.TOP_MARGIN - 1e-6 and op.bottom <= g.TEXT_BOTTOM_FROM_TOP + 1e-6


def test_a_figure_takes_whole_grid_lines_centred_in_the_text_width() -> None:
    (page, op), = drawing_ops(doc_with(box(300, 200)))  # fmt: skip
    assert page == 0 and inside_text_area(op)
    assert op.x == pytest.approx(g.LEFT_MARGIN + (g.TEXT_WIDTH - 300) / 2)
    lines = math.ceil(200 / g.LINE_PITCH)  # 7 lines of 28.95 pt
    # Title (1 line) and the blank line under it come first: the figure starts on grid line 2, centred in its lines.
    assert op.top == pytest.approx(g.line_top(2) + (lines * g.LINE_PITCH - 200) / 2)


def test_a_figure_that_does_not_fit_the_page_moves_whole_to_the_next() -> None:
    height = 8 * g.LINE_PITCH - 8  # 8 lines
    fits = drawing_ops(doc_with(box(g.TEXT_WIDTH, height), lines_before=12))  # 2 + 12 + 8 = 22 lines
    assert [p for p, _ in fits] == [0] and inside_text_area(fits[0][1])
    moved = drawing_ops(doc_with(box(g.TEXT_WIDTH, height), lines_before=13))  # 23 lines: not on page 1
    (page, op), = moved  # fmt: skip
    assert page == 1 and inside_text_area(op)
    assert op.top == pytest.approx(g.line_top(0) + 4)  # the top of page 2's text area (centred in 8 lines)


def test_the_tallest_figure_fills_one_page_and_a_taller_or_wider_one_is_refused() -> None:
    full = g.LINES_PER_PAGE * g.LINE_PITCH
    (page, op), = drawing_ops(doc_with(box(g.TEXT_WIDTH, full), lines_before=3))  # fmt: skip
    assert page == 1 and inside_text_area(op) and op.bottom <= g.TEXT_BOTTOM_FROM_TOP
    with pytest.raises(ValueError, match="does not fit"):
        layout_document(doc_with(box(g.TEXT_WIDTH, full + 1)))
    with pytest.raises(ValueError, match="does not fit"):
        layout_document(doc_with(box(g.TEXT_WIDTH + 1, 100)))


def test_the_pdf_draws_the_figure_where_the_layout_put_it(tmp_path: Path) -> None:
    doc = doc_with(box(300, 200, "图中文字"))
    (_, op), = drawing_ops(doc)  # fmt: skip
    render_pdf(doc, tmp_path / "f.pdf")
    data = (tmp_path / "f.pdf").read_bytes()
    assert b"/Helvetica" not in data  # the drawing starts in the document's font, not reportlab's unembedded one
    with pdfplumber.open(tmp_path / "f.pdf") as pdf:
        page = pdf.pages[0]
        frame = [r for r in page.rects if abs(r["width"] - 300) < 0.5 and abs(r["height"] - 200) < 0.5]
        assert len(frame) == 1
        assert frame[0]["x0"] == pytest.approx(op.x, abs=0.1) and frame[0]["top"] == pytest.approx(op.top, abs=0.1)
        bar = [r for r in page.rects if abs(r["width"] - 30) < 0.5 and r["fill"]]
        assert len(bar) == 1 and bar[0]["bottom"] == pytest.approx(op.bottom - 10, abs=0.1)
        assert "图中文字" in (page.extract_text() or "")
    assert "图中文字" in doc.plain_text() and "图中文字" in printed_text(doc)


def test_a_character_no_font_has_stops_the_figure_as_it_stops_text() -> None:
    from xinfang_desktop.documents.fonts import MissingCharacters

    with pytest.raises(MissingCharacters):
        render_pdf(doc_with(box(300, 100, "\U000f0000")), io.BytesIO())  # a private-use plane character


def test_the_docx_leaves_the_figure_out(tmp_path: Path) -> None:
    from docx import Document

    from xinfang_desktop.documents.docx_renderer import render_docx

    render_docx(doc_with(box(300, 100, "图中文字"), lines_before=1), tmp_path / "f.docx")
    text = "\n".join(p.text for p in Document(str(tmp_path / "f.docx")).paragraphs)
    assert "第1段" in text and "图中文字" not in text
