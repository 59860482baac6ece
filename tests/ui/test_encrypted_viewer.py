"""The system viewer gets a decrypted temporary copy of an encrypted archive's file (issue 17): the case window's
documents and attachments (`_open_file`) and 文书 → 用系统程序打开 (`DocumentsPanel.open_current`)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from xinfang_desktop.persistence import encryption as enc

pytest.importorskip("cryptography")


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[Path, bytes]]:
    key = secrets.token_bytes(32)
    enc.register_archive(tmp_path / "archive", key)
    content = b"%PDF-1.4 CANARY document"
    path = tmp_path / "archive" / "documents" / "回执.pdf"
    path.parent.mkdir(parents=True)
    with open(path, "wb") as out:
        import io

        enc.encrypt_stream(io.BytesIO(content), out, key)
    yield path, content
    enc.forget_keys()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []

    def fake_open(url: QUrl) -> bool:
        seen.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake_open))
    return seen


def test_case_window_opens_a_plain_copy(qapp: Any, stored: tuple[Path, bytes], opened: list[Path]) -> None:
    from xinfang_desktop.ui.case_detail_dialog import _open_file

    path, content = stored
    assert _open_file(str(path))
    assert _open_file(str(path), "来信.pdf")
    first, named = opened
    assert first != path and first.read_bytes() == content and first.name == path.name
    assert named.name == "来信.pdf" and named.read_bytes() == content
    assert enc.is_encrypted_file(path)


def test_a_file_that_cannot_be_decrypted_is_not_opened(
    qapp: Any, stored: tuple[Path, bytes], opened: list[Path]
) -> None:
    from xinfang_desktop.ui.case_detail_dialog import _open_file

    path, _content = stored
    enc.forget_keys()  # its database not opened with the key
    assert not _open_file(str(path)) and opened == []


def test_documents_panel_opens_a_plain_copy(
    qtbot: Any, empty_ctx: Any, stored: tuple[Path, bytes], opened: list[Path]
) -> None:
    from xinfang_desktop.ui.documents_panel import DocumentsPanel

    panel = DocumentsPanel(empty_ctx)
    qtbot.addWidget(panel)
    path, content = stored
    panel.current = {"path": str(path), "format": "pdf", "title": "回执"}
    panel.open_current()
    [viewed] = opened
    assert viewed != path and viewed.read_bytes() == content
    enc.forget_keys()
    panel.open_current()
    assert len(opened) == 1 and "无法打开" in panel.message.text()


def test_the_offer_after_issuing_opens_a_plain_copy(qtbot: Any, stored: tuple[Path, bytes], opened: list[Path]) -> None:
    """打开 in the box shown after a 责任书 or 追责 document is issued: the viewer gets the decrypted copy."""
    from PySide6.QtWidgets import QMessageBox, QWidget

    from xinfang_desktop.ui.open_file_offer import offer_open

    path, content = stored
    parent = QWidget()
    qtbot.addWidget(parent)
    box = offer_open(parent, "已出具", "责任书已出具", path)
    box.done(QMessageBox.StandardButton.Open)
    [viewed] = opened
    assert viewed != path and viewed.read_bytes() == content
