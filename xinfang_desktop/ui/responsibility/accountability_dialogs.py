"""The dialogs of the 责任落实 section: exclude a candidate, open an accountability case from one (the profile's
grounds, pre-checked with the kind's suggestions), add a person, take a measure, record a rectification, refer the
case (the 建议书), record the organ's feedback and report the outcome. Each writes through one store call on the
database thread (StoreDialog); a refusal (DomainError.message) is shown in the dialog and nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.accountability import Measure, OrganMeasure, Responsibility, Role, Severity
from xinfang_desktop.core.grounds import GroundCatalogue
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.store_dialog import StoreDialog

NO_OUTCOME = "（不登记）"
OTHER_OUTCOMES = ("不予追责", "未予处理")


def _opt(text: str) -> str | None:
    return text.strip() or None


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def day_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def text_edit(text: str = "", height: int = 72) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field (keyboard use)
    edit.setFixedHeight(height)
    return edit


def enum_combo(labels: Sequence[str], values: Sequence[str], current: str | None = None) -> QComboBox:
    combo = QComboBox()
    for label, value in zip(labels, values, strict=True):
        combo.addItem(label, value)
    if current is not None and (i := combo.findData(current)) >= 0:
        combo.setCurrentIndex(i)
    return combo


class DismissDialog(StoreDialog):
    """排除 a candidate: the reason is required (kept in the list and the audit trail)."""

    def __init__(self, ctx: AppContext, candidate: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, "排除追责线索", parent)
        self.candidate_id = int(candidate["id"])
        summary = QLabel(candidate["summary"])
        summary.setWordWrap(True)
        self.reason_edit = text_edit()
        self.reason_edit.setPlaceholderText("必填：为何不予追责")
        self.form.addRow("线索", summary)
        self.form.addRow("排除理由", self.reason_edit)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.accountability.store import dismiss_candidate

        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            raise ValueError("请填写排除理由")
        cid, today, user = self.candidate_id, self.ctx.today(), self.ctx.user
        return lambda db: dismiss_candidate(db, cid, reason=reason, today=today, user=user)


class GroundsChecklist(QWidget):
    """The profile's grounds as a searchable check list: citation shown, full text as tooltip and under the list."""

    def __init__(self, catalogue: GroundCatalogue, checked: Sequence[str] = ()) -> None:
        super().__init__()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("按条款或内容查找")
        self.search_edit.setClearButtonEnabled(True)
        self.grounds_list = QListWidget()
        self.grounds_list.setMinimumHeight(180)
        for code, ground in catalogue.grounds.items():
            item = QListWidgetItem(f"{ground.citation()}  {ground.text}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setToolTip(ground.full_text())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in checked else Qt.CheckState.Unchecked)
            self.grounds_list.addItem(item)
        self.ground_text = QLabel()
        self.ground_text.setWordWrap(True)
        self.ground_text.setStyleSheet("color: #555555;")
        self.search_edit.textChanged.connect(self._filter)
        self.grounds_list.currentItemChanged.connect(
            lambda item, _old: self.ground_text.setText(item.toolTip() if item else "")
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.grounds_list)
        layout.addWidget(self.ground_text)
        first = next((i for i in range(self.grounds_list.count()) if self._checked(i)), 0)
        if self.grounds_list.count():
            self.grounds_list.setCurrentRow(first)

    def _checked(self, row: int) -> bool:
        return self.grounds_list.item(row).checkState() == Qt.CheckState.Checked

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.grounds_list.count()):
            item = self.grounds_list.item(i)
            item.setHidden(bool(needle) and needle not in item.toolTip().lower() and needle not in item.text().lower())

    def checked_codes(self) -> list[str]:
        return [
            str(self.grounds_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.grounds_list.count())
            if self._checked(i)
        ]

    def set_checked(self, codes: Sequence[str]) -> None:
        for i in range(self.grounds_list.count()):
            item = self.grounds_list.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class OpenDialog(StoreDialog):
    """立追责事项 from a candidate: the grounds check list pre-checked with the kind's suggested grounds; severity,
    unit and facts."""

    def __init__(
        self, ctx: AppContext, candidate: dict[str, Any], catalogue: GroundCatalogue, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "立追责事项", parent, min_width=620)
        self.candidate_id = int(candidate["id"])
        self.grounds = GroundsChecklist(catalogue, [g.code for g in catalogue.suggested(candidate["kind"])])
        self.severity_combo = enum_combo(Severity.labels(), [s.value for s in Severity])
        self.unit_edit = QLineEdit(candidate.get("unit") or "")
        self.facts_edit = text_edit(candidate["summary"], 90)
        self.form.addRow("追责线索", QLabel(f"{candidate['kind_label']}（{candidate.get('case_number') or '—'}）"))
        self.form.addRow("追责情形", self.grounds)
        self.form.addRow("情节", self.severity_combo)
        self.form.addRow("被追责单位", self.unit_edit)
        self.form.addRow("基本事实", self.facts_edit)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.accountability.store import open_accountability

        grounds = self.grounds.checked_codes()
        if not grounds:
            raise ValueError("至少选择一项追责情形")
        cid, today, user = self.candidate_id, self.ctx.today(), self.ctx.user
        facts, unit = _opt(self.facts_edit.toPlainText()), _opt(self.unit_edit.text())
        severity = str(self.severity_combo.currentData())
        return lambda db: open_accountability(
            db,
            today=today,
            grounds=grounds,
            candidate_ids=[cid],
            facts=facts,
            severity=severity,
            unit=unit,
            user=user,
        )


class EditDialog(StoreDialog):
    """修改 an accountability case while it is investigated: facts, grounds, severity and the measure proposed for
    the unit (before referral; the store refuses the facts, severity and grounds of a referred case)."""

    def __init__(
        self, ctx: AppContext, detail: dict[str, Any], catalogue: GroundCatalogue, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, f"修改追责事项（{detail['number']}）", parent, min_width=620)
        self.detail = detail
        self.before = [g["code"] for g in detail["grounds"]]
        self.grounds = GroundsChecklist(catalogue, self.before)
        self.severity_combo = enum_combo(Severity.labels(), [s.value for s in Severity], detail["severity"])
        self.organ_combo = enum_combo(
            ["（不追究单位）", *OrganMeasure.labels()],
            ["", *(m.value for m in OrganMeasure)],
            detail["organ_measure"] or "",
        )
        self.facts_edit = text_edit(detail["facts"] or "", 110)
        self.form.addRow("追责情形", self.grounds)
        self.form.addRow("情节", self.severity_combo)
        self.form.addRow("对单位的追责方式", self.organ_combo)
        self.form.addRow("基本事实", self.facts_edit)

    def change(self) -> Any:
        from xinfang_desktop.persistence.accountability.store import AccountabilityChange

        after = self.grounds.checked_codes()
        if not after:
            raise ValueError("至少选择一项追责情形")
        d = self.detail
        facts = self.facts_edit.toPlainText().strip()
        severity = str(self.severity_combo.currentData())
        organ = str(self.organ_combo.currentData())
        return AccountabilityChange(
            facts=facts if facts != (d["facts"] or "").strip() else None,
            severity=severity if severity != d["severity"] else None,
            organ_measure=organ if organ != (d["organ_measure"] or "") else None,
            add_grounds=tuple(c for c in after if c not in self.before),
            remove_grounds=tuple(c for c in self.before if c not in after),
        )

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.accountability.store import change_accountability

        number, change, today, user = self.detail["number"], self.change(), self.ctx.today(), self.ctx.user
        return lambda db: change_accountability(db, number, change, today=today, user=user)


class PersonDialog(StoreDialog):
    """添加责任人 (R-AC-04): who, where, the organ with authority over them, the responsibility they bear."""

    def __init__(self, ctx: AppContext, number: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"添加责任人（{number}）", parent)
        self.number = number
        self.name_edit = QLineEdit()
        self.post_edit = QLineEdit()
        self.unit_edit = QLineEdit(unit)
        self.authority_edit = QLineEdit()
        self.authority_edit.setPlaceholderText("有干部管理权限的机关")
        self.responsibility_combo = enum_combo(Responsibility.labels(), [r.value for r in Responsibility])
        self.role_combo = enum_combo(["（未指定）", *Role.labels()], ["", *(r.value for r in Role)])
        self.objection_check = QCheckBox("提出明确反对意见")
        self.exemption_edit = QLineEdit()
        self.exemption_edit.setPlaceholderText("尽职免责时填写理由")
        self.form.addRow("姓名", self.name_edit)
        self.form.addRow("职务", self.post_edit)
        self.form.addRow("单位", self.unit_edit)
        self.form.addRow("管理权限机关", self.authority_edit)
        self.form.addRow("责任类型", self.responsibility_combo)
        self.form.addRow("角色", self.role_combo)
        self.form.addRow("", self.objection_check)
        self.form.addRow("尽职免责理由", self.exemption_edit)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.accountability.store import PersonInput, add_person

        person = PersonInput(
            name=self.name_edit.text().strip(),
            post=self.post_edit.text().strip(),
            unit=self.unit_edit.text().strip(),
            authority=self.authority_edit.text().strip(),
            responsibility=str(self.responsibility_combo.currentData()),
            role=self.role_combo.currentData() or None,
            objection=self.objection_check.isChecked(),
            exemption=_opt(self.exemption_edit.text()),
        )
        number, today, user = self.number, self.ctx.today(), self.ctx.user
        return lambda db: add_person(db, number, person, today=today, user=user)


RECTIFY_NONE, RECTIFY_BY, RECTIFY_DAYS = "none", "by", "days"


class StepDialog(StoreDialog):
    """追责措施 for one person (R-AC-03): the measure (the suggested one preselected), the decision date, the
    rectification deadline (a date, or days from the day after the decision) and the reason for a heavier step."""

    def __init__(self, ctx: AppContext, number: str, person: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"追责措施（{person['name']}）", parent)
        self.number, self.person_id = number, int(person["id"])
        suggestion = person.get("next") or {}
        today = ctx.today()
        self.measure_combo = enum_combo(Measure.labels(), [m.value for m in Measure], suggestion.get("measure"))
        hint = QLabel(suggestion.get("reason") or "")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        self.date_edit = date_edit(today)
        self.rectify_combo = enum_combo(
            ["整改天数", "整改至（日期）", "不限期整改"], [RECTIFY_DAYS, RECTIFY_BY, RECTIFY_NONE]
        )
        self.rectify_days_spin = QSpinBox()
        self.rectify_days_spin.setRange(1, 365)
        self.rectify_days_spin.setValue(30)
        self.rectify_days_spin.setSuffix(" 日")
        self.rectify_by_edit = date_edit(today)
        self.reason_edit = text_edit(height=60)
        self.reason_edit.setPlaceholderText("越级或从重时必填")
        rectify = QHBoxLayout()
        rectify.addWidget(self.rectify_combo)
        rectify.addWidget(self.rectify_days_spin)
        rectify.addWidget(self.rectify_by_edit)
        self.rectify_combo.currentIndexChanged.connect(self._rectify_mode)
        self.measure_combo.currentIndexChanged.connect(self._measure_changed)
        self.form.addRow("追责方式", self.measure_combo)
        self.form.addRow("", hint)
        self.form.addRow("决定日期", self.date_edit)
        self.form.addRow("限期整改", rectify)
        self.form.addRow("理由", self.reason_edit)
        self._measure_changed()

    def _measure_changed(self) -> None:
        needs = Measure(str(self.measure_combo.currentData())).needs_rectification
        if needs and self.rectify_combo.currentData() == RECTIFY_NONE:
            self.rectify_combo.setCurrentIndex(0)
        elif not needs:
            self.rectify_combo.setCurrentIndex(self.rectify_combo.findData(RECTIFY_NONE))
        self._rectify_mode()

    def _rectify_mode(self) -> None:
        mode = self.rectify_combo.currentData()
        self.rectify_days_spin.setEnabled(mode == RECTIFY_DAYS)
        self.rectify_by_edit.setEnabled(mode == RECTIFY_BY)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.accountability.store import StepInput, take_step

        mode = self.rectify_combo.currentData()
        step = StepInput(
            measure=str(self.measure_combo.currentData()),
            decided_on=day_of(self.date_edit),
            rectify_by=day_of(self.rectify_by_edit) if mode == RECTIFY_BY else None,
            rectify_days=self.rectify_days_spin.value() if mode == RECTIFY_DAYS else None,
            reason=_opt(self.reason_edit.toPlainText()),
        )
        number, pid, today, user = self.number, self.person_id, self.ctx.today(), self.ctx.user
        return lambda db: take_step(db, number, pid, step, today=today, user=user)


class RectifiedDialog(StoreDialog):
    """已整改: the person completed the rectification of their last measure on a day."""

    def __init__(self, ctx: AppContext, number: str, person: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记整改完成（{person['name']}）", parent)
        self.number, self.person_id = number, int(person["id"])
        self.date_edit = date_edit(ctx.today())
        self.form.addRow("完成整改日期", self.date_edit)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.accountability.store import record_rectified

        number, pid, on, today, user = (
            self.number,
            self.person_id,
            day_of(self.date_edit),
            self.ctx.today(),
            self.ctx.user,
        )
        return lambda db: record_rectified(db, number, pid, on=on, today=today, user=user)


class ListEditor(QWidget):
    """A small editable list of lines (materials, copies): a line edit, 添加 and 删除."""

    def __init__(self, items: Sequence[str] = (), placeholder: str = "") -> None:
        super().__init__()
        self.list = QListWidget()
        self.list.setFixedHeight(84)
        self.list.addItems(list(items))
        self.line = QLineEdit()
        self.line.setPlaceholderText(placeholder)
        self.add_button = QPushButton("添加")
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton("删除")
        self.remove_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_current)
        self.line.returnPressed.connect(self.add_current)
        self.remove_button.clicked.connect(self._remove)
        row = QHBoxLayout()
        row.addWidget(self.line, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)

    def add_current(self) -> None:
        if text := self.line.text().strip():
            self.list.addItem(text)
            self.line.clear()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def items(self) -> tuple[str, ...]:
        return tuple(self.list.item(i).text() for i in range(self.list.count()))


class ReferDialog(StoreDialog):
    """移送 to the organ with authority: issues the numbered 责任追究建议书 and sets the feedback deadline."""

    def __init__(self, ctx: AppContext, detail: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"移送（{detail['number']}）", parent, min_width=520)
        self.number = detail["number"]
        authorities = list(dict.fromkeys(p["authority"] for p in detail["persons"] if p.get("authority")))
        self.organ_edit = QLineEdit(authorities[0] if authorities else "")
        self.date_edit = date_edit(ctx.today())
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 365)
        self.days_spin.setValue(30)
        self.days_spin.setSuffix(" 日")
        self.materials = ListEditor(placeholder="移送材料，回车添加")
        self.copies = ListEditor(detail.get("copy_to") or (), "抄送机关，回车添加")
        self.form.addRow("移送机关", self.organ_edit)
        self.form.addRow("移送日期", self.date_edit)
        self.form.addRow("书面反馈期限", self.days_spin)
        self.form.addRow("移送材料", self.materials)
        self.form.addRow("抄送", self.copies)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.documents.accountability_documents import refer

        organ = self.organ_edit.text().strip()
        if not organ:
            raise ValueError("请填写移送机关")
        number, on, today, user = self.number, day_of(self.date_edit), self.ctx.today(), self.ctx.user
        days, materials, copies = self.days_spin.value(), self.materials.items(), self.copies.items()
        return lambda db: refer(
            db,
            number,
            to_organ=organ,
            on=on,
            today=today,
            feedback_days=days,
            materials=materials,
            copy_to=copies,
            user=user,
        )


class FeedbackDialog(StoreDialog):
    """登记反馈 (R-AC-05): the organ's written feedback and, per person, the measure actually taken."""

    def __init__(self, ctx: AppContext, detail: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"登记处理结果反馈（{detail['number']}）", parent, min_width=560)
        self.number = detail["number"]
        self.date_edit = date_edit(ctx.today())
        self.outcome_edit = text_edit()
        self.document_edit = QLineEdit()
        self.document_edit.setPlaceholderText("反馈文号")
        self.person_ids = [int(p["id"]) for p in detail["persons"]]
        self.outcomes_table = QTableWidget(len(self.person_ids), 3)
        self.outcomes_table.setHorizontalHeaderLabels(["姓名", "职务", "处理结果"])
        self.outcomes_table.verticalHeader().setVisible(False)
        self.outcomes_table.horizontalHeader().setStretchLastSection(True)
        self.outcome_combos: list[QComboBox] = []
        choices = [NO_OUTCOME, *Measure.labels(), *OTHER_OUTCOMES]
        for row, p in enumerate(detail["persons"]):
            for column, text in enumerate((p["name"], p["post"])):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.outcomes_table.setItem(row, column, item)
            combo = QComboBox()
            combo.addItems(choices)
            last = p["steps"][-1]["measure_label"] if p["steps"] else None
            if last:
                combo.setCurrentText(last)
            self.outcomes_table.setCellWidget(row, 2, combo)
            self.outcome_combos.append(combo)
        self.outcomes_table.setFixedHeight(min(200, 30 + 30 * max(1, len(self.person_ids))))
        self.form.addRow("反馈日期", self.date_edit)
        self.form.addRow("处理结果", self.outcome_edit)
        self.form.addRow("文号", self.document_edit)
        self.form.addRow("责任人处理结果", self.outcomes_table)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.accountability.store import Outcome, record_feedback

        outcomes = [
            Outcome(pid, combo.currentText())
            for pid, combo in zip(self.person_ids, self.outcome_combos, strict=True)
            if combo.currentText() != NO_OUTCOME
        ]
        text, doc = self.outcome_edit.toPlainText().strip(), _opt(self.document_edit.text())
        number, on, today, user = self.number, day_of(self.date_edit), self.ctx.today(), self.ctx.user
        return lambda db: record_feedback(
            db, number, on=on, outcome=text, document=doc, outcomes=outcomes, today=today, user=user
        )


class ReportDialog(StoreDialog):
    """通报组织部门 (S1 art 18): issues the 追责情况通报 and closes the case."""

    def __init__(self, ctx: AppContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"通报组织人事部门（{number}）", parent)
        self.number = number
        self.organ_edit = QLineEdit()
        self.organ_edit.setPlaceholderText("如：中共示范县委组织部")
        self.date_edit = date_edit(ctx.today())
        self.form.addRow("通报机关", self.organ_edit)
        self.form.addRow("通报日期", self.date_edit)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.documents.accountability_documents import report

        organ = self.organ_edit.text().strip()
        if not organ:
            raise ValueError("请填写通报机关")
        number, on, today, user = self.number, day_of(self.date_edit), self.ctx.today(), self.ctx.user
        return lambda db: report(db, number, to=organ, on=on, today=today, user=user)


__all__ = [
    "DismissDialog",
    "FeedbackDialog",
    "ListEditor",
    "OpenDialog",
    "PersonDialog",
    "RectifiedDialog",
    "ReferDialog",
    "ReportDialog",
    "StepDialog",
]
