"""`xinfang duty …`: the periodic duties of bodies and leaders (职责落实, R-RC-03…06) — the profile's kinds,
recording one done with its minutes, the records (voided, never deleted), leaders' contact points (联系点), and
compliance per period in green and red with what is missing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg, today_arg

LIGHT_MARK = {"green": "●", "red": "✕", "grey": "○"}


def _kinds(ctx: Context) -> Result:
    from xinfang_desktop.persistence.duties.store import list_kinds

    data = list_kinds(ctx.database(), profile=ctx.args.profile)
    lines = [f"{data['profile_name']}：职责 {len(data['kinds'])} 项"]
    lines += [
        f"  {k['kind']:28} {k['label']}｜{k['applies_to_label']}｜{k['requirement']}｜{k['citation']}"
        for k in data["kinds"]
    ]
    return Result(data, "\n".join(lines))


def _record_text(r: dict[str, Any]) -> str:
    minutes = f"｜纪要：{r['minutes']['name']}" if r["minutes"] else ""
    topic = f"｜{r['topic']}" if r["topic"] else ""
    voided = f"｜已作废（{r['voided']['reason']}）" if r.get("voided") else ""
    return f"[{r['id']}] {r['held_on']} {r['kind_label']}｜{r['subject']}｜{r['body']}{topic}{minutes}{voided}"


def _record(ctx: Context) -> Result:
    from xinfang_desktop.persistence.duties.store import DutyInput, record_duty

    a = ctx.args
    minutes = Path(a.minutes) if a.minutes else None
    if minutes is not None and not minutes.is_file():
        raise UsageError(f"找不到会议纪要文件：{a.minutes}", field="minutes")
    inp = DutyInput(
        kind=a.kind,
        held_on=parse_date_arg(a.date, "开展日期（--date）"),
        body=a.body,
        unit=a.unit,
        township=a.township,
        leader=a.leader,
        participants=a.participants,
        topic=a.topic,
        minutes=minutes,
        notes=a.notes,
    )
    data = record_duty(ctx.database(), inp, today=today_arg(ctx))
    return Result(data, "\n".join(["已登记：" + _record_text(data), *(f"注意：{w}" for w in data["warnings"])]))


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.duties.store import list_duties

    a = ctx.args
    if not 1 <= a.limit <= 100000:
        raise UsageError("--limit 应为 1–100000", field="limit")
    data = list_duties(ctx.database(), period=a.period, kind=a.kind, limit=a.limit, include_voided=a.include_voided)
    head = f"{data['period']['label']}：" if data["period"] else ""
    lines = [f"{head}职责落实记录 {data['total']} 条" + ("（未显示全部）" if data["truncated"] else "")]
    lines += [_record_text(r) for r in data["rows"]]
    return Result(data, "\n".join(lines))


def _void(ctx: Context) -> Result:
    from xinfang_desktop.persistence.duties.store import void_duty

    data = void_duty(ctx.database(), ctx.args.id, reason=ctx.args.reason)
    return Result(data, f"已作废职责落实记录 {ctx.args.id}（记录保留，不再计入）：{data['reason']}")


def _delete(ctx: Context) -> Result:
    """`duty delete`, the older name: a record is voided, never deleted."""
    return _void(ctx)


def _point_text(p: dict[str, Any]) -> str:
    return f"[{p['id']}] {p['year']}年｜{p['leader']}｜{p['place_kind_label']}：{p['place']}"


def _year(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UsageError(f"年度应为四位数字：{value}", field="year") from None


def _contacts_list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.duties.contact_points import list_contact_points

    data = list_contact_points(ctx.database(), year=_year(ctx.args.year), leader=ctx.args.leader)
    lines = [f"{data['year']}年领导联系点 {data['total']} 个", *(_point_text(p) for p in data["rows"])]
    return Result(data, "\n".join(lines))


def _contacts_add(ctx: Context) -> Result:
    from xinfang_desktop.persistence.duties.contact_points import add_contact_point

    a = ctx.args
    data = add_contact_point(ctx.database(), year=_year(a.year), leader=a.leader, unit=a.unit, township=a.township)
    return Result(data, "已登记联系点：" + _point_text(data))


def _contacts_remove(ctx: Context) -> Result:
    from xinfang_desktop.persistence.duties.contact_points import remove_contact_point

    data = remove_contact_point(ctx.database(), ctx.args.id, reason=ctx.args.reason)
    return Result(data, "已撤销联系点：" + _point_text(data["removed"]))


def _compliance(ctx: Context) -> Result:
    from xinfang_desktop.persistence.duties.store import compliance

    a = ctx.args
    data = compliance(ctx.database(), a.period, today=today_arg(ctx), kind=a.kind)
    if a.missing_only:
        data["rows"] = [r for r in data["rows"] if r["status"] != "met"]
    s = data["summary"]
    lines = [
        f"{data['period']['label']}职责落实｜{data['profile_name']}｜截至{data['today']}："
        f"达标 {s['met']}，未达标 {s['missed']}，进行中 {s['open']}，未开始 {s['not_started']}"
    ]
    for r in data["rows"]:
        missing = "；".join(r["missing"]) or f"已开展{r['done']}次"
        notes = "".join(f"（{n}）" for n in r.get("notes", []))
        mark = LIGHT_MARK[r["light"]]
        lines.append(f"{mark} [{r['status_label']}] {r['label']}｜{r['subject']}｜{r['requirement']}｜{missing}{notes}")
    return Result(data, "\n".join(lines))


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    duty = sub.add_parser("duty", help="职责落实：常委会议听取汇报、专项督查、矛盾纠纷排查、联系单位督导等")
    d = duty.add_subparsers(dest="duty_cmd", metavar="ACTION")

    p = d.add_parser("kinds", parents=[common], help="规则配置规定的职责（对象、频次、依据）")
    p.add_argument("--profile", metavar="P", help="规则配置（默认：设置中选用的）")
    p.set_defaults(handler=_kinds)

    p = d.add_parser("record", parents=[common], help="登记一次职责落实（会议、督查、排查、督导），可附会议纪要")
    p.add_argument("kind", metavar="KIND", help="职责类型（见 duty kinds），或其名称")
    p.add_argument("--date", required=True, metavar="D", help="开展日期 YYYY-MM-DD")
    p.add_argument("--body", metavar="B", help="开展机关或会议（县本级职责默认取规则配置中的机关）")
    p.add_argument("--unit", metavar="U", help="县直单位（按单位的职责）；领导督导时为所到联系单位")
    p.add_argument("--township", metavar="T", help="乡镇（街道）（按乡镇的职责）")
    p.add_argument("--leader", metavar="L", help="领导姓名或编号（按领导的职责）")
    p.add_argument("--participants", metavar="T", help="参加人员")
    p.add_argument("--topic", metavar="T", help="议题或内容")
    p.add_argument("--minutes", metavar="FILE", help="会议纪要等材料（作为附件保存）")
    p.add_argument("--notes", metavar="T", help="备注")
    p.add_argument("--today", metavar="D", help="按此日期检查（默认今天）")
    p.set_defaults(handler=_record)

    p = d.add_parser("list", parents=[common], help="职责落实记录")
    p.add_argument("--period", metavar="P", help="期间：2026、2026H1、2026Q3、2026-07")
    p.add_argument("--kind", metavar="KIND")
    p.add_argument("--limit", type=int, default=1000, metavar="N")
    p.add_argument("--include-voided", action="store_true", help="连同已作废的记录")
    p.set_defaults(handler=_list)

    for name, words, handler in (("void", "作废", _void), ("delete", "作废（同 void；记录不删除）", _delete)):
        p = d.add_parser(name, parents=[common], help=f"{words}一条误登记的记录：须写明理由，记录保留并留痕，不再计入")
        p.add_argument("id", type=int, metavar="ID")
        p.add_argument("--reason", required=True, metavar="TEXT")
        p.set_defaults(handler=handler)

    contacts = d.add_parser("contacts", help="领导联系点（按年度；督导须到联系点才计入）")
    c = contacts.add_subparsers(dest="contacts_cmd", metavar="ACTION")
    p = c.add_parser("list", parents=[common], help="某年度的领导联系点")
    p.add_argument("--year", required=True, metavar="Y")
    p.add_argument("--leader", metavar="L", help="只看一位领导（姓名或编号）")
    p.set_defaults(handler=_contacts_list)
    p = c.add_parser("add", parents=[common], help="登记一位领导某年度的联系点（乡镇或单位）")
    p.add_argument("--year", required=True, metavar="Y")
    p.add_argument("--leader", required=True, metavar="L", help="领导姓名或编号")
    p.add_argument("--unit", metavar="U", help="联系单位（已登记的单位）")
    p.add_argument("--township", metavar="T", help="联系的乡镇（街道）")
    p.set_defaults(handler=_contacts_add)
    p = c.add_parser("remove", parents=[common], help="撤销一个联系点（须写明理由，留痕）")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.set_defaults(handler=_contacts_remove)

    p = d.add_parser("compliance", parents=[common], help="某期间各职责的落实情况（达标/未达标及所缺）")
    p.add_argument("--period", required=True, metavar="P", help="期间：2026、2026H1、2026Q3、2026-07")
    p.add_argument("--kind", metavar="KIND", help="只看一项职责")
    p.add_argument("--missing-only", action="store_true", help="只列未达标、进行中和未开始的")
    p.add_argument("--today", metavar="D", help="按此日期判断（默认今天）")
    p.set_defaults(handler=_compliance)
