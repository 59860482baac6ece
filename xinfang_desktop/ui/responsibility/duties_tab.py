"""职责落实 (R-RC-03…06): the periodic duties of the rule profile — 常委会议/常务会议听取汇报, 专项督查,
联合督查, 领导到联系单位督导, 矛盾纠纷排查 — per period in green (达标), red (未达标) and grey (进行中/未开始)
with what is missing, the records of the period, 登记… (kind with its citation, date, the unit / township / leader
the kind asks for, the place a leader visited with his 联系点 first, participants, topic, the minutes as an attachment),
作废… with a reason (the record stays, shown with 显示已作废), and 联系点… (the leaders' contact points of a year,
R-RC-06). Every database call runs through the context's task runner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.empty_hint import EmptyHint
from xinfang_desktop.ui.responsibility.duty_dialogs import RecordDialog, VoidDialog
from xinfang_desktop.ui.rows_table import RowsModel, RowsTable
from xinfang_desktop.ui.store_dialog import StoreDialog

#: The parts of a year the picker offers, with the period code they add to the year.
PERIOD_PARTS: tuple[tuple[str, str], ...] = (
    ("全年", ""),
    ("上半年", "H1"),
    ("下半年", "H2"),
    ("第一季度", "Q1"),
    ("第二季度", "Q2"),
    ("第三季度", "Q3"),
    ("第四季度", "Q4"),
    *((f"{m}月", f"-{m:02d}") for m in range(1, 13)),
)
COMPLIANCE_COLUMNS = ["落实情况", "职责", "对象", "要求", "已开展", "依据", "缺少"]
RECORD_COLUMNS = ["开展日期", "职责", "对象", "所到单位", "开展机关（会议）", "参加人员", "议题", "会议纪要", "状态"]
LIGHT_COLOURS = {"green": QColor("#2e7d32"), "red": QColor("#c62828"), "grey": QColor("#757575")}
RED_BG = QColor("#fdecea")
MARK = {"green": "●", "red": "✕", "grey": "○"}
ALL = ""
CITATION_WIDTH = 220
STATUS_ORDER = {"missed": 0, "open": 1, "not_started": 2, "met": 3}

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
Index = QModelIndex | QPersistentModelIndex


def error_text(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


def period_code(year: int, part: str) -> str:
    """2026 + "Q3" → 2026Q3; + "-07" → 2026-07; + "" → 2026 (the forms core.duties.parse_period reads)."""
    return f"{year}{part}"


def default_part(today: date) -> str:
    """The quarter containing today."""
    return f"Q{(today.month - 1) // 3 + 1}"


class ComplianceModel(RowsModel):
    """Rows of text with a light per row: the status column in green, red or grey; a red row on a light red ground."""

    def __init__(self, headers: list[str], parent: Any = None) -> None:
        super().__init__(headers, parent)
        self.lights: list[str] = []
        self._brushes = {k: QBrush(c) for k, c in LIGHT_COLOURS.items()}
        self._red_bg = QBrush(RED_BG)

    def light(self, row: int) -> str:
        return self.lights[row] if 0 <= row < len(self.lights) else "grey"

    def _styled(self, role: int, index: Index) -> Any:
        row = self._row(index)
        if row is None:
            return None
        cells = row[0]
        column = index.column()
        if role in (_DISPLAY, _TOOLTIP):
            return cells[column] if column < len(cells) else ""
        light = self.light(index.row())
        if role == _FOREGROUND and (column == 0 or light != "green"):
            return self._brushes[light]
        if role == _BACKGROUND and light == "red":
            return self._red_bg
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self._styled(int(role), index)

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        if self._row(index) is None:
            return
        for role_data in roleDataSpan:
            role_data.setData(self._styled(role_data.role(), index))


def load_job(period: str, kind: str | None, today: date) -> Callable[[Database], dict[str, Any]]:
    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.persistence.duties.store import compliance, list_duties

        return {
            "compliance": compliance(db, period, today=today),
            "records": list_duties(db, period=period, kind=kind or None, include_voided=True),
        }

    return job


def choices_job(db: Database) -> dict[str, Any]:
    from xinfang_desktop.persistence.duties.store import record_choices

    return record_choices(db)


class DutiesTab(QWidget):
    """`refresh()` reloads the compliance of the chosen period and its records; `loaded(data)` after each load."""

    loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.data: dict[str, Any] | None = None
        self.rows: list[dict[str, Any]] = []
        self.records: list[dict[str, Any]] = []
        self.dialog: StoreDialog | None = None
        self.message_box: QMessageBox | None = None
        self.contacts_dialog: QWidget | None = None
        today = ctx.today()
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2199)
        self.year_spin.setValue(today.year)
        self.year_spin.setSuffix(" 年")
        self.part_combo = QComboBox()
        for label, part in PERIOD_PARTS:
            self.part_combo.addItem(label, part)
        self.part_combo.setCurrentIndex(self.part_combo.findData(default_part(today)))
        self.part_combo.setMaxVisibleItems(len(PERIOD_PARTS))
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("全部职责", ALL)
        self.missing_only = QCheckBox("只看未落实")
        self.missing_only.setToolTip("只列未达标、进行中和未开始的")
        self.record_button = QPushButton("登记…")
        self.record_button.setToolTip("登记一次会议、督查、排查或督导（可附会议纪要）")
        self.record_button.clicked.connect(lambda: self.open_record_dialog())
        self.void_button = QPushButton("作废记录…")
        self.void_button.setToolTip("作废一条误登记的记录：须写明理由，记录保留、不再计入")
        self.void_button.clicked.connect(self.open_void_dialog)
        self.contacts_button = QPushButton("联系点…")
        self.contacts_button.setToolTip("各位领导本年度的联系点：到联系点督导才计入")
        self.contacts_button.clicked.connect(self.open_contacts_dialog)
        self.show_voided = QCheckBox("显示已作废")
        self.show_voided.toggled.connect(self._show_current)
        for signal in (self.year_spin.valueChanged, self.part_combo.currentIndexChanged):
            signal.connect(self.refresh)
        self.kind_combo.currentIndexChanged.connect(self._show_current)
        self.missing_only.toggled.connect(self._show_current)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)

        self.table = RowsTable(COMPLIANCE_COLUMNS)
        self.model = ComplianceModel(COMPLIANCE_COLUMNS, self.table)
        self.table.rows = self.model
        self.table.setModel(self.model)
        self.table.row_activated.connect(self._record_for_row)
        self.table.setToolTip("双击一行，为该对象登记")
        self.empty_hint = EmptyHint(self.table, "规则配置中没有适用的职责，或尚未登记单位、乡镇和领导。")
        self.records_table = RowsTable(RECORD_COLUMNS)
        self.records_hint = EmptyHint(self.records_table, "这一期间还没有职责落实记录。点击“登记…”录入。")

        top = QHBoxLayout()
        top.addWidget(QLabel("期间"))
        top.addWidget(self.year_spin)
        top.addWidget(self.part_combo)
        top.addSpacing(12)
        top.addWidget(QLabel("职责"))
        top.addWidget(self.kind_combo, 1)
        top.addWidget(self.missing_only)
        top.addStretch(1)
        top.addWidget(self.record_button)
        top.addWidget(self.void_button)
        top.addWidget(self.contacts_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.summary_label)
        upper_layout.addWidget(self.table, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.records_label = QLabel("落实记录")
        records_head = QHBoxLayout()
        records_head.addWidget(self.records_label)
        records_head.addStretch(1)
        records_head.addWidget(self.show_voided)
        lower_layout.addLayout(records_head)
        lower_layout.addWidget(self.records_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.error_label)

    # --- loading --------------------------------------------------------------------------------------------------

    def period(self) -> str:
        return period_code(self.year_spin.value(), str(self.part_combo.currentData()))

    def refresh(self) -> None:
        job = load_job(self.period(), None, self._ctx.today())
        self._ctx.tasks.run_db(job, self._show, self._show_error)

    def _show(self, data: dict[str, Any]) -> None:
        self.error_label.clear()
        self.data = data
        self._fill_kinds(data["compliance"]["kinds"])
        self._show_current()
        self.loaded.emit(data)

    def _fill_kinds(self, kinds: list[dict[str, Any]]) -> None:
        current = self.kind_combo.currentData()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItem("全部职责", ALL)
        for k in kinds:
            self.kind_combo.addItem(f"{k['label']}（{k['requirement']}）", k["kind"])
            self.kind_combo.setItemData(self.kind_combo.count() - 1, k["citation"], Qt.ItemDataRole.ToolTipRole)
        index = self.kind_combo.findData(current)
        self.kind_combo.setCurrentIndex(max(index, 0))
        self.kind_combo.blockSignals(False)

    def _show_current(self) -> None:
        if self.data is None:
            return
        kind = self.kind_combo.currentData() or None
        comp = self.data["compliance"]
        rows = [r for r in comp["rows"] if kind is None or r["kind"] == kind]
        if self.missing_only.isChecked():
            rows = [r for r in rows if r["status"] != "met"]
        rows.sort(key=lambda r: STATUS_ORDER[r["status"]])  # what is missing first; stable: profile order within
        self.rows = rows
        self.model.lights = [r["light"] for r in rows]
        self.table.set_rows(
            [
                (
                    [
                        f"{MARK[r['light']]} {r['status_label']}",
                        r["label"],
                        r["subject"],
                        r["requirement"],
                        f"{r['done']}/{r['required']}",
                        r["citation"],
                        "；".join([*r["missing"], *r.get("notes", [])]) or "—",
                    ],
                    False,
                )
                for r in rows
            ]
        )
        citation = COMPLIANCE_COLUMNS.index("依据")
        self.table.setColumnWidth(citation, min(self.table.columnWidth(citation), CITATION_WIDTH))  # tooltip: all
        counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("met", "missed", "open", "not_started")}
        period = comp["period"]
        self.summary_label.setText(
            f"<b>{period['label']}</b>　{period['start']} 至 {period['end']}　规则配置：{comp['profile_name']}　"
            f"<span style='color:#2e7d32'>达标 {counts['met']}</span>　"
            f"<span style='color:#c62828'>未达标 {counts['missed']}</span>　"
            f"<span style='color:#757575'>进行中 {counts['open']}　未开始 {counts['not_started']}</span>"
        )
        records = self.data["records"]["rows"]
        voided_too = self.show_voided.isChecked()
        self.records = [
            r for r in records if (kind is None or r["kind"] == kind) and (voided_too or r["voided"] is None)
        ]
        self.records_label.setText(f"落实记录（{period['label']}，{len(self.records)} 条）")
        self.records_table.set_rows(
            [
                (
                    [
                        r["held_on"],
                        r["kind_label"],
                        r["subject"],
                        (r["township"] or r["unit"] or "") if r["applies_to"] == "leaders" else "",
                        r["body"],
                        r["participants"] or "",
                        r["topic"] or "",
                        r["minutes"]["name"] if r["minutes"] else "",
                        f"已作废：{r['voided']['reason']}" if r["voided"] else "有效",
                    ],
                    r["voided"] is not None,
                )
                for r in self.records
            ]
        )

    def _show_error(self, exc: BaseException) -> None:
        self.error_label.setText("无法读取职责落实情况：" + error_text(exc))

    # --- dialogs --------------------------------------------------------------------------------------------------

    def selected_row(self) -> dict[str, Any] | None:
        row = self.table.currentIndex().row()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def selected_record(self) -> dict[str, Any] | None:
        row = self.records_table.currentIndex().row()
        return self.records[row] if 0 <= row < len(self.records) else None

    def _record_for_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            r = self.rows[row]
            self.open_record_dialog(r["kind"], None if r["applies_to"] == "county" else r["subject"])

    def open_record_dialog(self, kind: str | None = None, subject: str | None = None) -> None:
        """登记…: the choices (kinds, units, townships, leaders) are read first, off the GUI thread."""
        self.error_label.clear()
        preset_kind = kind or self.kind_combo.currentData() or None

        def with_choices(choices: dict[str, Any]) -> None:
            self._show_dialog(RecordDialog(self._ctx, choices, self, kind=preset_kind, subject=subject))

        self._ctx.tasks.run_db(choices_job, with_choices, self._message)

    def open_void_dialog(self) -> None:
        record = self.selected_record()
        if record is None:
            self.error_label.setText("请先在落实记录中选择一条记录")
            return
        if record["voided"] is not None:
            self.error_label.setText("这条记录已作废")
            return
        self.error_label.clear()
        self._show_dialog(VoidDialog(self._ctx, record, self))

    def open_contacts_dialog(self) -> None:
        from xinfang_desktop.ui.responsibility.contact_points_dialog import ContactPointsDialog

        dialog = ContactPointsDialog(self._ctx, self.year_spin.value(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.refresh)
        self.contacts_dialog = dialog
        dialog.open()

    def _show_dialog(self, dialog: StoreDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()

    def _saved(self, result: Any) -> None:
        self.refresh()
        warnings = result.get("warnings") if isinstance(result, dict) else None
        if warnings:  # kept, but it will not count: the clerk is told at once
            box = QMessageBox(QMessageBox.Icon.Information, "职责落实", "已登记。\n" + "\n".join(warnings),
                              QMessageBox.StandardButton.Ok, self)  # fmt: skip
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.message_box = box
            box.open()

    def _message(self, exc: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "职责落实", error_text(exc), QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()


__all__ = ["DutiesTab", "RecordDialog", "VoidDialog", "period_code"]
