"""The login policy (口令复杂度、更换周期、登录失败处理、超时锁定): numbers owned by the 安全管理员, checks pure.

Defaults are the common 等保 2.0 测评 practice (reliability.md §1.2): at least 8 characters from 3 of the 4 classes,
changed every 90 days, 5 failed attempts lock the account for 15 minutes, the window locks after 15 idle minutes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from xinfang_desktop.core.errors import DomainError

LIMITS: dict[str, tuple[int, int, str]] = {
    "min_length": (8, 64, "口令最短长度"),
    "min_classes": (2, 4, "口令至少包含的字符种类数（大写、小写、数字、符号）"),
    "max_age_days": (0, 365, "口令有效天数（0 为不过期）"),
    "max_failures": (3, 10, "连续登录失败锁定次数"),
    "lockout_minutes": (5, 1440, "锁定时长（分钟）"),
    "idle_lock_minutes": (1, 60, "无操作自动锁屏（分钟）"),
    "session_hours": (1, 24, "命令行登录会话有效时长（小时）"),
}


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    min_classes: int = 3
    max_age_days: int = 90
    max_failures: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 15
    session_hours: int = 8

    def to_json(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: object) -> PasswordPolicy:
        """The stored policy; unknown or out-of-range values fall back to the defaults (never a weaker lock)."""
        if not isinstance(value, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        kept: dict[str, Any] = {}
        for key, number in value.items():
            low, high, _label = LIMITS.get(key, (0, 0, ""))
            if key in known and isinstance(number, int) and not isinstance(number, bool) and low <= number <= high:
                kept[key] = number
        return cls(**kept)

    def changed(self, **values: int) -> PasswordPolicy:
        """A copy with these values, each checked against its range (DomainError names the first one out)."""
        current = self.to_json()
        for key, number in values.items():
            if key not in LIMITS:
                raise DomainError(f"没有策略项“{key}”，可选：{'、'.join(LIMITS)}", field=key)
            low, high, label = LIMITS[key]
            if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
                raise DomainError(f"{label}应在 {low} 到 {high} 之间", field=key)
            current[key] = number
        return PasswordPolicy(**current)


def character_classes(password: str) -> int:
    """How many of 大写字母, 小写字母, 数字, 符号 the password uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def check_password(password: str, policy: PasswordPolicy, *, login: str = "") -> None:
    """Refuse a password the policy does not allow, saying what is missing."""
    problems: list[str] = []
    if len(password) < policy.min_length:
        problems.append(f"至少 {policy.min_length} 位")
    if character_classes(password) < policy.min_classes:
        problems.append(f"至少包含大写字母、小写字母、数字、符号中的 {policy.min_classes} 种")
    if login and login.lower() in password.lower():
        problems.append("不能包含账号名")
    if password != password.strip() or any(c in password for c in "\r\n\t"):
        problems.append("首尾不能有空格或制表符")
    if problems:
        raise DomainError("口令不符合安全策略：" + "，".join(problems), field="password")


def password_expired(changed_at: datetime | None, now: datetime, policy: PasswordPolicy) -> bool:
    if policy.max_age_days == 0 or changed_at is None:
        return False
    return now - changed_at > timedelta(days=policy.max_age_days)


def locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def after_failure(failures: int, now: datetime, policy: PasswordPolicy) -> tuple[int, datetime | None]:
    """The failure count and lock-until after one more failed attempt."""
    failures += 1
    if failures >= policy.max_failures:
        return 0, now + timedelta(minutes=policy.lockout_minutes)
    return failures, None
