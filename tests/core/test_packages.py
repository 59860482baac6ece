"""Pure rules of leader packages and reception duty (R-PK-01/02/03/06, R-RC-01/02)."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.masking import mask_phone
from xinfang_desktop.core.packages import (
    Duty,
    DutyState,
    DutyStatus,
    LeaderInfo,
    LeaderLevel,
    Milestone,
    MilestoneSpec,
    Organ,
    PackageOutcome,
    PackageStatus,
    PackageView,
    Rank,
    check_close,
    initial_duties,
    normalise_name,
    order_candidates,
    package_reminders,
    pad_name,
    parse_milestone,
    plan_milestones,
    resolution_rates,
)
from xinfang_desktop.core.reception import (
    Light,
    ReceptionDayInfo,
    compliance,
    duty_roster,
    instruction_meter,
    parse_period,
    parse_quarter,
    windows_of,
)
from xinfang_desktop.core.workdays import WorkdayCalendar, holiday_year_from_dict

CAL = WorkdayCalendar(
    [
        holiday_year_from_dict(
            {
                "year": 2026,
                "holidays": ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"],
                "makeup_workdays": ["2026-09-20", "2026-10-10"],
            }
        )
    ]
)


def leader(i: int, organ: Organ, rank: Rank, level: LeaderLevel = LeaderLevel.COUNTY, load: int = 0) -> LeaderInfo:
    return LeaderInfo(i, f"L{i}", organ, rank, level, "职务", load)


# ------------------------------------------------------------------------------------------------ R-PK-03


def test_candidates_party_before_government_principal_before_deputy_then_level_then_load() -> None:
    """R-PK-03: 先党委后政府、先正职后副职; then the higher level, then the lighter load."""
    leaders = [
        leader(1, Organ.GOVERNMENT, Rank.DEPUTY, load=0),
        leader(2, Organ.GOVERNMENT, Rank.PRINCIPAL, load=5),
        leader(3, Organ.PARTY, Rank.DEPUTY, load=0),
        leader(4, Organ.PARTY, Rank.PRINCIPAL, load=3),
        leader(5, Organ.PARTY, Rank.DEPUTY, load=2),
        leader(6, Organ.CPPCC, Rank.PRINCIPAL),
        leader(7, Organ.PARTY, Rank.PRINCIPAL, LeaderLevel.TOWNSHIP),
        leader(8, Organ.PARTY, Rank.PRINCIPAL, LeaderLevel.CITY, load=9),
    ]
    assert [ld.id for ld in order_candidates(leaders)] == [8, 4, 7, 3, 5, 2, 1, 6]
    assert [ld.id for ld in order_candidates(leaders, level=LeaderLevel.COUNTY)] == [4, 3, 5, 2, 1, 6]


def test_labels_and_masking() -> None:
    assert Organ.parse("党委") is Organ.PARTY and Rank.parse("副职") is Rank.DEPUTY
    assert [d.label for d in Duty] == ["包掌握情况", "包思想转化", "包矛盾化解", "包教育稳控", "包息访息诉"]  # R-PK-02
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("0571-88886666") == "057******6666"
    assert normalise_name("张  兵") == "张兵" and pad_name("张兵") == "张  兵" and pad_name("吴晓东") == "吴晓东"


# ------------------------------------------------------------------------------------------------ plan and lifecycle


def test_plan_milestones_on_the_working_day_calendar() -> None:
    """R-PK-01 方案: +N counts working days (R-TM-02), a fixed date on a rest day moves to the next working day."""
    specs = [parse_milestone("见面=+3"), parse_milestone("方案=2026-10-03"), MilestoneSpec("息访", after_workdays=10)]
    start = date(2026, 9, 28)  # Monday before the National Day holiday
    ms = plan_milestones(start, specs, CAL, target_on=date(2026, 12, 31))
    assert [m.due_on for m in ms] == [date(2026, 10, 8), date(2026, 10, 8), date(2026, 10, 16)]  # 10-10 is a makeup day
    with pytest.raises(DomainError, match="晚于化解时限"):
        plan_milestones(start, specs, CAL, target_on=date(2026, 10, 9))
    for bad in ("无日期", "x=2026-13-01", "=+3", "y=+a"):
        with pytest.raises(DomainError):
            parse_milestone(bad)


def _pkg(**kw: object) -> PackageView:
    base: dict[str, object] = {
        "id": 1,
        "leader_id": 1,
        "started_on": date(2026, 9, 1),
        "target_on": date(2026, 11, 30),
        "status": PackageStatus.OPEN,
        "duties": initial_duties(),
        "milestones": (Milestone(1, "见面", date(2026, 9, 8)), Milestone(2, "方案", date(2026, 9, 30))),
    }
    base.update(kw)
    return PackageView(**base)  # type: ignore[arg-type]


def test_reminders_follow_the_package_to_the_end() -> None:
    """R-PK-01 一抓到底 / R-PK-06 跟踪督办: overdue and due-soon steps, the missing 约见, the target date."""
    kinds = [r.kind for r in package_reminders(_pkg(), date(2026, 9, 28), CAL)]
    assert kinds == ["milestone_overdue", "meeting_missing", "milestone_due_soon"]
    met = _pkg(
        meetings=(date(2026, 9, 3),),
        milestones=(Milestone(1, "见面", date(2026, 9, 8), date(2026, 9, 7)),),
    )
    assert package_reminders(met, date(2026, 9, 28), CAL) == []
    late = package_reminders(met, date(2026, 12, 1), CAL)
    assert [r.kind for r in late] == ["target_overdue"] and "包息访息诉" in late[0].message
    assert package_reminders(_pkg(status=PackageStatus.CLOSED), date(2026, 12, 1), CAL) == []


def test_close_rules() -> None:
    pkg = _pkg()
    with pytest.raises(DomainError, match="包息访息诉"):
        check_close(pkg, PackageOutcome.CEASED, date(2026, 10, 1))
    with pytest.raises(DomainError, match="早于"):
        check_close(pkg, PackageOutcome.RESOLVED, date(2026, 8, 1))
    done = tuple(DutyState(d, DutyStatus.DONE) for d in Duty)
    check_close(_pkg(duties=done), PackageOutcome.CEASED, date(2026, 10, 1))
    with pytest.raises(DomainError, match="已于"):
        check_close(
            _pkg(status=PackageStatus.CLOSED, closed_on=date(2026, 10, 1)), PackageOutcome.RESOLVED, date(2026, 10, 2)
        )


def test_resolution_rate_per_leader() -> None:
    q = (date(2026, 7, 1), date(2026, 9, 30))
    pkgs = [
        _pkg(
            id=1,
            leader_id=1,
            target_on=date(2026, 8, 1),
            status=PackageStatus.CLOSED,
            outcome=PackageOutcome.CEASED,
            closed_on=date(2026, 7, 20),
        ),
        _pkg(
            id=2,
            leader_id=1,
            target_on=date(2026, 9, 1),
            status=PackageStatus.CLOSED,
            outcome=PackageOutcome.UNRESOLVED,
            closed_on=date(2026, 9, 1),
        ),
        _pkg(id=3, leader_id=1, target_on=date(2026, 9, 20)),  # open past its target: not resolved
        _pkg(id=4, leader_id=1, target_on=date(2026, 12, 20)),  # due later: not counted
        _pkg(
            id=5,
            leader_id=2,
            target_on=date(2026, 12, 20),
            status=PackageStatus.CLOSED,
            outcome=PackageOutcome.RESOLVED,
            closed_on=date(2026, 9, 2),
        ),  # closed in the quarter
    ]
    rates = resolution_rates(pkgs, *q)
    assert (rates[1].packages, rates[1].resolved, rates[1].open, rates[1].rate) == (3, 1, 1, 0.3333)
    assert rates[2].rate == 1.0


# ------------------------------------------------------------------------------------------------ R-RC


def test_periods() -> None:
    assert parse_period("2026Q3").start == date(2026, 7, 1) and parse_period("2026Q3").end == date(2026, 9, 30)
    assert parse_period("2026-02").end == date(2026, 2, 28)
    assert parse_period("2026W01").start == date(2025, 12, 29)
    assert parse_period("2026").end == date(2026, 12, 31)
    for bad in ("2026Q5", "2026-13", "26Q1", "2026W60", ""):
        with pytest.raises(DomainError):
            parse_period(bad)
    with pytest.raises(DomainError):
        parse_quarter("2026-07")
    assert len(windows_of("month", parse_period("2026Q3"))) == 3
    assert [w.label for w in windows_of("quarter", parse_period("2026-08"))] == ["2026Q3"]


def test_compliance_across_quarters_with_missed_days() -> None:
    """R-RC-01: city quarterly, county monthly, township weekly; red windows list the days missing."""
    days = [
        ReceptionDayInfo(1, date(2026, 2, 10), True, 6),  # city Q1 held
        ReceptionDayInfo(1, date(2026, 5, 12), False),  # city Q2 planned, not held → red, missed
        ReceptionDayInfo(1, date(2026, 8, 4), True, 3),  # city Q3 held
        ReceptionDayInfo(2, date(2026, 7, 7), True),  # county July held
        ReceptionDayInfo(2, date(2026, 8, 18), False),  # county August planned, missed
    ]
    year = parse_period("2026")
    city = compliance(1, LeaderLevel.CITY, days, year, today=date(2026, 10, 15))
    assert [w.light for w in city.windows] == [Light.GREEN, Light.RED, Light.GREEN, Light.PENDING]
    assert city.windows[1].missed_days == (date(2026, 5, 12),) and city.missing == 1
    assert city.light == Light.RED
    county = compliance(2, LeaderLevel.COUNTY, days, parse_period("2026Q3"), today=date(2026, 10, 1))
    assert [w.light for w in county.windows] == [Light.GREEN, Light.RED, Light.RED]
    assert county.missing == 2 and county.windows[1].missed_days == (date(2026, 8, 18),)
    town = compliance(3, LeaderLevel.TOWNSHIP, days, parse_period("2026-07"), today=date(2026, 8, 1))
    assert len(town.windows) == 5 and town.missing == 4  # weeks 27–31 overlap July; week 31 still runs
    assert town.windows[-1].light == Light.PENDING
    ok = compliance(1, LeaderLevel.CITY, days, parse_period("2026Q3"), today=date(2026, 10, 1))
    assert ok.light == Light.GREEN and ok.to_json()["light_label"] == "达标"


def test_instruction_meter_against_thirty_percent() -> None:
    """R-RC-02: principal leaders instruct ≥ 30% of first letters."""
    m = instruction_meter(1, range(10), [0, 1, 2, 99], applies=True)
    assert (m.first_letters, m.instructed, m.share, m.light) == (10, 3, 0.3, Light.GREEN)
    low = instruction_meter(1, range(10), [0, 1], applies=True)
    assert low.light == Light.RED and low.to_json()["met"] is False
    assert instruction_meter(2, [], [], applies=True).share is None
    assert instruction_meter(3, range(4), [1], applies=False).to_json()["met"] is None


def test_duty_roster_lists_the_gaps() -> None:
    days = [ReceptionDayInfo(1, date(2026, 10, 1), False), ReceptionDayInfo(2, date(2026, 10, 2), True)]
    levels = {1: LeaderLevel.COUNTY, 2: LeaderLevel.TOWNSHIP}
    roster = duty_roster(date(2026, 10, 1), date(2026, 10, 3), days, levels, [LeaderLevel.COUNTY])
    assert [r.gaps for r in roster] == [(), (LeaderLevel.COUNTY,), (LeaderLevel.COUNTY,)]
    with pytest.raises(DomainError):
        duty_roster(date(2026, 10, 3), date(2026, 10, 1), days, levels, [LeaderLevel.COUNTY])
