"""The case lifecycle state machine (R-LC-01…07, R-DL-01…13, R-TM-02…04): every action in every state, table-driven."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from tests.core.lifecycle_support import CAL, PROFILE, A, D, Flow, S, submit_event
from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.cases import EventData
from xinfang_desktop.core.codes import Outcome, ReviewOutcome, Satisfaction
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.lifecycle import (
    IllegalActionError,
    allowed_actions,
    cli_name,
    current_due,
    suggest_refuse_again,
)
from xinfang_desktop.core.lifecycle_state import fold

# ---------------------------------------------------------------------------------------------- scenarios


def _fresh() -> Flow:
    return Flow()


def _forwarded() -> Flow:
    f = Flow()
    f.act(A.FORWARD)
    return f


def _receipted() -> Flow:
    f = _forwarded()
    f.act(A.RECEIPT)
    return f


def _accepted() -> Flow:
    f = Flow()
    f.act(A.ACCEPT)
    return f


def _extended() -> Flow:
    f = _accepted()
    f.act(A.EXTEND)
    return f


def _hearing() -> Flow:
    f = _accepted()
    f.act(A.HEARING_START)
    return f


def _simplified() -> Flow:
    f = Flow()
    f.act(A.SIMPLIFIED_ACCEPT)
    return f


def _overdue() -> Flow:
    f = _accepted()
    f.tick(f.due("R-DL-06") + timedelta(days=1))
    return f


def _concluded() -> Flow:
    f = _accepted()
    f.act(A.CONCLUDE)
    return f


def _delivered() -> Flow:
    f = _concluded()
    f.act(A.DELIVER)
    return f


def _rated() -> Flow:
    f = _delivered()
    f.act(A.RATE)
    return f


def _review() -> Flow:
    f = _delivered()
    f.act(A.REQUEST_REVIEW)
    return f


def _review_overdue() -> Flow:
    f = _review()
    f.tick(f.due("R-DL-09") + timedelta(days=1))
    return f


def _review_issued() -> Flow:
    f = _review()
    f.act(A.REVIEW_DECISION)
    return f


def _review_delivered() -> Flow:
    f = _review_issued()
    f.act(A.DELIVER)
    return f


def _final_review() -> Flow:
    f = _review_delivered()
    f.act(A.REQUEST_FINAL_REVIEW)
    return f


def _final_overdue() -> Flow:
    f = _final_review()
    f.tick(f.due("R-DL-11") + timedelta(days=1))
    return f


def _final_issued() -> Flow:
    f = _final_review()
    f.act(A.FINAL_REVIEW_DECISION)
    return f


def _final_delivered() -> Flow:
    f = _final_issued()
    f.act(A.DELIVER)
    return f


def _closed() -> Flow:
    f = _final_delivered()
    f.act(A.CLOSE)
    return f


def _declined() -> Flow:
    f = Flow()
    f.act(A.DECLINE)
    return f


def _refused() -> Flow:
    f = Flow()
    f.act(A.REFUSE_AGAIN)
    return f


def _lapsed() -> Flow:
    f = _delivered()
    f.add(EventData("lapse", f.due("R-DL-08") + timedelta(days=1), S.OPINION_ISSUED, S.REVIEW_WINDOW_LAPSED))
    return f


SUPPORT = {A.PROGRESS, A.SUPERVISE, A.URGE}
# scenario → (status, allowed actions)
TABLE: dict[str, tuple[Callable[[], Flow], S, set[CaseAction]]] = {
    "fresh": (
        _fresh,
        S.UNDER_REVIEW,
        {A.ACCEPT, A.DECLINE, A.REFUSE_AGAIN, A.FORWARD, A.ASSIGN, A.SIMPLIFIED_ACCEPT} | SUPPORT,
    ),
    "forwarded": (_forwarded, S.UNDER_REVIEW, {A.RECEIPT} | SUPPORT),
    "receipted": (
        _receipted,
        S.UNDER_REVIEW,
        {A.ACCEPT, A.DECLINE, A.REFUSE_AGAIN, A.OBJECT, A.SIMPLIFIED_ACCEPT} | SUPPORT,
    ),
    "accepted": (_accepted, S.ACCEPTED, {A.EXTEND, A.HEARING_START, A.CONCLUDE} | SUPPORT),
    "extended": (_extended, S.ACCEPTED, {A.HEARING_START, A.CONCLUDE} | SUPPORT),
    "hearing": (_hearing, S.ACCEPTED, {A.EXTEND, A.HEARING_END} | SUPPORT),
    "simplified": (_simplified, S.ACCEPTED, {A.SIMPLIFIED_CONCLUDE} | SUPPORT),
    "overdue": (_overdue, S.OPINION_OVERDUE, {A.CONCLUDE} | SUPPORT),
    "concluded": (_concluded, S.OPINION_ISSUED, {A.DELIVER} | SUPPORT),
    "delivered": (_delivered, S.OPINION_ISSUED, {A.RATE, A.REQUEST_REVIEW} | SUPPORT),
    "rated": (_rated, S.OPINION_ISSUED, {A.REQUEST_REVIEW} | SUPPORT),
    "review": (_review, S.REVIEW, {A.HEARING_START, A.REVIEW_DECISION} | SUPPORT),
    "review_overdue": (_review_overdue, S.REVIEW_OPINION_OVERDUE, {A.REVIEW_DECISION} | SUPPORT),
    "review_issued": (_review_issued, S.REVIEW_OPINION_ISSUED, {A.DELIVER} | SUPPORT),
    "review_delivered": (_review_delivered, S.REVIEW_OPINION_ISSUED, {A.RATE, A.REQUEST_FINAL_REVIEW} | SUPPORT),
    "final_review": (_final_review, S.FINAL_REVIEW, {A.HEARING_START, A.FINAL_REVIEW_DECISION} | SUPPORT),
    "final_overdue": (_final_overdue, S.FINAL_REVIEW_OPINION_OVERDUE, {A.FINAL_REVIEW_DECISION} | SUPPORT),
    "final_issued": (_final_issued, S.FINAL_REVIEW_OPINION_ISSUED, {A.DELIVER} | SUPPORT),
    "final_delivered": (_final_delivered, S.FINAL_REVIEW_OPINION_ISSUED, {A.RATE, A.CLOSE} | SUPPORT),
    "closed": (_closed, S.CLOSED, set()),
    "declined": (_declined, S.DECLINED, set()),
    "refused": (_refused, S.REFUSED_AGAIN, set()),
    "lapsed": (_lapsed, S.REVIEW_WINDOW_LAPSED, set()),
}


def test_table_covers_every_national_status() -> None:
    """R-LC-01: every status of the national list is reached by a scenario (审核认定办结 included)."""
    covered = {status for _, status, _ in TABLE.values()}
    assert covered == set(S) - {S.FINAL_REVIEW_WINDOW_LAPSED} | set()
    f = _review_delivered()
    f.add(
        EventData("lapse", f.due("R-DL-10") + timedelta(days=1), S.REVIEW_OPINION_ISSUED, S.FINAL_REVIEW_WINDOW_LAPSED)
    )
    assert f.state.status is S.FINAL_REVIEW_WINDOW_LAPSED and allowed_actions(f.state) == []


@pytest.mark.parametrize("name", list(TABLE))
def test_allowed_actions(name: str) -> None:
    build, status, expected = TABLE[name]
    f = build()
    assert f.state.status is status
    assert set(allowed_actions(f.state)) == expected


@pytest.mark.parametrize("action", list(CaseAction), ids=lambda a: a.value)
@pytest.mark.parametrize("name", list(TABLE))
def test_every_action_in_every_state(name: str, action: CaseAction) -> None:
    """Legal actions succeed and record one event; illegal ones are refused with the list of allowed actions."""
    build, _, expected = TABLE[name]
    f = build()
    before = f.state
    if action in expected:
        decision = f.decide(action)
        (event,) = decision.events
        assert event.action == action.value and event.from_status is before.status
        assert event.to_status is decision.state.status
        assert event.occurred_on == before.last_event_on
        assert fold(f.facts, [*f.events, *decision.events]) == decision.state
    else:
        with pytest.raises(IllegalActionError) as info:
            f.decide(action)
        err = info.value
        assert err.details["allowed"] == [a.label for a in allowed_actions(before)]
        assert err.details["allowed_actions"] == [cli_name(a) for a in allowed_actions(before)]
        assert f"当前状态“{before.status.label}”不能执行“{action.label}”" in err.message
        assert "可执行：" in err.message


def test_illegal_message_is_specific_chinese() -> None:
    f = _concluded()
    with pytest.raises(IllegalActionError) as info:
        f.decide(A.ACCEPT)
    assert info.value.message == (
        "当前状态“已作出处理意见”不能执行“受理”（受理、不予受理等决定只能在受理申请审查中作出），"
        "可执行：办理进展、送达、督办、催办"
    )
    with pytest.raises(IllegalActionError, match="延期只能申请一次（R-DL-07），本事项已于2024年9月2日延期30日"):
        _extended().decide(A.EXTEND)
    with pytest.raises(IllegalActionError, match="尚未送达，请求复查的期限自送达之日起计算（R-DL-08）"):
        _concluded().decide(A.REQUEST_REVIEW)
    with pytest.raises(IllegalActionError, match="可执行：无（该事项已终结）"):
        _closed().decide(A.PROGRESS)
    with pytest.raises(IllegalActionError, match="xinfang tick"):
        _accepted().decide(A.OVERDUE)


# ---------------------------------------------------------------------------------------------- transitions

# scenario, action, params → status after, document, running clocks after
TRANSITIONS: list[tuple[str, CaseAction, dict[str, Any], S, str | None, set[str]]] = [
    ("fresh", A.ACCEPT, {}, S.ACCEPTED, "acceptance_notice", {"R-DL-06"}),
    ("fresh", A.SIMPLIFIED_ACCEPT, {}, S.ACCEPTED, "acceptance_notice", {"R-DL-13"}),
    ("fresh", A.DECLINE, {}, S.DECLINED, "decline_notice", set()),
    ("fresh", A.REFUSE_AGAIN, {}, S.REFUSED_AGAIN, "refuse_again_notice", set()),
    ("fresh", A.FORWARD, {}, S.UNDER_REVIEW, "transfer_letter", set()),
    ("fresh", A.ASSIGN, {}, S.UNDER_REVIEW, "assignment_form", {"R-DL-05"}),
    ("fresh", A.SUPERVISE, {}, S.UNDER_REVIEW, "supervision_form", {"R-DL-01"}),
    ("fresh", A.URGE, {}, S.UNDER_REVIEW, "urge_notice", {"R-DL-01"}),
    ("fresh", A.PROGRESS, {}, S.UNDER_REVIEW, None, {"R-DL-01"}),
    ("forwarded", A.RECEIPT, {}, S.UNDER_REVIEW, None, {"R-DL-03", "R-DL-04"}),
    ("receipted", A.OBJECT, {}, S.UNDER_REVIEW, None, {"R-DL-01"}),
    ("receipted", A.ACCEPT, {}, S.ACCEPTED, "acceptance_notice", {"R-DL-06"}),
    ("accepted", A.EXTEND, {}, S.ACCEPTED, "extension_notice", {"R-DL-06"}),
    ("accepted", A.HEARING_START, {}, S.ACCEPTED, None, {"R-DL-06"}),
    ("hearing", A.HEARING_END, {}, S.ACCEPTED, None, {"R-DL-06"}),
    ("accepted", A.CONCLUDE, {}, S.OPINION_ISSUED, "handling_opinion", set()),
    ("simplified", A.SIMPLIFIED_CONCLUDE, {}, S.OPINION_ISSUED, "handling_opinion", set()),
    ("overdue", A.CONCLUDE, {}, S.OPINION_ISSUED, "handling_opinion", set()),
    ("concluded", A.DELIVER, {}, S.OPINION_ISSUED, "delivery_receipt", {"R-DL-08"}),
    ("delivered", A.RATE, {}, S.OPINION_ISSUED, None, {"R-DL-08"}),
    ("delivered", A.REQUEST_REVIEW, {}, S.REVIEW, None, {"R-DL-09"}),
    ("review", A.REVIEW_DECISION, {}, S.REVIEW_OPINION_ISSUED, "review_opinion", set()),
    ("review", A.REVIEW_DECISION, {"outcome": "责令重新作出"}, S.ACCEPTED, "review_opinion", {"R-DL-06"}),
    ("review_overdue", A.REVIEW_DECISION, {}, S.REVIEW_OPINION_ISSUED, "review_opinion", set()),
    ("review_issued", A.DELIVER, {}, S.REVIEW_OPINION_ISSUED, "delivery_receipt", {"R-DL-10"}),
    ("review_delivered", A.REQUEST_FINAL_REVIEW, {}, S.FINAL_REVIEW, None, {"R-DL-11"}),
    ("final_review", A.FINAL_REVIEW_DECISION, {}, S.FINAL_REVIEW_OPINION_ISSUED, "final_review_opinion", set()),
    (
        "final_review",
        A.FINAL_REVIEW_DECISION,
        {"outcome": "责令重新作出"},
        S.ACCEPTED,
        "final_review_opinion",
        {"R-DL-06"},
    ),
    ("final_overdue", A.FINAL_REVIEW_DECISION, {}, S.FINAL_REVIEW_OPINION_ISSUED, "final_review_opinion", set()),
    ("final_issued", A.DELIVER, {}, S.FINAL_REVIEW_OPINION_ISSUED, "delivery_receipt", set()),
    ("final_delivered", A.CLOSE, {}, S.CLOSED, None, set()),
]


@pytest.mark.parametrize(
    ("name", "action", "params", "status", "document", "running"),
    TRANSITIONS,
    ids=[f"{t[0]}-{t[1].value}-{len(t[2])}" for t in TRANSITIONS],
)
def test_transition(
    name: str, action: CaseAction, params: dict[str, Any], status: S, document: str | None, running: set[str]
) -> None:
    f = TABLE[name][0]()
    decision = f.act(action, **params)
    assert decision.state.status is status
    assert decision.document == document == decision.events[0].document
    assert {c.rule_id for c in f.clocks() if c.running} == running


def test_awaiting_follows_the_case() -> None:
    assert _fresh().state.awaiting is None
    assert _forwarded().state.awaiting == "receipt"
    assert _receipted().state.awaiting is None
    assert _concluded().state.awaiting == "delivery"
    assert _delivered().state.awaiting == "rating"
    assert _rated().state.awaiting is None
    assert _review_issued().state.awaiting == "delivery"
    assert _final_delivered().state.awaiting == "rating"
    assert _closed().state.awaiting is None


# ---------------------------------------------------------------------------------------------- clocks


def test_accept_starts_the_handling_clock_and_meets_intake() -> None:
    f = Flow(received_on=D("2024-09-02"))
    f.act(A.ACCEPT, D("2024-09-05"))
    by_rule = {c.rule_id: c for c in f.clocks()}
    assert by_rule["R-DL-01"].met_on == D("2024-09-05")
    assert by_rule["R-DL-06"].met_on is None
    assert by_rule["R-DL-06"].deadline.start_on == D("2024-09-05")
    assert by_rule["R-DL-06"].deadline.due_on == D("2024-11-04")  # 11-04 is a Monday: 60 日, no roll
    assert current_due(f.clocks()) == D("2024-11-04")


def test_national_day_scenario_cross_checked_with_the_calendar() -> None:
    """R-TM-02/03, R-DL-01/03/04/06/07 across the 2024 National Day holiday (10-01…10-07, 调休 09-29 and 10-12)."""
    f = Flow(received_on=D("2024-09-20"))
    # R-DL-01: 15 日 → 10-05, a holiday, rolled to the next working day.
    assert D("2024-09-20") + timedelta(days=15) == D("2024-10-05")
    assert not CAL.is_workday(D("2024-10-05"))
    assert f.due("R-DL-01") == CAL.next_workday(D("2024-10-05")) == D("2024-10-08")
    f.act(A.FORWARD, D("2024-09-23"))
    f.act(A.RECEIPT, D("2024-09-27"))
    # R-DL-04: 5 工作日 after 09-27: 09-29 (调休上班), 09-30, 10-08, 10-09, 10-10.
    assert f.due("R-DL-04") == CAL.add_workdays(D("2024-09-27"), 5) == D("2024-10-10")
    assert CAL.workdays_between(D("2024-09-27"), D("2024-10-10")) == 5
    # R-DL-03: 15 日 → 10-12, a Saturday that is a 调休上班日: no roll.
    assert CAL.is_workday(D("2024-10-12"))
    assert f.due("R-DL-03") == D("2024-10-12")
    f.act(A.ACCEPT, D("2024-09-30"))
    # R-DL-06: 60 日 from 09-30 → 11-29 (Friday).
    assert f.due("R-DL-06") == D("2024-09-30") + timedelta(days=60) == D("2024-11-29")
    f.act(A.EXTEND, D("2024-11-20"), days=30)
    assert f.due("R-DL-06") == CAL.next_workday(D("2024-11-29") + timedelta(days=30)) == D("2024-12-30")


def test_objection_window_across_national_day() -> None:
    """R-DL-04: an objection on the 5th 工作日 after 签收 is accepted; on the next day it is refused."""
    f = Flow(received_on=D("2024-09-20"))
    f.act(A.FORWARD, D("2024-09-23"))
    f.act(A.RECEIPT, D("2024-09-27"))
    ok = f.decide(A.OBJECT, D("2024-10-10"))
    assert ok.state.returned and ok.state.route is None
    with pytest.raises(DomainError, match=r"异议已超过期限.*至2024年10月10日届满（R-DL-04") as info:
        f.decide(A.OBJECT, D("2024-10-11"))
    assert info.value.details["rule"] == "R-DL-04"
    # Returned: the office has R-DL-01 again from the day of the return (I) and may forward again.
    f.apply(ok)
    assert f.due("R-DL-01") == CAL.next_workday(D("2024-10-25"))
    assert A.FORWARD in allowed_actions(f.state)
    f.act(A.FORWARD, D("2024-10-11"), unit="县住建局")
    assert f.state.forwarded_unit == "县住建局" and f.state.awaiting == "receipt"


def test_extension_once_and_at_most_30_days() -> None:
    """R-DL-07: approved by the head, with a reason, at most once, ≤ 30 日, before the period ends."""
    f = _accepted()
    base = f.due("R-DL-06")
    with pytest.raises(DomainError, match=r"延期天数应为 1–30 日，现为“31”（R-DL-07）"):
        f.decide(A.EXTEND, days=31)
    with pytest.raises(DomainError, match="批准人"):
        f.decide(A.EXTEND, approver=None)
    with pytest.raises(DomainError, match="延期须写明理由"):
        f.decide(A.EXTEND, reason="  ")
    with pytest.raises(DomainError, match="不能再延期"):
        f.decide(A.EXTEND, base + timedelta(days=1))
    d = f.act(A.EXTEND, days=20)
    assert d.events[0].details["due_before"] == base.isoformat()
    assert f.due("R-DL-06") == CAL.next_workday(base + timedelta(days=20))
    assert d.events[0].details["due_after"] == f.due("R-DL-06").isoformat()
    with pytest.raises(IllegalActionError, match="延期只能申请一次"):
        f.decide(A.EXTEND, days=5)
    with pytest.raises(IllegalActionError, match="简易办理的事项不能延期（R-DL-13）"):
        _simplified().decide(A.EXTEND)


def test_hearing_pauses_the_final_review_clock() -> None:
    """R-TM-04 / R-DL-11: hearing time is not counted in the 复核 period."""
    f = Flow(received_on=D("2024-11-01"))
    for action in (A.ACCEPT, A.CONCLUDE, A.DELIVER, A.REQUEST_REVIEW, A.REVIEW_DECISION, A.DELIVER):
        f.act(action)
    start = f.act(A.REQUEST_FINAL_REVIEW).events[0].occurred_on
    before = f.due("R-DL-11")
    f.act(A.HEARING_START, start + timedelta(days=3))
    # An open hearing stands the clock still up to today.
    assert f.running(today=start + timedelta(days=8))["R-DL-11"] > before
    f.act(A.HEARING_END, start + timedelta(days=7))  # 5 days paused (both ends inclusive)
    assert f.due("R-DL-11") == CAL.next_workday(start + timedelta(days=35))
    assert f.state.hearings[0].days == 5


def test_decisions_wait_for_the_hearing_to_end() -> None:
    with pytest.raises(IllegalActionError, match="听证自2024年9月2日开始尚未结束"):
        _hearing().decide(A.CONCLUDE)


def test_simplified_accept_only_within_3_workdays() -> None:
    """R-DL-12/13: 简易办理 decides acceptance within 3 工作日 and gives its opinion within 10 工作日."""
    f = Flow(received_on=D("2024-09-27"))  # Friday before National Day
    limit = CAL.add_workdays(D("2024-09-27"), 3)
    assert limit == D("2024-10-08")  # 09-29 (调休), 09-30, 10-08
    with pytest.raises(DomainError, match=r"简易办理的受理决定已超过期限.*R-DL-12"):
        f.decide(A.SIMPLIFIED_ACCEPT, limit + timedelta(days=1))
    f.act(A.SIMPLIFIED_ACCEPT, limit)
    assert f.state.mode == "simplified"
    assert f.due("R-DL-13") == CAL.add_workdays(limit, 10)
    met = {c.rule_id: c.met_on for c in f.clocks()}
    assert met["R-DL-12"] == limit and met["R-DL-01"] == limit
    f.act(A.SIMPLIFIED_CONCLUDE)
    assert f.state.outcome is Outcome.EXPLAINED


def test_appeal_windows_start_at_delivery_and_lapse() -> None:
    """R-DL-08/10: windows start at 送达; a request after the window is refused."""
    f = _concluded()
    concluded = f.state.concluded_on
    assert concluded is not None
    f.act(A.DELIVER, concluded + timedelta(days=5))
    window = f.due("R-DL-08")
    assert window == CAL.next_workday(concluded + timedelta(days=35))
    with pytest.raises(DomainError, match=r"复查请求已超过期限.*R-DL-08"):
        f.decide(A.REQUEST_REVIEW, window + timedelta(days=1))
    f.act(A.REQUEST_REVIEW, window)
    assert f.due("R-DL-09") == CAL.next_workday(window + timedelta(days=30))
    f.act(A.REVIEW_DECISION, window + timedelta(days=2), outcome="变更")
    f.act(A.DELIVER)
    window2 = f.due("R-DL-10")
    with pytest.raises(DomainError, match=r"复核请求已超过期限.*R-DL-10"):
        f.decide(A.REQUEST_FINAL_REVIEW, window2 + timedelta(days=1))
    assert f.state.review_outcome is ReviewOutcome.CHANGED


def test_redo_sends_the_case_back_to_handling_with_a_new_clock() -> None:
    f = _review()
    on = f.state.last_event_on + timedelta(days=10)
    f.act(A.REVIEW_DECISION, on, outcome="责令重新作出")
    assert f.state.status is S.ACCEPTED and f.state.redo_count == 1 and f.state.outcome is None
    assert f.due("R-DL-06") == CAL.next_workday(on + timedelta(days=60))
    # The new handling may be extended once again and ends in a new 处理意见 open to 复查.
    f.act(A.EXTEND, days=10)
    f.act(A.CONCLUDE, outcome="不予支持")
    f.act(A.DELIVER)
    assert A.REQUEST_REVIEW in allowed_actions(f.state)


def test_refuse_again_is_suggested_after_final_review() -> None:
    """R-LC-03: after 复核, the same matter again is suggested as 不再受理."""
    assert suggest_refuse_again(_review_delivered().state) is None
    f = _final_issued()
    text = suggest_refuse_again(f.state)
    assert text is not None and "不再受理" in text and "R-LC-03" in text and "维持" in text
    g = _final_review()
    g.act(A.FINAL_REVIEW_DECISION, outcome="责令重新作出")
    assert suggest_refuse_again(g.state) is None


# ---------------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize("action", [A.FORWARD, A.ASSIGN, A.ACCEPT])
def test_accused_unit_is_refused(action: CaseAction) -> None:
    """R-LC-07: accusation material never goes to, nor is handled by, the accused unit."""
    f = Flow(accused=("县国土局",))
    with pytest.raises(DomainError, match=r"“县国土局”是本事项被反映（被控告）的单位.*R-LC-07") as info:
        f.decide(action, unit="县国土局")
    assert info.value.details["rule"] == "R-LC-07" and info.value.field == "unit"
    f.decide(action, unit="县纪委监委")


def test_accused_unit_refused_as_assisting_unit() -> None:
    f = Flow(accused=("县国土局",))
    with pytest.raises(DomainError, match="R-LC-07"):
        f.decide(A.ACCEPT, units=("县住建局", "县国土局"))


@pytest.mark.parametrize(
    ("scenario", "action", "params", "field", "text"),
    [
        ("fresh", A.DECLINE, {"reason": None}, "reason", "不予受理须写明理由"),
        ("fresh", A.REFUSE_AGAIN, {"reason": ""}, "reason", "不再受理须写明所依据"),
        ("fresh", A.FORWARD, {"unit": None}, "unit", "转送须指定承办单位"),
        ("fresh", A.ASSIGN, {"unit": None}, "unit", "交办须指定承办单位"),
        ("fresh", A.ASSIGN, {"days": None}, "days", "交办须指定办理期限天数（R-DL-05"),
        ("fresh", A.ASSIGN, {"mode": "要材料"}, "mode", "交办方式“要材料”无效，可选：要结果、要情况"),
        ("fresh", A.SUPERVISE, {"reason": None}, "reason", "督办须写明督办事由"),
        ("receipted", A.OBJECT, {"reason": None}, "reason", "异议退回须说明"),
        ("accepted", A.CONCLUDE, {"outcome": None}, "outcome", "办结须填写处理意见"),
        ("accepted", A.CONCLUDE, {"outcome": "维持"}, "outcome", "可选：予以支持、解释说明、不予支持"),
        ("accepted", A.PROGRESS, {"mode": "喝茶"}, "mode", "进展类别“喝茶”无效"),
        ("delivered", A.RATE, {"rating": "还行"}, "rating", "可选：满意、基本满意、不满意、未评价"),
        ("review", A.REVIEW_DECISION, {"outcome": "予以支持"}, "outcome", "可选：维持、撤销、变更、责令重新作出"),
    ],
)
def test_required_parameters(scenario: str, action: CaseAction, params: dict[str, Any], field: str, text: str) -> None:
    f = TABLE[scenario][0]()
    with pytest.raises(DomainError, match=text) as info:
        f.decide(action, **params)
    assert info.value.field == field
    assert not isinstance(info.value, IllegalActionError)


def test_dates_are_not_in_the_future_nor_before_the_last_event() -> None:
    f = _accepted()
    with pytest.raises(DomainError, match="晚于今天") as info:
        f.decide(A.PROGRESS, D("2024-09-10"), today=D("2024-09-09"))
    assert info.value.field == "date"
    f.act(A.PROGRESS, D("2024-09-10"))
    with pytest.raises(DomainError, match=r"早于本事项上一条记录“办理进展”的日期2024年9月10日"):
        f.decide(A.CONCLUDE, D("2024-09-09"))


def test_progress_notes_three_meetings_and_follow_up() -> None:
    """R-LC-05 三见面 dates are recorded; R-LC-06 回访核实 clears the follow-up of an 不满意 rating."""
    f = _accepted()
    f.act(A.PROGRESS, D("2024-09-05"), mode="事权单位见面")
    f.act(A.CONCLUDE, D("2024-09-20"))
    f.act(A.DELIVER, D("2024-09-21"), reason="当面送达")
    f.act(A.PROGRESS, D("2024-09-21"), mode="当面反馈")
    f.act(A.RATE, D("2024-09-22"), rating="不满意")
    assert f.state.follow_up_needed and f.state.satisfaction is Satisfaction.DISSATISFIED
    f.act(A.PROGRESS, D("2024-09-23"), mode="领导见面")
    f.act(A.PROGRESS, D("2024-09-24"), mode="回访核实")
    assert not f.state.follow_up_needed
    assert [k for k, _ in f.state.three_meetings] == ["事权单位见面", "当面反馈", "领导见面"]
    assert f.state.progress_notes == 4 and f.state.last_progress_on == D("2024-09-24")


def test_assign_sets_its_own_period_and_report() -> None:
    """R-DL-05: the 交办 period is set per case; 要情况 is answered by a report, 要结果 by the 处理意见."""
    f = Flow()
    f.act(A.ASSIGN, D("2024-09-03"), days=20, mode="要情况")
    assert f.state.assigned_unit == "城关镇人民政府" and f.state.assign_mode == "要情况"
    assert f.due("R-DL-05") == D("2024-09-23")
    f.act(A.RECEIPT, D("2024-09-04"))
    f.act(A.ACCEPT, D("2024-09-05"), unit=None)
    assert f.state.lead_unit == "城关镇人民政府"
    assert "R-DL-05" in f.running()  # accept does not answer a 要情况 report
    f.act(A.PROGRESS, D("2024-09-10"), mode="情况报告")
    assert "R-DL-05" not in f.running()
    g = Flow()
    g.act(A.ASSIGN, days=45)
    g.act(A.RECEIPT)
    g.act(A.ACCEPT)
    g.act(A.CONCLUDE)
    assert g.events[-1].details["report"] == "办结报告"
    assert {c.rule_id: c.met_on for c in g.clocks()}["R-DL-05"] == g.state.concluded_on


def test_repeat_submissions_after_acceptance_are_recorded() -> None:
    f = Flow()
    f.add(submit_event(D("2024-09-03")))
    f.act(A.ACCEPT, D("2024-09-04"))
    f.add(submit_event(D("2024-09-10")))
    assert f.state.submissions == 3 and f.state.repeat_submissions == (D("2024-09-10"),)


def test_unknown_events_are_ignored_and_fold_is_deterministic() -> None:
    f = _delivered()
    state = f.state
    f.add(EventData("note", state.last_event_on, details={"text": "备注"}))
    assert f.state.status is state.status and f.state.clock_specs == state.clock_specs
    assert fold(f.facts, f.events) == f.state


def test_supervise_and_urge_by_hand() -> None:
    f = _accepted()
    d = f.act(A.SUPERVISE, D("2024-09-06"), days=10)
    (order,) = f.state.supervision_orders
    assert order.trigger == "manual:1" and not order.automatic
    assert order.due_on == CAL.next_workday(D("2024-09-16"))
    assert d.events[0].details["due_on"] == order.due_on.isoformat()
    f.act(A.URGE, D("2024-09-20"))
    assert f.state.supervision_orders[0].reminders == 1
    f.act(A.PROGRESS, D("2024-09-21"), reason="已回复督办", mode="督办回复")
    assert not f.state.supervision_orders
    f.act(A.SUPERVISE, D("2024-09-22"))
    (second,) = f.state.supervision_orders
    assert second.trigger == "manual:2"


def test_clock_due_dates_equal_calendar_arithmetic() -> None:
    """Every running clock of a long case matches the calendar: 日 clocks roll to a working day (R-TM-03)."""
    f = _final_review()
    for c in f.clocks():
        d = c.deadline
        if d.unit.value == "days" and not d.pauses and not d.extension_days:
            assert d.due_on == CAL.next_workday(d.start_on + timedelta(days=d.length)), d.rule_id
        elif d.unit.value == "workdays":
            assert d.due_on == CAL.add_workdays(d.start_on, d.length)


def _dates(f: Flow) -> list[date]:
    return [e.occurred_on for e in f.events]


def test_events_are_dated_in_order() -> None:
    f = _closed()
    assert _dates(f) == sorted(_dates(f))
    assert PROFILE.rule("R-DL-06").length == 60
