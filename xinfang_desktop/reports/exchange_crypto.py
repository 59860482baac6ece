"""The national commercial cryptography of 上报数据包: SM2 signatures (SM3 digest), SM2 key wrap, SM4-GCM, SM3.

- Signatures: SM2 with SM3 (GB/T 32918.2, the Z value with the default user ID 1234567812345678) through `gmssl`
  3.2; the nonce k comes from `secrets`, not from gmssl's `random.choice` (a predictable k gives away the key).
  Before gmssl sees a signature, r and s are checked to lie in [1, n−1].
- Key wrap: SM2 public-key encryption (GB/T 32918.4, C1‖C3‖C2, C1 uncompressed 04‖x‖y) written here over gmssl's
  point multiplication: gmssl's own `encrypt` draws k from `random` and its `decrypt` never checks C3.
- Bulk: SM4 in GCM mode and the SM3 digest through `cryptography` (OpenSSL), fast enough for 100k cases.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from typing import IO, Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmssl import sm2

from xinfang_desktop.core.errors import DomainError

_TABLE: dict[str, str] = sm2.default_ecc_table
_N = int(_TABLE["n"], 16)
_P = int(_TABLE["p"], 16)
_A = int(_TABLE["a"], 16)
_B = int(_TABLE["b"], 16)
_G = _TABLE["g"]
KEY_HEX = 64  # a private key: 32 bytes
POINT_HEX = 128  # x‖y, 32 bytes each
PUBLIC_KEY_HEX = 130  # 04‖x‖y
SIGNATURE_HEX = 128  # r‖s
SM4_KEY_BYTES = 16
GCM_NONCE_BYTES = 12
CHUNK = 1 << 20


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def sm3_stream(chunks: Iterable[bytes]) -> bytes:
    h = hashes.Hash(hashes.SM3())
    for chunk in chunks:
        h.update(chunk)
    return h.finalize()


def fingerprint(public_key: str) -> str:
    """The first 16 bytes of SM3(x‖y) in hex: what the higher bureau compares on paper."""
    return sm3(bytes.fromhex(public_key[2:])).hex()[:32]


def _crypt(private_key: str | None, public_key: str) -> Any:
    crypt = sm2.CryptSM2(private_key=private_key, public_key="", mode=1)
    # gmssl strips leading '0' and '4' characters with lstrip("04"): set the point afterwards, exactly.
    crypt.public_key = public_key[2:] if len(public_key) == PUBLIC_KEY_HEX else public_key
    return crypt


def on_curve(public_key: str) -> bool:
    """An uncompressed SM2 point 04‖x‖y on the curve (y² = x³ + ax + b mod p)."""
    if len(public_key) != PUBLIC_KEY_HEX or not public_key.startswith("04"):
        return False
    try:
        x, y = int(public_key[2:66], 16), int(public_key[66:], 16)
    except ValueError:
        return False
    return 0 <= x < _P and 0 <= y < _P and (y * y - (x * x * x + _A * x + _B)) % _P == 0


def generate_key() -> tuple[str, str]:
    """A new key pair: (private key hex, public key 04‖x‖y hex)."""
    d = secrets.randbelow(_N - 2) + 1  # [1, n−2] (GB/T 32918.1 §6.1)
    point = _crypt(None, "0" * POINT_HEX)._kg(d, _G)
    return f"{d:064x}", "04" + str(point)


def public_of(private_key: str) -> str:
    return "04" + str(_crypt(None, "0" * POINT_HEX)._kg(int(private_key, 16), _G))


def sign(private_key: str, public_key: str, message: bytes) -> str:
    """SM2 signature (r‖s hex) of the message with the SM3 digest of Z‖M."""
    crypt = _crypt(private_key, public_key)
    while True:
        k = secrets.randbelow(_N - 1) + 1
        signature = crypt.sign_with_sm3(message, f"{k:064x}")
        if signature:  # None on the rare k that gives r = 0 or r + k = n: draw again
            return str(signature)


def verify(public_key: str, message: bytes, signature: str) -> bool:
    if len(signature) != SIGNATURE_HEX or not on_curve(public_key):
        return False
    try:
        r, s = int(signature[:64], 16), int(signature[64:], 16)
    except ValueError:
        return False
    if not (1 <= r < _N and 1 <= s < _N):
        return False
    try:
        return bool(_crypt(None, public_key).verify_with_sm3(signature, message))
    except Exception:  # gmssl raises on odd points; a signature that cannot be checked is not valid
        return False


def _kdf(z: bytes, length: int) -> bytes:
    out = b""
    counter = 1
    while len(out) < length:
        out += sm3(z + counter.to_bytes(4, "big"))
        counter += 1
    return out[:length]


def wrap_key(public_key: str, key: bytes) -> bytes:
    """SM2 encryption of a short secret for the holder of the private key: C1‖C3‖C2."""
    if not on_curve(public_key):
        raise DomainError("接收方公钥无效（不在 SM2 曲线上）", field="encrypt_for")
    crypt = _crypt(None, public_key)
    while True:
        k = secrets.randbelow(_N - 1) + 1
        c1 = bytes.fromhex(str(crypt._kg(k, _G)))
        shared = bytes.fromhex(str(crypt._kg(k, crypt.public_key)))
        t = _kdf(shared, len(key))
        if any(t):
            break
    x2, y2 = shared[:32], shared[32:]
    c3 = sm3(x2 + key + y2)
    return b"\x04" + c1 + c3 + bytes(a ^ b for a, b in zip(key, t, strict=True))


def unwrap_key(private_key: str, data: bytes) -> bytes | None:
    """The secret of `wrap_key`, or None when the data was not made for this key (or was changed)."""
    if len(data) < 1 + 64 + 32 + 1 or data[0] != 4:
        return None
    c1, c3, c2 = data[1:65], data[65:97], data[97:]
    if not on_curve("04" + c1.hex()):
        return None
    try:
        shared = bytes.fromhex(str(_crypt(private_key, "0" * POINT_HEX)._kg(int(private_key, 16), c1.hex())))
    except Exception:
        return None
    t = _kdf(shared, len(c2))
    if not any(t):
        return None
    key = bytes(a ^ b for a, b in zip(c2, t, strict=True))
    if not hmac.compare_digest(sm3(shared[:32] + key + shared[32:]), c3):
        return None
    return key


def new_content_key() -> tuple[bytes, bytes]:
    """A fresh SM4 key and GCM nonce."""
    return secrets.token_bytes(SM4_KEY_BYTES), secrets.token_bytes(GCM_NONCE_BYTES)


def encrypt_stream(key: bytes, nonce: bytes, aad: bytes, source: IO[bytes], target: IO[bytes]) -> bytes:
    """SM4-GCM of everything in `source` into `target`; returns the 16-byte tag."""
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    while chunk := source.read(CHUNK):
        target.write(encryptor.update(chunk))
    target.write(encryptor.finalize())
    return bytes(encryptor.tag)


def decrypt_stream(key: bytes, nonce: bytes, tag: bytes, aad: bytes, source: IO[bytes], target: IO[bytes]) -> bool:
    """SM4-GCM decryption; False (and `target` to be thrown away) when the tag does not match."""
    from cryptography.exceptions import InvalidTag

    try:
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(aad)
        while chunk := source.read(CHUNK):
            target.write(decryptor.update(chunk))
        target.write(decryptor.finalize())
    except (InvalidTag, ValueError):
        return False
    return True
