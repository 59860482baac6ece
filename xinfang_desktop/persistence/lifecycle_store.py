"""The lifecycle on stored cases: fold the events, ask the state machine, append its events, update projections.

The events are the truth (append-only, R-LC-04); `cases.status`, `due_on`, `awaiting`, `tick_due_on`,
`case_deadlines` and `supervision_orders` are projections rewritten from the state after every action and every tick.
`tick_due_on` (core.lifecycle_tick.next_due) lets the daily tick read only the cases whose day has come (issue 19);
`tick_all(full=True)` replays every case with a running clock or an open order instead, and repairs the column.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.access import case_step_action
from xinfang_desktop.core.cases import EventData
from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.core.errors import DomainError, NotFoundError
from xinfang_desktop.core.lifecycle import (
    ActionRequest,
    Clock,
    Decision,
    allowed_actions,
    cli_name,
    clocks,
    current_due,
    decide,
)
from xinfang_desktop.core.lifecycle_state import CaseFacts, CaseState, fold
from xinfang_desktop.core.lifecycle_tick import in_replay, next_due, tick
from xinfang_desktop.core.rule_profiles import RuleProfile
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.case_versions import (
    CaseMark,
    bump,
    conflicts_told,
    mark_of,
    require_unchanged,
    retrying,
)
from xinfang_desktop.persistence.data_scope import require_case_in_scope
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import require
from xinfang_desktop.persistence.records import (
    AccusedUnitRecord,
    CaseDeadlineRecord,
    CaseEventRecord,
    CaseRecord,
    SupervisionOrderRecord,
    UnitRecord,
)
from xinfang_desktop.persistence.rule_profile_store import selected_profile
from xinfang_desktop.persistence.units import accused_scope_of
from xinfang_desktop.persistence.uow import SqlUnitOfWork, unit_of_work


def stored_events(session: Session, case_id: int) -> list[EventData]:
    rows = session.scalars(
        select(CaseEventRecord).where(CaseEventRecord.case_id == case_id).order_by(CaseEventRecord.seq)
    ).all()
    return [
        _event_data(r.action, r.occurred_on, r.from_status, r.to_status, r.reason, r.details, r.document) for r in rows
    ]


def _event_data(
    action: str,
    occurred_on: date,
    from_status: str | None,
    to_status: str | None,
    reason: str | None,
    details: str | None,
    document: str | None,
) -> EventData:
    return EventData(
        action=action,
        occurred_on=occurred_on,
        from_status=CaseStatus(from_status) if from_status else None,
        to_status=CaseStatus(to_status) if to_status else None,
        reason=reason,
        details=json.loads(details) if details else {},
        document=document,
    )


def _load_many(session: Session, records: list[CaseRecord]) -> list[LoadedCase]:
    """`_load` for a batch of cases in two queries (events and accused units), in the order given."""
    ids = [r.id for r in records]
    events: dict[int, list[EventData]] = {i: [] for i in ids}
    e = CaseEventRecord
    for row in session.execute(
        select(e.case_id, e.action, e.occurred_on, e.from_status, e.to_status, e.reason, e.details, e.document)
        .where(e.case_id.in_(ids))
        .order_by(e.case_id, e.seq)
    ):
        events[row[0]].append(_event_data(*row[1:]))
    accused: dict[int, set[str]] = {i: set() for i in ids}
    for case_id, name in session.execute(
        select(AccusedUnitRecord.case_id, AccusedUnitRecord.name).where(AccusedUnitRecord.case_id.in_(ids))
    ):
        accused[case_id].add(name)
    loaded = []
    for record in records:
        facts = CaseFacts(
            number=record.number,
            received_on=record.received_on,
            first_submission=record.is_first_submission,
            accused_units=frozenset(accused[record.id]),
        )
        loaded.append(LoadedCase(record, facts, fold(facts, events[record.id])))
    return loaded


@dataclass
class LoadedCase:
    record: CaseRecord
    facts: CaseFacts
    state: CaseState


def load_case(session: Session, number: str) -> LoadedCase:
    record = session.scalar(select(CaseRecord).where(CaseRecord.number == number))
    if record is None:
        raise NotFoundError(f"未找到信访事项 {number}", field="number")
    return _load(session, record)


def _load(session: Session, record: CaseRecord) -> LoadedCase:
    facts = CaseFacts(
        number=record.number,
        received_on=record.received_on,
        first_submission=record.is_first_submission,
        accused_units=accused_scope_of(session, record.id),  # with every unit under them (R-LC-07)
    )
    return LoadedCase(record, facts, fold(facts, stored_events(session, record.id)))


def _unit_id(session: Session, name: str | None) -> int | None:
    if not name:
        return None
    return session.scalar(select(UnitRecord.id).where(UnitRecord.name == name))


def _lead_unit(state: CaseState) -> str | None:
    for attr in ("lead_unit", "assigned_unit", "forwarded_unit"):
        value = getattr(state, attr, None)
        if value:
            return str(value)
    return None


def apply_decision(
    uow: SqlUnitOfWork,
    loaded: LoadedCase,
    decision: Decision,
    *,
    today: date,
    profile: RuleProfile,
    calendar: WorkdayCalendar,
) -> list[dict[str, Any]]:
    """Append the decision's events and rewrite the case's projections; returns the clocks as JSON."""
    session = uow.session
    case = loaded.record
    for event in decision.events:
        uow.cases.add_event(case.id, event, uow.user_id)
    running = clocks(decision.state, loaded.facts, profile=profile, calendar=calendar, today=today)
    session.execute(delete(CaseDeadlineRecord).where(CaseDeadlineRecord.case_id == case.id))
    rows = _deadline_rows(case.id, running)
    if rows:
        session.execute(insert(CaseDeadlineRecord), rows)
    _project_case(uow, loaded, decision, running, today=today, calendar=calendar, profile=profile, after=None)
    _project_supervision(session, case.id, decision.state, today, _stored_orders(session, [case.id]).get(case.id, {}))
    session.flush()
    return [{**c.deadline.to_json(), "met_on": c.met_on.isoformat() if c.met_on else None} for c in running]


def _deadline_rows(case_id: int, running: list[Clock]) -> list[dict[str, Any]]:
    return [
        {
            "case_id": case_id,
            "rule_id": c.deadline.rule_id,
            "start_event": c.deadline.start_event,
            "start_on": c.deadline.start_on,
            "due_on": c.deadline.due_on,
            "provisional": c.deadline.provisional,
            "explanation": c.deadline.explanation,
            "met_on": c.met_on,
            "is_window": c.is_window,
        }
        for c in running
    ]


def _project_case(
    uow: SqlUnitOfWork,
    loaded: LoadedCase,
    decision: Decision,
    running: list[Clock],
    *,
    today: date,
    calendar: WorkdayCalendar,
    profile: RuleProfile,
    after: date | None,
    units: dict[str, int | None] | None = None,
) -> None:
    """The case's own projections: status, due date, awaiting, `tick_due_on` (issue 19), handler, lead unit."""
    case = loaded.record
    case.status = decision.state.status.value
    bump(case)  # issue 17: every lifecycle write moves the version, so a reader's mark sees it (optimistic locking)
    case.due_on = current_due(running)  # windows (复查/复核 requests, objections) never make a case due
    case.awaiting = decision.state.awaiting
    case.tick_due_on = next_due(decision.state, loaded.facts, calendar=calendar, profile=profile, after=after)
    if decision.state.is_final:
        case.handler_id = None  # a final case leaves every handler's queue (the events keep who did what)
    elif decision.events:
        case.handler_id = uow.user_id
    name = _lead_unit(decision.state)
    if units is None:
        lead = _unit_id(uow.session, name)
    else:
        if name and name not in units:
            units[name] = _unit_id(uow.session, name)
        lead = units.get(name) if name else None
    if lead is not None:
        case.responsible_unit_id = lead


def _stored_orders(session: Session, case_ids: list[int]) -> dict[int, dict[str, SupervisionOrderRecord]]:
    stored: dict[int, dict[str, SupervisionOrderRecord]] = {}
    for r in session.scalars(select(SupervisionOrderRecord).where(SupervisionOrderRecord.case_id.in_(case_ids))):
        stored.setdefault(r.case_id, {})[r.trigger] = r
    return stored


def _apply_ticks(
    uow: SqlUnitOfWork,
    items: list[tuple[LoadedCase, Decision]],
    *,
    today: date,
    profile: RuleProfile,
    calendar: WorkdayCalendar,
) -> None:
    """`apply_decision` for the tick's decisions of a batch of cases, in a few statements (issue 19): the same rows."""
    if not items:
        return
    session = uow.session
    ids = [loaded.record.id for loaded, _ in items]
    e = CaseEventRecord
    seq_rows = session.execute(select(e.case_id, func.max(e.seq)).where(e.case_id.in_(ids)).group_by(e.case_id))
    last_seq: dict[int, int] = {case_id: seq for case_id, seq in seq_rows}
    events: list[dict[str, object]] = []
    deadlines: list[dict[str, Any]] = []
    stored = _stored_orders(session, ids)
    units: dict[str, int | None] = {}
    for loaded, decision in items:
        case_id = loaded.record.id
        seq = int(last_seq.get(case_id) or 0)
        for event in decision.events:
            seq += 1
            events.append(uow.cases.event_row(case_id, seq, event, uow.user_id))
        running = clocks(decision.state, loaded.facts, profile=profile, calendar=calendar, today=today)
        deadlines += _deadline_rows(case_id, running)
        _project_case(
            uow, loaded, decision, running, today=today, calendar=calendar, profile=profile, after=today, units=units
        )
        _project_supervision(session, case_id, decision.state, today, stored.get(case_id, {}))
    session.execute(insert(CaseEventRecord), events)
    session.execute(delete(CaseDeadlineRecord).where(CaseDeadlineRecord.case_id.in_(ids)))
    if deadlines:
        session.execute(insert(CaseDeadlineRecord), deadlines)
    session.flush()


def _project_supervision(
    session: Session, case_id: int, state: CaseState, today: date, stored: dict[str, SupervisionOrderRecord]
) -> None:
    """Open orders as the state says; an order that is no longer open is closed today (`stored`: the case's rows)."""
    open_orders = {o.trigger: o for o in state.supervision_orders}
    for trigger, order in open_orders.items():
        record = stored.get(trigger)
        if record is None:
            session.add(
                SupervisionOrderRecord(
                    case_id=case_id,
                    trigger=trigger,
                    reason=order.reason,
                    issued_on=order.issued_on,
                    due_on=order.due_on,
                    closed_on=None,
                    reminders=getattr(order, "reminders", 0),
                )
            )
        else:
            record.due_on = order.due_on
            record.closed_on = None
            record.reminders = getattr(order, "reminders", record.reminders)
    for trigger, record in stored.items():
        if trigger not in open_orders and record.closed_on is None:
            record.closed_on = today


@dataclass
class ActOutcome:
    number: str
    status: CaseStatus
    events: list[dict[str, Any]]
    document: str | None
    clocks: list[dict[str, Any]]
    allowed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "status": self.status.label,
            "status_code": self.status.value,
            "events": self.events,
            "document": self.document,
            "deadlines": self.clocks,
            "allowed_actions": self.allowed,
        }


def _event_json(e: EventData) -> dict[str, Any]:
    return {
        "action": e.action,
        "date": e.occurred_on.isoformat(),
        "from_status": e.from_status.label if e.from_status else None,
        "to_status": e.to_status.label if e.to_status else None,
        "reason": e.reason,
        "details": e.details,
        "document": e.document,
    }


#: The audit entity of a refused attempt to send accusation material to the accused unit: the refusal writes nothing
#: to the case, but the attempt itself is a candidate accountability ground (条例 art 46(五), S1 art 11(8)), found by
#: persistence/accountability/detection.py.
ACCUSED_ATTEMPT_ENTITY = "accused_forward_attempt"


def _record_accused_attempt(
    db: Database, number: str, request: ActionRequest, *, today: date, user: str | None
) -> None:
    """Audit the refused attempt (R-LC-07) in its own transaction; the case itself stays unchanged."""
    with unit_of_work(db, user=user) as uow:
        detail: dict[str, object] = {
            "action": request.action.value,
            "unit": request.unit,
            "units": list(request.units),
            "date": today,
        }
        uow.audit.record("refused", ACCUSED_ATTEMPT_ENTITY, number, detail)
        uow.commit()


def act(
    db: Database,
    number: str,
    request: ActionRequest,
    *,
    today: date,
    user: str | None = None,
    expected: CaseMark | None = None,
) -> ActOutcome:
    """One action on one case, in one transaction: validated by the state machine, or refused with nothing written.

    `expected`: the case as the caller showed it (the case window); a case changed since is refused with
    `ConcurrentEditError` (issue 17), as is the loser of a race with another workstation writing the same case.
    """
    require(case_step_action(request.action.value))  # 督办 needs case.supervise, 复查意见 case.decide (issue 17)
    calendar = load_calendar(db)
    profile = selected_profile(db)
    try:
        return _act(db, number, request, today=today, user=user, calendar=calendar, profile=profile, expected=expected)
    except DomainError as exc:
        if exc.details.get("rule") == "R-LC-07":
            # After the refused transaction has ended: a second writer inside it would wait on its own lock.
            _record_accused_attempt(db, number, request, today=today, user=user)
        raise


def _act(
    db: Database,
    number: str,
    request: ActionRequest,
    *,
    today: date,
    user: str | None,
    calendar: WorkdayCalendar,
    profile: RuleProfile,
    expected: CaseMark | None = None,
) -> ActOutcome:
    read: list[CaseMark] = []
    with conflicts_told(db, number, read), unit_of_work(db, user=user) as uow:
        loaded = load_case(uow.session, number)
        require_case_in_scope(uow.session, loaded.record.id, number)  # issue 17: another township's case is not there
        read.append(mark_of(uow.session, loaded.record))
        require_unchanged(uow.session, number, expected)
        for name in (request.unit, *request.units):
            if name and _unit_id(uow.session, name) is None:
                raise NotFoundError(f"未登记的单位“{name}”（先用 xinfang unit add 登记）", field="unit")
        decision = decide(loaded.state, loaded.facts, request, today=today, calendar=calendar, profile=profile)
        deadlines = apply_decision(uow, loaded, decision, today=today, profile=profile, calendar=calendar)
        uow.audit.record("act", "case", number, {"action": request.action.value, "status": decision.state.status.value})
        uow.commit()
    return ActOutcome(
        number,
        decision.state.status,
        [_event_json(e) for e in decision.events],
        decision.document,
        deadlines,
        [cli_name(a) for a in allowed_actions(decision.state)],
    )


def tick_all(
    db: Database,
    *,
    today: date,
    user: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """Apply the time-driven changes to every case whose day has come (`cases.tick_due_on <= today`, issue 19).

    `full`: replay instead every case with a running clock or an open supervision order, as before issue 19 (the
    verification mode, `xinfang tick --full`); it also rewrites `tick_due_on` where it differs. Both give the same
    changes. Idempotent: a second run on the same day finds nothing to do. Works in batches, one transaction each.
    """
    calendar = load_calendar(db)
    profile = selected_profile(db)
    with db.read_session() as s:
        due = CaseRecord.tick_due_on
        found = set(s.scalars(select(CaseRecord.id).where(due.is_not(None), due <= today)))
        if full:  # and the due ones, whose column the replay refreshes (e.g. after a visit to an issued case)
            with_clocks = select(CaseDeadlineRecord.case_id).where(CaseDeadlineRecord.met_on.is_(None))
            with_orders = select(SupervisionOrderRecord.case_id).where(SupervisionOrderRecord.closed_on.is_(None))
            found |= set(s.scalars(with_clocks)) | set(s.scalars(with_orders))
        ids = sorted(found)
    changed: list[dict[str, Any]] = []
    batch = 2000

    def run_batch(batch_ids: list[int]) -> list[dict[str, Any]]:
        batch_changed: list[dict[str, Any]] = []
        with unit_of_work(db, user=user) as uow:
            records = list(uow.session.scalars(select(CaseRecord).where(CaseRecord.id.in_(batch_ids))))
            records.sort(key=lambda r: r.id)
            decided: list[tuple[LoadedCase, Decision]] = []
            for loaded in _load_many(uow.session, records):
                record = loaded.record
                due_on = next_due(loaded.state, loaded.facts, calendar=calendar, profile=profile)
                decision = None
                if (full and in_replay(loaded.state, profile)) or (due_on is not None and due_on <= today):
                    decision = tick(loaded.state, loaded.facts, today=today, calendar=calendar, profile=profile)
                if decision is None or not decision.events:
                    # Nothing due after all (an early date from the backfill or a visit, an open hearing): the day.
                    due_on = next_due(loaded.state, loaded.facts, calendar=calendar, profile=profile, after=today)
                    if due_on != record.tick_due_on:
                        record.tick_due_on = due_on
                    continue
                decided.append((loaded, decision))
                uow.audit.record("tick", "case", record.number, {"status": decision.state.status.value})
                batch_changed.append(
                    {
                        "number": record.number,
                        "status": decision.state.status.label,
                        "events": [_event_json(e) for e in decision.events],
                    }
                )
            _apply_ticks(uow, decided, today=today, profile=profile, calendar=calendar)
            uow.commit()
        return batch_changed

    for start in range(0, len(ids), batch):
        batch_ids = ids[start : start + batch]
        # Issue 17: several workstations tick the same day at once on PostgreSQL; a batch that lost the race to
        # another one (or to a clerk's action on one of its cases) is read again and ticked again (idempotent).
        changed += retrying(3, lambda batch_ids=batch_ids: run_batch(batch_ids))
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    return {
        "today": today.isoformat(),
        "mode": "full" if full else "due",
        "examined": len(ids),
        "changed": len(changed),
        "cases": changed,
    }
