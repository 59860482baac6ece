"""Deadline engine (R-TM-02…05, R-DL-01…13): counting, roll-forward, pauses, extension, states, profiles."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_desktop.core.deadlines import (
    DeadlineState,
    Pause,
    compute_deadline,
    deadline_status,
)
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.rule_profiles import RuleProfile, TimeUnit, profile_from_dict
from xinfang_desktop.core.workdays import WorkdayCalendar, holiday_year_from_dict
from xinfang_desktop.paths import resource

D = date.fromisoformat


@cache
def calendar() -> WorkdayCalendar:
    data = json.loads(resource("calendar", "holidays.json").read_text(encoding="utf-8"))
    return WorkdayCalendar(holiday_year_from_dict(y) for y in data["years"])


@cache
def profile(name: str = "national") -> RuleProfile:
    return profile_from_dict(json.loads(resource("rules", f"{name}.json").read_text(encoding="utf-8")))


def test_national_profile_carries_every_clock() -> None:
    p = profile()
    # The statutory clocks, then the responsibility system's (rectification R-AC-03, feedback R-AC-05).
    assert list(p.rules) == [*(f"R-DL-{i:02d}" for i in range(1, 14)), "R-AC-03", "R-AC-05"]
    expected = {
        "R-DL-01": (15, TimeUnit.DAYS, "第二十二条"),
        "R-DL-04": (5, TimeUnit.WORKDAYS, "第二十三条"),
        "R-DL-05": (None, TimeUnit.DAYS, "第二十二条"),
        "R-DL-06": (60, TimeUnit.DAYS, "第三十四条"),
        "R-DL-07": (30, TimeUnit.DAYS, "第三十四条"),
        "R-DL-08": (30, TimeUnit.DAYS, "第三十五条"),
        "R-DL-11": (30, TimeUnit.DAYS, "第三十六条"),
        "R-DL-12": (3, TimeUnit.WORKDAYS, "第十六条"),
        "R-DL-13": (10, TimeUnit.WORKDAYS, "第十六条"),
    }
    for rule_id, (length, unit, article) in expected.items():
        rule = p.rule(rule_id)
        assert (rule.length, rule.unit) == (length, unit), rule_id
        assert article in rule.citation and rule.label and rule.start_event
    assert p.rule("R-DL-07").max_length == 30
    assert p.rule("r-dl-06").id == "R-DL-06"


# R-TM-02 / R-TM-03: calendar-day clocks counted from the next day, rolled to the next working day.
CASES = [
    # rule, start, due, rolled?
    ("R-DL-06", "2024-08-03", "2024-10-08", True),  # 届满日 2024-10-02 国庆节 → 10-08
    ("R-DL-01", "2024-06-01", "2024-06-17", True),  # 06-16 is a Sunday → Monday
    ("R-DL-08", "2024-09-12", "2024-10-12", False),  # 10-12 is a makeup Saturday: a working day
    ("R-DL-01", "2024-01-26", "2024-02-18", True),  # 02-10 + … 02-10 春节 → 02-18 makeup Sunday
    ("R-DL-09", "2025-01-01", "2025-02-05", True),  # 01-31 春节 → 02-05
    ("R-DL-01", "2024-03-01", "2024-03-18", True),  # 03-16 Saturday → 03-18
    ("R-DL-01", "2024-03-04", "2024-03-19", False),
    # working-day clocks (R-TM-01): the start day excluded, makeup days count
    ("R-DL-04", "2024-09-27", "2024-10-10", False),
    ("R-DL-12", "2024-02-08", "2024-02-19", False),  # 02-09, 02-18 (makeup), 02-19
    ("R-DL-13", "2023-09-27", "2023-10-17", False),  # 09-28, 10-07, 10-08 (makeup), 10-09 … 10-13, 10-16, 10-17
]


@pytest.mark.parametrize(("rule_id", "start", "due", "rolled"), CASES)
def test_deadline_cases(rule_id: str, start: str, due: str, rolled: bool) -> None:
    d = compute_deadline(profile(), rule_id, D(start), calendar())
    assert d.due_on == D(due)
    assert d.rolled_forward is rolled
    assert not d.provisional
    assert calendar().is_workday(d.due_on)
    assert d.citation in d.explanation


def test_explanation_reads_aloud() -> None:
    d = compute_deadline(profile(), "R-DL-06", D("2024-08-03"), calendar())
    assert d.explanation == (
        "自2024年8月3日受理之次日起计算60日，届满日2024年10月2日为法定节假日，顺延至2024年10月8日"
        "（《信访工作条例》第三十四条）。"
    )
    assert d.to_json()["unit"] == "days" and d.to_json()["due"] == "2024-10-08"
    weekend = compute_deadline(profile(), "R-DL-01", D("2024-06-01"), calendar())
    assert "届满日2024年6月16日为休息日（星期日），顺延至2024年6月17日" in weekend.explanation


# R-TM-04: hearing pauses are not counted.
def test_pauses_are_excluded() -> None:
    cal = calendar()
    plain = compute_deadline(profile(), "R-DL-11", D("2024-08-03"), cal)
    assert plain.due_on == D("2024-09-02")
    paused = compute_deadline(
        profile(), "R-DL-11", D("2024-08-03"), cal, pauses=[Pause(D("2024-08-10"), D("2024-08-19"), "听证")]
    )
    assert paused.due_on == D("2024-09-12")
    assert "扣除听证期间2024年8月10日至2024年8月19日（共10日" in paused.explanation
    # overlapping pauses merge; a pause before the start or after the due day changes nothing
    merged = compute_deadline(
        profile(),
        "R-DL-11",
        D("2024-08-03"),
        cal,
        pauses=[Pause(D("2024-08-15"), D("2024-08-19")), Pause(D("2024-08-10"), D("2024-08-16"))],
    )
    assert merged.due_on == D("2024-09-12")
    outside = compute_deadline(
        profile(),
        "R-DL-11",
        D("2024-08-03"),
        cal,
        pauses=[Pause(D("2024-07-01"), D("2024-07-05")), Pause(D("2024-12-01"), D("2024-12-05"))],
    )
    assert outside.due_on == plain.due_on
    # a workday clock skips the paused working days: 2024-09-27 + 5 工作日, pause 09-29..10-08 (3 working days):
    wd = compute_deadline(profile(), "R-DL-04", D("2024-09-27"), cal, pauses=[Pause(D("2024-09-29"), D("2024-10-08"))])
    assert wd.due_on == D("2024-10-14")  # 10-09, 10-10, 10-11, 10-12 (makeup Saturday), 10-14
    with pytest.raises(DomainError, match="早于开始日"):
        Pause(D("2024-08-10"), D("2024-08-01"))


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 6, 30)),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=20),
)
def test_a_pause_delays_by_at_most_its_length(start: date, offset: int, days: int) -> None:
    from datetime import timedelta

    cal = calendar()
    pause = Pause(start + timedelta(days=1 + offset), start + timedelta(days=1 + offset + days))
    plain = compute_deadline(profile(), "R-DL-09", start, cal)
    paused = compute_deadline(profile(), "R-DL-09", start, cal, pauses=[pause])
    assert plain.due_on <= paused.due_on
    # before rolling, the nominal end moves by exactly the paused days inside the period
    if pause.start <= plain.nominal_end:
        assert (paused.nominal_end - plain.nominal_end).days == pause.days
    else:
        assert paused.due_on == plain.due_on


# R-DL-07: one extension, at most the profile's maximum.
def test_extension() -> None:
    cal = calendar()
    d = compute_deadline(profile(), "R-DL-06", D("2024-08-03"), cal, extension_days=30)
    assert d.due_on == D("2024-11-07")
    assert "经批准延期30日" in d.explanation
    with pytest.raises(DomainError, match="延期不得超过30日"):
        compute_deadline(profile(), "R-DL-06", D("2024-08-03"), cal, extension_days=31)
    with pytest.raises(DomainError, match="不能延期"):
        compute_deadline(profile(), "R-DL-01", D("2024-08-03"), cal, extension_days=5)
    with pytest.raises(DomainError, match="非负整数"):
        compute_deadline(profile(), "R-DL-06", D("2024-08-03"), cal, extension_days=-1)
    zj = compute_deadline(profile("zhejiang"), "R-DL-06", D("2024-08-03"), cal, extension_days=60)
    assert zj.due_on == D("2024-11-01")  # 30 日 + 60 日 (2024-09-02 + 60)
    with pytest.raises(DomainError, match="延期不得超过60日"):
        compute_deadline(profile("zhejiang"), "R-DL-06", D("2024-08-03"), cal, extension_days=61)


# R-DL-05: the 交办 period is set per assignment.
def test_assignment_length() -> None:
    cal = calendar()
    with pytest.raises(DomainError, match="须按交办要求指定天数"):
        compute_deadline(profile(), "R-DL-05", D("2024-08-03"), cal)
    d = compute_deadline(profile(), "R-DL-05", D("2024-08-03"), cal, length=20)
    assert d.due_on == D("2024-08-23") and d.length == 20
    with pytest.raises(DomainError, match="法定期限"):
        compute_deadline(profile(), "R-DL-06", D("2024-08-03"), cal, length=90)
    with pytest.raises(DomainError, match="1–"):
        compute_deadline(profile(), "R-DL-05", D("2024-08-03"), cal, length=0)


def test_unknown_rule_names_the_choices() -> None:
    with pytest.raises(DomainError, match=r"未知的期限规则“R-DL-99”.*R-DL-01"):
        compute_deadline(profile(), "R-DL-99", D("2024-08-03"), calendar())


# R-TM-05: provisional deadlines.
def test_provisional_when_year_has_no_data() -> None:
    d = compute_deadline(profile(), "R-DL-06", D("2026-11-20"), calendar())
    assert d.provisional
    assert d.due_on == D("2027-01-19")
    assert "2027年节假日安排尚未录入" in d.explanation and "暂估" in d.explanation
    assert d.to_json()["provisional"] is True
    assert not compute_deadline(profile(), "R-DL-06", D("2026-08-03"), calendar()).provisional


# A provincial profile switches the clocks.
def test_zhejiang_profile_uses_its_own_clocks() -> None:
    zj = profile("zhejiang")
    assert zj.id == "zhejiang" and "浙江" in zj.name
    assert set(zj.rules) == set(profile().rules)
    acc = compute_deadline(zj, "R-DL-01", D("2024-09-27"), calendar())
    assert acc.unit is TimeUnit.WORKDAYS and acc.due_on == D("2024-10-10")
    assert "《浙江省信访条例》第二十条" in acc.explanation
    handling = compute_deadline(zj, "R-DL-06", D("2024-08-03"), calendar())
    assert handling.length == 30 and handling.due_on == D("2024-09-02")


def test_recomputes_from_corrected_inputs() -> None:
    cal = calendar()
    first = compute_deadline(profile(), "R-DL-06", D("2024-08-03"), cal)
    corrected = compute_deadline(profile(), "R-DL-06", D("2024-08-01"), cal)
    assert first.due_on == D("2024-10-08")
    assert corrected.due_on == D("2024-09-30")


# Deadline states.
STATES = [
    ("2024-09-01", DeadlineState.ON_TRACK, "剩余37日"),
    ("2024-09-30", DeadlineState.DUE_SOON, "临期（剩余1个工作日）"),  # only 10-08 left as a working day
    ("2024-09-27", DeadlineState.DUE_SOON, "临期（剩余3个工作日）"),  # 09-29, 09-30, 10-08
    ("2024-09-26", DeadlineState.ON_TRACK, "剩余12日"),
    ("2024-10-08", DeadlineState.DUE_TODAY, "今日到期"),
    ("2024-10-13", DeadlineState.OVERDUE, "超期5日"),
    ("2024-11-06", DeadlineState.OVERDUE, "超期29日"),
    ("2024-11-07", DeadlineState.SERIOUSLY_OVERDUE, "严重超期30日"),
]


@pytest.mark.parametrize(("today", "state", "label"), STATES)
def test_deadline_states(today: str, state: DeadlineState, label: str) -> None:
    d = compute_deadline(profile(), "R-DL-06", D("2024-08-03"), calendar())
    status = deadline_status(d, D(today), calendar())
    assert (status.state, status.label) == (state, label)


def test_state_thresholds_are_configurable() -> None:
    d = compute_deadline(profile(), "R-DL-06", D("2024-08-03"), calendar())
    assert deadline_status(d, D("2024-09-26"), calendar(), due_soon_workdays=5).state is DeadlineState.DUE_SOON
    status = deadline_status(d, D("2024-10-18"), calendar(), seriously_overdue_days=10)
    assert status.state is DeadlineState.SERIOUSLY_OVERDUE and status.overdue_days == 10
    assert DeadlineState.OVERDUE.label == "超期" and DeadlineState.parse("临期") is DeadlineState.DUE_SOON
    with pytest.raises(DomainError):
        deadline_status(d, D("2024-10-18"), calendar(), due_soon_workdays=-1)


# Profile parsing errors.
def _rule(**over: Any) -> dict[str, Any]:
    base = {"id": "R-X-01", "label": "测试", "length": 5, "unit": "days", "start_event": "受理", "citation": "某条"}
    base.update(over)
    return base


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "p", "name": "测试", "rules": []}, "缺少规则列表"),
        ({"id": "p", "rules": [_rule()]}, "缺少“name”"),
        ({"id": "p", "name": "n", "rules": [_rule(unit="months")]}, "单位“months”无效"),
        ({"id": "p", "name": "n", "rules": [_rule(length=0)]}, "“length”应为 1–"),
        ({"id": "p", "name": "n", "rules": [_rule(length="15")]}, "“length”应为 1–"),
        ({"id": "p", "name": "n", "rules": [_rule(), _rule()]}, "规则编号“R-X-01”重复"),
        ({"id": "p", "name": "n", "rules": [_rule(citation=None)]}, "缺少“citation”"),
        ({"id": "p", "name": "n", "rules": [_rule(extension_rule="R-X-09")]}, "延期规则“R-X-09”不存在"),
        ({"id": "p", "name": "n", "rules": [_rule(extension_rule="R-X-01")]}, "缺少延期上限"),
        ({"id": "p", "name": "n", "rules": [_rule(colour="red")]}, "未知字段：colour"),
        ({"id": "p q", "name": "n", "rules": [_rule()]}, "编号“p q”无效"),
    ],
)
def test_profile_errors(data: dict[str, Any], message: str) -> None:
    with pytest.raises(DomainError) as err:
        profile_from_dict(data)
    assert message in err.value.message
