"""The write side of an import: one transaction for the whole file, through the intake use cases.

New cases go through `register_cases` and repeats through `register_submission` (core/services/intake.py), so numbers,
flags, 批次/人次 and the R-DL-01 clock on the working-day calendar are exactly those of `case add` and `case submit`.
Those use cases commit at their end; here they run on a unit of work whose `commit` only flushes, and the import
commits once at the very end — or rolls back (dry run, a bad row, cancel, a crash): nothing is half-written.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select, tuple_

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.cases import EventData, IntakeRequest
from xinfang_desktop.core.importing.history import ImpliedStep
from xinfang_desktop.core.importing.repeats import KnownCase
from xinfang_desktop.core.lifecycle import ActionRequest, Decision, decide
from xinfang_desktop.core.lifecycle_state import evolve
from xinfang_desktop.core.ports import AuditLog, CaseRepository, Settings
from xinfang_desktop.core.services.intake import Registered, Submitted, register_cases, register_submission
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.case_intake import clocks_for
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.lifecycle_store import apply_decision, load_case
from xinfang_desktop.persistence.records import (
    AuditEntryRecord,
    CaseDeadlineRecord,
    CasePetitionerRecord,
    CaseRecord,
    PetitionerRecord,
)
from xinfang_desktop.persistence.rule_profile_store import selected_profile
from xinfang_desktop.persistence.uow import SqlUnitOfWork, unit_of_work

IMPORT_ROW = "import_row"  # audit entity of a row's fingerprint (entity_id = SHA-256 of the row's content)
_CHUNK = 400


class _CachedReferences:
    """The case repository with its reference look-ups (regions, categories, units) remembered for the import: they
    do not change inside its transaction, and the intake asks for each of them once or twice per row."""

    def __init__(self, repo: CaseRepository) -> None:
        self._repo = repo
        self._regions: dict[str, Any] = {}
        self._categories: dict[str, str | None] = {}
        self._units: dict[str, int | None] = {}
        # The 信访件编号 of the rows the intake use case is storing (set by ImportTransaction around each call): passed
        # into the rows it writes, so the number is in the case's search text from its INSERT on.
        self.external_numbers: list[str | None] | None = None
        self.external_number: str | None = None

    def add_many(self, cases: Sequence[Any], registrar: int) -> list[int]:
        externals, self.external_numbers = self.external_numbers, None
        return self._repo.add_many(cases, registrar, externals)  # type: ignore[call-arg]

    def add_submission(self, case_id: int, submission: Any, registrar: int) -> int:
        external, self.external_number = self.external_number, None
        return self._repo.add_submission(case_id, submission, registrar, external)  # type: ignore[call-arg]

    def find_region(self, code_or_name: str) -> Any:
        if code_or_name not in self._regions:
            self._regions[code_or_name] = self._repo.find_region(code_or_name)
        return self._regions[code_or_name]

    def find_category(self, code_or_name: str) -> str | None:
        if code_or_name not in self._categories:
            self._categories[code_or_name] = self._repo.find_category(code_or_name)
        return self._categories[code_or_name]

    def unit_id(self, name: str) -> int | None:
        if name not in self._units:
            self._units[name] = self._repo.unit_id(name)
        return self._units[name]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._repo, name)


class _DeferredCommit:
    """The import's unit of work as the intake use cases see it: `commit` flushes (the pending audit entries and the
    session), the transaction stays open for the next row."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._cases = _CachedReferences(uow.cases)

    @property
    def cases(self) -> CaseRepository:
        return self._cases  # structurally the repository: __getattr__ delegates what it does not remember

    @property
    def references(self) -> _CachedReferences:
        return self._cases

    @property
    def audit(self) -> AuditLog:
        return self._uow.audit

    @property
    def settings(self) -> Settings:
        return self._uow.settings

    @property
    def user_id(self) -> int:
        return self._uow.user_id

    def commit(self) -> None:
        self._uow.session.flush()  # the audit entries wait for the end of the chunk (ImportTransaction.flush)


@dataclass(frozen=True)
class SourceRef:
    """Where imported rows come from, as the audit trail records it."""

    file: str
    sheet: str
    sha256: str
    batch: str = ""  # this run's id: a fingerprint recorded by this run is a repeated row of the file itself


@dataclass(frozen=True)
class NewRow:
    row: int
    request: IntakeRequest
    fingerprint: str
    steps: tuple[ImpliedStep, ...]
    detail: dict[str, Any]  # what the sheet adds (信访件编号, 限办时间, 登记部门 …), kept in the audit entry


class ImportTransaction:
    """Every write of one import, in one transaction; `commit()` once at the end, else nothing stays."""

    def __init__(self, uow: SqlUnitOfWork, *, today: date, source: SourceRef, db: Database) -> None:
        self.uow = uow
        self.today = today
        self.source = source
        self._intake = _DeferredCommit(uow)
        self._clocks = functools.lru_cache(maxsize=4096)(clocks_for(db))  # one computation per (rule, day)
        self._calendar = load_calendar(db)
        self._profile = selected_profile(db)

    def imported_before(self, fingerprints: Sequence[str]) -> dict[str, str]:
        """fingerprint → where it was imported (file and row), for the rows of an earlier import."""
        found: dict[str, str] = {}
        a = AuditEntryRecord
        for start in range(0, len(fingerprints), _CHUNK):
            chunk = list(fingerprints[start : start + _CHUNK])
            rows = self.uow.session.execute(
                select(a.entity_id, a.detail).where(a.entity == IMPORT_ROW, a.entity_id.in_(chunk))
            ).all()
            for fp, detail in rows:
                found.setdefault(str(fp), str(detail or ""))
        return found

    def known_cases(
        self, id_numbers: Sequence[str], name_phones: Sequence[tuple[str, str]]
    ) -> list[tuple[str, KnownCase, str]]:
        """Stored cases of these petitioners: (the ID number or “name|phone” matched, the case, its number)."""
        p, cp, c = PetitionerRecord, CasePetitionerRecord, CaseRecord
        out: list[tuple[str, KnownCase, str]] = []
        base = (
            select(p.id_number, p.name, p.phone, c.number, c.summary, c.received_on)
            .join(cp, cp.petitioner_id == p.id)
            .join(c, c.id == cp.case_id)
        )
        ids = sorted(set(id_numbers))
        for start in range(0, len(ids), _CHUNK):
            for idn, _, _, number, summary, received in self.uow.session.execute(
                base.where(p.id_number.in_(ids[start : start + _CHUNK]))
            ):
                out.append((str(idn), KnownCase(str(number), str(summary), received, "id_number"), str(number)))
        pairs = sorted(set(name_phones))
        for start in range(0, len(pairs), _CHUNK):
            chunk = pairs[start : start + _CHUNK]
            for _, name, phone, number, summary, received in self.uow.session.execute(
                base.where(tuple_(p.name, p.phone).in_(chunk))
            ):
                key = f"{name}|{phone}"
                out.append((key, KnownCase(str(number), str(summary), received, "name_phone"), str(number)))
        return out

    def add_cases(self, rows: Sequence[NewRow]) -> list[Registered]:
        """Register new cases (set-based, as `case import`), record where each came from, then the lifecycle the
        sheet's 信访件状态 implies."""
        if not rows:
            return []
        requests = [r.request for r in rows]
        self._intake.references.external_numbers = [r.detail.get("external_number") for r in rows]
        registered = register_cases(self._intake, requests, today=self.today, now=self.uow.now, clocks=self._clocks)
        for row, reg in zip(rows, registered, strict=True):
            self._record(row.row, row.fingerprint, reg.number, "case", row.detail)
            if row.steps:
                self._apply_steps(reg.number, row.steps, row.request.responsible_unit, row.detail)
        self.uow.audit.flush()
        return registered

    def add_submission(self, number: str, row: NewRow) -> Submitted:
        sub = row.request.submission
        self._intake.references.external_number = row.detail.get("external_number")
        submitted = register_submission(self._intake, number, sub, today=self.today)
        self._record(row.row, row.fingerprint, number, "submission", row.detail)
        return submitted

    def _record(self, row: int, fingerprint: str, number: str, kind: str, detail: dict[str, Any]) -> None:
        where = {
            "file": self.source.file,
            "sheet": self.source.sheet,
            "row": row,
            "file_sha256": self.source.sha256,
            "batch": self.source.batch,
        }
        self.uow.audit.record("import", "case", number, {**where, "as": kind, "fingerprint": fingerprint, **detail})
        self.uow.audit.record("import", IMPORT_ROW, fingerprint, {**where, "case": number, "as": kind})

    def _apply_steps(
        self, number: str, steps: tuple[ImpliedStep, ...], unit: str | None, detail: dict[str, Any]
    ) -> None:
        session = self.uow.session
        for step in steps:
            loaded = load_case(session, number)
            if step.kind == "accept":
                request = ActionRequest(action=CaseAction.ACCEPT, on=step.on, unit=unit, reason="历史数据导入：受理")
                decision = decide(
                    loaded.state,
                    loaded.facts,
                    request,
                    today=self.today,
                    calendar=self._calendar,
                    profile=self._profile,
                )
            else:
                event = EventData(
                    action=CaseAction.IMPORT.value,
                    occurred_on=step.on,
                    from_status=loaded.state.status,
                    to_status=step.status,
                    reason=f"历史数据导入：{step.status.label}",
                    details={"source": self.source.file, "external_number": detail.get("external_number")},
                )
                decision = Decision((event,), evolve(loaded.state, event))
            apply_decision(self.uow, loaded, decision, today=self.today, profile=self._profile, calendar=self._calendar)
            if decision.state.is_final:
                # A case the older system closed carries no running clock here (as the demo's migrated cases): the
                # intake's R-DL-01 clock was met there, on a day the sheet does not give.
                session.execute(delete(CaseDeadlineRecord).where(CaseDeadlineRecord.case_id == loaded.record.id))
                loaded.record.due_on = None
                loaded.record.tick_due_on = None
                session.flush()

    def flush(self) -> None:
        """Write the pending audit entries (at the end of each chunk: the fingerprints are then found by the next)."""
        self.uow.audit.flush()

    def commit(self) -> None:
        self.uow.commit()


@contextmanager
def import_transaction(
    db: Database, *, today: date, source: SourceRef, user: str | None = None
) -> Iterator[ImportTransaction]:
    """The transaction of one import; rolled back unless `commit()` is called."""
    with unit_of_work(db, user=user) as uow:
        yield ImportTransaction(uow, today=today, source=source, db=db)
