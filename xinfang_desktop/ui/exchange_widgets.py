"""The parts the 上报数据包 tabs share: labels, tables, the period picker, the office key state (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from xinfang_desktop.core.duties import Span, parse_period
from xinfang_desktop.persistence.database import Database

GREEN, RED, GREY = "color: #2e7d32;", "color: #c62828;", "color: #555555;"
PACKAGE_FILTER = "上报数据包 (*.zip);;所有文件 (*)"
KEY_FILTER = "公钥文件 (*.json);;所有文件 (*)"
KINDS = (("month", "月度"), ("quarter", "季度"), ("half", "半年"), ("year", "全年"))
CANCELLED = "已取消：未生成数据包，数据库未改动"


def require_action(action: str) -> None:
    from xinfang_desktop.persistence.identity import require

    require(action)


def error_message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


def styled_label(style: str = GREY, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def plain_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_rows(table: QTableWidget, rows: list[list[str]], right: tuple[int, ...] = ()) -> None:
    """The rows as items; the columns in `right` (numbers) right-aligned."""
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def file_row(edit: QLineEdit, *buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    for button in buttons:
        row.addWidget(button)
    return row


class PeriodPicker(QWidget):
    """月度 / 季度 / 半年 / 全年, the year and which part: a period code as on the command line (2026-11, 2026Q3, …)."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_combo = QComboBox()
        for key, text in KINDS:
            self.kind_combo.addItem(text, key)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, max(today.year, 2000))
        self.year_spin.setSuffix(" 年")
        self.part_combo = QComboBox()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.kind_combo)
        row.addWidget(self.year_spin)
        row.addWidget(self.part_combo)
        row.addStretch(1)
        previous = date(today.year, today.month, 1).replace(day=1)
        year, month = (previous.year, previous.month - 1) if previous.month > 1 else (previous.year - 1, 12)
        self.year_spin.setValue(year)
        self._fill_parts()
        self.part_combo.setCurrentIndex(month - 1)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.year_spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.part_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _fill_parts(self) -> None:
        self.part_combo.blockSignals(True)
        self.part_combo.clear()
        kind = self.kind
        if kind == "month":
            for m in range(1, 13):
                self.part_combo.addItem(f"{m}月", m)
        elif kind == "quarter":
            for q, text in enumerate(("第一季度", "第二季度", "第三季度", "第四季度"), start=1):
                self.part_combo.addItem(text, q)
        elif kind == "half":
            self.part_combo.addItem("上半年", 1)
            self.part_combo.addItem("下半年", 2)
        self.part_combo.setVisible(kind != "year")
        self.part_combo.blockSignals(False)

    def _kind_changed(self, _index: int) -> None:
        self._fill_parts()
        self.changed.emit()

    def set_code(self, code: str) -> None:
        span = parse_period(code)
        kind = {"month": "month", "quarter": "quarter", "half_year": "half", "year": "year"}.get(
            span.kind.value, "month"
        )
        self.kind_combo.setCurrentIndex(next(i for i, (k, _t) in enumerate(KINDS) if k == kind))
        self.year_spin.setValue(span.start.year)
        part = {"month": span.start.month, "quarter": (span.start.month + 2) // 3, "half": 1 + (span.start.month > 6)}
        if kind in part:
            self.part_combo.setCurrentIndex(part[kind] - 1)

    def code(self) -> str:
        year, part, kind = self.year_spin.value(), self.part_combo.currentData(), self.kind
        if kind == "month":
            return f"{year}-{int(part):02d}"
        if kind == "quarter":
            return f"{year}Q{part}"
        if kind == "half":
            return f"{year}H{part}"
        return str(year)

    def span(self) -> Span:
        return parse_period(self.code())


# ------------------------------------------------------------------------------------------------ state of the keys


@dataclass(frozen=True)
class KeyState:
    """This office's key (or None) with its file, and the senders registered."""

    path: Path
    own: Any  # OfficeKey | None
    senders: list[Any]  # persistence.exchange.queries.Sender


def key_path(db: Database) -> Path:
    from xinfang_desktop.reports.exchange_keys import default_key_path

    return default_key_path(db.url)


def own_key(db: Database) -> Any:
    from xinfang_desktop.core.errors import NotFoundError
    from xinfang_desktop.reports.exchange_keys import load_key

    try:
        return load_key(key_path(db))
    except NotFoundError:
        return None


def key_state(db: Database) -> KeyState:
    from xinfang_desktop.persistence.exchange.queries import senders

    with db.read_session() as session:
        trusted = senders(session)
    return KeyState(key_path(db), own_key(db), trusted)


# ------------------------------------------------------------------------------------------------ 生成
