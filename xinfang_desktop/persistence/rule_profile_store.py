"""Rule profiles shipped under ``resources/rules/`` and the office's choice in the settings (RULES.md preamble).

Settings: key ``rule_profile`` holds the chosen profile id (default ``national``); key ``deadline_thresholds`` may hold
``{"due_soon_workdays": 3, "seriously_overdue_days": 30}``.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from xinfang_desktop.core.deadlines import DEFAULT_DUE_SOON_WORKDAYS, DEFAULT_SERIOUSLY_OVERDUE_DAYS
from xinfang_desktop.core.errors import DomainError, NotFoundError
from xinfang_desktop.core.rule_profiles import RuleProfile, profile_from_dict
from xinfang_desktop.paths import resource
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import SettingRecord

DEFAULT_PROFILE_ID = "national"
RULE_PROFILE_KEY = "rule_profile"
THRESHOLDS_KEY = "deadline_thresholds"

_lock = threading.Lock()
_cache: dict[tuple[str, int], RuleProfile] = {}


@dataclass(frozen=True)
class DeadlineThresholds:
    due_soon_workdays: int = DEFAULT_DUE_SOON_WORKDAYS
    seriously_overdue_days: int = DEFAULT_SERIOUSLY_OVERDUE_DAYS

    def to_json(self) -> dict[str, int]:
        return {"due_soon_workdays": self.due_soon_workdays, "seriously_overdue_days": self.seriously_overdue_days}


def rules_dir() -> Path:
    return resource("rules")


def _load_file(path: Path, depth: int = 0) -> RuleProfile:
    key = (str(path), path.stat().st_mtime_ns)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DomainError(f"规则配置文件 {path.name} JSON 格式错误：第 {exc.lineno} 行，{exc.msg}") from None
    base: RuleProfile | None = None
    extends = data.get("extends") if isinstance(data, dict) else None
    if isinstance(extends, str) and extends.strip():
        base_path = path.with_name(f"{extends.strip()}.json")
        if depth > 4 or not base_path.is_file() or base_path == path:
            raise DomainError(f"规则配置文件 {path.name} 所继承的“{extends}”不存在或形成循环")
        base = _load_file(base_path, depth + 1)
    elif path.stem != DEFAULT_PROFILE_ID:
        # A profile that extends nothing still takes the sections it lacks (grounds, duties, targets) from the
        # national profile: the national rules apply everywhere unless a local regulation replaces them.
        national = _load_file(path.with_name(f"{DEFAULT_PROFILE_ID}.json"), depth + 1)
        base = replace(national, rules={})
    profile = profile_from_dict(data, base if extends else None)
    if base is not None and not extends:
        profile = replace(profile, sections={**base.sections, **profile.sections})
    if profile.id != path.stem:
        raise DomainError(f"规则配置文件 {path.name} 的编号“{profile.id}”与文件名不一致")
    with _lock:
        _cache[key] = profile
    return profile


def list_profiles() -> list[RuleProfile]:
    """All shipped profiles, the national one first."""
    profiles = [_load_file(p) for p in sorted(rules_dir().glob("*.json"))]
    return sorted(profiles, key=lambda p: (p.id != DEFAULT_PROFILE_ID, p.id))


def load_profile(profile_id: str) -> RuleProfile:
    """A profile by id; an unknown id is a NotFoundError naming the choices."""
    pid = profile_id.strip()
    path = rules_dir() / f"{pid}.json"
    if not pid or "/" in pid or "\\" in pid or pid.startswith(".") or not path.is_file():
        choices = "、".join(f"{p.id}（{p.name}）" for p in list_profiles())
        raise NotFoundError(f"未知的规则配置“{profile_id}”，可选：{choices}", field="profile")
    return _load_file(path)


def _setting(db: Database, key: str) -> Any:
    with db.read_session() as session:
        rec = session.get(SettingRecord, key)
        if rec is None:
            return None
        try:
            return json.loads(rec.value)
        except json.JSONDecodeError:
            return rec.value


def selected_profile_id(db: Database | None) -> str:
    """The profile the office chose in its settings (default: national)."""
    if db is None:
        return DEFAULT_PROFILE_ID
    value = _setting(db, RULE_PROFILE_KEY)
    return value.strip() if isinstance(value, str) and value.strip() else DEFAULT_PROFILE_ID


def selected_profile(db: Database | None, override: str | None = None) -> RuleProfile:
    """`override` (e.g. --profile) if given, else the office's choice."""
    return load_profile(override if override else selected_profile_id(db))


def deadline_thresholds(db: Database | None) -> DeadlineThresholds:
    """The configurable 临期 / 严重超期 thresholds; missing or invalid values fall back to the defaults."""
    value = _setting(db, THRESHOLDS_KEY) if db is not None else None
    if not isinstance(value, dict):
        return DeadlineThresholds()

    def pick(key: str, default: int, minimum: int) -> int:
        v = value.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) and v >= minimum else default

    return DeadlineThresholds(
        pick("due_soon_workdays", DEFAULT_DUE_SOON_WORKDAYS, 0),
        pick("seriously_overdue_days", DEFAULT_SERIOUSLY_OVERDUE_DAYS, 1),
    )
