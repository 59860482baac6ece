"""The 统计 section: the assessment rates of R-AS-01 for a period, per responsible unit or township with a 合计 row,
each rate's formula as a tooltip and in a legend; the ranking on a chosen rate with the 末位 marked (R-AS-02); and
the export to Excel. Counting and writing run through `ctx.tasks.run_db`, never on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.assessment import (
    COUNTS,
    RATES,
    AssessmentPeriod,
    Grouping,
    RateValue,
    default_period,
    format_percent,
)
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.reports.assessment import (
    LEGEND_HEAD,
    LOWEST_NOTE,
    PERIOD_NOTE,
    AssessmentReport,
    Ranking,
    screen_headers,
    write_xlsx,
)
from xinfang_desktop.reports.assessment_cache import CachedReport, cached_report, count_and_keep
from xinfang_desktop.ui.column_widths import fit_columns
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.date_fields import date_edit, pydate
from xinfang_desktop.ui.period_report_tab import PeriodReportTab, RankingTab
from xinfang_desktop.ui.progress import DelayedProgress
from xinfang_desktop.ui.role_gate import gate

RED = QColor("#c62828")
FLAGGED_BG = QColor("#fdecea")
TOTAL_BG = QColor("#eef2f7")
GROUPINGS = (Grouping.UNIT, Grouping.TOWNSHIP, Grouping.COUNTY)
GROUPING_TEXT = {Grouping.UNIT: "按责任单位", Grouping.TOWNSHIP: "按乡镇（属地）", Grouping.COUNTY: "全县合计"}
EMPTY_TEXT = (
    "所选期间（{period}）没有收到信访事项，也没有来访和在册积案。\n"
    "请调整统计期间；新的信访事项在「来信来访登记」中登记。"
)

Index = QModelIndex | QPersistentModelIndex
Cell = tuple[str, str]  # text, tooltip
Row = tuple[list[Cell], bool, bool]  # cells, the 合计 row, flagged (the 末位)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_RED_BRUSH, _FLAGGED_BRUSH, _TOTAL_BRUSH = QBrush(RED), QBrush(FLAGGED_BG), QBrush(TOTAL_BG)


class StatsModel(QAbstractTableModel):
    """A small read-only table: cells with tooltips, header tooltips, a bold 合计 row and red flagged rows."""

    def __init__(self, parent: Any = None, *, left: frozenset[int] = frozenset({0})) -> None:
        super().__init__(parent)
        self._left = left  # columns of text (names, marks); numbers are right-aligned
        self._headers: list[Cell] = []
        self._rows: list[Row] = []  # cells, total, flagged
        self._bold = QFont()
        self._bold.setBold(True)

    @property
    def bold_font(self) -> QFont:
        return self._bold

    def set_table(self, headers: list[Cell], rows: list[Row]) -> None:
        self.beginResetModel()
        self._headers, self._rows = headers, rows
        self.endResetModel()

    def text(self, row: int, column: int) -> str:
        return self._rows[row][0][column][0]

    def tip(self, row: int, column: int) -> str:
        return self._rows[row][0][column][1]

    def header_tip(self, column: int) -> str:
        return self._headers[column][1]

    def is_flagged(self, row: int) -> bool:
        return self._rows[row][2]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._headers[section][1] or None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self._cell(index)
        return None if cell is None else self._value(int(role), index.column(), *cell)

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        """What a paint calls: one call into Python for all the roles of a cell (data() is one call per role)."""
        cell = self._cell(index)
        if cell is None:
            return
        column = index.column()
        for role_data in roleDataSpan:  # None too: the delegate reuses role data from cell to cell
            role_data.setData(self._value(role_data.role(), column, *cell))

    def _cell(self, index: Index) -> tuple[str, str, bool, bool] | None:
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._rows) or not 0 <= column < len(self._headers):
            return None
        cells, total, flagged = self._rows[row]
        text, tip = cells[column]
        return text, tip, total, flagged

    def _value(self, role: int, column: int, text: str, tip: str, total: bool, flagged: bool) -> Any:
        if role == _DISPLAY:
            return text
        if role == _TOOLTIP:
            return tip or None
        if role == _ALIGNMENT:
            return _LEFT if column in self._left else _RIGHT
        if role == _FONT and (total or flagged):
            return self._bold
        if role == _FOREGROUND and flagged:
            return _RED_BRUSH
        if role == _BACKGROUND and (flagged or total):
            return _FLAGGED_BRUSH if flagged else _TOTAL_BRUSH
        return None


def _table(model: StatsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    # Widths are measured once per fill (`_fill`), not kept "to contents": that mode measures every cell again on
    # each layout and paint request, which stalled the GUI thread for a tenth of a second and more.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    header.setStretchLastSection(False)
    return view


def _fill(view: QTableView, model: StatsModel, heads: list[Cell], rows: list[Row], stretch: int) -> None:
    """Reset the model; one column takes the spare width, the others fit their texts (the 合计 and 末位 rows are
    bold)."""
    model.set_table(heads, rows)
    texts = [([text for text, _tip in cells], total or flagged) for cells, total, flagged in rows]
    fit_columns(view, [title for title, _tip in heads], texts, stretch=stretch, bold=model.bold_font)


def _label(style: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


class LegendLabel(QLabel):
    """The formulas' legend: rich text with a table, word-wrapped. QLabel lays such a document out again for every
    height-for-width question, several per layout pass (~10 ms each): the answer per width is kept instead (the text
    is set once)."""

    def __init__(self, style: str) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet(style)
        self.setTextFormat(Qt.TextFormat.RichText)
        self._heights: dict[int, int] = {}

    def setText(self, text: str) -> None:
        self._heights.clear()
        super().setText(text)

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().heightForWidth(width)
        return height


def ranking_rows(ranking: Ranking) -> list[Row]:
    """名次, 单位/乡镇, the rate (formula as tooltip), 分子/分母, 末位; worst first, then the 合计."""
    d = ranking.definition

    def line(rank: str, name: str, rate: RateValue, lowest: bool, total: bool, honours: str | None = None) -> Row:
        mark = (LOWEST_NOTE, "") if lowest else ("", "")
        fraction = f"{rate.numerator:,} / {rate.denominator:,}"
        # S3 art 14: a 诫勉 in an accountability case costs the unit this year's honours eligibility.
        lost = ("已取消", honours) if honours else ("", "")
        return [(rank, ""), (name, ""), (rate.text, d.formula), (fraction, ""), mark, lost], total, lowest

    rows = [
        line("—" if r.rank is None else str(r.rank), r.name, r.rate, r.lowest, False, r.honours_lost)
        for r in ranking.rows
    ]
    return [*rows, line("", "合计", ranking.total, False, True)]


@dataclass(frozen=True)
class _Loaded:
    """A count with what the tables show, built on the database thread (~15 ms the GUI thread does not spend)."""

    report: AssessmentReport
    rows: list[Row]
    rankings: dict[str, tuple[Ranking, list[Row]]]


def _loaded(report: AssessmentReport, grouping: Grouping) -> _Loaded:
    rows = [(r.screen(), r.is_total, False) for r in report.rows()]
    rankings: dict[str, tuple[Ranking, list[Row]]] = {}
    if grouping is not Grouping.COUNTY:
        for definition in RATES:
            ranking = report.ranking(definition)
            rankings[definition.id] = (ranking, ranking_rows(ranking))
    return _Loaded(report, rows, rankings)


def _load_job(period: AssessmentPeriod, grouping: Grouping, today: date) -> Callable[[Database], _Loaded]:
    def job(db: Database) -> _Loaded:
        return _loaded(count_and_keep(db, period, grouping, today=today), grouping)

    return job


def _kept_job(
    period: AssessmentPeriod, grouping: Grouping, today: date
) -> Callable[[Database], tuple[_Loaded, CachedReport] | None]:
    """The counts last made for this period and grouping today (issue 19: figures at once, a recount if stale)."""

    def job(db: Database) -> tuple[_Loaded, CachedReport] | None:
        kept = cached_report(db, period, grouping, today=today)
        return None if kept is None else (_loaded(kept.report, grouping), kept)

    return job


class StatisticsPanel(QWidget):
    """统计: period, grouping, the rates table with its legend, the ranking tab, 导出 Excel…"""

    loaded = Signal()
    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._started = False
        self.report: AssessmentReport | None = None
        self._rankings: dict[str, tuple[Ranking, list[Row]]] = {}  # by rate id; none for the county alone
        today = ctx.today()
        period = default_period(today)
        self.from_edit = date_edit(period.start, today)
        self.to_edit = date_edit(period.end, today)
        self.group_combo = QComboBox()
        for g in GROUPINGS:
            self.group_combo.addItem(GROUPING_TEXT[g], g.value)
        self.refresh_button = QPushButton("统计")
        self.refresh_button.setDefault(True)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._choose_export)
        self.group_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        bar = QHBoxLayout()
        for widget in (QLabel("统计期间："), self.from_edit, QLabel("至"), self.to_edit, QLabel("　分组：")):
            bar.addWidget(widget)
        bar.addWidget(self.group_combo)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        gate("report.export", self.export_button)
        self.exchange_button = QPushButton("上报数据包…")
        self.exchange_button.setToolTip("生成、核验、导入与上级往来的上报数据包（SM2 签名，可 SM4 加密）；管理密钥")
        self.exchange_button.clicked.connect(self.open_exchange)
        bar.addWidget(self.exchange_button)
        self.exchange_dialog: QWidget | None = None

        self.summary_label = _label("color: #444444;")
        self.kept_note = _label("color: #8a6d00;")
        self._final = True
        self.error_label = _label("color: #c62828;")
        self.empty_label = _label("color: #555555; font-size: 12pt; padding: 40px;")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        self.model = StatsModel(self)
        self.table = _table(self.model)
        self.legend = LegendLabel("color: #444444; background: #f7f9fb; border: 1px solid #e1e6eb; padding: 8px;")
        self.legend.setText(self._legend_html())
        rates_page = QWidget()
        lay = QVBoxLayout(rates_page)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.legend)

        self.rate_combo = QComboBox()
        for r in RATES:
            self.rate_combo.addItem(r.name, r.id)
        self.rate_combo.currentIndexChanged.connect(lambda _i: self.show_ranking())
        self.rank_formula = _label("color: #444444;")
        self.rank_model = StatsModel(self, left=frozenset({1, 4}))
        self.rank_table = _table(self.rank_model)
        rank_page = QWidget()
        lay = QVBoxLayout(rank_page)
        row = QHBoxLayout()
        row.addWidget(QLabel("排名指标："))
        row.addWidget(self.rate_combo)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(self.rank_formula)
        lay.addWidget(self.rank_table, 1)
        lay.addWidget(_label("color: #666666;", f"名次 1 为最好，并列同名次；表中末位在前。{LOWEST_NOTE}。"))

        self.tabs = QTabWidget()
        self.tabs.addTab(rates_page, "考核指标")
        self.tabs.addTab(rank_page, "排名")
        self.tabs.addTab(PeriodReportTab(ctx), "期间统计")  # issue 14: 批次/人次 with 同比/环比, charts
        ranking = RankingTab(ctx)
        index = self.tabs.addTab(ranking, "季度排名与三无")
        # 半年评价与三无 under a half-yearly profile (S4 §18): the tab says which it ranks.
        ranking.title_changed.connect(lambda title, i=index: self.tabs.setTabText(i, title))
        self._progress = DelayedProgress(self, "正在统计考核指标…")

        root = QVBoxLayout(self)
        root.setContentsMargins(24, 16, 24, 16)
        root.addWidget(QLabel("<h2>统计</h2>"))
        root.addLayout(bar)
        root.addWidget(self.summary_label)
        root.addWidget(self.kept_note)
        root.addWidget(self.error_label)
        root.addWidget(self.empty_label, 1)
        root.addWidget(self.tabs, 1)

    @staticmethod
    def _legend_html() -> str:
        """The formulas beside the table (R-AS-01) in two columns; what each counts is in the tooltips."""
        cells = [d.formula for d in RATES]  # the rule IDs are in the tooltips: here they only wrap badly
        cells.append(f"{'、'.join(c.name for c in COUNTS)}：{COUNTS[0].description.split('；')[-1]}")
        pairs = [cells[i : i + 2] + [""] * (i + 2 - len(cells)) for i in range(0, len(cells), 2)]
        rows = "".join(f"<tr><td style='padding-right:24px'>{a}</td><td>{b}</td></tr>" for a, b in pairs)
        return (
            "<b>指标公式</b>（R-AS-01；鼠标停在表头或数字上可看分子、分母、计算口径和依据条款）"
            f"<table style='margin-top:4px'>{rows}</table><span style='color:#666'>{LEGEND_HEAD}</span>"
        )

    def open_exchange(self) -> None:
        """The 上报数据包 dialog (issue 14), window-modal over the section."""
        from xinfang_desktop.ui.exchange_dialog import ExchangeDialog

        dialog = ExchangeDialog(self._ctx, self)
        self.exchange_dialog = dialog
        dialog.open()

    # -- loading --------------------------------------------------------------------------------------------

    def start(self) -> None:
        if not self._started:
            self._started = True
            self.refresh(use_kept=True)

    @property
    def grouping(self) -> Grouping:
        return Grouping(self.group_combo.currentData())

    def period(self) -> AssessmentPeriod:
        return AssessmentPeriod(pydate(self.from_edit.date()), pydate(self.to_edit.date()))

    def refresh(self, use_kept: bool = False) -> None:
        """Count the period on the database thread; the table fills when the counts come back. With `use_kept`
        (opening the section), the counts last made for it are shown first: exact when nothing was written since
        (then nothing is recounted), else marked with their time while the recount runs."""
        try:
            period = self.period()
        except DomainError as exc:
            self._show_error(exc)
            return
        self.refresh_button.setEnabled(False)
        self._progress.start()
        grouping, today = self.grouping, self._ctx.today()

        def count() -> None:
            self._ctx.tasks.run_db(_load_job(period, grouping, today), self._show, self._show_error)

        def kept(found: tuple[_Loaded, CachedReport] | None) -> None:
            if found is None:
                count()
                return
            loaded, cached = found
            self._show(loaded, final=cached.current)
            if not cached.current:
                self.refresh_button.setEnabled(False)
                self._progress.start()
                self.kept_note.setText(
                    f"以下为 {cached.counted_at:%m月%d日 %H:%M} 统计的结果，此后台账有变化，正在重新统计……"
                )
                count()

        if use_kept:
            self._ctx.tasks.run_db(_kept_job(period, grouping, today), kept, lambda _exc: count())
        else:
            count()

    def _show(self, loaded: _Loaded, final: bool = True) -> None:
        self._progress.finish()
        self.kept_note.clear()
        self._final = final
        self.refresh_button.setEnabled(True)
        report = self.report = loaded.report
        self._rankings = loaded.rankings
        self.error_label.clear()
        empty = report.is_empty
        self.empty_label.setText(EMPTY_TEXT.format(period=report.period.label))
        # Only on a change: setVisible(True) on a shown tab widget still shows it again (20 ms of polish and layout).
        if self.empty_label.isHidden() == empty:
            self.empty_label.setVisible(empty)
        if self.tabs.isHidden() != empty:
            self.tabs.setVisible(not empty)
        self.export_button.setEnabled(not empty)
        _fill(self.table, self.model, screen_headers(), loaded.rows, stretch=0)
        total = report.total
        summary = f"{report.period.label}：收到信访事项 {total.cases:,} 件（办理状态截至 {report.today.isoformat()}）"
        if total.imported:
            summary += f"；其中 {total.imported:,} 件为历史数据导入，没有办理时限和评价记录，不计入各率"
        self.summary_label.setText("" if empty else f"{summary}。{PERIOD_NOTE}。")
        # The ranking (on its tab, behind this one) in the next turn: the rates table is painted first, and the two
        # fills with that paint in one go held the window ~50 ms on a large ledger.
        QTimer.singleShot(1, self._show_ranking_and_finish)

    def _show_ranking_and_finish(self) -> None:
        self.show_ranking()
        if self._final:  # kept figures about to be recounted are not "loaded" yet
            self.loaded.emit()

    def _show_error(self, exc: BaseException) -> None:
        self._progress.finish()
        self.refresh_button.setEnabled(True)
        message = "无法统计：" + str(getattr(exc, "message", None) or exc)
        self.error_label.setText(message)
        self.failed.emit(message)

    def current_ranking(self) -> Ranking | None:
        """The ranking on the chosen rate (None before the first count, and for the county alone)."""
        ranked = self._rankings.get(self.rate_combo.currentData())
        return None if ranked is None else ranked[0]

    def show_ranking(self) -> None:
        """The rankings were computed with the counts (no database work here)."""
        ranked = self._rankings.get(self.rate_combo.currentData())
        if ranked is None:
            self.rank_formula.setText("排名须按责任单位或乡镇分组：请在上方“分组”中选择。")
            self.rank_model.set_table([], [])
            return
        ranking, rows = ranked
        d = ranking.definition
        order = "越高越好" if d.higher_is_better else "越低越好"
        self.rank_formula.setText(f"{d.formula}（{d.rule}；{order}）　合计：{format_percent(ranking.total.value)}")
        heads: list[Cell] = [
            ("名次", "名次1为最好"),
            ("单位/乡镇", ""),
            (d.name, d.formula),
            ("分子 / 分母", f"{d.numerator}\n{d.denominator}"),
            ("标记", LOWEST_NOTE),
            (
                "综合性荣誉评选资格",
                "受到诫勉的追责事项取消所在单位本年度评选综合性荣誉称号的资格（《信访工作责任制实施办法》第十四条）",
            ),
        ]
        # The 标记 column takes the spare width: the rates stay next to the names they belong to.
        _fill(self.rank_table, self.rank_model, heads, rows, stretch=4)

    # -- export ---------------------------------------------------------------------------------------------

    def _choose_export(self) -> None:
        if self.report is None:
            return
        p = self.report.period
        name = f"考核指标-{p.start.isoformat()}至{p.end.isoformat()}.xlsx"
        target, _f = QFileDialog.getSaveFileName(self, "导出 Excel", name, "Excel 工作簿 (*.xlsx)")
        if target:
            self.export_to(Path(target if target.lower().endswith(".xlsx") else target + ".xlsx"))

    def export_to(self, target: Path) -> None:
        """Write the table, the numerators and denominators and the ranking shown, on the database thread."""
        report, ranking = self.report, self.current_ranking()
        if report is None:
            return

        def job(_db: Database) -> Path:
            return write_xlsx(report, target, ranking)

        def done(path: Path) -> None:
            self.summary_label.setText(f"已导出 {path}")
            self.exported.emit(str(path))

        self._ctx.tasks.run_db(job, done, self._show_error)
