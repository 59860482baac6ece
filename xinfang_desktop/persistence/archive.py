"""The file archive of one database: where its issued documents and attachments live, found from the database.

Issue 17: documents and attachments used to sit in one folder of the data directory shared by every database opened
with it, so B's first document could land under the path A's record points to. Now each database has its own
archive, found from its own connection, never from a global:

- SQLite ``…/ledger.sqlite3`` → ``…/ledger.files/`` beside the file (``documents/``, ``attachments/``). The folder
  travels with the file when the office copies the folder, two databases in one folder have different stems, and a
  backup takes the file and its folder together.
- PostgreSQL (and an in-memory SQLite) → ``<data dir>/archives/<database id>/``: the id is a UUID kept in the
  database itself (setting ``database_id``), written when the database is created or first opened here, so two
  databases on one server never share a folder.

An archive carries a marker (``archive.json`` with the database id). On the first use of an archive without one,
files of this database left in the old shared folders (``<data dir>/documents``, ``<data dir>/attachments``) are
copied in — only those whose SHA-256 matches the record; a record whose old file has another hash is reported (in
the audit entry and by `db check`), never "fixed". The old folders are left as they are: another database may still
own files there.

Encrypted databases (issue 17, persistence.encryption): the archive of an encrypted SQLite file is encrypted too —
every file placed in it (``place_new``, the attachment copy) is written with the file key kept inside the database,
and ``file_sha256`` hashes the plain content, so the recorded hashes, `db check` and the backups work unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from xinfang_desktop.paths import data_dir
from xinfang_desktop.persistence.engine import WRITE_OPTION, sqlite_path
from xinfang_desktop.persistence.records import AttachmentRecord, DocumentFileRecord, DocumentRecord

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database

IDENTITY_KEY = "database_id"
ARCHIVE_SUFFIX = ".files"
MARKER = "archive.json"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Archive:
    """The folders of one database's files."""

    root: Path
    database_id: str | None

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    def document_path(self, relative: str) -> Path:
        """The file of a document record (its stored relative path); refuses a path that climbs out."""
        return _inside(self.documents, relative)

    def attachment_path(self, sha256: str) -> Path:
        """Content-addressed location: attachments/ab/abcdef… (the same file is stored once per database)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.attachments / sha256[:2] / sha256


def _inside(base: Path, relative: str) -> Path:
    path = base / relative
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        raise ValueError(f"stored path escapes the archive: {relative!r}")
    return path


def archive_root_for(engine: Engine, database_id: str | None) -> Path:
    """Where the archive of the database behind `engine` is (see the module docstring)."""
    path = sqlite_path(str(engine.url.render_as_string(hide_password=False)))
    if path is not None:
        return path.with_name(path.stem + ARCHIVE_SUFFIX)
    if not database_id:
        raise RuntimeError("a database without an identity has no archive")
    return data_dir() / "archives" / database_id


# -- the database identity -----------------------------------------------------------------------------------------


def read_identity(conn_or_session: Session | Engine) -> str | None:
    """The UUID stored in the database (None before it was given one)."""
    query = text("SELECT value FROM settings WHERE key = :k")
    if isinstance(conn_or_session, Session):
        raw = conn_or_session.execute(query, {"k": IDENTITY_KEY}).scalar()
    else:
        with conn_or_session.connect() as conn:
            raw = conn.execute(query, {"k": IDENTITY_KEY}).scalar()
    if raw is None:
        return None
    value = json.loads(raw)
    return str(value) if value else None


def ensure_identity(engine: Engine) -> str:
    """The database's UUID, written first if it has none (one winner when two workstations race: the first insert
    stands, both read it back)."""
    found = read_identity(engine)
    if found:
        return found
    from xinfang_desktop.persistence.uow import SqlUnitOfWork, current_login, workstation_name

    new = str(uuid.uuid4())
    session = Session(engine.execution_options(**{WRITE_OPTION: True}))
    try:
        uow = SqlUnitOfWork(
            session, user=current_login(), workstation=workstation_name(), now=datetime.now().replace(microsecond=0)
        )
        inserted = session.execute(
            text("INSERT INTO settings (key, value) VALUES (:k, :v) ON CONFLICT (key) DO NOTHING"),
            {"k": IDENTITY_KEY, "v": json.dumps(new)},
        )
        if getattr(inserted, "rowcount", 0) == 1:
            uow.audit.record("create", "database_identity", new)
        uow.commit()
    finally:
        session.close()
    stored = read_identity(engine)
    assert stored is not None
    return stored


# -- finding and opening the archive -------------------------------------------------------------------------------

_cache: dict[str, Archive] = {}
_lock = threading.Lock()


def archive_of(owner: Database | Session) -> Archive:
    """The archive of the database a `Database` or a `Session` belongs to; on its first use here, the old shared
    folders' files of this database are copied in (see `adopt_legacy_files`)."""
    engine = _engine_of(owner)
    key = engine.url.render_as_string(hide_password=False)
    with _lock:
        found = _cache.get(key)
        if found is not None and (found.root / MARKER).is_file():
            return found
        sqlite_file = sqlite_path(key)
        try:
            database_id: str | None = ensure_identity(engine)
        except Exception:
            if sqlite_file is None:
                raise
            database_id = read_identity_quietly(engine)  # a read-only or damaged file still shows its documents
        archive = Archive(archive_root_for(engine, database_id), database_id)
        if sqlite_file is not None:
            _register_encryption(engine, sqlite_file, archive)
        if not (archive.root / MARKER).is_file():
            _open_new(engine, archive)
        _cache[key] = archive
        return archive


def _register_encryption(engine: Engine, sqlite_file: Path, archive: Archive) -> None:
    """An encrypted database: its file key (created on first use) encrypts what is placed in its archive."""
    from xinfang_desktop.persistence import encryption

    if not encryption.is_encrypted(sqlite_file):
        return
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        key = encryption.file_key_of(conn, create=False)
        if key is None:
            try:
                conn.execute("BEGIN IMMEDIATE")
                key = encryption.file_key_of(conn, create=True)
                conn.execute("COMMIT")
            except Exception:
                with contextlib.suppress(Exception):
                    conn.execute("ROLLBACK")
                key = encryption.file_key_of(conn, create=False)  # another workstation made it first, or read-only
        encryption.register_file_keys(conn)
    finally:
        raw.close()
    if key is not None:
        encryption.register_archive(archive.root, key)


def _engine_of(owner: Database | Session) -> Engine:
    engine = owner.get_bind() if isinstance(owner, Session) else owner.engine
    if not isinstance(engine, Engine):
        raise TypeError("a session bound to a connection has no archive")
    return engine


def read_identity_quietly(engine: Engine) -> str | None:
    try:
        return read_identity(engine)
    except Exception:
        return None


def forget(owner: Database | Session | None = None) -> None:
    """Drop the cached location (after a restore replaced the database and its archive)."""
    with _lock:
        if owner is None:
            _cache.clear()
            return
        _cache.pop(_engine_of(owner).url.render_as_string(hide_password=False), None)


def marker_identity(root: Path) -> str | None:
    """The database id written in an archive's marker (None without a readable marker)."""
    try:
        value = json.loads((root / MARKER).read_text(encoding="utf-8")).get(IDENTITY_KEY)
    except (OSError, ValueError, AttributeError):
        return None
    return str(value) if value else None


def _open_new(engine: Engine, archive: Archive) -> None:
    """First use of an archive: copy this database's files from the old shared folders, then write the marker."""
    try:
        archive.root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only place: documents are shown from where they are, nothing is written
    report = adopt_legacy_files(engine, archive)
    if report.copied or report.changed:
        _audit_adoption(engine, report)
    marker = {IDENTITY_KEY: archive.database_id, "created_at": datetime.now().isoformat(timespec="seconds")}
    with contextlib.suppress(OSError):
        _write_file(archive.root / MARKER, json.dumps(marker, ensure_ascii=False, indent=1).encode("utf-8"))


# -- files of an existing install ----------------------------------------------------------------------------------


@dataclass
class AdoptionReport:
    """What the first open of an archive did with the old shared folders."""

    copied: list[str] = field(default_factory=list)
    changed: list[dict[str, str]] = field(default_factory=list)  # {"path", "expected", "found"}: left out, reported

    def to_json(self) -> dict[str, object]:
        return {"copied": len(self.copied), "changed": self.changed}


def legacy_roots() -> tuple[Path, Path]:
    """The folders every database shared before issue 17 (documents, attachments)."""
    base = data_dir()
    return base / "documents", base / "attachments"


def stored_files(session: Session) -> Iterator[tuple[str, str, str]]:
    """Every file a database refers to: (kind, stored path or hash, sha256); kind is "document" or "attachment"."""
    for path, sha in session.execute(select(DocumentRecord.path, DocumentRecord.sha256)):
        yield "document", str(path), str(sha)
    for path, sha in session.execute(select(DocumentFileRecord.path, DocumentFileRecord.sha256)):
        yield "document", str(path), str(sha)
    for (sha,) in session.execute(select(AttachmentRecord.sha256).distinct()):
        yield "attachment", str(sha), str(sha)


def adopt_legacy_files(engine: Engine, archive: Archive) -> AdoptionReport:
    """Copy into `archive` the old shared folders' files whose SHA-256 matches this database's records."""
    report = AdoptionReport()
    old_documents, old_attachments = legacy_roots()
    if not old_documents.is_dir() and not old_attachments.is_dir():
        return report
    with Session(engine) as session:
        wanted = list(stored_files(session))
        session.rollback()
    for kind, ref, sha in wanted:
        try:
            if kind == "document":
                old, new = _inside(old_documents, ref), archive.document_path(ref)
            else:
                old, new = old_attachments / sha[:2] / sha, archive.attachment_path(sha)
        except ValueError:
            continue
        if new.exists() or not old.is_file():
            continue
        found = file_sha256(old)
        if found != sha:
            # Another database's file under this record's name (or an edited file): never taken as this one's.
            report.changed.append({"path": ref, "expected": sha, "found": found})
            continue
        _copy_in(old, new)
        report.copied.append(ref)
    return report


def _audit_adoption(engine: Engine, report: AdoptionReport) -> None:
    from xinfang_desktop.persistence.uow import SqlUnitOfWork, current_login, workstation_name

    session = Session(engine.execution_options(**{WRITE_OPTION: True}))
    try:
        uow = SqlUnitOfWork(
            session, user=current_login(), workstation=workstation_name(), now=datetime.now().replace(microsecond=0)
        )
        uow.audit.record("adopt", "archive", "legacy", {"copied": report.copied[:200], **report.to_json()})
        uow.commit()
    except Exception:
        session.rollback()  # a read-only database: the copy is done, the entry is not possible
    finally:
        session.close()


# -- file helpers ------------------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    """SHA-256 of a stored file's content — the plain content of an encrypted file (one whose authentication
    fails, changed or cut off, gets a value no record has: "changed")."""
    from xinfang_desktop.persistence.encryption import is_encrypted_file, plain_sha256

    if is_encrypted_file(path):
        return plain_sha256(path) or "encrypted-file-failed-authentication"
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def place_new(tmp: Path, final: Path) -> None:
    """Move a finished temporary file to `final` without ever replacing a file already there (FileExistsError).

    In the archive of an encrypted database the file placed is the encrypted copy of `tmp` (`tmp` is removed)."""
    from xinfang_desktop.persistence.encryption import archive_key_for, encrypt_into, is_encrypted_file

    key = archive_key_for(final)
    if key is not None and not is_encrypted_file(tmp):
        sealed = encrypt_into(tmp, key)
        try:
            _place(sealed, final)
        finally:
            sealed.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
        return
    _place(tmp, final)


def _place(tmp: Path, final: Path) -> None:
    try:
        os.link(tmp, final)  # atomic and refuses an existing name, unlike rename on POSIX
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename (a narrow window, as before)
        if final.exists():
            raise FileExistsError(str(final)) from None
        os.replace(tmp, final)
    else:
        tmp.unlink()
    _fsync_dir(final.parent)


def _copy_in(source: Path, final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):
            place_new(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def _write_file(final: Path, data: bytes) -> None:
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


# -- checking ----------------------------------------------------------------------------------------------------


@dataclass
class ArchiveCheck:
    """Every stored file of a database against its recorded SHA-256."""

    root: str
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    foreign_marker: str | None = None  # the archive's marker names another database

    @property
    def ok(self) -> bool:
        return not self.missing and not self.changed and self.foreign_marker is None

    def to_json(self) -> dict[str, object]:
        return {
            "root": self.root,
            "checked": self.checked,
            "missing": self.missing,
            "changed": self.changed,
            "foreign_marker": self.foreign_marker,
            "ok": self.ok,
        }


def check_archive(db: Database) -> ArchiveCheck:
    """Re-hash every document and attachment file the database refers to (`db check`)."""
    archive = archive_of(db)
    result = ArchiveCheck(str(archive.root))
    marked = marker_identity(archive.root)
    if marked and archive.database_id and marked != archive.database_id:
        result.foreign_marker = marked
    with db.read_session() as session:
        wanted = list(stored_files(session))
    for kind, ref, sha in wanted:
        result.checked += 1
        try:
            path = archive.document_path(ref) if kind == "document" else archive.attachment_path(sha)
        except ValueError:
            result.changed.append(ref)
            continue
        if not path.is_file():
            result.missing.append(ref if kind == "document" else f"attachments/{sha[:12]}…")
        elif file_sha256(path) != sha:
            result.changed.append(ref if kind == "document" else f"attachments/{sha[:12]}…")
    return result
