"""The warning-trigger index: `cases.warning_met_on`, the day each case met R-WS-01, so candidates are an index read.

Evaluating R-WS-01 over every case's submissions takes seconds on a million cases; the 预警与积案 section and
`xinfang warn scan` must not pay that each time. Every registered submission updates its case (`note_case`, called by
`warnings_store.scan_case`); a bulk `rebuild` fills the column after an upgrade (the migration leaves it empty), a bulk
load (demo data) or a change of the trigger's numbers, and `xinfang tick` runs it as a repair. `derived_indexes`
records the policy fingerprint the column was built for; `ensure` rebuilds when it differs.

The column is computed on all recorded submissions; `met_on <= today` is then exactly "the trigger is met as of
today", since the first submission is the earliest and the counted visits up to the met day all precede it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from xinfang_desktop.core.codes import OfficeLevel
from xinfang_desktop.core.warnings_rules import Visit, WarningPolicy, warning_trigger
from xinfang_desktop.persistence.backlog_store import policy_for, visit_of
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import CaseRecord, DerivedIndexRecord, SubmissionRecord
from xinfang_desktop.persistence.records_warnings import WarningSlipRecord
from xinfang_desktop.persistence.uow import unit_of_work

INDEX_NAME = "warning_met_on"
CHUNK = 900  # cases per IN (...) list: below SQLite's bound-parameter limit


def fingerprint(policy: WarningPolicy) -> str:
    """What the column depends on: the rule and its two numbers (R-WS-01)."""
    return f"R-WS-01:{policy.trigger_visits}:{policy.min_level.value}"


def visits_by_case(
    session: Session, case_ids: Sequence[int], *, until: date | None = None
) -> Iterator[dict[int, list[Visit]]]:
    """The submissions of many cases as Visits, a chunk of cases at a time (columns, not ORM objects)."""
    sub = SubmissionRecord
    for start in range(0, len(case_ids), CHUNK):
        stmt = select(
            sub.id, sub.case_id, sub.seq, sub.received_on, sub.channel, sub.level, sub.headcount,
            sub.is_abnormal, sub.destination,
        ).where(sub.case_id.in_(case_ids[start : start + CHUNK]))  # fmt: skip
        if until is not None:
            stmt = stmt.where(sub.received_on <= until)
        visits: dict[int, list[Visit]] = {}
        for r in session.execute(stmt.order_by(sub.case_id, sub.seq)):
            visits.setdefault(r.case_id, []).append(visit_of(r))
        yield visits


def possible_case_ids(session: Session, policy: WarningPolicy) -> list[int]:
    """Cases with at least `trigger_visits` later submissions that are visits at county level or above (a superset)."""
    levels = [lvl.value for lvl in OfficeLevel if lvl.rank >= policy.min_level.rank]
    stmt = (
        select(SubmissionRecord.case_id)
        .where(SubmissionRecord.channel == "visit", SubmissionRecord.level.in_(levels), SubmissionRecord.seq > 1)
        .group_by(SubmissionRecord.case_id)
        .having(func.count() >= policy.trigger_visits)
    )
    return sorted(session.scalars(stmt))


def met_on(visits: Sequence[Visit], policy: WarningPolicy) -> date | None:
    evidence = warning_trigger(visits, policy=policy)
    return evidence.met_on if evidence is not None else None


def note_case(session: Session, case: CaseRecord, visits: Sequence[Visit], policy: WarningPolicy) -> None:
    """Keep one case's entry current after a submission was registered (`visits`: all of its submissions)."""
    value = met_on(visits, policy)
    if case.warning_met_on != value:
        case.warning_met_on = value


def rebuild(session: Session, policy: WarningPolicy, *, now: datetime) -> int:
    """Recompute the column for every case and record the fingerprint; returns how many cases changed."""
    computed: dict[int, date] = {}
    for visits in visits_by_case(session, possible_case_ids(session, policy)):
        for case_id, case_visits in visits.items():
            if (value := met_on(case_visits, policy)) is not None:
                computed[case_id] = value
    stored: dict[int, date | None] = {
        cid: value
        for cid, value in session.execute(
            select(CaseRecord.id, CaseRecord.warning_met_on).where(CaseRecord.warning_met_on.is_not(None))
        )
    }
    changes = [{"cid": cid, "met": value} for cid, value in computed.items() if stored.get(cid) != value]
    changes += [{"cid": cid, "met": None} for cid in stored if cid not in computed]
    if changes:
        # Core UPDATE, not the ORM: derived data, so the case's version (optimistic locking) stays as it is.
        table = cast(Table, CaseRecord.__table__)
        session.connection().execute(
            update(table).where(table.c.id == bindparam("cid")).values(warning_met_on=bindparam("met")), changes
        )
    record = session.get(DerivedIndexRecord, INDEX_NAME)
    if record is None:
        session.add(DerivedIndexRecord(name=INDEX_NAME, fingerprint=fingerprint(policy), built_at=now))
    else:
        record.fingerprint, record.built_at = fingerprint(policy), now
    session.flush()
    return len(changes)


def is_current(session: Session, policy: WarningPolicy) -> bool:
    record = session.get(DerivedIndexRecord, INDEX_NAME)
    return record is not None and record.fingerprint == fingerprint(policy)


def ensure(db: Database, *, force: bool = False) -> int | None:
    """Rebuild the column if it was never built for the current policy (or `force`); the changed count, or None."""
    with db.read_session() as s:
        if not force and is_current(s, policy_for(s)):
            return None
    with unit_of_work(db) as uow:
        changed = rebuild(uow.session, policy_for(uow.session), now=uow.now)
        uow.commit()
    return changed


def candidate_ids(
    session: Session, *, today: date, newest: int | None = None, first: int | None = None
) -> tuple[int, list[int]]:
    """(how many, which) cases meet R-WS-01 as of `today` and have no slip yet; the newest `newest` when given,
    newest first, else all (or the first `first`) in the order met. Reads the partial index only."""
    no_slip = ~select(WarningSlipRecord.id).where(WarningSlipRecord.case_id == CaseRecord.id).exists()
    met = CaseRecord.warning_met_on.is_not(None) & (CaseRecord.warning_met_on <= today) & no_slip
    total = session.scalar(select(func.count()).select_from(CaseRecord).where(met)) or 0
    stmt = select(CaseRecord.id).where(met)
    if newest is not None:
        stmt = stmt.order_by(CaseRecord.warning_met_on.desc(), CaseRecord.id.desc()).limit(newest)
    else:
        stmt = stmt.order_by(CaseRecord.warning_met_on, CaseRecord.id)
        if first is not None:
            stmt = stmt.limit(first)
    return int(total), list(session.scalars(stmt))
