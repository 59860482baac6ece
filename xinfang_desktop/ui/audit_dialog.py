"""审计日志 (issue 17): the audit entries with a filter form, pages of the newest first, 校验审计链 and the retention.

Opened from 账号与安全 → 审计日志 (security_panel.py) by whoever may read the audit (audit.read). Every database call
goes through the task runner; the verification walks the whole chain on the database thread and its outcome is shown
in Chinese — intact with the counts, or the first broken entry with its time and what is wrong, which the table then
shows and marks. The retention periods are shown to every reader and changed only by a role with policy.manage.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.codes import Channel
from xinfang_desktop.persistence.audit_log import (
    ACTION_LABELS,
    ENTITY_LABELS,
    RETENTION_FLOORS,
    RETENTION_MAX_DAYS,
    AuditFilter,
)
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.date_fields import date_edit, pydate
from xinfang_desktop.ui.role_gate import may

_CHANNELS = {c.value: c.label for c in Channel}
COLUMNS = ("时间", "账号", "操作", "对象", "摘要")
PAGE_SIZE = 200
BROKEN_BRUSH = QBrush(QColor("#ffcdd2"))
_GREEN, _RED, _GREY = "color: #2e7d32;", "color: #c62828;", "color: #616161;"
_SUMMARY_CHARS = 120
# Chinese names of the keys most details carry (others are shown as recorded).
DETAIL_LABELS = {
    "reason": "原因",
    "channel": "信访形式",
    "status": "状态",
    "document": "文书",
    "case": "信访事项",
    "on": "日期",
    "name": "名称",
    "post": "职务",
    "display_name": "姓名",
    "roles": "角色",
    "fields": "字段",
    "townships": "乡镇",
    "units": "单位",
    "year": "年度",
    "file": "文件",
    "count": "条数",
    "trigger": "触发条件",
    "receipted_on": "签收日期",
    "resolved_on": "化解日期",
    "closed_on": "结束日期",
    "expires_at": "有效至",
    "logs_days": "审计日志天数",
    "personal_days": "个人信息记录天数",
    "key_id": "密钥标识",
}


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or f"操作失败：{exc}")


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


def _key(key: object) -> str:
    return DETAIL_LABELS.get(str(key), str(key))


def _value_text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "{" + "，".join(f"{_key(k)}：{_value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "、".join(_value_text(v) for v in value) or "（无）"
    if isinstance(value, str):
        return _CHANNELS.get(value, value)
    return str(value)


def summary_text(detail: object) -> str:
    """One line of what an entry's detail says (its values as recorded; long ones cut)."""
    if detail is None or detail == {}:
        return ""
    if isinstance(detail, dict):
        if set(detail) == {"old", "new"}:
            text = f"{_value_text(detail['old'])} → {_value_text(detail['new'])}"
        else:
            text = "；".join(f"{_key(k)}：{_value_text(v)}" for k, v in detail.items())
    else:
        text = _value_text(detail)
    text = " ".join(text.split())
    return text if len(text) <= _SUMMARY_CHARS else text[: _SUMMARY_CHARS - 1] + "…"


def verify_text(report: dict[str, Any]) -> tuple[bool, str]:
    """The verification's outcome in Chinese: (intact, text)."""
    lines: list[str] = []
    broken = report["first_broken"]
    if broken is None:
        text = f"审计链完整：{report['entries']:,} 条记录、{report['anchors']:,} 个锚点"
        if report["unprotected"]:
            text += f"（其中 {report['unprotected']:,} 条为启用校验前的记录，未受保护）"
        lines.append(text + "。")
    else:
        when = f"（{broken['at']}）" if broken.get("at") else ""
        lines.append(f"审计链被破坏：第一处问题在编号 {broken['id']} 的记录{when}。{broken['reason']}。")
    if report["missing_triggers"]:
        lines.append(
            "防篡改触发器缺失或被改动：" + "、".join(report["missing_triggers"]) + "（记录可能已被修改或删除）。"
        )
    return bool(report["ok"]), "\n".join(lines)


class AuditDialog(QDialog):
    """The audit log: filter, table, pages, verification, retention."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle("审计日志")
        self.entries: list[dict[str, Any]] = []
        self.more = False
        self._pages: list[int | None] = [None]  # before_id of each page shown so far (None: the newest)
        self._filter = AuditFilter(limit=PAGE_SIZE + 1)
        self.broken_id: int | None = None
        today = ctx.today()

        filters = QGroupBox("查询条件")
        form = QHBoxLayout(filters)
        self.user_box = QComboBox()
        self.user_box.addItem("全部账号", None)
        self.use_dates = QCheckBox("日期")
        self.date_from = date_edit(today - timedelta(days=30), maximum=today)
        self.date_to = date_edit(today, maximum=today)
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.action_box = QComboBox()
        self.action_box.addItem("全部操作", None)
        self.entity_box = QComboBox()
        self.entity_box.addItem("全部对象", None)
        self.object_edit = QLineEdit()
        self.object_edit.setPlaceholderText("对象编号，如信访事项编号")
        self.object_edit.setClearButtonEnabled(True)
        self.object_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton("查询")
        self.search_button.clicked.connect(self.search)
        self.reset_button = QPushButton("清除条件")
        self.reset_button.clicked.connect(self.reset_filters)
        form.addWidget(QLabel("账号："))
        form.addWidget(self.user_box)
        form.addWidget(self.use_dates)
        form.addWidget(self.date_from)
        form.addWidget(QLabel("至"))
        form.addWidget(self.date_to)
        form.addWidget(QLabel("操作："))
        form.addWidget(self.action_box)
        form.addWidget(QLabel("对象："))
        form.addWidget(self.entity_box)
        form.addWidget(self.object_edit, 1)
        form.addWidget(self.search_button)
        form.addWidget(self.reset_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

        self.page_label = QLabel("")
        self.page_label.setStyleSheet(_GREY)
        self.newer_button = QPushButton("较新的记录")
        self.newer_button.clicked.connect(self.newer_page)
        self.older_button = QPushButton("更早的记录")
        self.older_button.clicked.connect(self.older_page)
        paging = QHBoxLayout()
        paging.addWidget(self.page_label, 1)
        paging.addWidget(self.newer_button)
        paging.addWidget(self.older_button)

        check = QGroupBox("审计链校验")
        check_row = QHBoxLayout(check)
        self.verify_button = QPushButton("校验审计链")
        self.verify_button.setToolTip("逐条重算每条审计记录的校验值，检查日锚点和防篡改触发器")
        self.verify_button.clicked.connect(self.verify)
        self.verify_label = QLabel("尚未校验。校验会检查每一条记录是否被改动、删除、伪造插入或截断。")
        self.verify_label.setWordWrap(True)
        self.verify_label.setStyleSheet(_GREY)
        self.verify_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_broken_button = QPushButton("显示该记录")
        self.show_broken_button.setVisible(False)
        self.show_broken_button.clicked.connect(self.show_broken)
        check_row.addWidget(self.verify_button)
        check_row.addWidget(self.verify_label, 1)
        check_row.addWidget(self.show_broken_button)

        keep = QGroupBox("保存期限")
        keep_form = QFormLayout(keep)
        self.logs_days = QSpinBox()
        self.logs_days.setRange(RETENTION_FLOORS["logs_days"], RETENTION_MAX_DAYS)
        self.logs_days.setSuffix(" 天")
        self.personal_days = QSpinBox()
        self.personal_days.setRange(RETENTION_FLOORS["personal_days"], RETENTION_MAX_DAYS)
        self.personal_days.setSuffix(" 天")
        self.may_set_retention = may("policy.manage")
        for spin in (self.logs_days, self.personal_days):
            spin.setEnabled(self.may_set_retention)
            spin.setMinimumWidth(110)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        keep_form.addRow(f"审计日志至少保存（不少于 {RETENTION_FLOORS['logs_days']} 天）：", self.logs_days)
        keep_form.addRow(
            f"查看完整个人信息的记录至少保存（不少于 {RETENTION_FLOORS['personal_days']} 天）：", self.personal_days
        )
        self.save_retention_button = QPushButton("保存期限")
        self.save_retention_button.clicked.connect(self.save_retention)
        self.save_retention_button.setVisible(self.may_set_retention)
        note = QLabel(
            "网络安全法要求网络日志至少保存六个月，个人信息保护法要求个人信息处理记录至少保存三年；本程序不删除审计记录。"
            + ("" if self.may_set_retention else "修改期限需要安全管理员。")
        )
        note.setWordWrap(True)
        note.setStyleSheet(_GREY)
        keep_form.addRow(note)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_retention_button)
        save_row.addStretch(1)
        keep_form.addRow(save_row)

        self.message = QLabel("")
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)
        layout.addWidget(check)
        layout.addWidget(keep)
        layout.addWidget(self.message)
        self.resize(1100, 720)
        self._update_paging()
        self.load_choices()
        self.load_page()
        self.load_retention()

    # -- filters ------------------------------------------------------------------------------------------------

    def load_choices(self) -> None:
        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.audit_log import audit_choices

            return audit_choices(db)

        self._ctx.tasks.run_db(job, self._show_choices, self._error)

    def _show_choices(self, choices: dict[str, list[str]]) -> None:
        for box, values, label in (
            (self.user_box, choices["users"], str),
            (self.action_box, choices["actions"], action_label),
            (self.entity_box, choices["entities"], entity_label),
        ):
            current = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for value in sorted(values, key=lambda v: (label(v) == v, label(v))):  # labelled first, then as stored
                box.addItem(label(value), value)
            index = box.findData(current)
            box.setCurrentIndex(max(index, 0))
            box.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        dated = self.use_dates.isChecked()
        return AuditFilter(
            user=self.user_box.currentData(),
            date_from=pydate(self.date_from.date()) if dated else None,
            date_to=pydate(self.date_to.date()) if dated else None,
            action=self.action_box.currentData(),
            entity=self.entity_box.currentData(),
            object_text=self.object_edit.text().strip() or None,
            limit=PAGE_SIZE + 1,  # one more tells whether there is an older page
        )

    def search(self) -> None:
        self._filter = self.current_filter()
        self._pages = [None]
        self.load_page()

    def reset_filters(self) -> None:
        for box in (self.user_box, self.action_box, self.entity_box):
            box.setCurrentIndex(0)
        self.use_dates.setChecked(False)
        self.object_edit.clear()
        self.search()

    # -- the table ----------------------------------------------------------------------------------------------

    def load_page(self, select_id: int | None = None) -> None:
        wanted = replace(self._filter, before_id=self._pages[-1])

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.audit_log import list_entries

            return list_entries(db, wanted)

        self._ctx.tasks.run_db(job, lambda rows: self._show_page(rows, select_id), self._error)

    def _show_page(self, rows: list[dict[str, Any]], select_id: int | None) -> None:
        self.more = len(rows) > PAGE_SIZE
        self.entries = rows[:PAGE_SIZE]
        self.table.setRowCount(len(self.entries))
        for r, entry in enumerate(self.entries):
            who = str(entry["user"]) + (f"（{entry['workstation']}）" if entry.get("workstation") else "")
            values = (
                str(entry["at"]),
                who,
                action_label(str(entry["action"])),
                f"{entity_label(str(entry['entity']))} {entry['entity_id']}".strip(),
                summary_text(entry["detail"]),
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, entry["id"])
                if c == len(values) - 1:
                    item.setToolTip(value)
                if entry["id"] == self.broken_id:
                    item.setBackground(BROKEN_BRUSH)
                self.table.setItem(r, c, item)
        if select_id is not None:
            row = self.row_of(select_id)
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(self.table.model().index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self._update_paging()

    def row_of(self, entry_id: int) -> int | None:
        return next((i for i, e in enumerate(self.entries) if e["id"] == entry_id), None)

    def _update_paging(self) -> None:
        page = len(self._pages)
        if not self.entries:
            self.page_label.setText("没有符合条件的审计记录" if page == 1 else "")
        else:
            self.page_label.setText(
                f"第 {page} 页，{len(self.entries)} 条（最新的在前，每页 {PAGE_SIZE} 条）"
                + ("" if self.more else "；已到最早的记录")
            )
        self.newer_button.setEnabled(page > 1)
        self.older_button.setEnabled(self.more)

    def older_page(self) -> None:
        if self.more and self.entries:
            self._pages.append(int(self.entries[-1]["id"]))
            self.load_page()

    def newer_page(self) -> None:
        if len(self._pages) > 1:
            self._pages.pop()
            self.load_page()

    # -- verification -------------------------------------------------------------------------------------------

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.verify_label.setStyleSheet(_GREY)
        self.verify_label.setText("正在校验审计链……")

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.audit_chain import verify_chain

            return verify_chain(db).to_json()

        self._ctx.tasks.run_db(job, self._show_verified, self._verify_failed)

    def _show_verified(self, report: dict[str, Any]) -> None:
        self.verify_button.setEnabled(True)
        self.report = report
        intact, text = verify_text(report)
        self.verify_label.setStyleSheet(_GREEN if intact else _RED)
        self.verify_label.setText(text)
        broken = report["first_broken"]
        self.broken_id = int(broken["id"]) if broken is not None else None
        self.show_broken_button.setVisible(self.broken_id is not None)
        self._mark_broken()

    def _verify_failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.verify_label.setStyleSheet(_RED)
        self.verify_label.setText(f"无法完成校验：{_message(exc)}")

    def _mark_broken(self) -> None:
        for r, entry in enumerate(self.entries):
            brush = BROKEN_BRUSH if entry["id"] == self.broken_id else QBrush()
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None:
                    item.setBackground(brush)

    def show_broken(self) -> None:
        """The page around the first broken entry, all filters cleared, the entry selected."""
        if self.broken_id is None:
            return
        for box in (self.user_box, self.action_box, self.entity_box):
            box.setCurrentIndex(0)
        self.use_dates.setChecked(False)
        self.object_edit.clear()
        self._filter = self.current_filter()
        # A few newer entries above it for context; an entry deleted or forged outside the ids shows its neighbours.
        self._pages = [None, self.broken_id + 4]
        self.load_page(select_id=self.broken_id)

    # -- retention ----------------------------------------------------------------------------------------------

    def load_retention(self) -> None:
        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.audit_log import retention

            return retention(db)

        self._ctx.tasks.run_db(job, self._show_retention, self._error)

    def _show_retention(self, values: dict[str, int]) -> None:
        self.logs_days.setValue(values["logs_days"])
        self.personal_days.setValue(values["personal_days"])

    def save_retention(self) -> None:
        logs, personal = self.logs_days.value(), self.personal_days.value()

        def job(db: Any) -> Any:
            from xinfang_desktop.persistence.audit_log import set_retention

            return set_retention(db, logs_days=logs, personal_days=personal)

        def done(values: dict[str, int]) -> None:
            self._show_retention(values)
            self.message.setStyleSheet(_GREEN)
            self.message.setText(
                f"已保存：审计日志至少保存 {values['logs_days']} 天，"
                f"查看完整个人信息的记录至少保存 {values['personal_days']} 天。"
            )
            self.load_choices()
            self.search()

        self._ctx.tasks.run_db(job, done, self._error)

    def _error(self, exc: BaseException) -> None:
        self.message.setStyleSheet(_RED)
        self.message.setText(_message(exc))


__all__ = ["AuditDialog", "summary_text", "verify_text"]
