"""Backups (issue 17): a generation holds the database and its files, is verified by reopening it, generations are
kept 7 daily / 4 weekly / 12 monthly, and a restore brings back one generation whole — never mixed with another."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from sqlalchemy import func, select

from tests.conftest import content_hash
from tests.helpers import sample_case
from xinfang_desktop.core.errors import ConflictError, DomainError
from xinfang_desktop.documents.document_store import Rendered, issue_document
from xinfang_desktop.documents.model import OfficialDocument
from xinfang_desktop.documents.types import spec
from xinfang_desktop.persistence.archive import check_archive
from xinfang_desktop.persistence.attachments import add_attachment
from xinfang_desktop.persistence.backup import (
    DB_FILE,
    FILES,
    MANIFEST,
    backups_dir,
    create_backup,
    due_today,
    list_backups,
    prune_backups,
    quick_check,
    retained,
    verify_folder,
)
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.records import AuditEntryRecord, CaseRecord
from xinfang_desktop.persistence.reference_data import seed_reference_data
from xinfang_desktop.persistence.restore import restore_backup, restore_preview


def text_renderer(doc: OfficialDocument, fmt: str, stream: BinaryIO) -> Rendered:
    stream.write(doc.plain_text().encode())
    return Rendered(pages=1, fonts={"fangsong": "Test"})


def _fill(db: Any, tmp_path: Path) -> dict[str, Any]:
    number = add_case(db, sample_case(), today=date(2026, 11, 22)).registered.number
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"\xff\xd8 the letter")
    att = add_attachment(db, number, scan)
    doc = issue_document(db, "petitioner_receipt", spec("petitioner_receipt").sample(), renderer=text_renderer)
    return {"number": number, "attachment": att, "document": doc}


def _cases(db: Any) -> int:
    with db.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(CaseRecord)) or 0)


def test_a_generation_holds_the_database_and_its_files_and_is_verified(sqlite_db: Any, tmp_path: Path) -> None:
    filled = _fill(sqlite_db, tmp_path)
    g = create_backup(sqlite_db, now=datetime(2026, 12, 1, 9, 0))
    assert g.path.parent == backups_dir(sqlite_db) == tmp_path / "ledger.backups"
    assert g.ok and g.verified["integrity"] == "ok" and g.verified["tables_checked"] > 40
    assert g.counts["cases"] == 1 and g.counts["documents"] == 1 and g.counts["attachments"] == 1 and g.files == 2
    doc = filled["document"]
    copied = g.path / FILES / "documents" / doc.path.relative_to(doc.path.parents[1]).as_posix()
    assert copied.read_bytes() == doc.path.read_bytes()
    assert [x.name for x in list_backups(sqlite_db)] == [g.name]
    assert not due_today(sqlite_db, date(2026, 12, 1)) and due_today(sqlite_db, date(2026, 12, 2))
    with sqlite_db.read_session() as s:
        entry = s.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity == "backup")).one()
        assert (entry.action, entry.entity_id) == ("create", g.name)


def test_verification_reports_a_changed_file_and_a_lost_row(sqlite_db: Any, tmp_path: Path) -> None:
    _fill(sqlite_db, tmp_path)
    g = create_backup(sqlite_db, now=datetime(2026, 12, 1, 9, 0))
    assert verify_folder(g.path).ok
    f = next(p for p in (g.path / FILES / "documents").rglob("*") if p.is_file())
    f.write_bytes(f.read_bytes() + b" edited")
    conn = sqlite3.connect(g.path / DB_FILE)
    conn.execute("DELETE FROM attachments")
    conn.commit()
    conn.close()
    check = verify_folder(g.path)
    assert not check.ok and check.integrity == "ok"
    assert check.counts_differ == {"attachments": (1, 0)}
    assert check.files_changed == [f.relative_to(g.path / FILES).as_posix()]


def test_retention_keeps_7_daily_4_weekly_12_monthly() -> None:
    start = datetime(2025, 1, 1, 18, 0)
    stamps = [(f"g{i:03d}", start + timedelta(days=i)) for i in range(400)]  # one a day for 400 days
    stamps += [("same-day-earlier", start + timedelta(days=398, hours=-8))]
    today = (start + timedelta(days=399)).date()
    keep = retained(stamps, today)
    daily = {f"g{i:03d}" for i in range(393, 400)}
    assert daily <= keep and "same-day-earlier" not in keep  # the newest of a past day stands for it
    assert "today-earlier" in retained([*stamps, ("today-earlier", start + timedelta(days=399, hours=-8))], today)
    weeks = {(s[1].isocalendar().year, s[1].isocalendar().week) for s in stamps if s[0] in keep}
    months = {(s[1].year, s[1].month) for s in stamps if s[0] in keep}
    assert len(months) == 12 and len(weeks) >= 4
    assert 12 <= len(keep) <= 7 + 4 + 12
    # A workstation switched off for two months still keeps its last seven days of backups.
    gap = [("old", datetime(2026, 1, 5)), *[(f"d{i}", datetime(2026, 1, 1 + i)) for i in range(4)]]
    assert retained(gap, date(2026, 3, 10)) == {"old", "d0", "d1", "d2", "d3"}


def test_prune_removes_what_the_retention_does_not_keep(sqlite_db: Any) -> None:
    g = create_backup(sqlite_db, now=datetime(2026, 12, 1, 9, 0))
    for day in range(2, 12):  # ten more days, copies of the first with their own dates
        copy = g.path.with_name(f"202612{day:02d}-090000")
        shutil.copytree(g.path, copy)
        m = json.loads((copy / MANIFEST).read_text())
        m["created_at"] = datetime(2026, 12, day, 9, 0).isoformat()
        (copy / MANIFEST).write_text(json.dumps(m))
    removed = prune_backups(sqlite_db, today=date(2026, 12, 11))
    names = sorted(x.name for x in list_backups(sqlite_db))
    # 1-6 December are one ISO week (its newest, the 6th, is also a daily one), the 11th is December's newest.
    assert names == [f"202612{d:02d}-090000" for d in range(5, 12)]
    assert sorted(removed) == [g.name] + [f"202612{d:02d}-090000" for d in range(2, 5)]


def test_restore_brings_back_one_generation_whole(sqlite_db: Any, tmp_path: Path) -> None:
    filled = _fill(sqlite_db, tmp_path)
    doc = filled["document"]
    original = doc.path.read_bytes()
    g = create_backup(sqlite_db, now=datetime(2026, 12, 1, 9, 0))
    # Afterwards: one more case, the document's file changed, a file that did not exist then.
    add_case(sqlite_db, sample_case(summary="备份之后登记的事项"), today=date(2026, 12, 2))
    doc.path.write_bytes(b"changed after the backup")
    later = doc.path.with_name("later.pdf")
    later.write_bytes(b"not in the backup")
    assert _cases(sqlite_db) == 2 and not check_archive(sqlite_db).ok

    before = content_hash(sqlite_db)
    preview = restore_preview(sqlite_db, g.name)
    assert content_hash(sqlite_db) == before  # a preview changes nothing
    cases = next(r for r in preview["counts"] if r["table"] == "cases")
    assert (cases["backup"], cases["current"]) == (1, 2) and preview["refused"] == []

    done = restore_backup(sqlite_db, g.name, now=datetime(2026, 12, 2, 10, 0))
    assert done["restored"] and done["safety_backup"]
    assert _cases(sqlite_db) == 1
    assert doc.path.read_bytes() == original and not later.exists()  # the archive is the backup's, not a mix
    assert check_archive(sqlite_db).ok and quick_check(sqlite_db) == "ok"
    safety = next(x for x in list_backups(sqlite_db) if x.name == done["safety_backup"])
    assert safety.reason == "before-restore" and safety.counts["cases"] == 2


def test_restore_refuses_another_databases_generation_and_a_bad_one(sqlite_db: Any, tmp_path: Path) -> None:
    other = open_database(tmp_path / "other" / "ledger.sqlite3")
    seed_reference_data(other)
    foreign = create_backup(other, now=datetime(2026, 12, 1, 8, 0))
    other.dispose()
    shutil.copytree(foreign.path, backups_dir(sqlite_db) / foreign.name)
    before = content_hash(sqlite_db)
    with pytest.raises(DomainError, match="另一个数据库"):
        restore_backup(sqlite_db, foreign.name)
    assert content_hash(sqlite_db) == before
    own = create_backup(sqlite_db, now=datetime(2026, 12, 1, 9, 0))
    before = content_hash(sqlite_db)
    conn = sqlite3.connect(own.path / DB_FILE)
    conn.execute("DELETE FROM regions")
    conn.commit()
    conn.close()
    with pytest.raises(ConflictError, match="校验未通过"):
        restore_backup(sqlite_db, own.name)
    assert content_hash(sqlite_db) == before


def test_postgresql_backup_through_pg_dump_or_a_clear_refusal(pg_url: str, tmp_path: Path, monkeypatch: Any) -> None:
    db = open_database(pg_url)
    try:
        seed_reference_data(db)
        if shutil.which("pg_dump") is not None:
            g = create_backup(db, now=datetime(2026, 12, 1, 9, 0))
            assert (g.path / "database.dump").is_file() and g.dialect == "postgresql" and g.counts["regions"] > 0
            assert verify_folder(g.path).integrity == "ok"
            with pytest.raises(DomainError, match="pg_restore"):
                restore_backup(db, g.name)
        monkeypatch.setattr(shutil, "which", lambda name: None)
        with pytest.raises(DomainError, match="pg_dump"):
            create_backup(db, now=datetime(2026, 12, 2, 9, 0))
    finally:
        db.dispose()


WRITER = """
import sys
from datetime import date
from tests.helpers import sample_case
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.database import open_database
db = open_database(sys.argv[1])
for i in range(int(sys.argv[2])):
    add_case(db, sample_case(summary=f"并发登记的事项 {i}"), today=date(2026, 11, 22))
db.dispose()
"""


def test_a_backup_taken_while_another_process_writes_is_consistent(sqlite_db: Any, tmp_path: Path) -> None:
    """The snapshot and its counts come from one read transaction: a writer on another process changes neither."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    writer = subprocess.Popen(  # another workstation registering cases during the backup
        [sys.executable, "-c", WRITER, str(sqlite_db.path), "400"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        deadline = 600  # wait (bounded) until the writer is under way, so the backup overlaps its writes
        while _cases(sqlite_db) < 20 and writer.poll() is None and deadline:
            deadline -= 1
            time.sleep(0.1)
        generations = [create_backup(sqlite_db, now=datetime(2026, 12, 1, 9, i)) for i in range(3)]
    finally:
        assert writer.wait(timeout=600) == 0
    for g in generations:
        assert g.ok and verify_folder(g.path).ok
    counts = [g.counts["cases"] for g in generations]
    assert counts == sorted(counts) and counts[0] > 0 and counts[-1] <= 400 == _cases(sqlite_db)


def test_restoring_over_a_damaged_file_sets_it_aside(sqlite_db: Any, tmp_path: Path) -> None:
    _fill(sqlite_db, tmp_path)
    g = create_backup(sqlite_db, now=datetime(2026, 12, 1, 9, 0))
    path = sqlite_db.path
    sqlite_db.dispose()
    data = bytearray(path.read_bytes())
    data[0:16] = b"not a database!!"  # the header destroyed: the file no longer opens
    path.write_bytes(bytes(data))
    assert quick_check(sqlite_db) != "ok"
    done = restore_backup(sqlite_db, g.name, now=datetime(2026, 12, 2, 8, 0))
    assert done["safety_backup"] is None and done["damaged_copy"].endswith("ledger.damaged-20261202-080000.sqlite3")
    assert Path(done["damaged_copy"]).read_bytes()[:16] == b"not a database!!"  # kept for the administrator
    assert quick_check(sqlite_db) == "ok" and _cases(sqlite_db) == 1 and check_archive(sqlite_db).ok
