"""Pure rules of duty compliance (职责落实, R-RC-03/04/05/06): the periods and their edges, the slots of a duty within a
period, slot status against `today`, what is missing, and the duties sections of the shipped profiles."""

from __future__ import annotations

import json
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from xinfang_desktop.core.duties import (
    AppliesTo,
    Duty,
    DutyEvent,
    PeriodKind,
    SlotStatus,
    Subject,
    duty_compliance,
    find_duty,
    parse_duties,
    parse_period,
    slot_status,
    slots_of,
    span_containing,
    summarise,
)
from xinfang_desktop.core.errors import DomainError

RULES = Path(__file__).resolve().parents[2] / "resources" / "rules"


def duty(period: str, min_count: int = 1, applies_to: str = "county", kind: str = "k") -> Duty:
    return parse_duties(
        [
            {
                "kind": kind,
                "label": "测试职责",
                "applies_to": applies_to,
                "body": "县委常委会" if applies_to == "county" else None,
                "period": period,
                "min_count": min_count,
                "rule": "R-RC-04",
                "citation": "第四条",
            }
        ]
    )[0]


COUNTY = [Subject("county", "县委常委会")]


# --- periods ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), PeriodKind.YEAR),
        ("2026H1", date(2026, 1, 1), date(2026, 6, 30), PeriodKind.HALF_YEAR),
        ("2026h2", date(2026, 7, 1), date(2026, 12, 31), PeriodKind.HALF_YEAR),
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31), PeriodKind.QUARTER),
        ("2026Q2", date(2026, 4, 1), date(2026, 6, 30), PeriodKind.QUARTER),
        ("2026Q3", date(2026, 7, 1), date(2026, 9, 30), PeriodKind.QUARTER),
        ("2026Q4", date(2026, 10, 1), date(2026, 12, 31), PeriodKind.QUARTER),
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31), PeriodKind.MONTH),
        ("2026-2", date(2026, 2, 1), date(2026, 2, 28), PeriodKind.MONTH),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), PeriodKind.MONTH),  # leap year
        ("2026-02-H2", date(2026, 2, 16), date(2026, 2, 28), PeriodKind.HALF_MONTH),
    ],
)
def test_parse_period(text: str, start: date, end: date, kind: PeriodKind) -> None:
    span = parse_period(text)
    assert (span.start, span.end, span.kind) == (start, end, kind)


@pytest.mark.parametrize("text", ["", "26", "2026Q5", "2026Q0", "2026H3", "2026-13", "2026-00", "1999", "2026-3-H3"])
def test_bad_periods_are_refused_in_chinese(text: str) -> None:
    with pytest.raises(DomainError) as exc:
        parse_period(text)
    assert "期间" in exc.value.message and exc.value.field == "period"


def test_labels() -> None:
    assert parse_period("2026Q3").label == "2026年第三季度"
    assert parse_period("2026H1").label == "2026年上半年"
    assert parse_period("2026-03").label == "2026年3月"
    assert span_containing(PeriodKind.HALF_MONTH, date(2026, 2, 20)).label == "2026年2月下半月（16—28日）"


# --- half months --------------------------------------------------------------------------------------------------


def test_half_month_cut_is_between_the_15th_and_the_16th() -> None:
    first = span_containing(PeriodKind.HALF_MONTH, date(2026, 3, 15))
    second = span_containing(PeriodKind.HALF_MONTH, date(2026, 3, 16))
    assert (first.start, first.end, first.code) == (date(2026, 3, 1), date(2026, 3, 15), "2026-03-H1")
    assert (second.start, second.end, second.code) == (date(2026, 3, 16), date(2026, 3, 31), "2026-03-H2")


@pytest.mark.parametrize(("year", "last"), [(2026, 28), (2024, 29), (2100, 28), (2000, 29)])
def test_second_half_of_february_ends_on_its_last_day(year: int, last: int) -> None:
    span = span_containing(PeriodKind.HALF_MONTH, date(year, 2, 16))
    assert span.end == date(year, 2, last)
    assert [s.code for s in slots_of(PeriodKind.HALF_MONTH, parse_period(f"{year}-02"))] == [
        f"{year}-02-H1",
        f"{year}-02-H2",
    ]


def test_half_month_duty_over_a_quarter_and_a_year() -> None:
    q = slots_of(PeriodKind.HALF_MONTH, parse_period("2026Q1"))
    assert len(q) == 6 and q[0].start == date(2026, 1, 1) and q[-1].end == date(2026, 3, 31)
    assert all((b.start - a.end).days == 1 for a, b in pairwise(q))  # no gap, no overlap
    assert len(slots_of(PeriodKind.HALF_MONTH, parse_period("2026"))) == 24


# --- slots of finer and coarser duties ----------------------------------------------------------------------------


def test_finer_duty_is_split_into_slots() -> None:
    assert [s.code for s in slots_of(PeriodKind.MONTH, parse_period("2026Q2"))] == ["2026-04", "2026-05", "2026-06"]
    assert [s.code for s in slots_of(PeriodKind.QUARTER, parse_period("2026H2"))] == ["2026Q3", "2026Q4"]
    assert [s.code for s in slots_of(PeriodKind.QUARTER, parse_period("2026"))] == [f"2026Q{q}" for q in range(1, 5)]
    assert [s.code for s in slots_of(PeriodKind.HALF_YEAR, parse_period("2026"))] == ["2026H1", "2026H2"]


def test_coarser_duty_gets_the_slot_containing_the_period() -> None:
    assert [s.code for s in slots_of(PeriodKind.YEAR, parse_period("2026Q3"))] == ["2026"]
    assert [s.code for s in slots_of(PeriodKind.QUARTER, parse_period("2026-06"))] == ["2026Q2"]
    assert [s.code for s in slots_of(PeriodKind.HALF_YEAR, parse_period("2026Q3"))] == ["2026H2"]
    assert [s.code for s in slots_of(PeriodKind.HALF_YEAR, parse_period("2026-06"))] == ["2026H1"]
    assert [s.code for s in slots_of(PeriodKind.MONTH, parse_period("2026-06"))] == ["2026-06"]


def test_quarter_and_half_year_edges() -> None:
    assert span_containing(PeriodKind.QUARTER, date(2026, 3, 31)).code == "2026Q1"
    assert span_containing(PeriodKind.QUARTER, date(2026, 4, 1)).code == "2026Q2"
    assert span_containing(PeriodKind.QUARTER, date(2026, 12, 31)).end == date(2026, 12, 31)
    assert span_containing(PeriodKind.HALF_YEAR, date(2026, 6, 30)).code == "2026H1"
    assert span_containing(PeriodKind.HALF_YEAR, date(2026, 7, 1)).code == "2026H2"


# --- status -------------------------------------------------------------------------------------------------------


def test_slot_status_against_today() -> None:
    march = parse_period("2026-03")
    assert slot_status(march, 0, 1, date(2026, 2, 28)) is SlotStatus.NOT_STARTED
    assert slot_status(march, 0, 1, date(2026, 3, 1)) is SlotStatus.OPEN
    assert slot_status(march, 0, 1, date(2026, 3, 31)) is SlotStatus.OPEN  # the last day still counts
    assert slot_status(march, 0, 1, date(2026, 4, 1)) is SlotStatus.MISSED
    assert slot_status(march, 1, 1, date(2026, 3, 10)) is SlotStatus.MET  # met before the slot ends
    assert slot_status(march, 1, 2, date(2026, 4, 1)) is SlotStatus.MISSED
    assert SlotStatus.MET.light == "green" and SlotStatus.MISSED.light == "red" and SlotStatus.OPEN.light == "grey"


def test_today_inside_a_slot() -> None:
    """A monthly duty over Q1 seen on 2026-02-20: January missed, February open, March not started."""
    d = duty("month", applies_to="county")
    events = [DutyEvent("k", date(2026, 1, 31), "other", 1)]  # another subject's record does not count
    [row] = duty_compliance(d, COUNTY, events, parse_period("2026Q1"), date(2026, 2, 20))
    assert [s.status for s in row.slots] == [SlotStatus.MISSED, SlotStatus.OPEN, SlotStatus.NOT_STARTED]
    assert row.status is SlotStatus.MISSED
    assert row.missing() == ["2026年1月缺1次（应至少1次，实0次）", "2026年2月尚需1次（截至2026-02-28）"]


def test_year_duty_seen_from_a_quarter_counts_the_whole_year() -> None:
    """S0 art 4 (lishui): the standing committee hears petition work at least twice a year (R-RC-04)."""
    d = duty("year", 2)
    events = [DutyEvent("k", date(2026, 2, 10), "county", 1), DutyEvent("k", date(2026, 8, 3), "county", 2)]
    [q1] = duty_compliance(d, COUNTY, events[:1], parse_period("2026Q1"), date(2026, 3, 31))
    assert [s.slot.code for s in q1.slots] == ["2026"]
    assert q1.status is SlotStatus.OPEN and q1.done == 1
    assert q1.missing() == ["2026年尚需1次（截至2026-12-31）"]
    [q4] = duty_compliance(d, COUNTY, events, parse_period("2026Q4"), date(2026, 11, 1))
    assert q4.status is SlotStatus.MET and q4.slots[0].record_ids == (1, 2)
    [late] = duty_compliance(d, COUNTY, events[:1], parse_period("2026Q4"), date(2027, 1, 1))
    assert late.status is SlotStatus.MISSED and late.missing() == ["2026年缺1次（应至少2次，实1次）"]
    # A record of the year before does not count.
    [other] = duty_compliance(d, COUNTY, [DutyEvent("k", date(2025, 12, 31), "county", 3)], parse_period("2026"),
                              date(2026, 6, 1))  # fmt: skip
    assert other.done == 0


def test_half_month_records_on_the_15th_and_16th_fall_in_different_slots() -> None:
    d = duty("half_month", applies_to="townships")
    town = [Subject("township:331221101", "东湖镇")]
    events = [DutyEvent("k", date(2026, 2, 15), town[0].key, 1), DutyEvent("k", date(2026, 2, 16), town[0].key, 2)]
    [row] = duty_compliance(d, town, events, parse_period("2026-02"), date(2026, 3, 1))
    assert [s.record_ids for s in row.slots] == [(1,), (2,)]
    assert row.status is SlotStatus.MET
    [only_15th] = duty_compliance(d, town, events[:1], parse_period("2026-02"), date(2026, 2, 28))
    assert [s.status for s in only_15th.slots] == [SlotStatus.MET, SlotStatus.OPEN]
    assert only_15th.status is SlotStatus.OPEN
    [leap] = duty_compliance(d, town, [], parse_period("2024-02"), date(2024, 3, 1))
    assert leap.missing()[-1] == "2024年2月下半月（16—29日）缺1次（应至少1次，实0次）"


def test_each_subject_has_its_own_row_and_summary() -> None:
    d = duty("month", applies_to="units")
    units = [Subject("unit:1", "县民政局"), Subject("unit:2", "县教育局")]
    events = [DutyEvent("k", date(2026, 3, 5), "unit:1", 1), DutyEvent("other", date(2026, 3, 5), "unit:2", 2)]
    rows = duty_compliance(d, units, events, parse_period("2026-03"), date(2026, 4, 2))
    assert [(r.subject.name, r.status) for r in rows] == [("县民政局", SlotStatus.MET), ("县教育局", SlotStatus.MISSED)]
    assert summarise(rows) == {"met": 1, "missed": 1, "open": 0, "not_started": 0}
    [future] = duty_compliance(d, units[:1], [], parse_period("2026-05"), date(2026, 4, 2))
    assert future.status is SlotStatus.NOT_STARTED and future.missing() == []
    json_row = rows[1].to_json()
    assert json_row["light"] == "red" and json_row["status_label"] == "未达标" and json_row["slots"][0]["short"] == 1


def test_visits_count_only_at_the_contact_points_of_their_year() -> None:
    """R-RC-06: a visit counts at a contact point of the visit's year; elsewhere it is named and left out; a year
    without contact points counts its visits unchecked and says so. Across the new year the points change."""
    [d] = parse_duties(
        [
            {
                "kind": "visit",
                "label": "领导到联系单位督导",
                "applies_to": "leaders",
                "leader_level": "county",
                "place": "contact_point",
                "period": "quarter",
                "min_count": 1,
                "rule": "R-RC-06",
                "citation": "第三条",
            }
        ]
    )
    assert d.requirement() == "每季度至少到联系点1次"
    leader = [Subject("leader:7", "李县长")]
    points = {"leader:7": {2025: frozenset({"township:1"}), 2026: frozenset({"unit:3"})}}
    events = [
        DutyEvent("visit", date(2025, 12, 30), "leader:7", 1, "township:1", "东湖镇"),  # 2025's point
        DutyEvent("visit", date(2026, 1, 5), "leader:7", 2, "township:1", "东湖镇"),  # no longer in 2026
        DutyEvent("visit", date(2026, 2, 5), "leader:7", 3, None, None),  # no place named
    ]
    [q4] = duty_compliance(d, leader, events, parse_period("2025Q4"), date(2026, 4, 1), points)
    assert q4.status is SlotStatus.MET and q4.notes == () and q4.excluded == ()
    [q1] = duty_compliance(d, leader, events, parse_period("2026Q1"), date(2026, 4, 1), points)
    assert q1.status is SlotStatus.MISSED and q1.excluded == (2, 3)
    assert q1.notes == ("2026-01-05 所到“东湖镇”不是联系点，不计入", "2026-02-05 未填写所到单位，不计入")
    events.append(DutyEvent("visit", date(2026, 3, 9), "leader:7", 4, "unit:3", "县民政局"))
    [q1] = duty_compliance(d, leader, events, parse_period("2026Q1"), date(2026, 4, 1), points)
    assert q1.status is SlotStatus.MET and q1.slots[0].record_ids == (4,)
    [unchecked] = duty_compliance(d, leader, events, parse_period("2026Q1"), date(2026, 4, 1), {})
    assert unchecked.done == 3 and unchecked.notes == ("未登记2026年联系点，所到单位未核对",)
    assert unchecked.to_json()["notes"] == ["未登记2026年联系点，所到单位未核对"]


# --- the profile section ------------------------------------------------------------------------------------------


def test_parse_errors_are_chinese() -> None:
    base = {
        "kind": "x",
        "label": "x",
        "applies_to": "units",
        "period": "month",
        "min_count": 1,
        "rule": "R",
        "citation": "c",
    }
    for change, word in [
        ({"period": "week"}, "period"),
        ({"applies_to": "city"}, "applies_to"),
        ({"min_count": 0}, "min_count"),
        ({"extra": 1}, "未知字段"),
        ({"applies_to": "county"}, "body"),
        ({"leader_level": "county"}, "leader_level"),
        ({"kind": "Bad Kind"}, "类型"),
        ({"place": "contact_point"}, "place"),  # only a leader duty has a place rule
        ({"applies_to": "leaders", "place": "anywhere"}, "place"),
    ]:
        with pytest.raises(DomainError) as exc:
            parse_duties([{**base, **change}])
        assert word in exc.value.message, change
    with pytest.raises(DomainError, match="重复"):
        parse_duties([base, base])
    with pytest.raises(DomainError, match="列表"):
        parse_duties({"kind": "x"})
    assert parse_duties(None) == ()


@pytest.mark.parametrize("profile", ["national", "lishui", "chongqing"])
def test_shipped_profiles_parse(profile: str) -> None:
    data = json.loads((RULES / f"{profile}.json").read_text(encoding="utf-8"))
    duties = parse_duties(data["duties"])
    assert duties
    assert all(d.rule.startswith("R-RC-0") and d.citation for d in duties)


def test_national_and_lishui_duties() -> None:
    national = parse_duties(json.loads((RULES / "national.json").read_text(encoding="utf-8"))["duties"])
    screening = {d.kind: (d.applies_to, d.period) for d in national if d.rule == "R-RC-03"}
    assert screening == {  # S4 §14: county and units monthly, township every half month
        "dispute_screening": (AppliesTo.COUNTY, PeriodKind.MONTH),
        "dispute_screening_unit": (AppliesTo.UNITS, PeriodKind.MONTH),
        "dispute_screening_township": (AppliesTo.TOWNSHIPS, PeriodKind.HALF_MONTH),
    }
    lishui = parse_duties(json.loads((RULES / "lishui.json").read_text(encoding="utf-8"))["duties"])
    hearing = find_duty(lishui, "committee_hearing")
    assert (hearing.period, hearing.min_count, hearing.requirement()) == (PeriodKind.YEAR, 2, "每年至少2次")
    assert find_duty(lishui, "topic_report").period is PeriodKind.QUARTER  # S0 art 4
    assert find_duty(lishui, "joint_inspection").period is PeriodKind.YEAR  # S0 art 12
    assert find_duty(lishui, "重要信访事项和信访突出问题联合督查").kind == "joint_inspection"
    with pytest.raises(DomainError, match="没有职责"):
        find_duty(lishui, "nothing")
