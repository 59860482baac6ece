"""挂牌整治 (R-AS-02): the townships and units listed by the quarterly ranking, each with its state, the written
explanation's due day in colour (red overdue, amber 临期, green in time), the explanation, the 约谈 and the 摘牌 — and
the forms of the chain: 从排名列入…, 登记书面说明…, 登记约谈…, 摘牌…. Every read and write runs on the database thread;
a refusal is shown in the form in Chinese and nothing is written.

When the office's rule profile evaluates half-yearly (S4 §18, `ranking.period` = half_year), the period picker of the
table and of 从排名列入… offer 上半年 / 下半年 instead of quarters (the listing's period code, 2026H1, is kept where the
quarter is); each refresh reads the profile's option with the listings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.composite_ranking import last_ended_span, ranking_span_of, recent_spans
from xinfang_desktop.core.duties import PeriodKind, Span
from xinfang_desktop.core.rectification import previous_quarter
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.date_fields import date_edit, pydate
from xinfang_desktop.ui.empty_hint import EmptyHint
from xinfang_desktop.ui.report_tables import fill_table, report_table
from xinfang_desktop.ui.searchable_combo import make_searchable
from xinfang_desktop.ui.store_dialog import StoreDialog

RED = QColor("#c62828")
AMBER = QColor("#e65100")
GREEN = QColor("#2e7d32")
GREY = QColor("#757575")
RED_TEXT = "color: #c62828;"
HEADERS = ["编号", "季度", "挂牌对象", "类别", "列入原因", "状态", "书面说明期限", "书面说明", "约谈", "摘牌"]
DUE_COLUMN = HEADERS.index("书面说明期限")
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
HALF_YEAR_NAMES = ("上半年", "下半年")
#: How many ended periods the table's picker offers (two years either way).
RECENT_PERIODS = {PeriodKind.QUARTER: 8, PeriodKind.HALF_YEAR: 4}


def error_text(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


def last_ended_quarter(today: date) -> tuple[int, int]:
    """The quarter before the one containing `today` (its ranking is final): (year, q)."""
    code = previous_quarter(f"{today.year}Q{(today.month - 1) // 3 + 1}")
    return int(code[:4]), int(code[-1])


def last_ended_period(today: date, kind: PeriodKind) -> tuple[int, int]:
    """The quarter (or half year) before the one containing `today`: (year, number)."""
    span = last_ended_span(today, kind)
    return span.start.year, int(span.code[-1])


def period_word(kind: PeriodKind) -> str:
    return "半年" if kind is PeriodKind.HALF_YEAR else "季度"


def empty_text(kind: PeriodKind) -> str:
    if kind is PeriodKind.HALF_YEAR:
        return "还没有挂牌整治对象。半年结束后点击“从排名列入…”，按半年评价列入挂牌整治。"
    return "还没有挂牌整治对象。季度结束后点击“从排名列入…”，按综合排名列入挂牌整治。"


def due_colour(row: dict[str, Any]) -> QColor:
    clock = row["explanation"]["clock"]
    if row["overdue"] or clock["state"] == "met_late":
        return RED
    if row["urgent"]:
        return AMBER
    if clock["state"] == "met":
        return GREEN
    return GREY if not row["open"] else QColor("#212121")


def _text_edit(placeholder: str, height: int = 72) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    edit.setPlaceholderText(placeholder)
    return edit


class QuarterPicker(QWidget):
    """A year and a quarter — or a half year (上半年 / 下半年) when `kind` is the half year of S4 §18."""

    changed = Signal()

    def __init__(self, year: int, quarter: int, kind: PeriodKind = PeriodKind.QUARTER) -> None:
        super().__init__()
        self.kind = kind
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2199)
        self.year_spin.setValue(year)
        self.quarter_combo = QComboBox()
        for q, name in enumerate(HALF_YEAR_NAMES if kind is PeriodKind.HALF_YEAR else QUARTER_NAMES, start=1):
            self.quarter_combo.addItem(name, q)
        self.quarter_combo.setCurrentIndex(quarter - 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.year_spin)
        layout.addWidget(QLabel("年"))
        layout.addWidget(self.quarter_combo)
        layout.addStretch(1)
        self.year_spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.quarter_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def span(self) -> Span:
        return ranking_span_of(self.year_spin.value(), int(self.quarter_combo.currentData()), self.kind)

    def code(self) -> str:
        return self.span().code


class FromRankingDialog(StoreDialog):
    """从排名列入: the quarter (the last ended one by default), the groups its ranking lists with their reasons, OK
    lists them (a group already listed for the quarter is not listed again) and lifts the previous quarter's listings
    the ranking no longer lists. Under a half-yearly profile the same for a half year (从半年评价列入)."""

    preview_loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, kind: PeriodKind = PeriodKind.QUARTER) -> None:
        half = kind is PeriodKind.HALF_YEAR
        super().__init__(ctx, "从半年评价列入挂牌整治" if half else "从季度排名列入挂牌整治", parent, min_width=620)
        self.kind = kind
        self.picker = QuarterPicker(*last_ended_period(ctx.today(), kind), kind=kind)
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet("color: #555555;")
        for label in (self.preview_label, self.rule_label):  # a wrapped label otherwise keeps a third of the row
            label.setMinimumWidth(500)
        self.form.addRow(period_word(kind), self.picker)
        self.form.addRow("评价列入" if half else "排名列入", self.preview_label)
        self.form.addRow("", self.rule_label)
        self.picker.changed.connect(self.load_preview)
        self.load_preview()

    def load_preview(self) -> None:
        from xinfang_desktop.reports.ranking_report import ranking_report
        from xinfang_desktop.reports.rectification_listing import listed_groups

        span = self.picker.span()
        today = self.ctx.today()
        self.preview_label.setText("正在排名…")

        def job(db: Database) -> tuple[list[Any], str]:
            report = ranking_report(db, span, today=today)
            return listed_groups(report), report.weights.listing_rule()

        self.ctx.tasks.run_db(job, self._show_preview, lambda exc: self.preview_label.setText(error_text(exc)))

    def _show_preview(self, result: tuple[list[Any], str]) -> None:
        groups, rule = result
        self.groups = groups
        lines = [f"{g.name}（{g.kind.label}）：{'、'.join(g.reasons)}" for g in groups]
        none = "本半年评价无挂牌整治对象" if self.kind is PeriodKind.HALF_YEAR else "本季度排名无挂牌整治对象"
        self.preview_label.setText("\n".join(lines) or none)
        self.rule_label.setText(rule)
        # The wrapped lines came after the dialog was laid out: grow to show them whole, once the layout has taken
        # the new text's height (on the next turn of the event loop).
        QTimer.singleShot(0, self.adjustSize)
        self.preview_loaded.emit(groups)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.reports.rectification_listing import list_from_ranking

        span = self.picker.span()
        today, user = self.ctx.today(), self.ctx.user
        if today <= span.end:
            what = "评价" if self.kind is PeriodKind.HALF_YEAR else "排名"
            raise ValueError(f"{span.label}尚未结束（至{span.end.isoformat()}），{what}未定，不能据此挂牌整治")
        return lambda db: list_from_ranking(db, span, today=today, user=user)


class ExplainDialog(StoreDialog):
    """登记书面说明: the day it came (not after today), a summary, and the file chosen in a file dialog."""

    def __init__(self, ctx: AppContext, listing: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, "登记书面说明", parent, min_width=560)
        self.listing_id = int(listing["id"])
        self.file: Path | None = None
        today = ctx.today()
        head = QLabel(
            f"{listing['quarter_label']} {listing['name']}：应于{listing['explanation_due']}前提交"
            f"（{listing['explanation']['clock']['label']}）"
        )
        head.setWordWrap(True)
        self.date_edit = date_edit(today, maximum=today)
        self.summary_edit = _text_edit("必填：书面说明的主要内容（整治措施、原因分析等）", 96)
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("未选择（可不附）")
        self.file_button = QPushButton("选择文件…")
        self.file_button.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.file_button)
        self.form.addRow("挂牌对象", head)
        self.form.addRow("提交日期", self.date_edit)
        self.form.addRow("内容摘要", self.summary_edit)
        self.form.addRow("书面说明文件", row)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "选择书面说明", "", "书面说明 (*.pdf *.doc *.docx *.ofd *.jpg *.jpeg *.png *.tif);;所有文件 (*)"
        )
        if path:
            self.set_file(Path(path))

    def set_file(self, path: Path | None) -> None:
        self.file = path
        self.file_edit.setText(path.name if path else "")
        self.file_edit.setToolTip(str(path) if path else "")

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.rectification.store import record_explanation

        summary = self.summary_edit.toPlainText().strip()
        if not summary:
            raise ValueError("请填写书面说明的内容摘要")
        lid, on, file, today, user = (
            self.listing_id,
            pydate(self.date_edit.date()),
            self.file,
            self.ctx.today(),
            self.ctx.user,
        )
        return lambda db: record_explanation(db, lid, on=on, summary=summary, file=file, today=today, user=user)


class InterviewDialog(StoreDialog):
    """登记约谈: the day, the leader who held it (a registered leader found as you type, or a name typed), the persons
    interviewed and what was said."""

    def __init__(
        self, ctx: AppContext, listing: dict[str, Any], leaders: list[dict[str, Any]], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "登记约谈", parent, min_width=560)
        self.listing_id = int(listing["id"])
        today = ctx.today()
        head = QLabel(f"{listing['quarter_label']} {listing['name']}（{listing['state_label']}）")
        head.setWordWrap(True)
        self.date_edit = date_edit(today, maximum=today)
        self.leader_combo = make_searchable(QComboBox(), "输入姓名查找已登记的领导，或直接填写")
        for ld in leaders:
            self.leader_combo.addItem(ld["label"], str(ld["id"]))
        self.leader_combo.setCurrentIndex(-1)
        self.leader_combo.setEditText("")
        self.persons_edit = _text_edit("必填：被约谈的信访工作相关责任人（姓名、职务）", 56)
        self.notes_edit = _text_edit("约谈情况（可不填）")
        self.form.addRow("挂牌对象", head)
        self.form.addRow("约谈日期", self.date_edit)
        self.form.addRow("约谈领导", self.leader_combo)
        self.form.addRow("被约谈人员", self.persons_edit)
        self.form.addRow("约谈情况", self.notes_edit)

    def leader_value(self) -> str:
        """The selected leader's id, or the name as typed when it names no registered leader."""
        text = self.leader_combo.currentText().strip()
        i = self.leader_combo.findText(text)
        return str(self.leader_combo.itemData(i)) if text and i >= 0 else text

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.rectification.store import record_interview

        by = self.leader_value()
        if not by:
            raise ValueError("请选择或填写约谈领导")
        persons = self.persons_edit.toPlainText().strip()
        if not persons:
            raise ValueError("请填写被约谈人员")
        notes = self.notes_edit.toPlainText().strip() or None
        lid, on, today, user = self.listing_id, pydate(self.date_edit.date()), self.ctx.today(), self.ctx.user
        return lambda db: record_interview(db, lid, on=on, by=by, persons=persons, notes=notes, today=today, user=user)


class LiftDialog(StoreDialog):
    """摘牌: the day and the reason (required; the ranking's own lifting writes its reason itself)."""

    def __init__(self, ctx: AppContext, listing: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, "摘牌", parent, min_width=520)
        self.listing_id = int(listing["id"])
        today = ctx.today()
        head = QLabel(f"{listing['quarter_label']} {listing['name']}（{listing['state_label']}）")
        head.setWordWrap(True)
        self.date_edit = date_edit(today, maximum=today)
        self.reason_edit = _text_edit("必填：摘牌理由（如整改到位，经联席会议研究决定摘牌）")
        self.form.addRow("挂牌对象", head)
        self.form.addRow("摘牌日期", self.date_edit)
        self.form.addRow("摘牌理由", self.reason_edit)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.rectification.store import lift_listing

        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            raise ValueError("请填写摘牌理由")
        lid, on, today, user = self.listing_id, pydate(self.date_edit.date()), self.ctx.today(), self.ctx.user
        return lambda db: lift_listing(db, lid, on=on, reason=reason, today=today, user=user)


class RectificationTab(QWidget):
    """`refresh()` reloads the listings (keeping the selection)."""

    loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self.dialog: StoreDialog | None = None
        self.period_kind = PeriodKind.QUARTER  # the profile's ranking period, read with every refresh
        self.period_label = QLabel("季度：")
        self.quarter_combo = QComboBox()
        self._fill_periods()
        self.quarter_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.open_check = QCheckBox("只看未摘牌")
        self.open_check.toggled.connect(lambda _c: self.refresh())
        self.summary_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet(RED_TEXT)
        self.error_label.setWordWrap(True)
        self.table, self.model = report_table()
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        self.empty_hint = EmptyHint(self.table, empty_text(self.period_kind))
        self.detail_label = QLabel()
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setWordWrap(False)  # short lines; a wrapped rich label kept the height of one line
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setStyleSheet("color: #333333;")
        self.from_ranking_button = QPushButton("从排名列入…")
        self.explain_button = QPushButton("登记书面说明…")
        self.interview_button = QPushButton("登记约谈…")
        self.lift_button = QPushButton("摘牌…")
        self.from_ranking_button.clicked.connect(lambda: self.open_dialog("rank"))
        self.explain_button.clicked.connect(lambda: self.open_dialog("explain"))
        self.interview_button.clicked.connect(lambda: self.open_dialog("interview"))
        self.lift_button.clicked.connect(lambda: self.open_dialog("lift"))
        top = QHBoxLayout()
        top.addWidget(self.period_label)
        top.addWidget(self.quarter_combo)
        top.addWidget(self.open_check)
        top.addWidget(self.summary_label, 1)
        buttons = QHBoxLayout()
        for b in (self.from_ranking_button, self.explain_button, self.interview_button, self.lift_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._row_selected(cur.row()))
        self._row_selected(-1)

    # -- loading -----------------------------------------------------------------------------------------------

    def _fill_periods(self) -> None:
        """全部 and the ended quarters (or half years) of the last two years, newest first."""
        kind = self.period_kind
        word = period_word(kind)
        self.quarter_combo.clear()
        self.quarter_combo.addItem(f"全部{word}", None)
        for span in recent_spans(self._ctx.today(), kind, RECENT_PERIODS[kind]):
            self.quarter_combo.addItem(span.label, span.code)
        self.period_label.setText(f"{word}：")

    def set_period_kind(self, kind: PeriodKind) -> None:
        """Offer quarters or half years (the profile's option), 全部 chosen; no reload of its own."""
        if kind is self.period_kind:
            return
        self.period_kind = kind
        self.quarter_combo.blockSignals(True)
        try:
            self._fill_periods()
        finally:
            self.quarter_combo.blockSignals(False)
        self.empty_hint.set_text(empty_text(kind))

    def refresh(self) -> None:
        from xinfang_desktop.persistence.rectification.store import list_listings
        from xinfang_desktop.reports.ranking_report import office_ranking_option

        today, quarter, open_only = self._ctx.today(), self.quarter_combo.currentData(), self.open_check.isChecked()

        def job(db: Database) -> dict[str, Any]:
            data = list_listings(db, today=today, quarter=quarter, open_only=open_only)
            return {**data, "ranking_period": office_ranking_option(db).period.value}

        self._ctx.tasks.run_db(job, self._show, self._error)

    def _show(self, data: dict[str, Any]) -> None:
        kind = PeriodKind(data.get("ranking_period", PeriodKind.QUARTER.value))
        if kind is not self.period_kind:
            shown = self.quarter_combo.currentData()
            self.set_period_kind(kind)
            if shown is not None:  # a quarter is not offered among half years (nor the reverse): list 全部
                self.refresh()
                return
        keep = self.selected()
        self.error_label.clear()
        self.rows = data["rows"]
        items = []
        for r in self.rows:
            e = r["explanation"]
            explanation = f"{e['on']}（{e['clock']['label']}）" if e["on"] else "未提交"
            if e["attachment"]:
                explanation += f"｜{e['attachment']['name']}"
            interview = f"{r['interview']['on']} {r['interview']['by']}" if r["interview"] else ""
            lifted = f"{r['lifted']['on']}｜{r['lifted']['reason']}" if r["lifted"] else ""
            due = f"{e['due']}（{e['clock']['label']}）" if not e["on"] else e["due"]
            cells = [
                str(r["id"]),
                r["quarter_label"],
                r["name"],
                r["group_kind_label"],
                "、".join(r["listed_for"]),
                r["state_label"],
                due,
                explanation,
                interview,
                lifted,
            ]
            row_items = [QStandardItem(c) for c in cells]
            row_items[DUE_COLUMN].setForeground(QBrush(due_colour(r)))
            row_items[DUE_COLUMN].setToolTip(e["basis"])
            if r["overdue"]:
                row_items[HEADERS.index("状态")].setForeground(QBrush(RED))
            items.append(row_items)
        # a half-yearly profile's column says 期间 (a quarter listed before the profile changed may be among them)
        heads = [*HEADERS[:1], "期间" if self.period_kind is PeriodKind.HALF_YEAR else "季度", *HEADERS[2:]]
        fill_table(self.model, heads, items)
        c = data["counts"]
        self.summary_label.setText(
            f"挂牌整治 {data['total']} 个：已挂牌 {c['listed']}，已提交书面说明 {c['explained']}，"
            f"已约谈 {c['interviewed']}，已摘牌 {c['lifted']}；书面说明逾期 {c['overdue']}"
        )
        self.summary_label.setStyleSheet(RED_TEXT if c["overdue"] else "")
        self.empty_hint.update()
        row = next((i for i, r in enumerate(self.rows) if keep and r["id"] == keep["id"]), 0 if self.rows else -1)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._row_selected(row)
        self.loaded.emit(data)

    def _error(self, exc: BaseException) -> None:
        self.error_label.setText("无法读取挂牌整治：" + error_text(exc))

    def selected(self) -> dict[str, Any] | None:
        row = self.table.currentIndex().row()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select_id(self, listing_id: int) -> None:
        row = next((i for i, r in enumerate(self.rows) if r["id"] == listing_id), -1)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _row_selected(self, row: int) -> None:
        r = self.rows[row] if 0 <= row < len(self.rows) else None
        is_open = r is not None and r["open"]
        self.explain_button.setEnabled(is_open and r is not None and r["explanation"]["on"] is None)
        self.interview_button.setEnabled(is_open and r is not None and r["interview"] is None)
        self.lift_button.setEnabled(is_open)
        if r is None:
            self.detail_label.clear()
            return
        lines = [
            f"<b>{r['name']}</b>　{r['quarter_label']}　{r['state_label']}　列入原因：{'、'.join(r['listed_for'])}"
        ]
        lines.append(r["explanation"]["basis"])
        if r["explanation"]["summary"]:
            lines.append(f"书面说明：{r['explanation']['summary']}")
        if r["interview"]:
            i = r["interview"]
            lines.append(f"约谈：{i['on']} {i['by']} 约谈 {i['persons']}" + (f"（{i['notes']}）" if i["notes"] else ""))
        if r["lifted"]:
            lines.append(f"摘牌：{r['lifted']['on']}，{r['lifted']['reason']}")
        self.detail_label.setText("<br>".join(lines))

    # -- actions -----------------------------------------------------------------------------------------------

    def open_dialog(self, kind: str) -> None:
        self.error_label.clear()
        if kind == "rank":
            self._open(FromRankingDialog(self._ctx, self, kind=self.period_kind))
            return
        listing = self.selected()
        if listing is None:
            self.error_label.setText("请先在列表中选择一个挂牌整治对象")
            return
        if kind == "explain":
            self._open(ExplainDialog(self._ctx, listing, self))
        elif kind == "lift":
            self._open(LiftDialog(self._ctx, listing, self))
        else:
            from xinfang_desktop.persistence.rectification.store import leader_choices

            self._ctx.tasks.run_db(
                leader_choices,
                lambda leaders: self._open(InterviewDialog(self._ctx, listing, leaders, self)),
                self._error,
            )

    def _open(self, dialog: StoreDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()

    def _saved(self, result: dict[str, Any]) -> None:
        if "added" in result:  # from the ranking: show its quarter (or half year)
            i = self.quarter_combo.findData(result["quarter"])
            if i >= 0 and i != self.quarter_combo.currentIndex():
                self.quarter_combo.setCurrentIndex(i)  # reloads
                return
        self.refresh()


__all__ = [
    "ExplainDialog",
    "FromRankingDialog",
    "InterviewDialog",
    "LiftDialog",
    "RectificationTab",
    "due_colour",
    "last_ended_period",
    "last_ended_quarter",
]
