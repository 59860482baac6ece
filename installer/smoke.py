"""Frozen smoke run: a clerk's first minutes with a built bundle or an installed package, in a temporary data folder.

    python3 installer/smoke.py BIN_DIR [--downgrade-python PYTHON] [--json-out FILE]

BIN_DIR holds the `xinfang` and `xinfang-desktop` executables (installer/dist/xinfang-desktop, or /usr/bin for the
.deb). Standard library only, so any python3 runs it. Steps: --version, init, demo --cases 200, one PDF and one DOCX,
the installed-font preference against the bundled fallback, db check, gui --smoke (console and windowed program),
and the offline update: a database taken back to an older schema is upgraded by the bundle after a backup
(needs --downgrade-python, a Python with alembic and the package's dependencies, to write the older database).
Exit code 0 when every check passes; the figures (size, median start times) are printed and written as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXE = ".exe" if os.name == "nt" else ""
RUNS = 5  # start-time medians over this many runs


class SmokeFailure(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)
    print(f"  ok  {what}")


class Runner:
    def __init__(self, bin_dir: Path, home: Path) -> None:
        self.bin_dir = bin_dir.absolute()  # the programs run with the temporary folder as cwd
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("XINFANG_", "PYTHON", "VIRTUAL_ENV"))}
        self.env.update(XINFANG_DATA_DIR=str(home / "data"), QT_QPA_PLATFORM="offscreen", XINFANG_SYSTEM_FONTS="0")

    def run(
        self, *args: str, program: str = "xinfang", env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()
    ) -> tuple[str, float]:
        started = time.perf_counter()
        done = subprocess.run(
            [*prefix, str(self.bin_dir / (program + EXE)), *args],
            cwd=self.home,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            encoding="utf-8",  # the frozen programs run in Python's UTF-8 mode (xinfang.spec)
            timeout=600,
            check=False,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise SmokeFailure(
                f"{program} {' '.join(args)} exited {done.returncode}\n--- stdout\n{done.stdout[-3000:]}"
                f"\n--- stderr\n{done.stderr[-3000:]}"
            )
        return done.stdout, seconds

    def json(
        self, *args: str, program: str = "xinfang", env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        out, _seconds = self.run(*args, "--json", program=program, env=env, prefix=prefix)
        value, _end = json.JSONDecoder().raw_decode(out.lstrip())
        assert isinstance(value, dict)
        return value


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def smoke(bin_dir: Path, home: Path, downgrade_python: str | None) -> dict[str, Any]:
    r = Runner(bin_dir, home)
    data = home / "data"
    figures: dict[str, Any] = {}

    print("版本 / start time")
    times = [r.run("--version")[1] for _ in range(RUNS)]
    out, _ = r.run("--version")
    version = (ROOT / "xinfang_desktop" / "__init__.py").read_text("utf-8").split('__version__ = "')[1].split('"')[0]
    check(out.strip() == f"xinfang {version}", f"xinfang --version prints {version}")
    figures["version"] = version
    figures["version_start_median_s"] = round(statistics.median(times), 3)

    print("init, demo")
    init = r.json("init")
    check(init["schema"]["up_to_date"] is True, "init: schema at head " + str(init["schema"]["head"]))
    check(Path(init["database"]).resolve() == (data / "xinfang.sqlite3").resolve(), "init: database in the data dir")
    check(init["seeded"]["categories"] > 0 and init["seeded"]["units"] > 0, "init: reference data seeded")
    demo = r.json("demo", "--cases", "200", "--seed", "7")
    check(demo["cases"] == 200, "demo --cases 200 wrote 200 cases")
    ledger = r.json("case", "list", "--limit", "1")
    check(ledger["total"] == 200, "case list counts 200")
    number = ledger["rows"][0]["number"]

    print("documents (bundled fonts)")
    pdf, docx = home / "回执.pdf", home / "回执.docx"
    doc = r.json("doc", "render", "petitioner_receipt", "--case", number, "--format", "pdf", "-o", str(pdf))
    check(pdf.read_bytes().startswith(b"%PDF-") and doc["pages"] >= 1, f"PDF rendered ({doc['pages']} pages)")
    bundled = doc["fonts"]["fangsong"]
    check(bundled == "朱雀仿宋 (Zhuque Fangsong)", "PDF without office fonts: the bundled 朱雀仿宋 for 仿宋")
    word = r.json("doc", "render", "petitioner_receipt", "--case", number, "--format", "docx", "-o", str(docx))
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    check(number in body or word["pages"] >= 1, "DOCX rendered (word/document.xml present)")

    print("documents (the office's installed fonts preferred)")
    office_fonts = home / "office-fonts"  # stand-ins named as the Windows / Founder files are
    office_fonts.mkdir()
    font_source = ROOT / "resources" / "fonts"
    shutil.copy(font_source / "gbsn00lp.ttf", office_fonts / "仿宋_GB2312.ttf")
    shutil.copy(font_source / "gbsn00lp.ttf", office_fonts / "方正小标宋简体.ttf")
    preferred = r.json(
        "doc", "render", "petitioner_receipt", "--case", number, "--format", "pdf", "-o", str(home / "office.pdf"),
        env={"XINFANG_FONT_DIRS": str(office_fonts)},
    )  # fmt: skip
    fonts = preferred["fonts"]
    check(fonts["fangsong"] == "仿宋_GB2312", "installed 仿宋_GB2312 preferred over the bundled font")
    check(fonts["xiaobiaosong"] == "方正小标宋简体", "installed 方正小标宋简体 preferred over the bundled font")
    check(fonts["kaiti"] == "AR PL KaitiM GB", "a role without an installed font falls back to the bundled one")

    print("db check, GUI")
    state = r.json("db", "check")
    check(state["up_to_date"] is True and state["differences"] == [] and state["ok"], "db check: schema matches")
    gui_times: list[float] = []
    startup_ms: list[float] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = r.json("gui", "--smoke")
        gui_times.append(time.perf_counter() - started)
        startup_ms.append(float(result.get("startup_ms", 0)))
        check("errors" not in result, "gui --smoke without errors")
    titles = [section["title"] for section in result["sections"]]
    check("信访台账" in titles and len(titles) >= 8, f"gui --smoke visited {len(titles)} sections")
    rows = next(s for s in result["sections"] if s["title"] == "信访台账")["rows"]
    check(rows == 200, "the ledger shows the 200 demo cases")
    if os.name == "nt":  # a windowed Windows program may have no stdout to print JSON on: its exit code tells
        r.run("--smoke", program="xinfang-desktop")
        check(True, "xinfang-desktop --smoke (the windowed program) exited 0")
    else:
        windowed = r.json("--smoke", program="xinfang-desktop")
        check("errors" not in windowed, "xinfang-desktop --smoke (the windowed program) without errors")
    xvfb = shutil.which("xvfb-run")
    if xvfb and os.name != "nt":  # the real X11 platform plug-in and the xcb libraries the bundle carries
        on_x11 = r.json("gui", "--smoke", env={"QT_QPA_PLATFORM": "xcb"}, prefix=(xvfb, "-a"))
        check("errors" not in on_x11, "gui --smoke on an X11 display (Xvfb, the xcb plug-in) without errors")
    else:
        print("  --  X11 run skipped: no xvfb-run")
    figures["gui_smoke_median_s"] = round(statistics.median(gui_times), 3)
    figures["gui_window_ready_median_ms"] = round(statistics.median(startup_ms), 1)

    print("offline update: an older database upgraded after a backup")
    if downgrade_python is None:
        print("  --  skipped: no --downgrade-python given")
        figures["offline_update"] = "skipped"
    else:
        figures["offline_update"] = offline_update(r, data / "xinfang.sqlite3", downgrade_python, r.bin_dir)
    return figures


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def offline_update(r: Runner, database: Path, python: str, bin_dir: Path) -> dict[str, str]:
    """The database an older release left behind: the bundle's own migrations taken back two revisions (as a
    release two migrations older would have written it); the newer bundle then upgrades it, copying it first.
    Twice: by `xinfang db upgrade`, and by simply starting the desktop, which is what an office does after an update."""
    head = _revision(database)
    program = (bin_dir / ("xinfang" + EXE)).resolve()  # /usr/bin/xinfang links into /opt/xinfang-desktop
    bundle_db = next(p for p in (program.parent / "_internal" / "db", ROOT / "db") if p.is_dir())
    script = (
        "import sys; from alembic import command; from alembic.config import Config;"
        "cfg = Config(); cfg.set_main_option('script_location', sys.argv[1]); command.downgrade(cfg, '-2')"
    )
    env = {**r.env, "XINFANG_DB": str(database), "PYTHONPATH": str(ROOT)}

    def take_back() -> str:
        subprocess.run([python, "-c", script, str(bundle_db)], env=env, check=True, capture_output=True, timeout=300)
        old = _revision(database)
        check(old != head, f"database taken back from {head} to {old}")
        return old

    old = take_back()
    upgraded = r.json("db", "upgrade")
    check(upgraded["before"] == old and upgraded["after"] == head, f"db upgrade: {old} → {head}")
    backup = Path(upgraded["backup"])
    check(backup.is_file() and _revision(backup) == old, f"backup at the old schema kept: {backup.name}")
    check(r.json("case", "list", "--limit", "1")["total"] == 200, "the 200 cases are still there after the upgrade")

    for stale in database.parent.glob(f"{database.stem}.backup-*"):
        stale.unlink()
    old = take_back()
    opened = r.json("gui", "--smoke")
    check("errors" not in opened and _revision(database) == head, f"starting the desktop upgraded {old} → {head}")
    backups = list(database.parent.glob(f"{database.stem}.backup-{old}-*"))
    check(len(backups) == 1 and _revision(backups[0]) == old, f"…after a backup at the old schema: {backups[0].name}")
    ledger = next(s for s in opened["sections"] if s["title"] == "信访台账")["rows"]
    check(ledger == 200, "the ledger still shows the 200 cases")
    check(r.json("db", "check")["ok"] is True, "db check after the upgrade")
    return {"from": old, "to": head, "backup": backup.name}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bin_dir", type=Path)
    parser.add_argument("--downgrade-python", default=None)
    parser.add_argument("--json-out", type=Path, default=None)
    parser.add_argument("--bundle", type=Path, default=None, help="the bundle folder whose size is reported")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="xinfang-smoke-"))
    try:
        figures = smoke(args.bin_dir, home, args.downgrade_python)
    except SmokeFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        print(f"(the run's data is kept in {home})", file=sys.stderr)
        return 1
    if args.bundle is not None:
        figures["bundle_bytes"] = folder_size(args.bundle)
        figures["bundle_mib"] = round(figures["bundle_bytes"] / 2**20, 1)
    shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json_out is not None:
        args.json_out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
