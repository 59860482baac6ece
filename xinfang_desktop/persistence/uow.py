"""The SQL unit of work: one write transaction with the repositories, the audit log and the acting user."""

from __future__ import annotations

import getpass
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from xinfang_desktop.persistence.audit_log import SqlAuditLog
from xinfang_desktop.persistence.case_repository import SqlCaseRepository
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import acting_login
from xinfang_desktop.persistence.records import UserRecord
from xinfang_desktop.persistence.settings_store import SqlSettings


def current_login() -> str:
    try:
        return getpass.getuser() or "user"
    except Exception:  # no login name on some service accounts
        return "user"


def workstation_name() -> str:
    return socket.gethostname() or "unknown"


def ensure_user(session: Session, login: str, now: datetime) -> int:
    """The id of the user with this login, created on first use (logins and roles come later)."""
    user_id = session.scalar(select(UserRecord.id).where(UserRecord.login == login))
    if user_id is not None:
        return int(user_id)
    # Two workstations may create the same user at once: the loser of the race just reads the row.
    session.execute(
        text(
            "INSERT INTO users (login, display_name, created_at) VALUES (:login, :login, :now) "
            "ON CONFLICT (login) DO NOTHING"
        ),
        {"login": login, "now": now},
    )
    return int(session.scalar(select(UserRecord.id).where(UserRecord.login == login)) or 0)


def user_id_of(session: Session, login: str) -> int | None:
    """The id of a user by login, or None when that user has never written anything."""
    return session.scalar(select(UserRecord.id).where(UserRecord.login == login))


class SqlUnitOfWork:
    """Rolled back unless `commit()` is called; services call it once at the end of a use case."""

    def __init__(self, session: Session, *, user: str, workstation: str, now: datetime) -> None:
        self.session = session
        self.now = now
        self.user_id = ensure_user(session, user, now)
        self.cases = SqlCaseRepository(session, now)
        self.settings = SqlSettings(session)
        self.audit = SqlAuditLog(session, self.user_id, workstation, now)
        self.committed = False

    def commit(self) -> None:
        self.audit.flush()
        self.session.commit()
        self.committed = True


@contextmanager
def unit_of_work(
    db: Database, *, user: str | None = None, workstation: str | None = None, now: datetime | None = None
) -> Iterator[SqlUnitOfWork]:
    session = db.new_session(write=True)
    try:
        yield SqlUnitOfWork(
            session,
            user=user or acting_login() or current_login(),
            workstation=workstation or workstation_name(),
            now=now or datetime.now().replace(microsecond=0),
        )
    finally:
        session.rollback()
        session.close()
