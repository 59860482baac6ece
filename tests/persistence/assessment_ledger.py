"""A small hand-built ledger whose assessment counts are known by hand (see test_assessment_queries.py).

Nine cases of two units and two townships, driven through the real intake and lifecycle (`add_case`, `submit`,
`act`, `tick_all`, `tick_warnings`). TODAY is 2026-06-30; the period of the tests is the first half of 2026.

Case, received, unit, township, first submission — what happens:

- C8 2025-10-01, B, 东湖镇, letter — accepted 10-02; a visit on 12-15 (县) after its 60 日 ran out makes it a backlog
  case; concluded late 2026-01-10, delivered, rated; the 复查 window lapses → closed, the backlog case resolved.
- C7 2025-12-20, A, 城关街道, letter — accepted 12-21, never concluded; a visit 2026-03-10 at 市 (3 people, 越级)
  after its 60 日 ran out → backlog.
- C1 2026-01-05, A, 城关街道, visit (县, 1 person) — accepted and concluded on time, delivered, 满意.
- C2 2026-01-05, A, a village of 东湖镇, letter — accepted late (01-26), concluded late, delivered, 不满意, 复查.
- C6 2026-02-01, no unit, no locality, phone — nothing done: the acceptance clock ran out.
- C9 2026-02-10, B, 东湖镇, letter — accepted and concluded on time, delivered, 未评价.
- C3 2026-03-02, B, 东湖镇, letter — accepted, extended by 30 日, concluded inside the extension, delivered,
  基本满意; a visit on 04-01 (县, 2 people) makes it a repeat.
- C5 2026-05-01, B, 城关街道, visit (省, 6 people, 越级) — accepted on time; the handling clock still runs.
- C4 2026-06-20, B, 城关街道, visit (国家, 1 person, 越级), not a first petition — the acceptance clock still runs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.helpers import sample_case
from xinfang_desktop.core.actions import CaseAction as A
from xinfang_desktop.core.lifecycle import ActionRequest
from xinfang_desktop.persistence.case_intake import add_case, submit
from xinfang_desktop.persistence.lifecycle_store import act, tick_all
from xinfang_desktop.persistence.warnings_store import tick_warnings

D = date.fromisoformat
TODAY = D("2026-06-30")
UNIT_A = "示范县自然资源和规划局"
UNIT_B = "示范县住房和城乡建设局"
CHENGGUAN, DONGHU = "331221001", "331221101"


def _case(db: Any, received: str, channel: str, *, unit: str | None, locality: str | None, **extra: Any) -> str:
    data = sample_case(received_on=received, channel=channel, responsible_unit=unit, locality=locality, **extra)
    return add_case(db, data, today=D(received)).registered.number


def _act(db: Any, number: str, action: A, on: str, **params: Any) -> None:
    act(db, number, ActionRequest(action=action, on=D(on), **params), today=TODAY)


def _visit(db: Any, number: str, on: str, level: str, headcount: int = 1) -> None:
    data = {"channel": "来访", "received_on": on, "level": level, "headcount": headcount}
    submit(db, number, data, today=D(on))


def _handled(db: Any, number: str, accept: str, conclude: str, deliver: str, rating: str | None) -> None:
    _act(db, number, A.ACCEPT, accept)
    _act(db, number, A.CONCLUDE, conclude, outcome="解释说明")
    _act(db, number, A.DELIVER, deliver)
    if rating:
        _act(db, number, A.RATE, deliver, rating=rating)


def build_ledger(db: Any) -> dict[str, str]:
    """Register and drive the nine cases in the order of their dates (a tick must not precede a later act)."""
    c: dict[str, str] = {}
    c["C8"] = _case(db, "2025-10-01", "来信", unit=UNIT_B, locality="东湖镇")
    _act(db, c["C8"], A.ACCEPT, "2025-10-02")
    _visit(db, c["C8"], "2025-12-15", "县")  # after the 60 日 ran out (2025-12-01): a backlog case (R-CL-05)
    _act(db, c["C8"], A.CONCLUDE, "2026-01-10", outcome="解释说明")
    _act(db, c["C8"], A.DELIVER, "2026-01-12")
    _act(db, c["C8"], A.RATE, "2026-01-13", rating="满意")
    tick_all(db, today=D("2026-02-20"))  # the 复查 window (to 2026-02-11) lapsed: 审核认定办结
    tick_warnings(db, today=D("2026-02-20"))  # the backlog case of a closed case is resolved

    c["C7"] = _case(db, "2025-12-20", "来信", unit=UNIT_A, locality="城关街道")
    _act(db, c["C7"], A.ACCEPT, "2025-12-21")

    c["C1"] = _case(db, "2026-01-05", "来访", unit=UNIT_A, locality="城关街道")
    _handled(db, c["C1"], "2026-01-08", "2026-02-20", "2026-02-22", "满意")
    c["C2"] = _case(db, "2026-01-05", "来信", unit=UNIT_A, locality="331221101200")
    _handled(db, c["C2"], "2026-01-26", "2026-04-10", "2026-04-12", "不满意")
    _act(db, c["C2"], A.REQUEST_REVIEW, "2026-04-20")
    c["C6"] = _case(db, "2026-02-01", "电话", unit=None, locality=None)
    c["C9"] = _case(db, "2026-02-10", "来信", unit=UNIT_B, locality="东湖镇")
    _handled(db, c["C9"], "2026-02-11", "2026-03-20", "2026-03-22", "未评价")

    c["C3"] = _case(db, "2026-03-02", "来信", unit=UNIT_B, locality="东湖镇")
    _act(db, c["C3"], A.ACCEPT, "2026-03-03")
    _visit(db, c["C7"], "2026-03-10", "市", headcount=3)  # C7's handling clock ran out in February: backlog
    _visit(db, c["C3"], "2026-04-01", "县", headcount=2)
    _act(db, c["C3"], A.EXTEND, "2026-04-25", days=30, reason="需补充调查", approver="县住建局局长")
    _act(db, c["C3"], A.CONCLUDE, "2026-05-20", outcome="予以支持")  # due 2026-06-01 with the extension
    _act(db, c["C3"], A.DELIVER, "2026-05-22")
    _act(db, c["C3"], A.RATE, "2026-05-25", rating="基本满意")

    c["C5"] = _case(db, "2026-05-01", "来访", unit=UNIT_B, locality="城关街道", level="省", headcount=6)
    _act(db, c["C5"], A.ACCEPT, "2026-05-05")
    c["C4"] = _case(db, "2026-06-20", "来访", unit=UNIT_B, locality="城关街道", level="国家", first_submission=False)
    return c
