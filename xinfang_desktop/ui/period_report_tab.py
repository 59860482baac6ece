"""统计 → 期间统计 (issue 14): period pickers, the caliber, the grouping; the table of 批次/人次 with 同比/环比 and the
special visits; the charts (monthly trend, bars of the grouping, category share); 导出 Excel / PDF, the national
system's sheet, the annual report's draft. 季度排名与三无 is `ui/ranking_tab.py` (imported with this module, which
statistics_panel names). All counting and writing run through `ctx.tasks.run_db`, never on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent, QStandardItem
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.period_stats import (
    CHANGE_NOTE,
    COLUMN_GROUPS,
    SUB_COLUMNS,
    Caliber,
    GroupBy,
    PeriodRow,
    Tally,
    format_change,
)
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.reports.period_report import PeriodReport, period_report, stored_caliber
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.date_fields import date_edit, pydate
from xinfang_desktop.ui.progress import DelayedProgress
from xinfang_desktop.ui.ranking_tab import RankingTab
from xinfang_desktop.ui.report_tables import fill_table, report_table
from xinfang_desktop.ui.role_gate import gate

if TYPE_CHECKING:  # the charts module pulls in pyqtgraph and numpy (0.2-0.6 s): imported when a chart is first shown
    from xinfang_desktop.ui.report_charts import BarChart, TrendChart

GROUP_TEXT = {
    GroupBy.DESTINATION: "按去向（来县、来市、到省、进京）",
    GroupBy.CATEGORY: "按内容分类",
    GroupBy.LOCALITY: "按乡镇（属地）",
    GroupBy.UNIT: "按责任单位",
    GroupBy.CHANNEL: "按信访形式",
}
CALIBER_TEXT = {Caliber.NATURAL: "自然月", Caliber.REPORTING: "上月21日至本月20日"}
TOTAL_BG = QColor("#eef2f7")
UP = QColor("#b23c17")
DOWN = QColor("#2e7d32")


def _headers(first: str) -> list[str]:
    return [first] + [f"{group}\n{sub}" for group in COLUMN_GROUPS for sub in SUB_COLUMNS]


def _row_items(row: PeriodRow) -> list[QStandardItem]:
    items = [QStandardItem(row.name)]
    for i, value in enumerate(row.cells()):
        is_change = i in (4, 5, 8, 9)
        text = format_change(value) if is_change else f"{int(value or 0):,}"
        item = QStandardItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if is_change and isinstance(value, float) and value:
            item.setForeground(QBrush(UP if value > 0 else DOWN))  # more petitions is the worse news
        items.append(item)
    if row.is_total:
        bold = QFont()
        bold.setBold(True)
        for item in items:
            item.setFont(bold)
            item.setBackground(QBrush(TOTAL_BG))
    for item in items:
        item.setEditable(False)
    return items


@dataclass(frozen=True)
class _Loaded:
    report: PeriodReport
    categories: list[tuple[str, int]]  # the current period's 批次 by content category (the share chart)
    offices: tuple[str, ...] | None = None  # 各单位上报汇总: the offices whose packages are summed


def _load_job(start: date, end: date, group_by: GroupBy, caliber: Caliber) -> Callable[[Database], _Loaded]:
    def job(db: Database) -> _Loaded:
        report = period_report(db, start, end, group_by, caliber)
        if group_by is GroupBy.CATEGORY:
            shares = [(r.name, r.current.batches) for r in report.rows[:-1]]
        else:
            from xinfang_desktop.persistence.period_queries import group_names, period_tallies

            with db.read_session() as session:
                p = report.period
                tallies: dict[str | None, Tally] = period_tallies(
                    session, p.start, p.end, GroupBy.CATEGORY, collective_threshold=report.collective_threshold
                )
                names = group_names(session, GroupBy.CATEGORY, list(tallies))
            shares = [(names.get(k, str(k)), t.batches) for k, t in tallies.items()]
        shares.sort(key=lambda s: -s[1])
        return _Loaded(report, shares)

    return job


def _whole_span(start: date, end: date) -> Any:
    """The month, quarter, half year or year [start, end] is exactly (the periods packages are sent for), or None."""
    from xinfang_desktop.core.duties import PeriodKind, span_containing

    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF_YEAR, PeriodKind.YEAR):
        span = span_containing(kind, start)
        if (span.start, span.end) == (start, end):
            return span
    return None


def _city_job(span: Any, group_by: GroupBy) -> Callable[[Database], _Loaded]:
    """各单位上报汇总: the figures of the packages received for the period, summed (reports/exchange_summary.py)."""

    def job(db: Database) -> _Loaded:
        from xinfang_desktop.reports.exchange_summary import city_report

        city = city_report(db, span, group_by)
        by_category = city_report(db, span, GroupBy.CATEGORY).report
        shares = sorted(((r.name, r.current.batches) for r in by_category.rows[:-1]), key=lambda s: -s[1])
        return _Loaded(city.report, shares, tuple(o.office for o in city.offices))

    return job


def _has_received(db: Database) -> bool:
    """Whether this database has received any package from the offices below (a city or county bureau's)."""
    from sqlalchemy import func, select

    from xinfang_desktop.persistence.records_exchange import ExchangeReportRecord

    with db.read_session() as s:
        return bool(s.scalar(select(func.count()).select_from(ExchangeReportRecord)))


class PeriodReportTab(QWidget):
    """期间统计: pickers, the tables with 同比/环比, the charts, exports."""

    loaded = Signal()
    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.report: PeriodReport | None = None
        today = ctx.today()
        self.from_edit = date_edit(date(today.year, today.month, 1))
        self.to_edit = date_edit(today)
        self.caliber_combo = QComboBox()
        for c in Caliber:
            self.caliber_combo.addItem(CALIBER_TEXT[c], c.value)
        self.group_combo = QComboBox()
        for g in GroupBy:
            self.group_combo.addItem(GROUP_TEXT[g], g.value)
        # At a bureau that receives packages: its own ledger, or the sum of the offices' figures (issue 14).
        self.source_combo = QComboBox()
        self.source_combo.addItem("本单位台账", "own")
        self.source_combo.addItem("各单位上报汇总", "city")
        self.source_combo.setToolTip("各单位上报汇总：下级上报数据包中该期间的数字之和（按整月、整季、半年或整年）")
        self.source_label = QLabel("　数据：")
        for hidden in (self.source_label, self.source_combo):
            hidden.hide()
        self.refresh_button = QPushButton("统计")
        self.refresh_button.clicked.connect(self.refresh)
        self.xlsx_button = QPushButton("导出 Excel…")
        self.pdf_button = QPushButton("导出 PDF…")
        for button in (self.xlsx_button, self.pdf_button):
            button.setEnabled(False)
        self.national_button = QPushButton("导出全国系统格式…")
        self.national_button.setToolTip("期间内收到的信访事项，按全国信访信息系统的表头导出为 Excel")
        self.national_button.clicked.connect(self._choose_national)
        self.annual_button = QPushButton("起草年度报告…")
        gate("report.export", self.xlsx_button, self.pdf_button, self.national_button, self.annual_button)
        self.annual_button.setToolTip("按“至”日期所在年度，从台账起草向上级报送的年度信访工作情况报告（Word）")
        self.annual_button.clicked.connect(self._choose_annual)
        self.xlsx_button.clicked.connect(lambda: self._choose("xlsx"))
        self.pdf_button.clicked.connect(lambda: self._choose("pdf"))
        bar = QHBoxLayout()
        for widget in (QLabel("统计期间："), self.from_edit, QLabel("至"), self.to_edit, QLabel("　口径：")):
            bar.addWidget(widget)
        bar.addWidget(self.caliber_combo)
        bar.addWidget(QLabel("　分组："))
        bar.addWidget(self.group_combo)
        bar.addWidget(self.source_label)
        bar.addWidget(self.source_combo)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        exports = QHBoxLayout()  # a row of their own: beside the pickers they pushed the tab wider than a 1280 screen
        exports.addStretch(1)
        for button in (self.xlsx_button, self.pdf_button, self.national_button, self.annual_button):
            exports.addWidget(button)
        self.period_label = QLabel()
        self.period_label.setWordWrap(True)
        self.period_label.setStyleSheet("color: #444444;")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.table, self.model = report_table()
        self.special_table, self.special_model = report_table()
        self.special_table.setMaximumHeight(170)
        self.notes_label = QLabel(CHANGE_NOTE)
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #666666;")
        tables = QWidget()
        lay = QVBoxLayout(tables)
        lay.addWidget(self.table, 1)
        lay.addWidget(QLabel("<b>重点来访</b>（集体访、越级访、重复访、非正常上访）"))
        lay.addWidget(self.special_table)
        lay.addWidget(self.notes_label)
        self.trend_chart: TrendChart | None = None
        self.group_chart: BarChart | None = None
        self.category_chart: BarChart | None = None
        self._charts_page = QWidget()
        self._loaded: _Loaded | None = None
        self.pages = QTabWidget()
        self.pages.addTab(tables, "统计表")
        self.pages.addTab(self._charts_page, "图表")
        self.pages.currentChanged.connect(self._page_shown)
        self._progress = DelayedProgress(self, "正在统计…")
        root = QVBoxLayout(self)
        root.addLayout(bar)
        root.addLayout(exports)
        root.addWidget(self.period_label)
        root.addWidget(self.error_label)
        root.addWidget(self.pages, 1)
        self._caliber_known = False
        self._started = False

    def showEvent(self, event: QShowEvent) -> None:
        """Counted the first time the tab is shown (the 统计 section opens on another tab)."""
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.start()

    # -- loading ----------------------------------------------------------------------------------------------

    def start(self) -> None:
        """The office's caliber first (the setting), then the count."""
        if self._caliber_known:
            self.refresh()
            return

        def known(found: tuple[Caliber, bool]) -> None:
            caliber, receives = found
            self._caliber_known = True
            self.caliber_combo.setCurrentIndex(self.caliber_combo.findData(caliber.value))
            for shown in (self.source_label, self.source_combo):
                shown.setVisible(receives)
            self.refresh()

        self._ctx.tasks.run_db(lambda db: (stored_caliber(db), _has_received(db)), known, self._show_error)

    @property
    def group_by(self) -> GroupBy:
        return GroupBy(self.group_combo.currentData())

    @property
    def caliber(self) -> Caliber:
        return Caliber(self.caliber_combo.currentData())

    def refresh(self) -> None:
        start, end = pydate(self.from_edit.date()), pydate(self.to_edit.date())
        if start > end:
            self._show_error(ValueError("统计期间的开始日期晚于结束日期，请重新选择。"))
            return
        job = _load_job(start, end, self.group_by, self.caliber)
        if self.source_combo.currentData() == "city":
            span = _whole_span(start, end)
            if span is None:
                whole = "各单位上报按整月、整季、半年或整年汇总：请选择如 10月1日 至 10月31日 的期间。"
                self._show_error(ValueError(whole))
                return
            job = _city_job(span, self.group_by)
        self.refresh_button.setEnabled(False)
        self._progress.start()
        self._ctx.tasks.run_db(job, self._show, self._show_error)

    def _show(self, loaded: _Loaded) -> None:
        self._progress.finish()
        self.refresh_button.setEnabled(True)
        self.error_label.clear()
        report = self.report = loaded.report
        summed = ""
        if loaded.offices is not None:
            summed = (
                f"各单位上报汇总：{len(loaded.offices)} 个单位（{'、'.join(loaded.offices)}）。"
                if loaded.offices
                else "各单位上报汇总：该期间尚未收到任何单位的数据包。"
            )
        self.period_label.setText(f"{summed}{report.period_line}。{report.caliber_note}。")
        fill_table(self.model, _headers(report.group_by.label), [_row_items(r) for r in report.rows])
        fill_table(self.special_model, _headers("项目"), [_row_items(r) for r in report.specials])
        for button in (self.xlsx_button, self.pdf_button):
            button.setEnabled(True)
        self._loaded = loaded
        if self.trend_chart is not None:
            self._draw_charts(loaded)
        self.loaded.emit()

    def _page_shown(self, index: int) -> None:
        if self.pages.widget(index) is self._charts_page:
            self.build_charts()

    def build_charts(self) -> None:
        """The charts, made the first time their page is shown (pyqtgraph is imported then, not with the section)."""
        if self.trend_chart is None:
            from xinfang_desktop.ui.report_charts import BarChart, TrendChart

            self.trend_chart = TrendChart("月度信访量趋势")
            self.group_chart = BarChart("本期批次")
            self.category_chart = BarChart("内容分类占比")
            grid = QGridLayout(self._charts_page)
            grid.addWidget(self.trend_chart, 0, 0, 1, 2)
            grid.addWidget(self.group_chart, 1, 0)
            grid.addWidget(self.category_chart, 1, 1)
            if self._loaded is not None:
                self._draw_charts(self._loaded)

    def _draw_charts(self, loaded: _Loaded) -> None:
        assert self.trend_chart is not None and self.group_chart is not None and self.category_chart is not None
        report = loaded.report
        self.trend_chart.show_trend(
            [p.label for p in report.trend],
            [p.batches for p in report.trend],
            [p.last_year_batches for p in report.trend],
        )
        groups = report.rows[:-1]
        self.group_chart.set_title(f"本期批次（按{report.group_by.label}）")
        self.group_chart.show_bars([r.name for r in groups], [r.current.batches for r in groups])
        total = sum(n for _, n in loaded.categories) or 1
        top = list(loaded.categories[:8])
        if len(loaded.categories) > len(top):
            top.append(("其余分类", sum(n for _, n in loaded.categories[len(top) :])))
        self.category_chart.show_bars(
            [name for name, _ in top],
            [100 * n / total for _, n in top],
            unit="占比（%）",
            texts=[f"{100 * n / total:.1f}%" for _, n in top],
        )

    def _show_error(self, exc: BaseException) -> None:
        self._progress.finish()
        self.refresh_button.setEnabled(True)
        message = "无法统计：" + str(getattr(exc, "message", None) or exc)
        self.error_label.setText(message)
        self.failed.emit(message)

    # -- exports ----------------------------------------------------------------------------------------------

    def _choose(self, kind: str) -> None:
        if self.report is None:
            return
        suffix = f".{kind}"
        name = f"信访情况统计表（{self.report.period.start:%Y%m%d}-{self.report.period.end:%Y%m%d}）{suffix}"
        filters = "Excel 工作簿 (*.xlsx)" if kind == "xlsx" else "PDF 文件 (*.pdf)"
        chosen, _ = QFileDialog.getSaveFileName(self, "导出", name, filters)
        if chosen:
            path = Path(chosen if chosen.lower().endswith(suffix) else chosen + suffix)
            (self.export_xlsx if kind == "xlsx" else self.export_pdf)(path)

    def export_xlsx(self, path: Path) -> None:
        report = self.report
        if report is None:
            return
        from xinfang_desktop.reports.period_xlsx import write_period_xlsx

        self._ctx.tasks.run_db(lambda _db: write_period_xlsx(report, path), self._exported, self._show_error)

    def export_pdf(self, path: Path) -> None:
        report = self.report
        if report is None:
            return

        def job(_db: Database) -> Path:
            from xinfang_desktop.documents.pdf_renderer import render_pdf
            from xinfang_desktop.documents.report_documents import period_report_document

            render_pdf(period_report_document(report.to_json()), path)
            return path

        self._ctx.tasks.run_db(job, self._exported, self._show_error)

    def _choose_national(self) -> None:
        start, end = pydate(self.from_edit.date()), pydate(self.to_edit.date())
        name = f"信访事项（全国系统格式，{start:%Y%m%d}-{end:%Y%m%d}）.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(self, "导出全国系统格式", name, "Excel 工作簿 (*.xlsx)")
        if chosen:
            self.export_national(Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx"), start, end)

    def export_national(self, path: Path, start: date, end: date) -> None:
        """The cases received in [start, end] in the national system's sheet layout; 取消 stops it, leaving no file."""
        if start > end:
            self._show_error(ValueError("统计期间的开始日期晚于结束日期，请重新选择。"))
            return
        cancel = threading.Event()
        progress = DelayedProgress(self, "正在按全国信访信息系统格式导出…", title="导出", cancel=cancel)

        def job(db: Database) -> Path:
            from xinfang_desktop.reports.national_export import export_national

            export_national(db, start, end, path, cancelled=cancel.is_set)
            return path

        def done(result: Path) -> None:
            progress.finish()
            self.national_button.setEnabled(True)
            self._exported(result)

        def failed(exc: BaseException) -> None:
            progress.finish()
            self.national_button.setEnabled(True)
            self._show_error(exc)

        self.national_button.setEnabled(False)
        progress.start()
        self._ctx.tasks.run_db(job, done, failed)

    def _choose_annual(self) -> None:
        year = self.to_edit.date().year()
        chosen, _ = QFileDialog.getSaveFileName(
            self, "起草年度报告", f"{year}年度信访工作情况报告.docx", "Word 文档 (*.docx)"
        )
        if chosen:
            self.draft_annual(Path(chosen if chosen.lower().endswith(".docx") else chosen + ".docx"), year)

    def draft_annual(self, path: Path, year: int) -> None:
        """The annual report to the level above (R-AS-04) drafted from the ledger as an editable Word document."""

        def job(db: Database) -> Path:
            from xinfang_desktop.documents.annual_report_document import annual_report_document
            from xinfang_desktop.documents.docx_renderer import render_docx
            from xinfang_desktop.reports.annual_report import annual_report

            render_docx(annual_report_document(annual_report(db, year).to_json()), path)
            return path

        self.annual_button.setEnabled(False)
        self._progress.start()

        def done(result: Path) -> None:
            self._progress.finish()
            self.annual_button.setEnabled(True)
            self._exported(result)

        def failed(exc: BaseException) -> None:
            self.annual_button.setEnabled(True)
            self._show_error(exc)

        self._ctx.tasks.run_db(job, done, failed)

    def _exported(self, path: Any) -> None:
        self.error_label.clear()
        self.period_label.setText(self.period_label.text().split("　已导出")[0] + f"　已导出：{path}")
        self.exported.emit(str(path))


__all__ = ["PeriodReportTab", "RankingTab"]
