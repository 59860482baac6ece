"""The 工作台 section: today's work queues with counts; a click opens the ledger on that queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget
from sqlalchemy import func, select

from xinfang_desktop.core.codes import OPEN_STATUSES, CaseStatus
from xinfang_desktop.core.ledger import LedgerFilter
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.ledger_queries import filter_conditions, ledger_count
from xinfang_desktop.persistence.records import CaseRecord
from xinfang_desktop.ui.context import AppContext

DUE_SOON_DAYS = 3
OPEN_FILTER = LedgerFilter(statuses=tuple(s for s in CaseStatus if s in OPEN_STATUSES))


@dataclass(frozen=True)
class Queue:
    key: str
    title: str
    explanation: str
    colour: str


QUEUES = (
    Queue("open", "在办信访事项", "尚未办结的全部信访事项", "#1565c0"),
    Queue("due_soon", f"{DUE_SOON_DAYS}日内到期", f"在办且期限在今后{DUE_SOON_DAYS}日内（含今日）届满", "#e65100"),
    Queue("overdue", "已超期", "在办且期限已过", "#c62828"),
    Queue("under_review", "待决定是否受理", "状态为“受理申请审查中”", "#2e7d32"),
)


def _due_count(db: Database, flt: LedgerFilter, low: date | None, high: date | None) -> int:
    # LedgerFilter has no deadline range yet; until it has, the condition is added here (asked the lead).
    with db.read_session() as session:
        conds = filter_conditions(session, flt)
        if low is not None:
            conds.append(CaseRecord.due_on >= low)
        if high is not None:
            conds.append(CaseRecord.due_on <= high)
        return int(session.scalar(select(func.count()).select_from(CaseRecord).where(*conds)) or 0)


def counts_job(today: date) -> Any:
    def job(db: Database) -> dict[str, int]:
        with db.read_session() as session:
            open_count = ledger_count(session, OPEN_FILTER)
            review = ledger_count(session, LedgerFilter(statuses=(CaseStatus.UNDER_REVIEW,)))
        return {
            "open": open_count,
            "due_soon": _due_count(db, OPEN_FILTER, today, today + timedelta(days=DUE_SOON_DAYS)),
            "overdue": _due_count(db, OPEN_FILTER, None, today - timedelta(days=1)),
            "under_review": review,
        }

    return job


class QueueCard(QPushButton):
    """A clickable card: the queue's name above its count in large digits."""

    def __init__(self, queue: Queue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self.setToolTip(queue.explanation + "；点击在台账中查看")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(112)
        self.setMaximumWidth(300)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "QPushButton { border: 1px solid #d0d7de;"
            f" border-top: 5px solid {queue.colour}; border-radius: 6px; background: #ffffff; }}"
            "QPushButton:hover { background: #f3f6fa; }"
        )
        self.title_label = QLabel(queue.title)
        self.title_label.setStyleSheet("color: #333333; font-size: 11pt; background: transparent;")
        self.count_label = QLabel()
        self.count_label.setStyleSheet(
            f"color: {queue.colour}; font-size: 24pt; font-weight: bold; background: transparent;"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        for label in (self.title_label, self.count_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        self.set_count(None)

    def set_count(self, count: int | None) -> None:
        self.count_label.setText("…" if count is None else f"{count:,}")

    @property
    def count_text(self) -> str:
        return self.count_label.text()


class WorkbenchPanel(QWidget):
    """Counts are loaded on the database thread each time `refresh` is called."""

    queue_activated = Signal(str)
    counts_loaded = Signal(dict)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.counts: dict[str, int] = {}
        self.cards: dict[str, QueueCard] = {}
        self.heading = QLabel("<h2>工作台</h2>")
        self.date_label = QLabel()
        self.date_label.setStyleSheet("color: #555555;")
        grid = QGridLayout()
        grid.setSpacing(16)
        grid.setAlignment(Qt.AlignmentFlag.AlignLeft)
        for i, queue in enumerate(QUEUES):
            card = QueueCard(queue)
            card.clicked.connect(lambda _checked=False, k=queue.key: self.queue_activated.emit(k))
            grid.addWidget(card, 0, i)
            self.cards[queue.key] = card
        note = QLabel(
            "期限按自然日比较；每件的期限及其计算依据见信访事项详情。"
            "待签收、待送达、待评价、督办等队列将随办理流程功能一起提供。"
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #666666;")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.heading)
        layout.addWidget(self.date_label)
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addSpacing(8)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

    def start(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        today = self._ctx.today()
        weekdays = "一二三四五六日"
        self.date_label.setText(f"今天是 {today.year}年{today.month}月{today.day}日 星期{weekdays[today.weekday()]}")
        self._ctx.tasks.run_db(counts_job(today), self._show_counts, self._show_error)

    def _show_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.error_label.clear()
        for key, card in self.cards.items():
            card.set_count(counts.get(key))
        self.counts_loaded.emit(counts)

    def _show_error(self, exc: BaseException) -> None:
        self.error_label.setText("无法统计：" + str(getattr(exc, "message", exc)))
