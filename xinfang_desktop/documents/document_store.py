"""Issuing documents: the number, the file in the data directory with its SHA-256, the row, the audit entry.

A document is issued in one transaction: the number is drawn from `number_sequences` (kind "doc:<type>", per year,
never reused), the document is rendered to a temporary file beside its final name, flushed and fsynced, renamed into
place, and only then is the row committed; if the commit fails the file is removed. So there is never a row without
its file nor a half-written file under a final name. A reissue is a new version with the same number; the old file
stays where it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinfang_desktop.core.errors import ConflictError, DomainError, NotFoundError
from xinfang_desktop.documents.model import OfficialDocument
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types import spec
from xinfang_desktop.paths import data_dir
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import CaseRecord, DocumentRecord
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import unit_of_work

FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Rendered:
    """What a renderer reports: pages, the font used for each role, and the fallbacks (role → {font: chars})."""

    pages: int
    fonts: dict[str, str]
    fallbacks: dict[str, dict[str, str]] = field(default_factory=dict)


Renderer = Callable[[OfficialDocument, str, BinaryIO], Rendered]


def render_document(doc: OfficialDocument, fmt: str, stream: BinaryIO) -> Rendered:
    """Render through the documents engine: `render_pdf` or `render_docx` (RenderInfo → Rendered)."""
    if fmt == "pdf":
        from xinfang_desktop.documents.pdf_renderer import render_pdf

        info: Any = render_pdf(doc, stream)
    elif fmt == "docx":
        try:
            from xinfang_desktop.documents.docx_renderer import render_docx
        except ModuleNotFoundError as exc:
            if exc.name != "xinfang_desktop.documents.docx_renderer":
                raise
            raise DomainError("本版本尚未提供 DOCX 输出，请使用 --format pdf", field="format") from None
        info = render_docx(doc, stream)
    else:
        raise DomainError(f"未知的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}", field="format")
    return Rendered(
        pages=int(info.pages),
        fonts={str(k): str(v) for k, v in dict(info.fonts).items()},
        fallbacks={str(k): dict(v) for k, v in dict(getattr(info, "fallbacks", {}) or {}).items()},
    )


def sequence_kind(type_id: str) -> str:
    """The `number_sequences.kind` of a type (the column holds 32 characters: one long id is shortened)."""
    kind = f"doc:{type_id}"
    if len(kind) <= 32:
        return kind
    # accountability_recommendation has counted under "doc:accountability" since it was added; later long ids get
    # their own short kind so that two types never share a counter.
    return _SHORT_KINDS.get(type_id, f"doc:{type_id.split('_')[0]}")


_SHORT_KINDS = {"accountability_outcome_report": "doc:accountability_outcome"}


@dataclass(frozen=True)
class IssuedDocument:
    id: int
    type_id: str
    label: str
    number: str
    year: int
    seq: int
    version: int
    format: str
    path: Path
    sha256: str
    pages: int
    fonts: dict[str, str]
    fallbacks: dict[str, dict[str, str]]
    case_number: str | None
    event_seq: int | None
    supersedes_id: int | None
    provisional: bool

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "type": self.type_id,
            "label": self.label,
            "number": self.number,
            "version": self.version,
            "format": self.format,
            "stored_path": str(self.path),
            "sha256": self.sha256,
            "pages": self.pages,
            "fonts": self.fonts,
            "fallbacks": self.fallbacks,
            "case_number": self.case_number,
            "event_seq": self.event_seq,
            "supersedes_id": self.supersedes_id,
            "provisional": self.provisional,
        }


def documents_root() -> Path:
    return data_dir() / "documents"


def office_info(db: Database) -> OfficeInfo:
    """The issuing office from the settings stored in the database."""
    with db.read_session() as session:
        return OfficeInfo.from_settings(SqlSettings(session).all())


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(final: Path, produce: Callable[[BinaryIO], Rendered]) -> tuple[Rendered, str]:
    """Write `final` through a temporary file in the same folder (flush, fsync, rename); returns what `produce`
    reported and the SHA-256 of the bytes written. Refuses to replace an existing file."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        raise ConflictError(f"文件已存在，不会覆盖：{final}")
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as stream:
            rendered = produce(stream)
            stream.flush()
            os.fsync(stream.fileno())
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        if final.exists():
            raise ConflictError(f"文件已存在，不会覆盖：{final}")
        os.replace(tmp, final)
        _fsync_dir(final.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return rendered, digest


def issue_document(
    db: Database,
    type_id: str,
    data: Mapping[str, Any],
    *,
    fmt: str = "pdf",
    office: OfficeInfo | None = None,
    case_number: str | None = None,
    event_seq: int | None = None,
    reissue_of: str | None = None,
    user: str | None = None,
    now: datetime | None = None,
    renderer: Renderer = render_document,
) -> IssuedDocument:
    """Validate `data`, number the document, render and store it, record it and audit it — all or nothing.

    `case_number` links the document to a case (default: the input's case_number when such a case is stored);
    `reissue_of` names an issued document number: the result is its next version (same number, old file kept).
    """
    document_type = spec(type_id)
    if fmt not in FORMATS:
        raise DomainError(f"未知的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}", field="format")
    parsed = document_type.from_json(data)  # a ValidationError here changes nothing
    office = office or office_info(db)
    year = document_type.issued_on(parsed).year
    link = case_number or (data.get("case_number") if isinstance(data.get("case_number"), str) else None)
    final: Path | None = None
    try:
        with unit_of_work(db, user=user, now=now) as uow:
            session = uow.session
            case_id = _case_id(session, link, required=case_number is not None)
            supersedes: DocumentRecord | None = None
            if reissue_of:
                supersedes = latest_version(session, reissue_of)
                if supersedes.type_id != type_id:
                    raise DomainError(
                        f"文书 {reissue_of} 是“{spec(supersedes.type_id).label}”，"
                        f"不能作为“{document_type.label}”重新出具",
                        field="reissue",
                    )
                year, seq, number = supersedes.year, supersedes.seq, supersedes.number
                version = supersedes.version + 1
                case_id = case_id if case_id is not None else supersedes.case_id
            else:
                seq = uow.cases.next_number(sequence_kind(type_id), year)
                number = office.document_number(type_id, year, seq)
                version = 1
            doc = document_type.build(parsed, office, number)
            relative = Path(str(year)) / f"{type_id}-{year}-{seq:05d}-v{version}.{fmt}"
            final = documents_root() / relative
            rendered, digest = write_atomically(final, lambda stream: renderer(doc, fmt, stream))
            record = DocumentRecord(
                type_id=type_id,
                year=year,
                seq=seq,
                number=number,
                case_id=case_id,
                event_seq=event_seq,
                version=version,
                supersedes_id=supersedes.id if supersedes else None,
                path=relative.as_posix(),
                sha256=digest,
                pages=rendered.pages,
                format=fmt,
                created_at=uow.now,
                created_by=uow.user_id,
            )
            session.add(record)
            session.flush()
            record_id = record.id
            uow.audit.record(
                "reissue" if supersedes else "issue",
                "document",
                number,
                {
                    "type": type_id,
                    "version": version,
                    "sha256": digest,
                    "path": relative.as_posix(),
                    "case": link if case_id is not None else None,
                    "event_seq": event_seq,
                    "supersedes": supersedes.id if supersedes else None,
                },
            )
            uow.commit()
            result = IssuedDocument(
                id=record_id,
                type_id=type_id,
                label=document_type.label,
                number=number,
                year=year,
                seq=seq,
                version=version,
                format=fmt,
                path=final,
                sha256=digest,
                pages=rendered.pages,
                fonts=rendered.fonts,
                fallbacks=rendered.fallbacks,
                case_number=link if case_id is not None else None,
                event_seq=event_seq,
                supersedes_id=supersedes.id if supersedes else None,
                provisional=doc.provisional,
            )
    except BaseException:
        if final is not None and not _committed(db, final):
            with contextlib.suppress(FileNotFoundError):
                final.unlink()
        raise
    return result


def _committed(db: Database, final: Path) -> bool:
    """Whether a row points at this file (after a failure: keep the file only if its row made it)."""
    relative = final.relative_to(documents_root()).as_posix()
    try:
        with db.read_session() as session:
            return session.scalar(select(DocumentRecord.id).where(DocumentRecord.path == relative)) is not None
    except Exception:
        return False


def _case_id(session: Session, number: str | None, *, required: bool) -> int | None:
    if not number:
        return None
    case_id = session.scalar(select(CaseRecord.id).where(CaseRecord.number == number))
    if case_id is None and required:
        raise NotFoundError(f"未找到信访事项 {number}", field="case")
    return case_id


def latest_version(session: Session, number: str) -> DocumentRecord:
    found = session.scalars(
        select(DocumentRecord).where(DocumentRecord.number == number).order_by(DocumentRecord.version.desc()).limit(1)
    ).first()
    if found is None:
        raise NotFoundError(f"未找到文书 {number}", field="number")
    return found


def document_rows(session: Session, *, case_number: str | None = None) -> list[dict[str, object]]:
    """Issued documents (every version), newest first; only one case's when `case_number` is given."""
    stmt = select(DocumentRecord, CaseRecord.number).outerjoin(CaseRecord, CaseRecord.id == DocumentRecord.case_id)
    if case_number:
        stmt = stmt.where(CaseRecord.number == case_number)
    rows = session.execute(stmt.order_by(DocumentRecord.id.desc())).all()
    return [
        {
            "id": d.id,
            "type": d.type_id,
            "label": spec(d.type_id).label,
            "number": d.number,
            "version": d.version,
            "format": d.format,
            "path": str(documents_root() / d.path),
            "sha256": d.sha256,
            "pages": d.pages,
            "case_number": number,
            "event_seq": d.event_seq,
            "supersedes_id": d.supersedes_id,
            "created_at": d.created_at.isoformat(timespec="seconds"),
        }
        for d, number in rows
    ]


def verify_file(row: Mapping[str, object]) -> bool:
    """Whether the stored file still has the SHA-256 recorded when it was issued."""
    path = Path(str(row["path"]))
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"]
