"""Reads of 上报数据包: the county's change clock and case pages (Core selects, no ORM objects), the city's figures."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select, union
from sqlalchemy.orm import Session

from xinfang_desktop.persistence.data_scope import acting_scope_clause
from xinfang_desktop.persistence.records import (
    CaseEventRecord,
    CasePetitionerRecord,
    CaseRecord,
    PetitionerRecord,
    UnitRecord,
)
from xinfang_desktop.persistence.records_exchange import (
    ExchangeCaseRecord,
    ExchangeReceivedRecord,
    ExchangeReportRecord,
    ExchangeSenderRecord,
    ExchangeSentRecord,
)

PAGE = 2000

#: The case columns a package carries, in this order (see `case_rows`).
CASE_COLUMNS = (
    "id",
    "number",
    "received_on",
    "registered_at",
    "channel",
    "purpose",
    "status",
    "category_code",
    "locality_code",
    "responsible_unit",
    "headcount",
    "batches",
    "person_visits",
    "last_received_on",
    "due_on",
    "is_collective",
    "is_repeat",
    "is_level_skipping",
    "is_first_submission",
    "is_backlog",
    "is_accusation",
    "summary",
    "registrar_id",
    "petitioner",
    "address",
    "phone",
)
EVENT_COLUMNS = ("seq", "action", "occurred_on", "recorded_at", "from_status", "to_status", "reason", "document")


@dataclass(frozen=True)
class SentMark:
    """The last package sent to a receiver: its number, the last received date it covered, its change clock."""

    seq: int
    range_to: date
    watermark: int


def last_sent(session: Session, receiver: str) -> SentMark | None:
    s = ExchangeSentRecord
    row = session.execute(
        select(s.seq, s.range_to, s.event_watermark).where(s.receiver == receiver).order_by(s.seq.desc()).limit(1)
    ).first()
    return None if row is None else SentMark(int(row[0]), row[1], int(row[2]))


def next_seq(session: Session) -> int:
    return int(session.scalar(select(func.max(ExchangeSentRecord.seq))) or 0) + 1


def event_clock(session: Session) -> int:
    """The newest case event id: every change of a case is an event (R-LC-04), so this is the change clock."""
    return int(session.scalar(select(func.max(CaseEventRecord.id))) or 0)


def package_case_ids(session: Session, start: date, end: date, changed_after: int | None) -> list[int]:
    """Ids of the cases received in [start, end], and of those received up to `end` with an event after
    `changed_after` (none when None), ascending."""
    c = CaseRecord
    scope = acting_scope_clause()  # issue 17: a township's clerk sends the township's cases only
    within = [] if scope is None else [scope]
    in_range = select(c.id).where(c.received_on >= start, c.received_on <= end, *within)
    if changed_after is None:
        stmt: Any = in_range.order_by(c.id)
    else:
        changed = select(CaseEventRecord.case_id).where(CaseEventRecord.id > changed_after)
        stmt = union(in_range, select(c.id).where(c.received_on <= end, c.id.in_(changed), *within)).order_by("id")
    return [int(i) for i in session.scalars(stmt)]


def case_rows(session: Session, ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """The CASE_COLUMNS of these cases (one page), principal petitioner joined."""
    c, p, cp, u = CaseRecord, PetitionerRecord, CasePetitionerRecord, UnitRecord
    stmt = (
        select(
            c.id,
            c.number,
            c.received_on,
            c.registered_at,
            c.channel,
            c.purpose,
            c.status,
            c.category_code,
            c.locality_code,
            u.name,
            c.headcount,
            c.batches,
            c.person_visits,
            c.last_received_on,
            c.due_on,
            c.is_collective,
            c.is_repeat,
            c.is_level_skipping,
            c.is_first_submission,
            c.is_backlog,
            c.is_accusation,
            c.summary,
            c.registrar_id,
            p.name,
            p.address,
            p.phone,
        )
        .select_from(c)
        .outerjoin(u, u.id == c.responsible_unit_id)
        .outerjoin(cp, and_(cp.case_id == c.id, cp.role == "principal"))
        .outerjoin(p, p.id == cp.petitioner_id)
        .where(c.id.in_(list(ids)))
        .order_by(c.id)
    )
    return [tuple(r) for r in session.execute(stmt)]


def event_rows(session: Session, ids: Sequence[int]) -> dict[int, list[tuple[Any, ...]]]:
    """The events of these cases in order (EVENT_COLUMNS), by case id."""
    e = CaseEventRecord
    stmt = (
        select(
            e.case_id, e.seq, e.action, e.occurred_on, e.recorded_at, e.from_status, e.to_status, e.reason, e.document
        )
        .where(e.case_id.in_(list(ids)))
        .order_by(e.case_id, e.seq)
    )
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in session.execute(stmt):
        out.setdefault(int(row[0]), []).append(tuple(row[1:]))
    return out


def pages(ids: Sequence[int], size: int = PAGE) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


# ------------------------------------------------------------------------------------------------ the city's side


@dataclass(frozen=True)
class Sender:
    id: int
    office: str
    region_code: str
    public_key: str
    fingerprint: str


def senders(session: Session) -> list[Sender]:
    s = ExchangeSenderRecord
    rows = session.execute(select(s.id, s.office, s.region_code, s.public_key, s.fingerprint).order_by(s.office, s.id))
    return [Sender(int(i), str(o), str(r), str(k), str(f)) for i, o, r, k, f in rows]


def sender_by_fingerprint(session: Session, fingerprint: str) -> Sender | None:
    return next((s for s in senders(session) if s.fingerprint == fingerprint), None)


def received_digest(session: Session, sender_id: int, seq: int) -> str | None:
    r = ExchangeReceivedRecord
    return session.scalar(select(r.digest).where(r.sender_id == sender_id, r.seq == seq))


def newest_received_seq(session: Session, sender_id: int) -> int:
    r = ExchangeReceivedRecord
    return int(session.scalar(select(func.max(r.seq)).where(r.sender_id == sender_id, r.stale.is_(False))) or 0)


@dataclass(frozen=True)
class ReceivedReport:
    office: str
    region_code: str
    package_seq: int
    caliber: str
    data: str


def received_reports(session: Session, period: str) -> list[ReceivedReport]:
    """Every sender's figures for the period (the newest package of each), by office name."""
    s, r = ExchangeSenderRecord, ExchangeReportRecord
    rows = session.execute(
        select(s.office, s.region_code, r.package_seq, r.caliber, r.data)
        .join(s, s.id == r.sender_id)
        .where(r.period == period)
        .order_by(s.office, s.id)
    )
    return [ReceivedReport(str(o), str(g), int(q), str(c), str(d)) for o, g, q, c, d in rows]


def received_case_counts(session: Session) -> dict[int, int]:
    c = ExchangeCaseRecord
    return {int(k): int(n) for k, n in session.execute(select(c.sender_id, func.count()).group_by(c.sender_id))}


def existing_cases(session: Session, sender_id: int, numbers: Sequence[str]) -> dict[str, tuple[int, str]]:
    """number → (package_seq, data) of the sender's cases already stored among `numbers`."""
    c = ExchangeCaseRecord
    rows = session.execute(
        select(c.number, c.package_seq, c.data).where(c.sender_id == sender_id, c.number.in_(list(numbers)))
    )
    return {str(n): (int(q), str(d)) for n, q, d in rows}
