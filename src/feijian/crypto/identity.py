"""Inspector identities: an Ed25519 signing key and an X25519 encryption key, sealed with a passphrase.

Signing keys are never escrowed; only case data keys are (see :mod:`feijian.crypto.keywrap`)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from feijian.crypto.errors import BadKeyFile
from feijian.crypto.kdf import KdfParams
from feijian.crypto.sealing import b64, seal, unb64, unseal
from feijian.crypto.canonical import canonical_json

ROLES = ("inspector", "lead")  # the values of feijian.domain.records.Role
IDENTITY_FORMAT = "feijian-identity/v1"
PUBLIC_FORMAT = "feijian-public-identity/v1"


def key_id_of(public_bytes: bytes) -> str:
    """A key's fingerprint: the first 16 hex digits of the SHA-256 of its raw public bytes."""
    return hashlib.sha256(public_bytes).hexdigest()[:16]


def raw_public(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private(key) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


@dataclass(frozen=True)
class PublicIdentity:
    name: str
    staff_no: str
    role: str
    signing_public: bytes
    encryption_public: bytes

    @property
    def key_id(self) -> str:
        return key_id_of(self.signing_public)

    @property
    def key_id8(self) -> bytes:
        """The key id as the 8 bytes minisign puts in signatures and public key files."""
        return bytes.fromhex(self.key_id)

    @property
    def encryption_key_id(self) -> str:
        return key_id_of(self.encryption_public)

    def verifier(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.signing_public)

    def to_dict(self) -> dict:
        return {"format": PUBLIC_FORMAT, "name": self.name, "staff_no": self.staff_no, "role": self.role,
                "signing_public": b64(self.signing_public), "encryption_public": b64(self.encryption_public),
                "key_id": self.key_id}

    def to_json(self) -> bytes:
        return canonical_json(self.to_dict())

    @classmethod
    def from_dict(cls, d: dict) -> "PublicIdentity":
        if not isinstance(d, dict) or d.get("format") != PUBLIC_FORMAT:
            raise BadKeyFile("不是 feijian 公开身份文件 / not a feijian public identity file")
        try:
            pub = cls(str(d["name"]), str(d["staff_no"]), str(d.get("role", "inspector")),
                      unb64(d["signing_public"]), unb64(d["encryption_public"]))
            Ed25519PublicKey.from_public_bytes(pub.signing_public)
            from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

            X25519PublicKey.from_public_bytes(pub.encryption_public)
        except (KeyError, TypeError, ValueError):
            raise BadKeyFile("公开身份文件中的密钥无效 / invalid keys in public identity file") from None
        if d.get("key_id") not in (None, pub.key_id):
            raise BadKeyFile("公开身份文件的指纹与密钥不符 / key id does not match the key in public identity file")
        return pub

    @classmethod
    def from_json(cls, data: bytes | str) -> "PublicIdentity":
        try:
            d = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise BadKeyFile("不是 feijian 公开身份文件 / not a feijian public identity file") from None
        return cls.from_dict(d)


@dataclass(frozen=True)
class Identity:
    public: PublicIdentity
    signing_key: Ed25519PrivateKey
    encryption_key: X25519PrivateKey
    device_id: str

    @property
    def key_id(self) -> str:
        return self.public.key_id

    def sign(self, data: bytes) -> bytes:
        return self.signing_key.sign(data)


def create_identity(name: str, staff_no: str, role: str = "inspector", *, device_id: str | None = None) -> Identity:
    role = getattr(role, "value", role)
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    sk, ek = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    pub = PublicIdentity(name, staff_no, role, raw_public(sk), raw_public(ek))
    return Identity(pub, sk, ek, device_id or os.urandom(8).hex())


def seal_identity(identity: Identity, passphrase: str, *, params: KdfParams | None = None,
                  fast: bool | None = None) -> bytes:
    secret = canonical_json({"signing_private": b64(raw_private(identity.signing_key)),
                             "encryption_private": b64(raw_private(identity.encryption_key)),
                             "device_id": identity.device_id})
    return seal(secret, passphrase, format=IDENTITY_FORMAT, header={"public": identity.public.to_dict()},
                params=params, fast=fast)


def public_of_sealed(blob: bytes) -> PublicIdentity:
    from feijian.crypto.sealing import read_clear

    return PublicIdentity.from_dict(read_clear(blob, IDENTITY_FORMAT).get("header", {}).get("public"))


def unseal_identity(blob: bytes, passphrase: str) -> Identity:
    header, secret = unseal(blob, passphrase, format=IDENTITY_FORMAT)
    pub = PublicIdentity.from_dict(header.get("public"))
    d = json.loads(secret)
    sk = Ed25519PrivateKey.from_private_bytes(unb64(d["signing_private"]))
    ek = X25519PrivateKey.from_private_bytes(unb64(d["encryption_private"]))
    if raw_public(sk) != pub.signing_public or raw_public(ek) != pub.encryption_public:
        raise BadKeyFile("身份文件的公钥与私钥不符 / identity file: public and private keys differ")
    return Identity(pub, sk, ek, str(d["device_id"]))


def reseal_identity(blob: bytes, old_passphrase: str, new_passphrase: str, **kw) -> bytes:
    return seal_identity(unseal_identity(blob, old_passphrase), new_passphrase, **kw)
