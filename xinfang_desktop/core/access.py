"""Roles, actions and the role × action matrix (issue 17): who may do what, as data, with 三员分立 kept apart.

The matrix is the single source for the CLI (every command names its action in COMMAND_ACTIONS) and the GUI (a
section or button the role may not use is hidden). 系统管理员 manages accounts and the installation but sees no
case data, 安全管理员 sets policy and roles, 审计管理员 only reads the audit log (GB/T 22239-2019 安全管理中心;
reliability.md §1.2); none of the three may hold another role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xinfang_desktop.core.errors import DomainError


@dataclass(frozen=True)
class Action:
    key: str
    label: str


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    description: str
    actions: frozenset[str]
    admin: bool = False  # one of the three administrators (三员): held alone


ACTIONS: tuple[Action, ...] = (
    Action("case.view", "查看信访事项（台账、查询、详情、队列、期限）"),
    Action("case.register", "登记来信来访、追加信访件与附件"),
    Action("case.handle", "办理：受理、转送、交办、办结、送达等"),
    Action("case.supervise", "督办、催办、预警、积案与审查"),
    Action("case.decide", "审核审批：复查复核、责任认定"),
    Action("personal.reveal", "查看完整身份证号和电话（须说明理由，留痕）"),
    Action("document.view", "查看已出具的文书"),
    Action("document.issue", "出具文书（编号、打印）"),
    Action("package.manage", "领导包案、接访与批示"),
    Action("accountability.manage", "责任追究、责任书与履职记录"),
    Action("stats.view", "统计与考核"),
    Action("report.export", "导出报表、上报数据"),
    Action("import.run", "导入已有台账"),
    Action("settings.manage", "业务设置：单位名录、文书字号、规则"),
    Action("user.manage", "账号管理：新建、停用、重置密码"),
    Action("policy.manage", "安全策略与角色分配"),
    Action("audit.read", "查阅和校验审计日志"),
    Action("system.maintain", "系统维护：数据库、备份、节假日、演示数据"),
)
ACTION_KEYS = frozenset(action.key for action in ACTIONS)

_CASE_READ = {"case.view", "document.view"}
ROLES: tuple[Role, ...] = (
    Role(
        "registrar",
        "登记员",
        "登记来信来访，出具回执和告知",
        frozenset(_CASE_READ | {"case.register", "document.issue", "personal.reveal", "import.run"}),
    ),
    Role(
        "handler",
        "承办人",
        "办理信访事项，出具办理文书",
        frozenset(_CASE_READ | {"case.register", "case.handle", "document.issue", "personal.reveal"}),
    ),
    Role(
        "supervisor",
        "督办员",
        "督办催办、预警积案、包案与责任落实",
        frozenset(
            _CASE_READ | {"case.supervise", "document.issue", "package.manage", "accountability.manage", "stats.view"}
        ),
    ),
    Role(
        "reviewer",
        "审核/领导",
        "审核审批、复查复核、责任认定，查看全部统计",
        frozenset(
            _CASE_READ
            | {
                "case.handle",
                "case.supervise",
                "case.decide",
                "personal.reveal",
                "document.issue",
                "package.manage",
                "accountability.manage",
                "stats.view",
                "report.export",
                "settings.manage",
            }
        ),
    ),
    Role(
        "statistician",
        "统计员",
        "统计考核、报表导出与上报（个人信息只见脱敏值）",
        frozenset({"case.view", "stats.view", "report.export"}),
    ),
    Role(
        "system_admin",
        "系统管理员",
        "管理账号和系统维护，不能查看信访数据",
        frozenset({"user.manage", "system.maintain", "settings.manage"}),
        admin=True,
    ),
    Role("security_admin", "安全管理员", "设置安全策略、分配角色", frozenset({"policy.manage"}), admin=True),
    Role("audit_admin", "审计管理员", "只能查阅和校验审计日志", frozenset({"audit.read"}), admin=True),
)
ROLE_BY_KEY = {role.key: role for role in ROLES}
ROLE_BY_LABEL = {role.label: role for role in ROLES}

#: Every CLI command and the action it needs. A command not here and not in PUBLIC_COMMANDS is refused
#: (tests/core/test_access.py keeps this equal to what the CLI registers).
COMMAND_ACTIONS: dict[str, str] = {
    "init": "system.maintain",
    "db upgrade": "system.maintain",
    "db check": "system.maintain",
    "db encrypt": "system.maintain",
    "db rekey": "system.maintain",
    "case add": "case.register",
    "case import": "import.run",
    "case submit": "case.register",
    "case attach": "case.register",
    "case duplicates": "case.register",
    "case show": "case.view",
    "case act": "case.view",  # then the step's own action: case_step_action
    "case timeline": "case.view",
    "case list": "case.view",
    "demo": "system.maintain",
    "reference seed": "system.maintain",
    "calendar import": "system.maintain",
    "calendar years": "case.view",
    "deadline": "case.view",
    "queue": "case.view",
    "tick": "case.handle",
    "unit add": "settings.manage",
    "unit list": "case.view",
    "settings show": "settings.manage",
    "settings set": "settings.manage",
    "doc types": "document.view",
    "doc sample": "document.view",
    "doc render": "document.issue",
    "doc batch": "document.issue",
    "doc list": "document.view",
    "leader add": "package.manage",
    "leader list": "case.view",
    "leader record": "package.manage",
    "package create": "package.manage",
    "package show": "case.view",
    "package update": "package.manage",
    "package close": "package.manage",
    "package list": "case.view",
    "package notice": "document.issue",
    "oversight import": "import.run",
    "oversight report": "report.export",
    "reception plan": "package.manage",
    "reception record": "package.manage",
    "reception list": "case.view",
    "reception compliance": "stats.view",
    "reception roster": "case.view",
    "instruction add": "package.manage",
    "instruction meter": "case.view",
    "warn scan": "case.supervise",
    "warn issue": "case.supervise",
    "warn list": "case.view",
    "warn explain": "case.supervise",
    "warn notify": "case.supervise",
    "warn receipt": "case.supervise",
    "backlog list": "case.view",
    "backlog classify": "case.supervise",
    "inquiry create": "case.supervise",
    "inquiry record": "case.supervise",
    "inquiry show": "case.view",
    "review list": "case.view",
    "review create": "case.decide",
    "review record": "case.decide",
    "review show": "case.view",
    "stats rates": "stats.view",
    "stats rank": "stats.view",
    "views list": "case.view",
    "views save": "case.view",
    "views delete": "case.view",
    "grounds list": "case.view",
    "accountability candidates": "accountability.manage",
    "accountability dismiss": "accountability.manage",
    "accountability open": "accountability.manage",
    "accountability set": "accountability.manage",
    "accountability person add": "accountability.manage",
    "accountability step": "case.decide",
    "accountability rectified": "accountability.manage",
    "accountability refer": "case.decide",
    "accountability urge": "accountability.manage",
    "accountability feedback": "accountability.manage",
    "accountability report": "accountability.manage",
    "accountability show": "accountability.manage",
    "accountability list": "accountability.manage",
    "accountability history": "accountability.manage",
    "accountability honours": "stats.view",
    "statement prefill": "accountability.manage",
    "statement set": "accountability.manage",
    "statement show": "accountability.manage",
    "statement list": "accountability.manage",
    "statement progress": "accountability.manage",
    "statement evaluate": "case.decide",
    "statement render": "document.issue",
    "duty kinds": "accountability.manage",
    "duty record": "accountability.manage",
    "duty list": "accountability.manage",
    "duty void": "accountability.manage",
    "duty delete": "accountability.manage",
    "duty contacts list": "accountability.manage",
    "duty contacts add": "accountability.manage",
    "duty contacts remove": "accountability.manage",
    "duty compliance": "stats.view",
    "rectification list": "accountability.manage",
    "rectification show": "accountability.manage",
    "rectification from-ranking": "accountability.manage",
    "rectification explain": "accountability.manage",
    "rectification interview": "accountability.manage",
    "rectification lift": "accountability.manage",
    "import inspect": "import.run",
    "import run": "import.run",
    "import profiles list": "import.run",
    "import profiles save": "import.run",
    "import profiles delete": "import.run",
    "report period": "stats.view",
    "report sanwu": "stats.view",
    "report ranking": "stats.view",
    "report annual": "report.export",
    "export national": "report.export",
    "exchange pack": "report.export",
    "exchange verify": "stats.view",  # reads a package only
    "exchange import": "report.export",  # the 统计员 who sends the county's package receives the townships' / counties'
    "exchange summary": "stats.view",
    "exchange keys show": "stats.view",  # the public key and fingerprint handed to the higher bureau
    "exchange keys": "system.maintain",
    "backup list": "system.maintain",
    "backup create": "system.maintain",
    "backup verify": "system.maintain",
    "backup restore": "system.maintain",
    "audit list": "audit.read",
    "audit verify": "audit.read",
    "audit retention": "policy.manage",
    "user add": "user.manage",
    "user list": "user.manage",
    "user disable": "user.manage",
    "user enable": "user.manage",
    "user passwd": "user.manage",
    "user roles": "policy.manage",
    "user scope": "policy.manage",
    "role list": "policy.manage",
    "role show": "policy.manage",
    "policy show": "policy.manage",
    "policy set": "policy.manage",
}

#: Commands that read or write nothing of the office's (checks of a typed number, the calendar arithmetic) or that
#: prove the login themselves (login, whoami, and the GUI, which logs in through its own window).
PUBLIC_COMMANDS = frozenset(
    {
        "validate id",
        "validate phone",
        "validate uscc",
        "calendar is-workday",
        "calendar add-workdays",
        "calendar workdays-between",
        "login",
        "logout",
        "whoami",
        "gui",
    }
)


class AccessDenied(DomainError):
    """The acting user's roles do not allow the action (CLI exit code 3, nothing written)."""


class RoleConflict(DomainError):
    """A role combination that 三员分立 forbids."""


def permissions_of(roles: Iterable[str]) -> frozenset[str]:
    """The actions the union of these roles allows (unknown role keys allow nothing)."""
    allowed: set[str] = set()
    for key in roles:
        role = ROLE_BY_KEY.get(key)
        if role is not None:
            allowed |= role.actions
    return frozenset(allowed)


def action_for_command(path: str) -> str | None:
    """The action a command needs; None for a public command. KeyError for one the matrix does not know."""
    if path in PUBLIC_COMMANDS:
        return None
    if path in COMMAND_ACTIONS:
        return COMMAND_ACTIONS[path]
    group = path.split(" ")[0]  # a subcommand group whose members all need the same (exchange keys init|show)
    for known, action in COMMAND_ACTIONS.items():
        if path.startswith(known + " "):
            return action
    raise KeyError(f"{path}: no action in the role × action matrix ({group})")


def check_roles(roles: Iterable[str]) -> list[str]:
    """The roles as given, validated: known keys or Chinese labels, and 三员分立 (an administrator role alone)."""
    keys: list[str] = []
    for value in roles:
        value = value.strip()
        role = ROLE_BY_KEY.get(value) or ROLE_BY_LABEL.get(value)
        if role is None:
            known = "、".join(f"{r.label}（{r.key}）" for r in ROLES)
            raise RoleConflict(f"没有角色“{value}”；可用角色：{known}", field="roles")
        if role.key not in keys:
            keys.append(role.key)
    admins = [ROLE_BY_KEY[key] for key in keys if ROLE_BY_KEY[key].admin]
    if admins and len(keys) > 1:
        others = "、".join(ROLE_BY_KEY[key].label for key in keys if key != admins[0].key)
        raise RoleConflict(
            f"三员分立：{admins[0].label}不能同时担任{others}（系统管理员、安全管理员、审计管理员须由不同账号担任，"
            "且不兼任业务角色）",
            field="roles",
        )
    return keys


def describe_denial(action: str, roles: Iterable[str]) -> str:
    """The Chinese refusal: what was asked, which roles the user has, which roles may."""
    label = next((a.label for a in ACTIONS if a.key == action), action)
    held = "、".join(ROLE_BY_KEY[r].label for r in roles if r in ROLE_BY_KEY) or "无角色"
    may = "、".join(role.label for role in ROLES if action in role.actions)
    return f"无权操作：“{label}”需要{may}角色，当前账号为{held}"


def require(action: str, permissions: frozenset[str], roles: Iterable[str]) -> None:
    if action not in permissions:
        raise AccessDenied(describe_denial(action, roles), field="role")


#: The window's sections and the actions that show each (any one of them); a role with none does not see it.
#: `case act` and the case window ask for the action of the step itself: 督办 and 催办 are supervision (a 督办员 holds
#: no case.handle), the 复查/复核 decisions are decided by 审核/领导; every other step is handling.
CASE_STEP_ACTIONS: dict[str, str] = {
    "supervise": "case.supervise",
    "urge": "case.supervise",
    "review_decision": "case.decide",
    "final_review_decision": "case.decide",
}


def case_step_action(step: str) -> str:
    """The action a lifecycle step (a CaseAction value) needs."""
    return CASE_STEP_ACTIONS.get(step, "case.handle")


SECTION_ACTIONS: dict[str, tuple[str, ...]] = {
    "workbench": ("case.view",),
    "ledger": ("case.view",),
    "intake": ("case.register",),
    "leader_cases": ("package.manage",),
    "warnings": ("case.supervise",),
    "documents": ("document.view",),
    "statistics": ("stats.view",),
    "settings": ("settings.manage", "system.maintain"),
    "responsibility": ("accountability.manage",),
    "security": ("user.manage", "policy.manage", "audit.read"),
}


def visible_sections(permissions: frozenset[str]) -> list[str]:
    return [key for key, needs in SECTION_ACTIONS.items() if any(a in permissions for a in needs)]
