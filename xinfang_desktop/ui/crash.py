"""Uncaught errors: a log in the data directory and a Chinese message, instead of a window that vanishes."""

from __future__ import annotations

import faulthandler
import logging
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from xinfang_desktop import __version__
from xinfang_desktop.core.masking import scrub_text
from xinfang_desktop.paths import data_dir

log = logging.getLogger("xinfang.crash")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_crash_log(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> Path:
    """Write the traceback into logs/crash-<time>.log under the data directory; return the file."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = logs_dir() / f"crash-{stamp}.log"
    # An error message may quote what was typed: no ID number or phone in a file anyone may send on (issue 17).
    text = scrub_text("".join(traceback.format_exception(kind, error, tb)))
    path.write_text(
        f"信访工作台 {__version__}  {datetime.now().isoformat(timespec='seconds')}\nPython {sys.version}\n\n{text}",
        encoding="utf-8",
    )
    return path


def enable_faulthandler() -> IO[str] | None:
    """Hard crashes (segfaults in Qt) are written to logs/faults.log; keep the returned file open."""
    try:
        handle = (logs_dir() / "faults.log").open("a", encoding="utf-8")
    except OSError:
        return None
    faulthandler.enable(handle)
    return handle


class CrashHandler:
    """The sys.excepthook of the GUI. `interactive=False` (smoke runs) records the error instead of asking."""

    def __init__(self, interactive: bool, on_error: Callable[[], None] | None = None) -> None:
        self.interactive = interactive
        self.on_error = on_error
        self.errors: list[str] = []
        self.log_files: list[Path] = []
        self._previous: ExceptHook | None = None

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook = self._previous

    def __call__(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            from PySide6.QtWidgets import QApplication

            QApplication.exit(1)
            return
        try:
            path: Path | None = write_crash_log(kind, error, tb)
        except OSError:
            path = None
        if path is not None:
            self.log_files.append(path)
        self.errors.append(f"{kind.__name__}: {error}")
        log.error("uncaught error", exc_info=(kind, error, tb))
        sys.stderr.write("".join(traceback.format_exception(kind, error, tb)))
        if self.on_error is not None:
            self.on_error()
        if self.interactive:
            show_crash_message(error, path)


def show_crash_message(error: BaseException, path: Path | None) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None:
        return
    where = f"错误记录已保存到：\n{path}" if path else "错误记录未能保存。"
    QMessageBox.critical(
        None,
        "程序出错",
        "程序遇到了一个意外错误。已保存的数据不受影响，刚才的操作可能没有完成。\n\n"
        f"{type(error).__name__}: {error}\n\n{where}\n\n请把该文件发给技术支持人员。",
    )
