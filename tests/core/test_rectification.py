"""挂牌整治 (R-AS-02) as pure rules: the explanation's due day on the working-day calendar (across the 2026 National
Day holiday and its make-up Saturday), the graded clock, the states, the checks of each step and the lifting rule."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.core.errors import DomainError, ValidationError
from xinfang_desktop.core.rectification import (
    DEFAULT_EXPLANATION_WORKDAYS,
    ExplanationStatus,
    GroupKind,
    ListedGroup,
    Listing,
    ListingState,
    check_explanation,
    check_interview,
    check_lift,
    explanation_clock,
    explanation_due,
    lifts_by_ranking,
    next_quarter,
    parse_explanation_workdays,
    previous_quarter,
)
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.calendar_store import load_shipped_years


@pytest.fixture(scope="module")
def cal() -> WorkdayCalendar:
    return WorkdayCalendar(load_shipped_years())


def _listing(**changes: object) -> Listing:
    base: dict[str, object] = {
        "quarter": "2026Q3",
        "kind": GroupKind.TOWNSHIP,
        "key": "331221101",
        "name": "东湖镇",
        "listed_on": date(2026, 9, 30),
        "explanation_due": date(2026, 10, 20),
    }
    base.update(changes)
    return Listing(**base)  # type: ignore[arg-type]


def test_due_day_across_the_national_day_holiday(cal: WorkdayCalendar) -> None:
    # R-AS-02 (I: 10 工作日): listed Wed 2026-09-30; 10-01…10-07 holiday, Sat 10-10 a make-up working day:
    # 10-08, 10-09, 10-10, 10-12 … 10-16, 10-19, 10-20 are the ten.
    assert DEFAULT_EXPLANATION_WORKDAYS == 10
    assert explanation_due(date(2026, 9, 30), cal) == date(2026, 10, 20)
    # Weekends alone would have given 10-14: the holiday table moves it.
    assert explanation_due(date(2026, 9, 30), WorkdayCalendar()) == date(2026, 10, 14)
    assert explanation_due(date(2026, 9, 30), cal, 3) == date(2026, 10, 10)  # the make-up Saturday counts


def test_the_setting_is_checked() -> None:
    assert parse_explanation_workdays(None) == 10
    assert parse_explanation_workdays(15) == 15
    for bad in (0, 61, "10", True, 2.5):
        with pytest.raises(DomainError, match="挂牌整治书面说明期限"):
            parse_explanation_workdays(bad)


def test_states_in_order() -> None:
    li = _listing()
    assert li.state is ListingState.LISTED and li.is_open
    li = _listing(explanation_on=date(2026, 10, 15))
    assert li.state is ListingState.EXPLAINED
    li = _listing(explanation_on=date(2026, 10, 15), interview_on=date(2026, 10, 22))
    assert li.state is ListingState.INTERVIEWED
    # 视情约谈: an interview without the explanation is still recorded as 已约谈
    assert _listing(interview_on=date(2026, 10, 9)).state is ListingState.INTERVIEWED
    lifted = _listing(explanation_on=date(2026, 10, 15), lifted_on=date(2027, 1, 8))
    assert lifted.state is ListingState.LIFTED and not lifted.is_open


def test_clock_grades_like_the_other_clocks(cal: WorkdayCalendar) -> None:
    li = _listing()
    on_track = explanation_clock(li, date(2026, 10, 8), cal)
    assert on_track.status is ExplanationStatus.OWED and on_track.grade == "on_track" and not on_track.urgent
    soon = explanation_clock(li, date(2026, 10, 16), cal)  # 10-19, 10-20 left: within 3 working days
    assert soon.grade == "due_soon" and soon.urgent and "临期" in soon.label
    assert explanation_clock(li, date(2026, 10, 20), cal).grade == "due_today"
    late = explanation_clock(li, date(2026, 10, 21), cal)
    assert late.status is ExplanationStatus.OVERDUE and late.grade == "overdue" and late.late
    assert explanation_clock(li, date(2026, 11, 19), cal).grade == "seriously_overdue"
    on_time = explanation_clock(_listing(explanation_on=date(2026, 10, 20)), date(2026, 12, 1), cal)
    assert on_time.status is ExplanationStatus.RECEIVED and on_time.label == "按期提交" and not on_time.late
    # 10-21 (Wed) and 10-22 (Thu) after the due day: 2 working days late
    late_in = explanation_clock(_listing(explanation_on=date(2026, 10, 22)), date(2026, 12, 1), cal)
    assert late_in.status is ExplanationStatus.RECEIVED_LATE and late_in.label == "逾期2个工作日提交"


def test_steps_are_checked() -> None:
    li = _listing()
    check_explanation(li, date(2026, 10, 9), date(2026, 10, 9))
    with pytest.raises(ValidationError, match="晚于今天"):
        check_explanation(li, date(2026, 10, 10), date(2026, 10, 9))
    with pytest.raises(ValidationError, match="早于挂牌日期"):
        check_explanation(li, date(2026, 9, 29), date(2026, 10, 9))
    with pytest.raises(ValidationError, match="不能重复登记"):
        check_explanation(_listing(explanation_on=date(2026, 10, 9)), date(2026, 10, 12), date(2026, 10, 12))
    with pytest.raises(ValidationError, match="已于2027-01-08摘牌"):
        check_interview(_listing(lifted_on=date(2027, 1, 8)), date(2027, 1, 9), date(2027, 1, 9))
    with pytest.raises(ValidationError, match="不能重复登记"):
        check_interview(_listing(interview_on=date(2026, 10, 9)), date(2026, 10, 12), date(2026, 10, 12))
    with pytest.raises(ValidationError, match="早于已登记的书面说明或约谈日期"):
        check_lift(_listing(explanation_on=date(2026, 10, 15)), date(2026, 10, 14), date(2026, 10, 20))
    check_lift(_listing(explanation_on=date(2026, 10, 15)), date(2026, 10, 15), date(2026, 10, 20))


def test_lifting_rule_by_the_next_ranking() -> None:
    assert previous_quarter("2026Q1") == "2025Q4" and next_quarter("2026Q4") == "2027Q1"
    old = [
        _listing(quarter="2026Q3", key="331221101"),
        _listing(quarter="2026Q3", key="331221102", name="西山镇"),
        _listing(quarter="2026Q3", kind=GroupKind.UNIT, key="6", name="示范县公安局"),
        _listing(quarter="2026Q2", key="331221103", name="南岭乡"),  # two quarters back: not this ranking's to lift
        _listing(quarter="2026Q3", key="331221104", lifted_on=date(2026, 11, 1)),  # already lifted
    ]
    now = [ListedGroup(GroupKind.TOWNSHIP, "331221102", "西山镇", ("综合得分末位",))]
    lifts = lifts_by_ranking(old, "2026Q4", now)
    assert [lf.key for lf in lifts] == [("township", "331221101"), ("unit", "6")]
    assert lifts[0].reason == "2026年第四季度综合排名不再列入挂牌整治（R-AS-02）"
    # A unit and a township with the same key are different groups
    other = lifts_by_ranking(old, "2026Q4", [ListedGroup(GroupKind.TOWNSHIP, "6", "x", ())])
    assert ("unit", "6") in [lf.key for lf in other]
