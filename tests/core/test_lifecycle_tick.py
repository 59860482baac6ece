"""Time-driven changes (R-DL-06/08…11, R-LC-06): overdue marks, lapsed windows, automatic 督办 and 催办; idempotence."""

from __future__ import annotations

from datetime import date, timedelta

from tests.core.lifecycle_support import CAL, START, A, D, Flow, S, submit_event

ONE = timedelta(days=1)


def _accepted(on: date = START) -> Flow:
    f = Flow(received_on=on)
    f.act(A.ACCEPT)
    return f


def _actions(f: Flow, today: date) -> list[tuple[str, date]]:
    return [(e.action, e.occurred_on) for e in f.tick(today).events]


def test_nothing_due_nothing_happens() -> None:
    f = _accepted()
    assert f.tick(D("2024-09-10")).events == ()
    assert f.tick(D("2024-09-10")).document is None


def test_handling_period_passed_marks_opinion_overdue() -> None:
    """R-DL-06: 60 日 passed without a 处理意见 → 超期未作出处理意见, dated the day after the due date."""
    f = _accepted()
    f.act(A.PROGRESS, D("2024-09-20"))  # no half-period supervision
    due = f.due("R-DL-06")
    assert f.tick(due).events == ()
    decision = f.tick(due + ONE)
    (event,) = decision.events
    assert (event.action, event.occurred_on, event.to_status) == ("overdue", due + ONE, S.OPINION_OVERDUE)
    assert "R-DL-06" in (event.reason or "") and event.details["rule"] == "R-DL-06"
    assert f.tick(due + 10 * ONE).events == ()
    f.act(A.CONCLUDE, due + 5 * ONE)  # the late opinion is still accepted
    assert f.state.status is S.OPINION_ISSUED


def test_simplified_period_passed_marks_opinion_overdue() -> None:
    f = Flow()
    f.act(A.SIMPLIFIED_ACCEPT)
    due = f.due("R-DL-13")
    assert due == CAL.add_workdays(D("2024-09-02"), 10)
    f.act(A.PROGRESS, D("2024-09-05"))
    assert [a for a, _ in _actions(f, due + ONE)] == ["overdue"]
    assert f.state.status is S.OPINION_OVERDUE


def test_open_hearing_stops_the_clock() -> None:
    f = _accepted()
    f.act(A.PROGRESS, D("2024-09-10"))
    f.act(A.HEARING_START, D("2024-10-20"))
    due = f.due("R-DL-06")
    assert f.tick(due + 20 * ONE).events == ()  # still paused: no overdue mark
    f.act(A.HEARING_END, due + 20 * ONE)
    assert f.due("R-DL-06") > due + 20 * ONE


def test_review_and_final_review_opinions_overdue() -> None:
    """R-DL-09 / R-DL-11 passed → 超期未作出复查意见 / 超期未作出复核意见."""
    f = _accepted()
    for action in (A.PROGRESS, A.CONCLUDE, A.DELIVER, A.REQUEST_REVIEW):
        f.act(action)
    due = f.due("R-DL-09")
    assert [e.to_status for e in f.tick(due + ONE).events] == [S.REVIEW_OPINION_OVERDUE]
    f.act(A.REVIEW_DECISION)
    f.act(A.DELIVER)
    f.act(A.REQUEST_FINAL_REVIEW)
    due = f.due("R-DL-11")
    assert [e.to_status for e in f.tick(due + ONE).events] == [S.FINAL_REVIEW_OPINION_OVERDUE]
    assert f.tick(due + 30 * ONE).events == ()


def test_lapsed_review_window_closes_the_case_in_one_tick() -> None:
    """R-DL-08 lapsed → 超期未申请复查 then 审核认定办结, both dated the day after the window."""
    f = _accepted()
    for action in (A.PROGRESS, A.CONCLUDE, A.DELIVER, A.RATE):
        f.act(action)
    window = f.due("R-DL-08")
    assert f.tick(window).events == ()
    decision = f.tick(window + 3 * ONE)
    assert [(e.action, e.occurred_on, e.to_status) for e in decision.events] == [
        ("lapse", window + ONE, S.REVIEW_WINDOW_LAPSED),
        ("close", window + ONE, S.CLOSED),
    ]
    assert f.state.closed_on == window + ONE
    assert f.tick(window + 100 * ONE).events == ()


def test_lapsed_final_review_window_closes_the_case() -> None:
    f = _accepted()
    for action in (A.PROGRESS, A.CONCLUDE, A.DELIVER, A.RATE, A.REQUEST_REVIEW, A.REVIEW_DECISION, A.DELIVER, A.RATE):
        f.act(action)
    window = f.due("R-DL-10")
    assert [e.to_status for e in f.tick(window + ONE).events] == [S.FINAL_REVIEW_WINDOW_LAPSED, S.CLOSED]


def test_no_window_without_delivery() -> None:
    """送达 must be recorded before a window starts: an undelivered opinion never lapses."""
    f = _accepted()
    f.act(A.PROGRESS)
    f.act(A.CONCLUDE)
    assert f.tick(D("2025-06-01")).events == ()
    assert f.state.awaiting == "delivery"


def test_half_period_without_progress_opens_a_supervision_order() -> None:
    f = _accepted()
    spec_start = D("2024-09-02")
    due = f.due("R-DL-06")
    half = spec_start + timedelta(days=-(-(due - spec_start).days // 2))
    assert f.tick(half).events == ()
    (event,) = f.tick(half + ONE).events
    assert event.action == "supervise" and event.occurred_on == half + ONE
    assert event.details["automatic"] is True and event.document == "supervision_form"
    (order,) = f.state.supervision_orders
    assert order.trigger == "half:R-DL-06:2024-09-02" and order.automatic
    assert order.due_on == CAL.next_workday(half + ONE + timedelta(days=15))
    # Answered by a progress note; never opened twice.
    f.act(A.PROGRESS, half + 2 * ONE, mode="督办回复")
    assert f.state.supervision_orders == ()
    assert [a for a, _ in _actions(f, due)] == []


def test_progress_note_prevents_the_half_period_order() -> None:
    f = _accepted()
    f.act(A.PROGRESS, D("2024-09-05"))
    assert f.tick(D("2024-10-20")).events == ()


def test_petitioner_coming_again_within_the_period_opens_an_order() -> None:
    f = _accepted()
    f.act(A.PROGRESS, D("2024-09-03"))
    f.add(submit_event(D("2024-09-09")))
    (event,) = f.tick(D("2024-09-09")).events
    assert event.action == "supervise" and event.occurred_on == D("2024-09-09")
    assert event.details["trigger"] == "repeat:2024-09-09" and "再次信访" in (event.reason or "")
    assert f.tick(D("2024-09-09")).events == ()


def test_returned_case_not_forwarded_again_within_5_days() -> None:
    f = Flow()
    f.act(A.FORWARD, D("2024-09-03"))
    f.act(A.RECEIPT, D("2024-09-04"))
    f.act(A.OBJECT, D("2024-09-05"))
    assert f.tick(D("2024-09-10")).events == ()  # 5 日 after the return: still in time
    (event,) = f.tick(D("2024-09-11")).events
    assert event.details["trigger"] == "returned:2024-09-05" and event.occurred_on == D("2024-09-11")
    assert "县自然资源局" in (event.reason or "")
    f.act(A.FORWARD, D("2024-09-12"), unit="县住建局")
    assert f.state.supervision_orders == ()
    g = Flow()
    g.act(A.FORWARD, D("2024-09-03"))
    g.act(A.RECEIPT, D("2024-09-04"))
    g.act(A.OBJECT, D("2024-09-05"))
    g.act(A.FORWARD, D("2024-09-08"), unit="县住建局")
    assert g.tick(D("2024-09-20")).events == ()


def test_dissatisfied_or_unrated_opens_an_order() -> None:
    """R-LC-06: 不满意 and 未评价 get 回访核实 and 督办; 满意 does not."""
    for rating, expected in (("不满意", 1), ("未评价", 1), ("满意", 0), ("基本满意", 0)):
        f = _accepted()
        f.act(A.PROGRESS)
        f.act(A.CONCLUDE, D("2024-09-10"))
        f.act(A.DELIVER, D("2024-09-11"))
        f.act(A.RATE, D("2024-09-12"), rating=rating)
        events = f.tick(D("2024-09-12")).events
        assert len(events) == expected, rating
        if expected:
            assert events[0].details["trigger"] == "rating:0:opinion"
            assert f.state.follow_up_needed


def test_overdue_orders_are_urged_and_reminded() -> None:
    f = _accepted()
    f.act(A.PROGRESS, D("2024-09-03"))
    f.act(A.SUPERVISE, D("2024-09-04"), days=5)
    due = f.state.supervision_orders[0].due_on
    assert due == D("2024-09-09")
    assert f.tick(due).events == ()
    (urge,) = f.tick(due + ONE).events
    assert (urge.action, urge.occurred_on, urge.document) == ("urge", due + ONE, "urge_notice")
    assert f.state.supervision_orders[0].reminders == 1
    assert f.tick(due + 5 * ONE).events == ()  # next reminder every 5 日
    (again,) = f.tick(due + 6 * ONE).events
    assert again.occurred_on == due + 6 * ONE and "第2次催办" in (again.reason or "")
    # A long pause does not flood the timeline: one reminder per order per tick.
    assert len(f.tick(due + 40 * ONE).events) == 1


def test_late_tick_keeps_events_in_date_order() -> None:
    """A change that took effect before the last recorded event is dated on that event's day."""
    f = _accepted()
    f.add(submit_event(D("2024-09-05")))
    f.act(A.PROGRESS, D("2024-09-08"))
    (event,) = f.tick(D("2024-09-09")).events
    assert event.details["trigger"] == "repeat:2024-09-05" and event.occurred_on == D("2024-09-08")
    dates = [e.occurred_on for e in f.events]
    assert dates == sorted(dates)


def test_long_idle_case_all_changes_in_order_and_idempotent() -> None:
    f = _accepted()
    f.add(submit_event(D("2024-09-20")))
    decision = f.tick(D("2025-03-01"))
    kinds = [(e.action, e.details.get("trigger")) for e in decision.events]
    assert kinds[0] == ("supervise", "repeat:2024-09-20")
    assert ("supervise", "half:R-DL-06:2024-09-02") in kinds and ("overdue", None) in kinds
    dates = [e.occurred_on for e in f.events]
    assert dates == sorted(dates)
    assert f.tick(D("2025-03-01")).events == ()
