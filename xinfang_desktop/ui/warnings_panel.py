"""The 预警与积案 section: warning-slip candidates (R-WS-01), slips with the explanations owed (R-WS-03/04, overdue in
red), the backlog ledger (R-CL-05, R-BK-01, R-BK-03) and the 三方会审 due (R-BK-02); dialogs issue a slip for the
selected candidate (or by hand, with a reason), record its 签收 and an explanation received — a refusal
(DomainError.message) is shown in the dialog. Every database call runs on the database thread through
`ctx.tasks.run_db`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.ledger import LedgerFilter
from xinfang_desktop.persistence.backlog_store import list_backlog
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.reviews_store import count_reviews, list_reviews
from xinfang_desktop.persistence.warnings_store import (
    candidate_page,
    issue_slip,
    list_slips,
    receipt_slip,
    record_explanation,
    tick_warnings,
)
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.rows_table import RowsTable
from xinfang_desktop.ui.store_dialog import StoreDialog

MAX_CANDIDATE_ROWS = 500
MAX_REVIEW_ROWS = 200


def load_job(today: date) -> Any:
    """Everything the section shows, read in one job on the database thread."""

    def job(db: Database) -> dict[str, Any]:
        return {
            "candidates": candidate_page(db, today=today, newest=MAX_CANDIDATE_ROWS),
            "slips": list_slips(db, today=today),
            "backlog": list_backlog(db, today=today),
            # Each review is read with its files: the earliest due first, no more than a work list.
            "reviews": list_reviews(db, today=today, open_only=True, first=MAX_REVIEW_ROWS),
            "open_reviews": count_reviews(db, open_only=True),
        }

    return job


def scan_job(today: date, user: str) -> Any:
    """Run the detection (as `xinfang warn scan` does), then reload."""

    def job(db: Database) -> dict[str, Any]:
        summary = tick_warnings(db, today=today, user=user)
        return {"summary": summary, **load_job(today)(db)}

    return job


def issue_job(
    number: str, *, today: date, user: str, reason: str | None, unit: str | None, leader: str | None
) -> Callable[[Database], dict[str, Any]]:
    """Issue the numbered 预警单 (as `xinfang warn issue` does), rendered and stored by the documents engine."""

    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.documents.document_store import issue_document

        def issue(type_id: str, data: Mapping[str, Any], case_number: str) -> Any:
            return issue_document(db, type_id, data, case_number=case_number, user=user)

        return issue_slip(
            db, number, today=today, issue=issue, reason=reason, to_unit=unit, to_leader=leader, user=user
        )

    return job


def _parse_day(text: str, label: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{label}格式应为 YYYY-MM-DD，而不是“{text.strip()}”") from None


class _ActionDialog(StoreDialog):
    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent, min_width=440)


def _opt(text: str) -> str | None:
    return text.strip() or None


class IssueSlipDialog(_ActionDialog):
    """发出预警单 for a case (R-WS-01/02): the selected candidate, or any case by hand with the other risk as reason."""

    def __init__(self, ctx: AppContext, case_number: str = "", parent: QWidget | None = None) -> None:
        super().__init__(ctx, "发出信访预警单", parent)
        self.number_edit = QLineEdit(case_number)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText("未达到上访次数条件时必填：其他可能引发异常情况上访的风险（R-WS-01）")
        self.reason_edit.setFixedHeight(72)
        self.unit_edit = QLineEdit()
        self.unit_edit.setPlaceholderText("默认：事项的责任单位")
        self.leader_edit = QLineEdit()
        self.leader_edit.setPlaceholderText("默认：登记的正职领导")
        self.form.addRow("信访事项编号", self.number_edit)
        self.form.addRow("预警原因", self.reason_edit)
        self.form.addRow("被预警单位", self.unit_edit)
        self.form.addRow("单位领导", self.leader_edit)

    def job(self) -> Callable[[Database], Any]:
        number = self.number_edit.text().strip()
        if not number:
            raise ValueError("请填写信访事项编号")
        return issue_job(
            number,
            today=self.ctx.today(),
            user=self.ctx.user,
            reason=_opt(self.reason_edit.toPlainText()),
            unit=_opt(self.unit_edit.text()),
            leader=_opt(self.leader_edit.text()),
        )


class _SlipDateDialog(_ActionDialog):
    """A date recorded on a slip (its 签收, or an explanation received)."""

    LABEL = ""

    def __init__(self, ctx: AppContext, slip_no: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent)
        self.slip_no = slip_no
        self.date_edit = QLineEdit(ctx.today().isoformat())
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.form.addRow("预警单", QLabel(slip_no))
        self.form.addRow(self.LABEL, self.date_edit)

    def day(self) -> date:
        return _parse_day(self.date_edit.text(), self.LABEL)


class ReceiptDialog(_SlipDateDialog):
    """登记签收 of the selected slip (R-WS-02)."""

    LABEL = "签收日期"

    def __init__(self, ctx: AppContext, slip_no: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, slip_no, "登记预警单签收", parent)

    def job(self) -> Callable[[Database], Any]:
        slip_no, on, today = self.slip_no, self.day(), self.ctx.today()
        return lambda db: receipt_slip(db, slip_no, on=on, today=today)


class ExplanationDialog(_SlipDateDialog):
    """登记书面说明: the oldest explanation still owed under the selected slip was received (R-WS-03/04)."""

    LABEL = "收到书面说明日期"

    def __init__(self, ctx: AppContext, slip_no: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, slip_no, "登记书面说明", parent)

    def job(self) -> Callable[[Database], Any]:
        slip_no, on, today = self.slip_no, self.day(), self.ctx.today()
        return lambda db: record_explanation(db, slip_no, on=on, today=today)


class WarningsPanel(QWidget):
    """Loaded on `start()` / `refresh()`; `scan()` runs the detection first. `loaded` carries the data shown."""

    loaded = Signal(object)  # a dict (`object`: PySide converts a `dict` to a QVariantMap and back, 45 ms here)
    case_activated = Signal(str)
    ledger_requested = Signal(object, str)  # a LedgerFilter and its label: show those cases in the 信访台账

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
        self.scan_button.setToolTip("现在筛查一次：记录书面说明、积案、三方会审和逾期情况（每天打开时也会自动筛查）")
        self.scan_button.clicked.connect(self.scan)
        self.issue_button = QPushButton("发出预警单…")
        self.issue_button.setToolTip("对所选预警对象发出预警单；未达到条件的事项须写明其他风险")
        self.issue_button.clicked.connect(lambda: self.open_dialog("issue"))
        self.receipt_button = QPushButton("登记签收…")
        self.receipt_button.clicked.connect(lambda: self.open_dialog("receipt"))
        self.explain_button = QPushButton("登记书面说明…")
        self.explain_button.clicked.connect(lambda: self.open_dialog("explain"))
        self.all_candidates_button = QPushButton("在台账中查看全部预警对象")
        self.all_candidates_button.setToolTip("在信访台账中列出全部预警对象，可再筛选、排序和导出 Excel")
        self.all_candidates_button.clicked.connect(
            lambda: self.ledger_requested.emit(LedgerFilter(warning_candidate=True), "预警对象")
        )
        self.notice_label = QLabel()

        self.candidates_table = RowsTable(["信访事项", "信访人", "初次信访", "县级及以上上访", "依据"])
        self.slips_table = RowsTable(
            ["预警单", "信访事项", "被预警单位", "签收", "再次上访", "说明对象", "期限", "状态"]
        )
        self.backlog_table = RowsTable(["信访事项", "信访人", "列为积案", "来源", "一事双查", "化解", "原因"])
        self.reviews_table = RowsTable(["编号", "信访事项", "启动原因", "上访日期", "会审期限", "状态"])
        # Activating a row opens its case: the case number is in column 0 (candidates, backlog) or 1.
        for table, column in (
            (self.candidates_table, 0),
            (self.backlog_table, 0),
            (self.slips_table, 1),
            (self.reviews_table, 1),
        ):
            table.row_activated.connect(lambda row, t=table, c=column: self._activate(t, row, c))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.candidates_table, "预警对象")
        self.tabs.addTab(self.slips_table, "预警单与书面说明")
        self.tabs.addTab(self.backlog_table, "积案台账")
        self.tabs.addTab(self.reviews_table, "三方会审")

        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.scan_button)
        buttons.addWidget(self.issue_button)
        buttons.addWidget(self.receipt_button)
        buttons.addWidget(self.explain_button)
        buttons.addStretch(1)
        buttons.addWidget(self.all_candidates_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary_label)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.error_label)

    def start(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._ctx.tasks.run_db(load_job(self._ctx.today()), self._show, self._show_error)

    def scan(self) -> None:
        self.scan_button.setEnabled(False)
        self._ctx.tasks.run_db(scan_job(self._ctx.today(), self._ctx.user), self._show, self._show_error)

    def _selected(self, table: RowsTable, column: int) -> str | None:
        return table.current_text(column)

    def make_dialog(self, kind: str) -> _ActionDialog | None:
        """The dialog for `kind`: issue (for the selected candidate, or empty to fill by hand), receipt and explain
        (on the selected slip; None, with a hint, when no slip is selected)."""
        self.error_label.clear()
        dialog: _ActionDialog
        if kind == "issue":
            dialog = IssueSlipDialog(self._ctx, self._selected(self.candidates_table, 0) or "", parent=self)
        else:
            slip_no = self._selected(self.slips_table, 0)
            if slip_no is None:
                self.tabs.setCurrentWidget(self.slips_table)
                self.error_label.setText("请先在“预警单与书面说明”中选择一份预警单")
                return None
            dialog = (ReceiptDialog if kind == "receipt" else ExplanationDialog)(self._ctx, slip_no, parent=self)
        dialog.saved.connect(self._saved)
        return dialog

    def open_dialog(self, kind: str) -> None:
        dialog = self.make_dialog(kind)
        if dialog is not None:
            dialog.open()

    def _saved(self, slip: dict[str, Any]) -> None:
        receipt = f"，已签收 {slip['receipted_on']}" if slip.get("receipted_on") else ""
        self.notice_label.setText(
            f"已保存预警单 {slip['number']}（{slip['case_number']} → {slip['to_unit']}{receipt}）"
        )
        self.refresh()

    def _activate(self, table: RowsTable, row: int, column: int) -> None:
        if 0 <= row < table.rowCount() and (number := table.text(row, column)):
            self.case_activated.emit(number)

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        self.scan_button.setEnabled(True)
        self.error_label.clear()
        self.candidates_table.set_rows(
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
                # The newest MAX_CANDIDATE_ROWS, newest first, as the database read them: a work list, not an
                # archive (`xinfang warn scan --json` lists them all).
                for c in data["candidates"]["items"]
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
        self.slips_table.set_rows(slip_rows)
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
        self.backlog_table.set_rows(backlog_rows)
        self.reviews_table.set_rows(
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
            f"预警对象 {data['candidates']['total']} 件"
            + (f"（显示最近 {MAX_CANDIDATE_ROWS} 件）" if data["candidates"]["total"] > MAX_CANDIDATE_ROWS else ""),
            f"待书面说明 {owed} 项（逾期 {overdue} 项）",
            f"积案 {data['backlog']['total']} 件（已化解 {data['backlog']['resolved']} 件）",
            f"待三方会审 {data['open_reviews']} 件"
            + (f"（显示最早到期的 {MAX_REVIEW_ROWS} 件）" if data["open_reviews"] > MAX_REVIEW_ROWS else ""),
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


__all__ = [
    "ExplanationDialog",
    "IssueSlipDialog",
    "ReceiptDialog",
    "WarningsPanel",
    "issue_job",
    "load_job",
    "scan_job",
]
