"""职责落实 (R-RC-03…06): record a periodic duty done (meeting, inspection, screening, visit) with its minutes, list and
void records, and the compliance of every subject per period.

The duties come from the office's rule profile (`profile.section("duties")`, core/duties.py). Every write is one
transaction with an audit entry; bad input raises a DomainError before anything is written (the minutes file is
copied into the attachment store only once the input was checked, and removed again if the write fails).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from xinfang_desktop.core.duties import (
    AppliesTo,
    Duty,
    DutyCompliance,
    DutyEvent,
    PlaceRule,
    Span,
    duty_compliance,
    find_duty,
    parse_duties,
    parse_period,
    summarise,
)
from xinfang_desktop.core.errors import ConflictError, DomainError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.field_rules import check_text
from xinfang_desktop.core.rule_profiles import RuleProfile
from xinfang_desktop.persistence.attachments import (
    MAX_ATTACHMENT_BYTES,
    place_file,
    stored_path,
)
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.duties.contact_points import load_contact_points, resolve_place
from xinfang_desktop.persistence.duties.queries import (
    Carriers,
    load_carriers,
    resolve_leader,
    resolve_township,
    resolve_unit,
)
from xinfang_desktop.persistence.duties.records import DutyRecord, LeaderContactPointRecord
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import AttachmentRecord, LeaderRecord, RegionRecord, UnitRecord, UserRecord
from xinfang_desktop.persistence.rule_profile_store import selected_profile
from xinfang_desktop.persistence.uow import unit_of_work

BODY_MAX = 128
TEXT_MAX = 2000
EARLIEST = date(2000, 1, 1)


def duties_of(profile: RuleProfile) -> tuple[Duty, ...]:
    """The duties of a profile (its own section, or the one it inherits)."""
    return parse_duties(profile.section("duties"))


def list_kinds(db: Database, *, profile: str | None = None) -> dict[str, Any]:
    """The duties of the office's profile (or `profile`) with their requirement and citation."""
    prof = selected_profile(db, profile)
    return {"profile": prof.id, "profile_name": prof.name, "kinds": [d.to_json() for d in duties_of(prof)]}


def record_choices(db: Database) -> dict[str, Any]:
    """What the 登记 dialog offers: the duties, and the units, townships and leaders each kind may name."""
    prof = selected_profile(db)
    with db.read_session() as s:
        carriers = load_carriers(s)
        years = s.scalars(select(LeaderContactPointRecord.year).distinct())
        points = load_contact_points(s, carriers, list(years))
    return {
        "profile": prof.id,
        "profile_name": prof.name,
        "kinds": [d.to_json() for d in duties_of(prof)],
        "units": [name for _, name in carriers.units],
        "townships": [name for _, name in carriers.townships],
        # Where a leader may go: every township and every registered unit; his contact points by year first.
        "places": [name for _, name in carriers.townships]
        + sorted(n for n in carriers.unit_names.values() if n not in carriers.township_units),
        "contact_points": {
            key.partition(":")[2]: {
                str(year): sorted(n for k in keys if (n := carriers.place_name(k))) for year, keys in by_year.items()
            }
            for key, by_year in points.items()
        },
        "leaders": [
            {"id": i, "name": n, "post": p, "level": lv, "label": f"{n}（{p}）" if p else n}
            for i, n, p, lv in carriers.leaders
        ],
    }


# --- recording ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyInput:
    """One duty done: the kind (or its label), the day, and the subject its `applies_to` asks for — a unit, a township
    or a leader (a leader's visit may also name the contact unit or township visited)."""

    kind: str
    held_on: date
    body: str | None = None
    unit: str | None = None
    township: str | None = None
    leader: str | None = None
    participants: str | None = None
    topic: str | None = None
    minutes: Path | None = None
    notes: str | None = None


@dataclass(frozen=True)
class _Resolved:
    duty: Duty
    body: str
    subject: str
    unit_id: int | None
    region_code: str | None
    leader_id: int | None


def _clean(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _check_texts(inp: DutyInput) -> None:
    problems: list[FieldProblem] = []
    problems += check_text("body", "开展机关（会议）", inp.body, max_length=BODY_MAX, required=False)
    problems += check_text(
        "participants", "参加人员", inp.participants, max_length=TEXT_MAX, required=False, multiline=True
    )
    problems += check_text("topic", "议题", inp.topic, max_length=TEXT_MAX, required=False, multiline=True)
    problems += check_text("notes", "备注", inp.notes, max_length=TEXT_MAX, required=False, multiline=True)
    if problems:
        raise ValidationError(problems)


def _check_day(held_on: date, today: date) -> None:
    if held_on > today:
        raise DomainError(f"开展日期{held_on.isoformat()}晚于今天（{today.isoformat()}）", field="date")
    if held_on < EARLIEST:
        raise DomainError(f"开展日期{held_on.isoformat()}早于{EARLIEST.isoformat()}", field="date")


def _check_minutes(path: Path | None) -> None:
    if path is None:
        return
    if not path.is_file():
        raise NotFoundError(f"找不到会议纪要文件：{path}", field="minutes")
    if path.stat().st_size > MAX_ATTACHMENT_BYTES:
        raise DomainError(f"会议纪要文件超过 {MAX_ATTACHMENT_BYTES // 1024**3} GB，无法保存", field="minutes")


def _resolve(carriers: Carriers, duty: Duty, inp: DutyInput) -> _Resolved:
    """The subject the duty's `applies_to` asks for, found in the register; a subject it does not take is refused."""
    unit, township, leader = _clean(inp.unit), _clean(inp.township), _clean(inp.leader)
    body = _clean(inp.body)
    where = f"{duty.label}（{duty.subject_label()}）"
    if duty.applies_to is AppliesTo.COUNTY:
        given = [label for label, v in (("单位", unit), ("乡镇（街道）", township), ("领导", leader)) if v]
        if given:
            raise DomainError(f"{where}由县本级开展，不应指定{'、'.join(given)}", field="unit")
        name = body or duty.body or "县本级"
        return _Resolved(duty, name, duty.body or name, None, None, None)
    if duty.applies_to is AppliesTo.UNITS:
        if township or leader:
            raise DomainError(f"{where}按县直单位登记，不应指定{'乡镇（街道）' if township else '领导'}", field="unit")
        if not unit:
            raise DomainError(f"{where}须指定开展的县直单位（--unit）", field="unit")
        unit_id, unit_name = resolve_unit(carriers, unit, duty)
        return _Resolved(duty, body or unit_name, unit_name, unit_id, None, None)
    if duty.applies_to is AppliesTo.TOWNSHIPS:
        if unit or leader:
            raise DomainError(f"{where}按乡镇（街道）登记，不应指定{'单位' if unit else '领导'}", field="township")
        if not township:
            raise DomainError(f"{where}须指定开展的乡镇（街道）（--township）", field="township")
        code, township_name = resolve_township(carriers, township)
        return _Resolved(duty, body or township_name, township_name, None, code, None)
    if not leader:
        raise DomainError(f"{where}须指定领导（--leader）", field="leader")
    leader_id, leader_label = resolve_leader(carriers, leader, duty)
    # A leader's visit names the place visited (a unit or a township); a duty with a place rule counts it only at the
    # leader's contact points (R-RC-06), others keep it with the record.
    visited_unit, visited_township = (
        resolve_place(carriers, unit=unit, township=township) if unit or township else (None, None)
    )
    return _Resolved(duty, body or leader_label, leader_label, visited_unit, visited_township, leader_id)


def _duty(db: Database, kind: str, profile: str | None = None) -> tuple[RuleProfile, Duty]:
    prof = selected_profile(db, profile)
    return prof, find_duty(duties_of(prof), kind, f"规则配置“{prof.name}”")


def _duplicate(s: Session, r: _Resolved, held_on: date) -> int | None:
    d = DutyRecord
    cond = [d.kind == r.duty.kind, d.held_on == held_on, d.voided_at.is_(None)]
    if r.duty.applies_to is AppliesTo.UNITS:
        cond.append(d.unit_id == r.unit_id)
    elif r.duty.applies_to is AppliesTo.TOWNSHIPS:
        cond.append(d.region_code == r.region_code)
    elif r.duty.applies_to is AppliesTo.LEADERS:
        cond.append(d.leader_id == r.leader_id)
    else:
        cond.append(d.body == r.body)
    return s.scalar(select(d.id).where(*cond).limit(1))


@requires("accountability.manage")
def record_duty(
    db: Database, inp: DutyInput, *, today: date, profile: str | None = None, user: str | None = None
) -> dict[str, Any]:
    """Record one duty done (R-RC-03…06) with its minutes as an attachment; audited."""
    _check_texts(inp)
    _, duty = _duty(db, inp.kind, profile)
    _check_day(inp.held_on, today)
    _check_minutes(inp.minutes)
    with db.read_session() as s:
        resolved = _resolve(load_carriers(s), duty, inp)
        if (dup := _duplicate(s, resolved, inp.held_on)) is not None:
            raise ConflictError(
                f"{resolved.subject}在 {inp.held_on.isoformat()} 的“{duty.label}”已登记（编号 {dup}）", field="date"
            )
    placed: Path | None = None
    minutes: tuple[str, int] | None = None
    if inp.minutes is not None:
        sha256, size, placed = place_file(db, inp.minutes)
        minutes = (sha256, size)
    try:
        with unit_of_work(db, user=user) as uow:
            s = uow.session
            resolved = _resolve(load_carriers(s), duty, inp)  # again, in the write transaction
            if (dup := _duplicate(s, resolved, inp.held_on)) is not None:
                raise ConflictError(f"“{duty.label}”已登记（编号 {dup}）", field="date")
            attachment_id = None
            if inp.minutes is not None and minutes is not None:
                media_type = mimetypes.guess_type(inp.minutes.name)[0] or "application/octet-stream"
                att = AttachmentRecord(
                    case_id=None,
                    sha256=minutes[0],
                    name=inp.minutes.name[:255],
                    media_type=media_type,
                    size=minutes[1],
                    added_by=uow.user_id,
                    added_at=uow.now,
                )
                s.add(att)
                s.flush()
                attachment_id = att.id
            rec = DutyRecord(
                kind=duty.kind,
                held_on=inp.held_on,
                body=resolved.body,
                unit_id=resolved.unit_id,
                leader_id=resolved.leader_id,
                region_code=resolved.region_code,
                participants=_clean(inp.participants),
                topic=_clean(inp.topic),
                minutes_attachment_id=attachment_id,
                notes=_clean(inp.notes),
                created_at=uow.now,
                created_by=uow.user_id,
            )
            s.add(rec)
            s.flush()
            if attachment_id is not None and minutes is not None:
                detail = {"sha256": minutes[0], "size": minutes[1], "duty_record": rec.id}
                uow.audit.record("create", "attachment", f"duty/{rec.id}/{attachment_id}", detail)
            uow.audit.record(
                "create",
                "duty_record",
                str(rec.id),
                {"kind": duty.kind, "held_on": inp.held_on, "subject": resolved.subject, "body": resolved.body},
            )
            result = _record_json(s, rec, {duty.kind: duty})
            result["warnings"] = _place_warnings(s, duty, rec)
            uow.commit()
    except BaseException:
        if placed is not None:  # nobody else refers to a file this call put there
            placed.unlink(missing_ok=True)
        raise
    return result


def _place_warnings(s: Session, duty: Duty, rec: DutyRecord) -> list[str]:
    """R-RC-06: a visit recorded elsewhere than at one of the leader's contact points is kept but will not count."""
    if duty.place is not PlaceRule.CONTACT_POINT or rec.leader_id is None:
        return []
    carriers = load_carriers(s)
    points = load_contact_points(s, carriers, [rec.held_on.year]).get(f"leader:{rec.leader_id}", {})
    mine = points.get(rec.held_on.year)
    if not mine:
        return [f"该领导尚未登记{rec.held_on.year}年联系点，所到单位无法核对"]
    place = carriers.place_key(rec.unit_id, rec.region_code)
    if place in mine:
        return []
    where = f"“{carriers.place_name(place)}”" if place else "（未填写所到单位）"
    names = "、".join(sorted(n for k in mine if (n := carriers.place_name(k))))
    return [f"所到{where}不是该领导{rec.held_on.year}年的联系点（{names}），本次督导不计入落实情况"]


# --- reading and voiding ------------------------------------------------------------------------------------------


def _record_json(s: Session, rec: DutyRecord, duties: dict[str, Duty]) -> dict[str, Any]:
    duty = duties.get(rec.kind)
    unit = s.get(UnitRecord, rec.unit_id) if rec.unit_id else None
    region = s.get(RegionRecord, rec.region_code) if rec.region_code else None
    leader = s.get(LeaderRecord, rec.leader_id) if rec.leader_id else None
    att = s.get(AttachmentRecord, rec.minutes_attachment_id) if rec.minutes_attachment_id else None
    author = s.get(UserRecord, rec.created_by)
    voider = s.get(UserRecord, rec.voided_by) if rec.voided_by else None
    if leader is not None:
        subject = f"{leader.name}（{leader.post}）" if leader.post else leader.name
    elif unit is not None:
        subject = unit.name
    elif region is not None:
        subject = region.name
    else:
        subject = rec.body
    return {
        "id": rec.id,
        "kind": rec.kind,
        "kind_label": duty.label if duty else rec.kind,
        "rule": duty.rule if duty else None,
        "citation": duty.citation if duty else None,
        "applies_to": duty.applies_to.value if duty else None,
        "held_on": rec.held_on.isoformat(),
        "body": rec.body,
        "subject": subject,
        "unit": unit.name if unit else None,
        "township": region.name if region else None,
        "township_code": rec.region_code,
        "leader": leader.name if leader else None,
        "participants": rec.participants,
        "topic": rec.topic,
        "minutes": (
            {
                "id": att.id,
                "name": att.name,
                "sha256": att.sha256,
                "size": att.size,
                "type": att.media_type,
                "path": str(stored_path(s, att.sha256)),
            }
            if att is not None
            else None
        ),
        "notes": rec.notes,
        "created_at": rec.created_at.isoformat(timespec="seconds"),
        "created_by": author.login if author else None,
        "voided": (
            {
                "at": rec.voided_at.isoformat(timespec="seconds"),
                "by": voider.login if voider else None,
                "reason": rec.void_reason,
            }
            if rec.voided_at is not None
            else None
        ),
    }


def list_duties(
    db: Database,
    *,
    period: str | Span | None = None,
    kind: str | None = None,
    limit: int = 1000,
    include_voided: bool = False,
) -> dict[str, Any]:
    """Records newest first, optionally of one period (its days) and one kind; voided ones only when asked."""
    prof = selected_profile(db)
    duties = {d.kind: d for d in duties_of(prof)}
    span = parse_period(period) if isinstance(period, str) else period
    d = DutyRecord
    cond: list[ColumnElement[bool]] = []
    if span is not None:
        cond.append(d.held_on.between(span.start, span.end))
    if kind:
        cond.append(d.kind == find_duty(list(duties.values()), kind, f"规则配置“{prof.name}”").kind)
    if not include_voided:
        cond.append(d.voided_at.is_(None))
    with db.read_session() as s:
        recs = list(s.scalars(select(d).where(*cond).order_by(d.held_on.desc(), d.id.desc()).limit(limit + 1)))
        rows = [_record_json(s, r, duties) for r in recs[:limit]]
    return {
        "period": span.to_json() if span else None,
        "total": len(rows),
        "truncated": len(recs) > limit,
        "rows": rows,
    }


@requires("accountability.manage")
def void_duty(db: Database, record_id: int, *, reason: str, user: str | None = None) -> dict[str, Any]:
    """Void a record entered in error: it stays on file, marked with who voided it, when and why, and counts for
    nothing from then on (compliance, the duplicate check). Audited; a record voided once cannot be voided again."""
    problems = check_text("reason", "作废理由", reason, max_length=TEXT_MAX, multiline=True)
    if problems:
        raise ValidationError(problems)
    why = reason.strip()
    duties = {d.kind: d for d in duties_of(selected_profile(db))}
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        rec = s.get(DutyRecord, record_id)
        if rec is None:
            raise NotFoundError(f"没有编号为 {record_id} 的职责落实记录", field="id")
        if rec.voided_at is not None:
            raise ConflictError(
                f"职责落实记录 {record_id} 已于 {rec.voided_at.isoformat(sep=' ', timespec='minutes')} 作废", field="id"
            )
        rec.voided_at, rec.voided_by, rec.void_reason = uow.now, uow.user_id, why
        s.flush()
        result = _record_json(s, rec, duties)
        uow.audit.record("void", "duty_record", str(record_id), {"reason": why, "record": result})
        uow.commit()
    return {"voided": result, "reason": why}


def _subject_key(duty: Duty, unit_id: int | None, region: str | None, leader_id: int | None) -> str:
    if duty.applies_to is AppliesTo.UNITS:
        return f"unit:{unit_id}"
    if duty.applies_to is AppliesTo.TOWNSHIPS:
        return f"township:{region}"
    if duty.applies_to is AppliesTo.LEADERS:
        return f"leader:{leader_id}"
    return "county"


def compliance(
    db: Database, period: str | Span, *, today: date, kind: str | None = None, profile: str | None = None
) -> dict[str, Any]:
    """R-RC-03/04/05/06: every duty of the profile for every subject it applies to over the period, slot by slot,
    in green (met), red (missed) and grey (open or not started), with what is missing."""
    from xinfang_desktop.persistence.rectification.store import KIND as LISTING_KIND

    span = parse_period(period) if isinstance(period, str) else period
    prof = selected_profile(db, profile)
    duties = list(duties_of(prof))
    listings_too = kind in (None, "", LISTING_KIND)
    if kind == LISTING_KIND:
        duties = []
    elif kind:
        duties = [find_duty(duties, kind, f"规则配置“{prof.name}”")]
    # Every slot lies within the years of the period (the coarsest kind is the year).
    start, end = date(span.start.year, 1, 1), date(span.end.year, 12, 31)
    with db.read_session() as s:
        carriers = load_carriers(s)
        rows = s.execute(
            select(
                DutyRecord.id,
                DutyRecord.kind,
                DutyRecord.held_on,
                DutyRecord.unit_id,
                DutyRecord.region_code,
                DutyRecord.leader_id,
            ).where(
                DutyRecord.held_on.between(start, end),
                DutyRecord.kind.in_([d.kind for d in duties]),
                DutyRecord.voided_at.is_(None),
            )
        ).all()
        points = load_contact_points(s, carriers, range(start.year, end.year + 1))
    by_kind = {d.kind: d for d in duties}
    events = []
    for rid, k, on, unit_id, region, leader_id in rows:
        duty = by_kind[k]
        place = carriers.place_key(unit_id, region) if duty.applies_to is AppliesTo.LEADERS else None
        subject = _subject_key(duty, unit_id, region, leader_id)
        events.append(DutyEvent(k, on, subject, int(rid), place, carriers.place_name(place)))
    results: list[DutyCompliance] = []
    kinds: list[dict[str, Any]] = []
    for duty in duties:
        found = duty_compliance(duty, carriers.subjects(duty), events, span, today, points)
        results.extend(found)
        kinds.append({**duty.to_json(), "subjects": len(found), "counts": summarise(found)})
    judged: list[dict[str, Any]] = [r.to_json() for r in results]
    if listings_too:
        judged += _listing_rows(db, span, today, kinds)
    summary = {status: sum(1 for r in judged if r["status"] == status) for status in summarise([])}
    return {
        "period": span.to_json(),
        "today": today.isoformat(),
        "profile": prof.id,
        "profile_name": prof.name,
        "summary": summary,
        "kinds": kinds,
        "rows": judged,
    }


def _listing_rows(db: Database, span: Span, today: date, kinds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """R-AS-02: the written explanations the 挂牌整治 groups owe in the period, as duty rows (one kind more)."""
    from xinfang_desktop.core import rectification as rules
    from xinfang_desktop.persistence.rectification import compliance as listings

    with db.read_session() as s:
        rows = [{"notes": [], "excluded_record_ids": [], **r} for r in listings.explanation_compliance(s, span, today)]
    if rows:
        counts = {status: sum(1 for r in rows if r["status"] == status) for status in summarise([])}
        kinds.append(
            {
                "kind": listings.KIND,
                "label": listings.LABEL,
                "rule": rules.RULE,
                "citation": rules.CITATION,
                "requirement": "列入后限期提交书面说明",
                "applies_to": "listed",
                "applies_to_label": "挂牌整治单位",
                "subjects": len(rows),
                "counts": counts,
            }
        )
    return rows
