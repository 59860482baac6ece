"""Attachments (scans, photos, recordings): files kept in the data directory under their SHA-256, listed per case."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from xinfang_desktop.core.errors import DomainError, NotFoundError
from xinfang_desktop.paths import data_dir
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import AttachmentRecord, CaseRecord
from xinfang_desktop.persistence.uow import unit_of_work

MAX_ATTACHMENT_BYTES = 2 * 1024**3  # 2 GB: a long video recording of a 三方会审 still fits
_CHUNK = 1024 * 1024


def attachments_dir() -> Path:
    return data_dir() / "attachments"


def stored_path(sha256: str) -> Path:
    """Content-addressed location: attachments/ab/abcdef… (the same file is stored once)."""
    return attachments_dir() / sha256[:2] / sha256


def _copy_hashing(source: Path) -> tuple[Path, str, int]:
    """Copy into a temporary file beside the store while hashing, fsync it; returns (temp, sha256, size)."""
    attachments_dir().mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=attachments_dir(), prefix=".incoming-")
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


def add_attachment(db: Database, number: str, source: Path, *, name: str | None = None) -> dict[str, Any]:
    """Store a file for a case: the row is written only once the file is safely in place."""
    if not source.is_file():
        raise NotFoundError(f"找不到文件：{source}", field="file")
    tmp, sha256, size = _copy_hashing(source)
    target = stored_path(sha256)
    placed_here = False
    try:
        if target.exists():
            tmp.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
            placed_here = True
        media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        with unit_of_work(db) as uow:
            case_id = uow.session.scalar(select(CaseRecord.id).where(CaseRecord.number == number))
            if case_id is None:
                raise NotFoundError(f"未找到信访事项 {number}", field="number")
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
        tmp.unlink(missing_ok=True)
        if placed_here:  # nobody else refers to a file this call put there
            target.unlink(missing_ok=True)
        raise
    return result


def list_attachments(db: Database, number: str) -> list[dict[str, Any]]:
    with db.read_session() as s:
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
                "path": str(stored_path(r.sha256)),
            }
            for r in rows
        ]


def export_attachment(sha256: str, target: Path) -> Path:
    """Copy a stored file out (e.g. to open it), checking it still matches its hash."""
    source = stored_path(sha256)
    digest = hashlib.sha256()
    with source.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != sha256:
        raise DomainError(f"附件 {source.name} 已被改动或损坏（校验值不符）")
    shutil.copyfile(source, target)
    return target
