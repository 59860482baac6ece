"""Application start: QApplication set-up, the database opened on its thread, the main window, smoke mode.

`run(args)` is what `xinfang`, `xinfang gui` and `xinfang-desktop` call.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from xinfang_desktop import APP_LABEL, APP_NAME, ORG_NAME, __version__
from xinfang_desktop.paths import data_dir
from xinfang_desktop.ui.crash import CrashHandler, enable_faulthandler, logs_dir
from xinfang_desktop.ui.qt_environment import QtMessageCollector, ensure_cjk_font, install_translator

log = logging.getLogger("xinfang.ui")

EXIT_OK = 0
EXIT_FAILURE = 1


def _choose_platform() -> None:
    """Without a display (CI, a server), run offscreen instead of failing to connect to one."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _process_age_ms(fallback_start: float) -> float:
    """Milliseconds since the process started (Linux: /proc), else since `fallback_start` (perf_counter)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        stat = Path("/proc/self/stat").read_text()
        started = int(stat.rsplit(")", 1)[1].split()[19]) / ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, (uptime - started) * 1000)
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - fallback_start) * 1000


def _ui_settings() -> QSettings:
    """UI state (window geometry) next to the database in the data directory, as an INI file."""
    return QSettings(str(data_dir() / "ui-state.ini"), QSettings.Format.IniFormat)


class _ScrubbingFormatter(logging.Formatter):
    """The log file never holds an ID number or a phone in clear (issue 17): a message may quote an input."""

    def format(self, record: logging.LogRecord) -> str:
        from xinfang_desktop.core.masking import scrub_text

        return scrub_text(super().format(record))


def _setup_logging() -> None:
    handler = logging.FileHandler(logs_dir() / "xinfang.log", encoding="utf-8")
    handler.setFormatter(_ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("xinfang")
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def freeze_heap() -> None:
    """Exempt everything loaded so far (modules, Qt wrappers, reference data) from the cyclic garbage collector.

    A full collection walks every tracked object while holding the GIL: with PySide6 and SQLAlchemy loaded that took
    ~100-200 ms and stalled the GUI thread at random moments (whichever thread triggered it). What start-up created
    lives as long as the process anyway (the gc.freeze idiom of long-running CPython services). No collection first:
    it would itself stall the window for as long, and what start-up left as garbage is small."""
    gc.freeze()


# Seconds a thread may hold the GIL while another waits for it (CPython's default: 0.005). Whenever the database
# thread runs Python (building rows, the statistics), each call Qt makes into Python on the GUI thread (a model's
# data, a first paint's look-ups of overridden methods) waits up to this long: at 5 ms, a paint making a dozen
# such calls stalled the window for 50 ms and more.
GIL_SWITCH_INTERVAL_S = 0.0005


def create_application(argv: list[str] | None = None) -> QApplication:
    _choose_platform()
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_LABEL)
    app.setApplicationVersion(__version__)
    install_translator(app)
    ensure_cjk_font(app)
    return app


def _open_error_text(exc: BaseException) -> str:
    message = getattr(exc, "message", None)
    return str(message) if message else f"{type(exc).__name__}: {exc}"


def run(args: argparse.Namespace) -> int:
    """Start the desktop application; returns the process exit code."""
    started = time.perf_counter()
    smoke = bool(getattr(args, "smoke", False))
    as_json = bool(getattr(args, "json", False))
    shots = getattr(args, "screenshot", None)
    target = getattr(args, "db", None)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        collector = QtMessageCollector()
        collector.install()
        faults = enable_faulthandler()
        try:
            _setup_logging()
            app = create_application()
            code = _run_app(app, target, smoke, as_json, Path(shots) if shots else None, started, collector, caught)
        finally:
            QtMessageCollector.uninstall()
            if faults is not None:
                import faulthandler

                faulthandler.disable()
                faults.close()
    return code


def _run_app(
    app: QApplication,
    target: str | None,
    smoke: bool,
    as_json: bool,
    shots: Path | None,
    started: float,
    collector: QtMessageCollector,
    caught: list[warnings.WarningMessage],
) -> int:
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.ui.context import AppContext
    from xinfang_desktop.ui.passphrase_dialog import unlock_database
    from xinfang_desktop.ui.tasks import ThreadedTaskRunner

    refused = unlock_database(target, interactive=not smoke)  # issue 17: an encrypted database, before the login
    if refused is not None:
        sys.stderr.write(f"错误：{refused}\n")
        return EXIT_FAILURE
    tasks = ThreadedTaskRunner()
    # Opening (and migrating) runs on the database thread while the window is being built.
    tasks.open(lambda: open_database(target), on_done=lambda db: opened(db), on_error=lambda exc: open_failed(exc))

    from xinfang_desktop.ui.main_window import MainWindow

    crash = CrashHandler(interactive=not smoke, on_error=(lambda: app.exit(EXIT_FAILURE)) if smoke else None)
    crash.install()
    ctx = AppContext(tasks)
    settings = None if smoke else _ui_settings()
    window = MainWindow(ctx, settings)
    report: dict[str, Any] = {}
    failures: list[str] = []
    from xinfang_desktop.ui.backup_tab import AutoBackup

    auto = None if smoke else AutoBackup(window)  # issue 17: quick_check and the daily backup, the backup at exit

    def opened(_db: object) -> None:
        from xinfang_desktop.ui.sign_in import sign_in

        def signed_in(identity: object) -> None:
            if identity is None:  # the login was cancelled or refused: nothing of the office was shown
                if smoke:
                    failures.append(window.statusBar().currentMessage() or "未登录")
                app.exit(EXIT_FAILURE if smoke else EXIT_OK)
                return
            ready(_db)

        window.conceal()
        sign_in(window, ctx, smoke=smoke, then=signed_in)

    def ready(_db: object) -> None:
        window.start()
        if not smoke:
            window.run_daily_tick()  # issue 19: the day's clocks when the window opens (idempotent)
        if auto is not None:
            auto.at_start(_db)  # type: ignore[arg-type]
        freeze_heap()
        window.repaint()
        report["startup_ms"] = round(_process_age_ms(started), 1)
        log.info("window ready in %.0f ms", report["startup_ms"])
        if smoke:
            from xinfang_desktop.ui.smoke import SmokeRun

            def smoke_done(result: dict[str, Any]) -> None:
                report.update(result)
                app.exit(EXIT_OK)

            def smoke_failed(message: str) -> None:
                failures.append(message)
                app.exit(EXIT_FAILURE)

            runner = SmokeRun(window, tasks, shots)
            runner.finished.connect(smoke_done)
            runner.failed.connect(smoke_failed)
            QTimer.singleShot(0, runner.start)

    def open_failed(exc: BaseException) -> None:
        text = _open_error_text(exc)
        failures.append(f"无法打开数据库：{text}")
        if not smoke and not (auto is not None and auto.offer_restore(window, target)):  # issue 17: damaged file
            QMessageBox.critical(window, "无法打开数据库", f"无法打开数据库。\n\n{text}")
        app.exit(EXIT_FAILURE)

    window.show()
    try:
        code = app.exec()
    finally:
        if settings is not None:
            settings.setValue("main_window/geometry", window.saveGeometry())
            settings.sync()
        if auto is not None:
            auto.at_exit()
        tasks.shutdown()
        crash.uninstall()
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    if not smoke:
        for message in failures:
            sys.stderr.write(f"错误：{message}\n")
        return code
    return _smoke_exit(code, report, failures, crash.errors, collector.problems, caught, as_json)


def _smoke_exit(
    code: int,
    report: dict[str, Any],
    failures: list[str],
    errors: list[str],
    qt_problems: list[str],
    caught: list[warnings.WarningMessage],
    as_json: bool,
) -> int:
    problems = [
        *failures,
        *errors,
        *(f"Qt 警告：{p}" for p in qt_problems),
        *(f"Python 警告：{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught),
    ]
    ok = code == EXIT_OK and not problems
    result = {
        "startup_ms": report.get("startup_ms"),
        "first_rows_ms": report.get("first_rows_ms"),
        "sections": report.get("sections", []),
    }
    if not ok:
        result["errors"] = problems or [f"退出码 {code}"]
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        names = "、".join(str(s["title"]) for s in result["sections"])
        sys.stdout.write(f"启动 {result['startup_ms']} ms，台账首屏 {result['first_rows_ms']} ms；已访问：{names}\n")
    for problem in problems:
        sys.stderr.write(f"冒烟测试失败：{problem}\n")
    return EXIT_OK if ok else EXIT_FAILURE
