"""`xinfang unit add|list`: the register of responsible units that `--unit` and intake refer to."""

from __future__ import annotations

import argparse
from typing import Any

from xinfang_desktop.commands.base import Context, Result


def _add(ctx: Context) -> Result:
    from xinfang_desktop.persistence.units import add_unit

    unit = add_unit(ctx.database(), ctx.args.name, parent=ctx.args.parent, region=ctx.args.region)
    return Result(unit, f"已登记单位：{unit['name']}")


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.units import list_units

    units = list_units(ctx.database())
    lines = [f"{u['name']}" + (f"（上级：{u['parent']}）" if u["parent"] else "") for u in units]
    return Result({"units": units}, "\n".join(lines) or "尚未登记单位")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    unit = sub.add_parser("unit", help="责任单位登记")
    us = unit.add_subparsers(dest="unit_command", metavar="ACTION")
    p = us.add_parser("add", parents=[common], help="登记单位")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--parent", metavar="NAME", help="上级单位名称")
    p.add_argument("--region", metavar="CODE", help="所在行政区划代码")
    p.set_defaults(handler=_add)
    us.add_parser("list", parents=[common], help="列出单位").set_defaults(handler=_list)
