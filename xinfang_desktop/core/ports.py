"""Ports: what the services need from storage, as Protocols the persistence layer implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from xinfang_desktop.core.cases import CaseHeader, EventData, NewCase, SubmissionData
from xinfang_desktop.core.codes import RegionLevel
from xinfang_desktop.core.intake_rules import DuplicateCandidate


class CaseRepository(Protocol):
    def next_number(self, kind: str, year: int) -> int:
        """The next value of a per-year counter; never returns a value twice, even across workstations."""
        ...

    def reserve_numbers(self, kind: str, year: int, count: int) -> int:
        """Reserve `count` consecutive counter values at once; returns the first."""
        ...

    def add(self, case: NewCase, registrar: int) -> int:
        """Store a new case with its petitioners, first submission, deadlines and first event; returns its id."""
        ...

    def add_many(self, cases: Sequence[NewCase], registrar: int) -> list[int]:
        """Store many new cases in one go (imports); ids in the order given."""
        ...

    def header(self, number: str) -> CaseHeader | None: ...

    def add_submission(self, case_id: int, submission: SubmissionData, registrar: int) -> int:
        """Store a later submission and update the case's 批次/人次, repeat and level-skipping flags."""
        ...

    def add_event(self, case_id: int, event: EventData, actor: int) -> int: ...

    def find_duplicates(
        self, id_number: str | None, name: str, phone: str | None, summary: str, limit: int = 10
    ) -> list[DuplicateCandidate]: ...

    def unit_id(self, name: str) -> int | None: ...

    def find_region(self, code_or_name: str) -> tuple[str, RegionLevel] | None:
        """A region by its code or exact name: (code, level)."""
        ...

    def find_category(self, code_or_name: str) -> str | None:
        """A content category's code, by its code or exact name."""
        ...


class AuditLog(Protocol):
    def record(self, action: str, entity: str, entity_id: str, detail: dict[str, object] | None = None) -> None:
        """Append who did what to which record, from which workstation (the unit of work knows who)."""
        ...


class Settings(Protocol):
    def get(self, key: str, default: object = None) -> object: ...


class UnitOfWork(Protocol):
    """One transaction: nothing is stored unless `commit()` is called."""

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def user_id(self) -> int: ...

    def commit(self) -> None: ...
