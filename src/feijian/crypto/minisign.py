"""Ed25519 signatures in minisign's file formats (architecture decision 3).

Only minisign's prehashed ``ED`` algorithm is written: Ed25519 over the BLAKE2b-512 of the data, plus a
global signature over ``signature || trusted comment`` so the trusted comment cannot be swapped. A bureau
clerk checks our ``SHA256SUMS.minisig`` with the stock tool: ``minisign -V -p signer.pub -m SHA256SUMS``.

Formats (https://jedisct1.github.io/minisign/):
- public key file: ``untrusted comment: …`` then base64(``Ed`` ‖ key id (8) ‖ public key (32));
- signature file: ``untrusted comment: …``, base64(``ED`` ‖ key id (8) ‖ signature (64)),
  ``trusted comment: …``, base64(global signature (64)).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


SIG_ALG_PREHASHED = b"ED"
SIG_ALG_LEGACY = b"Ed"
PK_ALG = b"Ed"
MAX_COMMENT = 1024


class SignatureError(ValueError):
    """A minisign signature that is malformed or does not verify (crypto imports no other layer; callers
    turn it into their own user-facing error)."""


class MalformedSignature(SignatureError):
    pass


class BadSignature(SignatureError):
    pass


@dataclass(frozen=True)
class SignatureFile:
    """A parsed minisign signature file."""

    algorithm: bytes
    key_id: bytes  # 8 bytes, as stored
    signature: bytes  # 64
    trusted_comment: str
    global_signature: bytes  # 64
    untrusted_comment: str = ""


def key_id_hex(key_id8: bytes) -> str:
    """The key id as minisign prints it (the little-endian 64-bit number in upper-case hex)."""
    return key_id8[::-1].hex().upper()


def _raw_public(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _check_comment(text: str, what: str) -> None:
    if "\n" in text or "\r" in text or len(text.encode("utf-8")) > MAX_COMMENT:
        raise ValueError(f"{what} must be one line of at most {MAX_COMMENT} bytes")


def sign(data: bytes, key: Ed25519PrivateKey, key_id8: bytes, trusted_comment: str, *,
         untrusted_comment: str = "signature from feijian secret key") -> str:
    """The text of a minisign ``ED`` signature file for ``data``."""
    if len(key_id8) != 8:
        raise ValueError("a minisign key id has 8 bytes")
    _check_comment(trusted_comment, "trusted comment")
    _check_comment(untrusted_comment, "untrusted comment")
    digest = hashlib.blake2b(data, digest_size=64).digest()
    return sign_prehashed(digest, key, key_id8, trusted_comment, untrusted_comment=untrusted_comment)


def sign_prehashed(digest: bytes, key: Ed25519PrivateKey, key_id8: bytes, trusted_comment: str, *,
                   untrusted_comment: str = "signature from feijian secret key") -> str:
    """As :func:`sign`, given the BLAKE2b-512 digest (for data streamed from disk)."""
    sig = key.sign(digest)
    tc = trusted_comment.encode("utf-8")
    global_sig = key.sign(sig + tc)
    line = base64.b64encode(SIG_ALG_PREHASHED + key_id8 + sig).decode("ascii")
    return (
        f"untrusted comment: {untrusted_comment}\n{line}\n"
        f"trusted comment: {trusted_comment}\n{base64.b64encode(global_sig).decode('ascii')}\n"
    )


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise MalformedSignature(f"minisign {what} is not base64") from None


def parse_signature(sig_text: str | bytes) -> SignatureFile:
    """Parse a signature file strictly (four lines, known algorithm, exact lengths)."""
    if isinstance(sig_text, bytes):
        try:
            sig_text = sig_text.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedSignature("minisign signature is not UTF-8") from None
    lines = sig_text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    if len(lines) != 4:
        raise MalformedSignature("minisign signature must have 4 lines")
    if not lines[0].startswith("untrusted comment: "):
        raise MalformedSignature("minisign signature: missing untrusted comment")
    if not lines[2].startswith("trusted comment: "):
        raise MalformedSignature("minisign signature: missing trusted comment")
    blob = _b64(lines[1], "signature")
    if len(blob) != 74:
        raise MalformedSignature("minisign signature has the wrong length")
    alg = blob[:2]
    if alg not in (SIG_ALG_PREHASHED, SIG_ALG_LEGACY):
        raise MalformedSignature("minisign signature: unknown algorithm")
    gsig = _b64(lines[3], "global signature")
    if len(gsig) != 64:
        raise MalformedSignature("minisign global signature has the wrong length")
    return SignatureFile(
        algorithm=alg,
        key_id=blob[2:10],
        signature=blob[10:],
        trusted_comment=lines[2][len("trusted comment: "):],
        global_signature=gsig,
        untrusted_comment=lines[0][len("untrusted comment: "):],
    )


def verify(data: bytes, sig_text: str | bytes, pub: Ed25519PublicKey, *, key_id8: bytes | None = None,
           allow_legacy: bool = False) -> str:
    """Verify ``sig_text`` over ``data``; return the trusted comment. Raises :class:`SignatureError`."""
    parsed = parse_signature(sig_text)
    if parsed.algorithm == SIG_ALG_PREHASHED:
        message = hashlib.blake2b(data, digest_size=64).digest()
    elif allow_legacy:
        message = data
    else:
        raise MalformedSignature("minisign signature: only the prehashed ED algorithm is accepted")
    return _verify_parsed(parsed, message, pub, key_id8)


def verify_prehashed(digest: bytes, sig_text: str | bytes, pub: Ed25519PublicKey, *,
                     key_id8: bytes | None = None) -> str:
    parsed = parse_signature(sig_text)
    if parsed.algorithm != SIG_ALG_PREHASHED:
        raise MalformedSignature("minisign signature: only the prehashed ED algorithm is accepted")
    return _verify_parsed(parsed, digest, pub, key_id8)


def _verify_parsed(parsed: SignatureFile, message: bytes, pub: Ed25519PublicKey, key_id8: bytes | None) -> str:
    if key_id8 is not None and parsed.key_id != key_id8:
        raise BadSignature("签名密钥编号不符 / signature key id does not match the public key")
    try:
        pub.verify(parsed.signature, message)
        pub.verify(parsed.global_signature, parsed.signature + parsed.trusted_comment.encode("utf-8"))
    except InvalidSignature:
        raise BadSignature("签名无效 / signature verification failed") from None
    return parsed.trusted_comment


def public_key_file(pub: Ed25519PublicKey, key_id8: bytes) -> str:
    """The text of a minisign public key file (for ``minisign -V -p FILE``)."""
    if len(key_id8) != 8:
        raise ValueError("a minisign key id has 8 bytes")
    blob = base64.b64encode(PK_ALG + key_id8 + _raw_public(pub)).decode("ascii")
    return f"untrusted comment: minisign public key {key_id_hex(key_id8)}\n{blob}\n"


def parse_public_key_file(text: str) -> tuple[Ed25519PublicKey, bytes]:
    """``(public key, key id)`` from a minisign public key file (or its bare base64 line)."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if lines and lines[0].startswith("untrusted comment:"):
        lines = lines[1:]
    if len(lines) != 1:
        raise MalformedSignature("minisign public key file must hold one key")
    blob = _b64(lines[0], "public key")
    if len(blob) != 42 or blob[:2] != PK_ALG:
        raise MalformedSignature("not a minisign Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(blob[10:]), blob[2:10]
