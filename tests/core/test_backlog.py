"""R-CL-05 backlog detection, R-BK-02 三方会审 triggers (49 vs 50 people), R-BK-01 deadlines, R-BK-03 targets."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.core.backlog import (
    BacklogOrigin,
    ClockFact,
    ReviewTrigger,
    burn_down,
    detect_backlog,
    inquiry_deadlines,
    review_due,
    review_triggers,
    target_progress,
)
from xinfang_desktop.core.codes import Channel, Destination, OfficeLevel
from xinfang_desktop.core.warnings_rules import Visit, WarningPolicy
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.calendar_store import load_shipped_years

D = date.fromisoformat


@pytest.fixture(scope="module")
def calendar() -> WorkdayCalendar:
    return WorkdayCalendar(load_shipped_years())


def visit(
    seq: int, on: str, channel: Channel = Channel.VISIT, level: OfficeLevel = OfficeLevel.COUNTY, **kw: object
) -> Visit:
    return Visit(seq, D(on), channel, level, submission_id=seq, **kw)  # type: ignore[arg-type]


FIRST = visit(1, "2024-09-02")


def test_missed_clock_and_a_repeat_after_it_is_backlog() -> None:
    clocks = [ClockFact("R-DL-01", D("2024-09-18"), D("2024-09-03")), ClockFact("R-DL-06", D("2024-11-04"))]
    repeat = visit(2, "2024-11-20", Channel.LETTER)
    found = detect_backlog(clocks, [FIRST, repeat], today=D("2024-11-21"))
    assert found is not None
    assert found.clock.rule_id == "R-DL-06" and found.repeat == repeat
    assert "R-CL-05" in found.reason() and "至今未办结" in found.reason()


def test_no_backlog_without_a_repeat_or_when_resolved_in_time() -> None:
    running = [ClockFact("R-DL-06", D("2024-11-04"))]
    # Missed, but the petitioner did not petition again.
    assert detect_backlog(running, [FIRST], today=D("2024-12-01")) is None
    # A repeat before the due date is an ordinary repeat.
    assert detect_backlog(running, [FIRST, visit(2, "2024-10-08")], today=D("2024-12-01")) is None
    # Concluded in time: a later repeat does not make it backlog.
    met = [ClockFact("R-DL-06", D("2024-11-04"), D("2024-10-30"))]
    assert detect_backlog(met, [FIRST, visit(2, "2024-11-20")], today=D("2024-12-01")) is None
    # Clock still running on its due date: not missed yet.
    assert detect_backlog(running, [FIRST, visit(2, "2024-11-04")], today=D("2024-11-04")) is None


def test_concluded_late_then_petitioned_again_is_backlog() -> None:
    late = [ClockFact("R-DL-06", D("2024-11-04"), D("2024-11-15"))]
    found = detect_backlog(late, [FIRST, visit(2, "2024-12-02", Channel.ONLINE)], today=D("2024-12-03"))
    assert found is not None and "2024-11-15方办结" in found.reason()


def test_only_resolution_clocks_count_and_future_submissions_are_ignored() -> None:
    intake_only = [ClockFact("R-DL-01", D("2024-09-18"))]  # 登记/转送 is not 化解
    assert detect_backlog(intake_only, [FIRST, visit(2, "2024-11-20")], today=D("2024-12-01")) is None
    review = [ClockFact("R-DL-09", D("2024-11-04"))]
    assert detect_backlog(review, [FIRST, visit(2, "2024-11-20")], today=D("2024-11-19")) is None
    assert detect_backlog(review, [FIRST, visit(2, "2024-11-20")], today=D("2024-11-20")) is not None


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"level": OfficeLevel.NATIONAL, "abnormal": True}, (ReviewTrigger.ABNORMAL_CAPITAL,)),
        ({"level": OfficeLevel.NATIONAL, "headcount": 5}, (ReviewTrigger.COLLECTIVE_CAPITAL,)),
        ({"level": OfficeLevel.NATIONAL, "headcount": 4}, ()),
        (
            {"level": OfficeLevel.NATIONAL, "headcount": 8, "abnormal": True},
            (ReviewTrigger.ABNORMAL_CAPITAL, ReviewTrigger.COLLECTIVE_CAPITAL),
        ),
        ({"level": OfficeLevel.PROVINCE, "headcount": 50}, (ReviewTrigger.PROVINCE_MASS,)),
        ({"level": OfficeLevel.PROVINCE, "headcount": 49}, ()),
        ({"level": OfficeLevel.PROVINCE, "headcount": 49, "abnormal": True}, ()),
        ({"level": OfficeLevel.CITY, "headcount": 200}, ()),
        ({"level": OfficeLevel.NATIONAL, "destination": Destination.TO_CAPITAL, "headcount": 1}, ()),
    ],
)
def test_tripartite_review_triggers(kw: dict[str, object], expected: tuple[ReviewTrigger, ...]) -> None:
    assert review_triggers(visit(2, "2024-10-14", **kw)) == expected  # type: ignore[arg-type]


def test_tripartite_triggers_need_a_visit_and_follow_the_collective_threshold() -> None:
    letter = visit(2, "2024-10-14", Channel.LETTER, OfficeLevel.NATIONAL, headcount=60)
    assert review_triggers(letter) == ()
    six = visit(2, "2024-10-14", level=OfficeLevel.NATIONAL, headcount=6)
    assert review_triggers(six, policy=WarningPolicy(collective_threshold=7)) == ()
    assert review_triggers(six, policy=WarningPolicy(collective_threshold=6)) == (ReviewTrigger.COLLECTIVE_CAPITAL,)


def test_tripartite_review_due_within_15_workdays(calendar: WorkdayCalendar) -> None:
    # 2024-09-30 → 15 工作日 skipping the National Day holiday (1–7 Oct) and counting the 调休 Saturday 12 Oct.
    assert review_due(D("2024-09-30"), calendar) == calendar.add_workdays(D("2024-09-30"), 15) == D("2024-10-25")


def test_dual_inquiry_deadlines(calendar: WorkdayCalendar) -> None:
    d = inquiry_deadlines(D("2024-11-21"), calendar)
    assert d.handling_due_on == calendar.add_workdays(D("2024-11-21"), 15)
    assert d.accountability_due_on == calendar.add_workdays(D("2024-11-21"), 30)


def test_targets_and_burn_down() -> None:
    rows = [(BacklogOrigin.NATIONAL, True)] * 3 + [(BacklogOrigin.CITY, True)] * 4 + [(BacklogOrigin.CITY, False)]
    by = {t.origin: t for t in target_progress(rows)}
    assert by[BacklogOrigin.NATIONAL].met is True and by[BacklogOrigin.NATIONAL].target == 1.0
    assert by[BacklogOrigin.CITY].rate == 0.8 and by[BacklogOrigin.CITY].met is True
    assert by[BacklogOrigin.PROVINCE].met is None and by[BacklogOrigin.LOCAL].target is None
    rows[-1] = (BacklogOrigin.NATIONAL, False)
    by = {t.origin: t for t in target_progress(rows)}
    assert by[BacklogOrigin.NATIONAL].met is False  # 3/4 < 100%
    points = burn_down(
        [(D("2024-01-10"), D("2024-02-01")), (D("2024-01-10"), None), (D("2024-01-10"), D("2024-03-01"))],
        today=D("2024-02-15"),
    )
    assert points == [(D("2024-01-10"), 3), (D("2024-02-01"), 2)]
