"""`xinfang settings show|set`: the office's settings kept in the database (office name, number prefix, profile…)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError


def _show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.settings_store import SqlSettings

    with ctx.database().read_session() as s:
        values = SqlSettings(s).all()
    return Result(values, "\n".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(values.items())))


def _set(ctx: Context) -> Result:
    from xinfang_desktop.persistence.settings_store import set_setting

    raw: str = ctx.args.value
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw  # plain text such as an office name needs no quotes
    if not ctx.args.key.strip():
        raise UsageError("设置项名称不能为空")
    stored = set_setting(ctx.database(), ctx.args.key.strip(), value)
    return Result({"key": ctx.args.key, "value": stored}, f"已设置 {ctx.args.key} = {stored}")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("settings", help="本单位设置：单位名称、编号前缀、规则配置等")
    ss = p.add_subparsers(dest="settings_command", metavar="ACTION")
    ss.add_parser("show", parents=[common], help="显示全部设置").set_defaults(handler=_show)
    q = ss.add_parser("set", parents=[common], help="修改一项设置（值可为 JSON）")
    q.add_argument("key", metavar="KEY")
    q.add_argument("value", metavar="VALUE")
    q.set_defaults(handler=_set)
