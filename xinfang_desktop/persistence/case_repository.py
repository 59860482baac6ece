"""SQL implementation of the case repository port: writes of cases, submissions, events and counters."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from xinfang_desktop.core.cases import CaseHeader, EventData, NewCase, PetitionerData, SubmissionData
from xinfang_desktop.core.codes import CaseStatus, Channel, PetitionerRole, RegionLevel
from xinfang_desktop.core.intake_rules import DuplicateCandidate, content_similarity
from xinfang_desktop.core.search_text import cjk_bigrams, people_text
from xinfang_desktop.persistence.records import (
    AccusedUnitRecord,
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

    def _petitioner_id(self, p: PetitionerData) -> int:
        """Reuse the stored person with the same ID number, else create one."""
        if p.id_number:
            existing = self.session.scalar(
                select(PetitionerRecord.id).where(PetitionerRecord.id_number == p.id_number).limit(1)
            )
            if existing is not None:
                self.session.execute(
                    update(PetitionerRecord)
                    .where(PetitionerRecord.id == existing)
                    .values(
                        name=p.name,
                        phone=p.phone or PetitionerRecord.phone,
                        address=p.address or PetitionerRecord.address,
                    )
                )
                return int(existing)
        record = PetitionerRecord(
            name=p.name,
            id_type=p.id_type.value,
            id_number=p.id_number,
            phone=p.phone,
            address=p.address,
            created_at=self.now,
        )
        self.session.add(record)
        self.session.flush()
        return record.id

    def add(self, case: NewCase, registrar: int) -> int:
        req = case.request
        sub = req.submission
        people: list[tuple[PetitionerData, PetitionerRole]] = [(req.petitioner, PetitionerRole.PRINCIPAL)]
        people += [(p, PetitionerRole.REPRESENTATIVE) for p in req.representatives]
        people += [(p, PetitionerRole.MEMBER) for p in req.members]
        addresses = [p.address for p, _ in people if p.address]
        record = CaseRecord(
            number=case.number,
            year=case.year,
            received_on=sub.received_on,
            registered_at=case.registered_at,
            channel=sub.channel.value,
            purpose=req.purpose.value,
            category_code=req.category_code,
            locality_code=req.locality_code,
            summary=req.summary,
            status=case.status.value,
            responsible_unit_id=case.responsible_unit_id,
            headcount=sub.headcount,
            is_collective=case.is_collective,
            is_repeat=False,
            is_level_skipping=sub.level_skipping,
            is_first_submission=req.first_submission,
            is_backlog=False,
            is_accusation=case.is_accusation,
            batches=1,
            person_visits=sub.headcount,
            last_received_on=sub.received_on,
            due_on=min((d.due_on for d in case.deadlines), default=None),
            registrar_id=registrar,
            search_people=people_text(case.number, [(p.name, p.id_number, p.phone) for p, _ in people]),
            search_address=" ".join(addresses),
            search_bigrams=cjk_bigrams([p.name for p, _ in people] + addresses),
        )
        self.session.add(record)
        self.session.flush()
        seen: set[int] = set()
        for position, (person, role) in enumerate(people):
            pid = self._petitioner_id(person)
            if pid in seen:
                continue
            seen.add(pid)
            self.session.add(
                CasePetitionerRecord(case_id=record.id, petitioner_id=pid, role=role.value, position=position)
            )
        for name in req.accused_units:
            unit = self.unit_id(name)
            self.session.add(AccusedUnitRecord(case_id=record.id, name=name, unit_id=unit))
        self._insert_submission(record.id, 1, sub, registrar)
        for d in case.deadlines:
            self.session.add(
                CaseDeadlineRecord(
                    case_id=record.id,
                    rule_id=d.rule_id,
                    start_event=d.start_event,
                    start_on=d.start_on,
                    due_on=d.due_on,
                    provisional=d.provisional,
                    explanation=d.explanation,
                    met_on=None,
                )
            )
        self.session.flush()
        return record.id

    def _insert_submission(self, case_id: int, seq: int, sub: SubmissionData, registrar: int) -> int:
        result = self.session.execute(
            insert(SubmissionRecord)
            .values(
                case_id=case_id,
                seq=seq,
                channel=sub.channel.value,
                received_on=sub.received_on,
                level=sub.level.value,
                destination=sub.destination.value if sub.destination else None,
                headcount=sub.headcount,
                is_abnormal=sub.abnormal,
                is_level_skipping=sub.level_skipping,
                level_skipping_reason=sub.level_skipping_reason,
                registrar_id=registrar,
                recorded_at=self.now,
            )
            .returning(SubmissionRecord.id)
        )
        return int(result.scalar_one())

    def header(self, number: str) -> CaseHeader | None:
        rec = self.session.scalar(select(CaseRecord).where(CaseRecord.number == number))
        if rec is None:
            return None
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

    def add_submission(self, case_id: int, submission: SubmissionData, registrar: int) -> int:
        last_seq = self.session.scalar(
            select(func.max(SubmissionRecord.seq)).where(SubmissionRecord.case_id == case_id)
        )
        sub_id = self._insert_submission(case_id, int(last_seq or 0) + 1, submission, registrar)
        rec = self.session.get(CaseRecord, case_id)
        assert rec is not None
        rec.batches += 1
        rec.person_visits += submission.headcount
        rec.is_repeat = True
        rec.is_level_skipping = rec.is_level_skipping or submission.level_skipping
        rec.last_received_on = max(rec.last_received_on, submission.received_on)
        self.session.flush()  # the version column guards against a concurrent edit of the same case
        return sub_id

    def add_event(self, case_id: int, event: EventData, actor: int) -> int:
        last_seq = self.session.scalar(select(func.max(CaseEventRecord.seq)).where(CaseEventRecord.case_id == case_id))
        record = CaseEventRecord(
            case_id=case_id,
            seq=int(last_seq or 0) + 1,
            action=event.action,
            occurred_on=event.occurred_on,
            recorded_at=self.now,
            actor_id=actor,
            from_status=event.from_status.value if event.from_status else None,
            to_status=event.to_status.value if event.to_status else None,
            reason=event.reason,
            details=json.dumps(event.details, ensure_ascii=False, default=str) if event.details else None,
            document=event.document,
        )
        self.session.add(record)
        self.session.flush()
        return record.id

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
