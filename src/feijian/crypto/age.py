"""Payload encryption in the age format (https://age-encryption.org/v1) with ``pyrage``.

Our X25519 keys are raw 32-byte values; age names them in Bech32: recipients ``age1…`` and identities
``AGE-SECRET-KEY-1…``. The Bech32 encoding (BIP 173, without the 90-character limit, as age does) is written
here so nothing depends on a second library. A clerk decrypts a member with the stock tool:
``age -d -i bureau-intake.key member.age``.
"""

from __future__ import annotations

import io
from typing import BinaryIO, Iterable

import pyrage
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat


_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
MAX_RECIPIENTS = 16
AGE_MAGIC = b"age-encryption.org/v1\n"


class AgeError(ValueError):
    """age decryption failed (wrong key, damaged or truncated data). The message is user-facing; crypto
    imports no other layer, so callers wrap it in their own ``FeijianError`` where needed."""


# --- Bech32 (BIP 173) -----------------------------------------------------------------------------

def _polymod(values: Iterable[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= _GEN[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convertbits(data: bytes | list[int], frombits: int, tobits: int, pad: bool) -> list[int]:
    acc = bits = 0
    out: list[int] = []
    maxv = (1 << tobits) - 1
    for value in data:
        if value < 0 or value >> frombits:
            raise ValueError("bech32: value out of range")
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits or ((acc << (tobits - bits)) & maxv):
        raise ValueError("bech32: invalid padding")
    return out


def bech32_encode(hrp: str, data: bytes) -> str:
    hrp = hrp.lower()
    values = _convertbits(data, 8, 5, True)
    polymod = _polymod(_hrp_expand(hrp) + values + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[d] for d in values + checksum)


def bech32_decode(text: str) -> tuple[str, bytes]:
    if text.lower() != text and text.upper() != text:
        raise ValueError("bech32: mixed case")
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text):
        raise ValueError("bech32: no separator")
    hrp, rest = text[:pos], text[pos + 1:]
    try:
        values = [_CHARSET.index(c) for c in rest]
    except ValueError:
        raise ValueError("bech32: invalid character") from None
    if _polymod(_hrp_expand(hrp) + values) != 1:
        raise ValueError("bech32: bad checksum")
    return hrp, bytes(_convertbits(values[:-6], 5, 8, False))


# --- keys -----------------------------------------------------------------------------------------

def _raw_public(key: bytes | X25519PublicKey) -> bytes:
    if isinstance(key, X25519PublicKey):
        return key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    if len(key) != 32:
        raise ValueError("an X25519 public key has 32 bytes")
    return bytes(key)


def _raw_private(key: bytes | X25519PrivateKey) -> bytes:
    if isinstance(key, X25519PrivateKey):
        return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    if len(key) != 32:
        raise ValueError("an X25519 private key has 32 bytes")
    return bytes(key)


def recipient(x25519_public: bytes | X25519PublicKey) -> str:
    """The age recipient string ``age1…`` of a raw X25519 public key."""
    return bech32_encode("age", _raw_public(x25519_public))


def identity_string(x25519_private: bytes | X25519PrivateKey) -> str:
    """The age identity string ``AGE-SECRET-KEY-1…`` of a raw X25519 private key."""
    return bech32_encode("age-secret-key-", _raw_private(x25519_private)).upper()


def identity_file(x25519_private: bytes | X25519PrivateKey) -> str:
    """An identity file for ``age -d -i FILE``."""
    priv = _raw_private(x25519_private)
    pub = X25519PrivateKey.from_private_bytes(priv).public_key()
    return f"# public key: {recipient(pub)}\n{identity_string(priv)}\n"


def public_from_recipient(text: str) -> bytes:
    hrp, data = bech32_decode(text)
    if hrp != "age" or len(data) != 32:
        raise ValueError("not an age X25519 recipient")
    return data


# --- encryption -----------------------------------------------------------------------------------

def _recipients(recipients_public: list) -> list:
    if not recipients_public:
        raise ValueError("at least one recipient is needed")
    if len(recipients_public) > MAX_RECIPIENTS:
        raise ValueError("too many recipients")
    return [pyrage.x25519.Recipient.from_str(recipient(r)) for r in recipients_public]


def encrypt(data: bytes, recipients_public: list[bytes]) -> bytes:
    """``data`` encrypted in the age format to every recipient (raw X25519 public keys)."""
    return pyrage.encrypt(bytes(data), _recipients(recipients_public))


def encrypt_stream(reader: BinaryIO, writer: BinaryIO, recipients_public: list[bytes]) -> None:
    """Stream ``reader`` into ``writer`` encrypted (for evidence larger than memory)."""
    pyrage.encrypt_io(reader, writer, _recipients(recipients_public))


def _identity(x25519_private: bytes | X25519PrivateKey):
    return pyrage.x25519.Identity.from_str(identity_string(x25519_private))


def check_header(data: bytes) -> None:
    """Cheap checks before any public-key work: the magic, a bounded header, a bounded stanza count."""
    if not data.startswith(AGE_MAGIC):
        raise AgeError("不是 age 加密数据 / not age-encrypted data")
    end = data.find(b"\n---", 0, 64 * 1024)
    if end < 0:
        raise AgeError("age 头部过大或损坏 / age header too large or damaged")
    if data.count(b"\n-> ", 0, end + 1) > MAX_RECIPIENTS:
        raise AgeError("age 接收者过多 / too many age recipient stanzas")


def decrypt(data: bytes, x25519_private: bytes | X25519PrivateKey) -> bytes:
    """Decrypt age ``data`` with a raw X25519 private key. Raises :class:`AgeError`."""
    check_header(data)
    try:
        return pyrage.decrypt(bytes(data), [_identity(x25519_private)])
    except pyrage.DecryptError:
        raise AgeError("无法解密：密钥不对或数据已损坏 / cannot decrypt: wrong key or damaged data") from None


def decrypt_stream(reader: BinaryIO, writer: BinaryIO, x25519_private: bytes | X25519PrivateKey) -> None:
    try:
        pyrage.decrypt_io(reader, writer, [_identity(x25519_private)])
    except pyrage.DecryptError:
        raise AgeError("无法解密：密钥不对或数据已损坏 / cannot decrypt: wrong key or damaged data") from None


def decrypt_to_bytes(reader: BinaryIO, x25519_private: bytes | X25519PrivateKey) -> bytes:
    out = io.BytesIO()
    decrypt_stream(reader, out, x25519_private)
    return out.getvalue()
