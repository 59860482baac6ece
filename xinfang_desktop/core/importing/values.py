"""Values of code-table columns (信访形式, 信访目的, 信访件状态, 内容分类, 问题属地, 责任单位) matched to the codes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from xinfang_desktop.core.codes import CaseStatus, Channel, Purpose

# The national system's 信访形式 (mission-anchors §2.3) and the words hand-kept ledgers use, to the five channels.
CHANNEL_SYNONYMS: dict[str, Channel] = {
    "来信": Channel.LETTER, "信": Channel.LETTER, "信件": Channel.LETTER, "写信": Channel.LETTER,
    "来访": Channel.VISIT, "访": Channel.VISIT, "走访": Channel.VISIT, "上访": Channel.VISIT,
    "集体访": Channel.VISIT, "个访": Channel.VISIT,
    "网上信访": Channel.ONLINE, "网信": Channel.ONLINE, "网上": Channel.ONLINE, "手机信访": Channel.ONLINE,
    "微信信访": Channel.ONLINE, "网上建议": Channel.ONLINE, "网络": Channel.ONLINE, "网上投诉": Channel.ONLINE,
    "电话": Channel.PHONE, "电话信访": Channel.PHONE, "来电": Channel.PHONE, "热线": Channel.PHONE,
    "12345": Channel.PHONE,
    "领导信箱": Channel.LEADER_MAILBOX, "书记信箱": Channel.LEADER_MAILBOX, "县长信箱": Channel.LEADER_MAILBOX,
}  # fmt: skip
PURPOSE_SYNONYMS: dict[str, Purpose] = {
    "求决": Purpose.REQUEST, "要求解决": Purpose.REQUEST, "求助": Purpose.REQUEST,
    "意见建议": Purpose.SUGGESTION, "建议": Purpose.SUGGESTION, "意见": Purpose.SUGGESTION,
    "申诉": Purpose.APPEAL,
    "揭发控告": Purpose.ACCUSATION, "检举控告": Purpose.ACCUSATION, "揭发": Purpose.ACCUSATION,
    "控告": Purpose.ACCUSATION, "检举": Purpose.ACCUSATION, "举报": Purpose.ACCUSATION,
    "其他": Purpose.OTHER, "其它": Purpose.OTHER,
}  # fmt: skip
STATUS_SYNONYMS: dict[str, CaseStatus] = {
    **{s.label: s for s in CaseStatus},
    "待受理": CaseStatus.UNDER_REVIEW, "审查中": CaseStatus.UNDER_REVIEW, "未受理": CaseStatus.UNDER_REVIEW,
    "已受理": CaseStatus.ACCEPTED, "办理中": CaseStatus.ACCEPTED, "在办": CaseStatus.ACCEPTED,
    "已答复": CaseStatus.OPINION_ISSUED, "已出具处理意见": CaseStatus.OPINION_ISSUED,
    "办结": CaseStatus.CLOSED, "已办结": CaseStatus.CLOSED, "终结": CaseStatus.CLOSED, "已终结": CaseStatus.CLOSED,
}  # fmt: skip
_SPACE = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class Choice:
    """A code of a table and the name shown to the clerk (a category's full path, a unit's name)."""

    code: str
    name: str


def category_levels(text: str) -> list[str]:
    """内容分类 as the national system writes it: levels joined by “_” (also “/”, “-”, “>”, “－”)."""
    return [p for p in (s.strip() for s in re.split(r"[_/>＞\-－]+", text)) if p]


def locality_levels(text: str) -> list[str]:
    """问题属地 as 省/市/区/地址 text, or one name."""
    return [p for p in (s.strip() for s in re.split(r"[/／\\>＞\s]+", text)) if p]


def propose(table: str, raw: str, choices: Sequence[Choice]) -> str | None:
    """The code a raw cell value most likely means, or None (the clerk chooses): exact names first, synonyms for the
    fixed tables, then the most specific level of a “_”-joined path that names a known code."""
    text = _key(raw)
    if not text:
        return None
    if table == "channel":
        ch = CHANNEL_SYNONYMS.get(text)
        return ch.label if ch else _by_name(text, choices)
    if table == "purpose":
        pu = PURPOSE_SYNONYMS.get(text)
        return pu.label if pu else _by_name(text, choices)
    if table == "status":
        st = STATUS_SYNONYMS.get(text)
        return st.label if st else None
    found = _by_name(text, choices)
    if found is not None:
        return found
    levels = category_levels(raw) if table == "category" else locality_levels(raw)
    for level in reversed(levels):
        found = _by_name(_key(level), choices)
        if found is not None:
            return found
    if table in ("locality", "responsible_unit"):
        return _by_suffix(text, choices)
    return None


def _by_name(text: str, choices: Sequence[Choice]) -> str | None:
    for c in choices:
        if text in (c.code, _key(c.name), _key(c.name).rsplit("_", 1)[-1]):
            return c.code
    return None


def _by_suffix(text: str, choices: Sequence[Choice]) -> str | None:
    """“城关镇人民政府” → 城关镇; “县人社局” is not guessed (the clerk picks)."""
    best: Choice | None = None
    for c in choices:
        name = _key(c.name)
        if (
            len(name) >= 2
            and (text.startswith(name) or text.endswith(name))
            and (best is None or len(name) > len(best.name))
        ):
            best = c
    return best.code if best else None
