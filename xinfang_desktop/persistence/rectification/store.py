"""挂牌整治 (R-AS-02): list the groups of a quarter's ranking (or of a half year's evaluation, S4 §18: the period code
2026H1 kept in the same `quarter` column — String(8), unique with the group), record the written explanation (with
its file), the 约谈 and the 摘牌, read the listings with their clocks, and the explanations' compliance in the shape
of duty compliance.

Every write is one transaction with an audit entry; bad input raises a DomainError before anything is written (a file
is copied into the attachment store only once the input was checked, and removed again if the write fails). Listing a
quarter twice adds nothing. The ranking itself is computed by reports/ (`reports.rectification_listing`), which passes
the listed groups here.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from xinfang_desktop.core.deadlines import DEFAULT_DUE_SOON_WORKDAYS, DEFAULT_SERIOUSLY_OVERDUE_DAYS
from xinfang_desktop.core.duties import PeriodKind, Span, parse_period
from xinfang_desktop.core.errors import DomainError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.field_rules import check_text
from xinfang_desktop.core.rectification import (
    RULE,
    WORKDAYS_SETTING,
    ExplanationStatus,
    GroupKind,
    ListedGroup,
    Listing,
    check_explanation,
    check_interview,
    check_lift,
    due_basis,
    explanation_clock,
    explanation_due,
    is_half_year,
    lifts_by_ranking,
    parse_explanation_workdays,
    previous_quarter,
    quarter_label,
)
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.attachments import MAX_ATTACHMENT_BYTES, place_file, stored_path
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import (
    AttachmentRecord,
    LeaderRecord,
    RegionRecord,
    UnitRecord,
    UserRecord,
)
from xinfang_desktop.persistence.rectification.records import RectificationListingRecord
from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import unit_of_work

TEXT_MAX = 4000
NAME_MAX = 128
KIND = "rectification_explanation"
LABEL = "挂牌整治书面说明"
_R = RectificationListingRecord


@dataclass(frozen=True)
class _Clock:
    calendar: WorkdayCalendar
    due_soon: int = DEFAULT_DUE_SOON_WORKDAYS
    serious: int = DEFAULT_SERIOUSLY_OVERDUE_DAYS


def _clock(db: Database) -> _Clock:
    t = deadline_thresholds(db)
    return _Clock(load_calendar(db), t.due_soon_workdays, t.seriously_overdue_days)


def explanation_workdays(session: Session) -> int:
    """The office's `rectification_explanation_workdays` (**I**: 10 工作日 until set; a stored value that no longer
    parses falls back to it rather than stopping the listing)."""
    try:
        return parse_explanation_workdays(SqlSettings(session).get(WORKDAYS_SETTING))
    except DomainError:
        return parse_explanation_workdays(None)


def listing_core(rec: RectificationListingRecord) -> Listing:
    return Listing(
        quarter=rec.quarter,
        kind=GroupKind(rec.group_kind),
        key=rec.group_key,
        name=rec.name,
        listed_on=rec.listed_on,
        explanation_due=rec.explanation_due,
        explanation_on=rec.explanation_on,
        interview_on=rec.interview_on,
        lifted_on=rec.lifted_on,
    )


def _attachment_json(s: Session, att_id: int | None) -> dict[str, Any] | None:
    att = s.get(AttachmentRecord, att_id) if att_id else None
    if att is None:
        return None
    return {
        "id": att.id,
        "name": att.name,
        "sha256": att.sha256,
        "size": att.size,
        "type": att.media_type,
        "path": str(stored_path(s, att.sha256)),
    }


def listing_json(s: Session, rec: RectificationListingRecord, today: date, clock: _Clock) -> dict[str, Any]:
    li = listing_core(rec)
    state = li.state
    ck = explanation_clock(
        li, today, clock.calendar, due_soon_workdays=clock.due_soon, seriously_overdue_days=clock.serious
    )
    author = s.get(UserRecord, rec.created_by)
    interview = None
    if rec.interview_on is not None:
        interview = {
            "on": rec.interview_on.isoformat(),
            "by": rec.interview_by,
            "leader_id": rec.interview_leader_id,
            "persons": rec.interview_persons,
            "notes": rec.interview_notes,
        }
    return {
        "id": rec.id,
        "quarter": rec.quarter,  # the period code: 2026Q3, or 2026H1 for a half-yearly evaluation (S4 §18)
        "quarter_label": quarter_label(rec.quarter),
        "period_kind": PeriodKind.HALF_YEAR.value if is_half_year(rec.quarter) else PeriodKind.QUARTER.value,
        "group_kind": rec.group_kind,
        "group_kind_label": GroupKind(rec.group_kind).label,
        "key": rec.group_key,
        "unit_id": rec.unit_id,
        "region_code": rec.region_code,
        "name": rec.name,
        "listed_for": json.loads(rec.listed_for),
        "listed_on": rec.listed_on.isoformat(),
        "state": state.value,
        "state_label": state.label,
        "open": li.is_open,
        "explanation_due": rec.explanation_due.isoformat(),
        "overdue": ck.status is ExplanationStatus.OVERDUE and li.is_open,
        "urgent": ck.urgent,
        "explanation": {
            "workdays": rec.explanation_workdays,
            "due": rec.explanation_due.isoformat(),
            "basis": due_basis(rec.listed_on, rec.explanation_due, rec.explanation_workdays),
            "on": rec.explanation_on.isoformat() if rec.explanation_on else None,
            "summary": rec.explanation_summary,
            "attachment": _attachment_json(s, rec.explanation_attachment_id),
            "clock": ck.to_json(),
        },
        "interview": interview,
        "lifted": {"on": rec.lifted_on.isoformat(), "reason": rec.lift_reason} if rec.lifted_on else None,
        "rule": RULE,
        "created_at": rec.created_at.isoformat(timespec="seconds"),
        "created_by": author.login if author else None,
    }


def _find(s: Session, listing_id: int) -> RectificationListingRecord:
    rec = s.get(_R, listing_id)
    if rec is None:
        raise NotFoundError(f"没有编号为 {listing_id} 的挂牌整治记录", field="id")
    return rec


def _text(field_: str, label: str, value: str | None, *, required: bool, max_length: int = TEXT_MAX) -> str | None:
    problems = check_text(field_, label, value, max_length=max_length, required=required, multiline=max_length > 200)
    if problems:
        raise ValidationError(problems)
    return value.strip() if isinstance(value, str) and value.strip() else None


# --- listing from the ranking ------------------------------------------------------------------------------------


def _group_place(s: Session, g: ListedGroup) -> tuple[int | None, str | None]:
    """(unit_id, region_code) of a listed group, which must be in the register."""
    if g.kind is GroupKind.UNIT:
        if not g.key.isdigit() or s.get(UnitRecord, int(g.key)) is None:
            raise NotFoundError(f"未登记的责任单位“{g.name}”（{g.key}）", field="key")
        return int(g.key), None
    if s.get(RegionRecord, g.key) is None:
        raise NotFoundError(f"未登记的乡镇（街道）“{g.name}”（{g.key}）", field="key")
    return None, g.key


def add_listings(
    db: Database, quarter: Span, groups: Sequence[ListedGroup], *, today: date, user: str | None = None
) -> dict[str, Any]:
    """R-AS-02: list every group of `quarter`'s ranking not listed for it yet (the explanation due on the working-day
    calendar), and lift the open listings of the quarter before that this ranking no longer lists. Run twice, the
    second run adds and lifts nothing. Groups without a key (no township or unit) are skipped and reported.
    `quarter` may be a half year (S4 §18): then the half year before is the one lifted."""
    half = quarter.kind is PeriodKind.HALF_YEAR
    if quarter.kind is not PeriodKind.QUARTER and not half:
        raise DomainError(f"挂牌整治按季度（或半年）列入，“{quarter.code}”不是季度或半年", field="quarter")
    if today <= quarter.end:
        what = "半年评价" if half else "季度排名"
        raise DomainError(
            f"{quarter.label}至{quarter.end.isoformat()}结束，{what}尚未确定，不能据此挂牌整治",
            field="half" if half else "quarter",
        )
    clock = _clock(db)
    keyed = [g for g in groups if g.key]
    skipped = [{"group_kind": g.kind.value, "name": g.name, "reasons": list(g.reasons)} for g in groups if not g.key]
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        workdays = explanation_workdays(s)
        existing = {(r.group_kind, r.group_key): r for r in s.scalars(select(_R).where(_R.quarter == quarter.code))}
        added: list[RectificationListingRecord] = []
        kept: list[RectificationListingRecord] = []
        for g in keyed:
            if (rec := existing.get((g.kind.value, g.key))) is not None:
                kept.append(rec)
                continue
            unit_id, region_code = _group_place(s, g)
            due = explanation_due(today, clock.calendar, workdays)
            rec = _R(
                quarter=quarter.code,
                group_kind=g.kind.value,
                group_key=g.key,
                unit_id=unit_id,
                region_code=region_code,
                name=g.name[:NAME_MAX],
                listed_for=json.dumps(list(g.reasons), ensure_ascii=False),
                listed_on=today,
                explanation_workdays=workdays,
                explanation_due=due,
                created_at=uow.now,
                created_by=uow.user_id,
            )
            s.add(rec)
            s.flush()
            existing[(g.kind.value, g.key)] = rec
            added.append(rec)
            uow.audit.record(
                "create",
                "rectification_listing",
                str(rec.id),
                {
                    "quarter": quarter.code,
                    "group_kind": g.kind.value,
                    "key": g.key,
                    "name": g.name,
                    "listed_for": list(g.reasons),
                    "explanation_due": due,
                },
            )
        open_before = list(s.scalars(select(_R).where(_R.lifted_on.is_(None))))
        by_key = {(r.quarter, r.group_kind, r.group_key): r for r in open_before}
        lifted: list[RectificationListingRecord] = []
        for lift in lifts_by_ranking([listing_core(r) for r in open_before], quarter.code, keyed):
            rec = by_key[(previous_quarter(quarter.code), *lift.key)]
            rec.lifted_on = max(today, rec.listed_on)
            rec.lift_reason = lift.reason
            lifted.append(rec)
            uow.audit.record(
                "update",
                "rectification_listing",
                str(rec.id),
                {"action": "lift", "on": rec.lifted_on, "reason": lift.reason, "by_ranking": quarter.code},
            )
        s.flush()
        result = {
            "quarter": quarter.code,
            "quarter_label": quarter.label,
            "period_kind": quarter.kind.value,
            "today": today.isoformat(),
            "explanation_workdays": workdays,
            "added": [listing_json(s, r, today, clock) for r in added],
            "already_listed": [listing_json(s, r, today, clock) for r in kept],
            "lifted": [listing_json(s, r, today, clock) for r in lifted],
            "skipped": skipped,
        }
        uow.commit()
    return result


# --- the steps -----------------------------------------------------------------------------------------------------


def _check_file(path: Path | None) -> None:
    if path is None:
        return
    if not path.is_file():
        raise NotFoundError(f"找不到书面说明文件：{path}", field="file")
    if path.stat().st_size > MAX_ATTACHMENT_BYTES:
        raise DomainError(f"书面说明文件超过 {MAX_ATTACHMENT_BYTES // 1024**3} GB，无法保存", field="file")


def record_explanation(
    db: Database,
    listing_id: int,
    *,
    on: date,
    summary: str,
    file: Path | None = None,
    today: date,
    user: str | None = None,
) -> dict[str, Any]:
    """R-AS-02: the written explanation the listed group submitted, with its file (an attachment); audited."""
    text = _text("summary", "书面说明内容摘要", summary, required=True)
    _check_file(file)
    with db.read_session() as s:
        check_explanation(listing_core(_find(s, listing_id)), on, today)
    placed: Path | None = None
    stored: tuple[str, int] | None = None
    if file is not None:
        sha256, size, placed = place_file(db, file)
        stored = (sha256, size)
    clock = _clock(db)
    try:
        with unit_of_work(db, user=user) as uow:
            s = uow.session
            rec = _find(s, listing_id)
            check_explanation(listing_core(rec), on, today)  # again, in the write transaction
            if file is not None and stored is not None:
                att = AttachmentRecord(
                    case_id=None,
                    sha256=stored[0],
                    name=file.name[:255],
                    media_type=mimetypes.guess_type(file.name)[0] or "application/octet-stream",
                    size=stored[1],
                    added_by=uow.user_id,
                    added_at=uow.now,
                )
                s.add(att)
                s.flush()
                rec.explanation_attachment_id = att.id
                detail = {"sha256": stored[0], "size": stored[1], "rectification_listing": rec.id}
                uow.audit.record("create", "attachment", f"rectification/{rec.id}/{att.id}", detail)
            rec.explanation_on, rec.explanation_summary = on, text
            s.flush()
            uow.audit.record(
                "update",
                "rectification_listing",
                str(rec.id),
                {"action": "explain", "on": on, "summary": text, "due": rec.explanation_due},
            )
            result = listing_json(s, rec, today, clock)
            uow.commit()
    except BaseException:
        if placed is not None:  # nobody else refers to a file this call put there
            placed.unlink(missing_ok=True)
        raise
    return result


def _leader(s: Session, by: str) -> tuple[str, int | None]:
    """The leader holding the 约谈: a registered leader (by id, name or 姓名（职务）) or a name as typed."""
    key = "".join(by.split())
    rows = s.execute(select(LeaderRecord.id, LeaderRecord.name, LeaderRecord.post)).all()
    if key.isdigit():
        found = [r for r in rows if r.id == int(key)]
        if not found:
            raise NotFoundError(f"未登记编号为 {key} 的领导", field="by")
    else:
        found = [r for r in rows if key in ("".join(r.name.split()), "".join(f"{r.name}（{r.post}）".split()))]
    if len(found) > 1:
        ids = "、".join(str(r.id) for r in found)
        raise DomainError(f"有多位领导名为“{by}”（编号 {ids}），请用编号指定", field="by")
    if found:
        r = found[0]
        return (f"{r.name}（{r.post}）" if r.post else r.name), int(r.id)
    return by.strip(), None


def record_interview(
    db: Database,
    listing_id: int,
    *,
    on: date,
    by: str,
    persons: str,
    notes: str | None = None,
    today: date,
    user: str | None = None,
) -> dict[str, Any]:
    """R-AS-02 (S2 §二(三)1 视情由市领导进行约谈; S4 §18 约谈信访工作相关责任人): who held it, whom, when; audited."""
    problems: list[FieldProblem] = []
    problems += check_text("by", "约谈领导", by, max_length=NAME_MAX, required=True)
    problems += check_text("persons", "被约谈人员", persons, max_length=TEXT_MAX, required=True, multiline=True)
    problems += check_text("notes", "约谈情况", notes, max_length=TEXT_MAX, required=False, multiline=True)
    if problems:
        raise ValidationError(problems)
    clock = _clock(db)
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        rec = _find(s, listing_id)
        check_interview(listing_core(rec), on, today)
        leader, leader_id = _leader(s, by)
        rec.interview_on, rec.interview_by, rec.interview_leader_id = on, leader, leader_id
        rec.interview_persons = persons.strip()
        rec.interview_notes = notes.strip() if notes and notes.strip() else None
        s.flush()
        uow.audit.record(
            "update",
            "rectification_listing",
            str(rec.id),
            {"action": "interview", "on": on, "by": leader, "leader_id": leader_id, "persons": rec.interview_persons},
        )
        result = listing_json(s, rec, today, clock)
        uow.commit()
    return result


def lift_listing(
    db: Database, listing_id: int, *, on: date, reason: str, today: date, user: str | None = None
) -> dict[str, Any]:
    """R-AS-02: 摘牌 by a decision with its reason (the ranking's own lifting is done by `add_listings`); audited."""
    why = _text("reason", "摘牌理由", reason, required=True)
    clock = _clock(db)
    with unit_of_work(db, user=user) as uow:
        s = uow.session
        rec = _find(s, listing_id)
        check_lift(listing_core(rec), on, today)
        rec.lifted_on, rec.lift_reason = on, why
        s.flush()
        uow.audit.record("update", "rectification_listing", str(rec.id), {"action": "lift", "on": on, "reason": why})
        result = listing_json(s, rec, today, clock)
        uow.commit()
    return result


# --- reading -------------------------------------------------------------------------------------------------------


def show_listing(db: Database, listing_id: int, *, today: date) -> dict[str, Any]:
    clock = _clock(db)
    with db.read_session() as s:
        return listing_json(s, _find(s, listing_id), today, clock)


def parse_quarter(text: str) -> Span:
    span = parse_period(text)
    if span.code[-2:-1].upper() != "Q":
        raise DomainError(f"季度格式错误：“{text}”，应为 2026Q3 这样的季度", field="quarter")
    return span


def parse_half_year(text: str) -> Span:
    """2026H1 / 2026H2: the half year of S4 §18's evaluation."""
    span = parse_period(text)
    if span.kind is not PeriodKind.HALF_YEAR:
        raise DomainError(f"半年格式错误：“{text}”，应为 2026H1（上半年）或 2026H2（下半年）", field="half")
    return span


def parse_listing_period(text: str) -> Span:
    """A listing's period code: a half year 2026H1 or a quarter 2026Q3."""
    return parse_half_year(text) if is_half_year(text) else parse_quarter(text)


def list_listings(
    db: Database, *, today: date, quarter: str | None = None, open_only: bool = False, limit: int = 1000
) -> dict[str, Any]:
    """Listings, newest quarter first (open ones first within it), with their clocks and a count of each state.
    `quarter` is a quarter (2026Q3) or a half year (2026H1)."""
    cond: list[ColumnElement[bool]] = []
    span = parse_listing_period(quarter) if quarter else None
    if span is not None:
        cond.append(_R.quarter == span.code)
    if open_only:
        cond.append(_R.lifted_on.is_(None))
    clock = _clock(db)
    with db.read_session() as s:
        recs = list(
            s.scalars(
                select(_R)
                .where(*cond)
                .order_by(_R.quarter.desc(), _R.lifted_on.is_not(None), _R.explanation_due, _R.id)
                .limit(limit + 1)
            )
        )
        rows = [listing_json(s, r, today, clock) for r in recs[:limit]]
    counts = {"listed": 0, "explained": 0, "interviewed": 0, "lifted": 0, "overdue": 0}
    for r in rows:
        counts[r["state"]] += 1
        counts["overdue"] += 1 if r["overdue"] else 0
    return {
        "quarter": span.to_json() if span else None,
        "today": today.isoformat(),
        "total": len(rows),
        "truncated": len(recs) > limit,
        "counts": counts,
        "rows": rows,
    }


__all__ = [
    "KIND",
    "LABEL",
    "add_listings",
    "explanation_workdays",
    "leader_choices",
    "lift_listing",
    "list_listings",
    "listing_json",
    "parse_half_year",
    "parse_listing_period",
    "parse_quarter",
    "record_explanation",
    "record_interview",
    "show_listing",
]


def leader_choices(db: Database) -> list[dict[str, Any]]:
    """The registered leaders the 约谈 dialog offers (city leaders first: 视情由市领导进行约谈)."""
    order = {"city": 0, "county": 1, "township": 2}
    with db.read_session() as s:
        rows = s.execute(select(LeaderRecord.id, LeaderRecord.name, LeaderRecord.post, LeaderRecord.level)).all()
    out = [
        {"id": int(i), "name": n, "post": p or "", "level": lv, "label": f"{n}（{p}）" if p else n}
        for i, n, p, lv in rows
    ]
    return sorted(out, key=lambda r: (order.get(str(r["level"]), 3), int(r["id"])))
