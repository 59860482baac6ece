"""The quarterly ranking of townships and units on a composite score (R-AS-02), and the 挂牌整治 listing by rule.

The office configures the composite as data (the setting `ranking_weights`; `DEFAULT_WEIGHTS` until it does):
weights of R-AS-01 rates (percentages summing to 100), points deducted per 进京非访 and per collective visit to
Beijing, and the listing rule. Interpretations (**I**):

- 综合得分 = Σ(指标值 × 权重) ÷ Σ(有值指标的权重) − Σ(扣分项次数 × 每次扣分): a rate without a denominator in
  the quarter is left out and the others' weights carry the score; lower-is-better rates (重复信访率) enter as
  100 − 值. Scores have one decimal; a group with no rate at all is not ranked.
- 挂牌整治 (R-AS-02, S2 §二(三)1): a group is listed when its 进京非访 or collective Beijing visits reach the rule's
  thresholds, when its 积案化解率 is below the threshold, or when it is the 末位 of the ranking (if the rule says so).
  The written explanation each listed group owes (a task chain like the warning-slip explanations) is not built yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from xinfang_desktop.core.assessment import RATES, AssessmentCounts, RateDefinition, rate_value
from xinfang_desktop.core.errors import DomainError

DEDUCTIONS: dict[str, str] = {"abnormal_capital": "进京非访", "collective_capital": "进京集体访"}
DEFAULT_WEIGHTS: dict[str, Any] = {
    "rates": {"timely_acceptance": 20, "on_time_conclusion": 30, "satisfaction": 30, "backlog_resolution": 20},
    "deductions": {"abnormal_capital": 2, "collective_capital": 5},
    "listing": {"abnormal_capital": 3, "collective_capital": 2, "backlog_resolution_below": 60, "lowest": True},
}
_RATES = {r.id: r for r in RATES}


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
