"""Optimistic locking of cases (issue 17, 多台工作站): two clerks changing one case never lose an update.

The loser of a race gets `ConcurrentEditError` — a Chinese message naming who changed the case meanwhile and what
(the events recorded since its read) — and nothing of its attempt is written. On SQLite (writers serialised by BEGIN
IMMEDIATE) the race is the window's: clerk A read the case, clerk B acted, A acts on what A saw. On PostgreSQL two
transactions really interleave (both read, both write); `pg` tests force that with a barrier after the read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.core.actions import CaseAction
from xinfang_desktop.core.lifecycle import ActionRequest
from xinfang_desktop.persistence import case_intake, lifecycle_store
from xinfang_desktop.persistence.case_intake import add_case, submit
from xinfang_desktop.persistence.case_versions import CaseMark, mark_by_number
from xinfang_desktop.persistence.database import Database, open_database
from xinfang_desktop.persistence.errors import ConcurrentEditError
from xinfang_desktop.persistence.lifecycle_store import act, tick_all
from xinfang_desktop.persistence.records import CaseEventRecord, CaseRecord, SubmissionRecord
from xinfang_desktop.persistence.units import add_unit

TODAY = date(2026, 11, 23)
ACCEPT = ActionRequest(CaseAction.ACCEPT, TODAY, unit="县人社局")
PROGRESS = ActionRequest(CaseAction.PROGRESS, TODAY, reason="已约谈信访人", mode="事权单位见面")
FORWARD = ActionRequest(CaseAction.FORWARD, TODAY, unit="县自然资源局", number="县信转〔2026〕7号")


@pytest.fixture
def case(db: Database) -> str:
    for name in ("县人社局", "县自然资源局"):
        add_unit(db, name)
    return add_case(db, sample_case(), today=TODAY, user="zhangsan").registered.number


def _mark(db: Database, number: str) -> CaseMark:
    with db.read_session() as s:
        mark = mark_by_number(s, number)
    assert mark is not None
    return mark


def _events(db: Database, number: str) -> list[tuple[int, str]]:
    with db.read_session() as s:
        case_id = s.scalar(select(CaseRecord.id).where(CaseRecord.number == number))
        rows = s.execute(
            select(CaseEventRecord.seq, CaseEventRecord.action)
            .where(CaseEventRecord.case_id == case_id)
            .order_by(CaseEventRecord.seq)
        )
        return [(int(seq), str(action)) for seq, action in rows]


def test_the_window_acting_on_what_it_read_is_refused_naming_the_other_clerk(db: Database, case: str) -> None:
    """SQLite and PostgreSQL: A read the case (the mark), B accepted it, A's 转送 on the old state is refused."""
    seen_by_a = _mark(db, case)
    act(db, case, ACCEPT, today=TODAY, user="lisi", expected=_mark(db, case))
    before = content_hash(db)
    with pytest.raises(ConcurrentEditError) as caught:
        act(db, case, FORWARD, today=TODAY, user="zhangsan", expected=seen_by_a)
    error = caught.value
    assert content_hash(db) == before  # nothing of A's attempt written (not even the audit entry)
    assert "已被他人修改" in error.message and "lisi" in error.message and "受理" in error.message
    assert "没有保存" in error.message
    assert [c["action"] for c in error.changes] == ["accept"]
    change = error.changes[0]
    assert change["login"] == "lisi" and change["to_status"] and change["workstation"]
    json = error.to_json()
    assert json["conflict"] == "concurrent_edit" and json["read_version"] == seen_by_a.version
    assert json["current_version"] > seen_by_a.version
    # Read again, A takes the step the new state allows.
    act(db, case, PROGRESS, today=TODAY, user="zhangsan", expected=_mark(db, case))
    assert [a for _, a in _events(db, case)] == ["register", "accept", "progress"]


def test_an_event_alone_moves_the_version(db: Database, case: str) -> None:
    """办理进展 changes no projected column; the version moves all the same, so a reader's mark sees it."""
    act(db, case, ACCEPT, today=TODAY, user="lisi")
    seen = _mark(db, case)
    act(db, case, PROGRESS, today=TODAY)
    assert _mark(db, case).version > seen.version
    with pytest.raises(ConcurrentEditError, match="办理进展"):
        act(db, case, ActionRequest(CaseAction.SUPERVISE, TODAY, reason="请加快办理"), today=TODAY, expected=seen)


def test_two_windows_acting_at_once_one_wins(db: Database, case: str) -> None:
    """Both clerks read the case, both press OK at the same moment: exactly one step is recorded."""
    seen = _mark(db, case)
    outcomes: dict[str, object] = {}
    start = threading.Barrier(2)

    def clerk(login: str, request: ActionRequest) -> None:
        start.wait()
        try:
            outcomes[login] = act(db, case, request, today=TODAY, user=login, expected=seen)
        except ConcurrentEditError as exc:
            outcomes[login] = exc

    threads = [threading.Thread(target=clerk, args=a) for a in (("lisi", ACCEPT), ("wangwu", FORWARD))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    errors = [o for o in outcomes.values() if isinstance(o, ConcurrentEditError)]
    assert len(outcomes) == 2 and len(errors) == 1
    assert len(_events(db, case)) == 2  # register + the winner's step


def _race_after_read(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Both transactions have read before either writes: `module.name` waits for the other thread first."""
    real: Callable[..., Any] = getattr(module, name)
    barrier = threading.Barrier(2, timeout=20)
    waited: set[int] = set()

    def waiting(*args: Any, **kwargs: Any) -> Any:
        me = threading.get_ident()
        if threading.current_thread() is not threading.main_thread() and me not in waited:
            waited.add(me)  # only the first read of each thread: a retry reads again without waiting
            barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)


def _two_threads(work: Callable[[str], object]) -> dict[str, object]:
    results: dict[str, object] = {}

    def run(login: str) -> None:
        try:
            results[login] = work(login)
        except Exception as exc:  # the test looks at what it was
            results[login] = exc

    threads = [threading.Thread(target=run, args=(login,)) for login in ("lisi", "wangwu")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_pg_interleaved_transactions_the_loser_gets_the_conflict(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL, no mark given (the CLI): both transactions read the case, then both write; before issue 17 the
    loser died with a raw IntegrityError (exit 1)."""
    db = _pg_db(pg_url)
    number = add_case(db, sample_case(), today=TODAY).registered.number
    _race_after_read(monkeypatch, lifecycle_store, "decide")
    results = _two_threads(lambda login: act(db, number, ACCEPT, today=TODAY, user=login))
    errors = [r for r in results.values() if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ConcurrentEditError), errors
    winner = next(login for login, r in results.items() if not isinstance(r, Exception))
    assert winner in errors[0].message and "受理" in errors[0].message
    assert [a for _, a in _events(db, number)] == ["register", "accept"]
    db.dispose()


def test_pg_cli_exit_2_with_the_changes(pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """`case act` losing the race exits 2 (the DomainError contract: nothing written) with the changes in its JSON."""
    import json

    db = _pg_db(pg_url)
    number = add_case(db, sample_case(), today=TODAY).registered.number
    real = lifecycle_store.decide

    def other_clerk_first(*args: Any, **kwargs: Any) -> Any:
        # The CLI's transaction has read the case; another workstation accepts it and commits before it writes.
        worker = threading.Thread(target=lambda: act(db, number, ACCEPT, today=TODAY, user="lisi"))
        monkeypatch.setattr(lifecycle_store, "decide", real)
        worker.start()
        worker.join(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(lifecycle_store, "decide", other_clerk_first)
    code = main(["case", "act", number, "forward", "--unit", "县自然资源局", "--db", pg_url, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2, out
    assert out["conflict"] == "concurrent_edit" and out["changes"][0]["login"] == "lisi"
    assert "lisi" in out["error"]
    assert [a for _, a in _events(db, number)] == ["register", "accept"]
    db.dispose()


def test_pg_two_workstations_ticking_at_once(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every workstation runs the day's tick when its window opens: the batch that lost is read again, and the
    overdue marks are written once."""
    db = _pg_db(pg_url)
    numbers = [add_case(db, sample_case(), today=TODAY).registered.number for _ in range(3)]
    for number in numbers:
        act(db, number, ACCEPT, today=TODAY)
    _race_after_read(monkeypatch, lifecycle_store, "_load_many")
    late = date(2027, 3, 1)
    results = _two_threads(lambda login: tick_all(db, today=late, user=login))
    assert not [r for r in results.values() if isinstance(r, Exception)], results
    changed = sorted(int(r["changed"]) for r in results.values())  # type: ignore[index]
    assert changed == [0, 3]
    for number in numbers:
        actions = [a for _, a in _events(db, number)]
        assert len(actions) == len(set(actions)), actions  # no step twice
    db.dispose()


def test_pg_two_visits_registered_at_once(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two windows registering a later visit onto one case at the same moment: one is registered, the other told."""
    db = _pg_db(pg_url)
    number = add_case(db, sample_case(), today=TODAY).registered.number
    _race_after_read(monkeypatch, case_intake, "register_submission")
    visit = {"channel": "visit", "received_on": TODAY.isoformat(), "level": "县"}
    results = _two_threads(lambda login: submit(db, number, visit, today=TODAY, user=login))
    errors = [r for r in results.values() if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ConcurrentEditError), errors
    assert "重复信访登记" in errors[0].message
    with db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(SubmissionRecord)) == 2
    db.dispose()


def _pg_db(url: str) -> Database:
    from xinfang_desktop.persistence.reference_data import seed_reference_data

    db = open_database(url)
    seed_reference_data(db)
    for name in ("县人社局", "县自然资源局"):
        add_unit(db, name)
    return db
