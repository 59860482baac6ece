"""The OOXML python-docx does not cover: elements in schema order, run and paragraph properties, fields, margins."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from xinfang_desktop.documents import geometry as g
from xinfang_desktop.documents.fonts import FontSet
from xinfang_desktop.documents.model import FontRole

RED_HEX = "FF0000"
CELL_MARGIN_TWIPS = g.twips(g.TABLE_CELL_PADDING)
CHAR_TWIPS = g.twips(g.SIZE_SAN_HAO + g.DOCX_CHAR_SPACING)  # one 3号 character with the grid's spacing: 315

# Word rejects a file whose property elements are out of schema order: ``put`` inserts by these lists.
PPR_ORDER = [
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
TBLPR_ORDER = [
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
RPR_ORDER = [
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


def el(tag: str, **attrs: str | int) -> Any:
    """A new ``w:tag`` element with ``w:`` attributes."""
    el = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    return el


def put(parent: Any, child: Any, order: Sequence[str]) -> Any:
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


def fonts_el(name: str) -> Any:
    """``w:rFonts`` naming ``name`` in every slot: python-docx's ``font.name`` sets only the Latin ones."""
    return el("rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name, hint="eastAsia")


def set_run(
    run: Any, name: str, size: float, *, bold: bool = False, color: str | None = None, spacing: float | None = None
) -> None:
    rpr = run._r.get_or_add_rPr()
    put(rpr, fonts_el(name), RPR_ORDER)
    if bold:
        put(rpr, el("b"), RPR_ORDER)
        put(rpr, el("bCs"), RPR_ORDER)
    if color:
        put(rpr, el("color", val=color), RPR_ORDER)
    if spacing is not None:
        put(rpr, el("spacing", val=round(spacing * 20)), RPR_ORDER)
    half_points = round(size * 2)
    put(rpr, el("sz", val=half_points), RPR_ORDER)
    put(rpr, el("szCs", val=half_points), RPR_ORDER)
    put(rpr, el("lang", val="en-US", eastAsia="zh-CN"), RPR_ORDER)


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
        put(ppr, el("keepNext"), PPR_ORDER)
    if page_break_before:
        put(ppr, el("pageBreakBefore"), PPR_ORDER)
    if border:
        side, style, size, space = border
        pbdr = el("pBdr")
        pbdr.append(el(side, val=style, sz=size, space=space, color=RED_HEX))
        put(ppr, pbdr, PPR_ORDER)
    if tabs:
        tabs_el = el("tabs")
        for kind, pos in tabs:
            tabs_el.append(el("tab", val=kind, pos=pos))
        put(ppr, tabs_el, PPR_ORDER)
    put(ppr, el("autoSpaceDE", val=0), PPR_ORDER)
    put(ppr, el("autoSpaceDN", val=0), PPR_ORDER)
    if not snap:
        put(ppr, el("snapToGrid", val=0), PPR_ORDER)
    spacing = el("spacing", before=before_twips, after=0)
    if line_twips is not None:
        spacing.set(qn("w:line"), str(line_twips))
        spacing.set(qn("w:lineRule"), "exact")
    put(ppr, spacing, PPR_ORDER)
    ind = el("ind", left=left, right=right)
    if hanging:
        ind.set(qn("w:hanging"), str(hanging))
    elif first_line:
        ind.set(qn("w:firstLine"), str(first_line))
    put(ppr, ind, PPR_ORDER)
    put(ppr, el("jc", val=jc), PPR_ORDER)


def page_field(par: Any, name: str, size: float) -> None:
    """ "— N —" with N a PAGE field, so that Word numbers the pages itself."""

    def run_with(child: Any, text: str | None = None) -> None:
        run = par.add_run(text or "")
        set_run(run, name, size)
        if child is not None:
            run._r.append(child)

    run_with(None, "— ")
    run_with(el("fldChar", fldCharType="begin"))
    instr = el("instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    run_with(el("fldChar", fldCharType="separate"))
    run_with(None, "1")
    run_with(el("fldChar", fldCharType="end"))
    run_with(None, " —")


def add_runs(
    par: Any,
    fonts: FontSet,
    runs: Sequence[tuple[str, FontRole, bool]],
    size: float = g.BODY_SIZE_DOCX,
    color: str | None = None,
    spacing: float | None = g.DOCX_CHAR_SPACING,
) -> None:
    """Append ``runs`` to ``par``, each in its role's font; a newline in a run's text becomes a line break."""
    for text, role, bold in runs:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            run = par.add_run(part)
            set_run(run, fonts.docx_name(role), size, bold=bold, color=color, spacing=spacing)
            if k < len(parts) - 1:
                run.add_break()


def cell_margins(table: Any) -> None:
    """Cell padding as in the PDF (4 pt left and right, none above and below)."""
    tbl_pr = table._tbl.tblPr
    margins = el("tblCellMar")
    for side, value in (("top", 0), ("left", CELL_MARGIN_TWIPS), ("bottom", 0), ("right", CELL_MARGIN_TWIPS)):
        margins.append(el(side, w=value, type="dxa"))
    put(tbl_pr, margins, TBLPR_ORDER)
