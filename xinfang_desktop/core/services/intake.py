"""Intake use cases: register a new case from its first submission, or a later submission about a case."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.case_numbers import DEFAULT_FORMAT, DEFAULT_PREFIX, format_case_number
from xinfang_desktop.core.cases import DeadlineData, EventData, IntakeRequest, NewCase, SubmissionData
from xinfang_desktop.core.codes import CaseStatus, Purpose
from xinfang_desktop.core.errors import DomainError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.intake_rules import (
    DEFAULT_COLLECTIVE_THRESHOLD,
    DuplicateCandidate,
    authority_level,
    is_collective,
    level_skipping,
    rank_duplicates,
)
from xinfang_desktop.core.ports import CaseRepository, UnitOfWork

# Computes one statutory clock: (rule ID, start date) → the deadline to store.
Clocks = Callable[[str, date], DeadlineData]

# R-DL-01: the 信访部门 registers, then forwards, hands down or notifies in writing within 15 日 of receipt.
INTAKE_CLOCK = "R-DL-01"


@dataclass(frozen=True)
class Registered:
    id: int
    number: str
    status: CaseStatus
    due_on: date | None
    duplicates: tuple[DuplicateCandidate, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "status": self.status.label,
            "due": self.due_on.isoformat() if self.due_on else None,
            "duplicate_suggestions": [d.to_json() for d in self.duplicates],
        }


@dataclass(frozen=True)
class Submitted:
    case_id: int
    number: str
    submission_id: int
    batches: int
    person_visits: int
    level_skipping: bool
    level_skipping_reason: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.case_id,
            "number": self.number,
            "submission_id": self.submission_id,
            "batches": self.batches,
            "person_visits": self.person_visits,
            "level_skipping": self.level_skipping,
            "level_skipping_reason": self.level_skipping_reason,
        }


def _setting_int(uow: UnitOfWork, key: str, default: int) -> int:
    value = uow.settings.get(key, default)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _setting_str(uow: UnitOfWork, key: str, default: str) -> str:
    value = uow.settings.get(key, default)
    return value if isinstance(value, str) and value else default


def _resolve_references(repo: CaseRepository, request: IntakeRequest) -> tuple[IntakeRequest, int | None]:
    """Resolve unit, locality and category (code or name) to stored records, or list what is unknown."""
    problems: list[FieldProblem] = []
    unit_id: int | None = None
    locality = category = None
    if request.responsible_unit:
        unit_id = repo.unit_id(request.responsible_unit)
        if unit_id is None:
            problems.append(FieldProblem("responsible_unit", "责任单位", f"未登记的单位“{request.responsible_unit}”"))
    if request.locality_code:
        region = repo.find_region(request.locality_code)
        if region is None:
            problems.append(FieldProblem("locality", "问题属地", f"未知的行政区划“{request.locality_code}”"))
        else:
            locality = region[0]
    if request.category_code:
        category = repo.find_category(request.category_code)
        if category is None:
            problems.append(FieldProblem("category", "内容分类", f"未知的内容分类“{request.category_code}”"))
    if problems:
        raise ValidationError(problems)
    return replace(request, locality_code=locality, category_code=category), unit_id


def _derive_level_skipping(repo: CaseRepository, locality: str | None, sub: SubmissionData) -> SubmissionData:
    region = repo.find_region(locality) if locality else None
    region_level = region[1] if region else None
    verdict = level_skipping(sub.channel, sub.level, authority_level(region_level))
    return replace(sub, level_skipping=verdict.skipped, level_skipping_reason=verdict.reason)


def _new_case(
    uow: UnitOfWork, request: IntakeRequest, *, today: date, now: datetime, clocks: Clocks, number: str
) -> NewCase:
    """Decide everything about a new case: references, level-skipping, flags, its clock and its 登记 event."""
    if request.submission.received_on > today:
        raise ValidationError([FieldProblem("received_on", "收到日期", "不能晚于今天")])
    repo = uow.cases
    request, unit_id = _resolve_references(repo, request)
    submission = _derive_level_skipping(repo, request.locality_code, request.submission)
    request = replace(request, submission=submission)
    threshold = _setting_int(uow, "collective_threshold", DEFAULT_COLLECTIVE_THRESHOLD)
    event = EventData(
        action=CaseAction.REGISTER.value,
        occurred_on=submission.received_on,
        to_status=CaseStatus.UNDER_REVIEW,
        reason=f"{submission.channel.label}登记",
        details={
            "channel": submission.channel.label,
            "headcount": submission.headcount,
            "level": submission.level.label,
            "level_skipping_reason": submission.level_skipping_reason,
        },
    )
    return NewCase(
        number=number,
        year=submission.received_on.year,
        status=CaseStatus.UNDER_REVIEW,
        request=request,
        is_collective=is_collective(submission.headcount, threshold),
        is_accusation=request.purpose is Purpose.ACCUSATION or bool(request.accused_units),
        responsible_unit_id=unit_id,
        deadlines=(clocks(INTAKE_CLOCK, submission.received_on),),
        registered_at=now,
        event=event,
    )


def _number_formatter(uow: UnitOfWork) -> Callable[[int, int], str]:
    prefix = _setting_str(uow, "case_number_prefix", DEFAULT_PREFIX)
    fmt = _setting_str(uow, "case_number_format", DEFAULT_FORMAT)
    return lambda seq, year: format_case_number(seq, year, prefix, fmt)


def register_case(uow: UnitOfWork, request: IntakeRequest, *, today: date, now: datetime, clocks: Clocks) -> Registered:
    """Open a new case in 受理申请审查中 with its R-DL-01 clock; writes the event and the audit entry."""
    year = request.submission.received_on.year
    fmt = _number_formatter(uow)
    # Decide (and validate) before taking a number, so a refused intake leaves no gap in the sequence.
    draft = _new_case(uow, request, today=today, now=now, clocks=clocks, number="")
    new_case = replace(draft, number=fmt(uow.cases.next_number("case", year), year))
    number = new_case.number
    p = request.petitioner
    duplicates = uow.cases.find_duplicates(p.id_number, p.name, p.phone, request.summary)
    case_id = uow.cases.add(new_case, uow.user_id)
    uow.audit.record("create", "case", number, {"channel": request.submission.channel.value})
    uow.commit()
    deadline = new_case.deadlines[0]
    return Registered(case_id, number, CaseStatus.UNDER_REVIEW, deadline.due_on, tuple(rank_duplicates(duplicates)))


def register_cases(
    uow: UnitOfWork, requests: Sequence[IntakeRequest], *, today: date, now: datetime, clocks: Clocks
) -> list[Registered]:
    """Register many cases in one transaction (imports): all or nothing; no duplicate suggestions."""
    problems: list[FieldProblem] = []
    drafts: list[NewCase] = []
    for i, request in enumerate(requests):
        try:
            drafts.append(_new_case(uow, request, today=today, now=now, clocks=clocks, number=""))
        except ValidationError as exc:
            problems += [FieldProblem(f"[{i}].{p.field}", f"第{i + 1}条 {p.label}", p.reason) for p in exc.errors]
    if problems:
        raise ValidationError(problems)
    fmt = _number_formatter(uow)
    by_year: dict[int, list[int]] = {}
    for i, draft in enumerate(drafts):
        by_year.setdefault(draft.year, []).append(i)
    numbered = list(drafts)
    for year, indexes in sorted(by_year.items()):
        first = uow.cases.reserve_numbers("case", year, len(indexes))
        for offset, i in enumerate(indexes):
            numbered[i] = replace(drafts[i], number=fmt(first + offset, year))
    ids = uow.cases.add_many(numbered, uow.user_id)
    for case in numbered:
        uow.audit.record("create", "case", case.number, {"channel": case.request.submission.channel.value})
    uow.commit()
    return [
        Registered(case_id, c.number, c.status, c.deadlines[0].due_on if c.deadlines else None, ())
        for case_id, c in zip(ids, numbered, strict=True)
    ]


def register_submission(uow: UnitOfWork, number: str, submission: SubmissionData, *, today: date) -> Submitted:
    """Attach a later letter, visit or call to an existing case (a repeat, R-CL-04); updates 批次/人次."""
    if submission.received_on > today:
        raise ValidationError([FieldProblem("received_on", "收到日期", "不能晚于今天")])
    repo = uow.cases
    header = repo.header(number)
    if header is None:
        raise NotFoundError(f"未找到信访事项 {number}", field="number")
    if submission.received_on < header.first_received_on:
        raise DomainError(
            f"收到日期 {submission.received_on.isoformat()} 早于该事项首次信访日期 "
            f"{header.first_received_on.isoformat()}",
            field="received_on",
        )
    submission = _derive_level_skipping(repo, header.locality_code, submission)
    submission_id = repo.add_submission(header.id, submission, uow.user_id)
    repo.add_event(
        header.id,
        EventData(
            action=CaseAction.SUBMIT.value,
            occurred_on=submission.received_on,
            reason=f"重复{submission.channel.label}",
            details={
                "channel": submission.channel.label,
                "headcount": submission.headcount,
                "level": submission.level.label,
                "destination": submission.destination.label if submission.destination else None,
                "abnormal": submission.abnormal,
                "level_skipping_reason": submission.level_skipping_reason,
            },
        ),
        uow.user_id,
    )
    uow.audit.record("create", "submission", f"{number}/{submission_id}", {"channel": submission.channel.value})
    uow.commit()
    return Submitted(
        header.id,
        number,
        submission_id,
        header.batches + 1,
        header.person_visits + submission.headcount,
        submission.level_skipping,
        submission.level_skipping_reason,
    )
