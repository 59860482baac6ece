"""The forms of 职责落实: 登记职责落实 (the kind, the day, the subject, for a leader the place visited with his 联系点
first, participants, topic, minutes) and 作废 with a reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.date_fields import qdate
from xinfang_desktop.ui.searchable_combo import make_searchable
from xinfang_desktop.ui.store_dialog import StoreDialog

#: The parts of a year the picker offers, with the period code they add to the year.
PERIOD_PARTS: tuple[tuple[str, str], ...] = (
    ("全年", ""),
    ("上半年", "H1"),
    ("下半年", "H2"),
    ("第一季度", "Q1"),
    ("第二季度", "Q2"),
    ("第三季度", "Q3"),
    ("第四季度", "Q4"),
    *((f"{m}月", f"-{m:02d}") for m in range(1, 13)),
)
CONTACT_MARK = "（联系点）"
SUBJECT_LABELS = {"units": "县直单位", "townships": "乡镇（街道）", "leaders": "领导"}


class RecordDialog(StoreDialog):
    """登记职责落实: the kind (label, requirement and citation), the day (not after today), the subject the kind
    asks for (a 县直单位, a 乡镇（街道） or a leader of the kind's level; searchable), the body or meeting,
    participants, topic, and the minutes file chosen with a file dialog (stored as an attachment)."""

    def __init__(
        self,
        ctx: AppContext,
        choices: dict[str, Any],
        parent: QWidget | None = None,
        *,
        kind: str | None = None,
        subject: str | None = None,
    ) -> None:
        super().__init__(ctx, "登记职责落实", parent, min_width=720)
        self.choices = choices
        self.kinds: list[dict[str, Any]] = list(choices["kinds"])
        self.minutes: Path | None = None
        self.kind_combo = QComboBox()
        for k in self.kinds:
            self.kind_combo.addItem(f"{k['label']} — {k['citation']}", k["kind"])
            self.kind_combo.setItemData(self.kind_combo.count() - 1, k["citation"], Qt.ItemDataRole.ToolTipRole)
        self.requirement_label = QLabel()
        self.requirement_label.setStyleSheet("color: #555555;")
        today = ctx.today()
        self.date_edit = QDateEdit(qdate(today))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(qdate(today))
        self.subject_label = QLabel("对象")
        self.subject_combo = QComboBox()
        make_searchable(self.subject_combo)
        self.subject_combo.setMinimumContentsLength(24)
        self.contact_label = QLabel("所到单位")
        self.contact_combo = QComboBox()
        make_searchable(self.contact_combo)
        self.contact_combo.setMinimumContentsLength(24)
        self.contact_combo.setToolTip("领导所到的乡镇或单位；该领导本年度的联系点排在前面，到联系点督导才计入")
        self.body_edit = QLineEdit()
        self.participants_edit = QPlainTextEdit()
        self.participants_edit.setTabChangesFocus(True)
        self.participants_edit.setFixedHeight(56)
        self.participants_edit.setPlaceholderText("如：县委书记、县长及常委会组成人员")
        self.topic_edit = QLineEdit()
        self.topic_edit.setPlaceholderText("议题或主要内容")
        self.minutes_edit = QLineEdit()
        self.minutes_edit.setReadOnly(True)
        self.minutes_edit.setPlaceholderText("未选择（可不附）")
        self.minutes_button = QPushButton("选择文件…")
        self.minutes_button.clicked.connect(self.choose_minutes)
        self.clear_minutes_button = QPushButton("清除")
        self.clear_minutes_button.clicked.connect(lambda: self.set_minutes(None))
        minutes_row = QHBoxLayout()
        minutes_row.addWidget(self.minutes_edit, 1)
        minutes_row.addWidget(self.minutes_button)
        minutes_row.addWidget(self.clear_minutes_button)
        self.form.addRow("职责", self.kind_combo)
        self.form.addRow("", self.requirement_label)
        self.form.addRow("开展日期", self.date_edit)
        self.form.addRow(self.subject_label, self.subject_combo)
        self.form.addRow(self.contact_label, self.contact_combo)
        self.form.addRow("开展机关（会议）", self.body_edit)
        self.form.addRow("参加人员", self.participants_edit)
        self.form.addRow("议题", self.topic_edit)
        self.form.addRow("会议纪要", minutes_row)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.subject_combo.currentIndexChanged.connect(self._fill_places)
        self.date_edit.dateChanged.connect(self._fill_places)
        if kind is not None and (i := self.kind_combo.findData(kind)) >= 0:
            self.kind_combo.setCurrentIndex(i)
        self._kind_changed()
        if subject:
            self.set_subject(subject)

    def kind(self) -> dict[str, Any] | None:
        i = self.kind_combo.currentIndex()
        return self.kinds[i] if 0 <= i < len(self.kinds) else None

    def _kind_changed(self) -> None:
        k = self.kind()
        if k is None:
            return
        self.error_label.hide()
        self.requirement_label.setText(f"{k['applies_to_label']}{k['requirement']}（{k['rule']}）")
        self.requirement_label.setToolTip(k["citation"])
        applies = k["applies_to"]
        self.subject_combo.clear()
        if applies == "units":
            for name in self.choices["units"]:
                self.subject_combo.addItem(name, name)
        elif applies == "townships":
            for name in self.choices["townships"]:
                self.subject_combo.addItem(name, name)
        elif applies == "leaders":
            level = k.get("leader_level")
            for ld in self.choices["leaders"]:
                if level is None or ld["level"] == level:
                    self.subject_combo.addItem(ld["label"], str(ld["id"]))
        self.subject_combo.setCurrentIndex(-1)
        self.subject_combo.setEditText("")
        has_subject = applies != "county"
        self.subject_label.setText(SUBJECT_LABELS.get(applies, "对象"))
        self.subject_label.setVisible(has_subject)
        self.subject_combo.setVisible(has_subject)
        if (line := self.subject_combo.lineEdit()) is not None:
            line.setPlaceholderText(f"输入以查找{SUBJECT_LABELS.get(applies, '')}")
        self.contact_label.setVisible(applies == "leaders")
        self.contact_combo.setVisible(applies == "leaders")
        self._fill_places()
        self.body_edit.setPlaceholderText(f"默认：{k['body']}" if k.get("body") else "默认：所选对象")

    def contact_points(self) -> list[str]:
        """The chosen leader's contact points in the year of the chosen day."""
        k = self.kind()
        if k is None or k["applies_to"] != "leaders":
            return []
        leader = self.subject_value()
        by_year = self.choices.get("contact_points", {}).get(str(leader), {}) if leader else {}
        return list(by_year.get(str(self.date_edit.date().year()), []))

    def _fill_places(self, *_args: object) -> None:
        """所到单位: the leader's contact points first (marked), then every township and unit."""
        typed = self.contact_combo.currentText()
        points = self.contact_points()
        self.contact_combo.blockSignals(True)
        self.contact_combo.clear()
        self.contact_combo.addItem("", "")
        for name in points:
            self.contact_combo.addItem(name + CONTACT_MARK, name)
        for name in self.choices.get("places", self.choices["units"]):
            if name not in points:
                self.contact_combo.addItem(name, name)
        chosen = self.contact_combo.findText(typed) if typed else -1
        if chosen < 0 and len(points) == 1 and not typed:
            chosen = 1  # one contact point: it is where the leader most likely went
        self.contact_combo.setCurrentIndex(max(chosen, 0))
        self.contact_combo.blockSignals(False)

    def place_value(self) -> str | None:
        text = self.contact_combo.currentText().strip()
        if not text:
            return None
        i = self.contact_combo.findText(text)
        return str(self.contact_combo.itemData(i)) if i >= 0 else text

    def set_subject(self, text: str) -> None:
        """Select the subject whose item text is `text` (or type it)."""
        i = self.subject_combo.findText(text)
        if i >= 0:
            self.subject_combo.setCurrentIndex(i)
        else:
            self.subject_combo.setEditText(text)

    def subject_value(self) -> str | None:
        """The selected item's value (a leader's id), or the typed text when it names no item."""
        text = self.subject_combo.currentText().strip()
        if not text:
            return None
        i = self.subject_combo.findText(text)
        return str(self.subject_combo.itemData(i)) if i >= 0 else text

    def choose_minutes(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "选择会议纪要", "", "会议纪要 (*.pdf *.doc *.docx *.ofd *.jpg *.jpeg *.png *.tif);;所有文件 (*)"
        )
        if path:
            self.set_minutes(Path(path))

    def set_minutes(self, path: Path | None) -> None:
        self.minutes = path
        self.minutes_edit.setText(path.name if path else "")
        self.minutes_edit.setToolTip(str(path) if path else "")

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.duties.store import DutyInput, record_duty

        k = self.kind()
        if k is None:
            raise ValueError("规则配置中没有可登记的职责")
        applies = k["applies_to"]
        subject = self.subject_value()
        if applies != "county" and subject is None:
            raise ValueError(f"请选择{SUBJECT_LABELS[applies]}")
        d = self.date_edit.date()
        contact = (self.place_value() or "") if applies == "leaders" else ""
        inp = DutyInput(
            kind=k["kind"],
            held_on=date(d.year(), d.month(), d.day()),
            body=self.body_edit.text().strip() or None,
            unit=subject if applies == "units" else (contact or None),
            township=subject if applies == "townships" else None,
            leader=subject if applies == "leaders" else None,
            participants=self.participants_edit.toPlainText().strip() or None,
            topic=self.topic_edit.text().strip() or None,
            minutes=self.minutes,
        )
        today, user = self.ctx.today(), self.ctx.user
        return lambda db: record_duty(db, inp, today=today, user=user)


class VoidDialog(StoreDialog):
    """作废 a record entered in error: the reason is required; the record stays on file, marked, and counts no more."""

    def __init__(self, ctx: AppContext, record: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(ctx, "作废职责落实记录", parent)
        self.record_id = int(record["id"])
        summary = QLabel(f"{record['held_on']} {record['kind_label']}｜{record['subject']}｜{record['body']}")
        summary.setWordWrap(True)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(72)
        self.reason_edit.setPlaceholderText("必填：为何作废（如误登记）")
        note = QLabel("作废后记录保留（可勾选“显示已作废”查看），不再计入落实情况。")
        note.setStyleSheet("color: #555555;")
        self.form.addRow("记录", summary)
        self.form.addRow("作废理由", self.reason_edit)
        self.form.addRow("", note)

    def job(self) -> Callable[[Database], Any]:
        from xinfang_desktop.persistence.duties.store import void_duty

        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            raise ValueError("请填写作废理由")
        record_id, user = self.record_id, self.ctx.user
        return lambda db: void_duty(db, record_id, reason=reason, user=user)


__all__ = ["RecordDialog", "VoidDialog"]
