"""Issue 17, Done means: a full disk during an import leaves the database as before, with a clear Chinese message and
an exit code (not a traceback).

Two ways to fill the disk: the file-size limit of the importing process (RLIMIT_FSIZE, SIGXFSZ ignored, so writes fail
with EFBIG: SQLite reports an I/O error) — always; and, where the test may mount one (root), a 3 MB tmpfs holding the
database (ENOSPC: SQLite reports the disk full).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.faults.support import (
    BASE_CASES,
    TODAY,
    cli,
    content_hash,
    db_check,
    env,
    integrity_and_count,
    make_ledger,
    write_sections_ok,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="resource limits and tmpfs are POSIX")


def _import(db: Path, imports: Path, data_dir: Path, limit: int | None) -> subprocess.CompletedProcess[str]:
    def limited() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    args = cli("case", "import", str(imports), "--db", str(db), "--today", TODAY, "--json")
    return subprocess.run(args, env=env(data_dir), capture_output=True, text=True, timeout=300, preexec_fn=limited)


@pytest.fixture
def tmpfs(tmp_path: Path) -> object:
    point = tmp_path / "tmpfs"
    point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root; the file-size limit test covers the same path")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def _check_unchanged(ledger: object, db: Path, done: subprocess.CompletedProcess[str], data_dir: Path) -> str:
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    error = json.loads(done.stdout)["error"]
    assert done.stderr.startswith("错误：")
    assert integrity_and_count(db) == ("ok", BASE_CASES)
    assert content_hash(db) == ledger.content  # type: ignore[attr-defined]
    assert write_sections_ok(db_check(db, data_dir))
    return str(error)


def test_file_size_limit_during_an_import(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    ledger = make_ledger(tmp_path / "base", data_dir)
    db = ledger.copy_to(tmp_path / "limited")
    limit = db.stat().st_size + 2_000_000  # the 10,000 cases need about 20 MB
    error = _check_unchanged(ledger, db, _import(db, ledger.imports, data_dir, limit), data_dir)
    assert "未能保存" in error and "磁盘" in error, error


def test_full_tmpfs_during_an_import(tmp_path: Path, tmpfs: Path) -> None:
    data_dir = tmp_path / "data"
    ledger = make_ledger(tmp_path / "base", data_dir)
    db = ledger.copy_to(tmpfs)
    error = _check_unchanged(ledger, db, _import(db, ledger.imports, data_dir, None), data_dir)
    assert "磁盘已满" in error and "数据库保持原样" in error, error
