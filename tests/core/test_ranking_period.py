"""The ranking period as a rule-profile option (R-AS-02: quarterly after S2 §二(三)1; half-yearly after S4 §18): the
profile section `ranking`, the period codes 2026Q3 / 2026H1, the titles, and the 挂牌整治 chain's period helpers."""

from __future__ import annotations

from datetime import date

import pytest

from xinfang_desktop.core.composite_ranking import (
    RankingOption,
    evaluation_name,
    last_ended_span,
    next_span,
    parse_ranking_option,
    previous_span,
    ranking_kind,
    ranking_span,
    ranking_span_of,
    ranking_title,
    recent_spans,
)
from xinfang_desktop.core.duties import PeriodKind
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.rectification import (
    CITATION,
    CITATION_HALF_YEAR,
    GroupKind,
    ListedGroup,
    Listing,
    citation_of,
    is_half_year,
    lift_reason_by_ranking,
    lifts_by_ranking,
    next_quarter,
    previous_quarter,
    quarter_label,
)
from xinfang_desktop.core.rule_profiles import profile_from_dict
from xinfang_desktop.persistence.rule_profile_store import list_profiles, load_profile

Q, H = PeriodKind.QUARTER, PeriodKind.HALF_YEAR


def test_the_option_defaults_to_quarterly() -> None:
    assert parse_ranking_option(None) == RankingOption(Q, None)
    assert parse_ranking_option({}) == RankingOption(Q, None)
    option = parse_ranking_option({"period": "half_year", "citation": " 第十八条 "})
    assert option.half_yearly and option.citation == "第十八条"
    assert option.to_json() == {"period": "half_year", "period_label": "半年", "citation": "第十八条"}


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("half_year", "应为对象"),
        ({"period": "month"}, "quarter（季度）或 half_year（半年）"),
        ({"period": "year"}, "现为“year”"),
        ({"period": 2}, "ranking.period"),
        ({"period": "quarter", "listing": {}}, "未知项：listing"),
        ({"citation": ""}, "citation 应为文本"),
    ],
)
def test_a_bad_option_is_refused_in_chinese(section: object, message: str) -> None:
    with pytest.raises(DomainError, match=message.replace("（", ".").replace("）", ".")):
        parse_ranking_option(section)


def test_the_shipped_profiles() -> None:
    """R-AS-02: the national profile and those of S0–S2 rank quarterly; the hengyang profile (S4) half-yearly."""
    periods = {p.id: parse_ranking_option(p.section("ranking")).period for p in list_profiles()}
    assert periods["hengyang"] is H
    assert {pid for pid, kind in periods.items() if kind is Q} >= {"national", "zhejiang", "lishui", "chongqing"}
    hengyang, national = load_profile("hengyang"), load_profile("national")
    assert "第十八条" in (parse_ranking_option(hengyang.section("ranking")).citation or "")
    # everything else is the national profile's: clocks, grounds, duties (those already follow S4)
    assert hengyang.extends == "national" and dict(hengyang.rules) == dict(national.rules)
    assert hengyang.section("duties") == national.section("duties")
    assert hengyang.section("grounds") == national.section("grounds")


def test_the_section_is_inherited_and_overridden() -> None:
    national = load_profile("national")
    child = profile_from_dict({"id": "child", "name": "子", "extends": "national", "rules": []}, national)
    assert child.section("ranking") is None  # the national profile has none: quarterly
    half = profile_from_dict(
        {"id": "half", "name": "半", "extends": "national", "rules": [], "ranking": {"period": "half_year"}}, national
    )
    grandchild = profile_from_dict({"id": "gc", "name": "孙", "extends": "half", "rules": []}, half)
    assert parse_ranking_option(grandchild.section("ranking")).half_yearly


def test_period_codes() -> None:
    h1 = ranking_span("2026H1", H)
    assert (h1.start, h1.end, h1.code, h1.label) == (date(2026, 1, 1), date(2026, 6, 30), "2026H1", "2026年上半年")
    assert ranking_span("2026h2", H).code == "2026H2"
    assert ranking_span("2026Q3", Q).end == date(2026, 9, 30)
    for text, kind, message in (
        ("2026Q1", H, "半年格式错误"),
        ("2026", H, "半年格式错误"),
        ("2026H1", Q, "季度格式错误"),
        ("2026H3", H, "期间格式错误"),
        ("1999H1", H, "年份"),
    ):
        with pytest.raises(DomainError, match=message):
            ranking_span(text, kind)
    assert ranking_kind("2026H2") is H and ranking_kind("2026Q4") is Q
    assert ranking_span_of(2026, 2, H).code == "2026H2" and ranking_span_of(2026, 2, Q).code == "2026Q2"


def test_previous_next_and_recent() -> None:
    assert previous_span(ranking_span("2026H1", H)).code == "2025H2"
    assert previous_span(ranking_span("2026H2", H)).code == "2026H1"
    assert next_span(ranking_span("2026H2", H)).code == "2027H1"
    assert previous_span(ranking_span("2026Q1", Q)).code == "2025Q4"
    assert last_ended_span(date(2026, 7, 1), H).code == "2026H1"
    assert last_ended_span(date(2026, 6, 30), H).code == "2025H2"
    assert [s.code for s in recent_spans(date(2026, 11, 20), H, 3)] == ["2026H1", "2025H2", "2025H1"]
    assert [s.code for s in recent_spans(date(2026, 11, 20), Q, 2)] == ["2026Q3", "2026Q2"]


def test_titles() -> None:
    assert ranking_title(ranking_span("2026H1", H)) == "2026年上半年信访工作半年评价"
    assert ranking_title(ranking_span("2026Q3", Q)) == "2026年第三季度信访工作综合排名"
    assert evaluation_name(H) == "半年评价" and evaluation_name(Q) == "综合排名"


def test_the_listing_chain_reads_half_year_codes() -> None:
    """R-AS-02 / S4 §18: a half-yearly listing lifts by the next half year's evaluation, never by a quarter's."""
    assert is_half_year("2026H1") and not is_half_year("2026Q1")
    assert previous_quarter("2026H1") == "2025H2" and previous_quarter("2026H2") == "2026H1"
    assert next_quarter("2026H2") == "2027H1" and next_quarter("2026H1") == "2026H2"
    assert previous_quarter("2026Q1") == "2025Q4" and next_quarter("2026Q4") == "2027Q1"  # unchanged
    assert quarter_label("2026H2") == "2026年下半年" and quarter_label("2026Q2") == "2026年第二季度"
    assert citation_of("2026H1") == CITATION_HALF_YEAR and citation_of("2026Q1") == CITATION
    assert lift_reason_by_ranking("2026H2") == "2026年下半年评价不再列入挂牌整治（R-AS-02）"

    def listing(period: str, key: str) -> Listing:
        day = date(2026, 7, 3)
        return Listing(period, GroupKind.TOWNSHIP, key, key, day, date(2026, 7, 17))

    open_listings = [listing("2026H1", "a"), listing("2026H1", "b"), listing("2026Q2", "c")]
    still = [ListedGroup(GroupKind.TOWNSHIP, "b", "b", ("综合得分末位",))]
    lifts = lifts_by_ranking(open_listings, "2026H2", still)
    assert [lift.key for lift in lifts] == [("township", "a")]  # not b (listed again), not the quarter's c
    assert lifts[0].reason.startswith("2026年下半年评价")
    assert [lift.key for lift in lifts_by_ranking(open_listings, "2026Q3", [])] == [("township", "c")]
