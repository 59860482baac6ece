"""The statutory clocks of a case, recomputed from its state (R-DL-01…13, R-TM-02…05).

Every clock that has started for the case is listed with the date it was met (or closed), so a correction, an
extension (R-DL-07) or a hearing (R-TM-04) recomputes the due dates at once. Hearing time is not counted in the
handling (R-DL-06), 复查 (R-DL-09) and 复核 (R-DL-11) periods; a hearing still open pauses the clock up to `today`.

Windows (R-DL-04 objection, R-DL-08 / R-DL-10 requests for 复查 / 复核) bind the unit or the petitioner, not the
office: they are listed but are never the office's running due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from xinfang_desktop.core.deadlines import Deadline, Pause, compute_deadline
from xinfang_desktop.core.lifecycle_model import CaseFacts, CaseState, ClockSpec
from xinfang_desktop.core.rule_profiles import RuleProfile
from xinfang_desktop.core.workdays import WorkdayCalendar

WINDOW_RULES = frozenset({"R-DL-04", "R-DL-08", "R-DL-10"})
#: Clocks that hearings pause (R-TM-04 for 复核; **I**: also the handling and 复查 periods, where a hearing may be
#: held under 条例 art 31(6)).
PAUSED_RULES = frozenset({"R-DL-06", "R-DL-09", "R-DL-11"})


class Clock(NamedTuple):
    """A computed clock of a case and the date it was met (None while it runs)."""

    deadline: Deadline
    met_on: date | None

    @property
    def rule_id(self) -> str:
        return self.deadline.rule_id

    @property
    def running(self) -> bool:
        return self.met_on is None

    @property
    def is_window(self) -> bool:
        """A window for the unit or the petitioner (R-DL-04/08/10), not a duty of the office."""
        return self.deadline.rule_id in WINDOW_RULES

    def to_json(self) -> dict[str, object]:
        return {**self.deadline.to_json(), "met_on": self.met_on.isoformat() if self.met_on else None}


def spec_pauses(state: CaseState, spec: ClockSpec, today: date | None = None) -> tuple[Pause, ...]:
    """The hearings that pause this clock: those that started while it ran (an open one up to `today`)."""
    if spec.rule_id not in PAUSED_RULES:
        return ()
    pauses = list(state.hearings)
    if state.hearing_open_since is not None:
        pauses.append(Pause(state.hearing_open_since, max(state.hearing_open_since, today or state.last_event_on)))
    return tuple(p for p in pauses if p.end > spec.start_on and (spec.met_on is None or p.start <= spec.met_on))


def compute_spec(
    state: CaseState,
    spec: ClockSpec,
    *,
    profile: RuleProfile,
    calendar: WorkdayCalendar,
    today: date | None = None,
) -> Deadline:
    return compute_deadline(
        profile,
        spec.rule_id,
        spec.start_on,
        calendar,
        pauses=spec_pauses(state, spec, today),
        extension_days=spec.extension_days,
        length=spec.length,
    )


def clocks(
    state: CaseState,
    facts: CaseFacts,
    *,
    profile: RuleProfile,
    calendar: WorkdayCalendar,
    today: date | None = None,
) -> list[Clock]:
    """Every clock started for the case, in the order they started, recomputed from the state.

    `today` only matters while a hearing is open (the clock stands still up to that day); without it the open
    hearing counts up to the case's last event. Clocks of rules the profile does not define are left out.
    """
    del facts  # the state carries the receipt date; kept for the interface
    result: list[Clock] = []
    for spec in state.clock_specs:
        if spec.rule_id not in profile.rules:
            continue
        result.append(Clock(compute_spec(state, spec, profile=profile, calendar=calendar, today=today), spec.met_on))
    return result


def current_due(clocks: Iterable[Clock], *, include_windows: bool = False) -> date | None:
    """The primary running due date: the earliest due date of a running duty clock (windows left out)."""
    dues = [c.deadline.due_on for c in clocks if c.met_on is None and (include_windows or not c.is_window)]
    return min(dues) if dues else None


def running_clock(
    state: CaseState,
    rule_id: str,
    *,
    profile: RuleProfile,
    calendar: WorkdayCalendar,
    today: date | None = None,
) -> Deadline | None:
    """The running clock of one rule, computed, or None."""
    spec = state.open_spec(rule_id)
    if spec is None or rule_id not in profile.rules:
        return None
    return compute_spec(state, spec, profile=profile, calendar=calendar, today=today)


def supervision_due(calendar: WorkdayCalendar, issued_on: date, days: int) -> date:
    """The answer date of a 督办 order: `days` 日 after issue, a non-working last day rolled forward (R-TM-03)."""
    return calendar.next_workday(issued_on + timedelta(days=days))
