"""The audit log of one unit of work: entries collected during the use case and written just before it commits."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from xinfang_desktop.persistence.records import AuditEntryRecord


class SqlAuditLog:
    """Audit entries of one unit of work, written together just before it commits."""

    def __init__(self, session: Session, user_id: int, workstation: str, now: datetime) -> None:
        self.session = session
        self.user_id = user_id
        self.workstation = workstation
        self.now = now
        self._pending: list[dict[str, object]] = []

    def record(self, action: str, entity: str, entity_id: str, detail: dict[str, object] | None = None) -> None:
        self._pending.append(
            {
                "at": self.now,
                "user_id": self.user_id,
                "workstation": self.workstation,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "detail": json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
            }
        )

    def flush(self) -> None:
        if self._pending:
            self.session.execute(insert(AuditEntryRecord), self._pending)
            self._pending = []
