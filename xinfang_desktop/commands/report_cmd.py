"""`xinfang report period|sanwu|ranking`: the figures sent to the higher-level bureau (issue 14).

- `report period --from D --to D [--by destination|category|locality|unit|channel] [--caliber natural|21-20]
  (--json | --xlsx FILE | --pdf FILE)` — 批次/人次 with 同比/环比 (R-AS-01); the caliber defaults to the setting
  `statistics_caliber`.
- `report sanwu --period P --json` — 三无 per township with the visits that broke it (R-AS-03).
- `report ranking --quarter 2026Q3 (--json|--xlsx FILE|--pdf FILE)` — the composite ranking and the 挂牌整治 listing
  (R-AS-02) on the weights of the setting `ranking_weights`; `--half 2026H1` instead ranks a half year, the
  half-yearly evaluation of S4 §18 (半年评价), on the same weights. Exactly one of the two.
- `report annual --year Y -o FILE.docx` — the annual report to the level above (R-AS-04, 条例 art 41) drafted from
  the ledger (`.pdf` renders the same draft).

Every argument is checked before the database is opened: bad input exits 2 and touches nothing.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from xinfang_desktop.commands.base import Context, Result, UsageError, parse_date_arg, today_arg
from xinfang_desktop.core.duties import PeriodKind, Span, parse_period
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.period_stats import Caliber, GroupBy

_GROUPS = {g.value: g for g in GroupBy}
_CALIBERS = {c.value: c for c in Caliber}


def _output(text: str | None, suffix: str, option: str) -> Path | None:
    if text is None:
        return None
    path = Path(text).expanduser()
    if path.suffix.lower() != suffix:
        raise UsageError(f"{option} 应为 {suffix} 文件，而不是“{text}”", field=option.lstrip("-"))
    if path.is_dir() or not path.parent.is_dir():
        raise UsageError(f"{option} 应为一个文件路径，且其所在文件夹须已存在：{text}", field=option.lstrip("-"))
    return path


def _outputs(ctx: Context) -> tuple[Path | None, Path | None]:
    xlsx = _output(ctx.args.xlsx, ".xlsx", "--xlsx")
    pdf = _output(ctx.args.pdf, ".pdf", "--pdf")
    if xlsx is not None and pdf is not None:
        raise UsageError("--xlsx 与 --pdf 一次只能选一个", field="xlsx")
    if xlsx is None and pdf is None and not getattr(ctx.args, "json", False):
        raise UsageError("请指定输出：--json、--xlsx FILE 或 --pdf FILE", field="output")
    return xlsx, pdf


def _render_pdf(document: Any, path: Path) -> dict[str, Any]:
    from xinfang_desktop.documents.pdf_renderer import render_pdf

    info = render_pdf(document, path)
    return {"path": str(path), "pages": info.pages}


def _period(ctx: Context) -> Result:
    from xinfang_desktop.documents.report_documents import period_report_document
    from xinfang_desktop.reports.period_report import period_report
    from xinfang_desktop.reports.period_xlsx import write_period_xlsx

    start = parse_date_arg(ctx.args.start, "期间开始日期（--from）")
    end = parse_date_arg(ctx.args.end, "期间结束日期（--to）")
    if start > end:
        raise UsageError(f"期间开始日期 {start} 晚于结束日期 {end}（--from 应不晚于 --to）", field="from")
    group_by = _GROUPS.get(ctx.args.by.strip().lower())
    if group_by is None:
        raise UsageError(f"--by 应为 {'、'.join(_GROUPS)} 之一，而不是“{ctx.args.by}”", field="by")
    caliber = None
    if ctx.args.caliber is not None:
        caliber = _CALIBERS.get(ctx.args.caliber.strip().lower())
        if caliber is None:
            raise UsageError(f"--caliber 应为 natural 或 21-20，而不是“{ctx.args.caliber}”", field="caliber")
    xlsx, pdf = _outputs(ctx)
    report = period_report(ctx.database(), start, end, group_by, caliber)
    data = report.to_json()
    text = report.text()
    if xlsx is not None:
        data["xlsx"] = str(write_period_xlsx(report, xlsx))
        text += f"\n已导出 {xlsx}"
    if pdf is not None:
        data["pdf"] = _render_pdf(period_report_document(data), pdf)
        text += f"\n已导出 {pdf}"
    return Result(data, text)


def _span(text: str, option: str) -> Span:
    try:
        return parse_period(text)
    except DomainError as exc:
        raise UsageError(f"{option}：{exc.message}", field=option.lstrip("-")) from None


def _sanwu(ctx: Context) -> Result:
    from xinfang_desktop.reports.period_xlsx import sanwu_sheet
    from xinfang_desktop.reports.ranking_report import sanwu_report
    from xinfang_desktop.reports.report_xlsx import write_sheets

    period = _span(ctx.args.period, "--period")
    xlsx = _output(ctx.args.xlsx, ".xlsx", "--xlsx")
    report = sanwu_report(ctx.database(), period)
    data = report.to_json()
    text = report.text()
    if xlsx is not None:
        data["xlsx"] = str(write_sheets(xlsx, [sanwu_sheet(report)]))
        text += f"\n已导出 {xlsx}"
    return Result(data, text)


def _ranking(ctx: Context) -> Result:
    from xinfang_desktop.documents.model import Paragraph, ParagraphKind
    from xinfang_desktop.documents.report_documents import ranking_document
    from xinfang_desktop.reports.period_xlsx import write_ranking_xlsx
    from xinfang_desktop.reports.ranking_report import HALF_YEAR_NOTE, ranking_report

    quarter = _ranking_period(ctx)
    today = today_arg(ctx)
    xlsx, pdf = _outputs(ctx)
    report = ranking_report(ctx.database(), quarter, today=today)
    data = report.to_json()
    text = report.text()
    if xlsx is not None:
        data["xlsx"] = str(write_ranking_xlsx(report, xlsx))
        text += f"\n已导出 {xlsx}"
    if pdf is not None:
        document = ranking_document(data)
        # the form's title from the report: 综合排名 for a quarter, 半年评价 for a half year (S4 §18), whose
        # evaluation note follows the listing rule
        extra = (Paragraph.of(HALF_YEAR_NOTE, ParagraphKind.BODY),) if report.half_yearly else ()
        data["pdf"] = _render_pdf(replace(document, title=report.title, body=(*document.body, *extra)), pdf)
        text += f"\n已导出 {pdf}"
    return Result(data, text)


def _ranking_period(ctx: Context) -> Span:
    """--quarter 2026Q3 or --half 2026H1 (R-AS-02; S4 §18), exactly one."""
    quarter, half = ctx.args.quarter, ctx.args.half
    if quarter is not None and half is not None:
        raise UsageError("--quarter 与 --half 只能指定一个", field="quarter")
    if quarter is None and half is None:
        raise UsageError("请指定 --quarter（季度，如 2026Q3）或 --half（半年，如 2026H1）", field="quarter")
    if quarter is not None:
        span = _span(quarter, "--quarter")
        if span.kind is not PeriodKind.QUARTER:
            raise UsageError(f"--quarter 应为季度，如 2026Q3，而不是“{quarter}”", field="quarter")
        return span
    span = _span(half, "--half")
    if span.kind is not PeriodKind.HALF_YEAR:
        raise UsageError(f"--half 应为半年，如 2026H1（上半年）、2026H2（下半年），而不是“{half}”", field="half")
    return span


def _annual(ctx: Context) -> Result:
    from xinfang_desktop.documents.annual_report_document import annual_report_document
    from xinfang_desktop.reports.annual_report import annual_report

    year = ctx.args.year
    if not 2000 <= year <= 2199:
        raise UsageError(f"--year 应在 2000—2199 之间，而不是 {year}", field="year")
    path = Path(ctx.args.output).expanduser()
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise UsageError(f"-o 应为 .docx（或 .pdf）文件，而不是“{ctx.args.output}”", field="output")
    if path.is_dir() or not path.parent.is_dir():
        raise UsageError(f"-o 应为一个文件路径，且其所在文件夹须已存在：{ctx.args.output}", field="output")
    report = annual_report(ctx.database(), year)
    data = report.to_json()
    document = annual_report_document(data)
    if suffix == ".docx":
        from xinfang_desktop.documents.docx_renderer import render_docx

        info = render_docx(document, path)
    else:
        from xinfang_desktop.documents.pdf_renderer import render_pdf

        info = render_pdf(document, path)
    data["output"] = {"path": str(path), "pages": info.pages}
    return Result(data, f"已起草 {year} 年度信访工作情况报告（{info.pages} 页）：{path}；【】处须经办人补写")


def _file_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--xlsx", metavar="FILE.xlsx", help="导出为 Excel 文件")
    p.add_argument("--pdf", metavar="FILE.pdf", help="导出为 PDF 文件")


def register(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    report = sub.add_parser("report", parents=[common], help="报表：期间统计（同比、环比）、三无、综合排名")
    actions = report.add_subparsers(dest="action", metavar="ACTION", parser_class=type(report))
    p = actions.add_parser("period", parents=[common], help="期间信访批次、人次，含同比、环比")
    p.add_argument("--from", dest="start", required=True, metavar="D", help="期间开始日期 YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, metavar="D", help="期间结束日期 YYYY-MM-DD（含当日）")
    p.add_argument(
        "--by", default=GroupBy.DESTINATION.value, metavar="GROUP", help="分组：" + "、".join(_GROUPS) + "（默认去向）"
    )
    p.add_argument(
        "--caliber", metavar="CALIBER", help="统计口径：natural 自然月、21-20 上月21日至本月20日（默认按设置）"
    )
    _file_options(p)
    p.set_defaults(handler=_period)
    p = actions.add_parser("sanwu", parents=[common], help="各乡镇“三无”情况及未达到的依据")
    p.add_argument("--period", required=True, metavar="P", help="期间：2026、2026H1、2026Q3、2026-03")
    p.add_argument("--xlsx", metavar="FILE.xlsx", help="导出为 Excel 文件")
    p.set_defaults(handler=_sanwu)
    p = actions.add_parser("ranking", parents=[common], help="季度综合排名（或半年评价）及挂牌整治名单")
    p.add_argument("--quarter", metavar="2026Q3", help="季度")
    p.add_argument("--half", metavar="2026H1", help="半年（半年评价）：2026H1 上半年、2026H2 下半年")
    p.add_argument("--today", metavar="D", help="按此日期计算办理状态（默认今天）")
    _file_options(p)
    p.set_defaults(handler=_ranking)
    p = actions.add_parser("annual", parents=[common], help="起草年度信访工作情况报告（条例第四十一条）")
    p.add_argument("--year", required=True, type=int, metavar="Y", help="年度")
    p.add_argument("-o", "--output", required=True, metavar="FILE.docx", help="输出的 Word 文件")
    p.set_defaults(handler=_annual)
