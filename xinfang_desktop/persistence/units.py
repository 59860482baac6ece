"""The register of units (事权单位 / 责任单位): add and list, with audit entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from xinfang_desktop.core.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.field_rules import check_text
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import RegionRecord, UnitRecord
from xinfang_desktop.persistence.uow import unit_of_work

UNIT_NAME_MAX = 128


def add_unit(db: Database, name: str, *, parent: str | None = None, region: str | None = None) -> dict[str, Any]:
    problems = check_text("name", "单位名称", name, max_length=UNIT_NAME_MAX)
    if problems:
        raise ValidationError(problems)
    name = name.strip()
    with unit_of_work(db) as uow:
        s = uow.session
        if s.scalar(select(UnitRecord.id).where(UnitRecord.name == name)) is not None:
            raise ConflictError(f"单位“{name}”已登记", field="name")
        parent_id = None
        if parent:
            parent_id = s.scalar(select(UnitRecord.id).where(UnitRecord.name == parent.strip()))
            if parent_id is None:
                raise NotFoundError(f"未登记的上级单位“{parent}”", field="parent")
        if region and s.get(RegionRecord, region.strip()) is None:
            raise ValidationError([FieldProblem("region", "行政区划", f"未知的区划代码“{region}”")])
        record = UnitRecord(
            name=name, parent_id=parent_id, region_code=region.strip() if region else None, created_at=uow.now
        )
        s.add(record)
        s.flush()
        uow.audit.record("create", "unit", str(record.id), {"name": name})
        result = {"id": record.id, "name": name, "parent": parent, "region": record.region_code}
        uow.commit()
    return result


def list_units(db: Database) -> list[dict[str, Any]]:
    parent = aliased(UnitRecord)
    with db.read_session() as s:
        rows = s.execute(
            select(UnitRecord.id, UnitRecord.name, parent.name, UnitRecord.region_code)
            .outerjoin(parent, parent.id == UnitRecord.parent_id)
            .order_by(UnitRecord.id)
        ).all()
    return [{"id": i, "name": n, "parent": p, "region": r} for i, n, p, r in rows]
