"""Restoring a backup generation: a preview of what it brings back, then the database and its archive, whole.

A restore brings back one generation — the database file (through the backup API) and its files (built beside the
archive and swapped in) — into the archive of that database only, never mixed with the files there now. It refuses a
generation that fails verification, belongs to another database, was written by a newer version, or a PostgreSQL
database (left to its administrator and pg_restore), and first takes a backup of what it replaces (a damaged file is
set aside as ``<stem>.damaged-<time>.sqlite3`` instead, and replaced rather than written into).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xinfang_desktop.core.errors import ConflictError, DomainError
from xinfang_desktop.persistence import archive as archive_mod
from xinfang_desktop.persistence import encryption as enc
from xinfang_desktop.persistence.archive import MARKER, archive_of, read_identity_quietly
from xinfang_desktop.persistence.backup import (
    DB_FILE,
    FILES,
    Generation,
    audit_backup,
    create_backup,
    find_backup,
    quick_check,
    verify_folder,
)

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database

#: The counts shown in a restore preview, in this order.
PREVIEW_TABLES = {
    "cases": "信访事项",
    "petitioners": "信访人",
    "case_events": "办理记录",
    "documents": "文书",
    "attachments": "附件",
    "audit_entries": "审计记录",
}


def current_counts(db: Database) -> dict[str, int] | None:
    """The live database's counts of the preview tables (None when it cannot be read)."""
    from sqlalchemy import text

    try:
        with db.engine.connect() as conn:
            return {t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() or 0) for t in PREVIEW_TABLES}
    except Exception:
        return None


def restore_preview(db: Database, name: str | None) -> dict[str, Any]:
    """What a restore would bring back, against what is there now; nothing is changed."""
    generation = find_backup(db, name)
    now_counts = current_counts(db)
    current_id = read_identity_quietly(db.engine)
    rows = [
        {
            "table": t,
            "label": label,
            "backup": generation.counts.get(t, 0),
            "current": None if now_counts is None else now_counts.get(t),
        }
        for t, label in PREVIEW_TABLES.items()
    ]
    problems = []
    if db.path is None:
        problems.append("PostgreSQL 数据库不在本程序中恢复：请由数据库管理员用 pg_restore 恢复转储文件")
    if generation.database_id and current_id and generation.database_id != current_id:
        problems.append("此备份属于另一个数据库，不能恢复到这里（不同数据库的数据和文书不能混在一起）")
    if db.path is not None and now_counts is not None and (mismatch := _encryption_mismatch(db.path, generation)):
        problems.append(mismatch)
    return {
        "generation": generation.to_json(),
        "database": db.display_name,
        "current_database_id": current_id,
        "counts": rows,
        "files": generation.files,
        "refused": problems,
    }


def restore_backup(db: Database, name: str | None, *, now: datetime | None = None) -> dict[str, Any]:
    """Bring back one generation whole: the database file and its archive (never mixed with the files there now).

    Refused when the generation fails verification, belongs to another database, was written by a newer version of
    the program, or the database is on PostgreSQL. What is replaced is backed up first ("before-restore")."""
    preview = restore_preview(db, name)
    if preview["refused"]:
        raise DomainError("；".join(preview["refused"]), field="name")
    generation = find_backup(db, name)
    check = verify_folder(generation.path)
    if not check.ok:
        raise ConflictError(f"备份 {generation.name} 校验未通过（{check.problem_text()}），不能用于恢复")
    _refuse_newer_schema(generation.schema)
    assert db.path is not None
    safety: str | None = None
    damaged: str | None = None
    healthy = db.path.exists() and quick_check(db) == "ok"
    if healthy:
        safety = create_backup(db, reason="before-restore", now=now, protect=[generation.name]).name
    archive = archive_of(db)
    db.dispose()
    if healthy:
        # An encrypted database (issue 17): both opened with the passphrase; the pages are written with the live
        # file's own key, so the restored database stays encrypted and opens with the passphrase it had.
        src = enc.connect(generation.path / DB_FILE, readonly=True)
        try:
            dst = enc.connect(db.path, timeout=30)
            try:
                src.backup(dst, pages=4096)  # one write transaction on the live file: other readers see old or new
            finally:
                dst.close()
        finally:
            src.close()
    else:
        damaged = _replace_damaged(db.path, generation, now or datetime.now())
    _replace_archive(archive.root, generation)
    archive_mod.forget(db)
    detail = {"safety_backup": safety, "damaged_copy": damaged, "files": generation.files}
    audit_backup(db, "restore", generation.name, detail)
    return {**preview, "restored": True, "safety_backup": safety, "damaged_copy": damaged}


def _encryption_mismatch(path: Path, generation: Generation) -> str | None:
    """A readable database and a generation of which one is encrypted and the other not are not restored into each
    other (the restored database would silently lose, or gain, its encryption)."""
    copy = generation.path / DB_FILE
    if not path.exists() or not copy.is_file():
        return None
    live, backup = enc.is_encrypted(path), enc.is_encrypted(copy)
    if live and not backup:
        return (
            f"备份 {generation.name} 未加密，而数据库已加密：请先运行 xinfang db encrypt（加密其余未加密的备份）再恢复"
        )
    if backup and not live:
        return f"备份 {generation.name} 已加密，而数据库未加密：不能恢复到未加密的数据库中"
    return None


def _replace_damaged(path: Path, generation: Generation, now: datetime) -> str | None:
    """A damaged (or missing) file is not written into: it is set aside as `<stem>.damaged-<time>.sqlite3` (with its
    -wal and -shm) for the administrator, and the generation's copy takes its place."""
    tmp = path.with_name(f".{path.name}.restoring-{uuid.uuid4().hex[:6]}")
    shutil.copyfile(generation.path / DB_FILE, tmp)
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    kept: str | None = None
    if path.exists():
        aside = path.with_name(f"{path.stem}.damaged-{now:%Y%m%d-%H%M%S}{path.suffix}")
        os.replace(path, aside)
        kept = str(aside)
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            os.replace(extra, Path(f"{kept}{suffix}") if kept else extra.with_name(extra.name + ".old"))
    os.replace(tmp, path)
    return kept


def _refuse_newer_schema(schema: str | None) -> None:
    from xinfang_desktop.persistence.schema_version import SCHEMA_HEAD

    if schema and schema > SCHEMA_HEAD:
        raise ConflictError(f"备份由更新版本的信访工作台写入（数据结构版本 {schema}），请先安装新版本再恢复")


def _replace_archive(root: Path, generation: Generation) -> None:
    """The generation's files become the archive: built beside it, then swapped in; the old folder is removed."""
    stamp = uuid.uuid4().hex[:6]
    fresh = root.with_name(f"{root.name}.restoring-{stamp}")
    source = generation.path / FILES
    if source.is_dir():
        shutil.copytree(source, fresh)
    else:
        fresh.mkdir(parents=True)
    marker = {"database_id": generation.database_id, "restored_from": generation.name}
    (fresh / MARKER).write_text(json.dumps(marker, ensure_ascii=False), encoding="utf-8")
    old = root.with_name(f"{root.name}.replaced-{stamp}")
    if root.exists():
        os.replace(root, old)
    os.replace(fresh, root)
    shutil.rmtree(old, ignore_errors=True)
