"""`xinfang oversight|reception|instruction`: 包片督案, leader reception duty and 阅批 (R-PK-05, R-RC).

- `oversight import FILE.xlsx --year Y`, `oversight report --year Y (--json | --xlsx FILE | --pdf FILE)`;
- `reception plan|record|list|compliance|roster`, `instruction add|meter`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg
from xinfang_desktop.commands.base import today_arg as _today


def _year(text: str) -> int:
    if not text.strip().isdigit():
        raise UsageError(f"年度应为四位数字：“{text}”", field="year")
    return int(text)


def _oversight_import(ctx: Context) -> Result:
    from xinfang_desktop.persistence.oversight_store import import_assignments
    from xinfang_desktop.reports.oversight import read_xlsx

    year = _year(ctx.args.year)
    rows = read_xlsx(Path(ctx.args.file))
    result = import_assignments(ctx.database(), year, rows, create_units=ctx.args.create_units)
    total = sum(r["imported_count"] or 0 for r in result)
    counted = sum(1 for r in result if not r["note"])
    data = {"year": year, "rows": result, "row_count": counted, "imported_total": total}
    return Result(
        data, f"已导入 {year} 年度包片督查安排：{counted} 行（另 {len(result) - counted} 行说明），积案 {total} 件"
    )


def _oversight_report(ctx: Context) -> Result:
    from xinfang_desktop.reports.oversight import oversight_report, write_xlsx

    a = ctx.args
    report = oversight_report(ctx.database(), _year(a.year))
    data = report.to_json()
    text = report.text()
    if a.xlsx:
        write_xlsx(report, Path(a.xlsx))
        data["xlsx"] = str(a.xlsx)
        text += f"\n已导出 {a.xlsx}"
    if a.pdf:
        from xinfang_desktop.documents.leader_documents import oversight_document
        from xinfang_desktop.documents.pdf_renderer import render_pdf

        notes = [f"另有 {report.unassigned} 件积案不属于任何联系单位。"] if report.unassigned else []
        info = render_pdf(oversight_document(report.title, report.table_rows(), notes=notes), Path(a.pdf))
        data["pdf"] = {"path": str(a.pdf), "pages": info.pages}
        text += f"\n已导出 {a.pdf}（{info.pages} 页）"
    return Result(data, text)


# ------------------------------------------------------------------------------------------------ reception


def _reception_plan(ctx: Context) -> Result:
    from xinfang_desktop.persistence.reception_store import plan_reception

    a = ctx.args
    day = plan_reception(ctx.database(), a.leader, parse_date_arg(a.date, "接访日期"), place=a.place, duty=a.duty)
    kind = "值班" if day["duty"] else "接访"
    return Result(day, f"已安排 {day['leader']} {day['date']} {kind}（编号 {day['id']}）")


def _reception_record(ctx: Context) -> Result:
    from xinfang_desktop.persistence.reception_store import record_reception

    a = ctx.args
    if a.received < 0:
        raise UsageError("接待人数不能为负数", field="received")
    day = record_reception(
        ctx.database(),
        a.leader,
        parse_date_arg(a.date, "接访日期"),
        received=a.received,
        cases=a.case or [],
        place=a.place,
        notes=a.notes,
        today=_today(ctx),
    )
    cases = f"，登记事项 {'、'.join(day['cases'])}" if day["cases"] else ""
    return Result(day, f"已记录 {day['leader']} {day['date']} 接访：接待 {day['petitioners_received']} 人{cases}")


def _reception_list(ctx: Context) -> Result:
    from xinfang_desktop.core.reception import parse_period
    from xinfang_desktop.persistence.reception_store import list_receptions

    period = parse_period(ctx.args.period)
    days = list_receptions(ctx.database(), period, leader=ctx.args.leader)
    lines = [
        f"{d['date']}  {d['leader']}  {'已接访' if d['held'] else '计划'}  接待 {d['petitioners_received']} 人"
        for d in days
    ]
    return Result({"period": period.to_json(), "days": days}, "\n".join(lines) or "该期间没有接访安排")


def _reception_compliance(ctx: Context) -> Result:
    from xinfang_desktop.core.reception import parse_period
    from xinfang_desktop.persistence.reception_store import reception_compliance

    period = parse_period(ctx.args.period)
    rows = reception_compliance(ctx.database(), period, today=_today(ctx), level=ctx.args.level)
    lines = [f"{period.label} 领导接访落实情况（R-RC-01）"]
    for r in rows:
        missing = f"，缺 {r['missing']} 天" if r["missing"] else ""
        missed = [d for w in r["windows"] for d in w["missed_days"]]
        lines.append(
            f"{'●' if r['light'] == 'green' else '○'} {r['leader']}（{r['level']}）{r['light_label']}{missing}"
            + (f"，计划未接访：{'、'.join(missed)}" if missed else "")
        )
    red = sum(1 for r in rows if r["light"] == "red")
    return Result({"period": period.to_json(), "leaders": rows, "red": red}, "\n".join(lines))


def _reception_roster(ctx: Context) -> Result:
    from xinfang_desktop.persistence.reception_store import reception_roster

    a = ctx.args
    start, end = parse_date_arg(a.start, "起始日期"), parse_date_arg(a.end, "截止日期")
    days = reception_roster(ctx.database(), start, end, a.level or [])
    gaps = [d for d in days if d["gaps"]]
    lines = [
        f"{d['date']}  " + "  ".join(f"{lv}：{'、'.join(n) or '缺'}" for lv, n in d["names"].items()) for d in days
    ]
    return Result({"days": days, "gap_days": len(gaps)}, "\n".join(lines))


# ------------------------------------------------------------------------------------------------ instruction


def _instruction_add(ctx: Context) -> Result:
    from xinfang_desktop.persistence.reception_store import add_instruction

    a = ctx.args
    today = _today(ctx)
    on = parse_date_arg(a.date, "批示日期") if a.date else today
    item = add_instruction(ctx.database(), a.leader, a.case, on, a.text, today=today)
    return Result(item, f"已记录 {item['leader']} 对 {item['case']} 的阅批（{item['date']}）")


def _instruction_meter(ctx: Context) -> Result:
    from xinfang_desktop.core.reception import parse_quarter
    from xinfang_desktop.persistence.reception_store import instruction_meters

    quarter = parse_quarter(ctx.args.quarter)
    rows = instruction_meters(ctx.database(), quarter)
    lines = [f"{quarter.label} 领导阅批初次来信情况（R-RC-02，应不低于 30%）"]
    for r in rows:
        share = "—" if r["share"] is None else f"{r['share']:.0%}"
        flag = f"  {r['light_label']}" if r["applies"] else "  （非主要领导）"
        lines.append(f"{r['leader']}：{r['instructed']}/{r['first_letters']}（{share}）{flag}")
    return Result({"quarter": quarter.to_json(), "leaders": rows}, "\n".join(lines))


# ------------------------------------------------------------------------------------------------ parsers


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    oversight = sub.add_parser("oversight", help="市领导包片督案（R-PK-05）")
    os_ = oversight.add_subparsers(dest="oversight_command", metavar="ACTION")
    p = os_.add_parser("import", parents=[common], help="从 .xlsx 导入督查表（督查领导、联系单位、积案数）")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--year", required=True)
    p.add_argument(
        "--create-units", action="store_true", help="表中既非已登记单位也非行政区划的联系单位，同时登记为单位"
    )
    p.set_defaults(handler=_oversight_import)
    p = os_.add_parser("report", parents=[common], help="年度市领导包片督查信访积案表（来自台账）")
    p.add_argument("--year", required=True)
    p.add_argument("--xlsx", metavar="FILE", help="导出 .xlsx")
    p.add_argument("--pdf", metavar="FILE", help="导出 PDF")
    p.set_defaults(handler=_oversight_report)

    reception = sub.add_parser("reception", help="领导接访（R-RC-01）")
    rs = reception.add_subparsers(dest="reception_command", metavar="ACTION")
    p = rs.add_parser("plan", parents=[common], help="安排接访日（--duty：特殊时期值班）")
    p.add_argument("--leader", required=True, metavar="ID|NAME")
    p.add_argument("--date", required=True)
    p.add_argument("--place")
    p.add_argument("--duty", action="store_true", help="特殊防护期值班")
    p.set_defaults(handler=_reception_plan)
    p = rs.add_parser("record", parents=[common], help="记录一次接访：接待人数、登记的信访事项")
    p.add_argument("--leader", required=True, metavar="ID|NAME")
    p.add_argument("--date", required=True)
    p.add_argument("--received", type=int, required=True, help="接待信访群众人数")
    p.add_argument("--case", action="append", metavar="NUMBER", help="由此登记的信访事项，可重复")
    p.add_argument("--place")
    p.add_argument("--notes")
    p.add_argument("--today", metavar="DATE")
    p.set_defaults(handler=_reception_record)
    p = rs.add_parser("list", parents=[common], help="期间内的接访安排与记录")
    p.add_argument("--period", required=True, help="2026、2026Q3、2026-07 或 2026W27")
    p.add_argument("--leader", metavar="ID|NAME")
    p.set_defaults(handler=_reception_list)
    p = rs.add_parser("compliance", parents=[common], help="接访落实：市每季、县每月、乡镇每周（红绿灯）")
    p.add_argument("--period", required=True, help="2026、2026Q3、2026-07 或 2026W27")
    p.add_argument("--level", help="只看此层级")
    p.add_argument("--today", metavar="DATE")
    p.set_defaults(handler=_reception_compliance)
    p = rs.add_parser("roster", parents=[common], help="特殊防护期每日领导值班表及缺口")
    p.add_argument("--from", dest="start", required=True, metavar="DATE")
    p.add_argument("--to", dest="end", required=True, metavar="DATE")
    p.add_argument("--level", action="append", help="要求值班的层级，可重复（默认全部）")
    p.set_defaults(handler=_reception_roster)

    instruction = sub.add_parser("instruction", help="领导阅批（R-RC-02）")
    ins = instruction.add_subparsers(dest="instruction_command", metavar="ACTION")
    p = ins.add_parser("add", parents=[common], help="记录领导对来信的批示")
    p.add_argument("--leader", required=True, metavar="ID|NAME")
    p.add_argument("--case", required=True, metavar="NUMBER")
    p.add_argument("--text", required=True)
    p.add_argument("--date", help="批示日期（默认今天）")
    p.add_argument("--today", metavar="DATE")
    p.set_defaults(handler=_instruction_add)
    p = ins.add_parser("meter", parents=[common], help="主要领导阅批初次来信比例（不低于 30%%）")
    p.add_argument("--quarter", required=True, help="如 2026Q3")
    p.set_defaults(handler=_instruction_meter)
