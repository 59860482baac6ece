"""The ledger's filter widgets (debounced search, status, channel, dates, flags, deadline, place, unit, category)."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QPushButton, QWidget

from xinfang_desktop.core.codes import OPEN_STATUSES, CaseStatus, Channel
from xinfang_desktop.core.ledger import LedgerFilter
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.date_fields import pydate
from xinfang_desktop.ui.ledger.section_part import SectionPart
from xinfang_desktop.ui.workbench_panel import CARDS, queue_filter_job

SEARCH_DEBOUNCE_MS = 200

#: Deadline states offered in the filter bar: the work queues of core/queues.py (without 我的在办事项).
DEADLINE_CHOICES = [(card.key, card.title) for card in CARDS if card.key != "mine"]

_STATUS_CHOICES: list[tuple[str, tuple[CaseStatus, ...]]] = [
    ("全部状态", ()),
    ("在办（未办结）", tuple(s for s in CaseStatus if s in OPEN_STATUSES)),
    *((s.label, (s,)) for s in CaseStatus),
]


def merge_filters(base: LedgerFilter, extra: LedgerFilter) -> LedgerFilter:
    """`base` with every field that `extra` sets (differs from the default) taken from `extra`."""
    default = LedgerFilter()
    changes = {f.name: getattr(extra, f.name) for f in fields(LedgerFilter)}
    return replace(base, **{k: v for k, v in changes.items() if v != getattr(default, k)})


def set_combo_data(combo: QComboBox, value: object) -> None:
    """Select the item carrying `value` (the first item, 全部…, when there is none)."""
    found = (i for i in range(1, combo.count()) if value is not None and combo.itemData(i) == value)
    combo.setCurrentIndex(next(found, 0))


class LedgerFilters(SectionPart):
    """Owns the filter widgets (the panel lays them out); `changed` asks for a query, `failed` reports an error."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(ctx, parent)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("搜索：编号、姓名、身份证号、电话或内容（输入后自动查询）")
        self.search_box.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        for label, statuses in _STATUS_CHOICES:
            self.status_combo.addItem(label, statuses)
        self.channel_combo = QComboBox()
        self.channel_combo.addItem("全部形式", None)
        for channel in Channel:
            # The value, not the enum: Qt hands a str subclass back as a plain str.
            self.channel_combo.addItem(channel.label, channel.value)
        today = ctx.today()
        self.date_check = QCheckBox("收到日期")
        self.date_from = QDateEdit(QDate(today.year, 1, 1))
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self.changed)
        self.date_check.toggled.connect(self._date_toggled)
        self.collective_check = QCheckBox("集体访")
        self.repeat_check = QCheckBox("重复信访")
        self.skipping_check = QCheckBox("越级")
        for check in (self.collective_check, self.repeat_check, self.skipping_check):
            check.toggled.connect(self.changed)
        self.deadline_combo = QComboBox()
        self.deadline_combo.addItem("全部期限状态", None)
        for key, title in DEADLINE_CHOICES:
            self.deadline_combo.addItem(title, key)
        self.deadline_combo.currentIndexChanged.connect(self.deadline_changed)
        self._deadline_filter = LedgerFilter()
        # 属地 (a township and its villages), 责任单位, 内容分类 (a top-level category and its subcategories):
        # filled from the database when the section starts.
        self.locality_combo = QComboBox()
        self.locality_combo.addItem("全部属地", None)
        self.unit_combo = QComboBox()
        self.unit_combo.addItem("全部责任单位", None)
        self.unit_combo.setMaximumWidth(220)
        self.category_combo = QComboBox()
        self.category_combo.addItem("全部分类", None)
        for combo in (self.locality_combo, self.unit_combo, self.category_combo):
            combo.currentIndexChanged.connect(self.changed)
        self.reset_button = QPushButton("清除筛选")

        # Each key restarts the wait, so typing a word runs one query, not one a character.
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.changed)
        self.search_box.textChanged.connect(self.debounce.start)
        self.status_combo.currentIndexChanged.connect(self.changed)
        self.channel_combo.currentIndexChanged.connect(self.changed)

    def fill_choices(self, choices: dict[str, Any]) -> None:
        """Fill the combos without a query; a selection made meanwhile (a view, a queue) is kept."""
        for combo, key in (
            (self.locality_combo, "townships"),
            (self.unit_combo, "units"),
            (self.category_combo, "categories"),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value, name in choices[key]:
                combo.addItem(name, value)
            set_combo_data(combo, current)
            combo.blockSignals(False)

    def current_filter(self, base: LedgerFilter) -> LedgerFilter:
        """`base` (a work queue's filter) narrowed by the search box and the combos."""
        text = self.search_box.text().strip()
        statuses = self.status_combo.currentData() or ()
        channel = self.channel_combo.currentData()
        dated = self.date_check.isChecked()
        flt = replace(
            base,
            search=text or None,
            statuses=tuple(statuses),
            channel=Channel(channel) if channel else None,
            received_from=pydate(self.date_from.date()) if dated else None,
            received_to=pydate(self.date_to.date()) if dated else None,
            collective=True if self.collective_check.isChecked() else None,
            repeat=True if self.repeat_check.isChecked() else None,
            level_skipping=True if self.skipping_check.isChecked() else None,
            locality_prefix=self.locality_combo.currentData() or base.locality_prefix,
            unit_id=self.unit_combo.currentData() or base.unit_id,
            category_prefix=self.category_combo.currentData() or base.category_prefix,
        )
        return merge_filters(flt, self._deadline_filter)

    def description(self) -> str:
        """The filters in force, in words, as printed under an export's title (全部 when none)."""
        parts: list[str] = []
        if self.search_box.text().strip():
            parts.append(f"搜索“{self.search_box.text().strip()}”")
        for combo in (self.status_combo, self.channel_combo, self.deadline_combo):
            if combo.currentIndex() > 0:
                parts.append(combo.currentText())
        for label, combo in (
            ("属地", self.locality_combo),
            ("责任单位", self.unit_combo),
            ("分类", self.category_combo),
        ):
            if combo.currentIndex() > 0:
                parts.append(f"{label}：{combo.currentText()}")
        if self.date_check.isChecked():
            parts.append(f"收到日期 {pydate(self.date_from.date())} 至 {pydate(self.date_to.date())}")
        for check in (self.collective_check, self.repeat_check, self.skipping_check):
            if check.isChecked():
                parts.append(check.text())
        return "；".join(parts) or "全部信访事项"

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _date_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.changed.emit()

    def deadline_changed(self) -> None:
        """A deadline state is a work queue's filter, computed on the database thread (calendar, thresholds)."""
        key = self.deadline_combo.currentData()
        if key is None:
            self._deadline_filter = LedgerFilter()
            self.changed.emit()
            return

        def done(flt: LedgerFilter) -> None:
            if self.deadline_combo.currentData() == key:
                self._deadline_filter = flt
                self.changed.emit()

        self._ctx.tasks.run_db(
            queue_filter_job(key, self._ctx.today(), self._ctx.user), done, lambda exc: self.failed.emit(str(exc))
        )

    def _widgets(self) -> tuple[QWidget, ...]:
        return (
            self.search_box,
            self.status_combo,
            self.channel_combo,
            self.date_from,
            self.date_to,
            self.date_check,
            self.collective_check,
            self.repeat_check,
            self.skipping_check,
            self.deadline_combo,
            self.locality_combo,
            self.unit_combo,
            self.category_combo,
        )

    def _block_signals(self, block: bool) -> None:
        for widget in self._widgets():
            widget.blockSignals(block)

    def reset(self) -> None:
        """Every widget back to 全部 without a query."""
        self._block_signals(True)
        self.search_box.clear()
        combos = (
            self.status_combo,
            self.channel_combo,
            self.deadline_combo,
            self.locality_combo,
            self.unit_combo,
            self.category_combo,
        )
        for combo in combos:
            combo.setCurrentIndex(0)
        for check in (self.date_check, self.collective_check, self.repeat_check, self.skipping_check):
            check.setChecked(False)
        self._block_signals(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self._deadline_filter = LedgerFilter()

    def state(self) -> dict[str, Any]:
        """The search and every filter widget as JSON (a saved view adds the sort order)."""
        dated = self.date_check.isChecked()
        return {
            "search": self.search_box.text().strip(),
            "status": self.status_combo.currentText(),
            "channel": self.channel_combo.currentData(),
            "received_from": pydate(self.date_from.date()).isoformat() if dated else None,
            "received_to": pydate(self.date_to.date()).isoformat() if dated else None,
            "collective": self.collective_check.isChecked(),
            "repeat": self.repeat_check.isChecked(),
            "level_skipping": self.skipping_check.isChecked(),
            "deadline": self.deadline_combo.currentData(),
            "locality": self.locality_combo.currentData(),
            "unit": self.unit_combo.currentData(),
            "category": self.category_combo.currentData(),
        }

    def set_state(self, state: dict[str, Any]) -> None:
        """Set the widgets from a saved view without a query (`deadline_changed` runs it afterwards)."""
        self._block_signals(True)
        self.search_box.setText(str(state.get("search") or ""))
        self.status_combo.setCurrentIndex(max(self.status_combo.findText(str(state.get("status") or "")), 0))
        set_combo_data(self.channel_combo, state.get("channel"))
        received_from, received_to = state.get("received_from"), state.get("received_to")
        dated = isinstance(received_from, str) and isinstance(received_to, str)
        if dated:
            self.date_from.setDate(QDate.fromString(str(received_from), "yyyy-MM-dd"))
            self.date_to.setDate(QDate.fromString(str(received_to), "yyyy-MM-dd"))
        self.date_check.setChecked(dated)
        self.date_from.setEnabled(dated)
        self.date_to.setEnabled(dated)
        self.collective_check.setChecked(bool(state.get("collective")))
        self.repeat_check.setChecked(bool(state.get("repeat")))
        self.skipping_check.setChecked(bool(state.get("level_skipping")))
        set_combo_data(self.deadline_combo, state.get("deadline"))
        set_combo_data(self.locality_combo, state.get("locality"))
        set_combo_data(self.unit_combo, state.get("unit"))
        set_combo_data(self.category_combo, state.get("category"))
        self._block_signals(False)
