"""Work queues (工作台): each a named ledger filter over indexed columns, computed for a given `today`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.core.workdays import WorkdayCalendar


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    sort: SortKey
    descending: bool


QUEUES: tuple[Queue, ...] = (
    Queue("mine", "我的在办事项", SortKey.DUE, False),
    Queue("due_today", "今日到期", SortKey.DUE, False),
    Queue("due_soon", "即将到期", SortKey.DUE, False),
    Queue("overdue", "已超期", SortKey.DUE, False),
    Queue("awaiting_receipt", "待签收", SortKey.RECEIVED, False),
    Queue("awaiting_delivery", "待送达", SortKey.RECEIVED, False),
    Queue("awaiting_rating", "待评价", SortKey.RECEIVED, False),
    Queue("supervision_open", "督办中", SortKey.DUE, False),
)
QUEUE_NAMES = tuple(q.name for q in QUEUES)


def queue(name: str) -> Queue:
    for q in QUEUES:
        if q.name == name:
            return q
    choices = "、".join(f"{q.name}（{q.label}）" for q in QUEUES)
    raise DomainError(f"未知的工作队列“{name}”，可选：{choices}", field="queue")


def queue_filter(
    name: str, *, today: date, calendar: WorkdayCalendar, user_id: int | None = None, due_soon_workdays: int = 3
) -> LedgerFilter:
    """The ledger filter of a queue on `today` (临期 = due within `due_soon_workdays` working days)."""
    queue(name)
    if name == "mine":
        return LedgerFilter(handler_id=user_id if user_id is not None else -1, open_only=True)
    if name == "due_today":
        return LedgerFilter(due_from=today, due_to=today)
    if name == "due_soon":
        return LedgerFilter(due_from=today + timedelta(days=1), due_to=calendar.add_workdays(today, due_soon_workdays))
    if name == "overdue":
        return LedgerFilter(due_to=today - timedelta(days=1))
    if name.startswith("awaiting_"):
        return LedgerFilter(awaiting=name.removeprefix("awaiting_"))
    return LedgerFilter(supervision_open=True)
