"""`xinfang views list|save|delete`: the ledger views a user has saved (the 信访台账's 视图), and the shared ones."""

from __future__ import annotations

import argparse
import json
from typing import Any

from xinfang_desktop.commands.base import Context, Result
from xinfang_desktop.core.errors import ValidationError


def _user(ctx: Context) -> str:
    """The acting user (commands/auth.py set it from --user or the login), whose own views these are."""
    from xinfang_desktop.persistence.identity import acting_login
    from xinfang_desktop.persistence.uow import current_login

    return acting_login() or current_login()


def _text(views: dict[str, Any]) -> str:
    lines = [f"{views['user']} 的视图：" + ("、".join(views["own"]) or "无")]
    if views["shared"]:
        lines.append("共享视图：" + "、".join(views["shared"]))
    return "\n".join(lines)


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.saved_views_store import user_views

    views = user_views(ctx.database(), user=_user(ctx))
    return Result(views, _text(views))


def _save(ctx: Context) -> Result:
    from xinfang_desktop.core.errors import FieldProblem
    from xinfang_desktop.persistence.saved_views_store import save_view

    try:
        state = json.loads(ctx.args.state)
    except json.JSONDecodeError as exc:
        raise ValidationError([FieldProblem("state", "视图内容", f"不是有效的 JSON：{exc.msg}")]) from exc
    views = save_view(ctx.database(), user=_user(ctx), name=ctx.args.name, state=state)
    return Result(views, f"已保存视图“{ctx.args.name.strip()}”\n" + _text(views))


def _delete(ctx: Context) -> Result:
    from xinfang_desktop.persistence.saved_views_store import delete_view

    views = delete_view(ctx.database(), user=_user(ctx), name=ctx.args.name)
    return Result(views, f"已删除视图“{ctx.args.name}”\n" + _text(views))


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    views = sub.add_parser("views", help="台账视图（每位用户自己的，及共享视图）")
    vs = views.add_subparsers(dest="views_command", metavar="ACTION")
    p = vs.add_parser("list", parents=[common], help="列出视图")
    p.set_defaults(handler=_list)
    p = vs.add_parser("save", parents=[common], help="保存（或替换）一个视图")
    p.add_argument("name", metavar="NAME")
    p.add_argument(
        "--state", metavar="JSON", required=True, help='筛选条件，如 {"search": "张三", "status": "accepted"}'
    )
    p.set_defaults(handler=_save)
    p = vs.add_parser("delete", parents=[common], help="删除自己的一个视图")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=_delete)
