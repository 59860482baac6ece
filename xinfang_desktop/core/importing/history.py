"""The lifecycle an imported case's 信访件状态 implies (R-LC-01 states), as steps the state machine then checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xinfang_desktop.core.codes import CaseStatus

S = CaseStatus
# States reached by 受理 (R-DL-06: the 60-日 clock runs from it, so the case is due — or overdue — at once).
_BY_ACCEPT = frozenset({S.ACCEPTED, S.OPINION_OVERDUE})


@dataclass(frozen=True)
class ImpliedStep:
    """`accept`: the real 受理 action on `on`; `import`: one 历史数据导入 event to `status` (the older system's record
    of a step whose dates and documents the sheet does not carry), as the demo does for migrated cases."""

    kind: str  # "accept" | "import"
    on: date
    status: CaseStatus


def implied_steps(
    status: CaseStatus | None, closed: bool | None, *, received_on: date, registered_on: date | None, today: date
) -> tuple[ImpliedStep, ...]:
    """受理申请审查中 (or nothing known): none, the R-DL-01 clock runs from receipt. 受理 and 超期未作出处理意见:
    受理 on the 登记日期 (else the day received), and `tick` marks the overdue ones. Every later state: one import
    event on that day. 是否办结 = 是 without a state: 审核认定办结."""
    if status is None and closed:
        status = S.CLOSED
    if status is None or status is S.UNDER_REVIEW:
        return ()
    on = min(max(registered_on or received_on, received_on), today)
    if status in _BY_ACCEPT:
        return (ImpliedStep("accept", on, status),)
    return (ImpliedStep("import", on, status),)
