"""The accusation guard on a real database (R-LC-07): the register with its hierarchy and county prefixes, typed
names resolved at intake (one case and a batch), and every lifecycle step that hands the case to a unit refused
for the accused unit and the units under it, the refused attempt audited for accountability (条例 art 46(五))."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers import sample_case
from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.errors import DomainError, ValidationError
from xinfang_desktop.core.lifecycle import ActionRequest
from xinfang_desktop.persistence.case_intake import add_case, import_cases
from xinfang_desktop.persistence.lifecycle_store import ACCUSED_ATTEMPT_ENTITY, act, load_case
from xinfang_desktop.persistence.records import AccusedUnitRecord, AuditEntryRecord, UnitRecord
from xinfang_desktop.persistence.units import accused_scope_of, load_register, resolve_unit

TODAY = date(2026, 3, 31)
A = CaseAction


def _case(accused: list[str], **changes: Any) -> dict[str, Any]:
    return sample_case(purpose="揭发控告", received_on="2026-03-02", accused_units=accused, **changes)


def test_the_register_knows_the_county_and_the_hierarchy(sqlite_db: Any) -> None:
    with sqlite_db.read_session() as s:
        register = load_register(s)
        police = s.scalar(select(UnitRecord.id).where(UnitRecord.name == "示范县公安局"))
    assert police is not None
    unit = register.get(police)
    assert unit is not None and "示范县" in unit.prefixes
    assert "示范县公安局城关派出所" in [u.name for u in register.below(police)]


@pytest.mark.parametrize(
    ("typed", "name"),
    [("县公安局", "示范县公安局"), ("城关派出所", "示范县公安局城关派出所"), ("民政局", "示范县民政局")],
)
def test_resolve_unit(sqlite_db: Any, typed: str, name: str) -> None:
    found = resolve_unit(sqlite_db, typed)
    assert found["registered"] and found["unit"]["name"] == name and not found["ambiguous"]


def test_resolve_unit_of_an_unknown_name(sqlite_db: Any) -> None:
    found = resolve_unit(sqlite_db, "县国土局")
    assert not found["registered"] and found["candidates"] == [] and found["problem"] is None


def test_intake_stores_the_register_unit_linked(sqlite_db: Any) -> None:
    number = add_case(sqlite_db, _case(["县公安局", "示范县公安局"]), today=TODAY).registered.number
    with sqlite_db.read_session() as s:
        loaded = load_case(s, number)
        rows = s.execute(select(AccusedUnitRecord.name, AccusedUnitRecord.unit_id)).all()
    assert [name for name, _ in rows] == ["示范县公安局"]  # the two spellings are one unit
    assert rows[0][1] is not None
    assert "示范县公安局城关派出所" in loaded.facts.accused_units  # the store hands the machine the whole scope


def test_a_batch_refuses_the_item_whose_responsible_unit_is_accused(sqlite_db: Any) -> None:
    good = _case(["县公安局"])
    bad = _case(["县公安局"], responsible_unit="示范县公安局城关派出所")
    with pytest.raises(ValidationError) as info:
        import_cases(sqlite_db, [good, bad], today=TODAY)
    (problem,) = info.value.errors
    assert problem.field == "[1].responsible_unit" and problem.label.startswith("第2条")
    assert "第四十六条" in problem.reason
    registered, _ = import_cases(sqlite_db, [good], today=TODAY)
    with sqlite_db.read_session() as s:
        case_id = s.scalar(select(AccusedUnitRecord.case_id))
        assert case_id is not None and "示范县公安局" in accused_scope_of(s, case_id).accused
    assert len(registered) == 1


@pytest.mark.parametrize(
    "request_",
    [
        ActionRequest(A.ACCEPT, date(2026, 3, 3), unit="示范县公安局城关派出所"),
        ActionRequest(A.ACCEPT, date(2026, 3, 3), unit="示范县民政局", units=("示范县公安局城关派出所",)),
        ActionRequest(A.FORWARD, date(2026, 3, 3), unit="示范县公安局"),
        ActionRequest(A.ASSIGN, date(2026, 3, 3), unit="示范县公安局城关派出所", days=30),
    ],
    ids=["accept", "assisting", "forward", "assign"],
)
def test_every_hand_over_to_the_accused_scope_is_refused_and_audited(sqlite_db: Any, request_: ActionRequest) -> None:
    number = add_case(sqlite_db, _case(["县公安局"]), today=TODAY).registered.number
    with pytest.raises(DomainError) as info:
        act(sqlite_db, number, request_, today=TODAY)
    assert info.value.details["rule"] == "R-LC-07" and "第四十六条" in info.value.message
    with sqlite_db.read_session() as s:
        assert load_case(s, number).state.status.value == "under_review"  # the case did not move
        attempts = s.scalars(
            select(AuditEntryRecord.entity_id).where(AuditEntryRecord.entity == ACCUSED_ATTEMPT_ENTITY)
        )
        assert list(attempts) == [number]


def test_supervision_of_a_unit_under_the_accused_unit_is_refused(sqlite_db: Any) -> None:
    number = add_case(sqlite_db, _case(["县公安局"]), today=TODAY).registered.number
    act(sqlite_db, number, ActionRequest(A.ACCEPT, date(2026, 3, 3), unit="示范县民政局"), today=TODAY)
    supervise = ActionRequest(A.SUPERVISE, date(2026, 3, 4), unit="示范县公安局城关派出所", reason="督促办理")
    with pytest.raises(DomainError, match="隶属于"):
        act(sqlite_db, number, supervise, today=TODAY)
    ok = ActionRequest(A.SUPERVISE, date(2026, 3, 4), reason="督促办理")
    assert act(sqlite_db, number, ok, today=TODAY).status.value == "accepted"
