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
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.pdfgen.canvas import Canvas

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.fonts import FallbackReport, FontFace, FontSet, get_fonts
from xinfang_desktop.documents.linebreak import Line, break_lines, char_offsets, title_lines
from xinfang_desktop.documents.model import (
    FontRole,
    FooterBlock,
    Layout,
    OfficialDocument,
    Paragraph,
    ParagraphKind,
    Signature,
    Table,
)

PROVISIONAL_NOTE = "期限含暂估日期（该年度节假日数据未导入）"
RED = "red"
BLACK = "black"


@dataclass(frozen=True)
class RenderInfo:
    """What a render produced: page count, the font of each role, and the characters that fell back to other
    fonts (role → {font: characters}); ``missing`` lists characters that no available font has."""

    pages: int
    fonts: dict[str, str]
    fallbacks: dict[str, dict[str, str]] = field(default_factory=dict)
    missing: str = ""


# --- drawing operations ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    face: FontFace
    text: str
    x: float  # from the line's left edge
    bold: bool = False


@dataclass(frozen=True)
class TextOp:
    """One line of text: ``x`` from the paper's left edge, ``top`` = the em box's top from the paper's top."""

    x: float
    top: float
    size: float
    pieces: tuple[Piece, ...]
    color: str = BLACK

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


@dataclass(frozen=True)
class RuleOp:
    """A horizontal or vertical line from (x1, y1) to (x2, y2), measured from the paper's top-left corner."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: str = BLACK


Op = TextOp | RuleOp


def _shift(op: Op, dx: float, dy: float) -> Op:
    if isinstance(op, TextOp):
        return replace(op, x=op.x + dx, top=op.top + dy)
    return replace(op, x1=op.x1 + dx, x2=op.x2 + dx, y1=op.y1 + dy, y2=op.y2 + dy)


@dataclass
class PageLayout:
    ops: list[Op] = field(default_factory=list)
    number: int | None = None  # printed page number, None for an unnumbered page
    used_lines: int = 0  # grid lines used (the 版记 fills the page)
    flow_lines: int = 0  # grid lines used by the flow, not counting the 版记 (for the DOCX renderer)
    blank: bool = False


@dataclass
class DocumentLayout:
    pages: list[PageLayout]
    report: FallbackReport
    fonts: FontSet
    flow_start_line: int  # the grid line where the title (or the first flow element) starts on page 1
    footer_page: int | None = None  # 0-based page holding the 版记
    blank_page_inserted: bool = False
    footer_rows: int = 0  # text rows of the 版记 (抄送 lines, then the 印发 line)
    footer_copy_rows: int = 0
    printed_text: list[str] = field(default_factory=list)  # every printed text line, in drawing order


# --- shaping -----------------------------------------------------------------------------------------------------


@dataclass
class Shaped:
    """A paragraph's characters with their fonts and advances."""

    text: str
    widths: list[float]
    styles: list[tuple[FontFace, bool]]
    size: float


def shape(fonts: FontSet, report: FallbackReport, runs: Sequence[tuple[str, FontRole, bool]], size: float) -> Shaped:
    text_parts: list[str] = []
    widths: list[float] = []
    styles: list[tuple[FontFace, bool]] = []
    for text, role, bold in runs:
        report.note(fonts, role, text)
        for face, chunk in fonts.segments(role, text):
            font: Any = _rl_font(face)
            for ch in chunk:
                text_parts.append(ch)
                # Every CJK character is one cell wide, whatever the font says (ambiguous-width punctuation too).
                widths.append(size if ord(ch) >= 0x2E80 else font.stringWidth(ch, size))
                styles.append((face, bold or face.fake_bold))
    text = "".join(text_parts)
    return Shaped(text, widths, styles, size)


_FONT_CACHE: dict[str, Any] = {}


def _rl_font(face: FontFace) -> Any:
    font = _FONT_CACHE.get(face.key)
    if font is None:
        from reportlab.pdfbase import pdfmetrics

        font = pdfmetrics.getFont(face.key)
        _FONT_CACHE[face.key] = font
    return font


def line_op(shaped: Shaped, line: Line, x0: float, top: float, width: float, align: str, color: str = BLACK) -> TextOp:
    """A TextOp for one broken line: ``align`` is "justify", "left", "center" or "right" (within ``width``)."""
    offsets = char_offsets(shaped.text, shaped.widths, line, width)
    shift = 0.0
    if align in ("center", "right"):
        natural = line.width
        shift = (width - natural) / 2 if align == "center" else width - natural
        offsets = [o - line.indent for o in offsets]
    pieces: list[Piece] = []
    for k, x in enumerate(offsets):
        i = line.start + k
        ch = shaped.text[i]
        face, bold = shaped.styles[i]
        if pieces:
            last = pieces[-1]
            end = last.x + sum(shaped.widths[i - len(last.text) : i])
            if last.face.key == face.key and last.bold == bold and abs(end - x) < 1e-6:
                pieces[-1] = Piece(face, last.text + ch, last.x, bold)
                continue
        pieces.append(Piece(face, ch, x, bold))
    return TextOp(x0 + shift, top, shaped.size, tuple(pieces), color)


def _plain_line(line: Line, align: str) -> Line:
    if align in ("justify", "left"):
        return line if align == "justify" else replace(line, justify=False)
    return replace(line, justify=False)


# --- flow items -------------------------------------------------------------------------------------------------


@dataclass
class Item:
    """A slice of the flow: ``lines`` grid lines high, with ops relative to its top-left (text area's left)."""

    lines: int
    ops: list[Op] = field(default_factory=list)
    keep_with_next: bool = False
    spacer: bool = False
    header_rows: list[Item] | None = None  # a table row: the header rows to repeat on a new page
    text: list[str] = field(default_factory=list)


def _blank(n: int = 1) -> Item:
    return Item(n, spacer=True)


def _em_top(size: float) -> float:
    """Offset from a grid line's top to the em top of text of ``size`` (body size: 0, larger text: centred)."""
    return 0.0 if size <= g.BODY_SIZE + 0.01 else -(size - g.BODY_SIZE) / 2


class _Builder:
    def __init__(self, fonts: FontSet, report: FallbackReport) -> None:
        self.fonts = fonts
        self.report = report

    def shape(self, runs: Sequence[tuple[str, FontRole, bool]], size: float = g.BODY_SIZE) -> Shaped:
        return shape(self.fonts, self.report, runs, size)

    def paragraph_items(
        self,
        runs: Sequence[tuple[str, FontRole, bool]],
        *,
        size: float = g.BODY_SIZE,
        first_indent_chars: float = 0.0,
        indent_chars: float = 0.0,
        align: str = "justify",
        width: float = g.TEXT_WIDTH,
        x0: float = 0.0,
        right_indent: float = 0.0,
        color: str = BLACK,
        keep_together: bool = False,
    ) -> list[Item]:
        shaped = self.shape(runs, size)
        avail = width - right_indent
        lines = break_lines(shaped.text, shaped.widths, avail, first_indent_chars * size, indent_chars * size)
        items: list[Item] = []
        for n, line in enumerate(lines):
            ln = _plain_line(line, align)
            op = line_op(shaped, ln, x0, _em_top(size), avail, "left" if align == "justify" else align, color)
            items.append(Item(1, [op], keep_with_next=keep_together and n < len(lines) - 1, text=[op.text]))
        # Widow/orphan control: never leave one line of a paragraph alone at a page's top or bottom.
        if len(items) >= 2:
            items[0].keep_with_next = True
            items[-2].keep_with_next = True
        return items

    # -- blocks --

    def block_items(self, block: Paragraph | Table) -> list[Item]:
        if isinstance(block, Table):
            return self.table_items(block)
        runs = [(r.text, r.role, r.bold) for r in block.runs]
        kind = block.kind
        if kind in (ParagraphKind.BODY, ParagraphKind.HEADING1, ParagraphKind.HEADING2, ParagraphKind.HEADING3):
            items = self.paragraph_items(runs, first_indent_chars=g.BODY_INDENT_CHARS)
            if kind in (ParagraphKind.HEADING1, ParagraphKind.HEADING2) and items:
                items[-1].keep_with_next = True  # a heading never ends a page
            return items
        if kind == ParagraphKind.PLAIN:
            return self.paragraph_items(runs)
        if kind == ParagraphKind.RIGHT:
            return self.paragraph_items(runs, align="right", right_indent=2 * g.BODY_SIZE)
        return self.paragraph_items(runs, align="center")

    def table_items(self, table: Table) -> list[Item]:
        size = g.TABLE_SIZE
        ncols = max((len(r) for r in table.rows), default=0)
        if ncols == 0:
            return []
        rel = list(table.col_widths) if len(table.col_widths) == ncols else [1.0] * ncols
        total = sum(rel)
        widths = [g.TEXT_WIDTH * w / total for w in rel]
        xs = [sum(widths[:i]) for i in range(ncols + 1)]
        items: list[Item] = []
        if table.caption:
            items += self.paragraph_items([(table.caption, FontRole.HEITI, False)], align="center")
            items[-1].keep_with_next = True
        header: list[Item] = []
        pitch = g.LINE_PITCH
        for r, row in enumerate(table.rows):
            is_header = r < table.header_rows
            cells: list[tuple[Shaped, list[Line]]] = []
            for c in range(ncols):
                text = row[c] if c < len(row) else ""
                role = FontRole.HEITI if is_header else FontRole.FANGSONG
                shaped = self.shape([(text, role, False)], size)
                inner = widths[c] - 2 * g.TABLE_CELL_PADDING
                cells.append((shaped, break_lines(shaped.text, shaped.widths, inner)))
            nlines = max(len(lines) for _, lines in cells)
            if table.header_rows == 0:
                nlines = max(nlines, 2)  # a form: room to write by hand
            ops: list[Op] = []
            texts: list[str] = []
            for c, (shaped, lines) in enumerate(cells):
                inner = widths[c] - 2 * g.TABLE_CELL_PADDING
                top0 = (nlines - len(lines)) * pitch / 2 + (pitch - size) / 2
                label = c == 0 and table.header_rows == 0
                align = "center" if is_header or shaped.text.isdigit() or label else "left"
                for k, line in enumerate(lines):
                    ln = line if align == "left" else replace(line, justify=False)
                    op = line_op(shaped, ln, xs[c] + g.TABLE_CELL_PADDING, top0 + k * pitch, inner, align)
                    ops.append(op)
                    texts.append(op.text)
            height = nlines * pitch
            rules: list[Op] = [RuleOp(0, 0, g.TEXT_WIDTH, 0, 0.75), RuleOp(0, height, g.TEXT_WIDTH, height, 0.75)]
            rules.extend(RuleOp(x, 0, x, height, 0.75) for x in xs)
            # Centre the table in the white space between the body lines above and below it.
            lift = -(pitch - g.BODY_SIZE) / 2
            ops = [_shift(op, 0.0, lift) for op in ops + rules]
            item = Item(nlines, ops, text=texts)
            if is_header:
                item.keep_with_next = True
                header.append(item)
            else:
                item.header_rows = list(header)
            items.append(item)
        return items

    def attachment_items(self, attachments: Sequence[str]) -> list[Item]:
        items: list[Item] = []
        label = "附件："
        for n, name in enumerate(attachments):
            numbered = len(attachments) > 1
            prefix = (label if n == 0 else "") + (f"{n + 1}." if numbered else "")
            shaped_prefix = self.shape([(label + (f"{n + 1}." if numbered else ""), FontRole.FANGSONG, False)])
            hang = sum(shaped_prefix.widths) / g.BODY_SIZE
            first = g.BODY_INDENT_CHARS + (0 if n == 0 else 3)
            items += self.paragraph_items(
                [(prefix + name, FontRole.FANGSONG, False)],
                first_indent_chars=first,
                indent_chars=g.BODY_INDENT_CHARS + hang,
                align="left",
                keep_together=True,
            )
        return items

    def signature_items(self, sig: Signature, note: str | None) -> list[Item]:
        size = g.BODY_SIZE
        items: list[Item] = [_blank(2 if sig.seal_space else 1)]
        items[0].keep_with_next = True
        date_text = format_date(sig.signed_on) if sig.signed_on else ""
        date_shaped = self.shape([(date_text, FontRole.FANGSONG, False)])
        date_w = sum(date_shaped.widths)
        right_edge = g.TEXT_WIDTH - g.SIGNATURE_DATE_RIGHT_CHARS * size
        date_x = right_edge - date_w
        centre = date_x + date_w / 2 if date_text else g.TEXT_WIDTH - 6 * size

        def single(text: str, x: float) -> TextOp:
            sh = self.shape([(text, FontRole.FANGSONG, False)])
            line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
            return line_op(sh, line, x, 0.0, g.TEXT_WIDTH, "left")

        def width_of(text: str) -> float:
            return sum(self.shape([(text, FontRole.FANGSONG, False)]).widths)

        def issuer_x(text: str) -> float:
            w = width_of(text)
            if not sig.seal_space:
                return g.TEXT_WIDTH - 2 * size - w  # 右空二字
            return max(0.0, min(centre - w / 2, g.TEXT_WIDTH - w))

        left = list(sig.second_party)
        right = list(sig.issuers)
        rows = max(len(left), len(right))
        for k in range(rows):
            ops: list[Op] = []
            if k < len(left):
                ops.append(single(left[k], g.BODY_INDENT_CHARS * size))
            if k < len(right):
                ops.append(single(right[k], issuer_x(right[k])))
            items.append(Item(1, ops, keep_with_next=True, text=[o.text for o in ops if isinstance(o, TextOp)]))
        if date_text:
            ops = []
            if left:
                ops.append(single(date_text, g.BODY_INDENT_CHARS * size))
            dx = date_x if sig.seal_space or not right else issuer_x(right[-1]) + 2 * size
            ops.append(single(date_text, min(dx, g.TEXT_WIDTH - date_w)))
            items.append(Item(1, ops, text=[o.text for o in ops if isinstance(o, TextOp)]))
        if note:
            items[-1].keep_with_next = True
            items += self.paragraph_items([(note, FontRole.FANGSONG, False)], first_indent_chars=2, align="left")
        return items

    def footer_rows(self, footer: FooterBlock, letter: bool) -> tuple[list[list[TextOp]], int]:
        """The 版记's text lines (4号仿宋): 抄送 lines, then the 印发 line (not on letters)."""
        size = g.FOOTER_BLOCK_SIZE
        rows: list[list[TextOp]] = []
        inner = g.TEXT_WIDTH - 2 * g.FOOTER_INDENT
        if footer.copy_to:
            text = "抄送：" + "，".join(footer.copy_to) + "。"
            shaped = self.shape([(text, FontRole.FANGSONG, False)], size)
            hang = sum(self.shape([("抄送：", FontRole.FANGSONG, False)], size).widths)
            lines = break_lines(shaped.text, shaped.widths, inner, 0.0, hang)
            for line in lines:
                top = (g.LINE_PITCH - size) / 2
                rows.append([line_op(shaped, line, g.FOOTER_INDENT, top, inner, "left")])
        copy_rows = len(rows)
        if not letter:
            issuer = self.shape([(footer.issuer, FontRole.FANGSONG, False)], size)
            when = self.shape([(format_date(footer.issued_on) + "印发", FontRole.FANGSONG, False)], size)
            top = (g.LINE_PITCH - size) / 2
            li = Line(0, len(issuer.text), 0.0, sum(issuer.widths), False)
            lw = Line(0, len(when.text), 0.0, sum(when.widths), False)
            rows.append(
                [
                    line_op(issuer, li, g.FOOTER_INDENT, top, inner, "left"),
                    line_op(when, lw, g.FOOTER_INDENT, top, inner, "right"),
                ]
            )
        return rows, copy_rows


def format_date(d: date) -> str:
    """成文日期 in Arabic numerals without padding: 2026年3月1日."""
    return f"{d.year}年{d.month}月{d.day}日"


# --- pagination --------------------------------------------------------------------------------------------------


def _paginate(items: list[Item], first_page_start: int) -> list[list[tuple[Item, int]]]:
    """Place items on pages of LINES_PER_PAGE grid lines; page 1 starts at ``first_page_start``."""
    pages: list[list[tuple[Item, int]]] = [[]]
    line = first_page_start
    i = 0
    guard = 0
    while i < len(items):
        guard += 1
        if guard > 100000:
            raise RuntimeError("pagination did not converge")
        item = items[i]
        page = pages[-1]
        if item.spacer and line == 0 and page == [] and len(pages) > 1:
            i += 1  # no blank line at a page's top
            continue
        if line + item.lines <= g.LINES_PER_PAGE:
            page.append((item, line))
            line += item.lines
            i += 1
            continue
        if line == 0 and not page:  # taller than a page: let it overflow rather than loop
            page.append((item, line))
            line += item.lines
            i += 1
            continue
        # Does not fit: move the run of keep-with-next items before it along (but never a whole page).
        back = 0
        while back < len(page) and page[-1 - back][0].keep_with_next and back < 8:
            back += 1
        moved = 0
        if 0 < back < len(page):
            del page[len(page) - back :]
            i -= back
            moved = back
        pages.append([])
        line = 0
        if moved == 0 and item.header_rows:
            for h in item.header_rows:
                pages[-1].append((h, line))
                line += h.lines
    return pages


def _used_lines(page: list[tuple[Item, int]]) -> int:
    return max((start + it.lines for it, start in page if not it.spacer), default=0)


# --- layout -----------------------------------------------------------------------------------------------------


def layout_document(doc: OfficialDocument, fonts: FontSet | None = None) -> DocumentLayout:
    """Measure, break and paginate ``doc``; the result holds every page's drawing operations."""
    fonts = fonts or get_fonts()
    report = FallbackReport()
    b = _Builder(fonts, report)
    left = g.LEFT_MARGIN
    head_ops: list[Op] = []
    letter = doc.layout == Layout.LETTER
    form = doc.layout == Layout.FORM

    def centred_text(text: str, role: FontRole, size: float, top: float, color: str = BLACK) -> TextOp:
        sh = b.shape([(text, role, False)], size)
        line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
        return line_op(sh, line, left, top, g.TEXT_WIDTH, "center", color)

    def mark_size(text: str, max_size: float, width: float) -> float:
        sh = b.shape([(text, FontRole.XIAOBIAOSONG, False)], 1.0)
        return min(max_size, width / max(sum(sh.widths), 1e-6))

    start_line = 0
    if letter:
        top = g.LETTER_MARK_TOP_FROM_TOP
        below = top
        if doc.issuer_mark:
            size = mark_size(doc.issuer_mark, g.LETTER_MARK_MAX_SIZE, g.LETTER_RULE_LENGTH)
            head_ops.append(centred_text(doc.issuer_mark, FontRole.XIAOBIAOSONG, size, top, RED))
            below = top + size
        rule_y = below + g.mm(g.LETTER_RULE_BELOW_MARK_MM)
        x1 = left + (g.TEXT_WIDTH - g.LETTER_RULE_LENGTH) / 2
        x2 = x1 + g.LETTER_RULE_LENGTH
        head_ops.append(RuleOp(x1, rule_y, x2, rule_y, g.LETTER_THICK_RULE, RED))
        thin_y = rule_y + g.LETTER_THICK_RULE / 2 + g.LETTER_RULE_GAP + g.LETTER_THIN_RULE / 2
        head_ops.append(RuleOp(x1, thin_y, x2, thin_y, g.LETTER_THIN_RULE, RED))
        bottom = g.PAGE_HEIGHT - g.mm(g.LETTER_BOTTOM_RULE_ABOVE_PAPER_BOTTOM_MM)
        thin_b = bottom - g.LETTER_THICK_RULE / 2 - g.LETTER_RULE_GAP - g.LETTER_THIN_RULE / 2
        head_ops.append(RuleOp(x1, thin_b, x2, thin_b, g.LETTER_THIN_RULE, RED))
        head_ops.append(RuleOp(x1, bottom, x2, bottom, g.LETTER_THICK_RULE, RED))
        after = thin_y + g.LETTER_THIN_RULE / 2
        if doc.document_number:
            num_top = after + g.LETTER_NUMBER_BELOW_RULE
            sh = b.shape([(doc.document_number, FontRole.FANGSONG, False)])
            line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
            head_ops.append(line_op(sh, line, left, num_top, g.TEXT_WIDTH, "right"))
            after = num_top + g.BODY_SIZE
        start_line = g.nearest_line(after + g.TITLE_LINES_BELOW_RULE * g.LINE_PITCH)
    elif not form and doc.issuer_mark:
        top = g.ISSUER_MARK_TOP_FROM_TOP
        size = mark_size(doc.issuer_mark, g.ISSUER_MARK_MAX_SIZE, g.TEXT_WIDTH)
        head_ops.append(centred_text(doc.issuer_mark, FontRole.XIAOBIAOSONG, size, top, RED))
        after = top + size
        if doc.document_number:
            num_top = after + g.NUMBER_LINES_BELOW_MARK * g.LINE_PITCH
            head_ops.append(centred_text(doc.document_number, FontRole.FANGSONG, g.BODY_SIZE, num_top))
            after = num_top + g.BODY_SIZE
        rule_y = after + g.mm(g.RED_RULE_BELOW_NUMBER_MM)
        head_ops.append(RuleOp(left, rule_y, left + g.TEXT_WIDTH, rule_y, g.RED_RULE_WIDTH, RED))
        start_line = g.nearest_line(rule_y + g.TITLE_LINES_BELOW_RULE * g.LINE_PITCH)

    items: list[Item] = []
    if form and doc.document_number:  # a form's number stands at the top right, above its title
        sh = b.shape([(doc.document_number, FontRole.FANGSONG, False)])
        line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
        op = line_op(sh, line, 0.0, 0.0, g.TEXT_WIDTH, "right")
        items.append(Item(1, [op], keep_with_next=True, text=[op.text]))
    # Title: 2号小标宋, centred, balanced lines (梯形), never more than the text width.
    if doc.title:
        sh = b.shape([(doc.title, FontRole.XIAOBIAOSONG, False)], g.TITLE_SIZE)
        lines = title_lines(sh.text, sh.widths, g.TEXT_WIDTH - 2 * g.TITLE_SIZE)
        for line in lines:
            op = line_op(sh, replace(line, justify=False), 0.0, _em_top(g.TITLE_SIZE), g.TEXT_WIDTH, "center")
            items.append(Item(1, [op], keep_with_next=True, text=[op.text]))
        items.append(_blank(g.ADDRESSEE_LINES_BELOW_TITLE))
        items[-1].keep_with_next = True
    if doc.addressee:
        items += b.paragraph_items([(doc.addressee, FontRole.FANGSONG, False)])
        items[-1].keep_with_next = True
    for block in doc.body:
        items += b.block_items(block)
    if doc.attachments:
        items.append(_blank())
        items += b.attachment_items(doc.attachments)
    if items and doc.signature:
        # The signature never stands alone: it keeps the two lines before it on its page.
        for it in items[-2:]:
            it.keep_with_next = True
    if doc.signature:
        items += b.signature_items(doc.signature, doc.note)
    elif doc.note:
        items += b.paragraph_items([(doc.note, FontRole.FANGSONG, False)], first_indent_chars=2, align="left")

    placed = _paginate(items, start_line)
    pages = [PageLayout() for _ in placed]
    pages[0].ops.extend(head_ops)
    printed: list[str] = [op.text for op in head_ops if isinstance(op, TextOp)]
    for page, content in zip(pages, placed, strict=True):
        for item, grid_line in content:
            dy = g.line_top(grid_line)
            page.ops.extend(_shift(op, left, dy) for op in item.ops)
            printed.extend(item.text)
        page.used_lines = page.flow_lines = _used_lines(content)

    layout = DocumentLayout(pages, report, fonts, start_line, printed_text=printed)
    if doc.footer:
        _place_footer(b, doc, layout)
    if doc.provisional:
        sh = b.shape([("【注意】" + PROVISIONAL_NOTE, FontRole.HEITI, False)], g.SIZE_SI_HAO)
        line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
        top = g.TOP_MARGIN - g.mm(12)
        op = line_op(sh, line, left, top, g.TEXT_WIDTH, "right", RED)
        pages[0].ops.append(op)
        layout.printed_text.insert(0, op.text)
    _number_pages(doc, layout)
    return layout


def _place_footer(b: _Builder, doc: OfficialDocument, layout: DocumentLayout) -> None:
    assert doc.footer is not None
    letter = doc.layout == Layout.LETTER
    rows, copy_rows = b.footer_rows(doc.footer, letter)
    need = len(rows)
    layout.footer_rows, layout.footer_copy_rows = need, copy_rows
    pages = layout.pages
    last = len(pages) - 1
    free_from = pages[last].used_lines
    fits = free_from + need <= g.LINES_PER_PAGE
    if letter or doc.layout == Layout.FORM:
        if not fits:
            pages.append(PageLayout())
    else:
        # The 版记 goes on an even page (the back of the last sheet).
        if fits and (last + 1) % 2 == 0:
            pass
        elif (last + 1) % 2 == 1:
            pages.append(PageLayout())  # the back of the last sheet holds the 版记 alone
        else:
            pages.append(PageLayout(blank=True))  # a blank, unnumbered page; the 版记 page after it
            pages.append(PageLayout())
            layout.blank_page_inserted = True
    target = pages[-1]
    layout.footer_page = len(pages) - 1
    first_line = g.LINES_PER_PAGE - need
    left = g.LEFT_MARGIN
    right = left + g.TEXT_WIDTH
    base = g.line_top(first_line)
    bottom = g.TEXT_BOTTOM_FROM_TOP
    pitch = (bottom - base) / need  # the 版记 rows fill the space down to the 版心's bottom edge
    for r, ops in enumerate(rows):
        for op in ops:
            target.ops.append(_shift(op, left, base + r * pitch))
            layout.printed_text.append(op.text)
    if not letter:
        target.ops.append(RuleOp(left, base, right, base, g.FOOTER_THICK_RULE))
        if copy_rows:
            y = base + copy_rows * pitch
            target.ops.append(RuleOp(left, y, right, y, g.FOOTER_THIN_RULE))
        target.ops.append(RuleOp(left, bottom, right, bottom, g.FOOTER_THICK_RULE))
    target.used_lines = g.LINES_PER_PAGE


def _number_pages(doc: OfficialDocument, layout: DocumentLayout) -> None:
    pages = layout.pages
    if doc.layout == Layout.FORM and len(pages) == 1:
        return
    fonts = layout.fonts
    b = _Builder(fonts, layout.report)
    for n, page in enumerate(pages, start=1):
        if page.blank or (doc.layout == Layout.LETTER and n == 1):
            continue
        if layout.blank_page_inserted and layout.footer_page == n - 1:
            continue
        page.number = n
        text = g.page_number_text(n)
        sh = b.shape([(text, FontRole.SONGTI, False)], g.PAGE_NUMBER_SIZE)
        line = Line(0, len(sh.text), 0.0, sum(sh.widths), False)
        inner = g.TEXT_WIDTH - g.PAGE_NUMBER_INDENT
        if n % 2:
            op = line_op(sh, line, g.LEFT_MARGIN, g.PAGE_NUMBER_TOP_FROM_TOP, inner, "right")
        else:
            op = line_op(sh, line, g.LEFT_MARGIN + g.PAGE_NUMBER_INDENT, g.PAGE_NUMBER_TOP_FROM_TOP, inner, "left")
        page.ops.append(op)


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
        if isinstance(op, RuleOp):
            canvas.setLineWidth(op.width)
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
    """Render ``doc`` to a PDF file path or a binary stream; fonts are embedded as subsets."""
    layout = layout_document(doc, fonts)
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
    return info_of(layout)


def info_of(layout: DocumentLayout) -> RenderInfo:
    return RenderInfo(
        pages=len(layout.pages),
        fonts=layout.fonts.role_families(),
        fallbacks={k: dict(v) for k, v in layout.report.fallbacks.items()},
        missing=layout.report.missing,
    )


def printed_text(doc: OfficialDocument, fonts: FontSet | None = None) -> str:
    """Every line the PDF prints (header, title, body, signature, 版记, page numbers), one per line, in drawing
    order — what text extraction should give back, modulo whitespace."""
    layout = layout_document(doc, fonts)
    lines = list(layout.printed_text)
    lines += [g.page_number_text(p.number) for p in layout.pages if p.number is not None]
    return "\n".join(lines)


ProgressCallback = Callable[[int, int], None]
