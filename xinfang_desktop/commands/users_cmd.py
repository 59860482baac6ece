"""`xinfang user|role|policy|login|logout|whoami`: login accounts, roles (三员分立), the security policy and shell
sessions (issue 17)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from xinfang_desktop.commands.auth import SESSION_ENV, acting_login_arg, identify, read_password
from xinfang_desktop.commands.base import Context, Result, UsageError
from xinfang_desktop.core.access import ACTIONS, ROLE_BY_KEY, ROLE_BY_LABEL, ROLES
from xinfang_desktop.core.password_policy import LIMITS
from xinfang_desktop.persistence.identity import acting

NEW_PASSWORD_ENV = "XINFANG_NEW_PASSWORD"


def _new_password(login: str) -> str:
    """The new account's or new password: XINFANG_NEW_PASSWORD, or typed twice at the terminal."""
    value = os.environ.get(NEW_PASSWORD_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"需要新口令：在终端中运行以输入，或设置环境变量 {NEW_PASSWORD_ENV}", field="password")
    first = getpass.getpass(f"{login} 的新口令：")
    if getpass.getpass("再输入一次：") != first:
        raise UsageError("两次输入的口令不一致", field="password")
    return first


def _roles_arg(text: str | None) -> list[str]:
    return [part for part in (text or "").replace("，", ",").split(",") if part.strip()]


def _account_text(a: dict[str, Any]) -> str:
    roles = "、".join(a["role_labels"]) or "（未分配角色）"
    state = "已停用" if a["disabled"] else ("已锁定" if a["locked_until"] else "在用")
    scope = "、".join([*a["townships"], *a["units"]])
    return f"{a['login']}\t{a['display_name']}\t{roles}\t{state}" + (f"\t范围：{scope}" if scope else "")


def _add(ctx: Context) -> Result:
    from xinfang_desktop.persistence.users import create_account

    login = ctx.args.login
    account = create_account(
        ctx.database(),
        login,
        _new_password(login),
        display_name=ctx.args.name,
        roles=_roles_arg(ctx.args.roles),
        actor=acting(),
    )
    data = account.to_json()
    return Result(data, f"已建立账号：{_account_text(data)}")


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.users import list_accounts, login_required

    db = ctx.database()
    accounts = [a.to_json() for a in list_accounts(db)]
    data = {"login_required": login_required(db), "accounts": accounts}
    text = "\n".join(_account_text(a) for a in accounts) or "尚未建立登录账号（任何人打开本程序都可查看全部数据）"
    return Result(data, text)


def _set_disabled(disabled: bool) -> Any:
    def handler(ctx: Context) -> Result:
        from xinfang_desktop.persistence.users import set_disabled

        data = set_disabled(ctx.database(), ctx.args.login, disabled, actor=acting()).to_json()
        return Result(data, ("已停用：" if disabled else "已启用：") + _account_text(data))

    return handler


def _passwd(ctx: Context) -> Result:
    from xinfang_desktop.persistence.users import set_password

    me = acting()
    login = ctx.args.login or (me.login if me else None)
    if not login:
        raise UsageError("请指定账号", field="login")
    own = me is not None and login == me.login
    old = read_password("原口令：") if own else None
    data = set_password(ctx.database(), login, _new_password(login), old_password=old, actor=me).to_json()
    return Result(data, f"已修改口令：{login}" if own else f"已重置口令：{login}（该用户下次登录须修改口令）")


def _roles(ctx: Context) -> Result:
    from xinfang_desktop.persistence.users import get_account, set_roles

    db = ctx.database()
    if ctx.args.set is None:
        data = get_account(db, ctx.args.login).to_json()
    else:
        data = set_roles(db, ctx.args.login, _roles_arg(ctx.args.set), actor=acting()).to_json()
    return Result(data, _account_text(data))


def _scope(ctx: Context) -> Result:
    from xinfang_desktop.persistence.users import get_account, set_scope

    db = ctx.database()
    if ctx.args.clear or ctx.args.township or ctx.args.unit:
        account = set_scope(db, ctx.args.login, townships=ctx.args.township, units=ctx.args.unit, actor=acting())
    else:
        account = get_account(db, ctx.args.login)
    data = account.to_json()
    return Result(data, _account_text(data) if data["townships"] or data["units"] else f"{data['login']}：全县范围")


def _role_json(key: str) -> dict[str, Any]:
    role = ROLE_BY_KEY[key]
    return {
        "key": role.key,
        "label": role.label,
        "description": role.description,
        "admin": role.admin,
        "actions": [{"key": a.key, "label": a.label} for a in ACTIONS if a.key in role.actions],
    }


def _role_list(ctx: Context) -> Result:
    data = {"roles": [_role_json(role.key) for role in ROLES]}
    lines = [
        f"{r.key}\t{r.label}\t{r.description}" + ("（三员之一，不兼任其他角色）" if r.admin else "") for r in ROLES
    ]
    return Result(data, "\n".join(lines))


def _role_show(ctx: Context) -> Result:
    role = ROLE_BY_KEY.get(ctx.args.role) or ROLE_BY_LABEL.get(ctx.args.role)
    if role is None:
        raise UsageError(f"没有角色“{ctx.args.role}”；可用：{'、'.join(r.key for r in ROLES)}", field="role")
    data = _role_json(role.key)
    return Result(
        data,
        f"{role.label}（{role.key}）：{role.description}\n" + "\n".join(f"  - {a['label']}" for a in data["actions"]),
    )


def _policy_show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.users import policy

    data = policy(ctx.database()).to_json()
    return Result(data, "\n".join(f"{LIMITS[k][2]}：{v}" for k, v in data.items()))


def _policy_set(ctx: Context) -> Result:
    from xinfang_desktop.persistence.users import set_policy

    changes = {k: v for k in LIMITS if (v := getattr(ctx.args, k)) is not None}
    if not changes:
        raise UsageError("没有要修改的策略项；可用：" + "、".join("--" + k.replace("_", "-") for k in LIMITS))
    data = set_policy(ctx.database(), changes, actor=acting()).to_json()
    return Result(data, "已更新安全策略：\n" + "\n".join(f"{LIMITS[k][2]}：{v}" for k, v in data.items()))


def _login(ctx: Context) -> Result:
    from xinfang_desktop.persistence.users import authenticate, login_required, open_session

    db = ctx.database()
    if not login_required(db):
        raise UsageError("本数据库尚未建立登录账号，无需登录（先用 xinfang user add 建立系统管理员）")
    login = acting_login_arg(ctx)
    if not login:
        raise UsageError("请用 --user 指定账号（或环境变量 XINFANG_USER）", field="user")
    result = authenticate(db, login, read_password(f"{login} 的口令："))
    token, expires = open_session(db, result.identity)
    data = {
        "login": login,
        "roles": list(result.identity.roles),
        "token": token,
        "expires_at": expires.isoformat(sep=" "),
        "env": SESSION_ENV,
        "must_change_password": result.must_change_password or result.password_expired,
    }
    text = (
        f"export {SESSION_ENV}={token}\n# 已登录 {login}，有效至 {expires:%Y-%m-%d %H:%M}；"
        'eval "$(xinfang login --user 账号)" 把会话设入当前 shell'
    )
    return Result(data, text)


def _logout(ctx: Context) -> Result:
    from xinfang_desktop.persistence.users import close_session

    token = os.environ.get(SESSION_ENV)
    closed = bool(token) and close_session(ctx.database(), token or "")
    return Result({"closed": closed}, f"unset {SESSION_ENV}" if closed else "当前没有登录会话")


def _whoami(ctx: Context) -> Result:
    identity = identify(ctx)
    data = {
        "login": identity.login,
        "display_name": identity.display_name,
        "roles": list(identity.roles),
        "open_mode": identity.open_mode,
        "townships": list(identity.townships),
        "units": list(identity.units),
        "actions": sorted(identity.permissions),
    }
    if identity.open_mode:
        return Result(data, f"{identity.login}（尚未启用登录：拥有全部权限）")
    labels = "、".join(ROLE_BY_KEY[r].label for r in identity.roles if r in ROLE_BY_KEY) or "无角色"
    return Result(data, f"{identity.login}（{identity.display_name}）：{labels}")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    user = sub.add_parser("user", help="登录账号：建立、停用、口令、角色、数据范围")
    us = user.add_subparsers(dest="user_command", metavar="ACTION")
    p = us.add_parser("add", parents=[common], help=f"建立账号（新口令在终端输入，或读 {NEW_PASSWORD_ENV}）")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--name", help="姓名")
    p.add_argument("--roles", metavar="ROLES", help="角色，逗号分隔（如 registrar,handler；见 xinfang role list）")
    p.set_defaults(handler=_add)
    us.add_parser("list", parents=[common], help="列出账号").set_defaults(handler=_list)
    for name, disabled, text in (("disable", True, "停用账号"), ("enable", False, "重新启用账号（并解除锁定）")):
        p = us.add_parser(name, parents=[common], help=text)
        p.add_argument("login", metavar="LOGIN")
        p.set_defaults(handler=_set_disabled(disabled))
    p = us.add_parser("passwd", parents=[common], help="修改自己的口令，或（系统管理员）重置他人口令")
    p.add_argument("login", nargs="?", metavar="LOGIN")
    p.set_defaults(handler=_passwd)
    p = us.add_parser("roles", parents=[common], help="查看或设定账号的角色（安全管理员）")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--set", metavar="ROLES", help="新的角色，逗号分隔")
    p.set_defaults(handler=_roles)
    p = us.add_parser("scope", parents=[common], help="查看或限定账号的数据范围（乡镇、责任单位）")
    p.add_argument("login", metavar="LOGIN")
    p.add_argument("--township", action="append", default=[], metavar="CODE", help="乡镇区划代码（可多次）")
    p.add_argument("--unit", action="append", default=[], metavar="NAME", help="责任单位（可多次）")
    p.add_argument("--clear", action="store_true", help="取消限定（全县范围）")
    p.set_defaults(handler=_scope)

    role = sub.add_parser("role", help="角色与权限矩阵")
    rs = role.add_subparsers(dest="role_command", metavar="ACTION")
    rs.add_parser("list", parents=[common], help="列出角色").set_defaults(handler=_role_list)
    p = rs.add_parser("show", parents=[common], help="一个角色可做的操作")
    p.add_argument("role", metavar="ROLE")
    p.set_defaults(handler=_role_show)

    pol = sub.add_parser("policy", help="安全策略：口令、锁定、自动锁屏")
    ps = pol.add_subparsers(dest="policy_command", metavar="ACTION")
    ps.add_parser("show", parents=[common], help="查看安全策略").set_defaults(handler=_policy_show)
    p = ps.add_parser("set", parents=[common], help="修改安全策略（安全管理员）")
    for key, (low, high, label) in LIMITS.items():
        p.add_argument("--" + key.replace("_", "-"), dest=key, type=int, metavar="N", help=f"{label}（{low}–{high}）")
    p.set_defaults(handler=_policy_set)

    sub.add_parser("login", parents=[common], help="登录，为当前 shell 开一个会话").set_defaults(handler=_login)
    sub.add_parser("logout", parents=[common], help="结束 xinfang login 的会话").set_defaults(handler=_logout)
    sub.add_parser("whoami", parents=[common], help="当前以哪个账号、哪些角色操作").set_defaults(handler=_whoami)
