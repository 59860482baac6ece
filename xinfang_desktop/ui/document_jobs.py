"""Database-thread jobs for documents: issue (from a case and/or an input), list, copy out, rasterise pages.

No Qt here: every function runs on the task runner's worker. Pages are rasterised with poppler's `pdftoppm`
(PySide6-Essentials has no QtPdf); without it the caller opens the PDF in the system viewer instead.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from xinfang_desktop.persistence.database import Database

PREVIEW_DPI = 96
PRINT_DPI = 300


def pdftoppm() -> str | None:
    """The `pdftoppm` executable (poppler-utils), or None when it is not installed."""
    return shutil.which("pdftoppm")


def _document_input(
    db: Database,
    type_id: str,
    case_number: str | None,
    extra: Mapping[str, Any],
    today: date,
    case_header_wins: bool,
) -> tuple[dict[str, Any], int | None, Any]:
    """The input of `type_id` (the case's, with `extra` merged over it), the producing event's seq, the office."""
    from xinfang_desktop.documents.case_documents import input_from_case, merge
    from xinfang_desktop.documents.document_store import office_info

    office = office_info(db)
    data: dict[str, Any] = dict(extra)
    event_seq: int | None = None
    if case_number:
        from xinfang_desktop.persistence.calendar_store import load_calendar
        from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds

        with db.read_session() as session:
            base, event_seq = input_from_case(
                session,
                type_id,
                case_number,
                today=today,
                calendar=load_calendar(db),
                thresholds=deadline_thresholds(db),
                office=office,
            )
        data = merge(extra, base) if case_header_wins else merge(base, extra)
    return data, event_seq, office


def issue_job(
    type_id: str,
    *,
    case_number: str | None,
    extra: Mapping[str, Any],
    fmt: str,
    today: date,
    user: str | None = None,
    reissue_of: str | None = None,
    case_header_wins: bool = False,
) -> Any:
    """Issue `type_id`: its input built from the case (when given) with `extra` merged over it.

    `case_header_wins`: for the types a case only heads (预警单, 包案通知 …) the case's header replaces the one of
    the example input the user started from."""

    def job(db: Database) -> Any:
        from xinfang_desktop.documents.document_store import issue_document

        data, event_seq, office = _document_input(db, type_id, case_number, extra, today, case_header_wins)
        return issue_document(
            db,
            type_id,
            data,
            fmt=fmt,
            office=office,
            case_number=case_number or None,
            event_seq=event_seq,
            reissue_of=reissue_of,
            user=user,
        )

    return job


def case_input_job(type_id: str, case_number: str, today: date) -> Any:
    """The input a case supplies for `type_id` (shown for editing before issuing)."""

    def job(db: Database) -> dict[str, Any]:
        from xinfang_desktop.documents.case_documents import input_from_case
        from xinfang_desktop.documents.document_store import office_info
        from xinfang_desktop.persistence.calendar_store import load_calendar
        from xinfang_desktop.persistence.rule_profile_store import deadline_thresholds

        with db.read_session() as session:
            data, _seq = input_from_case(
                session,
                type_id,
                case_number,
                today=today,
                calendar=load_calendar(db),
                thresholds=deadline_thresholds(db),
                office=office_info(db),
            )
        return data

    return job


def document_list_job(case_number: str | None = None, limit: int = 200) -> Any:
    def job(db: Database) -> list[dict[str, object]]:
        from xinfang_desktop.documents.document_store import document_rows

        with db.read_session() as session:
            return document_rows(session, case_number=case_number)[:limit]

    return job


def copy_job(source: Path, target: Path) -> Any:
    """Copy an issued file's plain content to where the user asked (decrypted when the archive is encrypted,
    issue 17; through a temporary file and a rename, never leaving a half-written file there)."""

    def job(_db: Database) -> Path:
        from xinfang_desktop.persistence.encryption import copy_plain

        return copy_plain(source, target)

    return job


def rasterise(pdf: Path, dpi: int, first: int | None = None, last: int | None = None) -> list[Path]:
    """PNG files of the PDF's pages (in a fresh temporary folder); raises RuntimeError when it cannot."""
    exe = pdftoppm()
    if exe is None:
        raise RuntimeError("未安装 pdftoppm（poppler-utils），无法在本程序内预览或打印 PDF")
    out = Path(tempfile.mkdtemp(prefix="xinfang-pages-"))
    args = [exe, "-png", "-r", str(dpi)]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    done = subprocess.run([*args, str(pdf), str(out / "p")], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"PDF 页面渲染失败：{done.stderr.strip() or done.returncode}")
    return sorted(out.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def rasterise_job(pdf: Path, dpi: int) -> Any:
    """The pages of a stored PDF; an encrypted one is decrypted into a private temporary folder for pdftoppm and
    that copy removed as soon as the pages are made (issue 17)."""

    def job(_db: Database) -> list[Path]:
        from xinfang_desktop.persistence.encryption import copy_plain, is_encrypted_file

        if not is_encrypted_file(pdf):
            return rasterise(pdf, dpi)
        folder = Path(tempfile.mkdtemp(prefix="xinfang-plain-"))
        try:
            return rasterise(copy_plain(pdf, folder / "document.pdf"), dpi)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return job
