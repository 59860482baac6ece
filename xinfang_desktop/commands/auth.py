"""Who runs a command and whether the role may: --user with the password (prompted or XINFANG_PASSWORD), or the
token of `xinfang login` (XINFANG_SESSION); checked against the role × action matrix before the handler runs."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from xinfang_desktop.commands.base import Context
from xinfang_desktop.core.access import AccessDenied, action_for_command
from xinfang_desktop.persistence.identity import Identity, set_acting

PASSWORD_ENV = "XINFANG_PASSWORD"
USER_ENV = "XINFANG_USER"
SESSION_ENV = "XINFANG_SESSION"


def command_paths(parser: argparse.ArgumentParser) -> dict[int, str]:
    """id(handler) → the command path ("case show") of every leaf command the parser registers."""
    paths: dict[int, str] = {}

    def walk(node: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in node._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, [*prefix, name])
        handler = node.get_default("handler")
        if handler is not None and prefix:
            paths.setdefault(id(handler), " ".join(prefix))

    walk(parser, [])
    return paths


def read_password(prompt: str = "口令：") -> str:
    """From XINFANG_PASSWORD (scripts, CI) or asked at the terminal without echo; never from an argument."""
    value = os.environ.get(PASSWORD_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise AccessDenied(f"需要口令：在终端中运行以输入口令，或设置环境变量 {PASSWORD_ENV}", field="password")
    return getpass.getpass(prompt)


def acting_login_arg(ctx: Context) -> str | None:
    value: Any = getattr(ctx.args, "user", None) or os.environ.get(USER_ENV)
    return str(value).strip() if value else None


def database_exists(ctx: Context) -> bool:
    """False for a SQLite file not created yet (a server database always counts as existing)."""
    from xinfang_desktop.persistence.engine import database_url, sqlite_path

    path = sqlite_path(database_url(ctx.db_target))
    return path is None or path.exists()


def identify(ctx: Context) -> Identity:
    """The acting identity for this command: open mode while no account exists, else a proven login."""
    from xinfang_desktop.persistence.uow import current_login
    from xinfang_desktop.persistence.users import authenticate, login_required, resume_session

    login = acting_login_arg(ctx)
    if not database_exists(ctx):  # a new file holds no account; argument errors come before it is created
        return Identity.open(login or current_login())
    db = ctx.database()
    if not login_required(db):
        return Identity.open(login or current_login())
    token = os.environ.get(SESSION_ENV)
    if login is None and token:
        return resume_session(db, token)
    if login is None:
        raise AccessDenied(
            "本数据库已启用登录：请加 --user 账号（将提示输入口令），或先运行 xinfang login --user 账号", field="user"
        )
    result = authenticate(db, login, read_password(f"{login} 的口令："))
    if result.must_change_password or result.password_expired:
        ctx.must_change_password = True
    return result.identity


def _audit_user_filter(ctx: Context) -> None:
    """`audit list --user U` (the issue's contract) lists U's entries. Signed in by a session (XINFANG_SESSION) or by
    XINFANG_USER, the 审计管理员 is that account and --user is only the filter; otherwise --user is both (the
    account signing in, whose own entries are listed)."""
    wanted = getattr(ctx.args, "user", None)
    if not wanted or getattr(ctx.args, "actor", None):
        return
    ctx.args.actor = wanted
    if os.environ.get(SESSION_ENV) or os.environ.get(USER_ENV):
        ctx.args.user = None  # the actor comes from the session or XINFANG_USER


def authorize(ctx: Context, path: str) -> None:
    """Refuse (AccessDenied → exit 3, nothing written) unless the acting user's roles allow the command."""
    action = action_for_command(path)
    if action is None:
        return
    if path == "audit list":
        _audit_user_filter(ctx)
    identity = identify(ctx)
    set_acting(identity)
    own_password = path == "user passwd" and getattr(ctx.args, "login", None) in (None, identity.login)
    if getattr(ctx, "must_change_password", False) and not own_password:
        raise AccessDenied(
            "口令须先修改（首次登录或已过期）：运行 xinfang user passwd --user 账号，或在程序窗口中修改",
            field="password",
        )
    if own_password:
        return
    identity.require(action)
