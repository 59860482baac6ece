"""The 预警与积案 section: warning-slip candidates (R-WS-01), slips with the explanations owed (R-WS-03/04, overdue in
red), the backlog ledger (R-CL-05, R-BK-01, R-BK-03) and the 三方会审 due (R-BK-02). Every database call runs on the
database thread through `ctx.tasks.run_db`."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.persistence.backlog_store import list_backlog
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.reviews_store import list_reviews
from xinfang_desktop.persistence.warnings_store import candidates, list_slips, tick_warnings
from xinfang_desktop.ui.context import AppContext

RED = QColor("#c62828")
OVERDUE_BG = QColor("#fdecea")


def load_job(today: date) -> Any:
    """Everything the section shows, read in one job on the database thread."""

    def job(db: Database) -> dict[str, Any]:
        return {
            "candidates": candidates(db, today=today),
            "slips": list_slips(db, today=today),
            "backlog": list_backlog(db, today=today),
            "reviews": list_reviews(db, today=today, open_only=True),
        }

    return job


def scan_job(today: date, user: str) -> Any:
    """Run the detection (as `xinfang warn scan` does), then reload."""

    def job(db: Database) -> dict[str, Any]:
        summary = tick_warnings(db, today=today, user=user)
        return {"summary": summary, **load_job(today)(db)}

    return job


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[list[str], bool]]) -> None:
    """Rows of cell texts; a flagged row is shown in red (overdue)."""
    table.setRowCount(len(rows))
    for r, (cells, flagged) in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if flagged:
                item.setForeground(QBrush(RED))
                item.setBackground(QBrush(OVERDUE_BG))
            table.setItem(r, c, item)


class WarningsPanel(QWidget):
    """Loaded on `start()` / `refresh()`; `scan()` runs the detection first. `loaded` carries the data shown."""

    loaded = Signal(dict)
    case_activated = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.data: dict[str, Any] = {}
        self.heading = QLabel("<h2>预警与积案</h2>")
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        self.scan_button = QPushButton("筛查并记录")
        self.scan_button.setToolTip("与 xinfang warn scan 相同：记录书面说明、积案、三方会审和逾期情况")
        self.scan_button.clicked.connect(self.scan)

        self.candidates_table = _table(["信访事项", "信访人", "初次信访", "县级及以上上访", "依据"])
        self.slips_table = _table(["预警单", "信访事项", "被预警单位", "签收", "再次上访", "说明对象", "期限", "状态"])
        self.backlog_table = _table(["信访事项", "信访人", "列为积案", "来源", "一事双查", "化解", "原因"])
        self.reviews_table = _table(["编号", "信访事项", "启动原因", "上访日期", "会审期限", "状态"])
        for table in (self.candidates_table, self.backlog_table):
            table.cellDoubleClicked.connect(lambda row, _col, t=table: self._activate(t, row, 0))
        self.slips_table.cellDoubleClicked.connect(lambda row, _col: self._activate(self.slips_table, row, 1))
        self.reviews_table.cellDoubleClicked.connect(lambda row, _col: self._activate(self.reviews_table, row, 1))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.candidates_table, "预警对象")
        self.tabs.addTab(self.slips_table, "预警单与书面说明")
        self.tabs.addTab(self.backlog_table, "积案台账")
        self.tabs.addTab(self.reviews_table, "三方会审")

        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.scan_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary_label)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)

    def start(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._ctx.tasks.run_db(load_job(self._ctx.today()), self._show, self._show_error)

    def scan(self) -> None:
        self.scan_button.setEnabled(False)
        self._ctx.tasks.run_db(scan_job(self._ctx.today(), self._ctx.user), self._show, self._show_error)

    def _activate(self, table: QTableWidget, row: int, column: int) -> None:
        item = table.item(row, column)
        if item is not None and item.text():
            self.case_activated.emit(item.text())

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        self.scan_button.setEnabled(True)
        self.error_label.clear()
        _fill(
            self.candidates_table,
            [
                (
                    [
                        c["number"],
                        c["petitioner"] or "",
                        c["first_submission"]["date"],
                        "、".join(f"{v['date']} {v['level']}" for v in c["visits"]),
                        "R-WS-01",
                    ],
                    False,
                )
                for c in data["candidates"]
            ],
        )
        slip_rows: list[tuple[list[str], bool]] = []
        for s in data["slips"]:
            base = [s["number"], s["case_number"], s["to_unit"], s["receipted_on"] or "未签收"]
            if not s["explanations"]:
                slip_rows.append(([*base, "", "", "", "无需说明"], False))
            for e in s["explanations"]:
                slip_rows.append(
                    (
                        [*base, f"{e['visit_on']} {e['visit_level']}", e["owed_to"], e["due_on"], e["status_label"]],
                        bool(e["overdue"]),
                    )
                )
        _fill(self.slips_table, slip_rows)
        backlog_rows: list[tuple[list[str], bool]] = []
        for b in data["backlog"]["cases"]:
            inquiry = b["inquiry"]
            late = bool(inquiry and (inquiry["handling"]["overdue"] or inquiry["accountability"]["overdue"]))
            state = "—" if inquiry is None else ("已完成" if inquiry["complete"] else ("已逾期" if late else "进行中"))
            backlog_rows.append(
                (
                    [
                        b["number"],
                        b["petitioner"] or "",
                        b["detected_on"],
                        b["origin_label"],
                        state,
                        b["resolved_on"] or "未化解",
                        b["reason"],
                    ],
                    late,
                )
            )
        _fill(self.backlog_table, backlog_rows)
        _fill(
            self.reviews_table,
            [
                (
                    [
                        str(r["id"]),
                        r["number"],
                        "、".join(r["triggers"]),
                        r["visit_on"],
                        r["due_on"],
                        r["status_label"],
                    ],
                    r["status"] == "overdue",
                )
                for r in data["reviews"]
            ],
        )
        overdue = sum(s["overdue"] for s in data["slips"])
        owed = sum(s["owed"] for s in data["slips"])
        targets = [
            f"{t['label']} {t['resolved']}/{t['total']}（目标{t['target'] * 100:.0f}%）"
            for t in data["backlog"]["targets"]
            if t["total"] and t["target"] is not None
        ]
        parts = [
            f"预警对象 {len(data['candidates'])} 件",
            f"待书面说明 {owed} 项（逾期 {overdue} 项）",
            f"积案 {data['backlog']['total']} 件（已化解 {data['backlog']['resolved']} 件）",
            f"待三方会审 {len(data['reviews'])} 件",
        ]
        text = "；".join(parts)
        if targets:
            text += "。化解目标（R-BK-03）：" + "，".join(targets)
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet("color: #c62828;" if overdue else "color: #333333;")
        self.loaded.emit(data)

    def _show_error(self, exc: BaseException) -> None:
        self.scan_button.setEnabled(True)
        self.error_label.setText("无法读取预警与积案：" + str(getattr(exc, "message", exc)))


__all__ = ["WarningsPanel", "load_job", "scan_job"]
