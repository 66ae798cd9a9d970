"""Sealing a secret with a passphrase: Argon2id → AES-256-GCM, with the KDF parameters, salt and a caller's
header in the associated data. The sealed form is UTF-8 JSON (no secret in the clear part)."""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from feijian.crypto.errors import BadKeyFile, WrongPassphrase
from feijian.crypto.kdf import KdfParams, default_params, derive
from feijian.crypto.canonical import canonical_json


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeError):
        raise BadKeyFile("密钥文件中的 base64 无效 / invalid base64 in key file") from None


def seal(plaintext: bytes, passphrase: str, *, format: str, header: dict | None = None,
         params: KdfParams | None = None, fast: bool | None = None) -> bytes:
    if not passphrase:
        raise WrongPassphrase("口令不能为空 / the passphrase must not be empty")
    params = params or default_params(fast=fast)
    salt, nonce = os.urandom(16), os.urandom(12)
    clear = {"format": format, "header": header or {}, "kdf": params.to_dict(), "salt": b64(salt), "nonce": b64(nonce)}
    key = derive(passphrase, salt, params)
    ct = AESGCM(key).encrypt(nonce, plaintext, canonical_json(clear))
    return canonical_json({**clear, "ciphertext": b64(ct)}) + b"\n"


def read_clear(blob: bytes, format: str) -> dict:
    """The clear part of a seal (format, header, KDF parameters) after checking the format."""
    try:
        d = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadKeyFile(f"不是 feijian 密钥文件 / not a feijian key file (expected {format})") from None
    if not isinstance(d, dict) or d.get("format") != format or "ciphertext" not in d:
        raise BadKeyFile(f"不是 feijian 密钥文件 / not a feijian key file (expected {format})")
    return d


def unseal(blob: bytes, passphrase: str, *, format: str) -> tuple[dict, bytes]:
    """(header, plaintext); :class:`WrongPassphrase` when the passphrase (or anything bound to it) is wrong."""
    d = read_clear(blob, format)
    params = KdfParams.from_dict(d.get("kdf") or {})
    clear = {k: d[k] for k in ("format", "header", "kdf", "salt", "nonce") if k in d}
    key = derive(passphrase, unb64(d.get("salt", "")), params)
    try:
        plaintext = AESGCM(key).decrypt(unb64(d.get("nonce", "")), unb64(d["ciphertext"]), canonical_json(clear))
    except (InvalidTag, ValueError):
        raise WrongPassphrase() from None
    return d.get("header") or {}, plaintext
