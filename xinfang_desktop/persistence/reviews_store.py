"""三方会审 (R-BK-02) on stored cases: created for a 进京非正常上访, a 进京集体上访 or a visit to the province by 50 or
more people, due within 15 工作日 of the visit; the participants, the meeting with the petitioner, the audio and video
recordings (case attachments stored by SHA-256, listed in the review's manifest) and the copy sent to the city
joint-conference office.

Detection runs inside the unit of work of `warnings_store.scan_case` / `tick_warnings` (`sync_reviews`); `create_review`
and `record_review` validate everything before writing, in one audited transaction.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from xinfang_desktop.core.backlog import ReviewTrigger, review_due, review_triggers
from xinfang_desktop.core.codes import OfficeLevel
from xinfang_desktop.core.errors import ConflictError, DomainError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.warnings_rules import Visit, WarningPolicy
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.attachments import place_file, session_of, stored_path
from xinfang_desktop.persistence.backlog_store import (
    case_by_number,
    case_visits,
    check_day,
    check_text,
    policy_for,
    principal_name_column,
)
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import UPPER_VISITS, AttachmentRecord, CaseRecord, SubmissionRecord
from xinfang_desktop.persistence.records_warnings import TripartiteReviewFileRecord, TripartiteReviewRecord
from xinfang_desktop.persistence.uow import SqlUnitOfWork, unit_of_work

#: The three parties of R-BK-02: the county's principal leaders, the responsible unit, legal experts.
ROLES = {"leader": "县级党政主要领导", "unit": "事权单位", "legal": "司法部门专家"}
_ROLE_ALIASES = {
    "leader": "leader",
    "领导": "leader",
    "县级党政主要领导": "leader",
    "unit": "unit",
    "事权单位": "unit",
    "责任单位": "unit",
    "legal": "legal",
    "专家": "legal",
    "法律专家": "legal",
    "司法部门专家": "legal",
}
FILE_KINDS = {"audio": "录音", "video": "录像", "other": "其他材料"}


def _triggers_text(triggers: Sequence[ReviewTrigger]) -> str:
    return ",".join(t.value for t in triggers)


def _add_review(
    uow: SqlUnitOfWork,
    case: CaseRecord,
    visit: Visit,
    triggers: Sequence[ReviewTrigger],
    calendar: WorkdayCalendar,
    policy: WarningPolicy,
) -> TripartiteReviewRecord:
    review = TripartiteReviewRecord(
        case_id=case.id,
        submission_id=visit.submission_id,
        triggers=_triggers_text(triggers),
        visit_on=visit.received_on,
        due_on=review_due(visit.received_on, calendar, policy=policy),
        participants="[]",
        petitioner_met=False,
        created_at=uow.now,
    )
    uow.session.add(review)
    uow.session.flush()
    uow.audit.record(
        "create",
        "tripartite_review",
        str(review.id),
        {"case": case.number, "triggers": review.triggers, "due_on": review.due_on, "rule": "R-BK-02"},
    )
    return review


def sync_reviews(
    uow: SqlUnitOfWork,
    case: CaseRecord,
    visits: Sequence[Visit],
    *,
    calendar: WorkdayCalendar,
    policy: WarningPolicy,
) -> list[dict[str, Any]]:
    """A 三方会审 for every visit of the case that meets R-BK-02 and has none yet; returns the new ones."""
    have = set(
        uow.session.scalars(
            select(TripartiteReviewRecord.submission_id).where(TripartiteReviewRecord.case_id == case.id)
        )
    )
    created = []
    for visit in visits:
        triggers = review_triggers(visit, policy=policy)
        if triggers and visit.submission_id not in have:
            review = _add_review(uow, case, visit, triggers, calendar, policy)
            created.append(
                {
                    "id": review.id,
                    "number": case.number,
                    "visit_on": visit.received_on.isoformat(),
                    "triggers": [t.label for t in triggers],
                    "due_on": review.due_on.isoformat(),
                }
            )
    return created


def review_candidate_ids(session: Any, policy: WarningPolicy) -> list[int]:
    """Cases with a visit that may meet R-BK-02 and no review for it (the SQL pre-filter; the rule decides)."""
    capital = (SubmissionRecord.level == OfficeLevel.NATIONAL.value) | (SubmissionRecord.destination == "to_capital")
    province = (SubmissionRecord.level == OfficeLevel.PROVINCE.value) | (SubmissionRecord.destination == "to_province")
    stmt = (
        select(SubmissionRecord.case_id)
        .where(
            text(UPPER_VISITS),  # verbatim: the terms of ix_submissions_upper_visits (implied by the ones below)
            SubmissionRecord.channel == "visit",
            (capital & (SubmissionRecord.is_abnormal | (SubmissionRecord.headcount >= policy.collective_threshold)))
            | (province & (SubmissionRecord.headcount >= policy.province_headcount)),
            ~SubmissionRecord.id.in_(
                select(TripartiteReviewRecord.submission_id).where(TripartiteReviewRecord.submission_id.is_not(None))
            ),
        )
        .distinct()
    )
    return sorted(session.scalars(stmt))


@requires("case.decide")
def create_review(db: Database, number: str, *, seq: int | None, today: date) -> dict[str, Any]:
    """Create the 三方会审 of a case's visit (the given submission, or its latest visit meeting R-BK-02)."""
    calendar = load_calendar(db)
    with unit_of_work(db) as uow:
        policy = policy_for(uow.session)
        case = case_by_number(uow.session, number)
        visits = [v for v in case_visits(uow.session, case.id) if v.received_on <= today]
        if seq is not None:
            chosen = [v for v in visits if v.seq == seq]
            if not chosen:
                raise NotFoundError(f"信访事项 {case.number} 没有第 {seq} 次信访记录", field="seq")
        else:
            chosen = [v for v in visits if review_triggers(v, policy=policy)][-1:]
        if not chosen or not review_triggers(chosen[0], policy=policy):
            raise DomainError(
                f"信访事项 {case.number} 没有需要三方会审的上访：须为进京非正常上访、进京集体上访"
                f"（{policy.collective_threshold}人以上）或{policy.province_headcount}人以上赴省集体上访（R-BK-02）",
                field="seq",
            )
        visit = chosen[0]
        exists = uow.session.scalar(
            select(TripartiteReviewRecord.id).where(TripartiteReviewRecord.submission_id == visit.submission_id)
        )
        if exists is not None:
            raise ConflictError(f"该次上访已有三方会审记录（编号 {exists}）", field="seq")
        review = _add_review(uow, case, visit, review_triggers(visit, policy=policy), calendar, policy)
        review_id = review.id
        uow.commit()
    return show_review(db, review_id, today=today)


@dataclass(frozen=True)
class ReviewRecordInput:
    """What `record_review` may set; None leaves a field as it is. `participants` are (role, name) pairs."""

    held_on: date | None = None
    participants: tuple[tuple[str, str], ...] = ()
    petitioner_met: bool | None = None
    notes: str | None = None
    city_copy_sent_on: date | None = None
    files: tuple[tuple[Path, str | None], ...] = field(default_factory=tuple)  # (path, kind or None = by type)


def parse_participant(text: str) -> tuple[str, str]:
    """ "ROLE:NAME" (ROLE 领导 / 事权单位 / 专家, or leader / unit / legal) → (role key, name)."""
    role, sep, name = text.replace("：", ":").partition(":")
    key = _ROLE_ALIASES.get(role.strip())
    if not sep or key is None or not name.strip():
        raise ValidationError(
            [FieldProblem("participant", "参加人员", f"“{text}”应为“角色:姓名（职务）”，角色为领导、事权单位或专家")]
        )
    if len(name.strip()) > 128:
        raise ValidationError([FieldProblem("participant", "参加人员", "姓名和职务不能超过128字")])
    return key, name.strip()


def _kind_of(path: Path, kind: str | None) -> str:
    if kind:
        if kind not in FILE_KINDS:
            raise ValidationError([FieldProblem("kind", "文件类别", f"应为 {'、'.join(FILE_KINDS)}")])
        return kind
    media = mimetypes.guess_type(path.name)[0] or ""
    return "audio" if media.startswith("audio/") else "video" if media.startswith("video/") else "other"


@requires("case.decide")
def record_review(db: Database, review_id: int, change: ReviewRecordInput, *, today: date) -> dict[str, Any]:
    """Record the meeting of a 三方会审 (participants of all three parties, the petitioner met), its recordings and
    the copy to the city joint-conference office. Validated first; the files are placed by SHA-256 before the rows
    are committed and removed again if anything fails."""
    notes = check_text(change.notes, "notes", "会审情况", required=False, max_length=10000)
    for path, kind in change.files:
        if not path.is_file():
            raise NotFoundError(f"找不到文件：{path}", field="file")
        _kind_of(path, kind)
    placed: list[Path] = []
    try:
        with unit_of_work(db) as uow:
            review = uow.session.get(TripartiteReviewRecord, review_id)
            if review is None:
                raise NotFoundError(f"未找到三方会审记录 {review_id}", field="id")
            case = uow.session.get(CaseRecord, review.case_id)
            assert case is not None
            participants: list[dict[str, str]] = json.loads(review.participants)
            for role, name in change.participants:
                entry = {"role": role, "role_label": ROLES[role], "name": name}
                if entry not in participants:
                    participants.append(entry)
            held_on = change.held_on or review.held_on
            if change.held_on is not None:
                check_day(change.held_on, today, "held_on", "会审日期", not_before=review.visit_on)
            if held_on is not None:
                missing = [ROLES[r] for r in ROLES if r not in {p["role"] for p in participants}]
                if missing:
                    raise ValidationError(
                        [
                            FieldProblem(
                                "participant",
                                "参加人员",
                                f"三方会审须有县级党政主要领导、事权单位和司法部门专家共同参加，缺少：{'、'.join(missing)}"
                                "（R-BK-02）",
                            )
                        ]
                    )
            if change.city_copy_sent_on is not None:
                check_day(
                    change.city_copy_sent_on,
                    today,
                    "city_copy",
                    "报送市联席办日期",
                    not_before=held_on or review.visit_on,
                )
                if held_on is None:
                    raise ValidationError([FieldProblem("city_copy", "报送市联席办日期", "会审尚未举行，不能报送")])
            review.participants = json.dumps(participants, ensure_ascii=False)
            review.held_on = held_on
            if change.petitioner_met is not None:
                review.petitioner_met = change.petitioner_met
            if notes is not None:
                review.notes = notes
            if change.city_copy_sent_on is not None:
                review.city_copy_sent_on = change.city_copy_sent_on
            added = []
            for path, kind in change.files:
                sha256, size, target = place_file(db, path)
                if target is not None:
                    placed.append(target)
                attachment = AttachmentRecord(
                    case_id=case.id,
                    sha256=sha256,
                    name=path.name[:255],
                    media_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                    size=size,
                    added_by=uow.user_id,
                    added_at=uow.now,
                )
                uow.session.add(attachment)
                uow.session.flush()
                uow.session.add(
                    TripartiteReviewFileRecord(
                        review_id=review.id, attachment_id=attachment.id, kind=_kind_of(path, kind)
                    )
                )
                added.append({"name": attachment.name, "sha256": sha256, "size": size})
            uow.session.flush()
            uow.audit.record(
                "record",
                "tripartite_review",
                str(review.id),
                {
                    "case": case.number,
                    "held_on": review.held_on,
                    "participants": len(participants),
                    "files": added,
                    "city_copy_sent_on": review.city_copy_sent_on,
                },
            )
            uow.commit()
    except BaseException:
        for target in placed:  # nobody else refers to a file this call put there
            target.unlink(missing_ok=True)
        raise
    return show_review(db, review_id, today=today)


ReviewFile = tuple[str, AttachmentRecord]  # kind, the stored file
IN_CHUNK = 500  # ids per IN (...) list: well under any SQLite's limit on bound parameters


def _files_by_review(s: Any, review_ids: list[int]) -> dict[int, list[ReviewFile]]:
    """The files of many reviews in a few queries (a list read them one review at a time: 0.25 s for 200)."""
    files: dict[int, list[ReviewFile]] = {i: [] for i in review_ids}
    for start in range(0, len(review_ids), IN_CHUNK):
        rows = s.execute(
            select(TripartiteReviewFileRecord.review_id, TripartiteReviewFileRecord.kind, AttachmentRecord)
            .join(AttachmentRecord, AttachmentRecord.id == TripartiteReviewFileRecord.attachment_id)
            .where(TripartiteReviewFileRecord.review_id.in_(review_ids[start : start + IN_CHUNK]))
            .order_by(TripartiteReviewFileRecord.id)
        ).all()
        for review_id, kind, attachment in rows:
            files[review_id].append((kind, attachment))
    return files


def _reviews_json(s: Any, stmt: Any, today: date) -> list[dict[str, Any]]:
    """`stmt` selects reviews with their case number; each is returned with its principal and its files."""
    rows = s.execute(stmt.add_columns(principal_name_column(TripartiteReviewRecord.case_id))).all()
    files = _files_by_review(s, [r.id for r, _number, _name in rows])
    return [_review_json(r, number, name, files[r.id], today) for r, number, name in rows]


def _review_json(
    r: TripartiteReviewRecord, number: str, petitioner: str | None, files: list[ReviewFile], today: date
) -> dict[str, Any]:
    status = "held" if r.held_on is not None else "overdue" if today > r.due_on else "due"
    return {
        "id": r.id,
        "number": number,
        "petitioner": petitioner,
        "triggers": [ReviewTrigger(t).label for t in r.triggers.split(",") if t],
        "visit_on": r.visit_on.isoformat(),
        "due_on": r.due_on.isoformat(),
        "status": status,
        "status_label": {"held": "已会审", "overdue": "已逾期", "due": "待会审"}[status],
        "held_on": r.held_on.isoformat() if r.held_on else None,
        "participants": json.loads(r.participants),
        "petitioner_met": r.petitioner_met,
        "notes": r.notes,
        "city_copy_sent_on": r.city_copy_sent_on.isoformat() if r.city_copy_sent_on else None,
        "manifest": [
            {
                "kind": kind,
                "kind_label": FILE_KINDS.get(kind, kind),
                "name": a.name,
                "sha256": a.sha256,
                "size": a.size,
                "type": a.media_type,
                "added_at": a.added_at.isoformat(timespec="seconds"),
                "path": str(stored_path(session_of(a), a.sha256)),
            }
            for kind, a in files
        ],
        "rule": "R-BK-02",
    }


def show_review(db: Database, review_id: int, *, today: date) -> dict[str, Any]:
    with db.read_session() as s:
        stmt = (
            select(TripartiteReviewRecord, CaseRecord.number)
            .join(CaseRecord, CaseRecord.id == TripartiteReviewRecord.case_id)
            .where(TripartiteReviewRecord.id == review_id)
        )
        found = _reviews_json(s, stmt, today)
        if not found:
            raise NotFoundError(f"未找到三方会审记录 {review_id}", field="id")
        return found[0]


def list_reviews(
    db: Database, *, today: date, open_only: bool = False, first: int | None = None
) -> list[dict[str, Any]]:
    """Every 三方会审 (or only those not yet held), the earliest due first; only the `first` ones when given."""
    with db.read_session() as s:
        stmt = select(TripartiteReviewRecord, CaseRecord.number).join(
            CaseRecord, CaseRecord.id == TripartiteReviewRecord.case_id
        )
        if open_only:
            stmt = stmt.where(TripartiteReviewRecord.held_on.is_(None))
        stmt = stmt.order_by(TripartiteReviewRecord.due_on, TripartiteReviewRecord.id)
        if first is not None:
            stmt = stmt.limit(first)
        return _reviews_json(s, stmt, today)


def count_reviews(db: Database, *, open_only: bool = False) -> int:
    """How many 三方会审 there are (not yet held only, when asked)."""
    with db.read_session() as s:
        stmt = select(func.count()).select_from(TripartiteReviewRecord)
        if open_only:
            stmt = stmt.where(TripartiteReviewRecord.held_on.is_(None))
        return int(s.scalar(stmt) or 0)


def verify_manifest(review: dict[str, Any]) -> list[str]:
    """The names of the review's files whose stored copy no longer matches its SHA-256."""
    bad = []
    for f in review["manifest"]:
        path = Path(f["path"])
        digest = hashlib.sha256()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1024 * 1024):
                    digest.update(chunk)
        except OSError:
            bad.append(f["name"])
            continue
        if digest.hexdigest() != f["sha256"]:
            bad.append(f["name"])
    return bad


def review_cover(review: dict[str, Any]) -> str:
    """The printable record and file cover (卷宗封面) of a 三方会审."""
    lines = [
        "“三方会审”记录（R-BK-02）",
        f"信访事项：{review['number']}　信访人：{review['petitioner'] or '—'}",
        f"启动原因：{'、'.join(review['triggers'])}（{review['visit_on']}上访）",
        f"会审期限：{review['due_on']}（上访后15个工作日内）　状态：{review['status_label']}",
        f"会审日期：{review['held_on'] or '—'}　与信访人面对面：{'是' if review['petitioner_met'] else '否'}",
        "参加人员：",
        *[f"  {p['role_label']}：{p['name']}" for p in review["participants"]],
        f"会审情况：{review['notes'] or '—'}",
        f"报送市信访工作联席会议办公室：{review['city_copy_sent_on'] or '未报送'}",
        "录音录像及材料清单：",
        *[
            f"  {i}. [{f['kind_label']}] {f['name']}　{f['size']}字节　SHA-256 {f['sha256']}"
            for i, f in enumerate(review["manifest"], start=1)
        ],
    ]
    return "\n".join(lines)
