"""The assessment rates as data and arithmetic (R-AS-01) and the ranking (R-AS-02): pure, no database."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date

import pytest

from xinfang_desktop.core.assessment import (
    COUNTS,
    RATE_IDS,
    RATES,
    AssessmentCounts,
    AssessmentPeriod,
    default_period,
    format_percent,
    percent,
    rank_groups,
    rate_definition,
    rate_value,
    rates,
    total_counts,
    visit_counts,
)
from xinfang_desktop.core.errors import DomainError


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (0, 0, None),  # nothing to assess: no value, not a crash
        (3, 0, None),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 8, 12.5),
        (1, 16, 6.3),  # 6.25 rounds half up, as offices round (binary round() would give 6.2)
        (1, 400, 0.3),  # 0.25 → 0.3
        (1, 2000, 0.1),  # 0.05 → 0.1
        (1, 2001, 0.0),
        (9999, 10000, 100.0),  # 99.99 → 100.0
    ],
)
def test_percent_has_one_decimal_rounded_half_up(numerator: int, denominator: int, expected: float | None) -> None:
    assert percent(numerator, denominator) == expected


def test_format_percent() -> None:
    assert format_percent(None) == "—"
    assert format_percent(66.7) == "66.7%"
    assert format_percent(100.0) == "100.0%"


def test_every_rate_is_data_with_a_formula_and_rules() -> None:
    keys = {f.name for f in fields(AssessmentCounts)} | {"rated", "satisfied_total"}
    assert len(set(RATE_IDS)) == len(RATES) == 7
    for rate in RATES:
        assert rate.formula.startswith(f"{rate.name} =") and rate.formula.endswith("× 100%")
        assert rate.rules[0] == "R-AS-01" and all(re.fullmatch(r"R-[A-Z]{2}-\d{2}", r) for r in rate.rules)
        assert rate.numerator and rate.denominator
        assert set(rate.keys) <= keys and rate.note
        assert set(rate.to_json()) >= {"id", "name", "numerator", "denominator", "formula", "rule"}
    assert [r.name for r in RATES] == [
        "及时受理率",
        "按期办结率",
        "群众满意率",
        "参评率",
        "一次性化解率",
        "积案化解率",
        "重复信访率",
    ]
    assert [c.name for c in COUNTS] == ["越级访", "来县", "来市", "到省", "进京"]
    assert not rate_definition("repeat").higher_is_better  # the only rate where lower is better


def test_rate_definition_by_id_or_name_and_unknown_names_the_choices() -> None:
    assert rate_definition("satisfaction") is rate_definition("群众满意率")
    with pytest.raises(DomainError) as caught:
        rate_definition("满意度")
    assert caught.value.field == "rate" and "timely_acceptance" in caught.value.message


def test_zero_counts_give_no_value_for_every_rate() -> None:
    values = rates(AssessmentCounts())
    assert [v.value for v in values] == [None] * 7
    assert all(v.text == "—" for v in values)
    json = values[0].to_json()
    assert set(json) >= {"id", "name", "numerator", "denominator", "value", "formula", "rule"}
    assert json["value"] is None and json["numerator"] == json["denominator"] == 0


def test_each_rate_divides_the_counts_it_names() -> None:
    counts = AssessmentCounts(
        cases=40,
        acceptance_due=20,
        acceptance_on_time=19,
        handling_due=16,
        handling_on_time=12,
        opinions_delivered=15,
        satisfied=6,
        basically_satisfied=3,
        dissatisfied=3,
        not_rated=2,
        first_concluded=10,
        resolved_at_once=7,
        repeat_cases=5,
        backlog_open=8,
        backlog_resolved=2,
    )
    got = {v.definition.id: (v.numerator, v.denominator, v.value) for v in rates(counts)}
    assert got == {
        "timely_acceptance": (19, 20, 95.0),
        "on_time_conclusion": (12, 16, 75.0),
        "satisfaction": (9, 12, 75.0),  # (满意 6 + 基本满意 3) / 参评 (6 + 3 + 3); 未评价 is not 参评
        "participation": (12, 15, 80.0),  # 参评 12 of 15 opinions delivered
        "resolved_at_once": (7, 10, 70.0),
        "backlog_resolution": (2, 8, 25.0),
        "repeat": (5, 40, 12.5),
    }


def test_visit_counts_and_totals_add_up() -> None:
    a = AssessmentCounts(cases=2, to_city_batches=1, to_city_persons=30, level_skipping_batches=1)
    b = AssessmentCounts(cases=3, to_city_batches=2, to_city_persons=2, to_capital_batches=1, to_capital_persons=4)
    total = total_counts([a, b])
    assert (total.cases, total.to_city_batches, total.to_city_persons) == (5, 3, 32)
    listed = {c["id"]: (c["batches"], c["person_visits"]) for c in visit_counts(total)}
    assert listed == {
        "level_skipping": (1, 0),
        "to_county": (0, 0),
        "to_city": (3, 32),
        "to_province": (0, 0),
        "to_capital": (1, 4),
    }
    assert total_counts([]) == AssessmentCounts()
    assert AssessmentCounts.from_mapping({"cases": None, "repeat_cases": 2}) == AssessmentCounts(repeat_cases=2)


def test_period_checks_its_ends() -> None:
    assert AssessmentPeriod(date(2026, 3, 1), date(2026, 3, 1)).label == "2026-03-01 至 2026-03-01"
    with pytest.raises(DomainError) as caught:
        AssessmentPeriod(date(2026, 3, 2), date(2026, 3, 1))
    assert "晚于" in caught.value.message
    assert default_period(date(2026, 11, 20)) == AssessmentPeriod(date(2026, 1, 1), date(2026, 11, 20))


def _groups(values: dict[str, tuple[int, int]]) -> list[tuple[str | None, str, AssessmentCounts]]:
    """Groups whose 及时受理率 is on_time/due."""
    return [(name, name, AssessmentCounts(acceptance_on_time=n, acceptance_due=d)) for name, (n, d) in values.items()]


def test_ranking_worst_first_with_shared_places_and_the_lowest_marked() -> None:
    timely = rate_definition("timely_acceptance")
    ranked = rank_groups(_groups({"甲": (9, 10), "乙": (8, 10), "丙": (4, 5), "丁": (7, 10), "戊": (0, 0)}), timely)
    assert [(r.name, r.rank, r.lowest) for r in ranked] == [
        ("丁", 4, True),  # 70% — the 末位
        ("丙", 2, False),  # 80%, tied with 乙 (names in order within a tie)
        ("乙", 2, False),
        ("甲", 1, False),
        ("戊", None, False),  # nothing to assess: listed last, unranked
    ]
    assert ranked[0].to_json() == {
        "rank": 4,
        "key": "丁",
        "name": "丁",
        "value": 70.0,
        "numerator": 7,
        "denominator": 10,
        "lowest": True,
        "honours_lost": None,  # no 诫勉 in an accountability case of 丁 (S3 art 14)
    }


def test_ranking_where_lower_is_better_marks_the_highest() -> None:
    repeat = rate_definition("repeat")
    groups = [
        ("a", "甲", AssessmentCounts(cases=10, repeat_cases=1)),
        ("b", "乙", AssessmentCounts(cases=10, repeat_cases=3)),
        ("c", "丙", AssessmentCounts(cases=10, repeat_cases=2)),
    ]
    ranked = rank_groups(groups, repeat)
    assert [(r.name, r.rank, r.lowest) for r in ranked] == [("乙", 3, True), ("丙", 2, False), ("甲", 1, False)]


def test_no_lowest_when_all_equal_or_alone() -> None:
    timely = rate_definition("timely_acceptance")
    assert not any(r.lowest for r in rank_groups(_groups({"甲": (1, 2), "乙": (2, 4)}), timely))
    assert not any(r.lowest for r in rank_groups(_groups({"甲": (1, 2)}), timely))
    assert rank_groups([], timely) == []


def test_rate_value_json_keys() -> None:
    value = rate_value(AssessmentCounts(cases=3, repeat_cases=1), rate_definition("repeat"))
    assert value.to_json()["value"] == 33.3 and value.to_json()["rule"] == "R-AS-01, R-CL-04"
