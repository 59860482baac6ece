"""One case: status, each deadline with why it falls on that date, submissions and the timeline."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.case_detail import case_detail
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds, selected_profile
from xinfang_desktop.ui.context import AppContext

_ACTIONS = {"register": "登记", "submit": "再次信访"}


def detail_job(number: str, ctx: AppContext) -> Any:
    today = ctx.today()

    def job(db: Database) -> dict[str, Any]:
        calendar = load_calendar(db)
        thresholds = deadline_thresholds(db)
        profile = selected_profile(db)
        with db.read_session() as session:
            detail = case_detail(session, number, today=today, calendar=calendar, thresholds=thresholds)
        for deadline in detail["deadlines"]:
            try:
                deadline["rule_label"] = profile.rule(deadline["rule"]).label
            except DomainError:  # a rule of another profile: show its id
                deadline["rule_label"] = deadline["rule"]
        return detail

    return job


def _table(headers: list[str], rows: list[list[str]], stretch: int | None = None) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    if stretch is not None:
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.resizeRowsToContents()
    return table


def _wrap(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CaseDetailDialog(QDialog):
    """Loads the case on the database thread and fills its tabs when the snapshot arrives."""

    loaded = Signal()

    def __init__(self, ctx: AppContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.detail: dict[str, Any] | None = None
        self.setWindowTitle(f"信访事项 {number}")
        self.resize(900, 620)
        self.tabs = QTabWidget()
        self.message = QLabel("正在读取…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        ctx.tasks.run_db(detail_job(number, ctx), self._show_detail, self._show_error)

    def _show_error(self, exc: BaseException) -> None:
        self.message.setText("无法读取：" + str(getattr(exc, "message", exc)))
        self.message.setStyleSheet("color: #c62828;")

    def _show_detail(self, d: dict[str, Any]) -> None:
        self.detail = d
        self.message.setText(f"<b>{d['number']}</b>　当前状态：<b>{d['status']}</b>")
        self.tabs.addTab(self._overview(d), "概况")
        self.tabs.addTab(self._deadlines(d), f"期限（{len(d['deadlines'])}）")
        self.tabs.addTab(self._submissions(d), f"信访记录（{len(d['submissions'])}）")
        self.tabs.addTab(self._events(d), f"办理经过（{len(d['events'])}）")
        self.loaded.emit()

    def _overview(self, d: dict[str, Any]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        flags = d["flags"]
        marks = [
            label
            for key, label in (
                ("collective", "集体访"),
                ("repeat", "重复信访"),
                ("level_skipping", "越级"),
                ("first_submission", "初信初访"),
                ("backlog", "积案"),
                ("accusation", "检举控告"),
            )
            if flags.get(key)
        ]
        people = "；".join(
            f"{p['name']}（{p['role']}）" + (f" {p['phone']}" if p["phone"] else "") for p in d["petitioners"]
        )
        for label, value in (
            ("信访形式", d["channel"]),
            ("信访目的", d["purpose"]),
            ("收到日期", d["received_on"]),
            ("最近信访", d["last_received_on"]),
            ("信访人", people),
            ("人数／批次", f"{d['headcount']} 人，{d['batches']} 批次"),
            ("内容分类", d["category"] or "未分类"),
            ("问题属地", d["locality"] or "未填写"),
            ("责任单位", d["responsible_unit"] or "未指定"),
            ("标记", "、".join(marks) or "无"),
            ("被控告单位", "、".join(d["accused_units"]) or "无"),
            ("内容摘要", d["summary"]),
        ):
            form.addRow(label + "：", _wrap(value))
        return page

    def _deadlines(self, d: dict[str, Any]) -> QWidget:
        rows = [
            [
                x.get("rule_label", x["rule"]),
                x["start"],
                x["due"] + ("（暂定）" if x["provisional"] else ""),
                f"已于 {x['met_on']} 完成" if x["met_on"] else x.get("state_label", ""),
                x["explanation"],
            ]
            for x in d["deadlines"]
        ]
        table = _table(["期限", "起算日", "届满日", "状态", "为什么是这一天"], rows, stretch=4)
        for r, x in enumerate(d["deadlines"]):
            if x.get("state") in ("overdue", "seriously_overdue"):
                item = table.item(r, 3)
                if item is not None:
                    item.setForeground(Qt.GlobalColor.red)
        return table

    def _submissions(self, d: dict[str, Any]) -> QWidget:
        rows = [
            [
                str(s["seq"]),
                s["received_on"],
                s["channel"],
                s["level"],
                s["destination"] or "",
                str(s["headcount"]),
                "是" if s["abnormal"] else "",
                (s["level_skipping_reason"] or "越级") if s["level_skipping"] else "",
            ]
            for s in d["submissions"]
        ]
        return _table(["批次", "收到日期", "形式", "层级", "去向", "人数", "非正常", "越级"], rows, stretch=7)

    def _events(self, d: dict[str, Any]) -> QWidget:
        rows = [
            [
                e["date"],
                _ACTIONS.get(e["action"], e["action"]),
                " → ".join(x for x in (e["from_status"], e["to_status"]) if x),
                e["actor"],
                e["reason"] or "",
                e["document"] or "",
            ]
            for e in d["events"]
        ]
        return _table(["日期", "事项", "状态变化", "经办人", "说明", "文书"], rows, stretch=4)
