"""Leader reception days (领导接访) and instructions (阅批), R-RC: plan, record, compliance, roster, the meter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.codes import Channel
from xinfang_desktop.core.errors import ConflictError, FieldProblem, ValidationError
from xinfang_desktop.core.field_rules import check_text
from xinfang_desktop.core.packages import LeaderLevel, Rank, parse_code
from xinfang_desktop.core.reception import (
    LIGHT_LABELS,
    Period,
    ReceptionDayInfo,
    compliance,
    duty_roster,
    instruction_meter,
)
from xinfang_desktop.persistence.data_scope import require_case_in_scope
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.packages_store import resolve_leader
from xinfang_desktop.persistence.records import CaseRecord, LeaderRecord
from xinfang_desktop.persistence.records_packages import (
    LeaderInstructionRecord,
    ReceptionCaseRecord,
    ReceptionDayRecord,
)
from xinfang_desktop.persistence.uow import unit_of_work


def _day_json(rec: ReceptionDayRecord, leader: LeaderRecord, cases: Sequence[str]) -> dict[str, Any]:
    return {
        "id": rec.id,
        "leader": leader.name,
        "leader_id": leader.id,
        "date": rec.on_date.isoformat(),
        "place": rec.place,
        "duty": rec.is_duty,
        "held": rec.held,
        "petitioners_received": rec.petitioners_received,
        "cases": list(cases),
        "notes": rec.notes,
    }


def _check_place(place: str | None, notes: str | None) -> None:
    problems = check_text("place", "接访地点", place, max_length=128, required=False)
    problems += check_text("notes", "备注", notes, max_length=2000, required=False, multiline=True)
    if problems:
        raise ValidationError(problems)


@requires("package.manage")
def plan_reception(
    db: Database, leader: str, on: date, *, place: str | None = None, duty: bool = False
) -> dict[str, Any]:
    """Plan a reception day (R-RC-01), or a duty day of a special protection period (`duty`)."""
    _check_place(place, None)
    with unit_of_work(db) as uow:
        s = uow.session
        ld = resolve_leader(s, leader)
        exists = s.scalar(
            select(ReceptionDayRecord.id).where(ReceptionDayRecord.leader_id == ld.id, ReceptionDayRecord.on_date == on)
        )
        if exists is not None:
            raise ConflictError(f"{ld.name} 在 {on} 已有接访安排（编号 {exists}）", field="date")
        rec = ReceptionDayRecord(
            leader_id=ld.id,
            on_date=on,
            place=place.strip() if place else None,
            is_duty=duty,
            held=False,
            petitioners_received=0,
            created_at=uow.now,
        )
        s.add(rec)
        s.flush()
        uow.audit.record("plan", "reception_day", str(rec.id), {"leader": ld.name, "date": on, "duty": duty})
        result = _day_json(rec, ld, [])
        uow.commit()
    return result


@requires("package.manage")
def record_reception(
    db: Database,
    leader: str,
    on: date,
    *,
    received: int,
    cases: Sequence[str] = (),
    place: str | None = None,
    notes: str | None = None,
    today: date,
) -> dict[str, Any]:
    """Record a held reception: petitioners received and the cases registered from it (R-PK-06 links them).

    A planned day becomes held; an unplanned reception is recorded as held directly.
    """
    problems: list[FieldProblem] = []
    if on > today:
        problems.append(FieldProblem("date", "接访日期", f"{on} 晚于今天，尚未发生的接访请用 reception plan"))
    if received < 0:
        problems.append(FieldProblem("received", "接待人数", "不能为负数"))
    if problems:
        raise ValidationError(problems)
    _check_place(place, notes)
    with unit_of_work(db) as uow:
        s = uow.session
        ld = resolve_leader(s, leader)
        case_recs = []
        for number in dict.fromkeys(c.strip() for c in cases):
            rec_case = s.scalar(select(CaseRecord).where(CaseRecord.number == number))
            if rec_case is None:
                raise ValidationError([FieldProblem("case", "信访事项", f"未找到信访事项 {number}")])
            require_case_in_scope(s, rec_case.id, number)
            case_recs.append(rec_case)
        rec = s.scalar(
            select(ReceptionDayRecord).where(ReceptionDayRecord.leader_id == ld.id, ReceptionDayRecord.on_date == on)
        )
        action = "record"
        if rec is None:
            rec = ReceptionDayRecord(leader_id=ld.id, on_date=on, is_duty=False, created_at=uow.now)
            s.add(rec)
            action = "record_unplanned"
        rec.held = True
        rec.petitioners_received = received
        if place:
            rec.place = place.strip()
        if notes:
            rec.notes = notes.strip()
        s.flush()
        linked = set(
            s.scalars(select(ReceptionCaseRecord.case_id).where(ReceptionCaseRecord.reception_day_id == rec.id))
        )
        for c in case_recs:
            if c.id not in linked:
                s.add(ReceptionCaseRecord(reception_day_id=rec.id, case_id=c.id))
        s.flush()
        numbers = s.scalars(
            select(CaseRecord.number)
            .join(ReceptionCaseRecord, ReceptionCaseRecord.case_id == CaseRecord.id)
            .where(ReceptionCaseRecord.reception_day_id == rec.id)
            .order_by(CaseRecord.number)
        ).all()
        uow.audit.record(
            action,
            "reception_day",
            str(rec.id),
            {"leader": ld.name, "date": on, "received": received, "cases": [c.number for c in case_recs]},
        )
        result = _day_json(rec, ld, numbers)
        uow.commit()
    return result


def list_receptions(db: Database, period: Period, *, leader: str | None = None) -> list[dict[str, Any]]:
    with db.read_session() as s:
        q = (
            select(ReceptionDayRecord, LeaderRecord)
            .join(LeaderRecord, LeaderRecord.id == ReceptionDayRecord.leader_id)
            .where(ReceptionDayRecord.on_date.between(period.start, period.end))
        )
        if leader:
            q = q.where(ReceptionDayRecord.leader_id == resolve_leader(s, leader).id)
        out = []
        for rec, ld in s.execute(q.order_by(ReceptionDayRecord.on_date, ReceptionDayRecord.leader_id)).all():
            numbers = s.scalars(
                select(CaseRecord.number)
                .join(ReceptionCaseRecord, ReceptionCaseRecord.case_id == CaseRecord.id)
                .where(ReceptionCaseRecord.reception_day_id == rec.id)
            ).all()
            out.append(_day_json(rec, ld, numbers))
    return out


@dataclass(frozen=True)
class _Leader:
    id: int
    name: str
    post: str
    level: str
    rank: str
    region_code: str | None


def _leaders(session: Session) -> list[_Leader]:
    rows = session.execute(
        select(
            LeaderRecord.id,
            LeaderRecord.name,
            LeaderRecord.post,
            LeaderRecord.level,
            LeaderRecord.rank,
            LeaderRecord.region_code,
        ).order_by(LeaderRecord.id)
    ).all()
    return [_Leader(*row) for row in rows]


def _days(db: Database, start: date, end: date) -> tuple[list[_Leader], list[ReceptionDayInfo]]:
    with db.read_session() as s:
        leaders = _leaders(s)
        rows = s.execute(
            select(
                ReceptionDayRecord.leader_id,
                ReceptionDayRecord.on_date,
                ReceptionDayRecord.held,
                ReceptionDayRecord.petitioners_received,
            ).where(ReceptionDayRecord.on_date.between(start, end))
        ).all()
    return leaders, [ReceptionDayInfo(lid, on, bool(held), n) for lid, on, held, n in rows]


def reception_compliance(
    db: Database, period: Period, *, today: date, level: str | None = None
) -> list[dict[str, Any]]:
    """R-RC-01 compliance of every leader (optionally one level) over the period, in green and red."""
    want = parse_code(LeaderLevel, level, field="level") if level else None
    # The windows of the period may start before it (a city quarter around a month): widen the read by a year.
    start = date(period.start.year - 1, 1, 1)
    end = date(period.end.year + 1, 12, 31)
    leaders, days = _days(db, start, end)
    out = []
    for ld in leaders:
        lv = LeaderLevel(ld.level)
        if want is not None and lv is not want:
            continue
        result = compliance(ld.id, lv, days, period, today)
        received = sum(
            d.received for d in days if d.leader_id == ld.id and d.held and period.start <= d.on <= period.end
        )
        out.append(result.to_json() | {"leader": ld.name, "post": ld.post, "petitioners_received": received})
    return out


def reception_roster(db: Database, start: date, end: date, levels: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The daily duty roster of a special protection period with its gaps (R-RC-01)."""
    want = [parse_code(LeaderLevel, lv, field="level") for lv in levels] or list(LeaderLevel)
    leaders, days = _days(db, start, end)
    names = {ld.id: ld.name for ld in leaders}
    roster = duty_roster(start, end, days, {ld.id: LeaderLevel(ld.level) for ld in leaders}, want)
    return [
        r.to_json() | {"names": {lv.label: [names[i] for i in ids] for lv, ids in r.on_duty.items()}} for r in roster
    ]


# ------------------------------------------------------------------------------------------------ 阅批


@requires("package.manage")
def add_instruction(db: Database, leader: str, case: str, on: date, text: str, *, today: date) -> dict[str, Any]:
    """Record a leader's instruction (阅批) on a letter (R-RC-02)."""
    problems = check_text("text", "批示内容", text, max_length=2000, multiline=True)
    if on > today:
        problems.append(FieldProblem("date", "批示日期", f"{on} 晚于今天"))
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db) as uow:
        s = uow.session
        ld = resolve_leader(s, leader)
        rec_case = s.scalar(select(CaseRecord).where(CaseRecord.number == case.strip()))
        if rec_case is None:
            raise ValidationError([FieldProblem("case", "信访事项", f"未找到信访事项 {case}")])
        require_case_in_scope(s, rec_case.id, case.strip())
        if on < rec_case.received_on:
            raise ValidationError([FieldProblem("date", "批示日期", f"{on} 早于来信收到日期 {rec_case.received_on}")])
        rec = LeaderInstructionRecord(
            leader_id=ld.id, case_id=rec_case.id, instructed_on=on, text=text.strip(), created_at=uow.now
        )
        s.add(rec)
        s.flush()
        uow.audit.record("create", "leader_instruction", str(rec.id), {"leader": ld.name, "case": rec_case.number})
        result = {
            "id": rec.id,
            "leader": ld.name,
            "case": rec_case.number,
            "date": on.isoformat(),
            "text": rec.text,
            "first_letter": rec_case.channel == Channel.LETTER.value and rec_case.is_first_submission,
        }
        uow.commit()
    return result


def region_prefix(code: str | None) -> str:
    """Cases of a region are those whose locality code starts with this prefix (330000 → 33, 331200 → 3312)."""
    if not code:
        return ""
    if len(code) == 6:
        while code.endswith("00") and len(code) > 2:
            code = code[:-2]
    return code


def instruction_meters(db: Database, quarter: Period) -> list[dict[str, Any]]:
    """R-RC-02 per leader: the share of the quarter's first letters (in the leader's region) the leader instructed.

    Principal leaders (正职) carry the 30% duty; other leaders appear when they instructed a letter.
    """
    with db.read_session() as s:
        letters = s.execute(
            select(CaseRecord.id, CaseRecord.locality_code).where(
                CaseRecord.channel == Channel.LETTER.value,
                CaseRecord.is_first_submission.is_(True),
                CaseRecord.received_on.between(quarter.start, quarter.end),
            )
        ).all()
        leaders = _leaders(s)
        instructed: dict[int, set[int]] = {}
        for lid, cid in s.execute(select(LeaderInstructionRecord.leader_id, LeaderInstructionRecord.case_id)).all():
            instructed.setdefault(lid, set()).add(cid)
    out = []
    for ld in leaders:
        principal = ld.rank == Rank.PRINCIPAL.value
        if not principal and ld.id not in instructed:
            continue
        prefix = region_prefix(ld.region_code)
        mine = [cid for cid, loc in letters if not prefix or (loc or "").startswith(prefix)]
        meter = instruction_meter(ld.id, mine, instructed.get(ld.id, set()), applies=principal)
        data = meter.to_json() | {"leader": ld.name, "post": ld.post, "quarter": quarter.label}
        data["light_label"] = LIGHT_LABELS[meter.light] if principal else None
        out.append(data)
    return out
