"""台账视图: each user's saved ledger views (search, filters, sort, columns), beside the office's shared ones."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.errors import FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import SavedViewRecord
from xinfang_desktop.persistence.settings_store import LEDGER_VIEW_NAME_MAX, SqlSettings, valid_view
from xinfang_desktop.persistence.uow import unit_of_work, user_id_of

SHARED_KEY = "ledger_views"  # the office's shared views: a setting, the same for every user

ViewState = dict[str, Any]


def user_views(db: Database, *, user: str) -> dict[str, Any]:
    """`{"user", "own": {name: state}, "shared": {name: state}}`, names in order; a user who never saved has none."""
    with db.read_session() as session:
        return _views(session, user)


def _views(session: Session, user: str) -> dict[str, Any]:
    own: dict[str, ViewState] = {}
    user_id = user_id_of(session, user)
    if user_id is not None:
        rows = session.execute(
            select(SavedViewRecord.name, SavedViewRecord.state)
            .where(SavedViewRecord.user_id == user_id)
            .order_by(SavedViewRecord.name)
        ).all()
        own = {name: json.loads(state) for name, state in rows}
    shared = SqlSettings(session).get(SHARED_KEY)
    shared_views = {k: v for k, v in sorted(shared.items()) if valid_view(k, v)} if isinstance(shared, dict) else {}
    return {"user": user, "own": own, "shared": shared_views}


def save_view(db: Database, *, user: str, name: str, state: ViewState) -> dict[str, Any]:
    """Store (or replace) the user's view `name`; returns the user's views. Audited."""
    name = name.strip() if isinstance(name, str) else name
    if not valid_view(name, state):
        raise ValidationError(
            [
                FieldProblem(
                    "name", "视图名称", f"不能为空、不超过{LEDGER_VIEW_NAME_MAX}字；视图内容应为筛选条件（JSON 对象）"
                )
            ]
        )
    text = json.dumps(state, ensure_ascii=False, sort_keys=True)
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        record = s.scalar(
            select(SavedViewRecord).where(SavedViewRecord.user_id == uow.user_id, SavedViewRecord.name == name)
        )
        action = "update" if record is not None else "create"
        if record is None:
            record = SavedViewRecord(user_id=uow.user_id, name=name, state=text, updated_at=uow.now)
            s.add(record)
        else:
            record.state, record.updated_at = text, uow.now
        s.flush()
        uow.audit.record(action, "saved_view", str(record.id), {"name": name, "state": state})
        uow.commit()
        return _views(s, user)


def delete_view(db: Database, *, user: str, name: str) -> dict[str, Any]:
    """Delete the user's view `name` (not a shared one); returns the user's views. Audited."""
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        record = s.scalar(
            select(SavedViewRecord).where(SavedViewRecord.user_id == uow.user_id, SavedViewRecord.name == name)
        )
        if record is None:
            raise NotFoundError(f"没有名为“{name}”的视图（{user}）", field="name")
        uow.audit.record("delete", "saved_view", str(record.id), {"name": name, "state": json.loads(record.state)})
        s.delete(record)
        uow.commit()
        return _views(s, user)
