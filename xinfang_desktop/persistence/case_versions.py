"""Optimistic locking of cases (issue 17, 多台工作站): the version a clerk read, and the conflict when it moved.

`cases.version` is SQLAlchemy's `version_id_col`: every UPDATE of a case row says `WHERE version = <read>` and
increments it. A write that raced another workstation fails in one of three ways, depending on the back end and on
which statement met the other transaction first — `StaleDataError` (the UPDATE found the row at another version),
an `IntegrityError` (both appended event or submission number N+1) or, on PostgreSQL, a detected deadlock. Each is
turned into `ConcurrentEditError` naming the events recorded since the read; nothing was written (the transaction
was rolled back). On SQLite every writer takes the write lock before it reads (BEGIN IMMEDIATE), so the race within
one command cannot happen there; the window's read-then-act gap can, on both back ends: the case window passes the
`CaseMark` it showed (`expected`), and a case that moved since is refused the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from xinfang_desktop.core.actions import action_label
from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.persistence.errors import ConcurrentEditError
from xinfang_desktop.persistence.records import AuditEntryRecord, CaseEventRecord, CaseRecord, UserRecord

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database


@dataclass(frozen=True)
class CaseMark:
    """What a reader saw of a case: its row version and the number of its last event."""

    version: int
    last_seq: int

    def to_json(self) -> dict[str, int]:
        return {"version": self.version, "last_seq": self.last_seq}


def last_seq(session: Session, case_id: int) -> int:
    return int(session.scalar(select(func.max(CaseEventRecord.seq)).where(CaseEventRecord.case_id == case_id)) or 0)


def mark_of(session: Session, record: CaseRecord) -> CaseMark:
    return CaseMark(int(record.version), last_seq(session, record.id))


def mark_by_number(session: Session, number: str) -> CaseMark | None:
    row = session.execute(select(CaseRecord.id, CaseRecord.version).where(CaseRecord.number == number)).first()
    if row is None:
        return None
    return CaseMark(int(row.version), last_seq(session, row.id))


def bump(record: CaseRecord) -> None:
    """Make this write move the version even when no projected column changed (an event alone, e.g. 办理进展)."""
    flag_modified(record, "status")


def _label(value: str | None) -> str | None:
    return CaseStatus(value).label if value else None


def changes_since(session: Session, case_id: int, number: str, after_seq: int) -> list[dict[str, object]]:
    """The case's events after `after_seq`, oldest first: who (name, login, workstation), when, what."""
    rows = session.execute(
        select(CaseEventRecord, UserRecord.display_name, UserRecord.login)
        .join(UserRecord, UserRecord.id == CaseEventRecord.actor_id)
        .where(CaseEventRecord.case_id == case_id, CaseEventRecord.seq > after_seq)
        .order_by(CaseEventRecord.seq)
    ).all()
    changes: list[dict[str, object]] = []
    for event, name, login in rows:
        changes.append(
            {
                "seq": event.seq,
                "action": event.action,
                "action_label": action_label(event.action),
                "date": event.occurred_on.isoformat(),
                "recorded_at": event.recorded_at.isoformat(timespec="seconds"),
                "actor": name if name == login else f"{name}（{login}）",
                "login": login,
                "workstation": _workstation(session, number, event.actor_id, event),
                "from_status": _label(event.from_status),
                "to_status": _label(event.to_status),
                "reason": event.reason,
            }
        )
    return changes


def _workstation(session: Session, number: str, actor_id: int, event: CaseEventRecord) -> str | None:
    """The workstation of the audit entry written with the event (same account, same transaction time)."""
    a = AuditEntryRecord
    same = (a.user_id == actor_id, a.at == event.recorded_at)
    found = session.scalar(select(a.workstation).where(a.entity == "case", a.entity_id == number, *same).limit(1))
    if found is None:  # a later visit (重复信访登记) is audited as `submission NUMBER/ID`
        found = session.scalar(
            select(a.workstation)
            .where(a.entity == "submission", a.entity_id > f"{number}/", a.entity_id < f"{number}0", *same)
            .limit(1)
        )
    return found


def conflict(session: Session, number: str, read: CaseMark) -> ConcurrentEditError | None:
    """The conflict when the case is no longer as `read` (None when it is unchanged, or gone)."""
    row = session.execute(select(CaseRecord.id, CaseRecord.version).where(CaseRecord.number == number)).first()
    if row is None:
        return None
    now = last_seq(session, row.id)
    if int(row.version) == read.version and now == read.last_seq:
        return None
    return ConcurrentEditError(
        number,
        changes_since(session, row.id, number, read.last_seq),
        read_version=read.version,
        current_version=int(row.version),
    )


def require_unchanged(session: Session, number: str, expected: CaseMark | None) -> None:
    """Refuse the write when the reader's `expected` mark is no longer the case's (nothing is written)."""
    if expected is None:
        return
    found = conflict(session, number, expected)
    if found is not None:
        raise found


def is_race(exc: BaseException) -> bool:
    """An error that may be the trace of another transaction writing the same rows at the same time."""
    if isinstance(exc, StaleDataError | IntegrityError):
        return True
    if isinstance(exc, DBAPIError):
        text = str(exc.orig).lower()
        return "deadlock detected" in text or "could not serialize" in text
    return False


@contextmanager
def conflicts_told(db: Database, number: str, read: list[CaseMark]) -> Iterator[None]:
    """Around a unit of work on one case: a race lost to another workstation becomes `ConcurrentEditError`.

    `read` is filled by the block with the mark it read (after loading the case). Any other error, or a race error
    while the case is in fact unchanged (a genuine constraint failure), passes unchanged.
    """
    try:
        yield
    except Exception as exc:
        if not read or not is_race(exc):
            raise
        with db.read_session() as session:
            found = conflict(session, number, read[-1])
        if found is None:
            raise
        raise found from exc


def retrying(attempts: int, body: Any) -> Any:
    """Run `body()` again when it lost a race (for idempotent work such as the daily tick); the last error stands."""
    for attempt in range(attempts):
        try:
            return body()
        except Exception as exc:
            if attempt == attempts - 1 or not is_race(exc):
                raise
    raise AssertionError("unreachable")
