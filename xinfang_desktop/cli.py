"""Command-line front (`xinfang`): argparse over the same services as the GUI; `--json` prints one JSON document.

Exit codes: 0 success, 2 bad input (with the reason), 3 the role may not do it or no valid login (nothing
written), 1 any other failure; a traceback only with `--debug`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from xinfang_desktop import APP_LABEL, __version__
from xinfang_desktop.commands.argparse_zh import install as install_chinese_argparse
from xinfang_desktop.commands.base import (
    EXIT_BAD_INPUT,
    EXIT_DENIED,
    EXIT_FAILURE,
    Context,
    Result,
    add_common,
)
from xinfang_desktop.core.access import AccessDenied
from xinfang_desktop.core.errors import DomainError

# Each module registers its command group; kept as names so `xinfang --help` stays cheap to import.
COMMAND_MODULES = (
    "xinfang_desktop.commands.db_cmd",
    "xinfang_desktop.commands.case_cmd",
    "xinfang_desktop.commands.demo_cmd",
    "xinfang_desktop.commands.validate_cmd",
    "xinfang_desktop.commands.calendar_cmd",
    "xinfang_desktop.commands.deadline_cmd",
    "xinfang_desktop.commands.lifecycle_cmd",
    "xinfang_desktop.commands.unit_cmd",
    "xinfang_desktop.commands.settings_cmd",
    "xinfang_desktop.commands.doc_cmd",
    "xinfang_desktop.commands.packages_cmd",
    "xinfang_desktop.commands.reception_cmd",
    "xinfang_desktop.commands.warnings_cmd",
    "xinfang_desktop.commands.stats_cmd",
    "xinfang_desktop.commands.views_cmd",
    "xinfang_desktop.commands.accountability_cmd",
    "xinfang_desktop.commands.statement_cmd",
    "xinfang_desktop.commands.duty_cmd",
    "xinfang_desktop.commands.rectification_cmd",
    "xinfang_desktop.commands.import_cmd",
    "xinfang_desktop.commands.report_cmd",
    "xinfang_desktop.commands.export_cmd",
    "xinfang_desktop.commands.exchange_cmd",
    "xinfang_desktop.commands.backup_cmd",
    "xinfang_desktop.commands.audit_cmd",
    "xinfang_desktop.commands.users_cmd",
    "xinfang_desktop.commands.gui_cmd",
)


#: Which module registers each top-level command: `xinfang tick` imports lifecycle_cmd only, not the other 20 groups
#: and the core modules they pull in (issue 19: the fixed start of a command). tests/cli/test_cli_startup.py keeps
#: this equal to what the modules register; a command missing here still works (every group is then imported).
COMMAND_OWNERS = {
    "init": "db_cmd",
    "db": "db_cmd",
    "case": "case_cmd",
    "demo": "demo_cmd",
    "reference": "demo_cmd",
    "validate": "validate_cmd",
    "calendar": "calendar_cmd",
    "deadline": "deadline_cmd",
    "queue": "lifecycle_cmd",
    "tick": "lifecycle_cmd",
    "unit": "unit_cmd",
    "settings": "settings_cmd",
    "doc": "doc_cmd",
    "leader": "packages_cmd",
    "package": "packages_cmd",
    "oversight": "reception_cmd",
    "reception": "reception_cmd",
    "instruction": "reception_cmd",
    "warn": "warnings_cmd",
    "backlog": "warnings_cmd",
    "inquiry": "warnings_cmd",
    "review": "warnings_cmd",
    "stats": "stats_cmd",
    "views": "views_cmd",
    "grounds": "accountability_cmd",
    "accountability": "accountability_cmd",
    "statement": "statement_cmd",
    "duty": "duty_cmd",
    "rectification": "rectification_cmd",
    "import": "import_cmd",
    "report": "report_cmd",
    "export": "export_cmd",
    "exchange": "exchange_cmd",
    "backup": "backup_cmd",
    "audit": "audit_cmd",
    "user": "users_cmd",
    "role": "users_cmd",
    "login": "users_cmd",
    "logout": "users_cmd",
    "whoami": "users_cmd",
    "policy": "users_cmd",
    "gui": "gui_cmd",
}
# Common options that take a value (the token after them is not the command).
_VALUE_OPTIONS = ("--db", "--user", "--db-key-file")


def requested_command(argv: Sequence[str]) -> str | None:
    """The top-level command named in `argv`, if any (the first token that is not an option or an option's value)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUE_OPTIONS:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors as exit code 2 in our format instead of printing usage and exiting."""

    def error(self, message: str) -> Any:
        raise _ArgError(message)


class _ArgError(Exception):
    pass


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command group, or only of `command`'s group when it is a known one."""
    install_chinese_argparse()  # its usage, headings and errors in Chinese (a clerk reads them)
    parser = _Parser(prog="xinfang", description=f"{APP_LABEL} 命令行")
    add_common(parser)
    parser.add_argument("--version", action="version", version=f"xinfang {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = add_common(argparse.ArgumentParser(add_help=False))
    owner = COMMAND_OWNERS.get(command or "")
    modules = (f"xinfang_desktop.commands.{owner}",) if owner else COMMAND_MODULES
    if owner and modules[0] not in COMMAND_MODULES:
        modules = COMMAND_MODULES
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command group not built yet
                continue
            raise
        module.register(sub, common)
    return parser


def _emit(result: Result, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(result.data, ensure_ascii=False, indent=2, default=str) + "\n")
    elif result.text:
        sys.stdout.write(result.text.rstrip("\n") + "\n")


def _emit_error(code: int, message: str, as_json: bool, extra: dict[str, Any] | None = None) -> int:
    if as_json:
        payload: dict[str, Any] = {"error": message, "exit_code": code}
        if extra:
            payload.update(extra)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stderr.write(f"错误：{message}\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    debug = "--debug" in argv
    try:
        parser = build_parser(requested_command(argv))
        args = parser.parse_args(argv)
    except _ArgError as exc:
        return _emit_error(EXIT_BAD_INPUT, f"参数错误：{exc}", as_json)
    if getattr(args, "db", None) is None and os.environ.get("XINFANG_DB"):
        args.db = os.environ["XINFANG_DB"]
    if args.command in (None, "gui"):
        refused = _refuse_gui_without_libraries(as_json)
        if refused is not None:
            return refused
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.command is None:
            return launch_gui(args)
        return _emit_error(EXIT_BAD_INPUT, f"缺少子命令：运行 xinfang {args.command} --help 查看可用的子命令", as_json)
    ctx = Context(args)
    try:
        from xinfang_desktop.commands.auth import authorize, command_paths

        authorize(ctx, command_paths(parser).get(id(handler), args.command))
        result: Result = handler(ctx)
    except AccessDenied as exc:
        return _emit_error(EXIT_DENIED, exc.message, as_json, exc.to_json())
    except DomainError as exc:
        return _emit_error(EXIT_BAD_INPUT, exc.message, as_json, exc.to_json())
    except KeyboardInterrupt:
        return _emit_error(EXIT_FAILURE, "已中断", as_json)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        from xinfang_desktop.persistence.errors import describe_database_error

        message = (
            describe_database_error(exc) or f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        )
        return _emit_error(EXIT_FAILURE, message, as_json)
    finally:
        ctx.close()
        from xinfang_desktop.persistence.identity import set_acting

        set_acting(None)  # one command, one identity (tests call main() many times in one process)
    if result.open_gui:
        return launch_gui(args)
    _emit(result, as_json)
    return result.exit_code


def _refuse_gui_without_libraries(as_json: bool) -> int | None:
    """Qt aborts without a word (exit 134) when a system library it loads is missing: name them and their packages
    before anything starts (also before `gui --demo N` fills the database). None when the GUI can start."""
    from xinfang_desktop.ui.system_libs import gui_start_problem

    problem = gui_start_problem()
    if problem is None:
        return None
    message, missing = problem
    if as_json:
        payload = {
            "error": message,
            "exit_code": EXIT_FAILURE,
            "missing_libraries": [library for library, _ in missing],
            "packages": list(dict.fromkeys(package for _, package in missing)),
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    sys.stderr.write(message + "\n")
    return EXIT_FAILURE


def launch_gui(args: argparse.Namespace) -> int:
    """Open the desktop application (it prints its own smoke-mode JSON)."""
    from xinfang_desktop.ui.app import run

    code: int = run(args)
    return code


def gui_main() -> int:
    """Entry point of the `xinfang-desktop` GUI script."""
    return main(["gui", *sys.argv[1:]])
