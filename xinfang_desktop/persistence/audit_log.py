"""The audit log: one unit of work's entries, chained and written before it commits; listing them; their retention."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.persistence.audit_chain import append_entries, normalise_at
from xinfang_desktop.persistence.records import AuditEntryRecord, UserRecord

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database


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
                "at": normalise_at(self.now),
                "user_id": self.user_id,
                "workstation": self.workstation,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "detail": json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
            }
        )

    def flush(self) -> None:
        """Append the pending entries to the HMAC chain (ids, MACs, the day's anchor) in this transaction."""
        if self._pending:
            append_entries(self.session, self._pending)
            self._pending = []


# -- reading the log ----------------------------------------------------------------------------------------------

#: Chinese names of the recorded actions and objects (the GUI's pickers and table; unknown ones shown as stored).
ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "act": "办理",
    "tick": "期限推进",
    "import": "导入",
    "replace": "替换导入",
    "issue": "出具",
    "receipt": "签收",
    "notify": "通知",
    "close": "结束",
    "resolve": "化解",
    "classify": "认定",
    "record": "登记",
    "plan": "安排",
    "detect": "自动发现",
    "dismiss": "排除",
    "rectified": "整改完成",
    "urge": "督促",
    "report": "报告",
    "refused": "拒绝（被反映单位）",
    "adopt": "接收旧存档",
    "reveal": "查看完整个人信息",
    "personal.reveal": "查看完整个人信息",
    "login": "登录",
    "logout": "退出登录",
    "login_failed": "登录失败",
    "login.failed": "登录失败",
    "session.open": "开启命令行会话",
    "session.close": "结束命令行会话",
    "policy.set": "修改安全策略",
    "user.add": "新建账号",
    "user.roles": "修改角色",
    "user.scope": "修改数据范围",
    "user.disable": "停用账号",
    "user.enable": "启用账号",
    "user.passwd": "修改口令",
    "user.reset_password": "重置口令",
    "restore": "恢复备份",
    "key_new": "启用新审计密钥",
}
ENTITY_LABELS = {
    "case": "信访事项",
    "submission": "信访件次",
    "setting": "设置",
    "unit": "单位",
    "document": "文书",
    "attachment": "附件",
    "backup": "备份",
    "warning_slip": "预警单",
    "leader": "领导",
    "case_package": "包案",
    "backlog_case": "积案",
    "accountability": "责任追究",
    "holiday_year": "节假日",
    "saved_view": "台账视图",
    "import_profile": "导入方案",
    "user": "用户",
    "audit_key": "审计密钥",
    "audit_retention": "审计保存期限",
    "database_identity": "数据库标识",
    "archive": "存档",
    "accountability_candidate": "追责线索",
    "accountability_candidates": "追责线索",
    "warning_explanation": "情况说明",
    "reception_day": "领导接访日",
    "dual_inquiry": "一事双查",
    "leader_instruction": "领导批示",
    "duty_record": "职责落实记录",
    "leader_contact_point": "领导联系点",
    "rectification_listing": "挂牌整治",
    "exchange_key": "交换密钥",
    "exchange_package": "交换数据包",
}

LIST_LIMIT_MAX = 10_000


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to list; `before_id` pages on (entries older than the last one shown)."""

    user: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    action: str | None = None
    entity: str | None = None
    object_text: str | None = None  # part of the object's number or key (e.g. a case number)
    limit: int = 100
    before_id: int | None = None


def _detail(raw: str | None) -> object:
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:  # written by hand: shown as it is
        return raw


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_entries(db: Database, f: AuditFilter) -> list[dict[str, object]]:
    """Entries newest first: {id, at, user (login), workstation, action, entity, entity_id, detail (parsed)}.

    An entry whose user is not on file (an edited row) is listed with "#<user id>" as its user."""
    from xinfang_desktop.core.errors import DomainError, NotFoundError
    from xinfang_desktop.persistence.identity import require

    require("audit.read")
    if not 1 <= f.limit <= LIST_LIMIT_MAX:
        raise DomainError(f"条数应在 1 到 {LIST_LIMIT_MAX} 之间", field="limit")
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise DomainError("起始日期晚于截止日期", field="from")
    a, u = AuditEntryRecord, UserRecord
    query = select(a.id, a.at, a.user_id, u.login, a.workstation, a.action, a.entity, a.entity_id, a.detail).outerjoin(
        u, u.id == a.user_id
    )
    with db.read_session() as s:
        if f.user is not None:
            user_id = s.scalar(select(u.id).where(u.login == f.user))
            if user_id is None:
                raise NotFoundError(f"没有用户“{f.user}”", field="user")
            query = query.where(a.user_id == user_id)
        if f.date_from:
            query = query.where(a.at >= datetime.combine(f.date_from, time.min))
        if f.date_to:
            query = query.where(a.at < datetime.combine(f.date_to + timedelta(days=1), time.min))
        if f.action:
            query = query.where(a.action == f.action)
        if f.entity:
            query = query.where(a.entity == f.entity)
        if f.object_text and f.object_text.strip():
            query = query.where(a.entity_id.like(_like(f.object_text.strip()), escape="\\"))
        if f.before_id is not None:
            query = query.where(a.id < f.before_id)
        rows = s.execute(query.order_by(a.id.desc()).limit(f.limit)).all()
    return [
        {
            "id": r.id,
            "at": r.at.isoformat(sep=" ", timespec="seconds"),
            "user": r.login if r.login is not None else f"#{r.user_id}",
            "workstation": r.workstation,
            "action": r.action,
            "entity": r.entity,
            "entity_id": r.entity_id,
            "detail": _detail(r.detail),
        }
        for r in rows
    ]


def audit_choices(db: Database) -> dict[str, list[str]]:
    """The logins, actions and objects that occur in the log (the GUI's pickers)."""
    from xinfang_desktop.persistence.identity import require

    require("audit.read")
    a = AuditEntryRecord
    with db.read_session() as s:
        present = select(a.user_id).distinct().scalar_subquery()
        users = list(s.scalars(select(UserRecord.login).where(UserRecord.id.in_(present)).order_by(UserRecord.login)))
        actions = list(s.scalars(select(a.action).distinct().order_by(a.action)))
        entities = list(s.scalars(select(a.entity).distinct().order_by(a.entity)))
    return {"users": users, "actions": actions, "entities": entities}


# -- retention (R18) ----------------------------------------------------------------------------------------------

# 网络安全法 art 21(3) (art 23 after the 2025 amendment): network logs kept at least six months; PIPL art 56: the
# records of processing sensitive personal information at least three years (1096 days: a leap day included).
RETENTION_FLOORS = {"logs_days": 180, "personal_days": 1096}
RETENTION_KEYS = {"logs_days": "audit_retention_days", "personal_days": "audit_personal_retention_days"}
RETENTION_MAX_DAYS = 36_500
_RETENTION_LABELS = {"logs_days": "审计日志保存期限", "personal_days": "个人信息查看记录保存期限"}
_RETENTION_LAWS = {
    "logs_days": "网络安全法要求网络日志至少保存六个月",
    "personal_days": "个人信息保护法要求个人信息处理记录至少保存三年",
}


def retention(db: Database) -> dict[str, int]:
    """The days audit entries are kept at least: all entries, and views of personal data ("reveal")."""
    from xinfang_desktop.persistence.settings_store import SqlSettings

    with db.read_session() as s:
        settings = SqlSettings(s)
        values = {name: settings.get(key, RETENTION_FLOORS[name]) for name, key in RETENTION_KEYS.items()}
    # A value stored below its floor behind the program's back does not lower the guarantee.
    return {name: max(int(str(v)), RETENTION_FLOORS[name]) for name, v in values.items()}


def set_retention(db: Database, *, logs_days: int | None = None, personal_days: int | None = None) -> dict[str, int]:
    """Change the retention periods; never below the legal floors (DomainError, nothing written). Audited."""
    from xinfang_desktop.core.errors import DomainError
    from xinfang_desktop.persistence.identity import require
    from xinfang_desktop.persistence.uow import unit_of_work

    require("policy.manage")
    wanted = {"logs_days": logs_days, "personal_days": personal_days}
    for name, value in wanted.items():
        if value is None:
            continue
        floor = RETENTION_FLOORS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not floor <= value <= RETENTION_MAX_DAYS:
            law = _RETENTION_LAWS[name]
            raise DomainError(
                f"{_RETENTION_LABELS[name]}应为 {floor} 到 {RETENTION_MAX_DAYS} 天（{law}），不能设为 {value}",
                field=name,
            )
    before = retention(db)
    changes = {name: v for name, v in wanted.items() if v is not None and v != before[name]}
    if changes:
        with unit_of_work(db) as uow:
            for name, value in changes.items():
                uow.settings.set(RETENTION_KEYS[name], value)
            uow.audit.record("update", "audit_retention", "retention", {"old": before, "new": {**before, **changes}})
            uow.commit()
    return {**before, **changes}
