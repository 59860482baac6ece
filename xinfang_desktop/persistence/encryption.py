"""Encryption at rest (issue 17): SQLCipher for the database, AES-GCM for its documents and attachments.

The database. An encrypted SQLite file is a SQLCipher 4 database (AES-256, an HMAC-SHA512 on every page, so a
changed byte is detected when the page is read). The key is SQLCipher's own: PBKDF2-HMAC-SHA512 with 256,000
iterations over the passphrase and the 16-byte salt at the start of the file. This module derives it once per
process (the same computation SQLCipher does, with hashlib) and gives every pooled connection the raw key, so a
second connection does not pay the key derivation again. Nothing of the key is written anywhere: the passphrase
comes, in this order, from what the program was told (the GUI's passphrase dialog, `remember_key`), the environment
variable ``XINFANG_DB_KEY`` (scripts, CI), a key file (``XINFANG_DB_KEY_FILE`` or ``--key-file``: its text, one
line, e.g. on removable media), or is asked at the terminal without echo.

The files. When the database is encrypted, its archive's documents and attachments are stored encrypted with a
random 256-bit file key kept *inside* the encrypted database (table ``encryption_file_keys``), so changing the
passphrase re-encrypts nothing, and a backup carries the file key in its own (encrypted) copy of the database.
Format of an encrypted file (streaming AES-256-GCM, 1 MiB chunks): a 32-byte header — magic ``XFENC1\\n\\0``, the
16-byte key id, a 7-byte nonce prefix, one reserved byte — then each chunk sealed with nonce = prefix ‖ chunk number
(4 bytes) ‖ last flag (1 byte) and the header as associated data: a changed, reordered or cut-off chunk fails.
The SHA-256 recorded for a document or attachment stays the hash of the plain content; `file_sha256` of the
archive decrypts while hashing, so `db check`, backups and the viewers re-check as before.

`sqlcipher3` (pip: ``sqlcipher3-binary``, the ``encryption`` extra) is optional: a plain database never needs it;
without it an encrypted database or `db encrypt` is refused with a message naming what to install.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
import secrets
import sqlite3
import struct
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from xinfang_desktop.core.errors import DomainError

KEY_ENV = "XINFANG_DB_KEY"
KEY_FILE_ENV = "XINFANG_DB_KEY_FILE"
SQLITE_HEADER = b"SQLite format 3\x00"
KDF_ITERATIONS = 256_000  # SQLCipher 4's default (PBKDF2-HMAC-SHA512)
SALT_BYTES = 16
INSTALL_HINT = "pip install 'xinfang-desktop[encryption]'（即 pip install sqlcipher3-binary）"
FILE_KEYS_TABLE = "encryption_file_keys"

FILE_MAGIC = b"XFENC1\n\x00"
HEADER_BYTES = 32
CHUNK = 1024 * 1024
TAG_BYTES = 16


class EncryptionUnavailable(DomainError):
    """sqlcipher3 is not installed (exit 2, nothing changed)."""


class KeyRequired(DomainError):
    """The database is encrypted and no passphrase was given (exit 2)."""


class WrongKey(DomainError):
    """The passphrase does not open the database (exit 2)."""


class FileKeyUnknown(DomainError):
    """An encrypted file whose key is not known to this process (its database not opened with the key)."""


# -- the sqlcipher3 module ---------------------------------------------------------------------------------------


def cipher_module() -> ModuleType | None:
    """sqlcipher3's DB-API module, or None when the optional package is not installed."""
    import importlib

    try:
        return importlib.import_module("sqlcipher3.dbapi2")
    except ImportError:
        return None


def require_cipher() -> ModuleType:
    found = cipher_module()
    if found is None:
        raise EncryptionUnavailable(
            f"未安装数据库加密组件 sqlcipher3，无法打开或创建加密数据库。请先安装：{INSTALL_HINT}",
            field="encryption",
        )
    return found


def cipher_version() -> str | None:
    dbapi = cipher_module()
    if dbapi is None:
        return None
    conn = dbapi.connect(":memory:")
    try:
        row = conn.execute("PRAGMA cipher_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


# -- is the file encrypted? --------------------------------------------------------------------------------------


def is_encrypted(path: Path) -> bool:
    """A SQLCipher file: random from byte 0 (no plain SQLite header) and made of whole pages. Not a file whose size
    is no multiple of 512 (no SQLite file at all), nor a plain SQLite file whose first bytes were overwritten (the
    fixed bytes 18–23 of its header are still there): both are damaged or foreign files, opened as plain to be
    reported as such (and offered a restore), not asked a passphrase."""
    try:
        with open(path, "rb") as f:
            head = f.read(100)
            size = os.fstat(f.fileno()).st_size
    except OSError:
        return False
    if not head or head.startswith(SQLITE_HEADER) or size % 512:
        return False
    damaged_plain = len(head) >= 24 and head[18] in (1, 2) and head[19] in (1, 2) and head[21:24] == b"\x40\x20\x20"
    return not damaged_plain


def _key_path(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


# -- where the passphrase comes from -----------------------------------------------------------------------------

_lock = threading.RLock()
_passphrases: dict[str, str] = {}  # database file → passphrase (this process only)
_create_encrypted: set[str] = set()  # files to be created encrypted (`init --encrypt`)
_key_file: Path | None = None  # --key-file
_raw_keys: dict[tuple[str, bytes], bytes] = {}  # (passphrase digest, salt) → derived key


def remember_key(path: Path, passphrase: str) -> None:
    """Use `passphrase` for this database file from now on in this process (the GUI dialog, tests)."""
    with _lock:
        _passphrases[_key_path(path)] = passphrase


def forget_keys() -> None:
    """Forget every passphrase and derived key told to this process (tests; a locked session)."""
    with _lock:
        _passphrases.clear()
        _create_encrypted.clear()
        _raw_keys.clear()
        _file_keys.clear()
        _encrypted_roots.clear()
        global _key_file
        _key_file = None


def create_encrypted(path: Path) -> None:
    """Have the next engine for `path` create the file encrypted when it does not exist yet."""
    with _lock:
        _create_encrypted.add(_key_path(path))


def set_key_file(path: str | Path | None) -> None:
    global _key_file
    with _lock:
        _key_file = Path(path).expanduser() if path else None


def read_key_file(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KeyRequired(f"无法读取密钥文件 {path}：{exc.strerror or exc}", field="key_file") from None
    try:
        text = raw.decode("utf-8-sig").splitlines()[0] if raw.strip() else ""
    except UnicodeDecodeError:
        raise KeyRequired(f"密钥文件 {path} 不是 UTF-8 文本", field="key_file") from None
    if not text.strip():
        raise KeyRequired(f"密钥文件 {path} 是空的", field="key_file")
    return text.rstrip("\r\n")


def given_passphrase(path: Path | None) -> str | None:
    """The passphrase told to the program for `path` (remembered, environment, key file), without asking."""
    with _lock:
        if path is not None:
            found = _passphrases.get(_key_path(path))
            if found is not None:
                return found
        key_file = _key_file
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV]
    if key_file is None and os.environ.get(KEY_FILE_ENV):
        key_file = Path(os.environ[KEY_FILE_ENV]).expanduser()
    if key_file is not None:
        return read_key_file(key_file)
    return None


def ask_passphrase(prompt: str = "数据库口令：") -> str:
    """Asked at the terminal without echo (like the login password); KeyRequired without a terminal."""
    if not sys.stdin.isatty():
        raise KeyRequired(
            f"数据库已加密，需要数据库口令：设置环境变量 {KEY_ENV}，或用 {KEY_FILE_ENV} / --db-key-file 指定密钥文件，"
            "或在终端中运行以输入口令",
            field="key",
        )
    return getpass.getpass(prompt)


def passphrase_for(path: Path) -> str:
    """The passphrase of an encrypted database file: given, else one told for another file that opens it (a backup
    generation or an upgrade copy of the database unlocked in the window: same passphrase), else asked at the
    terminal (then remembered)."""
    found = given_passphrase(path)
    if found is None:
        found = _remembered_that_opens(path)
    if found is None:
        found = ask_passphrase(f"数据库 {path.name} 的口令：")
        remember_key(path, found)
    return found


def _remembered_that_opens(path: Path) -> str | None:
    with _lock:
        candidates = list(dict.fromkeys(_passphrases.values()))
    for passphrase in candidates:
        if is_encrypted(path) and check_passphrase(path, passphrase):
            remember_key(path, passphrase)
            return passphrase
    return None


# -- keys and connections ----------------------------------------------------------------------------------------


def file_salt(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as f:
            salt = f.read(SALT_BYTES)
    except OSError:
        return None
    return salt if len(salt) == SALT_BYTES else None


def derive_raw_key(passphrase: str, salt: bytes) -> bytes:
    """SQLCipher 4's key derivation (PBKDF2-HMAC-SHA512, 256,000 iterations), cached for this process."""
    ident = (hashlib.sha256(passphrase.encode("utf-8")).hexdigest(), salt)
    with _lock:
        found = _raw_keys.get(ident)
    if found is None:
        found = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, 32)
        with _lock:
            _raw_keys[ident] = found
    return found


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def key_statement(passphrase: str, salt: bytes | None) -> str:
    """`PRAGMA key` for a file: the raw key with the file's salt (no second derivation), or the passphrase for a
    file SQLCipher still has to create (it chooses the salt)."""
    if salt is None:
        return f"PRAGMA key = {_quote(passphrase)}"
    raw = derive_raw_key(passphrase, salt)
    return f"PRAGMA key = \"x'{raw.hex()}{salt.hex()}'\""


def apply_key(conn: Any, path: Path, passphrase: str) -> None:
    """Key a fresh sqlcipher3 connection and prove the key (WrongKey when it does not open the file)."""
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not SQLCipher's on stderr
    conn.execute(key_statement(passphrase, file_salt(path) if is_encrypted(path) else None))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:
        if "not a database" in str(exc).lower():
            raise WrongKey(f"数据库口令不正确（或文件已损坏）：{path.name}", field="key") from None
        raise


def connect_cipher(path: Path, passphrase: str, *, timeout: float = 10, readonly: bool = False) -> Any:
    """A sqlcipher3 connection to `path`, keyed and checked."""
    dbapi = require_cipher()
    target = f"file:{path}?mode=ro" if readonly else str(path)
    conn = dbapi.connect(target, uri=readonly, timeout=timeout, check_same_thread=False)
    try:
        apply_key(conn, path, passphrase)
    except BaseException:
        conn.close()
        raise
    return conn


def connect(path: Path, *, readonly: bool = False, timeout: float = 10, isolation_level: str | None = "") -> Any:
    """A DB-API connection to a SQLite file, encrypted or not (backups, restores, checks outside the engine)."""
    if is_encrypted(path):
        conn = connect_cipher(path, passphrase_for(path), timeout=timeout, readonly=readonly)
        conn.isolation_level = isolation_level
        return conn
    target = f"file:{path}?mode=ro" if readonly else str(path)
    return sqlite3.connect(target, uri=readonly, timeout=timeout, isolation_level=isolation_level)  # type: ignore[arg-type]


def connect_like(source: Path, target: Path, *, timeout: float = 10) -> Any:
    """A connection to a new file `target` keyed like `source` (same key and salt, so the backup API copies the
    pages and the copy opens with the same passphrase); a plain connection when `source` is plain."""
    if not is_encrypted(source):
        return sqlite3.connect(target, timeout=timeout)
    passphrase = passphrase_for(source)
    salt = file_salt(source)
    assert salt is not None
    dbapi = require_cipher()
    conn = dbapi.connect(str(target), timeout=timeout)
    raw = derive_raw_key(passphrase, salt)
    conn.execute(f"PRAGMA key = \"x'{raw.hex()}{salt.hex()}'\"")
    with _lock:
        _passphrases.setdefault(_key_path(target), passphrase)
    return conn


def wants_cipher(path: Path) -> bool:
    """Whether an engine for this file must go through SQLCipher."""
    if is_encrypted(path):
        return True
    with _lock:
        return _key_path(path) in _create_encrypted and not (path.exists() and path.stat().st_size > 0)


def check_passphrase(path: Path, passphrase: str) -> bool:
    """Whether `passphrase` opens the encrypted database at `path` (the GUI dialog; no state kept)."""
    try:
        conn = connect_cipher(path, passphrase, readonly=True)
    except WrongKey:
        return False
    conn.close()
    return True


def cipher_integrity(conn: Any) -> list[str]:
    """SQLCipher's page HMAC check over the whole file (`PRAGMA cipher_integrity_check`): the problems, [] if none."""
    return [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]


def is_cipher_connection(conn: Any) -> bool:
    return type(conn).__module__.startswith("sqlcipher3")


def is_database_error(exc: BaseException) -> bool:
    """sqlite3's or sqlcipher3's DatabaseError (two unrelated classes)."""
    if isinstance(exc, sqlite3.DatabaseError):
        return True
    dbapi = cipher_module()
    return dbapi is not None and isinstance(exc, dbapi.DatabaseError)


# -- file keys ---------------------------------------------------------------------------------------------------

_file_keys: dict[bytes, bytes] = {}  # key id → file key (known to this process)
_encrypted_roots: dict[str, bytes] = {}  # archive root → key id of new files


def key_id_of(key: bytes) -> bytes:
    return hashlib.sha256(b"xinfang file key id\x00" + key).digest()[:16]


def file_key_of(conn: Any, *, create: bool) -> bytes | None:
    """The file key kept inside the encrypted database (created, in the caller's transaction, when asked)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FILE_KEYS_TABLE,)
    ).fetchone()
    if exists:
        row = conn.execute(f"SELECT key FROM {FILE_KEYS_TABLE} ORDER BY created_at DESC LIMIT 1").fetchone()
        if row is not None:
            return bytes(row[0])
    if not create:
        return None
    key = secrets.token_bytes(32)
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {FILE_KEYS_TABLE} "
        "(key_id TEXT PRIMARY KEY, key BLOB NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    conn.execute(f"INSERT INTO {FILE_KEYS_TABLE} (key_id, key) VALUES (?, ?)", (key_id_of(key).hex(), key))
    return key


def register_file_keys(conn: Any) -> None:
    """Make every file key of an encrypted database (or backup copy) known, to read its files."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FILE_KEYS_TABLE,)
    ).fetchone()
    if not exists:
        return
    with _lock:
        for (key,) in conn.execute(f"SELECT key FROM {FILE_KEYS_TABLE}").fetchall():
            _file_keys[key_id_of(bytes(key))] = bytes(key)


def register_archive(root: Path, key: bytes) -> None:
    """New files placed under `root` are encrypted with `key`."""
    with _lock:
        _file_keys[key_id_of(key)] = key
        _encrypted_roots[str(Path(root).resolve())] = key_id_of(key)


def archive_key_for(path: Path) -> bytes | None:
    """The file key new files at `path` are encrypted with (None: the path is in no encrypted archive)."""
    resolved = Path(path).resolve()
    with _lock:
        for root, key_id in _encrypted_roots.items():
            if resolved.is_relative_to(root):
                return _file_keys[key_id]
    return None


def is_archive_encrypted(root: Path) -> bool:
    with _lock:
        return str(Path(root).resolve()) in _encrypted_roots


# -- the encrypted file format -----------------------------------------------------------------------------------


def is_encrypted_file(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(FILE_MAGIC)) == FILE_MAGIC
    except OSError:
        return False


def _aead(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def encrypt_stream(source: IO[bytes], out: IO[bytes], key: bytes) -> tuple[str, int]:
    """Encrypt `source` into `out`; returns (SHA-256 of the plain content, plain size)."""
    aead = _aead(key)
    prefix = secrets.token_bytes(7)
    header = FILE_MAGIC + key_id_of(key) + prefix + b"\x00"
    out.write(header)
    digest = hashlib.sha256()
    size = 0
    index = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if len(chunk) == CHUNK else b""
        last = not following
        digest.update(chunk)
        size += len(chunk)
        out.write(aead.encrypt(_nonce(prefix, index, last), chunk, header))
        if last:
            break
        chunk, index = following, index + 1
        if index >= 2**32:
            raise ValueError("file too large to encrypt")
    return digest.hexdigest(), size


def decrypt_chunks(path: Path) -> Iterator[bytes]:
    """The plain content of an encrypted file, chunk by chunk (FileKeyUnknown, or InvalidTag when changed)."""
    from cryptography.exceptions import InvalidTag

    with open(path, "rb") as f:
        header = f.read(HEADER_BYTES)
        if len(header) != HEADER_BYTES or header[:8] != FILE_MAGIC:
            raise InvalidTag()
        key_id, prefix = header[8:24], header[24:31]
        with _lock:
            key = _file_keys.get(key_id)
        if key is None:
            raise FileKeyUnknown(
                f"文件 {path.name} 已加密，需先用数据库口令打开它所属的数据库", field="key", details={"path": str(path)}
            )
        aead = _aead(key)
        index = 0
        sealed = f.read(CHUNK + TAG_BYTES)
        while True:
            following = f.read(CHUNK + TAG_BYTES) if len(sealed) == CHUNK + TAG_BYTES else b""
            last = not following
            yield aead.decrypt(_nonce(prefix, index, last), sealed, header)
            if last:
                return
            sealed, index = following, index + 1


def plain_chunks(path: Path) -> Iterator[bytes]:
    """A stored file's plain content, decrypting when it is encrypted."""
    if is_encrypted_file(path):
        yield from decrypt_chunks(path)
        return
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def plain_sha256(path: Path) -> str | None:
    """SHA-256 of the plain content; None when an encrypted file fails its authentication (changed, cut off)."""
    from cryptography.exceptions import InvalidTag

    digest = hashlib.sha256()
    try:
        for chunk in plain_chunks(path):
            digest.update(chunk)
    except InvalidTag:
        return None
    return digest.hexdigest()


def copy_plain(source: Path, target: Path) -> Path:
    """Copy a stored file's plain content to `target` (a document given to the user, an attachment opened): through
    a temporary file beside it, fsync and a rename, so `target` is never left half written. An encrypted file that
    fails its authentication (changed, cut off) is refused (DomainError), nothing left at `target`."""
    from cryptography.exceptions import InvalidTag

    source, target = Path(source), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with open(tmp, "wb") as out:
            try:
                for chunk in plain_chunks(source):
                    out.write(chunk)
            except InvalidTag:
                raise DomainError(
                    f"文件 {source.name} 已被改动或损坏（解密校验不通过），请从备份恢复", details={"path": str(source)}
                ) from None
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target


def plain_view(path: Path, name: str | None = None) -> Path:
    """A file the system viewer can open: `path` itself when plain, else a decrypted copy in a private temporary
    folder of this user (mode 0700), removed when the program exits. `name`: the copy's file name (an attachment
    is stored under its SHA-256; the viewer needs its own name and extension); each copy gets a folder of its own,
    so two files of the same name never overwrite each other while open."""
    path = Path(path)
    if not is_encrypted_file(path):
        return path
    folder = Path(tempfile.mkdtemp(prefix="v-", dir=_view_dir()))
    return copy_plain(path, folder / _safe_name(name or path.name))


def _safe_name(name: str) -> str:
    """A file name without a folder part (a name typed by a user or stored in the database)."""
    cleaned = Path(name.replace("\\", "/")).name.strip()
    return cleaned if cleaned not in ("", ".", "..") else "file"


_view_folder: Path | None = None


def _view_dir() -> Path:
    global _view_folder
    with _lock:
        if _view_folder is None:
            import atexit
            import shutil

            _view_folder = Path(tempfile.mkdtemp(prefix="xinfang-view-"))
            atexit.register(shutil.rmtree, _view_folder, True)
        return _view_folder


def encrypt_file_in_place(path: Path, key: bytes) -> bool:
    """Encrypt one plain stored file in place (through a temporary file, fsync, rename); False when it already was."""
    if is_encrypted_file(path):
        return False
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.enc")
    try:
        with open(path, "rb") as src, open(tmp, "wb") as out:
            encrypt_stream(src, out, key)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return True


def encrypt_into(tmp_plain: Path, key: bytes) -> Path:
    """An encrypted copy of a finished temporary file, beside it (the caller places it and removes both)."""
    out_path = tmp_plain.with_name(tmp_plain.name + ".enc")
    with open(tmp_plain, "rb") as src, open(out_path, "wb") as out:
        encrypt_stream(src, out, key)
        out.flush()
        os.fsync(out.fileno())
    return out_path


@dataclass
class FilesEncrypted:
    encrypted: int = 0
    already: int = 0
    failed: list[str] = field(default_factory=list)
