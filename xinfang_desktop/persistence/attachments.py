"""Attachments (scans, photos, recordings): files kept in the database's own archive under their SHA-256, per case."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from xinfang_desktop.core.errors import DomainError, NotFoundError
from xinfang_desktop.persistence.archive import archive_of, file_sha256
from xinfang_desktop.persistence.data_scope import require_case_in_scope
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.encryption import archive_key_for, copy_plain, encrypt_stream, is_encrypted_file
from xinfang_desktop.persistence.records import AttachmentRecord, CaseRecord
from xinfang_desktop.persistence.uow import unit_of_work

MAX_ATTACHMENT_BYTES = 2 * 1024**3  # 2 GB: a long video recording of a 三方会审 still fits
_CHUNK = 1024 * 1024


def attachments_dir(owner: Database | Session) -> Path:
    """The attachments folder of the database `owner` belongs to (persistence.archive)."""
    return archive_of(owner).attachments


def stored_path(owner: Database | Session, sha256: str) -> Path:
    """Content-addressed location: attachments/ab/abcdef… (the same file is stored once per database)."""
    return archive_of(owner).attachment_path(sha256)


def session_of(record: object) -> Session:
    """The session a loaded record belongs to (its database names the archive)."""
    session = object_session(record)
    if session is None:
        raise RuntimeError("a detached record has no archive")
    return session


def _copy_hashing(source: Path, owner: Database | Session) -> tuple[Path, str, int]:
    """Copy into a temporary file beside the store while hashing, fsync it; returns (temp, sha256, size).

    In the archive of an encrypted database the temporary file is the encrypted content; sha256 and size are the
    plain file's (issue 17)."""
    folder = attachments_dir(owner)
    folder.mkdir(parents=True, exist_ok=True)
    key = archive_key_for(folder)
    if key is not None:
        return _copy_encrypting(source, folder, key)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > MAX_ATTACHMENT_BYTES:
                    raise DomainError(f"附件超过 {MAX_ATTACHMENT_BYTES // 1024**3} GB，无法保存", field="file")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return Path(tmp_name), digest.hexdigest(), size


class _Limited:
    """A reader that refuses more than MAX_ATTACHMENT_BYTES."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.stream.read(n)
        self.size += len(chunk)
        if self.size > MAX_ATTACHMENT_BYTES:
            raise DomainError(f"附件超过 {MAX_ATTACHMENT_BYTES // 1024**3} GB，无法保存", field="file")
        return chunk


def _copy_encrypting(source: Path, folder: Path, key: bytes) -> tuple[Path, str, int]:
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            sha256, size = encrypt_stream(_Limited(src), out, key)  # type: ignore[arg-type]
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return Path(tmp_name), sha256, size


def place_file(owner: Database | Session, source: Path) -> tuple[str, int, Path | None]:
    """Copy a file into the store under its SHA-256 (encrypted in an encrypted archive): (sha256, size, placed),
    `placed` set when this call put the file there — the caller removes it again if its row is not written."""
    tmp, sha256, size = _copy_hashing(source, owner)
    target = stored_path(owner, sha256)
    if target.exists():
        tmp.unlink()
        return sha256, size, None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return sha256, size, target


def add_attachment(db: Database, number: str, source: Path, *, name: str | None = None) -> dict[str, Any]:
    """Store a file for a case: the row is written only once the file is safely in place."""
    if not source.is_file():
        raise NotFoundError(f"找不到文件：{source}", field="file")
    sha256, size, placed = place_file(db, source)
    try:
        media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        with unit_of_work(db) as uow:
            case_id = uow.session.scalar(select(CaseRecord.id).where(CaseRecord.number == number))
            if case_id is None:
                raise NotFoundError(f"未找到信访事项 {number}", field="number")
            require_case_in_scope(uow.session, case_id, number)
            record = AttachmentRecord(
                case_id=case_id,
                sha256=sha256,
                name=(name or source.name)[:255],
                media_type=media_type,
                size=size,
                added_by=uow.user_id,
                added_at=uow.now,
            )
            uow.session.add(record)
            uow.session.flush()
            uow.audit.record("create", "attachment", f"{number}/{record.id}", {"sha256": sha256, "size": size})
            result = {"id": record.id, "name": record.name, "sha256": sha256, "size": size, "type": media_type}
            uow.commit()
    except BaseException:
        if placed is not None:  # nobody else refers to a file this call put there
            placed.unlink(missing_ok=True)
        raise
    return result


def list_attachments(db: Database, number: str) -> list[dict[str, Any]]:
    archive = archive_of(db)
    with db.read_session() as s:
        if (case_id := s.scalar(select(CaseRecord.id).where(CaseRecord.number == number))) is not None:
            require_case_in_scope(s, case_id, number)
        rows = s.execute(
            select(AttachmentRecord)
            .join(CaseRecord, CaseRecord.id == AttachmentRecord.case_id)
            .where(CaseRecord.number == number)
            .order_by(AttachmentRecord.id)
        ).scalars()
        return [
            {
                "id": r.id,
                "name": r.name,
                "sha256": r.sha256,
                "size": r.size,
                "type": r.media_type,
                "added_at": r.added_at.isoformat(timespec="seconds"),
                "path": str(archive.attachment_path(r.sha256)),
            }
            for r in rows
        ]


def attachment_problem(row: dict[str, Any]) -> str | None:
    """What is wrong with a listed attachment's file (a sentence for the clerk), or None when it is as stored."""
    path = Path(str(row["path"]))
    if not path.is_file():
        return f"附件文件已不在存档中，请从备份恢复（设置 → 备份与恢复）。\n文件：{path}"
    if file_sha256(path) != row["sha256"]:
        return f"附件文件已被改动，与保存时的校验值不符，请勿使用；可从备份恢复（设置 → 备份与恢复）。\n文件：{path}"
    return None


def export_attachment(owner: Database | Session, sha256: str, target: Path) -> Path:
    """Copy a stored file out (e.g. to open it), checking it still matches its hash (decrypted when the archive is
    encrypted)."""
    source = stored_path(owner, sha256)
    if not source.is_file():
        raise NotFoundError(f"附件 {source.name} 不在存档中，请从备份恢复")
    if file_sha256(source) != sha256:
        raise DomainError(f"附件 {source.name} 已被改动或损坏（校验值不符）")
    if is_encrypted_file(source):
        return copy_plain(source, target)
    shutil.copyfile(source, target)
    return target
