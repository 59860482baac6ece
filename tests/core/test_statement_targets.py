"""Responsibility-statement targets (R-RS-02): the profile section, the prefill arithmetic worked out by hand, the year
clock and the progress verdicts (on track, at risk, missed, met) with their projections."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.statement_targets import (
    MEASURES,
    LedgerFigures,
    Measured,
    TargetKind,
    TargetSpec,
    TargetStatus,
    Verdict,
    YearClock,
    check_target_value,
    check_year,
    format_value,
    measure,
    parse_target_specs,
    prefill_target,
    reduced_target,
    target_status,
    target_wording,
    verdict_counts,
    year_clock,
    yearly_factor,
    yearly_reduction,
)

NATIONAL = Path(__file__).resolve().parents[2] / "resources" / "rules" / "national.json"
MID_2026 = year_clock(2026, date(2026, 7, 2))  # 183 of 365 days: just past half


def spec(code: str, kind: str = "reduction", percent: float = 20, over_years: int | None = 2) -> TargetSpec:
    item: dict[str, object] = {"code": code, "label": code, "kind": kind, "percent": percent, "rule": "R-RS-02"}
    item["citation"] = "丽委办发〔2018〕51号 一"
    if over_years is not None:
        item["over_years"] = over_years
    return parse_target_specs([item])[0]


def test_the_national_profile_section_parses_with_every_target_measurable() -> None:
    section = json.loads(NATIONAL.read_text(encoding="utf-8"))["statement_targets"]
    specs = parse_target_specs(section)
    assert [s.code for s in specs] == [
        "visit_volume",
        "key_persons",
        "new_backlog_rate",
        "capital_skipping",
        "backlog_resolution_national",
        "backlog_resolution_local",
        "timely_acceptance",
        "on_time_conclusion",
        "satisfaction",
    ]
    assert all(s.code in MEASURES for s in specs)
    visits = specs[0]
    assert (visits.kind, visits.percent, visits.over_years, visits.label) == (TargetKind.REDUCTION, 20.0, 2, "上访量")
    assert specs[4].kind is TargetKind.RATE_MIN and specs[4].percent == 100 and specs[4].over_years is None


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("x", "应为列表"),
        ([{"code": "a"}], "缺少“label”"),
        ([{"code": "a", "label": "甲", "kind": "odd", "rule": "R", "citation": "c", "percent": 5}], "类型“odd”无效"),
        ([{"code": "a", "label": "甲", "kind": "reduction", "rule": "R", "citation": "c", "percent": 120}], "百分数"),
        ([{"code": "a", "label": "甲", "kind": "reduction", "rule": "R", "citation": "c", "percent": 100}], "小于"),
        (
            [{"code": "a", "label": "甲", "kind": "reduction", "rule": "R", "citation": "c", "percent": 5,
              "over_years": 0}],
            "over_years",
        ),
        (
            [{"code": "a", "label": "甲", "kind": "rate_min", "rule": "R", "citation": "c", "percent": 5}] * 2,
            "重复",
        ),
    ],
)  # fmt: skip
def test_a_faulty_section_is_refused_in_chinese(section: object, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        parse_target_specs(section)


def test_reduction_over_two_years_is_split_into_equal_yearly_factors() -> None:
    # (1 − 20%)^(1/2) = √0.8 = 0.894427…; two years on target give exactly 0.8.
    assert yearly_factor(20, 2) == pytest.approx(0.894427191)
    assert yearly_factor(20, 2) ** 2 == pytest.approx(0.8)
    assert (yearly_reduction(20, 2), yearly_reduction(30, 2), yearly_reduction(50, 2)) == (10.6, 16.3, 29.3)
    # Counts round down (下降…以上 is a least reduction): 50 × 0.894427 = 44.72 → 44; 20 × √0.7 = 16.73 → 16.
    assert reduced_target(50, 20, 2, is_rate=False) == 44
    assert reduced_target(20, 30, 2, is_rate=False) == 16
    assert reduced_target(1, 30, 2, is_rate=False) == 0  # 0.84 → 0
    assert reduced_target(0, 20, 2, is_rate=False) == 0
    # Rates to one decimal, down: 4.0% × √0.5 = 2.83 → 2.8%; 25.0% × √0.5 = 17.68 → 17.6%.
    assert reduced_target(4.0, 50, 2, is_rate=True) == 2.8
    assert reduced_target(25.0, 50, 2, is_rate=True) == 17.6
    # One year: the whole reduction at once (100 × 0.8 = 80 exactly, no binary rounding below it).
    assert reduced_target(100, 20, 1, is_rate=False) == 80


def test_prefill_target_from_last_years_figure() -> None:
    draft = prefill_target(spec("visit_volume"), Measured(50.0, 50, None), year=2026)
    assert (draft.baseline, draft.baseline_year, draft.target_value) == (50.0, 2025, 44.0)
    assert draft.target_text == "比上年下降10.6%以上，不超过44批次"
    assert "2025年50批次" in draft.note and "44.72" in draft.note and "向下取整为44批次" in draft.note
    zero = prefill_target(spec("capital_skipping", percent=30), Measured(0.0, 0, None), year=2026)
    assert zero.target_value == 0 and zero.target_text == "保持为0批次"
    rate = prefill_target(spec("new_backlog_rate", percent=50), Measured(25.0, 1, 4), year=2026)
    assert rate.target_value == 17.6 and rate.target_text == "比上年下降29.3%以上，不超过17.6%"
    nothing = prefill_target(spec("new_backlog_rate", percent=50), Measured(None, 0, 0), year=2026)
    assert nothing.target_value is None and nothing.target_text == "目标值待定" and "请填写目标值" in nothing.note
    floor = prefill_target(spec("satisfaction", "rate_min", 90, None), Measured(50.0, 1, 2), year=2026)
    assert (floor.baseline, floor.target_value, floor.target_text) == (50.0, 90.0, "不低于90%")


def test_measure_divides_the_figures_of_each_code() -> None:
    figures = LedgerFigures(cases=4, visits=4, new_backlog=1, rated=3, satisfied_total=2, higher_open=2)
    assert measure("visit_volume", figures) == Measured(4.0, 4, None)
    assert measure("new_backlog_rate", figures) == Measured(25.0, 1, 4)
    assert measure("satisfaction", figures) == Measured(66.7, 2, 3)
    assert measure("backlog_resolution_local", figures) == Measured(0.0, 0, 2)
    assert measure("backlog_resolution_national", figures) == Measured(None, 0, 0)
    assert measure("unknown", figures).value is None
    assert (figures + figures).visits == 8


def test_year_clock() -> None:
    assert (MID_2026.elapsed_days, MID_2026.total_days) == (183, 365)
    leap = year_clock(2024, date(2024, 12, 31))
    assert (leap.elapsed_days, leap.total_days, leap.over) == (366, 366, True)
    assert year_clock(2027, date(2026, 12, 2)).elapsed_days == 0
    assert year_clock(2026, date(2027, 3, 1)).period_end == date(2026, 12, 31)


def status(
    code: str, kind: TargetKind, target: float | None, current: Measured, clock: YearClock = MID_2026
) -> TargetStatus:
    return target_status(code, code, kind, None, target, current, clock)


def test_a_count_is_projected_linearly_and_missed_once_above_its_ceiling() -> None:
    # 20 visits in 183 of 365 days → 20 × 365 / 183 = 39.9 by the year's end (shown as 40): under 44.
    on = status("visit_volume", TargetKind.REDUCTION, 44, Measured(20.0, 20, None))
    assert (on.verdict, on.projection) == (Verdict.ON_TRACK, 40.0)
    risk = status("visit_volume", TargetKind.REDUCTION, 44, Measured(25.0, 25, None))
    assert (risk.verdict, risk.projection) == (Verdict.AT_RISK, 50.0)
    assert "年底预计50批次" in risk.reason
    # 22 → 43.9, shown as 44, is judged unrounded: under 44, on track; 22.1 would project to 44.08: at risk.
    assert status("visit_volume", TargetKind.REDUCTION, 44, Measured(22.0, 22, None)).verdict is Verdict.ON_TRACK
    edge = status("visit_volume", TargetKind.REDUCTION, 44, Measured(22.1, 22, None))
    assert (edge.verdict, edge.projection) == (Verdict.AT_RISK, 44.0)
    missed = status("visit_volume", TargetKind.REDUCTION, 44, Measured(45.0, 45, None))
    assert missed.verdict is Verdict.MISSED
    year_end = year_clock(2026, date(2027, 1, 5))
    assert status("visit_volume", TargetKind.REDUCTION, 44, Measured(44.0, 44, None), year_end).verdict is Verdict.MET


def test_a_cohort_rate_is_missed_when_even_a_perfect_rest_of_the_year_cannot_mend_it() -> None:
    # A 100% target: one late case of 2000 rounds to 100.0% yet misses it, for good.
    exact = status("timely_acceptance", TargetKind.RATE_MIN, 100, Measured(100.0, 1999, 2000))
    assert exact.verdict is Verdict.MISSED
    assert status("timely_acceptance", TargetKind.RATE_MIN, 100, Measured(100.0, 20, 20)).verdict is Verdict.ON_TRACK
    # 90%, 8 of 10 on 1 April (91 days): the rest of the year brings 10 × 274/91 = 30.1 more; all satisfied →
    # (8 + 30.1) / (10 + 30.1) = 95.0% ≥ 90 → still possible: at risk.
    april = year_clock(2026, date(2026, 4, 1))
    risk = status("satisfaction", TargetKind.RATE_MIN, 90, Measured(80.0, 8, 10), april)
    assert (risk.verdict, risk.projection) == (Verdict.AT_RISK, 80.0)
    # The same 8 of 10 at mid-year (183 days): (8 + 9.95) / 19.95 = 89.97% < 90 → missed already.
    assert status("satisfaction", TargetKind.RATE_MIN, 90, Measured(80.0, 8, 10)).verdict is Verdict.MISSED
    year_end = year_clock(2026, date(2026, 12, 31))
    assert status("satisfaction", TargetKind.RATE_MIN, 90, Measured(80.0, 8, 10), year_end).verdict is Verdict.MISSED
    assert status("satisfaction", TargetKind.RATE_MIN, 90, Measured(90.0, 9, 10), year_end).verdict is Verdict.MET


def test_a_lower_is_better_rate_is_judged_against_its_ceiling() -> None:
    # 新增积案率 target 2.0%: 5 of 100 at mid-year; best case 5 / (100 + 99.5) = 2.5% > 2.0 → missed.
    assert status("new_backlog_rate", TargetKind.REDUCTION, 2.0, Measured(5.0, 5, 100)).verdict is Verdict.MISSED
    early = year_clock(2026, date(2026, 3, 31))  # 90 days: best 5 / (100 + 305.6) = 1.2% → still possible
    assert (
        status("new_backlog_rate", TargetKind.REDUCTION, 2.0, Measured(5.0, 5, 100), early).verdict is Verdict.AT_RISK
    )
    assert status("new_backlog_rate", TargetKind.REDUCTION, 2.0, Measured(1.0, 1, 100)).verdict is Verdict.ON_TRACK


def test_a_resolution_rate_projects_the_resolved_cases_and_is_missed_only_at_the_years_end() -> None:
    # 2 of 10 resolved at mid-year → 2 × 365/183 = 4 by December → 40% < 80%: at risk, not yet missed.
    risk = status("backlog_resolution_local", TargetKind.RATE_MIN, 80, Measured(20.0, 2, 10))
    assert (risk.verdict, risk.projection) == (Verdict.AT_RISK, 40.0)
    # 4 of 10 → 8 by December (capped at the book) → 80%: on track.
    on = status("backlog_resolution_local", TargetKind.RATE_MIN, 80, Measured(40.0, 4, 10))
    assert (on.verdict, on.projection) == (Verdict.ON_TRACK, 80.0)
    year_end = year_clock(2026, date(2027, 1, 2))
    assert (
        status("backlog_resolution_local", TargetKind.RATE_MIN, 80, Measured(70.0, 7, 10), year_end).verdict
        is Verdict.MISSED
    )
    assert (
        status("backlog_resolution_local", TargetKind.RATE_MIN, 80, Measured(80.0, 8, 10), year_end).verdict
        is Verdict.MET
    )


def test_no_data_without_a_target_a_denominator_a_measure_or_a_started_year() -> None:
    assert status("visit_volume", TargetKind.REDUCTION, None, Measured(1.0, 1, None)).verdict is Verdict.NO_DATA
    assert status("satisfaction", TargetKind.RATE_MIN, 90, Measured(None, 0, 0)).verdict is Verdict.NO_DATA
    assert status("unknown", TargetKind.COUNT_MAX, 3, Measured(None, 0, None)).verdict is Verdict.NO_DATA
    before = year_clock(2027, date(2026, 12, 2))
    not_yet = status("visit_volume", TargetKind.REDUCTION, 4, Measured(0.0, 0, None), before)
    assert not_yet.verdict is Verdict.NO_DATA and "尚未开始" in not_yet.reason
    counts = verdict_counts([not_yet])
    assert counts == {"on_track": 0, "at_risk": 0, "missed": 0, "met": 0, "no_data": 1}


def test_status_json_carries_the_formula_and_the_projection() -> None:
    april = year_clock(2026, date(2026, 4, 1))
    st = target_status("satisfaction", "群众满意率", TargetKind.RATE_MIN, 50.0, 90, Measured(80.0, 8, 10), april)
    data = st.to_json()
    assert data["formula"].startswith("群众满意率 =（满意 + 基本满意）÷ 参评件数")
    assert (data["current"], data["numerator"], data["denominator"], data["baseline"]) == (80.0, 8, 10, 50.0)
    assert data["verdict"] == "at_risk" and data["verdict_label"] == "有风险" and data["projection"] == 80.0


def test_hand_values_and_wording() -> None:
    assert check_target_value(TargetKind.RATE_MIN, "satisfaction", 101) == "比率目标应在 0 到 100 之间"
    assert check_target_value(TargetKind.REDUCTION, "visit_volume", -1) == "目标值应为非负数"
    assert check_target_value(TargetKind.REDUCTION, "visit_volume", 2.5) == "数量目标应为整数"
    assert check_target_value(TargetKind.REDUCTION, "new_backlog_rate", 2.5) is None
    assert target_wording(TargetKind.REDUCTION, "visit_volume", 40) == "不超过40批次"
    assert target_wording(TargetKind.RATE_MIN, "satisfaction", 92.5) == "不低于92.5%"
    assert (format_value(None, "%"), format_value(3.0, "人"), format_value(2.8, "%")) == ("—", "3人", "2.8%")
    check_year(2026)
    with pytest.raises(DomainError, match="责任年度"):
        check_year(1999)
