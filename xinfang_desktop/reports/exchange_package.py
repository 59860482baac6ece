"""The 上报数据包 file: a zip whose last bytes (the zip comment) are an SM2 signature over everything before them.

    plain:      manifest.json  cases.jsonl  reports.json     ‖ XFSIG1 fingerprint signature
    encrypted:  envelope.json  payload.bin (SM4-GCM of a plain package) ‖ XFSIG1 fingerprint signature

The signature covers SM3 of every byte before the trailer — zip headers, central directory and the comment's
length included — so a byte changed anywhere fails it; the manifest adds the SHA-256 of each member, checked after.
The signature is checked before any member is decompressed. An encrypted package is signed outside (anyone can
check who sent it) and inside (the plain package in the payload), and only the receiver's private key opens it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.core.exchange import (
    CASES,
    ENCRYPTED_MEMBERS,
    ENVELOPE,
    ENVELOPE_FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_CASE_LINE_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_REPORTS_BYTES,
    PAYLOAD,
    PLAIN_MEMBERS,
    REPORTS,
    Manifest,
    format_fingerprint,
    is_hex,
)
from xinfang_desktop.reports import exchange_crypto as crypto
from xinfang_desktop.reports.exchange_keys import OfficeKey, PublicKey

MAGIC = b"XFSIG1"
TRAILER_LEN = len(MAGIC) + 32 + crypto.SIGNATURE_HEX
SIGNED_PREFIX = b"xinfang-exchange-signature/1\n"
ENVELOPE_AAD = b"xinfang-exchange-envelope/1|"
COMPRESS_LEVEL = 6
CHUNK = 1 << 20


class TamperedError(DomainError):
    """The package was changed, damaged, or signed by a key this office does not trust (exit 2)."""


def tampered(reason: str) -> TamperedError:
    return TamperedError(f"数据包未通过核验，未导入任何数据：{reason}", field="package")


# ------------------------------------------------------------------------------------------------ writing


class _HashingWriter:
    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.target.write(data)
        self.sha256.update(data)
        self.size += len(data)


class PackageWriter:
    """Builds a plain package at `path` (a temporary file): members, then the manifest, then the signature."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.members: dict[str, tuple[str, int]] = {}
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL, allowZip64=True)

    @contextmanager
    def member(self, name: str) -> Iterator[_HashingWriter]:
        with self._zip.open(name, "w", force_zip64=True) as target:
            writer = _HashingWriter(target)
            yield writer
        self.members[name] = (writer.sha256.hexdigest(), writer.size)

    def finish(self, manifest: dict[str, Any], key: OfficeKey) -> str:
        """Write the manifest (with the members' SHA-256) and sign; returns the signed SM3 digest (hex)."""
        manifest = {**manifest, "members": {n: {"sha256": h, "size": s} for n, (h, s) in self.members.items()}}
        self._zip.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        return _close_signed(self._zip, self.path, key)

    def abort(self) -> None:
        self._zip.close()


def _close_signed(zf: zipfile.ZipFile, path: Path, key: OfficeKey) -> str:
    zf.comment = b"\0" * TRAILER_LEN  # its length is part of what is signed; the bytes are replaced below
    zf.close()
    size = path.stat().st_size
    with path.open("r+b") as fh:
        digest = crypto.sm3_stream(_chunks(fh, size - TRAILER_LEN))
        signature = crypto.sign(key.private_key, key.public_key, _message(digest, key.fingerprint))
        fh.seek(size - TRAILER_LEN)
        fh.write(MAGIC + key.fingerprint.encode("ascii") + signature.encode("ascii"))
    return digest.hex()


def _message(digest: bytes, fingerprint: str) -> bytes:
    return SIGNED_PREFIX + digest + fingerprint.encode("ascii")


def _chunks(fh: IO[bytes], length: int) -> Iterator[bytes]:
    fh.seek(0)
    left = length
    while left > 0:
        chunk = fh.read(min(CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
        yield chunk


def encrypt_package(plain: Path, target: Path, key: OfficeKey, receiver: PublicKey, header: dict[str, Any]) -> str:
    """Wrap a signed plain package for the receiver: SM4-GCM under a fresh key wrapped with SM2; signed outside."""
    content_key, nonce = crypto.new_content_key()
    aad = ENVELOPE_AAD + key.fingerprint.encode("ascii") + b"|" + receiver.fingerprint.encode("ascii")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        with plain.open("rb") as source, zf.open(PAYLOAD, "w", force_zip64=True) as out:
            tag = crypto.encrypt_stream(content_key, nonce, aad, source, out)
        envelope = {
            **header,
            "format": ENVELOPE_FORMAT,
            "version": FORMAT_VERSION,
            "cipher": "SM4-GCM",
            "key_wrap": "SM2 (GB/T 32918.4, C1C3C2)",
            "sender_fingerprint": key.fingerprint,
            "receiver_fingerprint": receiver.fingerprint,
            "receiver_office": receiver.office,
            "wrapped_key": crypto.wrap_key(receiver.public_key, content_key).hex(),
            "nonce": nonce.hex(),
            "tag": tag.hex(),
        }
        zf.writestr(ENVELOPE, json.dumps(envelope, ensure_ascii=False, indent=1).encode("utf-8"))
        return _close_signed(zf, target, key)


# ------------------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Signature:
    signer: str  # fingerprint
    digest: str  # SM3 of the signed bytes, hex


def read_signer(path: Path) -> str:
    """The fingerprint the trailer names (not yet checked)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            if size < TRAILER_LEN + 22:
                raise tampered("文件过短，不是上报数据包")
            fh.seek(size - TRAILER_LEN)
            trailer = fh.read(TRAILER_LEN)
    except OSError as exc:
        raise DomainError(f"无法读取数据包 {path}：{exc.strerror or exc}", field="package") from None
    fp = trailer[len(MAGIC) : len(MAGIC) + 32].decode("ascii", "replace")
    if not trailer.startswith(MAGIC) or not is_hex(fp, 32):
        raise tampered("文件末尾没有数据包签名（不是上报数据包，或文件已损坏、被截断）")
    return fp


def check_signature(path: Path, public_key: str) -> Signature:
    """SM3 of every byte before the trailer, verified against the signer's public key."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        digest = crypto.sm3_stream(_chunks(fh, size - TRAILER_LEN))
        fh.seek(size - TRAILER_LEN)
        trailer = fh.read(TRAILER_LEN)
    fp = trailer[len(MAGIC) : len(MAGIC) + 32].decode("ascii", "replace")
    signature = trailer[len(MAGIC) + 32 :].decode("ascii", "replace")
    if crypto.fingerprint(public_key) != fp or not crypto.verify(public_key, _message(digest, fp), signature):
        raise tampered("签名核验未通过——文件在签名后被改动或已损坏，请向发送单位重新索取")
    return Signature(fp, digest.hex())


def _open_zip(path: Path, expected: frozenset[str]) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise tampered(f"无法按 zip 读取（{exc}）") from None
    names = zf.namelist()
    if len(names) != len(set(names)) or set(names) != expected:
        zf.close()
        raise tampered(f"成员不符：应为 {'、'.join(sorted(expected))}，实为 {'、'.join(names)}")
    return zf


def _read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise tampered(f"{name} 过大（{info.file_size} 字节）")
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise tampered(f"{name} 无法读取（{exc}）") from None


def _json(raw: bytes, name: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise tampered(f"{name} 不是有效的 JSON（{exc}）") from None


def _check_members(zf: zipfile.ZipFile, manifest: Manifest) -> None:
    for member in manifest.members:
        h = hashlib.sha256()
        size = 0
        try:
            with zf.open(member.name) as fh:
                while chunk := fh.read(CHUNK):
                    h.update(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise tampered(f"{member.name} 无法读取（{exc}）") from None
        if h.hexdigest() != member.sha256 or size != member.size:
            raise tampered(f"{member.name} 的 SHA-256 与清单不符")


@dataclass
class Opened:
    """A package after verification: who signed it, whether it was encrypted, and (when readable) its contents."""

    path: Path
    signer: PublicKey
    signature: Signature
    encrypted: bool
    envelope: dict[str, Any] | None = None
    manifest: Manifest | None = None
    content_digest: str = ""  # SM3 of the plain package: the same content encrypted twice has one digest
    note: str = ""
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)

    @property
    def readable(self) -> bool:
        return self.manifest is not None

    def reports(self) -> Any:
        assert self._zip is not None
        return _json(_read_member(self._zip, REPORTS, MAX_REPORTS_BYTES), REPORTS)

    def case_lines(self) -> Iterator[Any]:
        """Each line of cases.jsonl as parsed JSON (lines of more than 4 MB are refused)."""
        for _raw, data in self.case_entries():
            yield data

    def case_entries(self) -> Iterator[tuple[str, Any]]:
        """Each line of cases.jsonl as its text (without the line end) and parsed."""
        assert self._zip is not None
        try:
            with self._zip.open(CASES) as member, io.BufferedReader(member, CHUNK) as fh:  # type: ignore[type-var]
                for lineno, line in enumerate(iter(lambda: fh.readline(MAX_CASE_LINE_BYTES + 1), b""), start=1):
                    if len(line) > MAX_CASE_LINE_BYTES:
                        raise tampered(f"{CASES} 第 {lineno} 行过长")
                    if line.strip():
                        data = _json(line, f"{CASES} 第 {lineno} 行")
                        yield line.decode("utf-8").strip(), data
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise tampered(f"{CASES} 无法读取（{exc}）") from None


Lookup = Callable[[str], PublicKey | None]


def _signer(path: Path, lookup: Lookup) -> tuple[PublicKey, Signature]:
    fp = read_signer(path)
    key = lookup(fp)
    if key is None:
        raise tampered(
            f"签名者（公钥指纹 {format_fingerprint(fp)}）不是已登记的发送单位——请先登记该单位交来的公钥"
            "（统计 → 上报数据包 → 密钥，或 xinfang exchange keys trust），或数据包已被改动"
        )
    return key, check_signature(path, key.public_key)


def _open_plain(path: Path, signer: PublicKey, signature: Signature) -> tuple[zipfile.ZipFile, Manifest]:
    zf = _open_zip(path, PLAIN_MEMBERS)
    try:
        manifest = Manifest.from_json(_json(_read_member(zf, MANIFEST, MAX_MANIFEST_BYTES), MANIFEST))
        if manifest.sender_fingerprint != signer.fingerprint or manifest.sender_public_key != signer.public_key:
            raise tampered("清单所写的发送单位与签名者不符")
        _check_members(zf, manifest)
    except BaseException:
        zf.close()
        raise
    return zf, manifest


@contextmanager
def open_package(path: Path, lookup: Lookup, own_key: OfficeKey | None) -> Iterator[Opened]:
    """Verify a package and yield what was found; an encrypted one is opened when `own_key` is its receiver's.

    Raises TamperedError for anything wrong with the plain package or the signature; an encrypted package this
    office cannot open is yielded with `readable` False and the reason in `note`."""
    signer, signature = _signer(path, lookup)
    if _members_of(path) == PLAIN_MEMBERS:
        zf, manifest = _open_plain(path, signer, signature)
        try:
            yield Opened(path, signer, signature, False, None, manifest, signature.digest, "", zf)
        finally:
            zf.close()
        return
    with _open_zip(path, ENCRYPTED_MEMBERS) as probe:
        envelope = _envelope(probe, signer)
    opened = Opened(path, signer, signature, True, envelope)
    if own_key is None or own_key.fingerprint != envelope["receiver_fingerprint"]:
        receiver = format_fingerprint(str(envelope["receiver_fingerprint"]))
        opened.note = f"数据包已加密给公钥指纹为 {receiver} 的接收单位，需用该单位的私钥才能打开"
        yield opened
        return
    with tempfile.TemporaryDirectory(prefix="xinfang-exchange-") as tmp:
        inner = Path(tmp) / "payload.zip"
        _decrypt(path, envelope, own_key, signer, inner)
        inner_signer = read_signer(inner)
        if inner_signer != signer.fingerprint:
            raise tampered("加密内容的签名者与外层签名者不符")
        inner_signature = check_signature(inner, signer.public_key)
        zf, manifest = _open_plain(inner, signer, inner_signature)
        try:
            opened.manifest, opened.content_digest, opened._zip = manifest, inner_signature.digest, zf
            yield opened
        finally:
            zf.close()


def _members_of(path: Path) -> frozenset[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = frozenset(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise tampered(f"无法按 zip 读取（{exc}）") from None
    return ENCRYPTED_MEMBERS if names == ENCRYPTED_MEMBERS else PLAIN_MEMBERS


def _envelope(zf: zipfile.ZipFile, signer: PublicKey) -> dict[str, Any]:
    envelope = _json(_read_member(zf, ENVELOPE, MAX_MANIFEST_BYTES), ENVELOPE)
    if (
        not isinstance(envelope, dict)
        or envelope.get("format") != ENVELOPE_FORMAT
        or envelope.get("version") != FORMAT_VERSION
        or envelope.get("sender_fingerprint") != signer.fingerprint
        or not is_hex(envelope.get("receiver_fingerprint"), 32)
        or not is_hex(envelope.get("wrapped_key"))
        or not is_hex(envelope.get("nonce"), 2 * crypto.GCM_NONCE_BYTES)
        or not is_hex(envelope.get("tag"), 32)
    ):
        raise tampered("加密信封格式错误")
    return envelope


def _decrypt(path: Path, envelope: dict[str, Any], key: OfficeKey, signer: PublicKey, target: Path) -> None:
    content_key = crypto.unwrap_key(key.private_key, bytes.fromhex(str(envelope["wrapped_key"])))
    if content_key is None or len(content_key) != crypto.SM4_KEY_BYTES:
        raise tampered("本单位的私钥无法解开数据密钥（数据包被改动，或不是加密给本单位的）")
    aad = ENVELOPE_AAD + signer.fingerprint.encode("ascii") + b"|" + key.fingerprint.encode("ascii")
    with zipfile.ZipFile(path) as zf, zf.open(PAYLOAD) as source, target.open("wb") as out:
        ok = crypto.decrypt_stream(
            content_key, bytes.fromhex(str(envelope["nonce"])), bytes.fromhex(str(envelope["tag"])), aad, source, out
        )
    if not ok:
        target.unlink(missing_ok=True)
        raise tampered("解密校验未通过（SM4-GCM 认证标签不符）：数据包被改动")


def replace_into(tmp: Path, target: Path) -> None:
    """Move the finished file into place in one step (the same folder: an atomic rename)."""
    os.replace(tmp, target)
