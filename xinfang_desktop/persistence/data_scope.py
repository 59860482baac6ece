"""Data scope (issue 17): a user limited to townships or responsible units sees only those cases, at the query.

`scope_clause(identity)` is the one condition on `CaseRecord` that every read of cases adds (the ledger page and
count, full-text search, the work queues, the national export, one case's detail), so the CLI and the GUI obey the
same limit. None — no condition — when nobody is acting (a library call), in open mode (no account exists yet) or
for an account without a scope (the whole county).

- Township (乡镇): the case's 问题属地 `locality_code` is the code or lies under it. Region codes are hierarchical
  digit strings (GB/T 2260 county + 3-digit township + 3-digit village, the register's `parent_code` follows them),
  so "under" is a prefix, written as the range `code <= locality_code < code with its last digit + 1` — the same
  SEARCH on ix_cases_locality_received as the ledger's 属地 filter (`LedgerFilter.locality_prefix`), so a scoped
  user's ledger holds exactly the rows that filter shows for their township. Not LIKE (case-insensitive on SQLite:
  no index) and not a walk of `parent_code` (a join per case for nothing).
- Unit (责任单位): the case's `responsible_unit_id` is a named unit or a unit under it in the register (the
  `parent_id` hierarchy, walked by a recursive CTE over the small units table): 示范县公安局's user sees the cases
  handed to 示范县公安局城关派出所 too. Names are the register's exact names; a name the register does not hold
  matches nothing (closed, never open).
- Both set: a case in either (union). A scope lists what the user answers for — a 乡镇 official scoped to the
  township and to its 人民政府 sees the township's cases and those handed to the 人民政府 from elsewhere; the
  intersection would make adding a grant hide cases, which nobody setting a scope expects.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session, aliased

from xinfang_desktop.core.errors import NotFoundError
from xinfang_desktop.persistence.identity import Identity, acting
from xinfang_desktop.persistence.records import CaseRecord, UnitRecord

__all__ = ["OUT_OF_SCOPE", "acting_scope_clause", "case_in_scope", "require_case_in_scope", "scope_clause"]

OUT_OF_SCOPE = "（不在您的数据范围内）"


def _under(code: str) -> ColumnElement[bool]:
    upper = code[:-1] + chr(ord(code[-1]) + 1)
    return and_(CaseRecord.locality_code >= code, CaseRecord.locality_code < upper)


def _unit_ids(names: tuple[str, ...]) -> Select[tuple[int]]:
    """The ids of the named units and of every unit under them (recursive over `units.parent_id`)."""
    tree = select(UnitRecord.id).where(UnitRecord.name.in_(names)).cte("scope_units", recursive=True)
    child = aliased(UnitRecord)
    tree = tree.union(select(child.id).join(tree, child.parent_id == tree.c.id))
    return select(tree.c.id)


def scope_clause(identity: Identity | None) -> ColumnElement[bool] | None:
    """The condition a case must meet to be visible to `identity`; None when it sees every case."""
    if identity is None or identity.open_mode or not identity.scoped:
        return None
    parts: list[ColumnElement[bool]] = [_under(code) for code in dict.fromkeys(identity.townships) if code]
    units = tuple(dict.fromkeys(u for u in identity.units if u))
    if units:
        parts.append(CaseRecord.responsible_unit_id.in_(_unit_ids(units)))
    if not parts:  # a scope of empty strings only: nothing, never everything
        return false()
    return parts[0] if len(parts) == 1 else or_(*parts)


def acting_scope_clause() -> ColumnElement[bool] | None:
    """`scope_clause` of the user acting in this process (persistence.identity.acting)."""
    return scope_clause(acting())


def case_in_scope(session: Session, case_id: int, identity: Identity | None = None) -> bool:
    """Is this stored case visible to `identity` (default: the acting user)?"""
    clause = scope_clause(identity if identity is not None else acting())
    if clause is None:
        return True
    return session.scalar(select(CaseRecord.id).where(CaseRecord.id == case_id, clause)) is not None


def require_case_in_scope(session: Session, case_id: int, number: str, identity: Identity | None = None) -> None:
    """NotFoundError naming the scope when the case lies outside the acting user's data scope."""
    if not case_in_scope(session, case_id, identity):
        raise NotFoundError(f"未找到信访事项 {number}{OUT_OF_SCOPE}", field="number")
