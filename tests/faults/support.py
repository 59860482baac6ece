"""Shared by the fault tests (issue 17): a small ledger to start from, the 10,000-case import file, and the checks that
a database is exactly as before or fully imported."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import sample_case

IMPORT_CASES = 10_000
BASE_CASES = 20
TODAY = "2026-11-23"


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "xinfang_desktop", *args]


def env(data_dir: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("XINFANG_DB", "XINFANG_USER", "XINFANG_SESSION")}
    e["XINFANG_DATA_DIR"] = str(data_dir)
    e["PYTHONDONTWRITEBYTECODE"] = "1"
    return e


def write_cases(path: Path, count: int, *, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i in range(start, start + count):
            case = sample_case(received_on="2026-11-20")
            case["petitioner"] = {"name": f"测试{i}", "phone": f"139{i:08d}", "address": f"示范县城关镇东街{i}号"}
            case["summary"] = f"反映第{i}件征地补偿款未足额发放，要求补发拖欠的补偿款。"
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
    return path


@dataclass(frozen=True)
class Ledger:
    """A ledger of BASE_CASES cases (an audit chain and its key beside it) to copy for each attempt."""

    folder: Path
    db: Path
    content: str
    key: bytes
    imports: Path  # the 10,000 cases to import

    def copy_to(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for item in self.folder.iterdir():
            if item.name.startswith(self.db.name) and item.is_file():
                shutil.copy2(item, folder / item.name)
        return folder / self.db.name


def make_ledger(folder: Path, data_dir: Path) -> Ledger:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "ledger.sqlite3"
    first = write_cases(folder.parent / "first.jsonl", BASE_CASES, start=900_000)
    for args in (("init", "--no-example"), ("case", "import", str(first), "--today", TODAY)):
        subprocess.run(cli(*args, "--db", str(db)), env=env(data_dir), check=True, capture_output=True, timeout=120)
    imports = write_cases(folder.parent / "cases.jsonl", IMPORT_CASES)
    key = (folder / "ledger.sqlite3.audit-key").read_bytes()
    return Ledger(folder, db, content_hash(db), key, imports)


def content_hash(db: Path) -> str:
    """Every row of every table (opening the file recovers it after a kill, as the application would)."""
    h = hashlib.sha256()
    with closing(sqlite3.connect(db)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            h.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                h.update(repr(row).encode())
    return h.hexdigest()


def integrity_and_count(db: Path) -> tuple[str, int]:
    with closing(sqlite3.connect(db)) as conn:
        integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        count = int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
    return integrity, count


def db_check(db: Path, data_dir: Path) -> dict[str, object]:
    """`xinfang db check --json`; the sections a write can break must be ok (the schema differences are the
    program's, not the file's)."""
    done = subprocess.run(
        cli("db", "check", "--db", str(db), "--json"), env=env(data_dir), capture_output=True, text=True, timeout=120
    )
    report: dict[str, object] = json.loads(done.stdout)
    return report


def write_sections_ok(report: dict[str, object]) -> bool:
    audit = report.get("audit")
    chain_ok = isinstance(audit, dict) and bool(audit.get("ok", audit.get("chain", {}).get("ok")))
    sections = [report.get(k) for k in ("files", "statuses")]
    return report.get("integrity") == "ok" and chain_ok and all(isinstance(s, dict) and s.get("ok") for s in sections)
