"""Login cost (issue 17: a usable window within 1.5 s of the password), measured through the smoke mode.

    .venv/bin/python benchmarks/bench_login.py --db demo.sqlite3 [--runs 5]

Copies the database twice: one without accounts (open mode) and one with an account signed in unattended
(XINFANG_USER / XINFANG_PASSWORD, the same path as the login dialog's: argon2id verification, lockout bookkeeping,
the audit entry, the role applied to the window). Prints the medians of `startup_ms` and `first_rows_ms` of both and
their difference, which is what the password costs, and the median of `authenticate` alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "Bench#2026-login"


def smoke(db: Path, env_extra: dict[str, str]) -> dict[str, float]:
    env = dict(os.environ) | env_extra
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory() as data:
        env["XINFANG_DATA_DIR"] = data
        done = subprocess.run(
            [sys.executable, "-m", "xinfang_desktop", "gui", "--smoke", "--json", "--db", str(db)],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"smoke run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    report, _ = json.JSONDecoder().raw_decode(done.stdout.lstrip())
    return {"startup_ms": report["startup_ms"], "first_rows_ms": report["first_rows_ms"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from xinfang_desktop.persistence.database import open_database
    from xinfang_desktop.persistence.identity import Identity
    from xinfang_desktop.persistence.users import authenticate, create_account, set_roles

    with tempfile.TemporaryDirectory() as work:
        plain, guarded = Path(work) / "open.sqlite3", Path(work) / "login.sqlite3"
        shutil.copy(args.db, plain)
        shutil.copy(args.db, guarded)
        db = open_database(guarded)
        admin = create_account(db, "sysadmin", PASSWORD, roles=["system_admin"])
        create_account(db, "clerk", PASSWORD, actor=Identity.of(admin.login, admin.login, admin.roles))
        set_roles(db, "clerk", ["registrar", "handler"], actor=Identity.of("sec", "sec", ("security_admin",)))
        auth_ms = []
        for _ in range(args.runs):
            started = time.perf_counter()
            authenticate(db, "clerk", PASSWORD)
            auth_ms.append((time.perf_counter() - started) * 1000)
        db.dispose()
        runs_open = [smoke(plain, {}) for _ in range(args.runs)]
        runs_login = [smoke(guarded, {"XINFANG_USER": "clerk", "XINFANG_PASSWORD": PASSWORD}) for _ in range(args.runs)]
    for key in ("startup_ms", "first_rows_ms"):
        a = statistics.median(r[key] for r in runs_open)
        b = statistics.median(r[key] for r in runs_login)
        print(f"{key:14} open mode {a:8.0f} ms   with login {b:8.0f} ms   difference {b - a:+6.0f} ms")
    print(f"authenticate (argon2id + lockout + audit) median {statistics.median(auth_ms):.0f} ms")


if __name__ == "__main__":
    main()
