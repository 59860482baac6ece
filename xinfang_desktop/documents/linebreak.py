"""A grid line-breaker for Chinese text: 避头尾, whole digit and Latin runs, and justification to the grid.

reportlab's own CJK wrapping lets "，" start a line, lets "（" end one and does not justify, so the PDF renderer
draws line by line from the result of :func:`break_lines` and :func:`char_offsets`. The functions are pure: they
see a string and the advance width of each character (in any unit) and know nothing about fonts or pages.

The method is 推出 (push-out): a character that may not start a line is glued to the one before it, a character
that may not end a line is glued to the one after it, and the glued groups are filled greedily; the slack of
every line but a paragraph's last is then spread evenly over the gaps between its units, so that lines fill the
grid exactly (GB/T 9704 "撑满版心").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

#: 避头: characters that may not start a line (closing brackets and quotes, pause and stop marks, …).
NO_LINE_START: Final = frozenset(
    "，。、；：？！）》」』”’〕】〉〗〙〛…‥·・～々〻ー"
    "﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞︶︸︺︼︾﹀﹂﹄"
    ",.;:?!)]}%‰℃°"
    "）］｝，．；：？！％"
)
#: 避尾: characters that may not end a line (opening brackets and quotes).
NO_LINE_END: Final = frozenset("（《「『“‘〔【〈〖〘〚([{（［｛﹙﹛﹝")

_JOINERS: Final = frozenset(".,:/-_@+#&'%")


def _is_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def atoms(text: str) -> list[tuple[int, int]]:
    """Unbreakable units as (start, end) pairs: one character, or a run of ASCII letters and digits with inner
    joiners ("2026", "XF-2026-0012", "3.5", "12:30", "50%"), or a run of "—" or "…" (never split a 破折号)."""
    result: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        j = i + 1
        if _is_alnum(ch):
            while j < n:
                if _is_alnum(text[j]):
                    j += 1
                elif text[j] in _JOINERS and j + 1 < n and _is_alnum(text[j + 1]):
                    j += 2
                elif text[j] == "%":
                    j += 1
                    break
                else:
                    break
        elif ch in "—…":
            while j < n and text[j] == ch:
                j += 1
        result.append((i, j))
        i = j
    return result


def groups(text: str) -> list[tuple[int, int]]:
    """Atoms glued so that no group boundary puts a 避头 character at a line start or a 避尾 one at a line end."""
    result: list[list[int]] = []
    glue_next = False
    for start, end in atoms(text):
        if result and (glue_next or text[start] in NO_LINE_START):
            result[-1][1] = end
        else:
            result.append([start, end])
        glue_next = text[end - 1] in NO_LINE_END
    return [(g[0], g[1]) for g in result]


@dataclass(frozen=True)
class Line:
    """One line of a paragraph: the characters text[start:end], starting ``indent`` units from the left edge."""

    start: int
    end: int
    indent: float
    width: float  # natural width of the characters, without the indent
    justify: bool  # spread the slack over the gaps (every line but a paragraph's last)


def break_lines(
    text: str,
    widths: Sequence[float],
    line_width: float,
    first_indent: float = 0.0,
    indent: float = 0.0,
) -> list[Line]:
    """Break ``text`` (one paragraph) into lines no wider than ``line_width``.

    ``widths[i]`` is the advance of ``text[i]``. The first line starts ``first_indent`` from the left edge, the
    others ``indent``. A group wider than a whole line (a very long Latin run, a row of closing marks) is split
    between characters as a last resort. An empty text gives one empty line.
    """
    if len(widths) != len(text):
        raise ValueError("one width per character is needed")
    if not text:
        return [Line(0, 0, first_indent, 0.0, False)]
    eps = 1e-6
    lines: list[Line] = []
    line_start = 0
    current = 0.0
    pos = 0

    def room() -> float:
        return line_width - (first_indent if not lines else indent)

    def close(end: int, width: float) -> None:
        lines.append(Line(line_start, end, first_indent if not lines else indent, width, True))

    for start, end in groups(text):
        width = sum(widths[start:end])
        if current + width <= room() + eps:
            current += width
            pos = end
            continue
        if pos > line_start:  # the group goes to the next line
            close(pos, current)
            line_start, current = pos, 0.0
            if width <= room() + eps:
                current, pos = width, end
                continue
        for k in range(start, end):  # last resort: the group alone is wider than a line
            if current + widths[k] > room() + eps and pos > line_start:
                # Break earlier rather than start a line with a closing mark or end one with an opening mark:
                # the characters before the break go down with it (a digit run may split, never 避头尾).
                cut = pos
                while cut > line_start + 1 and (text[cut] in NO_LINE_START or text[cut - 1] in NO_LINE_END):
                    cut -= 1
                close(cut, sum(widths[line_start:cut]))
                line_start, current = cut, sum(widths[cut:pos])
            current += widths[k]
            pos = k + 1
    lines.append(Line(line_start, len(text), first_indent if not lines else indent, current, False))
    return lines


def char_offsets(text: str, widths: Sequence[float], line: Line, line_width: float) -> list[float]:
    """The x offset (from the left edge) of each character of ``line``; a justified line ends exactly at
    ``line_width``, its slack spread evenly over the gaps between atoms (never inside a digit or Latin run)."""
    segment = text[line.start : line.end]
    units = atoms(segment)
    extra = 0.0
    if line.justify and len(units) > 1:
        slack = line_width - line.indent - line.width
        extra = max(slack, 0.0) / (len(units) - 1)
    offsets: list[float] = []
    x = line.indent
    for n, (start, end) in enumerate(units):
        x_unit = x + n * extra
        for k in range(start, end):
            offsets.append(x_unit)
            x_unit += widths[line.start + k]
        x += sum(widths[line.start + start : line.start + end])
    return offsets


def check_lines(text: str, lines: Sequence[Line]) -> list[str]:
    """Rule violations of a result (for tests and for the renderer's self-check): text lost or reordered, a line
    starting with a 避头 character or ending with a 避尾 one."""
    problems: list[str] = []
    if "".join(text[ln.start : ln.end] for ln in lines) != text:
        problems.append("text not preserved")
    for n, ln in enumerate(lines):
        if ln.end <= ln.start:
            continue
        if n > 0 and text[ln.start] in NO_LINE_START:
            problems.append(f"line {n + 1} starts with {text[ln.start]!r}")
        if n < len(lines) - 1 and text[ln.end - 1] in NO_LINE_END:
            problems.append(f"line {n + 1} ends with {text[ln.end - 1]!r}")
    return problems


# Words a title must not be split inside (GB/T 9704 7.3.3: 回行时要做到词意完整). Not a dictionary: the words that
# recur in the titles of this office's documents.
TITLE_WORDS: Final = frozenset(
    {
        "做好",
        "进一步",
        "加强",
        "推进",
        "开展",
        "初信",
        "初访",
        "重复",
        "越级",
        "集体",
        "专项",
        "整治",
        "排查",
        "人员",
        "工作",
        "信访",
        "责任",
        "事项",
        "问题",
        "情况",
        "单位",
        "办事",
        "事处",
        "街道",
        "乡镇",
        "领导",
        "追究",
        "建议",
        "意见",
        "通知",
        "告知",
        "决定",
        "处理",
        "复查",
        "复核",
        "受理",
        "延期",
        "转送",
        "交办",
        "督办",
        "催办",
        "预警",
        "说明",
        "包案",
        "化解",
        "积案",
        "有关",
        "年度",
        "考核",
        "通报",
        "目标",
        "政府",
        "人民",
        "县委",
        "市委",
        "书面",
        "办结",
        "会审",
        "双查",
        "回执",
        "送达",
        "回证",
        "落实",
        "实施",
        "条例",
        "规定",
        "部门",
        "机关",
        "党委",
        "主要",
        "分管",
        "同志",
    }
)
_GOOD_AFTER: Final = frozenset("的、和与及对")


def title_lines(text: str, widths: Sequence[float], line_width: float) -> list[Line]:
    """A title in balanced lines (梯形) that never splits a word of TITLE_WORDS when another split fits.

    One line when it fits; two lines split at the best place (both halves fit, halves close in width, a split after
    的/、/和… or after 关于 preferred); longer titles fall back to greedy breaking at the balanced width.
    """
    total = sum(widths)
    if total <= line_width + 1e-6 or not text:
        return [Line(0, len(text), 0.0, total, False)]
    best: tuple[float, int] | None = None
    unit = max(widths) if widths else 1.0
    for k in range(1, len(text)):
        left, right = sum(widths[:k]), total - sum(widths[:k])
        if left > line_width + 1e-6 or right > line_width + 1e-6:
            continue
        if text[k] in NO_LINE_START or text[k - 1] in NO_LINE_END:
            continue
        if _is_alnum(text[k - 1]) and _is_alnum(text[k]):
            continue
        score = abs(left - right) / unit
        if text[k - 1 : k + 1] in TITLE_WORDS or text[max(0, k - 2) : k + 1] in TITLE_WORDS:
            score += 6
        if k + 2 <= len(text) and text[k - 1 : k + 2] in TITLE_WORDS:
            score += 6
        if text[k - 1] in _GOOD_AFTER or text[max(0, k - 2) : k] == "关于":
            score -= 2
        if best is None or score < best[0]:
            best = (score, k)
    if best is None:
        n = max(2, -(-int(total) // max(1, int(line_width))))
        return [
            Line(ln.start, ln.end, ln.indent, ln.width, False) for ln in break_lines(text, widths, total / n + unit)
        ]
    k = best[1]
    return [Line(0, k, 0.0, sum(widths[:k]), False), Line(k, len(text), 0.0, sum(widths[k:]), False)]
