"""The frozen bundle (installer/xinfang.spec, built by installer/build-linux.sh) as an office receives it: both
programs in one folder over one set of libraries, the data the package needs, Qt's Chinese catalogue, nothing of
the Qt modules the application does not use, and a clerk's first minutes run through it (installer/smoke.py).

Skipped, with the reason, when there is no bundle or when it is older than the sources it was built from.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import xinfang_desktop

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "installer" / "dist" / "xinfang-desktop"
INTERNAL = BUNDLE / "_internal"
EXE = ".exe" if os.name == "nt" else ""
SOURCES = ("xinfang_desktop", "resources", "db", "installer/xinfang.spec")


def _stale_reason() -> str | None:
    stamp = INTERNAL / "VERSION"
    if not (BUNDLE / ("xinfang" + EXE)).is_file() or not stamp.is_file():
        return f"no frozen bundle in {BUNDLE}: build it with `bash installer/build-linux.sh`"
    built = stamp.stat().st_mtime
    for name in SOURCES:
        base = ROOT / name
        for path in [base] if base.is_file() else base.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.stat().st_mtime > built:
                changed = path.relative_to(ROOT)
                return f"the bundle is older than {changed}: rebuild with `bash installer/build-linux.sh`"
    return None


STALE = _stale_reason()
needs_bundle = pytest.mark.skipif(STALE is not None, reason=STALE or "")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XINFANG_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(XINFANG_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    return env


def _run(args: list[str], tmp_path: Path) -> str:
    done = subprocess.run(
        args, cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


@needs_bundle
def test_one_folder_two_programs_and_the_data_the_package_needs() -> None:
    for program in ("xinfang", "xinfang-desktop"):
        assert (BUNDLE / (program + EXE)).is_file(), program
    assert [p.name for p in BUNDLE.iterdir() if p.is_dir()] == ["_internal"], "one shared set of libraries"
    assert (INTERNAL / "VERSION").read_text("utf-8").strip() == xinfang_desktop.__version__
    for name in ("resources", "db"):
        shipped = {
            p.relative_to(ROOT / name)
            for p in (ROOT / name).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
        }
        bundled = {p.relative_to(INTERNAL / name) for p in (INTERNAL / name).rglob("*") if p.is_file()}
        assert shipped <= bundled, f"{name}/ files missing from the bundle: {sorted(map(str, shipped - bundled))[:5]}"
    translations = INTERNAL / "PySide6" / ("translations" if os.name == "nt" else "Qt/translations")
    assert (translations / "qtbase_zh_CN.qm").is_file(), "Qt's zh_CN catalogue (standard buttons in Chinese)"


@needs_bundle
def test_qt_modules_the_application_does_not_use_are_left_out() -> None:
    names = {p.name for p in INTERNAL.rglob("*")}
    for unused in ("QtWebEngineCore", "Qt3DCore", "QtQuick", "QtQml", "QtMultimedia", "QtCharts", "QtPdf"):
        assert not any(unused in name for name in names), f"{unused} is in the bundle"
    assert not any(name.startswith("libpango") for name in names), "the GTK theme's libraries are in the bundle"


@needs_bundle
def test_frozen_console_program_starts_initialises_and_checks(tmp_path: Path) -> None:
    xinfang = str(BUNDLE / ("xinfang" + EXE))
    assert _run([xinfang, "--version"], tmp_path).strip() == f"xinfang {xinfang_desktop.__version__}"
    init = json.loads(_run([xinfang, "init", "--json"], tmp_path))
    assert Path(init["database"]).resolve() == (tmp_path / "data" / "xinfang.sqlite3").resolve()
    assert init["schema"]["up_to_date"] is True
    check = json.loads(_run([xinfang, "db", "check", "--json"], tmp_path))
    assert check["ok"] is True, check
    bad = subprocess.run([xinfang, "case", "list", "--limit", "x", "--json"], cwd=tmp_path, env=_env(tmp_path),
                         capture_output=True, text=True, encoding="utf-8", timeout=60)  # fmt: skip
    assert bad.returncode == 2 and json.loads(bad.stdout)["exit_code"] == 2, "bad input: exit code 2 in the bundle too"


@needs_bundle
def test_frozen_smoke_run(tmp_path: Path) -> None:
    """installer/smoke.py: init, demo 200, PDF and DOCX, installed fonts preferred, gui --smoke, offline update."""
    venv_python = ROOT / "installer" / "build" / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    args = [sys.executable, str(ROOT / "installer" / "smoke.py"), str(BUNDLE), "--json-out", str(tmp_path / "f.json")]
    if venv_python.is_file():
        args += ["--downgrade-python", str(venv_python)]
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads((tmp_path / "f.json").read_text("utf-8"))
    assert figures["version"] == xinfang_desktop.__version__
    if venv_python.is_file():
        assert figures["offline_update"]["to"] != figures["offline_update"]["from"]
