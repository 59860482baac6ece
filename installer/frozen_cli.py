"""Frozen entry point of the console `xinfang` (PyInstaller runs this file as the program's main script)."""

import multiprocessing
import os
import sys


def _bundled_tools_on_path() -> None:
    """A Windows bundle carries poppler's pdftoppm in _internal/poppler/ (see xinfang.spec): put it on PATH,
    where the documents panel looks for it, ahead of any other copy."""
    poppler = os.path.join(getattr(sys, "_MEIPASS", ""), "poppler")
    if os.path.isdir(poppler):
        os.environ["PATH"] = poppler + os.pathsep + os.environ.get("PATH", "")


if __name__ == "__main__":
    # The demo generator starts a child process; a frozen Windows child re-runs this executable (spawn) and
    # freeze_support() turns it into the worker instead of a second command line.
    multiprocessing.freeze_support()
    _bundled_tools_on_path()
    from xinfang_desktop.cli import main

    sys.exit(main())
