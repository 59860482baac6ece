"""Encryption at rest (issue 17): SQLCipher database, AES-GCM archive files, encrypted backups, a flipped byte found."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from tests.helpers import sample_case
from xinfang_desktop.documents.document_store import Rendered, issue_document
from xinfang_desktop.documents.model import OfficialDocument
from xinfang_desktop.documents.types import spec
from xinfang_desktop.persistence import archive as archive_mod
from xinfang_desktop.persistence import encryption as enc
from xinfang_desktop.persistence.archive import archive_of, check_archive, file_sha256
from xinfang_desktop.persistence.attachments import add_attachment, export_attachment
from xinfang_desktop.persistence.backup import DB_FILE, FILES, create_backup, quick_check, verify_folder
from xinfang_desktop.persistence.case_intake import add_case
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.encryption_convert import encrypt_database, rekey_database
from xinfang_desktop.persistence.reference_data import seed_reference_data

pytest.importorskip("sqlcipher3", reason="sqlcipher3 (the encryption extra) not installed")

PASS = "示范县信访局 passphrase 1"
SUMMARY = "CANARY-反映征地补偿款未足额发放"
SCAN = b"\xff\xd8 CANARY-SCAN the letter of the petitioner"


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(enc.KEY_ENV, raising=False)
    monkeypatch.delenv(enc.KEY_FILE_ENV, raising=False)
    enc.forget_keys()
    archive_mod.forget()
    yield
    enc.forget_keys()
    archive_mod.forget()


def text_renderer(doc: OfficialDocument, fmt: str, stream: BinaryIO) -> Rendered:
    stream.write(("CANARY-DOC " + doc.plain_text()).encode())
    return Rendered(pages=1, fonts={"fangsong": "Test"})


def _fill(db: Any, tmp_path: Path) -> dict[str, Any]:
    number = add_case(db, sample_case(summary=SUMMARY), today=date(2026, 11, 22)).registered.number
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(SCAN)
    att = add_attachment(db, number, scan)
    doc = issue_document(db, "petitioner_receipt", spec("petitioner_receipt").sample(), renderer=text_renderer)
    return {"number": number, "attachment": att, "document": doc}


def _plain_db(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    path = tmp_path / "ledger.sqlite3"
    db = open_database(path)
    seed_reference_data(db)
    filled = _fill(db, tmp_path)
    db.dispose()
    archive_mod.forget()
    return path, filled


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p.parent.name != root.name]


def test_a_new_encrypted_database_keeps_every_pragma(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    enc.create_encrypted(path)
    enc.remember_key(path, PASS)
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            pragma = {n: conn.exec_driver_sql(f"PRAGMA {n}").scalar() for n in ("journal_mode", "foreign_keys")}
            pragma["synchronous"] = conn.exec_driver_sql("PRAGMA synchronous").scalar()
            pragma["busy_timeout"] = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()
        assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2, "busy_timeout": 10000}
        seed_reference_data(db)
    finally:
        db.dispose()
    assert enc.is_encrypted(path)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn = sqlite3.connect(path)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()


def test_wrong_or_missing_passphrase_is_refused_with_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new.sqlite3"
    enc.create_encrypted(path)
    enc.remember_key(path, PASS)
    open_database(path).dispose()
    enc.forget_keys()
    monkeypatch.setattr("sys.stdin", io.StringIO())  # not a terminal: nobody to ask
    with pytest.raises(enc.KeyRequired, match="XINFANG_DB_KEY"):
        open_database(path)
    monkeypatch.setenv(enc.KEY_ENV, "not the passphrase")
    with pytest.raises(enc.WrongKey, match="口令不正确"):
        open_database(path)
    key_file = tmp_path / "usb" / "xinfang.key"
    key_file.parent.mkdir()
    key_file.write_text(PASS + "\n", encoding="utf-8")
    monkeypatch.delenv(enc.KEY_ENV)
    monkeypatch.setenv(enc.KEY_FILE_ENV, str(key_file))
    open_database(path).dispose()
    assert enc.check_passphrase(path, PASS) and not enc.check_passphrase(path, PASS + "x")


def test_encrypt_converts_after_a_backup_and_encrypts_the_archive(tmp_path: Path) -> None:
    path, filled = _plain_db(tmp_path)
    plain_counts = _counts_plain(path)
    report = encrypt_database(path, PASS)
    assert report.backup and Path(report.backup).is_file() and not enc.is_encrypted(Path(report.backup))
    assert report.backup in report.plain_copies
    assert report.counts == plain_counts and report.counts["cases"] == 1
    assert report.files_encrypted == 2
    assert enc.is_encrypted(path) and not Path(f"{path}-wal").exists()
    raw = path.read_bytes()
    assert b"SQLite format 3" not in raw and SUMMARY.encode() not in raw
    root = path.with_name("ledger.files")
    for f in _files(root):
        assert f.read_bytes().startswith(enc.FILE_MAGIC), f
        assert b"CANARY" not in f.read_bytes()

    enc.forget_keys()
    archive_mod.forget()
    enc.remember_key(path, PASS)
    db = open_database(path)
    try:
        check = check_archive(db)  # the recorded hashes (of the plain content) still hold
        assert check.ok and check.checked == 2
        out = export_attachment(db, filled["attachment"]["sha256"], tmp_path / "out.jpg")
        assert out.read_bytes() == SCAN
        # New files after the encryption are encrypted too; their records hash the plain content.
        other = tmp_path / "other.bin"
        other.write_bytes(b"CANARY second scan" * 100_000)
        att = add_attachment(db, filled["number"], other)
        stored = archive_of(db).attachment_path(att["sha256"])
        assert stored.read_bytes().startswith(enc.FILE_MAGIC) and file_sha256(stored) == att["sha256"]
        doc = issue_document(db, "petitioner_receipt", spec("petitioner_receipt").sample(), renderer=text_renderer)
        assert doc.path.read_bytes().startswith(enc.FILE_MAGIC) and file_sha256(doc.path) == doc.sha256
        assert b"CANARY" in enc.copy_plain(doc.path, tmp_path / "doc.pdf").read_bytes()
        assert check_archive(db).ok
    finally:
        db.dispose()
    # Running it again finishes nothing more and changes nothing.
    again = encrypt_database(path, PASS)
    assert again.already_encrypted and again.files_encrypted == 0 and again.files_already == 4


def _counts_plain(path: Path) -> dict[str, int]:
    from xinfang_desktop.persistence.encryption_convert import row_counts

    conn = sqlite3.connect(path)
    try:
        return row_counts(conn)
    finally:
        conn.close()


def test_a_flipped_byte_in_the_encrypted_database_is_detected(tmp_path: Path) -> None:
    path, _ = _plain_db(tmp_path)
    encrypt_database(path, PASS)
    enc.forget_keys()
    archive_mod.forget()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    where = 5 * page + 1234  # in the middle of a data page
    data[where] ^= 0x01
    path.write_bytes(bytes(data))
    enc.remember_key(path, PASS)
    conn = enc.connect(path, readonly=True)
    try:
        problems = enc.cipher_integrity(conn)
    finally:
        conn.close()
    assert problems and any("HMAC" in p.upper() or "page 6" in p for p in problems), problems
    db = open_database(path)
    try:
        assert quick_check(db) != "ok"
    finally:
        db.dispose()


def test_a_changed_byte_in_an_encrypted_file_is_reported(tmp_path: Path) -> None:
    path, filled = _plain_db(tmp_path)
    encrypt_database(path, PASS)
    enc.remember_key(path, PASS)
    db = open_database(path)
    try:
        stored = archive_of(db).attachment_path(filled["attachment"]["sha256"])
        data = bytearray(stored.read_bytes())
        data[-3] ^= 0x40
        stored.write_bytes(bytes(data))
        check = check_archive(db)
        assert not check.ok and len(check.changed) == 1
    finally:
        db.dispose()


def test_backups_stay_encrypted_verify_with_the_key_and_follow_a_rekey(tmp_path: Path) -> None:
    path, _ = _plain_db(tmp_path)
    encrypt_database(path, PASS)
    enc.remember_key(path, PASS)
    db = open_database(path)
    try:
        g = create_backup(db, now=datetime(2026, 12, 1, 9, 0))
    finally:
        db.dispose()
    assert g.ok and g.counts["cases"] == 1 and g.files == 2
    copy = g.path / DB_FILE
    assert enc.is_encrypted(copy) and SUMMARY.encode() not in copy.read_bytes()
    for f in _files(g.path / FILES):
        assert f.read_bytes().startswith(enc.FILE_MAGIC)
    enc.forget_keys()
    assert verify_folder(g.path).integrity is not None and not verify_folder(g.path).ok  # no key: not verified
    enc.remember_key(copy, PASS)
    assert verify_folder(g.path).ok

    report = rekey_database(path, PASS, "新的口令 second pass")
    assert report.generations == 1
    enc.forget_keys()
    assert not enc.check_passphrase(path, PASS) and not enc.check_passphrase(copy, PASS)
    assert enc.check_passphrase(path, "新的口令 second pass")
    enc.remember_key(copy, "新的口令 second pass")
    assert verify_folder(g.path).ok  # the file key lives inside the database: no file re-encrypted


def test_plain_backups_taken_before_the_encryption_are_encrypted_with_it(tmp_path: Path) -> None:
    path, _ = _plain_db(tmp_path)
    db = open_database(path)
    try:
        g = create_backup(db, now=datetime(2026, 12, 1, 9, 0))
    finally:
        db.dispose()
    archive_mod.forget()
    assert not enc.is_encrypted(g.path / DB_FILE)
    report = encrypt_database(path, PASS)
    assert report.generations_encrypted == 1 and enc.is_encrypted(g.path / DB_FILE)
    assert all(f.read_bytes().startswith(enc.FILE_MAGIC) for f in _files(g.path / FILES))
    enc.remember_key(g.path / DB_FILE, PASS)
    assert verify_folder(g.path).ok


@pytest.mark.parametrize("size", [0, 1, enc.CHUNK - 1, enc.CHUNK, enc.CHUNK + 1, 3 * enc.CHUNK + 5])
def test_the_file_format_round_trips_and_refuses_a_cut(tmp_path: Path, size: int) -> None:
    import hashlib
    import os

    key = os.urandom(32)
    enc.register_archive(tmp_path, key)
    plain = os.urandom(size)
    sealed = io.BytesIO()
    digest, n = enc.encrypt_stream(io.BytesIO(plain), sealed, key)
    assert (digest, n) == (hashlib.sha256(plain).hexdigest(), size)
    f = tmp_path / "f.bin"
    f.write_bytes(sealed.getvalue())
    assert b"".join(enc.decrypt_chunks(f)) == plain and enc.plain_sha256(f) == digest
    if size > enc.CHUNK:  # the last chunk dropped: found, not taken for a shorter file
        f.write_bytes(sealed.getvalue()[: enc.HEADER_BYTES + enc.CHUNK + enc.TAG_BYTES])
        assert enc.plain_sha256(f) is None
    f.write_bytes(sealed.getvalue()[:-1])
    assert enc.plain_sha256(f) is None


def test_an_unknown_file_key_is_named(tmp_path: Path) -> None:
    import os

    key = os.urandom(32)
    sealed = io.BytesIO()
    enc.encrypt_stream(io.BytesIO(b"x"), sealed, key)
    f = tmp_path / "f.bin"
    f.write_bytes(sealed.getvalue())
    with pytest.raises(enc.FileKeyUnknown, match="数据库口令"):
        enc.plain_sha256(f)
