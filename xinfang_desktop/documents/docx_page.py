"""The Word document's page: A4 section and line grid, the Normal style, page-number footers and the 信函 head."""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_SECTION_START
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.docx_xml import (
    PPR_ORDER,
    RED_HEX,
    RPR_ORDER,
    add_runs,
    el,
    fonts_el,
    page_field,
    put,
    set_paragraph,
)
from xinfang_desktop.documents.fonts import FontSet
from xinfang_desktop.documents.model import FontRole, Layout, OfficialDocument
from xinfang_desktop.documents.page_ops import RED, DocumentLayout, TextOp


def mark_op(layout: DocumentLayout) -> TextOp | None:
    """The red issuer mark of the PDF layout: the DOCX prints it at the size the layout fitted to the line."""
    for op in layout.pages[0].ops:
        if isinstance(op, TextOp) and op.color == RED:
            return op
    return None


def setup_page(word: Any, doc: OfficialDocument, layout: DocumentLayout, fonts: FontSet) -> None:
    """Page size, margins, the line grid and the Normal style of ``word``; then its headers and footers."""
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
    sect.append(el("docGrid", type="lines", linePitch=g.LINE_PITCH_TWIPS))
    word.settings.odd_and_even_pages_header_footer = True
    # Normal style and document defaults: 3号仿宋, exact 28.95 pt, no auto spacing between hanzi and digits.
    fangsong = fonts.docx_name(FontRole.FANGSONG)
    normal = word.styles["Normal"]
    rpr = normal.element.get_or_add_rPr()
    put(rpr, fonts_el(fangsong), RPR_ORDER)
    put(rpr, el("sz", val=32), RPR_ORDER)
    put(rpr, el("szCs", val=32), RPR_ORDER)
    put(rpr, el("lang", val="en-US", eastAsia="zh-CN"), RPR_ORDER)
    ppr = normal.element.get_or_add_pPr()
    put(ppr, el("autoSpaceDE", val=0), PPR_ORDER)
    put(ppr, el("autoSpaceDN", val=0), PPR_ORDER)
    put(ppr, el("spacing", before=0, after=0, line=g.LINE_PITCH_TWIPS, lineRule="exact"), PPR_ORDER)
    put(ppr, el("jc", val="both"), PPR_ORDER)
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            put(rpr_default.find(qn("w:rPr")), fonts_el(fangsong), RPR_ORDER)
    _headers_and_footers(section, doc, layout, fonts)


def _headers_and_footers(section: Any, doc: OfficialDocument, layout: DocumentLayout, fonts: FontSet) -> None:
    single_form = doc.layout == Layout.FORM and len(layout.pages) == 1
    name = fonts.docx_name(FontRole.SONGTI)
    size = g.PAGE_NUMBER_SIZE
    indent = g.twips(g.PAGE_NUMBER_INDENT)
    if not single_form:
        odd = section.footer.paragraphs[0]
        set_paragraph(odd, jc="right", right=indent, line_twips=g.twips(size * 1.2), snap=False)
        page_field(odd, name, size)
        even = section.even_page_footer.paragraphs[0]
        set_paragraph(even, jc="left", left=indent, line_twips=g.twips(size * 1.2), snap=False)
        page_field(even, name, size)
    if doc.layout == Layout.LETTER:
        section.different_first_page_header_footer = True
        _letter_head(section, doc, layout, fonts)


def _letter_head(section: Any, doc: OfficialDocument, layout: DocumentLayout, fonts: FontSet) -> None:
    """The 信函's issuer mark and double rules, in the first page's header and footer (they repeat on no page)."""
    section.header_distance = Mm(g.LETTER_MARK_TOP_MM)
    header = section.first_page_header
    par = header.paragraphs[0]
    overhang = g.twips((g.LETTER_RULE_LENGTH - g.TEXT_WIDTH) / 2)
    mark = mark_op(layout)
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
        add_runs(par, fonts, [(doc.issuer_mark, FontRole.XIAOBIAOSONG, False)], size, RED_HEX, None)
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
