"""`xinfang audit verify|list|retention`: the tamper-evident audit log (issue 17, reliability.md R17/R18).

xinfang audit verify [--key-file OLD]
                            → {"ok", "entries", "protected", "unprotected", "first_broken": null | {id, at, reason,
                               kind}, "anchors", "triggers_ok", "missing_triggers", …}; exit 1 when broken
xinfang audit list [--user LOGIN | --actor LOGIN] [--from D] [--to D] [--action A] [--entity E] [--object TEXT]
                   [--limit N] [--before ID]
                            → {"entries": [{id, at, user, workstation, action, entity, entity_id, detail}], "count",
                               "more"}, newest first
xinfang audit retention [--logs-days N] [--personal-days N]
                            → {"logs_days", "personal_days", "floors"}; below the legal floors: exit 2
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import EXIT_FAILURE, Context, Result, UsageError, parse_date_arg


def _verify(ctx: Context) -> Result:
    from xinfang_desktop.persistence.audit_chain import KeyFileError, verify_chain

    extra = [Path(p) for p in ctx.args.key_file or ()]
    for path in extra:
        if not path.is_file():
            raise UsageError(f"密钥文件不存在：{path}", field="key_file")
    try:
        report = verify_chain(ctx.database(create=False), extra_key_files=extra)
    except KeyFileError as exc:
        raise UsageError(str(exc), field="key_file") from None
    return Result(report.to_json(), report.text(), exit_code=0 if report.ok else EXIT_FAILURE)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.audit_log import ACTION_LABELS, ENTITY_LABELS, AuditFilter, list_entries

    a = ctx.args
    wanted = AuditFilter(
        user=a.actor,
        date_from=parse_date_arg(a.date_from, "起始日期") if a.date_from else None,
        date_to=parse_date_arg(a.date_to, "截止日期") if a.date_to else None,
        action=a.action,
        entity=a.entity,
        object_text=a.object,
        limit=a.limit + 1,  # one more tells whether there are more
        before_id=a.before,
    )
    rows = list_entries(ctx.database(create=False), wanted)
    more = len(rows) > a.limit
    rows = rows[: a.limit]
    data = {"entries": rows, "count": len(rows), "more": more}
    if not rows:
        return Result(data, "没有符合条件的审计记录")
    lines = [
        f"{r['id']:>8}  {r['at']}  {r['user']}@{r['workstation']}  {ACTION_LABELS.get(str(r['action']), r['action'])}  "
        f"{ENTITY_LABELS.get(str(r['entity']), r['entity'])} {r['entity_id']}"
        for r in rows
    ]
    if more:
        lines.append(f"……更早的记录：加 --before {rows[-1]['id']} 继续列出")
    return Result(data, "\n".join(lines))


def _retention(ctx: Context) -> Result:
    from xinfang_desktop.persistence.audit_log import RETENTION_FLOORS, retention, set_retention

    db = ctx.database()
    a = ctx.args
    if a.logs_days is None and a.personal_days is None:
        values = retention(db)
    else:
        values = set_retention(db, logs_days=a.logs_days, personal_days=a.personal_days)
    data = {**values, "floors": RETENTION_FLOORS}
    text = (
        f"审计日志至少保存 {values['logs_days']} 天（下限 {RETENTION_FLOORS['logs_days']} 天）；"
        f"查看完整个人信息的记录至少保存 {values['personal_days']} 天（下限 {RETENTION_FLOORS['personal_days']} 天）。"
        "本程序不删除审计记录。"
    )
    return Result(data, text)


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("audit", help="审计日志：校验、查询、保存期限")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION")
    v = asub.add_parser("verify", parents=[common], help="校验审计链（发现改动、删除、伪造和截断）")
    v.add_argument(
        "--key-file",
        action="append",
        metavar="FILE",
        help="另用此密钥文件校验（如从备份找回的旧密钥；可重复；不改动现用的密钥文件）",
    )
    v.set_defaults(handler=_verify)
    q = asub.add_parser("list", parents=[common], help="列出审计记录（最新的在前）")
    # --user names the acting account of every command (commands/base.py); here it is also the filter (the issue's
    # contract `audit list --user U`, commands/auth._audit_user_filter); --actor filters without signing in as U.
    q.add_argument("--actor", metavar="LOGIN", help="只列出该用户（操作人）的记录（也可用 --user，见说明）")
    q.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="起始日期")
    q.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="截止日期（含当日）")
    q.add_argument("--action", metavar="ACTION", help="操作（如 create、update、reveal）")
    q.add_argument("--entity", metavar="ENTITY", help="对象类型（如 case、setting）")
    q.add_argument("--object", metavar="TEXT", help="对象编号中含有此文字（如信访事项编号）")
    q.add_argument("--limit", type=_positive, default=100, metavar="N", help="最多列出多少条（默认 100）")
    q.add_argument("--before", type=_positive, metavar="ID", help="只列出编号小于 ID 的记录（翻页）")
    q.set_defaults(handler=_list)
    r = asub.add_parser("retention", parents=[common], help="审计记录的最短保存期限（不能低于法定下限）")
    r.add_argument("--logs-days", type=int, metavar="N", help="审计日志保存天数（至少 180）")
    r.add_argument("--personal-days", type=int, metavar="N", help="查看完整个人信息的记录保存天数（至少 1096）")
    r.set_defaults(handler=_retention)
