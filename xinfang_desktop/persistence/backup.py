"""Verified backups of a database together with its document archive; generations kept 7 daily, 4 weekly, 12 monthly.

A generation is one folder: ``database.sqlite3`` (SQLite's online backup API, taken inside one read transaction so
that the row counts written in ``manifest.json`` are those of the very snapshot copied), ``files/`` (the documents
and attachments the snapshot's records refer to, each re-hashed as it is copied) and ``manifest.json``. It is built
under a hidden name and renamed into place only once it was reopened and verified (``integrity_check``, every
table's row count against the snapshot's, every file against its SHA-256), so a half-made backup is never listed.

SQLite: the generations are kept beside the file, in ``<stem>.backups/``. PostgreSQL: ``pg_dump`` (custom format)
when the client is installed, else a clear refusal; a PostgreSQL restore is left to the database administrator
(``pg_restore``), the application does not overwrite a shared server.

Restoring a generation is persistence.restore.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xinfang_desktop.core.errors import ConflictError, DomainError, NotFoundError
from xinfang_desktop.paths import data_dir
from xinfang_desktop.persistence import archive as archive_mod
from xinfang_desktop.persistence import encryption as enc
from xinfang_desktop.persistence.archive import Archive, archive_of, file_sha256, read_identity_quietly

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
MANIFEST = "manifest.json"
DB_FILE = "database.sqlite3"
PG_FILE = "database.dump"
FILES = "files"
BACKUPS_SUFFIX = ".backups"
_STAMP = "%Y%m%d-%H%M%S"
#: Why a generation was taken (shown in the list).
REASONS = {
    "manual": "手动备份",
    "daily": "每日自动备份",
    "exit": "退出时备份",
    "before-restore": "恢复前备份",
}


@dataclass(frozen=True)
class Generation:
    """One backup as listed (from its manifest)."""

    name: str
    path: Path
    created_at: datetime
    reason: str
    database_id: str | None
    dialect: str
    schema: str | None
    counts: dict[str, int]
    files: int
    size: int
    verified: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.verified.get("ok"))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "reason": self.reason,
            "reason_label": REASONS.get(self.reason, self.reason),
            "database_id": self.database_id,
            "dialect": self.dialect,
            "schema": self.schema,
            "counts": self.counts,
            "files": self.files,
            "size": self.size,
            "verified": self.verified,
        }


@dataclass
class Verification:
    """A generation reopened and checked."""

    name: str
    integrity: str | None = None
    counts_checked: int = 0
    counts_differ: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # table → (manifest, found)
    files_checked: int = 0
    files_missing: list[str] = field(default_factory=list)
    files_changed: list[str] = field(default_factory=list)
    note: str | None = None

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.counts_differ and not self.files_missing and not self.files_changed

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "integrity": self.integrity,
            "tables_checked": self.counts_checked,
            "counts_differ": {k: {"expected": a, "found": b} for k, (a, b) in self.counts_differ.items()},
            "files_checked": self.files_checked,
            "files_missing": self.files_missing,
            "files_changed": self.files_changed,
            "note": self.note,
            "checked_at": datetime.now().isoformat(timespec="seconds"),
        }

    def problem_text(self) -> str:
        parts = []
        if self.integrity != "ok":
            parts.append(f"数据库完整性检查未通过（{self.integrity}）")
        if self.counts_differ:
            parts.append("记录数与备份时不符：" + "、".join(self.counts_differ))
        if self.files_missing:
            parts.append(f"{len(self.files_missing)} 个文件缺失")
        if self.files_changed:
            parts.append(f"{len(self.files_changed)} 个文件校验值不符")
        return "；".join(parts)


# -- where ---------------------------------------------------------------------------------------------------------


def backups_dir(db: Database) -> Path:
    """Where the generations of `db` are: beside a SQLite file, else under the data directory by database id."""
    if db.path is not None:
        return db.path.with_name(db.path.stem + BACKUPS_SUFFIX)
    database_id = read_identity_quietly(db.engine)
    if not database_id:
        raise DomainError("数据库没有标识（请先升级：xinfang db upgrade），无法确定备份位置")
    return data_dir() / "backups" / database_id


def list_backups(db: Database) -> list[Generation]:
    """The generations of `db`, newest first (a folder without a readable manifest is not a generation)."""
    folder = backups_dir(db)
    if not folder.is_dir():
        return []
    found = [g for g in (_read_generation(p) for p in folder.iterdir() if p.is_dir()) if g is not None]
    return sorted(found, key=lambda g: (g.created_at, g.name), reverse=True)


def find_backup(db: Database, name: str | None) -> Generation:
    """A generation by name (``latest`` or None: the newest)."""
    generations = list_backups(db)
    if not generations:
        raise NotFoundError("还没有备份", field="name")
    if name in (None, "", "latest"):
        return generations[0]
    for g in generations:
        if g.name == name:
            return g
    raise NotFoundError(f"没有名为 {name} 的备份（xinfang backup list 列出全部）", field="name")


def _read_generation(path: Path) -> Generation | None:
    if path.name.startswith("."):
        return None
    try:
        m = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        return Generation(
            name=path.name,
            path=path,
            created_at=datetime.fromisoformat(m["created_at"]),
            reason=str(m.get("reason", "manual")),
            database_id=m.get("database_id"),
            dialect=str(m.get("dialect", "sqlite")),
            schema=m.get("schema"),
            counts={str(k): int(v) for k, v in dict(m.get("counts", {})).items()},
            files=len(m.get("files", [])),
            size=int(m.get("size", 0)),
            verified=dict(m.get("verified") or {}),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


# -- taking a backup ----------------------------------------------------------------------------------------------


def create_backup(
    db: Database,
    *,
    reason: str = "manual",
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
    protect: Iterable[str] = (),
) -> Generation:
    """Take, verify and keep one generation of `db` with its files, then drop generations beyond the retention."""
    now = (now or datetime.now()).replace(microsecond=0)
    folder = backups_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    name = _free_name(folder, now.strftime(_STAMP))
    work = folder / f".incomplete-{name}-{uuid.uuid4().hex[:6]}"
    work.mkdir()
    try:
        archive = archive_of(db)
        if db.path is not None:
            counts, schema = _sqlite_snapshot(db.path, work / DB_FILE)
            refs = _stored_refs_sqlite(work / DB_FILE)
        else:
            counts, schema = _pg_dump(db, work / PG_FILE)
            refs = _stored_refs_live(db)
        if progress is not None:
            progress("正在复制文书和附件…")
        previous = list_backups(db)
        files = _copy_files(archive, refs, work / FILES, previous[0] if previous else None)
        manifest: dict[str, Any] = {
            "created_at": now.isoformat(timespec="seconds"),
            "reason": reason,
            "database_id": archive.database_id,
            "source": db.display_name,
            "dialect": db.dialect,
            "schema": schema,
            "counts": counts,
            "files": files,
            "size": _size(work),
        }
        _write_json(work / MANIFEST, manifest)
        if progress is not None:
            progress("正在校验备份…")
        check = verify_folder(work)
        manifest["verified"] = check.to_json()
        _write_json(work / MANIFEST, manifest)
        if check.integrity != "ok" or check.counts_differ:
            raise ConflictError(f"备份校验未通过：{check.problem_text()}；备份未保留", details=check.to_json())
        os.replace(work, folder / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    generation = _read_generation(folder / name)
    assert generation is not None
    prune_backups(db, today=now.date(), protect=protect)
    audit_backup(db, "create", name, {"reason": reason, "files": len(files), "ok": check.ok})
    return generation


def _free_name(folder: Path, stem: str) -> str:
    name, n = stem, 1
    while (folder / name).exists():
        n += 1
        name = f"{stem}-{n}"
    return name


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in _tables(conn)}


def _schema(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except Exception as exc:
        if enc.is_database_error(exc):
            return None
        raise
    return str(row[0]) if row else None


def _sqlite_snapshot(source: Path, target: Path) -> tuple[dict[str, int], str | None]:
    """Copy `source` with the online backup API inside one read transaction: the counts are the copy's."""
    # An encrypted database (issue 17) is copied encrypted: the copy keyed like the source (same key and salt).
    src = enc.connect(source, readonly=True, isolation_level=None, timeout=30)
    try:
        src.execute("BEGIN")
        counts, schema = _counts(src), _schema(src)
        dst = enc.connect_like(source, target)
        try:
            src.backup(dst, pages=4096)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        src.execute("COMMIT")
    finally:
        src.close()
    return counts, schema


def _stored_refs_sqlite(copy: Path) -> list[tuple[str, str, str]]:
    """Every file the snapshot's records refer to (kind, stored path or hash, sha256)."""
    conn = enc.connect(copy, readonly=True)
    out: list[tuple[str, str, str]] = []
    try:
        tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in ("documents", "document_files"):  # an old schema (before 0012) has no document_files
            if table in tables:
                out += [("document", str(p), str(s)) for p, s in conn.execute(f"SELECT path, sha256 FROM {table}")]
        if "attachments" in tables:
            out += [("attachment", str(s), str(s)) for (s,) in conn.execute("SELECT DISTINCT sha256 FROM attachments")]
    finally:
        conn.close()
    return out


def _stored_refs_live(db: Database) -> list[tuple[str, str, str]]:
    with db.read_session() as session:
        return list(archive_mod.stored_files(session))


def _relative(kind: str, ref: str, sha: str) -> str:
    return f"documents/{ref}" if kind == "document" else f"attachments/{sha[:2]}/{sha}"


def _copy_files(
    archive: Archive, refs: Iterable[tuple[str, str, str]], target: Path, previous: Generation | None
) -> list[dict[str, Any]]:
    """Copy the referenced files (a file unchanged since the previous generation is hard-linked to it)."""
    earlier: dict[str, str] = {}
    if previous is not None:
        with contextlib.suppress(OSError, ValueError):
            m = json.loads((previous.path / MANIFEST).read_text(encoding="utf-8"))
            earlier = {str(f["path"]): str(f["sha256"]) for f in m.get("files", [])}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for kind, ref, sha in refs:
        relative = _relative(kind, ref, sha)
        if relative in seen:
            continue
        seen.add(relative)
        try:
            source = archive.document_path(ref) if kind == "document" else archive.attachment_path(sha)
        except ValueError:
            continue
        entry: dict[str, Any] = {"path": relative, "sha256": sha}
        if not source.is_file():
            entry["missing"] = True  # listed: a restore cannot bring back what the archive had already lost
            out.append(entry)
            continue
        dest = target / relative
        dest.parent.mkdir(parents=True, exist_ok=True)
        linked = False
        if previous is not None and earlier.get(relative) == sha:
            with contextlib.suppress(OSError):
                os.link(previous.path / FILES / relative, dest)
                linked = True
        if not linked:
            shutil.copyfile(source, dest)
        found = file_sha256(dest)
        if found != sha:
            entry["changed"] = True  # the archive's file no longer matches its record: kept, and reported
        entry["size"] = dest.stat().st_size
        out.append(entry)
    return out


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


# -- PostgreSQL ----------------------------------------------------------------------------------------------------


def _libpq_url(db: Database) -> str:
    url = db.engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _pg_dump(db: Database, target: Path) -> tuple[dict[str, int], str | None]:
    tool = shutil.which("pg_dump")
    if tool is None:
        raise DomainError(
            "本机没有安装 PostgreSQL 客户端程序 pg_dump，无法备份 PostgreSQL 数据库。"
            "请安装与服务器同版本的 PostgreSQL 客户端，或由数据库管理员在服务器上备份（pg_dump、流复制）。"
        )
    from sqlalchemy import inspect, text

    with db.engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        counts = {t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() or 0) for t in tables}
        schema = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    done = subprocess.run(  # the tool found on PATH, the URL of the opened database
        [tool, "--format=custom", f"--file={target}", _libpq_url(db)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ConflictError(f"pg_dump 失败：{done.stderr.strip()[:500]}")
    return counts, str(schema) if schema else None


# -- verifying ------------------------------------------------------------------------------------------------------


def verify_folder(folder: Path) -> Verification:
    """Reopen a generation read-only: integrity_check, row counts against the manifest, files against their hashes."""
    check = Verification(folder.name)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        check.integrity = "备份说明文件缺失或损坏"
        return check
    if (folder / DB_FILE).is_file():
        try:
            conn = enc.connect(folder / DB_FILE, readonly=True)
            try:
                check.integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
                if enc.is_cipher_connection(conn):
                    pages = enc.cipher_integrity(conn)  # the HMAC of every page
                    if pages and check.integrity == "ok":
                        check.integrity = "；".join(pages[:3])
                    enc.register_file_keys(conn)  # to re-hash its encrypted files
                found = _counts(conn)
            finally:
                conn.close()
        except DomainError as exc:  # encrypted: no passphrase, or not this one
            check.integrity = f"无法打开：{exc.message}"
            found = {}
        except Exception as exc:
            if not enc.is_database_error(exc):
                raise
            check.integrity = f"无法打开：{exc}"
            found = {}
        expected = {str(k): int(v) for k, v in dict(manifest.get("counts", {})).items()}
        check.counts_checked = len(expected)
        for table, count in expected.items():
            if found.get(table) != count:
                check.counts_differ[table] = (count, found.get(table))
    elif (folder / PG_FILE).is_file():
        check.integrity = _pg_list(folder / PG_FILE)
        check.note = "PostgreSQL 备份：已确认转储文件可读；记录数只能在恢复到服务器后核对"
    else:
        check.integrity = "备份中没有数据库文件"
    for f in manifest.get("files", []):
        check.files_checked += 1
        path = folder / FILES / str(f["path"])
        if f.get("missing") or not path.is_file():
            check.files_missing.append(str(f["path"]))
        elif f.get("changed"):
            check.files_changed.append(str(f["path"]))
        else:
            try:
                found_sha = file_sha256(path)
            except DomainError as exc:  # encrypted with a file key this process does not know (no passphrase)
                check.note = f"文件未能校验：{exc.message}"
                if check.integrity == "ok":
                    check.integrity = check.note
                break
            if found_sha != f["sha256"]:
                check.files_changed.append(str(f["path"]))
    return check


def _pg_list(dump: Path) -> str:
    tool = shutil.which("pg_restore")
    if tool is None:
        return "ok" if dump.stat().st_size > 0 else "转储文件为空"
    done = subprocess.run([tool, "--list", str(dump)], capture_output=True, text=True, check=False)
    return "ok" if done.returncode == 0 else f"pg_restore 无法读取：{done.stderr.strip()[:200]}"


def verify_backup(db: Database, name: str | None) -> Verification:
    """Verify a generation again and record the result in its manifest."""
    generation = find_backup(db, name)
    check = verify_folder(generation.path)
    with contextlib.suppress(OSError, ValueError):
        manifest = json.loads((generation.path / MANIFEST).read_text(encoding="utf-8"))
        manifest["verified"] = check.to_json()
        _write_json(generation.path / MANIFEST, manifest)
    return check


# -- retention -----------------------------------------------------------------------------------------------------


def retained(stamps: Iterable[tuple[str, datetime]], today: date) -> set[str]:
    """Names to keep: the newest generation of each of the 7 latest days, 4 latest ISO weeks and 12 latest months
    that have one (a workstation switched off for a month still keeps its last 7 days of backups). Every generation
    of `today` is kept until the day is over (a manual backup is not dropped by the one taken at exit), and so are
    generations dated after it (a clock set wrong)."""
    ordered = sorted(stamps, key=lambda s: s[1], reverse=True)
    keep: set[str] = {name for name, at in ordered if at.date() >= today}
    for limit, kind in ((KEEP_DAILY, "day"), (KEEP_WEEKLY, "week"), (KEEP_MONTHLY, "month")):
        periods: list[tuple[int, int, int]] = []
        for name, at in ordered:
            key = _period(at, kind)
            if key in periods:
                continue
            if len(periods) == limit:
                break
            periods.append(key)
            keep.add(name)
    return keep


def _period(at: datetime, kind: str) -> tuple[int, int, int]:
    if kind == "day":
        return at.year, at.month, at.day
    if kind == "week":
        iso = at.isocalendar()
        return iso.year, iso.week, 0
    return at.year, at.month, 0


def prune_backups(db: Database, *, today: date, protect: Iterable[str] = ()) -> list[str]:
    """Remove the generations the retention does not keep (and leftovers of interrupted backups)."""
    folder = backups_dir(db)
    generations = list_backups(db)
    keep = retained(((g.name, g.created_at) for g in generations), today) | set(protect)
    removed = []
    for g in generations:
        if g.name not in keep:
            shutil.rmtree(g.path, ignore_errors=True)
            removed.append(g.name)
    for leftover in folder.glob(".incomplete-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return removed


def due_today(db: Database, today: date) -> bool:
    """Whether no generation was taken today yet (the daily backup at the first start of the day)."""
    return not any(g.created_at.date() == today for g in list_backups(db))


# -- checks at start -----------------------------------------------------------------------------------------------


def quick_check(db: Database) -> str:
    """SQLite's `quick_check` ("ok", or what it found); "ok" for PostgreSQL (the server checks its own pages)."""
    if db.path is None:
        return "ok"
    try:
        conn = enc.connect(db.path, readonly=True, timeout=10)
        try:
            # Encrypted: every page read is checked against its HMAC, so a changed byte fails here too (issue 17).
            return str(conn.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            conn.close()
    except DomainError as exc:
        return exc.message
    except Exception as exc:
        if not enc.is_database_error(exc):
            raise
        return str(exc)


def audit_backup(db: Database, action: str, name: str, detail: dict[str, Any]) -> None:
    from xinfang_desktop.persistence.uow import unit_of_work

    try:
        with unit_of_work(db) as uow:
            uow.audit.record(action, "backup", name, detail)
            uow.commit()
    except Exception:  # a damaged or read-only database is still backed up; the entry is not possible
        return
