"""One case: status, each deadline with why it falls on that date, submissions, the timeline, the documents issued,
the attachments, and the lifecycle actions allowed in the current state (each in its own dialog)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.access import case_step_action
from xinfang_desktop.core.actions import CaseAction, action_label
from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.lifecycle import allowed_actions
from xinfang_desktop.core.next_step import next_step
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.case_detail import case_detail
from xinfang_desktop.persistence.case_versions import mark_of
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import acting
from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds, selected_profile
from xinfang_desktop.ui.case_actions import ActionDialog, units_job
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.document_jobs import issue_job
from xinfang_desktop.ui.role_gate import gate, may


def detail_job(number: str, ctx: AppContext) -> Any:
    today = ctx.today()

    def job(db: Database) -> dict[str, Any]:
        calendar = load_calendar(db)
        thresholds = deadline_thresholds(db)
        profile = selected_profile(db)
        from xinfang_desktop.documents.document_store import document_rows
        from xinfang_desktop.persistence.attachments import list_attachments
        from xinfang_desktop.persistence.lifecycle_store import load_case

        with db.read_session() as session:
            detail = case_detail(session, number, today=today, calendar=calendar, thresholds=thresholds)
            loaded = load_case(session, number)
            detail["allowed"] = allowed_actions(loaded.state)
            detail["mark"] = mark_of(session, loaded.record)  # issue 17: what the window shows, for its actions
            detail["documents"] = document_rows(session, case_number=number)
        detail["attachments"] = list_attachments(db, number)
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
        # Row heights follow the wrapped text at the column's real width: measured before the table was laid out
        # (narrow), one long explanation made its row fill the pane (issue 18).
        table.horizontalHeader().sectionResized.connect(lambda *_args: table.resizeRowsToContents())
    table.resizeRowsToContents()
    return table


def _with_buttons(table: QTableWidget, buttons: list[QPushButton], empty: str) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 6, 0, 0)
    bar = QHBoxLayout()
    for button in buttons:
        bar.addWidget(button)
    if empty:
        note = QLabel(empty)
        note.setStyleSheet("color: #666666;")
        bar.addWidget(note)
    bar.addStretch(1)
    layout.addLayout(bar)
    layout.addWidget(table, 1)
    return page


def _wrap(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")


def _person_text(p: dict[str, Any]) -> str:
    """姓名（角色） 证件 110105********002X 电话 138****8000 — masked unless revealed."""
    extra = [f"证件 {p['id_number']}" if p.get("id_number") else "", f"电话 {p['phone']}" if p.get("phone") else ""]
    return f"{p['name']}（{p['role']}）" + "".join(f"　{x}" for x in extra if x)


def _open_file(path: str, name: str | None = None) -> bool:
    """The system viewer; an encrypted archive's file is given to it as a decrypted temporary copy (issue 17)."""
    from xinfang_desktop.persistence.encryption import plain_view

    try:
        viewed = plain_view(Path(path), name)
    except Exception:
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(viewed)))


class CaseDetailDialog(QDialog):
    """Loads the case on the database thread and fills its tabs when the snapshot arrives.

    `changed(number)` after an action, a document or an attachment changed the case (the main window refreshes
    the ledger and the workbench); the dialog reloads itself.
    """

    loaded = Signal()
    changed = Signal(str)

    def __init__(self, ctx: AppContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.number = number
        self.detail: dict[str, Any] | None = None
        self.units: list[str] | None = None
        self.action_buttons: dict[CaseAction, QPushButton] = {}
        self.action_dialog: ActionDialog | None = None
        self.setWindowTitle(f"信访事项 {number}")
        self.resize(960, 660)
        self.tabs = QTabWidget()
        self.message = QLabel("正在读取…")
        self.next_step = QLabel()  # what the statute expects next, and why a step is not offered (issue 18)
        self.next_step.setWordWrap(True)
        self.next_step.setStyleSheet("color: #37474f;")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.actions_bar = QHBoxLayout()
        self.actions_bar.setSpacing(6)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.next_step)
        layout.addLayout(self.actions_bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self._ctx.tasks.run_db(detail_job(self.number, self._ctx), self._show_detail, self._show_error)

    def _show_error(self, exc: BaseException) -> None:
        self.message.setText("无法读取：" + _message(exc))
        self.message.setStyleSheet("color: #c62828;")

    def show_notice(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {'#c62828' if error else '#2e7d32'};")
        self.notice.setVisible(bool(text))

    def _show_detail(self, d: dict[str, Any]) -> None:
        self.detail = d
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.message.setText(f"<b>{d['number']}</b>　当前状态：<b>{d['status']}</b>")
        self.next_step.setText(next_step(CaseStatus(d["status_code"]), d["allowed"], d.get("awaiting")))
        self._fill_actions(d["allowed"])
        self.tabs.addTab(self._overview(d), "概况")
        self.tabs.addTab(self._deadlines(d), f"期限（{len(d['deadlines'])}）")
        self.tabs.addTab(self._submissions(d), f"信访记录（{len(d['submissions'])}）")
        self.tabs.addTab(self._events(d), f"办理经过（{len(d['events'])}）")
        self.tabs.addTab(self._documents(d), f"文书（{len(d['documents'])}）")
        self.tabs.addTab(self._attachments(d), f"附件（{len(d['attachments'])}）")
        if current >= 0:
            self.tabs.setCurrentIndex(current)
        self.loaded.emit()

    # -- actions -------------------------------------------------------------------------------------------

    def _fill_actions(self, allowed: list[CaseAction]) -> None:
        while self.actions_bar.count():
            item = self.actions_bar.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.action_buttons = {}
        if not allowed:
            self.actions_bar.addWidget(QLabel("该事项已终结，没有可办理的步骤。"))
            return
        mine = [a for a in allowed if may(case_step_action(a.value))]  # issue 17: the role's own steps only
        if not mine:
            self.actions_bar.addWidget(QLabel("当前账号的角色不办理此事项的下一步骤（可查看）。"))
            return
        self.actions_bar.addWidget(QLabel("办理："))
        for action in mine:
            button = QPushButton(action.label)
            button.setToolTip(f"在当前状态下可以{action.label}")
            button.clicked.connect(lambda _checked=False, a=action: self.start_action(a))
            self.action_buttons[action] = button
            self.actions_bar.addWidget(button)
            if self.isVisible():
                button.show()  # at once, not on the layout's queued show
        self.actions_bar.addStretch(1)

    def start_action(self, action: CaseAction) -> None:
        """Open the action's dialog (the units are read once, on the database thread)."""
        if self.units is None:

            def got(units: list[str]) -> None:
                self.units = units
                self._open_action(action)

            self._ctx.tasks.run_db(units_job, got, lambda exc: self.show_notice(_message(exc), error=True))
        else:
            self._open_action(action)

    def _open_action(self, action: CaseAction) -> None:
        dialog = ActionDialog(self._ctx, self.number, action, self.units or [], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.expected = self.detail.get("mark") if self.detail else None
        dialog.acted.connect(self._acted)
        dialog.conflicted.connect(self._conflicted)
        self.action_dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "action_dialog", None))
        dialog.open()

    def _acted(self, outcome: Any, issue: bool) -> None:
        self.show_notice(f"已办理，当前状态：{outcome.status.label}")
        self.changed.emit(self.number)
        if issue and outcome.document:
            self.issue(outcome.document)
        else:
            self.reload()

    def _conflicted(self, message: str) -> None:
        """Another workstation changed the case meanwhile (issue 17): say who and what, and show the case as it is."""
        self.show_notice(message + "窗口已重新读取该事项。", error=True)
        self.changed.emit(self.number)
        self.reload()

    # -- documents -----------------------------------------------------------------------------------------

    def issue(self, type_id: str, reissue_of: str | None = None) -> None:
        """Issue (or reissue) a document from the case's data, as PDF; what the clerk must know about it
        (provisional dates …) is shown in the notice, never printed."""
        job = issue_job(
            type_id,
            case_number=self.number,
            extra={},
            fmt="pdf",
            today=self._ctx.today(),
            user=self._ctx.user,
            reissue_of=reissue_of,
        )

        def done(issued: Any) -> None:
            again = f"（第{issued.version}版）" if issued.version > 1 else ""
            warned = f"（注意：{''.join(issued.warnings)}）" if issued.warnings else ""
            self.show_notice(f"{self.notice.text()}　已出具{issued.label} {issued.number}{again}{warned}")
            self.changed.emit(self.number)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.show_notice(
                f"{self.notice.text()}　文书未能出具：{_message(exc)}（可在「文书」栏目补充内容后出具）", error=True
            )
            self.reload()

        self._ctx.tasks.run_db(job, done, failed)

    def _documents(self, d: dict[str, Any]) -> QWidget:
        docs: list[dict[str, Any]] = d["documents"]
        rows = [
            [str(x["number"]), str(x["label"]), f"第{x['version']}版", str(x["format"]).upper(), str(x["created_at"])]
            for x in docs
        ]
        table = _table(["文号", "文书", "版本", "格式", "出具时间"], rows, stretch=1)
        self.documents_table = table
        open_button = QPushButton("打开")
        reissue_button = QPushButton("重新出具")
        reissue_button.setToolTip("按事项现在的信息出具新版本（文号不变，原文件保留）")
        for button in (open_button, reissue_button):
            button.setEnabled(False)
        gate("document.issue", reissue_button)

        def selection_changed() -> None:
            for button in (open_button, reissue_button):
                button.setEnabled(bool(table.selectedItems()))

        table.itemSelectionChanged.connect(selection_changed)

        def selected() -> dict[str, Any] | None:
            row = table.currentRow()
            return docs[row] if 0 <= row < len(docs) else None

        def open_selected() -> None:
            doc = selected()
            from xinfang_desktop.documents.document_store import file_problem

            if doc is not None and (problem := file_problem(doc)) is not None:  # issue 17: re-checked when opened
                self.show_notice(problem, error=True)
            elif doc is not None and not _open_file(str(doc["path"])):
                self.show_notice(f"无法打开 {doc['path']}", error=True)

        def reissue_selected() -> None:
            doc = selected()
            if doc is not None:
                self.show_notice("")
                self.issue(str(doc["type"]), reissue_of=str(doc["number"]))

        open_button.clicked.connect(open_selected)
        table.doubleClicked.connect(lambda _i: open_selected())
        reissue_button.clicked.connect(reissue_selected)
        self.open_document_button = open_button
        self.reissue_button = reissue_button
        return _with_buttons(table, [open_button, reissue_button], "" if docs else "尚未出具文书。")

    # -- attachments ---------------------------------------------------------------------------------------

    def _attachments(self, d: dict[str, Any]) -> QWidget:
        files: list[dict[str, Any]] = d["attachments"]
        rows = [
            [str(f["name"]), f"{int(f['size']) / 1024:,.1f} KB", str(f["type"] or ""), str(f["added_at"])]
            for f in files
        ]
        table = _table(["文件名", "大小", "类型", "添加时间"], rows, stretch=0)
        self.attachments_table = table
        add_button = QPushButton("添加附件…")
        add_button.setToolTip("扫描件、照片、录音等，按 SHA-256 存入数据目录")
        add_button.clicked.connect(self._choose_attachment)
        gate("case.register", add_button)

        def open_attachment(row: int) -> None:
            from xinfang_desktop.persistence.attachments import attachment_problem

            if (problem := attachment_problem(files[row])) is not None:  # issue 17: re-checked when opened
                self.show_notice(problem, error=True)
            else:
                _open_file(str(files[row]["path"]), str(files[row]["name"]))

        table.doubleClicked.connect(lambda i: open_attachment(i.row()))
        self.add_attachment_button = add_button
        return _with_buttons(table, [add_button], "" if files else "没有附件。")

    def _choose_attachment(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "添加附件", "", "扫描件和照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"
        )
        if path:
            self.add_attachment(Path(path))

    def add_attachment(self, path: Path) -> None:
        number = self.number

        def job(db: Any) -> dict[str, Any]:
            from xinfang_desktop.persistence.attachments import add_attachment

            return add_attachment(db, number, path)

        def done(info: dict[str, Any]) -> None:
            self.show_notice(f"已添加附件：{info.get('name', path.name)}")
            self.changed.emit(self.number)
            self.reload()

        self._ctx.tasks.run_db(job, done, lambda exc: self.show_notice(_message(exc), error=True))

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
        people = "；".join(_person_text(p) for p in d["petitioners"])
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
        self.reveal_button = None
        has_secret = any(p["id_number"] or p["phone"] for p in d["petitioners"])
        identity = acting()
        if d.get("personal_data") == "masked" and has_secret and (identity is None or identity.may("personal.reveal")):
            button = QPushButton("显示完整身份证号和电话…")
            button.setToolTip("须说明理由；每次查看都记入审计日志")
            button.clicked.connect(self.ask_reveal)
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            form.addRow("", row)
            self.reveal_button = button
        return page

    def ask_reveal(self) -> None:
        reason, ok = QInputDialog.getText(self, "查看完整个人信息", "查看理由（记入审计日志）：")
        if ok:
            self.reveal(reason)

    def reveal(self, reason: str) -> None:
        """The full ID numbers and phones for this dialog only (audited; masked again on the next reload)."""
        number, today = self.number, self._ctx.today()

        def job(db: Database) -> list[dict[str, Any]]:
            from xinfang_desktop.persistence.personal_data import reveal_case

            calendar, thresholds = load_calendar(db), deadline_thresholds(db)
            full = reveal_case(db, number, reason, today=today, calendar=calendar, thresholds=thresholds)
            return list(full["petitioners"])

        def done(people: list[dict[str, Any]]) -> None:
            if self.detail is None:
                return
            self.detail["petitioners"] = people
            self.detail["personal_data"] = "revealed"
            self.show_notice("已显示完整个人信息（已记入审计日志）")
            self._show_detail(self.detail)

        self._ctx.tasks.run_db(job, done, lambda exc: self.show_notice(_message(exc), error=True))

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
        headers = ["批次", "收到日期", "形式", "层级", "去向", "人数", "非正常", "越级"]
        if any(s.get("external_number") for s in d["submissions"]):
            # 原编号: the national system's 信访件编号 of an imported submission (issue 15); shown when a case has one
            headers.insert(2, "原编号")
            for row, s in zip(rows, d["submissions"], strict=True):
                row.insert(2, s.get("external_number") or "")
        return _table(headers, rows, stretch=len(headers) - 1)

    def _events(self, d: dict[str, Any]) -> QWidget:
        rows = [
            [
                e["date"],
                action_label(e["action"]),
                " → ".join(x for x in (e["from_status"], e["to_status"]) if x),
                e["actor"],
                e["reason"] or "",
                e["document"] or "",
            ]
            for e in d["events"]
        ]
        return _table(["日期", "事项", "状态变化", "经办人", "说明", "文书"], rows, stretch=4)
