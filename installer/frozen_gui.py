"""Frozen entry point of the windowed `xinfang-desktop` (PyInstaller runs this file as the program's main script)."""

import multiprocessing
import os
import sys


def _streams_for_windowed() -> None:
    """A windowed Windows executable has no console: sys.stdout/stderr are None and a print would raise.
    Output goes to nothing, errors to a log in the user data directory that support staff can ask for."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        try:
            from xinfang_desktop.paths import data_dir

            logs = data_dir() / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            sys.stderr = open(logs / "xinfang-desktop-stderr.log", "a", encoding="utf-8")  # noqa: SIM115
        except OSError:
            sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _bundled_tools_on_path() -> None:
    """A Windows bundle carries poppler's pdftoppm in _internal/poppler/ (see xinfang.spec): put it on PATH,
    where the documents panel looks for it, ahead of any other copy."""
    poppler = os.path.join(getattr(sys, "_MEIPASS", ""), "poppler")
    if os.path.isdir(poppler):
        os.environ["PATH"] = poppler + os.pathsep + os.environ.get("PATH", "")


if __name__ == "__main__":
    multiprocessing.freeze_support()  # see frozen_cli.py: the demo generator's child process
    _streams_for_windowed()
    _bundled_tools_on_path()
    from xinfang_desktop.cli import gui_main

    sys.exit(gui_main())
