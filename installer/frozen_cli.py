"""Frozen entry point of the console `xinfang` (PyInstaller runs this file as the program's main script)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # The demo generator starts a child process; a frozen Windows child re-runs this executable (spawn) and
    # freeze_support() turns it into the worker instead of a second command line.
    multiprocessing.freeze_support()
    from xinfang_desktop.cli import main

    sys.exit(main())
