"""Intake as the CLI and the GUI call it: validate the input, wire the deadline engine, run the use case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from xinfang_desktop.core.accusation_guard import UnitRegister, accused_scope
from xinfang_desktop.core.cases import DeadlineData, IntakeRequest
from xinfang_desktop.core.deadlines import compute_deadline
from xinfang_desktop.core.errors import FieldProblem, ValidationError
from xinfang_desktop.core.intake_input import parse_intake, parse_submission
from xinfang_desktop.core.intake_rules import DuplicateCandidate
from xinfang_desktop.core.services.intake import (
    Clocks,
    Registered,
    Submitted,
    register_case,
    register_cases,
    register_submission,
)
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.case_versions import CaseMark, conflicts_told, mark_by_number
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.region_codes import office_region_codes
from xinfang_desktop.persistence.rule_profile_store import selected_profile
from xinfang_desktop.persistence.units import canonical_accused, load_register, unit_refusal
from xinfang_desktop.persistence.uow import unit_of_work


def clocks_for(db: Database) -> Clocks:
    """The office's calendar and rule profile as a function (rule ID, start date) → deadline."""
    calendar = load_calendar(db)
    profile = selected_profile(db)

    def clocks(rule_id: str, start_on: date) -> DeadlineData:
        d = compute_deadline(profile, rule_id, start_on, calendar)
        return DeadlineData(d.rule_id, d.start_event, d.start_on, d.due_on, d.provisional, d.explanation)

    return clocks


@dataclass(frozen=True)
class IntakeOutcome:
    registered: Registered
    warnings: tuple[str, ...]
    scan: dict[str, Any] | None = None  # what the visit set off (issue 8): warning trigger, explanations, 三方会审

    def to_json(self) -> dict[str, object]:
        return {**self.registered.to_json(), "warnings": list(self.warnings), "scan": self.scan}


@dataclass(frozen=True)
class SubmitOutcome:
    submitted: Submitted
    warnings: tuple[str, ...]
    scan: dict[str, Any] | None = None

    def to_json(self) -> dict[str, object]:
        return {**self.submitted.to_json(), "warnings": list(self.warnings), "scan": self.scan}


def _scan(db: Database, number: str, today: date, user: str | None) -> dict[str, Any]:
    """Every registered visit is checked at once for a warning slip, owed explanations and 三方会审 (R-WS, R-BK-02),
    as of the day it was received (the clocks it starts run from that day).

    Its own transaction after the intake's: the intake stands even if the check fails, and `xinfang tick` repeats it.
    """
    from xinfang_desktop.persistence.warnings_store import scan_case

    return scan_case(db, number, today=today, user=user)


def _identity_mismatches(db: Database, request: IntakeRequest) -> list[str]:
    """An ID number already on file under another name or address: the stored person is the one registered, so the
    clerk is told (issue 17) instead of the difference vanishing."""
    from sqlalchemy import select

    from xinfang_desktop.persistence.records import PetitionerRecord

    people = [request.petitioner, *request.representatives]
    numbers = {p.id_number: p for p in people if p.id_number}
    if not numbers:
        return []
    out: list[str] = []
    with db.read_session() as s:
        stored = s.execute(
            select(PetitionerRecord.id_number, PetitionerRecord.name, PetitionerRecord.address)
            .where(PetitionerRecord.id_number.in_(list(numbers)))
            .order_by(PetitionerRecord.id)
        ).all()
    seen: set[str] = set()
    for number, name, address in stored:
        if number is None or number in seen:
            continue
        seen.add(number)
        given = numbers[number]
        masked = f"{number[:6]}********{number[-4:]}"
        if name != given.name:
            out.append(f"身份证号码 {masked} 已登记为“{name}”，本次填写为“{given.name}”：按同一人登记，请核对")
        elif given.address and address and given.address.strip() != address.strip():
            out.append(f"身份证号码 {masked} 登记的住址为“{address}”，本次填写为“{given.address}”，请核对")
    return out


def _guard_accused(
    db: Database, request: IntakeRequest, register: UnitRegister | None = None
) -> tuple[IntakeRequest, list[str]]:
    """R-LC-07 at intake: the accused units resolved to the register (县公安局 → 示范县公安局, stored linked to it),
    and a responsible unit that is an accused unit or under one refused (《信访工作条例》第三十条第三款、第四十六条)."""
    if not request.accused_units:
        return request, []
    if register is None:
        with db.read_session() as s:
            register = load_register(s)
    names, problems, warnings = canonical_accused(register, request.accused_units)
    if request.responsible_unit and not problems:
        scope = accused_scope(register, [(n, None) for n in names])
        why = unit_refusal(register, scope, request.responsible_unit, role="责任单位")
        if why:
            problems.append(FieldProblem("responsible_unit", "责任单位", why))
    if problems:
        raise ValidationError(problems)
    return replace(request, accused_units=names), warnings


@requires("case.register")
def add_case(
    db: Database, data: object, *, today: date, user: str | None = None, now: datetime | None = None
) -> IntakeOutcome:
    """Register a new case from an intake JSON object; nothing is written unless every check passes."""
    request, warnings = parse_intake(data, today=today, known_region_codes=office_region_codes(db))
    request, accused_warnings = _guard_accused(db, request)
    warnings = [*warnings, *accused_warnings, *_identity_mismatches(db, request)]
    clocks = clocks_for(db)
    with unit_of_work(db, user=user, now=now) as uow:
        registered = register_case(uow, request, today=today, now=uow.now, clocks=clocks)
    received = request.submission.received_on
    return IntakeOutcome(registered, tuple(warnings), _scan(db, registered.number, received, user))


@requires("case.register")
def submit(db: Database, number: str, data: object, *, today: date, user: str | None = None) -> SubmitOutcome:
    """Register a later submission about an existing case."""
    submission, warnings = parse_submission(data, today=today)
    read: list[CaseMark] = []
    # Issue 17: two workstations registering visits onto one case at once (PostgreSQL) — the loser is told who
    # changed the case meanwhile (ConcurrentEditError), not a raw IntegrityError.
    with conflicts_told(db, number, read), unit_of_work(db, user=user) as uow:
        mark = mark_by_number(uow.session, number)
        if mark is not None:
            read.append(mark)
        submitted = register_submission(uow, number, submission, today=today)
    return SubmitOutcome(submitted, tuple(warnings), _scan(db, number, submission.received_on, user))


def duplicate_suggestions(db: Database, data: object, *, today: date) -> list[DuplicateCandidate]:
    """Existing cases that may be the same matter as this intake (R-CL-04), for a person to confirm."""
    request, _ = parse_intake(data, today=today, known_region_codes=office_region_codes(db))
    with unit_of_work(db) as uow:
        p = request.petitioner
        return uow.cases.find_duplicates(p.id_number, p.name, p.phone, request.summary)


@requires("import.run")
def import_cases(
    db: Database, items: Sequence[object], *, today: date, user: str | None = None
) -> tuple[list[Registered], list[str]]:
    """Register many intake objects in one transaction: every item is checked first; one bad item writes nothing."""
    regions = office_region_codes(db)
    with db.read_session() as s:
        register = load_register(s)  # once for the batch: the accused units of every item resolve against it
    requests: list[IntakeRequest] = []
    problems: list[FieldProblem] = []
    warnings: list[str] = []
    for i, item in enumerate(items):
        try:
            request, item_warnings = parse_intake(item, today=today, known_region_codes=regions)
            request, accused_warnings = _guard_accused(db, request, register)
            item_warnings = [*item_warnings, *accused_warnings]
        except ValidationError as exc:
            problems += [FieldProblem(f"[{i}].{p.field}", f"第{i + 1}条 {p.label}", p.reason) for p in exc.errors]
            continue
        requests.append(request)
        warnings += [f"第{i + 1}条 {w}" for w in item_warnings]
    if problems:
        raise ValidationError(problems)
    clocks = clocks_for(db)
    with unit_of_work(db, user=user) as uow:
        registered = register_cases(uow, requests, today=today, now=uow.now, clocks=clocks)
    return registered, warnings
