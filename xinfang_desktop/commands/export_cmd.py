"""`xinfang export national --from D --to D -o FILE.xlsx`: the cases received in a period in the national
信访信息系统 sheet layout (reports/national_export.py). Bad input exits 2 before the database is opened."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg


def _national(ctx: Context) -> Result:
    from xinfang_desktop.reports.national_export import HEADERS, export_national

    start = parse_date_arg(ctx.args.start, "期间开始日期（--from）")
    end = parse_date_arg(ctx.args.end, "期间结束日期（--to）")
    if start > end:
        raise UsageError(f"期间开始日期 {start} 晚于结束日期 {end}（--from 应不晚于 --to）", field="from")
    path = Path(ctx.args.output).expanduser()
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"-o 应为 .xlsx 文件，而不是“{ctx.args.output}”", field="output")
    if path.is_dir() or not path.parent.is_dir():
        raise UsageError(f"-o 应为一个文件路径，且其所在文件夹须已存在：{ctx.args.output}", field="output")
    count = export_national(ctx.database(), start, end, path, reveal=ctx.args.reveal)
    data = {
        "path": str(path),
        "cases": count,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "headers": list(HEADERS),
        "personal_data": "masked" if ctx.args.reveal is None else "revealed",
    }
    return Result(data, f"已导出 {count} 件信访事项（{start} 至 {end}，全国信访信息系统格式）：{path}")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    export = sub.add_parser("export", parents=[common], help="导出：全国信访信息系统格式")
    actions = export.add_subparsers(dest="action", metavar="ACTION", parser_class=type(export))
    p = actions.add_parser("national", parents=[common], help="按全国信访信息系统表头导出期间内收到的信访事项")
    p.add_argument("--from", dest="start", required=True, metavar="D", help="收到日期起 YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, metavar="D", help="收到日期止 YYYY-MM-DD（含当日）")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="输出的 Excel 文件")
    p.add_argument(
        "--reveal",
        metavar="REASON",
        help="导出完整电话号码（默认遮挡；须有“查看完整个人信息”权限并说明理由，记入审计日志）",
    )
    p.set_defaults(handler=_national)
