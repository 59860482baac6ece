"""R-WS-01…04: the warning-slip trigger on sequences of submissions, the explanations owed after a slip."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.core.codes import Channel, OfficeLevel
from xinfang_desktop.core.warnings_rules import (
    Addressee,
    ExplanationStatus,
    Visit,
    WarningPolicy,
    accountability_ground,
    explanation_status,
    explanations_owed,
    warning_trigger,
)
from xinfang_desktop.core.workdays import WorkdayCalendar
from xinfang_desktop.persistence.calendar_store import load_shipped_years

L = OfficeLevel


@pytest.fixture(scope="module")
def calendar() -> WorkdayCalendar:
    return WorkdayCalendar(load_shipped_years())


def seq(*items: tuple[str, Channel, OfficeLevel]) -> list[Visit]:
    return [Visit(i, date.fromisoformat(d), ch, lvl, submission_id=100 + i) for i, (d, ch, lvl) in enumerate(items, 1)]


V, LETTER, ONLINE, PHONE = Channel.VISIT, Channel.LETTER, Channel.ONLINE, Channel.PHONE


def test_first_petition_at_township_then_two_county_visits_triggers_r_ws_01() -> None:
    visits = seq(("2024-03-01", V, L.TOWNSHIP), ("2024-04-01", V, L.COUNTY), ("2024-05-06", V, L.CITY))
    found = warning_trigger(visits)
    assert found is not None
    assert found.first.received_on == date(2024, 3, 1)
    assert [v.received_on for v in found.visits] == [date(2024, 4, 1), date(2024, 5, 6)]
    assert found.met_on == date(2024, 5, 6)
    evidence = found.to_json()
    assert evidence["rule"] == "R-WS-01" and evidence["count"] == 2
    assert [v["level"] for v in evidence["visits"]] == ["县", "市"]  # which visits, when, at which level


def test_one_county_visit_after_the_first_petition_is_not_enough() -> None:
    assert warning_trigger(seq(("2024-03-01", V, L.TOWNSHIP), ("2024-04-01", V, L.COUNTY))) is None


def test_the_first_submission_itself_does_not_count_even_at_county_level() -> None:
    # R-WS-01 **I**: only visits strictly after the first submission count.
    visits = seq(("2024-03-01", V, L.COUNTY), ("2024-04-01", V, L.COUNTY))
    assert warning_trigger(visits) is None
    visits = seq(("2024-03-01", V, L.COUNTY), ("2024-04-01", V, L.COUNTY), ("2024-04-02", V, L.PROVINCE))
    found = warning_trigger(visits)
    assert found is not None and found.met_on == date(2024, 4, 2)


def test_visits_before_the_first_submission_of_the_matter_do_not_count() -> None:
    visits = seq(
        ("2024-01-05", V, L.COUNTY),
        ("2024-02-05", V, L.CITY),
        ("2024-03-01", LETTER, L.COUNTY),  # the initial petition of the matter
        ("2024-04-01", V, L.COUNTY),
    )
    assert warning_trigger(visits, initial_on=date(2024, 3, 1)) is None
    # Without the initial date the earliest submission is the first one, and the later ones count.
    assert warning_trigger(visits) is not None


def test_letters_calls_online_and_township_visits_are_not_counted() -> None:
    visits = seq(
        ("2024-03-01", LETTER, L.COUNTY),
        ("2024-03-10", LETTER, L.CITY),
        ("2024-03-11", ONLINE, L.PROVINCE),
        ("2024-03-12", PHONE, L.NATIONAL),
        ("2024-03-13", V, L.TOWNSHIP),
        ("2024-03-14", V, L.TOWNSHIP),
        ("2024-03-20", V, L.CITY),
    )
    assert warning_trigger(visits) is None
    more = [*visits, Visit(8, date(2024, 3, 25), V, L.NATIONAL)]
    found = warning_trigger(more)
    assert found is not None and [v.level for v in found.visits] == [L.CITY, L.NATIONAL]


def test_order_is_by_date_then_sequence() -> None:
    visits = [
        Visit(3, date(2024, 5, 1), V, L.CITY),
        Visit(1, date(2024, 3, 1), LETTER, L.COUNTY),
        Visit(2, date(2024, 4, 1), V, L.COUNTY),
    ]
    found = warning_trigger(visits)
    assert found is not None and found.first.seq == 1


def test_policy_numbers_are_data() -> None:
    visits = seq(("2024-03-01", V, L.TOWNSHIP), ("2024-04-01", V, L.COUNTY), ("2024-05-06", V, L.COUNTY))
    assert warning_trigger(visits, policy=WarningPolicy(trigger_visits=3)) is None
    assert warning_trigger(visits, policy=WarningPolicy(min_level=L.CITY)) is None


def test_explanation_due_three_workdays_after_the_visit_across_national_day(calendar: WorkdayCalendar) -> None:
    # R-WS-03 with R-TM-02: the visit day is not counted. 2024-09-30 (Mon) → Oct 1–7 holidays → 8, 9, 10 October.
    visits = seq(("2024-03-01", V, L.TOWNSHIP), ("2024-09-30", V, L.COUNTY))
    owed = explanations_owed(visits, slip_issued_on=date(2024, 9, 20), calendar=calendar)
    assert [(o.visit.received_on, o.due_on) for o in owed] == [(date(2024, 9, 30), date(2024, 10, 10))]
    # A visit on the 调休上班日 Sunday 2024-09-29: 30 Sept, 8 Oct, 9 Oct.
    visits = seq(("2024-03-01", V, L.TOWNSHIP), ("2024-09-29", V, L.COUNTY))
    owed = explanations_owed(visits, slip_issued_on=date(2024, 9, 20), calendar=calendar)
    assert owed[0].due_on == date(2024, 10, 9)


def test_first_further_visit_goes_to_the_leading_group_and_the_next_escalates(calendar: WorkdayCalendar) -> None:
    visits = seq(
        ("2024-03-01", V, L.TOWNSHIP),
        ("2024-04-01", V, L.COUNTY),
        ("2024-05-06", V, L.CITY),  # slip issued that day: part of its evidence
        ("2024-05-20", LETTER, L.CITY),  # a letter is not a visit
        ("2024-05-21", V, L.TOWNSHIP),  # nor is a township visit
        ("2024-06-03", V, L.COUNTY),
        ("2024-06-17", V, L.PROVINCE),
        ("2024-07-01", V, L.NATIONAL),
    )
    owed = explanations_owed(visits, slip_issued_on=date(2024, 5, 6), calendar=calendar)
    assert [o.visit.received_on for o in owed] == [date(2024, 6, 3), date(2024, 6, 17), date(2024, 7, 1)]
    assert [o.addressee for o in owed] == [Addressee.LEADING_GROUP, Addressee.HIGHER_LEADERS, Addressee.HIGHER_LEADERS]
    assert [o.rule_id for o in owed] == ["R-WS-03", "R-WS-04", "R-WS-04"]
    assert owed[0].addressee.label == "上级信访工作领导小组组长"
    assert owed[1].addressee.label == "上级党政主要领导"
    assert owed[0].due_on == date(2024, 6, 6)
    assert "3个工作日内" in owed[0].basis()


def test_explanation_status_and_the_candidate_accountability_ground() -> None:
    due = date(2024, 10, 10)
    assert explanation_status(due, None, date(2024, 10, 10)) is ExplanationStatus.OWED
    assert explanation_status(due, None, date(2024, 10, 11)) is ExplanationStatus.OVERDUE
    assert explanation_status(due, date(2024, 10, 9), date(2024, 10, 20)) is ExplanationStatus.RECEIVED
    assert explanation_status(due, date(2024, 10, 12), date(2024, 10, 20)) is ExplanationStatus.RECEIVED_LATE
    ground = accountability_ground(unit="城关镇人民政府", due_on=due, rule_id="R-WS-03")
    assert "城关镇人民政府" in ground and "R-AC-01" in ground and "R-WS-03" in ground
