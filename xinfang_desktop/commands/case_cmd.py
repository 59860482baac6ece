"""`xinfang case add|submit|show|list|duplicates`: register and look up cases in the ledger."""

from __future__ import annotations

import argparse
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg, read_json_input
from xinfang_desktop.commands.base import today_arg as _today
from xinfang_desktop.core.codes import CaseStatus, Channel
from xinfang_desktop.core.ledger import Cursor, LedgerFilter, LedgerPageRequest, SortKey


def _add(ctx: Context) -> Result:
    from xinfang_desktop.persistence.case_intake import add_case

    data = read_json_input(ctx.args.input)
    outcome = add_case(ctx.database(), data, today=_today(ctx))
    reg = outcome.registered
    lines = [f"已登记信访事项 {reg.number}（{reg.status.label}），办理期限 {reg.due_on}"]
    lines += [f"提示：{w}" for w in outcome.warnings]
    if reg.duplicates:
        lines.append("可能与以下事项重复，请核实后决定是否作为重复信访处理：")
        lines += [f"  {d.number} {d.petitioner_name} — {d.reason}" for d in reg.duplicates]
    return Result(outcome.to_json(), "\n".join(lines))


def _submit(ctx: Context) -> Result:
    from xinfang_desktop.persistence.case_intake import submit

    data = read_json_input(ctx.args.input)
    outcome = submit(ctx.database(), ctx.args.number, data, today=_today(ctx))
    s = outcome.submitted
    text = f"已登记 {s.number} 的第 {s.batches} 批次信访（累计 {s.person_visits} 人次）"
    if s.level_skipping_reason:
        text += f"\n越级：{s.level_skipping_reason}"
    return Result(outcome.to_json(), text)


def _import(ctx: Context) -> Result:
    from xinfang_desktop.commands.base import read_json_lines
    from xinfang_desktop.persistence.case_intake import import_cases

    items = read_json_lines(ctx.args.input)
    if not items:
        raise UsageError("输入中没有任何信访事项")
    registered, warnings = import_cases(ctx.database(), items, today=_today(ctx))
    data = {"imported": len(registered), "numbers": [r.number for r in registered], "warnings": warnings}
    first, last = registered[0].number, registered[-1].number
    return Result(data, f"已导入 {len(registered)} 件信访事项（{first} … {last}）")


def _attach(ctx: Context) -> Result:
    from pathlib import Path

    from xinfang_desktop.persistence.attachments import add_attachment

    info = add_attachment(ctx.database(), ctx.args.number, Path(ctx.args.file), name=ctx.args.name)
    return Result(info, f"已保存附件 {info['name']}（{info['size']} 字节，SHA-256 {info['sha256'][:12]}…）")


def _duplicates(ctx: Context) -> Result:
    from xinfang_desktop.persistence.case_intake import duplicate_suggestions

    found = duplicate_suggestions(ctx.database(), read_json_input(ctx.args.input), today=_today(ctx))
    text = "\n".join(f"{d.number} {d.petitioner_name} — {d.reason}" for d in found) or "未发现可能重复的事项"
    return Result({"duplicates": [d.to_json() for d in found]}, text)


def _show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.calendar_store import load_calendar
    from xinfang_desktop.persistence.case_detail import case_detail
    from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds

    db = ctx.database()
    calendar, thresholds = load_calendar(db), deadline_thresholds(db)
    if ctx.args.reveal is not None:  # the full ID numbers and phones: personal.reveal, a reason, audited
        from xinfang_desktop.persistence.personal_data import reveal_case

        detail = reveal_case(
            db, ctx.args.number, ctx.args.reveal, today=_today(ctx), calendar=calendar, thresholds=thresholds
        )
        return Result(detail, _detail_text(detail))
    with db.read_session() as session:
        detail = case_detail(session, ctx.args.number, today=_today(ctx), calendar=calendar, thresholds=thresholds)
    return Result(detail, _detail_text(detail))


def _person_text(p: dict[str, Any]) -> str:
    parts = [p["role"], p["id_number"] and f"证件 {p['id_number']}", p["phone"] and f"电话 {p['phone']}"]
    return f"{p['name']}（{'，'.join(x for x in parts if x)}）"


def _detail_text(d: dict[str, Any]) -> str:
    people = "、".join(_person_text(p) for p in d["petitioners"])
    lines = [
        f"{d['number']}  {d['status']}",
        f"信访人：{people}",
        f"形式：{d['channel']}  目的：{d['purpose']}  收到：{d['received_on']}  "
        f"批次/人次：{d['batches']}/{d['person_visits']}",
        f"属地：{d['locality'] or '—'}  分类：{d['category'] or '—'}  责任单位：{d['responsible_unit'] or '—'}",
        f"内容：{d['summary']}",
    ]
    for dl in d["deadlines"]:
        state = f"（{dl['state_label']}）" if dl.get("state_label") else ""
        lines.append(f"期限 {dl['rule']}：{dl['due']}{state} — {dl['explanation']}")
    lines += [f"{e['date']} {e['action_label']} {e['reason'] or ''}（{e['actor']}）" for e in d["events"]]
    return "\n".join(lines)


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.ledger_queries import ledger_count, ledger_page

    a = ctx.args
    statuses = tuple(CaseStatus.parse(s, field="status") for s in a.status or [])
    flt = LedgerFilter(
        search=a.search,
        statuses=statuses,
        channel=Channel.parse(a.channel, field="channel") if a.channel else None,
        received_from=parse_date_arg(a.received_from, "起始日期") if a.received_from else None,
        received_to=parse_date_arg(a.received_to, "截止日期") if a.received_to else None,
    )
    try:
        sort = SortKey(a.sort)
    except ValueError:
        raise UsageError(f"未知的排序方式“{a.sort}”，可选：{'、'.join(k.value for k in SortKey)}") from None
    req = LedgerPageRequest(flt, sort, not a.ascending, a.limit, Cursor.decode(a.after) if a.after else None)
    with ctx.database().read_session() as session:
        page = ledger_page(session, req)
        total = ledger_count(session, flt)
    data = {
        "total": total,
        "rows": [r.to_json() for r in page.rows],
        "next": page.next_cursor.encode() if page.next_cursor else None,
    }
    lines = [f"共 {total} 件"] + [
        f"{r.number}  {r.received_on}  {r.channel.label}  {r.status.label}  {r.petitioner}  {r.summary[:30]}"
        for r in page.rows
    ]
    return Result(data, "\n".join(lines))


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    case = sub.add_parser("case", help="信访事项：登记、重复信访、查看、台账")
    cs = case.add_subparsers(dest="case_command", metavar="ACTION")

    p = cs.add_parser("add", parents=[common], help="登记新的信访事项（JSON 输入）")
    p.add_argument("input", metavar="FILE|-", help="JSON 文件，或 - 表示标准输入（字段见 README）")
    p.add_argument("--today", metavar="DATE", help="以此日期为今天（默认系统日期）")
    p.set_defaults(handler=_add)

    p = cs.add_parser("import", parents=[common], help="批量导入：JSON 数组或每行一个 JSON 对象（全部有效才写入）")
    p.add_argument("input", metavar="FILE|-")
    p.add_argument("--today", metavar="DATE", help="以此日期为今天（默认系统日期）")
    p.set_defaults(handler=_import)

    p = cs.add_parser("submit", parents=[common], help="登记已有事项的再次来信、来访、来电")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("input", metavar="FILE|-")
    p.add_argument("--today", metavar="DATE", help="以此日期为今天（默认系统日期）")
    p.set_defaults(handler=_submit)

    p = cs.add_parser("attach", parents=[common], help="为信访事项添加附件（扫描件、照片、录音录像）")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--name", metavar="NAME", help="附件名称（默认用文件名）")
    p.set_defaults(handler=_attach)

    p = cs.add_parser("duplicates", parents=[common], help="列出与一份登记输入可能重复的事项")
    p.add_argument("input", metavar="FILE|-")
    p.add_argument("--today", metavar="DATE", help="以此日期为今天（默认系统日期）")
    p.set_defaults(handler=_duplicates)

    p = cs.add_parser("show", parents=[common], help="查看一件信访事项")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--today", help="按此日期计算期限状态（默认今天）")
    p.add_argument(
        "--reveal",
        metavar="REASON",
        help="显示完整身份证号和电话（须有“查看完整个人信息”权限并说明理由；记入审计日志）",
    )
    p.set_defaults(handler=_show)

    from xinfang_desktop.commands.lifecycle_cmd import register_case_actions

    register_case_actions(cs, common)

    p = cs.add_parser("list", parents=[common], help="台账列表")
    p.add_argument("--search", metavar="TEXT", help="姓名、证件号、电话、地址或内容")
    p.add_argument("--status", action="append", metavar="S", help="事项状态（中文），可重复")
    p.add_argument("--channel", metavar="C", help="信访形式（中文）")
    p.add_argument("--from", dest="received_from", metavar="DATE", help="收到日期起")
    p.add_argument("--to", dest="received_to", metavar="DATE", help="收到日期止")
    p.add_argument("--sort", default="received", help="received | last_received | due | number")
    p.add_argument("--ascending", action="store_true", help="升序（默认降序）")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.add_argument("--after", metavar="CURSOR", help="上一页返回的 next 值")
    p.set_defaults(handler=_list)
