"""Demo case histories produced by the real state machine, so every demo case folds to the status it shows.

A demo case of a given status gets the events the lifecycle would have written: 受理, 办结, 送达, 评价, 复查 …,
then what `tick` adds by the demo's `today` (overdue marks, lapsed windows, automatic 督办). Running the machine
for each of a million cases would take minutes, so a history is computed once per (status, date received) and
reused; old closed cases carry a single 历史数据导入 event instead, as cases migrated from an older system do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.cases import EventData
from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.lifecycle import ActionRequest, clocks, current_due, decide
from xinfang_desktop.core.lifecycle_state import CaseFacts, CaseState, evolve, fold
from xinfang_desktop.core.lifecycle_tick import next_due, tick
from xinfang_desktop.core.rule_profiles import RuleProfile
from xinfang_desktop.core.workdays import WorkdayCalendar

A = CaseAction
S = CaseStatus
Step = tuple[CaseAction, int, dict[str, str]]

_DELIVERED: tuple[Step, ...] = (
    (A.ACCEPT, 3, {}),
    (A.CONCLUDE, 40, {"outcome": "解释说明"}),
    (A.DELIVER, 45, {}),
    (A.RATE, 50, {"rating": "满意"}),
)
_REVIEWED: tuple[Step, ...] = (
    *_DELIVERED,
    (A.REQUEST_REVIEW, 60, {}),
    (A.REVIEW_DECISION, 80, {"outcome": "维持"}),
)
_FINAL: tuple[Step, ...] = (*_REVIEWED, (A.DELIVER, 85, {}), (A.REQUEST_FINAL_REVIEW, 95, {}))

# The actions that lead to each status; `tick` then adds what time did (overdue marks, lapses, 督办).
PATHS: dict[CaseStatus, tuple[Step, ...]] = {
    S.UNDER_REVIEW: (),
    S.DECLINED: (
        (A.DECLINE, 5, {"reason": "属于劳动争议，应当依法申请劳动人事争议仲裁", "unit": "县劳动人事争议仲裁院"}),
    ),
    S.REFUSED_AGAIN: ((A.REFUSE_AGAIN, 5, {"reason": "同一事实和理由已经复核终结（条例第三十六条）"}),),
    S.ACCEPTED: ((A.ACCEPT, 3, {}),),
    S.OPINION_OVERDUE: ((A.ACCEPT, 3, {}),),
    S.OPINION_ISSUED: ((A.ACCEPT, 3, {}), (A.CONCLUDE, 40, {"outcome": "予以支持"})),
    S.REVIEW: (*_DELIVERED, (A.REQUEST_REVIEW, 60, {})),
    S.REVIEW_OPINION_OVERDUE: (*_DELIVERED, (A.REQUEST_REVIEW, 60, {})),
    S.REVIEW_OPINION_ISSUED: _REVIEWED,
    S.REVIEW_WINDOW_LAPSED: _DELIVERED,
    S.FINAL_REVIEW: _FINAL,
    S.FINAL_REVIEW_OPINION_OVERDUE: _FINAL,
    S.FINAL_REVIEW_OPINION_ISSUED: (*_FINAL, (A.FINAL_REVIEW_DECISION, 110, {"outcome": "维持"})),
    S.FINAL_REVIEW_WINDOW_LAPSED: (*_REVIEWED, (A.DELIVER, 85, {})),
    S.CLOSED: _DELIVERED,
}
# States that `tick` leaves only by the 审核认定办结 it adds at once: the demo stops just before it.
_STOP_BEFORE_CLOSE = frozenset({S.REVIEW_WINDOW_LAPSED, S.FINAL_REVIEW_WINDOW_LAPSED})
IMPORT_AFTER_DAYS = 365
# Ages (days since receipt) at which a case can still be in a state with a running duty clock; older ones
# would have been marked overdue by `tick`, so the generator picks those states only inside these ages.
_TIMELY = {S.ACCEPTED: (4, 62), S.REVIEW: (61, 89), S.FINAL_REVIEW: (96, 124)}


# Demo outcomes and ratings vary with the day a case was received (the cache key stays (status, day)), so the 统计
# section shows rates that differ by unit and period: weights roughly as county offices report them.
_OUTCOMES = ("解释说明",) * 5 + ("予以支持",) * 3 + ("不予支持",) * 2
_RATINGS = ("满意",) * 12 + ("基本满意",) * 5 + ("不满意",) * 2 + ("未评价",)


def _varied(steps: tuple[Step, ...], received: date) -> tuple[Step, ...]:
    n = received.toordinal()
    out: list[Step] = []
    for action, offset, params in steps:
        if action is A.CONCLUDE:
            params = {"outcome": _OUTCOMES[n % len(_OUTCOMES)]}
        elif action is A.RATE:
            params = {"rating": _RATINGS[(n // 3) % len(_RATINGS)]}
        out.append((action, offset, params))
    return tuple(out)


def fits(status: CaseStatus, age: int) -> bool:
    """Whether a demo case of this age can show this status."""
    low, high = _TIMELY.get(status, (0, 1 << 30))
    return low <= age <= high


_IMPORTABLE = frozenset({S.CLOSED, S.DECLINED, S.REFUSED_AGAIN, S.REVIEW_WINDOW_LAPSED, S.FINAL_REVIEW_WINDOW_LAPSED})


@dataclass(frozen=True)
class History:
    """What the demo stores for one case besides its register event."""

    status: CaseStatus
    events: tuple[EventData, ...]
    clocks: tuple[dict[str, Any], ...]
    due_on: date | None
    awaiting: str | None
    final: bool = True
    orders: tuple[dict[str, Any], ...] = ()  # open 督办 orders (the supervision_orders projection)
    tick_due_on: date | None = None  # the first day `tick` would change the case (cases.tick_due_on, issue 19)


class DemoHistories:
    """Histories by (target status, date received), computed by the state machine and cached."""

    def __init__(self, *, today: date, calendar: WorkdayCalendar, profile: RuleProfile) -> None:
        self.today, self.calendar, self.profile = today, calendar, profile
        self._cache: dict[tuple[CaseStatus, date], History] = {}

    def history(self, status: CaseStatus, received: date) -> History:
        key = (status, received)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._compute(status, received)
        return found

    def _compute(self, target: CaseStatus, received: date) -> History:
        age = (self.today - received).days
        if target in _IMPORTABLE and age > IMPORT_AFTER_DAYS:
            on = received + timedelta(days=min(120, age // 2))
            event = EventData(
                action=A.IMPORT.value,
                occurred_on=on,
                from_status=S.UNDER_REVIEW,
                to_status=target,
                reason=f"历史数据导入：{target.label}",
                details={"source": "demo"},
            )
            return History(target, (event,), (), None, None)
        facts = CaseFacts(number="demo", received_on=received)
        register = EventData(A.REGISTER.value, received, None, S.UNDER_REVIEW, "登记", {})
        state = fold(facts, [register])
        events: list[EventData] = []
        steps = _varied(PATHS[target], received)
        span = max((offset for _, offset, _ in steps), default=0)
        # A young case gets the same steps closer together (never on or after today).
        scale = min(1.0, (age - 1) / span) if span and age > 1 else 0.0 if span else 1.0
        for action, offset, params in steps:
            on = received + timedelta(days=max(1, round(offset * scale)) if scale else 0)
            if on >= self.today or scale == 0.0:
                break
            state, made = self._decide(state, facts, action, on, params)
            if not made:
                break
            events.extend(made)
        decision = tick(state, facts, today=self.today, calendar=self.calendar, profile=self.profile)
        for event in decision.events:
            if target in _STOP_BEFORE_CLOSE and event.action == A.CLOSE.value:
                break
            state = evolve(state, event)
            events.append(event)
        running = clocks(state, facts, profile=self.profile, calendar=self.calendar, today=self.today)
        rows = tuple(
            {
                "rule_id": c.deadline.rule_id,
                "start_event": c.deadline.start_event,
                "start_on": c.deadline.start_on,
                "due_on": c.deadline.due_on,
                "provisional": c.deadline.provisional,
                "explanation": c.deadline.explanation,
                "met_on": c.met_on,
                "is_window": c.is_window,
            }
            for c in running
        )
        orders = tuple(
            {
                "trigger": o.trigger,
                "reason": o.reason,
                "issued_on": o.issued_on,
                "due_on": o.due_on,
                "closed_on": None,
                "reminders": o.reminders,
            }
            for o in state.supervision_orders
        )
        due = next_due(state, facts, calendar=self.calendar, profile=self.profile, after=self.today)
        return History(
            state.status, tuple(events), rows, current_due(running), state.awaiting, state.is_final, orders, due
        )

    def _decide(
        self, state: CaseState, facts: CaseFacts, action: CaseAction, on: date, params: dict[str, str]
    ) -> tuple[CaseState, tuple[EventData, ...]]:
        request = ActionRequest(action=action, on=on, **params)  # type: ignore[arg-type]
        try:
            decision = decide(state, facts, request, today=self.today, calendar=self.calendar, profile=self.profile)
        except DomainError:  # e.g. a window already closed for a compressed young case: stop here
            return state, ()
        return decision.state, decision.events
