"""`xinfang gui`: prepare (demo data on request) and ask cli.py to open the desktop application."""

from __future__ import annotations

import argparse
from typing import Any

from xinfang_desktop.commands.base import Context, Result


def _fill_demo(ctx: Context) -> None:
    """`--demo N`: on a database without cases, add N synthetic cases before the window opens."""
    import sys
    from datetime import date

    from xinfang_desktop.core.ledger import LedgerFilter
    from xinfang_desktop.persistence.demo_data import generate_demo
    from xinfang_desktop.persistence.ledger_queries import ledger_count

    db = ctx.database()
    with db.read_session() as session:
        if ledger_count(session, LedgerFilter()) > 0:
            return
    sys.stderr.write(f"正在生成 {ctx.args.demo} 件演示数据……\n")
    generate_demo(db, ctx.args.demo, 1, today=date.today())
    ctx.close()


def _gui(ctx: Context) -> Result:
    if ctx.args.demo:
        if not 1 <= ctx.args.demo <= 1_000_000:
            from xinfang_desktop.commands.base import UsageError

            raise UsageError("--demo 的件数应在 1 到 1000000 之间")
        _fill_demo(ctx)
    # The window itself is opened by cli.py: only the top layer may import the ui package.
    return Result(None, "", open_gui=True)


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("gui", parents=[common], help="启动图形界面")
    p.add_argument("--smoke", action="store_true", help="冒烟测试：打开主窗口、访问各栏目后退出")
    p.add_argument("--screenshot", metavar="DIR", help="冒烟测试时把每个栏目的截图保存到此目录")
    p.add_argument("--demo", type=int, metavar="N", help="数据库中还没有信访事项时，先生成 N 件演示数据")
    p.set_defaults(handler=_gui)
