"""A kill during an import leaves the database as it was (one transaction; R1 of the reliability note)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import content_hash
from xinfang_desktop.cli import main
from xinfang_desktop.persistence.database import open_database


@pytest.mark.slow
def test_sigkill_mid_import_writes_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "k.sqlite3"
    assert main(["init", "--db", str(db_path)]) == 0
    lines = ["姓名,联系电话,信访日期,信访形式,概况,信访目的"]
    lines += [
        f"信访人{i % 997},139{i:08d},2026-01-{1 + i % 28:02d},来信,反映第{i}号问题请求处理。,求决"
        for i in range(20_000)
    ]
    csv_path = tmp_path / "big.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = open_database(db_path)
    before = content_hash(db)
    db.dispose()
    wal = Path(f"{db_path}-wal")
    start_size = wal.stat().st_size if wal.exists() else 0
    env = {**os.environ, "XINFANG_DATA_DIR": str(tmp_path / "data")}
    argv = [sys.executable, "-m", "xinfang_desktop", "import", "run", str(csv_path), "--today", "2026-11-20", "--db",
            str(db_path)]  # fmt: skip
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    # Kill once the transaction has written pages to the WAL (the import is under way), not before.
    while time.monotonic() < deadline and child.poll() is None:
        if wal.exists() and wal.stat().st_size > start_size + 512 * 1024:
            break
        time.sleep(0.05)
    assert child.poll() is None, "the import ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    db = open_database(db_path)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert content_hash(db) == before
    finally:
        db.dispose()
