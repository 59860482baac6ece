"""The quarterly (or half-yearly) ranking of townships and units on a composite score (R-AS-02), and the 挂牌整治
listing by rule.

The office configures the composite as data (the setting `ranking_weights`; `DEFAULT_WEIGHTS` until it does):
weights of R-AS-01 rates (percentages summing to 100), points deducted per 进京非访 and per collective visit to
Beijing, and the listing rule. Interpretations (**I**):

- 综合得分 = Σ(指标值 × 权重) ÷ Σ(有值指标的权重) − Σ(扣分项次数 × 每次扣分): a rate without a denominator in
  the quarter is left out and the others' weights carry the score; lower-is-better rates (重复信访率) enter as
  100 − 值. Scores have one decimal; a group with no rate at all is not ranked.
- 挂牌整治 (R-AS-02, S2 §二(三)1): a group is listed when its 进京非访 or collective Beijing visits reach the rule's
  thresholds, when its 积案化解率 is below the threshold, or when it is the 末位 of the ranking (if the rule says so).
  The written explanation each listed group owes is the task chain of `core.rectification`.
- The period is the rule profile's option (its section ``ranking``, `parse_ranking_option`): a quarter (S2 §二(三)1,
  一季一排名; the default and the national profile) or a half year (S4 §18, 每半年进行一次评价; the hengyang
  profile). The same composite and the same listing rule score either period: S4 §18 names its criteria
  (处置不得力、信访量大、越级访重复访批次多) without numbers, and those the listing data holds (进京非访, 进京集体访,
  积案化解率, 末位) are the office's `ranking_weights` as for a quarter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from xinfang_desktop.core.assessment import RATES, AssessmentCounts, RateDefinition, rate_value
from xinfang_desktop.core.duties import PeriodKind, Span, half_year_span, parse_period, quarter_span, span_containing
from xinfang_desktop.core.errors import DomainError

DEDUCTIONS: dict[str, str] = {"abnormal_capital": "进京非访", "collective_capital": "进京集体访"}
DEFAULT_WEIGHTS: dict[str, Any] = {
    "rates": {"timely_acceptance": 20, "on_time_conclusion": 30, "satisfaction": 30, "backlog_resolution": 20},
    "deductions": {"abnormal_capital": 2, "collective_capital": 5},
    "listing": {"abnormal_capital": 3, "collective_capital": 2, "backlog_resolution_below": 60, "lowest": True},
}
_RATES = {r.id: r for r in RATES}
_ONE_DAY = timedelta(days=1)


# --- the period: a quarter, or a half year (the rule profile's ``ranking`` section) -------------------------------

#: The periods a ranking may cover (R-AS-02: 一季一排名 in S2 §二(三)1; 每半年进行一次评价 in S4 §18).
RANKING_PERIODS: tuple[PeriodKind, ...] = (PeriodKind.QUARTER, PeriodKind.HALF_YEAR)
_PERIOD_FORMS = {
    PeriodKind.QUARTER: "2026Q3 这样的季度",
    PeriodKind.HALF_YEAR: "2026H1（上半年）或 2026H2（下半年）这样的半年",
}


@dataclass(frozen=True)
class RankingOption:
    """The rule profile's ``ranking`` section: ``{"period": "quarter" | "half_year", "citation": "…"}``.

    A profile without the section ranks each quarter (R-AS-02, S2 §二(三)1); a profile used with S4 evaluates each
    half year (S4 §18)."""

    period: PeriodKind = PeriodKind.QUARTER
    citation: str | None = None

    @property
    def half_yearly(self) -> bool:
        return self.period is PeriodKind.HALF_YEAR

    def to_json(self) -> dict[str, Any]:
        return {"period": self.period.value, "period_label": self.period.label, "citation": self.citation}


def parse_ranking_option(section: object) -> RankingOption:
    """Read a profile's ``ranking`` section (None: the quarterly default); a DomainError names the problem."""
    if section is None:
        return RankingOption()
    if not isinstance(section, Mapping):
        raise DomainError('规则配置的 ranking 应为对象，如 {"period": "half_year"}', field="ranking")
    unknown = set(section) - {"period", "citation"}
    if unknown:
        raise DomainError(f"规则配置的 ranking 含有未知项：{'、'.join(sorted(unknown))}", field="ranking")
    period_text = section.get("period", PeriodKind.QUARTER.value)
    period = next((k for k in RANKING_PERIODS if isinstance(period_text, str) and period_text == k.value), None)
    if period is None:
        raise DomainError(
            f"规则配置的 ranking.period 应为 quarter（季度）或 half_year（半年），现为“{period_text}”", field="ranking"
        )
    citation = section.get("citation")
    if citation is not None and (not isinstance(citation, str) or not citation.strip()):
        raise DomainError("规则配置的 ranking.citation 应为文本", field="ranking")
    return RankingOption(period, citation.strip() if isinstance(citation, str) else None)


def ranking_kind(code: str) -> PeriodKind:
    """The kind of a ranking period code: 2026H1 → half year, 2026Q3 → quarter."""
    return PeriodKind.HALF_YEAR if code.strip()[4:5].upper() == "H" else PeriodKind.QUARTER


def ranking_span(text: str, kind: PeriodKind) -> Span:
    """2026Q3 for a quarter, 2026H1 / 2026H2 for a half year; a DomainError says which form is expected."""
    span = parse_period(text)
    if span.kind is not kind:
        raise DomainError(
            f"{kind.label}格式错误：“{text}”，应为 {_PERIOD_FORMS.get(kind, kind.label)}", field=kind.value
        )
    return span


def ranking_span_of(year: int, number: int, kind: PeriodKind) -> Span:
    """The quarter `number` (1–4) or the half year `number` (1–2) of `year`."""
    return half_year_span(year, number) if kind is PeriodKind.HALF_YEAR else quarter_span(year, number)


def period_number(span: Span) -> int:
    """2026Q3 → 3, 2026H1 → 1."""
    return int(span.code[-1])


def previous_span(span: Span) -> Span:
    """The quarter or the half year before `span`."""
    return span_containing(span.kind, span.start.replace(day=1) - _ONE_DAY)


def next_span(span: Span) -> Span:
    return span_containing(span.kind, span.end + _ONE_DAY)


def last_ended_span(today: date, kind: PeriodKind) -> Span:
    """The quarter or half year before the one containing `today` (its ranking is final)."""
    return previous_span(span_containing(kind, today))


def recent_spans(today: date, kind: PeriodKind, count: int) -> list[Span]:
    """The `count` quarters or half years ended before `today`'s, newest first."""
    out = [last_ended_span(today, kind)]
    while len(out) < count:
        out.append(previous_span(out[-1]))
    return out


def evaluation_name(kind: PeriodKind) -> str:
    """综合排名 for a quarter, 半年评价 for a half year (S4 §18)."""
    return "半年评价" if kind is PeriodKind.HALF_YEAR else "综合排名"


def ranking_title(span: Span) -> str:
    """2026年第三季度信访工作综合排名 / 2026年上半年信访工作半年评价."""
    return f"{span.label}信访工作{evaluation_name(span.kind)}"


@dataclass(frozen=True)
class CompositeWeights:
    rates: tuple[tuple[RateDefinition, float], ...]
    deductions: tuple[tuple[str, float], ...]
    listing_abnormal: int | None
    listing_collective: int | None
    listing_backlog_below: float | None
    listing_lowest: bool

    def formula(self) -> str:
        """The formula as printed under the ranking."""
        parts = [f"{r.name}{'（按100−值计）' if not r.higher_is_better else ''}×{w:g}%" for r, w in self.rates]
        text = "综合得分 = " + " + ".join(parts)
        for key, points in self.deductions:
            text += f" − {DEDUCTIONS[key]}批次×{points:g}分"
        return text + "；某项指标无应计件数时不计，由其余指标按权重折算"

    def listing_rule(self) -> str:
        rules = []
        if self.listing_abnormal is not None:
            rules.append(f"进京非访达到{self.listing_abnormal}批次")
        if self.listing_collective is not None:
            rules.append(f"进京集体访达到{self.listing_collective}批次")
        if self.listing_backlog_below is not None:
            rules.append(f"积案化解率低于{self.listing_backlog_below:g}%")
        if self.listing_lowest:
            rules.append("综合得分排名末位")
        return "挂牌整治：" + ("、".join(rules) if rules else "未设定条件") + "之一的，列入挂牌整治并须书面说明"

    def to_json(self) -> dict[str, Any]:
        return {
            "rates": {r.id: w for r, w in self.rates},
            "deductions": dict(self.deductions),
            "listing": {
                "abnormal_capital": self.listing_abnormal,
                "collective_capital": self.listing_collective,
                "backlog_resolution_below": self.listing_backlog_below,
                "lowest": self.listing_lowest,
            },
            "formula": self.formula(),
            "listing_rule": self.listing_rule(),
        }


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise DomainError(f"{where}应为不小于0的数", field="ranking_weights")
    return float(value)


def parse_weights(data: object) -> CompositeWeights:
    """Check and read `ranking_weights`; a DomainError names the first problem."""
    if not isinstance(data, Mapping):
        raise DomainError(
            '综合排名权重应为 JSON 对象：{"rates": {…}, "deductions": {…}, "listing": {…}}', field="ranking_weights"
        )
    unknown = set(data) - {"rates", "deductions", "listing"}
    if unknown:
        raise DomainError(f"综合排名权重含有未知项：{'、'.join(sorted(unknown))}", field="ranking_weights")
    rates_in = data.get("rates", DEFAULT_WEIGHTS["rates"])
    if not isinstance(rates_in, Mapping) or not rates_in:
        raise DomainError("综合排名权重的 rates 应为 {指标: 权重}", field="ranking_weights")
    rates: list[tuple[RateDefinition, float]] = []
    for key, weight in rates_in.items():
        if key not in _RATES:
            raise DomainError(f"未知的考核指标“{key}”，可选：{'、'.join(_RATES)}", field="ranking_weights")
        rates.append((_RATES[key], _number(weight, f"指标{_RATES[key].name}的权重")))
    total = sum(w for _, w in rates)
    if abs(total - 100) > 1e-6:
        raise DomainError(f"各指标权重之和应为100，现为{total:g}", field="ranking_weights")
    deductions_in = data.get("deductions", DEFAULT_WEIGHTS["deductions"])
    if not isinstance(deductions_in, Mapping):
        raise DomainError("综合排名权重的 deductions 应为 {扣分项: 每次扣分}", field="ranking_weights")
    deductions = []
    for key, points in deductions_in.items():
        if key not in DEDUCTIONS:
            raise DomainError(f"未知的扣分项“{key}”，可选：{'、'.join(DEDUCTIONS)}", field="ranking_weights")
        deductions.append((str(key), _number(points, f"{DEDUCTIONS[key]}每次扣分")))
    listing = data.get("listing", DEFAULT_WEIGHTS["listing"])
    if not isinstance(listing, Mapping) or set(listing) - set(DEFAULT_WEIGHTS["listing"]):
        raise DomainError(
            "挂牌整治条件 listing 只能含 abnormal_capital、collective_capital、backlog_resolution_below、lowest",
            field="ranking_weights",
        )

    def threshold(key: str) -> int | None:
        value = listing.get(key)
        return None if value is None else int(_number(value, f"挂牌整治条件 {key}"))

    below = listing.get("backlog_resolution_below")
    lowest = listing.get("lowest", False)
    if not isinstance(lowest, bool):
        raise DomainError("挂牌整治条件 lowest 应为 true 或 false", field="ranking_weights")
    return CompositeWeights(
        tuple(rates),
        tuple(deductions),
        threshold("abnormal_capital"),
        threshold("collective_capital"),
        None if below is None else _number(below, "挂牌整治条件 backlog_resolution_below"),
        lowest,
    )


@dataclass(frozen=True)
class CompositeRow:
    """One group's score with its parts; rank 1 is the best (None: no rate to score)."""

    key: str | None
    name: str
    rate_values: tuple[tuple[str, float | None], ...]
    deductions: tuple[tuple[str, int, float], ...]  # key, batches, points deducted
    score: float | None
    rank: int | None = None
    lowest: bool = False
    listed_for: tuple[str, ...] = ()
    backlog_resolution: float | None = None  # 积案化解率, read by the listing rule even when not weighted

    @property
    def listed(self) -> bool:
        return bool(self.listed_for)

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "key": self.key,
            "name": self.name,
            "score": self.score,
            "rates": {k: v for k, v in self.rate_values},
            "deductions": {k: {"batches": n, "points": p} for k, n, p in self.deductions},
            "lowest": self.lowest,
            "rectification_listing": self.listed,
            "listed_for": list(self.listed_for),
        }


def score_group(
    key: str | None, name: str, counts: AssessmentCounts, visits: Mapping[str, int], weights: CompositeWeights
) -> CompositeRow:
    values: list[tuple[str, float | None]] = []
    weighted = 0.0
    weight_sum = 0.0
    for definition, weight in weights.rates:
        value = rate_value(counts, definition).value
        values.append((definition.id, value))
        if value is not None:
            weighted += (value if definition.higher_is_better else 100 - value) * weight
            weight_sum += weight
    points = dict(weights.deductions)
    deductions = tuple((k, int(visits.get(k, 0)), int(visits.get(k, 0)) * points.get(k, 0.0)) for k in DEDUCTIONS)
    score = None
    if weight_sum > 0:
        score = round(weighted / weight_sum - sum(p for _, _, p in deductions) + 1e-9, 1)
    backlog = rate_value(counts, _RATES["backlog_resolution"]).value
    return CompositeRow(key, name, tuple(values), deductions, score, backlog_resolution=backlog)


def rank_composite(rows: Sequence[CompositeRow], weights: CompositeWeights) -> list[CompositeRow]:
    """Best first with 名次 (ties share one); the 末位 marked when scores differ; the listing applied; unscored
    groups last."""
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: (-(r.score or 0.0), r.name))
    ranks: list[int] = []
    for i, row in enumerate(scored):
        ranks.append(ranks[-1] if i and row.score == scored[i - 1].score else i + 1)
    distinct = len({r.score for r in scored}) > 1
    worst = ranks[-1] if ranks else None
    out = []
    for row, rank in zip(scored, ranks, strict=True):
        out.append(_listed(row, rank, distinct and rank == worst, weights))
    out += [_listed(r, None, False, weights) for r in rows if r.score is None]
    return out


def _listed(row: CompositeRow, rank: int | None, lowest: bool, weights: CompositeWeights) -> CompositeRow:
    reasons = []
    visits = {k: n for k, n, _ in row.deductions}
    abnormal = visits.get("abnormal_capital", 0)
    collective = visits.get("collective_capital", 0)
    if weights.listing_abnormal is not None and weights.listing_abnormal > 0 and abnormal >= weights.listing_abnormal:
        reasons.append(f"进京非访{abnormal}批次")
    if (
        weights.listing_collective is not None
        and weights.listing_collective > 0
        and collective >= weights.listing_collective
    ):
        reasons.append(f"进京集体访{collective}批次")
    backlog = row.backlog_resolution
    if weights.listing_backlog_below is not None and backlog is not None and backlog < weights.listing_backlog_below:
        reasons.append(f"积案化解率{backlog:.1f}%")
    if weights.listing_lowest and lowest:
        reasons.append("综合得分末位")
    return replace(row, rank=rank, lowest=lowest, listed_for=tuple(reasons))
