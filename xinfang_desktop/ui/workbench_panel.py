"""The 工作台 section: today's work queues with counts; a click opens the ledger on that queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from xinfang_desktop.core.ledger import LedgerFilter
from xinfang_desktop.core.queues import queue_filter
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.ledger_queries import ledger_count
from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds
from xinfang_desktop.persistence.uow import user_id_of
from xinfang_desktop.persistence.warnings_store import owed_explanation_counts
from xinfang_desktop.ui.context import AppContext


@dataclass(frozen=True)
class Card:
    key: str
    title: str
    explanation: str
    colour: str


# The work queues of core/queues.py, in the order a handler reads them each morning.
CARDS = (
    Card("due_today", "今日到期", "在办事项中期限今天届满的", "#c62828"),
    Card("overdue", "已超期", "在办事项中期限已过的", "#8e0000"),
    Card("due_soon", "即将到期", "期限在今后3个工作日内届满的（临期天数可在设置中修改）", "#e65100"),
    Card("mine", "我的在办事项", "由我登记或最近由我办理、尚未办结的事项", "#1565c0"),
    Card("awaiting_receipt", "待签收", "已转送或交办、接收单位尚未签收的", "#6a1b9a"),
    Card("awaiting_delivery", "待送达", "已作出处理（复查、复核）意见、尚未送达信访人的", "#00695c"),
    Card("awaiting_rating", "待评价", "已送达、信访人尚未评价的", "#2e7d32"),
    Card("supervision_open", "督办中", "有未办结督办单的事项", "#ad1457"),
)
# Not a ledger queue: the written explanations warned units owe (R-WS-03/04); a click opens 预警与积案.
EXPLANATIONS = Card(
    "explanations", "待书面说明", "被预警单位尚未提交的书面说明（括号内为已逾期）；点击进入预警与积案", "#4e342e"
)
QUEUES = CARDS  # the ledger and tests refer to the cards by this name


def queue_filter_job(name: str, today: date, user: str) -> Any:
    """The ledger filter of a queue, computed on the database thread (it needs the calendar and the user)."""

    def job(db: Database) -> LedgerFilter:
        with db.read_session() as session:
            return queue_filter(
                name,
                today=today,
                calendar=load_calendar(db),
                user_id=user_id_of(session, user),
                due_soon_workdays=deadline_thresholds(db).due_soon_workdays,
            )

    return job


def counts_job(today: date, user: str) -> Any:
    def job(db: Database) -> dict[str, int]:
        calendar = load_calendar(db)
        soon = deadline_thresholds(db).due_soon_workdays
        with db.read_session() as session:
            me = user_id_of(session, user)
            counts = {
                card.key: ledger_count(
                    session, queue_filter(card.key, today=today, calendar=calendar, user_id=me, due_soon_workdays=soon)
                )
                for card in CARDS
            }
            counts["explanations"], counts["explanations_overdue"] = owed_explanation_counts(session, today=today)
            return counts

    return job


class QueueCard(QPushButton):
    """A clickable card: the queue's name above its count in large digits."""

    def __init__(self, queue: Card, parent: QWidget | None = None) -> None:
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
    counts_loaded = Signal(object)  # a dict (`object`: no conversion to a QVariantMap and back)

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
        for i, queue in enumerate((*CARDS, EXPLANATIONS)):
            card = QueueCard(queue)
            card.clicked.connect(lambda _checked=False, k=queue.key: self.queue_activated.emit(k))
            grid.addWidget(card, i // 4, i % 4)
            self.cards[queue.key] = card
        note = QLabel(
            "期限按法定工作日历计算（见每件事项详情中的“期限说明”）；"
            "超期、期限届满和自动督办由每天打开本软件时的“到期处理”记入办理记录（状态栏显示结果）。"
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
        self._ctx.tasks.run_db(counts_job(today, self._ctx.user), self._show_counts, self._show_error)

    def _show_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.error_label.clear()
        for key, card in self.cards.items():
            card.set_count(counts.get(key))
        overdue = counts.get("explanations_overdue", 0)
        if overdue:
            self.cards["explanations"].count_label.setText(f"{counts['explanations']:,}（逾期{overdue}）")
        self.counts_loaded.emit(counts)

    def _show_error(self, exc: BaseException) -> None:
        self.error_label.setText("无法统计：" + str(getattr(exc, "message", exc)))
