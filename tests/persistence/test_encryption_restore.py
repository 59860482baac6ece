"""Restoring an encrypted backup and upgrading an encrypted database (issue 17): the restored database and the copy
before an upgrade stay encrypted and open with the passphrase, not without; the window's passphrase opens the
backup generations too; a plain generation is not restored into an encrypted database."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.persistence import archive as archive_mod
from xinfang_desktop.persistence import encryption as enc
from xinfang_desktop.persistence.backup import DB_FILE, create_backup, list_backups
from xinfang_desktop.persistence.database import open_database

pytest.importorskip("sqlcipher3", reason="sqlcipher3 (the encryption extra) not installed")

PASS = "示范县信访局 passphrase 1"


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (enc.KEY_ENV, enc.KEY_FILE_ENV, "XINFANG_DB_NEW_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    enc.forget_keys()
    archive_mod.forget()
    yield
    enc.forget_keys()
    archive_mod.forget()


class Cli:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys

    def __call__(self, *argv: str) -> tuple[int, Any]:
        enc.forget_keys()  # every call as a new process
        archive_mod.forget()
        code = main([*argv, "--json", "--db", str(self.db)])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    def add(self, tmp_path: Path, summary: str) -> str:
        source = tmp_path / "case.json"
        source.write_text(json.dumps(sample_case(summary=summary), ensure_ascii=False), encoding="utf-8")
        code, out = self("case", "add", str(source))
        assert code == 0, out
        return str(out["number"])


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv(enc.KEY_ENV, PASS)
    c = Cli(tmp_path / "ledger.sqlite3", capsys)
    code, out = c("init", "--encrypt")
    assert code == 0 and out["encrypted"], out
    return c


def test_restore_of_an_encrypted_backup(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    number = cli.add(tmp_path, "CANARY 备份前的事项")
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"CANARY scan before the backup")
    assert cli("case", "attach", number, str(scan))[0] == 0
    code, made = cli("backup", "create")
    assert code == 0 and made["verified"]["ok"], made
    cli.add(tmp_path, "备份后的事项")
    assert cli("case", "list")[1]["total"] == 2

    code, preview = cli("backup", "restore", made["name"])  # the preview: nothing changed
    assert code == 0 and preview["restored"] is False and not preview["refused"], preview
    counts = {r["table"]: (r["backup"], r["current"]) for r in preview["counts"]}
    assert counts["cases"] == (1, 2) and counts["attachments"] == (1, 1)
    code, done = cli("backup", "restore", made["name"], "--yes")
    assert code == 0 and done["restored"] and done["safety_backup"], done

    path = cli.db
    assert enc.is_encrypted(path) and b"CANARY" not in path.read_bytes()
    code, listed = cli("case", "list")
    assert code == 0 and listed["total"] == 1 and listed["rows"][0]["number"] == number
    code, check = cli("db", "check")
    assert code == 0 and check["integrity"] == "ok" and check["files"]["ok"], check
    monkeypatch.delenv(enc.KEY_ENV)
    assert cli("case", "list")[0] == 2  # not without the passphrase
    assert enc.check_passphrase(path, PASS) and not enc.check_passphrase(path, "another passphrase")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM cases").fetchone()


def test_the_window_passphrase_opens_the_generations(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the window only the database's passphrase is told (the dialog): verify and restore still open the copy."""
    from xinfang_desktop.persistence.restore import restore_backup

    cli.add(tmp_path, "第一件")
    assert cli("backup", "create")[0] == 0
    cli.add(tmp_path, "第二件")
    monkeypatch.delenv(enc.KEY_ENV)
    enc.forget_keys()
    archive_mod.forget()
    enc.remember_key(cli.db, PASS)
    db = open_database(cli.db)
    try:
        [generation] = list_backups(db)
        done = restore_backup(db, generation.name)
    finally:
        db.dispose()
    assert done["restored"]
    db = open_database(cli.db)
    try:
        from sqlalchemy import text

        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 1
    finally:
        db.dispose()


def test_a_plain_generation_is_not_restored_into_an_encrypted_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from xinfang_desktop.persistence.encryption_convert import encrypt_database

    c = Cli(tmp_path / "ledger.sqlite3", capsys)
    assert c("init")[0] == 0
    c.add(tmp_path, "加密前")
    code, made = c("backup", "create")
    assert code == 0
    copy = Path(made["path"]) / DB_FILE
    kept = tmp_path / "plain.sqlite3"
    kept.write_bytes(copy.read_bytes())
    encrypt_database(c.db, PASS)
    assert enc.is_encrypted(copy)
    kept.replace(copy)  # a generation left plain (e.g. copied back from removable media after the encryption)
    monkeypatch.setenv(enc.KEY_ENV, PASS)
    code, out = c("backup", "restore", made["name"], "--yes")
    assert code == 2 and "未加密，而数据库已加密" in out["error"], out
    assert enc.is_encrypted(c.db) and c("case", "list")[1]["total"] == 1


def test_a_schema_upgrade_keeps_an_encrypted_copy(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    from xinfang_desktop.persistence.migrate import alembic_config

    cli.add(tmp_path, "CANARY 升级前")
    head = cli("db", "upgrade")[1]["after"]
    cfg = alembic_config()
    enc.remember_key(cli.db, PASS)
    db = open_database(cli.db)
    try:
        with db.write_engine.begin() as conn:  # the keyed connection
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "-2")
    finally:
        db.dispose()
    conn = enc.connect(cli.db)
    old = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    conn.close()
    assert old != head

    code, data = cli("db", "upgrade")
    assert code == 0 and (data["before"], data["after"]) == (old, head), data
    copy = Path(data["backup"])
    assert copy.is_file() and f"backup-{old}-" in copy.name
    assert enc.is_encrypted(copy) and b"CANARY" not in copy.read_bytes()
    enc.forget_keys()
    assert enc.check_passphrase(copy, PASS) and not enc.check_passphrase(copy, "another passphrase")
    conn = enc.connect_cipher(copy, PASS, readonly=True)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == old
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
    finally:
        conn.close()

    monkeypatch.setenv("XINFANG_DB_NEW_KEY", "新的口令 second pass")
    code, rekeyed = cli("db", "rekey")
    assert code == 0 and rekeyed["upgrade_copies_rekeyed"] == 1, rekeyed
    enc.forget_keys()
    assert not enc.check_passphrase(copy, PASS) and enc.check_passphrase(copy, "新的口令 second pass")


def test_backup_before_an_upgrade_of_a_plain_file_stays_plain(tmp_path: Path) -> None:
    from xinfang_desktop.persistence.migrate import backup_sqlite

    path = tmp_path / "plain.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (42)")
    conn.commit()
    conn.close()
    copy = backup_sqlite(path, "r1")
    assert not enc.is_encrypted(copy)
    assert sqlite3.connect(copy).execute("SELECT x FROM t").fetchone() == (42,)


def test_a_restore_keeps_the_generation_and_the_safety_copy_encrypted(cli: Cli, tmp_path: Path) -> None:
    cli.add(tmp_path, "一件")
    code, made = cli("backup", "create")
    assert code == 0
    code, done = cli("backup", "restore", made["name"], "--yes")
    assert code == 0 and done["restored"]
    enc.remember_key(cli.db, PASS)
    db = open_database(cli.db)
    try:
        generations = {g.name: g for g in list_backups(db)}
        assert all(enc.is_encrypted(g.path / DB_FILE) for g in generations.values())
        assert done["safety_backup"] in generations
        again = create_backup(db)
        assert again.ok and enc.is_encrypted(again.path / DB_FILE)
    finally:
        db.dispose()


def test_a_damaged_plain_file_is_not_taken_for_an_encrypted_one(tmp_path: Path) -> None:
    """A plain file whose first 16 bytes were overwritten, or a text file, is damaged (restore offered), not asked
    a passphrase; a SQLCipher file is still recognised."""
    plain = tmp_path / "plain.sqlite3"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert not enc.is_encrypted(plain)
    plain.write_bytes(b"not a database!!" + plain.read_bytes()[16:])
    assert not enc.is_encrypted(plain)
    text = tmp_path / "text.sqlite3"
    text.write_bytes(b"this is not a database file" * 100)
    assert not enc.is_encrypted(text)
    cipher = tmp_path / "cipher.sqlite3"
    enc.create_encrypted(cipher)
    conn = enc.connect_cipher(cipher, PASS)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert enc.is_encrypted(cipher) and cipher.stat().st_size % 4096 == 0
