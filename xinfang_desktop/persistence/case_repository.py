"""SQL implementation of the case repository port: writes of cases, submissions, events and counters."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Table, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.cases import CaseHeader, DeadlineData, EventData, NewCase, PetitionerData, SubmissionData
from xinfang_desktop.core.codes import CaseStatus, Channel, PetitionerRole, RegionLevel
from xinfang_desktop.core.intake_rules import DuplicateCandidate, content_similarity
from xinfang_desktop.core.lifecycle_model import FINAL_STATUSES
from xinfang_desktop.core.search_text import cjk_bigrams, people_text, with_external_number
from xinfang_desktop.persistence.data_scope import require_case_in_scope
from xinfang_desktop.persistence.records import (
    AccusedUnitRecord,
    Base,
    CaseDeadlineRecord,
    CaseEventRecord,
    CasePetitionerRecord,
    CaseRecord,
    CategoryRecord,
    PetitionerRecord,
    RegionRecord,
    SubmissionRecord,
    UnitRecord,
)
from xinfang_desktop.persistence.search_schema import (
    resume_search_triggers,
    suspend_search_triggers,
    sync_search_range,
)

_FINAL = frozenset(s.value for s in FINAL_STATUSES)


class SqlCaseRepository:
    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now

    def next_number(self, kind: str, year: int) -> int:
        # One statement that both creates and increments the counter: atomic on SQLite (the write lock is
        # held from BEGIN IMMEDIATE) and on PostgreSQL (the conflicting row is locked), so two workstations
        # never receive the same value.
        stmt = text(
            "INSERT INTO number_sequences (kind, year, last_value) VALUES (:kind, :year, 1) "
            "ON CONFLICT (kind, year) DO UPDATE SET last_value = number_sequences.last_value + 1 "
            "RETURNING last_value"
        )
        value = self.session.execute(stmt, {"kind": kind, "year": year}).scalar_one()
        return int(value)

    def reserve_numbers(self, kind: str, year: int, count: int) -> int:
        """Reserve `count` consecutive values of a counter at once; returns the first."""
        stmt = text(
            "INSERT INTO number_sequences (kind, year, last_value) VALUES (:kind, :year, :count) "
            "ON CONFLICT (kind, year) DO UPDATE SET last_value = number_sequences.last_value + :count "
            "RETURNING last_value"
        )
        last = int(self.session.execute(stmt, {"kind": kind, "year": year, "count": count}).scalar_one())
        return last - count + 1

    def _petitioner_ids(self, people: list[PetitionerData]) -> list[int]:
        """Ids of these people: the stored person with the same ID number is reused (and updated), else created."""
        ids: list[int | None] = [None] * len(people)
        by_number: dict[str, int] = {}
        numbers = sorted({p.id_number for p in people if p.id_number})
        for chunk_start in range(0, len(numbers), 500):
            chunk = numbers[chunk_start : chunk_start + 500]
            rows = self.session.execute(
                select(PetitionerRecord.id_number, func.min(PetitionerRecord.id))
                .where(PetitionerRecord.id_number.in_(chunk))
                .group_by(PetitionerRecord.id_number)
            ).all()
            by_number.update({str(n): int(i) for n, i in rows})
        new_rows: list[dict[str, object]] = []
        new_slots: list[int] = []
        first_slot_of: dict[str, int] = {}
        for i, p in enumerate(people):
            if p.id_number and p.id_number in by_number:
                ids[i] = by_number[p.id_number]
            elif p.id_number and p.id_number in first_slot_of:
                continue  # the same new person twice in one batch: filled in below
            else:
                if p.id_number:
                    first_slot_of[p.id_number] = i
                new_slots.append(i)
                new_rows.append(
                    {
                        "name": p.name,
                        "id_type": p.id_type.value,
                        "id_number": p.id_number,
                        "phone": p.phone,
                        "address": p.address,
                        "created_at": self.now,
                    }
                )
        if new_rows:
            table = _table(PetitionerRecord)
            created = (
                self.session.connection()
                .execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), new_rows)
                .scalars()
                .all()
            )
            for slot, ident in zip(new_slots, created, strict=True):
                ids[slot] = int(ident)
        for i, p in enumerate(people):
            if ids[i] is None and p.id_number:
                ids[i] = ids[first_slot_of[p.id_number]]
        return [int(i) for i in ids if i is not None]

    def add(self, case: NewCase, registrar: int) -> int:
        return self.add_many([case], registrar)[0]

    def add_many(
        self, cases: Sequence[NewCase], registrar: int, external_numbers: Sequence[str | None] | None = None
    ) -> list[int]:
        """Store new cases with their petitioners, first submissions, deadlines and 登记 events, set-based.

        The search triggers stand aside while the rows go in and the search index is synced once afterwards.
        `external_numbers` (imports): the national system's 信访件编号 of each case's first submission, stored on the
        submission and written into the case's search text with the row (no second UPDATE re-indexing it).
        """
        if not cases:
            return []
        externals = list(external_numbers) if external_numbers is not None else [None] * len(cases)
        if len(externals) != len(cases):
            raise ValueError("external_numbers: one per case")
        people_of = [_people(c) for c in cases]
        flat = [p for people in people_of for p, _ in people]
        person_ids = self._petitioner_ids(flat)
        conn = self.session.connection()
        suspend_search_triggers(conn)
        # Core inserts (not the ORM's bulk path): half the per-row cost for imports of many thousand cases.
        cases_table = _table(CaseRecord)
        case_ids = [
            int(i)
            for i in conn.execute(
                insert(cases_table).returning(cases_table.c.id, sort_by_parameter_order=True),
                [
                    _case_row(c, people, registrar, ext)
                    for c, people, ext in zip(cases, people_of, externals, strict=True)
                ],
            ).scalars()
        ]
        sync_search_range(conn, min(case_ids), max(case_ids))
        resume_search_triggers(conn)
        links: list[dict[str, object]] = []
        accused: list[dict[str, object]] = []
        submissions: list[dict[str, object]] = []
        deadlines: list[dict[str, object]] = []
        events: list[dict[str, object]] = []
        cursor = 0
        for case, case_id, people, ext in zip(cases, case_ids, people_of, externals, strict=True):
            seen: set[int] = set()
            for position, (_, role) in enumerate(people):
                pid = person_ids[cursor + position]
                if pid not in seen:
                    seen.add(pid)
                    links.append({"case_id": case_id, "petitioner_id": pid, "role": role.value, "position": position})
            cursor += len(people)
            accused += [{"case_id": case_id, "name": n, "unit_id": None} for n in case.request.accused_units]
            submissions.append(self._submission_row(case_id, 1, case.request.submission, registrar, ext))
            deadlines += [_deadline_row(case_id, d) for d in case.deadlines]
            if case.event is not None:
                events.append(self._event_row(case_id, 1, case.event, registrar))
        for record, rows in (
            (CasePetitionerRecord, links),
            (AccusedUnitRecord, accused),
            (SubmissionRecord, submissions),
            (CaseDeadlineRecord, deadlines),
            (CaseEventRecord, events),
        ):
            if rows:
                conn.execute(insert(_table(record)), rows)
        if accused:
            self._link_accused_units(case_ids)
        return case_ids

    def _link_accused_units(self, case_ids: list[int]) -> None:
        self.session.execute(
            update(AccusedUnitRecord)
            .where(AccusedUnitRecord.case_id.in_(case_ids), AccusedUnitRecord.unit_id.is_(None))
            .values(unit_id=select(UnitRecord.id).where(UnitRecord.name == AccusedUnitRecord.name).scalar_subquery())
        )

    def _submission_row(
        self, case_id: int, seq: int, sub: SubmissionData, registrar: int, external_number: str | None = None
    ) -> dict[str, object]:
        return {
            "case_id": case_id,
            "seq": seq,
            "channel": sub.channel.value,
            "received_on": sub.received_on,
            "level": sub.level.value,
            "destination": sub.destination.value if sub.destination else None,
            "headcount": sub.headcount,
            "is_abnormal": sub.abnormal,
            "is_level_skipping": sub.level_skipping,
            "level_skipping_reason": sub.level_skipping_reason,
            "registrar_id": registrar,
            "recorded_at": self.now,
            "external_number": external_number,
        }

    def event_row(self, case_id: int, seq: int, event: EventData, actor: int) -> dict[str, object]:
        """The `case_events` row of one event (for bulk inserts of many events at once)."""
        return self._event_row(case_id, seq, event, actor)

    def _event_row(self, case_id: int, seq: int, event: EventData, actor: int) -> dict[str, object]:
        return {
            "case_id": case_id,
            "seq": seq,
            "action": event.action,
            "occurred_on": event.occurred_on,
            "recorded_at": self.now,
            "actor_id": actor,
            "from_status": event.from_status.value if event.from_status else None,
            "to_status": event.to_status.value if event.to_status else None,
            "reason": event.reason,
            "details": json.dumps(event.details, ensure_ascii=False, default=str) if event.details else None,
            "document": event.document,
        }

    def _insert_submission(
        self, case_id: int, seq: int, sub: SubmissionData, registrar: int, external_number: str | None = None
    ) -> int:
        row = self._submission_row(case_id, seq, sub, registrar, external_number)
        return int(self.session.execute(insert(SubmissionRecord).returning(SubmissionRecord.id), [row]).scalar_one())

    def header(self, number: str) -> CaseHeader | None:
        rec = self.session.scalar(select(CaseRecord).where(CaseRecord.number == number))
        if rec is None:
            return None
        require_case_in_scope(self.session, rec.id, number)  # a repeat visit onto another township's case: not there
        return CaseHeader(
            id=rec.id,
            number=rec.number,
            status=CaseStatus(rec.status),
            channel=Channel(rec.channel),
            locality_code=rec.locality_code,
            headcount=rec.headcount,
            is_collective=rec.is_collective,
            batches=rec.batches,
            person_visits=rec.person_visits,
            first_received_on=rec.received_on,
            last_received_on=rec.last_received_on,
        )

    def add_submission(
        self, case_id: int, submission: SubmissionData, registrar: int, external_number: str | None = None
    ) -> int:
        """A later submission; its 信访件编号 (imports) is stored on it and added to the case's search text."""
        last_seq = self.session.scalar(
            select(func.max(SubmissionRecord.seq)).where(SubmissionRecord.case_id == case_id)
        )
        sub_id = self._insert_submission(case_id, int(last_seq or 0) + 1, submission, registrar, external_number)
        rec = self.session.get(CaseRecord, case_id)
        assert rec is not None
        if external_number:
            rec.search_people = with_external_number(rec.search_people, external_number)
        rec.batches += 1
        rec.person_visits += submission.headcount
        rec.is_repeat = True
        rec.is_level_skipping = rec.is_level_skipping or submission.level_skipping
        rec.last_received_on = max(rec.last_received_on, submission.received_on)
        self.session.flush()  # the version column guards against a concurrent edit of the same case
        return sub_id

    def add_event(self, case_id: int, event: EventData, actor: int) -> int:
        last_seq = self.session.scalar(select(func.max(CaseEventRecord.seq)).where(CaseEventRecord.case_id == case_id))
        row = self._event_row(case_id, int(last_seq or 0) + 1, event, actor)
        event_id = int(self.session.execute(insert(CaseEventRecord).returning(CaseEventRecord.id), [row]).scalar_one())
        if event.action == CaseAction.SUBMIT.value:
            self._note_repeat(case_id, event.occurred_on)
        return event_id

    def _note_repeat(self, case_id: int, on: date) -> None:
        """A later visit may open a 督办 at the next tick (R-LC-01 repeat trigger): the case is due from its day at the
        latest (issue 19: the tick stores the exact day after examining it; lifecycle writes keep it otherwise)."""
        rec = self.session.get(CaseRecord, case_id)
        if rec is not None and rec.status not in _FINAL and (rec.tick_due_on is None or rec.tick_due_on > on):
            rec.tick_due_on = on

    def find_duplicates(
        self, id_number: str | None, name: str, phone: str | None, summary: str, limit: int = 10
    ) -> list[DuplicateCandidate]:
        conditions = []
        if id_number:
            conditions.append(PetitionerRecord.id_number == id_number)
        if name and phone:
            conditions.append((PetitionerRecord.name == name) & (PetitionerRecord.phone == phone))
        if not conditions:
            return []
        rows = self.session.execute(
            select(
                CaseRecord.id,
                CaseRecord.number,
                CaseRecord.summary,
                CaseRecord.status,
                PetitionerRecord.name,
                PetitionerRecord.id_number,
            )
            .join(CasePetitionerRecord, CasePetitionerRecord.petitioner_id == PetitionerRecord.id)
            .join(CaseRecord, CaseRecord.id == CasePetitionerRecord.case_id)
            .where(or_(*conditions))
            .order_by(CaseRecord.id.desc())
            .limit(200)
        ).all()
        found: dict[int, DuplicateCandidate] = {}
        for case_id, number, case_summary, status, pname, pid in rows:
            if case_id in found:
                continue
            matched = "id_number" if id_number and pid == id_number else "name_phone"
            found[case_id] = DuplicateCandidate(
                case_id=case_id,
                number=number,
                petitioner_name=pname,
                matched_on=matched,
                similarity=content_similarity(summary, case_summary),
                summary=case_summary,
                status_label=CaseStatus(status).label,
            )
        ranked = sorted(found.values(), key=lambda c: (c.matched_on != "id_number", -c.similarity))
        return ranked[:limit]

    def unit_id(self, name: str) -> int | None:
        return self.session.scalar(select(UnitRecord.id).where(UnitRecord.name == name))

    def find_region(self, code_or_name: str) -> tuple[str, RegionLevel] | None:
        row = self.session.execute(
            select(RegionRecord.code, RegionRecord.level)
            .where(or_(RegionRecord.code == code_or_name, RegionRecord.name == code_or_name))
            .order_by(RegionRecord.code != code_or_name, RegionRecord.code)
            .limit(1)
        ).first()
        return (row.code, RegionLevel(row.level)) if row else None

    def find_category(self, code_or_name: str) -> str | None:
        return self.session.scalar(
            select(CategoryRecord.code)
            .where(or_(CategoryRecord.code == code_or_name, CategoryRecord.name == code_or_name))
            .order_by(CategoryRecord.code != code_or_name, CategoryRecord.code)
            .limit(1)
        )


def _people(case: NewCase) -> list[tuple[PetitionerData, PetitionerRole]]:
    req = case.request
    people = [(req.petitioner, PetitionerRole.PRINCIPAL)]
    people += [(p, PetitionerRole.REPRESENTATIVE) for p in req.representatives]
    people += [(p, PetitionerRole.MEMBER) for p in req.members]
    return people


def _case_row(
    case: NewCase,
    people: list[tuple[PetitionerData, PetitionerRole]],
    registrar: int,
    external_number: str | None = None,
) -> dict[str, object]:
    req = case.request
    sub = req.submission
    addresses = [p.address for p, _ in people if p.address]
    return {
        "number": case.number,
        "year": case.year,
        "received_on": sub.received_on,
        "registered_at": case.registered_at,
        "channel": sub.channel.value,
        "purpose": req.purpose.value,
        "category_code": req.category_code,
        "locality_code": req.locality_code,
        "summary": req.summary,
        "status": case.status.value,
        "responsible_unit_id": case.responsible_unit_id,
        "headcount": sub.headcount,
        "is_collective": case.is_collective,
        "is_repeat": False,
        "is_level_skipping": sub.level_skipping,
        "is_first_submission": req.first_submission,
        "is_backlog": False,
        "is_accusation": case.is_accusation,
        "batches": 1,
        "person_visits": sub.headcount,
        "last_received_on": sub.received_on,
        "due_on": min((d.due_on for d in case.deadlines), default=None),
        "registrar_id": registrar,
        "handler_id": registrar,  # 我的在办事项 starts with the cases I registered
        "search_people": people_text(
            case.number, [(p.name, p.id_number, p.phone) for p, _ in people], (external_number,)
        ),
        "search_address": " ".join(addresses),
        "search_bigrams": cjk_bigrams([p.name for p, _ in people] + addresses),
        "version": 1,
    }


def _deadline_row(case_id: int, d: DeadlineData) -> dict[str, object]:
    return {
        "case_id": case_id,
        "rule_id": d.rule_id,
        "start_event": d.start_event,
        "start_on": d.start_on,
        "due_on": d.due_on,
        "provisional": d.provisional,
        "explanation": d.explanation,
        "met_on": None,
    }


def _table(record: type[Base]) -> Table:
    """The Core table behind a record, for set-based inserts."""
    table = record.__table__
    assert isinstance(table, Table)
    return table
