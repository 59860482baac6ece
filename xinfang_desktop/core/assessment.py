"""Assessment rates — 考核指标 (R-AS-01) and the ranking of units and townships (R-AS-02), from counts.

Pure rules: `persistence/assessment_queries.py` counts the ledger; the period and `today` are the caller's. Each rate
is data (`RATES`): its Chinese name, numerator and denominator, the formula shown next to it (R-AS-01) and the rule
IDs it rests on. Percentages have one decimal, rounded half up as offices round (a rate with no denominator is
None, shown "—"). The period selects the cases *received* in it; the rates are their state as of `today`.

- 及时受理率 (R-AS-01; clocks R-DL-01, R-DL-03, R-DL-12). **I**: a case is timely when every acceptance clock it has
  — the office's 15 日 to register and forward, hand down or answer (R-DL-01), the receiving organ's 15 日 notice
  (R-DL-03), the 3 工作日 of 简易办理 (R-DL-12) — was met on or before its due day; a case is due for assessment once
  one of them was missed or all are met (a clock still running inside its period is not assessed yet).
- 按期办结率 (R-DL-06, R-DL-07, R-DL-13). **I**: the same on the handling clocks — 60 日 from 受理, extended once by at
  most 30 日 (an opinion inside an approved extension is on time), 10 工作日 in 简易办理; hearing time is already left
  out of the due day (R-TM-04). 复查/复核 periods are the reviewing organ's and are not counted.
- 群众满意率 and 参评率 (R-LC-06). **I**: ratings of the 处理意见 (first-instance opinion; 复查/复核 ratings judge the
  reviewing organ): 满意率 = (满意 + 基本满意) / 参评, 参评 = rated 满意, 基本满意 or 不满意 (未评价 is not 参评);
  参评率 = 参评 / 处理意见书 delivered (送达) — an opinion delivered and not yet rated counts as not rated.
- 一次性化解率 (R-LC-05 初信初访, R-CL-04). **I**: of the 初信初访 cases with a 处理意见 issued, those where the
  petitioner neither requested 复查 nor petitioned again about the matter (one registered submission only).
- 积案化解率 (R-CL-05, R-BK-03). **I**: over the backlog ledger's dates, not the received date: backlog cases on the
  books in the period (detected by its end, not resolved before its start) and those resolved (审核认定办结) in it.
- 重复信访率 (R-CL-04). **I**: by case (件), not by visit: cases received in the period about which the petitioner
  petitioned again, over all cases received in it. Lower is better.
- 越级访 and 批次/人次 by destination (R-CL-03; glossary batches / person_visits). **I**: counted on the visits (来访)
  made in the period, whatever the case's received date: 批次 = visits, 人次 = the people on them (one visit of 30
  people = 1 批 30 人次); letters, calls and online petitions are not visits.
- R-AS-02 ranking. **I**: best first gets 名次 1 (ties share it); the list shows the worst first and marks it 末位 —
  the candidate for 挂牌整治 — when at least two groups have a value and they differ; groups without a value are
  listed last, unranked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.errors import DomainError

NO_VALUE = "—"


class Grouping(LabelledEnum):
    """How the assessment table is split: the whole county, by responsible unit, by township (locality)."""

    COUNTY = "county", "全县"
    UNIT = "unit", "责任单位"
    TOWNSHIP = "township", "乡镇"


@dataclass(frozen=True)
class AssessmentPeriod:
    """The days whose cases (received_on) and visits are assessed, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise DomainError(
                f"统计期间的开始日期 {self.start.isoformat()} 晚于结束日期 {self.end.isoformat()}", field="from"
            )

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    def to_json(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def default_period(today: date) -> AssessmentPeriod:
    """This year up to today (the section opens on it)."""
    return AssessmentPeriod(date(today.year, 1, 1), today)


@dataclass(frozen=True)
class AssessmentCounts:
    """What the ledger holds for one group: every number a rate or a count is computed from (all additive)."""

    cases: int = 0  # cases received in the period
    imported: int = 0  # of them, migrated with their final status only (历史数据导入): no clocks, no ratings
    acceptance_due: int = 0
    acceptance_on_time: int = 0
    handling_due: int = 0
    handling_on_time: int = 0
    opinions_delivered: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0
    not_rated: int = 0  # 未评价 recorded
    first_concluded: int = 0
    resolved_at_once: int = 0
    repeat_cases: int = 0
    backlog_open: int = 0
    backlog_resolved: int = 0
    level_skipping_batches: int = 0
    level_skipping_persons: int = 0
    to_county_batches: int = 0
    to_county_persons: int = 0
    to_city_batches: int = 0
    to_city_persons: int = 0
    to_province_batches: int = 0
    to_province_persons: int = 0
    to_capital_batches: int = 0
    to_capital_persons: int = 0

    @property
    def rated(self) -> int:
        """参评: rated 满意, 基本满意 or 不满意 (未评价 is not 参评)."""
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def satisfied_total(self) -> int:
        """满意 including 基本满意."""
        return self.satisfied + self.basically_satisfied

    def __add__(self, other: AssessmentCounts) -> AssessmentCounts:
        return AssessmentCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @classmethod
    def from_mapping(cls, values: Mapping[str, int | None]) -> AssessmentCounts:
        """From query columns named like the fields (NULL sums are 0); unknown names are a programming error."""
        return cls(**{k: int(v or 0) for k, v in values.items()})

    def to_json(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def total_counts(items: Iterable[AssessmentCounts]) -> AssessmentCounts:
    """The 合计 of disjoint groups (every case and visit belongs to exactly one group)."""
    result = AssessmentCounts()
    for item in items:
        result = result + item
    return result


@dataclass(frozen=True)
class RateDefinition:
    """One rate of R-AS-01 as data: names, the formula shown next to it, what it counts, the rules, and the two
    fields of `AssessmentCounts` it divides (numerator, denominator)."""

    id: str
    name: str
    formula: str
    numerator: str
    denominator: str
    note: str
    rules: tuple[str, ...]
    keys: tuple[str, str]
    higher_is_better: bool = True
    interpretation: bool = True  # the rules are silent on the exact counting: our reading, marked **I**

    @property
    def rule(self) -> str:
        return ", ".join(self.rules)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "formula": self.formula,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "note": self.note,
            "rule": self.rule,
            "higher_is_better": self.higher_is_better,
            "interpretation": self.interpretation,
        }


RATES: tuple[RateDefinition, ...] = (
    RateDefinition(
        "timely_acceptance",
        "及时受理率",
        "及时受理率 = 按期受理件数 ÷ 应受理件数 × 100%",
        "按期受理件数（受理环节的时限均在届满前完成）",
        "应受理件数（受理环节的时限已完成或已届满）",
        "受理环节时限：登记后转送、交办或告知15日，收到转送交办件后告知15日，简易办理决定受理3个工作日",
        ("R-AS-01", "R-DL-01", "R-DL-03", "R-DL-12"),
        ("acceptance_on_time", "acceptance_due"),
    ),
    RateDefinition(
        "on_time_conclusion",
        "按期办结率",
        "按期办结率 = 按期办结件数 ÷ 应办结件数 × 100%",
        "按期办结件数（在办理期限内作出处理意见）",
        "应办结件数（办理期限已完成或已届满）",
        "办理期限：受理后60日，经批准可延期一次至多30日（延期内办结为按期），简易办理10个工作日；听证时间不计",
        ("R-AS-01", "R-DL-06", "R-DL-07", "R-DL-13"),
        ("handling_on_time", "handling_due"),
    ),
    RateDefinition(
        "satisfaction",
        "群众满意率",
        "群众满意率 =（满意 + 基本满意）÷ 参评件数 × 100%",
        "满意件数（满意 + 基本满意）",
        "参评件数（处理意见评价为满意、基本满意或不满意）",
        "评价处理意见（复查、复核意见的评价不计）",
        ("R-AS-01", "R-LC-06"),
        ("satisfied_total", "rated"),
    ),
    RateDefinition(
        "participation",
        "参评率",
        "参评率 = 参评件数 ÷ 已送达的处理意见书件数 × 100%",
        "参评件数（信访人评价为满意、基本满意或不满意）",
        "应参评件数（已送达信访人的处理意见书）",
        "“未评价”和送达后尚未评价的不计为参评",
        ("R-AS-01", "R-LC-06"),
        ("rated", "opinions_delivered"),
    ),
    RateDefinition(
        "resolved_at_once",
        "一次性化解率",
        "一次性化解率 = 一次性化解件数 ÷ 已作出处理意见的初信初访件数 × 100%",
        "一次性化解件数（未请求复查，也未就同一事项再次信访）",
        "已作出处理意见的初信初访件数",
        "初信初访事项作出处理意见后，信访人既未请求复查、也未再次信访的，为一次性化解",
        ("R-AS-01", "R-LC-05", "R-CL-04"),
        ("resolved_at_once", "first_concluded"),
    ),
    RateDefinition(
        "backlog_resolution",
        "积案化解率",
        "积案化解率 = 期间内化解的积案数 ÷ 期间内在册积案数 × 100%",
        "期间内化解的积案件数（审核认定办结）",
        "期间内在册积案件数（期末前列入积案台账、期初尚未化解）",
        "按积案台账的列入和化解日期计，不按收到日期",
        ("R-AS-01", "R-CL-05", "R-BK-03"),
        ("backlog_resolved", "backlog_open"),
    ),
    RateDefinition(
        "repeat",
        "重复信访率",
        "重复信访率 = 重复信访件数 ÷ 信访事项件数 × 100%",
        "重复信访件数（信访人就同一事项再次信访的事项）",
        "信访事项件数（期间内收到）",
        "按件计（一件事项多次重复只计一件）；越低越好",
        ("R-AS-01", "R-CL-04"),
        ("repeat_cases", "cases"),
        higher_is_better=False,
    ),
)
RATE_IDS = tuple(r.id for r in RATES)


@dataclass(frozen=True)
class CountDefinition:
    """A pair of counts of R-AS-01 (批次 and 人次) with what it counts and the rule."""

    id: str
    name: str
    description: str
    rules: tuple[str, ...]

    @property
    def rule(self) -> str:
        return ", ".join(self.rules)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "description": self.description, "rule": self.rule}


_VISITS = "批次 = 期间内来访次数，人次 = 各次来访人数之和（一次30人来访 = 1批30人次）"
COUNTS: tuple[CountDefinition, ...] = (
    CountDefinition("level_skipping", "越级访", f"越过有权处理机关直接上一级的来访；{_VISITS}", ("R-AS-01", "R-CL-03")),
    CountDefinition("to_county", "来县", f"到县级信访部门的来访；{_VISITS}", ("R-AS-01", "R-CL-03")),
    CountDefinition("to_city", "来市", f"到市级信访部门的来访；{_VISITS}", ("R-AS-01", "R-CL-03")),
    CountDefinition("to_province", "到省", f"到省级信访部门的来访；{_VISITS}", ("R-AS-01", "R-CL-03")),
    CountDefinition("to_capital", "进京", f"到国家信访局的来访；{_VISITS}", ("R-AS-01", "R-CL-03")),
)


def rate_definition(text: str) -> RateDefinition:
    """A rate by its identifier or Chinese name; a DomainError listing the choices otherwise."""
    wanted = text.strip()
    for rate in RATES:
        if wanted in (rate.id, rate.name):
            return rate
    choices = "、".join(f"{r.id}（{r.name}）" for r in RATES)
    raise DomainError(f"未知的考核指标“{text}”，可选：{choices}", field="rate")


def percent(numerator: int, denominator: int) -> float | None:
    """numerator / denominator × 100 with one decimal, half up (2/3 → 66.7, 1/16 → 6.3); None without a denominator."""
    if denominator <= 0:
        return None
    tenths = (numerator * 2000 + denominator) // (2 * denominator)  # integers: no binary rounding surprises
    return tenths / 10


def format_percent(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.1f}%"


@dataclass(frozen=True)
class RateValue:
    """A rate computed for one group."""

    definition: RateDefinition
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return percent(self.numerator, self.denominator)

    @property
    def text(self) -> str:
        return format_percent(self.value)

    def to_json(self) -> dict[str, Any]:
        d = self.definition
        return {
            "id": d.id,
            "name": d.name,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "formula": d.formula,
            "rule": d.rule,
            "numerator_label": d.numerator,
            "denominator_label": d.denominator,
        }


def rate_value(counts: AssessmentCounts, definition: RateDefinition) -> RateValue:
    numerator, denominator = definition.keys
    return RateValue(definition, int(getattr(counts, numerator)), int(getattr(counts, denominator)))


def rates(counts: AssessmentCounts) -> tuple[RateValue, ...]:
    """Every rate of R-AS-01, in the order of `RATES`."""
    return tuple(rate_value(counts, d) for d in RATES)


def visit_counts(counts: AssessmentCounts) -> list[dict[str, Any]]:
    """批次 / 人次 for 越级访 and each destination, in the order of `COUNTS`."""
    return [
        {
            **c.to_json(),
            "batches": int(getattr(counts, f"{c.id}_batches")),
            "person_visits": int(getattr(counts, f"{c.id}_persons")),
        }
        for c in COUNTS
    ]


@dataclass(frozen=True)
class RankedGroup:
    """One row of a ranking: 名次 1 is the best (None without a value); `lowest` marks the 末位 (R-AS-02)."""

    key: str | None
    name: str
    rate: RateValue
    rank: int | None
    lowest: bool
    #: Why the group lost this year's eligibility for comprehensive honours (S3 art 14: a 诫勉 in an
    #: accountability case of the unit), None when it has not.
    honours_lost: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "honours_lost": self.honours_lost,
            "rank": self.rank,
            "key": self.key,
            "name": self.name,
            "value": self.rate.value,
            "numerator": self.rate.numerator,
            "denominator": self.rate.denominator,
            "lowest": self.lowest,
        }


def rank_groups(
    groups: Sequence[tuple[str | None, str, AssessmentCounts]], definition: RateDefinition
) -> list[RankedGroup]:
    """R-AS-02: groups ranked on one rate, worst first; ties share a 名次 (1, 2, 2, 4); no value → unranked, last."""
    valued: list[tuple[str | None, str, RateValue]] = []
    empty: list[tuple[str | None, str, RateValue]] = []
    for key, name, counts in groups:
        value = rate_value(counts, definition)
        (valued if value.value is not None else empty).append((key, name, value))
    sign = -1 if definition.higher_is_better else 1
    best_first = sorted(valued, key=lambda g: (sign * (g[2].value or 0.0), g[1]))
    ranks: list[int] = []
    for i, (_, _, value) in enumerate(best_first):
        tied = i > 0 and value.value == best_first[i - 1][2].value
        ranks.append(ranks[-1] if tied else i + 1)
    distinct = len({v.value for _, _, v in valued}) > 1
    worst = ranks[-1] if ranks else None
    rows = [
        RankedGroup(key, name, value, rank, distinct and rank == worst)
        for (key, name, value), rank in zip(best_first, ranks, strict=True)
    ]
    rows.sort(key=lambda r: (-(r.rank or 0), r.name))
    return rows + [RankedGroup(key, name, value, None, False) for key, name, value in empty]
