"""The annual report to the level above (R-AS-04, 条例 art 41), drafted from the ledger in its four parts: the
statistics (with the fields and the organs most complained about), transfers, hand-downs and supervision, the
suggestions made and whether they were adopted, and other matters left for the clerk to write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.core.period_stats import Caliber, GroupBy
from xinfang_desktop.persistence.annual_queries import (
    HANDLING_ACTIONS,
    Recommendation,
    accused_units,
    cases_by_category,
    cases_by_unit,
    cases_received,
    handling_steps,
    recommendations,
)
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.reports.period_report import PeriodReport, period_report

TOP = 5


@dataclass(frozen=True)
class AnnualReport:
    year: int
    office: str
    addressee: str | None
    cases: int
    cases_last_year: int
    by_destination: PeriodReport
    by_channel: PeriodReport
    categories: tuple[tuple[str, int], ...]
    units: tuple[tuple[str, int], ...]
    accused: tuple[tuple[str, int], ...]
    steps: dict[str, int]
    recommendations: tuple[Recommendation, ...]

    def to_json(self) -> dict[str, Any]:
        total = self.by_destination.total
        b, p, lb, lp, *_ = total.numbers
        yb, yp = total.yoy
        return {
            "year": self.year,
            "office": self.office,
            "addressee": self.addressee,
            "cases": self.cases,
            "cases_last_year": self.cases_last_year,
            "submissions": {
                "batches": b,
                "person_visits": p,
                "last_year_batches": lb,
                "last_year_person_visits": lp,
                "yoy": {"batches": yb, "person_visits": yp},
            },
            "by_destination": [r.to_json() for r in self.by_destination.rows],
            "by_channel": [r.to_json() for r in self.by_channel.rows],
            "special": [r.to_json() for r in self.by_destination.specials],
            "caliber_note": self.by_destination.caliber_note,
            "categories": [{"name": n, "cases": c} for n, c in self.categories],
            "top_units": [{"name": n, "cases": c} for n, c in self.units],
            "accused_units": [{"name": n, "cases": c} for n, c in self.accused],
            "steps": {a.value: self.steps.get(a.value, 0) for a in HANDLING_ACTIONS},
            "step_labels": {a.value: a.label for a in HANDLING_ACTIONS},
            "recommendations": [r.to_json() for r in self.recommendations],
        }


def annual_report(db: Database, year: int) -> AnnualReport:
    start, end = date(year, 1, 1), date(year, 12, 31)
    by_destination = period_report(db, start, end, GroupBy.DESTINATION, Caliber.NATURAL)
    by_channel = period_report(db, start, end, GroupBy.CHANNEL, Caliber.NATURAL)
    with db.read_session() as session:
        settings = SqlSettings(session)
        office = str(settings.get("office_name") or "")
        addressee = settings.get("higher_leading_group")
        return AnnualReport(
            year,
            office,
            str(addressee) if addressee else None,
            cases_received(session, start, end),
            cases_received(session, date(year - 1, 1, 1), date(year - 1, 12, 31)),
            by_destination,
            by_channel,
            tuple(cases_by_category(session, start, end)),
            tuple(cases_by_unit(session, start, end)),
            tuple(accused_units(session, start, end)),
            handling_steps(session, start, end),
            tuple(recommendations(session, start, end)),
        )
