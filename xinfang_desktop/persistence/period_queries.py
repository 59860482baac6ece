"""The counts behind the period statistics (批次/人次, R-AS-01) and the 三无 events (R-AS-03): SQL aggregates.

Each count is one GROUP BY over the submissions received in the period — a range of `ix_submissions_received` —
reaching the case (category, locality, unit) through its primary key only when the grouping needs it. Destination and
channel need no join. What each counter means is in `core/period_stats.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from xinfang_desktop.core.codes import Channel, Destination, OfficeLevel
from xinfang_desktop.core.period_stats import TOWNSHIP_DESTINATION, GroupBy, Tally
from xinfang_desktop.persistence.data_scope import acting_scope_clause
from xinfang_desktop.persistence.records import (
    CaseRecord,
    CategoryRecord,
    RegionRecord,
    SubmissionRecord,
    UnitRecord,
)

TOWNSHIP_CODE_LENGTH = 9  # GB/T 2260 county code (6) + township (3); villages extend it to 12
NO_CATEGORY = "未分类"
NO_TOWNSHIP = "属地未明确到乡镇"
NO_UNIT = "未指定责任单位"

_LEVEL_DESTINATION = {
    OfficeLevel.COUNTY.value: Destination.TO_COUNTY.value,
    OfficeLevel.CITY.value: Destination.TO_CITY.value,
    OfficeLevel.PROVINCE.value: Destination.TO_PROVINCE.value,
    OfficeLevel.NATIONAL.value: Destination.TO_CAPITAL.value,
    OfficeLevel.TOWNSHIP.value: TOWNSHIP_DESTINATION,
}


def _count_if(condition: ColumnElement[bool], value: Any = 1) -> ColumnElement[Any]:
    """SUM(CASE WHEN condition THEN value ELSE 0 END): portable (PostgreSQL cannot sum booleans)."""
    return func.sum(case((condition, value), else_=0))


def _destination() -> ColumnElement[Any]:
    """A visit's recorded destination; for other submissions (and visits without one) the level reached."""
    s = SubmissionRecord
    by_level = case(*((s.level == level, dest) for level, dest in _LEVEL_DESTINATION.items()), else_=None)
    return func.coalesce(s.destination, by_level)


def _township() -> ColumnElement[Any]:
    code = CaseRecord.locality_code
    return case((func.length(code) >= TOWNSHIP_CODE_LENGTH, func.substr(code, 1, TOWNSHIP_CODE_LENGTH)), else_=None)


def _key(group_by: GroupBy) -> tuple[ColumnElement[Any], bool]:
    """The group key and whether it needs the case."""
    if group_by is GroupBy.DESTINATION:
        return _destination(), False
    if group_by is GroupBy.CHANNEL:
        return SubmissionRecord.channel.expression, False
    if group_by is GroupBy.CATEGORY:
        return CaseRecord.category_code.expression, True
    if group_by is GroupBy.LOCALITY:
        return _township(), True
    return CaseRecord.responsible_unit_id.expression, True


def _special_columns(threshold: int) -> list[ColumnElement[Any]]:
    s = SubmissionRecord
    conditions = {
        "collective": s.headcount >= threshold,
        "level_skipping": s.is_level_skipping.is_(True),
        "repeat": s.seq > 1,
        "abnormal": s.is_abnormal.is_(True),
    }
    columns: list[ColumnElement[Any]] = []
    for name, condition in conditions.items():
        columns += [
            _count_if(condition).label(f"{name}_batches"),
            _count_if(condition, s.headcount).label(f"{name}_persons"),
        ]
    return columns


def period_tallies(
    session: Session, start: date, end: date, group_by: GroupBy, *, collective_threshold: int
) -> dict[str | None, Tally]:
    """The counters of every group with a submission received in [start, end]; keys are the grouping's codes (a
    destination, channel, category code, township code or unit id as text; None: not recorded)."""
    s = SubmissionRecord
    key, needs_case = _key(group_by)
    stmt = select(
        key.label("k"),
        s.channel.label("channel"),
        func.count().label("batches"),
        func.sum(s.headcount).label("persons"),
        *_special_columns(collective_threshold),
    ).where(s.received_on >= start, s.received_on <= end)
    scope = acting_scope_clause()  # issue 17: a scoped user counts only the cases of their townships or units
    if needs_case or scope is not None:
        stmt = stmt.join_from(s, CaseRecord, CaseRecord.id == s.case_id)
    if scope is not None:
        stmt = stmt.where(scope)
    stmt = stmt.group_by(key, s.channel)
    merged: dict[str | None, dict[str, int]] = {}
    for row in session.execute(stmt).mappings():
        k = None if row["k"] is None else str(row["k"])
        channel = str(row["channel"])
        target = merged.setdefault(k, {})
        batches, persons = int(row["batches"] or 0), int(row["persons"] or 0)
        for name, value in (("batches", batches), ("persons", persons)):
            target[name] = target.get(name, 0) + value
            target[f"{channel}_{name}"] = target.get(f"{channel}_{name}", 0) + value
        if channel == Channel.VISIT.value:  # the special counts are of visits only
            for name in row:
                if name.endswith(("_batches", "_persons")):
                    target[name] = target.get(name, 0) + int(row[name] or 0)
    if group_by is GroupBy.CATEGORY:
        merged = _fold_categories(session, merged)
    return {k: Tally(v) for k, v in merged.items()}


def _fold_categories(
    session: Session, merged: Mapping[str | None, Mapping[str, int]]
) -> dict[str | None, dict[str, int]]:
    """Counts by leaf category folded onto the top-level category (the report's rows)."""
    parents = dict(session.execute(select(CategoryRecord.code, CategoryRecord.parent_code)).all())
    folded: dict[str | None, dict[str, int]] = {}
    for code, values in merged.items():
        root = code
        for _ in range(10):  # the tree is shallow; a cycle in hand-edited data must not hang the report
            if root is None or parents.get(root) is None:
                break
            root = parents[root]
        target = folded.setdefault(root, {})
        for name, value in values.items():
            target[name] = target.get(name, 0) + value
    return folded


def group_names(session: Session, group_by: GroupBy, keys: list[str | None]) -> dict[str | None, str]:
    """Chinese names of the keys of a category, township or unit grouping."""
    wanted = [k for k in keys if k is not None]
    if group_by is GroupBy.CATEGORY:
        names: dict[str | None, str] = {None: NO_CATEGORY}
        if wanted:
            rows = session.execute(
                select(CategoryRecord.code, CategoryRecord.name).where(CategoryRecord.code.in_(wanted))
            )
            names.update({str(c): str(n) for c, n in rows})
        return names
    if group_by is GroupBy.LOCALITY:
        names = {None: NO_TOWNSHIP}
        if wanted:
            rows = session.execute(select(RegionRecord.code, RegionRecord.name).where(RegionRecord.code.in_(wanted)))
            names.update({str(c): str(n) for c, n in rows})
        return names
    names = {None: NO_UNIT}
    if wanted:
        ids = [int(k) for k in wanted if k.isdigit()]
        rows = session.execute(select(UnitRecord.id, UnitRecord.name).where(UnitRecord.id.in_(ids)))
        names.update({str(i): str(n) for i, n in rows})
    return names


def daily_totals(session: Session, start: date, end: date) -> dict[date, tuple[int, int]]:
    """批次 and 人次 per day received (the trend chart folds them into statistical months)."""
    s = SubmissionRecord
    stmt = (
        select(s.received_on, func.count(), func.sum(s.headcount))
        .where(s.received_on >= start, s.received_on <= end)
        .group_by(s.received_on)
    )
    scope = acting_scope_clause()
    if scope is not None:
        stmt = stmt.join_from(s, CaseRecord, CaseRecord.id == s.case_id).where(scope)
    return {d: (int(b or 0), int(p or 0)) for d, b, p in session.execute(stmt)}


def townships(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every township in the register, by code."""
    stmt = (
        select(RegionRecord.code, RegionRecord.name)
        .where(func.length(RegionRecord.code) == TOWNSHIP_CODE_LENGTH)
        .order_by(RegionRecord.code)
    )
    return [(str(c), str(n)) for c, n in session.execute(stmt)]


@dataclass(frozen=True)
class BreakingVisit:
    """A visit that breaks a township's 三无 status (R-AS-03): which condition, the case, day, destination, people."""

    township: str | None
    condition: str  # core.sanwu condition id
    case_number: str
    received_on: date
    destination: str | None
    headcount: int


def sanwu_visits(session: Session, start: date, end: date, *, collective_threshold: int) -> list[BreakingVisit]:
    """The visits received in [start, end] that break 三无 (core/sanwu.py says which and why), by day."""
    s = SubmissionRecord
    dest = _destination()
    capital = Destination.TO_CAPITAL.value
    earlier = aliased(SubmissionRecord)
    repeated = exists().where(
        earlier.case_id == s.case_id,
        earlier.seq < s.seq,
        earlier.channel == Channel.VISIT.value,
        earlier.is_level_skipping.is_(True),
        func.coalesce(earlier.destination, "") == capital,
    )
    abnormal_capital = and_(dest == capital, s.is_abnormal.is_(True))
    repeat_skipping = and_(dest == capital, s.is_level_skipping.is_(True), repeated)
    collective_upper = and_(dest.in_((capital, Destination.TO_PROVINCE.value)), s.headcount >= collective_threshold)
    condition = case(
        (abnormal_capital, "abnormal_capital"),
        (repeat_skipping, "repeat_level_skipping_capital"),
        (collective_upper, "collective_upper"),
        else_=None,
    )
    stmt = (
        select(_township(), condition, CaseRecord.number, s.received_on, dest, s.headcount)
        .join_from(s, CaseRecord, CaseRecord.id == s.case_id)
        .where(
            s.received_on >= start,
            s.received_on <= end,
            s.channel == Channel.VISIT.value,
            dest.in_((capital, Destination.TO_PROVINCE.value)),
        )
        .order_by(s.received_on, s.id)
    )
    scope = acting_scope_clause()
    if scope is not None:
        stmt = stmt.where(scope)
    out = []
    for township, cond, number, received, destination, headcount in session.execute(stmt):
        if cond is None:
            continue
        out.append(BreakingVisit(township, str(cond), str(number), received, destination, int(headcount)))
    # A collective abnormal visit to Beijing breaks two conditions: list it under the second one too.
    extra = [
        BreakingVisit(v.township, "collective_upper", v.case_number, v.received_on, v.destination, v.headcount)
        for v in out
        if v.condition != "collective_upper" and v.headcount >= collective_threshold
    ]
    return sorted([*out, *extra], key=lambda v: (v.received_on, v.case_number, v.condition))


def capital_visit_counts(
    session: Session, start: date, end: date, group_by: GroupBy, *, collective_threshold: int
) -> dict[str | None, dict[str, int]]:
    """Per township or unit, the 进京非访 and the collective visits to Beijing received in [start, end] (batches):
    the deductions and the listing rule of the composite ranking (core/composite_ranking.py)."""
    s = SubmissionRecord
    key, _ = _key(group_by)
    dest = _destination()
    capital = Destination.TO_CAPITAL.value
    stmt = (
        select(
            key.label("k"),
            _count_if(s.is_abnormal.is_(True)).label("abnormal_capital"),
            _count_if(s.headcount >= collective_threshold).label("collective_capital"),
        )
        .join_from(s, CaseRecord, CaseRecord.id == s.case_id)
        .where(s.received_on >= start, s.received_on <= end, s.channel == Channel.VISIT.value, dest == capital)
        .group_by(key)
    )
    scope = acting_scope_clause()
    if scope is not None:
        stmt = stmt.where(scope)
    return {
        (None if row["k"] is None else str(row["k"])): {
            "abnormal_capital": int(row["abnormal_capital"] or 0),
            "collective_capital": int(row["collective_capital"] or 0),
        }
        for row in session.execute(stmt).mappings()
    }
