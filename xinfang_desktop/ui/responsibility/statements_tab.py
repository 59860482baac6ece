"""责任书 (R-RS-01/02): the year's statements with each target's progress on the ledger — 按上年数据生成 prefills them
from last year's figures, 编辑 changes targets, signatories, measures and the signing date, 出具 issues the numbered
责任书 (PDF or DOCX), 年度考评 records the year-end evaluation that the annual assessment takes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.statement_targets import Verdict, format_value
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.empty_hint import EmptyHint
from xinfang_desktop.ui.open_file_offer import offer_open
from xinfang_desktop.ui.responsibility.accountability_dialogs import ListEditor, date_edit, day_of, text_edit
from xinfang_desktop.ui.role_gate import gate
from xinfang_desktop.ui.rows_table import RowsTable
from xinfang_desktop.ui.store_dialog import StoreDialog

#: Verdict colours: green on track or met, amber at risk, red missed, grey without data.
VERDICT_COLOURS = {
    Verdict.ON_TRACK.value: "#2e7d32",
    Verdict.MET.value: "#2e7d32",
    Verdict.AT_RISK.value: "#ef6c00",
    Verdict.MISSED.value: "#c62828",
    Verdict.NO_DATA.value: "#757575",
}
TARGET_HEADERS = ["目标项目", "上年实际", "目标", "目前", "年底预计", "判断", "说明"]


def error_text(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


def progress_job(year: int, today: Any) -> Callable[[Database], dict[str, Any]]:
    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.persistence.statements.store import progress

        return progress(db, year, today=today)

    return job


class PrefillDialog(StoreDialog):
    """按上年数据生成: every party's statement of the year from last year's ledger (R-RS-02)."""

    def __init__(self, ctx: AppContext, year: int, existing: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"按上年数据生成{year}年度责任书", parent, min_width=520)
        self.year = year
        note = QLabel(
            f"按{year - 1}年全年台账数据计算各乡镇（街道）、县直单位和县本级的上年实际值，"
            "按规则配置的下降幅度和比率要求生成目标。"
            + (
                f"\n已有 {existing} 份：未签订的更新上年实际值和目标（手工调整过的目标保留），已签订的不变。"
                if existing
                else ""
            )
        )
        note.setWordWrap(True)
        self.force_check = QCheckBox("强制重算：已签订的和手工调整过的目标也按上年数据重算")
        self.form.addRow(note)
        self.form.addRow(self.force_check)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.statements.store import prefill

        year, today, user, force = self.year, self.ctx.today(), self.ctx.user, self.force_check.isChecked()
        return lambda db: prefill(db, year, today=today, force=force, user=user)


class EditDialog(StoreDialog):
    """编辑 one statement: target values and their printed wording, the parties and signatories, measures,
    consequences and the signing date. Only what was changed is sent; the store checks everything first."""

    def __init__(self, ctx: AppContext, statement: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"编辑责任书（{statement['year']}年度 {statement['party_name']}）", parent, min_width=760)
        self.statement = statement
        self.targets = list(statement["targets"])
        self.table = QTableWidget(len(self.targets), 4)
        self.table.setHorizontalHeaderLabels(["目标项目", "上年实际", "目标值", "印制表述"])
        self.table.verticalHeader().hide()
        self.spins: list[QDoubleSpinBox] = []
        self.wordings: list[QLineEdit] = []
        for row, t in enumerate(self.targets):
            for column, text in ((0, t["label"]), (1, t.get("baseline_text") or "—")):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            spin = QDoubleSpinBox()
            is_rate = t["unit"] == "%"
            spin.setDecimals(1 if is_rate else 0)
            spin.setRange(0, 100 if is_rate else 10_000_000)
            spin.setSuffix(f" {t['unit']}" if t["unit"] else "")
            spin.setSpecialValueText("待定")  # the minimum shown as "not set" only while there is no value
            if t["target"] is not None:
                spin.setSpecialValueText("")
                spin.setValue(float(t["target"]))
            self.table.setCellWidget(row, 2, spin)
            wording = QLineEdit(t["target_text"])
            wording.setMaxLength(100)
            wording.setPlaceholderText("保存时按目标值生成")
            # A new value makes the old wording wrong: cleared, it is written anew from the value when saved.
            spin.valueChanged.connect(lambda _v, w=wording: w.clear())
            self.table.setCellWidget(row, 3, wording)
            self.spins.append(spin)
            self.wordings.append(wording)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(min(360, 34 + 32 * len(self.targets)))
        self.first_party = QLineEdit(statement["first_party"])
        self.second_party = QLineEdit(statement["second_party"])
        self.first_signatory = QLineEdit(statement.get("first_signatory") or "")
        self.first_signatory.setPlaceholderText("如：县长")
        self.second_signatory = QLineEdit(statement.get("second_signatory") or "")
        self.second_signatory.setPlaceholderText("如：镇长、局长")
        self.signed_check = QCheckBox("已签订")
        self.signed_date = date_edit(ctx.today())
        if statement.get("signed_on"):
            self.signed_check.setChecked(True)
            signed = date.fromisoformat(statement["signed_on"])
            self.signed_date.setDate(QDate(signed.year, signed.month, signed.day))
        self.signed_date.setEnabled(self.signed_check.isChecked())
        self.signed_check.toggled.connect(self.signed_date.setEnabled)
        signed_row = QHBoxLayout()
        signed_row.addWidget(self.signed_check)
        signed_row.addWidget(self.signed_date)
        signed_row.addStretch(1)
        self.measures = ListEditor(statement["measures"], "工作措施，回车添加")
        self.consequences = ListEditor(statement["consequences"], "考核与责任追究，回车添加")
        self.force_check = QCheckBox("允许修改已签订责任书的目标")
        self.force_check.setVisible(bool(statement.get("signed")))
        self.form.addRow(self.table)
        self.form.addRow("甲方", self.first_party)
        self.form.addRow("甲方负责人", self.first_signatory)
        self.form.addRow("乙方", self.second_party)
        self.form.addRow("乙方负责人", self.second_signatory)
        self.form.addRow("签订", signed_row)
        self.form.addRow("工作措施", self.measures)
        self.form.addRow("考核与责任追究", self.consequences)
        self.form.addRow(self.force_check)

    def changes(self) -> dict[str, Any]:
        """The keyword arguments of `update_statement` for what the clerk changed."""
        from xinfang_desktop.persistence.statements.store import UNSET

        s = self.statement
        values: dict[str, float] = {}
        texts: dict[str, str] = {}
        for t, spin, wording in zip(self.targets, self.spins, self.wordings, strict=True):
            value = spin.value()
            unset = t["target"] is None and value == spin.minimum()
            if not unset and (t["target"] is None or abs(value - float(t["target"])) > 1e-9):
                values[t["code"]] = value
            text = wording.text().strip()
            if text and text != t["target_text"]:
                texts[t["code"]] = text
        signed_on = day_of(self.signed_date) if self.signed_check.isChecked() else None
        old_signed = s.get("signed_on")
        result: dict[str, Any] = {
            "targets": values,
            "target_texts": texts,
            "first_party": self.first_party.text() if self.first_party.text().strip() != s["first_party"] else None,
            "second_party": self.second_party.text() if self.second_party.text().strip() != s["second_party"] else None,
            "first_signatory": self.first_signatory.text()
            if self.first_signatory.text().strip() != (s.get("first_signatory") or "")
            else UNSET,
            "second_signatory": self.second_signatory.text()
            if self.second_signatory.text().strip() != (s.get("second_signatory") or "")
            else UNSET,
            "measures": self.measures.items() if list(self.measures.items()) != list(s["measures"]) else None,
            "consequences": self.consequences.items()
            if list(self.consequences.items()) != list(s["consequences"])
            else None,
            "signed_on": signed_on if (signed_on.isoformat() if signed_on else None) != old_signed else UNSET,
            "force": self.force_check.isChecked(),
        }
        return result

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.statements.store import update_statement

        year, party, user, changes = self.statement["year"], self.statement["party"], self.ctx.user, self.changes()
        return lambda db: update_statement(db, year, party, user=user, **changes)


class EvaluateDialog(StoreDialog):
    """年度考评: the whole year's figures and met / missed recorded for every statement of the year (R-AS-04)."""

    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"{year}年度责任书考评", parent)
        self.year = year
        self.date_edit = date_edit(max(ctx.today(), date(year + 1, 1, 1)))
        self.note_edit = text_edit()
        hint = QLabel("按全年台账数据记录每份责任书各目标的完成情况，纳入年度考核。考评日期不早于12月31日。")
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.form.addRow("考评日期", self.date_edit)
        self.form.addRow("考评说明", self.note_edit)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.statements.store import evaluate

        year, on, user = self.year, day_of(self.date_edit), self.ctx.user
        note = self.note_edit.toPlainText().strip() or None
        return lambda db: evaluate(db, year, on=on, note=note, user=user)


class StatementsTab(QWidget):
    """`refresh()` reloads the year; `loaded(progress)` after each load (tests wait on it)."""

    loaded = Signal(object)
    issued = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.data: dict[str, Any] | None = None
        self.statements: list[dict[str, Any]] = []
        self.dialog: StoreDialog | None = None
        self.message_box: QMessageBox | None = None
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2199)
        self.year_spin.setValue(ctx.today().year)
        self.year_spin.setSuffix(" 年度")
        self.year_spin.valueChanged.connect(self.refresh)
        self.prefill_button = QPushButton("按上年数据生成…")
        self.prefill_button.setToolTip("按上一年台账的实际数据生成本年度各单位的责任书目标（R-RS-02）")
        self.prefill_button.clicked.connect(self.open_prefill)
        self.evaluate_button = QPushButton("年度考评…")
        self.evaluate_button.clicked.connect(self.open_evaluate)
        gate("case.decide", self.evaluate_button)
        self.edit_button = QPushButton("编辑…")
        self.edit_button.clicked.connect(self.open_edit)
        self.pdf_button = QPushButton("出具责任书（PDF）")
        self.pdf_button.clicked.connect(lambda: self.issue("pdf"))
        self.docx_button = QPushButton("出具 DOCX")
        self.docx_button.clicked.connect(lambda: self.issue("docx"))
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.list = RowsTable(["乙方", "签订", "未完成", "有风险", "文号"])
        self.list.selectionModel().currentRowChanged.connect(lambda current, _old: self.show_statement(current.row()))
        self.list.row_activated.connect(lambda _row: self.open_edit())
        self.empty_hint = EmptyHint(self.list, "本年度尚无责任书。点击“按上年数据生成…”按上年台账数据生成。")
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.targets = QTableWidget(0, len(TARGET_HEADERS))
        self.targets.setHorizontalHeaderLabels(TARGET_HEADERS)
        self.targets.verticalHeader().hide()
        self.targets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.targets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.targets.setWordWrap(True)
        header = self.targets.horizontalHeader()
        for column in range(len(TARGET_HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The wording and the reason are long: a fixed width that wraps, and the reason takes what is left.
        header.setSectionResizeMode(TARGET_HEADERS.index("目标"), QHeaderView.ResizeMode.Interactive)
        header.resizeSection(TARGET_HEADERS.index("目标"), 180)
        header.setSectionResizeMode(len(TARGET_HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.targets.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year_spin)
        top.addWidget(self.prefill_button)
        top.addWidget(self.evaluate_button)
        top.addStretch(1)
        top.addWidget(self.edit_button)
        top.addWidget(self.pdf_button)
        top.addWidget(self.docx_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail_label)
        right_layout.addWidget(self.targets, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([400, 880])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_label)

    @property
    def year(self) -> int:
        return self.year_spin.value()

    def refresh(self) -> None:
        self._ctx.tasks.run_db(progress_job(self.year, self._ctx.today()), self._show, self._show_error)

    def _show(self, data: dict[str, Any]) -> None:
        if data["year"] != self.year:  # an answer for a year no longer chosen
            return
        keep = self.selected()
        self.error_label.clear()
        self.data = data
        self.statements = data["statements"]
        self.list.set_rows(
            [
                (
                    [
                        s["party_name"],
                        s["signed_on"] or "未签订",
                        str(s["missed"]),
                        str(s["at_risk"]),
                        (s.get("document") or {}).get("number") or "",
                    ],
                    s["missed"] > 0,
                )
                for s in self.statements
            ]
        )
        clock = data["clock"]
        at_risk = sum(1 for s in self.statements if s["at_risk"])
        missed = sum(1 for s in self.statements if s["missed"])
        text = (
            f"{self.year}年度责任书 {len(self.statements)} 份（截至{data['today']}，已过全年 "
            f"{clock['elapsed_days']}/{clock['total_days']} 天）：有目标未完成的 {missed} 份，有风险的 {at_risk} 份"
        )
        if data["without_statement"] and self.statements:
            text += f"；尚无责任书：{'、'.join(data['without_statement'][:6])}"
            text += "等" if len(data["without_statement"]) > 6 else ""
        self.summary_label.setText(text)
        rows = [s["party"] for s in self.statements]
        row = rows.index(keep["party"]) if keep and keep["party"] in rows else (0 if rows else -1)
        if row >= 0:
            self.list.selectRow(row)
        self.show_statement(row)
        self.loaded.emit(data)

    def _show_error(self, exc: BaseException) -> None:
        self.error_label.setText("无法读取责任书：" + error_text(exc))
        self.loaded.emit(None)

    def selected(self) -> dict[str, Any] | None:
        row = self.list.currentIndex().row()
        return self.statements[row] if 0 <= row < len(self.statements) else None

    def show_statement(self, row: int) -> None:
        statement = self.statements[row] if 0 <= row < len(self.statements) else None
        for button in (self.edit_button, self.pdf_button, self.docx_button):
            button.setEnabled(statement is not None)
        self.targets.setRowCount(0)
        if statement is None:
            self.detail_label.clear()
            return
        signed = f"{statement['signed_on']} 签订" if statement["signed"] else "未签订"
        self.detail_label.setText(
            f"<b>{statement['second_party']}</b>（乙方） — {statement['first_party']}（甲方）；{signed}"
            + (f"；已出具 {statement['document']['number']}" if statement.get("document") else "")
            + (f"；{statement['evaluated_on']} 已考评" if statement.get("evaluated_on") else "")
        )
        self.targets.setRowCount(len(statement["targets"]))
        for r, t in enumerate(statement["targets"]):
            unit = t["unit"]
            cells = [
                t["label"],
                format_value(t["baseline"], unit),
                t["target_text"],
                format_value(t["current"], unit),
                format_value(t["projection"], unit),
                t["verdict_label"],
                t["reason"],
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{t['formula']}\n{t['reason']}")
                if column == 5:
                    colour = QColor(VERDICT_COLOURS.get(t["verdict"], "#000000"))
                    item.setForeground(QBrush(colour))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.targets.setItem(r, column, item)

    # --- actions -------------------------------------------------------------------------------------------------

    def _show_dialog(self, dialog: StoreDialog, on_saved: Callable[[Any], None]) -> StoreDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(on_saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_prefill(self) -> StoreDialog:
        return self._show_dialog(
            PrefillDialog(self._ctx, self.year, len(self.statements), self), lambda _r: self.refresh()
        )

    def open_evaluate(self) -> StoreDialog | None:
        if not self.statements:
            self.error_label.setText("本年度尚无责任书，无法考评")
            return None
        return self._show_dialog(EvaluateDialog(self._ctx, self.year, self), lambda _r: self.refresh())

    def open_edit(self) -> StoreDialog | None:
        """The dialog needs the stored statement (its measures and wording), read first off the GUI thread."""
        statement = self.selected()
        if statement is None:
            self.error_label.setText("请先选择一份责任书")
            return None
        year, party = statement["year"], statement["party"]

        def job(db: Database) -> dict[str, Any]:
            from xinfang_desktop.persistence.statements.store import show_statement

            return show_statement(db, year, party)

        def show(full: dict[str, Any]) -> None:
            self._show_dialog(EditDialog(self._ctx, full, self), self._edited)

        self._ctx.tasks.run_db(job, show, self._message)
        return None

    def _edited(self, _result: Any) -> None:
        self.refresh()

    def issue(self, fmt: str) -> None:
        statement = self.selected()
        if statement is None:
            self.error_label.setText("请先选择一份责任书")
            return
        year, party, user = statement["year"], statement["party"], self._ctx.user

        def job(db: Database) -> dict[str, Any]:
            from xinfang_desktop.documents.types.responsibility_statement import issue_statement

            issued, stored = issue_statement(db, year, party, fmt=fmt, user=user)
            return {"number": issued.number, "stored_path": str(issued.path), "statement": stored}

        self._ctx.tasks.run_db(job, self._issued, self._message)

    def _issued(self, result: dict[str, Any]) -> None:
        self.issued.emit(result)
        self.refresh()
        text = f"已出具 {result['number']}，是否打开？"
        self.message_box = offer_open(self, "责任书", text, Path(result["stored_path"]))

    def _message(self, exc: BaseException) -> None:
        self.error_label.setText(error_text(exc))
