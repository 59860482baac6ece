"""`xinfang backup list|create|verify|restore`: verified generations of the database with its documents (issue 17).

xinfang backup list                     → {"database", "folder", "generations": [{name, created_at, reason, counts,
                                           files, size, verified}]}
xinfang backup create                   → the generation taken, verified by reopening it
xinfang backup verify [NAME] [--all]    → {"ok", "results": [{name, ok, integrity, counts_differ, files_…}]}; exit 1
                                           when one fails
xinfang backup restore [NAME]           → the preview (counts then and now, date); nothing changes without --yes
xinfang backup restore [NAME] --yes     → restored, after a "before-restore" backup of what it replaces
NAME is a generation's name as listed (default: the newest, also "latest").
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from xinfang_desktop.commands.base import Context, Result

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database


def _database(ctx: Context) -> Database:
    """The database as it is: not created, not upgraded (a damaged or older file can still be listed and restored)."""
    from xinfang_desktop.core.errors import NotFoundError
    from xinfang_desktop.persistence.database import Database
    from xinfang_desktop.persistence.engine import database_url, sqlite_path

    url = database_url(ctx.db_target)
    path = sqlite_path(url)
    if path is not None and not path.exists() and ctx.args.backup_command != "restore":
        raise NotFoundError(f"数据库文件不存在：{path}")
    return Database(url)


def _size(n: int) -> str:
    return f"{n / 1024**2:,.1f} MB" if n >= 1024**2 else f"{n / 1024:,.1f} KB"


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.backup import backups_dir, list_backups

    db = _database(ctx)
    try:
        generations = list_backups(db)
        data = {
            "database": db.display_name,
            "folder": str(backups_dir(db)),
            "generations": [g.to_json() for g in generations],
        }
    finally:
        db.dispose()
    if not generations:
        return Result(data, f"{data['database']} 还没有备份（xinfang backup create 立即备份）")
    lines = [f"{data['database']} 的备份（{data['folder']}）："]
    for g in generations:
        state = "已校验" if g.ok else "校验未通过" if g.verified else "未校验"
        cases = g.counts.get("cases", 0)
        lines.append(
            f"  {g.name}  {g.created_at:%Y-%m-%d %H:%M}  {g.to_json()['reason_label']}  "
            f"信访事项 {cases} 件，文件 {g.files} 个，{_size(g.size)}，{state}"
        )
    return Result(data, "\n".join(lines))


def _create(ctx: Context) -> Result:
    from xinfang_desktop.persistence.backup import create_backup

    db = _database(ctx)
    try:
        generation = create_backup(db, reason="manual")
    finally:
        db.dispose()
    data = generation.to_json()
    note = (
        "" if generation.ok else f"；注意：{len(generation.verified.get('files_changed', []))} 个文件校验值不符或缺失"
    )
    text = (
        f"已备份到 {generation.path}：信访事项 {generation.counts.get('cases', 0)} 件，"
        f"文件 {generation.files} 个，{_size(generation.size)}，已重新打开校验{note}"
    )
    return Result(data, text, exit_code=0 if generation.ok else 1)


def _verify(ctx: Context) -> Result:
    from xinfang_desktop.persistence.backup import list_backups, verify_backup

    db = _database(ctx)
    try:
        names = [g.name for g in list_backups(db)] if ctx.args.all else [ctx.args.name]
        results = [verify_backup(db, name) for name in names]
    finally:
        db.dispose()
    ok = all(r.ok for r in results)
    data = {"ok": ok, "results": [r.to_json() for r in results]}
    lines = [
        f"{r.name}：{'校验通过' if r.ok else '校验未通过：' + r.problem_text()}"
        f"（{r.counts_checked} 张表的记录数、{r.files_checked} 个文件）"
        for r in results
    ]
    return Result(data, "\n".join(lines) or "没有备份", exit_code=0 if ok else 1)


def _preview_text(preview: dict[str, Any]) -> str:
    g = preview["generation"]
    lines = [
        f"备份 {g['name']}（{g['created_at'].replace('T', ' ')}，{g['reason_label']}）将恢复到 {preview['database']}："
    ]
    for row in preview["counts"]:
        now = "—" if row["current"] is None else row["current"]
        lines.append(f"  {row['label']}：备份中 {row['backup']}，现在 {now}")
    lines.append(f"  文书和附件文件：{preview['files']} 个（现有存档整体换为备份中的文件）")
    return "\n".join(lines)


def _restore(ctx: Context) -> Result:
    from xinfang_desktop.core.errors import DomainError
    from xinfang_desktop.persistence.restore import restore_backup, restore_preview

    db = _database(ctx)
    try:
        preview = restore_preview(db, ctx.args.name)
        if preview["refused"]:
            raise DomainError("；".join(preview["refused"]), field="name", details={"preview": preview})
        if not ctx.args.yes:
            data = {**preview, "restored": False}
            return Result(data, _preview_text(preview) + "\n未做任何改动。确认恢复请加 --yes。")
        done = restore_backup(db, ctx.args.name)
    finally:
        db.dispose()
    safety = f"；恢复前的数据已备份为 {done['safety_backup']}" if done["safety_backup"] else ""
    return Result(done, _preview_text(preview) + f"\n已恢复{safety}。")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", help="备份与恢复：数据库连同文书、附件，逐份校验")
    bsub = p.add_subparsers(dest="backup_command", metavar="ACTION")
    bsub.add_parser("list", parents=[common], help="列出备份").set_defaults(handler=_list)
    bsub.add_parser("create", parents=[common], help="立即备份并校验").set_defaults(handler=_create)
    v = bsub.add_parser("verify", parents=[common], help="重新打开备份并校验")
    v.add_argument("name", nargs="?", default="latest", metavar="NAME", help="备份名（默认最新一份）")
    v.add_argument("--all", action="store_true", help="校验全部备份")
    v.set_defaults(handler=_verify)
    r = bsub.add_parser("restore", parents=[common], help="从备份恢复（先显示将恢复的内容）")
    r.add_argument("name", nargs="?", default="latest", metavar="NAME", help="备份名（默认最新一份）")
    r.add_argument("--yes", action="store_true", help="确认恢复（不加则只显示预览，不做改动）")
    r.set_defaults(handler=_restore)
