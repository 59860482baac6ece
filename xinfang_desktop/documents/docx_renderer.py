"""An :class:`OfficialDocument` as an editable Word document (python-docx plus the OOXML it does not cover).

The geometry is the PDF's (:mod:`geometry`): A4, margins 37/35/28/26 mm, a ``type="lines"`` document grid of
579 twips (28.95 pt), 3号 text with −0.25 pt character spacing so that 28 characters fill a line in Word, WPS and
LibreOffice alike, exact line spacing, ``autoSpaceDE/DN`` off. East Asian fonts are written as ``w:rFonts
w:eastAsia`` with ``w:hint="eastAsia"`` (python-docx's ``font.name`` sets only the Latin slots). Odd pages carry
"— N —" at the right, even pages at the left (``w:evenAndOddHeaders``); a letter's first page has no number.
The red rule under the 发文字号 is a paragraph border; the 信函's double rules are borders in the first page's
header and footer. Where the 版记 goes (which page, how far down) is taken from the PDF layout, so both formats
agree; Word then flows the text itself (its own 避头尾 and justification).

This module is the entry point and writes the content; :mod:`docx_page` sets up the page (section, grid, styles,
headers and footers) and :mod:`docx_xml` holds the OOXML helpers both use.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, BinaryIO

from docx import Document
from docx.shared import Pt

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.docx_page import mark_op, setup_page
from xinfang_desktop.documents.docx_xml import (
    CELL_MARGIN_TWIPS,
    CHAR_TWIPS,
    RED_HEX,
    TBLPR_ORDER,
    add_runs,
    cell_margins,
    el,
    put,
    set_paragraph,
    set_run,
)
from xinfang_desktop.documents.flow import format_date
from xinfang_desktop.documents.fonts import FontSet, get_fonts
from xinfang_desktop.documents.model import Figure, FontRole, Layout, OfficialDocument, Paragraph, ParagraphKind, Table
from xinfang_desktop.documents.page_layout import layout_document
from xinfang_desktop.documents.page_ops import RED, DocumentLayout, TextOp
from xinfang_desktop.documents.pdf_renderer import RenderInfo, info_of

# The public names, including those now defined in the modules beside this one: callers import them from here.
__all__ = [
    "CELL_MARGIN_TWIPS",
    "CHAR_TWIPS",
    "DOCX_FOOTER_SLACK_LINES",
    "RED_HEX",
    "render_docx",
    "set_paragraph",
    "set_run",
]

DOCX_FOOTER_SLACK_LINES = 2


class _Writer:
    """Builds the Word document: the page set up by :mod:`docx_page`, then head, title, body, signature, 版记."""

    def __init__(self, doc: OfficialDocument, layout: DocumentLayout, fonts: FontSet) -> None:
        self.doc = doc
        self.layout = layout
        self.fonts = fonts
        self.word: Any = Document()

    def para(self, **kwargs: Any) -> Any:
        par = self.word.add_paragraph()
        set_paragraph(par, **kwargs)
        return par

    def head(self) -> None:
        doc = self.doc
        if doc.layout == Layout.LETTER:
            if doc.document_number:
                par = self.para(jc="right", before_twips=g.twips(g.LETTER_NUMBER_BELOW_RULE), snap=False)
                add_runs(par, self.fonts, [(doc.document_number, FontRole.FANGSONG, False)])
            return
        if doc.layout == Layout.FORM or not doc.issuer_mark:
            return
        mark = mark_op(self.layout)
        size = mark.size if mark else g.ISSUER_MARK_MAX_SIZE
        par = self.para(
            jc="center",
            before_twips=g.twips(g.mm(g.ISSUER_MARK_TOP_MM)),
            line_twips=g.twips(size * 1.05),
            snap=False,
            border=None if doc.document_number else ("bottom", "single", 8, round(g.mm(4))),
        )
        add_runs(par, self.fonts, [(doc.issuer_mark, FontRole.XIAOBIAOSONG, False)], size, RED_HEX, None)
        if doc.document_number:
            par = self.para(
                jc="center",
                before_twips=g.twips(g.NUMBER_LINES_BELOW_MARK * g.LINE_PITCH),
                snap=False,
                border=("bottom", "single", 8, round(g.mm(g.RED_RULE_BELOW_NUMBER_MM))),
            )
            add_runs(par, self.fonts, [(doc.document_number, FontRole.FANGSONG, False)])

    def title(self) -> None:
        doc = self.doc
        lines = [
            op.text
            for op in self.layout.pages[0].ops
            if isinstance(op, TextOp) and abs(op.size - g.TITLE_SIZE) < 0.01 and op.color != RED
        ]
        text = "\n".join(lines) if lines else doc.title
        if doc.layout == Layout.FORM and doc.document_number:
            par = self.para(jc="right", keep_next=True)
            add_runs(par, self.fonts, [(doc.document_number, FontRole.FANGSONG, False)])
        before = 0
        if doc.layout != Layout.FORM and (doc.issuer_mark or doc.document_number):
            before = g.twips(g.TITLE_LINES_BELOW_RULE * g.LINE_PITCH - (g.LINE_PITCH - g.BODY_SIZE))
        par = self.para(jc="center", before_twips=max(before, 0), keep_next=True)
        add_runs(par, self.fonts, [(text, FontRole.XIAOBIAOSONG, False)], g.TITLE_SIZE, None, None)
        self.para()  # 标题下空一行

    def block(self, block: Paragraph | Table | Figure) -> None:
        if isinstance(block, Figure):
            return  # the charts are for the PDF: a DOCX draft is edited, and its figures would be pictures
        if isinstance(block, Table):
            self.table(block)
            return
        runs = [(r.text, r.role, r.bold) for r in block.runs]
        kind = block.kind
        if kind == ParagraphKind.PLAIN:
            par = self.para()
        elif kind == ParagraphKind.RIGHT:
            par = self.para(jc="right", right=2 * CHAR_TWIPS)
        elif kind == ParagraphKind.CENTER:
            par = self.para(jc="center")
        else:
            keep = kind in (ParagraphKind.HEADING1, ParagraphKind.HEADING2)
            par = self.para(first_line=2 * CHAR_TWIPS, keep_next=keep)
        add_runs(par, self.fonts, runs)

    def table(self, table: Table) -> None:
        ncols = max((len(r) for r in table.rows), default=0)
        if ncols == 0:
            return
        if table.caption:
            par = self.para(jc="center", keep_next=True)
            add_runs(par, self.fonts, [(table.caption, FontRole.HEITI, False)])
        rel = list(table.col_widths) if len(table.col_widths) == ncols else [1.0] * ncols
        total = sum(rel)
        t = self.word.add_table(rows=len(table.rows), cols=ncols)
        t.style = self.word.styles["Table Grid"]
        t.autofit = False
        cell_margins(t)
        size = g.TABLE_SIZE
        for r, row in enumerate(table.rows):
            header = r < table.header_rows
            for c in range(ncols):
                cell = t.cell(r, c)
                cell.width = Pt(g.TEXT_WIDTH * rel[c] / total)
                text = row[c] if c < len(row) else ""
                par = cell.paragraphs[0]
                label = c == 0 and table.header_rows == 0
                centred = header or text.isdigit() or label
                set_paragraph(par, jc="center" if centred else "both")
                role = FontRole.HEITI if header else FontRole.FANGSONG
                add_runs(par, self.fonts, [(text, role, False)], size, None, None)
            if table.header_rows == 0:
                tr_pr = t.rows[r]._tr.get_or_add_trPr()
                tr_pr.append(el("trHeight", val=g.twips(2 * g.LINE_PITCH), hRule="atLeast"))
            elif header:
                t.rows[r]._tr.get_or_add_trPr().append(el("tblHeader"))
        for c, column in enumerate(t.columns):
            column.width = Pt(g.TEXT_WIDTH * rel[c] / total)

    def attachments(self) -> None:
        items = self.doc.attachments
        if not items:
            return
        self.para()
        label_w = 3 * CHAR_TWIPS
        numbered = len(items) > 1
        for n, name in enumerate(items):
            number = f"{n + 1}." if numbered else ""
            hang = g.twips(len(number) * (g.SIZE_SAN_HAO / 2 + g.DOCX_CHAR_SPACING))
            left = 2 * CHAR_TWIPS + label_w + hang
            if n == 0:
                par = self.para(left=left, hanging=label_w + hang, keep_next=True)
                add_runs(par, self.fonts, [("附件：" + number + name, FontRole.FANGSONG, False)])
            else:
                par = self.para(left=left, hanging=hang, keep_next=True)
                add_runs(par, self.fonts, [(number + name, FontRole.FANGSONG, False)])

    def signature(self) -> None:
        sig = self.doc.signature
        if sig is None:
            if self.doc.note:
                par = self.para(first_line=2 * CHAR_TWIPS)
                add_runs(par, self.fonts, [(self.doc.note, FontRole.FANGSONG, False)])
            return
        for _ in range(2 if sig.seal_space else 1):
            self.para(keep_next=True)
        date_text = format_date(sig.signed_on) if sig.signed_on else ""
        date_right = g.SIGNATURE_DATE_RIGHT_CHARS * CHAR_TWIPS
        date_w = len(date_text) * CHAR_TWIPS  # digits are half width: a close enough centre for Word
        date_w -= sum(1 for ch in date_text if ch.isdigit()) * CHAR_TWIPS // 2
        text_width = g.twips(g.TEXT_WIDTH)

        def issuer_right(text: str) -> int:
            w = len(text) * CHAR_TWIPS
            if not sig.seal_space:
                return 2 * CHAR_TWIPS
            return max(0, date_right + (date_w - w) // 2)

        left, right = list(sig.second_party), list(sig.issuers)
        # Two parties (a 责任书): the right column starts at one tab stop, its lines and date under each other.
        column = (
            min(text_width - issuer_right(t) - len(t) * CHAR_TWIPS for t in right if t) if left and any(right) else None
        )
        for k in range(max(len(left), len(right))):
            rtext = right[k] if k < len(right) else ""
            ltext = left[k] if k < len(left) else ""
            stop = text_width - issuer_right(rtext) if rtext else text_width
            tabs = [("left", column)] if column is not None else [("right", stop)]
            par = self.para(jc="left", left=2 * CHAR_TWIPS if left else 0, tabs=tabs, keep_next=True)
            add_runs(par, self.fonts, [(ltext + "\t" + rtext, FontRole.FANGSONG, False)])
        if date_text:
            stop = text_width - date_right
            if not sig.seal_space and right:
                stop = text_width - 2 * CHAR_TWIPS + 2 * CHAR_TWIPS
            tabs = [("left", column)] if column is not None else [("right", stop)]
            par = self.para(jc="left", left=2 * CHAR_TWIPS if left else 0, tabs=tabs)
            add_runs(par, self.fonts, [((date_text if left else "") + "\t" + date_text, FontRole.FANGSONG, False)])
        if self.doc.note:
            par = self.para(first_line=2 * CHAR_TWIPS)
            add_runs(par, self.fonts, [(self.doc.note, FontRole.FANGSONG, False)])

    def tail(self) -> None:
        """The part after the signature behind a cut line (a 签收回执), kept together on one page as in the PDF."""
        if not self.doc.tail:
            return
        par = self.para(jc="center", keep_next=True)
        add_runs(par, self.fonts, [("- " * 22, FontRole.FANGSONG, False)])
        par = self.para(jc="center", keep_next=True)
        add_runs(par, self.fonts, [(self.doc.tail_heading, FontRole.FANGSONG, False)])
        for block in self.doc.tail:
            self.block(block)
            if isinstance(block, Table) and self.word.tables:
                # Word and LibreOffice keep a table together only through its paragraphs' keep-with-next.
                rows = self.word.tables[-1].rows
                for row in list(rows)[:-1]:
                    for cell in row.cells:
                        for paragraph in cell.paragraphs:
                            paragraph.paragraph_format.keep_with_next = True

    def footer_block(self) -> None:
        doc, layout = self.doc, self.layout
        footer = doc.footer
        if footer is None or layout.footer_page is None:
            return
        target = layout.pages[layout.footer_page]
        rows = layout.footer_rows
        used = target.flow_lines
        if used == 0:  # the 版记 page holds nothing else: start it (after the blank page, if any)
            if layout.blank_page_inserted:
                self.para(page_break_before=True)
            self.para(page_break_before=True, line_twips=20, snap=False)
        # Word and LibreOffice break lines a little differently from our grid (digit widths, kerning): leave two
        # lines of slack so that the 版记 never spills onto a page of its own.
        gap = g.LINES_PER_PAGE - rows - used - (DOCX_FOOTER_SLACK_LINES if used else 0)
        if gap > 0:
            self.para(line_twips=g.twips(gap * g.LINE_PITCH) - (20 if used == 0 else 0), snap=False)
        size = g.FOOTER_BLOCK_SIZE
        t = self.word.add_table(rows=rows, cols=1)
        t.autofit = False
        cell_margins(t)
        tbl_pr = t._tbl.tblPr
        # Also anchored to the foot of the text area (a floating table): Word and WPS keep it there when the text
        # above is edited; the spacer above puts its anchor there too, for LibreOffice, which places a floating table
        # at its anchor on a page that holds nothing else.
        put(
            tbl_pr,
            el("tblpPr", vertAnchor="margin", horzAnchor="margin", tblpYSpec="bottom", tblpXSpec="center"),
            TBLPR_ORDER,
        )
        put(tbl_pr, el("tblOverlap", val="never"), TBLPR_ORDER)
        borders = el("tblBorders")
        for side, sz in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 6), ("insideV", 0)):
            val = "single" if sz else "nil"
            edge = el(side, val=val, sz=sz, space=0, color="000000")
            borders.append(edge)
        put(tbl_pr, borders, TBLPR_ORDER)
        indent = g.twips(g.FOOTER_INDENT)
        row = 0
        if footer.copy_to:
            par = t.cell(0, 0).paragraphs[0]
            label = 3 * g.twips(size)
            set_paragraph(par, left=indent + label, right=indent, hanging=label, jc="left", snap=False)
            copy_line = "抄送：" + "，".join(footer.copy_to) + "。"
            add_runs(par, self.fonts, [(copy_line, FontRole.FANGSONG, False)], size, None, None)
            copy_rows = layout.footer_copy_rows
            t.rows[0]._tr.get_or_add_trPr().append(
                el("trHeight", val=g.twips(copy_rows * (g.LINE_PITCH - 2)), hRule="exact")
            )
            row = 1
        if doc.layout != Layout.LETTER and row < rows:
            par = t.cell(row, 0).paragraphs[0]
            set_paragraph(
                par, left=indent, right=indent, jc="left", tabs=[("right", g.twips(g.TEXT_WIDTH) - 2 * indent)]
            )
            when = format_date(footer.issued_on) + "印发"
            add_runs(par, self.fonts, [(footer.issuer + "\t" + when, FontRole.FANGSONG, False)], size, None, None)
            t.rows[row]._tr.get_or_add_trPr().append(el("trHeight", val=g.twips(g.LINE_PITCH - 2), hRule="exact"))
        for extra in range(rows - 1, row, -1):  # rows the copy line does not need
            t._tbl.remove(t.rows[extra]._tr)
        t.columns[0].width = Pt(g.TEXT_WIDTH)
        t.cell(0, 0).width = Pt(g.TEXT_WIDTH)
        # Word needs a paragraph after a table; keep it tiny so it does not start a new page.
        self.para(line_twips=20, snap=False)

    def build(self) -> Any:
        setup_page(self.word, self.doc, self.layout, self.fonts)
        self.head()
        if self.doc.title:
            self.title()
        if self.doc.addressee:
            par = self.para(keep_next=True)
            add_runs(par, self.fonts, [(self.doc.addressee, FontRole.FANGSONG, False)])
        for block in self.doc.body:
            self.block(block)
        self.attachments()
        self.signature()
        self.tail()
        self.footer_block()
        return self.word


def render_docx(
    doc: OfficialDocument,
    path_or_stream: str | os.PathLike[str] | BinaryIO,
    fonts: FontSet | None = None,
) -> RenderInfo:
    """Write ``doc`` as a .docx to a path or a binary stream. ``pages`` is the page count of the PDF layout,
    which Word matches when the named fonts are installed; ``fonts`` names the fonts written into the file."""
    fonts = fonts or get_fonts()
    layout = layout_document(doc, fonts)
    layout.report.check()  # the same refusal as the PDF's: a character no font has would be lost on paper
    word = _Writer(doc, layout, fonts).build()
    target: Any = os.fspath(path_or_stream) if isinstance(path_or_stream, str | Path) else path_or_stream
    word.save(target)
    info = info_of(layout, doc)
    return RenderInfo(
        pages=info.pages,
        fonts={role.value: fonts.docx_name(role) for role in FontRole},
        fallbacks=info.fallbacks,
        missing=info.missing,
        warnings=info.warnings,
    )
