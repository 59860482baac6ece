"""Drawing operations in paper coordinates (text lines, rules, drawings), the pages holding them, and text shaping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from xinfang_desktop.documents.fonts import FallbackReport, FontFace, FontSet
from xinfang_desktop.documents.linebreak import Line, char_offsets
from xinfang_desktop.documents.model import FontRole

RED = "red"
BLACK = "black"

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
    dash: tuple[float, float] | None = None  # on, off (pt): a cut line


@dataclass(frozen=True)
class DrawingOp:
    """A drawing (a :class:`~xinfang_desktop.documents.model.Figure`'s chart): its top-left corner at (x, top) from
    the paper's top-left, ``width`` × ``height`` points."""

    x: float
    top: float
    width: float
    height: float
    drawing: Any = field(compare=False, repr=False)
    color: str = BLACK  # the drawing sets its own colours; here so that every op has one

    @property
    def bottom(self) -> float:
        return self.top + self.height


Op = TextOp | RuleOp | DrawingOp


def shift_op(op: Op, dx: float, dy: float) -> Op:
    """``op`` moved by (dx, dy): flow items are built at the origin and placed on the page afterwards."""
    if isinstance(op, TextOp | DrawingOp):
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


def shape(
    fonts: FontSet,
    report: FallbackReport,
    runs: Sequence[tuple[str, FontRole, bool]],
    size: float,
    keep: Sequence[str] = (),
) -> Shaped:
    """The characters of ``runs`` with their fonts and advances; each of ``keep`` stays in one typeface."""
    text_parts: list[str] = []
    widths: list[float] = []
    styles: list[tuple[FontFace, bool]] = []
    for text, role, bold in runs:
        report.note(fonts, role, text, keep)
        for face, chunk in fonts.segments(role, text, keep):
            font: Any = _rl_font(face)
            for ch in chunk:
                text_parts.append(ch)
                # Every CJK character is one cell wide, whatever the font says (ambiguous-width punctuation too).
                widths.append(size if ord(ch) >= 0x2E80 else font.stringWidth(ch, size))
                styles.append((face, bold or face.fake_bold))
    text = "".join(text_parts)
    return Shaped(text, widths, styles, size)


# shape() measures character by character: keep reportlab's font objects rather than look each one up again.
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
