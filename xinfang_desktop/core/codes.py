"""Coded values of the domain (glossary identifiers) with their Chinese labels (R-LC-01, R-CL-01, R-CL-03)."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from xinfang_desktop.core.errors import DomainError


class LabelledEnum(StrEnum):
    """A StrEnum whose value is the English identifier and whose `.label` is the Chinese term.

    Members are declared as ``name = "identifier", "中文"``.
    """

    _label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj._label = label
        return obj

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def parse(cls, text: str, *, field: str | None = None) -> Self:
        """Accept the Chinese label or the identifier; raise a DomainError naming the choices otherwise."""
        text = text.strip()
        for member in cls:
            if text in (member.label, member.value):
                return member
        choices = "、".join(m.label for m in cls)
        raise DomainError(f"无法识别的{kind_label(cls)}“{text}”，可选：{choices}", field=field)

    @classmethod
    def labels(cls) -> list[str]:
        return [m.label for m in cls]


class CaseStatus(LabelledEnum):
    """信访事项状态 — the national 信访信息系统 list (R-LC-01)."""

    UNDER_REVIEW = "under_review", "受理申请审查中"
    DECLINED = "declined", "不予受理"
    ACCEPTED = "accepted", "受理"
    OPINION_ISSUED = "opinion_issued", "已作出处理意见"
    OPINION_OVERDUE = "opinion_overdue", "超期未作出处理意见"
    REFUSED_AGAIN = "refused_again", "不再受理"
    REVIEW_WINDOW_LAPSED = "review_window_lapsed", "超期未申请复查"
    REVIEW = "review", "复查"
    REVIEW_OPINION_ISSUED = "review_opinion_issued", "提出复查意见"
    REVIEW_OPINION_OVERDUE = "review_opinion_overdue", "超期未作出复查意见"
    FINAL_REVIEW_WINDOW_LAPSED = "final_review_window_lapsed", "超期未申请复核"
    FINAL_REVIEW = "final_review", "复核"
    FINAL_REVIEW_OPINION_ISSUED = "final_review_opinion_issued", "提出复核意见"
    FINAL_REVIEW_OPINION_OVERDUE = "final_review_opinion_overdue", "超期未作出复核意见"
    CLOSED = "closed", "审核认定办结"

    @property
    def is_open(self) -> bool:
        """Open cases still need handling by the office (they feed the work queues)."""
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {
        CaseStatus.UNDER_REVIEW,
        CaseStatus.ACCEPTED,
        CaseStatus.OPINION_OVERDUE,
        CaseStatus.REVIEW,
        CaseStatus.REVIEW_OPINION_OVERDUE,
        CaseStatus.FINAL_REVIEW,
        CaseStatus.FINAL_REVIEW_OPINION_OVERDUE,
    }
)


class Channel(LabelledEnum):
    """信访形式 (R-CL-01)."""

    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上信访"
    PHONE = "phone", "电话"
    LEADER_MAILBOX = "leader_mailbox", "领导信箱"


class Purpose(LabelledEnum):
    """信访目的 (R-CL-01)."""

    REQUEST = "request", "求决"
    SUGGESTION = "suggestion", "意见建议"
    APPEAL = "appeal", "申诉"
    ACCUSATION = "accusation", "揭发控告"
    OTHER = "other", "其他"


class OfficeLevel(LabelledEnum):
    """The level of the office a submission reached (R-CL-03), ordered from low to high."""

    TOWNSHIP = "township", "乡镇"
    COUNTY = "county", "县"
    CITY = "city", "市"
    PROVINCE = "province", "省"
    NATIONAL = "national", "国家"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {level: i for i, level in enumerate(OfficeLevel)}


class Destination(LabelledEnum):
    """Where a visit went, as the statistics count it: 来县 / 来市 / 到省 / 进京."""

    TO_COUNTY = "to_county", "来县"
    TO_CITY = "to_city", "来市"
    TO_PROVINCE = "to_province", "到省"
    TO_CAPITAL = "to_capital", "进京"

    @property
    def level(self) -> OfficeLevel:
        return _DESTINATION_LEVEL[self]


_DESTINATION_LEVEL = {
    Destination.TO_COUNTY: OfficeLevel.COUNTY,
    Destination.TO_CITY: OfficeLevel.CITY,
    Destination.TO_PROVINCE: OfficeLevel.PROVINCE,
    Destination.TO_CAPITAL: OfficeLevel.NATIONAL,
}


def destination_for_level(level: OfficeLevel) -> Destination | None:
    """The statistical destination of a visit at this level (none for a township office)."""
    for dest, lvl in _DESTINATION_LEVEL.items():
        if lvl is level:
            return dest
    return None


class IdType(LabelledEnum):
    """证件类型 of a petitioner."""

    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他证件"
    NONE = "none", "无证件"


class PetitionerRole(LabelledEnum):
    """A petitioner's part in a case: the principal, a group representative (≤5, R-CL-02) or a member."""

    PRINCIPAL = "principal", "信访人"
    REPRESENTATIVE = "representative", "代表"
    MEMBER = "member", "成员"


class Satisfaction(LabelledEnum):
    """满意度评价 (R-LC-06)."""

    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"
    NOT_RATED = "not_rated", "未评价"


class Outcome(LabelledEnum):
    """处理意见 outcomes (R-LC-02, 条例 art 32)."""

    SUPPORTED = "supported", "予以支持"
    EXPLAINED = "explained", "解释说明"
    NOT_SUPPORTED = "not_supported", "不予支持"


class ReviewOutcome(LabelledEnum):
    """复查 / 复核 outcomes (R-LC-02)."""

    UPHELD = "upheld", "维持"
    REVOKED = "revoked", "撤销"
    CHANGED = "changed", "变更"
    REDO = "redo", "责令重新作出"


class RegionLevel(LabelledEnum):
    """行政区划 levels (GB/T 2260 and the township/village extension)."""

    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村"


_KIND_LABELS: dict[str, str] = {
    "CaseStatus": "事项状态",
    "Channel": "信访形式",
    "Purpose": "信访目的",
    "OfficeLevel": "信访层级",
    "Destination": "去向",
    "IdType": "证件类型",
    "PetitionerRole": "信访人角色",
    "Satisfaction": "满意度",
    "Outcome": "处理意见",
    "ReviewOutcome": "复查复核意见",
    "RegionLevel": "区划级别",
}


def kind_label(cls: type) -> str:
    """The Chinese name of a coded field, for messages (e.g. 信访形式)."""
    return _KIND_LABELS.get(cls.__name__, "取值")
