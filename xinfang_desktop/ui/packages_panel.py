"""The 领导包案 section: packages (leader, case, target date, 五包 progress, outcome, reminders), the leader register
in R-PK-03 order, and reception compliance (R-RC-01) in green and red. Every database call runs through
`ctx.tasks.run_db`; the screens only read — writes go through the CLI or later dialogs on the same stores."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.reception import parse_period, quarter_period
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.packages_store import list_leaders, list_packages
from xinfang_desktop.persistence.reception_store import reception_compliance
from xinfang_desktop.ui.context import AppContext

PACKAGE_COLUMNS = ("编号", "包案领导", "信访事项", "化解时限", "五包", "状态/结果", "提醒")
LEADER_COLUMNS = ("序", "姓名", "机关", "职级", "层级", "职务", "在办包案", "电话")
COMPLIANCE_COLUMNS = ("领导", "层级", "落实情况", "缺少天数", "计划未接访", "接待人数")
GREEN = QColor("#2e7d32")
RED = QColor("#c62828")


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], colours: list[QColor | None] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            colour = colours[r] if colours else None
            if colour is not None and c == 2:
                item.setForeground(QBrush(colour))
            table.setItem(r, c, item)


class PackagesPanel(QWidget):
    """领导包案: three tabs — 包案 (packages), 领导 (register), 接访落实 (compliance)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._started = False
        self.status = QLabel("")
        self.status.setObjectName("packagesStatus")

        self.tabs = QTabWidget()
        # 包案
        self.status_filter = QComboBox()
        self.status_filter.addItems(["全部", "在办", "已办结"])
        self.status_filter.currentIndexChanged.connect(self.refresh_packages)
        self.packages = _table(PACKAGE_COLUMNS)
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("状态："))
        bar.addWidget(self.status_filter)
        bar.addStretch(1)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        bar.addWidget(refresh)
        lay.addLayout(bar)
        lay.addWidget(self.packages)
        self.tabs.addTab(page, "包案")
        # 领导
        self.leaders = _table(LEADER_COLUMNS)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(QLabel("排序：先党委后政府、先正职后副职，再按层级与在办包案数（R-PK-03）"))
        lay.addWidget(self.leaders)
        self.tabs.addTab(page, "领导")
        # 接访落实
        self.period = QLineEdit()
        self.period.setPlaceholderText("如 2026Q3、2026-07")
        self.period.returnPressed.connect(self.refresh_compliance)
        self.compliance = _table(COMPLIANCE_COLUMNS)
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("期间："))
        bar.addWidget(self.period)
        show = QPushButton("查看")
        show.clicked.connect(self.refresh_compliance)
        bar.addWidget(show)
        bar.addStretch(1)
        lay.addLayout(bar)
        lay.addWidget(QLabel("市级领导每季、县级每月、乡镇每周至少接访一天（R-RC-01）"))
        lay.addWidget(self.compliance)
        self.tabs.addTab(page, "接访落实")

        root = QVBoxLayout(self)
        root.addWidget(self.tabs)
        root.addWidget(self.status, alignment=Qt.AlignmentFlag.AlignLeft)

    def start(self) -> None:
        """Called when the section is first shown: load every tab."""
        if self._started:
            return
        self._started = True
        today = self.ctx.today()
        self.period.setText(quarter_period(today.year, (today.month - 1) // 3 + 1).label)
        self.refresh()

    def refresh(self) -> None:
        self.refresh_packages()
        self.refresh_leaders()
        self.refresh_compliance()

    def _error(self, exc: BaseException) -> None:
        self.status.setText(f"读取失败：{getattr(exc, 'message', None) or exc}")

    # ---------------------------------------------------------------------------------------------- 包案

    def refresh_packages(self) -> None:
        today = self.ctx.today()
        status = self.status_filter.currentText()
        wanted = None if status == "全部" else status

        def job(db: Database) -> list[dict[str, Any]]:
            return list_packages(db, today=today, status=wanted)

        self.ctx.tasks.run_db(job, self._show_packages, self._error)

    def _show_packages(self, rows: list[dict[str, Any]]) -> None:
        data = [
            [
                str(r["id"]),
                f"{r['leader_post']}{r['leader']}",
                "、".join(r["cases"]),
                r["target_on"],
                r["duties_progress"],
                r["outcome"] or r["status"],
                "；".join(x["message"] for x in r["reminders"]),
            ]
            for r in rows
        ]
        colours = [RED if r["reminders"] else None for r in rows]
        _fill(self.packages, data, None)
        for i, colour in enumerate(colours):
            item = self.packages.item(i, 6)
            if colour is not None and item is not None:
                item.setForeground(QBrush(colour))
        self.status.setText(f"共 {len(rows)} 件包案")

    # ---------------------------------------------------------------------------------------------- 领导

    def refresh_leaders(self) -> None:
        self.ctx.tasks.run_db(list_leaders, self._show_leaders, self._error)

    def _show_leaders(self, rows: list[dict[str, Any]]) -> None:
        _fill(
            self.leaders,
            [
                [
                    str(r["rank_order"]),
                    r["name"],
                    r["organ"],
                    r["rank"],
                    r["level"],
                    r["post"],
                    str(r["load"]),
                    r["phone"] or "",
                ]
                for r in rows
            ],
        )

    # ---------------------------------------------------------------------------------------------- 接访落实

    def refresh_compliance(self) -> None:
        today = self.ctx.today()
        try:
            period = parse_period(self.period.text() or str(today.year))
        except Exception as exc:
            self._error(exc)
            return

        def job(db: Database) -> list[dict[str, Any]]:
            return reception_compliance(db, period, today=today)

        self.ctx.tasks.run_db(job, self._show_compliance, self._error)

    def _show_compliance(self, rows: list[dict[str, Any]]) -> None:
        data = [
            [
                r["leader"],
                r["level"],
                r["light_label"],
                str(r["missing"]),
                "、".join(d for w in r["windows"] for d in w["missed_days"]),
                str(r["petitioners_received"]),
            ]
            for r in rows
        ]
        colours: list[QColor | None] = [
            GREEN if r["light"] == "green" else RED if r["light"] == "red" else None for r in rows
        ]
        _fill(self.compliance, data, colours)
