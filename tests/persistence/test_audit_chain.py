"""The HMAC-SM3 audit chain (issue 17, reliability.md R17): valid across commits, days and writers; the key file;
entries from before schema 0016; dropped guards, deleted anchors and a lost key reported."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from xinfang_desktop.persistence.append_only import (
    INSERT_GUARD,
    INSERT_GUARD_REVISION,
    create_append_only_guards,
    create_insert_guard,
    drop_append_only_guards,
    drop_insert_guard,
)
from xinfang_desktop.persistence.audit_chain import (
    KEY_NEW_ACTION,
    KEY_SUFFIX,
    canonical,
    key_path,
    latest_anchor,
    read_keys,
    verify_chain,
)
from xinfang_desktop.persistence.database import Database, open_database
from xinfang_desktop.persistence.uow import unit_of_work

DAY = datetime(2026, 11, 2, 9, 0, 0)


def write(db: Database, now: datetime, n: int = 3, user: str = "clerk", tag: str = "x") -> None:
    with unit_of_work(db, user=user, workstation="ws-1", now=now) as uow:
        for i in range(n):
            uow.audit.record("update", "case", f"XF2026-{i:06d}", {"tag": tag, "i": i, "摘要": "征地补偿"})
        uow.commit()


@pytest.fixture
def sdb(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "ledger.sqlite3")
    yield db
    db.dispose()


def raw(db: Database) -> sqlite3.Connection:
    assert db.path is not None
    return sqlite3.connect(db.path)


@contextmanager
def without_insert_guard(conn: sqlite3.Connection) -> Iterator[None]:
    """Rows put in as an older version or an attacker with sqlite3 would: the INSERT guard (once the schema has it)
    dropped meanwhile and put back as it was."""
    found = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (INSERT_GUARD,)).fetchone()
    conn.execute(f"DROP TRIGGER IF EXISTS {INSERT_GUARD}")
    yield
    if found is not None:
        conn.execute(found[0])
    conn.commit()


def test_chain_stays_valid_across_commits_and_days_with_one_anchor_per_day(db: Any) -> None:
    start = verify_chain(db)
    for day in range(5):
        for hour in range(3):
            write(db, DAY + timedelta(days=day, hours=hour), n=2 + hour)
    report = verify_chain(db)
    assert report.ok, report.to_json()
    assert report.protected - start.protected == 5 * (2 + 3 + 4)
    assert report.anchors == start.anchors + 4  # days 1-4 anchored when the next day's first entry was written
    with db.engine.connect() as conn:
        anchors = conn.execute(text("SELECT day, last_entry_id, mac FROM audit_anchors ORDER BY day")).all()
        for day, last_id, mac in anchors[-4:]:
            at, stored = conn.execute(text("SELECT at, mac FROM audit_entries WHERE id = :i"), {"i": last_id}).one()
            following = conn.execute(text("SELECT at FROM audit_entries WHERE id = :i"), {"i": last_id + 1}).scalar()
            assert stored == mac and str(at)[:10] == str(day) and str(following)[:10] > str(day)
    assert report.triggers_ok and report.missing_triggers == []


def test_a_clock_set_back_keeps_the_first_anchor_of_a_day_and_verifies(sdb: Database) -> None:
    write(sdb, DAY)
    write(sdb, DAY + timedelta(days=1))
    write(sdb, DAY - timedelta(days=3))  # a workstation with a wrong date
    write(sdb, DAY + timedelta(days=2))
    report = verify_chain(sdb)
    assert report.ok, report.to_json()
    # 11-02 anchored when 11-03 began; leaving 11-03 backwards anchors nothing; 10-30 anchored when 11-04 began.
    with sdb.engine.connect() as conn:
        days = [str(d) for d in conn.execute(text("SELECT day FROM audit_anchors ORDER BY day")).scalars()]
    assert days == ["2026-10-30", "2026-11-02"] and report.anchors == 2


def test_key_file_beside_the_database_0600_and_never_in_it(sdb: Database, tmp_path: Path) -> None:
    write(sdb, DAY)
    path = tmp_path / ("ledger.sqlite3" + KEY_SUFFIX)
    assert key_path(sdb.url) == path and path.is_file()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (key,) = read_keys(path)
    assert len(key) == 32
    assert key.hex().encode() not in Path(str(sdb.path)).read_bytes()


def test_key_path_for_postgresql_and_the_environment_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pg = key_path("postgresql+psycopg://xf:secret@db.office:5433/xinfang")
    assert pg is not None and pg.name == "xinfang@db.office_5433" + KEY_SUFFIX
    assert pg.parent.name == "audit-keys" and "secret" not in str(pg)
    monkeypatch.setenv("XINFANG_AUDIT_KEY_FILE", str(tmp_path / "shared.key"))
    assert key_path("postgresql+psycopg://xf@db/xinfang") == tmp_path / "shared.key"
    assert key_path(f"sqlite:///{tmp_path}/a.sqlite3") == tmp_path / "shared.key"


def test_canonical_form_is_fixed() -> None:
    # A change here invalidates every stored MAC: it must never change silently.
    row = (7, datetime(2026, 11, 2, 9, 0, 0), 3, "ws", "update", "case", "XF1", '{"a":"信访"}')
    assert (
        canonical(row)
        == '[7,"2026-11-02 09:00:00.000000",3,"ws","update","case","XF1","{\\"a\\":\\"信访\\"}"]'.encode()
    )


def test_entries_before_the_chain_are_unprotected_sealed_and_never_rewritten(sdb: Database) -> None:
    conn = raw(sdb)
    conn.execute("INSERT INTO users (id, login, display_name, created_at) VALUES (50, 'old', 'old', '2025-01-01')")
    with without_insert_guard(conn):
        for i in range(1, 4):  # as written by a version before schema 0016
            conn.execute(
                "INSERT INTO audit_entries (id, at, user_id, workstation, action, entity, entity_id, detail, mac) "
                "VALUES (?, ?, 50, 'old-ws', 'create', 'case', ?, NULL, NULL)",
                (i, f"2025-01-0{i} 10:00:00.000000", f"XF2025-{i}"),
            )
    before = conn.execute("SELECT * FROM audit_entries ORDER BY id").fetchall()
    write(sdb, DAY)
    report = verify_chain(sdb)
    assert report.ok and (report.unprotected, report.protected) == (3, 3), report.to_json()
    assert conn.execute("SELECT * FROM audit_entries WHERE id <= 3 ORDER BY id").fetchall() == before

    # An unprotected entry slipped in before the chain changes the seal the first protected entry carries.
    with without_insert_guard(conn):
        conn.execute(
            "INSERT INTO audit_entries (id, at, user_id, workstation, action, entity, entity_id, detail, mac) "
            "VALUES (0, '2025-01-01 09:00:00.000000', 50, 'x', 'delete', 'case', 'XF2025-9', NULL, NULL)"
        )
    broken = verify_chain(sdb).first_broken
    assert broken is not None and broken.kind == "genesis" and broken.id == 4
    conn.execute("DROP TRIGGER audit_entries_no_delete")
    conn.execute("DELETE FROM audit_entries WHERE id = 0")
    conn.commit()
    # ... and one without a MAC after the chain began is a forgery.
    with without_insert_guard(conn):
        conn.execute(
            "INSERT INTO audit_entries (id, at, user_id, workstation, action, entity, entity_id, detail, mac) "
            "VALUES (7, '2026-11-02 09:00:00.000000', 50, 'x', 'create', 'case', 'XF2026-9', NULL, NULL)"
        )
    report = verify_chain(sdb)
    assert report.first_broken is not None and (report.first_broken.id, report.first_broken.kind) == (7, "inserted")
    assert report.missing_triggers == ["audit_entries_no_delete"]
    conn.close()


def test_dropped_or_defused_guards_are_reported(sdb: Database) -> None:
    write(sdb, DAY)
    conn = raw(sdb)
    conn.execute("DROP TRIGGER case_events_no_update")
    conn.execute("DROP TRIGGER audit_entries_no_delete")
    # Same name, but it no longer aborts anything.
    conn.execute("CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    report = verify_chain(sdb)
    assert not report.ok and report.first_broken is None
    assert report.missing_triggers == ["case_events_no_update", "audit_entries_no_delete"]
    assert "防篡改触发器缺失或被改动" in report.text()
    with sdb.engine.begin() as c:
        drop_append_only_guards(c)
        create_append_only_guards(c)
    assert verify_chain(sdb).ok


def test_a_deleted_or_edited_anchor_and_a_cut_off_day_are_reported(sdb: Database) -> None:
    for day in range(4):
        write(sdb, DAY + timedelta(days=day))
    conn = raw(sdb)
    kept = conn.execute("SELECT * FROM audit_anchors WHERE day = '2026-11-03'").fetchone()
    conn.execute("UPDATE audit_anchors SET mac = '00' || substr(mac, 3) WHERE day = '2026-11-03'")
    conn.commit()
    broken = verify_chain(sdb).first_broken
    assert broken is not None and broken.kind == "anchor_mismatch"
    conn.execute("DELETE FROM audit_anchors WHERE day = '2026-11-03'")
    conn.commit()
    broken = verify_chain(sdb).first_broken
    assert broken is not None and broken.kind == "anchor_missing" and "2026-11-03" in broken.reason
    conn.execute("INSERT INTO audit_anchors VALUES (?, ?, ?, ?)", kept)
    conn.commit()
    conn.close()
    assert verify_chain(sdb).ok

    for day in range(4, 6):
        write(sdb, DAY + timedelta(days=day))
    conn = raw(sdb)
    conn.execute("DROP TRIGGER audit_entries_no_delete")
    first_cut = conn.execute("SELECT min(id) FROM audit_entries WHERE at >= '2026-11-07'").fetchone()[0]
    conn.execute("DELETE FROM audit_entries WHERE at >= '2026-11-07'")  # the whole last day
    conn.commit()
    conn.close()
    broken = verify_chain(sdb).first_broken
    assert broken is not None and broken.kind == "truncated" and broken.id == first_cut


def test_missing_key_file_starts_a_new_generation_recorded_and_the_old_key_still_verifies(
    sdb: Database, tmp_path: Path
) -> None:
    write(sdb, DAY)
    path = key_path(sdb.url)
    assert path is not None
    saved = tmp_path / "from-backup.audit-key"
    saved.write_bytes(path.read_bytes())
    path.unlink()
    write(sdb, DAY + timedelta(hours=1))  # the office's work goes on
    with sdb.engine.connect() as conn:
        entry = conn.execute(
            text("SELECT id, action, entity, entity_id, detail FROM audit_entries ORDER BY id LIMIT 1 OFFSET 3")
        ).one()
    assert entry.action == KEY_NEW_ACTION and json.loads(entry.detail)["reason"] == "密钥文件缺失"
    report = verify_chain(sdb)
    assert not report.ok and report.first_broken is not None
    assert (report.first_broken.kind, report.first_broken.id) == ("old_key", 1), report.to_json()
    assert "旧的密钥文件" in report.first_broken.reason
    assert verify_chain(sdb, extra_key_files=[saved]).ok

    # A change made after the key change is still found while the old span cannot be checked.
    conn2 = raw(sdb)
    conn2.execute("DROP TRIGGER audit_entries_no_update")
    conn2.execute("UPDATE audit_entries SET entity_id = 'XF2026-999999' WHERE id = 6")
    conn2.commit()
    conn2.close()
    broken = verify_chain(sdb).first_broken
    assert broken is not None and (broken.id, broken.kind) == (6, "changed")


def test_a_damaged_key_file_is_kept_aside_not_overwritten(sdb: Database, tmp_path: Path) -> None:
    write(sdb, DAY)
    path = key_path(sdb.url)
    assert path is not None
    path.write_text("not a key\n", encoding="utf-8")
    write(sdb, DAY + timedelta(hours=1))
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "not a key\n"
    assert len(read_keys(path)) == 1


def test_writers_in_parallel_keep_one_chain(sdb: Database) -> None:
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(15):
                write(sdb, DAY + timedelta(minutes=i), n=2, user=f"clerk{k}", tag=f"{k}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = verify_chain(sdb)
    assert report.ok and report.protected == 4 * 15 * 2, report.to_json()


def test_latest_anchor_is_the_end_of_the_chain(sdb: Database) -> None:
    assert latest_anchor(sdb) is None
    write(sdb, DAY)
    anchor = latest_anchor(sdb)
    assert anchor is not None and anchor["last_entry_id"] == 3 and len(str(anchor["mac"])) == 64


def test_an_edited_row_and_a_disabled_guard_on_either_back_end(db: Any) -> None:
    for day in range(2):
        write(db, DAY + timedelta(days=day), n=4)
    with db.engine.begin() as conn:
        target = conn.execute(text("SELECT max(id) - 5 FROM audit_entries")).scalar()
        if db.dialect == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_entries_no_update")
            expected_missing = ["audit_entries_no_update"]
        else:
            conn.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only")
            expected_missing = ["audit_entries_append_only"]
        conn.execute(text("UPDATE audit_entries SET workstation = 'elsewhere' WHERE id = :i"), {"i": target})
    report = verify_chain(db)
    assert report.missing_triggers == expected_missing
    assert report.first_broken is not None and (report.first_broken.id, report.first_broken.kind) == (target, "changed")


def test_parallel_writers_on_either_back_end(db: Any) -> None:
    before = verify_chain(db).protected

    def work(k: int) -> None:
        for i in range(10):
            write(db, DAY + timedelta(minutes=i), n=2, user=f"w{k}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = verify_chain(db)
    assert report.ok and report.protected - before == 60, report.to_json()


def _with_insert_guard(db: Database) -> None:
    """What the migration of INSERT_GUARD_REVISION does (when the schema is older): the guard, the revision."""
    with db.engine.begin() as c:
        drop_insert_guard(c)
        create_insert_guard(c)
        c.execute(
            text("UPDATE alembic_version SET version_num = :r WHERE version_num < :r"), {"r": INSERT_GUARD_REVISION}
        )


def test_the_insert_guard_stops_forged_rows_and_the_chain_catches_a_well_formed_forgery(sdb: Database) -> None:
    write(sdb, DAY)
    assert verify_chain(sdb).missing_triggers == []  # before its revision none is expected; from it on, it is there
    _with_insert_guard(sdb)
    write(sdb, DAY + timedelta(hours=1), n=4)  # the program's own appends pass it, several in one transaction
    write(sdb, DAY + timedelta(days=1), n=2)  # and with the day's anchor
    report = verify_chain(sdb)
    assert report.ok and report.protected == 9, report.to_json()
    conn = raw(sdb)
    columns = [d[1] for d in conn.execute("PRAGMA table_info(audit_entries)")]
    last = list(conn.execute("SELECT * FROM audit_entries ORDER BY id DESC LIMIT 1").fetchone())
    insert_sql = f"INSERT INTO audit_entries ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    def forged(**changes: object) -> list[object]:
        row = list(last)
        row[columns.index("id")] = last[0] + 1
        row[columns.index("entity_id")] = "XF2026-999999"
        for name, value in changes.items():
            row[columns.index(name)] = value
        return row

    for bad in (forged(mac=None), forged(mac="ab" * 31), forged(id=last[0] + 2), forged(id=3), forged(id=None)):
        with pytest.raises(sqlite3.IntegrityError, match="appended by the program only"):
            conn.execute(insert_sql, bad)
    conn.rollback()
    conn.execute(insert_sql, forged(mac="ab" * 32))  # well formed: past the guard, caught by the chain
    conn.commit()
    report = verify_chain(sdb)
    assert report.triggers_ok and report.first_broken is not None and report.first_broken.id == last[0] + 1
    conn.execute(f"DROP TRIGGER {INSERT_GUARD}")
    conn.commit()
    assert verify_chain(sdb).missing_triggers == [INSERT_GUARD]
    # Same name, defused: it lets every row through.
    conn.execute(f"CREATE TRIGGER {INSERT_GUARD} BEFORE INSERT ON audit_entries WHEN 0 BEGIN SELECT 1; END")
    conn.commit()
    conn.close()
    assert verify_chain(sdb).missing_triggers == [INSERT_GUARD]
    with sdb.engine.begin() as c:
        drop_insert_guard(c)
        create_insert_guard(c)
    assert verify_chain(sdb).missing_triggers == []
