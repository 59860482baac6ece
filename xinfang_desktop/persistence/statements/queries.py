"""The ledger figures of every party of the responsibility statements (R-RS-02) for a period, in five grouped queries.

Each family of counts is one statement grouped by the case's (责任单位, 乡镇) pair — a few hundred cells at most —
which are then added up for each party: a unit takes its cells, a township the cells of its 属地, the county all
(core/statement_targets.py: the parties, **I**). The R-AS-01 families are `assessment_queries`' own statements (the
same counting, keyed on the pair), so a statement's 及时受理率 is the 统计 section's to the case. Each starts from an
indexed range: the period's cases (`ix_cases_received`), its visits (`ix_submissions_received`), the cases that met the
warning trigger in it (`ix_cases_warning_met_on`) or the small backlog ledger, and reaches the rest by primary key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.assessment import AssessmentPeriod, Grouping
from xinfang_desktop.core.backlog import BacklogOrigin
from xinfang_desktop.core.codes import Channel, Destination, Satisfaction
from xinfang_desktop.core.lifecycle_model import OPINION
from xinfang_desktop.core.statement_targets import COUNTY_PARTY, LedgerFigures
from xinfang_desktop.persistence import assessment_queries as aq
from xinfang_desktop.persistence.records import (
    CaseDeadlineRecord,
    CaseEventRecord,
    CasePetitionerRecord,
    CaseRecord,
    SubmissionRecord,
)
from xinfang_desktop.persistence.records_warnings import BacklogCaseRecord

Cell = tuple[int | None, str | None]  # (responsible unit id, township code)
KeyPersonRow = tuple[int | None, str | None, int]  # (unit, township, petitioner id)
SessionFactory = Callable[[], AbstractContextManager[Session]]  # a read session per call


@dataclass(frozen=True)
class Party:
    """乙方 of a statement: the county itself (`key` "county"), a township (`township` its region code) or a unit."""

    key: str
    unit_id: int | None
    name: str
    kind: str  # county | township | unit
    township: str | None = None

    @property
    def kind_label(self) -> str:
        return {"county": "县本级", "township": "乡镇（街道）", "unit": "县直单位"}[self.kind]

    def owns(self, cell: Cell) -> bool:
        """Whether a (unit, township) cell of the ledger counts for this party (属地 for townships, **I**)."""
        if self.kind == "county":
            return True
        if self.kind == "township":
            return cell[1] is not None and cell[1] == self.township
        return cell[0] is not None and cell[0] == self.unit_id


def _township() -> ColumnElement[Any]:
    key = aq._group_key(Grouping.TOWNSHIP)
    assert key is not None
    return key


def _add(cells: dict[Cell, dict[str, int]], cell: Cell, values: Mapping[str, Any]) -> None:
    target = cells.setdefault(cell, {})
    for name, value in values.items():
        target[name] = target.get(name, 0) + int(value or 0)


#: A clock's state as the per-case maximum reads it: any late clock makes the case due and late; otherwise a running
#: one keeps it out of the count; all met in time makes it due and on time (core/assessment.py, R-AS-01 **I**).
_ON_TIME, _RUNNING, _LATE = 1, 2, 3


def _rating_cells(session: Session, period: AssessmentPeriod, cells: dict[Cell, dict[str, int]]) -> None:
    """群众满意率 (R-AS-01, R-LC-06): the ratings of the 处理意见 of the cases received in the period — the numbers
    `assessment_queries` counts (参评 = 满意, 基本满意, 不满意), without the flags the 统计 section also needs."""
    e = CaseEventRecord
    stage = aq._json_text(session, e.details, "stage")
    rating = aq._json_text(session, e.details, "rating")
    rated = (Satisfaction.SATISFIED.label, Satisfaction.BASICALLY_SATISFIED.label, Satisfaction.DISSATISFIED.label)
    stmt = (
        select(
            CaseRecord.responsible_unit_id.label("u"),
            _township().label("t"),
            func.count().label("rated"),
            aq._count_if(rating.in_(rated[:2])).label("satisfied_total"),
        )
        .join_from(CaseRecord, e, and_(e.case_id == CaseRecord.id, e.action == CaseAction.RATE.value))
        .where(aq._in_period(CaseRecord.received_on, period), stage == OPINION, rating.in_(rated))
        .group_by("u", "t")
    )
    for row in session.execute(stmt).mappings():
        values = dict(row)
        _add(cells, (values.pop("u"), values.pop("t")), values)


def _clock_cells(session: Session, period: AssessmentPeriod, today: date, cells: dict[Cell, dict[str, int]]) -> None:
    """The cases received in the period (the denominator of 新增积案率) and, on their clocks, 及时受理率 and 按期办结率
    (R-AS-01) as `assessment_queries` counts them, each case's clocks of a family folded into one state (late >
    running > met in time). One pass: a case without a clock is one row with no state."""
    d = CaseDeadlineRecord
    late = or_(d.met_on > d.due_on, and_(d.met_on.is_(None), d.due_on < today))
    state = case((late, _LATE), (d.met_on.is_(None), _RUNNING), else_=_ON_TIME)
    families = (("acceptance", aq.ACCEPTANCE_RULES), ("handling", aq.HANDLING_RULES))
    inner = (
        select(
            CaseRecord.responsible_unit_id.label("u"),
            _township().label("t"),
            *(func.max(case((d.rule_id.in_(rules), state), else_=None)).label(name) for name, rules in families),
        )
        .outerjoin_from(
            CaseRecord,
            d,
            and_(d.case_id == CaseRecord.id, d.rule_id.in_((*aq.ACCEPTANCE_RULES, *aq.HANDLING_RULES))),
        )
        .where(aq._in_period(CaseRecord.received_on, period))
        .group_by(CaseRecord.received_on, CaseRecord.id)  # in the order of ix_cases_received: no sort
        .subquery()
    )
    c = inner.c
    columns = [func.count().label("cases")]
    for name, _ in families:
        columns += [
            aq._count_if(c[name].in_((_ON_TIME, _LATE))).label(f"{name}_due"),
            aq._count_if(c[name] == _ON_TIME).label(f"{name}_on_time"),
        ]
    stmt = select(c.u, c.t, *columns).group_by(c.u, c.t)
    for row in session.execute(stmt).mappings():
        values = dict(row)
        _add(cells, (values.pop("u"), values.pop("t")), values)


def _visit_cells(session: Session, period: AssessmentPeriod, cells: dict[Cell, dict[str, int]]) -> None:
    """上访量 (visits, 批次) and 越级进京上访 made in the period (R-CL-03), by the visited case's pair."""
    s = SubmissionRecord
    capital = and_(s.destination == Destination.TO_CAPITAL.value, s.is_level_skipping.is_(True))
    stmt = (
        select(
            CaseRecord.responsible_unit_id.label("u"),
            _township().label("t"),
            func.count().label("visits"),
            aq._count_if(capital).label("capital_skipping"),
        )
        .join_from(s, CaseRecord, CaseRecord.id == s.case_id)
        .where(aq._in_period(s.received_on, period), s.channel == Channel.VISIT.value)
        .group_by("u", "t")
    )
    for row in session.execute(stmt).mappings():
        values = dict(row)
        _add(cells, (values.pop("u"), values.pop("t")), values)


_HIGHER = (BacklogOrigin.PROVINCE.value, BacklogOrigin.CITY.value)


def _backlog_cells(session: Session, period: AssessmentPeriod, cells: dict[Cell, dict[str, int]]) -> None:
    """新增积案 (detected in the period) and the books of the 交办 backlog with what was resolved (R-CL-05, R-BK-03).

    The pair is read by correlated subqueries on the case, so the statement starts from the small backlog ledger (as
    in `assessment_queries`: a join let SQLite walk the cases instead)."""
    b = BacklogCaseRecord
    unit = select(CaseRecord.responsible_unit_id).where(CaseRecord.id == b.case_id).scalar_subquery()
    township = select(_township()).where(CaseRecord.id == b.case_id).scalar_subquery()
    inner = (
        select(unit.label("u"), township.label("t"), b.detected_on, b.resolved_on, b.origin)
        .where(b.detected_on <= period.end, or_(b.resolved_on.is_(None), b.resolved_on >= period.start))
        .subquery()
    )
    c = inner.c
    resolved = and_(c.resolved_on.is_not(None), c.resolved_on <= period.end)
    national, higher = c.origin == BacklogOrigin.NATIONAL.value, c.origin.in_(_HIGHER)
    stmt = select(
        c.u,
        c.t,
        aq._count_if(c.detected_on >= period.start).label("new_backlog"),
        aq._count_if(national).label("national_open"),
        aq._count_if(and_(national, resolved)).label("national_resolved"),
        aq._count_if(higher).label("higher_open"),
        aq._count_if(and_(higher, resolved)).label("higher_resolved"),
    ).group_by(c.u, c.t)
    for row in session.execute(stmt).mappings():
        values = dict(row)
        _add(cells, (values.pop("u"), values.pop("t")), values)


def _key_person_rows(session: Session, period: AssessmentPeriod) -> list[KeyPersonRow]:
    """(unit, township, petitioner) of the cases that met the warning trigger (R-WS-01) in the period: 信访重点人员
    are distinct persons, which do not add up over cells, so the rows come back and each party counts its own."""
    cp = CasePetitionerRecord
    stmt = (
        select(CaseRecord.responsible_unit_id, _township(), cp.petitioner_id)
        .join_from(CaseRecord, cp, cp.case_id == CaseRecord.id)
        .where(CaseRecord.warning_met_on.is_not(None), aq._in_period(CaseRecord.warning_met_on, period))
        .distinct()
    )
    return [(u, t, int(p)) for u, t, p in session.execute(stmt)]


def _cases_and_clocks(session: Session, period: AssessmentPeriod, today: date) -> dict[Cell, dict[str, int]]:
    cells: dict[Cell, dict[str, int]] = {}
    _clock_cells(session, period, today, cells)
    return cells


def _the_rest(session: Session, period: AssessmentPeriod) -> tuple[dict[Cell, dict[str, int]], list[KeyPersonRow]]:
    cells: dict[Cell, dict[str, int]] = {}
    _rating_cells(session, period, cells)
    _visit_cells(session, period, cells)
    _backlog_cells(session, period, cells)
    return cells, _key_person_rows(session, period)


def ledger_cells(
    sessions: SessionFactory, start: date, end: date, *, today: date, parallel: bool = True
) -> tuple[dict[Cell, dict[str, int]], list[KeyPersonRow]]:
    """The additive counts per (unit, township) cell and the key-person rows for the days start..end.

    The cases with their clocks are one half of the work and the ratings, visits, backlog and key persons the other:
    with `parallel` each half runs on its own connection (its own read session from `sessions`) in a second thread,
    so the two use both cores — the database releases the interpreter while it steps (≈1.4 s → ≈0.8 s on a year of
    the 1M demo ledger). Both only read; a write between them moves a figure by what that write did, no more."""
    period = AssessmentPeriod(start, end)

    def first() -> dict[Cell, dict[str, int]]:
        with sessions() as session:
            return _cases_and_clocks(session, period, today)

    if parallel:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="xinfang-statements") as pool:
            clocks = pool.submit(first)
            with sessions() as session:
                cells, persons = _the_rest(session, period)
            other = clocks.result()
    else:
        other = first()
        with sessions() as session:
            cells, persons = _the_rest(session, period)
    for cell, values in other.items():
        _add(cells, cell, values)
    return cells, persons


def figures_by_party(
    cells: Mapping[Cell, Mapping[str, int]],
    key_persons: Iterable[KeyPersonRow],
    parties: Sequence[Party],
) -> dict[str, LedgerFigures]:
    """Add the cells up for each party; count each party's distinct key persons."""
    rows = list(key_persons)
    result: dict[str, LedgerFigures] = {}
    for party in parties:
        totals: dict[str, int] = {}
        for cell, values in cells.items():
            if party.owns(cell):
                for name, value in values.items():
                    totals[name] = totals.get(name, 0) + value
        totals["key_persons"] = len({p for u, t, p in rows if party.owns((u, t))})
        result[party.key] = LedgerFigures(**totals)
    return result


def party_figures(
    sessions: SessionFactory,
    parties: Sequence[Party],
    start: date,
    end: date,
    *,
    today: date,
    parallel: bool = True,
) -> dict[str, LedgerFigures]:
    """Every party's figures for the days start..end (clock states as of `today`); all zero for an empty period."""
    if start > end:
        return {p.key: LedgerFigures() for p in parties}
    cells, persons = ledger_cells(sessions, start, end, today=today, parallel=parallel)
    return figures_by_party(cells, persons, parties)


__all__ = ["COUNTY_PARTY", "Cell", "KeyPersonRow", "Party", "figures_by_party", "ledger_cells", "party_figures"]
