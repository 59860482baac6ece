"""The 文书 section: issue from a case or from an example input, preview the pages, save as, print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from xinfang_desktop.ui import document_jobs
from xinfang_desktop.ui.documents_panel import DocumentsPanel

needs_pdftoppm = pytest.mark.skipif(document_jobs.pdftoppm() is None, reason="pdftoppm (poppler-utils) not installed")


@pytest.fixture
def panel(qtbot: Any, empty_ctx: Any) -> DocumentsPanel:
    from tests.ui.conftest import register_cases

    register_cases(empty_ctx.tasks.database, 1)
    widget = DocumentsPanel(empty_ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    widget.start()
    return widget


def test_types_and_input_kinds(panel: DocumentsPanel):
    assert panel.type_combo.count() == 22
    panel.select_type("responsibility_statement")
    assert not panel.case_edit.isEnabled()
    assert '"' in panel.input_edit.toPlainText()  # the example input, ready to edit
    panel.select_type("petitioner_receipt")
    assert panel.case_edit.isEnabled()
    assert panel.input_edit.toPlainText() == "{}"


@needs_pdftoppm
def test_issue_from_a_case_and_preview(qtbot: Any, panel: DocumentsPanel, tmp_path: Path):
    panel.select_type("petitioner_receipt")
    panel.case_edit.setText("XF2026-000001")
    with qtbot.waitSignal(panel.previewed) as shown:
        qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    assert shown.args[0] >= 1
    assert "已出具信访事项回执" in panel.message.text()
    assert panel.recent.rowCount() == 1 and panel.recent.item(0, 2).text() == "XF2026-000001"
    assert panel.print_button.isEnabled()
    target = tmp_path / "回执.pdf"
    panel.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")


def test_issue_from_the_example_input_as_docx(qtbot: Any, panel: DocumentsPanel):
    panel.select_type("responsibility_statement")
    panel.format_combo.setCurrentIndex(panel.format_combo.findData("docx"))
    with qtbot.waitSignal(panel.issued) as issued:
        panel.issue()
    assert issued.args[0].format == "docx"
    assert "不能在此预览" in panel.preview_note.text()


def test_bad_input_is_shown(panel: DocumentsPanel):
    panel.select_type("responsibility_statement")
    panel.advanced_check.setChecked(True)  # the JSON text is the advanced option
    panel.input_edit.setPlainText("{oops")
    panel.issue()
    assert "JSON" in panel.message.text()
    # Issue 17: the CLI's limits hold in the window too — a paste nested 100,000 deep or with a 5,000-digit number.
    for hostile, reason in (("[" * 100_000 + "]" * 100_000, "嵌套层数过多"), ('{"n": ' + "9" * 5000 + "}", "数字过长")):
        panel.input_edit.setPlainText(hostile)
        panel.issue()
        assert reason in panel.message.text(), panel.message.text()[:80]
    panel.select_type("acceptance_notice")
    panel.case_edit.setText("XF2026-000001")
    panel.issue()  # the case was never accepted: nothing to build the notice from
    assert panel.message.text().startswith("未能出具")


@needs_pdftoppm
def test_print_paints_every_page(qtbot: Any, panel: DocumentsPanel, tmp_path: Path):
    from PySide6.QtPrintSupport import QPrinter

    panel.select_type("petitioner_receipt")
    panel.case_edit.setText("XF2026-000001")
    with qtbot.waitSignal(panel.previewed):
        panel.issue()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    panel.paint_pages(printer, panel.page_images)
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    assert panel.message.text().startswith("已送打印")
