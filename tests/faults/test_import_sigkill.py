"""Issue 17, Done means: 50 random SIGKILLs during a 10,000-case import leave 0 partial writes.

`xinfang case import` of 10,000 cases (one transaction, audited) runs in a subprocess on a copy of a 20-case ledger
and is killed with SIGKILL at a random moment — half of them anywhere in its run, half in its last 40 %, where the
transaction writes and commits. Each time the database, once reopened (SQLite recovers the WAL as the application
would), must pass PRAGMA integrity_check and be either exactly as before (every row of every table, and the audit key
file beside it, unchanged) or hold all 10,000 new cases with `xinfang db check` reporting the file's integrity,
statuses, archive and audit chain ok. Each command is forked from a warm process (tests/faults/forker.py: a real
process of its own, without Python's start every time); two attempts run at once; five rounds of ten kills
(marked slow). The seed is printed; XINFANG_FAULT_SEED repeats a run.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.faults.support import (
    BASE_CASES,
    IMPORT_CASES,
    TODAY,
    Ledger,
    content_hash,
    db_check,
    env,
    integrity_and_count,
    make_ledger,
    write_sections_ok,
)

KILLS = 50
ROUNDS = 5
WORKERS = 2

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


class Forker:
    """tests/faults/forker.py in a subprocess: forks one warm `xinfang` command per attempt."""

    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("forker.py"))],
            env=env(data_dir),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout

    def run(self, args: list[str], kill_after: float | None) -> int | None:
        """The command's exit code, or None when it was killed (SIGKILL after `kill_after` seconds)."""
        self.stdin.write(json.dumps(args) + "\n")
        pid = json.loads(self.stdout.readline())["pid"]
        if kill_after is not None and not select.select([self.stdout], [], [], kill_after)[0]:
            os.kill(pid, signal.SIGKILL)
        status = json.loads(self.stdout.readline())["status"]
        if os.WIFSIGNALED(status):
            assert os.WTERMSIG(status) == signal.SIGKILL
            return None
        return os.WEXITSTATUS(status)

    def close(self) -> None:
        self.stdin.close()
        self.process.wait(timeout=30)
        self.stdout.close()


def _import_args(ledger: Ledger, db: Path) -> list[str]:
    return ["case", "import", str(ledger.imports), "--db", str(db), "--today", TODAY, "--json"]


def _attempt(forker: Forker, ledger: Ledger, folder: Path, data_dir: Path, delay: float) -> tuple[str, int | None]:
    """One import killed after `delay` seconds: ('before' | 'imported', the exit code if it ended first)."""
    db = ledger.copy_to(folder)
    ended = forker.run(_import_args(ledger, db), delay)
    try:
        integrity, count = integrity_and_count(db)
        assert integrity == "ok", (folder, integrity)
        if count == BASE_CASES:
            assert content_hash(db) == ledger.content, f"{folder}: the cases are as before but another row changed"
            assert (folder / "ledger.sqlite3.audit-key").read_bytes() == ledger.key
            assert ended is None, f"{folder}: the import ended ({ended}) without importing"
            return "before", ended
        assert count == BASE_CASES + IMPORT_CASES, f"{folder}: a partial write, {count} cases"
        report = db_check(db, data_dir)
        assert write_sections_ok(report), (folder, report)
        return "imported", ended
    finally:
        shutil.rmtree(folder)  # keep the disk small


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, Path, float]:
    """The 20-case ledger, and how long one whole import takes here (its result checked as "fully imported")."""
    root = tmp_path_factory.mktemp("sigkill")
    data_dir = root / "data"
    ledger = make_ledger(root / "base", data_dir)
    forker = Forker(data_dir)
    try:
        reference = ledger.copy_to(root / "reference")
        started = time.perf_counter()
        assert forker.run(_import_args(ledger, reference), None) == 0
        duration = time.perf_counter() - started
    finally:
        forker.close()
    assert integrity_and_count(reference) == ("ok", BASE_CASES + IMPORT_CASES)
    assert write_sections_ok(db_check(reference, data_dir))
    return ledger, data_dir, duration


SEED = int(os.environ.get("XINFANG_FAULT_SEED", random.randrange(1_000_000)))


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_sigkills_during_a_10000_case_import_leave_no_partial_write(
    prepared: tuple[Ledger, Path, float], tmp_path: Path, round_: int
) -> None:
    """KILLS // ROUNDS kills per round; the ROUNDS rounds make the issue's 50."""
    ledger, data_dir, duration = prepared
    rng = random.Random(SEED * 100 + round_)
    wanted = KILLS // ROUNDS
    forkers = [Forker(data_dir) for _ in range(WORKERS)]
    try:

        def worker(index: int) -> list[tuple[str, int | None]]:
            # The machine's speed changes under other load: an import that ended before its kill sets the estimate.
            estimate = duration
            done: list[tuple[str, int | None]] = []
            for i in range(index, wanted * 4, WORKERS):
                if sum(1 for _, ended in done if ended is None) >= wanted // WORKERS:
                    break
                delay = estimate * rng.uniform(0.0 if i % 4 < 2 else 0.6, 0.95)
                started = time.perf_counter()
                outcome = _attempt(forkers[index], ledger, tmp_path / f"attempt-{i:03d}", data_dir, delay)
                if outcome[1] is not None:
                    estimate = time.perf_counter() - started
                done.append(outcome)
            return done

        with ThreadPoolExecutor(WORKERS) as pool:
            outcomes = [o for done in pool.map(worker, range(WORKERS)) for o in done]
    finally:
        for forker in forkers:
            forker.close()
    kills = [kind for kind, ended in outcomes if ended is None]
    print(
        f"seed {SEED} round {round_}: import {duration:.2f} s, {len(kills)} kills ({kills.count('before')} as "
        f"before, {kills.count('imported')} after the commit), {len(outcomes) - len(kills)} imports ended first"
    )
    assert len(kills) >= wanted
    assert all(ended == 0 for _, ended in outcomes if ended is not None)
