"""Read models of the ledger: filters, sort orders, keyset cursors and the row and detail snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from xinfang_desktop.core.codes import CaseStatus, Channel
from xinfang_desktop.core.errors import DomainError

MAX_PAGE = 500


class SortKey(StrEnum):
    """Sort orders the ledger offers; each is backed by an index ending in the case id (keyset pagination)."""

    RECEIVED = "received"  # 收到日期
    LAST_RECEIVED = "last_received"  # 最近信访日期
    DUE = "due"  # 期限
    NUMBER = "number"  # 编号 (follows id: numbers are issued in order within a year)


SORT_LABELS = {
    SortKey.RECEIVED: "收到日期",
    SortKey.LAST_RECEIVED: "最近信访日期",
    SortKey.DUE: "办理期限",
    SortKey.NUMBER: "登记顺序",
}


@dataclass(frozen=True)
class LedgerFilter:
    """Filters of the ledger; every field is optional and they combine with AND."""

    search: str | None = None
    statuses: tuple[CaseStatus, ...] = ()
    channel: Channel | None = None
    locality_code: str | None = None
    unit_id: int | None = None
    category_code: str | None = None
    locality_prefix: str | None = None  # a region and everything under it (a township and its villages)
    category_prefix: str | None = None  # a category and its subcategories (top level: 2-digit codes)
    received_from: date | None = None
    received_to: date | None = None
    collective: bool | None = None
    repeat: bool | None = None
    level_skipping: bool | None = None
    backlog: bool | None = None
    due_from: date | None = None  # the primary running deadline (cases.due_on), inclusive
    due_to: date | None = None
    awaiting: str | None = None  # "receipt" | "delivery" | "rating"
    handler_id: int | None = None
    open_only: bool = False
    supervision_open: bool | None = None
    warning_candidate: bool = False  # meets the warning trigger (R-WS-01) and has no slip yet


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended: the sort key's value and the id of its last row."""

    key: str | None
    id: int

    def encode(self) -> str:
        return f"{self.key or ''}|{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        key, sep, ident = text.rpartition("|")
        if not sep or not ident.isdigit():
            raise DomainError(f"无效的翻页位置“{text}”", field="after")
        return cls(key or None, int(ident))


@dataclass(frozen=True)
class LedgerPageRequest:
    filter: LedgerFilter = field(default_factory=LedgerFilter)
    sort: SortKey = SortKey.RECEIVED
    descending: bool = True
    limit: int = 50
    after: Cursor | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_PAGE:
            raise DomainError(f"每页行数应在 1 到 {MAX_PAGE} 之间", field="limit")


class LedgerRow(NamedTuple):
    """One ledger row as shown in the table (only the columns the table needs).

    A NamedTuple, immutable as a frozen dataclass would be, but built in 0.2 µs instead of 1.4 µs: a page maps 50
    per key press, and that difference alone was a third of the ledger page's distance from its SQLite floor."""

    id: int
    number: str
    received_on: date
    last_received_on: date
    channel: Channel
    status: CaseStatus
    petitioner: str
    summary: str
    locality: str | None
    unit: str | None
    due_on: date | None
    headcount: int
    batches: int
    is_collective: bool
    is_repeat: bool
    is_level_skipping: bool

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "received_on": self.received_on.isoformat(),
            "last_received_on": self.last_received_on.isoformat(),
            "channel": self.channel.label,
            "status": self.status.label,
            "petitioner": self.petitioner,
            "summary": self.summary,
            "locality": self.locality,
            "unit": self.unit,
            "due": self.due_on.isoformat() if self.due_on else None,
            "headcount": self.headcount,
            "batches": self.batches,
            "collective": self.is_collective,
            "repeat": self.is_repeat,
            "level_skipping": self.is_level_skipping,
        }


@dataclass(frozen=True)
class LedgerPage:
    rows: tuple[LedgerRow, ...]
    next_cursor: Cursor | None
