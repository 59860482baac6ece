"""Database failures a user can act on, told in Chinese: not a database, locked, disk full, server unreachable."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from xinfang_desktop.core.errors import ConflictError, DomainError

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


class ConcurrentEditError(ConflictError):
    """Another workstation changed the case between the moment it was read and this write (issue 17, 多台工作站).

    Nothing was written. `changes` are the case's events recorded since the read (who, when, what), read from the
    case's own timeline; the CLI exits 2 with them in the JSON (`conflict`, `changes`), the case window shows the
    message and reloads the case.
    """

    def __init__(
        self,
        number: str,
        changes: list[dict[str, object]],
        *,
        read_version: int | None = None,
        current_version: int | None = None,
    ) -> None:
        self.number = number
        self.changes = changes
        if changes:
            what = "；".join(describe_change(c) for c in changes)
        else:
            what = "修改没有留下办理记录（例如信访记录或标记）"
        message = (
            f"信访事项 {number} 在您读取之后已被他人修改，您的操作没有保存。期间的修改：{what}。"
            "请先查看该事项的最新情况，再决定如何办理。"
        )
        super().__init__(
            message,
            field="version",
            details={
                "conflict": "concurrent_edit",
                "number": number,
                "read_version": read_version,
                "current_version": current_version,
                "changes": changes,
            },
        )


def describe_change(change: dict[str, object]) -> str:
    """“2026-12-01 09:30 李四 办理了“受理”（待受理 → 办理中）” for one event of `ConcurrentEditError.changes`."""
    when = str(change.get("recorded_at") or change.get("date") or "").replace("T", " ")[:16]
    who = str(change.get("actor") or "（未知账号）")
    workstation = f"（{change['workstation']}）" if change.get("workstation") else ""
    text = f"{when} {who}{workstation} 办理了“{change.get('action_label') or change.get('action')}”".strip()
    before, after = change.get("from_status"), change.get("to_status")
    if after and before != after:
        text += f"（{before or '—'} → {after}）"
    return text


class NetworkShareError(DomainError):
    """A SQLite database file on a network share: refused before it is opened (issue 17, 多台工作站; exit 2)."""

    def __init__(self, path: str, where: str, override_env: str) -> None:
        message = (
            f"数据库文件 {path} 位于网络共享上（{where}），拒绝打开：SQLite 的文件锁在 SMB/CIFS、NFS 等网络文件系统上"
            "不可靠，多台电脑通过共享同时使用一个数据库文件会把它损坏。多台工作站共用一个台账，请使用 PostgreSQL 数据库"
            "（--db postgresql://账号@服务器/xinfang，见 docs/security.md“多台工作站”）；只有一台电脑使用时，请把数据库"
            f"文件放在本机磁盘上。确需在网络共享上打开（风险自负，且同一时间只能有一台电脑使用），请设置环境变量 "
            f"{override_env}=1。"
        )
        super().__init__(message, field="db", details={"refused": "network_share", "path": path, "share": where})
