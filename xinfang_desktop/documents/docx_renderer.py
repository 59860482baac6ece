"""An :class:`OfficialDocument` as an editable Word document (python-docx plus the OOXML it does not cover).

The geometry is the PDF's (:mod:`geometry`): A4, margins 37/35/28/26 mm, a ``type="lines"`` document grid of
579 twips (28.95 pt), 3号 text with −0.25 pt character spacing so that 28 characters fill a line in Word, WPS and
LibreOffice alike, exact line spacing, ``autoSpaceDE/DN`` off. East Asian fonts are written as ``w:rFonts
w:eastAsia`` with ``w:hint="eastAsia"`` (python-docx's ``font.name`` sets only the Latin slots). Odd pages carry
"— N —" at the right, even pages at the left (``w:evenAndOddHeaders``); a letter's first page has no number.
The red rule under the 发文字号 is a paragraph border; the 信函's double rules are borders in the first page's
header and footer. Where the 版记 goes (which page, how far down) is taken from the PDF layout, so both formats
agree; Word then flows the text itself (its own 避头尾 and justification).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.fonts import FontSet, get_fonts
from xinfang_desktop.documents.model import (
    FontRole,
    Layout,
    OfficialDocument,
    Paragraph,
    ParagraphKind,
    Table,
)
from xinfang_desktop.documents.pdf_renderer import (
    PROVISIONAL_NOTE,
    DocumentLayout,
    RenderInfo,
    TextOp,
    format_date,
    info_of,
    layout_document,
)

RED_HEX = "FF0000"
DOCX_FOOTER_SLACK_LINES = 2
CELL_MARGIN_TWIPS = g.twips(g.TABLE_CELL_PADDING)
CHAR_TWIPS = g.twips(g.SIZE_SAN_HAO + g.DOCX_CHAR_SPACING)  # one 3号 character with the grid's spacing: 315

_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
_TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
]
_RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]


def _el(tag: str, **attrs: str | int) -> Any:
    el = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


def _put(parent: Any, child: Any, order: Sequence[str]) -> Any:
    """Insert ``child`` into ``parent`` in schema order, replacing an element of the same tag."""
    local = child.tag.split("}")[1]
    for old in parent.findall(qn(f"w:{local}")):
        parent.remove(old)
    rank = order.index(local)
    for i, existing in enumerate(parent):
        name = existing.tag.split("}")[1]
        if name in order and order.index(name) > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _fonts_el(name: str) -> Any:
    return _el("rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia")


def set_run(
    run: Any, name: str, size: float, *, bold: bool = False, color: str | None = None, spacing: float | None = None
) -> None:
    rpr = run._r.get_or_add_rPr()
    _put(rpr, _fonts_el(name), _RPR_ORDER)
    if bold:
        _put(rpr, _el("b"), _RPR_ORDER)
        _put(rpr, _el("bCs"), _RPR_ORDER)
    if color:
        _put(rpr, _el("color", val=color), _RPR_ORDER)
    if spacing is not None:
        _put(rpr, _el("spacing", val=round(spacing * 20)), _RPR_ORDER)
    half_points = round(size * 2)
    _put(rpr, _el("sz", val=half_points), _RPR_ORDER)
    _put(rpr, _el("szCs", val=half_points), _RPR_ORDER)
    _put(rpr, _el("lang", val="en-US", eastAsia="zh-CN"), _RPR_ORDER)


def set_paragraph(
    par: Any,
    *,
    jc: str = "both",
    line_twips: int | None = g.LINE_PITCH_TWIPS,
    before_twips: int = 0,
    first_line: int = 0,
    left: int = 0,
    right: int = 0,
    hanging: int = 0,
    snap: bool = True,
    keep_next: bool = False,
    border: tuple[str, str, int, int] | None = None,  # (side, style, size in 1/8 pt, space in pt)
    tabs: Sequence[tuple[str, int]] = (),
    page_break_before: bool = False,
) -> None:
    ppr = par._p.get_or_add_pPr()
    if keep_next:
        _put(ppr, _el("keepNext"), _PPR_ORDER)
    if page_break_before:
        _put(ppr, _el("pageBreakBefore"), _PPR_ORDER)
    if border:
        side, style, size, space = border
        pbdr = _el("pBdr")
        pbdr.append(_el(side, val=style, sz=size, space=space, color=RED_HEX))
        _put(ppr, pbdr, _PPR_ORDER)
    if tabs:
        tabs_el = _el("tabs")
        for kind, pos in tabs:
            tabs_el.append(_el("tab", val=kind, pos=pos))
        _put(ppr, tabs_el, _PPR_ORDER)
    _put(ppr, _el("autoSpaceDE", val=0), _PPR_ORDER)
    _put(ppr, _el("autoSpaceDN", val=0), _PPR_ORDER)
    if not snap:
        _put(ppr, _el("snapToGrid", val=0), _PPR_ORDER)
    spacing = _el("spacing", before=before_twips, after=0)
    if line_twips is not None:
        spacing.set(qn("w:line"), str(line_twips))
        spacing.set(qn("w:lineRule"), "exact")
    _put(ppr, spacing, _PPR_ORDER)
    ind = _el("ind", left=left, right=right)
    if hanging:
        ind.set(qn("w:hanging"), str(hanging))
    elif first_line:
        ind.set(qn("w:firstLine"), str(first_line))
    _put(ppr, ind, _PPR_ORDER)
    _put(ppr, _el("jc", val=jc), _PPR_ORDER)


def _page_field(par: Any, name: str, size: float) -> None:
    def run_with(child: Any, text: str | None = None) -> None:
        run = par.add_run(text or "")
        set_run(run, name, size)
        if child is not None:
            run._r.append(child)

    run_with(None, "— ")
    run_with(_el("fldChar", fldCharType="begin"))
    instr = _el("instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    run_with(_el("fldChar", fldCharType="separate"))
    run_with(None, "1")
    run_with(_el("fldChar", fldCharType="end"))
    run_with(None, " —")


class _Writer:
    def __init__(self, doc: OfficialDocument, layout: DocumentLayout, fonts: FontSet) -> None:
        self.doc = doc
        self.layout = layout
        self.fonts = fonts
        self.word: Any = Document()

    def name(self, role: FontRole) -> str:
        return self.fonts.docx_name(role)

    def para(self, **kwargs: Any) -> Any:
        par = self.word.add_paragraph()
        set_paragraph(par, **kwargs)
        return par

    def runs(
        self,
        par: Any,
        runs: Sequence[tuple[str, FontRole, bool]],
        size: float = g.BODY_SIZE_DOCX,
        color: str | None = None,
        spacing: float | None = g.DOCX_CHAR_SPACING,
    ) -> None:
        for text, role, bold in runs:
            parts = text.split("\n")
            for k, part in enumerate(parts):
                run = par.add_run(part)
                set_run(run, self.name(role), size, bold=bold, color=color, spacing=spacing)
                if k < len(parts) - 1:
                    run.add_break()

    # -- setup --

    def setup(self) -> None:
        word = self.word
        section = word.sections[0]
        section.page_width, section.page_height = Mm(g.PAGE_WIDTH_MM), Mm(g.PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(g.TOP_MARGIN_MM), Mm(g.BOTTOM_MARGIN_MM)
        section.left_margin, section.right_margin = Mm(g.LEFT_MARGIN_MM), Mm(g.RIGHT_MARGIN_MM)
        section.header_distance = Mm(15)
        number_line = g.PAGE_NUMBER_SIZE
        section.footer_distance = Pt(g.mm(g.BOTTOM_MARGIN_MM - g.PAGE_NUMBER_BELOW_TEXT_MM) - number_line)
        section.start_type = WD_SECTION_START.NEW_PAGE
        sect = section._sectPr
        for old in sect.findall(qn("w:docGrid")):
            sect.remove(old)
        sect.append(_el("docGrid", type="lines", linePitch=g.LINE_PITCH_TWIPS))
        word.settings.odd_and_even_pages_header_footer = True
        # Normal style and document defaults: 3号仿宋, exact 28.95 pt, no auto spacing between hanzi and digits.
        normal = word.styles["Normal"]
        rpr = normal.element.get_or_add_rPr()
        _put(rpr, _fonts_el(self.name(FontRole.FANGSONG)), _RPR_ORDER)
        _put(rpr, _el("sz", val=32), _RPR_ORDER)
        _put(rpr, _el("szCs", val=32), _RPR_ORDER)
        _put(rpr, _el("lang", val="en-US", eastAsia="zh-CN"), _RPR_ORDER)
        ppr = normal.element.get_or_add_pPr()
        _put(ppr, _el("autoSpaceDE", val=0), _PPR_ORDER)
        _put(ppr, _el("autoSpaceDN", val=0), _PPR_ORDER)
        _put(ppr, _el("spacing", before=0, after=0, line=g.LINE_PITCH_TWIPS, lineRule="exact"), _PPR_ORDER)
        _put(ppr, _el("jc", val="both"), _PPR_ORDER)
        defaults = word.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr_default = defaults.find(qn("w:rPrDefault"))
            if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
                _put(rpr_default.find(qn("w:rPr")), _fonts_el(self.name(FontRole.FANGSONG)), _RPR_ORDER)
        self.footers(section)

    def footers(self, section: Any) -> None:
        doc = self.doc
        single_form = doc.layout == Layout.FORM and len(self.layout.pages) == 1
        name = self.name(FontRole.SONGTI)
        size = g.PAGE_NUMBER_SIZE
        indent = g.twips(g.PAGE_NUMBER_INDENT)
        if not single_form:
            odd = section.footer.paragraphs[0]
            set_paragraph(odd, jc="right", right=indent, line_twips=g.twips(size * 1.2), snap=False)
            _page_field(odd, name, size)
            even = section.even_page_footer.paragraphs[0]
            set_paragraph(even, jc="left", left=indent, line_twips=g.twips(size * 1.2), snap=False)
            _page_field(even, name, size)
        if doc.provisional:
            for header in (section.header, section.even_page_header):
                par = header.paragraphs[0]
                set_paragraph(par, jc="right", line_twips=None, snap=False)
                self.runs(par, [("【注意】" + PROVISIONAL_NOTE, FontRole.HEITI, False)], g.SIZE_SI_HAO, RED_HEX, None)
        if doc.layout == Layout.LETTER:
            section.different_first_page_header_footer = True
            self.letter_head(section)

    def letter_head(self, section: Any) -> None:
        doc = self.doc
        section.header_distance = Mm(g.LETTER_MARK_TOP_MM)
        header = section.first_page_header
        par = header.paragraphs[0]
        overhang = g.twips((g.LETTER_RULE_LENGTH - g.TEXT_WIDTH) / 2)
        mark = self.mark_op()
        size = mark.size if mark else g.LETTER_MARK_MAX_SIZE
        set_paragraph(
            par,
            jc="center",
            line_twips=g.twips(size * 1.05),
            left=-overhang,
            right=-overhang,
            snap=False,
            border=("bottom", "thickThinSmallGap", 24, round(g.mm(g.LETTER_RULE_BELOW_MARK_MM))),
        )
        if doc.issuer_mark:
            self.runs(par, [(doc.issuer_mark, FontRole.XIAOBIAOSONG, False)], size, RED_HEX, None)
        footer = section.first_page_footer
        fpar = footer.paragraphs[0]
        section.footer_distance = Mm(g.LETTER_BOTTOM_RULE_ABOVE_PAPER_BOTTOM_MM)
        set_paragraph(
            fpar,
            jc="center",
            line_twips=40,
            left=-overhang,
            right=-overhang,
            snap=False,
            border=("top", "thinThickSmallGap", 24, 0),
        )

    def mark_op(self) -> TextOp | None:
        for op in self.layout.pages[0].ops:
            if isinstance(op, TextOp) and op.color == "red":
                return op
        return None

    # -- content --

    def head(self) -> None:
        doc = self.doc
        if doc.layout == Layout.LETTER:
            if doc.document_number:
                par = self.para(jc="right", before_twips=g.twips(g.LETTER_NUMBER_BELOW_RULE), snap=False)
                self.runs(par, [(doc.document_number, FontRole.FANGSONG, False)])
            return
        if doc.layout == Layout.FORM or not doc.issuer_mark:
            return
        mark = self.mark_op()
        size = mark.size if mark else g.ISSUER_MARK_MAX_SIZE
        par = self.para(
            jc="center",
            before_twips=g.twips(g.mm(g.ISSUER_MARK_TOP_MM)),
            line_twips=g.twips(size * 1.05),
            snap=False,
            border=None if doc.document_number else ("bottom", "single", 8, round(g.mm(4))),
        )
        self.runs(par, [(doc.issuer_mark, FontRole.XIAOBIAOSONG, False)], size, RED_HEX, None)
        if doc.document_number:
            par = self.para(
                jc="center",
                before_twips=g.twips(g.NUMBER_LINES_BELOW_MARK * g.LINE_PITCH),
                snap=False,
                border=("bottom", "single", 8, round(g.mm(g.RED_RULE_BELOW_NUMBER_MM))),
            )
            self.runs(par, [(doc.document_number, FontRole.FANGSONG, False)])

    def title(self) -> None:
        doc = self.doc
        lines = [
            op.text
            for op in self.layout.pages[0].ops
            if isinstance(op, TextOp) and abs(op.size - g.TITLE_SIZE) < 0.01 and op.color != "red"
        ]
        text = "\n".join(lines) if lines else doc.title
        if doc.layout == Layout.FORM and doc.document_number:
            par = self.para(jc="right", keep_next=True)
            self.runs(par, [(doc.document_number, FontRole.FANGSONG, False)])
        before = 0
        if doc.layout != Layout.FORM and (doc.issuer_mark or doc.document_number):
            before = g.twips(g.TITLE_LINES_BELOW_RULE * g.LINE_PITCH - (g.LINE_PITCH - g.BODY_SIZE))
        par = self.para(jc="center", before_twips=max(before, 0), keep_next=True)
        self.runs(par, [(text, FontRole.XIAOBIAOSONG, False)], g.TITLE_SIZE, None, None)
        self.para()  # 标题下空一行

    def block(self, block: Paragraph | Table) -> None:
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
        self.runs(par, runs)

    def table(self, table: Table) -> None:
        ncols = max((len(r) for r in table.rows), default=0)
        if ncols == 0:
            return
        if table.caption:
            par = self.para(jc="center", keep_next=True)
            self.runs(par, [(table.caption, FontRole.HEITI, False)])
        rel = list(table.col_widths) if len(table.col_widths) == ncols else [1.0] * ncols
        total = sum(rel)
        t = self.word.add_table(rows=len(table.rows), cols=ncols)
        t.style = self.word.styles["Table Grid"]
        t.autofit = False
        _cell_margins(t)
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
                self.runs(par, [(text, role, False)], size, None, None)
            if table.header_rows == 0:
                tr_pr = t.rows[r]._tr.get_or_add_trPr()
                tr_pr.append(_el("trHeight", val=g.twips(2 * g.LINE_PITCH), hRule="atLeast"))
            elif header:
                t.rows[r]._tr.get_or_add_trPr().append(_el("tblHeader"))
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
                self.runs(par, [("附件：" + number + name, FontRole.FANGSONG, False)])
            else:
                par = self.para(left=left, hanging=hang, keep_next=True)
                self.runs(par, [(number + name, FontRole.FANGSONG, False)])

    def signature(self) -> None:
        sig = self.doc.signature
        if sig is None:
            if self.doc.note:
                par = self.para(first_line=2 * CHAR_TWIPS)
                self.runs(par, [(self.doc.note, FontRole.FANGSONG, False)])
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
        for k in range(max(len(left), len(right))):
            rtext = right[k] if k < len(right) else ""
            ltext = left[k] if k < len(left) else ""
            stop = text_width - issuer_right(rtext) if rtext else text_width
            par = self.para(jc="left", left=2 * CHAR_TWIPS if ltext else 0, tabs=[("right", stop)], keep_next=True)
            self.runs(par, [(ltext + "\t" + rtext, FontRole.FANGSONG, False)])
        if date_text:
            stop = text_width - date_right
            if not sig.seal_space and right:
                stop = text_width - 2 * CHAR_TWIPS + 2 * CHAR_TWIPS
            par = self.para(jc="left", left=2 * CHAR_TWIPS if left else 0, tabs=[("right", stop)])
            self.runs(par, [((date_text if left else "") + "\t" + date_text, FontRole.FANGSONG, False)])
        if self.doc.note:
            par = self.para(first_line=2 * CHAR_TWIPS)
            self.runs(par, [(self.doc.note, FontRole.FANGSONG, False)])

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
        _cell_margins(t)
        tbl_pr = t._tbl.tblPr
        borders = _el("tblBorders")
        for side, sz in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 6), ("insideV", 0)):
            val = "single" if sz else "nil"
            el = _el(side, val=val, sz=sz, space=0, color="000000")
            borders.append(el)
        _put(tbl_pr, borders, _TBLPR_ORDER)
        indent = g.twips(g.FOOTER_INDENT)
        row = 0
        if footer.copy_to:
            par = t.cell(0, 0).paragraphs[0]
            label = 3 * g.twips(size)
            set_paragraph(par, left=indent + label, right=indent, hanging=label, jc="left", snap=False)
            self.runs(par, [("抄送：" + "，".join(footer.copy_to) + "。", FontRole.FANGSONG, False)], size, None, None)
            copy_rows = layout.footer_copy_rows
            t.rows[0]._tr.get_or_add_trPr().append(
                _el("trHeight", val=g.twips(copy_rows * (g.LINE_PITCH - 2)), hRule="exact")
            )
            row = 1
        if doc.layout != Layout.LETTER and row < rows:
            par = t.cell(row, 0).paragraphs[0]
            set_paragraph(
                par, left=indent, right=indent, jc="left", tabs=[("right", g.twips(g.TEXT_WIDTH) - 2 * indent)]
            )
            when = format_date(footer.issued_on) + "印发"
            self.runs(par, [(footer.issuer + "\t" + when, FontRole.FANGSONG, False)], size, None, None)
            t.rows[row]._tr.get_or_add_trPr().append(_el("trHeight", val=g.twips(g.LINE_PITCH - 2), hRule="exact"))
        for extra in range(rows - 1, row, -1):  # rows the copy line does not need
            t._tbl.remove(t.rows[extra]._tr)
        t.columns[0].width = Pt(g.TEXT_WIDTH)
        t.cell(0, 0).width = Pt(g.TEXT_WIDTH)
        # Word needs a paragraph after a table; keep it tiny so it does not start a new page.
        self.para(line_twips=20, snap=False)

    def build(self) -> Any:
        self.setup()
        self.head()
        if self.doc.title:
            self.title()
        if self.doc.addressee:
            par = self.para(keep_next=True)
            self.runs(par, [(self.doc.addressee, FontRole.FANGSONG, False)])
        for block in self.doc.body:
            self.block(block)
        self.attachments()
        self.signature()
        self.footer_block()
        return self.word


def _cell_margins(table: Any) -> None:
    """Cell padding as in the PDF (4 pt left and right, none above and below)."""
    tbl_pr = table._tbl.tblPr
    margins = _el("tblCellMar")
    for side, value in (("top", 0), ("left", CELL_MARGIN_TWIPS), ("bottom", 0), ("right", CELL_MARGIN_TWIPS)):
        margins.append(_el(side, w=value, type="dxa"))
    _put(tbl_pr, margins, _TBLPR_ORDER)


def render_docx(
    doc: OfficialDocument,
    path_or_stream: str | os.PathLike[str] | BinaryIO,
    fonts: FontSet | None = None,
) -> RenderInfo:
    """Write ``doc`` as a .docx to a path or a binary stream. ``pages`` is the page count of the PDF layout,
    which Word matches when the named fonts are installed; ``fonts`` names the fonts written into the file."""
    fonts = fonts or get_fonts()
    layout = layout_document(doc, fonts)
    word = _Writer(doc, layout, fonts).build()
    target: Any = os.fspath(path_or_stream) if isinstance(path_or_stream, str | Path) else path_or_stream
    word.save(target)
    info = info_of(layout)
    return RenderInfo(
        pages=info.pages,
        fonts={role.value: fonts.docx_name(role) for role in FontRole},
        fallbacks=info.fallbacks,
        missing=info.missing,
    )
