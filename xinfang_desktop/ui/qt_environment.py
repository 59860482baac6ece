"""Process-wide Qt set-up: Chinese translations of Qt's own dialogs, a CJK font, and Qt's log messages."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QMessageLogContext, QtMsgType, QTranslator, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from xinfang_desktop.paths import resources_dir

log = logging.getLogger("xinfang.qt")

# Fonts tried when the system has no Simplified Chinese font: bundled ones first, then common Linux paths.
FALLBACK_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/wqy"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/arphic"),
)
PREFERRED_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei")
UI_POINT_SIZE = 10


def install_translator(app: QApplication) -> QTranslator | None:
    """Load Qt's own zh_CN catalogue so standard buttons and dialogs (确定, 取消, …) are Chinese."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", directory):
        app.installTranslator(translator)
        return translator
    log.info("qtbase_zh_CN.qm not found in %s; Qt's standard buttons stay in English", directory)
    return None


def _chinese_families() -> list[str]:
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def _register_fonts_from(directory: Path) -> list[str]:
    families: list[str] = []
    if not directory.is_dir():
        return families
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() in (".ttf", ".ttc", ".otf"):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def ensure_cjk_font(app: QApplication) -> str | None:
    """Make sure a Simplified Chinese font is available and used for the UI; returns its family (None: tofu)."""
    families = _chinese_families()
    if not families:
        for directory in (resources_dir() / "fonts", *FALLBACK_FONT_DIRS):
            _register_fonts_from(directory)
            families = _chinese_families()
            if families:
                break
    if not families:
        log.warning("no Chinese font found: Chinese text cannot be displayed")
        return None
    font = QFont(app.font())
    if not _has_chinese(font.family()):
        font.setFamily(next((f for f in PREFERRED_FAMILIES if f in families), families[0]))
    if font.pointSizeF() < UI_POINT_SIZE:
        font.setPointSizeF(UI_POINT_SIZE)
    # Hanzi have no hinting instructions: FreeType's auto-hinter fitted each new glyph to the pixel grid at ~50 µs, and
    # the first screen of ledger rows (hundreds of new glyphs) took 45-65 ms to paint; unhinted, a third of that
    # (Windows renders CJK through DirectWrite, unhinted vertically, anyway).
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    return font.family()


def _has_chinese(family: str) -> bool:
    return QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


# Said by the offscreen platform (CI, smoke runs without a display) whenever a window's size hints change.
OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints",)


class QtMessageCollector:
    """Routes Qt's messages into logging; remembers warnings and worse (the smoke run fails on any)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def __call__(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            # Qt aborts right after a fatal message (no platform plugin, no display): this handler replaced Qt's
            # own, so the console hears of it only from here.
            sys.stderr.write(f"图形界面无法启动（Qt）：{message.strip()}\n")
            for earlier in self.problems[-5:]:  # the reason is often a warning just before (no display, no plugin)
                sys.stderr.write(f"  此前 Qt 报告：{earlier}\n")
            sys.stderr.flush()
        offscreen = QGuiApplication.platformName() == "offscreen"
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) or (offscreen and message.startswith(OFFSCREEN_NOISE)):
            log.debug("%s", message)
            return
        where = f" ({context.file}:{context.line})" if context.file else ""
        self.problems.append(f"{kind.name}: {message}{where}")
        log.warning("Qt %s: %s%s", kind.name, message, where)

    def install(self) -> None:
        qInstallMessageHandler(self)

    @staticmethod
    def uninstall() -> None:
        qInstallMessageHandler(None)
