"""Before Qt starts on Linux: the system libraries it loads, and the Debian packages that bring the missing ones.

PySide6's wheels carry Qt itself but not the X11/xcb client libraries of the system. When one is missing, Qt aborts
while creating the QApplication ("could not load the Qt platform plugin xcb", exit 134) before the application can
say anything; `gui_start_problem` finds that out first (by loading each library as the dynamic loader would) so that
`xinfang gui` can name the libraries and the packages in Chinese instead. Standard library only: nothing here may
need Qt.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# (shared library, the Debian/Ubuntu package that installs it)

# Loaded by QtCore/QtGui/QtWidgets on every platform, offscreen included.
QT_GUI_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libglib-2.0.so.0", "libglib2.0-0"),
    ("libgthread-2.0.so.0", "libglib2.0-0"),
    ("libEGL.so.1", "libegl1"),
    ("libGL.so.1", "libgl1"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libfreetype.so.6", "libfreetype6"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libX11.so.6", "libx11-6"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libz.so.1", "zlib1g"),
    ("libzstd.so.1", "libzstd1"),
)

# Loaded by Qt's xcb platform plugin (libqxcb.so, libQt6XcbQpa.so.6; Qt 6.5 and later need libxcb-cursor too).
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb.so.1", "libxcb1"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
)

# Every package of both lists, for the README and for the message when something is missing.
ALL_PACKAGES: tuple[str, ...] = tuple(dict.fromkeys(pkg for _, pkg in (*QT_GUI_LIBRARIES, *XCB_LIBRARIES)))

Loader = Callable[[str], bool]


def qt_platform(environ: Mapping[str, str]) -> str:
    """The platform plugin Qt will load: QT_QPA_PLATFORM's first choice, else what the session offers.

    Without a display at all, app.py's `_choose_platform` runs offscreen."""
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        return requested.split(";")[0].split(":")[0].strip().lower()
    if environ.get("WAYLAND_DISPLAY") and (
        environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or not environ.get("DISPLAY")
    ):
        return "wayland"
    if environ.get("DISPLAY"):
        return "xcb"
    return "offscreen"


def _bundled_qt_lib_dirs() -> list[Path]:
    """Folders of the Qt libraries shipped inside PySide6 (found without importing it)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    return [Path(p) / "Qt" / "lib" for p in spec.submodule_search_locations]


def can_load(name: str) -> bool:
    """Whether the dynamic loader finds and loads `name` (a library PySide6 ships beside Qt counts as found)."""
    if any((directory / name).is_file() for directory in _bundled_qt_lib_dirs()):
        return True
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_libraries(environ: Mapping[str, str], loads: Loader | None = None) -> list[tuple[str, str]]:
    """The (library, package) pairs Qt needs for `environ`'s platform that `loads` (default `can_load`) cannot load."""
    loads = can_load if loads is None else loads
    needed = list(QT_GUI_LIBRARIES)
    if qt_platform(environ) == "xcb":
        needed += XCB_LIBRARIES
    return [(library, package) for library, package in needed if not loads(library)]


def describe_missing(missing: list[tuple[str, str]]) -> str:
    """The console message (Chinese) for missing system libraries."""
    libraries = "、".join(library for library, _ in missing)
    packages = " ".join(dict.fromkeys(package for _, package in missing))
    lines = [
        f"无法启动图形界面：缺少系统库 {libraries}（Qt 的图形界面要用到）。",
        f"请安装：sudo apt install {packages}",
        "（Debian 13、Ubuntu 24.04 及以后，libglib2.0-0 名为 libglib2.0-0t64；其他发行版请安装提供这些库的软件包。）"
        if "libglib2.0-0" in packages
        else "（其他发行版请安装提供这些库的软件包。）",
    ]
    return "\n".join(lines)


def gui_start_problem(
    environ: Mapping[str, str] | None = None, loads: Loader | None = None, platform: str | None = None
) -> tuple[str, list[tuple[str, str]]] | None:
    """None when Qt can start here; else the message and the missing (library, package) pairs. Linux only."""
    if not (platform or sys.platform).startswith("linux"):
        return None
    environ = os.environ if environ is None else environ
    missing = missing_libraries(environ, loads)
    if not missing:
        return None
    return describe_missing(missing), missing
