"""挂牌整治 as duty compliance (R-AS-02): the written explanations the listed groups owe in a period, as rows of
`duty compliance` (kind rectification_explanation)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.duties import PeriodKind, SlotStatus, Span, half_year_span, quarter_span
from xinfang_desktop.core.rectification import (
    RULE,
    GroupKind,
    citation_of,
    is_half_year,
    quarter_label,
)
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.calendar_store import session_calendar
from xinfang_desktop.persistence.records import UnitRecord
from xinfang_desktop.persistence.rectification.records import RectificationListingRecord
from xinfang_desktop.persistence.rectification.store import KIND, LABEL, listing_core

_R = RectificationListingRecord


def explanation_compliance(
    session: Session, span: Span, today: date, *, calendar: WorkdayCalendar | None = None
) -> list[dict[str, Any]]:
    """R-AS-02 as duty compliance: one row per listing whose quarter (or half year) overlaps `span` — or whose
    explanation window (listed_on … due, which lies in the next quarter) does — in the JSON shape of
    `core.duties.DutyCompliance.to_json` (kind ``rectification_explanation``). met once the explanation came (on
    time, or late — then `missing` says 逾期N个工作日提交); missed when its due day passed without it; open while it
    runs (a listing lifted before its due day without an explanation counts as met: nothing is owed any more)."""
    cal = calendar or session_calendar(session)
    in_window = (_R.listed_on <= span.end) & (_R.explanation_due >= span.start)
    recs = list(
        session.scalars(
            select(_R).where(_R.quarter.in_(_quarters_of(span)) | in_window).order_by(_R.quarter, _R.group_kind, _R.id)
        )
    )
    unit_ids = [r.unit_id for r in recs if r.unit_id]
    names = dict(session.execute(select(UnitRecord.id, UnitRecord.name).where(UnitRecord.id.in_(unit_ids))).all())
    out: list[dict[str, Any]] = []
    for rec in recs:
        li = listing_core(rec)
        due = rec.explanation_due
        missing: list[str] = []
        done = 1 if rec.explanation_on is not None else 0
        if rec.explanation_on is not None:
            status = SlotStatus.MET
            if rec.explanation_on > due:
                late = li.late_workdays(cal)
                missing.append(
                    f"逾期{late}个工作日提交（{rec.explanation_on.isoformat()}提交，应于{due.isoformat()}前）"
                )
        elif rec.lifted_on is not None and rec.lifted_on <= due:
            status = SlotStatus.MET
        elif today > due:
            status = SlotStatus.MISSED
            missing.append(f"应于{due.isoformat()}前提交书面说明，逾期未交")
        else:
            status = SlotStatus.OPEN
            missing.append(f"尚需提交书面说明（截至{due.isoformat()}）")
        kind = GroupKind(rec.group_kind)
        subject_key = f"unit:{rec.unit_id}" if kind is GroupKind.UNIT else f"township:{rec.region_code}"
        name = names.get(rec.unit_id, rec.name) if rec.unit_id else rec.name
        period_kind = PeriodKind.HALF_YEAR if is_half_year(rec.quarter) else PeriodKind.QUARTER
        slot = {
            "period": rec.quarter,
            "kind": period_kind.value,
            "kind_label": period_kind.label,
            "label": quarter_label(rec.quarter),
            "start": rec.listed_on.isoformat(),
            "end": due.isoformat(),
            "required": 1,
            "count": done,
            "short": 1 - done,
            "dates": [rec.explanation_on.isoformat()] if rec.explanation_on else [],
            "record_ids": [rec.id],
            "status": status.value,
            "status_label": status.label,
            "light": status.light,
            "missing": missing[0] if missing else None,
        }
        out.append(
            {
                "kind": KIND,
                "label": LABEL,
                "rule": RULE,
                "citation": citation_of(rec.quarter),
                "requirement": f"列入挂牌整治后{rec.explanation_workdays}个工作日内提交书面说明",
                "applies_to": "units" if kind is GroupKind.UNIT else "townships",
                "subject_key": subject_key,
                "subject": name,
                "status": status.value,
                "status_label": status.label,
                "light": status.light,
                "done": done,
                "required": 1,
                "slots_met": 1 if status is SlotStatus.MET else 0,
                "slots": [slot],
                "missing": missing,
                "listing_id": rec.id,
            }
        )
    return out


def _quarters_of(span: Span) -> list[str]:
    """The quarters and the half years (S4 §18) that overlap `span`."""
    out = []
    year, q = span.start.year, (span.start.month - 1) // 3 + 1
    while True:
        code = f"{year}Q{q}"
        out.append(code)
        if quarter_span(year, q).end >= span.end:
            break
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    year, h = span.start.year, 1 if span.start.month <= 6 else 2
    while True:
        out.append(f"{year}H{h}")
        if half_year_span(year, h).end >= span.end:
            return out
        year, h = (year + 1, 1) if h == 2 else (year, 2)


__all__ = ["KIND", "LABEL", "explanation_compliance"]
