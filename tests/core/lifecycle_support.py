"""Shared helpers of the lifecycle tests: the shipped calendar and national profile, and a case driven step by step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.cases import EventData
from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.core.lifecycle import ActionRequest, Clock, Decision, clocks, decide
from xinfang_desktop.core.lifecycle_state import CaseFacts, CaseState, fold
from xinfang_desktop.core.lifecycle_tick import tick
from xinfang_desktop.persistence.calendar_store import load_calendar
from xinfang_desktop.persistence.rule_profile_store import load_profile

D = date.fromisoformat
A = CaseAction
S = CaseStatus
CAL = load_calendar(None)
PROFILE = load_profile("national")
FAR_TODAY = D("2026-06-30")
START = D("2024-09-02")


def register_event(on: date) -> EventData:
    """The intake event as the intake service writes it."""
    return EventData(
        action="register",
        occurred_on=on,
        to_status=S.UNDER_REVIEW,
        reason="来访登记",
        details={"channel": "来访", "headcount": 1, "level": "县", "level_skipping_reason": None},
    )


def submit_event(on: date) -> EventData:
    return EventData(
        action="submit",
        occurred_on=on,
        reason="重复来访",
        details={"channel": "来访", "headcount": 2, "level": "县", "destination": "来县", "abnormal": False},
    )


#: Parameters that make each action valid when the state allows it.
VALID: dict[CaseAction, dict[str, Any]] = {
    A.ACCEPT: {"unit": "县人社局"},
    A.DECLINE: {"reason": "属劳动争议，应申请劳动仲裁", "unit": "县劳动人事争议仲裁委员会"},
    A.REFUSE_AGAIN: {"reason": "同一事实和理由已于2023年复核终结", "number": "2023-0042"},
    A.FORWARD: {"unit": "县自然资源局", "number": "县信转〔2024〕7号"},
    A.ASSIGN: {"unit": "城关镇人民政府", "days": 30, "mode": "要结果"},
    A.RECEIPT: {},
    A.OBJECT: {"reason": "该事项属县住建局职权"},
    A.PROGRESS: {"reason": "已约谈信访人", "mode": "事权单位见面"},
    A.EXTEND: {"reason": "需实地核查", "approver": "王局长", "days": 30},
    A.HEARING_START: {},
    A.HEARING_END: {},
    A.CONCLUDE: {"outcome": "予以支持"},
    A.DELIVER: {},
    A.RATE: {"rating": "满意"},
    A.REQUEST_REVIEW: {},
    A.REVIEW_DECISION: {"outcome": "维持"},
    A.REQUEST_FINAL_REVIEW: {},
    A.FINAL_REVIEW_DECISION: {"outcome": "维持"},
    A.SUPERVISE: {"reason": "请加快办理"},
    A.URGE: {},
    A.SIMPLIFIED_ACCEPT: {},
    A.SIMPLIFIED_CONCLUDE: {"outcome": "解释说明"},
    A.CLOSE: {},
    A.REGISTER: {},
    A.SUBMIT: {},
    A.LAPSE: {},
    A.IMPORT: {},
    A.OVERDUE: {},
}


@dataclass
class Flow:
    """One case: its facts, its events and its state, advanced by `act` (decide) and `tick`."""

    received_on: date = START
    accused: tuple[str, ...] = ()
    first_submission: bool = True
    facts: CaseFacts = field(init=False)
    events: list[EventData] = field(init=False)
    state: CaseState = field(init=False)

    def __post_init__(self) -> None:
        self.facts = CaseFacts("2024-0001", self.received_on, self.first_submission, frozenset(self.accused))
        self.events = [register_event(self.received_on)]
        self.state = fold(self.facts, self.events)

    def request(self, action: CaseAction, on: date | None = None, **params: Any) -> ActionRequest:
        merged = {**VALID[action], **params}
        return ActionRequest(action, on or self.state.last_event_on, **merged)

    def decide(self, action: CaseAction, on: date | None = None, *, today: date = FAR_TODAY, **params: Any) -> Decision:
        """The decision without applying it."""
        return decide(
            self.state, self.facts, self.request(action, on, **params), today=today, calendar=CAL, profile=PROFILE
        )

    def act(self, action: CaseAction, on: date | None = None, *, today: date = FAR_TODAY, **params: Any) -> Decision:
        decision = self.decide(action, on, today=today, **params)
        self.apply(decision)
        return decision

    def apply(self, decision: Decision) -> None:
        self.events += decision.events
        self.state = decision.state

    def add(self, event: EventData) -> None:
        """An event written by someone else (intake): appended and folded."""
        self.events.append(event)
        self.state = fold(self.facts, self.events)

    def tick(self, today: date) -> Decision:
        decision = tick(self.state, self.facts, today=today, calendar=CAL, profile=PROFILE)
        self.apply(decision)
        return decision

    def clocks(self, today: date | None = None) -> list[Clock]:
        return clocks(self.state, self.facts, profile=PROFILE, calendar=CAL, today=today)

    def running(self, today: date | None = None) -> dict[str, date]:
        """rule → due date of the running clocks."""
        return {c.deadline.rule_id: c.deadline.due_on for c in self.clocks(today) if c.met_on is None}

    def due(self, rule_id: str) -> date:
        return self.running()[rule_id]
