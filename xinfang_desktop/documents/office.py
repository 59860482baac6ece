"""The issuing office as documents print it: name, issuer mark, document-number prefixes, the organs named in remedies.

Built from the office's settings by the caller (`OfficeInfo.from_settings(values)`); every field has a default so
that a new office prints sensible documents before anyone opens 设置.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: The short word of each type in its 发文字号 (示信受〔2026〕12号): 机关代字 + this + 〔year〕 + seq + 号.
TYPE_CODES: dict[str, str] = {
    "acceptance_notice": "受",
    "decline_notice": "不受",
    "refuse_again_notice": "不再受",
    "transfer_letter": "转",
    "assignment_form": "交",
    "supervision_form": "督",
    "urge_notice": "催",
    "extension_notice": "延",
    "handling_opinion": "处",
    "review_opinion": "复查",
    "final_review_opinion": "复核",
    "warning_slip": "预警",
    "explanation_request": "说明",
    "dual_inquiry_report": "双查",
    "tripartite_review_record": "会审",
    "tripartite_review_cover": "会审卷",
    "package_notice": "包",
    "responsibility_statement": "责",
    "accountability_recommendation": "追责",
    "accountability_outcome_report": "追通",
    "delivery_receipt": "送",
    "petitioner_receipt": "回执",
}


def organ_abbreviation(name: str) -> str:
    """机关代字 of a government: 示范县人民政府 → 示政, 示范市人民政府 → 示市政 (the place's first character, 市 for a
    city so that a county and its city never share one); any other organ: as `_abbreviation`."""
    name = name.strip()
    if "人民政府" not in name:
        return _abbreviation(name)
    place = name.split("人民政府", 1)[0]
    return (place[:1] or "政") + ("市" if place.endswith("市") else "") + "政"


def _abbreviation(name: str) -> str:
    """机关代字 from the office name: 示范县信访局 → 示信 (first character of the place + 信)."""
    name = name.strip()
    return (name[:1] or "信") + "信" if "信访" in name else name[:2]


@dataclass(frozen=True)
class OfficeInfo:
    """What the documents need to know about the issuing 信访部门.

    `review_organ` is the organ named in a 处理意见书's remedy (the level above the handling organ, R-DL-08,
    条例 art 35); `final_review_organ` the one named in a 复查意见书 (the level above the reviewing organ, R-DL-10,
    条例 art 36); `leading_group` the higher-level 信访工作领导小组 that receives a 书面说明 (R-WS-03) and
    `higher_leaders` the higher-level 党政主要领导 it escalates to (R-WS-04).
    """

    name: str = "示范县信访局"
    issuer_mark: str | None = None  # the red 发文机关标志; defaults to the name
    abbreviation: str | None = None  # 机关代字 (示信); derived from the name when not set
    prefixes: Mapping[str, str] = field(default_factory=dict)  # type_id → full prefix (示信受), overriding TYPE_CODES
    review_organ: str = "示范县人民政府"
    final_review_organ: str = "示范市人民政府"
    # The level directly above the unit a 预警单 warns — a township or a county department, so the county (R-WS-03/04).
    leading_group: str = "示范县信访工作领导小组"
    higher_leaders: str = "示范县党政主要领导"
    address: str | None = None  # printed on letters and receipts
    phone: str | None = None
    query_hint: str | None = None  # how a petitioner looks a case up with the receipt's query code

    @property
    def mark(self) -> str:
        return self.issuer_mark or self.name

    def prefix(self, type_id: str) -> str:
        if type_id in self.prefixes:
            return self.prefixes[type_id]
        # A 复查/复核意见书 is the decision of the organ that reviews (the government of the level above), not of
        # the 信访局 that drafts it: numbered with that organ's code (issue 18).
        organ = {"review_opinion": self.review_organ, "final_review_opinion": self.final_review_organ}.get(type_id)
        if organ is not None:
            return organ_abbreviation(organ) + TYPE_CODES.get(type_id, "")
        return (self.abbreviation or _abbreviation(self.name)) + TYPE_CODES.get(type_id, "")

    def document_number(self, type_id: str, year: int, seq: int) -> str:
        """发文字号 per GB/T 9704 7.2.4: year in 六角括号, no 第, no leading zeros: 示信受〔2026〕12号."""
        return f"{self.prefix(type_id)}〔{year}〕{seq}号"

    @classmethod
    def from_settings(cls, values: Mapping[str, object]) -> OfficeInfo:
        """From the settings store (`SqlSettings.all()`): office_name and the optional document_* keys."""

        def text(key: str) -> str | None:
            value = values.get(key)
            return value.strip() if isinstance(value, str) and value.strip() else None

        raw_prefixes = values.get("document_prefixes")
        prefixes = (
            {str(k): str(v) for k, v in raw_prefixes.items() if isinstance(v, str) and v.strip()}
            if isinstance(raw_prefixes, Mapping)
            else {}
        )
        default = cls()
        name = text("office_name") or default.name
        # The county of a county 信访局: the level directly above the townships and departments it warns.
        place = name.removesuffix("信访局") if name.endswith("信访局") and len(name) > 3 else None
        group = f"{place}信访工作领导小组" if place else default.leading_group
        leaders = f"{place}党政主要领导" if place else default.higher_leaders
        return cls(
            name=name,
            issuer_mark=text("document_issuer_mark"),
            abbreviation=text("document_abbreviation"),
            prefixes=prefixes,
            review_organ=text("review_organ") or default.review_organ,
            final_review_organ=text("final_review_organ") or default.final_review_organ,
            leading_group=text("higher_leading_group") or group,
            higher_leaders=text("higher_leaders") or leaders,
            address=text("office_address"),
            phone=text("office_phone"),
            query_hint=text("query_hint"),
        )
