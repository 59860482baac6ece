"""The next-step sentence of the case detail (issue 18): one for every state, naming only actions it allows."""

from __future__ import annotations

import re

import pytest

from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.codes import CaseStatus
from xinfang_desktop.core.lifecycle_rules import _BY_STATUS, _SUPPORT
from xinfang_desktop.core.next_step import next_step

QUOTED = re.compile(r"“([^”]+)”")
LABELS = {a.label: a for a in CaseAction}


@pytest.mark.parametrize("status", list(CaseStatus))
def test_every_state_has_a_sentence_naming_only_what_it_allows(status: CaseStatus) -> None:
    allowed = set(_BY_STATUS.get(status, frozenset()))
    if status.is_open:
        allowed |= _SUPPORT
    text = next_step(status, allowed)
    assert text, status
    named = [LABELS[q] for q in QUOTED.findall(text) if q in LABELS]
    assert set(named) <= allowed, (status, named)


def test_after_acceptance_it_says_why_there_is_no_hand_down() -> None:
    text = next_step(CaseStatus.ACCEPTED, _BY_STATUS[CaseStatus.ACCEPTED] | _SUPPORT)
    assert "不再交办或转送" in text and "“办结”" in text


def test_a_routed_case_waits_for_its_receipt() -> None:
    assert "签收" in next_step(CaseStatus.UNDER_REVIEW, {CaseAction.RECEIPT}, "receipt")
