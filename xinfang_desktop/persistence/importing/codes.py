"""The code tables an import normalises to: categories (with their “_”-joined paths), regions, units, and the
fixed lists (channel, purpose, status), as (code, name) choices."""

from __future__ import annotations

from sqlalchemy import select

from xinfang_desktop.core.codes import CaseStatus, Channel, Purpose
from xinfang_desktop.core.importing.values import Choice
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import CategoryRecord, RegionRecord, UnitRecord

FIXED_TABLES = {
    "channel": [Choice(c.label, c.label) for c in Channel],
    "purpose": [Choice(p.label, p.label) for p in Purpose],
    "status": [Choice(s.label, s.label) for s in CaseStatus],
}


def code_tables(db: Database) -> dict[str, list[Choice]]:
    """Every table by field key: the stored categories (name = full path 城乡建设_征地拆迁), regions and units."""
    with db.read_session() as s:
        cats = s.execute(select(CategoryRecord.code, CategoryRecord.name, CategoryRecord.parent_code)).all()
        regions = s.execute(select(RegionRecord.code, RegionRecord.name).order_by(RegionRecord.code)).all()
        units = s.scalars(select(UnitRecord.name).order_by(UnitRecord.name)).all()
    by_code = {code: (name, parent) for code, name, parent in cats}

    def path(code: str) -> str:
        parts: list[str] = []
        seen: set[str] = set()
        current: str | None = code
        while current and current in by_code and current not in seen:
            seen.add(current)
            name, parent = by_code[current]
            parts.append(name)
            current = parent
        return "_".join(reversed(parts))

    return {
        **FIXED_TABLES,
        "category": [Choice(code, path(code)) for code, _, _ in sorted(cats)],
        "locality": [Choice(code, name) for code, name in regions],
        "responsible_unit": [Choice(name, name) for name in units],
    }
