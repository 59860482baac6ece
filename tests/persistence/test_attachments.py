"""Attachments are stored once under their SHA-256, listed on the case, and never left half-written."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import sample_case
from xinfang_desktop.core.errors import NotFoundError
from xinfang_desktop.persistence.attachments import (
    add_attachment,
    attachments_dir,
    export_attachment,
    list_attachments,
    stored_path,
)
from xinfang_desktop.persistence.case_intake import add_case


def test_attach_store_once_and_list(sqlite_db: Any, tmp_path: Path) -> None:
    number = add_case(sqlite_db, sample_case(), today=date(2026, 11, 22)).registered.number
    scan = tmp_path / "来信扫描.jpg"
    scan.write_bytes(b"\xff\xd8" + b"x" * 5000)
    first = add_attachment(sqlite_db, number, scan)
    second = add_attachment(sqlite_db, number, scan, name="同一扫描件")
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    assert first["sha256"] == second["sha256"] == digest
    assert stored_path(sqlite_db, digest).read_bytes() == scan.read_bytes()
    assert first["type"] == "image/jpeg"
    listed = list_attachments(sqlite_db, number)
    assert [a["name"] for a in listed] == ["来信扫描.jpg", "同一扫描件"]
    assert not [p for p in attachments_dir(sqlite_db).iterdir() if p.name.startswith(".incoming")]
    out = export_attachment(sqlite_db, digest, tmp_path / "copy.jpg")
    assert out.read_bytes() == scan.read_bytes()


def test_unknown_case_leaves_no_file_behind(sqlite_db: Any, tmp_path: Path) -> None:
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4 unique content 12345")
    with pytest.raises(NotFoundError):
        add_attachment(sqlite_db, "XF2026-999999", f)
    assert not stored_path(sqlite_db, hashlib.sha256(f.read_bytes()).hexdigest()).exists()
    assert not [p for p in attachments_dir(sqlite_db).rglob("*") if p.is_file()]


def test_tampered_file_is_detected_on_export(sqlite_db: Any, tmp_path: Path) -> None:
    number = add_case(sqlite_db, sample_case(), today=date(2026, 11, 22)).registered.number
    f = tmp_path / "b.txt"
    f.write_text("原件", encoding="utf-8")
    info = add_attachment(sqlite_db, number, f)
    stored_path(sqlite_db, info["sha256"]).write_text("改过", encoding="utf-8")
    with pytest.raises(Exception, match="校验值不符"):
        export_attachment(sqlite_db, info["sha256"], tmp_path / "out.txt")
