"""The 考核指标 report (R-AS-01): the rates per unit or township with a 合计 row, the ranking on one rate (R-AS-02),
and their .xlsx export; the same table feeds the CLI, the 统计 section and the workbook.

Every rate column carries its formula (a header tooltip or cell comment, and a legend under the table), as R-AS-01
asks; counts come from `persistence.assessment_queries`, the arithmetic from `core.assessment`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from xinfang_desktop.core.assessment import (
    COUNTS,
    RATES,
    AssessmentCounts,
    AssessmentPeriod,
    Grouping,
    RankedGroup,
    RateDefinition,
    RateValue,
    format_percent,
    rank_groups,
    rate_value,
    rates,
    total_counts,
    visit_counts,
)
from xinfang_desktop.persistence.accountability.queries import honours_losses
from xinfang_desktop.persistence.assessment_queries import GroupCounts, assessment_counts
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.reports.report_xlsx import save_workbook
from xinfang_desktop.reports.xlsx_cells import safe_value

TOTAL_NAME = "合计"
LOWEST_MARK = "末位"
PERIOD_NOTE = "信访事项按收到日期、来访按来访日期、积案按台账日期计入期间"
LOWEST_NOTE = "末位：列为挂牌整治候选，须书面说明（R-AS-02）"
LEGEND_HEAD = "“—”表示没有应计件数。规定未明确的计数口径为本软件的解释（I），详见说明文档。"


def legend_line(d: RateDefinition) -> str:
    """One line of the legend: the formula, what is counted above and below the line, the note, the rules."""
    mark = "，I" if d.interpretation else ""
    return f"{d.formula}。分子：{d.numerator}；分母：{d.denominator}。{d.note}（{d.rule}{mark}）"


def rate_tip(d: RateDefinition) -> str:
    """The tooltip or cell comment of a rate's column: formula, numerator, denominator, note, rules."""
    return f"{d.formula}\n分子：{d.numerator}\n分母：{d.denominator}\n{d.note}\n依据：{d.rule}"


@dataclass(frozen=True)
class Column:
    """A column of the rates table: `kind` is "name", "count" or "rate"; `tip` is the formula or the meaning."""

    key: str
    title: str
    tip: str
    kind: str


def columns() -> tuple[Column, ...]:
    """组别, 信访事项, the rates of R-AS-01, then 批次 and 人次 of 越级访 and of each destination."""
    cols = [
        Column("name", "单位/乡镇", "", "name"),
        Column("cases", "信访事项(件)", "期间内收到的信访事项件数", "count"),
    ]
    cols += [Column(r.id, r.name, rate_tip(r), "rate") for r in RATES]
    for c in COUNTS:
        cols.append(Column(f"{c.id}_batches", f"{c.name}批次", f"{c.description}\n依据：{c.rule}", "count"))
        cols.append(Column(f"{c.id}_persons", f"{c.name}人次", f"{c.description}\n依据：{c.rule}", "count"))
    return tuple(cols)


def screen_headers() -> list[tuple[str, str]]:
    """The on-screen table's headers with their tooltips: 批次 and 人次 share a column ("3 / 10")."""
    heads = [("单位/乡镇", ""), ("信访事项\n（件）", "期间内收到的信访事项件数")]
    heads += [(r.name, rate_tip(r)) for r in RATES]
    return heads + [(f"{c.name}\n批次/人次", f"{c.description}\n依据：{c.rule}") for c in COUNTS]


@dataclass(frozen=True)
class Row:
    """One line of the table: a unit or township (key = its id or code, None for "none"), or the 合计."""

    key: str | None
    name: str
    counts: AssessmentCounts
    is_total: bool = False

    def values(self) -> list[str | int | float | None]:
        """The cells of `columns()`: the name, the counts, each rate as a fraction of 1 (None without a value)."""
        by_id = {r.definition.id: r.value for r in rates(self.counts)}
        out: list[str | int | float | None] = []
        for col in columns():
            if col.kind == "name":
                out.append(self.name)
            elif col.kind == "rate":
                value = by_id[col.key]
                out.append(None if value is None else _fraction(value))
            else:
                out.append(int(getattr(self.counts, col.key)))
        return out

    def screen(self) -> list[tuple[str, str]]:
        """The cells of `screen_headers()` with their tooltips (numerator / denominator behind each rate)."""
        cells = [(self.name, ""), (f"{self.counts.cases:,}", "")]
        for r in rates(self.counts):
            fraction = f"{r.definition.name}：{r.numerator:,} / {r.denominator:,} = {r.text}"
            cells.append((r.text, f"{fraction}\n{r.definition.formula}"))
        for c in visit_counts(self.counts):
            batches, persons = c["batches"], c["person_visits"]
            cells.append((f"{batches:,} / {persons:,}", f"{c['name']}：{batches:,} 批、{persons:,} 人次"))
        return cells

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "cases": self.counts.cases,
            "imported": self.counts.imported,
            "rates": [r.to_json() for r in rates(self.counts)],
            "counts": visit_counts(self.counts),
            "raw": self.counts.to_json(),
        }


@dataclass(frozen=True)
class Ranking:
    """R-AS-02: the groups on one rate, worst first, the 末位 marked, and the 合计's value for comparison."""

    definition: RateDefinition
    rows: tuple[RankedGroup, ...]
    total: RateValue

    def to_json(self) -> dict[str, Any]:
        return {
            "rate": self.definition.to_json(),
            "rows": [r.to_json() for r in self.rows],
            "total": self.total.to_json(),
            "note": LOWEST_NOTE,
        }


@dataclass(frozen=True)
class AssessmentReport:
    """The counts of every group for a period and grouping, as of `today`; rates, ranking, JSON and text from them."""

    period: AssessmentPeriod
    grouping: Grouping
    today: date
    groups: tuple[GroupCounts, ...]
    #: Group key → why it lost this year's eligibility for comprehensive honours (S3 art 14).
    honours_lost: Mapping[str, str] = field(default_factory=dict)

    @property
    def total(self) -> AssessmentCounts:
        return total_counts(g.counts for g in self.groups)

    @property
    def is_empty(self) -> bool:
        """Nothing in the period: no case received, no visit made, no backlog case on the books."""
        return not any(self.total.to_json().values())

    def rows(self) -> list[Row]:
        """One row per group and the 合计 (for the whole county, the county's row alone)."""
        if self.grouping is Grouping.COUNTY:
            return [Row(None, self.groups[0].name if self.groups else "全县", self.total, is_total=True)]
        return [Row(g.key, g.name, g.counts) for g in self.groups] + [Row(None, TOTAL_NAME, self.total, True)]

    def ranking(self, definition: RateDefinition) -> Ranking:
        ranked = rank_groups([(g.key, g.name, g.counts) for g in self.groups], definition)
        ranked = [replace(r, honours_lost=self.honours_lost.get(r.key or "")) for r in ranked]
        return Ranking(definition, tuple(ranked), rate_value(self.total, definition))

    @property
    def title(self) -> str:
        return f"信访工作考核指标（{self.period.label}，按{self.grouping.label}）"

    def to_json(self) -> dict[str, Any]:
        rows = self.rows()
        return {
            "period": self.period.to_json(),
            "today": self.today.isoformat(),
            "by": self.grouping.value,
            "by_label": self.grouping.label,
            "definitions": [r.to_json() for r in RATES],
            "count_definitions": [c.to_json() for c in COUNTS],
            "groups": [r.to_json() for r in rows if not r.is_total],
            "total": rows[-1].to_json(),
            "empty": self.is_empty,
        }

    def text(self) -> str:
        """For people at a terminal: one line per group, then the formulas."""
        lines = [self.title, f"办理状态截至 {self.today.isoformat()}；{PERIOD_NOTE}"]
        for row in self.rows():
            parts = [f"{r.definition.name} {r.text}（{r.numerator}/{r.denominator}）" for r in rates(row.counts)]
            visits = [f"{c['name']} {c['batches']}批{c['person_visits']}人次" for c in visit_counts(row.counts)]
            lines.append(f"{row.name}：信访事项 {row.counts.cases} 件；" + "；".join(parts + visits))
        if self.total.imported:
            lines.append(f"其中 {self.total.imported} 件为历史数据导入，没有办理时限和评价记录，不计入各率")
        lines.append("公式：")
        lines += [f"  {r.formula}（{r.rule}）" for r in RATES]
        return "\n".join(lines)


def assessment_report(db: Database, period: AssessmentPeriod, grouping: Grouping, *, today: date) -> AssessmentReport:
    """Count the ledger for the period (one read transaction) and build the report."""
    with db.read_session() as session:
        groups = assessment_counts(session, period, grouping, today=today)
        losses = honours_losses(session, period.end.year)
    honours: dict[str, str] = {}
    for loss in losses:
        key = str(loss.unit_id) if grouping is Grouping.UNIT else loss.region_code
        if key and key not in honours:
            honours[key] = f"{loss.person}受到诫勉（追责事项{loss.accountability}）"
    return AssessmentReport(period, grouping, today, tuple(groups), honours)


def ranking_text(ranking: Ranking) -> str:
    """The ranking for people at a terminal: worst first, each with its fraction, the 末位 pointed at."""
    d = ranking.definition
    order = "由低到高" if d.higher_is_better else "由高到低（越低越好）"
    lines = [f"{d.name}排名（{order}，末位在前）；合计 {ranking.total.text}", f"  {d.formula}（{d.rule}）"]
    for r in ranking.rows:
        rank = f"第{r.rank}名" if r.rank is not None else "无数据"
        mark = f"  ← {LOWEST_MARK}" if r.lowest else ""
        mark += f"  〔已取消本年度综合性荣誉评选资格：{r.honours_lost}〕" if r.honours_lost else ""
        lines.append(
            f"  {rank} {r.name}：{format_percent(r.rate.value)}（{r.rate.numerator}/{r.rate.denominator}）{mark}"
        )
    if any(r.lowest for r in ranking.rows):
        lines.append(LOWEST_NOTE)
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ .xlsx


def write_xlsx(report: AssessmentReport, path: Path, ranking: Ranking | None = None) -> Path:
    """The rates table (formulas as header comments and a legend under it), numerators and denominators, and the
    ranking when given; written beside `path` and renamed into place, so a failure leaves no half-written file."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    _fill_rates(sheet, report)
    _fill_fractions(wb.create_sheet("分子分母"), report)
    if ranking is not None:
        _fill_ranking(wb.create_sheet("排名"), report, ranking)
    return save_workbook(wb, path)  # beside the target, renamed into place: never a half-written file


def _heading(ws: Any, title: str, subtitle: str, width: int) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append([safe_value(title)])
    ws.append([safe_value(subtitle)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.cell(1, 1).font = Font(size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.cell(2, 1).alignment = Alignment(horizontal="center")


def _header(ws: Any, row: int, titles: list[str], tips: list[str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    for c, (title, tip) in enumerate(zip(titles, tips, strict=True), start=1):
        cell = ws.cell(row, c, safe_value(title))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if tip:
            cell.comment = Comment(tip, "信访工作台", width=320, height=120)
    ws.freeze_panes = f"B{row + 1}"  # a coordinate, not a cell: a cell would be created and move `append` down


def _subtitle(report: AssessmentReport) -> str:
    return f"办理状态截至 {report.today.isoformat()}；{PERIOD_NOTE}"


def _fill_rates(ws: Any, report: AssessmentReport) -> None:
    from openpyxl.styles import Font

    cols = columns()
    ws.title = "考核指标"
    _heading(ws, report.title, _subtitle(report), len(cols))
    _header(ws, 3, [c.title for c in cols], [c.tip for c in cols])
    for r, row in enumerate(report.rows(), start=4):
        for c, (col, value) in enumerate(zip(cols, row.values(), strict=True), start=1):
            target = ws.cell(r, c, "—" if value is None else safe_value(value))  # a unit named "=…" stays text
            if col.kind == "rate" and value is not None:
                target.number_format = "0.0%"
            if row.is_total:
                target.font = Font(bold=True)
    r = ws.max_row + 2
    ws.cell(r, 1, f"指标说明：{LEGEND_HEAD}").font = Font(bold=True)
    for d in RATES:
        r += 1
        ws.cell(r, 1, safe_value(legend_line(d)))
    for count in COUNTS:
        r += 1
        ws.cell(r, 1, safe_value(f"{count.name}：{count.description}（{count.rule}，I）"))
    if report.total.imported:
        ws.cell(r + 1, 1, f"期间内 {report.total.imported} 件为历史数据导入，没有办理时限和评价记录，不计入各率")
    ws.column_dimensions["A"].width = 26
    for i in range(2, len(cols) + 1):
        ws.column_dimensions[_letter(i)].width = 11


def _fill_fractions(ws: Any, report: AssessmentReport) -> None:
    titles = ["单位/乡镇"]
    tips = [""]
    for d in RATES:
        titles += [f"{d.name}分子", f"{d.name}分母"]
        tips += [d.numerator, d.denominator]
    _heading(ws, "各项指标的分子和分母", _subtitle(report), len(titles))
    _header(ws, 3, titles, tips)
    for row in report.rows():
        values: list[Any] = [safe_value(row.name)]
        for rate in rates(row.counts):
            values += [rate.numerator, rate.denominator]
        ws.append(values)
    ws.column_dimensions["A"].width = 26


def _fill_ranking(ws: Any, report: AssessmentReport, ranking: Ranking) -> None:
    from openpyxl.styles import Font, PatternFill

    d = ranking.definition
    _heading(ws, f"{d.name}排名（{report.period.label}，按{report.grouping.label}）", f"{d.formula}（{d.rule}）", 6)
    _header(
        ws,
        3,
        ["名次", "单位/乡镇", d.name, "分子", "分母", "标记"],
        ["名次1为最好；并列同名次", "", d.formula, d.numerator, d.denominator, LOWEST_NOTE],
    )
    red = Font(color="C62828", bold=True)
    for r in ranking.rows:
        value = None if r.rate.value is None else _fraction(r.rate.value)
        ws.append(
            [
                r.rank,
                safe_value(r.name),
                value if value is not None else "—",
                r.rate.numerator,
                r.rate.denominator,
                LOWEST_MARK if r.lowest else "",
            ]
        )
        ws.cell(ws.max_row, 3).number_format = "0.0%"
        if r.lowest:
            for c in range(1, 7):
                ws.cell(ws.max_row, c).font = red
                ws.cell(ws.max_row, c).fill = PatternFill("solid", fgColor="FDECEA")
    ws.append([None, TOTAL_NAME, None if ranking.total.value is None else _fraction(ranking.total.value)])
    ws.cell(ws.max_row, 3).number_format = "0.0%"
    ws.append([])
    ws.append([LOWEST_NOTE])
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["F"].width = 10


def _fraction(percent_value: float) -> float:
    """A percentage as the fraction Excel formats with "0.0%" (79.6 → 0.796, not 0.7959999…)."""
    return round(percent_value / 100, 4)


def _letter(index: int) -> str:
    """Excel column letters of a 1-based index (1 → A, 27 → AA)."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
