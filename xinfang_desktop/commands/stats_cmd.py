"""`xinfang stats rates|rank`: the assessment rates of R-AS-01 per unit, township or the whole county, and the
ranking on one rate (R-AS-02), as text, JSON or .xlsx. Every argument is checked before the database is opened:
bad input exits 2 with the reason and touches nothing."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg, today_arg
from xinfang_desktop.core.assessment import (
    RATE_IDS,
    AssessmentPeriod,
    Grouping,
    RateDefinition,
    default_period,
    rate_definition,
)
from xinfang_desktop.core.errors import DomainError

_GROUPINGS = {g.value: g for g in Grouping}


@dataclass(frozen=True)
class _Request:
    period: AssessmentPeriod
    grouping: Grouping
    today: date
    output: Path | None


def _period(ctx: Context, today: date) -> AssessmentPeriod:
    """--from / --to (default: this year to today); the start may not be after the end."""
    default = default_period(today)
    start = parse_date_arg(ctx.args.start, "期间开始日期（--from）") if ctx.args.start else default.start
    end = parse_date_arg(ctx.args.end, "期间结束日期（--to）") if ctx.args.end else default.end
    try:
        return AssessmentPeriod(start, end)
    except DomainError as exc:
        raise UsageError(f"{exc.message}（--from 应不晚于 --to）", field="from") from None


def _grouping(text: str | None, *, allow_county: bool) -> Grouping:
    if text is None:
        raise UsageError("排名须指定分组：--by unit（按责任单位）或 --by township（按乡镇）", field="by")
    grouping = _GROUPINGS.get(text.strip().lower())
    if grouping is None:
        allowed = "、".join(g.value for g in Grouping if allow_county or g is not Grouping.COUNTY)
        raise UsageError(f"--by 应为 {allowed} 之一，而不是“{text}”", field="by")
    if grouping is Grouping.COUNTY and not allow_county:
        raise UsageError("排名须按单位或乡镇分组：--by unit 或 --by township", field="by")
    return grouping


def _output(text: str | None) -> Path | None:
    """The .xlsx to write, checked before anything is computed."""
    if text is None:
        return None
    path = Path(text).expanduser()
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"-o 应为 .xlsx 文件，而不是“{text}”", field="output")
    if path.is_dir() or not path.parent.is_dir():
        raise UsageError(f"-o 应为一个文件路径，且其所在文件夹须已存在：{text}", field="output")
    return path


def _request(ctx: Context, *, allow_county: bool) -> _Request:
    today = today_arg(ctx)
    return _Request(
        _period(ctx, today), _grouping(ctx.args.by, allow_county=allow_county), today, _output(ctx.args.output)
    )


def _rate(text: str) -> RateDefinition:
    try:
        return rate_definition(text)
    except DomainError as exc:
        raise UsageError(exc.message, field="rate") from None


def _rates(ctx: Context) -> Result:
    from xinfang_desktop.reports.assessment import assessment_report, write_xlsx

    req = _request(ctx, allow_county=True)
    report = assessment_report(ctx.database(), req.period, req.grouping, today=req.today)
    data = report.to_json()
    text = report.text() if not report.is_empty else f"{report.title}：期间内没有信访事项、来访或积案"
    if req.output is not None:
        data["xlsx"] = str(write_xlsx(report, req.output))
        text += f"\n已导出 {req.output}"
    return Result(data, text)


def _rank(ctx: Context) -> Result:
    from xinfang_desktop.reports.assessment import assessment_report, ranking_text, write_xlsx

    definition = _rate(ctx.args.rate)
    req = _request(ctx, allow_county=False)
    report = assessment_report(ctx.database(), req.period, req.grouping, today=req.today)
    ranking = report.ranking(definition)
    data = {
        "period": req.period.to_json(),
        "today": req.today.isoformat(),
        "by": req.grouping.value,
        "by_label": req.grouping.label,
        **ranking.to_json(),
    }
    text = f"{req.period.label}，按{req.grouping.label}\n" + ranking_text(ranking)
    if req.output is not None:
        data["xlsx"] = str(write_xlsx(report, req.output, ranking))
        text += f"\n已导出 {req.output}"
    return Result(data, text)


def _common_options(p: argparse.ArgumentParser, *, by_default: str | None) -> None:
    p.add_argument("--from", dest="start", metavar="DATE", help="期间开始（收到日期，默认今年1月1日）")
    p.add_argument("--to", dest="end", metavar="DATE", help="期间结束（含当日，默认今天）")
    by_help = "分组：county 全县、unit 责任单位、township 乡镇" if by_default else "分组：unit 责任单位、township 乡镇"
    p.add_argument("--by", default=by_default, metavar="GROUP", help=by_help)
    p.add_argument("-o", "--output", metavar="FILE.xlsx", help="同时导出为 Excel 文件")
    p.add_argument("--today", metavar="D", help="按此日期计算期限状态（默认今天）")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    stats = sub.add_parser("stats", parents=[common], help="统计：考核指标及排名（R-AS-01、R-AS-02）")
    actions = stats.add_subparsers(dest="action", metavar="ACTION", parser_class=type(stats))
    p = actions.add_parser(
        "rates", parents=[common], help="及时受理率、按期办结率、满意率、参评率、一次性化解率、积案化解率、重复信访率等"
    )
    _common_options(p, by_default=Grouping.COUNTY.value)
    p.set_defaults(handler=_rates)
    p = actions.add_parser("rank", parents=[common], help="按一项指标对单位或乡镇排名，末位标出（R-AS-02）")
    p.add_argument("--rate", required=True, metavar="RATE_ID", help="指标：" + "、".join(RATE_IDS))
    _common_options(p, by_default=None)
    p.set_defaults(handler=_rank)
