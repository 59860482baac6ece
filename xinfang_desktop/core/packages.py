"""Leader case packages (领导包案, R-PK): leaders, candidate ordering, the five duties, plans, reminders, 化解率.

Pure rules: no database, `today` and the working-day calendar are passed in. The numbers the office may tune
(reminder lead times, the 约见 window) live in `PackageRules`, data rather than code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.workdays import WorkdayCalendar


class Organ(LabelledEnum):
    """The organ a leader belongs to, in the order R-PK-03 proposes them (先党委后政府)."""

    PARTY = "party", "党委"
    GOVERNMENT = "government", "政府"
    CONGRESS = "congress", "人大"
    CPPCC = "cppcc", "政协"
    OTHER = "other", "其他"


class Rank(LabelledEnum):
    """正职 before 副职 (R-PK-03)."""

    PRINCIPAL = "principal", "正职"
    DEPUTY = "deputy", "副职"


class LeaderLevel(LabelledEnum):
    """The level of a leader; it sets the reception period (R-RC-01)."""

    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡镇"


class Duty(LabelledEnum):
    """五包 — the leader's five duties on a package (R-PK-02), in the order the regulation lists them."""

    KNOW_SITUATION = "know_situation", "包掌握情况"
    CHANGE_THINKING = "change_thinking", "包思想转化"
    RESOLVE_CONFLICT = "resolve_conflict", "包矛盾化解"
    EDUCATE_STABILISE = "educate_stabilise", "包教育稳控"
    END_PETITIONING = "end_petitioning", "包息访息诉"


class DutyStatus(LabelledEnum):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已落实"


class PackageStatus(LabelledEnum):
    OPEN = "open", "在办"
    CLOSED = "closed", "已办结"


class PackageOutcome(LabelledEnum):
    """How a package ended (R-PK-01 一抓到底): 息访息诉 and 化解 count as resolved for the 化解率."""

    CEASED = "ceased", "息访息诉"
    RESOLVED = "resolved", "化解"
    UNRESOLVED = "unresolved", "未化解"

    @property
    def is_resolved(self) -> bool:
        return self is not PackageOutcome.UNRESOLVED


class MemberRole(LabelledEnum):
    """Roles in a 专班 (team)."""

    HEAD = "head", "组长"
    DEPUTY_HEAD = "deputy_head", "副组长"
    MEMBER = "member", "成员"
    LIAISON = "liaison", "联络员"


_KIND_LABELS = {
    "Organ": "领导所属机关",
    "Rank": "职级",
    "LeaderLevel": "领导层级",
    "Duty": "五包责任",
    "DutyStatus": "落实情况",
    "PackageStatus": "包案状态",
    "PackageOutcome": "化解结果",
    "MemberRole": "专班角色",
}


E = TypeVar("E", bound=LabelledEnum)


def parse_code(cls: type[E], text: str, *, field: str) -> E:
    """Like `LabelledEnum.parse` but naming this module's kinds in the message."""
    text = (text or "").strip()
    for member in cls:
        if text in (member.label, member.value):
            return member
    raise DomainError(
        f"无法识别的{_KIND_LABELS.get(cls.__name__, '取值')}“{text}”，可选：{'、'.join(cls.labels())}", field=field
    )


@dataclass(frozen=True)
class PackageRules:
    """Tunable numbers of the package rules (data, not code): reminder lead time and the 约见 window."""

    due_soon_workdays: int = 3  # remind this many working days before a milestone or the target date
    meeting_within_workdays: int = 10  # the leader meets the petitioner (约见) within this many working days
    default_target_workdays: int = 60  # target date when none is given: the statutory handling period (R-DL)


DEFAULT_RULES = PackageRules()


# ------------------------------------------------------------------------------------------------ candidates


@dataclass(frozen=True)
class LeaderInfo:
    id: int
    name: str
    organ: Organ
    rank: Rank
    level: LeaderLevel
    post: str
    load: int = 0  # open packages


_ORGAN_ORDER = {o: i for i, o in enumerate(Organ)}
_RANK_ORDER = {r: i for i, r in enumerate(Rank)}
_LEVEL_ORDER = {lv: i for i, lv in enumerate(LeaderLevel)}


def candidate_key(leader: LeaderInfo) -> tuple[int, int, int, int, str, int]:
    """R-PK-03: 先党委后政府、先正职后副职; then the higher level; then the lighter current load."""
    return (
        _ORGAN_ORDER[leader.organ],
        _RANK_ORDER[leader.rank],
        _LEVEL_ORDER[leader.level],
        leader.load,
        leader.name,
        leader.id,
    )


def order_candidates(leaders: Iterable[LeaderInfo], *, level: LeaderLevel | None = None) -> list[LeaderInfo]:
    """Candidates for a package in R-PK-03 order (optionally only one level)."""
    chosen = [ld for ld in leaders if level is None or ld.level is level]
    return sorted(chosen, key=candidate_key)


# ------------------------------------------------------------------------------------------------ plans


@dataclass(frozen=True)
class MilestoneSpec:
    """A step of the plan (方案): a fixed date, or a number of working days after the package starts."""

    title: str
    due_on: date | None = None
    after_workdays: int | None = None


def parse_milestone(text: str) -> MilestoneSpec:
    """`标题=2026-08-01` (a date) or `标题=+10` (10 working days after the start)."""
    title, sep, when = text.rpartition("=")
    title, when = title.strip(), when.strip()
    if not sep or not title or not when:
        raise DomainError(f"方案节点格式错误：“{text}”，应为 标题=YYYY-MM-DD 或 标题=+工作日数", field="milestone")
    if when.startswith("+"):
        try:
            n = int(when[1:])
        except ValueError:
            n = -1
        if n < 0:
            raise DomainError(f"方案节点“{title}”的工作日数无效：“{when}”", field="milestone")
        return MilestoneSpec(title, after_workdays=n)
    try:
        return MilestoneSpec(title, due_on=date.fromisoformat(when))
    except ValueError:
        raise DomainError(f"方案节点“{title}”的日期无效：“{when}”，应为 YYYY-MM-DD", field="milestone") from None


@dataclass(frozen=True)
class Milestone:
    seq: int
    title: str
    due_on: date
    done_on: date | None = None


def plan_milestones(
    start: date, specs: Sequence[MilestoneSpec], calendar: WorkdayCalendar, *, target_on: date
) -> list[Milestone]:
    """Dates of the plan on the working-day calendar (R-TM-02: the start day is not counted).

    A date that falls on a rest day moves to the next working day; no step may come before the start or after
    the target date.
    """
    result: list[Milestone] = []
    for seq, spec in enumerate(specs, start=1):
        if spec.due_on is not None:
            due = calendar.next_workday(spec.due_on)
        else:
            due = calendar.add_workdays(start, spec.after_workdays or 0)
        if due < start:
            raise DomainError(f"方案节点“{spec.title}”的日期 {due} 早于包案开始日期 {start}", field="milestone")
        if due > target_on:
            raise DomainError(f"方案节点“{spec.title}”的日期 {due} 晚于化解时限 {target_on}", field="milestone")
        result.append(Milestone(seq, spec.title, due))
    return result


def default_target(start: date, calendar: WorkdayCalendar, rules: PackageRules = DEFAULT_RULES) -> date:
    return calendar.add_workdays(start, rules.default_target_workdays)


# ------------------------------------------------------------------------------------------------ packages


@dataclass(frozen=True)
class DutyState:
    duty: Duty
    status: DutyStatus = DutyStatus.NOT_STARTED
    evidence: str = ""


@dataclass(frozen=True)
class PackageView:
    """What the rules need to know about one package."""

    id: int
    leader_id: int
    started_on: date
    target_on: date
    status: PackageStatus
    duties: tuple[DutyState, ...]
    milestones: tuple[Milestone, ...] = ()
    meetings: tuple[date, ...] = ()
    outcome: PackageOutcome | None = None
    closed_on: date | None = None


def initial_duties() -> tuple[DutyState, ...]:
    """Every package starts with the five duties (R-PK-02), none started."""
    return tuple(DutyState(d) for d in Duty)


def duties_progress(duties: Iterable[DutyState]) -> tuple[int, int]:
    """(done, total) of the five duties."""
    items = list(duties)
    return sum(1 for d in items if d.status is DutyStatus.DONE), len(items)


def check_close(pkg: PackageView, outcome: PackageOutcome, on: date) -> None:
    """A package closes once, not before it started; 息访息诉 needs 包息访息诉 done (R-PK-02)."""
    if pkg.status is PackageStatus.CLOSED:
        raise DomainError(f"包案 {pkg.id} 已于 {pkg.closed_on} 办结", field="package")
    if on < pkg.started_on:
        raise DomainError(f"办结日期 {on} 早于包案开始日期 {pkg.started_on}", field="on")
    if outcome is PackageOutcome.CEASED:
        state = {d.duty: d.status for d in pkg.duties}
        if state.get(Duty.END_PETITIONING) is not DutyStatus.DONE:
            raise DomainError("结果为息访息诉时，“包息访息诉”责任须先标记为已落实", field="outcome")


@dataclass(frozen=True)
class Reminder:
    """A reminder on a package: what is due or overdue, for the list and the work queue (跟踪督办)."""

    kind: str  # milestone_overdue, milestone_due_soon, target_overdue, target_due_soon, meeting_missing
    due_on: date
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "due_on": self.due_on.isoformat(), "message": self.message}


def package_reminders(
    pkg: PackageView, today: date, calendar: WorkdayCalendar, rules: PackageRules = DEFAULT_RULES
) -> list[Reminder]:
    """Reminders of an open package (R-PK-01 一抓到底, R-PK-06 限期办结、跟踪督办); none once closed."""
    if pkg.status is PackageStatus.CLOSED:
        return []
    out: list[Reminder] = []
    soon = calendar.add_workdays(today, rules.due_soon_workdays)
    for m in pkg.milestones:
        if m.done_on is not None:
            continue
        if m.due_on < today:
            out.append(Reminder("milestone_overdue", m.due_on, f"方案节点“{m.title}”已于 {m.due_on} 到期未完成"))
        elif m.due_on <= soon:
            out.append(Reminder("milestone_due_soon", m.due_on, f"方案节点“{m.title}”将于 {m.due_on} 到期"))
    if not pkg.meetings:
        meet_by = calendar.add_workdays(pkg.started_on, rules.meeting_within_workdays)
        if meet_by < today:
            out.append(Reminder("meeting_missing", meet_by, f"包案领导尚未约见信访人（应于 {meet_by} 前约见）"))
    pending = [d.duty.label for d in pkg.duties if d.status is not DutyStatus.DONE]
    tail = f"，未落实：{'、'.join(pending)}" if pending else ""
    if pkg.target_on < today:
        out.append(Reminder("target_overdue", pkg.target_on, f"已超过化解时限 {pkg.target_on}{tail}"))
    elif pkg.target_on <= soon:
        out.append(Reminder("target_due_soon", pkg.target_on, f"化解时限 {pkg.target_on} 临近{tail}"))
    return sorted(out, key=lambda r: r.due_on)


# ------------------------------------------------------------------------------------------------ 化解率


@dataclass(frozen=True)
class ResolutionRate:
    """化解率 of one leader's packages in a period."""

    leader_id: int
    packages: int  # packages that were due in the period or closed in it
    resolved: int  # closed as 息访息诉 or 化解 by the end of the period
    open: int  # still open at the end of the period

    @property
    def rate(self) -> float | None:
        return round(self.resolved / self.packages, 4) if self.packages else None

    def to_json(self) -> dict[str, object]:
        return {
            "leader_id": self.leader_id,
            "packages": self.packages,
            "resolved": self.resolved,
            "open": self.open,
            "rate": self.rate,
        }


def resolution_rates(packages: Iterable[PackageView], start: date, end: date) -> dict[int, ResolutionRate]:
    """Per leader: of the packages whose target date falls in [start, end] or that closed in it, the share
    closed as resolved (息访息诉 / 化解) by `end`. A package still open at `end` counts as not resolved."""
    counts: dict[int, list[int]] = {}
    for p in packages:
        closed_in = p.closed_on is not None and start <= p.closed_on <= end
        due_in = start <= p.target_on <= end
        if p.started_on > end or not (closed_in or due_in):
            continue
        c = counts.setdefault(p.leader_id, [0, 0, 0])
        c[0] += 1
        if p.closed_on is not None and p.closed_on <= end and p.outcome is not None and p.outcome.is_resolved:
            c[1] += 1
        if p.closed_on is None or p.closed_on > end:
            c[2] += 1
    return {lid: ResolutionRate(lid, *c) for lid, c in sorted(counts.items())}


# ------------------------------------------------------------------------------------------------ helpers


def normalise_name(text: str) -> str:
    """Names in official tables are padded (“张  兵”); compare them without any whitespace."""
    return "".join((text or "").split())


def pad_name(name: str) -> str:
    """The table convention: a two-character name gets two spaces between its characters (“张  兵”)."""
    return f"{name[0]}  {name[1]}" if len(name) == 2 else name
