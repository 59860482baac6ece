"""The 帮助 menu: 使用手册 (F1, the manual of docs/ rendered), 快捷键, 数据存放位置 and 关于."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from xinfang_desktop import APP_LABEL, __version__

#: The manual's chapters: the clerk's guide first, then the reference notes (each shown when its file exists).
CHAPTERS = (
    ("manual.md", "使用手册"),
    ("gui.md", "界面与各栏目"),
    ("import.md", "导入已有台账"),
    ("warnings.md", "预警与积案"),
    ("packages.md", "领导包案"),
    ("documents.md", "文书"),
    ("document-types.md", "文书类型"),
    ("responsibility.md", "责任落实与追责"),
    ("responsibility-statements.md", "信访工作责任书"),
    ("statistics.md", "统计与考核"),
    ("reports.md", "报表"),
    ("calendar.md", "工作日历与节假日"),
    ("validation.md", "身份证号等核验"),
    ("security.md", "数据安全与备份"),
    ("rules.md", "规则摘要"),
    ("glossary.md", "术语表"),
)

#: What the keyboard does everywhere, and in the section named.
SHORTCUTS = (
    ("F1", "使用手册"),
    ("Ctrl+1 … Ctrl+9", "切换到左侧第 1 … 9 个栏目"),
    ("Ctrl+F", "信访台账：光标到搜索框"),
    ("Enter / 双击", "信访台账：打开选中的信访事项"),
    ("Ctrl+S", "来信来访登记：保存；设置：保存设置"),
    ("Esc", "来信来访登记：清空（已填写时先询问）；对话框：关闭（已填写时先询问）"),
    ("Ctrl+Enter", "文书：出具"),
    ("Tab / Shift+Tab", "在输入项之间移动（表格最后一格按 Tab 离开表格）"),
)


def docs_dir() -> Path | None:
    """Where the manual is: docs/ of the checkout, or the copy a wheel or a bundle carries (None: not shipped)."""
    from xinfang_desktop.paths import resources_dir

    root = resources_dir().parent
    for candidate in (root / "docs", root.parent / "docs"):
        if candidate.is_dir():
            return candidate
    return None


class ManualDialog(QDialog):
    """The chapters on the left, the chapter rendered from its Markdown on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_LABEL} 使用手册")
        self.resize(1100, 760)
        self.chapters = QListWidget()
        self.chapters.setMaximumWidth(220)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self._paths: dict[int, Path] = {}  # list row → chapter file (the heading row has none)
        folder = docs_dir()
        for name, title in CHAPTERS:
            path = folder / name if folder is not None else None
            if path is not None and path.is_file():
                if len(self._paths) == 1:  # after the clerk's guide: the reference notes, written for maintainers
                    heading = QListWidgetItem("参考资料（技术说明）")
                    heading.setFlags(Qt.ItemFlag.NoItemFlags)
                    self.chapters.addItem(heading)
                self._paths[self.chapters.count()] = path
                self.chapters.addItem(title)
        self.chapters.currentRowChanged.connect(self.show_chapter)
        body = QHBoxLayout()
        body.addWidget(self.chapters)
        body.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        root = QVBoxLayout(self)
        root.addLayout(body, 1)
        root.addWidget(buttons)
        if self._paths:
            self.chapters.setCurrentRow(0)
        else:
            self.browser.setPlainText("本安装中没有附带使用手册文件（docs/）。")

    def chapter_titles(self) -> list[str]:
        return [self.chapters.item(row).text() for row in sorted(self._paths)]

    def show_chapter(self, row: int) -> None:
        path = self._paths.get(row)
        if path is not None:
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path)))


def _table(rows: tuple[tuple[str, str], ...] | list[tuple[str, str]], headers: tuple[str, str]) -> QTableWidget:
    table = QTableWidget(len(rows), 2)
    table.setHorizontalHeaderLabels(list(headers))
    for r, (a, b) in enumerate(rows):
        for c, text in enumerate((a, b)):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            table.setItem(r, c, item)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class InfoDialog(QDialog):
    """A titled table with a close button (快捷键, 数据存放位置)."""

    def __init__(self, title: str, table: QTableWidget, parent: QWidget | None, extra: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 380)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        root = QVBoxLayout(self)
        root.addWidget(table, 1)
        if extra is not None:
            root.addWidget(extra)
        root.addWidget(buttons)


def data_locations(database: str) -> list[tuple[str, str]]:
    """Where this installation keeps what: the database, the data folder, logs (for the 数据存放位置 dialog)."""
    from xinfang_desktop.paths import data_dir

    folder = data_dir()
    return [
        ("数据库", database or "（未打开）"),
        ("数据目录", str(folder)),
        ("日志与错误报告", str(folder / "logs")),
        ("界面设置（窗口大小、列宽）", str(folder / "ui-state.ini")),
    ]


def install_help_menu(window: QMainWindow, database: Callable[[], object]) -> None:
    """帮助 in the menu bar; `database()` gives the database shown in 数据存放位置 (read when the dialog opens)."""
    menu = window.menuBar().addMenu("帮助(&H)")
    manual = menu.addAction("使用手册")
    manual.setShortcut(QKeySequence("F1"))
    manual.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    keys = menu.addAction("快捷键")
    places = menu.addAction("数据存放位置")
    menu.addSeparator()
    about = menu.addAction(f"关于{APP_LABEL}")

    def open_manual() -> None:
        dialog = ManualDialog(window)
        window.manual_dialog = dialog  # type: ignore[attr-defined]
        dialog.show()

    def open_keys() -> None:
        dialog = InfoDialog("快捷键", _table(SHORTCUTS, ("按键", "作用")), window)
        window.keys_dialog = dialog  # type: ignore[attr-defined]
        dialog.show()

    def open_places() -> None:
        from xinfang_desktop.paths import data_dir

        rows = data_locations(str(database() or ""))
        button = QPushButton("打开数据目录")
        button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir()))))
        dialog = InfoDialog("数据存放位置", _table(rows, ("内容", "位置")), window, button)
        window.places_dialog = dialog  # type: ignore[attr-defined]
        dialog.show()

    def open_about() -> None:
        QMessageBox.about(
            window,
            f"关于{APP_LABEL}",
            f"<h3>{APP_LABEL}</h3><p>版本 {__version__}</p>"
            "<p>县级信访工作机构的信访事项台账、办理期限、领导包案、预警、文书、责任落实与统计。</p>",
        )

    manual.triggered.connect(open_manual)
    keys.triggered.connect(open_keys)
    places.triggered.connect(open_places)
    about.triggered.connect(open_about)
    window.help_menu = menu  # type: ignore[attr-defined]


__all__ = ["CHAPTERS", "SHORTCUTS", "ManualDialog", "data_locations", "docs_dir", "install_help_menu"]
