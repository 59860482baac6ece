"""Flow items: a document's blocks broken into grid lines (paragraphs, tables, attachments, signature, 版记 rows)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.fonts import FallbackReport, FontSet
from xinfang_desktop.documents.linebreak import Line, break_lines
from xinfang_desktop.documents.model import (
    Figure,
    FontRole,
    FooterBlock,
    Paragraph,
    ParagraphKind,
    Signature,
    Table,
)
from xinfang_desktop.documents.page_ops import BLACK, DrawingOp, Op, RuleOp, Shaped, TextOp, line_op, shape, shift_op


def _plain_line(line: Line, align: str) -> Line:
    if align in ("justify", "left"):
        return line if align == "justify" else replace(line, justify=False)
    return replace(line, justify=False)


def _to_write_by_hand(row: Sequence[str]) -> bool:
    """A form row left blank for a signature or a note: written by hand on paper, so it gets two lines. A row
    already filled (or “年 月 日” to complete) keeps one: a 送达回证 of ten two-line rows spilled onto a second
    sheet, and a form is one sheet."""
    values = "".join(row[1:]) if len(row) > 1 else ""
    return not values.strip(" \u3000")


@dataclass
class Item:
    """A slice of the flow: ``lines`` grid lines high, with ops relative to its top-left (text area's left)."""

    lines: int
    ops: list[Op] = field(default_factory=list)
    keep_with_next: bool = False
    spacer: bool = False
    header_rows: list[Item] | None = None  # a table row: the header rows to repeat on a new page
    text: list[str] = field(default_factory=list)


def blank_item(n: int = 1) -> Item:
    return Item(n, spacer=True)


def em_top(size: float) -> float:
    """Offset from a grid line's top to the em top of text of ``size`` (body size: 0, larger text: centred)."""
    return 0.0 if size <= g.BODY_SIZE + 0.01 else -(size - g.BODY_SIZE) / 2


class FlowBuilder:
    """Builds the flow items of a document's parts with its fonts; every font fallback is noted in ``report``;
    each of ``keep`` (the names in the document) is drawn in one typeface wherever it occurs."""

    def __init__(self, fonts: FontSet, report: FallbackReport, keep: Sequence[str] = ()) -> None:
        self.fonts = fonts
        self.report = report
        self.keep = tuple(keep)

    def shape(self, runs: Sequence[tuple[str, FontRole, bool]], size: float = g.BODY_SIZE) -> Shaped:
        return shape(self.fonts, self.report, runs, size, self.keep)

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
            op = line_op(shaped, ln, x0, em_top(size), avail, "left" if align == "justify" else align, color)
            items.append(Item(1, [op], keep_with_next=keep_together and n < len(lines) - 1, text=[op.text]))
        # Widow/orphan control: never leave one line of a paragraph alone at a page's top or bottom.
        if len(items) >= 2:
            items[0].keep_with_next = True
            items[-2].keep_with_next = True
        return items

    # -- blocks --

    def block_items(self, block: Paragraph | Table | Figure) -> list[Item]:
        if isinstance(block, Table):
            return self.table_items(block)
        if isinstance(block, Figure):
            return self.figure_items(block)
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
            if table.header_rows == 0 and _to_write_by_hand(row):
                nlines = max(nlines, 2)  # a form's blank (签名, “年 月 日”): room to write by hand
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
            ops = [shift_op(op, 0.0, lift) for op in ops + rules]
            item = Item(nlines, ops, text=texts)
            if is_header:
                item.keep_with_next = True
                header.append(item)
            else:
                item.header_rows = list(header)
            items.append(item)
        return items

    def figure_items(self, figure: Figure) -> list[Item]:
        """A figure as one item of whole grid lines (so never split across pages), the drawing centred in them."""
        drawing = figure.draw(self.fonts, self.report)
        width, height = float(drawing.width), float(drawing.height)
        room = g.LINES_PER_PAGE * g.LINE_PITCH
        if width > g.TEXT_WIDTH + 0.01 or height > room + 0.01 or width <= 0 or height <= 0:
            raise ValueError(f"figure {figure.title!r} of {width:.1f} × {height:.1f} pt does not fit the text area")
        lines = max(1, math.ceil(height / g.LINE_PITCH - 1e-6))
        op = DrawingOp((g.TEXT_WIDTH - width) / 2, (lines * g.LINE_PITCH - height) / 2, width, height, drawing)
        return [Item(lines, [op], text=list(figure.texts))]

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
        items: list[Item] = [blank_item(2 if sig.seal_space else 1)]
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
        # Two parties (a 责任书): each column starts at one x, its lines and date aligned under each other; the
        # right one no nearer than two characters after the left one's longest line.
        right_x = None
        if left:
            left_end = g.BODY_INDENT_CHARS * size + max((width_of(t) for t in left), default=0.0)
            widest = max((width_of(t) for t in [*right, date_text] if t), default=0.0)
            right_x = min(
                max(min((issuer_x(t) for t in right if t), default=0.0), left_end + 2 * size), g.TEXT_WIDTH - widest
            )
        for k in range(rows):
            ops: list[Op] = []
            if k < len(left) and left[k]:
                ops.append(single(left[k], g.BODY_INDENT_CHARS * size))
            if k < len(right) and right[k]:
                ops.append(single(right[k], right_x if right_x is not None else issuer_x(right[k])))
            items.append(Item(1, ops, keep_with_next=True, text=[o.text for o in ops if isinstance(o, TextOp)]))
        if date_text:
            ops = []
            if left:
                ops.append(single(date_text, g.BODY_INDENT_CHARS * size))
            if right_x is not None:
                dx = right_x
            else:
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
