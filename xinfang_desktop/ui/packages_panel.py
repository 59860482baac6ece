"""The 领导包案 section: packages (leader, case, target date, 五包 progress, outcome, reminders), the leader register
in R-PK-03 order, and reception compliance (R-RC-01) in green and red. Every database call runs through
`ctx.tasks.run_db`. The dialogs write through the same stores as the CLI (`packages_store`): create a package for a
case (the leader picked from the R-PK-03-ordered candidates with their load), record a duty's status and evidence
(五包), record a meeting (约见), close with an outcome; a refusal (DomainError) is shown in the dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.packages import Duty, DutyStatus, MemberRole, MilestoneSpec, PackageOutcome
from xinfang_desktop.core.reception import parse_period, quarter_period
from xinfang_desktop.documents.types._schema import FieldSpec
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.packages_store import (
    PackageInput,
    PackageUpdate,
    close_package,
    create_package,
    list_leaders,
    list_packages,
    package_detail,
    update_package,
)
from xinfang_desktop.persistence.reception_store import reception_compliance
from xinfang_desktop.persistence.units import list_units
from xinfang_desktop.ui.case_picker import CasePicker
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.date_fields import date_edit, pydate
from xinfang_desktop.ui.document_form import RowsEditor
from xinfang_desktop.ui.empty_hint import EmptyHint
from xinfang_desktop.ui.leader_dialog import LeaderDialog
from xinfang_desktop.ui.store_dialog import StoreDialog

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


def _milestone(row: dict[str, Any]) -> MilestoneSpec:
    """A row of the plan table: a step with its date, or with the working days after the start."""
    title = str(row.get("title") or "").strip()
    if not title:
        raise DomainError("化解方案：每一步都要写明内容", field="milestone")
    if row.get("due_on"):
        return MilestoneSpec(title, due_on=date.fromisoformat(str(row["due_on"])))
    days = row.get("after_workdays")
    if isinstance(days, int) and days >= 0:
        return MilestoneSpec(title, after_workdays=days)
    raise DomainError(f"化解方案“{title}”：请填写完成日期或开始后的工作日数", field="milestone")


class _PackageDialog(StoreDialog):
    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent, min_width=480)


class CreatePackageDialog(_PackageDialog):
    """领导包案 for a case: the leader is chosen from the candidates in R-PK-03 order, each with the current load."""

    def __init__(self, ctx: AppContext, case_number: str = "", parent: QWidget | None = None) -> None:
        super().__init__(ctx, "新建领导包案", parent)
        self.case_picker = CasePicker(ctx, [case_number] if case_number else [])
        self.leader_combo = QComboBox()
        self.add_leader_button = QPushButton("登记领导…")
        self.add_leader_button.clicked.connect(self._add_leader)
        leader_row = QHBoxLayout()
        leader_row.addWidget(self.leader_combo, 1)
        leader_row.addWidget(self.add_leader_button)
        self.target_edit = QDateEdit()
        self.target_edit.setCalendarPopup(True)
        self.target_edit.setDisplayFormat("yyyy年M月d日")
        self.target_edit.setMinimumDate(QDate(1999, 12, 31))
        self.target_edit.setSpecialValueText("（开始后 60 个工作日）")
        self.target_edit.setDate(self.target_edit.minimumDate())
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(320)  # long unit names stay readable
        self.unit_combo.addItem("（不指定）", None)
        # The team and the plan as tables (issue 18), not 姓名:角色:职务 and 标题=日期 typed in one line.
        roles = tuple(MemberRole.labels())
        self.members_table = RowsEditor(
            FieldSpec(
                "members",
                "工作专班",
                "objects",
                fields=[
                    FieldSpec("name", "姓名", "text"),
                    FieldSpec("role", "角色", "choice", options=roles),
                    FieldSpec("post", "职务", "text"),
                ],
            )
        )
        self.milestones_table = RowsEditor(
            FieldSpec(
                "milestones",
                "化解方案",
                "objects",
                fields=[
                    FieldSpec("title", "步骤", "text"),
                    FieldSpec("due_on", "完成日期", "date"),
                    FieldSpec("after_workdays", "或工作日数", "integer"),
                ],
            )
        )
        self.form.addRow("信访事项：", self.case_picker)
        self.form.addRow("包案领导：", leader_row)
        self.form.addRow("化解时限：", self.target_edit)
        self.form.addRow("责任单位：", self.unit_combo)
        self.form.addRow("工作专班：", self.members_table)
        self.form.addRow("化解方案：", self.milestones_table)
        self.ok_button.setText("建立包案")
        self.ok_button.setEnabled(False)
        self.leaders: list[dict[str, Any]] = []

    def load(self) -> None:
        """Fill the candidates (R-PK-03 order, with their open packages) and the units."""
        self.ctx.tasks.run_db(list_leaders, self._show_leaders, self._failed)
        self.ctx.tasks.run_db(list_units, self._show_units, self._failed)

    def _show_units(self, units: list[dict[str, Any]]) -> None:
        for u in units:
            self.unit_combo.addItem(u["name"], u["name"])

    def _add_leader(self) -> None:
        """登记领导… from here: the new leader is offered at once (no command to run elsewhere)."""
        dialog = LeaderDialog(self.ctx, self)
        self.leader_dialog = dialog
        dialog.load()
        dialog.saved.connect(lambda _leader: self.ctx.tasks.run_db(list_leaders, self._show_leaders, self._failed))
        dialog.open()

    def _show_leaders(self, rows: list[dict[str, Any]]) -> None:
        self.leaders = rows
        self.leader_combo.clear()
        for r in rows:
            self.leader_combo.addItem(
                f"{r['name']}（{r['organ']}{r['rank']}·{r['level']}·{r['post']}）在办包案 {r['load']} 件", r["id"]
            )
        self.ok_button.setEnabled(bool(rows))
        if not rows:
            self.error_label.setText("尚未登记领导：请点“登记领导…”")
            self.error_label.show()
        else:
            self.error_label.hide()

    def job(self) -> Callable[[Database], Any]:
        leader = self.leader_combo.currentData()
        target = self.target_edit.date()
        members = [
            (m.get("name", ""), m.get("role") or MemberRole.MEMBER.label, m.get("post"))
            for m in self.members_table.value()
        ]
        inp = PackageInput(
            cases=self.case_picker.numbers(),
            leader=str(leader) if leader is not None else "",
            target_on=None if target == self.target_edit.minimumDate() else pydate(target),
            lead_unit=self.unit_combo.currentData(),
            members=members,
            milestones=[_milestone(m) for m in self.milestones_table.value()],
        )
        today = self.ctx.today()
        return lambda db: create_package(db, inp, today=today)


class DutyDialog(_PackageDialog):
    """五包 (R-PK-02) as a table: each of the five duties with its state, what was recorded so far, and a note to add
    (appended with the date); the rows changed are saved together."""

    def __init__(self, ctx: AppContext, package_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"五包落实 — 包案 {package_id}", parent)
        self.setMinimumWidth(820)
        self.package_id = package_id
        self.table = QTableWidget(len(Duty), 4)
        self.table.setHorizontalHeaderLabels(["五包责任", "落实情况", "已记录的情况", "本次补充说明"])
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.status_combos: dict[str, QComboBox] = {}
        self._loaded: dict[str, str] = {}
        for row, duty in enumerate(Duty.labels()):
            name = QTableWidgetItem(duty)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, name)
            combo = QComboBox()
            combo.addItems(DutyStatus.labels())
            self.status_combos[duty] = combo
            self.table.setCellWidget(row, 1, combo)
            so_far = QTableWidgetItem("")
            so_far.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 2, so_far)
            self.table.setItem(row, 3, QTableWidgetItem(""))
        self.table.setMinimumHeight(260)
        self.form.addRow(self.table)
        self.ok_button.setText("保存")

    # The combos and the note cells are the form: the first field is the first duty's state.
    def load(self) -> None:
        """Fill each duty's state and what was recorded (read on the database thread)."""
        pid, today = self.package_id, self.ctx.today()
        self.ctx.tasks.run_db(lambda db: package_detail(db, pid, today=today), self._show, self._failed)

    def _show(self, detail: dict[str, Any]) -> None:
        for d in detail["duties"]:
            row = Duty.labels().index(d["duty"])
            self.status_combos[d["duty"]].setCurrentText(d["status"])
            self._loaded[d["duty"]] = d["status"]
            item = self.table.item(row, 2)
            if item is not None:
                item.setText(d["evidence"] or "")
        self.table.resizeRowsToContents()

    def changes(self) -> list[tuple[str, str | None, str | None]]:
        """(duty, state, note) for each row whose state was changed or that has a note to add."""
        out: list[tuple[str, str | None, str | None]] = []
        for row, duty in enumerate(Duty.labels()):
            state = self.status_combos[duty].currentText()
            cell = self.table.item(row, 3)
            note = cell.text().strip() if cell is not None else ""
            if state != self._loaded.get(duty, DutyStatus.labels()[0]) or note:
                out.append((duty, state, note or None))
        return out

    def job(self) -> Callable[[Database], Any]:
        changed = self.changes()
        if not changed:
            raise DomainError("没有修改：请改变落实情况或填写补充说明", field="duties")
        upd = PackageUpdate(duties=changed)
        pid, today = self.package_id, self.ctx.today()
        return lambda db: update_package(db, pid, upd, today=today)


class MeetingDialog(_PackageDialog):
    """约见: the leader met the petitioner (date, place, notes)."""

    def __init__(self, ctx: AppContext, package_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"记录约见 — 包案 {package_id}", parent)
        self.package_id = package_id
        self.date_edit = date_edit(ctx.today(), maximum=ctx.today())
        self.place_edit = QLineEdit()
        self.notes_edit = QPlainTextEdit()
        self.form.addRow("约见日期：", self.date_edit)
        self.form.addRow("地点：", self.place_edit)
        self.form.addRow("约见情况：", self.notes_edit)
        self.ok_button.setText("保存")

    def job(self) -> Callable[[Database], Any]:
        meeting = (
            pydate(self.date_edit.date()),
            self.place_edit.text().strip() or None,
            self.notes_edit.toPlainText().strip() or None,
        )
        upd = PackageUpdate(meetings=[meeting])
        pid, today = self.package_id, self.ctx.today()
        return lambda db: update_package(db, pid, upd, today=today)


class ClosePackageDialog(_PackageDialog):
    """办结: 息访息诉 (needs 包息访息诉 已落实), 化解 or 未化解, on a date, with a note."""

    def __init__(self, ctx: AppContext, package_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"办结包案 — 包案 {package_id}", parent)
        self.package_id = package_id
        self.outcome_combo = QComboBox()
        self.outcome_combo.addItems(PackageOutcome.labels())
        self.date_edit = date_edit(ctx.today(), maximum=ctx.today())
        self.note_edit = QPlainTextEdit()
        self.form.addRow("化解结果：", self.outcome_combo)
        self.form.addRow("办结日期：", self.date_edit)
        self.form.addRow("办结说明：", self.note_edit)
        self.ok_button.setText("办结")

    def job(self) -> Callable[[Database], Any]:
        outcome, on = self.outcome_combo.currentText(), pydate(self.date_edit.date())
        note = self.note_edit.toPlainText().strip() or None
        pid, today = self.package_id, self.ctx.today()
        return lambda db: close_package(db, pid, outcome, on=on, note=note, today=today)


class PackagesPanel(QWidget):
    """领导包案: three tabs — 包案 (packages), 领导 (register), 接访落实 (compliance)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._started = False
        self._notice = ""
        self.status = QLabel("")
        self.status.setObjectName("packagesStatus")

        self.tabs = QTabWidget()
        # 包案
        self.status_filter = QComboBox()
        self.status_filter.addItems(["全部", "在办", "已办结"])
        self.status_filter.currentIndexChanged.connect(self.refresh_packages)
        self.packages = _table(PACKAGE_COLUMNS)
        self.packages_hint = EmptyHint(
            self.packages, "还没有包案。选中需要领导包案的信访事项后，点“新建包案…”确定包案领导、工作专班和化解计划。"
        )
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("状态："))
        bar.addWidget(self.status_filter)
        bar.addStretch(1)
        self.new_button = QPushButton("新建包案…")
        self.new_button.clicked.connect(lambda: self.open_dialog("create"))
        self.duty_button = QPushButton("五包落实…")
        self.duty_button.clicked.connect(lambda: self.open_dialog("duty"))
        self.meeting_button = QPushButton("记录约见…")
        self.meeting_button.clicked.connect(lambda: self.open_dialog("meeting"))
        self.close_button = QPushButton("办结…")
        self.close_button.clicked.connect(lambda: self.open_dialog("close"))
        for button in (self.new_button, self.duty_button, self.meeting_button, self.close_button):
            bar.addWidget(button)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        bar.addWidget(refresh)
        lay.addLayout(bar)
        lay.addWidget(self.packages)
        self.tabs.addTab(page, "包案")
        # 领导
        self.leaders = _table(LEADER_COLUMNS)
        EmptyHint(
            self.leaders, "还没有登记领导。点“登记领导…”录入包案和接访的领导（姓名、职务、所属机关、正副职、层级）。"
        )
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("排序：先党委后政府、先正职后副职，再按层级与在办包案数（R-PK-03）"))
        bar.addStretch(1)
        self.leader_button = QPushButton("登记领导…")
        self.leader_button.clicked.connect(self.open_leader_dialog)
        bar.addWidget(self.leader_button)
        lay.addLayout(bar)
        lay.addWidget(self.leaders)
        self.tabs.addTab(page, "领导")
        # 接访落实
        self.period = QLineEdit()
        self.period.setPlaceholderText("如 2026Q3、2026-07")
        self.period.returnPressed.connect(self.refresh_compliance)
        self.compliance = _table(COMPLIANCE_COLUMNS)
        EmptyHint(self.compliance, "这一期间没有接访安排。输入期间（如 2026Q3）后按回车查看落实情况。")
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
        root.setContentsMargins(32, 24, 32, 24)  # as the other sections
        root.addWidget(QLabel("<h2>领导包案</h2>"))
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
        notice, self._notice = self._notice, ""
        self.status.setText(f"{notice}；共 {len(rows)} 件包案" if notice else f"共 {len(rows)} 件包案")

    def selected_package(self) -> int | None:
        row = self.packages.currentRow()
        item = self.packages.item(row, 0) if row >= 0 else None
        return int(item.text()) if item is not None else None

    def make_dialog(self, kind: str) -> _PackageDialog | None:
        """The dialog for `kind` (create, duty, meeting, close) — the last three on the selected package."""
        if kind == "create":
            create = CreatePackageDialog(self.ctx, parent=self)
            create.load()
            dialog: _PackageDialog = create
        else:
            pid = self.selected_package()
            if pid is None:
                self.status.setText("请先在列表中选择一件包案")
                return None
            dialog = {"duty": DutyDialog, "meeting": MeetingDialog, "close": ClosePackageDialog}[kind](
                self.ctx, pid, parent=self
            )
            if isinstance(dialog, DutyDialog):
                dialog.load()  # the five duties' states as recorded
        dialog.saved.connect(self._saved)
        return dialog

    def open_dialog(self, kind: str) -> None:
        dialog = self.make_dialog(kind)
        if dialog is not None:
            dialog.open()

    def _saved(self, detail: dict[str, Any]) -> None:
        state = detail["outcome"] or detail["status"]
        self._notice = f"已保存包案 {detail['id']}（{state}，五包 {detail['duties_progress']}）"
        self.refresh_packages()
        self.refresh_leaders()

    # ---------------------------------------------------------------------------------------------- 领导

    def make_leader_dialog(self) -> LeaderDialog:
        dialog = LeaderDialog(self.ctx, parent=self)
        dialog.load()
        dialog.saved.connect(self._leader_saved)
        return dialog

    def open_leader_dialog(self) -> None:
        self.make_leader_dialog().open()

    def _leader_saved(self, leader: dict[str, Any]) -> None:
        self._notice = f"已登记领导：{leader['post']}{leader['name']}"
        self.status.setText(self._notice)
        self.refresh_leaders()

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
