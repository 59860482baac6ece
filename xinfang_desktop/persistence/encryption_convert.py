"""Converting a plain SQLite database to an encrypted one, and changing its passphrase (`db encrypt`, `db rekey`).

`encrypt_database`: a backup copy first (the plain file as it was, beside it); the data exported into a new
SQLCipher file by `sqlcipher_export` inside one write transaction on the source (no workstation writes meanwhile),
the copy reopened with the passphrase and checked (integrity_check, cipher_integrity_check, every table's row count
against the source's), and only then put in place of the plain file; then the archive's documents and attachments
and the backup generations beside the file are encrypted, one file at a time (each through a temporary file and a
rename, so an interruption leaves every file whole — running `db encrypt` again finishes the rest).

`rekey_database`: `PRAGMA rekey` on the database and on each backup generation beside it (the file key inside the
database is unchanged, so no document is re-encrypted).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from xinfang_desktop.core.errors import ConflictError, DomainError, NotFoundError
from xinfang_desktop.persistence import encryption as enc

MIN_PASSPHRASE = 8
BACKUP_DB_FILE = "database.sqlite3"  # persistence.backup.DB_FILE (kept here so backup.py is not imported early)


@dataclass
class EncryptReport:
    database: str
    already_encrypted: bool = False
    backup: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    files_encrypted: int = 0
    files_already: int = 0
    generations_encrypted: int = 0
    plain_copies: list[str] = field(default_factory=list)
    cipher: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "encrypted": True,
            "already_encrypted": self.already_encrypted,
            "backup": self.backup,
            "tables": len(self.counts),
            "rows": sum(self.counts.values()),
            "counts": self.counts,
            "files_encrypted": self.files_encrypted,
            "files_already_encrypted": self.files_already,
            "backup_generations_encrypted": self.generations_encrypted,
            "plain_copies": self.plain_copies,
            "cipher": self.cipher,
        }


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise DomainError(f"数据库口令至少 {MIN_PASSPHRASE} 个字符", field="key")


def user_tables(conn: Any) -> list[str]:
    """Every table whose rows are counted (as persistence.backup: not SQLite's own, not the virtual tables)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def row_counts(conn: Any) -> dict[str, int]:
    return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in user_tables(conn)}


def _plain_backup(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-encrypt-{stamp}{path.suffix}")
    src = sqlite3.connect(path, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    return target


def _export(source: Path, target: Path, passphrase: str) -> dict[str, int]:
    """sqlcipher_export of the plain `source` into a new encrypted `target`, under one write lock on the source;
    returns the source's row counts (those of the very snapshot exported)."""
    dbapi = enc.require_cipher()
    src = dbapi.connect(str(source), timeout=30, isolation_level=None)
    try:
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        src.execute(f"ATTACH DATABASE ? AS encrypted KEY {enc._quote(passphrase)}", (str(target),))
        src.execute("BEGIN IMMEDIATE")  # no workstation writes between the counts and the export
        try:
            counts = row_counts(src)
            version = int(src.execute("PRAGMA user_version").fetchone()[0])
            src.execute("SELECT sqlcipher_export('encrypted')")
            src.execute(f"PRAGMA encrypted.user_version = {version}")
            src.execute("COMMIT")
        except BaseException:
            src.execute("ROLLBACK")
            raise
        src.execute("DETACH DATABASE encrypted")
    finally:
        src.close()
    return counts


def _verify(target: Path, passphrase: str, expected: dict[str, int]) -> None:
    conn = enc.connect_cipher(target, passphrase, readonly=True)
    try:
        integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        pages = enc.cipher_integrity(conn)
        found = row_counts(conn)
    finally:
        conn.close()
    differ = {t: (n, found.get(t)) for t, n in expected.items() if found.get(t) != n}
    if integrity != "ok" or pages or differ or set(found) != set(expected):
        raise ConflictError(
            "加密后的数据库校验未通过，原数据库未做改动："
            + "；".join(
                p
                for p in (
                    f"完整性检查 {integrity}" if integrity != "ok" else "",
                    f"页校验 {pages[:3]}" if pages else "",
                    ("记录数不符：" + "、".join(differ)) if differ else "",
                )
                if p
            ),
            details={"integrity": integrity, "counts_differ": {k: list(v) for k, v in differ.items()}},
        )


def _archive_files(root: Path) -> list[Path]:
    out: list[Path] = []
    for sub in ("documents", "attachments"):
        base = root / sub
        if base.is_dir():
            out += [p for p in base.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return sorted(out)


def encrypt_files(root: Path, key: bytes) -> tuple[int, int]:
    """Encrypt every plain document and attachment under an archive (or a generation's files/); (done, already)."""
    done = already = 0
    for path in _archive_files(root) if (root / "documents").exists() or (root / "attachments").exists() else []:
        if enc.encrypt_file_in_place(path, key):
            done += 1
        else:
            already += 1
    return done, already


def _encrypt_generations(folder: Path, passphrase: str, key: bytes) -> int:
    """Every plain backup generation beside the database: its database exported encrypted (verified), its files
    encrypted in place (the manifest's hashes are of the plain content, so it verifies as before)."""
    if not folder.is_dir():
        return 0
    count = 0
    for generation in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        copy = generation / BACKUP_DB_FILE
        if copy.is_file() and not enc.is_encrypted(copy):
            tmp = copy.with_name(f".{copy.name}.encrypting")
            tmp.unlink(missing_ok=True)
            counts = _export(copy, tmp, passphrase)
            _verify(tmp, passphrase, counts)
            _add_file_key(tmp, passphrase, key)
            os.replace(tmp, copy)
            count += 1
        files = generation / "files"
        if files.is_dir():
            encrypt_files(files, key)
    return count


def _add_file_key(path: Path, passphrase: str, key: bytes) -> None:
    conn = enc.connect_cipher(path, passphrase)
    try:
        conn.isolation_level = None
        conn.execute("BEGIN IMMEDIATE")
        enc.file_key_of(conn, create=False) or _insert_key(conn, key)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _insert_key(conn: Any, key: bytes) -> bytes:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {enc.FILE_KEYS_TABLE} "
        "(key_id TEXT PRIMARY KEY, key BLOB NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    conn.execute(f"INSERT INTO {enc.FILE_KEYS_TABLE} (key_id, key) VALUES (?, ?)", (enc.key_id_of(key).hex(), key))
    return key


def plain_copies(path: Path) -> list[str]:
    """Plain copies left beside the database (the copies before an upgrade or before the encryption)."""
    return sorted(
        str(p)
        for p in path.parent.glob(f"{path.stem}.*{path.suffix}")
        if p != path and p.is_file() and not enc.is_encrypted(p) and (".backup-" in p.name or ".before-" in p.name)
    )


def encrypt_database(path: Path, passphrase: str) -> EncryptReport:
    """Convert the plain SQLite database at `path` (see the module docstring); finish the files when the database
    is already encrypted (an interrupted run). Nothing changes when a check fails."""
    from xinfang_desktop.persistence import archive as archive_mod
    from xinfang_desktop.persistence.database import Database
    from xinfang_desktop.persistence.engine import database_url

    enc.require_cipher()
    if not path.is_file():
        raise NotFoundError(f"数据库文件不存在：{path}", field="db")
    report = EncryptReport(str(path), cipher=enc.cipher_version())
    if enc.is_encrypted(path):
        report.already_encrypted = True
        if not enc.check_passphrase(path, passphrase):
            raise enc.WrongKey(f"数据库已加密，所给口令不能打开它：{path.name}", field="key")
    else:
        check_new_passphrase(passphrase)
        report.backup = str(_plain_backup(path))
        tmp = path.with_name(f".{path.name}.encrypting")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
        try:
            report.counts = _export(path, tmp, passphrase)
            _verify(tmp, passphrase, report.counts)
            for side in ("-wal", "-shm"):
                wal = Path(f"{path}{side}")
                if side == "-wal" and wal.is_file() and wal.stat().st_size > 0:
                    raise ConflictError("数据库正被其他程序使用（有未写入的日志），请先关闭其他工作站上的信访工作台")
            os.replace(tmp, path)
            for side in ("-wal", "-shm"):
                Path(f"{path}{side}").unlink(missing_ok=True)
        finally:
            tmp.unlink(missing_ok=True)
    enc.remember_key(path, passphrase)
    db = Database(database_url(path))
    try:
        archive_mod.forget(db)
        archive = archive_mod.archive_of(db)  # the file key is created in the encrypted database now
        key = enc.archive_key_for(archive.documents)
        assert key is not None
        report.files_encrypted, report.files_already = encrypt_files(archive.root, key)
        report.generations_encrypted = _encrypt_generations(path.with_name(path.stem + ".backups"), passphrase, key)
        if not report.counts:
            with db.engine.connect() as conn:
                report.counts = row_counts(conn.connection.driver_connection)
        _audit(db, "encrypt", report.to_json())
    finally:
        db.dispose()
    report.plain_copies = plain_copies(path)
    return report


def _audit(db: Any, action: str, detail: dict[str, Any]) -> None:
    from xinfang_desktop.persistence.uow import unit_of_work

    summary = {k: v for k, v in detail.items() if k not in ("counts", "plain_copies")}
    with unit_of_work(db) as uow:
        uow.audit.record(action, "database", str(db.display_name), summary)
        uow.commit()


@dataclass
class RekeyReport:
    database: str
    generations: int = 0
    generations_skipped: list[str] = field(default_factory=list)
    upgrade_copies: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "rekeyed": True,
            "backup_generations_rekeyed": self.generations,
            "backup_generations_skipped": self.generations_skipped,
            "upgrade_copies_rekeyed": self.upgrade_copies,
        }


def _rekey_file(path: Path, old: str, new: str) -> None:
    conn = enc.connect_cipher(path, old, timeout=30)
    try:
        conn.isolation_level = None
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
        if mode.lower() == "wal":
            conn.execute("PRAGMA journal_mode=DELETE")  # rekey rewrites every page: not through the WAL
        conn.execute(f"PRAGMA rekey = {enc._quote(new)}")
        if mode.lower() == "wal":
            conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()


def rekey_database(path: Path, old: str, new: str) -> RekeyReport:
    """Change the passphrase of the encrypted database at `path` and of its backup generations."""
    from xinfang_desktop.persistence.database import Database
    from xinfang_desktop.persistence.engine import database_url

    enc.require_cipher()
    if not path.is_file():
        raise NotFoundError(f"数据库文件不存在：{path}", field="db")
    if not enc.is_encrypted(path):
        raise DomainError(f"数据库 {path.name} 未加密：先用 xinfang db encrypt 加密", field="db")
    if not enc.check_passphrase(path, old):
        raise enc.WrongKey(f"原口令不正确：{path.name}", field="key")
    check_new_passphrase(new)
    if new == old:
        raise DomainError("新口令与原口令相同", field="key")
    report = RekeyReport(str(path))
    _rekey_file(path, old, new)
    folder = path.with_name(path.stem + ".backups")
    if folder.is_dir():
        for generation in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            copy = generation / BACKUP_DB_FILE
            if not copy.is_file() or not enc.is_encrypted(copy):
                continue
            if enc.check_passphrase(copy, old):
                _rekey_file(copy, old, new)
                report.generations += 1
            elif not enc.check_passphrase(copy, new):
                report.generations_skipped.append(generation.name)
    for copy in sorted(path.parent.glob(f"{path.stem}.backup-*{path.suffix}")):  # the copies before an upgrade
        if copy.is_file() and enc.is_encrypted(copy) and enc.check_passphrase(copy, old):
            _rekey_file(copy, old, new)
            report.upgrade_copies += 1
    with enc._lock:
        enc._raw_keys.clear()
    enc.remember_key(path, new)
    db = Database(database_url(path))
    try:
        _audit(db, "rekey", report.to_json())
    finally:
        db.dispose()
    return report
