"""What may be printed on a document that leaves the office: the text as a petitioner, a court or a leader reads it.

Rule IDs (R-DL-06, R-WS-01 …) are the project's own names for the rules: they belong in code, tests and the clerk's
tooltips, never on paper, where a citation names the article of the regulation in words. Texts recorded for the
clerk — an event's reason written by ``tick`` (“办理期限（R-DL-06，至2026年5月6日）已过半”), a backlog reason —
reach documents as input; :func:`public_text` takes the rule IDs out of them, keeping what else a parenthesis says.
:func:`internal_marks` finds what must never be printed (the documents' tests assert it finds nothing).
"""

from __future__ import annotations

import re
from dataclasses import replace

from xinfang_desktop.documents.model import Block, Figure, OfficialDocument, Paragraph, Run, Table

_ID = r"R-[A-Z]{2}-\d{2}(?:/\d{2})?"
_IDS = rf"{_ID}(?:\s*[、/，,和及]\s*{_ID})*"
_SEP = r"\s*[，,、；;]\s*"
#: A rule ID anywhere (what a printed text must not contain).
RULE_ID = re.compile(r"R-[A-Z]{2}-\d")
_ALONE = re.compile(rf"\s*[（(]\s*{_IDS}\s*[）)]")  # “（R-WS-03）”, “(R-DL-06/07)”
_LEADING = re.compile(rf"([（(])\s*{_IDS}{_SEP}")  # “（R-DL-06，至…）” → “（至…）”
_TRAILING = re.compile(rf"{_SEP}{_IDS}\s*([）)])")  # “（…，R-TM-04）” → “（…）”
_BARE = re.compile(rf"\s*{_IDS}\s*")
_SNAKE = re.compile(r"(?<![A-Za-z0-9_@./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_@.-])")
#: Words that only a clerk's screen may show: the provisional-date notes and the engine's explanation heading.
CLERK_ONLY = ("暂估", "尚未录入", "期限说明", "【注意】")


def public_text(text: str) -> str:
    """``text`` without rule IDs: “（R-WS-03）” goes, “（R-DL-06，至2026年5月6日）” keeps “（至2026年5月6日）”."""
    if not RULE_ID.search(text):
        return text
    text = _ALONE.sub("", text)
    text = _LEADING.sub(r"\1", text)
    text = _TRAILING.sub(r"\1", text)
    return _BARE.sub("", text)


def internal_marks(text: str) -> list[str]:
    """What in ``text`` must not be printed: rule IDs, ASCII snake_case keys (assignment_form), clerk-only words."""
    found = [m.group() for m in RULE_ID.finditer(text)]
    found += [m.group() for m in _SNAKE.finditer(text)]
    found += [w for w in CLERK_ONLY if w in text]
    return found


def _block(block: Block) -> Block:
    if isinstance(block, Figure):
        return block  # its labels are the report's figures and names
    if isinstance(block, Paragraph):
        runs = tuple(Run(public_text(r.text), r.role, r.bold) for r in block.runs)
        return block if runs == block.runs else Paragraph(runs, block.kind)
    rows = tuple(tuple(public_text(c) for c in row) for row in block.rows)
    caption = public_text(block.caption) if block.caption else block.caption
    return Table(rows, block.header_rows, block.col_widths, caption)


def public_document(doc: OfficialDocument) -> OfficialDocument:
    """``doc`` with :func:`public_text` applied to everything it prints."""
    return replace(
        doc,
        title=public_text(doc.title),
        addressee=public_text(doc.addressee) if doc.addressee else doc.addressee,
        body=tuple(_block(b) for b in doc.body),
        attachments=tuple(public_text(a) for a in doc.attachments),
        note=public_text(doc.note) if doc.note else doc.note,
        tail=tuple(_block(b) for b in doc.tail),
    )


__all__ = ["CLERK_ONLY", "RULE_ID", "internal_marks", "public_document", "public_text"]
