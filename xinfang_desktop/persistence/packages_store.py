"""Leaders and leader case packages (领导包案, R-PK): register, create, update, close, list — validated and audited.

Every write runs in one unit of work: a refused request (unknown leader, case or unit, a bad date …) raises a
DomainError with a Chinese message before anything is committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from xinfang_desktop.core.field_rules import check_phone, check_text
from xinfang_desktop.core.masking import mask_phone
from xinfang_desktop.core.packages import (
    DEFAULT_RULES,
    Duty,
    DutyState,
    DutyStatus,
    LeaderInfo,
    LeaderLevel,
    MemberRole,
    Milestone,
    MilestoneSpec,
    Organ,
    PackageOutcome,
    PackageStatus,
    PackageView,
    Rank,
    check_close,
    default_target,
    duties_progress,
    initial_duties,
    order_candidates,
    package_reminders,
    parse_code,
    plan_milestones,
    resolution_rates,
)
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.data_scope import require_case_in_scope
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.identity import requires
from xinfang_desktop.persistence.records import CaseRecord, LeaderRecord, RegionRecord, UnitRecord
from xinfang_desktop.persistence.records_packages import (
    CasePackageRecord,
    PackageCaseRecord,
    PackageDutyRecord,
    PackageMeetingRecord,
    PackageMemberRecord,
    PackageMilestoneRecord,
    ReceptionDayRecord,
)
from xinfang_desktop.persistence.uow import unit_of_work

# ------------------------------------------------------------------------------------------------ leaders


@requires("package.manage")
def add_leader(
    db: Database,
    name: str,
    *,
    organ: str,
    rank: str,
    level: str,
    post: str,
    unit: str | None = None,
    region: str | None = None,
    phone: str | None = None,
) -> dict[str, Any]:
    """Register a leader (领导): organ 党委/政府/人大/政协/其他, rank 正职/副职, level 市/县/乡镇."""
    problems = check_text("name", "领导姓名", name, max_length=64)
    problems += check_text("post", "职务", post, max_length=128)
    problems += check_phone(phone, "phone", "联系电话")
    codes: dict[str, str] = {}
    for key, cls, text in (("organ", Organ, organ), ("rank", Rank, rank), ("level", LeaderLevel, level)):
        try:
            codes[key] = parse_code(cls, text, field=key).value
        except Exception as exc:  # DomainError: collect all problems
            problems.append(FieldProblem(key, {"organ": "所属机关", "rank": "职级", "level": "层级"}[key], str(exc)))
    if problems:
        raise ValidationError(problems)
    with unit_of_work(db) as uow:
        s = uow.session
        unit_id = resolve_unit(s, unit).id if unit else None
        if region and s.get(RegionRecord, region.strip()) is None:
            raise NotFoundError(f"未知的区划代码“{region}”", field="region")
        rec = LeaderRecord(
            name="".join(name.split()),
            organ=codes["organ"],
            rank=codes["rank"],
            level=codes["level"],
            post=post.strip(),
            unit_id=unit_id,
            region_code=region.strip() if region else None,
            phone=phone.strip() if phone else None,
        )
        s.add(rec)
        s.flush()
        uow.audit.record("create", "leader", str(rec.id), {"name": rec.name, "post": rec.post})
        result = _leader_json(rec, unit.strip() if unit else None, load=0, masked=False)
        uow.commit()
    return result


def resolve_unit(session: Session, name: str) -> UnitRecord:
    unit = session.scalar(select(UnitRecord).where(UnitRecord.name == name.strip()))
    if unit is None:
        raise NotFoundError(f"未登记的单位“{name}”", field="unit")
    return unit


def resolve_leader(session: Session, ref: str | int) -> LeaderRecord:
    """A leader by id or by name (whitespace ignored); a name shared by several leaders must be given as an id."""
    text = str(ref).strip()
    if text.isdigit():
        rec = session.get(LeaderRecord, int(text))
        if rec is None:
            raise NotFoundError(f"未登记的领导（编号 {text}）", field="leader")
        return rec
    name = "".join(text.split())
    found = session.scalars(select(LeaderRecord).where(LeaderRecord.name == name).order_by(LeaderRecord.id)).all()
    if not found:
        raise NotFoundError(f"未登记的领导“{text}”", field="leader")
    if len(found) > 1:
        ids = "、".join(str(r.id) for r in found)
        raise ConflictError(f"有多位领导名为“{name}”（编号 {ids}），请用编号指定", field="leader")
    return found[0]


def leader_info(rec: LeaderRecord, load: int = 0) -> LeaderInfo:
    return LeaderInfo(rec.id, rec.name, Organ(rec.organ), Rank(rec.rank), LeaderLevel(rec.level), rec.post, load)


def _leader_json(rec: LeaderRecord, unit: str | None, *, load: int, masked: bool) -> dict[str, Any]:
    return {
        "id": rec.id,
        "name": rec.name,
        "organ": Organ(rec.organ).label,
        "rank": Rank(rec.rank).label,
        "level": LeaderLevel(rec.level).label,
        "post": rec.post,
        "unit": unit,
        "region": rec.region_code,
        "phone": mask_phone(rec.phone) if masked else rec.phone,
        "load": load,
    }


def open_loads(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(CasePackageRecord.leader_id, func.count())
        .where(CasePackageRecord.status == PackageStatus.OPEN.value)
        .group_by(CasePackageRecord.leader_id)
    ).all()
    return {int(lid): int(n) for lid, n in rows}


def list_leaders(db: Database, *, level: str | None = None) -> list[dict[str, Any]]:
    """The register in R-PK-03 order (先党委后政府、先正职后副职, level, current load), phones masked."""
    want = parse_code(LeaderLevel, level, field="level") if level else None
    with db.read_session() as s:
        rows = s.execute(select(LeaderRecord, UnitRecord.name).outerjoin(UnitRecord)).all()
        loads = open_loads(s)
        by_id = {rec.id: (rec, unit) for rec, unit in rows}
        ordered = order_candidates((leader_info(rec, loads.get(rec.id, 0)) for rec, _ in rows), level=want)
        return [
            _leader_json(by_id[i.id][0], by_id[i.id][1], load=i.load, masked=True) | {"rank_order": n}
            for n, i in enumerate(ordered, start=1)
        ]


# ------------------------------------------------------------------------------------------------ packages


@dataclass
class PackageInput:
    cases: Sequence[str]
    leader: str
    target_on: date | None = None
    started_on: date | None = None
    lead_unit: str | None = None
    members: Sequence[tuple[str, str, str | None]] = ()  # (name, role, post)
    milestones: Sequence[MilestoneSpec] = ()
    reception_day_id: int | None = None


@dataclass
class PackageUpdate:
    duties: Sequence[tuple[str, str | None, str | None]] = ()  # (duty, status, evidence)
    meetings: Sequence[tuple[date, str | None, str | None]] = ()  # (held_on, place, notes)
    milestones_done: Sequence[tuple[int, date]] = ()  # (seq, done_on)
    add_milestones: Sequence[MilestoneSpec] = ()
    members: Sequence[tuple[str, str, str | None]] = ()
    target_on: date | None = None
    changes: list[str] = field(default_factory=list)


def _parse_members(members: Sequence[tuple[str, str, str | None]]) -> list[tuple[str, MemberRole, str | None]]:
    out: list[tuple[str, MemberRole, str | None]] = []
    problems: list[FieldProblem] = []
    for name, role, post in members:
        problems += check_text("member", "专班成员姓名", name, max_length=64)
        problems += check_text("member", "专班成员职务", post, max_length=128, required=False)
        out.append(("".join((name or "").split()), parse_code(MemberRole, role or "成员", field="member"), post))
    if problems:
        raise ValidationError(problems)
    return out


@requires("package.manage")
def create_package(db: Database, inp: PackageInput, *, today: date) -> dict[str, Any]:
    """领导包案 (R-PK-01): one case or related cases, one leader, a team, a plan, the five duties, a target date."""
    if not inp.cases:
        raise ValidationError([FieldProblem("case", "信访事项", "至少指定一件信访事项")])
    members = _parse_members(inp.members)
    calendar = load_calendar(db)
    start = inp.started_on or today
    target = inp.target_on or default_target(start, calendar, DEFAULT_RULES)
    if target < start:
        raise ValidationError([FieldProblem("target", "化解时限", f"{target} 早于包案开始日期 {start}")])
    milestones = plan_milestones(start, inp.milestones, calendar, target_on=target)
    with unit_of_work(db) as uow:
        s = uow.session
        leader = resolve_leader(s, inp.leader)
        cases = [_case(s, number) for number in dict.fromkeys(n.strip() for n in inp.cases)]
        for case in cases:
            busy = s.scalar(
                select(CasePackageRecord.id)
                .join(PackageCaseRecord, PackageCaseRecord.package_id == CasePackageRecord.id)
                .where(PackageCaseRecord.case_id == case.id, CasePackageRecord.status == PackageStatus.OPEN.value)
            )
            if busy is not None:  # R-PK-01: one case, one leader
                raise ConflictError(f"信访事项 {case.number} 已由包案 {busy} 包案，不能重复包案", field="case")
        lead_unit = resolve_unit(s, inp.lead_unit) if inp.lead_unit else None
        if inp.reception_day_id is not None and s.get(ReceptionDayRecord, inp.reception_day_id) is None:
            raise NotFoundError(f"未找到接访记录 {inp.reception_day_id}", field="reception")
        pkg = CasePackageRecord(
            leader_id=leader.id,
            lead_unit_id=lead_unit.id if lead_unit else None,
            reception_day_id=inp.reception_day_id,
            started_on=start,
            target_on=target,
            status=PackageStatus.OPEN.value,
            created_at=uow.now,
            created_by=uow.user_id,
        )
        s.add(pkg)
        s.flush()
        for pos, case in enumerate(cases):
            s.add(PackageCaseRecord(package_id=pkg.id, case_id=case.id, position=pos))
        for d in initial_duties():
            s.add(PackageDutyRecord(package_id=pkg.id, duty=d.duty.value, status=d.status.value))
        for name, role, post in members:
            s.add(PackageMemberRecord(package_id=pkg.id, name=name, role=role.value, post=post))
        for m in milestones:
            s.add(PackageMilestoneRecord(package_id=pkg.id, seq=m.seq, title=m.title, due_on=m.due_on))
        s.flush()
        uow.audit.record(
            "create",
            "case_package",
            str(pkg.id),
            {"leader": leader.name, "cases": [c.number for c in cases], "target_on": target},
        )
        detail = _detail(s, pkg, today, calendar)
        uow.commit()
    return detail


def _case(session: Session, number: str) -> CaseRecord:
    rec = session.scalar(select(CaseRecord).where(CaseRecord.number == number))
    if rec is None:
        raise NotFoundError(f"未找到信访事项 {number}", field="case")
    require_case_in_scope(session, rec.id, number)
    return rec


def _package(session: Session, package_id: int) -> CasePackageRecord:
    pkg = session.get(CasePackageRecord, package_id)
    if pkg is None:
        raise NotFoundError(f"未找到包案 {package_id}", field="package")
    return pkg


def _view(session: Session, pkg: CasePackageRecord) -> PackageView:
    duties = session.scalars(select(PackageDutyRecord).where(PackageDutyRecord.package_id == pkg.id)).all()
    state = {Duty(d.duty): d for d in duties}
    milestones = session.scalars(
        select(PackageMilestoneRecord)
        .where(PackageMilestoneRecord.package_id == pkg.id)
        .order_by(PackageMilestoneRecord.seq)
    ).all()
    meetings = session.scalars(
        select(PackageMeetingRecord.held_on)
        .where(PackageMeetingRecord.package_id == pkg.id)
        .order_by(PackageMeetingRecord.held_on)
    ).all()
    return PackageView(
        id=pkg.id,
        leader_id=pkg.leader_id,
        started_on=pkg.started_on,
        target_on=pkg.target_on,
        status=PackageStatus(pkg.status),
        duties=tuple(
            DutyState(d, DutyStatus(state[d].status), state[d].evidence or "") if d in state else DutyState(d)
            for d in Duty
        ),
        milestones=tuple(Milestone(m.seq, m.title, m.due_on, m.done_on) for m in milestones),
        meetings=tuple(meetings),
        outcome=PackageOutcome(pkg.outcome) if pkg.outcome else None,
        closed_on=pkg.closed_on,
    )


def _detail(session: Session, pkg: CasePackageRecord, today: date, calendar: WorkdayCalendar) -> dict[str, Any]:
    view = _view(session, pkg)
    leader = session.get(LeaderRecord, pkg.leader_id)
    assert leader is not None
    cases = session.execute(
        select(CaseRecord.number, CaseRecord.summary, CaseRecord.status, CaseRecord.received_on)
        .join(PackageCaseRecord, PackageCaseRecord.case_id == CaseRecord.id)
        .where(PackageCaseRecord.package_id == pkg.id)
        .order_by(PackageCaseRecord.position)
    ).all()
    members = session.scalars(
        select(PackageMemberRecord).where(PackageMemberRecord.package_id == pkg.id).order_by(PackageMemberRecord.id)
    ).all()
    meetings = session.scalars(
        select(PackageMeetingRecord)
        .where(PackageMeetingRecord.package_id == pkg.id)
        .order_by(PackageMeetingRecord.held_on, PackageMeetingRecord.id)
    ).all()
    lead_unit = session.get(UnitRecord, pkg.lead_unit_id) if pkg.lead_unit_id else None
    done, total = duties_progress(view.duties)
    return {
        "id": pkg.id,
        "leader": {"id": leader.id, "name": leader.name, "post": leader.post},
        "cases": [{"number": n, "summary": sm, "status": st, "received_on": r.isoformat()} for n, sm, st, r in cases],
        "lead_unit": lead_unit.name if lead_unit else None,
        "reception_day_id": pkg.reception_day_id,
        "started_on": pkg.started_on.isoformat(),
        "target_on": pkg.target_on.isoformat(),
        "status": PackageStatus(pkg.status).label,
        "outcome": PackageOutcome(pkg.outcome).label if pkg.outcome else None,
        "closed_on": pkg.closed_on.isoformat() if pkg.closed_on else None,
        "outcome_note": pkg.outcome_note,
        "team": [{"name": m.name, "role": MemberRole(m.role).label, "post": m.post} for m in members],
        "plan": [
            {
                "seq": m.seq,
                "title": m.title,
                "due_on": m.due_on.isoformat(),
                "done_on": m.done_on.isoformat() if m.done_on else None,
            }
            for m in view.milestones
        ],
        "duties": [
            {"duty": d.duty.label, "status": d.status.label, "evidence": d.evidence or None} for d in view.duties
        ],
        "duties_progress": f"{done}/{total}",
        "meetings": [{"held_on": m.held_on.isoformat(), "place": m.place, "notes": m.notes} for m in meetings],
        "reminders": [r.to_json() for r in package_reminders(view, today, calendar)],
    }


def package_detail(db: Database, package_id: int, *, today: date) -> dict[str, Any]:
    calendar = load_calendar(db)
    with db.read_session() as s:
        return _detail(s, _package(s, package_id), today, calendar)


@requires("package.manage")
def update_package(db: Database, package_id: int, upd: PackageUpdate, *, today: date) -> dict[str, Any]:
    """Record progress: duties (status, evidence), meetings (约见), milestones done or added, team, target date."""
    calendar = load_calendar(db)
    members = _parse_members(upd.members)
    with unit_of_work(db) as uow:
        s = uow.session
        pkg = _package(s, package_id)
        if pkg.status == PackageStatus.CLOSED.value:
            raise ConflictError(f"包案 {package_id} 已办结，不能再修改", field="package")
        changes: dict[str, Any] = {}
        for duty_text, status_text, evidence in upd.duties:
            duty = parse_code(Duty, duty_text, field="duty")
            rec = s.get(PackageDutyRecord, (pkg.id, duty.value))
            if rec is None:
                rec = PackageDutyRecord(package_id=pkg.id, duty=duty.value, status=DutyStatus.NOT_STARTED.value)
                s.add(rec)
            if status_text:
                rec.status = parse_code(DutyStatus, status_text, field="status").value
            elif evidence and rec.status == DutyStatus.NOT_STARTED.value:
                rec.status = DutyStatus.IN_PROGRESS.value
            if evidence:
                problems = check_text("evidence", "落实情况说明", evidence, max_length=2000, multiline=True)
                if problems:
                    raise ValidationError(problems)
                rec.evidence = (rec.evidence + "\n" if rec.evidence else "") + f"{today.isoformat()} {evidence.strip()}"
            rec.updated_on = today
            changes.setdefault("duties", []).append({"duty": duty.label, "status": DutyStatus(rec.status).label})
        for held_on, place, notes in upd.meetings:
            if held_on < pkg.started_on or held_on > today:
                raise ValidationError(
                    [FieldProblem("meeting", "约见日期", f"{held_on} 应在包案开始 {pkg.started_on} 与今天之间")]
                )
            s.add(PackageMeetingRecord(package_id=pkg.id, held_on=held_on, place=place, notes=notes))
            changes.setdefault("meetings", []).append(held_on.isoformat())
        if upd.target_on is not None:
            if upd.target_on < pkg.started_on:
                raise ValidationError([FieldProblem("target", "化解时限", f"{upd.target_on} 早于包案开始日期")])
            changes["target_on"] = {"from": pkg.target_on.isoformat(), "to": upd.target_on.isoformat()}
            pkg.target_on = upd.target_on
        for seq, done_on in upd.milestones_done:
            ms = s.scalar(
                select(PackageMilestoneRecord).where(
                    PackageMilestoneRecord.package_id == pkg.id, PackageMilestoneRecord.seq == seq
                )
            )
            if ms is None:
                raise NotFoundError(f"包案 {package_id} 没有第 {seq} 个方案节点", field="milestone")
            if done_on > today or done_on < pkg.started_on:
                raise ValidationError([FieldProblem("milestone", "完成日期", f"{done_on} 应在包案开始与今天之间")])
            ms.done_on = done_on
            changes.setdefault("milestones_done", []).append(seq)
        if upd.add_milestones:
            last = s.scalar(
                select(func.max(PackageMilestoneRecord.seq)).where(PackageMilestoneRecord.package_id == pkg.id)
            )
            planned = plan_milestones(pkg.started_on, upd.add_milestones, calendar, target_on=pkg.target_on)
            for m in planned:
                s.add(
                    PackageMilestoneRecord(package_id=pkg.id, seq=(last or 0) + m.seq, title=m.title, due_on=m.due_on)
                )
            changes["milestones_added"] = [m.title for m in planned]
        for name, role, post in members:
            s.add(PackageMemberRecord(package_id=pkg.id, name=name, role=role.value, post=post))
            changes.setdefault("members", []).append(name)
        if not changes:
            raise ValidationError([FieldProblem("update", "修改内容", "没有指定任何修改")])
        s.flush()
        uow.audit.record("update", "case_package", str(pkg.id), changes)
        detail = _detail(s, pkg, today, calendar)
        uow.commit()
    return detail


@requires("package.manage")
def close_package(
    db: Database, package_id: int, outcome: str, *, on: date, note: str | None, today: date
) -> dict[str, Any]:
    """End a package with its outcome (息访息诉 / 化解 / 未化解), R-PK-01 一抓到底."""
    result = parse_code(PackageOutcome, outcome, field="outcome")
    if on > today:
        raise ValidationError([FieldProblem("on", "办结日期", f"{on} 晚于今天")])
    if note:
        problems = check_text("note", "办结说明", note, max_length=2000, multiline=True)
        if problems:
            raise ValidationError(problems)
    calendar = load_calendar(db)
    with unit_of_work(db) as uow:
        s = uow.session
        pkg = _package(s, package_id)
        check_close(_view(s, pkg), result, on)
        pkg.status = PackageStatus.CLOSED.value
        pkg.outcome = result.value
        pkg.closed_on = on
        pkg.outcome_note = note.strip() if note else None
        s.flush()
        uow.audit.record("close", "case_package", str(pkg.id), {"outcome": result.label, "closed_on": on})
        detail = _detail(s, pkg, today, calendar)
        uow.commit()
    return detail


def list_packages(
    db: Database, *, today: date, leader: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Packages (leader, cases, target date, duties progress, outcome, reminders), the most urgent first."""
    want = parse_code(PackageStatus, status, field="status") if status else None
    calendar = load_calendar(db)
    with db.read_session() as s:
        q = select(CasePackageRecord, LeaderRecord).join(LeaderRecord, LeaderRecord.id == CasePackageRecord.leader_id)
        if leader:
            q = q.where(CasePackageRecord.leader_id == resolve_leader(s, leader).id)
        if want is not None:
            q = q.where(CasePackageRecord.status == want.value)
        rows = s.execute(q.order_by(CasePackageRecord.status.desc(), CasePackageRecord.target_on, CasePackageRecord.id))
        out: list[dict[str, Any]] = []
        for pkg, ld in rows.all():
            view = _view(s, pkg)
            numbers = s.scalars(
                select(CaseRecord.number)
                .join(PackageCaseRecord, PackageCaseRecord.case_id == CaseRecord.id)
                .where(PackageCaseRecord.package_id == pkg.id)
                .order_by(PackageCaseRecord.position)
            ).all()
            done, total = duties_progress(view.duties)
            reminders = package_reminders(view, today, calendar)
            out.append(
                {
                    "id": pkg.id,
                    "leader": ld.name,
                    "leader_post": ld.post,
                    "cases": list(numbers),
                    "started_on": pkg.started_on.isoformat(),
                    "target_on": pkg.target_on.isoformat(),
                    "status": PackageStatus(pkg.status).label,
                    "duties_progress": f"{done}/{total}",
                    "duties_done": done,
                    "outcome": PackageOutcome(pkg.outcome).label if pkg.outcome else None,
                    "closed_on": pkg.closed_on.isoformat() if pkg.closed_on else None,
                    "reminders": [r.to_json() for r in reminders],
                }
            )
    return out


def leader_resolution_rates(db: Database, start: date, end: date) -> list[dict[str, Any]]:
    """化解率 per leader for the packages due or closed in [start, end]."""
    with db.read_session() as s:
        pkgs = s.scalars(select(CasePackageRecord).where(CasePackageRecord.started_on <= end)).all()
        views = [_view(s, p) for p in pkgs]
        names = dict(s.execute(select(LeaderRecord.id, LeaderRecord.name)).all())
    rates = resolution_rates(views, start, end)
    return [r.to_json() | {"leader": names.get(lid)} for lid, r in rates.items()]


def case_card_data(db: Database, package_id: int, *, today: date) -> dict[str, Any]:
    """What the one-page case card prints: the package and its main case's petitioner, channel and unit."""
    from xinfang_desktop.core.codes import Channel
    from xinfang_desktop.persistence.records import CasePetitionerRecord, PetitionerRecord

    calendar = load_calendar(db)
    with db.read_session() as s:
        pkg = _package(s, package_id)
        detail = _detail(s, pkg, today, calendar)
        main = s.scalar(
            select(CaseRecord)
            .join(PackageCaseRecord, PackageCaseRecord.case_id == CaseRecord.id)
            .where(PackageCaseRecord.package_id == pkg.id)
            .order_by(PackageCaseRecord.position)
            .limit(1)
        )
        petitioner = channel = unit = None
        if main is not None:
            petitioner = s.scalar(
                select(PetitionerRecord.name)
                .join(CasePetitionerRecord, CasePetitionerRecord.petitioner_id == PetitionerRecord.id)
                .where(CasePetitionerRecord.case_id == main.id)
                .order_by(CasePetitionerRecord.position)
                .limit(1)
            )
            channel = Channel(main.channel).label
            if main.responsible_unit_id:
                unit = s.scalar(select(UnitRecord.name).where(UnitRecord.id == main.responsible_unit_id))
    return {"package": detail, "petitioner": petitioner, "channel": channel, "responsible_unit": unit}
