"""The statistics reports on paper (GB/T 9704 style forms): the period report with 同比/环比, the composite ranking.

Built from the plain data the CLI prints with --json (`reports.period_report`, `reports.ranking_report`), so the
paper and the JSON cannot disagree; the charts under the tables (`documents.report_charts`) come from the same data.
Nothing internal is printed: no rule IDs, no English keys, no notes for the clerk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from xinfang_desktop.documents.model import Block, Figure, Layout, OfficialDocument, Paragraph, ParagraphKind, Table

_COLUMNS = ("本期", "去年同期", "同比", "上期", "环比")
_NUMERALS = "一二三四五六七八九十"


def _n(value: int | None) -> str:
    return "—" if value is None else str(value)  # no thousands separator: figures on paper right-aligned as numbers


def _change(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}%" if value else "0.0%"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def _span(p: Mapping[str, Any]) -> str:
    return f"{_cn_date(p['from'])}至{_cn_date(p['to'])}"


def _table(first: str, rows: Sequence[Mapping[str, Any]], measure: str) -> Table:
    body: list[tuple[str, ...]] = [(first, *_COLUMNS)]
    for r in rows:
        body.append(
            (
                r["name"],
                _n(r["current"][measure]),
                _n(r["same_period_last_year"][measure]),
                _change(r["yoy"][measure]),
                _n(r["previous_period"][measure]),
                _change(r["mom"][measure]),
            )
        )
    return Table(tuple(body), header_rows=1, col_widths=(2.4, 1, 1, 1, 1, 1))  # unit names of 10 字 on one line


def period_figures(data: Mapping[str, Any]) -> list[Figure]:
    """The charts under the period report's 批次 table, from the same data (no second reading of the ledger)."""
    from xinfang_desktop.documents.report_charts import group_figures, trend_figure

    trend = trend_figure(data["trend"])
    return [*group_figures(data), *([trend] if trend is not None else [])]


def ranking_figures(table: Mapping[str, Any]) -> list[Figure]:
    """The 综合得分 bars under one grouping's ranking table (挂牌整治 and 末位 marked)."""
    from xinfang_desktop.documents import report_charts as pdf_charts

    return pdf_charts.ranking_figures(table)


def period_report_document(data: Mapping[str, Any]) -> OfficialDocument:
    """信访情况统计表: the groups' 批次 and 人次 with 同比/环比, the special visits, the caliber and the notes."""
    by = data["by_label"]
    rows = [*data["rows"], data["total"]]
    body: list[Block] = [
        Paragraph.of(f"统计期间：{_span(data['period'])}", ParagraphKind.PLAIN),
        Paragraph.of(
            f"去年同期：{_span(data['same_period_last_year'])}；上期：{_span(data['previous_period'])}",
            ParagraphKind.PLAIN,
        ),
        Paragraph.of(data["caliber"]["note"], ParagraphKind.PLAIN),
    ]
    sections = [
        (f"按{by}统计的批次", by, rows, "batches"),
        (f"按{by}统计的人次", by, rows, "person_visits"),
        ("重点来访批次", "项目", data["special"], "batches"),
        ("重点来访人次", "项目", data["special"], "person_visits"),
    ]
    for i, (heading, first, table_rows, measure) in enumerate(sections):
        body.append(Paragraph.of(f"{_NUMERALS[i]}、{heading}", ParagraphKind.HEADING1))
        body.append(_table(first, table_rows, measure))
        if i == 0:  # under the 批次 table: its grouping in bars (or the category share) and its months in lines
            body += period_figures(data)
    body.append(Paragraph.of(f"{_NUMERALS[len(sections)]}、说明", ParagraphKind.HEADING1))
    body += [Paragraph.of(line, ParagraphKind.BODY) for line in data["notes"]]
    return OfficialDocument(
        type_id="period_report",
        title="信访情况统计表",
        layout=Layout.FORM,
        body=tuple(body),
        metadata={"report": "period", "by": data["by"], "from": data["period"]["from"], "to": data["period"]["to"]},
    )


def ranking_document(data: Mapping[str, Any]) -> OfficialDocument:
    """信访工作综合排名: each grouping's table (名次, score, the weighted rates, the deductions, 挂牌整治), the formula
    and the listing rule."""
    weights = data["weights"]
    rate_names = {d["id"]: d["name"] for d in data.get("rate_definitions", [])}
    rate_ids = list(weights["rates"])
    body: list[Block] = [
        Paragraph.of(f"统计期间：{_span(data)}", ParagraphKind.PLAIN),
        Paragraph.of(f"办理状态截至{_cn_date(data['today'])}", ParagraphKind.PLAIN),
    ]
    for i, table in enumerate(data["tables"]):
        body.append(Paragraph.of(f"{_NUMERALS[i]}、按{table['by_label']}排名", ParagraphKind.HEADING1))
        # Rates without the % sign (it is in the header): "100.0%" does not fit a portrait column of eight.
        head = ("名次", table["by_label"], "综合得分", *(f"{rate_names.get(r, r)}（%）" for r in rate_ids), "挂牌整治")
        rows: list[tuple[str, ...]] = [head]
        for r in table["rows"]:
            rows.append(
                (
                    "—" if r["rank"] is None else str(r["rank"]),
                    r["name"],
                    "—" if r["score"] is None else f"{r['score']:.1f}",
                    *(_number(r["rates"].get(k)) for k in rate_ids),
                    "、".join(r["listed_for"]),
                )
            )
        widths = (0.55, 1.6, 0.95, *(1.0 for _ in rate_ids), 1.5)
        body.append(Table(tuple(rows), header_rows=1, col_widths=widths))
        body += ranking_figures(table)
    body.append(Paragraph.of(f"{_NUMERALS[len(data['tables'])]}、说明", ParagraphKind.HEADING1))
    body.append(Paragraph.of(weights["formula"], ParagraphKind.BODY))
    body.append(Paragraph.of(weights["listing_rule"], ParagraphKind.BODY))
    return OfficialDocument(
        type_id="ranking_report",
        title=f"{data['label']}信访工作综合排名",
        layout=Layout.FORM,
        body=tuple(body),
        metadata={"report": "ranking", "quarter": data["quarter"]},
    )
