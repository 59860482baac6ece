"""Search text of a case: what the ledger search matches, and CJK bigrams for one- and two-character queries."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def normalize_query(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII), trimmed, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def cjk_bigrams(texts: Iterable[str]) -> str:
    """Space-separated bigrams of every CJK run, plus each run's last character alone.

    "张伟" → "张伟 伟": a two-character query is one bigram token, and a one-character query is a prefix
    query (伟*) that also finds the character at the end of a run.
    """
    tokens: list[str] = []
    seen: set[str] = set()
    for text in texts:
        for run in _CJK_RUN.findall(text or ""):
            grams = [run[i : i + 2] for i in range(len(run) - 1)]
            grams.append(run[-1])
            for gram in grams:
                if gram not in seen:
                    seen.add(gram)
                    tokens.append(gram)
    return " ".join(tokens)


def is_cjk(text: str) -> bool:
    return bool(text) and _CJK_RUN.fullmatch(text) is not None


def people_text(
    case_number: str,
    people: Iterable[tuple[str, str | None, str | None]],
    external_numbers: Iterable[str | None] = (),
) -> str:
    """The searchable people text of a case: its number, each petitioner's name, ID number and phone, and the
    national system's numbers of its submissions (信访件编号, issue 15)."""
    parts = [case_number]
    for name, id_number, phone in people:
        parts.extend(p for p in (name, id_number, phone) if p)
    parts.extend(n for n in external_numbers if n)
    return " ".join(parts)


def with_external_number(text: str, external_number: str | None) -> str:
    """The people text with one more submission's 信访件编号 (a repeat submission); unchanged when already there."""
    if not external_number or external_number in text.split(" "):
        return text
    return f"{text} {external_number}" if text else external_number
