"""The bureau's keys and its signed trust list of enrolled inspectors.

* ``BureauKeys``: escrow X25519 (every case key is also wrapped to it, for recovery), intake X25519 (packages
  to the bureau are encrypted to it) and the trust-list Ed25519 signing key.
* ``TrustList``: the enrolled :class:`PublicIdentity` list with a sequence number, signed by the bureau
  (Ed25519 over a domain-separated canonical JSON body). Intake and leads trust nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from feijian.crypto.errors import BadKeyFile, TrustError
from feijian.crypto.identity import key_id_of, raw_private, raw_public
from feijian.crypto.kdf import KdfParams
from feijian.crypto.sealing import b64, seal, unb64, unseal
from feijian.crypto.identity import PublicIdentity
from feijian.crypto.canonical import canonical_json, utc_now

BUREAU_KEYS_FORMAT = "feijian-bureau-keys/v1"
BUREAU_PUBLIC_FORMAT = "feijian-bureau-public/v1"
TRUST_LIST_FORMAT = "feijian-trust-list/v1"
_TRUST_DOMAIN = b"feijian/trust-list/v1\n"


@dataclass(frozen=True)
class BureauPublicKeys:
    name: str
    escrow_public: bytes
    intake_public: bytes
    signing_public: bytes

    @property
    def key_id(self) -> str:
        return key_id_of(self.signing_public)

    def verifier(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.signing_public)

    def to_dict(self) -> dict:
        return {"format": BUREAU_PUBLIC_FORMAT, "name": self.name, "escrow_public": b64(self.escrow_public),
                "intake_public": b64(self.intake_public), "signing_public": b64(self.signing_public),
                "key_id": self.key_id}

    @classmethod
    def from_dict(cls, d: dict) -> "BureauPublicKeys":
        if not isinstance(d, dict) or d.get("format") != BUREAU_PUBLIC_FORMAT:
            raise BadKeyFile("不是医保局公钥文件 / not a bureau public key file")
        try:
            return cls(str(d.get("name", "")), unb64(d["escrow_public"]), unb64(d["intake_public"]),
                       unb64(d["signing_public"]))
        except (KeyError, TypeError):
            raise BadKeyFile("医保局公钥文件不完整 / incomplete bureau public key file") from None


@dataclass(frozen=True)
class BureauKeys:
    name: str
    escrow_key: X25519PrivateKey
    intake_key: X25519PrivateKey
    signing_key: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str = "") -> "BureauKeys":
        return cls(name, X25519PrivateKey.generate(), X25519PrivateKey.generate(), Ed25519PrivateKey.generate())

    def public(self) -> BureauPublicKeys:
        return BureauPublicKeys(self.name, raw_public(self.escrow_key), raw_public(self.intake_key),
                                raw_public(self.signing_key))

    def seal(self, passphrase: str, *, params: KdfParams | None = None, fast: bool | None = None) -> bytes:
        secret = canonical_json({"escrow": b64(raw_private(self.escrow_key)), "intake": b64(raw_private(self.intake_key)),
                                 "signing": b64(raw_private(self.signing_key))})
        return seal(secret, passphrase, format=BUREAU_KEYS_FORMAT, header={"public": self.public().to_dict()},
                    params=params, fast=fast)

    @classmethod
    def unseal(cls, blob: bytes, passphrase: str) -> "BureauKeys":
        header, secret = unseal(blob, passphrase, format=BUREAU_KEYS_FORMAT)
        d = json.loads(secret)
        pub = BureauPublicKeys.from_dict(header.get("public"))
        keys = cls(pub.name, X25519PrivateKey.from_private_bytes(unb64(d["escrow"])),
                   X25519PrivateKey.from_private_bytes(unb64(d["intake"])),
                   Ed25519PrivateKey.from_private_bytes(unb64(d["signing"])))
        if keys.public() != pub:
            raise BadKeyFile("医保局密钥文件的公钥与私钥不符 / bureau key file: public and private keys differ")
        return keys


@dataclass(frozen=True)
class TrustList:
    bureau: BureauPublicKeys
    members: tuple[PublicIdentity, ...] = ()
    seq: int = 0
    issued_at: str = ""
    revoked: tuple[str, ...] = ()  # key ids no longer trusted
    signature: bytes = b""

    def body(self) -> dict:
        return {"format": TRUST_LIST_FORMAT, "bureau": self.bureau.to_dict(), "seq": self.seq,
                "issued_at": self.issued_at, "members": [m.to_dict() for m in self.members],
                "revoked": sorted(self.revoked)}

    def signed_bytes(self) -> bytes:
        return _TRUST_DOMAIN + canonical_json(self.body())

    def add(self, member: PublicIdentity) -> "TrustList":
        """The list with ``member`` enrolled (replacing an entry with the same key id), unsigned."""
        others = tuple(m for m in self.members if m.key_id != member.key_id)
        return replace(self, members=others + (member,), revoked=tuple(k for k in self.revoked if k != member.key_id),
                       signature=b"")

    def revoke(self, key_id: str) -> "TrustList":
        return replace(self, revoked=tuple(sorted(set(self.revoked) | {key_id})), signature=b"")

    def sign(self, keys: BureauKeys) -> "TrustList":
        if keys.public().signing_public != self.bureau.signing_public:
            raise TrustError("签名密钥不属于此信任列表的医保局 / signing key is not this trust list's bureau key")
        unsigned = replace(self, seq=self.seq + 1, issued_at=utc_now(), signature=b"")
        return replace(unsigned, signature=keys.signing_key.sign(unsigned.signed_bytes()))

    def verify(self, bureau_signing_public: bytes) -> "TrustList":
        """Itself, after checking that the bureau key named is the one expected and the signature holds."""
        if self.bureau.signing_public != bureau_signing_public:
            raise TrustError("信任列表不是由预期的医保局签发 / trust list is not signed by the expected bureau key")
        try:
            Ed25519PublicKey.from_public_bytes(bureau_signing_public).verify(self.signature, self.signed_bytes())
        except (InvalidSignature, ValueError):
            raise TrustError("信任列表签名无效 / trust list signature does not verify") from None
        return self

    def find(self, key_id: str) -> PublicIdentity | None:
        if key_id in self.revoked:
            return None
        return next((m for m in self.members if m.key_id == key_id), None)

    def to_json(self) -> bytes:
        return canonical_json({**self.body(), "signature": b64(self.signature)}) + b"\n"

    @classmethod
    def from_json(cls, data: bytes | str) -> "TrustList":
        try:
            d = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise BadKeyFile("不是 feijian 信任列表 / not a feijian trust list") from None
        if not isinstance(d, dict) or d.get("format") != TRUST_LIST_FORMAT:
            raise BadKeyFile("不是 feijian 信任列表 / not a feijian trust list")
        try:
            return cls(BureauPublicKeys.from_dict(d["bureau"]), tuple(PublicIdentity.from_dict(m) for m in d["members"]),
                       int(d["seq"]), str(d["issued_at"]), tuple(d.get("revoked", ())), unb64(d.get("signature", "")))
        except (KeyError, TypeError, ValueError):
            raise BadKeyFile("信任列表不完整 / incomplete trust list") from None


def empty_trust_list(keys: BureauKeys) -> TrustList:
    return TrustList(bureau=keys.public()).sign(keys)
