"""Whether an imported row repeats a case already known (R-CL-04): the same petitioner and a similar matter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from xinfang_desktop.core.intake_rules import content_similarity

# R-CL-04: same ID number, or same name and phone, *and* content this similar (character bigrams, Jaccard) make a row
# a later submission of that case. Hand-kept ledgers word a repeat visit differently; a different matter of the same
# person shares few bigrams. Chosen on the test ledgers: repeats score 0.4–1.0, other matters of a person below 0.15.
REPEAT_SIMILARITY = 0.3


@dataclass(frozen=True)
class KnownCase:
    """A case an imported row may repeat: stored already, or registered by an earlier row of the same import."""

    key: str  # the case number, or "row:N" for a case of this import not yet stored
    summary: str
    first_received_on: date
    matched_on: str  # "id_number" | "name_phone"


@dataclass(frozen=True)
class RepeatVerdict:
    case: KnownCase
    similarity: float

    @property
    def reason(self) -> str:
        basis = "身份证号相同" if self.case.matched_on == "id_number" else "姓名和电话相同"
        return f"{basis}，内容相似度 {self.similarity:.0%}（R-CL-04）"


def repeat_of(summary: str, received_on: date, candidates: Sequence[KnownCase]) -> RepeatVerdict | None:
    """The most similar candidate at or above the threshold whose first submission is not later than this one
    (a submission cannot precede the case it repeats); ID-number matches first."""
    best: RepeatVerdict | None = None
    for case in candidates:
        if case.first_received_on > received_on:
            continue
        score = content_similarity(summary, case.summary)
        if score < REPEAT_SIMILARITY:
            continue
        rank = (case.matched_on == "id_number", score)
        if best is None or rank > (best.case.matched_on == "id_number", best.similarity):
            best = RepeatVerdict(case, score)
    return best
