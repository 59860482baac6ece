"""The 文书 section: issue a document (from a case or from an input), preview its pages, print, save as.

Preview and printing rasterise the PDF with poppler's `pdftoppm` on the database thread (PySide6-Essentials has no
QtPdf); printing paints those 300 dpi pages on a QPrinter chosen in the system print dialog (QtPrintSupport). Where
`pdftoppm` is missing, or for a DOCX, the file is opened in the system's viewer instead, which can print it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop.persistence.database import Database
from xinfang_desktop.ui.case_picker import CaseNumberEdit
from xinfang_desktop.ui.context import AppContext
from xinfang_desktop.ui.document_form import DocumentForm
from xinfang_desktop.ui.document_jobs import (
    PREVIEW_DPI,
    PRINT_DPI,
    copy_job,
    document_list_job,
    issue_job,
    pdftoppm,
    rasterise_job,
)
from xinfang_desktop.ui.progress import DelayedProgress

PREVIEW_WIDTH = 560


def _font_job(_db: Database) -> str:
    """Which face the body will be printed in (loading the fonts once, off the GUI thread)."""
    from xinfang_desktop.documents.fonts import body_face_note, get_fonts

    return body_face_note(get_fonts())


def _types_job(_db: Database) -> list[dict[str, Any]]:
    from xinfang_desktop.documents.case_documents import CASE_TYPES, HEADER_ONLY
    from xinfang_desktop.documents.types import all_specs

    return [
        {
            "id": s.type_id,
            "label": s.label,
            "case": "full" if s.type_id in CASE_TYPES else "header" if s.type_id in HEADER_ONLY else "none",
            "sample": s.sample(),
        }
        for s in all_specs()
    ]


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")


class DocumentsPanel(QWidget):
    """Left: what to issue; right: the issued document's pages; below: the documents issued lately."""

    issued = Signal(object)  # IssuedDocument
    previewed = Signal(int)  # pages shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.types: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None  # {"path", "format", "number", "label"}
        self.page_images: list[Path] = []
        self._progress = DelayedProgress(self, "正在出具文书…")

        heading = QLabel("<h2>文书</h2>")
        self.type_combo = QComboBox()
        self.type_combo.setMinimumWidth(220)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.case_edit = CaseNumberEdit(ctx)  # a number, or found by name or words as you type
        self.format_combo = QComboBox()
        self.format_combo.addItem("PDF（可预览、打印）", "pdf")
        self.format_combo.addItem("Word 文档（DOCX）", "docx")
        self.input_edit = QPlainTextEdit()
        self.input_edit.setTabChangesFocus(True)
        self.input_edit.setPlaceholderText("{}")
        self.input_edit.setStyleSheet("font-family: monospace;")
        self.input_hint = QLabel()
        self.input_hint.setWordWrap(True)
        self.input_hint.setStyleSheet("color: #666666; font-size: 9pt;")
        self.sample_button = QPushButton("载入示例内容")
        self.sample_button.clicked.connect(self.load_sample)
        self.issue_button = QPushButton("出具（Ctrl+Enter）")
        self.issue_button.setShortcut("Ctrl+Return")
        self.issue_button.setStyleSheet("QPushButton { font-weight: bold; padding: 4px 14px; }")
        self.issue_button.clicked.connect(self.issue)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("文书类型：", self.type_combo)
        form.addRow("信访事项编号：", self.case_edit)
        form.addRow("格式：", self.format_combo)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addLayout(form)
        # The content as a form per type (issue 18); the JSON text only as an advanced option.
        self.form: DocumentForm | None = None
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.advanced_check = QCheckBox("高级：直接编辑 JSON")
        self.advanced_check.toggled.connect(self._advanced_toggled)
        self.input_edit.hide()
        content_bar = QHBoxLayout()
        content_bar.addWidget(QLabel("文书内容（与由事项生成的内容合并，此处填写的优先；＊为必填）："), 1)
        content_bar.addWidget(self.advanced_check)
        left_layout.addLayout(content_bar)
        left_layout.addWidget(self.form_scroll, 1)
        left_layout.addWidget(self.input_edit, 1)
        left_layout.addWidget(self.input_hint)
        self.font_note = QLabel()  # the body's face (GB/T 9704 asks for 仿宋): said plainly before issuing
        self.font_note.setWordWrap(True)
        self.font_note.setStyleSheet("color: #666666; font-size: 9pt;")
        left_layout.addWidget(self.font_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        buttons.addWidget(self.issue_button)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.message)

        # the preview
        self.preview_title = QLabel("预览")
        self.preview_title.setStyleSheet("font-weight: bold;")
        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(12)
        self.preview_note = QLabel("出具或选择一份文书后在此预览。")
        self.preview_note.setStyleSheet("color: #666666;")
        self.preview_note.setWordWrap(True)
        self.preview_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_note.setMinimumHeight(80)
        self.pages_layout.addWidget(self.preview_note)
        self.preview_scroll = QScrollArea()
        self.preview_scroll.setWidgetResizable(True)
        self.preview_scroll.setWidget(self.pages_box)
        self.pages_box.setStyleSheet("background: #e8eaed;")
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_current)
        self.open_button = QPushButton("用系统程序打开")
        self.open_button.clicked.connect(self.open_current)
        self.save_button = QPushButton("另存为…")
        self.save_button.clicked.connect(self._choose_save_path)
        for button in (self.print_button, self.open_button, self.save_button):
            button.setEnabled(False)
        preview_bar = QHBoxLayout()
        preview_bar.addWidget(self.preview_title, 1)
        preview_bar.addWidget(self.print_button)
        preview_bar.addWidget(self.save_button)
        preview_bar.addWidget(self.open_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addLayout(preview_bar)
        right_layout.addWidget(self.preview_scroll, 1)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(right)
        top.setStretchFactor(0, 2)
        top.setStretchFactor(1, 3)
        top.setChildrenCollapsible(False)

        self.recent = QTableWidget(0, 5)
        self.recent.setHorizontalHeaderLabels(["文号", "文书", "信访事项", "版本", "出具时间"])
        self.recent.verticalHeader().setVisible(False)
        self.recent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recent.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for column, width in enumerate((180, 200, 140, 70, 170)):
            self.recent.horizontalHeader().resizeSection(column, width)
        self.recent.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.recent.itemSelectionChanged.connect(self._recent_selected)
        self._recent_rows: list[dict[str, Any]] = []

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        recent_box = QWidget()
        recent_layout = QVBoxLayout(recent_box)
        recent_layout.setContentsMargins(0, 4, 0, 0)
        recent_layout.addWidget(QLabel("最近出具的文书（选中即预览）："))
        recent_layout.addWidget(self.recent, 1)
        splitter.addWidget(recent_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading)
        layout.addWidget(splitter, 1)

    # -- loading -------------------------------------------------------------------------------------------

    def start(self) -> None:
        self._ctx.tasks.run_db(_types_job, self._types_loaded, lambda exc: self.show_message(_message(exc), True))
        self._ctx.tasks.run_db(_font_job, self.font_note.setText, lambda _exc: None)
        self.refresh_recent()

    def _types_loaded(self, types: list[dict[str, Any]]) -> None:
        self.types = types
        self.type_combo.blockSignals(True)
        self.type_combo.clear()
        for t in types:
            self.type_combo.addItem(t["label"], t["id"])
        self.type_combo.blockSignals(False)
        self._type_changed()

    def refresh_recent(self) -> None:
        self._ctx.tasks.run_db(document_list_job(None, 100), self._recent_loaded)

    def _recent_loaded(self, rows: list[dict[str, Any]]) -> None:
        self._recent_rows = rows
        self.recent.setRowCount(len(rows))
        for r, d in enumerate(rows):
            values = [d["number"], d["label"], d["case_number"] or "—", f"第{d['version']}版", d["created_at"]]
            for c, value in enumerate(values):
                self.recent.setItem(r, c, QTableWidgetItem(str(value)))

    def select_type(self, type_id: str) -> None:
        index = self.type_combo.findData(type_id)
        if index >= 0:
            self.type_combo.setCurrentIndex(index)

    def _type_info(self) -> dict[str, Any] | None:
        type_id = self.type_combo.currentData()
        return next((t for t in self.types if t["id"] == type_id), None)

    def _type_changed(self) -> None:
        info = self._type_info()
        if info is None:
            return
        from xinfang_desktop.documents.input_schema import input_schema

        self.form = DocumentForm(input_schema(info["id"]))
        self.form_scroll.setWidget(self.form)
        kind = info["case"]
        self.case_edit.setEnabled(kind != "none")
        if kind == "full":
            self.input_hint.setText("由信访事项生成全部内容；事项不能提供的（如处理意见书的调查核实情况）在上面补充。")
            self.input_edit.setPlainText("{}")
            self.form.set_value({})
        elif kind == "header":
            self.input_hint.setText("事项只提供文头信息（编号、信访人等），其余内容请在上面填写（已载入示例）。")
            self.load_sample()
        else:
            self.input_hint.setText("这种文书不针对单个信访事项，请在上面填写全部内容（已载入示例）。")
            self.case_edit.clear()
            self.load_sample()

    def load_sample(self) -> None:
        info = self._type_info()
        if info is not None:
            self.input_edit.setPlainText(json.dumps(info["sample"], ensure_ascii=False, indent=2))
            if self.form is not None:
                self.form.set_value(info["sample"])

    def _advanced_toggled(self, on: bool) -> None:
        """Between the form and the JSON text, carrying what was entered across."""
        if self.form is not None:
            if on:
                self.input_edit.setPlainText(json.dumps(self.form.value(), ensure_ascii=False, indent=2))
            else:
                try:
                    self.form.set_value(self._json_input())
                except ValueError as exc:
                    self.show_message(f"{exc}；表单保留切换前的内容", True)
        self.input_edit.setVisible(on)
        self.form_scroll.setVisible(not on)

    # -- issuing -------------------------------------------------------------------------------------------

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {'#c62828' if error else '#2e7d32'};")

    def input_data(self) -> dict[str, Any]:
        """The content entered: the form's, or the JSON text's in the advanced mode."""
        if self.form is not None and not self.advanced_check.isChecked():
            return self.form.value()
        return self._json_input()

    def _json_input(self) -> dict[str, Any]:
        from xinfang_desktop.core.json_input import JsonInputError, decode_json

        text = self.input_edit.toPlainText().strip() or "{}"
        try:
            data = decode_json(text)  # the CLI's limits (issue 17): a hostile paste is refused, not a crash
        except JsonInputError as exc:
            raise ValueError(f"文书内容不是可接受的 JSON：{exc}") from None
        if not isinstance(data, dict):
            raise ValueError("文书内容应为一个 JSON 对象（{…}）")
        return data

    def issue(self) -> None:
        info = self._type_info()
        if info is None:
            return
        try:
            extra = self.input_data()
        except ValueError as exc:
            self.show_message(str(exc), True)
            return
        case = self.case_edit.number() or None
        if info["case"] == "full" and not case and not extra:
            self.show_message("请填写信访事项编号，或“载入示例内容”后修改全部字段", True)
            return
        self.issue_button.setEnabled(False)
        self.show_message("正在出具…")
        self._progress.start()
        job = issue_job(
            info["id"],
            case_number=case,
            extra=extra,
            fmt=self.format_combo.currentData(),
            today=self._ctx.today(),
            user=self._ctx.user,
            case_header_wins=info["case"] == "header",
        )
        self._ctx.tasks.run_db(job, self._issued, self._issue_failed)

    def _issued(self, issued: Any) -> None:
        self._progress.finish()
        self.issue_button.setEnabled(True)
        version = f"（第{issued.version}版）" if issued.version > 1 else ""
        same = f"与已出具的 {issued.same_as.upper()} 为同一份文书，沿用文号；" if issued.same_as else ""
        note = f"已出具{issued.label} {issued.number}{version}，{same}{issued.pages}页，已存档。"
        self.show_message(note)
        if issued.warnings:
            self.message.setText(note + "\n注意：" + "".join(issued.warnings))
            self.message.setStyleSheet("color: #b26a00;")
        self.issued.emit(issued)
        self.show_document(str(issued.path), issued.format, f"{issued.label} {issued.number}")
        self.refresh_recent()

    def _issue_failed(self, exc: BaseException) -> None:
        self._progress.finish()
        self.issue_button.setEnabled(True)
        self.show_message("未能出具：" + _message(exc), True)

    # -- preview -------------------------------------------------------------------------------------------

    def _recent_selected(self) -> None:
        row = self.recent.currentRow()
        if 0 <= row < len(self._recent_rows):
            d = self._recent_rows[row]
            from xinfang_desktop.documents.document_store import file_problem

            if (problem := file_problem(d)) is not None:  # issue 17: a changed file is never shown as the document
                self.show_message(problem, True)
                self.current = None
                self._clear_pages()
                self.preview_title.setText("预览")
                self.preview_note.setText(problem.split("\n")[0])
                for button in (self.print_button, self.open_button, self.save_button):
                    button.setEnabled(False)
                return
            self.show_document(str(d["path"]), str(d["format"]), f"{d['label']} {d['number']}")

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.preview_note:
                widget.deleteLater()
        self.pages_layout.addWidget(self.preview_note)

    def show_document(self, path: str, fmt: str, title: str) -> None:
        self.current = {"path": path, "format": fmt, "title": title}
        self.preview_title.setText(f"预览：{title}")
        for button in (self.print_button, self.open_button, self.save_button):
            button.setEnabled(True)
        self._clear_pages()
        self.page_images = []
        if fmt != "pdf":
            self.preview_note.setText("Word 文档不能在此预览；可“用系统程序打开”在 WPS 或 Word 中查看和打印。")
            self.preview_note.show()
            return
        if pdftoppm() is None:
            self.preview_note.setText(
                "本机未安装 pdftoppm（poppler-utils），不能在此预览；可“用系统程序打开”查看和打印。"
            )
            self.preview_note.show()
            return
        self.preview_note.setText("正在生成预览…")
        self.preview_note.show()

        def ready(pages: list[Path]) -> None:
            self._pages_ready(path, pages)

        self._ctx.tasks.run_db(
            rasterise_job(Path(path), PREVIEW_DPI), ready, lambda exc: self.preview_note.setText(_message(exc))
        )

    def _pages_ready(self, path: str, pages: list[Path]) -> None:
        if self.current is None or self.current["path"] != path:
            return
        self.preview_note.hide()
        self.page_images = pages
        width = max(300, min(PREVIEW_WIDTH, self.preview_scroll.viewport().width() - 40))
        for page in pages:
            label = QLabel()
            pixmap = QPixmap(str(page))
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.size() + QSize(2, 2))  # a page is never squeezed by the scroll area
            label.setStyleSheet("border: 1px solid #b0b4b8; background: white;")
            self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.previewed.emit(len(pages))

    # -- output --------------------------------------------------------------------------------------------

    def open_current(self) -> None:
        if self.current is None:
            return
        from xinfang_desktop.persistence.encryption import plain_view

        try:  # an encrypted archive's file: the viewer gets a decrypted copy in a private temporary folder (issue 17)
            viewed = plain_view(Path(self.current["path"]))
        except Exception as exc:
            self.show_message("无法打开：" + _message(exc), True)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(viewed))):
            self.show_message(f"无法用系统程序打开 {self.current['path']}", True)

    def _choose_save_path(self) -> None:
        if self.current is None:
            return
        source = Path(self.current["path"])
        suffix = source.suffix
        target, _f = QFileDialog.getSaveFileName(
            self, "另存为", self.current["title"].replace(" ", "_") + suffix, f"*{suffix}"
        )
        if target:
            self.save_as(Path(target if target.endswith(suffix) else target + suffix))

    def save_as(self, target: Path) -> None:
        if self.current is None:
            return
        self._ctx.tasks.run_db(
            copy_job(Path(self.current["path"]), target),
            lambda p: self.show_message(f"已另存为 {p}"),
            lambda exc: self.show_message("未能保存：" + _message(exc), True),
        )

    def print_current(self) -> None:
        """The system print dialog, then the pages at 300 dpi; without pdftoppm (or for DOCX) the system viewer."""
        if self.current is None:
            return
        if self.current["format"] != "pdf" or pdftoppm() is None:
            self.show_message("将用系统程序打开文件，请在其中打印（本机无法在程序内渲染该文件）。")
            self.open_current()
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.current["title"])
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印文书")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.show_message("正在准备打印…")
        self._ctx.tasks.run_db(
            rasterise_job(Path(self.current["path"]), PRINT_DPI),
            lambda pages: self.paint_pages(printer, pages),
            lambda exc: self.show_message("未能打印：" + _message(exc), True),
        )

    def paint_pages(self, printer: Any, pages: list[Path]) -> None:
        painter = QPainter()
        if not painter.begin(printer):
            self.show_message("未能打开打印机", True)
            return
        try:
            for i, page in enumerate(pages):
                if i:
                    printer.newPage()
                image = QImage(str(page))
                target = painter.viewport()
                size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(target.x(), target.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(target)
        finally:
            painter.end()
        self.show_message(f"已送打印：{len(pages)}页")
