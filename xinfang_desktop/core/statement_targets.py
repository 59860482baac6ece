"""Targets of the annual responsibility statements (R-RS-01/02): profile section, prefill arithmetic, progress verdicts.

Pure rules: `persistence/statements/queries.py` counts the ledger into `LedgerFigures`; the year and `today` are the
caller's. The rule profile's section `statement_targets` lists the targets (code, label, kind, percent, over_years,
rule, citation); this module knows how each code is measured on the ledger (`MEASURES`), turns last year's figure
into this year's target (prefill) and judges the progress during the year.

Interpretations (the regulations are silent; our reading, marked **I**):

- **I** Parties (R-RS-01, S0 art 5): each township (乡镇、街道) and each county unit signs with the county; the county
  signs its own with the city. A township's figures are those of the cases whose 问题属地 lies in it (属地管理); a
  unit's are those of the cases it is the 责任单位 of; the county's are all cases.
- **I** 上访量 (R-RS-02): the visits (来访, 批次) made in the year, whatever their destination (the county's ledger
  holds the visits to the county and those reported from above).
- **I** 信访重点人员: the petitioners (distinct persons) of the cases that met the warning trigger (R-WS-01: after the
  first petition, visits at county level or above twice or more) in the year — the persons a 预警单 is about.
- **I** 新增积案率: backlog cases detected in the year (R-CL-05) ÷ cases received in the year × 100%.
- **I** 越级进京上访: visits to Beijing (进京) flagged as level-skipping (R-CL-03) made in the year, 批次.
- **I** 积案化解率 (R-BK-03): over the backlog ledger as in R-AS-01 — cases on the books in the year (detected by its
  end, not resolved before its start) and those resolved in it; 国家信访局交办 for the 100% target, 省级 and 市级
  交办 together for the 80% target (本级积案 counts for neither).
- 及时受理率, 按期办结率, 群众满意率: exactly the R-AS-01 rates of `core/assessment.py` for the cases received in the
  year (their formulas are shown as they are there).
- **I** Reduction over several years (R-RS-02: e.g. −20% "通过两年努力"): the statement is annual and its baseline is
  last year's actual figure, so the reduction is split into equal yearly factors: this year's ceiling is
  baseline × (1 − p)^(1/n) (−20% over 2 years → −10.6% a year; two years on target give exactly −20%). A count is
  rounded down to a whole number and a rate down to one decimal, since the target reads "下降…以上" (at least).
  A baseline of 0 gives a target of 0 (keep it at zero); no baseline (a rate without a denominator) gives none.
- **I** Progress (R-RS-02 "computed from the ledger during the year"): counts are projected linearly to the year's
  end (value ÷ elapsed share of the year, days counted from 1 January to `today` inclusive); a rate of the year's
  cohort (及时受理率, 按期办结率, 群众满意率, 新增积案率) is projected flat, and a resolution rate's resolved cases
  linearly (capped at the cases on the books). Verdicts: 未完成 (missed) once the target can no longer be met — a
  count above its ceiling, or a cohort rate that stays on the wrong side even if every case of the rest of the year
  (as many as so far, pro rata) goes well; 有风险 (at risk) when the projection misses the target; 进度正常 (on
  track) otherwise; after 31 December the verdict is final: 已完成 (met) or 未完成. Targets are compared exactly
  (a 100% target is missed by one late case even when the rate rounds to 100.0%).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from fractions import Fraction
from typing import Any

from xinfang_desktop.core.assessment import percent, rate_definition
from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.errors import DomainError

COUNTY_PARTY = "county"
COUNTY_ALIASES = ("县本级", "county", "全县")
YEAR_MIN, YEAR_MAX = 2000, 2199
RATE_MAX = 100.0
COUNT_MAX_VALUE = 10_000_000.0
_EPS = 1e-9


class TargetKind(LabelledEnum):
    """How a target is set (R-RS-02): a reduction on last year, a minimum rate, or a ceiling set by hand."""

    REDUCTION = "reduction", "比上年下降"
    RATE_MIN = "rate_min", "不低于"
    COUNT_MAX = "count_max", "不超过"

    @property
    def is_ceiling(self) -> bool:
        """Lower is better: the target is the most the year may reach."""
        return self is not TargetKind.RATE_MIN


class Accrual(LabelledEnum):
    """How a figure moves during the year, which decides its projection to the year's end (**I**, R-RS-02)."""

    COUNT = "count", "累计数"  # grows with the days: projected linearly
    COHORT = "cohort", "当年比率"  # a ratio over the year's cases: projected flat
    RESOLUTION = "resolution", "化解率"  # resolved cases grow against a fixed book: projected linearly, capped


class Verdict(LabelledEnum):
    """Where a target stands (R-RS-02); MET and MISSED are final once the year is over."""

    ON_TRACK = "on_track", "进度正常"
    AT_RISK = "at_risk", "有风险"
    MISSED = "missed", "未完成"
    MET = "met", "已完成"
    NO_DATA = "no_data", "暂无数据"


@dataclass(frozen=True)
class TargetSpec:
    """One target of the profile's `statement_targets` section (R-RS-02, R-BK-03, R-AS-01)."""

    code: str
    label: str
    kind: TargetKind
    percent: float
    over_years: int | None
    rule: str
    citation: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "kind": self.kind.value,
            "percent": self.percent,
            "over_years": self.over_years,
            "rule": self.rule,
            "citation": self.citation,
        }


def _number(item: Mapping[str, Any], key: str, where: str) -> float:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= RATE_MAX:
        raise DomainError(f"{where}的“{key}”应为 0 到 100 之间的百分数", field="statement_targets")
    return float(value)


def parse_target_specs(section: Any) -> tuple[TargetSpec, ...]:
    """The profile's `statement_targets` (a list of objects), checked; a DomainError names the faulty item."""
    if section is None:
        return ()
    if not isinstance(section, list):
        raise DomainError("规则配置的 statement_targets 应为列表", field="statement_targets")
    specs: list[TargetSpec] = []
    seen: set[str] = set()
    for n, item in enumerate(section, start=1):
        where = f"责任书目标第{n}项"
        if not isinstance(item, Mapping):
            raise DomainError(f"{where}应为 JSON 对象", field="statement_targets")
        texts: dict[str, str] = {}
        for key in ("code", "label", "kind", "rule", "citation"):
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                raise DomainError(f"{where}缺少“{key}”", field="statement_targets")
            texts[key] = value.strip()
        if texts["code"] in seen:
            raise DomainError(f"{where}的编号“{texts['code']}”重复", field="statement_targets")
        seen.add(texts["code"])
        try:
            kind = TargetKind(texts["kind"])
        except ValueError:
            raise DomainError(
                f"{where}的类型“{texts['kind']}”无效，可选：{'、'.join(k.value for k in TargetKind)}",
                field="statement_targets",
            ) from None
        over_years: int | None = None
        if kind is TargetKind.REDUCTION:
            years = item.get("over_years", 1)
            if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 10:
                raise DomainError(f"{where}的“over_years”应为 1 到 10 的整数", field="statement_targets")
            over_years = years
            pct = _number(item, "percent", where)
            if pct >= RATE_MAX:
                raise DomainError(f"{where}的下降幅度应小于 100%", field="statement_targets")
        elif kind is TargetKind.RATE_MIN:
            pct = _number(item, "percent", where)
        else:
            value = item.get("value", 0)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise DomainError(f"{where}的“value”应为非负数", field="statement_targets")
            pct = float(value)
        specs.append(TargetSpec(texts["code"], texts["label"], kind, pct, over_years, texts["rule"], texts["citation"]))
    return tuple(specs)


# --- what the ledger holds ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFigures:
    """The counts of one party for one period: everything a target is measured from (all additive, except
    `key_persons`, distinct persons, which the query counts per party)."""

    cases: int = 0
    visits: int = 0
    capital_skipping: int = 0
    key_persons: int = 0
    new_backlog: int = 0
    national_open: int = 0
    national_resolved: int = 0
    higher_open: int = 0  # 省级 and 市级交办
    higher_resolved: int = 0
    acceptance_due: int = 0
    acceptance_on_time: int = 0
    handling_due: int = 0
    handling_on_time: int = 0
    rated: int = 0
    satisfied_total: int = 0  # 满意 + 基本满意

    def __add__(self, other: LedgerFigures) -> LedgerFigures:
        return LedgerFigures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def to_json(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class MeasureDefinition:
    """How one target code is measured: the figures it divides (no denominator: a count), the unit, the formula."""

    code: str
    unit: str
    formula: str
    numerator: str
    denominator: str | None
    accrual: Accrual
    rules: tuple[str, ...]
    note: str

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "unit": self.unit,
            "formula": self.formula,
            "accrual": self.accrual.value,
            "rules": list(self.rules),
            "note": self.note,
        }


def _rate_formula(rate_id: str) -> str:
    return rate_definition(rate_id).formula


MEASURES: dict[str, MeasureDefinition] = {
    m.code: m
    for m in (
        MeasureDefinition(
            "visit_volume", "批次", "上访量 = 年内来访批次（各级来访合计）", "visits", None, Accrual.COUNT,
            ("R-RS-02", "R-CL-03"), "按来访日期计，一次来访为1批次",
        ),
        MeasureDefinition(
            "key_persons", "人", "信访重点人员 = 年内达到预警条件的信访事项的信访人人数（同一人只计一次）",
            "key_persons", None, Accrual.COUNT, ("R-RS-02", "R-WS-01"),
            "预警条件：初次信访后到县级及以上上访2次（含）以上",
        ),
        MeasureDefinition(
            "new_backlog_rate", "%", "新增积案率 = 年内新增积案件数 ÷ 年内收到的信访事项件数 × 100%",
            "new_backlog", "cases", Accrual.COHORT, ("R-RS-02", "R-CL-05"), "按列入积案台账的日期计",
        ),
        MeasureDefinition(
            "capital_skipping", "批次", "越级进京上访 = 年内越级进京来访批次", "capital_skipping", None,
            Accrual.COUNT, ("R-RS-02", "R-CL-03"), "到国家信访局且越过有权处理机关的来访",
        ),
        MeasureDefinition(
            "backlog_resolution_national", "%",
            "国家信访局交办积案化解率 = 年内化解的交办积案数 ÷ 年内在册的交办积案数 × 100%",
            "national_resolved", "national_open", Accrual.RESOLUTION, ("R-BK-03", "R-AS-01"),
            "在册：年末前列入积案台账、年初尚未化解",
        ),
        MeasureDefinition(
            "backlog_resolution_local", "%",
            "省、市级信访积案化解率 = 年内化解的省、市交办积案数 ÷ 年内在册的省、市交办积案数 × 100%",
            "higher_resolved", "higher_open", Accrual.RESOLUTION, ("R-BK-03", "R-AS-01"),
            "本级积案不计入",
        ),
        MeasureDefinition(
            "timely_acceptance", "%", _rate_formula("timely_acceptance"), "acceptance_on_time", "acceptance_due",
            Accrual.COHORT, ("R-AS-01", "R-DL-01", "R-DL-03", "R-DL-12"), "受理环节的时限已完成或已届满的事项",
        ),
        MeasureDefinition(
            "on_time_conclusion", "%", _rate_formula("on_time_conclusion"), "handling_on_time", "handling_due",
            Accrual.COHORT, ("R-AS-01", "R-DL-06", "R-DL-07", "R-DL-13"), "办理期限已完成或已届满的事项",
        ),
        MeasureDefinition(
            "satisfaction", "%", _rate_formula("satisfaction"), "satisfied_total", "rated", Accrual.COHORT,
            ("R-AS-01", "R-LC-06"), "评价处理意见（复查、复核意见的评价不计）",
        ),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Measured:
    """A figure measured on the ledger: a count (no denominator) or a percentage with one decimal (None: no
    denominator, nothing to divide)."""

    value: float | None
    numerator: int
    denominator: int | None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "numerator": self.numerator, "denominator": self.denominator}


NOT_MEASURED = Measured(None, 0, None)


def measure(code: str, figures: LedgerFigures) -> Measured:
    """The figure of `code` (NOT_MEASURED for a code the ledger cannot measure)."""
    definition = MEASURES.get(code)
    if definition is None:
        return NOT_MEASURED
    numerator = int(getattr(figures, definition.numerator))
    if definition.denominator is None:
        return Measured(float(numerator), numerator, None)
    denominator = int(getattr(figures, definition.denominator))
    return Measured(percent(numerator, denominator), numerator, denominator)


# --- prefill (R-RS-02) -------------------------------------------------------------------------------------------


def yearly_factor(percent_over: float, over_years: int) -> float:
    """**I** the yearly factor of a reduction of `percent_over` % over `over_years` years: (1 − p)^(1/n)."""
    return float((1 - percent_over / 100) ** (1 / over_years))


def yearly_reduction(percent_over: float, over_years: int) -> float:
    """The yearly reduction in percent, one decimal (20% over 2 years → 10.6)."""
    return round((1 - yearly_factor(percent_over, over_years)) * 100, 1)


def reduced_target(baseline: float, percent_over: float, over_years: int, *, is_rate: bool) -> float:
    """**I** this year's ceiling: baseline × (1 − p)^(1/n), rounded down (a count to a whole number, a rate to one
    decimal): "下降…以上" is a least reduction. 50 visits, −20% over 2 years → 44.72… → 44."""
    raw = baseline * yearly_factor(percent_over, over_years)
    if is_rate:
        return math.floor(raw * 10 + _EPS) / 10
    return float(math.floor(raw + _EPS))


def format_value(value: float | None, unit: str) -> str:
    """44 → "44批次", 2.8 → "2.8%", None → "—"."""
    if value is None:
        return "—"
    whole = value == int(value)
    return f"{int(value)}{unit}" if whole else f"{value:.1f}{unit}"


def unit_of(code: str) -> str:
    definition = MEASURES.get(code)
    return definition.unit if definition else ""


def target_wording(
    kind: TargetKind,
    code: str,
    target: float | None,
    *,
    spec: TargetSpec | None = None,
    baseline: float | None = None,
) -> str:
    """The printed wording of a target (≤ 100 characters): "比上年下降10.6%以上，不超过44批次", "不低于80%";
    a ceiling of zero reads "保持为0批次" after a year at zero and "下降为0批次" after a year above it."""
    unit = unit_of(code) or ("%" if kind is TargetKind.RATE_MIN else "")
    if target is None:
        return "目标值待定"
    value = format_value(target, unit)
    if kind is TargetKind.RATE_MIN:
        return f"不低于{value}"
    if kind.is_ceiling and target == 0:
        return f"下降为{value}" if baseline else f"保持为{value}"
    if kind is TargetKind.REDUCTION and spec is not None and spec.over_years:
        cut = yearly_reduction(spec.percent, spec.over_years)
        return f"比上年下降{cut:g}%以上，不超过{value}"
    return f"不超过{value}"


@dataclass(frozen=True)
class TargetDraft:
    """What prefill proposes for one target: last year's figure, this year's target, the wording and the sum."""

    code: str
    label: str
    kind: TargetKind
    baseline: float | None
    baseline_year: int
    target_value: float | None
    target_text: str
    note: str


def prefill_target(spec: TargetSpec, baseline: Measured, *, year: int) -> TargetDraft:
    """R-RS-02: the target of `year` from last year's figure (see the module docstring for the arithmetic, **I**)."""
    unit = unit_of(spec.code)
    last = year - 1
    base_text = f"{last}年{format_value(baseline.value, unit)}"
    if spec.kind is TargetKind.REDUCTION:
        assert spec.over_years is not None
        if baseline.value is None:
            target, note = None, f"{last}年无可计算的数据，请填写目标值"
        else:
            is_rate = MEASURES[spec.code].is_rate if spec.code in MEASURES else False
            target = reduced_target(baseline.value, spec.percent, spec.over_years, is_rate=is_rate)
            raw = baseline.value * yearly_factor(spec.percent, spec.over_years)
            note = (
                f"{base_text} ×（1 − {spec.percent:g}%）^(1/{spec.over_years}) = {raw:.2f}，"
                f"向下取{'一位小数' if is_rate else '整'}为{format_value(target, unit)}"
                f"（{spec.over_years}年下降{spec.percent:g}%以上，逐年等比分解为每年下降"
                f"{yearly_reduction(spec.percent, spec.over_years):g}%以上）"
            )
    elif spec.kind is TargetKind.RATE_MIN:
        target = spec.percent
        note = f"{base_text}；目标不低于{spec.percent:g}%"
    else:
        target = spec.percent
        note = f"{base_text}；目标不超过{format_value(target, unit)}"
    return TargetDraft(
        spec.code,
        spec.label,
        spec.kind,
        baseline.value,
        last,
        target,
        target_wording(spec.kind, spec.code, target, spec=spec, baseline=baseline.value),
        note,
    )


def check_target_value(kind: TargetKind, code: str, value: float) -> str | None:
    """Why a target value typed by hand is refused (None when it is acceptable)."""
    if math.isnan(value) or math.isinf(value) or value < 0:
        return "目标值应为非负数"
    is_rate = kind is TargetKind.RATE_MIN or (code in MEASURES and MEASURES[code].is_rate)
    if is_rate and value > RATE_MAX:
        return "比率目标应在 0 到 100 之间"
    if not is_rate and value > COUNT_MAX_VALUE:
        return "目标值过大"
    if not is_rate and value != int(value):
        return "数量目标应为整数"
    return None


# --- progress during the year (R-RS-02) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class YearClock:
    """How much of the year has passed on `today`: days from 1 January to today inclusive (0 before the year)."""

    year: int
    today: date
    elapsed_days: int
    total_days: int

    @property
    def fraction(self) -> float:
        return self.elapsed_days / self.total_days

    @property
    def over(self) -> bool:
        return self.elapsed_days >= self.total_days

    @property
    def started(self) -> bool:
        return self.elapsed_days > 0

    @property
    def period_end(self) -> date:
        """The last day counted: today, or 31 December once the year is over."""
        return min(self.today, date(self.year, 12, 31))

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "today": self.today.isoformat(),
            "elapsed_days": self.elapsed_days,
            "total_days": self.total_days,
            "over": self.over,
        }


def year_clock(year: int, today: date) -> YearClock:
    start, end = date(year, 1, 1), date(year, 12, 31)
    total = (end - start).days + 1
    elapsed = 0 if today < start else min(total, (today - start).days + 1)
    return YearClock(year, today, elapsed, total)


@dataclass(frozen=True)
class TargetStatus:
    """One target's progress: the current figure, its projection to 31 December and the verdict with its reason."""

    code: str
    label: str
    kind: TargetKind
    baseline: float | None
    target: float | None
    current: Measured
    projection: float | None
    verdict: Verdict
    reason: str
    formula: str
    unit: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "kind": self.kind.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "target": self.target,
            "current": self.current.value,
            "numerator": self.current.numerator,
            "denominator": self.current.denominator,
            "formula": self.formula,
            "projection": self.projection,
            "verdict": self.verdict.value,
            "verdict_label": self.verdict.label,
            "reason": self.reason,
        }


def _exact(value: float) -> Fraction:
    return Fraction(str(round(value, 6)))


def _rate_ok(numerator: Fraction, denominator: Fraction, target: float, ceiling: bool) -> bool:
    """numerator / denominator × 100 against the target, exactly (no rounding: one late case misses 100%)."""
    left, right = numerator * 100, _exact(target) * denominator
    return left <= right if ceiling else left >= right


def _judge(
    accrual: Accrual, kind: TargetKind, target: float, current: Measured, clock: YearClock, unit: str
) -> tuple[float | None, Verdict, str]:
    ceiling = kind.is_ceiling
    done = Verdict.MET if clock.over else Verdict.ON_TRACK
    goal = format_value(target, unit)
    if accrual is Accrual.COUNT or current.denominator is None:
        value = current.value or 0.0
        raw_end = value / clock.fraction  # judged unrounded; shown as the whole number it will be
        count_end = float(math.floor(raw_end + 0.5))
        shown = format_value(count_end, unit)
        if ceiling:
            if value > target + _EPS:
                return count_end, Verdict.MISSED, f"已达{format_value(value, unit)}，超过目标上限{goal}"
            if clock.over:
                return count_end, Verdict.MET, f"全年{format_value(value, unit)}，未超过{goal}"
            if raw_end > target + _EPS:
                return count_end, Verdict.AT_RISK, f"按目前进度，年底预计{shown}，将超过{goal}"
            return count_end, Verdict.ON_TRACK, f"按目前进度，年底预计{shown}，不超过{goal}"
        if raw_end + _EPS >= target:
            return count_end, done, f"按目前进度，年底预计{shown}，不低于{goal}"
        if clock.over:
            return count_end, Verdict.MISSED, f"全年{format_value(value, unit)}，低于{goal}"
        return count_end, Verdict.AT_RISK, f"按目前进度，年底预计{shown}，低于{goal}"
    num, den = Fraction(current.numerator), Fraction(current.denominator)
    if den == 0:
        return None, Verdict.NO_DATA, "尚无可计算的数据（分母为0）"
    shown_now = format_value(current.value, unit)
    projection: float | None = current.value
    if accrual is Accrual.RESOLUTION:
        # The resolved cases grow with the days; the book (the denominator) is what is on it this year.
        resolved = min(current.denominator, round(current.numerator / clock.fraction))
        projection = percent(resolved, current.denominator)
    if _rate_ok(num, den, target, ceiling):
        return projection, done, f"目前{shown_now}，{'不超过' if ceiling else '不低于'}{goal}"
    if accrual is Accrual.RESOLUTION and not ceiling:
        if clock.over:
            return current.value, Verdict.MISSED, f"全年{shown_now}，低于{goal}"
        expected = f"目前{shown_now}，按目前进度年底预计{format_value(projection, unit)}"
        if _rate_ok(Fraction(resolved), den, target, ceiling):
            return projection, Verdict.ON_TRACK, expected
        return projection, Verdict.AT_RISK, f"{expected}，低于{goal}"
    # A cohort rate: the rest of the year brings as many cases again, pro rata; can they still mend it?
    rest = Fraction(0) if clock.over else den * Fraction(clock.total_days - clock.elapsed_days, clock.elapsed_days)
    best = (num, den + rest) if ceiling else (num + rest, den + rest)
    if clock.over or not _rate_ok(best[0], best[1], target, ceiling):
        why = "全年" if clock.over else "即使今后各件均达标也无法达到目标，目前"
        return current.value, Verdict.MISSED, f"{why}{shown_now}，{'超过' if ceiling else '低于'}{goal}"
    return current.value, Verdict.AT_RISK, f"目前{shown_now}，{'超过' if ceiling else '低于'}{goal}，须在年内扭转"


def target_status(
    code: str,
    label: str,
    kind: TargetKind,
    baseline: float | None,
    target: float | None,
    current: Measured,
    clock: YearClock,
) -> TargetStatus:
    """The progress of one target on `clock.today` (R-RS-02; verdict rules **I** in the module docstring)."""
    definition = MEASURES.get(code)
    unit = definition.unit if definition else ("%" if kind is TargetKind.RATE_MIN else "")
    formula = definition.formula if definition else "台账中无此指标的统计口径，须手工核定"

    def status(projection: float | None, verdict: Verdict, reason: str) -> TargetStatus:
        return TargetStatus(code, label, kind, baseline, target, current, projection, verdict, reason, formula, unit)

    if definition is None:
        return status(None, Verdict.NO_DATA, "台账无法计算此指标")
    if target is None:
        return status(None, Verdict.NO_DATA, "尚未设定目标值")
    if not clock.started:
        return status(None, Verdict.NO_DATA, f"{clock.year}年尚未开始")
    if current.value is None and current.denominator is not None:
        return status(None, Verdict.NO_DATA, "尚无可计算的数据（分母为0）")
    projection, verdict, reason = _judge(definition.accrual, kind, target, current, clock, unit)
    return status(projection, verdict, reason)


def verdict_counts(statuses: Sequence[TargetStatus]) -> dict[str, int]:
    """How many targets have each verdict (every verdict listed)."""
    counts = {v.value: 0 for v in Verdict}
    for s in statuses:
        counts[s.verdict.value] += 1
    return counts


# --- the statement's defaults (R-RS-01, S0 art 5 责任查究措施) ------------------------------------------------------

#: 工作措施 prefilled on a new statement (S2 §二, S0 arts 7 and 9); the parties edit them.
DEFAULT_MEASURES: tuple[str, ...] = (
    "落实信访工作领导责任制，主要负责人为第一责任人，班子成员履行“一岗双责”",
    "落实首办责任制和初信初访“三见面”制度，做到天天清、周周结、月月检",
    "定期开展矛盾纠纷排查化解，对信访积案逐案落实包案领导、化解方案和时限",
    "落实信访预警、“一事双查”和“三方会审”制度，减少越级上访和重复上访",
)

#: 考核与责任查究 (S0 art 5; S3 arts 10–16, R-AC-03): what follows when the targets are missed.
DEFAULT_CONSEQUENCES: tuple[str, ...] = (
    "甲方按季度通报、年终考核乙方目标任务完成情况，考核结果作为对领导班子和领导干部综合考评的重要参考"
    "（《信访工作责任制实施办法》第十条）",
    "乙方未完成目标任务的，由甲方予以通报，责令限期整改；通报后仍未按期完成整改的，对相关责任人进行诫勉，"
    "并取消乙方本年度评选综合性荣誉称号的资格（《信访工作责任制实施办法》第十三条、第十四条）",
    "乙方有《信访工作责任制实施办法》第十一条所列情形的，依照该办法第十二条至第十六条，视情节轻重对相关责任人"
    "进行通报、诫勉、组织调整或者组织处理、纪律处分",
)


def check_year(year: int) -> None:
    """A statement year the office may hold (R-RS-01 is annual)."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DomainError(f"责任年度应在 {YEAR_MIN} 至 {YEAR_MAX} 之间，而不是 {year}", field="year")


__all__ = [
    "COUNTY_ALIASES",
    "COUNTY_PARTY",
    "DEFAULT_CONSEQUENCES",
    "DEFAULT_MEASURES",
    "MEASURES",
    "NOT_MEASURED",
    "Accrual",
    "LedgerFigures",
    "MeasureDefinition",
    "Measured",
    "TargetDraft",
    "TargetKind",
    "TargetSpec",
    "TargetStatus",
    "Verdict",
    "YearClock",
    "check_target_value",
    "check_year",
    "format_value",
    "measure",
    "parse_target_specs",
    "prefill_target",
    "reduced_target",
    "target_status",
    "target_wording",
    "unit_of",
    "verdict_counts",
    "year_clock",
    "yearly_factor",
    "yearly_reduction",
]
