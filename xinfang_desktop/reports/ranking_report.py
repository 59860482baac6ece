"""The quarterly composite ranking of townships and units (R-AS-02) with the 挂牌整治 listing — or the half-yearly
evaluation of S4 §18 (半年评价) when the office's rule profile says so (`office_ranking_option`) — and the 三无 report
of the townships (R-AS-03): read from the ledger, scored by `core.composite_ranking` and `core.sanwu`. A half year is
scored exactly like a quarter, on its six months."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xinfang_desktop.core.assessment import AssessmentPeriod, Grouping
from xinfang_desktop.core.composite_ranking import (
    DEFAULT_WEIGHTS,
    CompositeRow,
    CompositeWeights,
    RankingOption,
    evaluation_name,
    parse_ranking_option,
    parse_weights,
    rank_composite,
    ranking_title,
    score_group,
)
from xinfang_desktop.core.duties import PeriodKind, Span
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.period_stats import GroupBy
from xinfang_desktop.core.sanwu import CONDITIONS, EXTREME_INCIDENTS, SanwuEvent, TownshipSanwu, assess_townships
from xinfang_desktop.persistence.assessment_queries import assessment_counts
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.period_queries import capital_visit_counts, sanwu_visits, townships
from xinfang_desktop.persistence.rectification.queries import listing_states
from xinfang_desktop.persistence.rule_profile_store import selected_profile
from xinfang_desktop.persistence.settings_store import SqlSettings

WEIGHTS_SETTING = "ranking_weights"
#: Under the ranking when listed groups have no 挂牌整治 record yet (R-AS-02: they owe a written explanation).
LISTING_NOT_RECORDED = (
    "{n}个挂牌整治对象尚未登记挂牌，请在“责任落实 → 挂牌整治”中从排名列入，书面说明期限自列入之日起计算"
)
_GROUPINGS = ((Grouping.TOWNSHIP, GroupBy.LOCALITY), (Grouping.UNIT, GroupBy.UNIT))
#: Printed under a half-yearly evaluation (S4 §18; no rule ID on paper).
HALF_YEAR_NOTE = (
    "每半年对赴省进京越级上访、到市集访与重复信访、群众信访事项受理办理等情况进行一次评价，"
    "对信访工作处置不得力、信访量大、越级访重复访批次多的实行挂牌整治，并约谈信访工作相关责任人"
)


def office_ranking_option(db: Database | None) -> RankingOption:
    """The office's rule profile's ranking option (R-AS-02: quarterly; S4 §18: half-yearly)."""
    return parse_ranking_option(selected_profile(db).section("ranking"))


def _threshold(settings: SqlSettings) -> int:
    value = settings.get("collective_threshold", 5)
    return value if isinstance(value, int) and not isinstance(value, bool) else 5


def stored_weights(settings: SqlSettings) -> CompositeWeights:
    """The office's `ranking_weights` (the defaults until it sets them; a stored value that no longer parses falls
    back to the defaults rather than stopping the report)."""
    try:
        return parse_weights(settings.get(WEIGHTS_SETTING, DEFAULT_WEIGHTS))
    except DomainError:
        return parse_weights(DEFAULT_WEIGHTS)


@dataclass(frozen=True)
class RankingTable:
    grouping: Grouping
    rows: tuple[CompositeRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {"by": self.grouping.value, "by_label": self.grouping.label, "rows": [r.to_json() for r in self.rows]}


@dataclass(frozen=True)
class RankingReport:
    quarter: Span
    today: date
    weights: CompositeWeights
    tables: tuple[RankingTable, ...]
    office: str
    # (group kind, key) → the quarter's 挂牌整治 listing of the group (persistence.rectification.queries)
    listings: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)

    @property
    def period(self) -> Span:
        """The quarter or the half year ranked (the field keeps its first name, `quarter`)."""
        return self.quarter

    @property
    def half_yearly(self) -> bool:
        return self.quarter.kind is PeriodKind.HALF_YEAR

    @property
    def title(self) -> str:
        """2026年第三季度信访工作综合排名 / 2026年上半年信访工作半年评价."""
        return ranking_title(self.quarter)

    def listed(self) -> list[tuple[Grouping, CompositeRow]]:
        return [(t.grouping, r) for t in self.tables for r in t.rows if r.listed]

    def listing_of(self, grouping: Grouping, row: CompositeRow) -> Mapping[str, Any] | None:
        """The 挂牌整治 listing of a group for this quarter, once recorded."""
        return self.listings.get((grouping.value, row.key or ""))

    def _table_json(self, table: RankingTable) -> dict[str, Any]:
        data = table.to_json()
        for row, out in zip(table.rows, data["rows"], strict=True):
            listing = self.listing_of(table.grouping, row)
            out["listing"] = dict(listing) if listing is not None else None
        return data

    def listing_note(self) -> str:
        """Where the listed groups' written explanations stand (R-AS-02)."""
        listed = self.listed()
        if not listed:
            return f"本{'半年' if self.half_yearly else '季度'}无挂牌整治对象"
        missing = sum(1 for g, r in listed if self.listing_of(g, r) is None)
        if missing:
            return LISTING_NOT_RECORDED.format(n=missing)
        counts: dict[str, int] = {}
        for g, r in listed:
            mark = str((self.listing_of(g, r) or {}).get("mark"))
            counts[mark] = counts.get(mark, 0) + 1
        parts = [
            f"{label}{counts[code]}个"
            for code, label in (
                ("listed", "待书面说明"),
                ("overdue", "书面说明逾期"),
                ("explained", "已提交书面说明"),
                ("interviewed", "已约谈"),
                ("lifted", "已摘牌"),
            )
            if counts.get(code)
        ]
        return "挂牌整治对象：" + "，".join(parts)

    def notes(self) -> list[str]:
        return [
            *([HALF_YEAR_NOTE] if self.half_yearly else []),
            self.weights.formula(),
            self.weights.listing_rule(),
            f"统计期间：{self.quarter.start.isoformat()} 至 {self.quarter.end.isoformat()}；"
            f"办理状态截至 {self.today.isoformat()}",
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "quarter": self.quarter.code,  # the period code: 2026Q3, or 2026H1 for a half year
            "period": self.quarter.code,
            "period_kind": self.quarter.kind.value,
            "period_kind_label": self.quarter.kind.label,
            "evaluation": evaluation_name(self.quarter.kind),
            "title": self.title,
            "label": self.quarter.label,
            "from": self.quarter.start.isoformat(),
            "to": self.quarter.end.isoformat(),
            "today": self.today.isoformat(),
            "office": self.office,
            "weights": self.weights.to_json(),
            "formula": self.weights.formula(),
            "rate_definitions": [{"id": r.id, "name": r.name} for r, _ in self.weights.rates],
            "tables": [self._table_json(t) for t in self.tables],
            "rectification_listing": [
                {
                    "by": g.value,
                    "key": r.key,
                    "name": r.name,
                    "reasons": list(r.listed_for),
                    "listing": dict(listing) if (listing := self.listing_of(g, r)) is not None else None,
                }
                for g, r in self.listed()
            ],
            "rectification_note": self.listing_note(),
            # every 挂牌整治 listing recorded for the quarter, whether or not the ranking as of today still lists it
            "rectification_recorded": [
                {"by": kind, "key": key, **dict(listing)} for (kind, key), listing in sorted(self.listings.items())
            ],
        }

    def text(self) -> str:
        lines = [f"{self.office}{self.title}", *self.notes()]
        for table in self.tables:
            lines.append(f"按{table.grouping.label}：")
            for r in table.rows:
                rank = f"第{r.rank}名" if r.rank is not None else "无数据"
                score = "—" if r.score is None else f"{r.score:.1f}"
                mark = ""
                listing = self.listing_of(table.grouping, r)
                if r.listed or listing is not None:
                    parts = [*r.listed_for, *([listing["mark_label"]] if listing is not None else [])]
                    mark = f"  ← 挂牌整治（{'｜'.join(parts)}）"
                lines.append(f"  {rank} {r.name}：{score}分{mark}")
        lines.append(self.listing_note())
        return "\n".join(lines)


def ranking_report(db: Database, quarter: Span, *, today: date) -> RankingReport:
    """Rank a quarter or a half year (`quarter.kind`) as of `today`."""
    if quarter.kind not in (PeriodKind.QUARTER, PeriodKind.HALF_YEAR):
        raise DomainError(f"综合排名按季度或半年进行，“{quarter.code}”不是季度或半年", field="period")
    period = AssessmentPeriod(quarter.start, quarter.end)
    tables = []
    with db.read_session() as session:
        settings = SqlSettings(session)
        weights = stored_weights(settings)
        threshold = _threshold(settings)
        office = str(settings.get("office_name") or "")
        for grouping, group_by in _GROUPINGS:
            groups = assessment_counts(session, period, grouping, today=today)
            visits = capital_visit_counts(session, quarter.start, quarter.end, group_by, collective_threshold=threshold)
            rows = [score_group(g.key, g.name, g.counts, visits.get(g.key, {}), weights) for g in groups]
            tables.append(RankingTable(grouping, tuple(rank_composite(rows, weights))))
        listings = listing_states(session, quarter.code, today)
    return RankingReport(quarter, today, weights, tuple(tables), office, listings)


# ------------------------------------------------------------------------------------------------ 三无


@dataclass(frozen=True)
class SanwuReport:
    period: Span
    townships: tuple[TownshipSanwu, ...]
    collective_threshold: int

    @property
    def title(self) -> str:
        return f"{self.period.label}乡镇“三无”情况"

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.to_json(),
            "conditions": [{"id": c.id, "name": c.name, "description": c.description} for c in CONDITIONS]
            + [
                {
                    "id": EXTREME_INCIDENTS.id,
                    "name": EXTREME_INCIDENTS.name,
                    "description": EXTREME_INCIDENTS.description,
                }
            ],
            "collective_threshold": self.collective_threshold,
            "townships": [t.to_json() for t in self.townships],
            "achieved": sum(1 for t in self.townships if t.achieved),
            "broken": sum(1 for t in self.townships if not t.achieved),
            "note": EXTREME_INCIDENTS.description,
        }

    def text(self) -> str:
        lines = [self.title]
        for t in self.townships:
            if t.achieved:
                lines.append(f"  {t.name}：三无")
            else:
                what = "、".join(
                    e["condition_label"] + " " + e["case_number"] + " " + e["received_on"]
                    for e in [ev.to_json() for ev in t.events]
                )
                lines.append(f"  {t.name}：未达到（{what}）")
        lines.append(f"注：{EXTREME_INCIDENTS.description}")
        return "\n".join(lines)


def sanwu_report(db: Database, period: Span) -> SanwuReport:
    with db.read_session() as session:
        threshold = _threshold(SqlSettings(session))
        visits = sanwu_visits(session, period.start, period.end, collective_threshold=threshold)
        register = townships(session)
    events = [
        (v.township, SanwuEvent(v.condition, v.case_number, v.received_on, v.destination, v.headcount)) for v in visits
    ]
    return SanwuReport(period, tuple(assess_townships(register, events)), threshold)
