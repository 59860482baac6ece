"""`next_due` (issue 19): the first day `tick` changes a case, on random ledgers (hypothesis stateful test).

Every random run of `test_lifecycle_stateful.LifecycleMachine` (legal and illegal actions, repeat visits, time passing
with ticks) also checks, after each step, that on every day of the next months `tick` finds something to do exactly
from `next_due` on (R-DL-06…11, R-LC-01, R-LC-06) — or, while a hearing is open (R-TM-04), never before it.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis.stateful import invariant

from tests.core.lifecycle_support import CAL, PROFILE, A, D, Flow, S
from tests.core.test_lifecycle_stateful import LifecycleMachine
from xinfang_desktop.core.lifecycle_tick import in_replay, next_due, tick

ONE = timedelta(days=1)


def _first_change(f: Flow, start: D, days: int) -> D | None:  # type: ignore[valid-type]
    for n in range(days):
        day = start + n * ONE
        if tick(f.state, f.facts, today=day, calendar=CAL, profile=PROFILE).events:
            return day
    return None


class NextDueMachine(LifecycleMachine):
    @invariant()
    def next_due_is_the_first_day_tick_changes_the_case(self) -> None:
        f = self.flow
        due = next_due(f.state, f.facts, calendar=CAL, profile=PROFILE)
        start = f.state.last_event_on - 3 * ONE
        found = _first_change(f, start, 150) if in_replay(f.state, PROFILE) else None
        if f.state.hearing_open_since is None:
            if due is not None and due < start:
                assert found == start, (due, found, f.state.status)
            else:
                assert found == due or (found is None and due is not None and due >= start + 150 * ONE), (
                    due,
                    found,
                    f.state.status,
                )
            for day in (due - ONE, due, due + 7 * ONE) if due is not None else ():
                changes = tick(f.state, f.facts, today=day, calendar=CAL, profile=PROFILE).events
                assert bool(changes) == (day >= due), (day, due)
        elif found is not None:
            assert due is not None and due <= found  # a lower bound while the clocks stand still
        if due is not None:
            after = next_due(f.state, f.facts, calendar=CAL, profile=PROFILE, after=self.today)
            assert after is not None and after >= due


NextDueMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestNextDue = NextDueMachine.TestCase


def test_accepted_case_due_at_half_period_then_at_overdue() -> None:
    f = Flow(received_on=D("2024-09-02"))
    f.act(A.ACCEPT)
    due = f.due("R-DL-06")
    half = next_due(f.state, f.facts, calendar=CAL, profile=PROFILE)
    assert half is not None and D("2024-09-02") < half < due
    f.tick(half)  # the half-period 督办 (R-LC-01)
    assert next_due(f.state, f.facts, calendar=CAL, profile=PROFILE) == min(
        due + ONE, f.state.supervision_orders[0].due_on + ONE
    )


def test_final_case_is_never_due() -> None:
    f = Flow()
    f.act(A.DECLINE)
    assert f.state.status is S.DECLINED and next_due(f.state, f.facts, calendar=CAL, profile=PROFILE) is None
