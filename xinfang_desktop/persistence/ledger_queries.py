"""Read side of the ledger: filtered, sorted keyset pages, counts and full-text search on SQLite and PostgreSQL."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, String, and_, func, select, tuple_, type_coerce
from sqlalchemy.orm import Session

from xinfang_desktop.core.codes import OPEN_STATUSES, CaseStatus, Channel
from xinfang_desktop.core.ledger import Cursor, LedgerFilter, LedgerPage, LedgerPageRequest, LedgerRow, SortKey
from xinfang_desktop.core.search_text import normalize_query
from xinfang_desktop.persistence.data_scope import acting_scope_clause
from xinfang_desktop.persistence.records import (
    CasePetitionerRecord,
    CaseRecord,
    CategoryRecord,
    PetitionerRecord,
    RegionRecord,
    SupervisionOrderRecord,
    UnitRecord,
)
from xinfang_desktop.persistence.records_warnings import WarningSlipRecord
from xinfang_desktop.persistence.search_queries import hit_ids, search_condition, search_hit_count, sqlite_hit_parts

_SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.RECEIVED: CaseRecord.received_on,
    SortKey.LAST_RECEIVED: CaseRecord.last_received_on,
    SortKey.DUE: CaseRecord.due_on,
    SortKey.NUMBER: None,  # the id itself
}


def _prefix_range(column: Any, prefix: str) -> list[ColumnElement[bool]]:
    """Codes starting with `prefix` as a range (prefix <= code < prefix with its last character + 1).

    Not `LIKE 'prefix%'`: SQLite's LIKE is case-insensitive, so it cannot use the BINARY-collated
    ix_cases_locality_received / ix_cases_category_received and scans the whole index; the range is a SEARCH on
    SQLite and PostgreSQL alike. Region and category codes are digits, so the upper bound is exact.
    """
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return [column >= prefix, column < upper]


#: The orders no composite index serves together with an equality filter (收到日期 has (channel|unit|…, received_on)).
_WALKED_ORDERS = frozenset({SortKey.LAST_RECEIVED, SortKey.DUE, SortKey.NUMBER})
#: When a unit is not selective: walking the order's index finds a page of n rows in about n × total ÷ matches index
#: entries, reading the unit's index and sorting costs about `matches`; they are equal at √(n × total) — 7,000 cases
#: of 1M for a page of 50 (issue 19: a unit of 220k under 到期 250 ms → 3 ms; of 10k, 100 → 5 ms).
WALK_PAGE = 50
MIN_LARGE_UNIT = 1_000


def _large_unit(session: Session, unit_id: int) -> bool:
    total = int(session.scalar(select(func.max(CaseRecord.id))) or 0)
    threshold = max(MIN_LARGE_UNIT, math.isqrt(WALK_PAGE * total))
    first = select(CaseRecord.id).where(CaseRecord.responsible_unit_id == unit_id).limit(threshold + 1)
    count = session.scalar(select(func.count()).select_from(first.subquery()))
    return int(count or 0) > threshold


def filter_conditions(
    session: Session, flt: LedgerFilter, *, order: SortKey | None = None
) -> list[ColumnElement[bool]]:
    """The filter as conditions on CaseRecord, with the acting user's data scope always among them (issue 17: the
    ledger, search, queues, counts and the xlsx export all come through here).

    `order`: a page in that order. Under the orders no composite index serves, a filter that matches a large share
    of the ledger (a 信访形式; a large unit) is written so that SQLite cannot take its index (`channel || ''`,
    `unit + 0`): it then walks the order's own index and stops after a page, instead of sorting 300k matches.
    """
    walked = order in _WALKED_ORDERS
    conds: list[ColumnElement[bool]] = []
    scope = acting_scope_clause()
    if scope is not None:
        conds.append(scope)
    if flt.search:
        conds.append(search_condition(session, flt.search))
    if flt.statuses:
        conds.append(CaseRecord.status.in_([s.value for s in flt.statuses]))
    if flt.channel:  # at most a handful of values: never selective
        conds.append((CaseRecord.channel + "" if walked else CaseRecord.channel) == flt.channel.value)
    if flt.locality_code:
        conds.append(CaseRecord.locality_code == flt.locality_code)
    if flt.unit_id is not None:
        large = walked and _large_unit(session, flt.unit_id)
        conds.append((CaseRecord.responsible_unit_id + 0 if large else CaseRecord.responsible_unit_id) == flt.unit_id)
    if flt.category_code:
        conds.append(CaseRecord.category_code == flt.category_code)
    if flt.locality_prefix:
        conds.extend(_prefix_range(CaseRecord.locality_code, flt.locality_prefix))
    if flt.category_prefix:
        conds.extend(_prefix_range(CaseRecord.category_code, flt.category_prefix))
    if flt.received_from:
        conds.append(CaseRecord.received_on >= flt.received_from)
    if flt.received_to:
        conds.append(CaseRecord.received_on <= flt.received_to)
    if flt.due_from:
        conds.append(CaseRecord.due_on >= flt.due_from)
    if flt.due_to:
        conds.append(CaseRecord.due_on <= flt.due_to)
    if flt.awaiting:
        conds.append(CaseRecord.awaiting == flt.awaiting)
    if flt.handler_id is not None:
        conds.append(CaseRecord.handler_id == flt.handler_id)
    if flt.open_only:
        conds.append(CaseRecord.status.in_([s.value for s in OPEN_STATUSES]))
    if flt.supervision_open is not None:
        # IN over the few open orders (their index), never a probe per case of the whole ledger.
        open_orders = select(SupervisionOrderRecord.case_id).where(SupervisionOrderRecord.closed_on.is_(None))
        conds.append(CaseRecord.id.in_(open_orders) if flt.supervision_open else CaseRecord.id.not_in(open_orders))
    if flt.warning_candidate:
        # The partial index of cases that met R-WS-01 (kept by warning_index), less the few with a slip.
        conds.append(CaseRecord.warning_met_on.is_not(None))
        conds.append(CaseRecord.id.not_in(select(WarningSlipRecord.case_id)))
    for column, wanted in (
        (CaseRecord.is_collective, flt.collective),
        (CaseRecord.is_repeat, flt.repeat),
        (CaseRecord.is_level_skipping, flt.level_skipping),
        (CaseRecord.is_backlog, flt.backlog),
    ):
        if wanted is not None:
            # `= 1`, never `IS 1`: SQLite matches a partial index `WHERE flag = 1` only to the same term.
            conds.append(column == wanted)
    return conds


def _principal_name() -> Any:
    return (
        select(PetitionerRecord.name)
        .join(CasePetitionerRecord, CasePetitionerRecord.petitioner_id == PetitionerRecord.id)
        .where(CasePetitionerRecord.case_id == CaseRecord.id)
        .order_by(CasePetitionerRecord.position)
        .limit(1)
        .scalar_subquery()
    )


def _day(value: Any) -> date:
    # SQLite hands dates over as ISO text (read as text: SQLAlchemy's own Date parsing cost a third of a page);
    # PostgreSQL as dates.
    return value if isinstance(value, date) else date.fromisoformat(value)


@cache
def _row_select() -> Select[Any]:
    """The columns of a LedgerRow, in `_to_row`'s order (the dates as the driver gives them). Built once: a select
    is immutable (each `.where` makes a new one), and building this one cost 0.2 ms a page."""
    return (
        select(
            CaseRecord.id,
            CaseRecord.number,
            type_coerce(CaseRecord.received_on, String).label("received_on"),
            type_coerce(CaseRecord.last_received_on, String).label("last_received_on"),
            CaseRecord.channel,
            CaseRecord.status,
            _principal_name().label("petitioner"),
            func.substr(CaseRecord.summary, 1, 80).label("summary"),
            RegionRecord.name.label("locality"),
            UnitRecord.name.label("unit"),
            type_coerce(CaseRecord.due_on, String).label("due_on"),
            CaseRecord.headcount,
            CaseRecord.batches,
            CaseRecord.is_collective,
            CaseRecord.is_repeat,
            CaseRecord.is_level_skipping,
        )
        .outerjoin(RegionRecord, RegionRecord.code == CaseRecord.locality_code)
        .outerjoin(UnitRecord, UnitRecord.id == CaseRecord.responsible_unit_id)
    )


_CHANNELS = {c.value: c for c in Channel}
_STATUSES = {s.value: s for s in CaseStatus}
#: Where each sort key's value sits in a row of `_row_select` (the 编号 order has none: the id is the key).
_KEY_AT = {SortKey.RECEIVED: 2, SortKey.LAST_RECEIVED: 3, SortKey.DUE: 10}


def _to_row(r: Any) -> LedgerRow:
    """A LedgerRow from a `_row_select` row, by position (a page maps 50 of these per key press)."""
    due = r[10]
    return LedgerRow(
        r[0],
        r[1],
        _day(r[2]),
        _day(r[3]),
        _CHANNELS[r[4]],
        _STATUSES[r[5]],
        r[6] or "",
        r[7],
        r[8],
        r[9],
        None if due is None else _day(due),
        r[11],
        r[12],
        bool(r[13]),
        bool(r[14]),
        bool(r[15]),
    )


def _key_value(sort: SortKey, cursor_key: str | None) -> Any:
    if cursor_key is None:
        return None
    if sort is SortKey.NUMBER:
        return None
    try:
        return date.fromisoformat(cursor_key)
    except ValueError:
        from xinfang_desktop.core.errors import DomainError

        raise DomainError(f"无效的翻页位置“{cursor_key}”", field="after") from None


def _ordered_ids_select(
    req: LedgerPageRequest, conds: list[ColumnElement[bool]], null_phase: bool, base: Select[Any] | None = None
) -> Select[Any]:
    """The keyset-ordered select of one phase: the ids and sort keys, or the columns of `base` (the rows)."""
    column = _SORT_COLUMNS[req.sort]
    desc = req.descending
    if base is None:
        base = select(CaseRecord.id, column if column is not None else CaseRecord.id)
    stmt = base.where(*conds)
    if column is None:
        if req.after is not None:
            stmt = stmt.where(CaseRecord.id < req.after.id if desc else CaseRecord.id > req.after.id)
        return stmt.order_by(CaseRecord.id.desc() if desc else CaseRecord.id.asc())
    if null_phase:
        # Rows without a value come after all dated rows, in id order.
        stmt = stmt.where(column.is_(None))
        if req.after is not None and req.after.key is None:
            stmt = stmt.where(CaseRecord.id < req.after.id if desc else CaseRecord.id > req.after.id)
        return stmt.order_by(CaseRecord.id.desc() if desc else CaseRecord.id.asc())
    stmt = stmt.where(column.is_not(None))
    if req.after is not None:
        key = _key_value(req.sort, req.after.key)
        pair = tuple_(column, CaseRecord.id)
        stmt = stmt.where(pair < tuple_(key, req.after.id) if desc else pair > tuple_(key, req.after.id))
    order = (column.desc(), CaseRecord.id.desc()) if desc else (column.asc(), CaseRecord.id.asc())
    return stmt.order_by(*order)


def _phase(req: LedgerPageRequest, after: Cursor | None) -> LedgerPageRequest:
    return LedgerPageRequest(req.filter, req.sort, req.descending, req.limit, after)


def _keyed(rows: Any) -> list[tuple[int, str | None]]:
    return [(int(i), k.isoformat() if isinstance(k, date) else (None if k is None else str(k))) for i, k in rows]


T = TypeVar("T")


def _two_phases(
    req: LedgerPageRequest, conds: list[ColumnElement[bool]], fetch: Callable[..., list[tuple[T, str | None]]]
) -> list[tuple[T, str | None]]:
    """Rows with a sort value first, then (for nullable keys such as the due date) those without, in id order.

    `fetch(request, conds, null_phase, limit)` gives (row or id, cursor key) pairs; in the second phase the key is
    None (the column is NULL there), which is what a cursor into that phase records."""
    column = _SORT_COLUMNS[req.sort]
    result: list[tuple[T, str | None]] = []
    in_null_phase = column is not None and req.after is not None and req.after.key is None
    if not in_null_phase:
        result += fetch(req, conds, False, req.limit)
    # Only a nullable key (the due date) has a second phase: for the received dates it would be a walk of every
    # case in id order looking for a NULL that cannot exist (seconds on 1M whenever a filter finds under a page).
    if column is not None and column.nullable and len(result) < req.limit:
        after = req.after if in_null_phase else None
        result += [(r, None) for r, _ in fetch(_phase(req, after), conds, True, req.limit - len(result))]
    return result


def _plain_fetch(session: Session) -> Any:
    def fetch(
        req: LedgerPageRequest, conds: list[ColumnElement[bool]], null_phase: bool, limit: int
    ) -> list[tuple[int, str | None]]:
        return _keyed(session.execute(_ordered_ids_select(req, conds, null_phase).limit(limit)))

    return fetch


# Up to this many hits, the page is sorted from the hit list; above it, the sort order's index is walked in chunks
# and each chunk kept where it is a hit (a common word matches 100k cases: 50 of them are near the top).
SORT_HITS_UP_TO = 5000
WALK_CHUNK = 1000


def _walking_fetch(session: Session, parts: list[tuple[str, str]]) -> Any:
    def fetch(
        req: LedgerPageRequest, conds: list[ColumnElement[bool]], null_phase: bool, limit: int
    ) -> list[tuple[int, str | None]]:
        found: list[tuple[int, str | None]] = []
        cursor = req.after
        while len(found) < limit:
            chunk = _keyed(
                session.execute(_ordered_ids_select(_phase(req, cursor), conds, null_phase).limit(WALK_CHUNK))
            )
            if not chunk:
                break
            ids = [i for i, _ in chunk]
            hits = hit_ids(session, parts, min(ids), max(ids))
            found += [row for row in chunk if row[0] in hits][: limit - len(found)]
            last_id, last_key = chunk[-1]
            cursor = Cursor(None if null_phase else last_key, last_id)
            if req.sort is SortKey.NUMBER:
                cursor = Cursor(str(last_id), last_id)
        return found

    return fetch


def _plain_rows(
    session: Session, req: LedgerPageRequest, conds: list[ColumnElement[bool]]
) -> list[tuple[LedgerRow, str | None]]:
    """A page without a full-text search: the rows themselves in one keyset statement per phase (not the ids, then
    the rows by id), each with its cursor key, through Core (the ORM's row handling is not needed for tuples)."""
    at = _KEY_AT.get(req.sort)
    conn = session.connection()

    def fetch(
        r: LedgerPageRequest, conds: list[ColumnElement[bool]], null_phase: bool, limit: int
    ) -> list[tuple[LedgerRow, str | None]]:
        stmt = _ordered_ids_select(r, conds, null_phase, _row_select()).limit(limit)
        return [(_to_row(row), None if at is None else _key_text(row[at])) for row in conn.execute(stmt)]

    return _two_phases(req, conds, fetch)


def _key_text(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else (None if value is None else str(value))


def ordered_ids(session: Session, req: LedgerPageRequest) -> list[tuple[int, str | None]]:
    """The ids of one page in the requested order, each with its cursor key (keyset pagination, no OFFSET)."""
    term = normalize_query(req.filter.search or "")
    parts = sqlite_hit_parts(session, term) if term and session.get_bind().dialect.name == "sqlite" else None
    if parts is None:
        return _two_phases(req, filter_conditions(session, req.filter, order=req.sort), _plain_fetch(session))
    others = filter_conditions(session, replace(req.filter, search=None), order=req.sort)
    total = search_hit_count(session, term) or 0
    if total <= SORT_HITS_UP_TO:
        ids = sorted(hit_ids(session, parts))
        return _two_phases(req, [*others, CaseRecord.id.in_(ids)], _plain_fetch(session))
    return _two_phases(req, others, _walking_fetch(session, parts))


def rows_by_ids(session: Session, ids: list[int]) -> list[LedgerRow]:
    """Row snapshots for these ids, in the given order."""
    if not ids:
        return []
    stmt = _row_select().where(CaseRecord.id.in_(ids))
    scope = acting_scope_clause()
    if scope is not None:  # a row refreshed by id stays within the data scope too
        stmt = stmt.where(scope)
    found = {r[0]: _to_row(r) for r in session.connection().execute(stmt)}
    return [found[i] for i in ids if i in found]


def ledger_page(session: Session, req: LedgerPageRequest) -> LedgerPage:
    term = normalize_query(req.filter.search or "")
    # A data scope (issue 17) is a range of 属地 codes or a list of units: its index gives the rows but not the
    # ledger's order, so the page sorts the scoped (key, id) pairs from that index alone and then reads 50 rows by id
    # (5 ms on 100k, township of 9k cases) instead of building every scoped row before the sort (24–180 ms).
    if not term and acting_scope_clause() is None:
        page = _plain_rows(session, req, filter_conditions(session, req.filter, order=req.sort))
        rows = [row for row, _ in page]
        keyed = [(row.id, key) for row, key in page]
    else:
        keyed = ordered_ids(session, req)
        rows = rows_by_ids(session, [i for i, _ in keyed])
    next_cursor = None
    if len(keyed) == req.limit:
        last_id, last_key = keyed[-1]
        next_cursor = Cursor(last_key if _SORT_COLUMNS[req.sort] is not None else None, last_id)
        if _SORT_COLUMNS[req.sort] is None:
            next_cursor = Cursor(str(last_id), last_id)
    return LedgerPage(tuple(rows), next_cursor)


def _search_only(flt: LedgerFilter) -> bool:
    return bool(flt.search) and replace(flt, search=None) == LedgerFilter()


def ledger_count(session: Session, flt: LedgerFilter) -> int:
    if _search_only(flt) and acting_scope_clause() is None:
        # Straight from the full-text index: joining 100k hits back to the cases costs ~200 ms for nothing.
        hits = search_hit_count(session, flt.search or "")
        if hits is not None:
            return hits
    conds = filter_conditions(session, flt)
    if not conds:
        return int(session.scalar(select(func.count()).select_from(CaseRecord)) or 0)
    return int(session.scalar(select(func.count()).select_from(CaseRecord).where(and_(*conds))) or 0)


def filter_choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    """What the ledger's 属地 and 内容分类 filters offer: townships and top-level categories (code, name)."""
    townships = session.execute(
        select(RegionRecord.code, RegionRecord.name).where(RegionRecord.level == "township").order_by(RegionRecord.code)
    ).all()
    categories = session.execute(
        select(CategoryRecord.code, CategoryRecord.name)
        .where(func.length(CategoryRecord.code) == 2)
        .order_by(CategoryRecord.code)
    ).all()
    return {
        "townships": [(code, name) for code, name in townships],
        "categories": [(code, name) for code, name in categories],
    }
