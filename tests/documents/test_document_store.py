"""Issuing documents: numbers per type per year never reused, versions never overwrite, file and SHA-256 agree,
every issue audited, and a failure leaves neither a row nor a file."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from sqlalchemy import select

from tests.conftest import content_hash
from xinfang_desktop.core.errors import ValidationError
from xinfang_desktop.documents.document_store import (
    Rendered,
    document_rows,
    documents_root,
    issue_document,
    sequence_kind,
    verify_file,
)
from xinfang_desktop.documents.model import OfficialDocument
from xinfang_desktop.documents.types import spec
from xinfang_desktop.persistence.records import AuditEntryRecord, DocumentRecord


def fake_renderer(doc: OfficialDocument, fmt: str, stream: BinaryIO) -> Rendered:
    stream.write(doc.plain_text().encode())
    return Rendered(pages=1, fonts={"fangsong": "Test"})


def issue(db: Any, type_id: str = "warning_slip", **changes: Any) -> Any:
    data = spec(type_id).sample() | changes.pop("data", {})
    changes.setdefault("renderer", fake_renderer)
    return issue_document(db, type_id, data, **changes)


def files(db: Any) -> list[Path]:
    root = documents_root(db)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_numbers_per_type_per_year_are_consecutive_and_never_reused(sqlite_db: Any) -> None:
    a = issue(sqlite_db)
    b = issue(sqlite_db)
    c = issue(sqlite_db, "package_notice")
    d = issue(sqlite_db, data={"issued_on": "2027-01-04"})
    assert (a.number, b.number) == ("示信预警〔2026〕1号", "示信预警〔2026〕2号")
    assert c.number == "示信包〔2026〕1号" and d.number == "示信预警〔2027〕1号"
    # A failed issue consumes nothing visible, and the next issue does not reuse a number that was issued.
    with pytest.raises(RuntimeError):
        issue(sqlite_db, renderer=_failing)
    e = issue(sqlite_db)
    assert e.number == "示信预警〔2026〕3号"
    with sqlite_db.read_session() as s:
        numbers = s.scalars(select(DocumentRecord.number)).all()
    assert len(numbers) == len(set(numbers)) == 5


def _failing(doc: OfficialDocument, fmt: str, stream: BinaryIO) -> Rendered:
    stream.write(b"half a PDF")
    raise RuntimeError("renderer crashed")


def test_file_sha256_row_and_audit(sqlite_db: Any) -> None:
    issued = issue(sqlite_db, "transfer_letter")
    assert issued.path.is_file() and issued.path.parent.name == "2026"
    assert hashlib.sha256(issued.path.read_bytes()).hexdigest() == issued.sha256
    assert "110105********002X" in issued.path.read_text()
    with sqlite_db.read_session() as s:
        row = s.scalars(select(DocumentRecord)).one()
        assert (row.number, row.version, row.sha256, row.format) == (issued.number, 1, issued.sha256, "pdf")
        assert row.case_id is None  # the sample's case is not stored in this database
        audit = s.scalars(select(AuditEntryRecord).where(AuditEntryRecord.entity == "document")).all()
        assert [(x.action, x.entity_id) for x in audit] == [("issue", issued.number)]
        listed = document_rows(s)
    assert verify_file(listed[0])


def test_reissue_makes_a_new_version_and_keeps_the_old_file(sqlite_db: Any) -> None:
    first = issue(sqlite_db)
    old_bytes = first.path.read_bytes()
    second = issue(sqlite_db, reissue_of=first.number, data={"to_leader": "党工委副书记"})
    assert second.number == first.number and second.version == 2 and second.supersedes_id == first.id
    assert second.path != first.path and first.path.read_bytes() == old_bytes
    assert "党工委副书记" in second.path.read_text() and second.sha256 != first.sha256
    with sqlite_db.read_session() as s:
        actions = s.scalars(select(AuditEntryRecord.action).where(AuditEntryRecord.entity == "document")).all()
    assert actions == ["issue", "reissue"]
    with pytest.raises(Exception, match="不能作为"):
        issue(sqlite_db, "package_notice", reissue_of=first.number)


def test_bad_input_and_failures_leave_nothing(sqlite_db: Any) -> None:
    before = content_hash(sqlite_db)
    with pytest.raises(ValidationError):
        issue(sqlite_db, data={"visits": []})
    with pytest.raises(RuntimeError):
        issue(sqlite_db, renderer=_failing)
    assert content_hash(sqlite_db) == before and files(sqlite_db) == []


def test_a_failed_commit_removes_the_file(sqlite_db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from xinfang_desktop.persistence import uow

    def broken_commit(self: Any) -> None:
        raise RuntimeError("disk full")

    before = content_hash(sqlite_db)
    monkeypatch.setattr(uow.SqlUnitOfWork, "commit", broken_commit)
    with pytest.raises(RuntimeError, match="disk full"):
        issue(sqlite_db)
    assert content_hash(sqlite_db) == before and files(sqlite_db) == []


def test_sequence_kinds_fit_the_column() -> None:
    from xinfang_desktop.documents.types import type_ids

    kinds = [sequence_kind(t) for t in type_ids()]
    assert all(len(k) <= 32 for k in kinds) and len(set(kinds)) == len(kinds)


def test_real_pdf_is_stored_with_its_hash(sqlite_db: Any) -> None:
    pytest.importorskip("reportlab")
    data = spec("acceptance_notice").sample()
    issued = issue_document(sqlite_db, "acceptance_notice", data)
    raw = issued.path.read_bytes()
    assert raw.startswith(b"%PDF") and hashlib.sha256(raw).hexdigest() == issued.sha256
    assert issued.pages >= 1 and "fangsong" in issued.fonts
