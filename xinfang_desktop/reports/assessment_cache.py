"""The last assessment counts of each grouping, kept so the 统计 section shows figures at once (issue 19).

Counting a year of a 1M-case ledger takes 2–3 s. The section opens on this year by its default grouping: the counts
it last made for that period and grouping are kept with the *data version* they were made from — the highest audit
entry, event and submission ids (every write leaves an audit entry in the same transaction, and every case change an
event). Opened again with the same period, grouping and day and nothing written since, they are the exact figures and
nothing is recounted; otherwise they are shown at once, marked with the time they were counted, while the section
counts afresh. The CLI (`xinfang stats`) always counts: a report that leaves the office is never from this cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from xinfang_desktop.core.assessment import AssessmentCounts, AssessmentPeriod, Grouping
from xinfang_desktop.persistence.assessment_queries import GroupCounts
from xinfang_desktop.persistence.data_scope import acting_scope_clause
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import AuditEntryRecord, CaseEventRecord, SubmissionRecord
from xinfang_desktop.persistence.settings_store import CACHE_PREFIX, SqlSettings
from xinfang_desktop.persistence.uow import unit_of_work
from xinfang_desktop.reports.assessment import AssessmentReport, assessment_report


@dataclass(frozen=True)
class CachedReport:
    """A kept report: `current` when nothing was written since it was counted (the figures are exact)."""

    report: AssessmentReport
    counted_at: datetime
    current: bool


def _key(grouping: Grouping) -> str:
    return f"{CACHE_PREFIX}assessment.{grouping.value}"


def data_version(db: Database) -> str:
    """What the ledger's counts depend on, in three index lookups (max ids of audit entries, events, submissions)."""
    with db.read_session() as s:
        ids = [s.scalar(select(func.max(t.id))) or 0 for t in (AuditEntryRecord, CaseEventRecord, SubmissionRecord)]
    return ":".join(str(i) for i in ids)


def cached_report(db: Database, period: AssessmentPeriod, grouping: Grouping, *, today: date) -> CachedReport | None:
    """The kept counts of `grouping` for this period and day, if any (never for a scoped user: the kept counts are
    the whole county's)."""
    if acting_scope_clause() is not None:
        return None
    with db.read_session() as s:
        kept = SqlSettings(s).get(_key(grouping))
    if not isinstance(kept, dict) or kept.get("period") != [period.start.isoformat(), period.end.isoformat()]:
        return None
    if kept.get("today") != today.isoformat():
        return None
    try:
        groups = tuple(
            GroupCounts(g["key"], g["name"], AssessmentCounts.from_mapping(g["counts"])) for g in kept["groups"]
        )
        report = AssessmentReport(period, grouping, today, groups, dict(kept.get("honours") or {}))
        counted_at = datetime.fromisoformat(str(kept["counted_at"]))
    except (KeyError, TypeError, ValueError):
        return None  # kept by another version of the application: count afresh
    return CachedReport(report, counted_at, kept.get("version") == data_version(db))


def count_and_keep(db: Database, period: AssessmentPeriod, grouping: Grouping, *, today: date) -> AssessmentReport:
    """Count the period (as `assessment_report`) and keep the counts with the data version they were made from."""
    version = data_version(db)  # before counting: a write during the count makes the kept figures stale, not wrong
    report = assessment_report(db, period, grouping, today=today)
    if acting_scope_clause() is not None:  # a scoped user's counts are theirs alone: not kept for the office
        return report
    kept: dict[str, Any] = {
        "period": [period.start.isoformat(), period.end.isoformat()],
        "today": today.isoformat(),
        "version": version,
        "counted_at": datetime.now().replace(microsecond=0).isoformat(),
        "groups": [{"key": g.key, "name": g.name, "counts": g.counts.to_json()} for g in report.groups],
        "honours": dict(report.honours_lost),
    }
    with unit_of_work(db) as uow:  # a cache, not a record of the office's: no audit entry (it would bump the version)
        SqlSettings(uow.session).set(_key(grouping), kept)
        uow.commit()
    return report


__all__ = ["CachedReport", "cached_report", "count_and_keep", "data_version"]
