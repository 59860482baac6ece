"""Random legal and illegal action sequences never reach an inconsistent case (hypothesis stateful test)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tests.core.lifecycle_support import CAL, PROFILE, VALID, A, D, Flow, S, submit_event
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.lifecycle import IllegalActionError, allowed_actions
from xinfang_desktop.core.lifecycle_state import fold
from xinfang_desktop.core.lifecycle_tick import tick

MANUAL = [a for a in A if a not in (A.REGISTER, A.SUBMIT)]
# The clock each status needs running (R-DL-06/13 while handling, R-DL-09/11 in 复查/复核).
NEEDS = {
    S.ACCEPTED: {"R-DL-06", "R-DL-13"},
    S.OPINION_OVERDUE: {"R-DL-06", "R-DL-13"},
    S.REVIEW: {"R-DL-09"},
    S.REVIEW_OPINION_OVERDUE: {"R-DL-09"},
    S.FINAL_REVIEW: {"R-DL-11"},
    S.FINAL_REVIEW_OPINION_OVERDUE: {"R-DL-11"},
}
PARAMS = {
    "outcome": st.sampled_from([None, "予以支持", "解释说明", "不予支持", "维持", "撤销", "变更", "责令重新作出", "x"]),
    "rating": st.sampled_from([None, "满意", "基本满意", "不满意", "未评价"]),
    "days": st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
    "unit": st.sampled_from([None, "县人社局", "县国土局", "城关镇人民政府"]),
    "mode": st.sampled_from([None, "要结果", "要情况", "事权单位见面", "回访核实"]),
}


class LifecycleMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.flow = Flow(received_on=D("2024-09-20"), accused=("县国土局",))
        self.today = self.flow.received_on

    @rule(days=st.integers(min_value=0, max_value=40))
    def time_passes(self, days: int) -> None:
        self.today += timedelta(days=days)
        self.flow.tick(self.today)

    @rule()
    def petitioner_comes_again(self) -> None:
        self.flow.add(submit_event(self.today))

    @rule(
        action=st.sampled_from(MANUAL),
        back=st.integers(min_value=0, max_value=3),
        use_valid=st.booleans(),
        data=st.data(),
    )
    def act(self, action: A, back: int, use_valid: bool, data: st.DataObject) -> None:
        f = self.flow
        on = max(f.state.last_event_on, self.today - timedelta(days=back))
        params = dict(VALID[action]) if use_valid else {k: data.draw(v) for k, v in PARAMS.items()}
        if not use_valid:
            params["reason"] = data.draw(st.sampled_from([None, "理由"]))
            params["approver"] = data.draw(st.sampled_from([None, "王局长"]))
        allowed = allowed_actions(f.state)
        before = f.state
        try:
            decision = f.decide(action, on, today=self.today, **params)
        except IllegalActionError as err:
            assert action not in allowed
            assert err.details["allowed"] == [a.label for a in allowed]
            assert f.state == before
            return
        except DomainError as err:
            assert action in allowed, err.message
            assert err.message and not err.message.isascii()
            return
        assert action in allowed
        f.apply(decision)
        event(f"reached {f.state.status.label}")

    @rule(data=st.data(), back=st.integers(min_value=0, max_value=2))
    def act_legally(self, data: st.DataObject, back: int) -> None:
        """Mostly a legal action with valid parameters, so that random runs reach the deep states too."""
        f = self.flow
        allowed = allowed_actions(f.state)
        if not allowed:
            return
        forward = [a for a in allowed if a not in (A.DECLINE, A.REFUSE_AGAIN, A.PROGRESS, A.SUPERVISE, A.URGE)]
        pool = forward if forward and data.draw(st.integers(0, 9)) > 0 else allowed
        action = data.draw(st.sampled_from(pool))
        params = dict(VALID[action])
        if action in (A.REVIEW_DECISION, A.FINAL_REVIEW_DECISION):
            params["outcome"] = data.draw(st.sampled_from(["维持", "撤销", "变更", "责令重新作出"]))
        if action is A.RATE:
            params["rating"] = data.draw(st.sampled_from(["满意", "基本满意", "不满意", "未评价"]))
        on = max(f.state.last_event_on, self.today - timedelta(days=back))
        try:
            decision = f.decide(action, on, today=self.today, **params)
        except IllegalActionError:  # pragma: no cover — allowed_actions said yes
            raise
        except DomainError as err:  # a window or period that has passed: refused with a Chinese reason
            assert "R-DL" in err.message or "R-LC" in err.message, err.message
            return
        f.apply(decision)
        event(f"reached {f.state.status.label}")

    @invariant()
    def running_clock_where_the_state_needs_one(self) -> None:
        st_ = self.flow.state
        running = {c.rule_id for c in self.flow.clocks(self.today) if c.running}
        need = NEEDS.get(st_.status)
        if need:
            assert running & need, (st_.status, running)
        if st_.status is S.UNDER_REVIEW:
            assert running & {"R-DL-01", "R-DL-03", "R-DL-05"} or st_.awaiting == "receipt", running
        if st_.status is S.OPINION_ISSUED and st_.delivered_on:
            assert "R-DL-08" in running
        if st_.status is S.REVIEW_OPINION_ISSUED and st_.review_delivered_on:
            assert "R-DL-10" in running
        if st_.is_final:
            assert not st_.supervision_orders

    @invariant()
    def events_in_date_order_and_fold_matches(self) -> None:
        f = self.flow
        dates = [e.occurred_on for e in f.events]
        assert dates == sorted(dates)
        assert f.state.last_event_on == dates[-1]
        assert fold(f.facts, f.events) == f.state
        for e in f.events[1:]:
            if e.action not in ("submit",):
                assert e.from_status is not None and e.to_status is not None

    @invariant()
    def tick_is_idempotent(self) -> None:
        f = self.flow
        once = tick(f.state, f.facts, today=self.today, calendar=CAL, profile=PROFILE)
        twice = tick(once.state, f.facts, today=self.today, calendar=CAL, profile=PROFILE)
        assert twice.events == ()
        assert [e.occurred_on for e in once.events] == sorted(e.occurred_on for e in once.events)


LifecycleMachine.TestCase.settings = settings(
    max_examples=150, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestLifecycle = LifecycleMachine.TestCase
