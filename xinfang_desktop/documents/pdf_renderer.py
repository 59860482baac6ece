"""An :class:`OfficialDocument` drawn on reportlab's canvas, line by line on the GB/T 9704 grid.

The work is done in two steps that the DOCX renderer shares:

1. :func:`layout_document` measures the text with the resolved fonts, breaks every paragraph with our own
   grid line-breaker (避头尾, justified lines), and paginates the result into :class:`PageLayout` objects holding
   drawing operations in paper coordinates measured from the top-left corner (points).
2. :func:`render_pdf` draws those operations; nothing is left to reportlab's Paragraph wrapping.

Page 1 carries the 版头 of the layout (red issuer mark, 发文字号, red rule — or the 信函 double rules), then the
title, the addressee and the body on the 22-line grid; pages are numbered "— N —" (odd right, even left, none on
a letter's first page); the 版记 goes at the bottom of the last page, which must be an even one (a blank,
unnumbered page is inserted before it when needed, and the 版记 page is then unnumbered too).

This module is the entry point and draws; the steps before live beside it: :mod:`page_ops` (the drawing
operations and text shaping), :mod:`flow` (blocks broken into grid lines) and :mod:`page_layout` (the pages).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.pdfgen.canvas import Canvas

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.flow import Item, format_date
from xinfang_desktop.documents.fonts import FontSet
from xinfang_desktop.documents.model import FontRole, OfficialDocument
from xinfang_desktop.documents.page_layout import layout_document
from xinfang_desktop.documents.page_ops import (
    BLACK,
    RED,
    DocumentLayout,
    DrawingOp,
    Op,
    PageLayout,
    Piece,
    RuleOp,
    Shaped,
    TextOp,
    line_op,
    shape,
)

# The public names, including those now defined in the modules beside this one: callers import them from here.
__all__ = [
    "BLACK",
    "RED",
    "DocumentLayout",
    "DrawingOp",
    "Item",
    "Op",
    "PageLayout",
    "Piece",
    "ProgressCallback",
    "RenderInfo",
    "RuleOp",
    "Shaped",
    "TextOp",
    "format_date",
    "info_of",
    "layout_document",
    "line_op",
    "printed_text",
    "render_pdf",
    "shape",
]


@dataclass(frozen=True)
class RenderInfo:
    """What a render produced: page count, the font of each role, and the characters that fell back to other
    fonts (role → {font: characters}); ``missing`` lists characters that no available font has (the renderers
    refuse such a document, see :class:`~xinfang_desktop.documents.fonts.MissingCharacters`); ``warnings`` are
    for the clerk, shown before the document goes out and never printed on it (provisional dates …)."""

    pages: int
    fonts: dict[str, str]
    fallbacks: dict[str, dict[str, str]] = field(default_factory=dict)
    missing: str = ""
    warnings: tuple[str, ...] = ()


# --- drawing -----------------------------------------------------------------------------------------------------


def _set_colour(canvas: Any, colour: str) -> None:
    if colour == RED:
        canvas.setFillColorCMYK(0, 1, 1, 0)
        canvas.setStrokeColorCMYK(0, 1, 1, 0)
    else:
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setStrokeColorRGB(0, 0, 0)


def _draw(canvas: Any, ops: Sequence[Op]) -> None:
    height = g.PAGE_HEIGHT
    colour = ""
    for op in ops:
        if op.color != colour:
            _set_colour(canvas, op.color)
            colour = op.color
        if isinstance(op, DrawingOp):
            op.drawing.drawOn(canvas, op.x, height - op.bottom)  # in a saved graphics state
            colour = ""  # the drawing chose its own colours
            continue
        if isinstance(op, RuleOp):
            canvas.setLineWidth(op.width)
            canvas.setDash(list(op.dash) if op.dash else [])
            canvas.line(op.x1, height - op.y1, op.x2, height - op.y2)
            continue
        baseline = height - op.top - g.EM_ASCENT * op.size
        text = canvas.beginText()
        bold_mode = False
        for piece in op.pieces:
            if piece.bold != bold_mode:
                text.setTextRenderMode(2 if piece.bold else 0)
                if piece.bold:
                    canvas.setLineWidth(op.size * 0.03)
                bold_mode = piece.bold
            text.setFont(piece.face.key, op.size)
            text.setTextOrigin(op.x + piece.x, baseline)
            text.textOut(piece.text)
        if bold_mode:
            text.setTextRenderMode(0)
        canvas.drawText(text)


def render_pdf(
    doc: OfficialDocument,
    path_or_stream: str | os.PathLike[str] | BinaryIO,
    fonts: FontSet | None = None,
) -> RenderInfo:
    """Render ``doc`` to a PDF file path or a binary stream; fonts are embedded as subsets. A character that no
    font has is never dropped: :class:`~xinfang_desktop.documents.fonts.MissingCharacters` names it."""
    layout = layout_document(doc, fonts)
    layout.report.check()
    target: Any = os.fspath(path_or_stream) if isinstance(path_or_stream, str | Path) else path_or_stream
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(g.PAGE_WIDTH, g.PAGE_HEIGHT),
        pageCompression=1,
        invariant=1,
        initialFontName=layout.fonts.primary[FontRole.FANGSONG].key,  # not the unembedded Helvetica
        initialFontSize=g.BODY_SIZE,
    )
    canvas.setTitle(doc.title)
    canvas.setSubject(doc.type_id)
    canvas.setCreator("信访工作台 xinfang_desktop")
    for page in layout.pages:
        _draw(canvas, page.ops)
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    if isinstance(target, str):
        Path(target).write_bytes(data)
    else:
        target.write(data)
    return info_of(layout, doc)


def info_of(layout: DocumentLayout, doc: OfficialDocument | None = None) -> RenderInfo:
    return RenderInfo(
        pages=len(layout.pages),
        fonts=layout.fonts.role_families(),
        fallbacks={k: dict(v) for k, v in layout.report.fallbacks.items()},
        missing=layout.report.missing,
        warnings=doc.clerk_warnings() if doc is not None else (),
    )


def printed_text(doc: OfficialDocument, fonts: FontSet | None = None) -> str:
    """Every line the PDF prints (header, title, body, signature, 版记, page numbers), one per line, in drawing
    order — what text extraction should give back, modulo whitespace."""
    layout = layout_document(doc, fonts)
    lines = list(layout.printed_text)
    lines += [g.page_number_text(p.number) for p in layout.pages if p.number is not None]
    return "\n".join(lines)


ProgressCallback = Callable[[int, int], None]
