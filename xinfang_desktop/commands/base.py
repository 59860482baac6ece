"""Shared plumbing of the CLI: the command context, results, and the errors that map to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.json_input import JsonInputError, decode_json

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_DENIED = 3  # the role may not do it, or no valid login (nothing written)


class UsageError(DomainError):
    """Bad input on the command line (exit code 2)."""


@dataclass
class Result:
    """What a command produced: a JSON document for tools and Chinese text for people."""

    data: Any
    text: str = ""
    exit_code: int = EXIT_OK
    open_gui: bool = False  # the command prepared everything; cli.py now opens the window


@dataclass
class Context:
    """What a command handler receives: the parsed arguments and lazy access to the database."""

    args: argparse.Namespace
    _database: Database | None = field(default=None, repr=False)
    must_change_password: bool = False  # the login proved the password but it must be changed first

    @property
    def db_target(self) -> str | None:
        return getattr(self.args, "db", None)

    def database(self, *, create: bool = True) -> Database:
        """Open the database (creating or upgrading it as needed); it is closed when the command ends."""
        if self._database is None:
            from xinfang_desktop.persistence.database import open_database

            self._database = open_database(self.db_target, create=create)
        return self._database

    def opened_database(self) -> Database | None:
        """The database if this command already opened it (to check the acting user), without opening it."""
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None


Handler = Callable[[Context], Result]


def add_common(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Options every command accepts, before or after the subcommand."""
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="数据库文件路径或 PostgreSQL URL（默认：用户数据目录中的 SQLite 文件；环境变量 XINFANG_DB）",
    )
    parser.add_argument(
        "--user",
        metavar="LOGIN",
        default=argparse.SUPPRESS,
        help="以此账号操作（已启用登录时提示输入口令，或读环境变量 XINFANG_PASSWORD；环境变量 XINFANG_USER）",
    )
    parser.add_argument(
        DB_KEY_FILE_OPTION,
        metavar="FILE",
        type=db_key_file_arg,
        default=argparse.SUPPRESS,
        help="加密数据库的密钥文件（第一行是口令，例如放在U盘上；也可用环境变量 XINFANG_DB_KEY_FILE）",
    )
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="输出一个 JSON 文档")
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="出错时显示调用栈")
    return parser


#: The key file of an encrypted database, on every command (issue 17). Spelled --db-key-file because `audit verify`
#: already gives --key-file another meaning (older audit-chain key files); `init` and `db …` also take --key-file.
DB_KEY_FILE_OPTION = "--db-key-file"


def db_key_file_arg(value: str) -> str:
    """The database key file, told to persistence.encryption while the arguments are parsed, so that the database
    opened to check the acting account (before the handler runs) is already opened with it."""
    from xinfang_desktop.persistence.encryption import set_key_file

    set_key_file(value)
    return value


def parse_date_arg(text: str, field_label: str = "日期") -> date:
    """A YYYY-MM-DD argument, or a UsageError naming the field."""
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise UsageError(f"{field_label}格式错误：“{text}”，应为 YYYY-MM-DD", field=field_label) from None


def _read_text(source: str) -> str:
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取输入文件 {source}：{exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("输入不是 UTF-8 编码的文本") from None


def today_arg(ctx: Context) -> date:
    """`--today D` when given (to replay or test a day), else the workstation's date: the clock is read only here."""
    given = getattr(ctx.args, "today", None)
    return parse_date_arg(given, "今天日期") if given else date.today()


def read_json_lines(source: str) -> list[Any]:
    """A JSON array, or JSON Lines (one object per line); errors name the line."""
    text = _read_text(source)
    if text.lstrip().startswith("["):
        data = _loads(text)
        return list(data)
    items = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                items.append(decode_json(line))
            except JsonInputError as exc:
                raise UsageError(f"第 {lineno} 行：{exc}") from None
    return items


def _loads(text: str) -> Any:
    try:
        return decode_json(text)
    except JsonInputError as exc:
        raise UsageError(str(exc)) from None


def read_json_input(source: str) -> Any:
    """Read one JSON document from a file path or '-' (standard input); UsageError when it is not JSON."""
    return _loads(_read_text(source))
