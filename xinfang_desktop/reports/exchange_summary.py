"""The city's figures for a period: the sum of what each county's newest package for it carried (`exchange summary`).

The received counters are summed group by group (`core.exchange.sum_groups`) into a `PeriodReport`, so the city's
table has the counties' layout, its 同比/环比 recomputed from the sums, and the same .xlsx as a county's report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.core.duties import Span
from xinfang_desktop.core.errors import NotFoundError
from xinfang_desktop.core.exchange import GroupTallies, sum_groups, tallies_from_json
from xinfang_desktop.core.period_stats import Caliber, GroupBy, StatPeriod, special_rows
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.exchange.queries import ReceivedReport, received_reports
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.reports.period_report import PeriodReport, TrendPoint


@dataclass(frozen=True)
class OfficeFigures:
    office: str
    region_code: str
    package_seq: int
    caliber: str
    batches: int
    persons: int

    def to_json(self) -> dict[str, Any]:
        return {
            "office": self.office,
            "region_code": self.region_code,
            "package_seq": self.package_seq,
            "caliber": self.caliber,
            "batches": self.batches,
            "person_visits": self.persons,
        }


@dataclass(frozen=True)
class CityReport:
    period: str
    report: PeriodReport
    offices: tuple[OfficeFigures, ...]

    @property
    def calibers_differ(self) -> bool:
        return len({o.caliber for o in self.offices}) > 1

    def to_json(self) -> dict[str, Any]:
        return {
            "period_code": self.period,
            "offices": [o.to_json() for o in self.offices],
            "calibers_differ": self.calibers_differ,
            **self.report.to_json(),
        }

    def text(self) -> str:
        lines = [f"{o.office}：{o.batches}批{o.persons}人次（第 {o.package_seq} 号数据包）" for o in self.offices]
        total = self.report.total
        lines.append(f"合计 {len(self.offices)} 个单位：{total.numbers[0]}批{total.numbers[1]}人次")
        if self.calibers_differ:
            lines.append(
                "注意：各单位的统计口径不一致（" + "、".join(f"{o.office} {o.caliber}" for o in self.offices) + "）"
            )
        return "\n".join([*lines, "", self.report.text()])


def _stat(data: Any, caliber: Caliber) -> StatPeriod:
    months = data.get("months")
    return StatPeriod(
        date.fromisoformat(data["from"]),
        date.fromisoformat(data["to"]),
        caliber,
        months if isinstance(months, int) else None,
    )


def _trend(reports: list[dict[str, Any]], caliber: Caliber) -> tuple[TrendPoint, ...]:
    points: list[TrendPoint] = []
    for i, first in enumerate(reports[0].get("trend", [])):
        sums = [0, 0, 0, 0]
        for report in reports:
            trend = report.get("trend", [])
            if i < len(trend):
                p = trend[i]
                for j, k in enumerate(("batches", "person_visits", "last_year_batches", "last_year_person_visits")):
                    sums[j] += int(p.get(k, 0))
        points.append(
            TrendPoint(str(first["label"]), date.fromisoformat(first["from"]), date.fromisoformat(first["to"]), *sums)
        )
    return tuple(points)


def build_city_report(period_code: str, received: list[ReceivedReport], group_by: GroupBy, office: str) -> CityReport:
    """Sum the received figures of one grouping; NotFoundError when nothing was received for the period."""
    if not received:
        raise NotFoundError(f"尚未收到任何单位 {period_code} 的上报数据包", field="period")
    parts: list[GroupTallies] = []
    reports: list[dict[str, Any]] = []
    offices: list[OfficeFigures] = []
    threshold = 5
    for r in received:
        data = json.loads(r.data)
        grouping = data["groupings"][group_by.value]
        parts.append(tallies_from_json(r.office, grouping["tallies"]))
        report = grouping["report"]
        reports.append(report)
        total = report["total"]["current"]
        offices.append(
            OfficeFigures(r.office, r.region_code, r.package_seq, r.caliber, total["batches"], total["person_visits"])
        )
        threshold = int(data.get("collective_threshold", threshold))
    caliber = Caliber(reports[0]["caliber"]["id"])
    rows = sum_groups(group_by, parts)
    report = PeriodReport(
        _stat(reports[0]["period"], caliber),
        _stat(reports[0]["same_period_last_year"], caliber),
        _stat(reports[0]["previous_period"], caliber),
        group_by,
        tuple(rows),
        tuple(special_rows(rows[-1])),
        _trend(reports, caliber),
        f"{office}（{len(received)}个单位汇总）",
        threshold,
    )
    return CityReport(period_code, report, tuple(offices))


def city_report(db: Database, period: Span, group_by: GroupBy = GroupBy.DESTINATION) -> CityReport:
    with db.read_session() as session:
        received = received_reports(session, period.code)
        office = str(SqlSettings(session).get("office_name") or "")
    return build_city_report(period.code, received, group_by, office)
