"""Issuing documents: the number, the file in the database's archive with its SHA-256, the row, the audit entry.

A document is issued in one transaction: the number is drawn from `number_sequences` (kind "doc:<type>", per year,
never reused), the document is rendered to a temporary file beside its final name, flushed and fsynced, linked into
place (never over an existing file), and only then is the row committed; if the commit fails the file this call
wrote is removed — never a file it did not write. So there is never a row without its file nor a half-written file
under a final name. The files are in the database's own archive (persistence.archive), never shared with another.
A reissue is a new version with the same number; the old file stays where it was.

One document, one number: the number belongs to the issued record. Issuing the same input in the other format
(the DOCX of a PDF already issued) draws no new number — the file is added to that record (`document_files`).
A 文号 typed by the clerk (``number`` in the input: the 交办文号 of a 交办) is printed as typed and
takes nothing from the sequence; the sequence skips a number already in use.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinfang_desktop.core.errors import ConflictError, DomainError, NotFoundError
from xinfang_desktop.documents.model import OfficialDocument
from xinfang_desktop.documents.office import OfficeInfo
from xinfang_desktop.documents.types import spec
from xinfang_desktop.documents.types._addressed import guard_addressed
from xinfang_desktop.documents.types._common import NUMBER_KEY, typed_number
from xinfang_desktop.persistence.archive import archive_of, file_sha256, place_new
from xinfang_desktop.persistence.data_scope import require_case_in_scope
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.persistence.records import CaseRecord, DocumentFileRecord, DocumentRecord
from xinfang_desktop.persistence.settings_store import SqlSettings
from xinfang_desktop.persistence.uow import unit_of_work

FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Rendered:
    """What a renderer reports: pages, the font used for each role, the fallbacks (role → {font: chars}) and the
    warnings for the clerk (never printed)."""

    pages: int
    fonts: dict[str, str]
    fallbacks: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


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
        warnings=tuple(getattr(info, "warnings", ()) or ()),
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
    warnings: tuple[str, ...] = ()  # for the clerk: shown on screen, printed by the CLI on stderr; not on paper
    same_as: str | None = None  # the format already issued under this number, when this is its other format

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
            "warnings": list(self.warnings),
            "same_as": self.same_as,
        }


def documents_root(owner: Database | Session) -> Path:
    """The documents folder of the database `owner` belongs to (its own archive: persistence.archive)."""
    return archive_of(owner).documents


def office_info(db: Database) -> OfficeInfo:
    """The issuing office from the settings stored in the database."""
    with db.read_session() as session:
        return OfficeInfo.from_settings(SqlSettings(session).all())


def write_atomically(final: Path, produce: Callable[[BinaryIO], Rendered]) -> tuple[Rendered, str]:
    """Write `final` through a temporary file in the same folder (flush, fsync, rename); returns what `produce`
    reported and the SHA-256 of the bytes written. Never replaces an existing file (ConflictError), even one that
    appears while this one is being written."""
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
        try:
            place_new(tmp, final)
        except FileExistsError:
            raise ConflictError(f"文件已存在，不会覆盖：{final}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return rendered, digest


def input_fingerprint(type_id: str, data: Mapping[str, Any]) -> str:
    """The SHA-256 of a document's input (type and canonical JSON): the same input is the same document."""
    text = json.dumps({"type": type_id, "data": data}, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    The same input issued before in the other format is that document: its number, its version, a second file.
    A typed ``number`` in `data` is the number printed (nothing is drawn from the sequence).
    """
    document_type = spec(type_id)
    if fmt not in FORMATS:
        raise DomainError(f"未知的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}", field="format")
    content, typed, typed_year = typed_number(data)
    content = guard_addressed(db, type_id, content, case_number)  # R-LC-07: refused or the accuser concealed
    parsed = document_type.from_json(content)  # a ValidationError here changes nothing
    fingerprint = input_fingerprint(type_id, {**content, NUMBER_KEY: typed} if typed else content)
    office = office or office_info(db)
    year = typed_year or document_type.issued_on(parsed).year
    link = case_number or (data.get("case_number") if isinstance(data.get("case_number"), str) else None)
    root = documents_root(db)  # before the transaction: a first use of the archive may itself write
    final: Path | None = None
    created = False  # only a file this call wrote is ever removed after a failure (never another record's)
    try:
        with unit_of_work(db, user=user, now=now) as uow:
            session = uow.session
            case_id = _case_id(session, link, required=case_number is not None)
            supersedes: DocumentRecord | None = None
            same = _same_document(session, type_id, fingerprint, fmt, reissue_of)
            if same is not None:
                year, seq, number, version = same.year, same.seq, same.number, same.version
                case_id = case_id if case_id is not None else same.case_id
            elif reissue_of:
                supersedes = latest_version(session, reissue_of)
                if supersedes.type_id != type_id:
                    raise DomainError(
                        f"文书 {reissue_of} 是“{spec(supersedes.type_id).label}”，"
                        f"不能作为“{document_type.label}”重新出具",
                        field="reissue",
                    )
                if typed and typed != supersedes.number:
                    raise DomainError(f"重新出具沿用原文号 {supersedes.number}，不能改为 {typed}", field=NUMBER_KEY)
                year, seq, number = supersedes.year, supersedes.seq, supersedes.number
                version = supersedes.version + 1
                case_id = case_id if case_id is not None else supersedes.case_id
            elif typed:
                _refuse_used_number(session, typed, fmt)
                year, number, version = year, typed, 1
                seq = _typed_seq(session, type_id, year)
            else:
                seq, number = _next_free_number(session, uow, office, type_id, year)
                version = 1
            doc = document_type.make(parsed, office, number)
            name = f"{seq:05d}" if seq > 0 else f"t{-seq:04d}"  # t…: a typed number, not from the sequence
            relative = _free_name(root, Path(str(year)), f"{type_id}-{year}-{name}-v{version}", fmt)
            final = root / relative
            rendered, digest = write_atomically(final, lambda stream: renderer(doc, fmt, stream))
            created = True
            if same is not None:
                session.add(
                    DocumentFileRecord(
                        document_id=same.id,
                        format=fmt,
                        path=relative.as_posix(),
                        sha256=digest,
                        pages=rendered.pages,
                        created_at=uow.now,
                        created_by=uow.user_id,
                    )
                )
                record_id, supersedes_id = same.id, same.supersedes_id
            else:
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
                    input_sha256=fingerprint,
                )
                session.add(record)
                session.flush()
                record_id, supersedes_id = record.id, supersedes.id if supersedes else None
            session.flush()
            action = "issue_format" if same is not None else "reissue" if supersedes else "issue"
            uow.audit.record(
                action,
                "document",
                number,
                {
                    "type": type_id,
                    "version": version,
                    "format": fmt,
                    "sha256": digest,
                    "path": relative.as_posix(),
                    "case": link if case_id is not None else None,
                    "event_seq": event_seq,
                    "supersedes": supersedes_id,
                    "typed_number": bool(typed),
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
                supersedes_id=supersedes_id,
                provisional=doc.provisional,
                warnings=rendered.warnings or doc.clerk_warnings(),
                same_as=same.format if same is not None else None,
            )
    except BaseException:
        if created and final is not None and not _committed(db, root, final):
            with contextlib.suppress(FileNotFoundError):
                final.unlink()
        raise
    return result


def _same_document(
    session: Session, type_id: str, fingerprint: str, fmt: str, reissue_of: str | None
) -> DocumentRecord | None:
    """The issued document with this very input that has no file in `fmt` yet (its latest version), if any.

    With `reissue_of`, only that number's latest version counts (the other format of a reissue just made)."""
    stmt = select(DocumentRecord).where(DocumentRecord.type_id == type_id, DocumentRecord.input_sha256 == fingerprint)
    if reissue_of:
        stmt = stmt.where(DocumentRecord.number == reissue_of)
    for found in session.scalars(stmt.order_by(DocumentRecord.id.desc())):
        newer = session.scalar(
            select(DocumentRecord.id).where(
                DocumentRecord.number == found.number, DocumentRecord.version > found.version
            )
        )
        if newer is not None:
            continue  # superseded: its other format would not be the document now in force
        if found.format == fmt or _has_file(session, found.id, fmt):
            return None  # issued in this format already: issuing again is a new document (a new number)
        return found
    return None


def _has_file(session: Session, document_id: int, fmt: str) -> bool:
    return (
        session.scalar(
            select(DocumentFileRecord.id).where(
                DocumentFileRecord.document_id == document_id, DocumentFileRecord.format == fmt
            )
        )
        is not None
    )


def _refuse_used_number(session: Session, number: str, fmt: str) -> None:
    used = session.scalars(select(DocumentRecord).where(DocumentRecord.number == number).limit(1)).first()
    if used is not None:
        raise ConflictError(
            f"文号 {number} 已用于{spec(used.type_id).label}（{used.created_at:%Y-%m-%d}出具）；"
            f"同一文号不能再出具另一份文书。如需修改该文书，请重新出具（--reissue {number}）",
            field=NUMBER_KEY,
        )


def _typed_seq(session: Session, type_id: str, year: int) -> int:
    """The `seq` of a typed number: 0, −1, −2 … per type and year, apart from the sequence's 1, 2, 3 …"""
    lowest = session.scalar(
        select(func.min(DocumentRecord.seq)).where(
            DocumentRecord.type_id == type_id, DocumentRecord.year == year, DocumentRecord.seq <= 0
        )
    )
    return 0 if lowest is None else int(lowest) - 1


def _next_free_number(session: Session, uow: Any, office: OfficeInfo, type_id: str, year: int) -> tuple[int, str]:
    """The next number of the sequence that no issued document holds (a clerk may have typed it)."""
    for _ in range(1000):
        seq = uow.cases.next_number(sequence_kind(type_id), year)
        number = office.document_number(type_id, year, seq)
        if session.scalar(select(DocumentRecord.id).where(DocumentRecord.number == number).limit(1)) is None:
            return seq, number
    raise ConflictError(f"{spec(type_id).label}的文号序列与已出具的文号冲突过多，请检查文号设置", field="number")


def _free_name(root: Path, folder: Path, stem: str, fmt: str) -> Path:
    """`folder/stem.fmt`, or `stem-2.fmt`, `stem-3.fmt` … when a file (left by a crash, or copied in) holds the name:
    the record keeps the path it was given, so a stray file never blocks a number nor is taken for this one."""
    for attempt in range(1, 100):
        relative = folder / (f"{stem}.{fmt}" if attempt == 1 else f"{stem}-{attempt}.{fmt}")
        if not (root / relative).exists():
            return relative
    raise ConflictError(f"文书存档中同名文件过多：{root / folder / stem}", field="number")


def _committed(db: Database, root: Path, final: Path) -> bool:
    """Whether a row points at this file (after a failure: keep the file only if its row made it)."""
    relative = final.relative_to(root).as_posix()
    try:
        with db.read_session() as session:
            if session.scalar(select(DocumentRecord.id).where(DocumentRecord.path == relative)) is not None:
                return True
            return session.scalar(select(DocumentFileRecord.id).where(DocumentFileRecord.path == relative)) is not None
    except Exception:
        return False


def _case_id(session: Session, number: str | None, *, required: bool) -> int | None:
    if not number:
        return None
    case_id = session.scalar(select(CaseRecord.id).where(CaseRecord.number == number))
    if case_id is None and required:
        raise NotFoundError(f"未找到信访事项 {number}", field="case")
    if case_id is not None:
        require_case_in_scope(session, case_id, number)  # issue 17: no document for another township's case
    return case_id


def latest_version(session: Session, number: str) -> DocumentRecord:
    found = session.scalars(
        select(DocumentRecord).where(DocumentRecord.number == number).order_by(DocumentRecord.version.desc()).limit(1)
    ).first()
    if found is None:
        raise NotFoundError(f"未找到文书 {number}", field="number")
    return found


def document_rows(session: Session, *, case_number: str | None = None) -> list[dict[str, object]]:
    """Issued documents (every version, each format's file), newest first; only one case's when `case_number` is
    given. The PDF and the DOCX of one document are two rows with the same number and version."""
    stmt = select(DocumentRecord, CaseRecord.number).outerjoin(CaseRecord, CaseRecord.id == DocumentRecord.case_id)
    if case_number:
        stmt = stmt.where(CaseRecord.number == case_number)
    rows = session.execute(stmt.order_by(DocumentRecord.id.desc())).all()
    root = documents_root(session) if rows else Path()
    files: dict[int, list[DocumentFileRecord]] = {}
    if rows:
        ids = [d.id for d, _ in rows]
        for f in session.scalars(select(DocumentFileRecord).where(DocumentFileRecord.document_id.in_(ids))):
            files.setdefault(f.document_id, []).append(f)
    out: list[dict[str, object]] = []
    for d, number in rows:
        base: dict[str, object] = {
            "id": d.id,
            "type": d.type_id,
            "label": spec(d.type_id).label,
            "number": d.number,
            "version": d.version,
            "case_number": number,
            "event_seq": d.event_seq,
            "supersedes_id": d.supersedes_id,
        }
        versions = [(d.created_at, d.format, d.path, d.sha256, d.pages)]
        versions += [(f.created_at, f.format, f.path, f.sha256, f.pages) for f in files.get(d.id, [])]
        for created_at, fmt, path, sha256, pages in versions:
            out.append(
                base
                | {
                    "format": fmt,
                    "path": str(root / path),
                    "sha256": sha256,
                    "pages": pages,
                    "created_at": created_at.isoformat(timespec="seconds"),
                }
            )
    out.sort(key=lambda r: (str(r["created_at"]), int(str(r["id"]))), reverse=True)
    return out


def verify_file(row: Mapping[str, object]) -> bool:
    """Whether the stored file still has the SHA-256 recorded when it was issued."""
    return file_problem(row) is None


def file_problem(row: Mapping[str, object]) -> str | None:
    """What is wrong with a listed document's file (a sentence for the clerk), or None when it is as issued."""
    path = Path(str(row["path"]))
    if not path.is_file():
        return f"文书文件已不在存档中，请从备份恢复（设置 → 备份与恢复）。\n文件：{path}"
    if file_sha256(path) != row["sha256"]:
        return (
            "文书文件已被改动，与出具时的校验值不符：此文件不是出具时的文书，请勿使用；"
            f"可从备份恢复（设置 → 备份与恢复）。\n文件：{path}"
        )
    return None
