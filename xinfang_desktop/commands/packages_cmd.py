"""`xinfang leader|package`: leaders and leader case packages (R-PK).

- `leader add|list` — the register (phones masked in lists), listed in R-PK-03 order with the current load;
- `leader record NAME --period P --pdf FILE` — the 信访工作实绩档案 of a leader for a year, quarter or month;
- `package create|show|update|close|list` — 领导包案 with team, plan, 五包, 约见, target date and outcome;
- `package notice ID -o FILE` — the 领导包案通知 from the stored package, issued (numbered, stored, linked);
(`oversight`, `reception` and `instruction` are in reception_cmd.py.)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg
from xinfang_desktop.commands.base import today_arg as _today


def _split_member(text: str) -> tuple[str, str, str | None]:
    """`姓名:角色:职务` (角色 and 职务 optional)."""
    parts = [p.strip() for p in text.replace("：", ":").split(":")]
    if not parts[0]:
        raise UsageError(f"专班成员格式错误：“{text}”，应为 姓名:角色:职务", field="member")
    role = parts[1] if len(parts) > 1 and parts[1] else "成员"
    post = ":".join(parts[2:]) or None if len(parts) > 2 else None
    return parts[0], role, post


def _milestones(items: list[str] | None) -> list[Any]:
    from xinfang_desktop.core.packages import parse_milestone

    return [parse_milestone(m) for m in items or []]


# ------------------------------------------------------------------------------------------------ leader


def _leader_add(ctx: Context) -> Result:
    from xinfang_desktop.persistence.packages_store import add_leader

    a = ctx.args
    leader = add_leader(
        ctx.database(),
        a.name,
        organ=a.organ,
        rank=a.rank,
        level=a.level,
        post=a.post,
        unit=a.unit,
        region=a.region,
        phone=a.phone,
    )
    return Result(leader, f"已登记领导：{leader['post']}{leader['name']}（编号 {leader['id']}）")


def _leader_list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.packages_store import leader_resolution_rates, list_leaders

    db = ctx.database()
    leaders = list_leaders(db, level=ctx.args.level)
    data: dict[str, Any] = {"leaders": leaders}
    if ctx.args.period:
        from xinfang_desktop.core.reception import parse_period

        period = parse_period(ctx.args.period)
        data["period"] = period.to_json()
        data["resolution"] = leader_resolution_rates(db, period.start, period.end)
    lines = [
        f"{x['rank_order']:>2}. {x['name']}  {x['organ']}{x['rank']}  {x['level']}  {x['post']}  "
        f"在办包案 {x['load']} 件  {x['phone'] or ''}"
        for x in leaders
    ]
    for r in data.get("resolution", []):
        rate = "—" if r["rate"] is None else f"{r['rate']:.0%}"
        lines.append(f"化解率 {r['leader']}：{r['resolved']}/{r['packages']}（{rate}）")
    return Result(data, "\n".join(lines) or "尚未登记领导")


def _leader_record_data(ctx: Context, ref: str, period: Any) -> dict[str, Any]:
    """What the 信访工作实绩档案 prints, gathered from the stores (packages, reception, 阅批) for one leader."""
    from xinfang_desktop.core.reception import DEFAULT_RECEPTION_RULES, LIGHT_LABELS, quarter_period
    from xinfang_desktop.persistence.packages_store import leader_resolution_rates, list_leaders, list_packages
    from xinfang_desktop.persistence.packages_store import resolve_leader as _resolve
    from xinfang_desktop.persistence.reception_store import instruction_meters, list_receptions, reception_compliance

    db = ctx.database()
    today = _today(ctx)
    with db.read_session() as session:
        lid = _resolve(session, ref).id
    leader = next(x for x in list_leaders(db) if x["id"] == lid)
    start, end = period.start.isoformat(), period.end.isoformat()
    packages = [
        {
            k: p[k]
            for k in ("id", "cases", "started_on", "target_on", "status", "duties_progress", "outcome", "closed_on")
        }
        for p in list_packages(db, today=today, leader=str(lid))
        if p["started_on"] <= end and (p["closed_on"] is None or p["closed_on"] >= start)
    ]
    packages.sort(key=lambda p: (p["started_on"], p["id"]))
    rate = next((r for r in leader_resolution_rates(db, period.start, period.end) if r["leader_id"] == lid), None)
    resolution = {k: (rate or {}).get(k, 0) for k in ("packages", "resolved", "open")}
    resolution["rate"] = rate["rate"] if rate else None
    comp = next(r for r in reception_compliance(db, period, today=today) if r["leader_id"] == lid)
    windows = comp["windows"]
    reception = {
        "required": DEFAULT_RECEPTION_RULES.days_required * len(windows),
        "held": sum(len(w["held_days"]) for w in windows),
        "missing": comp["missing"],
        "missed_days": [d for w in windows for d in w["missed_days"]],
        "light": comp["light"],
        "light_label": comp["light_label"],
        "compliant": comp["light"] != "red",
        "windows": windows,
    }
    quarters = sorted({quarter_period(m.year, (m.month - 1) // 3 + 1) for m in (period.start, period.end)})
    if period.kind == "year":
        quarters = [quarter_period(period.start.year, q) for q in range(1, 5)]
    meters = [m for q in quarters for m in instruction_meters(db, q) if m["leader_id"] == lid]
    letters = sum(int(m["first_letters"]) for m in meters)
    instructed = sum(int(m["instructed"]) for m in meters)
    applies = leader["rank"] == "正职"
    threshold = DEFAULT_RECEPTION_RULES.instruction_share
    share = round(instructed / letters, 4) if letters else None
    light = ("green" if share is not None and share >= threshold else "red") if applies else None
    instructions = {
        "quarters": [q.label for q in quarters],
        "first_letters": letters,
        "instructed": instructed,
        "share": share,
        "threshold": threshold,
        "applies": applies,
        "met": light == "green" if applies else None,
        "light_label": LIGHT_LABELS[light] if light else None,
    }
    days = [d for d in list_receptions(db, period, leader=str(lid)) if d["held"]]
    in_person = {
        "days": len(days),
        "petitioners": sum(int(d["petitioners_received"] or 0) for d in days),
        "cases": list(dict.fromkeys(c for d in days for c in d["cases"])),
    }
    return {
        "leader": leader,
        "period": period.to_json(),
        "packages": packages,
        "resolution": resolution,
        "reception": reception,
        "instructions": instructions,
        "received_in_person": in_person,
    }


def _leader_record(ctx: Context) -> Result:
    from xinfang_desktop.core.reception import parse_period

    a = ctx.args
    period = parse_period(a.period)
    if period.kind == "week":
        raise UsageError(f"实绩档案按年、季度或月统计：“{a.period}”", field="period")
    output = Path(a.pdf)
    if output.is_dir():
        raise UsageError(f"--pdf 应为文件路径，而“{output}”是一个文件夹", field="pdf")
    data = _leader_record_data(ctx, a.name, period)
    from xinfang_desktop.documents.leader_documents import leader_record_document
    from xinfang_desktop.documents.pdf_renderer import render_pdf

    info = render_pdf(leader_record_document(data), output)
    data["pdf"] = {"path": str(output), "pages": info.pages}
    res, rec, ins, inp = data["resolution"], data["reception"], data["instructions"], data["received_in_person"]
    rate = "—" if res["rate"] is None else f"{res['rate']:.0%}"
    share = "—" if ins["share"] is None else f"{ins['share']:.0%}"
    lines = [
        f"{data['leader']['post']}{data['leader']['name']} {period.label} 信访工作实绩档案",
        f"包案 {len(data['packages'])} 件，化解率 {res['resolved']}/{res['packages']}（{rate}）",
        f"接访 {rec['held']}/{rec['required']} 天（{rec['light_label']}）",
        f"阅批初次来信 {ins['instructed']}/{ins['first_letters']}（{share}）",
        f"接待群众 {inp['petitioners']} 人次，登记信访事项 {len(inp['cases'])} 件",
        f"已保存：{output}（{info.pages} 页）",
    ]
    return Result(data, "\n".join(lines))


# ------------------------------------------------------------------------------------------------ package


def _package_text(p: dict[str, Any]) -> str:
    lines = [
        f"包案 {p['id']}  {p['status']}{('（' + p['outcome'] + '）') if p['outcome'] else ''}",
        f"包案领导：{p['leader']['post']}{p['leader']['name']}",
        f"信访事项：{'、'.join(c['number'] for c in p['cases'])}",
        f"开始：{p['started_on']}  化解时限：{p['target_on']}  五包：{p['duties_progress']}",
    ]
    if p["team"]:
        lines.append("专班：" + "、".join(f"{m['name']}（{m['role']}）" for m in p["team"]))
    lines += [f"方案 {m['seq']}. {m['title']} {m['due_on']}{' 已完成' if m['done_on'] else ''}" for m in p["plan"]]
    lines += [f"{d['duty']}：{d['status']}" for d in p["duties"]]
    lines += [f"约见 {m['held_on']} {m['notes'] or ''}" for m in p["meetings"]]
    lines += [f"提醒：{r['message']}" for r in p["reminders"]]
    return "\n".join(lines)


def _package_id(text: str) -> int:
    if not text.strip().isdigit():
        raise UsageError(f"包案编号应为数字：“{text}”", field="package")
    return int(text)


def _package_create(ctx: Context) -> Result:
    from xinfang_desktop.persistence.packages_store import PackageInput, create_package

    a = ctx.args
    inp = PackageInput(
        cases=a.case,
        leader=a.leader,
        target_on=parse_date_arg(a.target, "化解时限") if a.target else None,
        started_on=parse_date_arg(a.start, "开始日期") if a.start else None,
        lead_unit=a.unit,
        members=[_split_member(m) for m in a.member or []],
        milestones=_milestones(a.milestone),
        reception_day_id=a.reception,
    )
    p = create_package(ctx.database(), inp, today=_today(ctx))
    return Result(p, f"已建立包案 {p['id']}\n" + _package_text(p))


def _package_show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.packages_store import case_card_data, package_detail

    db = ctx.database()
    pid = _package_id(ctx.args.id)
    p = package_detail(db, pid, today=_today(ctx))
    text = _package_text(p)
    if ctx.args.card:
        from xinfang_desktop.documents.leader_documents import case_card_document
        from xinfang_desktop.documents.pdf_renderer import render_pdf

        info = render_pdf(case_card_document(case_card_data(db, pid, today=_today(ctx))), Path(ctx.args.card))
        p = p | {"card": {"path": str(ctx.args.card), "pages": info.pages}}
        text += f"\n案情卡已保存：{ctx.args.card}（{info.pages} 页）"
    return Result(p, text)


def _package_update(ctx: Context) -> Result:
    from xinfang_desktop.persistence.packages_store import PackageUpdate, update_package

    a = ctx.args
    duties: list[tuple[str, str | None, str | None]] = []
    if a.duty:
        duties.append((a.duty, a.status, a.evidence))
    elif a.status or a.evidence:
        raise UsageError("--status 和 --evidence 需要与 --duty 一起使用", field="duty")
    meetings = []
    if a.meeting:
        meetings.append((parse_date_arg(a.meeting, "约见日期"), a.place, a.notes))
    done = []
    for item in a.milestone_done or []:
        seq, _, when = item.partition("@")
        if not seq.strip().isdigit():
            raise UsageError(f"方案节点完成格式错误：“{item}”，应为 序号@YYYY-MM-DD", field="milestone")
        done.append((int(seq), parse_date_arg(when, "完成日期") if when else _today(ctx)))
    upd = PackageUpdate(
        duties=duties,
        meetings=meetings,
        milestones_done=done,
        add_milestones=_milestones(a.milestone),
        members=[_split_member(m) for m in a.member or []],
        target_on=parse_date_arg(a.target, "化解时限") if a.target else None,
    )
    p = update_package(ctx.database(), _package_id(a.id), upd, today=_today(ctx))
    return Result(p, f"已更新包案 {p['id']}\n" + _package_text(p))


def _package_close(ctx: Context) -> Result:
    from xinfang_desktop.persistence.packages_store import close_package

    a = ctx.args
    today = _today(ctx)
    on = parse_date_arg(a.on, "办结日期") if a.on else today
    p = close_package(ctx.database(), _package_id(a.id), a.outcome, on=on, note=a.note, today=today)
    return Result(p, f"包案 {p['id']} 已办结：{p['outcome']}（{p['closed_on']}）")


def _package_list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.packages_store import list_packages

    rows = list_packages(ctx.database(), today=_today(ctx), leader=ctx.args.leader, status=ctx.args.status)
    lines = [
        f"{r['id']:>4}  {r['leader']}  {'、'.join(r['cases'])}  时限 {r['target_on']}  五包 {r['duties_progress']}  "
        f"{r['outcome'] or r['status']}{'  提醒 ' + str(len(r['reminders'])) if r['reminders'] else ''}"
        for r in rows
    ]
    return Result({"total": len(rows), "packages": rows}, "\n".join(lines) or "没有包案")


def _package_notice(ctx: Context) -> Result:
    """领导包案通知 from a stored package, numbered, stored and linked to the case (`issue_document`)."""
    from xinfang_desktop.commands.doc_cmd import _copy_out
    from xinfang_desktop.documents.case_documents import input_from_case
    from xinfang_desktop.documents.document_store import issue_document, office_info
    from xinfang_desktop.documents.leader_documents import package_notice_input
    from xinfang_desktop.persistence.calendar_store import load_calendar
    from xinfang_desktop.persistence.packages_store import case_card_data, list_leaders
    from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds

    a = ctx.args
    output = Path(a.output)
    if output.is_dir():
        raise UsageError(f"-o 应为文件路径，而“{output}”是一个文件夹", field="output")
    duties: dict[str, str] = {}
    for item in a.duty or []:
        name, sep, text = item.replace("＝", "=").partition("=")
        if not sep or not name.strip() or not text.strip():
            raise UsageError(f"五包要求格式错误：“{item}”，应为 包矛盾化解=具体要求", field="duty")
        duties[name.strip()] = text.strip()
    today = _today(ctx)
    issued_on = parse_date_arg(a.issued, "成文日期") if a.issued else today
    pid = _package_id(a.id)
    db = ctx.database()
    card = case_card_data(db, pid, today=today)
    pkg = card["package"]
    if pkg["status"] != "在办":
        raise UsageError(f"包案 {pid} 已办结，不再出具包案通知", field="package")
    if not pkg["cases"]:
        raise UsageError(f"包案 {pid} 没有信访事项", field="package")
    if not pkg["team"]:
        raise UsageError(
            f"包案 {pid} 尚未组建工作专班，请先用 package update {pid} --member 姓名:角色:职务 添加", field="team"
        )
    if not any(not m["done_on"] for m in pkg["plan"]):
        raise UsageError(
            f"包案 {pid} 没有待完成的方案节点，请先用 package update {pid} --milestone 标题=日期 添加", field="plan"
        )
    number = pkg["cases"][0]["number"]
    office = office_info(db)
    calendar, thresholds = load_calendar(db), deadline_thresholds(db)
    with db.read_session() as session:
        header, _ = input_from_case(
            session, "package_notice", number, today=today, calendar=calendar, thresholds=thresholds, office=office
        )
    leader_unit = next((x["unit"] for x in list_leaders(db) if x["id"] == pkg["leader"]["id"]), None)
    data = package_notice_input(
        card,
        header,
        issued_on=issued_on,
        to_units=a.to or (),
        leader_unit=leader_unit,
        duties=duties,
        report_every=a.report_every,
    )
    if not data["to_units"]:
        raise UsageError(f"包案 {pid} 没有责任单位，请用 --to 指定主送单位", field="to")
    issued = issue_document(db, "package_notice", data, fmt=a.format, office=office, case_number=number)
    _copy_out(issued.path, output)
    result = {"package": pid, "path": str(output), **issued.to_json()}
    return Result(
        result,
        f"已出具{issued.label} {issued.number}：{output}（{issued.pages}页）\n存档：{issued.path}\n"
        f"关联信访事项：{number}",
    )


# ------------------------------------------------------------------------------------------------ oversight


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    leader = sub.add_parser("leader", help="领导登记（包案、接访、阅批的领导）")
    ls = leader.add_subparsers(dest="leader_command", metavar="ACTION")
    p = ls.add_parser("add", parents=[common], help="登记领导")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--organ", required=True, help="所属机关：党委、政府、人大、政协、其他")
    p.add_argument("--rank", required=True, help="正职 或 副职")
    p.add_argument("--level", required=True, help="市、县 或 乡镇")
    p.add_argument("--post", required=True, help="职务，如 县委书记")
    p.add_argument("--unit", help="所在单位（已登记的单位名称）")
    p.add_argument("--region", metavar="CODE", help="分管或所在行政区划代码")
    p.add_argument("--phone", help="联系电话（列表中隐去中间四位）")
    p.set_defaults(handler=_leader_add)
    p = ls.add_parser(
        "list", parents=[common], help="按先党委后政府、先正职后副职排序的领导名单及在办包案数（R-PK-03）"
    )
    p.add_argument("--level", help="只列此层级：市、县、乡镇")
    p.add_argument("--period", help="同时计算此期间的包案化解率，如 2026 或 2026Q3")
    p.set_defaults(handler=_leader_list)
    p = ls.add_parser("record", parents=[common], help="领导信访工作实绩档案（包案、化解率、接访、阅批）PDF")
    p.add_argument("name", metavar="ID|NAME")
    p.add_argument("--period", required=True, help="2026、2026Q3 或 2026-07")
    p.add_argument("--pdf", required=True, metavar="FILE.pdf", help="导出 PDF")
    p.add_argument("--today", metavar="DATE", help="以此日期为今天")
    p.set_defaults(handler=_leader_record)

    package = sub.add_parser("package", help="领导包案（R-PK）")
    ps = package.add_subparsers(dest="package_command", metavar="ACTION")
    p = ps.add_parser("create", parents=[common], help="建立包案：一个案件、一名领导、一个专班、一套方案")
    p.add_argument("--case", action="append", required=True, metavar="NUMBER", help="信访事项编号，可重复（关联案件）")
    p.add_argument("--leader", required=True, metavar="ID|NAME", help="包案领导（编号或姓名）")
    p.add_argument("--target", metavar="DATE", help="化解时限（默认开始后 60 个工作日）")
    p.add_argument("--start", metavar="DATE", help="包案开始日期（默认今天）")
    p.add_argument("--unit", metavar="NAME", help="责任单位")
    p.add_argument("--member", action="append", metavar="姓名:角色:职务", help="专班成员，可重复")
    p.add_argument("--milestone", action="append", metavar="标题=DATE|+N", help="方案节点：日期或开始后第 N 个工作日")
    p.add_argument("--reception", type=int, metavar="ID", help="来自哪次领导接访（R-PK-06）")
    p.add_argument("--today", metavar="DATE", help="以此日期为今天")
    p.set_defaults(handler=_package_create)
    p = ps.add_parser("show", parents=[common], help="查看包案（--card 导出约见前的案情卡 PDF）")
    p.add_argument("id", metavar="ID")
    p.add_argument("--card", metavar="FILE.pdf", help="导出一页案情卡")
    p.add_argument("--today", metavar="DATE")
    p.set_defaults(handler=_package_show)
    p = ps.add_parser("update", parents=[common], help="记录五包落实、约见、方案节点、专班、化解时限")
    p.add_argument("id", metavar="ID")
    p.add_argument("--duty", help="五包之一，如 包掌握情况")
    p.add_argument("--status", help="未开始、推进中、已落实")
    p.add_argument("--evidence", help="落实情况说明")
    p.add_argument("--meeting", metavar="DATE", help="约见信访人的日期")
    p.add_argument("--place", help="约见地点")
    p.add_argument("--notes", help="约见情况")
    p.add_argument("--milestone-done", action="append", metavar="SEQ@DATE", help="方案节点完成")
    p.add_argument("--milestone", action="append", metavar="标题=DATE|+N", help="追加方案节点")
    p.add_argument("--member", action="append", metavar="姓名:角色:职务", help="追加专班成员")
    p.add_argument("--target", metavar="DATE", help="调整化解时限")
    p.add_argument("--today", metavar="DATE")
    p.set_defaults(handler=_package_update)
    p = ps.add_parser("close", parents=[common], help="办结包案：息访息诉、化解 或 未化解")
    p.add_argument("id", metavar="ID")
    p.add_argument("--outcome", required=True, help="息访息诉、化解、未化解")
    p.add_argument("--on", metavar="DATE", help="办结日期（默认今天）")
    p.add_argument("--note", help="办结说明")
    p.add_argument("--today", metavar="DATE")
    p.set_defaults(handler=_package_close)
    p = ps.add_parser("list", parents=[common], help="包案列表（到期提醒）")
    p.add_argument("--leader", metavar="ID|NAME")
    p.add_argument("--status", help="在办 或 已办结")
    p.add_argument("--today", metavar="DATE")
    p.set_defaults(handler=_package_list)
    p = ps.add_parser("notice", parents=[common], help="出具领导包案通知（编号、存档、关联信访事项）")
    p.add_argument("id", metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="保存到此文件")
    p.add_argument("--format", choices=("pdf", "docx"), default="pdf")
    p.add_argument("--to", action="append", metavar="UNIT", help="主送单位，可重复（默认责任单位）")
    p.add_argument("--duty", action="append", metavar="五包=要求", help="某项五包在本案的具体要求，可重复")
    p.add_argument("--report-every", metavar="频次", help="报送进展的频次，如 每半月")
    p.add_argument("--issued", metavar="DATE", help="成文日期（默认今天）")
    p.add_argument("--today", metavar="DATE")
    p.set_defaults(handler=_package_notice)
