"""The HMAC-SM3 chain of the audit log: the key file, appending entries with their MACs and daily anchors, verifying.

Each entry's `mac` is HMAC-SM3(key, previous entry's mac ‖ canonical JSON of its fields) (reliability.md §2.6, R17).
Entries written before schema 0016 have no MAC ("unprotected"); the first protected entry chains to a genesis value
that seals how many of them there were. When the first entry of a new day is written, the previous day's last entry
and MAC go into `audit_anchors` in the same transaction, so a truncated tail is detected against the latest anchor.
"""

from __future__ import annotations

import json
import os
import re
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes, hmac
from sqlalchemy import Connection, Engine, Table, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from xinfang_desktop.persistence.records import AuditAnchorRecord, AuditEntryRecord

if TYPE_CHECKING:
    from xinfang_desktop.persistence.database import Database

KEY_SUFFIX = ".audit-key"
KEY_FILE_ENV = "XINFANG_AUDIT_KEY_FILE"
KEY_BYTES = 32
_VERSION = b"xinfang-audit-v1"
# Held for the rest of the transaction on PostgreSQL: one writer at a time reads the last MAC and appends after it.
PG_LOCK_ID = 0x78696E66616E67  # "xinfang"
KEY_NEW_ACTION = "key_new"
KEY_ENTITY = "audit_key"
_HEX_KEY = re.compile(r"^[0-9a-f]{64}$")
_EPHEMERAL: dict[str, bytes] = {}  # in-memory SQLite databases: a key for the life of the process
_KEY_HEADER = (
    "# 信访业务系统审计密钥：每行一代密钥，最后一行为当前密钥。\n"
    "# 请与数据库分开妥善保管并纳入备份；丢失后，此前的审计记录无法校验。不要编辑或删除其中的行。\n"
)

_entries: Table = AuditEntryRecord.__table__  # type: ignore[assignment]
_anchors: Table = AuditAnchorRecord.__table__  # type: ignore[assignment]


# -- the key file -------------------------------------------------------------------------------------------------


def key_path(url: str) -> Path | None:
    """Where the key of the database at `url` lives: XINFANG_AUDIT_KEY_FILE, else beside the SQLite file, else (for
    PostgreSQL) in the user data directory under the server and database name; None for an in-memory database."""
    override = os.environ.get(KEY_FILE_ENV)
    if override:
        return Path(override).expanduser()
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        if not parsed.database or parsed.database == ":memory:":
            return None
        db_file = Path(parsed.database)
        return db_file.with_name(db_file.name + KEY_SUFFIX)
    from xinfang_desktop.paths import data_dir

    name = f"{parsed.database or 'postgres'}@{parsed.host or 'localhost'}_{parsed.port or 5432}"
    return data_dir() / "audit-keys" / (re.sub(r"[^A-Za-z0-9._@-]", "_", name) + KEY_SUFFIX)


def key_id(key: bytes) -> str:
    """A short name of a key that reveals nothing about it (shown in the key-change entry and messages)."""
    h = hmac.HMAC(key, hashes.SM3())
    h.update(_VERSION + b" key id")
    return h.finalize().hex()[:16]


class KeyFileError(Exception):
    """The key file exists but holds no readable key."""


def read_keys(path: Path | None, url: str = "") -> list[bytes]:
    """Every key generation in the file, oldest first ([] when there is no file)."""
    if path is None:
        return [_EPHEMERAL[url]] if url in _EPHEMERAL else []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"无法读取审计密钥文件 {path}：{exc}") from None
    keys = [bytes.fromhex(line.strip()) for line in text.splitlines() if _HEX_KEY.match(line.strip())]
    if not keys:
        raise KeyFileError(f"审计密钥文件 {path} 中没有可用的密钥")
    return keys


def _write_key_file(path: Path, keys: Sequence[bytes], *, replace: bool) -> bool:
    """Write the key file (0600) whole: a new file only if none is there (False when another process won), or
    replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(_KEY_HEADER + "".join(key.hex() + "\n" for key in keys))
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)  # never replaces: two processes creating the key at once keep one
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            if path.exists():
                return False
            os.replace(tmp, path)
            return True
        return True
    finally:
        tmp.unlink(missing_ok=True)
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass
class KeyState:
    """The keys of a database and what happened when they were looked up for a write."""

    keys: list[bytes]
    path: Path | None
    created: bool = False
    reason: str = ""  # why a new key generation was started ("" when the key was there)


# The keys last read from each key file, with the file's (mtime, size, inode): a write re-reads the file only when it
# changed, and a deleted or replaced file is always noticed (os.stat fails or differs).
_KEY_CACHE: dict[Path, tuple[tuple[int, int, int], list[bytes]]] = {}
_PATHS: dict[str, Path | None] = {}


def _cached_keys(path: Path) -> list[bytes] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    cached = _KEY_CACHE.get(path)
    stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        keys = read_keys(path)
    except KeyFileError:
        return None
    _KEY_CACHE[path] = (stamp, keys)
    return keys


def ensure_key(url: str) -> KeyState:
    """The keys of the database, creating the key file (one random key) on first need.

    A missing key file never stops the office's work: a new key generation is started (the caller records it as an
    audit entry when protected entries already exist). A damaged file is kept aside, never overwritten."""
    if url not in _PATHS or os.environ.get(KEY_FILE_ENV):
        _PATHS[url] = key_path(url)
    path = _PATHS[url]
    if path is None:
        key = _EPHEMERAL.setdefault(url, os.urandom(KEY_BYTES))
        return KeyState([key], None)
    cached = _cached_keys(path)
    if cached:
        return KeyState(cached, path)
    reason = "密钥文件缺失"
    try:
        keys = read_keys(path)
    except KeyFileError:
        keys = []
        reason = "密钥文件损坏（已另存）"
        aside = path.with_name(f"{path.name}.damaged-{datetime.now():%Y%m%d%H%M%S}")
        os.replace(path, aside)
    if keys:
        return KeyState(keys, path)
    if _write_key_file(path, [os.urandom(KEY_BYTES)], replace=False):
        return KeyState(read_keys(path), path, created=True, reason=reason)
    return KeyState(read_keys(path), path)  # another process created it a moment ago


def import_keys(url: str, source: Path) -> dict[str, object]:
    """Add the key generations of an older key file (found in a backup) to the database's key file."""
    path = key_path(url)
    if path is None:
        raise KeyFileError("内存数据库没有密钥文件")
    found = read_keys(source)
    current = read_keys(path)
    added = [key for key in found if key not in current]
    if added:
        # The current key stays last: new entries keep using it.
        _write_key_file(path, [*added, *current] if current else added, replace=True)
    return {"key_file": str(path), "added": [key_id(k) for k in added], "generations": len(current) + len(added)}


# -- MACs ---------------------------------------------------------------------------------------------------------


class _Mac:
    """HMAC-SM3 under one key; the keyed state is copied per message (a third faster than a new HMAC each time)."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self._base = hmac.HMAC(key, hashes.SM3())

    def of(self, data: bytes) -> str:
        h = self._base.copy()
        h.update(data)
        return h.finalize().hex()

    def genesis(self, unprotected: int, last_unprotected_id: int) -> str:
        """What the first protected entry chains to: it seals the number of entries written before the chain."""
        return self.of(_VERSION + f" genesis\n{unprotected}\n{last_unprotected_id}".encode())

    def entry(self, prev: str, row: Sequence[Any]) -> str:
        return self.of(_VERSION + b"\n" + prev.encode("ascii") + b"\n" + canonical(row))


def _at_text(at: datetime) -> str:
    return at.isoformat(sep=" ", timespec="microseconds")


def canonical(row: Sequence[Any]) -> bytes:
    """The bytes an entry's MAC covers: (id, at, user_id, workstation, action, entity, entity_id, detail)."""
    ident, at, user_id, workstation, action, entity, entity_id, detail = row
    values = [int(ident), _at_text(at), int(user_id), workstation, action, entity, entity_id, detail]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_FIELDS = ("id", "at", "user_id", "workstation", "action", "entity", "entity_id", "detail")


def _as_row(entry: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(entry[name] for name in _FIELDS)


# -- appending ----------------------------------------------------------------------------------------------------


def _lock(session: Session) -> None:
    # SQLite write sessions began with BEGIN IMMEDIATE (engine.py): the database write lock is already held.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(PG_LOCK_ID)))


def _url(session: Session) -> str:
    engine = session.get_bind().engine
    url = _URLS.get(engine)
    if url is None:
        url = _URLS[engine] = engine.url.render_as_string(hide_password=False)
    return url


_URLS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
_TAIL = select(_entries.c.id, _entries.c.at, _entries.c.mac).order_by(_entries.c.id.desc()).limit(1)


def append_entries(session: Session, pending: list[dict[str, Any]]) -> None:
    """Insert the entries of one transaction with ids, MACs and (at the first entry of a day) the previous day's anchor.

    Ids are assigned here, under the write lock, because each MAC covers its entry's id."""
    if not pending:
        return
    _lock(session)
    tail = session.execute(_TAIL).first()
    state = ensure_key(_url(session))
    mac = _Mac(state.keys[-1])
    if tail is None:
        prev, last_id, last_at = mac.genesis(0, 0), 0, None
    elif tail.mac is None:  # the first entry after schema 0016: seal the entries written before it
        count = int(session.scalar(select(func.count()).select_from(_entries)) or 0)
        prev, last_id, last_at = mac.genesis(count, int(tail.id)), int(tail.id), None
    else:
        prev, last_id, last_at = str(tail.mac), int(tail.id), tail.at
    rows = list(pending)
    if state.created and tail is not None and tail.mac is not None:
        first = rows[0]
        detail = {"key_id": key_id(mac.key), "reason": state.reason, "key_file": str(state.path)}
        rows.insert(
            0,
            {
                **first,
                "action": KEY_NEW_ACTION,
                "entity": KEY_ENTITY,
                "entity_id": key_id(mac.key),
                "detail": json.dumps(detail, ensure_ascii=False),
            },
        )
    anchors: list[dict[str, Any]] = []
    out: list[dict[str, Any]] = []
    for entry in rows:
        at: datetime = entry["at"]
        if last_at is not None and at.date() > last_at.date():
            anchors.append({"day": last_at.date(), "last_entry_id": last_id, "mac": prev, "created_at": at})
        last_id += 1
        item = {**entry, "id": last_id}
        prev = item["mac"] = mac.entry(prev, _as_row(item))
        last_at = at
        out.append(item)
    if anchors:
        # A day already anchored (a clock set back, then forward again) keeps its first anchor.
        days = {a["day"] for a in anchors}
        known = set(session.scalars(select(_anchors.c.day).where(_anchors.c.day.in_(days))))
        fresh: dict[date, dict[str, Any]] = {}
        for anchor in anchors:
            if anchor["day"] not in known and anchor["day"] not in fresh:
                fresh[anchor["day"]] = anchor
        if fresh:
            session.execute(insert(_anchors), list(fresh.values()))
    session.execute(insert(_entries), out)


def normalise_at(at: datetime) -> datetime:
    """The time as the database gives it back (naive, local): what the MAC must cover."""
    return at.astimezone().replace(tzinfo=None) if at.tzinfo is not None else at


# -- verifying ----------------------------------------------------------------------------------------------------


@dataclass
class Broken:
    id: int
    at: datetime | None
    reason: str
    # changed | missing | inserted | genesis | no_key | old_key | anchor_missing | anchor_mismatch | truncated
    kind: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at.isoformat(sep=" ", timespec="seconds") if self.at else None,
            "reason": self.reason,
            "kind": self.kind,
        }


@dataclass
class ChainReport:
    entries: int = 0
    protected: int = 0
    unprotected: int = 0
    anchors: int = 0
    first_broken: Broken | None = None
    missing_triggers: list[str] = field(default_factory=list)
    key_file: str | None = None
    key_generations: int = 0
    seconds: float = 0.0

    @property
    def triggers_ok(self) -> bool:
        return not self.missing_triggers

    @property
    def ok(self) -> bool:
        return self.first_broken is None and self.triggers_ok

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "protected": self.protected,
            "unprotected": self.unprotected,
            "first_broken": self.first_broken.to_json() if self.first_broken else None,
            "anchors": self.anchors,
            "triggers_ok": self.triggers_ok,
            "missing_triggers": self.missing_triggers,
            "key_file": self.key_file,
            "key_generations": self.key_generations,
            "seconds": round(self.seconds, 3),
        }

    def text(self) -> str:
        """The result in Chinese for the CLI and the GUI."""
        lines = []
        if self.first_broken is None:
            lines.append(
                f"审计链完整：共 {self.entries} 条审计记录，其中 {self.protected} 条受校验保护"
                + (f"、{self.unprotected} 条为启用校验前的记录（未受保护）" if self.unprotected else "")
                + f"；日锚点 {self.anchors} 个"
            )
        else:
            b = self.first_broken
            when = f"，时间 {b.at:%Y-%m-%d %H:%M:%S}" if b.at else ""
            lines.append(f"审计链被破坏：第一处问题在编号 {b.id} 的审计记录{when}。原因：{b.reason}")
        if self.missing_triggers:
            lines.append(f"防篡改触发器缺失或被改动：{'、'.join(self.missing_triggers)}（记录可能已被修改或删除）")
        return "\n".join(lines)


_BATCH = 5000


def _key_changes(conn: Connection) -> list[tuple[int, datetime, str]]:
    query = select(_entries.c.id, _entries.c.at, _entries.c.entity_id).where(
        _entries.c.action == KEY_NEW_ACTION, _entries.c.entity == KEY_ENTITY, _entries.c.mac.is_not(None)
    )
    return [(int(i), at, str(k)) for i, at, k in conn.execute(query.order_by(_entries.c.id))]


class _Walker:
    """One pass over the entries in id order, stopping at the first broken link."""

    def __init__(self, keys: list[bytes], anchors: dict[date, tuple[int, str, datetime]], key_file: str) -> None:
        self.macs = [_Mac(k) for k in keys]
        self.anchors = anchors
        self.key_file = key_file
        self.seen_anchor_days: set[date] = set()
        self.unprotected = 0
        self.last_unprotected_id = 0
        self.prev: tuple[int, datetime, str] | None = None  # the last protected entry: id, at, mac
        self.current = self.macs[-1] if self.macs else None
        self.key_changes: list[tuple[int, datetime, str]] = []
        self.unverifiable: Broken | None = None  # a span under a lost key (reported when nothing worse is found)
        self.skip_until: int | None = None

    def _candidates(self) -> list[_Mac]:
        assert self.current is not None
        return [self.current, *(m for m in self.macs if m is not self.current)]

    def _prev_mac(self, mac: _Mac) -> str:
        if self.prev is None:
            return mac.genesis(self.unprotected, self.last_unprotected_id)
        return self.prev[2]

    def _verifies(self, row: Sequence[Any], stored: str) -> _Mac | None:
        for mac in self._candidates():
            if mac.entry(self._prev_mac(mac), row[:8]) == stored:
                return mac
        return None

    def step(self, row: Sequence[Any], following: Sequence[Any] | None) -> Broken | None:
        ident, at, stored = int(row[0]), row[1], row[8]
        if self.skip_until is not None and stored is not None and ident < self.skip_until:
            self._track(ident, at, str(stored))  # written under a key no longer at hand: followed, not checked
            return None
        self.skip_until = None
        if stored is None:
            if self.prev is not None:
                return Broken(ident, at, "没有校验值的记录出现在审计链中（疑似用数据库工具伪造插入）", "inserted")
            self.unprotected += 1
            self.last_unprotected_id = ident
            return None
        if self.current is None:
            return Broken(ident, at, f"审计密钥文件缺失（{self.key_file}），无法校验受保护的记录", "no_key")
        if self.prev is not None and ident != self.prev[0] + 1:
            first, last = self.prev[0] + 1, ident - 1
            span = f"{first}" if first == last else f"{first}–{last}"
            return Broken(first, self.prev[1], f"编号 {span} 的审计记录缺失（被删除）", "missing")
        mac = self._verifies(row, str(stored))
        if mac is None:
            return self._explain(row, str(stored), following)
        self.current = mac
        anchor_problem = self._day_change(at)
        if anchor_problem is not None:
            return anchor_problem
        self.prev = (ident, at, str(stored))
        return None

    def _explain(self, row: Sequence[Any], stored: str, following: Sequence[Any] | None) -> Broken | None:
        ident, at = int(row[0]), row[1]
        later_change = next((c for c in self.key_changes if c[0] > ident), None)
        starts_segment = self.prev is None or row[4] == KEY_NEW_ACTION
        if later_change is not None and starts_segment and self.unverifiable is None:
            # A key generation lost with its key file: that span cannot be checked; the walk goes on after it.
            self.unverifiable = Broken(
                ident,
                at,
                f"无法用现有密钥校验：审计密钥曾于 {later_change[1]:%Y-%m-%d %H:%M:%S} 更换（编号 {later_change[0]}），"
                f"编号 {ident}–{later_change[0] - 1} 的记录需要旧的密钥文件；请从备份中找回并导入"
                "（xinfang audit verify --key-file 旧密钥文件）",
                "old_key",
            )
            self.skip_until = later_change[0]
            self._track(ident, at, stored)
            return None
        if self.prev is None and self.unprotected and self._chains_after(stored, following):
            return Broken(ident, at, "链首校验不符：启用校验前的审计记录被插入或删除，或这条记录被改动", "genesis")
        if self._chains_after(stored, following):
            return Broken(ident, at, "记录内容被改动（与校验值不符）", "changed")
        return Broken(ident, at, "校验值不符：记录被改动或伪造（无法用密钥重算出它的校验值）", "changed")

    def _track(self, ident: int, at: datetime, stored: str) -> None:
        if self.prev is not None and at.date() > self.prev[1].date():
            self.seen_anchor_days.add(self.prev[1].date())
        self.prev = (ident, at, stored)

    def _chains_after(self, stored: str, following: Sequence[Any] | None) -> bool:
        """Whether the next entry was computed over this entry's stored MAC (then this entry's fields changed)."""
        if following is None or following[8] is None:
            return False
        return any(m.entry(stored, following[:8]) == following[8] for m in self.macs)

    def _day_change(self, at: datetime) -> Broken | None:
        if self.prev is None or at.date() <= self.prev[1].date() or self.prev[1].date() in self.seen_anchor_days:
            return None
        day = self.prev[1].date()
        self.seen_anchor_days.add(day)
        anchor = self.anchors.get(day)
        if anchor is None:
            return Broken(self.prev[0], self.prev[1], f"{day} 的日锚点缺失（锚点被删除）", "anchor_missing")
        if anchor[0] != self.prev[0] or anchor[1] != self.prev[2]:
            return Broken(
                self.prev[0],
                self.prev[1],
                f"{day} 的日锚点与当日最后一条记录不符（锚点或记录被改动）",
                "anchor_mismatch",
            )
        return None

    def finish(self, conn: Connection) -> Broken | None:
        """Anchors the walk never reached: the entries after them were cut off (tail truncation)."""
        for day in sorted(self.anchors):
            if day in self.seen_anchor_days:
                continue
            last_id, anchor_mac, created = self.anchors[day]
            first_missing = self.prev[0] + 1 if self.prev else last_id
            row = conn.execute(select(_entries.c.mac).where(_entries.c.id == last_id)).first()
            if row is not None and row.mac != anchor_mac:
                reason = f"{day} 的日锚点与它所指的编号 {last_id} 的记录不符（锚点或记录被改动）"
                return Broken(last_id, created, reason, "anchor_mismatch")
            reason = f"自编号 {first_missing} 起的审计记录缺失（日志尾部被截断）：{day} 的日锚点指向编号 {last_id}"
            return Broken(first_missing, created, reason, "truncated")
        return None


def verify_chain(db: Database, *, extra_key_files: Sequence[Path] = ()) -> ChainReport:
    """Walk every audit entry in id order; report counts and the first broken link (R17).

    `extra_key_files`: older key files (from a backup) tried too, without changing the database's key file."""
    import time

    from xinfang_desktop.persistence.append_only import missing_triggers

    started = time.perf_counter()
    report = ChainReport()
    path = key_path(db.url)
    report.key_file = str(path) if path else None
    try:
        keys = read_keys(path, db.url)
    except KeyFileError:
        keys = []
    for extra in extra_key_files:
        keys = [*(k for k in read_keys(extra) if k not in keys), *keys]  # the current key stays last
    report.key_generations = len(keys)
    with db.engine.connect() as conn:
        report.missing_triggers = missing_triggers(conn)
        total, protected = conn.execute(select(func.count(), func.count(_entries.c.mac)).select_from(_entries)).one()
        report.entries, report.protected = int(total), int(protected)
        report.unprotected = report.entries - report.protected
        a = _anchors.c
        anchors = {
            r.day: (int(r.last_entry_id), str(r.mac), r.created_at)
            for r in conn.execute(select(a.day, a.last_entry_id, a.mac, a.created_at))
        }
        report.anchors = len(anchors)
        walker = _Walker(keys, anchors, report.key_file or "")
        walker.key_changes = _key_changes(conn)
        report.first_broken = _walk(conn, walker) or walker.finish(conn) or walker.unverifiable
        conn.rollback()
    report.seconds = time.perf_counter() - started
    return report


def _walk(conn: Connection, walker: _Walker) -> Broken | None:
    columns = [_entries.c[name] for name in _FIELDS] + [_entries.c.mac]
    after: int | None = None
    batch = _fetch(conn, columns, after)
    while batch:
        after = int(batch[-1][0])
        upcoming = _fetch(conn, columns, after)
        for i, row in enumerate(batch):
            following = batch[i + 1] if i + 1 < len(batch) else (upcoming[0] if upcoming else None)
            broken = walker.step(row, following)
            if broken is not None:
                return broken
        batch = upcoming
    return None


def _fetch(conn: Connection, columns: list[Any], after: int | None) -> list[Any]:
    query = select(*columns).order_by(_entries.c.id).limit(_BATCH)
    if after is not None:
        query = query.where(_entries.c.id > after)
    return list(conn.execute(query).all())


def latest_anchor(db: Database) -> dict[str, object] | None:
    """The chain's current end (last protected entry id, time and MAC), to keep outside the database (backups,
    the printed daily report): a later copy of the log must still contain it."""
    with db.engine.connect() as conn:
        row = conn.execute(
            select(_entries.c.id, _entries.c.at, _entries.c.mac)
            .where(_entries.c.mac.is_not(None))
            .order_by(_entries.c.id.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    return {"last_entry_id": int(row.id), "at": _at_text(row.at), "mac": str(row.mac)}
