"""Login accounts: argon2id passwords, lockout, roles and data scopes, shell sessions and the security policy.

Until the first account exists the database is in open mode (the OS login acts with every permission, as before
issue 17); the first account must be a 系统管理员. Every change is one transaction with its audit entry, the failed
and successful logins included.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from xinfang_desktop.core import password_policy as pp
from xinfang_desktop.core.access import ROLE_BY_KEY, AccessDenied, check_roles
from xinfang_desktop.core.errors import ConflictError, DomainError, NotFoundError
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import Identity
from xinfang_desktop.persistence.records import (
    LoginSessionRecord,
    SettingRecord,
    UserRecord,
    UserRoleRecord,
    UserScopeRecord,
)
from xinfang_desktop.persistence.uow import current_login, unit_of_work

POLICY_KEY = "security_policy"  # written only here (policy.manage), not through `settings set`
LOGIN_MAX = 32
_HASHER = PasswordHasher()  # RFC 9106 low-memory profile: argon2id, 64 MiB, t=3 (≈0.25 s here)


class LoginFailed(AccessDenied):
    """Wrong account or password, a locked or disabled account (CLI exit code 3)."""


@dataclass(frozen=True)
class Account:
    login: str
    display_name: str
    roles: tuple[str, ...]
    townships: tuple[str, ...]
    units: tuple[str, ...]
    disabled: bool
    locked_until: datetime | None
    must_change_password: bool
    password_changed_at: datetime | None
    created_at: datetime

    def to_json(self) -> dict[str, object]:
        return {
            "login": self.login,
            "display_name": self.display_name,
            "roles": list(self.roles),
            "role_labels": [ROLE_BY_KEY[r].label for r in self.roles if r in ROLE_BY_KEY],
            "townships": list(self.townships),
            "units": list(self.units),
            "disabled": self.disabled,
            "locked_until": self.locked_until.isoformat(sep=" ") if self.locked_until else None,
            "must_change_password": self.must_change_password,
            "password_changed_at": self.password_changed_at.isoformat(sep=" ") if self.password_changed_at else None,
            "created_at": self.created_at.isoformat(sep=" "),
        }


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def accounts_exist(session: Session) -> bool:
    """Whether login is enforced: at least one account has a password."""
    return (
        session.scalar(select(func.count()).select_from(UserRecord).where(UserRecord.password_hash.is_not(None))) != 0
    )


def login_required(db: Database) -> bool:
    with db.read_session() as session:
        return accounts_exist(session)


def load_policy(session: Session) -> pp.PasswordPolicy:
    raw = session.scalar(select(SettingRecord.value).where(SettingRecord.key == POLICY_KEY))
    return pp.PasswordPolicy.from_json(json.loads(raw) if raw else None)


def policy(db: Database) -> pp.PasswordPolicy:
    with db.read_session() as session:
        return load_policy(session)


def set_policy(db: Database, changes: dict[str, int], *, actor: Identity | None = None) -> pp.PasswordPolicy:
    with unit_of_work(db, user=actor.login if actor else None) as uow:
        old = load_policy(uow.session)
        new = old.changed(**changes)
        row = uow.session.get(SettingRecord, POLICY_KEY)
        if row is None:
            uow.session.add(SettingRecord(key=POLICY_KEY, value=json.dumps(new.to_json())))
        else:
            row.value = json.dumps(new.to_json())
        uow.audit.record("policy.set", "setting", POLICY_KEY, {"old": old.to_json(), "new": new.to_json()})
        uow.commit()
    return new


def check_login_name(login: str) -> str:
    login = login.strip()
    if not login or len(login) > LOGIN_MAX or any(c.isspace() for c in login):
        raise DomainError(f"账号名应为 1 到 {LOGIN_MAX} 个字符，不含空格", field="login")
    return login


def _user(session: Session, login: str) -> UserRecord:
    user = session.scalar(select(UserRecord).where(UserRecord.login == login))
    if user is None or user.password_hash is None:
        raise NotFoundError(f"没有账号“{login}”", field="login")
    return user


def _roles(session: Session, user_id: int) -> tuple[str, ...]:
    return tuple(session.scalars(select(UserRoleRecord.role).where(UserRoleRecord.user_id == user_id)).all())


def _scopes(session: Session, user_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows = session.execute(
        select(UserScopeRecord.kind, UserScopeRecord.value).where(UserScopeRecord.user_id == user_id)
    ).all()
    townships = tuple(sorted(v for k, v in rows if k == "township"))
    units = tuple(sorted(v for k, v in rows if k == "unit"))
    return townships, units


def _account(session: Session, user: UserRecord) -> Account:
    townships, units = _scopes(session, user.id)
    return Account(
        user.login,
        user.display_name,
        _roles(session, user.id),
        townships,
        units,
        bool(user.disabled),
        user.locked_until,
        bool(user.must_change_password),
        user.password_changed_at,
        user.created_at,
    )


def identity_of(session: Session, user: UserRecord) -> Identity:
    townships, units = _scopes(session, user.id)
    return Identity.of(user.login, user.display_name, _roles(session, user.id), townships, units)


def list_accounts(db: Database) -> list[Account]:
    with db.read_session() as session:
        users = session.scalars(
            select(UserRecord).where(UserRecord.password_hash.is_not(None)).order_by(UserRecord.login)
        ).all()
        return [_account(session, user) for user in users]


def get_account(db: Database, login: str) -> Account:
    with db.read_session() as session:
        return _account(session, _user(session, login))


def _active_holders(session: Session, role: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(UserRoleRecord)
            .join(UserRecord, UserRecord.id == UserRoleRecord.user_id)
            .where(UserRoleRecord.role == role, UserRecord.disabled.is_(False), UserRecord.password_hash.is_not(None))
        )
        or 0
    )


def _keep_an_administrator(session: Session, user: UserRecord, losing: set[str]) -> None:
    """Never leave the office without an active 系统管理员 or 安全管理员 (nobody could manage accounts or roles)."""
    for role in ("system_admin", "security_admin"):
        if role in losing and _active_holders(session, role) <= 1:
            raise ConflictError(
                f"“{user.login}”是唯一在用的{ROLE_BY_KEY[role].label}，不能停用或取消该角色；请先为另一账号分配此角色",
                field="login",
            )


@dataclass(frozen=True)
class NewAccount:
    login: str
    password: str
    display_name: str | None = None
    roles: tuple[str, ...] = ()


def create_account(
    db: Database,
    login: str,
    password: str,
    *,
    display_name: str | None = None,
    roles: list[str] | None = None,
    actor: Identity | None = None,
    must_change: bool = True,
    now: datetime | None = None,
) -> Account:
    """A new login account. In open mode the first one must be a 系统管理员; after that 系统管理员 creates accounts and
    may give only the administrator roles — business roles are the 安全管理员's to give (`set_roles`)."""
    spec = NewAccount(login, password, display_name, tuple(roles or ()))
    return create_accounts(db, [spec], actor=actor, must_change=must_change, now=now)[0]


def create_accounts(
    db: Database,
    specs: list[NewAccount],
    *,
    actor: Identity | None = None,
    must_change: bool = True,
    now: datetime | None = None,
) -> list[Account]:
    """Several accounts in one transaction (the first-run set-up: the three administrators and a first clerk)."""
    now = now or _now()
    with unit_of_work(db, user=actor.login if actor else None, now=now) as uow:
        session = uow.session
        first = not accounts_exist(session)
        pol = load_policy(session)
        seen: set[str] = set()
        for index, spec in enumerate(specs):
            login = check_login_name(spec.login)
            if login in seen:
                raise ConflictError(f"账号“{login}”重复", field="login")
            seen.add(login)
            keys = check_roles(list(spec.roles))
            if first and index == 0 and "system_admin" not in keys:
                raise DomainError("尚未设置任何登录账号：第一个账号须为系统管理员（角色 system_admin）", field="roles")
            if not first and actor is not None and not actor.open_mode:
                business = [k for k in keys if not ROLE_BY_KEY[k].admin]
                if business and not actor.may("policy.manage"):
                    raise AccessDenied(
                        "三员分立：业务角色须由安全管理员分配（xinfang user roles，或“账号与安全”中的“分配角色”）",
                        field="roles",
                    )
            pp.check_password(spec.password, pol, login=login)
            user = session.scalar(select(UserRecord).where(UserRecord.login == login))
            if user is not None and user.password_hash is not None:
                raise ConflictError(f"账号“{login}”已存在", field="login")
            if user is None:  # an author of earlier changes (an OS login) keeps its id and history
                user = UserRecord(login=login, display_name=spec.display_name or login, created_at=now)
                session.add(user)
            elif spec.display_name:
                user.display_name = spec.display_name
            user.password_hash = _HASHER.hash(spec.password)
            user.password_changed_at = now
            user.must_change_password = must_change and not first
            user.disabled = False
            user.failed_logins = 0
            session.flush()
            for key in keys:
                session.add(UserRoleRecord(user_id=user.id, role=key))
            uow.audit.record("user.add", "user", login, {"roles": keys, "display_name": user.display_name})
        uow.commit()
    return [get_account(db, spec.login.strip()) for spec in specs]


def set_roles(db: Database, login: str, roles: list[str], *, actor: Identity | None = None) -> Account:
    keys = check_roles(roles)
    with unit_of_work(db, user=actor.login if actor else None) as uow:
        user = _user(uow.session, login)
        old = set(_roles(uow.session, user.id))
        _keep_an_administrator(uow.session, user, old - set(keys))
        uow.session.execute(delete(UserRoleRecord).where(UserRoleRecord.user_id == user.id))
        for key in keys:
            uow.session.add(UserRoleRecord(user_id=user.id, role=key))
        uow.audit.record("user.roles", "user", login, {"old": sorted(old), "new": keys})
        uow.commit()
    return get_account(db, login)


def set_scope(
    db: Database, login: str, *, townships: list[str], units: list[str], actor: Identity | None = None
) -> Account:
    """Limit an account to townships (region codes) and/or responsible units; both empty: the whole county."""
    with unit_of_work(db, user=actor.login if actor else None) as uow:
        user = _user(uow.session, login)
        if any(ROLE_BY_KEY[r].admin for r in _roles(uow.session, user.id) if r in ROLE_BY_KEY):
            raise DomainError("管理员账号不查看信访数据，无需设置数据范围", field="scope")
        clean_t = sorted({_region_code(uow.session, t.strip()) for t in townships if t.strip()})
        clean_u = sorted({_unit_name(uow.session, u.strip()) for u in units if u.strip()})
        uow.session.execute(delete(UserScopeRecord).where(UserScopeRecord.user_id == user.id))
        for value in clean_t:
            uow.session.add(UserScopeRecord(user_id=user.id, kind="township", value=value))
        for value in clean_u:
            uow.session.add(UserScopeRecord(user_id=user.id, kind="unit", value=value))
        uow.audit.record("user.scope", "user", login, {"townships": clean_t, "units": clean_u})
        uow.commit()
    return get_account(db, login)


def _region_code(session: Session, text: str) -> str:
    """A scope's township: a region code of the register, or the name of one region (东湖镇 → 331221101)."""
    from xinfang_desktop.persistence.records import RegionRecord

    if session.get(RegionRecord, text) is not None:
        return text
    codes = list(session.scalars(select(RegionRecord.code).where(RegionRecord.name == text).limit(2)))
    if len(codes) == 1:
        return str(codes[0])
    if codes:
        raise DomainError(f"有多个行政区划名为“{text}”，请用区划代码指定", field="township")
    raise NotFoundError(f"未登记的乡镇（街道）或区划“{text}”：数据范围须为行政区划表中的代码或名称", field="township")


def _unit_name(session: Session, text: str) -> str:
    """A scope's unit: a unit of the register, by its name (spaces ignored)."""
    from xinfang_desktop.persistence.records import UnitRecord

    key = "".join(text.split())
    for name in session.scalars(select(UnitRecord.name)):
        if "".join(str(name).split()) == key:
            return str(name)
    raise NotFoundError(f"未登记的单位“{text}”：数据范围须为单位名录中的单位", field="unit")


def set_disabled(db: Database, login: str, disabled: bool, *, actor: Identity | None = None) -> Account:
    with unit_of_work(db, user=actor.login if actor else None) as uow:
        user = _user(uow.session, login)
        if actor is not None and actor.login == login and disabled:
            raise DomainError("不能停用自己正在使用的账号", field="login")
        if disabled:
            _keep_an_administrator(uow.session, user, set(_roles(uow.session, user.id)))
        user.disabled = disabled
        if not disabled:
            user.failed_logins = 0
            user.locked_until = None
        uow.session.execute(delete(LoginSessionRecord).where(LoginSessionRecord.user_id == user.id))
        uow.audit.record("user.disable" if disabled else "user.enable", "user", login)
        uow.commit()
    return get_account(db, login)


def set_password(
    db: Database,
    login: str,
    new_password: str,
    *,
    old_password: str | None = None,
    actor: Identity | None = None,
    now: datetime | None = None,
) -> Account:
    """Change one's own password (the old one proven) or reset another's (an administrator: changed at next login)."""
    now = now or _now()
    own = old_password is not None
    with unit_of_work(db, user=actor.login if actor else login, now=now) as uow:
        user = _user(uow.session, login)
        if own and not _verify(user, old_password or ""):
            raise LoginFailed("原口令不正确", field="password")
        pp.check_password(new_password, load_policy(uow.session), login=login)
        if _verify(user, new_password):
            raise DomainError("新口令不能与原口令相同", field="password")
        user.password_hash = _HASHER.hash(new_password)
        user.password_changed_at = now
        user.must_change_password = not own
        user.failed_logins = 0
        user.locked_until = None
        uow.session.execute(delete(LoginSessionRecord).where(LoginSessionRecord.user_id == user.id))
        uow.audit.record("user.passwd" if own else "user.reset_password", "user", login)
        uow.commit()
    return get_account(db, login)


def _verify(user: UserRecord, password: str) -> bool:
    try:
        return bool(user.password_hash) and _HASHER.verify(user.password_hash or "", password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class LoginResult:
    identity: Identity
    must_change_password: bool
    password_expired: bool


def authenticate(db: Database, login: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check a password; count failures and lock after the policy's number; every attempt is an audit entry."""
    now = now or _now()
    login = login.strip()
    with db.read_session() as session:  # a typed name that is no account must not become a user row
        known = session.scalar(select(UserRecord.id).where(UserRecord.login == login)) is not None
    with unit_of_work(db, user=login if known else current_login(), now=now) as uow:
        session = uow.session
        pol = load_policy(session)
        user = session.scalar(select(UserRecord).where(UserRecord.login == login))
        if user is None or user.password_hash is None:
            uow.audit.record("login.failed", "user", login[:64], {"reason": "unknown"})
            uow.commit()
            raise LoginFailed("账号或口令不正确", field="login")
        if user.disabled:
            uow.audit.record("login.failed", "user", login, {"reason": "disabled"})
            uow.commit()
            raise LoginFailed(f"账号“{login}”已停用，请联系系统管理员", field="login")
        if pp.locked(user.locked_until, now):
            uow.audit.record("login.failed", "user", login, {"reason": "locked"})
            uow.commit()
            until = user.locked_until.strftime("%H:%M") if user.locked_until else ""
            raise LoginFailed(f"连续登录失败次数过多，账号已锁定至 {until}", field="login")
        if not _verify(user, password):
            user.failed_logins, user.locked_until = pp.after_failure(int(user.failed_logins or 0), now, pol)
            detail: dict[str, object] = {"reason": "password"}
            if user.locked_until is not None:
                detail["locked_until"] = user.locked_until
            uow.audit.record("login.failed", "user", login, detail)
            uow.commit()
            if user.locked_until is not None:
                raise LoginFailed(
                    f"口令不正确；连续失败 {pol.max_failures} 次，账号锁定 {pol.lockout_minutes} 分钟", field="password"
                )
            left = pol.max_failures - int(user.failed_logins)
            raise LoginFailed(f"账号或口令不正确（再失败 {left} 次将锁定）", field="password")
        if _HASHER.check_needs_rehash(user.password_hash or ""):
            user.password_hash = _HASHER.hash(password)
        user.failed_logins = 0
        user.locked_until = None
        identity = identity_of(session, user)
        result = LoginResult(
            identity, bool(user.must_change_password), pp.password_expired(user.password_changed_at, now, pol)
        )
        uow.audit.record("login", "user", login)
        uow.commit()
    return result


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: Database, identity: Identity, *, now: datetime | None = None) -> tuple[str, datetime]:
    """A shell-session token for `xinfang login` (kept only as its hash) and when it expires."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with unit_of_work(db, user=identity.login, now=now) as uow:
        user = _user(uow.session, identity.login)
        expires = now + timedelta(hours=load_policy(uow.session).session_hours)
        uow.session.execute(delete(LoginSessionRecord).where(LoginSessionRecord.expires_at < now))
        uow.session.add(
            LoginSessionRecord(token_hash=_token_hash(token), user_id=user.id, created_at=now, expires_at=expires)
        )
        uow.audit.record("session.open", "user", identity.login, {"expires_at": expires})
        uow.commit()
    return token, expires


def resume_session(db: Database, token: str, *, now: datetime | None = None) -> Identity:
    now = now or _now()
    with db.read_session() as session:
        row = session.get(LoginSessionRecord, _token_hash(token))
        user = session.get(UserRecord, row.user_id) if row is not None else None
        if row is None or user is None or row.expires_at < now:
            raise LoginFailed("登录会话已过期或无效，请重新运行 xinfang login", field="session")
        if user.disabled:
            raise LoginFailed(f"账号“{user.login}”已停用", field="session")
        return identity_of(session, user)


def close_session(db: Database, token: str) -> bool:
    with unit_of_work(db) as uow:
        row = uow.session.get(LoginSessionRecord, _token_hash(token))
        if row is None:
            return False
        login = uow.session.get(UserRecord, row.user_id)
        uow.session.delete(row)
        uow.audit.record("session.close", "user", login.login if login else "")
        uow.commit()
    return True
