"""Accountability rules: R-AC-04 allocation (with the objection and 尽职免责 exemptions), the R-AC-03 ladder, the
R-AC-01 grounds catalogue and the candidate detectors' pure tests."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.core.accountability import (
    Measure,
    Responsibility,
    Role,
    Severity,
    Step,
    allocate,
    check_responsibility,
    check_step,
    suggest_next,
)
from xinfang_desktop.core.accountability_candidates import CandidateKind, clock_finding, is_handling_failure
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.grounds import GroundsError, catalogue_for, cn_number, parse_catalogue

D = date.fromisoformat


@pytest.mark.parametrize(
    ("role", "collective", "objection", "expected"),
    [
        (Role.PRINCIPAL, True, False, Responsibility.PRINCIPAL_LEADERSHIP),
        (Role.IN_CHARGE, True, False, Responsibility.PRINCIPAL_LEADERSHIP),
        (Role.MEMBER, True, False, Responsibility.IMPORTANT_LEADERSHIP),
        (Role.MEMBER, True, True, Responsibility.NONE),  # explicit objection not adopted: no responsibility
        (Role.PRINCIPAL, True, True, Responsibility.NONE),
        (Role.STAFF, False, False, Responsibility.DIRECT),
        (Role.PRINCIPAL, False, False, Responsibility.LEADERSHIP),
        (Role.IN_CHARGE, False, False, Responsibility.LEADERSHIP),
    ],
)
def test_allocation_r_ac_04(role: Role, collective: bool, objection: bool, expected: Responsibility) -> None:
    assert allocate(role, collective=collective, objection=objection) is expected


def test_duly_performed_exempts_and_members_bear_no_individual_leadership() -> None:
    assert allocate(Role.STAFF, collective=False, exemption="已按规定逐级报告并督促办理") is Responsibility.NONE
    with pytest.raises(DomainError, match="R-AC-04"):
        allocate(Role.MEMBER, collective=False)


def test_recorded_responsibility_is_checked() -> None:
    ok = check_responsibility(
        Responsibility.DIRECT, objection=False, exemption=None, others=[Responsibility.LEADERSHIP]
    )
    assert ok == []
    objection = check_responsibility(Responsibility.IMPORTANT_LEADERSHIP, objection=True, exemption=None, others=[])
    assert [p.field for p in objection] == ["responsibility"]
    bare_none = check_responsibility(Responsibility.NONE, objection=False, exemption=None, others=[])
    assert bare_none and "依据" in bare_none[0].reason
    mixed = check_responsibility(
        Responsibility.PRINCIPAL_LEADERSHIP, objection=False, exemption=None, others=[Responsibility.DIRECT]
    )
    assert mixed and "不能混用" in mixed[0].reason
    # An objection exempts only from collective (decision) responsibility.
    assert check_responsibility(Responsibility.NONE, objection=True, exemption=None, others=[]) == []


def test_ladder_suggestions() -> None:
    assert suggest_next([], Severity.MINOR, D("2026-01-05")).measure is Measure.CIRCULATE
    assert suggest_next([], Severity.SERIOUS, D("2026-01-05")).measure is Measure.ADMONISH
    assert suggest_next([], Severity.VERY_SERIOUS, D("2026-01-05")).measure is Measure.REASSIGN
    circulated = [Step(1, Measure.CIRCULATE, D("2026-01-05"), D("2026-01-20"), None)]
    waiting = suggest_next(circulated, Severity.MINOR, D("2026-01-20"))
    assert waiting.measure is None and "等待整改" in waiting.reason  # the deadline day itself is not missed
    missed = suggest_next(circulated, Severity.MINOR, D("2026-01-21"))
    assert missed.measure is Measure.ADMONISH and "第十四条" in missed.reason and "荣誉称号" in missed.reason
    admonished = [*circulated, Step(2, Measure.ADMONISH, D("2026-01-22"), D("2026-02-20"), None)]
    assert suggest_next(admonished, Severity.MINOR, D("2026-02-21")).measure is Measure.REASSIGN
    rectified = [Step(1, Measure.CIRCULATE, D("2026-01-05"), D("2026-01-20"), D("2026-01-18"))]
    assert suggest_next(rectified, Severity.MINOR, D("2026-03-01")).measure is None


def _fields(problems: list[object]) -> list[str]:
    return [p.field for p in problems]  # type: ignore[attr-defined]


def test_step_rules() -> None:
    circulated = [Step(1, Measure.CIRCULATE, D("2026-01-05"), D("2026-01-20"), None)]
    kw = {"severity": Severity.MINOR, "reason": None}
    # 诫勉 before the 通报 deadline has passed needs a reason; after it, it is the ladder's next rung.
    early = check_step(circulated, Measure.ADMONISH, decided_on=D("2026-01-15"), rectify_by=D("2026-02-15"), **kw)
    assert _fields(early) == ["measure"]
    after = check_step(circulated, Measure.ADMONISH, decided_on=D("2026-01-21"), rectify_by=D("2026-02-21"), **kw)
    assert after == []
    # Two rungs at once is refused without a reason, even after a missed deadline.
    jump = check_step(circulated, Measure.DISMISS, decided_on=D("2026-01-21"), rectify_by=None, **kw)
    assert _fields(jump) == ["measure"]
    lower = check_step(
        [Step(1, Measure.ADMONISH, D("2026-01-05"), D("2026-01-20"), None)],
        Measure.CIRCULATE,
        decided_on=D("2026-01-21"),
        rectify_by=D("2026-02-01"),
        **kw,
    )
    assert "较轻" in lower[0].reason
    no_deadline = check_step([], Measure.CIRCULATE, decided_on=D("2026-01-05"), rectify_by=None, **kw)
    assert _fields(no_deadline) == ["rectify_by"]
    discipline = check_step([], Measure.DISCIPLINE, decided_on=D("2026-01-05"), rectify_by=None, **kw)
    assert _fields(discipline) == ["reason"]
    serious = check_step(
        [],
        Measure.ADMONISH,
        decided_on=D("2026-01-05"),
        rectify_by=D("2026-02-05"),
        severity=Severity.SERIOUS,
        reason=None,
    )
    assert serious == []


CATALOGUE = {
    "regulations": [
        {
            "key": "BF",
            "name": "《办法》",
            "issuer": "x",
            "article": 11,
            "lead": "有下列情形之一的：",
            "items": ["甲", "乙"],
        },
        {"key": "TL", "name": "《条例》", "issuer": "y", "article": 43, "lead": "", "items": ["单独一条"]},
    ]
}


def test_grounds_catalogue_codes_and_citations() -> None:
    parsed = parse_catalogue(CATALOGUE)
    cat = catalogue_for(
        "p", {"regulations": ["BF", "TL"], "suggest": {"acceptance_missed": ["TL43", "BF11-2"]}}, parsed
    )
    assert list(cat.grounds) == ["BF11-1", "BF11-2", "TL43"]
    assert cat.get("bf11-2").citation() == "《办法》第十一条第（二）项"
    assert cat.get("TL43").citation() == "《条例》第四十三条"
    assert [g.code for g in cat.suggested("acceptance_missed")] == ["TL43", "BF11-2"]
    with pytest.raises(DomainError, match="BF11-9"):
        cat.get("BF11-9")
    with pytest.raises(GroundsError, match="目录外"):
        catalogue_for("p", {"regulations": ["BF"], "suggest": {"x": ["TL43"]}}, parsed)
    assert [cn_number(n) for n in (1, 10, 11, 20, 46)] == ["一", "十", "十一", "二十", "四十六"]


def test_clock_findings_positive_and_negative() -> None:
    base = {
        "label": "l",
        "clock_id": 1,
        "case_id": 1,
        "case_number": "XF1",
        "unit": "u",
        "start_on": D("2026-01-01"),
        "due_on": D("2026-01-16"),
        "today": D("2026-03-01"),
        "seriously_overdue_days": 30,
    }
    assert clock_finding(rule_id="R-DL-01", met_on=D("2026-01-16"), **base) is None  # met on the day
    late = clock_finding(rule_id="R-DL-01", met_on=D("2026-01-17"), **base)
    assert late is not None and late.kind is CandidateKind.ACCEPTANCE_MISSED and late.evidence["days_overdue"] == 1
    assert clock_finding(rule_id="R-DL-06", met_on=D("2026-02-14"), **base) is None  # 29 days late: not 严重
    serious = clock_finding(rule_id="R-DL-06", met_on=D("2026-02-15"), **base)
    assert serious is not None and serious.kind is CandidateKind.CONCLUSION_SERIOUSLY_OVERDUE
    assert clock_finding(rule_id="R-DL-08", met_on=None, **base) is None  # a petitioner's window, not a duty
    assert (
        is_handling_failure("首办单位未按期答复")
        and not is_handling_failure("无问题。")
        and not is_handling_failure("")
    )
