"""Database failures a user can act on, told in Chinese: not a database, locked, disk full, server unreachable."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

_KNOWN = (
    ("file is not a database", "该文件不是信访工作台的数据库（或已损坏）"),
    ("database is locked", "数据库正被其他程序占用，请稍后再试"),
    ("database or disk is full", "磁盘已满，未能保存；数据库保持原样"),
    ("disk i/o error", "磁盘读写错误，未能保存；请检查存储设备"),
    ("unable to open database file", "无法打开数据库文件（路径不存在或没有权限）"),
    ("readonly database", "数据库文件为只读，无法保存"),
    ("connection refused", "无法连接数据库服务器（连接被拒绝），请检查地址、端口和服务器状态"),
    ("password authentication failed", "数据库服务器拒绝了用户名或密码"),
    ("does not exist", "数据库服务器上没有这个数据库"),
)


def describe_database_error(exc: BaseException) -> str | None:
    """A Chinese sentence for a known database failure, or None when it is not one (a bug, then)."""
    if not isinstance(exc, SQLAlchemyError):
        return None
    detail = str(exc.orig if isinstance(exc, DBAPIError) else exc).lower()
    for needle, message in _KNOWN:
        if needle in detail:
            return message
    if isinstance(exc, OperationalError):
        first_line = str(exc.orig).strip().splitlines()[0] if isinstance(exc, DBAPIError) else str(exc)
        return f"数据库操作失败：{first_line}"
    return None
