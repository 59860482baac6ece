"""Ledger 打印… (issue 18): the current view (filter, order, shown columns) printed A4 landscape with the title and
filter, the heads on every page and “第 N 页，共 M 页”; read back from the PDF the same pages make (pdftotext)."""

from __future__ import annotations

import gc
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

from tests.ui.conftest import TODAY
from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.ledger import LedgerFilter, SortKey
from xinfang_desktop.reports.ledger_print import ledger_print_table
from xinfang_desktop.ui.ledger.case_table_model import Column
from xinfang_desktop.ui.ledger.ledger_panel import LedgerPanel
from xinfang_desktop.ui.ledger.ledger_print import print_to_pdf

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")


@pytest.fixture
def panel(qtbot: Any, ctx: Any) -> LedgerPanel:
    widget = LedgerPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    widget.start()
    return widget


def _pdf_text(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]  # one text per page


def test_the_table_follows_the_view(ledger_db: Any) -> None:
    db = ledger_db
    table = ledger_print_table(
        db, LedgerFilter(), SortKey.RECEIVED, True, ["number", "received", "unit"], filter_text="全部", printed_on=TODAY
    )
    assert table.headers == ("编号", "收到日期", "责任单位") and len(table.rows) == 450
    assert table.note == f"筛选条件：全部；共 450 件；打印日期：{TODAY.isoformat()}"
    dates = [r[1] for r in table.rows]
    assert dates == sorted(dates, reverse=True)
    with pytest.raises(DomainError, match="超过直接打印的上限 100 件"):
        ledger_print_table(db, LedgerFilter(), SortKey.RECEIVED, True, ["number"], limit=100)
    with pytest.raises(DomainError, match="未知的打印列"):
        ledger_print_table(db, LedgerFilter(), SortKey.RECEIVED, True, ["nothing"])


@needs_poppler
def test_printed_pages_carry_heads_and_numbers(qtbot: Any, panel: LedgerPanel, tmp_path: Path) -> None:
    panel.set_column_visible(Column.SUMMARY, True)
    panel.print_view()  # builds the printer part and opens the preview once the rows are read
    qtbot.waitUntil(lambda: panel.printing is not None and panel.printing.preview is not None)
    preview = panel.printing.preview
    assert isinstance(preview, QPrintPreviewDialog) and "450 件" in preview.windowTitle()
    gc.collect()  # the preview keeps only a pointer to its printer: the part must hold the printer itself
    widget = preview.findChild(QPrintPreviewWidget)
    assert widget is not None
    widget.updatePreview()  # paints through that printer (a dropped one crashed the window under X11)
    assert widget.pageCount() > 1
    assert panel.printing.printer is not None
    preview.reject()
    table = panel.printing.table
    assert table is not None and len(table.rows) == 450 and "内容摘要" in table.headers
    pdf = tmp_path / "台账.pdf"
    pages = print_to_pdf(table, pdf)
    texts = _pdf_text(pdf)
    assert pages == len(texts) > 1
    assert "信访事项台账" in texts[0] and "筛选条件：全部信访事项；共 450 件" in texts[0]
    for n, text in enumerate(texts, start=1):
        assert "编号" in text and "责任单位" in text, n  # the heads on every page
        assert f"第 {n} 页，共 {pages} 页" in text
    numbers = [r[0] for r in table.rows]
    printed = "".join(texts)
    assert all(number in printed for number in numbers)  # no row lost between pages
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    shutil.copy(next(tmp_path.glob("p*.png")), "/tmp/ledger_print_page1.png")


def test_a_view_too_large_is_refused_in_words(qtbot: Any, panel: LedgerPanel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("xinfang_desktop.reports.ledger_print.MAX_PRINT_ROWS", 10)
    panel.print_view()
    qtbot.waitUntil(lambda: panel.print_message is not None)
    assert panel.print_message is not None
    text = panel.print_message.text()
    assert text.startswith("无法打印：当前查询共 450 件，超过直接打印的上限 10 件") and "导出 Excel" in text
    assert panel.printing.preview is None and panel.print_button.isEnabled()
    panel.print_message.accept()
