"""台账视图: each user's own views (saved, replaced, deleted, audited), shared ones beside them, bad input refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from xinfang_desktop.core.errors import NotFoundError, ValidationError
from xinfang_desktop.persistence.records import AuditEntryRecord
from xinfang_desktop.persistence.saved_views_store import delete_view, save_view, user_views
from xinfang_desktop.persistence.settings_store import set_setting

STATE = {"search": "补偿", "status": "在办（未办结）", "sort": "number", "descending": False}


def test_each_user_keeps_their_own_views(db: Any) -> None:
    assert user_views(db, user="alice") == {"user": "alice", "own": {}, "shared": {}}
    save_view(db, user="alice", name=" 东湖在办 ", state=STATE)  # the name is trimmed
    save_view(db, user="bob", name="东湖在办", state={"search": "李"})  # same name, another user
    views = save_view(db, user="alice", name="东湖在办", state={**STATE, "search": "征收"})  # replaced
    assert views["own"] == {"东湖在办": {**STATE, "search": "征收"}}
    assert user_views(db, user="bob")["own"] == {"东湖在办": {"search": "李"}}
    assert delete_view(db, user="bob", name="东湖在办")["own"] == {}
    assert user_views(db, user="alice")["own"] == {"东湖在办": {**STATE, "search": "征收"}}
    with db.read_session() as s:
        actions = s.execute(
            select(AuditEntryRecord.action).where(AuditEntryRecord.entity == "saved_view").order_by(AuditEntryRecord.id)
        ).scalars()
        assert list(actions) == ["create", "create", "update", "delete"]


def test_shared_views_are_offered_to_every_user(db: Any) -> None:
    set_setting(db, "ledger_views", {"全局": {"search": "东湖"}})
    save_view(db, user="alice", name="我的", state=STATE)
    assert user_views(db, user="alice") == {
        "user": "alice",
        "own": {"我的": STATE},
        "shared": {"全局": {"search": "东湖"}},
    }
    assert user_views(db, user="carol")["shared"] == {"全局": {"search": "东湖"}}
    with pytest.raises(NotFoundError):
        delete_view(db, user="alice", name="全局")  # a shared view is not the user's to delete


@pytest.mark.parametrize(
    ("name", "state"),
    [("", STATE), ("   ", STATE), ("长" * 41, STATE), ("好名字", ["not", "an", "object"]), ("好名字", {1: "x"})],
)
def test_bad_views_are_refused_and_nothing_is_written(db: Any, name: str, state: Any) -> None:
    before = content_hash(db)
    with pytest.raises(ValidationError) as refused:
        save_view(db, user="alice", name=name, state=state)
    assert refused.value.errors[0].field == "name"
    assert content_hash(db) == before
