"""`xinfang rectification …`: the 挂牌整治 task chain (R-AS-02) — list the groups of a quarter's composite ranking
(`--quarter 2026Q3`) or of a half year's evaluation (`--half 2026H1`, S4 §18), record the written explanation (with
its file), the 约谈 and the 摘牌, and read the listings with their clocks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg, today_arg
from xinfang_desktop.core.duties import PeriodKind, Span
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.rectification import previous_quarter, quarter_label


def listing_text(r: dict[str, Any]) -> str:
    """[3] 2026年第三季度 东湖镇（乡镇（街道））｜已挂牌｜书面说明：2026-10-20前（剩余5日）."""
    e = r["explanation"]
    if e["on"]:
        explanation = f"书面说明：{e['on']}已提交（{e['clock']['label']}）"
    else:
        explanation = f"书面说明：{e['due']}前（{e['clock']['label']}）"
    parts = [f"[{r['id']}] {r['quarter_label']} {r['name']}（{r['group_kind_label']}）", r["state_label"], explanation]
    if r["interview"]:
        parts.append(f"约谈：{r['interview']['on']} {r['interview']['by']}")
    if r["lifted"]:
        parts.append(f"摘牌：{r['lifted']['on']}（{r['lifted']['reason']}）")
    return "｜".join(parts)


def _listing_id(ctx: Context) -> int:
    value = ctx.args.id
    if value < 1:
        raise UsageError(f"挂牌整治编号应为正整数：{value}", field="id")
    return int(value)


def _period(ctx: Context, *, required: bool) -> Span | None:
    """--quarter 2026Q3 or --half 2026H1 (not both; one of them when `required`), checked before the database is
    opened."""
    from xinfang_desktop.persistence.rectification.store import parse_half_year, parse_quarter

    quarter, half = ctx.args.quarter, ctx.args.half
    if quarter is not None and half is not None:
        raise UsageError("--quarter 与 --half 只能指定一个", field="quarter")
    if quarter is None and half is None:
        if required:
            raise UsageError("请指定 --quarter（季度，如 2026Q3）或 --half（半年，如 2026H1）", field="quarter")
        return None
    try:
        return parse_quarter(quarter) if quarter is not None else parse_half_year(half)
    except DomainError as exc:
        raise UsageError(exc.message, field=exc.field) from None


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.rectification.store import list_listings

    a = ctx.args
    span = _period(ctx, required=False)
    code = span.code if span is not None else None
    data = list_listings(ctx.database(), today=today_arg(ctx), quarter=code, open_only=a.open)
    c = data["counts"]
    head = f"{data['quarter']['label']}：" if data["quarter"] else ""
    lines = [
        f"{head}挂牌整治 {data['total']} 个：已挂牌 {c['listed']}，已提交书面说明 {c['explained']}，"
        f"已约谈 {c['interviewed']}，已摘牌 {c['lifted']}；书面说明逾期 {c['overdue']}"
    ]
    lines += [listing_text(r) for r in data["rows"]]
    return Result(data, "\n".join(lines))


def _from_ranking(ctx: Context) -> Result:
    from xinfang_desktop.reports.rectification_listing import list_from_ranking

    quarter = _period(ctx, required=True)
    assert quarter is not None
    today = today_arg(ctx)
    data = list_from_ranking(ctx.database(), quarter, today=today)
    half = quarter.kind is PeriodKind.HALF_YEAR
    before = quarter_label(previous_quarter(quarter.code)) if half else "上季度"
    lines = [
        f"{data['quarter_label']}{'评价' if half else '综合排名'}：新列入挂牌整治 {len(data['added'])} 个，"
        f"已列入 {len(data['already_listed'])} 个，{before}摘牌 {len(data['lifted'])} 个"
        f"（书面说明期限 {data['explanation_workdays']} 个工作日）"
    ]
    lines += ["新列入：" + listing_text(r) for r in data["added"]]
    lines += ["摘牌：" + listing_text(r) for r in data["lifted"]]
    lines += [f"未列入（无{s['name']}的登记对象）：{'、'.join(s['reasons'])}" for s in data["skipped"]]
    return Result(data, "\n".join(lines))


def _explain(ctx: Context) -> Result:
    from xinfang_desktop.persistence.rectification.store import record_explanation

    a = ctx.args
    file = Path(a.file) if a.file else None
    if file is not None and not file.is_file():
        raise UsageError(f"找不到书面说明文件：{a.file}", field="file")
    data = record_explanation(
        ctx.database(),
        _listing_id(ctx),
        on=parse_date_arg(a.date, "提交日期（--date）"),
        summary=a.summary,
        file=file,
        today=today_arg(ctx),
    )
    return Result(data, "已登记书面说明：" + listing_text(data))


def _interview(ctx: Context) -> Result:
    from xinfang_desktop.persistence.rectification.store import record_interview

    a = ctx.args
    data = record_interview(
        ctx.database(),
        _listing_id(ctx),
        on=parse_date_arg(a.date, "约谈日期（--date）"),
        by=a.by,
        persons=a.persons,
        notes=a.notes,
        today=today_arg(ctx),
    )
    return Result(data, "已登记约谈：" + listing_text(data))


def _lift(ctx: Context) -> Result:
    from xinfang_desktop.persistence.rectification.store import lift_listing

    a = ctx.args
    data = lift_listing(
        ctx.database(),
        _listing_id(ctx),
        on=parse_date_arg(a.date, "摘牌日期（--date）"),
        reason=a.reason,
        today=today_arg(ctx),
    )
    return Result(data, "已摘牌：" + listing_text(data))


def _show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.rectification.store import show_listing

    data = show_listing(ctx.database(), _listing_id(ctx), today=today_arg(ctx))
    lines = [listing_text(data), f"列入原因：{'、'.join(data['listed_for'])}", data["explanation"]["basis"]]
    if data["explanation"]["summary"]:
        lines.append(f"书面说明摘要：{data['explanation']['summary']}")
    if data["explanation"]["attachment"]:
        lines.append(f"书面说明文件：{data['explanation']['attachment']['name']}")
    if data["interview"]:
        lines.append(f"被约谈人员：{data['interview']['persons']}")
    return Result(data, "\n".join(lines))


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    rect = sub.add_parser(
        "rectification", help="挂牌整治：从季度排名（或半年评价）列入、书面说明、约谈、摘牌（R-AS-02）"
    )
    r = rect.add_subparsers(dest="rectification_cmd", metavar="ACTION")

    p = r.add_parser("list", parents=[common], help="挂牌整治对象及书面说明期限")
    p.add_argument("--quarter", metavar="Q", help="季度，如 2026Q3")
    p.add_argument("--half", metavar="H", help="半年，如 2026H1（半年评价）")
    p.add_argument("--open", action="store_true", help="只列未摘牌的")
    p.add_argument("--today", metavar="D", help="按此日期判断期限（默认今天）")
    p.set_defaults(handler=_list)

    p = r.add_parser(
        "from-ranking", parents=[common], help="按季度综合排名（或半年评价）列入挂牌整治（重复执行不重复列入）"
    )
    p.add_argument("--quarter", metavar="Q", help="季度，如 2026Q3（季度结束后）")
    p.add_argument("--half", metavar="H", help="半年，如 2026H1（半年结束后；半年评价）")
    p.add_argument("--today", metavar="D", help="列入日期（默认今天）")
    p.set_defaults(handler=_from_ranking)

    p = r.add_parser("explain", parents=[common], help="登记挂牌单位提交的书面说明，可附文件")
    p.add_argument("id", type=int, metavar="ID", help="挂牌整治编号（见 rectification list）")
    p.add_argument("--date", required=True, metavar="D", help="提交日期 YYYY-MM-DD")
    p.add_argument("--summary", required=True, metavar="TEXT", help="书面说明内容摘要")
    p.add_argument("--file", metavar="F", help="书面说明文件（作为附件保存）")
    p.add_argument("--today", metavar="D", help="按此日期检查（默认今天）")
    p.set_defaults(handler=_explain)

    p = r.add_parser("interview", parents=[common], help="登记领导约谈")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--date", required=True, metavar="D", help="约谈日期 YYYY-MM-DD")
    p.add_argument("--by", required=True, metavar="LEADER", help="约谈领导（姓名或编号）")
    p.add_argument("--persons", required=True, metavar="TEXT", help="被约谈的信访工作相关责任人")
    p.add_argument("--notes", metavar="T", help="约谈情况")
    p.add_argument("--today", metavar="D", help="按此日期检查（默认今天）")
    p.set_defaults(handler=_interview)

    p = r.add_parser("lift", parents=[common], help="摘牌（须写明理由）")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--date", required=True, metavar="D", help="摘牌日期 YYYY-MM-DD")
    p.add_argument("--reason", required=True, metavar="TEXT", help="摘牌理由")
    p.add_argument("--today", metavar="D", help="按此日期检查（默认今天）")
    p.set_defaults(handler=_lift)

    p = r.add_parser("show", parents=[common], help="一个挂牌整治对象的全部情况")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--today", metavar="D", help="按此日期判断期限（默认今天）")
    p.set_defaults(handler=_show)
