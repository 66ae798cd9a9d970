"""Wrapping a case's 256-bit data key to a recipient's X25519 key with HPKE (RFC 9180, ``cryptography`` ≥ 47:
DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM). ``info`` binds the wrap to its case, role and
recipient, so a wrap moved to another case or relabelled to another role does not open."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from feijian.crypto.errors import BadKeyFile, WrongKey

_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
SUITE_NAME = "HPKE-X25519-HKDF_SHA256-AES_256_GCM"


def wrap_info(case_id: str, role: str, recipient_key_id: str) -> bytes:
    return f"feijian/dek-wrap/v1|case={case_id}|role={role}|rcpt={recipient_key_id}".encode("utf-8")


def wrap_key(data_key: bytes, recipient_x25519_public: bytes, info: bytes) -> bytes:
    try:
        pub = X25519PublicKey.from_public_bytes(recipient_x25519_public)
    except ValueError:
        raise BadKeyFile("接收方公钥无效 / invalid recipient public key") from None
    return _SUITE.encrypt(data_key, pub, info=info)


def unwrap_key(blob: bytes, x25519_private: X25519PrivateKey, info: bytes) -> bytes:
    try:
        return _SUITE.decrypt(blob, x25519_private, info=info)
    except Exception:  # InvalidTag, ValueError on a malformed encapsulation
        raise WrongKey() from None
