"""`xinfang case act|timeline`, `xinfang queue`, `xinfang tick`: the daily work of the office on its cases."""

from __future__ import annotations

import argparse
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg
from xinfang_desktop.commands.base import today_arg as _today
from xinfang_desktop.commands.summary import add_summary_args

ACTIONS = (
    "accept",
    "decline",
    "refuse-again",
    "forward",
    "assign",
    "receipt",
    "object",
    "progress",
    "extend",
    "hearing-start",
    "hearing-end",
    "conclude",
    "deliver",
    "rate",
    "request-review",
    "review-decision",
    "request-final-review",
    "final-review-decision",
    "supervise",
    "urge",
    "simplified-accept",
    "simplified-conclude",
    "close",
)


def _label(name: str) -> str:
    """The Chinese name of an action given by its value or CLI name (the name itself when unknown)."""
    from xinfang_desktop.core.actions import CaseAction

    try:
        return CaseAction(name.replace("-", "_")).label
    except ValueError:
        return name


def _glossed() -> str:
    """Each action's CLI name with its Chinese name: accept（受理）、decline（不予受理）…"""
    from xinfang_desktop.core.actions import CaseAction

    return "、".join(f"{name}（{CaseAction(name.replace('-', '_')).label}）" for name in ACTIONS)


def _act(ctx: Context) -> Result:
    from xinfang_desktop.core.actions import CaseAction
    from xinfang_desktop.core.lifecycle import ActionRequest
    from xinfang_desktop.persistence.lifecycle_store import act

    a = ctx.args
    by_label = {CaseAction(name.replace("-", "_")).label: name for name in ACTIONS}
    a.action = by_label.get(a.action.strip(), a.action.strip())  # 受理 as well as accept
    if a.action not in ACTIONS:
        raise UsageError(f"未知的操作“{a.action}”，可选：{_glossed()}", field="action")
    today = _today(ctx)
    if a.days is not None and not 1 <= a.days <= 3650:
        raise UsageError("天数应在 1 到 3650 之间", field="days")
    request = ActionRequest(
        action=CaseAction(a.action.replace("-", "_")),
        on=parse_date_arg(a.date, "日期") if a.date else today,
        unit=a.unit.strip() if a.unit else None,
        reason=a.reason,
        outcome=a.outcome,
        rating=a.rating,
        days=a.days,
        number=a.transfer_number,
        mode=a.mode,
        approver=a.approver,
        units=tuple(u.strip() for u in (a.assisting or []) if u.strip()),
    )
    outcome = act(ctx.database(), a.number, request, today=today)
    lines = [f"{outcome.number}：{outcome.status.label}"]
    lines += [f"  {e['date']} {_label(e['action'])} {e['reason'] or ''}".rstrip() for e in outcome.events]
    if outcome.document:
        from xinfang_desktop.documents.types import spec

        lines.append(f"  应制作文书：{spec(outcome.document).label}（xinfang doc render {outcome.document} --case …）")
    running = [d for d in outcome.clocks if not d.get("met_on")]
    lines += [f"  期限 {d['rule']}：{d['due']} — {d['explanation']}" for d in running]
    allowed = "、".join(f"{_label(name)}（{name}）" for name in outcome.allowed)
    lines.append(f"  下一步可执行：{allowed or '（无）'}")
    return Result(outcome.to_json(), "\n".join(lines))


def _timeline(ctx: Context) -> Result:
    from xinfang_desktop.persistence.case_detail import case_events
    from xinfang_desktop.persistence.data_scope import require_case_in_scope
    from xinfang_desktop.persistence.lifecycle_store import load_case

    with ctx.database().read_session() as session:
        loaded = load_case(session, ctx.args.number)
        require_case_in_scope(session, loaded.record.id, ctx.args.number)
        events = case_events(session, loaded.record.id)
    text = "\n".join(
        f"{e['seq']:>3}. {e['date']} {e['action_label']}"
        + (f" → {e['to_status']}" if e["to_status"] else "")
        + (f"：{e['reason']}" if e["reason"] else "")
        + f"（{e['actor']}）"
        for e in events
    )
    return Result({"number": ctx.args.number, "events": events}, text)


def _queue(ctx: Context) -> Result:
    from xinfang_desktop.core.ledger import LedgerPageRequest
    from xinfang_desktop.core.queues import queue, queue_filter
    from xinfang_desktop.persistence.calendar_store import load_calendar
    from xinfang_desktop.persistence.ledger_queries import ledger_count, ledger_page
    from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds
    from xinfang_desktop.persistence.uow import current_login, user_id_of

    q = queue(ctx.args.name)
    db = ctx.database()
    today = _today(ctx)
    with db.read_session() as session:
        flt = queue_filter(
            q.name,
            today=today,
            calendar=load_calendar(db),
            user_id=user_id_of(session, current_login()),
            due_soon_workdays=deadline_thresholds(db).due_soon_workdays,
        )
        page = ledger_page(session, LedgerPageRequest(flt, q.sort, q.descending, ctx.args.limit))
        total = ledger_count(session, flt)
    data = {"queue": q.name, "label": q.label, "today": today.isoformat(), "total": total}
    data["rows"] = [r.to_json() for r in page.rows]
    lines = [f"{q.label}：共 {total} 件"] + [
        f"{r.number}  期限 {r.due_on or '—'}  {r.status.label}  {r.petitioner}  {r.summary[:24]}" for r in page.rows
    ]
    return Result(data, "\n".join(lines))


def _tick(ctx: Context) -> Result:
    from xinfang_desktop.commands.summary import first_of, summarise
    from xinfang_desktop.persistence.daily_tick import daily_tick

    first = first_of(ctx.args)
    summary = daily_tick(ctx.database(), today=_today(ctx), full=ctx.args.full, first=first)
    lines = [f"{summary['today']}：检查 {summary['examined']} 件，变化 {summary['changed']} 件"]
    if summary["accountability"]["added"]:
        lines.append(f"新发现追责线索 {summary['accountability']['added']} 条（xinfang accountability candidates）")
    for c in summary["cases"][:50]:
        lines.append(f"  {c['number']} → {c['status']}")
    summary["warnings"] = summarise(summary["warnings"], WARNING_LISTS, first=first)
    return Result(summarise(summary, ("cases",), first=first), "\n".join(lines))


#: The lists of `tick_warnings` / `warn scan` that grow with the ledger (summarised in the JSON by default).
WARNING_LISTS = ("candidates", "explanations", "backlog", "reviews", "overdue")


def register_case_actions(cs: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = cs.add_parser("act", parents=[common], help="对信访事项执行一项办理操作")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("action", metavar="ACTION", help="操作（英文名或中文名均可）：" + _glossed())
    p.add_argument("--date", metavar="D", help="操作日期（默认今天）")
    p.add_argument("--unit", metavar="NAME", help="单位（转送、交办、主办）")
    p.add_argument("--reason", metavar="TEXT", help="理由、说明或进展")
    p.add_argument(
        "--outcome", metavar="LABEL", help="处理意见：予以支持/解释说明/不予支持；复查复核：维持/撤销/变更/责令重新作出"
    )
    p.add_argument("--rating", metavar="LABEL", help="满意/基本满意/不满意/未评价")
    p.add_argument("--days", type=int, metavar="N", help="延期天数、交办期限或督办期限")
    p.add_argument("--transfer-number", metavar="TEXT", help="转送、交办文号")
    p.add_argument("--mode", metavar="TEXT", help="交办：要结果/要情况；进展：事权单位见面/当面反馈/领导见面")
    p.add_argument("--approver", metavar="NAME", help="延期批准人")
    p.add_argument("--assisting", action="append", metavar="NAME", help="协办单位（受理时，可重复）")
    p.add_argument("--today", metavar="D", help=argparse.SUPPRESS)
    p.set_defaults(handler=_act)

    p = cs.add_parser("timeline", parents=[common], help="事项的全部办理记录（按顺序）")
    p.add_argument("number", metavar="NUMBER")
    p.set_defaults(handler=_timeline)


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "queue", parents=[common], help="工作队列：mine due_today due_soon overdue awaiting_* supervision_open"
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--today", metavar="D", help="按此日期计算（默认今天）")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.set_defaults(handler=_queue)

    p = sub.add_parser("tick", parents=[common], help="执行到期变化：期限届满、超期标记、自动督办（可重复运行）")
    p.add_argument("--today", metavar="D", help="按此日期计算（默认今天）")
    p.add_argument(
        "--full", action="store_true", help="校验模式：重放每件有期限或督办的事项（默认只看到期事项，结果相同）"
    )
    add_summary_args(p)
    p.set_defaults(handler=_tick)
