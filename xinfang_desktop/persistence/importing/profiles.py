"""Named import profiles (a confirmed mapping for files of one shape), kept in the office settings."""

from __future__ import annotations

from typing import Any

from xinfang_desktop.core.errors import DomainError, NotFoundError
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.uow import unit_of_work

PROFILES_KEY = "import_profiles"
NAME_MAX = 40


def list_profiles(db: Database) -> dict[str, dict[str, Any]]:
    with unit_of_work(db) as uow:
        stored = uow.settings.get(PROFILES_KEY, {})
    return dict(stored) if isinstance(stored, dict) else {}


def get_profile(db: Database, name: str) -> dict[str, Any]:
    profiles = list_profiles(db)
    if name not in profiles:
        known = "、".join(profiles) or "无"
        raise NotFoundError(f"没有名为“{name}”的导入方案（已有：{known}）", field="profile")
    found = profiles[name]
    return dict(found) if isinstance(found, dict) else {}


def save_profile(db: Database, name: str, mapping: dict[str, Any], *, user: str | None = None) -> dict[str, Any]:
    """Save (or replace) a profile; `mapping` is an ImportMapping's JSON, checked by the caller."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError(f"导入方案名称应为1到{NAME_MAX}个字", field="name")
    with unit_of_work(db, user=user) as uow:
        stored = uow.settings.get(PROFILES_KEY, {})
        profiles = dict(stored) if isinstance(stored, dict) else {}
        replaced = name in profiles
        profiles[name] = mapping
        uow.settings.set(PROFILES_KEY, profiles)
        uow.audit.record("update" if replaced else "create", "import_profile", name[:64], {"mapping": mapping})
        uow.commit()
    return profiles


def delete_profile(db: Database, name: str, *, user: str | None = None) -> dict[str, Any]:
    with unit_of_work(db, user=user) as uow:
        stored = uow.settings.get(PROFILES_KEY, {})
        profiles = dict(stored) if isinstance(stored, dict) else {}
        if name not in profiles:
            raise NotFoundError(f"没有名为“{name}”的导入方案", field="name")
        del profiles[name]
        uow.settings.set(PROFILES_KEY, profiles)
        uow.audit.record("delete", "import_profile", name[:64])
        uow.commit()
    return profiles
