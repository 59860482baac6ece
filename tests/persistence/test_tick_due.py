"""The daily tick on `cases.tick_due_on` gives the same results as the full replay (issue 19; R-DL-06…11, R-LC-01/06).

Random ledgers (hypothesis): a few cases, random legal actions, repeat visits and days passing, applied alike to two
databases; every day one runs `tick_all` (only the due cases) and the other `tick_all(full=True)` (every case with a
running clock or an open order, as before issue 19). The changes, the outcomes and every projection must agree.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from tests.core.lifecycle_support import VALID
from tests.helpers import sample_case
from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.lifecycle import ActionRequest, allowed_actions
from xinfang_desktop.persistence.case_intake import add_case, submit
from xinfang_desktop.persistence.database import Database, open_database
from xinfang_desktop.persistence.lifecycle_store import act, load_case, tick_all
from xinfang_desktop.persistence.records import CaseRecord
from xinfang_desktop.persistence.reference_data import seed_reference_data
from xinfang_desktop.persistence.units import add_unit

A = CaseAction
START = date(2024, 9, 2)
UNITS = ("县人社局", "县自然资源局", "城关镇人民政府", "县劳动人事争议仲裁委员会")
CASES = 4
MANUAL = (A.PROGRESS, A.SUPERVISE, A.URGE, A.DECLINE, A.REFUSE_AGAIN)
PROJECTIONS = (
    "SELECT number, status, due_on, awaiting, tick_due_on, responsible_unit_id, handler_id FROM cases ORDER BY id",
    "SELECT case_id, seq, action, occurred_on, from_status, to_status, reason, details, document FROM case_events "
    "ORDER BY case_id, seq",
    "SELECT case_id, rule_id, start_on, due_on, met_on, is_window, explanation FROM case_deadlines "
    "ORDER BY case_id, rule_id, start_on",
    "SELECT case_id, trigger, issued_on, due_on, closed_on, reminders FROM supervision_orders "
    "ORDER BY case_id, trigger",
)

op = st.tuples(
    st.integers(0, CASES - 1),  # which case
    st.integers(0, 99),  # which of the allowed actions
    st.sampled_from(["满意", "不满意", "未评价"]),  # a rating
    st.sampled_from(["维持", "责令重新作出"]),  # a 复查/复核 outcome
    st.integers(0, 9),  # 0: a repeat visit instead of an action
)
day = st.tuples(st.integers(0, 40), st.lists(op, max_size=4))


def _ledger(path: Path) -> tuple[Database, list[str]]:
    db = open_database(path)
    seed_reference_data(db)
    for name in UNITS:
        add_unit(db, name)
    numbers = [
        add_case(db, sample_case(received_on=START.isoformat()), today=START).registered.number for _ in range(CASES)
    ]
    return db, numbers


def _do(db: Database, number: str, today: date, choice: tuple[int, int, str, str, int]) -> Any:
    _, pick, rating, outcome, kind = choice
    if kind == 0:
        return submit(db, number, {"channel": "visit", "received_on": today.isoformat(), "level": "县"}, today=today)
    with db.read_session() as s:
        allowed = allowed_actions(load_case(s, number).state)
    preferred = [a for a in allowed if a not in MANUAL] or allowed
    if not preferred:
        return None
    action = preferred[pick % len(preferred)]
    params = dict(VALID[action])
    if action is A.RATE:
        params["rating"] = rating
    if action in (A.REVIEW_DECISION, A.FINAL_REVIEW_DECISION):
        params["outcome"] = outcome
    try:
        return act(db, number, ActionRequest(action, today, **params), today=today).to_json()
    except DomainError as err:
        return ("refused", err.message)


def _projections(db: Database) -> list[list[Any]]:
    with db.engine.connect() as conn:
        return [[tuple(r) for r in conn.execute(text(q))] for q in PROJECTIONS]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(days=st.lists(day, min_size=3, max_size=10))
def test_tick_on_due_cases_equals_the_full_replay(days: list[tuple[int, list[tuple[int, int, str, str, int]]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        due_db, numbers = _ledger(Path(tmp) / "due.sqlite3")
        full_db, _ = _ledger(Path(tmp) / "full.sqlite3")
        try:
            today = START
            for gap, ops in days:
                today += timedelta(days=gap)
                for choice in ops:
                    number = numbers[choice[0]]
                    assert _outcome(_do(due_db, number, today, choice)) == _outcome(_do(full_db, number, today, choice))
                by_due, by_full = tick_all(due_db, today=today), tick_all(full_db, today=today, full=True)
                assert by_due["cases"] == by_full["cases"] and by_due["examined"] <= by_full["examined"]
                assert tick_all(due_db, today=today)["changed"] == 0  # a second run finds nothing
                assert _projections(due_db) == _projections(full_db)
            with due_db.read_session() as s:
                stored = {n: d for n, d in s.execute(select(CaseRecord.number, CaseRecord.tick_due_on))}
            tick_all(due_db, today=today, full=True)  # the verification mode also repairs the column: nothing to repair
            with due_db.read_session() as s:
                assert {n: d for n, d in s.execute(select(CaseRecord.number, CaseRecord.tick_due_on))} == stored
        finally:
            due_db.dispose()
            full_db.dispose()


def _outcome(result: Any) -> Any:
    """What must agree between the two databases (a submission's result carries its generated ids)."""
    if result is None or isinstance(result, dict | tuple):
        return result
    return type(result).__name__


def _migration_0013() -> Any:
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "db" / "versions" / "0013_tick_due.py"
    spec = importlib.util.spec_from_file_location("migration_0013", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_backfill_is_never_later_than_next_due_and_the_tick_then_agrees(tmp_path: Path) -> None:
    """0013's set-based backfill: exact for clocks, windows, half periods and 催办, early elsewhere — never late."""
    db, numbers = _ledger(tmp_path / "ledger.sqlite3")
    plans = [
        [(A.ACCEPT, 1)],  # half-period 督办 ahead, then R-DL-06
        [(A.ACCEPT, 1), (A.PROGRESS, 3), (A.CONCLUDE, 20), (A.DELIVER, 22), (A.RATE, 23)],  # R-DL-08 window, rated
        [(A.ACCEPT, 1), (A.SUPERVISE, 5)],  # an open order: 催办 after its due date
        [(A.DECLINE, 2)],  # final: never due
    ]
    for number, plan in zip(numbers, plans, strict=True):
        for action, offset in plan:
            params = {**VALID[action], **({"rating": "不满意"} if action is A.RATE else {})}
            on = START + timedelta(days=offset)
            act(db, number, ActionRequest(action, on, **params), today=on)
    with db.engine.connect() as conn:
        exact = {n: d for n, d in conn.execute(text("SELECT number, tick_due_on FROM cases"))}
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET tick_due_on = NULL"))
        _migration_0013()._backfill(conn)
    with db.engine.connect() as conn:
        backfilled = {n: d for n, d in conn.execute(text("SELECT number, tick_due_on FROM cases"))}
    for number, value in exact.items():
        if value is None:
            assert backfilled[number] is None or number == numbers[1], number  # the rating: examined once
        else:
            assert backfilled[number] is not None and backfilled[number] <= value, number
    assert backfilled[numbers[0]] == exact[numbers[0]] and backfilled[numbers[2]] == exact[numbers[2]]
    today = START + timedelta(days=200)
    full_db, _ = _ledger(tmp_path / "full.sqlite3")
    for number, plan in zip(numbers, plans, strict=True):
        for action, offset in plan:
            params = {**VALID[action], **({"rating": "不满意"} if action is A.RATE else {})}
            on = START + timedelta(days=offset)
            act(full_db, number, ActionRequest(action, on, **params), today=on)
    assert tick_all(db, today=today)["cases"] == tick_all(full_db, today=today, full=True)["cases"]
    assert _projections(db) == _projections(full_db)
    db.dispose()
    full_db.dispose()
