"""Rules applied when a submission is registered: collective flag, level-skipping, repeats, duplicate scores."""

from __future__ import annotations

from dataclasses import dataclass

from xinfang_desktop.core.codes import Channel, OfficeLevel, RegionLevel

DEFAULT_COLLECTIVE_THRESHOLD = 5  # R-CL-02 (I): 集体访 = 5 or more people; configurable in the settings
MAX_REPRESENTATIVES = 5  # R-CL-02: a group elects at most 5 representatives (条例 art 20 ¶3)


def is_collective(headcount: int, threshold: int = DEFAULT_COLLECTIVE_THRESHOLD) -> bool:
    """R-CL-02: a submission by `threshold` or more people is collective."""
    return headcount >= threshold


@dataclass(frozen=True)
class LevelSkipping:
    """Whether a visit skipped levels (R-CL-03), and why, in Chinese."""

    skipped: bool
    reason: str | None


def authority_level(locality_level: RegionLevel | None) -> OfficeLevel:
    """The level of the organ with authority over a matter, from where the problem lies.

    A matter in a township or village is the township's to handle; anything wider belongs to the county
    (the office this application serves). Without a known locality we assume the county.
    """
    if locality_level in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        return OfficeLevel.TOWNSHIP
    if locality_level is RegionLevel.CITY:
        return OfficeLevel.CITY
    if locality_level is RegionLevel.PROVINCE:
        return OfficeLevel.PROVINCE
    return OfficeLevel.COUNTY


def level_skipping(channel: Channel, visited: OfficeLevel, authority: OfficeLevel) -> LevelSkipping:
    """R-CL-03: a visit must go to the organ with authority or the level directly above; beyond that is 越级."""
    if channel is not Channel.VISIT:
        return LevelSkipping(False, None)
    if visited.rank <= authority.rank + 1:
        return LevelSkipping(False, None)
    above = list(OfficeLevel)[authority.rank + 1]
    reason = (
        f"有权处理机关为{authority.label}级，来访至{visited.label}级信访部门，"
        f"超出直接上一级（{above.label}级），属越级访（《信访工作条例》第二十条，R-CL-03）"
    )
    return LevelSkipping(True, reason)


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace() and c not in "，。、；：？！,.;:?!（）()“”\"'"]
    return {chars[i] + chars[i + 1] for i in range(len(chars) - 1)}


def content_similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams (0–1): enough to rank repeat suggestions (R-CL-04)."""
    ga, gb = _bigrams(a), _bigrams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


@dataclass(frozen=True)
class DuplicateCandidate:
    """An existing case that may be the same matter (R-CL-04); a person confirms before attaching."""

    case_id: int
    number: str
    petitioner_name: str
    matched_on: str  # "id_number" | "name_phone"
    similarity: float
    summary: str
    status_label: str

    @property
    def reason(self) -> str:
        basis = "身份证号相同" if self.matched_on == "id_number" else "姓名和电话相同"
        return f"{basis}，内容相似度 {self.similarity:.0%}"

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.case_id,
            "number": self.number,
            "petitioner": self.petitioner_name,
            "matched_on": self.matched_on,
            "similarity": round(self.similarity, 3),
            "reason": self.reason,
            "status": self.status_label,
            "summary": self.summary[:120],
        }


def rank_duplicates(candidates: list[DuplicateCandidate]) -> list[DuplicateCandidate]:
    """ID-number matches first, then by content similarity."""
    return sorted(candidates, key=lambda c: (c.matched_on != "id_number", -c.similarity, -c.case_id))
