"""The cryptography of 上报数据包 (reports/exchange_crypto.py) checked against the standards' own test value (SM3) and
against OpenSSL's independent SM2 implementation: OpenSSL verifies our signatures and decrypts our key wrap, we verify
OpenSSL's signatures and unwrap what OpenSSL encrypted (GB/T 32918.2 and .4, default user ID 1234567812345678)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from xinfang_desktop.reports import exchange_crypto as crypto

SM2_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")
DISTID = "distid:1234567812345678"


def _openssl_has_sm2() -> bool:
    if shutil.which("openssl") is None:
        return False
    out = subprocess.run(["openssl", "list", "-public-key-algorithms"], capture_output=True, text=True, check=False)
    return "SM2" in out.stdout


needs_openssl = pytest.mark.skipif(not _openssl_has_sm2(), reason="no openssl command with SM2 (OpenSSL ≥ 1.1.1)")


def _der_len(n: int) -> bytes:
    return bytes([n]) if n < 128 else (b"\x81" + bytes([n]) if n < 256 else b"\x82" + n.to_bytes(2, "big"))


def _der(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_len(len(body)) + body


def _der_int(v: int) -> bytes:
    return _der(2, v.to_bytes(v.bit_length() // 8 + 1, "big"))


def _der_items(data: bytes) -> list[bytes]:
    """The contents of the items of a DER SEQUENCE (enough for the two shapes OpenSSL writes here)."""
    assert data[0] == 0x30
    i = 2 if data[1] < 128 else 2 + (data[1] & 0x7F)
    items = []
    while i < len(data):
        length, i = data[i + 1], i + 2
        if length >= 128:
            n = length & 0x7F
            length, i = int.from_bytes(data[i : i + n], "big"), i + n
        items.append(data[i : i + length])
        i += length
    return items


def _openssl(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, check=False)


def test_sm3_standard_example() -> None:
    # GB/T 32905-2016 appendix A, example 1
    assert crypto.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.sm3_stream([b"a", b"", b"bc"]) == crypto.sm3(b"abc")


def test_sign_and_verify() -> None:
    private, public = crypto.generate_key()
    assert crypto.on_curve(public) and crypto.public_of(private) == public
    signature = crypto.sign(private, public, b"message")
    assert crypto.verify(public, b"message", signature)
    assert not crypto.verify(public, b"messagf", signature)
    assert crypto.sign(private, public, b"message") != signature  # a fresh k every time
    _, other = crypto.generate_key()
    assert not crypto.verify(other, b"message", signature)
    n = f"{crypto._N:064x}"
    for bad in ("0" * 64 + signature[64:], n + signature[64:], signature[:64] + "0" * 64, signature[:-1], "zz" * 64):
        assert not crypto.verify(public, b"message", bad)
    assert not crypto.verify("04" + "11" * 64, b"message", signature)  # not a point of the curve
    assert len(crypto.fingerprint(public)) == 32


def test_key_wrap_round_trip_and_tamper() -> None:
    private, public = crypto.generate_key()
    secret = os.urandom(16)
    wrapped = crypto.wrap_key(public, secret)
    assert len(wrapped) == 1 + 64 + 32 + 16
    assert crypto.unwrap_key(private, wrapped) == secret
    other, _ = crypto.generate_key()
    assert crypto.unwrap_key(other, wrapped) is None
    for at in (1, 70, len(wrapped) - 1):
        bad = bytearray(wrapped)
        bad[at] ^= 1
        assert crypto.unwrap_key(private, bytes(bad)) is None
    assert crypto.unwrap_key(private, b"\x04" + b"\0" * 20) is None


def test_sm4_gcm_stream_and_tag() -> None:
    key, nonce = crypto.new_content_key()
    plain = os.urandom(3 * crypto.CHUNK + 17)
    sealed = io.BytesIO()
    tag = crypto.encrypt_stream(key, nonce, b"aad", io.BytesIO(plain), sealed)
    out = io.BytesIO()
    assert crypto.decrypt_stream(key, nonce, tag, b"aad", io.BytesIO(sealed.getvalue()), out)
    assert out.getvalue() == plain
    assert not crypto.decrypt_stream(key, nonce, tag, b"aae", io.BytesIO(sealed.getvalue()), io.BytesIO())
    bad = bytearray(sealed.getvalue())
    bad[5] ^= 1
    assert not crypto.decrypt_stream(key, nonce, tag, b"aad", io.BytesIO(bytes(bad)), io.BytesIO())


@needs_openssl
def test_openssl_verifies_our_signature_and_decrypts_our_key_wrap(tmp_path: Path) -> None:
    private, public = crypto.generate_key()
    (tmp_path / "pub.der").write_bytes(SM2_SPKI_PREFIX + bytes.fromhex(public))
    (tmp_path / "msg").write_bytes(b"xinfang exchange")
    signature = crypto.sign(private, public, b"xinfang exchange")
    r, s = int(signature[:64], 16), int(signature[64:], 16)
    (tmp_path / "sig.der").write_bytes(_der(0x30, _der_int(r) + _der_int(s)))
    verify = ("pkeyutl", "-verify", "-in", "msg", "-rawin", "-digest", "sm3", "-pubin", "-keyform", "DER")
    done = _openssl(*verify, "-inkey", "pub.der", "-sigfile", "sig.der", "-pkeyopt", DISTID, cwd=tmp_path)
    assert done.returncode == 0 and b"Verified Successfully" in done.stdout, done.stderr

    assert _openssl("genpkey", "-algorithm", "SM2", "-out", "k.pem", cwd=tmp_path).returncode == 0
    assert _openssl("pkey", "-in", "k.pem", "-pubout", "-outform", "DER", "-out", "k.der", cwd=tmp_path).returncode == 0
    their_public = (tmp_path / "k.der").read_bytes()[-65:].hex()
    secret = os.urandom(16)
    wrapped = crypto.wrap_key(their_public, secret)
    x, y, c3, c2 = wrapped[1:33], wrapped[33:65], wrapped[65:97], wrapped[97:]
    asn1 = _der_int(int.from_bytes(x, "big")) + _der_int(int.from_bytes(y, "big")) + _der(4, c3) + _der(4, c2)
    (tmp_path / "ct.der").write_bytes(_der(0x30, asn1))
    done = _openssl("pkeyutl", "-decrypt", "-in", "ct.der", "-inkey", "k.pem", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == secret, done.stderr


@needs_openssl
def test_we_verify_openssl_signatures_and_unwrap_openssl_encryption(tmp_path: Path) -> None:
    assert _openssl("genpkey", "-algorithm", "SM2", "-out", "k.pem", cwd=tmp_path).returncode == 0
    assert _openssl("pkey", "-in", "k.pem", "-pubout", "-outform", "DER", "-out", "k.der", cwd=tmp_path).returncode == 0
    assert _openssl("pkey", "-in", "k.pem", "-outform", "DER", "-out", "p8.der", cwd=tmp_path).returncode == 0
    public = (tmp_path / "k.der").read_bytes()[-65:].hex()
    p8 = (tmp_path / "p8.der").read_bytes()
    at = p8.index(b"\x02\x01\x01\x04\x20") + 5  # ECPrivateKey: version 1, then the 32-byte private key
    private = p8[at : at + 32].hex()
    assert crypto.public_of(private) == public

    (tmp_path / "msg").write_bytes(b"from openssl")
    sign = ("pkeyutl", "-sign", "-in", "msg", "-rawin", "-digest", "sm3", "-inkey", "k.pem", "-out", "sig.der")
    assert _openssl(*sign, "-pkeyopt", DISTID, cwd=tmp_path).returncode == 0
    r, s = (int.from_bytes(v, "big") for v in _der_items((tmp_path / "sig.der").read_bytes()))
    assert crypto.verify(public, b"from openssl", f"{r:064x}{s:064x}")
    assert not crypto.verify(public, b"from opensss", f"{r:064x}{s:064x}")

    secret = os.urandom(16)
    (tmp_path / "secret").write_bytes(secret)
    encrypt = ("pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", "k.der", "-in", "secret", "-out", "ct")
    assert _openssl(*encrypt, cwd=tmp_path).returncode == 0
    x, y, c3, c2 = _der_items((tmp_path / "ct").read_bytes())
    c1 = int.from_bytes(x, "big").to_bytes(32, "big") + int.from_bytes(y, "big").to_bytes(32, "big")
    assert crypto.unwrap_key(private, b"\x04" + c1 + c3 + c2) == secret
