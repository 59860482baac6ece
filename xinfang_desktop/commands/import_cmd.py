"""`xinfang import inspect|run|profiles`: an office's Excel/CSV ledgers and national-system sheets (issue 15)."""

from __future__ import annotations

import argparse
from typing import Any

from xinfang_desktop.commands.base import EXIT_BAD_INPUT, Context, Result, UsageError, read_json_input, today_arg


def _mapping(ctx: Context) -> Any:
    """The mapping to use: a saved profile, then a JSON file on top of it (its keys win); None = proposed."""
    from xinfang_desktop.importing.mapping import ImportMapping

    base: dict[str, Any] = {}
    if getattr(ctx.args, "profile", None):
        from xinfang_desktop.persistence.importing.profiles import get_profile

        base = get_profile(ctx.database(), ctx.args.profile)
    if getattr(ctx.args, "mapping", None):
        data = read_json_input(ctx.args.mapping)
        if not isinstance(data, dict):
            raise UsageError("映射文件应为 JSON 对象")
        base = {**base, **data}
    return ImportMapping.from_json(base) if base else None


def _inspect(ctx: Context) -> Result:
    from xinfang_desktop.importing.inspect import inspect_file
    from xinfang_desktop.persistence.importing.codes import code_tables

    found = inspect_file(ctx.args.file, ctx.args.sheet, tables=code_tables(ctx.database()), base=_mapping(ctx))
    data = found.to_json()
    lines = [
        f"文件：{found.file}（{found.kind}{'，编码 ' + found.encoding if found.encoding else ''}）",
        f"工作表：{'、'.join(found.sheets)}；读取“{found.sheet}”，表头在第 {found.header_row} 行"
        + ("（两行表头）" if found.header_rows == 2 else "")
        + f"，数据 {found.data_rows} 行",
    ]
    from xinfang_desktop.core.importing.fields import FIELD_BY_KEY

    for c in found.columns:
        label = FIELD_BY_KEY[c.field].label if c.field in FIELD_BY_KEY else "（不导入）"
        lines.append(f"  {c.header} → {label}    例：{' | '.join(c.samples[:3])}")
    if found.missing:
        lines.append("缺少必填字段：" + "、".join(FIELD_BY_KEY[k].label for k in found.missing))
    undecided = [
        f"{FIELD_BY_KEY[k].label}“{v}”" for k, m in found.mapping.values.items() for v, code in m.items() if not code
    ]
    if undecided:
        lines.append("未对应代码的值：" + "、".join(undecided[:20]) + ("…" if len(undecided) > 20 else ""))
    return Result(data, "\n".join(lines))


def _run(ctx: Context) -> Result:
    from xinfang_desktop.importing.run import run_import

    report = run_import(
        ctx.database(),
        ctx.args.file,
        today=today_arg(ctx),
        sheet=ctx.args.sheet,
        mapping=_mapping(ctx),
        dry_run=ctx.args.dry_run,
        skip_bad_rows=ctx.args.skip_bad_rows,
        errors_xlsx=ctx.args.errors_xlsx,
    )
    data = report.to_json()
    head = (
        "试导入（未写入）" if report.dry_run else ("已导入" if report.committed else "未导入（有错误行，数据库未改动）")
    )
    lines = [
        f"{head}：{report.rows} 行 → 新事项 {report.cases} 件，重复信访 {report.submissions} 次，"
        f"跳过 {len(report.skipped)} 行，"
        f"错误 {report.bad_rows} 行"
    ]
    lines += [f"  第 {e.row} 行 [{e.column}] {e.reason}" for e in report.errors]
    lines += [f"  第 {s['row']} 行 跳过：{s['reason']}" for s in report.skipped[:50]]
    if report.errors_xlsx:
        lines.append(f"错误行已写入 {report.errors_xlsx}（改正后可再次导入）")
    code = EXIT_BAD_INPUT if report.errors and not ctx.args.skip_bad_rows else 0
    return Result(data, "\n".join(lines), exit_code=code)


def _profiles_list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.importing.profiles import list_profiles

    profiles = list_profiles(ctx.database())
    return Result({"profiles": profiles}, "导入方案：" + ("、".join(profiles) or "无"))


def _profiles_save(ctx: Context) -> Result:
    from xinfang_desktop.importing.mapping import ImportMapping
    from xinfang_desktop.persistence.importing.profiles import save_profile

    mapping = ImportMapping.from_json(read_json_input(ctx.args.mapping))
    profiles = save_profile(ctx.database(), ctx.args.name, mapping.to_json())
    return Result({"profiles": profiles}, f"已保存导入方案“{ctx.args.name.strip()}”")


def _profiles_delete(ctx: Context) -> Result:
    from xinfang_desktop.persistence.importing.profiles import delete_profile

    profiles = delete_profile(ctx.database(), ctx.args.name)
    return Result({"profiles": profiles}, f"已删除导入方案“{ctx.args.name}”")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    group = sub.add_parser("import", help="导入已有台账（Excel、CSV、信访信息系统导出表）")
    gs = group.add_subparsers(dest="import_command", metavar="ACTION")
    p = gs.add_parser("inspect", parents=[common], help="查看文件：工作表、表头、建议的映射、各列示例值")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--sheet", metavar="S", help="工作表名称或序号（默认第一个）")
    p.add_argument("--profile", metavar="NAME", help="以已保存的导入方案为起点")
    p.add_argument("--mapping", metavar="FILE.json", help="以映射文件为起点")
    p.set_defaults(handler=_inspect)
    p = gs.add_parser("run", parents=[common], help="导入（--dry-run 只检查不写入）")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--sheet", metavar="S", help="工作表名称或序号（默认第一个）")
    p.add_argument("--profile", metavar="NAME", help="已保存的导入方案")
    p.add_argument(
        "--mapping", metavar="FILE.json", help='映射文件 {"columns": {列名: 字段}, "defaults": {…}, "values": {…}}'
    )
    p.add_argument("--dry-run", action="store_true", help="试导入：给出件数和全部错误行，不写入")
    p.add_argument("--errors-xlsx", metavar="FILE", help="把错误行写入此 .xlsx（带错误说明列，改正后可再导入）")
    p.add_argument("--skip-bad-rows", action="store_true", help="导入正确的行，跳过错误行")
    p.add_argument("--today", metavar="D", help="今天的日期 YYYY-MM-DD（默认系统日期）")
    p.set_defaults(handler=_run)
    prof = gs.add_parser("profiles", help="导入方案（保存的映射）")
    ps = prof.add_subparsers(dest="profiles_command", metavar="ACTION")
    p = ps.add_parser("list", parents=[common], help="列出导入方案")
    p.set_defaults(handler=_profiles_list)
    p = ps.add_parser("save", parents=[common], help="保存（或替换）一个导入方案")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--mapping", metavar="FILE.json", required=True, help="映射文件（import inspect 的 mapping 部分）")
    p.set_defaults(handler=_profiles_save)
    p = ps.add_parser("delete", parents=[common], help="删除一个导入方案")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=_profiles_delete)
