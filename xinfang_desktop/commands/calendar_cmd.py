"""`xinfang calendar …`: the working-day calendar (R-TM-01, R-TM-02, R-TM-05).

xinfang calendar is-workday DATE            → {"date", "workday", "kind", "provisional"}
xinfang calendar add-workdays DATE N        → {"date", "provisional"}   (the start day is not counted)
xinfang calendar workdays-between A B       → {"from", "to", "workdays", "provisional"}
xinfang calendar years                      → {"years": [...], "warning"}
xinfang calendar import FILE [--replace]    → the imported year
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg
from xinfang_desktop.core.workdays import (
    MAX_WORKDAYS,
    WEEKDAY_NAMES,
    WorkdayCalendar,
    check_date,
    cn_date,
    parse_holiday_year,
)

PROVISIONAL_NOTE = "（该年节假日安排尚未录入，按周末推算，为暂估结果）"


def load_calendar(ctx: Context) -> WorkdayCalendar:
    """The one place calendar commands get their calendar: shipped table + the office's imported years."""
    from xinfang_desktop.persistence.calendar_store import load_calendar as _load

    return _load(ctx.database())


def _date(text: str, label: str) -> date:
    d = parse_date_arg(text, label)
    check_date(d, field=label)
    return d


def _count(text: str) -> int:
    try:
        n = int(text.strip())
    except ValueError:
        raise UsageError(f"工作日数格式错误：“{text}”，应为非负整数", field="n") from None
    if n < 0:
        raise UsageError(f"工作日数不能为负数：{n}", field="n")
    if n > MAX_WORKDAYS:
        raise UsageError(f"工作日数{n}过大（最多{MAX_WORKDAYS}）", field="n")
    return n


def _weekday(d: date) -> str:
    return f"{cn_date(d)}（{WEEKDAY_NAMES[d.weekday()]}）"


def cmd_is_workday(ctx: Context) -> Result:
    d = _date(ctx.args.date, "日期")
    cal = load_calendar(ctx)
    kind = cal.day_kind(d)
    provisional = cal.is_provisional(d)
    data = {"date": d.isoformat(), "workday": kind.is_working, "kind": kind.value, "provisional": provisional}
    verdict = "是工作日" if kind.is_working else "不是工作日"
    text = f"{_weekday(d)}：{kind.label}，{verdict}" + (PROVISIONAL_NOTE if provisional else "")
    return Result(data, text)


def cmd_add_workdays(ctx: Context) -> Result:
    d = _date(ctx.args.date, "日期")
    n = _count(ctx.args.n)
    cal = load_calendar(ctx)
    result = cal.add_workdays(d, n)
    provisional = cal.is_provisional_span(d, result)
    text = f"{cn_date(d)}之次日起第{n}个工作日：{_weekday(result)}" + (PROVISIONAL_NOTE if provisional else "")
    return Result({"date": result.isoformat(), "provisional": provisional}, text)


def cmd_workdays_between(ctx: Context) -> Result:
    a = _date(ctx.args.start, "起始日期")
    b = _date(ctx.args.end, "结束日期")
    if abs((b - a).days) > MAX_WORKDAYS * 2:
        raise UsageError(f"两个日期相隔过远（超过{MAX_WORKDAYS * 2}日）", field="to")
    cal = load_calendar(ctx)
    n = cal.workdays_between(a, b)
    provisional = cal.is_provisional_span(a, b)
    data = {"from": a.isoformat(), "to": b.isoformat(), "workdays": n, "provisional": provisional}
    text = f"{cn_date(a)}（不含）至{cn_date(b)}（含）共{n}个工作日" + (PROVISIONAL_NOTE if provisional else "")
    return Result(data, text)


def cmd_years(ctx: Context) -> Result:
    from xinfang_desktop.persistence.calendar_store import ORIGIN_LABELS, list_years, load_calendar

    db = ctx.database()
    infos = list_years(db)
    warning = load_calendar(db).missing_next_year_warning(date.today())
    if warning:
        warning += "命令行：xinfang calendar import 文件。"
    lines = ["年份  来源        节假日  调休上班日  依据"]
    for i in infos:
        origin = ORIGIN_LABELS[i.origin] + ("（覆盖随软件提供）" if i.overrides_shipped else "")
        lines.append(f"{i.year}  {origin:<8}  {i.holidays:>5}  {i.makeup_workdays:>9}  {i.source or ''}")
    if not infos:
        lines.append("（无）所有日期按周末推算，结果均为暂估")
    if warning:
        lines.append(f"提示：{warning}")
    data: dict[str, Any] = {"years": [i.to_json() for i in infos], "warning": warning}
    return Result(data, "\n".join(lines))


def cmd_import(ctx: Context) -> Result:
    from xinfang_desktop.persistence.calendar_store import import_year

    source: str = ctx.args.file
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise UsageError(f"无法读取节假日文件 {source}：{exc.strerror or exc}", field="file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("节假日文件不是 UTF-8 编码的文本", field="file") from None
    year = parse_holiday_year(text)
    info = import_year(ctx.database(), year, replace=bool(ctx.args.replace))
    action = "已覆盖" if ctx.args.replace else "已导入"
    text_out = f"{action}{info.year}年节假日安排：法定节假日{info.holidays}天，调休上班日{info.makeup_workdays}天" + (
        f"（依据：{info.source}）" if info.source else ""
    )
    return Result(info.to_json(), text_out)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    group = subparsers.add_parser("calendar", help="工作日历：工作日判断与计算、节假日安排导入", parents=[common])
    sub = group.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND", parser_class=type(group))

    p = sub.add_parser("is-workday", help="某日是否为工作日", parents=[common])
    p.add_argument("date", metavar="DATE", help="日期 YYYY-MM-DD")
    p.set_defaults(handler=cmd_is_workday)

    p = sub.add_parser("add-workdays", help="某日之次日起第 N 个工作日（起始日不计入）", parents=[common])
    p.add_argument("date", metavar="DATE", help="起始日期 YYYY-MM-DD（不计入）")
    p.add_argument("n", metavar="N", help="工作日数（非负整数）")
    p.set_defaults(handler=cmd_add_workdays)

    p = sub.add_parser("workdays-between", help="两日之间的工作日数（不含起始日，含结束日）", parents=[common])
    p.add_argument("start", metavar="A", help="起始日期 YYYY-MM-DD（不计入）")
    p.add_argument("end", metavar="B", help="结束日期 YYYY-MM-DD（计入）")
    p.set_defaults(handler=cmd_workdays_between)

    p = sub.add_parser("years", help="列出已有节假日安排的年份及来源", parents=[common])
    p.set_defaults(handler=cmd_years)

    p = sub.add_parser("import", help="导入一年的节假日安排（JSON 或文本格式，见 docs/calendar.md）", parents=[common])
    p.add_argument("file", metavar="FILE", help="节假日文件路径（- 表示标准输入）")
    p.add_argument("--replace", action="store_true", help="覆盖已有的同一年份")
    p.set_defaults(handler=cmd_import)
