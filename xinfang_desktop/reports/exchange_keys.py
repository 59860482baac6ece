"""This office's SM2 key pair for 上报数据包, and the public-key files offices hand each other (on paper or USB).

The private key is a JSON file beside the SQLite database (`<file>.exchange-key`, as the audit chain's key), or for
PostgreSQL in the user data directory under `exchange-keys/`; created 0600 (readable by the login that made it only;
on Windows it inherits the folder's rights). It is never inside the database: a copy of the database sent for
support does not carry it. `--key FILE` names another file.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from xinfang_desktop.core.errors import ConflictError, DomainError, NotFoundError
from xinfang_desktop.core.exchange import (
    FORMAT_VERSION,
    PRIVATE_KEY_FORMAT,
    PUBLIC_KEY_FORMAT,
    format_fingerprint,
    is_hex,
)
from xinfang_desktop.persistence.database import Database
from xinfang_desktop.reports.exchange_crypto import KEY_HEX, fingerprint, generate_key, on_curve, public_of

KEY_SUFFIX = ".exchange-key"
MAX_KEY_FILE_BYTES = 64 * 1024


def default_key_path(url: str) -> Path:
    """Beside the SQLite file of `url`; for PostgreSQL (or in memory) in the user data directory."""
    from sqlalchemy.engine import make_url

    from xinfang_desktop.paths import data_dir

    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        db_file = Path(parsed.database)
        return db_file.with_name(db_file.name + KEY_SUFFIX)
    name = f"{parsed.database or 'memory'}@{parsed.host or 'localhost'}_{parsed.port or 5432}"
    return data_dir() / "exchange-keys" / (re.sub(r"[^A-Za-z0-9._@-]", "_", name) + KEY_SUFFIX)


@dataclass(frozen=True)
class PublicKey:
    """An office's public key as registered or handed over: the point, its fingerprint, who it belongs to."""

    public_key: str
    office: str = ""
    region_code: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    @property
    def fingerprint_text(self) -> str:
        return format_fingerprint(self.fingerprint)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": PUBLIC_KEY_FORMAT,
            "version": FORMAT_VERSION,
            "algorithm": "SM2",
            "public_key": self.public_key,
            "fingerprint": self.fingerprint,
            "fingerprint_text": self.fingerprint_text,
            "office": self.office,
            "region_code": self.region_code,
        }


@dataclass(frozen=True)
class OfficeKey:
    """This office's key pair."""

    private_key: str
    public: PublicKey
    created_at: str
    path: Path

    @property
    def public_key(self) -> str:
        return self.public.public_key

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint


def create_key(path: Path, *, office: str, region_code: str, created_at: str) -> OfficeKey:
    """Make a new key pair and write the private key file (never over an existing one)."""
    if path.exists():
        raise ConflictError(
            f"本单位的上报密钥已存在：{path}。更换密钥会使上级已登记的公钥失效；如确需更换，请先将该文件移走并通知上级",
            field="key",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    private_key, public_key = generate_key()
    data = {
        "format": PRIVATE_KEY_FORMAT,
        "version": FORMAT_VERSION,
        "algorithm": "SM2",
        "private_key": private_key,
        "public_key": public_key,
        "office": office,
        "region_code": region_code,
        "created_at": created_at,
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
    return OfficeKey(private_key, PublicKey(public_key, office, region_code), created_at, path)


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise DomainError(f"{what}文件过大，不是密钥文件：{path}", field="key")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise NotFoundError(f"{what}文件不存在：{path}", field="key") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise DomainError(f"无法读取{what}文件（不是本程序的密钥文件）：{path}", field="key") from None
    if not isinstance(data, dict):
        raise DomainError(f"{what}文件格式错误：{path}", field="key")
    return data


def load_key(path: Path) -> OfficeKey:
    """This office's key pair; a NotFoundError saying how to make one when there is none."""
    if not path.exists():
        raise NotFoundError(
            f"本单位尚未生成上报密钥（{path}）："
            "请先运行 xinfang exchange keys init，或在 统计 → 上报数据包… → 密钥 中生成",
            field="key",
        )
    data = _read_json(path, "本单位私钥")
    private_key, public_key = data.get("private_key"), data.get("public_key")
    if (
        data.get("format") != PRIVATE_KEY_FORMAT
        or not is_hex(private_key, KEY_HEX)
        or not isinstance(public_key, str)
        or not on_curve(public_key)
        or public_of(str(private_key)) != public_key
    ):
        raise DomainError(f"私钥文件已损坏或不是本程序的私钥文件：{path}", field="key")
    public = PublicKey(public_key, str(data.get("office") or ""), str(data.get("region_code") or ""))
    return OfficeKey(str(private_key), public, str(data.get("created_at") or ""), path)


def read_public_key(path: Path) -> PublicKey:
    """A public-key file made by `keys show -o` (or the private key file itself: only its public half is taken)."""
    data = _read_json(path, "公钥")
    if data.get("format") not in (PUBLIC_KEY_FORMAT, PRIVATE_KEY_FORMAT):
        raise DomainError(f"不是上报数据包的公钥文件：{path}", field="key")
    public_key = data.get("public_key")
    if not isinstance(public_key, str) or not on_curve(public_key):
        raise DomainError(f"公钥无效（不是 SM2 曲线上的点）：{path}", field="key")
    stated = data.get("fingerprint")
    key = PublicKey(public_key, str(data.get("office") or "")[:128], str(data.get("region_code") or "")[:12])
    if stated is not None and stated != key.fingerprint:
        raise DomainError(f"公钥文件中的指纹与公钥不符（文件可能被改动）：{path}", field="key")
    return key


def write_public_key(key: PublicKey, path: Path) -> Path:
    path.write_text(json.dumps(key.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------ with the database


def init_office_key(db: Database, path: Path, now: datetime) -> OfficeKey:
    """Make this office's key pair (named after the office in the settings) and audit it."""
    from xinfang_desktop.persistence.uow import unit_of_work
    from xinfang_desktop.reports.exchange_pack import office_identity

    with db.read_session() as session:
        office, region = office_identity(session)
    key = create_key(path, office=office, region_code=region, created_at=now.isoformat())
    try:
        with unit_of_work(db, now=now) as uow:
            uow.audit.record("create", "exchange_key", key.fingerprint, {"office": office, "file": str(path)})
            uow.commit()
    except BaseException:
        path.unlink(missing_ok=True)  # not audited: no key either
        raise
    return key


def trust_key(db: Database, public: PublicKey, *, office: str, region_code: str, own: OfficeKey | None) -> int:
    """Register a sending office's public key; DomainError for a nameless office or this office's own key."""
    from xinfang_desktop.persistence.exchange.store import trust_sender
    from xinfang_desktop.persistence.uow import unit_of_work

    office, region_code = office.strip(), region_code.strip()
    if not office or len(office) > 128:
        raise DomainError("请写明该公钥所属的单位名称（不超过128字）", field="office")
    if len(region_code) > 12:
        raise DomainError("行政区划代码不超过12位", field="region")
    if own is not None and own.fingerprint == public.fingerprint:
        raise DomainError("这是本单位自己的公钥：应登记下级发送单位交来的公钥", field="file")
    with unit_of_work(db) as uow:
        sender_id = trust_sender(
            uow, office=office, region_code=region_code, public_key=public.public_key, fingerprint=public.fingerprint
        )
        uow.commit()
    return sender_id
