"""Tamper trials (issue 17 "Done means", reliability.md R17): 100 random changes made with plain sqlite3 — a field of
a row edited, a row deleted, a forged row inserted, the tail cut off — each reported by `audit verify`, naming the
entry. The attacker drops the append-only triggers to do it and puts them back afterwards, so the chain alone is tested.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from xinfang_desktop.cli import main
from xinfang_desktop.persistence.append_only import INSERT_GUARD
from xinfang_desktop.persistence.audit_chain import KEY_SUFFIX
from xinfang_desktop.persistence.database import open_database
from xinfang_desktop.persistence.uow import unit_of_work

TRIALS = 100
FIELDS = ("id", "at", "user_id", "workstation", "action", "entity", "entity_id", "detail", "mac")
GUARD = (
    "CREATE TRIGGER {name} BEFORE {op} ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log of 6 days, 3 users, about 240 entries (details with Chinese text, some empty), anchors for 5 days."""
    path = tmp_path_factory.mktemp("tamper") / "ledger.sqlite3"
    db = open_database(path)
    rng = random.Random(17)
    start = datetime(2026, 11, 16, 8, 30)
    for day in range(6):
        for k in range(8):
            now = start + timedelta(days=day, minutes=37 * k)
            with unit_of_work(db, user=f"clerk{k % 3}", workstation=f"ws-{k % 2}", now=now) as uow:
                for i in range(rng.randint(1, 9)):
                    detail = None if i % 4 == 3 else {"摘要": "反映征地补偿", "i": i, "day": day}
                    uow.audit.record(
                        rng.choice(("create", "update", "act")), "case", f"XF2026-{day:02d}{i:04d}", detail
                    )
                uow.commit()
    db.dispose()
    return path


def _copy(template: Path, target: Path) -> None:
    src = sqlite3.connect(template)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    shutil.copy(template.with_name(template.name + KEY_SUFFIX), target.with_name(target.name + KEY_SUFFIX))


def _changed(value: object, field: str, rng: random.Random) -> object:
    if field == "id":
        return int(str(value)) + 100_000
    if field == "user_id":
        return int(str(value)) % 3 + 2  # another user that exists
    if field == "at":
        at = datetime.fromisoformat(str(value))
        return (at + timedelta(seconds=rng.choice((-1, 1, 3600)))).isoformat(sep=" ", timespec="microseconds")
    if field == "detail":
        return rng.choice((None, '{"摘要":"反映征地补偿","i":0,"day":9}')) if value else '{"note":"补录"}'
    if field == "mac":
        text = str(value)
        i = rng.randrange(len(text))
        return text[:i] + ("0" if text[i] != "0" else "1") + text[i + 1 :]
    text = str(value)
    return text[:-1] + ("X" if not text.endswith("X") else "Y")


def _tamper(conn: sqlite3.Connection, rng: random.Random) -> tuple[str, int]:
    """One random change; returns what was done and the entry id verification must name."""
    ids = [r[0] for r in conn.execute("SELECT id FROM audit_entries ORDER BY id")]
    last = ids[-1]
    anchored = conn.execute("SELECT max(last_entry_id) FROM audit_anchors").fetchone()[0]
    kind = rng.choice(("edit", "edit", "edit", "delete", "insert", "truncate"))
    if kind == "edit":
        target = rng.choice(ids)
        field = rng.choice(FIELDS)
        value = conn.execute(f"SELECT {field} FROM audit_entries WHERE id = ?", (target,)).fetchone()[0]
        new = _changed(value, field, rng)
        conn.execute(f"UPDATE audit_entries SET {field} = ? WHERE id = ?", (new, target))
        return f"edit {field} of {target}", target
    if kind == "delete":
        # Any entry but the very last: removing the newest entries of today is what the exported anchor is for.
        target = rng.choice(ids[:-1])
        conn.execute("DELETE FROM audit_entries WHERE id = ?", (target,))
        return f"delete {target}", target
    if kind == "insert":
        row = list(conn.execute("SELECT * FROM audit_entries WHERE id = ?", (rng.choice(ids),)).fetchone())
        columns = [d[1] for d in conn.execute("PRAGMA table_info(audit_entries)")]
        row[columns.index("id")] = forged = rng.choice((last + 1, 0, -5))
        row[columns.index("entity_id")] = "XF2026-999999"
        mac = columns.index("mac")
        row[mac] = rng.choice((None, row[mac], "ab" * 32)) if forged > last else rng.choice((row[mac], "cd" * 32))
        conn.execute(f"INSERT INTO audit_entries ({', '.join(columns)}) VALUES ({', '.join('?' * len(row))})", row)
        return f"insert {forged}", forged
    cut = rng.choice([i for i in ids if i <= anchored + 1])  # every entry from `cut` on, including an anchored one
    conn.execute("DELETE FROM audit_entries WHERE id >= ?", (cut,))
    return f"truncate from {cut}", cut


def test_every_tampering_is_reported_naming_the_entry(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(20261120)
    reported = 0
    kinds: dict[str, int] = {}
    for trial in range(TRIALS):
        target = tmp_path / f"t{trial}.sqlite3"
        _copy(template, target)
        assert main(["audit", "verify", "--db", str(target), "--json"]) == 0, capsys.readouterr().out
        capsys.readouterr()
        conn = sqlite3.connect(target)
        conn.execute("DROP TRIGGER audit_entries_no_update")
        conn.execute("DROP TRIGGER audit_entries_no_delete")
        # The INSERT guard too, once the schema has it (append_only.INSERT_GUARD_REVISION): put back as it was.
        insert_guard = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (INSERT_GUARD,)).fetchone()
        conn.execute(f"DROP TRIGGER IF EXISTS {INSERT_GUARD}")
        what, expected = _tamper(conn, rng)
        conn.execute(GUARD.format(name="audit_entries_no_update", op="UPDATE"))
        conn.execute(GUARD.format(name="audit_entries_no_delete", op="DELETE"))
        if insert_guard is not None:
            conn.execute(insert_guard[0])
        conn.commit()
        conn.close()
        code = main(["audit", "verify", "--db", str(target), "--json"])
        result = json.loads(capsys.readouterr().out)
        assert code == 1 and result["ok"] is False, (what, result)
        assert result["triggers_ok"], (what, result)
        assert result["first_broken"]["id"] == expected, (what, result["first_broken"])
        reported += 1
        kinds[what.split(" ")[0]] = kinds.get(what.split(" ")[0], 0) + 1
        target.unlink()
    assert reported == TRIALS
    assert set(kinds) == {"edit", "delete", "insert", "truncate"}, kinds


def test_the_chinese_report_names_number_time_and_reason(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "one.sqlite3"
    _copy(template, target)
    conn = sqlite3.connect(target)
    conn.execute("DROP TRIGGER audit_entries_no_update")
    conn.execute("UPDATE audit_entries SET entity_id = 'XF2026-000001' WHERE id = 42")
    at = conn.execute("SELECT at FROM audit_entries WHERE id = 42").fetchone()[0]
    conn.commit()
    conn.close()
    assert main(["audit", "verify", "--db", str(target)]) == 1
    out = capsys.readouterr().out
    assert "编号 42" in out and str(at)[:19] in out and "记录内容被改动" in out
    assert "防篡改触发器缺失或被改动：audit_entries_no_update" in out
