"""`xinfang gui` (and no command at all): start the desktop application."""

from __future__ import annotations

import argparse
from typing import Any

from xinfang_desktop.commands.base import Context, Result


def launch_gui(args: argparse.Namespace) -> int:
    from xinfang_desktop.ui.app import run

    code: int = run(args)
    return code


def _gui(ctx: Context) -> Result:
    code = launch_gui(ctx.args)
    return Result({"exit_code": code}, "", exit_code=code)


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("gui", parents=[common], help="启动图形界面")
    p.add_argument("--smoke", action="store_true", help="冒烟测试：打开主窗口、访问各栏目后退出")
    p.add_argument("--screenshot", metavar="DIR", help="冒烟测试时把每个栏目的截图保存到此目录")
    p.set_defaults(handler=_gui)
