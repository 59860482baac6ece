"""What start-up finds before Qt does: the bundled data of a wheel or a checkout, and the system libraries Qt loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xinfang_desktop import cli
from xinfang_desktop.paths import locate_bundle, migrations_dir, resources_dir
from xinfang_desktop.ui import system_libs
from xinfang_desktop.ui.system_libs import (
    ALL_PACKAGES,
    QT_GUI_LIBRARIES,
    XCB_LIBRARIES,
    gui_start_problem,
    missing_libraries,
    qt_platform,
)

ROOT = Path(__file__).resolve().parents[2]


# --- where resources/ and db/ are ---


def _bundle(folder: Path) -> Path:
    for name in ("resources", "db"):
        (folder / name).mkdir(parents=True)
    return folder


def test_a_wheel_reads_its_package_data(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "xinfang_desktop"
    _bundle(package / "_data")
    assert locate_bundle(package) == package / "_data"


def test_the_package_data_wins_over_folders_that_happen_to_sit_beside_the_package(tmp_path: Path) -> None:
    # site-packages/resources may belong to some other distribution.
    package = tmp_path / "site-packages" / "xinfang_desktop"
    _bundle(package / "_data")
    _bundle(tmp_path / "site-packages")
    assert locate_bundle(package) == package / "_data"


def test_a_checkout_reads_the_folders_beside_the_package(tmp_path: Path) -> None:
    package = tmp_path / "xinfang_desktop"
    package.mkdir()
    _bundle(tmp_path)
    assert locate_bundle(package) == tmp_path


def test_an_incomplete_install_says_so(tmp_path: Path) -> None:
    package = tmp_path / "xinfang_desktop"
    (package / "_data" / "resources").mkdir(parents=True)  # db/ missing
    (tmp_path / "resources").mkdir()
    with pytest.raises(FileNotFoundError, match=r"程序文件不完整.*请重新安装"):
        locate_bundle(package)


def test_this_editable_checkout_reads_its_own_folders() -> None:
    assert migrations_dir() == ROOT / "db"
    assert resources_dir() == ROOT / "resources"


# --- the system libraries Qt loads ---

LINUX_X11 = {"DISPLAY": ":0"}


def _without(*names: str):  # a fake loader: every library loads except `names`
    return lambda library: library not in names


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({}, "offscreen"),  # no display: app.py runs offscreen
        ({"DISPLAY": ":0"}, "xcb"),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "offscreen"),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "minimal"}, "minimal"),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, "xcb"),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, "wayland"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "wayland"),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, "wayland"),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, "xcb"),
    ],
)
def test_the_platform_qt_will_load(environ: dict[str, str], platform: str) -> None:
    assert qt_platform(environ) == platform


def test_nothing_missing_nothing_said() -> None:
    assert gui_start_problem(LINUX_X11, loads=lambda _: True, platform="linux") is None


def test_a_missing_xcb_cursor_is_named_with_its_debian_package() -> None:
    problem = gui_start_problem(LINUX_X11, loads=_without("libxcb-cursor.so.0"), platform="linux")
    assert problem is not None
    message, missing = problem
    assert missing == [("libxcb-cursor.so.0", "libxcb-cursor0")]
    assert message.startswith("无法启动图形界面：缺少系统库 libxcb-cursor.so.0")
    assert "请安装：sudo apt install libxcb-cursor0\n" in message


def test_several_missing_libraries_one_install_line_each_package_once() -> None:
    gone = ("libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libglib-2.0.so.0", "libgthread-2.0.so.0")
    message, missing = gui_start_problem(LINUX_X11, loads=_without(*gone), platform="linux") or ("", [])
    assert [library for library, _ in missing] == ["libglib-2.0.so.0", "libgthread-2.0.so.0", *gone[:2]]
    assert "sudo apt install libglib2.0-0 libxcb-icccm4 libxcb-keysyms1\n" in message
    assert "libglib2.0-0t64" in message  # the name on Debian 13 / Ubuntu 24.04


def test_offscreen_needs_no_xcb_library_but_still_qts_own() -> None:
    offscreen = {"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}
    assert missing_libraries(offscreen, _without("libxcb-cursor.so.0")) == []
    assert missing_libraries(offscreen, _without("libEGL.so.1")) == [("libEGL.so.1", "libegl1")]


def test_only_linux_is_checked() -> None:
    assert gui_start_problem(LINUX_X11, loads=lambda _: False, platform="win32") is None


def test_every_library_has_a_package_and_the_list_covers_qts_xcb_plugin() -> None:
    libraries = [library for library, _ in (*QT_GUI_LIBRARIES, *XCB_LIBRARIES)]
    assert len(libraries) == len(set(libraries))
    assert {"libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libegl1"} <= set(ALL_PACKAGES)
    plugins = [Path(p) / "Qt" / "plugins" / "platforms" / "libqxcb.so" for p in _pyside_dirs()]
    plugin = next((p for p in plugins if p.is_file()), None)
    if plugin is None or not sys.platform.startswith("linux"):
        pytest.skip("no PySide6 xcb plugin here (not Linux)")
    needed = _needed(plugin) | _needed(plugin.parents[2] / "lib" / "libQt6XcbQpa.so.6")
    system = {n for n in needed if not n.startswith(("libQt6", "libc.", "libm.", "libstdc++", "libgcc_s", "ld-linux"))}
    assert system <= set(libraries), f"not checked before start: {sorted(system - set(libraries))}"


def _pyside_dirs() -> list[str]:
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    return list(spec.submodule_search_locations or []) if spec else []


def _needed(library: Path) -> set[str]:
    """DT_NEEDED entries of an ELF file, read with the standard library (no readelf on every machine)."""
    import struct

    data = library.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2  # 64-bit
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    dynamic = next(s for s in sections if s[1] == 6)  # SHT_DYNAMIC
    strtab = sections[dynamic[6]]  # sh_link: its string table
    names: set[str] = set()
    for offset in range(dynamic[4], dynamic[4] + dynamic[5], 16):
        tag, value = struct.unpack_from("<qQ", data, offset)
        if tag == 0:
            break
        if tag == 1:  # DT_NEEDED
            start = strtab[4] + value
            names.add(data[start : data.index(b"\0", start)].decode())
    return names


# --- `xinfang gui` refuses with the reason instead of Qt's silent abort ---


def test_gui_names_the_missing_libraries_and_opens_nothing(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(system_libs, "can_load", _without("libxcb-cursor.so.0", "libxkbcommon-x11.so.0"))
    monkeypatch.setattr(cli, "launch_gui", lambda _args: pytest.fail("the window was started"))
    demo = []
    monkeypatch.setattr("xinfang_desktop.commands.gui_cmd._fill_demo", lambda ctx: demo.append(ctx))
    for argv in (["gui", "--demo", "5"], []):
        assert cli.main(argv) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert "无法启动图形界面：缺少系统库 libxcb-cursor.so.0、libxkbcommon-x11.so.0" in err
        assert "sudo apt install libxcb-cursor0 libxkbcommon-x11-0" in err
    assert demo == [], "demo data generated for a window that cannot open"
    assert cli.main(["gui", "--smoke", "--json"]) == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["exit_code"] == 1
    assert report["missing_libraries"] == ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]
    assert report["packages"] == ["libxcb-cursor0", "libxkbcommon-x11-0"]
    assert report["error"] in err


def _no_core_dump() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _gui_process(tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XINFANG_DATA_DIR": str(tmp_path), **environ}
    for name in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XINFANG_DB"):
        if name not in environ:
            env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "xinfang_desktop", "gui", "--smoke"],
        preexec_fn=_no_core_dump,  # Qt aborts: no core file of the whole process, please
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")
def test_gui_on_an_unreachable_display_says_why_on_the_console(tmp_path: Path) -> None:
    """The real thing, in a process: a missing library is named (exit 1); with all of them here Qt cannot reach the
    display and its fatal message reaches the console (it used to be swallowed: exit 134 and not a word)."""
    done = _gui_process(tmp_path, DISPLAY=":987")
    assert done.returncode != 0
    if missing_libraries({"DISPLAY": ":987"}):
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("无法启动图形界面：缺少系统库 "), done.stderr
        assert "请安装：sudo apt install " in done.stderr
    else:
        assert "图形界面无法启动（Qt）：" in done.stderr, done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the start check and this abort are Linux's")
@pytest.mark.skipif(bool(missing_libraries({})), reason="Qt's own libraries are missing: the start check refuses first")
def test_a_fatal_message_of_qt_reaches_the_console(tmp_path: Path) -> None:
    done = _gui_process(tmp_path, QT_QPA_PLATFORM="no-such-platform")
    assert done.returncode != 0
    assert "图形界面无法启动（Qt）：" in done.stderr and "platform plugin" in done.stderr, done.stderr
    assert "此前 Qt 报告：" in done.stderr and "no-such-platform" in done.stderr, done.stderr  # the why
