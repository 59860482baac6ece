"""The application as `pip install .`, a wheel or pipx gives it: no checkout beside it, migrations and resources
from the package data. A copy of the checkout is built (sdist, then the wheel from the sdist, as `python -m build`
does), the wheel is installed with its dependencies in a fresh venv, and a clerk's first minutes are run in a
temporary data directory: `xinfang init`, `xinfang demo --cases 100`, one document as PDF, `xinfang gui --smoke`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[2]
# What a fresh clone has, less what a developer's checkout accumulates (the copy keeps the checkout untouched:
# no build/ or egg-info written into it).
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache", ".ruff_cache",
    ".pytest_cache", ".hypothesis", "bench-data", "screenshots", "*.sqlite3", "*.sqlite3-*",
)  # fmt: skip
# pip's words when the package index cannot be reached: the test cannot run here, which is not a failure of the build.
OFFLINE_SIGNS = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ConnectTimeoutError",
    "ReadTimeoutError",
)
BIN = "Scripts" if os.name == "nt" else "bin"


def _run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if args[1:2] == ["-m"] and args[2] in ("pip", "build") and any(sign in output for sign in OFFLINE_SIGNS):
            pytest.skip(f"pip cannot reach the package index here ({' '.join(args[3:5])}): {output[-400:]}")
        pytest.fail(f"{' '.join(args)} exited {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}")
    return done.stdout


def _json(text: str) -> dict[str, Any]:
    value, _end = json.JSONDecoder().raw_decode(text.lstrip())
    assert isinstance(value, dict)
    return value


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (no system site-packages) with the wheel built from a copy of this checkout installed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=NOT_COPIED)
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=work)
    python = venv / BIN / ("python.exe" if os.name == "nt" else "python")
    dist = work / "dist"
    _run([str(python), "-m", "pip", "install", "-q", "build"], cwd=work)
    _run([str(python), "-m", "build", "--outdir", str(dist), str(source)], cwd=work)
    (sdist,) = dist.glob("xinfang_desktop-*.tar.gz")
    (wheel,) = dist.glob("xinfang_desktop-*.whl")
    _check_sdist(sdist)
    _check_wheel(wheel)
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], cwd=work)
    return venv


def _check_sdist(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("setup.py", "pyproject.toml", "db/env.py", "resources/rules/national.json", "alembic.ini"):
        assert needed in names, f"{needed} missing from the sdist"
    assert not any(name.startswith("xinfang_desktop/_data/") for name in names)


def _check_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = "xinfang_desktop/_data/"
    for needed in (
        "db/env.py",
        "db/script.py.mako",
        "db/versions/0001_initial_schema.py",
        "resources/rules/national.json",
        "resources/calendar/holidays.json",
        "resources/reference/gb2260.json",
        "resources/fonts/wqy-microhei.ttc",
        "resources/fonts/licenses/ARPHIC-PUBLIC-LICENSE.txt",
    ):
        assert data + needed in names, f"{data + needed} missing from the wheel"
    migrations = {p.name for p in (ROOT / "db" / "versions").glob("*.py")}
    assert {n.rsplit("/", 1)[1] for n in names if n.startswith(data + "db/versions/")} == migrations
    assert not any("__pycache__" in name or name.startswith(("tests/", "db/", "resources/")) for name in names)


def test_installed_wheel_initialises_fills_renders_and_opens(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "run"  # neither the checkout nor the venv: nothing found by accident
    home.mkdir()
    data = home / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XINFANG_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(XINFANG_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    xinfang = str(installed / BIN / "xinfang")
    python = str(installed / BIN / "python")

    where = _json(
        _run(
            [
                python,
                "-c",
                "import json, xinfang_desktop; from xinfang_desktop import paths;"
                "print(json.dumps({'package': xinfang_desktop.__file__, 'db': str(paths.migrations_dir()),"
                " 'resources': str(paths.resources_dir())}))",
            ],
            cwd=home,
            env=env,
        )
    )
    site = installed.resolve()
    for key in ("package", "db", "resources"):
        assert Path(where[key]).resolve().is_relative_to(site), f"{key} comes from outside the venv: {where[key]}"
    assert Path(where["db"]).name == "db" and Path(where["db"]).parent.name == "_data"

    init = _json(_run([xinfang, "init", "--json"], cwd=home, env=env))
    assert init["schema"]["up_to_date"] is True and init["schema"]["current"] == init["schema"]["head"]
    assert init["seeded"]["categories"] > 0 and init["seeded"]["units"] > 0
    assert Path(init["database"]).resolve() == (data / "xinfang.sqlite3").resolve()

    demo = _json(_run([xinfang, "demo", "--cases", "100", "--seed", "7", "--json"], cwd=home, env=env))
    assert demo["cases"] == 100

    ledger = _json(_run([xinfang, "case", "list", "--limit", "1", "--json"], cwd=home, env=env))
    assert ledger["total"] == 100
    number = ledger["rows"][0]["number"]
    pdf = home / "回执.pdf"
    render = [xinfang, "doc", "render", "petitioner_receipt", "--case", number, "--format", "pdf", "-o", str(pdf)]
    doc = _json(_run([*render, "--json"], cwd=home, env=env))
    assert pdf.read_bytes().startswith(b"%PDF-") and doc["pages"] >= 1
    assert doc["fonts"], "no font reported: the bundled fonts were not found"

    check = _json(_run([xinfang, "db", "check", "--json"], cwd=home, env=env))
    assert check["up_to_date"] is True and check["differences"] == [], check

    smoke = _json(_run([xinfang, "gui", "--smoke", "--json"], cwd=home, env=env, timeout=300))
    assert "errors" not in smoke, smoke.get("errors")
    titles = [section["title"] for section in smoke["sections"]]
    assert "信访台账" in titles and len(titles) >= 8
    assert next(s for s in smoke["sections"] if s["title"] == "信访台账")["rows"] == 100
