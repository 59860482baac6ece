"""The period report, the composite ranking and the 三无 report as formatted workbooks (see `report_xlsx`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xinfang_desktop.core.composite_ranking import DEDUCTIONS
from xinfang_desktop.core.period_stats import CHANNELS, COLUMN_GROUPS, SUB_COLUMNS, PeriodRow
from xinfang_desktop.core.sanwu import CONDITIONS, EXTREME_INCIDENTS
from xinfang_desktop.reports.period_report import PeriodReport, TrendPoint
from xinfang_desktop.reports.ranking_report import RankingReport, SanwuReport
from xinfang_desktop.reports.report_xlsx import (
    CHANGE_FORMAT,
    INT_FORMAT,
    PERCENT_FORMAT,
    SCORE_FORMAT,
    HeaderGroup,
    SheetSpec,
    write_sheets,
)


def _fraction(value: float | None) -> float | None:
    """A percentage as the fraction Excel formats with a % format (12.5 → 0.125)."""
    return None if value is None else round(value / 100, 4)


def _period_cells(row: PeriodRow) -> list[Any]:
    b, p, lb, lp, yb, yp, qb, qp, mb, mp = row.cells()
    return [row.name, b, p, lb, lp, _fraction(yb), _fraction(yp), qb, qp, _fraction(mb), _fraction(mp)]


def _period_headers(first: str) -> list[HeaderGroup]:
    return [HeaderGroup(first, width=18), *(HeaderGroup(g, SUB_COLUMNS, width=10) for g in COLUMN_GROUPS)]


_PERIOD_FORMATS = [None, INT_FORMAT, INT_FORMAT, INT_FORMAT, INT_FORMAT, CHANGE_FORMAT, CHANGE_FORMAT]
_PERIOD_FORMATS += [INT_FORMAT, INT_FORMAT, CHANGE_FORMAT, CHANGE_FORMAT]


def period_sheets(report: PeriodReport) -> list[SheetSpec]:
    subtitles = [report.office, report.period_line] if report.office else [report.period_line]
    rows = [_period_cells(r) for r in report.rows]
    main = SheetSpec(
        "信访情况统计",
        report.title,
        subtitles,
        _period_headers(report.group_by.label),
        rows,
        _PERIOD_FORMATS,
        notes=["说明：", *report.notes()],
        bold_rows={len(rows) - 1},
    )
    specials = SheetSpec(
        "重点来访",
        "集体访、越级访、重复访、非正常上访情况",
        subtitles,
        _period_headers("项目"),
        [_period_cells(r) for r in report.specials],
        _PERIOD_FORMATS,
        notes=["说明：", *report.notes()],
    )
    by_channel_rows = []
    for r in report.rows:
        values: list[Any] = [r.name]
        for c in CHANNELS:
            values += [r.current.get(f"{c.value}_batches"), r.current.get(f"{c.value}_persons")]
        by_channel_rows.append([*values, r.current.batches, r.current.persons])
    channels = SheetSpec(
        "按信访形式",
        f"本期各信访形式批次人次（按{report.group_by.label}）",
        subtitles,
        [
            HeaderGroup(report.group_by.label, width=18),
            *(HeaderGroup(c.label, SUB_COLUMNS, width=9) for c in CHANNELS),
            HeaderGroup("合计", SUB_COLUMNS, width=10),
        ],
        by_channel_rows,
        [None] + [INT_FORMAT] * (2 * len(CHANNELS) + 2),
        notes=[report.caliber_note],
        bold_rows={len(by_channel_rows) - 1},
    )
    trend = SheetSpec(
        "月度趋势",
        "月度信访量趋势",
        subtitles,
        [
            HeaderGroup("统计月", width=14),
            HeaderGroup("起止", width=26),
            HeaderGroup("本期", SUB_COLUMNS, width=10),
            HeaderGroup("去年同期", SUB_COLUMNS, width=10),
        ],
        [[p.label, f"{p.start.isoformat()} 至 {p.end.isoformat()}", *_trend_numbers(p)] for p in report.trend],
        [None, None, INT_FORMAT, INT_FORMAT, INT_FORMAT, INT_FORMAT],
        notes=[report.caliber_note],
    )
    return [main, specials, channels, trend]


def _trend_numbers(p: TrendPoint) -> list[int]:
    return [p.batches, p.persons, p.last_year_batches, p.last_year_persons]


def write_period_xlsx(report: PeriodReport, path: Path) -> Path:
    return write_sheets(path, period_sheets(report))


def ranking_sheets(report: RankingReport) -> list[SheetSpec]:
    sheets = []
    for table in report.tables:
        rate_heads = [r for r, _ in report.weights.rates]
        headers = [
            HeaderGroup("名次", width=7),
            HeaderGroup(table.grouping.label, width=20),
            HeaderGroup("综合得分", width=10),
            HeaderGroup("考核指标", tuple(f"{r.name}（{w:g}%）" for r, w in report.weights.rates), width=12),
            HeaderGroup("扣分项（批次）", tuple(DEDUCTIONS.values()), width=10),
            HeaderGroup("挂牌整治", width=24),
        ]
        rows: list[list[Any]] = []
        flagged = set()
        for i, r in enumerate(table.rows):
            values = dict(r.rate_values)
            batches = {k: n for k, n, _ in r.deductions}
            rows.append(
                [r.rank, r.name, r.score]
                + [_fraction(values.get(d.id)) for d in rate_heads]
                + [batches.get(k, 0) for k in DEDUCTIONS]
                + ["、".join(r.listed_for)]
            )
            if r.listed:
                flagged.add(i)
        formats: list[str | None] = [INT_FORMAT, None, SCORE_FORMAT] + [PERCENT_FORMAT] * len(rate_heads)
        formats += [INT_FORMAT] * len(DEDUCTIONS) + [None]
        sheets.append(
            SheetSpec(
                f"按{table.grouping.label}",
                f"{report.title}（按{table.grouping.label}）",
                [report.office] if report.office else [],
                headers,
                rows,
                formats,
                notes=["说明：", *report.notes()],
                flagged_rows=flagged,
            )
        )
    return sheets


def write_ranking_xlsx(report: RankingReport, path: Path) -> Path:
    return write_sheets(path, ranking_sheets(report))


def _event_text(e: dict[str, Any]) -> str:
    where = f"{e['destination_label']}{e['headcount']}人"
    return f"{e['condition_label']} {e['case_number']}（{e['received_on']}，{where}）"


def sanwu_sheet(report: SanwuReport) -> SheetSpec:
    rows: list[list[Any]] = []
    flagged = set()
    for i, t in enumerate(report.townships):
        ids = set(t.broken())
        events = "；".join(_event_text(ev.to_json()) for ev in t.events)
        rows.append(
            [
                t.name,
                *("否" if c.id in ids else "是" for c in CONDITIONS),
                "须人工核实",
                "是" if t.achieved else "否",
                events,
            ]
        )
        if not t.achieved:
            flagged.add(i)
    return SheetSpec(
        "三无",
        report.title,
        [f"统计期间：{report.period.start.isoformat()} 至 {report.period.end.isoformat()}"],
        [
            HeaderGroup("乡镇", width=16),
            HeaderGroup("条件", (*(c.name for c in CONDITIONS), EXTREME_INCIDENTS.name), width=12),
            HeaderGroup("三无", width=8),
            HeaderGroup("未达到的依据", width=60),
        ],
        rows,
        [None] * 7,
        notes=[f"注：{EXTREME_INCIDENTS.description}", f"集体访标准：{report.collective_threshold}人及以上"],
        flagged_rows=flagged,
    )
