"""The period report (批次/人次 with 同比/环比, R-AS-01): the period, a year earlier and the period before.

One table per grouping plus 集体访 / 越级访 / 重复访 / 非正常上访 and the monthly trend; the same data feeds the CLI,
the 统计 section, the .xlsx and the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.core.codes import Destination
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.period_stats import (
    CHANGE_NOTE,
    CHANNELS,
    COUNTING_NOTE,
    SPECIALS,
    Caliber,
    GroupBy,
    PeriodRow,
    StatPeriod,
    Tally,
    caliber_note,
    channel_names,
    channel_order,
    compose_rows,
    destination_names,
    destination_order,
    format_change,
    monthly_periods,
    previous_period,
    resolve_period,
    same_period_last_year,
    special_rows,
)
from xinfang_desktop.core.report_settings import CALIBER_KEY, parse_caliber
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.period_queries import daily_totals, group_names, period_tallies
from xinfang_desktop.persistence.settings_store import SqlSettings

CALIBER_SETTING = CALIBER_KEY


def caliber_setting(value: object) -> Caliber:
    """The stored caliber setting (natural or 21-20); a DomainError for anything else."""
    return parse_caliber(value)


def stored_caliber(db: Database) -> Caliber:
    """The office's caliber (natural until it sets `statistics_caliber`)."""
    with db.read_session() as session:
        value = SqlSettings(session).get(CALIBER_SETTING, Caliber.NATURAL.value)
    try:
        return caliber_setting(value)
    except DomainError:
        return Caliber.NATURAL


@dataclass(frozen=True)
class TrendPoint:
    """One statistical month of the trend: its label, this year's and last year's 批次/人次."""

    label: str
    start: date
    end: date
    batches: int
    persons: int
    last_year_batches: int
    last_year_persons: int

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "batches": self.batches,
            "person_visits": self.persons,
            "last_year_batches": self.last_year_batches,
            "last_year_person_visits": self.last_year_persons,
        }


@dataclass(frozen=True)
class PeriodReport:
    period: StatPeriod
    last_year: StatPeriod
    previous: StatPeriod
    group_by: GroupBy
    rows: tuple[PeriodRow, ...]  # the groups, then the 合计
    specials: tuple[PeriodRow, ...]
    trend: tuple[TrendPoint, ...]
    office: str
    collective_threshold: int

    @property
    def total(self) -> PeriodRow:
        return self.rows[-1]

    @property
    def title(self) -> str:
        return f"信访情况统计表（按{self.group_by.label}）"

    @property
    def caliber_note(self) -> str:
        return caliber_note(self.period.caliber)

    @property
    def period_line(self) -> str:
        return f"统计期间：{self.period.label_cn}；去年同期：{self.last_year.label_cn}；上期：{self.previous.label_cn}"

    def notes(self) -> list[str]:
        """The lines printed under the table: the caliber, the counting, the formulas, the special counts."""
        lines = [self.caliber_note, COUNTING_NOTE, CHANGE_NOTE]
        lines += [
            f"{s.name}：{s.description}" + (f"（{self.collective_threshold}人及以上）" if s.id == "collective" else "")
            for s in SPECIALS
        ]
        return lines

    @property
    def is_empty(self) -> bool:
        return all(r.current.is_empty() and r.last_year.is_empty() and r.previous.is_empty() for r in self.rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "office": self.office,
            "by": self.group_by.value,
            "by_label": self.group_by.label,
            "caliber": {
                "id": self.period.caliber.value,
                "label": self.period.caliber.label,
                "note": self.caliber_note,
            },
            "period": self.period.to_json(),
            "same_period_last_year": self.last_year.to_json(),
            "previous_period": self.previous.to_json(),
            "collective_threshold": self.collective_threshold,
            "rows": [r.to_json() for r in self.rows[:-1]],
            "total": self.total.to_json(),
            "special": [r.to_json() for r in self.specials],
            "trend": [p.to_json() for p in self.trend],
            "channels": [{"id": c.value, "name": c.label} for c in CHANNELS],
            "notes": self.notes(),
            "empty": self.is_empty,
        }

    def text(self) -> str:
        lines = [f"{self.office}{self.title}", self.period_line, self.caliber_note]
        for row in (*self.rows, *self.specials):
            b, p, lb, lp, qb, qp = row.numbers
            yb, yp = row.yoy
            mb, mp = row.mom
            lines.append(
                f"{row.name}：{b}批{p}人次；去年同期 {lb}批{lp}人次，同比 {format_change(yb)} / {format_change(yp)}；"
                f"上期 {qb}批{qp}人次，环比 {format_change(mb)} / {format_change(mp)}"
            )
        lines.append(CHANGE_NOTE)
        return "\n".join(lines)


def _names(session: Any, group_by: GroupBy, keys: list[str | None]) -> tuple[dict[str | None, str], list[str | None]]:
    """Names of the keys and the keys always shown (the four destinations, every channel)."""
    if group_by is GroupBy.DESTINATION:
        return destination_names(), [d.value for d in Destination]
    if group_by is GroupBy.CHANNEL:
        return channel_names(), list(channel_order())
    return group_names(session, group_by, keys), []


def _order(group_by: GroupBy, keys: list[str | None]) -> list[str | None]:
    if group_by is GroupBy.DESTINATION:
        return destination_order()
    if group_by is GroupBy.CHANNEL:
        return channel_order()
    known = [k for k in keys if k is not None]
    if group_by is GroupBy.UNIT:
        known.sort(key=lambda k: int(k) if k.isdigit() else 0)
    else:
        known.sort()
    return list(known)


def _month_label(p: StatPeriod, caliber: Caliber) -> str:
    if caliber is Caliber.REPORTING:
        return f"{p.end.year}年{p.end.month}月"
    return f"{p.start.year}年{p.start.month}月"


def _trend(session: Any, period: StatPeriod, last_year: StatPeriod) -> tuple[TrendPoint, ...]:
    now = daily_totals(session, period.start, period.end)
    before = daily_totals(session, last_year.start, last_year.end)
    ly_months = monthly_periods(last_year)
    points = []
    for i, month in enumerate(monthly_periods(period)):
        b = sum(v[0] for d, v in now.items() if month.start <= d <= month.end)
        p = sum(v[1] for d, v in now.items() if month.start <= d <= month.end)
        lb = lp = 0
        if i < len(ly_months):
            ly = ly_months[i]
            lb = sum(v[0] for d, v in before.items() if ly.start <= d <= ly.end)
            lp = sum(v[1] for d, v in before.items() if ly.start <= d <= ly.end)
        points.append(TrendPoint(_month_label(month, period.caliber), month.start, month.end, b, p, lb, lp))
    return tuple(points)


def period_report(
    db: Database, start: date, end: date, group_by: GroupBy, caliber: Caliber | None = None
) -> PeriodReport:
    """Count the three periods in one read transaction and compose the report (caliber: the setting when None)."""
    with db.read_session() as session:
        settings = SqlSettings(session)
        if caliber is None:
            try:
                caliber = caliber_setting(settings.get(CALIBER_SETTING, Caliber.NATURAL.value))
            except DomainError:
                caliber = Caliber.NATURAL
        threshold_value = settings.get("collective_threshold", 5)
        threshold = threshold_value if isinstance(threshold_value, int) else 5
        office = str(settings.get("office_name") or "")
        period = resolve_period(start, end, caliber)
        last_year, previous = same_period_last_year(period), previous_period(period)
        tallies: list[dict[str | None, Tally]] = [
            period_tallies(session, p.start, p.end, group_by, collective_threshold=threshold)
            for p in (period, last_year, previous)
        ]
        keys = list(dict.fromkeys(k for t in tallies for k in t))
        names, keep = _names(session, group_by, keys)
        trend = _trend(session, period, last_year)
    rows = compose_rows(tallies[0], tallies[1], tallies[2], names, _order(group_by, keys), keep=keep)
    return PeriodReport(
        period,
        last_year,
        previous,
        group_by,
        tuple(rows),
        tuple(special_rows(rows[-1])),
        trend,
        office,
        threshold,
    )
