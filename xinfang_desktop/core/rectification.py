"""挂牌整治 — the task chain of a township or unit listed for rectification by the quarterly ranking (R-AS-02), or by
the half-yearly evaluation of S4 §18 when the office's rule profile says so (`core.composite_ranking.RankingOption`).

S2 §二(三)1: the groups with many abnormal or collective Beijing visits or a poor backlog resolution are listed
(列入挂牌整治单位), ranked and assessed each quarter (一季一排名，一季一考核); 整治不力的，挂牌单位要向市信访工作
联席会议提交书面说明，视情由市领导进行约谈. S4 §18 evaluates half-yearly and interviews (约谈) the persons responsible.

The states of a listing, in order (`ListingState`):

    已挂牌 (listed) → 已提交书面说明 (explained) → 已约谈 (interviewed, when a leader held one) → 已摘牌 (lifted)

The 约谈 may come before or without the explanation (视情, the leader decides); lifting ends the chain at any state.

Interpretations (**I**), the seeds setting no number or form:

- Every listed group owes one written explanation per quarter it is listed for (R-AS-02 as digested), due
  `explanation_workdays` 工作日 after the day of listing, the day itself not counted (R-TM-02). The number is the office
  setting `rectification_explanation_workdays` (1–60), **10 工作日** until the office sets it.
- The clock grades like every other: 临期 / 今日到期 / 超期 / 严重超期 (`core.deadlines.deadline_status`); an
  explanation received after its due day is kept as 逾期N个工作日提交.
- A listing is lifted (摘牌) when the next quarter's ranking no longer lists the group (the reason says so), or by a
  decision written with its reason. A group listed again stays listed and owes the new quarter's explanation too.
- A half-yearly listing (period code 2026H1, kept in the same `quarter` field) follows the same chain with the same
  due-day rule; the next half year's evaluation lifts it. Quarters and half years do not lift each other (an office
  that changes its profile lifts the old period's open listings by decision).

Pure rules: the calendar, the dates and `today` are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.core.codes import LabelledEnum
from xinfang_desktop.core.deadlines import (
    DEFAULT_DUE_SOON_WORKDAYS,
    DEFAULT_SERIOUSLY_OVERDUE_DAYS,
    DeadlineState,
    deadline_status,
)
from xinfang_desktop.core.errors import DomainError, FieldProblem, ValidationError
from xinfang_desktop.core.workdays import WorkdayCalendar

RULE = "R-AS-02"
CITATION = "重点地区挂牌整治制度（一季一排名，一季一考核；整治不力的提交书面说明，视情约谈）"
CITATION_HALF_YEAR = "重点单位挂牌管理（每半年进行一次评价，实行挂牌整治，并约谈信访工作相关责任人）"
WORKDAYS_SETTING = "rectification_explanation_workdays"
DEFAULT_EXPLANATION_WORKDAYS = 10  # **I**: the seeds set no number
MAX_EXPLANATION_WORKDAYS = 60


class GroupKind(LabelledEnum):
    """What is listed: a township (乡镇（街道）, by region code) or a responsible unit (by unit id)."""

    TOWNSHIP = "township", "乡镇（街道）"
    UNIT = "unit", "责任单位"


class ListingState(LabelledEnum):
    """Where a listing stands (R-AS-02)."""

    LISTED = "listed", "已挂牌"
    EXPLAINED = "explained", "已提交书面说明"
    INTERVIEWED = "interviewed", "已约谈"
    LIFTED = "lifted", "已摘牌"


class ExplanationStatus(LabelledEnum):
    """The written explanation of a listing on a given day."""

    OWED = "owed", "待说明"
    OVERDUE = "overdue", "逾期未说明"
    RECEIVED = "received", "已按期说明"
    RECEIVED_LATE = "received_late", "逾期后说明"


def parse_explanation_workdays(value: object) -> int:
    """The office setting `rectification_explanation_workdays`: an integer 1–60 (**I**, default 10)."""
    if value is None:
        return DEFAULT_EXPLANATION_WORKDAYS
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_EXPLANATION_WORKDAYS:
        raise DomainError(
            f"挂牌整治书面说明期限应为 1—{MAX_EXPLANATION_WORKDAYS} 个工作日的整数，现为“{value}”",
            field=WORKDAYS_SETTING,
        )
    return value


def explanation_due(listed_on: date, calendar: WorkdayCalendar, workdays: int = DEFAULT_EXPLANATION_WORKDAYS) -> date:
    """The last day of the written explanation: `workdays` 工作日 after the day of listing (R-AS-02, R-TM-02)."""
    return calendar.add_workdays(listed_on, parse_explanation_workdays(workdays))


def due_basis(listed_on: date, due: date, workdays: int) -> str:
    """How the due day was computed, for the tooltip and the JSON."""
    return (
        f"{listed_on.isoformat()}列入挂牌整治，{workdays}个工作日内（不含当日，节假日顺延）提交书面说明，"
        f"即{due.isoformat()}前（{RULE}）"
    )


@dataclass(frozen=True)
class ListedGroup:
    """A group the quarter's ranking lists (R-AS-02): kind, key (unit id or region code), name and reasons."""

    kind: GroupKind
    key: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Listing:
    """The dates of one listing, as the rules see them."""

    quarter: str
    kind: GroupKind
    key: str
    name: str
    listed_on: date
    explanation_due: date
    explanation_on: date | None = None
    interview_on: date | None = None
    lifted_on: date | None = None

    @property
    def state(self) -> ListingState:
        if self.lifted_on is not None:
            return ListingState.LIFTED
        if self.interview_on is not None:
            return ListingState.INTERVIEWED
        if self.explanation_on is not None:
            return ListingState.EXPLAINED
        return ListingState.LISTED

    @property
    def is_open(self) -> bool:
        return self.lifted_on is None

    def explanation_status(self, today: date) -> ExplanationStatus:
        """Received on time or late; else overdue from the day after the due day, owed until then."""
        if self.explanation_on is not None:
            late = self.explanation_on > self.explanation_due
            return ExplanationStatus.RECEIVED_LATE if late else ExplanationStatus.RECEIVED
        return ExplanationStatus.OVERDUE if today > self.explanation_due else ExplanationStatus.OWED

    def late_workdays(self, calendar: WorkdayCalendar) -> int:
        """Working days after the due day the explanation came (0 when on time or not yet in)."""
        if self.explanation_on is None or self.explanation_on <= self.explanation_due:
            return 0
        return max(calendar.workdays_between(self.explanation_due, self.explanation_on), 1)


@dataclass(frozen=True)
class ExplanationClock:
    """The explanation's deadline on `today`: status, grade (临期/超期/…) while owed, and the Chinese label."""

    status: ExplanationStatus
    due: date
    grade: str  # a DeadlineState value while owed or overdue; "met" / "met_late" once received
    label: str
    late: bool
    urgent: bool  # 临期 or 今日到期 (shown in amber)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "status_label": self.status.label,
            "due": self.due.isoformat(),
            "state": self.grade,
            "label": self.label,
            "late": self.late,
            "urgent": self.urgent,
        }


def explanation_clock(
    listing: Listing,
    today: date,
    calendar: WorkdayCalendar,
    *,
    due_soon_workdays: int = DEFAULT_DUE_SOON_WORKDAYS,
    seriously_overdue_days: int = DEFAULT_SERIOUSLY_OVERDUE_DAYS,
) -> ExplanationClock:
    """R-AS-02: the written explanation's clock, graded like the other clocks while it runs."""
    status = listing.explanation_status(today)
    due = listing.explanation_due
    if status is ExplanationStatus.RECEIVED:
        return ExplanationClock(status, due, "met", "按期提交", False, False)
    if status is ExplanationStatus.RECEIVED_LATE:
        n = listing.late_workdays(calendar)
        return ExplanationClock(status, due, "met_late", f"逾期{n}个工作日提交", True, False)
    if not listing.is_open:  # lifted without an explanation: the clock stopped
        late = today > due
        return ExplanationClock(status, due, "stopped", "已摘牌，未提交书面说明", late, False)
    st = deadline_status(
        due, today, calendar, due_soon_workdays=due_soon_workdays, seriously_overdue_days=seriously_overdue_days
    )
    urgent = st.state in (DeadlineState.DUE_SOON, DeadlineState.DUE_TODAY)
    return ExplanationClock(status, due, st.state.value, st.label, today > due, urgent)


# --- checks of the steps ------------------------------------------------------------------------------------------


def _day(problems: list[FieldProblem], on: date, today: date, label: str, not_before: date, before_what: str) -> None:
    if on > today:
        problems.append(FieldProblem("date", label, f"{on.isoformat()}晚于今天（{today.isoformat()}）"))
    if on < not_before:
        problems.append(FieldProblem("date", label, f"{on.isoformat()}早于{before_what}（{not_before.isoformat()}）"))


def _raise(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationError(problems)


def check_explanation(listing: Listing, on: date, today: date) -> None:
    """The explanation is recorded once, on a day from the listing to today, while the group is listed."""
    problems: list[FieldProblem] = []
    if listing.explanation_on is not None:
        problems.append(
            FieldProblem("listing", "书面说明", f"已于{listing.explanation_on.isoformat()}登记书面说明，不能重复登记")
        )
    if listing.lifted_on is not None:
        problems.append(FieldProblem("listing", "挂牌整治", f"已于{listing.lifted_on.isoformat()}摘牌"))
    _day(problems, on, today, "提交日期", listing.listed_on, "挂牌日期")
    _raise(problems)


def check_interview(listing: Listing, on: date, today: date) -> None:
    """The 约谈 is recorded once, on a day from the listing to today, while the group is listed (视情: before or
    after the explanation)."""
    problems: list[FieldProblem] = []
    if listing.interview_on is not None:
        problems.append(
            FieldProblem("listing", "约谈", f"已于{listing.interview_on.isoformat()}登记约谈，不能重复登记")
        )
    if listing.lifted_on is not None:
        problems.append(FieldProblem("listing", "挂牌整治", f"已于{listing.lifted_on.isoformat()}摘牌"))
    _day(problems, on, today, "约谈日期", listing.listed_on, "挂牌日期")
    _raise(problems)


def check_lift(listing: Listing, on: date, today: date) -> None:
    """Lifting ends an open listing, on a day from the listing (and after the steps recorded) to today."""
    problems: list[FieldProblem] = []
    if listing.lifted_on is not None:
        problems.append(FieldProblem("listing", "挂牌整治", f"已于{listing.lifted_on.isoformat()}摘牌"))
    last = max(d for d in (listing.listed_on, listing.explanation_on, listing.interview_on) if d is not None)
    what = "挂牌日期" if last == listing.listed_on else "已登记的书面说明或约谈日期"
    _day(problems, on, today, "摘牌日期", last, what)
    _raise(problems)


# --- the periods (quarters or half years) and the lifting rule ------------------------------------------------------


def is_half_year(code: str) -> bool:
    """2026H1 / 2026H2 (S4 §18) rather than a quarter 2026Q3."""
    return code.strip()[4:5].upper() == "H"


def previous_quarter(code: str) -> str:
    """2026Q3 → 2026Q2, 2026Q1 → 2025Q4; for a half year 2026H1 → 2025H2, 2026H2 → 2026H1."""
    year, n = int(code[:4]), int(code[-1])
    if is_half_year(code):
        return f"{year - 1}H2" if n == 1 else f"{year}H1"
    return f"{year - 1}Q4" if n == 1 else f"{year}Q{n - 1}"


def next_quarter(code: str) -> str:
    """2026Q3 → 2026Q4; for a half year 2026H1 → 2026H2, 2026H2 → 2027H1."""
    year, n = int(code[:4]), int(code[-1])
    if is_half_year(code):
        return f"{year + 1}H1" if n == 2 else f"{year}H2"
    return f"{year + 1}Q1" if n == 4 else f"{year}Q{n + 1}"


def quarter_label(code: str) -> str:
    """2026年第三季度, or 2026年上半年 for a half-year code."""
    if is_half_year(code):
        return f"{code[:4]}年{'上' if code[-1] == '1' else '下'}半年"
    names = ("一", "二", "三", "四")
    return f"{code[:4]}年第{names[int(code[-1]) - 1]}季度"


# The names for both kinds of period.
previous_period = previous_quarter
next_period = next_quarter
period_label = quarter_label


def citation_of(code: str) -> str:
    """The rule text a listing of this period follows (S2's quarters, S4 §18's half years)."""
    return CITATION_HALF_YEAR if is_half_year(code) else CITATION


def lift_reason_by_ranking(quarter: str) -> str:
    what = "评价" if is_half_year(quarter) else "综合排名"  # 2026年下半年评价 / 2026年第三季度综合排名
    return f"{quarter_label(quarter)}{what}不再列入挂牌整治（{RULE}）"


@dataclass(frozen=True)
class LiftByRanking:
    """A listing of the previous quarter the new quarter's ranking no longer lists: to be lifted with the reason."""

    key: tuple[str, str]  # (kind, key)
    reason: str


def lifts_by_ranking(
    open_listings: Iterable[Listing], quarter: str, listed_now: Sequence[ListedGroup]
) -> list[LiftByRanking]:
    """R-AS-02: the open listings of the quarter (half year) before `quarter` whose group `quarter`'s ranking no
    longer lists."""
    before = previous_quarter(quarter)
    still = {(g.kind.value, g.key) for g in listed_now}
    reason = lift_reason_by_ranking(quarter)
    return [
        LiftByRanking((li.kind.value, li.key), reason)
        for li in open_listings
        if li.quarter == before and li.is_open and (li.kind.value, li.key) not in still
    ]


__all__ = [
    "CITATION",
    "CITATION_HALF_YEAR",
    "DEFAULT_EXPLANATION_WORKDAYS",
    "RULE",
    "WORKDAYS_SETTING",
    "ExplanationClock",
    "ExplanationStatus",
    "GroupKind",
    "LiftByRanking",
    "ListedGroup",
    "Listing",
    "ListingState",
    "check_explanation",
    "check_interview",
    "check_lift",
    "citation_of",
    "due_basis",
    "explanation_clock",
    "explanation_due",
    "is_half_year",
    "lift_reason_by_ranking",
    "lifts_by_ranking",
    "next_period",
    "next_quarter",
    "parse_explanation_workdays",
    "period_label",
    "previous_period",
    "previous_quarter",
    "quarter_label",
]
