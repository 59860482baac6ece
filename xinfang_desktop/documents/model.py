"""The document model shared by every document type and both renderers (PDF and DOCX): what, not how."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from xinfang_desktop.documents.fonts import FallbackReport, FontSet

#: The clerk's warning for a document whose dates rest on a year without holiday data (R-TM-05).
PROVISIONAL_WARNING = (
    "文中期限涉及尚无节假日安排的年份，日期按周末推算，可能与实际不符。"
    "请先在“设置 → 节假日安排”录入该年度安排，或核对日期后再出具。"
)


class FontRole(StrEnum):
    """Typeface roles of GB/T 9704-2012; the font resolver maps each to an installed or bundled font."""

    FANGSONG = "fangsong"  # 仿宋: body text (3号)
    HEITI = "heiti"  # 黑体: level-one headings
    KAITI = "kaiti"  # 楷体: level-two headings
    SONGTI = "songti"  # 宋体: page numbers
    XIAOBIAOSONG = "xiaobiaosong"  # 小标宋: issuer mark and title


class Layout(StrEnum):
    """GB/T 9704 clause 10: the ordinary document, the letter (信函) variant, or a one-page form (表格 / 回证)."""

    DOCUMENT = "document"
    LETTER = "letter"
    FORM = "form"


class ParagraphKind(StrEnum):
    BODY = "body"  # 仿宋, first line indented two characters
    HEADING1 = "heading1"  # 黑体 "一、…"
    HEADING2 = "heading2"  # 楷体 "（一）…"
    HEADING3 = "heading3"  # 仿宋 "1. …" (bold allowed)
    PLAIN = "plain"  # 仿宋, no indent (主送, lists)
    RIGHT = "right"  # right-aligned (署名 lines)
    CENTER = "center"


@dataclass(frozen=True)
class Run:
    text: str
    role: FontRole = FontRole.FANGSONG
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    kind: ParagraphKind = ParagraphKind.BODY

    @classmethod
    def of(cls, text: str, kind: ParagraphKind = ParagraphKind.BODY) -> Paragraph:
        role = {ParagraphKind.HEADING1: FontRole.HEITI, ParagraphKind.HEADING2: FontRole.KAITI}.get(
            kind, FontRole.FANGSONG
        )
        return cls((Run(text, role),), kind)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Table:
    """A ruled table inside the body (targets of a 责任书, fields of a 交办单 or 送达回证)."""

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1
    col_widths: tuple[float, ...] = ()  # relative widths; empty = equal
    caption: str | None = None


class Drawable(Protocol):
    """What a :class:`Figure` draws: a reportlab ``Drawing`` (its size in points, drawn at its bottom-left)."""

    width: float
    height: float

    def drawOn(self, canvas: Any, x: float, y: float) -> None: ...  # reportlab's name


@dataclass(frozen=True)
class Figure:
    """A drawing inside the body (a chart of a report), kept whole on one page and centred in the text width.

    ``draw(fonts, report)`` makes it with the document's fonts, noting in ``report`` the characters of its labels
    that no font has (the renderers then refuse, as for text); it is at most the text area's width and
    :data:`~xinfang_desktop.documents.geometry.LINES_PER_PAGE` grid lines high, and takes whole grid lines.
    ``texts`` are the strings it prints (title, axis labels, names, values), for the plain text and the tests.
    The PDF draws it; the DOCX leaves it out."""

    title: str
    draw: Callable[[FontSet, FallbackReport], Drawable] = field(compare=False, repr=False)
    texts: tuple[str, ...] = ()


Block = Paragraph | Table | Figure


@dataclass(frozen=True)
class Signature:
    """署名 and 成文日期 (with room for the seal); two parties side by side for agreements such as 责任书."""

    issuers: tuple[str, ...]
    signed_on: date | None
    second_party: tuple[str, ...] = ()  # e.g. the lower-level party of a 责任书 (left column)
    seal_space: bool = True


@dataclass(frozen=True)
class FooterBlock:
    """版记: 抄送, 印发机关 and 印发日期, on the last (even) page with its last rule on the text area's bottom."""

    issuer: str
    issued_on: date
    copy_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class OfficialDocument:
    """One document ready to render. Masking of personal data is done before this point (by the type module)."""

    type_id: str
    title: str
    layout: Layout = Layout.DOCUMENT
    issuer_mark: str | None = None  # 发文机关标志, red, e.g. "示范县信访局" or "示范县信访局文件"
    document_number: str | None = None  # 发文字号, e.g. "示信函〔2026〕12号"
    addressee: str | None = None  # 主送
    body: tuple[Block, ...] = ()
    attachments: tuple[str, ...] = ()  # 附件说明 lines
    signature: Signature | None = None
    note: str | None = None  # 附注, e.g. "（联系人：…）"
    footer: FooterBlock | None = None
    provisional: bool = False  # a deadline in the text rests on a year without holiday data (R-TM-05): not printed
    metadata: dict[str, str] = field(default_factory=dict)  # case number, query code … (not printed)
    names: tuple[str, ...] = ()  # the people named in the text: each drawn in one typeface (not printed by itself)
    # A part printed after the signature, behind a cut line (the 签收回执 a 预警单 carries): kept on one page.
    tail: tuple[Block, ...] = ()
    tail_heading: str = "（此联沿虚线裁下，签收后交回）"

    def clerk_warnings(self) -> tuple[str, ...]:
        """What the clerk must know before issuing, shown on screen (and by the CLI on stderr) — never printed."""
        return (PROVISIONAL_WARNING,) if self.provisional else ()

    def plain_text(self) -> str:
        """The text a clerk would read, in order — what `pdftotext` of the PDF must contain."""
        parts = [p for p in (self.issuer_mark, self.document_number, self.title, self.addressee) if p]
        for block in self.body:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, Figure):
                parts.extend(block.texts)
            else:
                parts.extend(" ".join(row) for row in block.rows)
        parts.extend(self.attachments)
        if self.signature:
            parts.extend(self.signature.second_party)
            parts.extend(self.signature.issuers)
        if self.note:
            parts.append(self.note)
        if self.tail:
            parts.append(self.tail_heading)
        for block in self.tail:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, Figure):
                parts.extend(block.texts)
            else:
                if block.caption:
                    parts.append(block.caption)
                parts.extend(" ".join(row) for row in block.rows)
        return "\n".join(parts)
