"""One lifecycle action on a case, in a dialog that asks for exactly that action's parameters.

The state machine (`core/lifecycle`) decides what is allowed and what each parameter must be; this dialog only
offers the fields, checks that required ones are filled, says which document the step produces, runs `act` on
the database thread and shows a refusal (the DomainError's Chinese message) without closing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.core.accusation_guard import RULE_ID, AccusedScope, refusal
from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.codes import Outcome, ReviewOutcome, Satisfaction
from xinfang_desktop.core.lifecycle import DOCUMENTS, ActionRequest
from xinfang_desktop.core.lifecycle_model import ASSIGN_MODES, DEFAULT_SUPERVISION_DAYS, PROGRESS_KINDS
from xinfang_desktop.core.litigation_separation import judicial_unit_warning
from xinfang_desktop.persistence.case_versions import CaseMark
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.errors import ConcurrentEditError
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.date_fields import qdate

_A = CaseAction

# Labels of the document types the steps produce (the documents registry has them too, but importing it loads
# all 18 type modules; these names are fixed by the 信访工作条例's forms).
DOCUMENT_LABELS = {
    "acceptance_notice": "受理告知书",
    "decline_notice": "不予受理告知书",
    "refuse_again_notice": "不再受理告知书",
    "transfer_letter": "转送函",
    "assignment_form": "交办单",
    "supervision_form": "督办单",
    "urge_notice": "催办通知",
    "extension_notice": "延期告知书",
    "handling_opinion": "处理意见书",
    "review_opinion": "复查意见书",
    "final_review_opinion": "复核意见书",
    "delivery_receipt": "送达回证",
}


@dataclass(frozen=True)
class Field:
    """One parameter: `key` is the ActionRequest attribute, `kind` the editor."""

    key: str
    label: str
    kind: str  # "unit" | "units" | "text" | "line" | "days" | "choice"
    required: bool = False
    choices: tuple[str, ...] = ()
    default: int | None = None
    maximum: int = 365
    hint: str = ""


_REASON = Field("reason", "说明", "text", hint="可不填，默认按该步骤的常用表述记录")


def _reason(hint: str) -> Field:
    return Field("reason", "理由", "text", required=True, hint=hint)


#: The parameters of each action (README, "The lifecycle (`case act`)").
FIELDS: dict[CaseAction, tuple[Field, ...]] = {
    _A.ACCEPT: (
        Field("unit", "承办单位", "unit", hint="不选则为转送、交办的接收单位"),
        Field("units", "协办单位", "units"),
        _REASON,
    ),
    _A.SIMPLIFIED_ACCEPT: (Field("unit", "承办单位", "unit"), _REASON),
    _A.DECLINE: (
        _reason("写明不予受理的理由，并告知信访人应当通过的法定途径（R-LC-09）"),
        Field("unit", "告知其向何单位提出", "unit"),
    ),
    _A.REFUSE_AGAIN: (
        _reason("写明所依据的原处理、复查或复核意见（R-LC-03）"),
        Field("number", "原意见文号", "line"),
    ),
    _A.FORWARD: (Field("unit", "转送单位", "unit", required=True), Field("number", "转送文号", "line"), _REASON),
    _A.ASSIGN: (
        Field("unit", "交办单位", "unit", required=True),
        Field("mode", "交办方式", "choice", required=True, choices=ASSIGN_MODES),
        Field("days", "办理期限（日）", "days", required=True, default=30, hint="由交办机关确定（R-DL-05）"),
        Field("number", "交办文号", "line"),
        _REASON,
    ),
    _A.RECEIPT: (_REASON,),
    _A.OBJECT: (_reason("说明不属于本机关职权范围的理由（R-DL-04）"),),
    _A.PROGRESS: (
        Field("mode", "进展类别", "choice", required=True, choices=PROGRESS_KINDS),
        Field("unit", "相关单位", "unit"),
        _REASON,
    ),
    _A.EXTEND: (
        Field("days", "延长天数", "days", required=True, default=30, maximum=30, hint="只能延期一次，最多30日"),
        _reason("写明延期理由，并告知信访人（R-DL-07）"),
        Field("approver", "批准人", "line", required=True, hint="本机关负责人"),
    ),
    _A.HEARING_START: (_REASON,),
    _A.HEARING_END: (_REASON,),
    _A.CONCLUDE: (
        Field("outcome", "处理意见", "choice", required=True, choices=tuple(o.label for o in Outcome)),
        Field("unit", "承办单位", "unit"),
        _REASON,
    ),
    _A.SIMPLIFIED_CONCLUDE: (
        Field("outcome", "处理意见", "choice", required=True, choices=tuple(o.label for o in Outcome)),
        Field("unit", "承办单位", "unit"),
        _REASON,
    ),
    _A.DELIVER: (_REASON,),
    _A.RATE: (Field("rating", "满意度", "choice", required=True, choices=tuple(s.label for s in Satisfaction)),),
    _A.REQUEST_REVIEW: (_REASON,),
    _A.REQUEST_FINAL_REVIEW: (_REASON,),
    _A.REVIEW_DECISION: (
        Field("outcome", "复查意见", "choice", required=True, choices=tuple(o.label for o in ReviewOutcome)),
        _REASON,
    ),
    _A.FINAL_REVIEW_DECISION: (
        Field("outcome", "复核意见", "choice", required=True, choices=tuple(o.label for o in ReviewOutcome)),
        _REASON,
    ),
    _A.SUPERVISE: (
        _reason("写明督办事由"),
        Field("days", "督办期限（日）", "days", default=DEFAULT_SUPERVISION_DAYS),
        Field("unit", "被督办单位", "unit", hint="不选则为承办单位"),
    ),
    _A.URGE: (_REASON,),
    _A.CLOSE: (_REASON,),
}


#: The steps that hand the case to the unit chosen (R-LC-07: never the accused unit nor a unit under it).
GUARDED = frozenset(
    {_A.ACCEPT, _A.SIMPLIFIED_ACCEPT, _A.FORWARD, _A.ASSIGN, _A.CONCLUDE, _A.SIMPLIFIED_CONCLUDE, _A.SUPERVISE}
)


def scope_job(number: str) -> Callable[[Database], AccusedScope]:
    def job(db: Database) -> AccusedScope:
        from xinfang_desktop.persistence.units import case_scope

        return case_scope(db, number)

    return job


def document_of(action: CaseAction) -> str | None:
    """The document type the step produces, or None."""
    return DOCUMENTS.get(action)


def units_job(db: Database) -> list[str]:
    from xinfang_desktop.persistence.units import list_units

    return [str(u["name"]) for u in list_units(db)]


def act_job(
    number: str, request: ActionRequest, today: date, user: str, expected: CaseMark | None = None
) -> Callable[[Database], Any]:
    def job(db: Database) -> Any:
        from xinfang_desktop.persistence.lifecycle_store import act

        return act(db, number, request, today=today, user=user, expected=expected)

    return job


class ActionDialog(QDialog):
    """Asks for one action's parameters; `acted(outcome, issue_document)` when the state machine accepted it."""

    acted = Signal(object, bool)
    # Issue 17: another workstation changed the case since the window read it; the window shows who and what and
    # reloads (the dialog closes: its choices were made on the old state).
    conflicted = Signal(str)

    def __init__(
        self, ctx: AppContext, number: str, action: CaseAction, units: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.number = number
        self.action = action
        self.outcome: Any = None
        self.expected: CaseMark | None = None  # the case as the window showed it (set by the case window)
        self.editors: dict[str, QWidget] = {}
        self.setWindowTitle(f"{action.label} — {number}")
        self.setMinimumWidth(560)

        today = ctx.today()
        intro = QLabel(f"<b>{action.label}</b>：信访事项 {number}")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.date_edit = QDateEdit(qdate(today))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(qdate(today))
        form.addRow("办理日期：", self.date_edit)
        for spec in FIELDS.get(action, (_REASON,)):
            editor = self._editor(spec, units)
            self.editors[spec.key] = editor
            label = spec.label + ("（必填）" if spec.required else "") + "："
            if spec.hint and isinstance(editor, QPlainTextEdit):
                editor.setPlaceholderText(spec.hint)
                form.addRow(label, editor)
            elif spec.hint:
                box = QWidget()
                inner = QVBoxLayout(box)
                inner.setContentsMargins(0, 0, 0, 0)
                inner.setSpacing(2)
                inner.addWidget(editor)
                hint = QLabel(spec.hint)
                hint.setStyleSheet("color: #666666; font-size: 9pt;")
                inner.addWidget(hint)
                form.addRow(label, box)
            else:
                form.addRow(label, editor)

        document = document_of(action)
        self.issue_check: QCheckBox | None = None
        self.document_label = QLabel()
        self.document_label.setWordWrap(True)
        if document is not None:
            name = DOCUMENT_LABELS.get(document, document)
            self.document_label.setText(f"这一步产生文书：<b>{name}</b>。")
            self.issue_check = QCheckBox(f"办理后出具{name}（PDF，由事项信息生成）")
            self.issue_check.setChecked(True)
        else:
            self.document_label.setText("这一步不产生文书。")
        self.document_label.setStyleSheet("color: #1565c0;")

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.unit_warning = QLabel()  # a court or procuratorate chosen as the unit: a warning, not a refusal
        self.unit_warning.setWordWrap(True)
        self.unit_warning.setStyleSheet("color: #b26a00;")
        self.unit_warning.hide()
        self.guard_label = QLabel()  # the accused unit or one under it chosen: refused before it is sent (R-LC-07)
        self.guard_label.setWordWrap(True)
        self.guard_label.setStyleSheet("color: #c62828; font-weight: bold;")
        self.guard_label.setToolTip(f"{RULE_ID}：检举控告材料不得转给被检举控告的单位及其下属单位")
        self.guard_label.hide()
        self.scope: AccusedScope = AccusedScope({})

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"确定{action.label}")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.document_label)
        if self.issue_check is not None:
            layout.addWidget(self.issue_check)
        layout.addWidget(self.unit_warning)
        layout.addWidget(self.guard_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._validate()
        if action in GUARDED:
            ctx.tasks.run_db(scope_job(number), self._set_scope, lambda _exc: None)  # act() refuses in any case

    def _set_scope(self, scope: AccusedScope) -> None:
        if not shiboken6.isValid(self):  # closed before the scope arrived
            return
        self.scope = scope
        self._validate()

    @property
    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _editor(self, spec: Field, units: list[str]) -> QWidget:
        editor: QWidget
        if spec.kind == "unit":
            combo = QComboBox()
            combo.setEditable(False)
            combo.addItem("（请选择）" if spec.required else "（不指定）", None)
            for name in units:
                combo.addItem(name, name)
            combo.currentIndexChanged.connect(self._validate)
            if not units:
                combo.setToolTip("尚未登记任何单位：请系统管理员先登记本地的单位")
            editor = combo
        elif spec.kind == "units":
            lst = QListWidget()
            lst.setMaximumHeight(110)
            for name in units:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                lst.addItem(item)
            lst.itemChanged.connect(self._validate)
            editor = lst
        elif spec.kind == "choice":
            combo = QComboBox()
            if spec.required and spec.key in ("outcome", "rating"):
                combo.addItem("（请选择）", None)
            for choice in spec.choices:
                combo.addItem(choice, choice)
            combo.currentIndexChanged.connect(self._validate)
            editor = combo
        elif spec.kind == "days":
            spin = QSpinBox()
            spin.setRange(1, spec.maximum)
            spin.setValue(spec.default or 1)
            spin.setSuffix(" 日")
            editor = spin
        elif spec.kind == "line":
            line = QLineEdit()
            line.textChanged.connect(self._validate)
            editor = line
        else:
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(72)
            text.textChanged.connect(self._validate)
            editor = text
        editor.setObjectName(spec.key)
        return editor

    # -- values --------------------------------------------------------------------------------------------

    def _value(self, key: str) -> Any:
        editor = self.editors.get(key)
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QListWidget):
            return tuple(
                editor.item(i).text()
                for i in range(editor.count())
                if editor.item(i).checkState() == Qt.CheckState.Checked
            )
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QLineEdit):
            return editor.text().strip() or None
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText().strip() or None
        return None

    def missing(self) -> list[str]:
        """Labels of required parameters still empty."""
        return [
            spec.label
            for spec in FIELDS.get(self.action, ())
            if spec.required and spec.kind != "days" and not self._value(spec.key)
        ]

    def guard_refusal(self) -> str | None:
        """Why a chosen unit may not have the case (the accused unit or one under it), or None."""
        if not self.scope or self.action not in GUARDED:
            return None
        for spec in FIELDS.get(self.action, ()):
            if spec.kind not in ("unit", "units"):
                continue
            value = self._value(spec.key)
            for unit in (value,) if isinstance(value, str) else value or ():
                why = refusal(self.scope, unit, role=spec.label)
                if why:
                    return why
        return None

    def _validate(self) -> None:
        missing = self.missing()
        refused = self.guard_refusal()
        self.ok_button.setEnabled(not missing and refused is None)
        self.ok_button.setToolTip(("请填写：" + "、".join(missing)) if missing else refused or "")
        self.guard_label.setText(f"不能{self.action.label}：{refused}" if refused else "")
        self.guard_label.setVisible(refused is not None)
        unit = self._value("unit") if "unit" in self.editors else None
        judicial = judicial_unit_warning(unit if isinstance(unit, str) else None)  # 诉访分离 (R-LC-09)
        self.unit_warning.setText(judicial or "")
        self.unit_warning.setVisible(bool(judicial))

    def request(self) -> ActionRequest:
        d = self.date_edit.date()
        values: dict[str, Any] = {}
        for key in self.editors:
            value = self._value(key)
            if value is not None and value != ():
                values[key] = value
        return ActionRequest(self.action, date(d.year(), d.month(), d.day()), **values)

    # -- running -------------------------------------------------------------------------------------------

    def submit(self) -> None:
        if self.missing():
            self.show_error("请填写：" + "、".join(self.missing()))
            return
        if self.guard_refusal():  # the red explanation above the buttons says why (R-LC-07)
            self._validate()
            return
        self.ok_button.setEnabled(False)
        self.error_label.hide()
        self._ctx.tasks.run_db(
            act_job(self.number, self.request(), self._ctx.today(), self._ctx.user, self.expected),
            self._done,
            self._failed,
        )

    def _done(self, outcome: Any) -> None:
        self.outcome = outcome
        issue = self.issue_check is not None and self.issue_check.isChecked() and outcome.document is not None
        self.acted.emit(outcome, issue)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConcurrentEditError):
            self.conflicted.emit(exc.message)
            self.reject()
            return
        self.ok_button.setEnabled(True)
        self.show_error(str(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
