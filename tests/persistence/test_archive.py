"""Issue 17: each database keeps its documents and attachments beside it — two databases opened with one data
directory never share a file, a failed issue never deletes a file it did not write, files of an old shared folder
are taken only when their SHA-256 matches, and `db check` reports a changed file."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from sqlalchemy import select

from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.documents.document_store import (
    Rendered,
    document_rows,
    documents_root,
    file_problem,
    issue_document,
)
from xinfang_desktop.documents.model import OfficialDocument
from xinfang_desktop.documents.types import spec
from xinfang_desktop.paths import data_dir
from xinfang_desktop.persistence import archive as archive_mod
from xinfang_desktop.persistence.archive import MARKER, archive_of, check_archive, read_identity
from xinfang_desktop.persistence.attachments import add_attachment, attachment_problem, list_attachments, stored_path
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.records import AuditEntryRecord, DocumentRecord
from xinfang_desktop.persistence.reference_data import seed_reference_data


def text_renderer(doc: OfficialDocument, fmt: str, stream: BinaryIO) -> Rendered:
    stream.write(doc.plain_text().encode())
    return Rendered(pages=1, fonts={"fangsong": "Test"})


def receipt(db: Any, name: str) -> Any:
    data = spec("petitioner_receipt").sample()
    data["petitioner"] = {**data["petitioner"], "name": name}
    return issue_document(db, "petitioner_receipt", data, renderer=text_renderer)


@pytest.fixture
def two(tmp_path: Path) -> Any:
    """Two databases in one folder, opened with one data directory (as the 信访局 and a township did)."""
    a = open_database(tmp_path / "a.sqlite3")
    b = open_database(tmp_path / "b.sqlite3")
    seed_reference_data(a)
    seed_reference_data(b)
    yield a, b
    a.dispose()
    b.dispose()


def test_each_database_has_its_own_archive_beside_it(two: Any, tmp_path: Path) -> None:
    a, b = two
    assert documents_root(a) == tmp_path / "a.files" / "documents"
    assert documents_root(b) == tmp_path / "b.files" / "documents"
    ida, idb = read_identity(a.engine), read_identity(b.engine)
    assert ida and idb and ida != idb
    assert json.loads((tmp_path / "a.files" / MARKER).read_text())["database_id"] == ida


def test_the_issue_scenario_each_record_opens_its_own_receipt(two: Any) -> None:
    """A issues its first receipt, then B issues its first (same type, year, number and so the same file name under
    the old shared folder). Each record must open its own petitioner's receipt, and db check must agree."""
    a, b = two
    first_a = receipt(a, "甲信访人")
    first_b = receipt(b, "乙信访人")
    assert first_a.number == first_b.number  # each database numbers its own documents
    assert first_a.path != first_b.path
    for db, name, other in ((a, "甲信访人", "乙信访人"), (b, "乙信访人", "甲信访人")):
        with db.read_session() as s:
            (row,) = document_rows(s)
        opened = Path(str(row["path"])).read_text()
        assert name in opened and other not in opened
        assert file_problem(row) is None
        assert check_archive(db).ok


def test_a_failed_issue_never_deletes_a_file_it_did_not_write(sqlite_db: Any) -> None:
    root = documents_root(sqlite_db)
    stray = root / "2026" / "petitioner_receipt-2026-00001-v1.pdf"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"a file this database did not issue")

    def failing(doc: OfficialDocument, fmt: str, stream: BinaryIO) -> Rendered:
        stream.write(b"half")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        issue_document(sqlite_db, "petitioner_receipt", spec("petitioner_receipt").sample(), renderer=failing)
    assert stray.read_bytes() == b"a file this database did not issue"
    # The next issue takes a free name: the stray file is neither replaced nor taken for the record's file.
    issued = issue_document(
        sqlite_db, "petitioner_receipt", spec("petitioner_receipt").sample(), renderer=text_renderer
    )
    assert issued.path != stray and issued.path.name == "petitioner_receipt-2026-00001-v1-2.pdf"
    assert stray.read_bytes() == b"a file this database did not issue"
    assert check_archive(sqlite_db).ok


def test_attachments_are_per_database(two: Any, tmp_path: Path) -> None:
    a, b = two
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"\xff\xd8 scan of a letter")
    number = add_case(a, sample_case(), today=date(2026, 11, 22)).registered.number
    info = add_attachment(a, number, scan)
    assert stored_path(a, info["sha256"]).is_file()
    assert not stored_path(b, info["sha256"]).exists()
    assert stored_path(a, info["sha256"]).is_relative_to(tmp_path / "a.files" / "attachments")
    (listed,) = list_attachments(a, number)
    assert attachment_problem(listed) is None
    stored_path(a, info["sha256"]).write_bytes(b"another scan")
    assert "已被改动" in (attachment_problem(listed) or "")
    assert not check_archive(a).ok and check_archive(b).ok


def test_db_check_reports_a_changed_and_a_missing_file(sqlite_db: Any, tmp_path: Path, capsys: Any) -> None:
    issued = receipt(sqlite_db, "丙信访人")
    second = receipt(sqlite_db, "丁信访人")
    target = str(sqlite_db.path)
    assert main(["db", "check", "--db", target, "--json"]) == 0
    ok = json.loads(capsys.readouterr().out)
    assert ok["files"]["checked"] == 2 and ok["files"]["ok"]
    issued.path.write_text(issued.path.read_text().replace("丙信访人", "戊某某"))
    second.path.unlink()
    assert main(["db", "check", "--db", target, "--json"]) == 1
    bad = json.loads(capsys.readouterr().out)
    assert bad["ok"] is False
    assert bad["files"]["changed"] == [issued.path.relative_to(documents_root(sqlite_db)).as_posix()]
    assert bad["files"]["missing"] == [second.path.relative_to(documents_root(sqlite_db)).as_posix()]
    assert main(["db", "check", "--db", target]) == 1
    assert "已被改动" in capsys.readouterr().out
    with sqlite_db.read_session() as s:
        problems = [file_problem(r) for r in document_rows(s)]
    assert sum("已被改动" in (p or "") for p in problems) == 1
    assert sum("已不在存档中" in (p or "") for p in problems) == 1


def _to_legacy(db: Any, tmp_path: Path) -> None:
    """Make `db` look like an install from before issue 17: its files in the shared data-directory folders."""
    root = archive_of(db).root
    legacy = data_dir() / "documents"
    for f in (root / "documents").rglob("*"):
        if f.is_file():
            dest = legacy / f.relative_to(root / "documents")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
    shutil.rmtree(root)
    archive_mod.forget(db)


def test_an_old_shared_folder_gives_each_database_only_its_own_files(two: Any, tmp_path: Path) -> None:
    """The old defect, reproduced in the shared folder: B's receipt sits under the path A's record points to. On the
    first open A takes nothing (the hash does not match: reported), B takes its receipt."""
    a, b = two
    first_a = receipt(a, "甲信访人")
    first_b = receipt(b, "乙信访人")
    _to_legacy(a, tmp_path)
    _to_legacy(b, tmp_path)  # b's file overwrites a's under the same shared name, as the old collision left it
    shared = data_dir() / "documents" / first_a.path.relative_to(tmp_path / "a.files" / "documents")
    assert "乙信访人" in shared.read_text()

    check_a = check_archive(a)  # first use of A's archive: adoption runs
    assert not check_a.ok and check_a.missing == [shared.relative_to(data_dir() / "documents").as_posix()]
    with a.read_session() as s:
        entry = s.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity == "archive")).one()
        assert json.loads(entry.detail or "{}")["changed"][0]["expected"] == first_a.sha256
    check_b = check_archive(b)
    assert check_b.ok and check_b.checked == 1
    assert "乙信访人" in (tmp_path / "b.files" / "documents" / shared.relative_to(data_dir() / "documents")).read_text()
    assert shared.is_file()  # the old folder is left as it was: another database may still own files there
    with b.read_session() as s:
        assert s.scalars(select(DocumentRecord.sha256)).one() == first_b.sha256
    assert hashlib.sha256(shared.read_bytes()).hexdigest() == first_b.sha256


def test_postgresql_archives_are_keyed_by_the_database_id(pg_url: str, tmp_path: Path) -> None:
    """Two PostgreSQL databases on one server, one data directory: each has its own archive under archives/<id>."""
    from sqlalchemy.engine import make_url

    other_url = pg_url + "_b"
    admin = make_url(pg_url).set(drivername="postgresql")
    import psycopg

    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{make_url(other_url).database}"')
    a, b = open_database(pg_url), open_database(other_url)
    try:
        ida, idb = read_identity(a.engine), read_identity(b.engine)
        assert ida and idb and ida != idb
        assert documents_root(a) == data_dir() / "archives" / ida / "documents"
        first_a, first_b = receipt(a, "甲信访人"), receipt(b, "乙信访人")
        assert first_a.number == first_b.number and first_a.path != first_b.path
        assert "甲信访人" in first_a.path.read_text() and "乙信访人" in first_b.path.read_text()
        assert check_archive(a).ok and check_archive(b).ok
    finally:
        a.dispose()
        b.dispose()
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{make_url(other_url).database}" WITH (FORCE)')
