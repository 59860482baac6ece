"""Copies given to the user from an encrypted database's archive are plain (issue 17): `doc render -o` (PDF and
DOCX), `inquiry show --pdf` (warnings_cmd), `accountability … -o` (its copy), the GUI's 另存为 and preview jobs, and
the system viewer's temporary copy — while the stored files stay encrypted."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import sample_case
from xinfang_desktop.cli import main
from xinfang_desktop.persistence import archive as archive_mod
from xinfang_desktop.persistence import encryption as enc

pytest.importorskip("sqlcipher3", reason="sqlcipher3 (the encryption extra) not installed")

PASS = "county office pass 1"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")


class Cli:
    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str], tmp: Path) -> None:
        self.db, self.capsys, self.tmp = db, capsys, tmp

    def __call__(self, *argv: str) -> tuple[int, Any]:
        enc.forget_keys()  # every call as a new process
        archive_mod.forget()
        code = main([*argv, "--json", "--db", str(self.db)])
        out = self.capsys.readouterr().out
        return code, json.loads(out) if out.strip() else None

    def write(self, name: str, data: Any) -> str:
        path = self.tmp / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(enc.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv(enc.KEY_ENV, PASS)
    monkeypatch.setattr("sys.stdin", io.StringIO())
    yield
    enc.forget_keys()
    archive_mod.forget()


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    c = Cli(tmp_path / "ledger.sqlite3", capsys, tmp_path)
    code, out = c("init", "--encrypt")
    assert code == 0 and out["encrypted"], out
    assert c("unit", "add", "县自然资源局")[0] == 0
    return c


def _add(cli: Cli) -> str:
    data = sample_case(received_on="2024-09-02", level="乡镇", responsible_unit="县自然资源局", summary="金丝雀事项")
    code, out = cli("case", "add", cli.write("case.json", data), "--today", "2024-12-31")
    assert code == 0, out
    return str(out["number"])


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _stored(cli: Cli, number: str) -> list[Path]:
    code, out = cli("doc", "list", "--case", number)
    assert code == 0, out
    return [Path(str(d["path"])) for d in out["documents"]]


@needs_pdftotext
def test_doc_render_gives_a_plain_pdf_and_docx(cli: Cli, tmp_path: Path) -> None:
    number = _add(cli)
    pdf = tmp_path / "out" / "回执.pdf"
    pdf.parent.mkdir()
    code, out = cli("doc", "render", "petitioner_receipt", "--case", number, "-o", str(pdf))
    assert code == 0, out
    assert pdf.read_bytes()[:4] == b"%PDF" and number in _pdf_text(pdf)
    docx = tmp_path / "out" / "回执.docx"
    code, out = cli("doc", "render", "petitioner_receipt", "--case", number, "-o", str(docx))
    assert code == 0, out
    assert number in zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    stored = _stored(cli, number)
    assert len(stored) == 2 and all(enc.is_encrypted_file(p) for p in stored)  # the archive stays encrypted
    assert not any(p.name.endswith(".part") for p in pdf.parent.iterdir())  # nothing half written left


@needs_pdftotext
def test_inquiry_show_pdf_is_plain(cli: Cli, tmp_path: Path) -> None:  # warnings_cmd._print_document
    number = _add(cli)
    assert cli("case", "act", number, "accept", "--date", "2024-09-03", "--unit", "县自然资源局")[0] == 0
    letter = cli.write("letter.json", {"channel": "来信", "received_on": "2024-11-20", "level": "县"})
    assert cli("case", "submit", number, letter, "--today", "2024-12-31")[0] == 0
    assert cli("warn", "scan", "--today", "2024-11-21")[0] == 0
    target = tmp_path / "一事双查.pdf"
    code, out = cli("inquiry", "show", number, "--pdf", str(target), "--today", "2024-11-21")
    assert code == 0, out
    assert enc.is_encrypted_file(Path(out["document"]["stored_path"]))
    assert target.read_bytes()[:4] == b"%PDF" and "双查" in _pdf_text(target).replace(" ", "")


def test_accountability_copy_is_plain(cli: Cli, tmp_path: Path) -> None:
    from xinfang_desktop.commands.accountability_cmd import _copy

    number = _add(cli)
    [stored] = _stored_after_render(cli, number, tmp_path)
    target = tmp_path / "建议书.pdf"
    data: dict[str, Any] = {"document": {"stored_path": str(stored)}}
    _copy(data, target)
    assert data["document"]["copied_to"] == str(target) and target.read_bytes()[:4] == b"%PDF"


def _stored_after_render(cli: Cli, number: str, tmp_path: Path) -> list[Path]:
    """Issue one document; its file key stays known to this process after the command (as in the GUI)."""
    code, out = cli("doc", "render", "petitioner_receipt", "--case", number, "-o", str(tmp_path / "r.pdf"))
    assert code == 0, out
    stored = _stored(cli, number)
    assert stored and all(enc.is_encrypted_file(p) for p in stored)
    return stored


def test_gui_jobs_copy_and_rasterise_plain(cli: Cli, tmp_path: Path) -> None:
    from xinfang_desktop.ui import document_jobs

    number = _add(cli)
    [stored] = _stored_after_render(cli, number, tmp_path)
    target = tmp_path / "另存" / "回执.pdf"
    assert document_jobs.copy_job(stored, target)(None) == target  # 文书 → 另存为 (no window: the job itself)
    assert target.read_bytes()[:4] == b"%PDF" and enc.is_encrypted_file(stored)
    if document_jobs.pdftoppm() is not None:  # the preview and printing pages
        pages = document_jobs.rasterise_job(stored, 30)(None)
        assert pages and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pages)
        shutil.rmtree(pages[0].parent)


def test_the_viewer_gets_a_private_plain_copy(cli: Cli, tmp_path: Path) -> None:
    number = _add(cli)
    scan = tmp_path / "来信扫描件.jpg"
    scan.write_bytes(b"\xff\xd8 CANARY scan")
    assert cli("case", "attach", number, str(scan))[0] == 0
    [stored] = _stored_after_render(cli, number, tmp_path)
    viewed = enc.plain_view(stored)
    assert viewed != stored and viewed.name == stored.name and viewed.read_bytes()[:4] == b"%PDF"
    assert (viewed.parent.stat().st_mode & 0o077) == 0 and (viewed.parent.parent.stat().st_mode & 0o077) == 0
    again = enc.plain_view(stored)
    assert again != viewed and again.read_bytes() == viewed.read_bytes()  # two openings never share a file
    [attachment] = [p for p in (cli.db.parent).rglob("*") if p.is_file() and p.parent.parent.name == "attachments"]
    named = enc.plain_view(attachment, "..\\来信扫描件.jpg")
    assert named.name == "来信扫描件.jpg" and named.read_bytes() == scan.read_bytes()
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert enc.plain_view(plain) == plain  # a plain file is opened where it is


def test_a_changed_encrypted_file_is_refused_not_copied(cli: Cli, tmp_path: Path) -> None:
    from xinfang_desktop.core.errors import DomainError

    number = _add(cli)
    [stored] = _stored_after_render(cli, number, tmp_path)
    raw = bytearray(stored.read_bytes())
    raw[100] ^= 0x01
    stored.write_bytes(bytes(raw))
    target = tmp_path / "x.pdf"
    with pytest.raises(DomainError, match="已被改动或损坏"):
        enc.copy_plain(stored, target)
    assert not target.exists() and not list(tmp_path.glob(".x.pdf.*"))
