"""统计 → 季度排名与三无 (issue 14): the composite ranking of townships and units (R-AS-02) with the 挂牌整治 listing
in red and where each listed group's written explanation stands (责任落实 → 挂牌整治), its formula, ranking bars,
and 三无 per township (R-AS-03) with the visits that broke it. Counting runs through `ctx.tasks.run_db`.

When the office's rule profile evaluates half-yearly (S4 §18, `ranking.period` = half_year: the hengyang profile), the
picker offers 上半年 / 下半年 instead of the quarters and the ranking is the 半年评价; each ranking job reads the
profile's option first, so a profile changed in 设置 shows at the next 排名."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent, QStandardItem
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from xinfang_desktop.core.composite_ranking import RankingOption, ranking_span_of
from xinfang_desktop.core.duties import PeriodKind
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.reports.ranking_report import (
    RankingReport,
    SanwuReport,
    office_ranking_option,
    ranking_report,
    sanwu_report,
)
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.report_tables import RED, fill_table, report_table

# The state of a listed group's written explanation (persistence.rectification.queries.listing_mark)
LISTING_COLOURS = {
    "listed": QColor("#e65100"),
    "overdue": RED,
    "explained": QColor("#2e7d32"),
    "interviewed": QColor("#2e7d32"),
    "lifted": QColor("#757575"),
}

#: The picker's choices for each kind of ranking period (R-AS-02 quarters; S4 §18 half years).
PERIOD_NAMES = {
    PeriodKind.QUARTER: ("第一季度", "第二季度", "第三季度", "第四季度"),
    PeriodKind.HALF_YEAR: ("上半年", "下半年"),
}

if TYPE_CHECKING:  # pyqtgraph and numpy are imported with the first ranking
    from datetime import date

    from xinfang_desktop.ui.report_charts import BarChart


def period_index(kind: PeriodKind, today: date) -> int:
    """The picker's index of the quarter or half year containing `today`."""
    return (today.month - 1) // 3 if kind is PeriodKind.QUARTER else (0 if today.month <= 6 else 1)


class RankingTab(QWidget):
    """季度排名 (or 半年评价): the composite ranking of townships and units with the 挂牌整治 listing, and 三无 per
    township. `period_kind` is the profile's ranking period; `title_changed` carries the tab's suggested title
    (季度排名与三无 / 半年评价与三无) when it changes."""

    loaded = Signal()
    failed = Signal(str)
    title_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        today = ctx.today()
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2199)
        self.year_spin.setValue(today.year)
        self.period_kind = PeriodKind.QUARTER
        self.period_label = QLabel("季度：")
        self.quarter_combo = QComboBox()  # the quarter, or the half year under a half-yearly profile
        self._fill_periods()
        self.by_combo = QComboBox()
        self.by_combo.addItem("乡镇", 0)
        self.by_combo.addItem("责任单位", 1)
        self.by_combo.currentIndexChanged.connect(lambda _i: self._show_table())
        self.refresh_button = QPushButton("排名")
        self.refresh_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        for widget in (self.period_label, self.year_spin, QLabel("年"), self.quarter_combo, QLabel("　对象：")):
            bar.addWidget(widget)
        bar.addWidget(self.by_combo)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        self.formula_label = QLabel()
        self.formula_label.setWordWrap(True)
        self.formula_label.setStyleSheet("color: #444444;")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.table, self.model = report_table()
        self.chart: BarChart | None = None  # made with the first ranking (pyqtgraph imported then)
        self.sanwu_table, self.sanwu_model = report_table()
        pages = QTabWidget()
        rank_page = QWidget()
        lay = QHBoxLayout(rank_page)  # side by side: a bar per township or unit needs the page's height
        lay.addWidget(self.table, 3)
        self._rank_layout = lay
        pages.addTab(rank_page, "综合排名")
        pages.addTab(self.sanwu_table, "乡镇三无")
        self.pages = pages
        root = QVBoxLayout(self)
        root.addLayout(bar)
        root.addWidget(self.formula_label)
        root.addWidget(self.error_label)
        root.addWidget(pages, 1)
        self.ranking: RankingReport | None = None
        self.sanwu: SanwuReport | None = None
        self._started = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.refresh()

    def _fill_periods(self) -> None:
        """The quarters or the half years of the profile's ranking period, the one containing today chosen."""
        kind = self.period_kind
        self.quarter_combo.clear()
        for n, name in enumerate(PERIOD_NAMES[kind], start=1):
            self.quarter_combo.addItem(name, n)
        self.quarter_combo.setCurrentIndex(period_index(kind, self._ctx.today()))
        self.period_label.setText("半年：" if kind is PeriodKind.HALF_YEAR else "季度：")

    def set_period_kind(self, kind: PeriodKind) -> None:
        """Offer quarters or half years (the profile's option); the period containing today is chosen."""
        if kind is self.period_kind:
            return
        self.period_kind = kind
        self._fill_periods()
        self.title_changed.emit(self.title())

    def title(self) -> str:
        return "半年评价与三无" if self.period_kind is PeriodKind.HALF_YEAR else "季度排名与三无"

    def refresh(self) -> None:
        kind = self.period_kind
        span = ranking_span_of(self.year_spin.value(), int(self.quarter_combo.currentData()), kind)
        today = self._ctx.today()
        self.refresh_button.setEnabled(False)

        def job(db: Database) -> RankingOption | tuple[RankingReport, SanwuReport]:
            option = office_ranking_option(db)
            if option.period is not kind:  # the profile ranks the other period: offer it, then rank
                return option
            return ranking_report(db, span, today=today), sanwu_report(db, span)

        self._ctx.tasks.run_db(job, self._show, self._show_error)

    def _show(self, result: RankingOption | tuple[RankingReport, SanwuReport]) -> None:
        self.refresh_button.setEnabled(True)
        if isinstance(result, RankingOption):
            self.set_period_kind(result.period)
            self.refresh()
            return
        self.error_label.clear()
        self.ranking, self.sanwu = result
        self.formula_label.setText("<br>".join([*self.ranking.notes(), self.ranking.listing_note()]))
        self._show_table()
        rows = []
        for t in self.sanwu.townships:
            events = "；".join(
                f"{e['condition_label']} {e['case_number']}（{e['received_on']}）"
                for e in (ev.to_json() for ev in t.events)
            )
            items = [QStandardItem(t.name), QStandardItem("三无" if t.achieved else "未达到"), QStandardItem(events)]
            if not t.achieved:
                for item in items:
                    item.setForeground(QBrush(RED))
            rows.append(items)
        fill_table(self.sanwu_model, ["乡镇", "三无", "未达到的依据（极端事件须人工核实）"], rows)
        self.loaded.emit()

    def _show_table(self) -> None:
        if self.ranking is None:
            return
        table = self.ranking.tables[int(self.by_combo.currentData())]
        rates = [r for r, _ in self.ranking.weights.rates]
        heads = ["名次", table.grouping.label, "综合得分", *(r.name for r in rates), "挂牌整治", "挂牌状态"]
        rows = []
        for r in table.rows:
            values = dict(r.rate_values)
            listing = self.ranking.listing_of(table.grouping, r)
            state = str(listing["mark_label"]) if listing is not None else ("尚未登记挂牌" if r.listed else "")
            cells = [
                "—" if r.rank is None else str(r.rank),
                r.name,
                "—" if r.score is None else f"{r.score:.1f}",
                *("—" if values.get(d.id) is None else f"{values[d.id]:.1f}%" for d in rates),
                "、".join(r.listed_for),
                state,
            ]
            items = [QStandardItem(c) for c in cells]
            if r.listed:
                for item in items:
                    item.setForeground(QBrush(RED))
            if listing is not None:
                items[-1].setForeground(QBrush(LISTING_COLOURS.get(str(listing["mark"]), RED)))
            rows.append(items)
        fill_table(self.model, heads, rows)
        scored = [r for r in table.rows if r.score is not None]
        if self.chart is None:
            from xinfang_desktop.ui.report_charts import BarChart

            self.chart = BarChart("综合得分")
            self._rank_layout.addWidget(self.chart, 2)
        self.chart.set_title(f"综合得分（按{table.grouping.label}）")
        self.chart.show_bars(
            [r.name for r in scored],
            [max(r.score or 0.0, 0.0) for r in scored],
            unit="分",
            texts=[f"{r.score:.1f}" for r in scored],
            flagged=[r.listed for r in scored],
        )

    def _show_error(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        message = "无法排名：" + str(getattr(exc, "message", None) or exc)
        self.error_label.setText(message)
        self.failed.emit(message)
