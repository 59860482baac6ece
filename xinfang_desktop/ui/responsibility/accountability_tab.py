"""追责事项: the accountability cases (overdue in red) and the selected one in full — facts, grounds, cases, the
persons with their ladder of measures and the next step suggested (R-AC-03), the deadlines, the honours lost — with
the actions of its course: persons, measures, rectification, referral (建议书), 催办, feedback and the 通报."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.persistence.accountability.store import (
    list_accountabilities,
    show_accountability,
    urge_feedback,
)
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.empty_hint import EmptyHint
from xinfang_desktop.ui.open_file_offer import offer_open
from xinfang_desktop.ui.responsibility.accountability_dialogs import (
    EditDialog,
    FeedbackDialog,
    PersonDialog,
    RectifiedDialog,
    ReferDialog,
    ReportDialog,
    StepDialog,
)
from xinfang_desktop.ui.responsibility.candidates_tab import catalogue_job, error_text
from xinfang_desktop.ui.role_gate import gate
from xinfang_desktop.ui.rows_table import RowsTable
from xinfang_desktop.ui.store_dialog import StoreDialog

RED_TEXT = "color: #c62828;"


def ladder(person: dict[str, Any]) -> str:
    """通报（整改至2026-12-01）→ 诫勉（…）: the measures taken, in order."""
    parts = []
    for s in person["steps"]:
        extra = []
        if s["rectify_by"]:
            extra.append(f"整改至{s['rectify_by']}")
        if s["rectified_on"]:
            extra.append(f"{s['rectified_on']}已整改")
        parts.append(s["measure_label"] + (f"（{'，'.join(extra)}）" if extra else ""))
    return " → ".join(parts) or "尚未确定追责方式"


def _field_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AccountabilityTab(QWidget):
    """`refresh()` reloads the list (keeping the selection); `select(number)` selects a case once loaded."""

    loaded = Signal(object)
    detail_loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self.detail: dict[str, Any] | None = None
        self._wanted: str | None = None
        self.dialog: StoreDialog | None = None
        self.message_box: QMessageBox | None = None
        self.year_combo = QComboBox()
        self.year_combo.addItem("全部年度", None)
        for year in range(ctx.today().year, ctx.today().year - 6, -1):
            self.year_combo.addItem(f"{year}年", year)
        self.year_combo.currentIndexChanged.connect(self.refresh)
        self.overdue_check = QCheckBox("只看逾期")
        self.overdue_check.toggled.connect(self.refresh)
        self.summary_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setStyleSheet(RED_TEXT)
        self.error_label.setWordWrap(True)
        self.table = RowsTable(["编号", "状态", "被追责单位", "依据", "责任人数", "反馈期限", "逾期"])
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._row_selected(current.row()))
        self.empty_hint = EmptyHint(self.table, "还没有追责事项。在“追责线索”中选择一条线索，点击“立追责事项”。")

        self.title_label = QLabel()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #c62828; color: white; padding: 6px; font-weight: bold;")
        self.banner.hide()
        self.facts_label = _field_label()
        self.grounds_label = _field_label()
        self.cases_label = _field_label()
        self.deadlines_label = _field_label()
        self.deadlines_label.setTextFormat(Qt.TextFormat.RichText)
        self.deadlines_label.setWordWrap(False)  # short lines; a wrapped rich label kept the height of one line
        self.persons_table = RowsTable(["姓名", "职务", "单位", "责任类型", "追责阶梯", "下一步建议"])
        self.persons_hint = EmptyHint(self.persons_table, "尚未登记责任人")

        self.edit_button = QPushButton("修改…")
        self.edit_button.setToolTip("修改基本事实、追责情形、情节和对单位的追责方式（移送前）")
        self.edit_button.clicked.connect(self.open_edit)
        self.person_button = QPushButton("添加责任人…")
        self.step_button = QPushButton("追责措施…")
        self.rectified_button = QPushButton("已整改…")
        self.refer_button = QPushButton("移送…")
        gate("case.decide", self.step_button, self.refer_button)  # 追责措施 and 移送 are decided by 审核/领导
        self.urge_button = QPushButton("催办")
        self.feedback_button = QPushButton("登记反馈…")
        self.report_button = QPushButton("通报组织部门…")
        for button, kind in (
            (self.person_button, "person"),
            (self.step_button, "step"),
            (self.rectified_button, "rectified"),
            (self.refer_button, "refer"),
            (self.feedback_button, "feedback"),
            (self.report_button, "report"),
        ):
            button.clicked.connect(lambda _checked=False, k=kind: self.open_dialog(k))
        self.urge_button.clicked.connect(self.urge)

        top = QHBoxLayout()
        top.addWidget(self.year_combo)
        top.addWidget(self.overdue_check)
        top.addWidget(self.summary_label, 1)
        listing = QWidget()
        list_layout = QVBoxLayout(listing)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(top)
        list_layout.addWidget(self.table)

        detail = QWidget()
        grid = QGridLayout()
        for row, (title, label) in enumerate(
            (
                ("基本事实", self.facts_label),
                ("追责依据", self.grounds_label),
                ("信访事项", self.cases_label),
                ("期限", self.deadlines_label),
            )
        ):
            head = QLabel(title)
            head.setStyleSheet("color: #555555;")
            grid.addWidget(head, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row, 1)
        grid.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        for button in (
            self.edit_button,
            self.person_button,
            self.step_button,
            self.rectified_button,
            self.refer_button,
            self.urge_button,
            self.feedback_button,
            self.report_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.title_label)
        detail_layout.addWidget(self.banner)
        detail_layout.addLayout(grid)
        detail_layout.addWidget(self.persons_table, 1)
        detail_layout.addLayout(buttons)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(listing)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.error_label)
        self._show_detail(None)

    # -- loading -----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        today, overdue, year = self._ctx.today(), self.overdue_check.isChecked(), self.year_combo.currentData()
        self._ctx.tasks.run_db(
            lambda db: list_accountabilities(db, today=today, year=year, overdue=overdue),
            self._show,
            self._show_error,
        )

    def select(self, number: str) -> None:
        """Select the case `number` (reloading the list first: it may have just been opened)."""
        self._wanted = number
        if self.overdue_check.isChecked():
            self.overdue_check.setChecked(False)  # reloads
        else:
            self.refresh()

    def _show(self, data: dict[str, Any]) -> None:
        keep = self._wanted or (self.detail["number"] if self.detail else None)
        self._wanted = None
        self.error_label.clear()
        self.rows = data["rows"]
        table_rows = []
        for r in self.rows:
            late = []
            if r["rectification_overdue"]:
                late.append("整改逾期：" + "、".join(r["rectification_overdue"]))
            if r["feedback_overdue"]:
                late.append("反馈逾期")
            table_rows.append(
                (
                    [
                        r["number"],
                        r["status_label"],
                        r["subject_unit"],
                        "、".join(r["grounds"]),
                        str(r["persons"]),
                        r["feedback_due"] or "",
                        "；".join(late),
                    ],
                    bool(late),
                )
            )
        self.table.set_rows(table_rows)
        late_count = sum(1 for _cells, late in table_rows if late)
        self.summary_label.setText(f"追责事项 {data['total']} 件，逾期 {late_count} 件")
        self.summary_label.setStyleSheet(RED_TEXT if late_count else "")
        row = next((i for i, r in enumerate(self.rows) if r["number"] == keep), 0 if self.rows else -1)
        if row >= 0:
            if self.table.currentIndex().row() == row:
                self._row_selected(row)
            else:
                self.table.select_row(row)
        else:
            self._show_detail(None)
        self.loaded.emit(data)

    def _show_error(self, exc: BaseException) -> None:
        self.error_label.setText("无法读取追责事项：" + error_text(exc))

    def _row_selected(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        number, today = self.rows[row]["number"], self._ctx.today()
        self._ctx.tasks.run_db(
            lambda db: show_accountability(db, number, today=today), self._show_detail, self._show_error
        )

    def _show_detail(self, detail: dict[str, Any] | None) -> None:
        self.detail = detail
        has = detail is not None
        for button in (
            self.edit_button,
            self.person_button,
            self.step_button,
            self.rectified_button,
            self.refer_button,
            self.urge_button,
            self.feedback_button,
            self.report_button,
        ):
            button.setEnabled(has)
        if detail is None:
            self.title_label.setText("<b>未选择追责事项</b>")
            for label in (self.facts_label, self.grounds_label, self.cases_label, self.deadlines_label):
                label.clear()
            self.banner.hide()
            self.persons_table.set_rows([])
            return
        self.title_label.setText(
            f"<b>{detail['number']}</b>　{detail['status_label']}　被追责单位：{detail['subject_unit']}"
            f"　情节：{detail['severity_label']}　立项：{detail['opened_on']}"
        )
        self.facts_label.setText(detail["facts"])
        self.grounds_label.setText("\n".join(f"{g['citation']}：{g['text']}" for g in detail["grounds"]))
        self.cases_label.setText("、".join(c["number"] for c in detail["cases"]) or "—")
        if detail["honours_lost"]:
            self.banner.setText(
                f"已取消{detail['subject_unit']}本年度评选综合性荣誉称号资格"
                f"（{'、'.join(detail['honours_lost_because'])}受到诫勉）"
            )
            self.banner.show()
        else:
            self.banner.hide()
        self._show_deadlines(detail)
        self.persons_table.set_rows(
            [
                (
                    [
                        p["name"],
                        p["post"],
                        p["unit"],
                        p["responsibility_label"],
                        ladder(p),
                        p["next"]["reason"] if p["next"] else "不承担责任",
                    ],
                    bool(
                        p["steps"]
                        and p["steps"][-1]["deadline"]
                        and p["steps"][-1]["deadline"]["late"]
                        and not p["steps"][-1]["rectified_on"]
                    ),
                )
                for p in detail["persons"]
            ]
        )
        if detail["persons"]:
            self.persons_table.select_row(0)
        self.detail_loaded.emit(detail)

    def _show_deadlines(self, detail: dict[str, Any]) -> None:
        lines, tips = [], []

        def add(title: str, deadline: dict[str, Any] | None) -> None:
            if deadline is None:
                return
            text = f"{title}：{deadline['due']}（{deadline['label']}）"
            lines.append(f'<span style="{RED_TEXT}">{text}</span>' if deadline["late"] else text)
            if deadline.get("explanation"):
                tips.append(f"{title}：{deadline['explanation']}")

        for p in detail["persons"]:
            if p["steps"]:
                add(f"{p['name']}整改期限", p["steps"][-1]["deadline"])
        ref = detail["referral"]
        if ref["on"]:
            lines.append(
                f"移送：{ref['on']} → {ref['to']}" + (f"（已催办 {ref['urge_count']} 次）" if ref["urge_count"] else "")
            )
        add("书面反馈期限", ref["feedback_deadline"])
        if detail["feedback"]["on"]:
            lines.append(f"已于{detail['feedback']['on']}反馈：{detail['feedback']['outcome']}")
        if detail["report"]["on"]:
            lines.append(f"已于{detail['report']['on']}通报组织人事部门")
        self.deadlines_label.setText("<br>".join(lines) or "—")
        self.deadlines_label.setToolTip("\n".join(tips))

    # -- actions -----------------------------------------------------------------------------------------------

    def selected_person(self) -> dict[str, Any] | None:
        row = self.persons_table.currentIndex().row()
        persons = self.detail["persons"] if self.detail else []
        return persons[row] if 0 <= row < len(persons) else None

    def make_dialog(self, kind: str) -> StoreDialog | None:
        detail = self.detail
        if detail is None:
            self.error_label.setText("请先选择一件追责事项")
            return None
        self.error_label.clear()
        number = detail["number"]
        if kind == "person":
            return PersonDialog(self._ctx, number, detail["subject_unit"], self)
        if kind in ("step", "rectified"):
            person = self.selected_person()
            if person is None:
                self.error_label.setText("请先在责任人列表中选择一名责任人")
                return None
            return (StepDialog if kind == "step" else RectifiedDialog)(self._ctx, number, person, self)
        if kind == "refer":
            return ReferDialog(self._ctx, detail, self)
        if kind == "feedback":
            return FeedbackDialog(self._ctx, detail, self)
        return ReportDialog(self._ctx, number, self)

    def open_edit(self) -> None:
        """修改…: the profile's grounds are read first, off the GUI thread, then the dialog opens."""
        detail = self.detail
        if detail is None:
            self.error_label.setText("请先选择一件追责事项")
            return
        self.error_label.clear()

        def with_catalogue(catalogue: Any) -> None:
            dialog = EditDialog(self._ctx, detail, catalogue, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.saved.connect(self._saved)
            self.dialog = dialog
            dialog.open()

        self._ctx.tasks.run_db(catalogue_job, with_catalogue, self._message)

    def open_dialog(self, kind: str) -> StoreDialog | None:
        dialog = self.make_dialog(kind)
        if dialog is not None:
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.saved.connect(self._saved)
            self.dialog = dialog
            dialog.open()
        return dialog

    def _saved(self, detail: dict[str, Any]) -> None:
        self.select(detail["number"])
        document = detail.get("document")
        if document and document.get("stored_path"):
            self._offer_open(document)

    def _offer_open(self, document: dict[str, Any]) -> None:
        text = f"已生成文书 {document.get('number') or ''}，是否打开？"
        self.message_box = offer_open(self, "责任落实", text, Path(document["stored_path"]))

    def urge(self) -> None:
        if self.detail is None:
            self.error_label.setText("请先选择一件追责事项")
            return
        number, today, user = self.detail["number"], self._ctx.today(), self._ctx.user
        self._ctx.tasks.run_db(
            lambda db: urge_feedback(db, number, on=today, today=today, user=user), self._saved, self._message
        )

    def _message(self, exc: BaseException) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "责任落实", error_text(exc), QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()


__all__ = ["AccountabilityTab", "ladder"]
