"""Domain values of the case ledger: petitioners, submissions, new cases, events and the read snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from xinfang_desktop.core.codes import (
    CaseStatus,
    Channel,
    Destination,
    IdType,
    OfficeLevel,
    Purpose,
)


@dataclass(frozen=True)
class PetitionerData:
    """信访人 as entered at intake (already validated and normalised)."""

    name: str
    id_type: IdType = IdType.NONE
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class SubmissionData:
    """信访件: one letter, visit, call or online filing."""

    channel: Channel
    received_on: date
    level: OfficeLevel
    destination: Destination | None
    headcount: int
    abnormal: bool = False
    level_skipping: bool = False
    level_skipping_reason: str | None = None


@dataclass(frozen=True)
class IntakeRequest:
    """Everything needed to open a new case from its first submission."""

    petitioner: PetitionerData
    submission: SubmissionData
    purpose: Purpose
    summary: str
    category_code: str | None = None
    locality_code: str | None = None
    responsible_unit: str | None = None
    accused_units: tuple[str, ...] = ()
    representatives: tuple[PetitionerData, ...] = ()
    members: tuple[PetitionerData, ...] = ()
    first_submission: bool = True


@dataclass(frozen=True)
class DeadlineData:
    """A statutory clock to store on a case (computed by the deadline engine)."""

    rule_id: str
    start_event: str
    start_on: date
    due_on: date
    provisional: bool
    explanation: str


@dataclass(frozen=True)
class NewCase:
    """A case ready to be stored: the decisions of the intake service, nothing left to compute."""

    number: str
    year: int
    status: CaseStatus
    request: IntakeRequest
    is_collective: bool
    is_accusation: bool
    responsible_unit_id: int | None
    deadlines: tuple[DeadlineData, ...]
    registered_at: datetime
    event: EventData | None = None


@dataclass(frozen=True)
class EventData:
    """One entry of a case's timeline (R-LC-04): never changed once written."""

    action: str
    occurred_on: date
    from_status: CaseStatus | None = None
    to_status: CaseStatus | None = None
    reason: str | None = None
    details: dict[str, object] = field(default_factory=dict)
    document: str | None = None


@dataclass(frozen=True)
class CaseHeader:
    """What a service needs to know of an existing case to add to it."""

    id: int
    number: str
    status: CaseStatus
    channel: Channel
    locality_code: str | None
    headcount: int
    is_collective: bool
    batches: int
    person_visits: int
    first_received_on: date
    last_received_on: date
