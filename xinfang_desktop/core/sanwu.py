"""“三无” status per township (R-AS-03, S4 §12): which visits of a period broke it, and the verdict.

A township keeps 三无 for a period when none of its cases had, in the period: a 进京非访 registered (an abnormal visit
to Beijing), a repeated level-skipping visit to Beijing, or a collective visit to the province or Beijing; and no
extreme incident happened. Interpretations (**I**): a visit counts for the township of its case's locality; a
*repeated* level-skipping Beijing visit is one whose case had an earlier level-skipping visit to Beijing; a collective
visit is one of at least `collective_threshold` people. Extreme incidents are not recorded in the ledger: the report
says so and the clerk confirms them by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinfang_desktop.core.codes import Destination


@dataclass(frozen=True)
class SanwuCondition:
    id: str
    name: str
    description: str


CONDITIONS: tuple[SanwuCondition, ...] = (
    SanwuCondition("abnormal_capital", "无进京非访", "期间内无进京非正常上访登记"),
    SanwuCondition("repeat_level_skipping_capital", "无重复越级进京访", "期间内无同一事项再次越级进京上访"),
    SanwuCondition("collective_upper", "无赴省进京集体访", "期间内无到省、进京集体上访"),
)
EXTREME_INCIDENTS = SanwuCondition("extreme_incident", "无极端事件", "信访台账不记录极端事件，须人工核实")
CONDITION_NAMES = {c.id: c.name for c in (*CONDITIONS, EXTREME_INCIDENTS)}
BROKEN_LABEL = {
    "abnormal_capital": "进京非访",
    "repeat_level_skipping_capital": "重复越级进京访",
    "collective_upper": "赴省进京集体访",
}


@dataclass(frozen=True)
class SanwuEvent:
    """A visit that broke a condition."""

    condition: str
    case_number: str
    received_on: date
    destination: str | None
    headcount: int

    def to_json(self) -> dict[str, Any]:
        dest = _destination_label(self.destination)
        return {
            "condition": self.condition,
            "condition_label": BROKEN_LABEL.get(self.condition, self.condition),
            "case_number": self.case_number,
            "received_on": self.received_on.isoformat(),
            "destination": self.destination,
            "destination_label": dest,
            "headcount": self.headcount,
        }


def _destination_label(value: str | None) -> str:
    for d in Destination:
        if d.value == value:
            return d.label
    return value or ""


@dataclass(frozen=True)
class TownshipSanwu:
    """One township's verdict for the period and the events behind it."""

    code: str | None
    name: str
    events: tuple[SanwuEvent, ...]

    @property
    def achieved(self) -> bool:
        """三无 as far as the ledger can tell (extreme incidents are confirmed by hand)."""
        return not self.events

    def broken(self) -> list[str]:
        """The conditions broken, in the order of CONDITIONS."""
        ids = {e.condition for e in self.events}
        return [c.id for c in CONDITIONS if c.id in ids]

    def to_json(self) -> dict[str, Any]:
        ids = set(self.broken())
        return {
            "code": self.code,
            "name": self.name,
            "sanwu": self.achieved,
            "conditions": [
                {
                    "id": c.id,
                    "name": c.name,
                    "met": c.id not in ids,
                    "events": sum(e.condition == c.id for e in self.events),
                }
                for c in CONDITIONS
            ]
            + [{"id": EXTREME_INCIDENTS.id, "name": EXTREME_INCIDENTS.name, "met": None, "events": None}],
            "broken": [BROKEN_LABEL[c] for c in self.broken()],
            "events": [e.to_json() for e in self.events],
        }


def assess_townships(
    townships: Sequence[tuple[str, str]],
    events: Iterable[tuple[str | None, SanwuEvent]],
    *,
    unknown_name: str = "属地未明确到乡镇",
) -> list[TownshipSanwu]:
    """Every township of the register with its events; events of cases without a township form a last row."""
    by_code: dict[str | None, list[SanwuEvent]] = {}
    for code, event in events:
        by_code.setdefault(code, []).append(event)
    known = {c for c, _ in townships}
    rows = [TownshipSanwu(code, name, tuple(by_code.get(code, ()))) for code, name in townships]
    others = [e for c, evs in by_code.items() if c not in known for e in evs]
    if others:
        rows.append(TownshipSanwu(None, unknown_name, tuple(others)))
    return rows
