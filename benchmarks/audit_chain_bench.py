"""What the HMAC-SM3 audit chain (issue 17) costs per write, and what `audit verify` costs per entry.

    python benchmarks/audit_chain_bench.py [--cases 1000] [--runs 3] [--entries 100000] [--workdir /tmp/bench_audit]

1. `--cases` case registrations (`add_case`, one transaction each, as the intake window does), on a fresh SQLite
   database per run, with the chain and without it (the pre-issue-17 plain INSERT of the entries, patched in).
2. Appending one entry per transaction (a unit of work that only records one audit entry), chained and plain: the
   chain's own cost per entry (reading the tail, the MAC, the key file lookup).
3. The same appends inside one transaction (one flush per entry, one commit): the chain's CPU cost per entry without
   the commit's fsync, which dominates 1 and 2 and varies with the disk.
4. `verify_chain` over `--entries` entries written in batches of 1,000 (entries per second).

Prints medians over the runs (milliseconds) and the ratio chained / plain.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from xinfang_desktop.persistence import audit_log
from xinfang_desktop.persistence.audit_chain import verify_chain
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.database import Database, open_database
from xinfang_desktop.persistence.records import AuditEntryRecord
from xinfang_desktop.persistence.uow import unit_of_work

TODAY = date(2026, 11, 20)
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"


def intake(i: int) -> dict[str, Any]:
    return {
        "petitioner": {"name": f"{SURNAMES[i % len(SURNAMES)]}{'明华强丽'[i % 4]}{i}", "phone": f"139{i:08d}"},
        "channel": ("来访", "来信", "网上信访")[i % 3],
        "received_on": (TODAY - timedelta(days=i % 40)).isoformat(),
        "purpose": "求决",
        "summary": f"反映征地补偿款未足额发放的问题（第{i}件），要求依法处理。",
        "headcount": 1,
    }


@contextmanager
def plain_audit() -> Iterator[None]:
    """The audit log as before the chain: the pending entries inserted as they are, no MAC, no anchor."""
    original = audit_log.SqlAuditLog.flush

    def flush(self: audit_log.SqlAuditLog) -> None:
        if self._pending:
            self.session.execute(insert(AuditEntryRecord), self._pending)
            self._pending = []

    audit_log.SqlAuditLog.flush = flush  # type: ignore[method-assign]
    try:
        yield
    finally:
        audit_log.SqlAuditLog.flush = original  # type: ignore[method-assign]


def fresh(workdir: Path, name: str) -> Database:
    path = workdir / f"{name}.sqlite3"
    for leftover in workdir.glob(f"{name}.*"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    return open_database(path)


def timed(workdir: Path, name: str, chained: bool, work: Callable[[Database], None]) -> float:
    db = fresh(workdir, name)
    try:
        if chained:
            started = time.perf_counter()
            work(db)
        else:
            with plain_audit():
                started = time.perf_counter()
                work(db)
        return time.perf_counter() - started
    finally:
        db.dispose()


def registrations(n: int) -> Callable[[Database], None]:
    def work(db: Database) -> None:
        for i in range(n):
            add_case(db, intake(i), today=TODAY, user="bench")

    return work


def single_entries(n: int) -> Callable[[Database], None]:
    start = datetime(2026, 11, 20, 9, 0)

    def work(db: Database) -> None:
        for i in range(n):
            with unit_of_work(db, user="bench", workstation="ws", now=start + timedelta(seconds=i)) as uow:
                uow.audit.record("update", "setting", f"k{i}", {"new": i})
                uow.commit()

    return work


def in_one_transaction(n: int) -> Callable[[Database], None]:
    def work(db: Database) -> None:
        with unit_of_work(db, user="bench", workstation="ws", now=datetime(2026, 11, 20, 9, 0)) as uow:
            for i in range(n):
                uow.audit.record("update", "setting", f"k{i}", {"new": i})
                uow.audit.flush()
            uow.commit()

    return work


def fill(db: Database, entries: int) -> None:
    start = datetime(2026, 1, 1, 8, 0)
    done = 0
    while done < entries:
        batch = min(1000, entries - done)
        # Ten days: anchors along the way, as in real use.
        with unit_of_work(db, user="bench", workstation="ws", now=start + timedelta(days=done * 10 // entries)) as uow:
            for i in range(batch):
                uow.audit.record("update", "case", f"XF2026-{done + i:06d}", {"摘要": "征地补偿", "i": done + i})
            uow.commit()
        done += batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--singles", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench_audit"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    results: dict[str, dict[bool, list[float]]] = {
        key: {True: [], False: []} for key in ("cases", "singles", "flushes")
    }
    for _ in range(args.runs):
        for chained in (False, True):  # alternating, so neither side gets a warmer disk cache throughout
            results["cases"][chained].append(timed(args.workdir, "cases", chained, registrations(args.cases)))
            results["singles"][chained].append(timed(args.workdir, "singles", chained, single_entries(args.singles)))
            results["flushes"][chained].append(
                timed(args.workdir, "flushes", chained, in_one_transaction(args.singles * 10))
            )

    for key, count, what in (
        ("cases", args.cases, "case registrations (add_case, one transaction each)"),
        ("singles", args.singles, "transactions of one audit entry"),
        ("flushes", args.singles * 10, "entries appended one by one in one transaction"),
    ):
        plain = statistics.median(results[key][False])
        chain = statistics.median(results[key][True])
        print(f"{count:,} {what}:")
        print(f"  plain INSERT  {plain * 1000:9.1f} ms   {plain / count * 1000:.3f} ms each")
        print(f"  HMAC chain    {chain * 1000:9.1f} ms   {chain / count * 1000:.3f} ms each")
        print(f"  chain costs   {(chain - plain) / count * 1000:+.3f} ms each ({(chain / plain - 1) * 100:+.1f} %)")

    db = fresh(args.workdir, "verify")
    try:
        started = time.perf_counter()
        fill(db, args.entries)
        filled = time.perf_counter() - started
        times = []
        for _ in range(args.runs):
            report = verify_chain(db)
            assert report.ok, report.to_json()
            times.append(report.seconds)
        seconds = statistics.median(times)
        print(f"{args.entries:,} entries appended in batches of 1,000: {filled:.2f} s")
        print(
            f"audit verify over {report.entries:,} entries ({report.anchors} anchors): {seconds * 1000:.0f} ms, "
            f"{report.entries / seconds:,.0f} entries/s"
        )
    finally:
        db.dispose()
    shutil.rmtree(args.workdir)


if __name__ == "__main__":
    main()
