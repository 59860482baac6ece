"""The 来信来访登记 section: every intake field, checks as you type, duplicate suggestions before saving.

Saving goes through `persistence.case_intake.add_case` on the database thread; the rules live in `core`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.accusation_guard import accused_scope
from xinfang_desktop.core.codes import Channel, Destination, OfficeLevel, Purpose
from xinfang_desktop.core.errors import FieldProblem, ValidationError
from xinfang_desktop.core.field_rules import (
    HEADCOUNT_MAX,
    REPRESENTATIVES_MAX,
    SUMMARY_MAX,
    check_address,
    check_name,
    check_summary,
)
from xinfang_desktop.core.id_numbers import validate_id_number
from xinfang_desktop.core.intake_input import SUBMISSION_KEYS
from xinfang_desktop.core.intake_rules import DEFAULT_COLLECTIVE_THRESHOLD, DuplicateCandidate
from xinfang_desktop.core.phone_numbers import validate_phone
from xinfang_desktop.persistence.case_intake import (
    IntakeOutcome,
    SubmitOutcome,
    add_case,
    duplicate_suggestions,
    submit,
)
from xinfang_desktop.persistence.units import canonical_accused, list_units, unit_refusal, unit_register
from xinfang_desktop.ui.accused_units_field import AccusedUnitsField
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.field_row import FieldRow, Tone
from xinfang_desktop.ui.intake_duplicates import DuplicatesBox
from xinfang_desktop.ui.progress import DelayedProgress
from xinfang_desktop.ui.representatives_table import RepresentativesTable

AUTO_DESTINATION = "按信访层级"


def _problem_text(problems: list[FieldProblem]) -> str:
    return "；".join(p.reason for p in problems)


class IntakePanel(QWidget):
    """Register a new case. `case_saved(number)` fires after a successful save."""

    case_saved = Signal(str)
    duplicates_shown = Signal(int)
    save_failed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._known_regions: frozenset[str] | None = None
        self._saving = False
        self._progress = DelayedProgress(self, "正在登记…")
        self.last_outcome: IntakeOutcome | SubmitOutcome | None = None
        self.confirm_box: QMessageBox | None = None
        self._pending: dict[str, Any] | None = None
        self.fields: dict[str, FieldRow] = {}
        self._build()
        self._wire()
        self.reset()

    # -- construction ------------------------------------------------------------------------------------------

    def _row(self, form: QFormLayout, key: str, label: str, editor: QWidget, *, room_below: bool = False) -> FieldRow:
        row = FieldRow(editor, room_below=room_below)
        self.fields[key] = row
        form.addRow(label, row)
        return row

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()

        # 信访人
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("必填")
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText("18位居民身份证号码（15位旧号码会自动升位）")
        self.id_edit.setMaxLength(64)
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("手机或固定电话，如 0571-87654321")
        self.phone_edit.setMaxLength(64)
        self.address_edit = QLineEdit()
        person = QGroupBox("信访人")
        person_form = QFormLayout(person)
        self._row(person_form, "petitioner.name", "姓名", self.name_edit)
        self._row(person_form, "petitioner.id_number", "身份证号码", self.id_edit)
        self._row(person_form, "petitioner.phone", "联系电话", self.phone_edit)
        self._row(person_form, "petitioner.address", "住址", self.address_edit)

        # 代表人 (集体访)
        self.reps_table = RepresentativesTable(["姓名", "身份证号码", "联系电话"])
        self.reps_table.setMinimumHeight(110)
        self.add_rep_button = QPushButton("添加代表人")
        self.remove_rep_button = QPushButton("删除所选")
        reps = QGroupBox(f"代表人（集体访推选，最多{REPRESENTATIVES_MAX}名）")
        reps_layout = QVBoxLayout(reps)
        reps_row = FieldRow(self.reps_table)
        self.fields["representatives"] = reps_row
        reps_layout.addWidget(reps_row)
        rep_buttons = QHBoxLayout()
        rep_buttons.addWidget(self.add_rep_button)
        rep_buttons.addWidget(self.remove_rep_button)
        rep_buttons.addStretch(1)
        reps_layout.addLayout(rep_buttons)

        # 信访事项
        self.channel_combo = QComboBox()
        self.channel_combo.addItems(Channel.labels())
        self.received_edit = QDateEdit()
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setDisplayFormat("yyyy-MM-dd")
        self.purpose_combo = QComboBox()
        self.purpose_combo.addItems(Purpose.labels())
        self.headcount_spin = QSpinBox()
        self.headcount_spin.setRange(1, HEADCOUNT_MAX)
        self.headcount_spin.setSuffix(" 人")
        self.level_combo = QComboBox()
        self.level_combo.addItems(OfficeLevel.labels())
        self.destination_combo = QComboBox()
        self.destination_combo.addItem(AUTO_DESTINATION)
        self.destination_combo.addItems(Destination.labels())
        self.abnormal_check = QCheckBox("非正常上访（仅限来访）")
        self.first_check = QCheckBox("初信初访")
        self.category_edit = QLineEdit()
        self.category_edit.setPlaceholderText("分类代码或名称（可不填）")
        self.locality_edit = QLineEdit()
        self.locality_edit.setPlaceholderText("行政区划代码或名称（可不填）")
        self.unit_edit = QLineEdit()
        self.unit_edit.setPlaceholderText("已登记的单位名称（可不填）")
        self.accused_field = AccusedUnitsField()  # from the register (R-LC-07); free text taken with a warning
        self.accused_edit = self.accused_field.edit
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setPlaceholderText("信访人反映的问题和诉求")
        self.summary_edit.setMinimumHeight(120)
        self.summary_edit.setMaximumHeight(260)
        self.summary_edit.setTabChangesFocus(True)

        matter = QGroupBox("信访事项")
        matter_form = QFormLayout(matter)
        self._row(matter_form, "channel", "信访形式", self.channel_combo)
        self._row(matter_form, "received_on", "收到日期", self.received_edit)
        self._row(matter_form, "purpose", "信访目的", self.purpose_combo)
        self._row(matter_form, "headcount", "人数", self.headcount_spin)
        self._row(matter_form, "level", "信访层级", self.level_combo)
        self._row(matter_form, "destination", "去向", self.destination_combo)
        flags = QWidget()
        flags_layout = QHBoxLayout(flags)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        flags_layout.addWidget(self.abnormal_check)
        flags_layout.addWidget(self.first_check)
        flags_layout.addStretch(1)
        self._row(matter_form, "abnormal", "标记", flags)
        self._row(matter_form, "category", "内容分类", self.category_edit)
        self._row(matter_form, "locality", "问题属地", self.locality_edit)
        self._row(matter_form, "responsible_unit", "责任单位", self.unit_edit)
        self._row(matter_form, "accused_units", "被控告单位", self.accused_field)
        self._row(matter_form, "summary", "内容摘要", self.summary_edit, room_below=True)

        # duplicates, shown side by side with the form before saving
        self.duplicates_box = DuplicatesBox()
        self.duplicates_table = self.duplicates_box.table
        self.confirm_new_button, self.onto_button = self.duplicates_box.new_button, self.duplicates_box.onto_button

        self.save_button = QPushButton("登记（Ctrl+S）")
        self.save_button.setDefault(True)
        self.clear_button = QPushButton("清空")
        self.general_message = QLabel()
        self.general_message.setWordWrap(True)
        self.general_message.setStyleSheet(f"color: {Tone.ERROR.value};")

        left = QVBoxLayout()
        left.addWidget(person)
        left.addWidget(reps)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addWidget(matter, 3)
        columns.addWidget(self.duplicates_box, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_message, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.banner)
        content_layout.addLayout(columns)
        content_layout.addLayout(buttons)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _wire(self) -> None:
        self.name_edit.textEdited.connect(lambda _t: self._check_name())
        self.id_edit.textEdited.connect(lambda _t: self._check_id(final=False))
        self.id_edit.editingFinished.connect(lambda: self._check_id(final=True))
        self.phone_edit.textEdited.connect(lambda _t: self._check_phone(final=False))
        self.phone_edit.editingFinished.connect(lambda: self._check_phone(final=True))
        self.address_edit.textEdited.connect(lambda _t: self._check_address())
        self.summary_edit.textChanged.connect(self._check_summary)
        self.headcount_spin.valueChanged.connect(self._check_headcount)
        self.channel_combo.currentIndexChanged.connect(self._channel_changed)
        self.add_rep_button.clicked.connect(self.add_representative)
        self.remove_rep_button.clicked.connect(self._remove_representative)
        self.unit_edit.textChanged.connect(lambda _t: self._check_responsible())
        self.accused_field.changed.connect(self._check_responsible)
        self.accused_edit.textChanged.connect(lambda _t: self._check_responsible())
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.ask_reset)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.ask_reset)
        self.duplicates_box.register_new.connect(self._confirm_new)
        self.duplicates_box.onto_original.connect(self._onto_original)
        self.duplicates_box.back.connect(self._hide_duplicates)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)

    def start(self) -> None:
        """Fill the unit completer (once the section is first shown)."""

        def done(units: list[dict[str, Any]]) -> None:
            completer = QCompleter([u["name"] for u in units], self.unit_edit)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.unit_edit.setCompleter(completer)

        self._ctx.tasks.run_db(list_units, done, lambda _exc: None)
        self._ctx.tasks.run_db(unit_register, self.accused_field.set_register, lambda _exc: None)

        def regions(codes: frozenset[str]) -> None:
            self._known_regions = codes

        from xinfang_desktop.persistence.region_codes import office_region_codes

        self._ctx.tasks.run_db(office_region_codes, regions, lambda _exc: None)

    # -- checks as you type ------------------------------------------------------------------------------------

    def _show(self, key: str, problems: list[FieldProblem]) -> bool:
        if problems:
            self.fields[key].show_message(_problem_text(problems))
            return False
        self.fields[key].clear_message()
        return True

    def _check_name(self) -> None:
        self._show("petitioner.name", check_name(self.name_edit.text()))

    def _check_address(self) -> None:
        self._show("petitioner.address", check_address(self.address_edit.text()))

    def _regions(self) -> frozenset[str]:
        if self._known_regions is None:
            from xinfang_desktop.persistence.region_codes import known_region_codes

            self._known_regions = known_region_codes()
        return self._known_regions

    def _check_id(self, *, final: bool) -> None:
        row = self.fields["petitioner.id_number"]
        text = self.id_edit.text().strip()
        if not text:
            row.clear_message()
            return
        result = validate_id_number(text, today=self._ctx.today(), known_region_codes=self._regions())
        if result.valid:
            facts = []
            if result.birth_date:
                facts.append(f"出生日期 {result.birth_date.isoformat()}")
            if result.sex:
                facts.append(result.sex)
            if result.converted_from_15:
                facts.append(f"已升位为 {result.normalized}")
            if result.warnings:
                row.show_message("；".join(result.warnings), Tone.WARNING)
            else:
                row.show_message("，".join(facts), Tone.HINT)
            return
        if not final and len(result.normalized) < 18 and result.normalized[:17].isdigit():
            row.show_message(f"已输入 {len(result.normalized)} 位", Tone.HINT)
            return
        row.show_message("；".join(result.errors))

    def _check_phone(self, *, final: bool) -> None:
        row = self.fields["petitioner.phone"]
        text = self.phone_edit.text().strip()
        if not text:
            row.clear_message()
            return
        result = validate_phone(text)
        if result.valid:
            note = "；".join(result.warnings)
            if note:
                row.show_message(note, Tone.WARNING)
            elif result.normalized != text:
                row.show_message(f"将保存为 {result.normalized}", Tone.HINT)
            else:
                row.clear_message()
        elif final or len(text) >= 11:
            row.show_message("；".join(result.errors))
        else:
            row.clear_message()

    def _check_summary(self) -> None:
        text = self.summary_edit.toPlainText()
        row = self.fields["summary"]
        if not text.strip():
            row.clear_message()
            return
        problems = check_summary(text)
        if problems:
            row.show_message(_problem_text(problems))
        else:
            row.show_message(f"{len(text.strip())} / {SUMMARY_MAX} 字", Tone.HINT)

    def responsible_refusal(self) -> str | None:
        """Why the 责任单位 may not be the unit chosen: it is an accused unit or under one (R-LC-07), else None.
        The same check `add_case` makes, against the register the accused-units picker holds."""
        unit = self.unit_edit.text().strip()
        accused = self.accused_field.units()
        if not unit or not accused:
            return None
        register = self.accused_field.register
        names, _problems, _warnings = canonical_accused(register, accused)
        scope = accused_scope(register, [(n, None) for n in names])
        return unit_refusal(register, scope, unit, role="责任单位")

    def _check_responsible(self) -> None:
        row = self.fields["responsible_unit"]
        why = self.responsible_refusal()
        if why:
            row.show_message(why, Tone.ERROR)
        elif row.has_error:
            row.clear_message()

    def _check_headcount(self, value: int) -> None:
        row = self.fields["headcount"]
        if value >= DEFAULT_COLLECTIVE_THRESHOLD:
            row.show_message(
                f"{DEFAULT_COLLECTIVE_THRESHOLD}人及以上为集体访，请登记代表人（最多{REPRESENTATIVES_MAX}名）",
                Tone.HINT,
            )
        else:
            row.clear_message()

    def _channel_changed(self) -> None:
        is_visit = self.channel_combo.currentText() == Channel.VISIT.label
        self.abnormal_check.setEnabled(is_visit)
        if not is_visit:
            self.abnormal_check.setChecked(False)

    def add_representative(self) -> None:
        if self.reps_table.rowCount() >= REPRESENTATIVES_MAX:
            self.fields["representatives"].show_message(f"最多{REPRESENTATIVES_MAX}名代表人（信访工作条例第二十条）")
            return
        self.reps_table.add_row()

    def _remove_representative(self) -> None:
        row = self.reps_table.currentRow()
        if row >= 0:
            self.reps_table.removeRow(row)
        self.fields["representatives"].clear_message()

    # -- the intake object -------------------------------------------------------------------------------------

    def _cell(self, row: int, column: int) -> str:
        return self.reps_table.cell_text(row, column)

    def intake_data(self) -> dict[str, Any]:
        """The form as the intake JSON object documented in `core.intake_input`."""

        def opt(text: str) -> str | None:
            return text.strip() or None

        data: dict[str, Any] = {
            "petitioner": {
                "name": self.name_edit.text().strip(),
                "id_number": opt(self.id_edit.text()),
                "phone": opt(self.phone_edit.text()),
                "address": opt(self.address_edit.text()),
            },
            "channel": self.channel_combo.currentText(),
            "received_on": self.received_edit.date().toString("yyyy-MM-dd"),
            "purpose": self.purpose_combo.currentText(),
            "summary": self.summary_edit.toPlainText().strip(),
            "headcount": self.headcount_spin.value(),
            "level": self.level_combo.currentText(),
            "abnormal": self.abnormal_check.isChecked(),
            "first_submission": self.first_check.isChecked(),
        }
        if self.destination_combo.currentIndex() > 0:
            data["destination"] = self.destination_combo.currentText()
        for key, edit in (
            ("category", self.category_edit),
            ("locality", self.locality_edit),
            ("responsible_unit", self.unit_edit),
        ):
            if edit.text().strip():
                data[key] = edit.text().strip()
        accused = self.accused_field.units()
        if accused:
            data["accused_units"] = accused
        reps = []
        for r in range(self.reps_table.rowCount()):
            name, id_number, phone = (self._cell(r, c) for c in range(3))
            if name or id_number or phone:
                reps.append({"name": name, "id_number": id_number or None, "phone": phone or None})
        if reps:
            data["representatives"] = reps
        return data

    def is_filled(self) -> bool:
        """Whether the clerk has typed anything that 清空 would throw away."""
        texts = (
            self.name_edit,
            self.id_edit,
            self.phone_edit,
            self.address_edit,
            self.category_edit,
            self.locality_edit,
            self.unit_edit,
        )
        return (
            any(e.text().strip() for e in texts)
            or self.accused_field.is_filled()
            or bool(self.summary_edit.toPlainText().strip())
            or self.reps_table.rowCount() > 0
        )

    def ask_reset(self) -> None:
        """清空 or Esc: an empty form at once, or after the clerk confirms throwing away what was typed."""
        if not self.is_filled():
            self.reset()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "清空登记表",
            "表中已填写的内容将被清空，确定吗？",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.button(QMessageBox.StandardButton.Discard).setText("清空")
        box.button(QMessageBox.StandardButton.Cancel).setText("继续填写")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda result: self.reset() if result == QMessageBox.StandardButton.Discard else None)
        self.confirm_box = box
        box.open()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Ctrl+3 (or a click on the section): on an empty form the cursor waits in 姓名; a form being filled keeps
        # the field the clerk was in.
        focused = QApplication.focusWidget()
        if not self.is_filled() or focused is None or not self.isAncestorOf(focused):
            QTimer.singleShot(0, self.name_edit.setFocus)

    def reset(self) -> None:
        """An empty form with today's date (the banner of the last save stays)."""
        today = self._ctx.today()
        for edit in (
            self.name_edit,
            self.id_edit,
            self.phone_edit,
            self.address_edit,
            self.category_edit,
            self.locality_edit,
            self.unit_edit,
        ):
            edit.clear()
        self.accused_field.clear()
        self.summary_edit.clear()
        self.reps_table.setRowCount(0)
        self.channel_combo.setCurrentText(Channel.VISIT.label)
        self.purpose_combo.setCurrentIndex(0)
        self.level_combo.setCurrentText(OfficeLevel.COUNTY.label)
        self.destination_combo.setCurrentIndex(0)
        self.headcount_spin.setValue(1)
        self.abnormal_check.setChecked(False)
        self.first_check.setChecked(True)
        qtoday = QDate(today.year, today.month, today.day)
        self.received_edit.setMaximumDate(qtoday)
        self.received_edit.setDate(qtoday)
        self._channel_changed()
        for row in self.fields.values():
            row.clear_message()
        self.general_message.clear()
        self._hide_duplicates()

    # -- saving ------------------------------------------------------------------------------------------------

    def save(self) -> None:
        """Check for duplicates first; if none, register at once, otherwise let the user decide."""
        if self._saving:
            return
        refused = self.responsible_refusal()
        if refused:  # refused before anything is sent (add_case refuses it as well)
            self._show_problems([FieldProblem("responsible_unit", "责任单位", refused)])
            return
        data = self.intake_data()
        today = self._ctx.today()
        self._begin()
        self._ctx.tasks.run_db(
            lambda db: duplicate_suggestions(db, data, today=today),
            lambda found: self._duplicates_checked(data, found),
            self._save_failed,
        )

    def _begin(self) -> None:
        self._saving = True
        self.save_button.setEnabled(False)
        self.general_message.clear()
        self._progress.start()

    def _end(self) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self._progress.finish()

    def _duplicates_checked(self, data: dict[str, Any], found: list[DuplicateCandidate]) -> None:
        self._end()
        for row in self.fields.values():
            if row.has_error:
                row.clear_message()
        if found:
            self._show_duplicates(data, found)
        else:
            self._register(data)

    def _show_duplicates(self, data: dict[str, Any], found: list[DuplicateCandidate]) -> None:
        self._pending = data
        self.duplicates_box.show_candidates(found)
        self.duplicates_shown.emit(len(found))

    def _hide_duplicates(self) -> None:
        self._pending = None
        self.duplicates_box.hide()

    def _confirm_new(self) -> None:
        data = self._pending
        self._hide_duplicates()
        if data is not None:
            self._register(data)

    def _onto_original(self, number: str) -> None:
        """This visit or letter as a repeat submission of `number` (R-CL-04): no new case, its counts grow."""
        data = self._pending
        self._hide_duplicates()
        if data is None:
            return
        submission = {k: data[k] for k in SUBMISSION_KEYS if k in data}
        today, user = self._ctx.today(), self._ctx.user
        self._begin()
        self._ctx.tasks.run_db(
            lambda db: submit(db, number, submission, today=today, user=user), self._submitted, self._save_failed
        )

    def _submitted(self, outcome: SubmitOutcome) -> None:
        self._end()
        self.last_outcome = outcome
        s = outcome.submitted
        text = f"已登记为 <b>{s.number}</b> 的重复信访：累计 {s.batches} 批次、{s.person_visits} 人次"
        if s.level_skipping:
            text += f"（越级：{s.level_skipping_reason}）" if s.level_skipping_reason else "（越级）"
        if outcome.warnings:
            text += "<br>请注意：" + "；".join(dict.fromkeys(outcome.warnings))
        self.banner.setText(text)
        self.banner.setStyleSheet("background: #e8f5e9; color: #1b5e20; padding: 8px; border-radius: 4px;")
        self.banner.show()
        self.reset()
        self.name_edit.setFocus()
        self.case_saved.emit(s.number)

    def _register(self, data: dict[str, Any]) -> None:
        today = self._ctx.today()
        user = self._ctx.user
        self._begin()
        self._ctx.tasks.run_db(
            lambda db: add_case(db, data, today=today, user=user),
            self._registered,
            self._save_failed,
        )

    def _registered(self, outcome: IntakeOutcome) -> None:
        self._end()
        self.last_outcome = outcome
        reg = outcome.registered
        text = f"已登记：<b>{reg.number}</b>，状态“{reg.status.label}”"
        if reg.due_on:
            text += f"，办理期限至 {reg.due_on.isoformat()}"
        if outcome.warnings:
            text += "<br>请注意：" + "；".join(dict.fromkeys(outcome.warnings))  # each once
        self.banner.setText(text)
        self.banner.setStyleSheet("background: #e8f5e9; color: #1b5e20; padding: 8px; border-radius: 4px;")
        self.banner.show()
        self.reset()
        self.name_edit.setFocus()
        self.case_saved.emit(reg.number)

    def _save_failed(self, exc: BaseException) -> None:
        self._end()
        if isinstance(exc, ValidationError):
            self._show_problems(exc.errors)
        else:
            message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            self.general_message.setText(f"未能登记：{message}")
        self.save_failed.emit()

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        by_field: dict[str, list[FieldProblem]] = {}
        unplaced: list[FieldProblem] = []
        for p in problems:
            key = self._field_for(p.field)
            if key is None:
                unplaced.append(p)
            else:
                by_field.setdefault(key, []).append(p)
        for key, items in by_field.items():
            labels = key.startswith(("representatives", "accused_units"))
            self.fields[key].show_message("；".join(str(p) if labels else p.reason for p in items))
        first = next(iter(by_field), None)
        if first is not None:
            self.fields[first].editor.setFocus()
        summary = f"有 {len(problems)} 处需要修改，见各栏下方的红字说明。"
        if unplaced:
            summary += " " + "；".join(str(p) for p in unplaced)
        self.general_message.setText(summary)

    def _field_for(self, field: str) -> str | None:
        if field in self.fields:
            return field
        for prefix in ("representatives", "accused_units"):
            if field.startswith(prefix):
                return prefix
        if field == "first_submission":
            return "abnormal"
        return None
