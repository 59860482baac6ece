"""`xinfang statement prefill|set|show|list|progress|evaluate|render`: the annual responsibility statements (R-RS-01).

Every argument is checked before the database is opened; a refusal exits 2 with the reason and writes nothing; every
write is audited. `--unit` takes a unit's name, or 县本级 / county for the county's own statement with the city.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg, today_arg
from xinfang_desktop.core.statement_targets import YEAR_MAX, YEAR_MIN, format_value

FORMATS = ("pdf", "docx")


def _year(ctx: Context) -> int:
    text = str(ctx.args.year).strip()
    if not text.isdigit() or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise UsageError(f"--year 应为 {YEAR_MIN} 至 {YEAR_MAX} 之间的年份，而不是“{ctx.args.year}”", field="year")
    return int(text)


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    """CODE=VALUE options (the code, or the target's Chinese name)."""
    result: dict[str, str] = {}
    for item in items or []:
        code, sep, value = item.partition("=")
        if not sep or not code.strip():
            raise UsageError(f"{option} 应写成 CODE=值，例如 {option} visit_volume=40，而不是“{item}”", field="target")
        if code.strip() in result:
            raise UsageError(f"{option} 中的目标“{code.strip()}”重复", field="target")
        result[code.strip()] = value
    return result


def _numbers(items: list[str] | None) -> dict[str, float]:
    values: dict[str, float] = {}
    for code, text in _pairs(items, "--target").items():
        cleaned = text.strip().rstrip("%").strip()
        try:
            value = float(cleaned)
        except ValueError:
            raise UsageError(f"目标“{code}”的值“{text}”不是数字", field="target") from None
        if math.isnan(value) or math.isinf(value):
            raise UsageError(f"目标“{code}”的值“{text}”不是有效数字", field="target")
        values[code] = value
    return values


def _lines(statement: dict[str, Any]) -> list[str]:
    signed = f"已于{statement['signed_on']}签订" if statement["signed"] else "未签订"
    number = f"，文号 {statement['document']['number']}" if statement.get("document") else ""
    lines = [
        f"{statement['year']}年度 {statement['party_name']}（{statement['party_kind_label']}）：{signed}{number}",
        f"  甲方：{statement['first_party']}  负责人：{statement['first_signatory'] or '—'}",
        f"  乙方：{statement['second_party']}  负责人：{statement['second_signatory'] or '—'}",
    ]
    for t in statement.get("targets", []):
        base = f"{t['baseline_year']}年 {t['baseline_text']}" if t.get("baseline_year") else "—"
        lines.append(f"  · {t['label']}（{t['code']}）：{t['target_text']}；上年 {base}")
    lines += [f"  措施{i}：{m}" for i, m in enumerate(statement.get("measures", []), 1)]
    return lines


# --- handlers -----------------------------------------------------------------------------------------------------


def _prefill(ctx: Context) -> Result:
    from xinfang_desktop.persistence.statements.store import prefill

    year, today = _year(ctx), today_arg(ctx)
    result = prefill(ctx.database(), year, today=today, units=ctx.args.unit or (), force=ctx.args.force)
    period = result["baseline_period"]
    lines = [
        f"已按{period['from']}至{period['to']}的台账数据生成{year}年度责任书："
        f"新建 {len(result['created'])} 份，更新 {len(result['refreshed'])} 份，跳过 {len(result['skipped'])} 份"
    ]
    lines += [f"  跳过 {s['party']}：{s['reason']}" for s in result["skipped"]]
    for st in result["statements"][:60]:
        targets = "；".join(f"{t['label']} {t['target_text']}" for t in st["targets"][:4])
        lines.append(f"  {st['party_name']}：{targets}…")
    return Result(result, "\n".join(lines))


def _set(ctx: Context) -> Result:
    from xinfang_desktop.persistence.statements.store import UNSET, update_statement

    a = ctx.args
    year = _year(ctx)
    targets = _numbers(a.target)
    texts = _pairs(a.target_text, "--target-text")
    if a.signed_on is not None and a.unsign:
        raise UsageError("--signed-on 与 --unsign 不能同时使用", field="signed_on")
    signed_on: Any = UNSET
    if a.signed_on is not None:
        signed_on = parse_date_arg(a.signed_on, "签订日期（--signed-on）")
    elif a.unsign:
        signed_on = None
    result = update_statement(
        ctx.database(),
        year,
        a.unit,
        targets=targets,
        target_texts=texts,
        first_party=a.first_party,
        second_party=a.second_party,
        first_signatory=a.first_signatory if a.first_signatory is not None else UNSET,
        second_signatory=a.second_signatory if a.second_signatory is not None else UNSET,
        measures=a.measure,
        consequences=a.consequence,
        signed_on=signed_on,
        force=a.force,
    )
    return Result(result, "已保存责任书\n" + "\n".join(_lines(result)))


def _show(ctx: Context) -> Result:
    from xinfang_desktop.persistence.statements.store import show_statement

    result = show_statement(ctx.database(), _year(ctx), ctx.args.unit)
    return Result(result, "\n".join(_lines(result)))


def _list(ctx: Context) -> Result:
    from xinfang_desktop.persistence.statements.store import list_statements

    year = _year(ctx)
    result = list_statements(ctx.database(), year, today=today_arg(ctx))
    lines = [f"{year}年度责任书 {len(result['statements'])} 份（截至{result['today']}）"]
    for st in result["statements"]:
        signed = "已签订" if st["signed"] else "未签订"
        lines.append(
            f"  {st['party_name']}（{st['party_kind_label']}）{signed}：目标 {st['targets']} 项，"
            f"有风险 {st['at_risk']} 项，未完成 {st['missed']} 项"
        )
    if result["without_statement"]:
        lines.append(f"尚无责任书：{'、'.join(result['without_statement'])}")
    return Result(result, "\n".join(lines))


def _progress(ctx: Context) -> Result:
    from xinfang_desktop.persistence.statements.store import progress

    year = _year(ctx)
    result = progress(ctx.database(), year, today=today_arg(ctx), unit=ctx.args.unit)
    clock = result["clock"]
    lines = [
        f"{year}年度责任书目标进度（截至{result['today']}，已过 {clock['elapsed_days']}/{clock['total_days']} 天）"
    ]
    if not result["statements"]:
        lines.append(f"{year}年度尚无责任书，请先运行 xinfang statement prefill --year {year}")
    for st in result["statements"]:
        lines.append(f"{st['party_name']}：有风险 {st['at_risk']} 项，未完成 {st['missed']} 项")
        for t in st["targets"]:
            unit = t["unit"]
            lines.append(
                f"  [{t['verdict_label']}] {t['label']}：目前 {format_value(t['current'], unit)}，"
                f"目标 {t['target_text']}，年底预计 {format_value(t['projection'], unit)} — {t['reason']}"
            )
    return Result(result, "\n".join(lines))


def _evaluate(ctx: Context) -> Result:
    from xinfang_desktop.persistence.statements.store import evaluate

    year = _year(ctx)
    on = parse_date_arg(ctx.args.date, "考评日期（--date）")
    result = evaluate(ctx.database(), year, on=on, unit=ctx.args.unit, note=ctx.args.note)
    lines = [f"已记录{year}年度责任书考评（{on.isoformat()}）："]
    for st in result["statements"]:
        lines.append(f"  {st['party_name']}：完成 {st['met']} 项，未完成 {st['missed']} 项，无数据 {st['no_data']} 项")
    return Result(result, "\n".join(lines))


def _output(text: str, fmt: str | None) -> tuple[Path, str]:
    path = Path(text).expanduser()
    if path.is_dir() or not path.parent.is_dir():
        raise UsageError(f"-o 应为一个文件路径，且其所在文件夹须已存在：{text}", field="output")
    suffix = path.suffix.lower().lstrip(".")
    if suffix and suffix not in FORMATS:
        raise UsageError(f"-o 的扩展名应为 .pdf 或 .docx，而不是 .{suffix}", field="output")
    if fmt is None:
        fmt = suffix if suffix in FORMATS else "pdf"
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format 应为 pdf 或 docx，而不是“{fmt}”", field="format")
    if suffix in FORMATS and suffix != fmt:
        raise UsageError(f"-o 的扩展名 .{suffix} 与 --format {fmt} 不一致", field="format")
    return path, fmt


def _render(ctx: Context) -> Result:
    from xinfang_desktop.commands.doc_cmd import _copy_out
    from xinfang_desktop.documents.types.responsibility_statement import issue_statement

    year = _year(ctx)
    output, fmt = _output(ctx.args.output, ctx.args.format)
    issued, statement = issue_statement(ctx.database(), year, ctx.args.unit, fmt=fmt)
    _copy_out(issued.path, output)
    result = {
        "path": str(output),
        "number": issued.number,
        "version": issued.version,
        "format": issued.format,
        "sha256": issued.sha256,
        "pages": issued.pages,
        "stored_path": str(issued.path),
        "document_id": issued.id,
        "statement": statement,
    }
    version = f"（第{issued.version}版）" if issued.version > 1 else ""
    text = f"已生成{year}年度责任书（{statement['party_name']}）{issued.number}{version}：{output}（{issued.pages}页）"
    return Result(result, text)


# --- parser -------------------------------------------------------------------------------------------------------

UNIT_HELP = "单位名称；县本级责任书用“县本级”或 county"


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    statement = sub.add_parser(
        "statement", parents=[common], help="信访工作责任书：按上年数据生成、修改、进度、考评、出具"
    )
    actions = statement.add_subparsers(dest="action", metavar="ACTION", parser_class=type(statement))

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = actions.add_parser(name, parents=[common], help=help_text)
        p.add_argument("--year", required=True, metavar="Y", help="责任年度")
        return p

    p = action("prefill", "按上年台账数据生成或更新本年度各乡镇、单位和县本级的责任书（R-RS-02）")
    p.add_argument("--unit", action="append", metavar="U", help=f"只生成这些单位的（可重复）；{UNIT_HELP}")
    p.add_argument("--today", metavar="D", help="按此日期计算期限状态（默认今天）")
    p.add_argument("--force", action="store_true", help="已签订的责任书也重算目标；手工调整的目标值也重算")
    p.set_defaults(handler=_prefill)

    p = action("set", "修改一份责任书：目标值、表述、双方、负责人、措施、考核与责任追究、签订日期")
    p.add_argument("--unit", required=True, metavar="U", help=UNIT_HELP)
    p.add_argument("--target", action="append", metavar="CODE=VALUE", help="目标值（数量或百分数），可重复")
    p.add_argument("--target-text", action="append", metavar="CODE=TEXT", help="目标的印制表述，可重复")
    p.add_argument("--first-party", metavar="NAME", help="甲方（上级）")
    p.add_argument("--second-party", metavar="NAME", help="乙方（下级）")
    p.add_argument("--first-signatory", metavar="NAME", help="甲方负责人（空字符串清除）")
    p.add_argument("--second-signatory", metavar="NAME", help="乙方负责人（空字符串清除）")
    p.add_argument("--measure", action="append", metavar="TEXT", help="工作措施（可重复；给出即替换全部措施）")
    p.add_argument("--consequence", action="append", metavar="TEXT", help="考核与责任追究（可重复；给出即替换）")
    p.add_argument("--signed-on", metavar="D", help="签订日期")
    p.add_argument("--unsign", action="store_true", help="撤销签订（清除签订日期）")
    p.add_argument("--force", action="store_true", help="允许修改已签订责任书的目标")
    p.set_defaults(handler=_set)

    p = action("show", "显示一份责任书")
    p.add_argument("--unit", required=True, metavar="U", help=UNIT_HELP)
    p.set_defaults(handler=_show)

    p = action("list", "本年度的责任书及目标进度概况")
    p.add_argument("--today", metavar="D", help="按此日期计算进度（默认今天）")
    p.set_defaults(handler=_list)

    p = action("progress", "各目标的当前值、计算公式、年底预计和判断（进度正常、有风险、未完成）")
    p.add_argument("--unit", metavar="U", help=f"只看一个单位；{UNIT_HELP}")
    p.add_argument("--today", metavar="D", help="按此日期计算进度（默认今天）")
    p.set_defaults(handler=_progress)

    p = action("evaluate", "记录年度考评：全年各目标完成情况（纳入年度考核）")
    p.add_argument("--unit", metavar="U", help=f"只考评一个单位；{UNIT_HELP}")
    p.add_argument("--date", required=True, metavar="D", help="考评日期（不早于12月31日）")
    p.add_argument("--note", metavar="TEXT", help="考评说明")
    p.set_defaults(handler=_evaluate)

    p = action("render", "出具责任书（GB/T 9704 格式，编号并存档），并复制到 -o")
    p.add_argument("--unit", required=True, metavar="U", help=UNIT_HELP)
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件（.pdf 或 .docx）")
    p.add_argument("--format", metavar="pdf|docx", help="输出格式（默认按 -o 的扩展名）")
    p.set_defaults(handler=_render)


__all__ = ["register"]
