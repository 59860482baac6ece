"""The assessment counts in SQL (R-AS-01): a hand-built ledger whose numbers are worked out below, a demo ledger
checked against a brute-force count over its rows, and the pinned SQLite plans (no walk of the whole ledger)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from tests.persistence.assessment_ledger import CHENGGUAN, DONGHU, TODAY, UNIT_A, UNIT_B, build_ledger
from xinfang_desktop.core.assessment import AssessmentCounts, AssessmentPeriod, Grouping, rates, total_counts
from xinfang_desktop.persistence.assessment_queries import (
    ACCEPTANCE_RULES,
    HANDLING_RULES,
    _backlog_counts,
    _case_counts,
    _clock_counts,
    _group_key,
    _visit_counts,
    assessment_counts,
)
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.demo_data import generate_demo
from xinfang_desktop.persistence.warnings_store import tick_warnings

D = date.fromisoformat
HALF = AssessmentPeriod(D("2026-01-01"), TODAY)

# Worked out from the table in assessment_ledger.py (cases received in the first half of 2026: C1 C2 C3 C4 C5 C6 C9).
# Acceptance: C1, C3, C5, C9 met on time; C2 accepted after its 15 日; C6 never accepted and overdue; C4 still inside.
# Handling: C1, C9 on time; C3 on time thanks to the extension; C2 late; C5 still inside. Ratings of the 处理意见:
# C1 满意, C2 不满意, C3 基本满意, C9 未评价 (4 delivered). 初信初访 with an opinion: C1, C2, C3, C9; at once: C1 and
# C9 (C2 asked for 复查, C3 came again). Visits in the period: C1 来县 1 人, C7 来市 3 人 (越级), C3 来县 2 人,
# C5 到省 6 人 (越级), C4 进京 1 人 (越级); C8's visit of 2025-12-15 is outside. Backlog: C8 (resolved 2026-02-12)
# and C7 (open).
A_COUNTS = AssessmentCounts(
    cases=2,  # C1 C2
    acceptance_due=2,
    acceptance_on_time=1,
    handling_due=2,
    handling_on_time=1,
    opinions_delivered=2,
    satisfied=1,
    dissatisfied=1,
    first_concluded=2,
    resolved_at_once=1,
    backlog_open=1,  # C7
    level_skipping_batches=1,
    level_skipping_persons=3,
    to_county_batches=1,
    to_county_persons=1,
    to_city_batches=1,
    to_city_persons=3,
)
B_COUNTS = AssessmentCounts(
    cases=4,  # C3 C4 C5 C9
    acceptance_due=3,  # C4 still inside its 15 日
    acceptance_on_time=3,
    handling_due=2,  # C3 C9; C5 still inside
    handling_on_time=2,
    opinions_delivered=2,
    basically_satisfied=1,
    not_rated=1,
    first_concluded=2,
    resolved_at_once=1,  # C9
    repeat_cases=1,  # C3
    backlog_open=1,  # C8
    backlog_resolved=1,
    level_skipping_batches=2,  # C5 到省, C4 进京
    level_skipping_persons=7,
    to_county_batches=1,
    to_county_persons=2,
    to_province_batches=1,
    to_province_persons=6,
    to_capital_batches=1,
    to_capital_persons=1,
)
NONE_COUNTS = AssessmentCounts(cases=1, acceptance_due=1)  # C6


@pytest.fixture
def ledger(db: Any) -> Any:
    build_ledger(db)
    return db


def _by_name(db: Any, period: AssessmentPeriod, grouping: Grouping) -> dict[str, AssessmentCounts]:
    with db.read_session() as s:
        return {g.name: g.counts for g in assessment_counts(s, period, grouping, today=TODAY)}


def test_counts_by_unit(ledger: Any) -> None:
    assert _by_name(ledger, HALF, Grouping.UNIT) == {UNIT_A: A_COUNTS, UNIT_B: B_COUNTS, "未指定责任单位": NONE_COUNTS}


def test_counts_for_the_county_and_its_rates(ledger: Any) -> None:
    got = _by_name(ledger, HALF, Grouping.COUNTY)
    assert got == {"全县": A_COUNTS + B_COUNTS + NONE_COUNTS}
    values = {r.definition.id: r.value for r in rates(got["全县"])}
    assert values == {
        "timely_acceptance": 66.7,  # 4 of 6
        "on_time_conclusion": 75.0,  # 3 of 4
        "satisfaction": 66.7,  # (满意 1 + 基本满意 1) of 参评 3
        "participation": 75.0,  # 参评 3 of 4 delivered (未评价 is not 参评)
        "resolved_at_once": 50.0,  # 2 of 4
        "backlog_resolution": 50.0,  # 1 of 2
        "repeat": 14.3,  # 1 of 7
    }


def test_counts_by_township(ledger: Any) -> None:
    got = _by_name(ledger, HALF, Grouping.TOWNSHIP)
    assert list(got) == ["城关街道", "东湖镇", "属地未明确到乡镇"]  # by code, the case without a township last
    chengguan = AssessmentCounts(  # C1 C4 C5 (+ C7's visit and backlog)
        cases=3,
        acceptance_due=2,
        acceptance_on_time=2,
        handling_due=1,
        handling_on_time=1,
        opinions_delivered=1,
        satisfied=1,
        first_concluded=1,
        resolved_at_once=1,
        backlog_open=1,
        level_skipping_batches=3,
        level_skipping_persons=10,
        to_county_batches=1,
        to_county_persons=1,
        to_city_batches=1,
        to_city_persons=3,
        to_province_batches=1,
        to_province_persons=6,
        to_capital_batches=1,
        to_capital_persons=1,
    )
    donghu = AssessmentCounts(  # C2 (a village of 东湖镇) C3 C9 (+ C8's backlog)
        cases=3,
        acceptance_due=3,
        acceptance_on_time=2,
        handling_due=3,
        handling_on_time=2,
        opinions_delivered=3,
        basically_satisfied=1,
        dissatisfied=1,
        not_rated=1,
        first_concluded=3,
        resolved_at_once=1,
        repeat_cases=1,
        backlog_open=1,
        backlog_resolved=1,
        to_county_batches=1,
        to_county_persons=2,
    )
    assert got == {"城关街道": chengguan, "东湖镇": donghu, "属地未明确到乡镇": NONE_COUNTS}
    with ledger.read_session() as s:
        keys = [g.key for g in assessment_counts(s, HALF, Grouping.TOWNSHIP, today=TODAY)]
    assert keys == [CHENGGUAN, DONGHU, None]


def test_a_later_period_leaves_out_what_came_before_it(ledger: Any) -> None:
    spring = AssessmentPeriod(D("2026-04-01"), TODAY)  # C5 C4 only; C8's backlog was resolved before it
    got = _by_name(ledger, spring, Grouping.UNIT)
    assert got == {
        UNIT_A: AssessmentCounts(backlog_open=1),  # C7, still unresolved; no case received, no visit
        UNIT_B: AssessmentCounts(
            cases=2,
            acceptance_due=1,
            acceptance_on_time=1,
            level_skipping_batches=2,
            level_skipping_persons=7,
            to_county_batches=1,  # C3's visit of 04-01 (the case itself was received in March)
            to_county_persons=2,
            to_province_batches=1,
            to_province_persons=6,
            to_capital_batches=1,
            to_capital_persons=1,
        ),
    }
    empty = AssessmentPeriod(D("2024-01-01"), D("2024-12-31"))
    assert _by_name(ledger, empty, Grouping.UNIT) == {}
    assert _by_name(ledger, empty, Grouping.COUNTY) == {"全县": AssessmentCounts()}


def test_an_empty_database_counts_nothing(db: Any) -> None:
    for grouping in (Grouping.UNIT, Grouping.TOWNSHIP):
        assert _by_name(db, HALF, grouping) == {}
    assert _by_name(db, HALF, Grouping.COUNTY) == {"全县": AssessmentCounts()}


# --- the demo ledger against a brute-force count ----------------------------------------------------------------

DEMO_TODAY = D("2026-11-22")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = open_database(tmp_path_factory.mktemp("assessment") / "demo.sqlite3")
    generate_demo(db, 1500, 7, today=DEMO_TODAY, parallel=False)
    tick_warnings(db, today=DEMO_TODAY)  # the backlog ledger from the demo's missed clocks and repeat visits
    yield db
    db.dispose()


def _brute_force(db: Any, period: AssessmentPeriod, grouping: Grouping) -> dict[str | None, AssessmentCounts]:
    """Every count from plain rows, in Python, following core/assessment.py's definitions."""
    with db.engine.connect() as conn:
        cases = {r.id: r for r in conn.execute(text("SELECT * FROM cases"))}
        events = conn.execute(text("SELECT case_id, action, details FROM case_events")).all()
        clocks = conn.execute(text("SELECT case_id, rule_id, due_on, met_on FROM case_deadlines")).all()
        visits = conn.execute(text("SELECT * FROM submissions WHERE channel = 'visit'")).all()
        backlog = conn.execute(text("SELECT case_id, detected_on, resolved_on FROM backlog_cases")).all()

    def day(value: Any) -> date | None:
        return None if value is None else D(str(value)[:10])

    def key(case: Any) -> str | None:
        if grouping is Grouping.UNIT:
            return None if case.responsible_unit_id is None else str(case.responsible_unit_id)
        if grouping is Grouping.TOWNSHIP:
            code = case.locality_code
            return code[:9] if code and len(code) >= 9 else None
        return ""

    def inside(value: Any) -> bool:
        d = day(value)
        return d is not None and period.start <= d <= period.end

    out: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cohort = {i: c for i, c in cases.items() if inside(c.received_on)}
    by_case: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for case_id, action, details in events:
        if case_id in cohort:
            by_case[case_id].append((action, json.loads(details) if details else {}))
    for i, case in cohort.items():
        n = out[key(case)]
        actions = [a for a, _ in by_case[i]]
        n["cases"] += 1
        n["repeat_cases"] += bool(case.is_repeat)
        n["imported"] += "import" in actions
        for action, details in by_case[i]:
            if action == "deliver" and details.get("stage") == "opinion":
                n["opinions_delivered"] += 1
            if action == "rate" and details.get("stage") == "opinion":
                field = {"满意": "satisfied", "基本满意": "basically_satisfied", "不满意": "dissatisfied"}
                n[field.get(details["rating"], "not_rated")] += 1
        concluded = "conclude" in actions or "simplified_conclude" in actions
        if case.is_first_submission and concluded:
            n["first_concluded"] += 1
            n["resolved_at_once"] += not case.is_repeat and "request_review" not in actions
    per_case: dict[tuple[int, str], list[tuple[date, date | None]]] = defaultdict(list)
    for case_id, rule, due, met in clocks:
        kind = "acceptance" if rule in ACCEPTANCE_RULES else "handling" if rule in HANDLING_RULES else None
        if case_id in cohort and kind:
            per_case[(case_id, kind)].append((day(due), day(met)))  # type: ignore[arg-type]
    for (case_id, kind), items in per_case.items():
        late = any((m is not None and m > d) or (m is None and d < DEMO_TODAY) for d, m in items)
        pending = any(m is None and d >= DEMO_TODAY for d, m in items)
        n = out[key(cohort[case_id])]
        n[f"{kind}_due"] += late or not pending
        n[f"{kind}_on_time"] += not late and not pending
    for v in visits:
        if inside(v.received_on):
            n = out[key(cases[v.case_id])]
            if v.is_level_skipping:
                n["level_skipping_batches"] += 1
                n["level_skipping_persons"] += v.headcount
            if v.destination:
                n[f"{v.destination}_batches"] += 1
                n[f"{v.destination}_persons"] += v.headcount
    for case_id, detected, resolved in backlog:
        on_books = day(detected) <= period.end and (resolved is None or day(resolved) >= period.start)
        if on_books:
            n = out[key(cases[case_id])]
            n["backlog_open"] += 1
            n["backlog_resolved"] += resolved is not None and day(resolved) <= period.end
    return {k: AssessmentCounts(**v) for k, v in out.items() if any(v.values())}


@pytest.mark.parametrize("grouping", list(Grouping))
@pytest.mark.parametrize(
    "period",
    [AssessmentPeriod(D("2016-01-01"), DEMO_TODAY), AssessmentPeriod(D("2025-11-23"), DEMO_TODAY)],
    ids=["ten-years", "last-year"],
)
def test_demo_counts_equal_a_brute_force_count(demo_db: Any, grouping: Grouping, period: AssessmentPeriod) -> None:
    with demo_db.read_session() as s:
        got = {g.key: g.counts for g in assessment_counts(s, period, grouping, today=DEMO_TODAY)}
    expected = _brute_force(demo_db, period, grouping)
    if grouping is Grouping.COUNTY:
        expected = {"": total_counts(expected.values())}
    assert got == expected
    total = total_counts(got.values())
    # The demo really exercises every count (so the comparison is not one of zeros).
    assert total.cases and total.acceptance_due and total.handling_due and total.opinions_delivered
    assert total.first_concluded and total.repeat_cases and total.to_county_batches and total.level_skipping_batches


def test_the_demo_has_backlog_cases_and_imported_history(demo_db: Any) -> None:
    with demo_db.read_session() as s:
        [county] = assessment_counts(
            s, AssessmentPeriod(D("2016-01-01"), DEMO_TODAY), Grouping.COUNTY, today=DEMO_TODAY
        )
    assert county.counts.backlog_open > 0 and county.counts.imported > 0


# --- pinned plans -----------------------------------------------------------------------------------------------


def _plan(db: Any, stmt: Any) -> list[str]:
    with db.read_session() as s:
        sql = str(stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
        return [row[-1] for row in s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]


@pytest.mark.parametrize("grouping", list(Grouping))
def test_every_statement_starts_from_an_indexed_range(demo_db: Any, grouping: Grouping) -> None:
    """After ANALYZE, too: the cohort through ix_cases_received, visits through ix_submissions_received, the backlog
    from its own small table; never a SCAN of cases or of the events (performance.md: the planner can be 38x off)."""
    with demo_db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    period = AssessmentPeriod(D("2026-01-01"), DEMO_TODAY)
    key = _group_key(grouping)
    with demo_db.read_session() as s:
        statements = {
            "cases": _case_counts(s, period, key),
            "clocks": _clock_counts(period, DEMO_TODAY, key),
            "visits": _visit_counts(period, key),
            "backlog": _backlog_counts(period, key),
        }
    plans = {name: _plan(demo_db, stmt) for name, stmt in statements.items()}
    for name in ("cases", "clocks"):  # the received range of ix_cases_received (or its unit twin), covering or not
        assert any(step.startswith("SEARCH cases USING") and "received_on>?" in step for step in plans[name]), plans
    assert any("ix_submissions_received" in step for step in plans["visits"])
    assert any(step.startswith("SCAN backlog_cases") for step in plans["backlog"])
    for name, plan in plans.items():
        assert not any(step.startswith(("SCAN cases", "SCAN case_events", "SCAN case_deadlines")) for step in plan), (
            name,
            plan,
        )
