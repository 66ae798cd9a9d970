"""The key file beside a case: ``NAME.fjcase.keys``.

It holds only what is safe in the clear: the case id, a key-check value (HMAC-SHA256 of a fixed label under
the data key, so a wrong raw key is told apart from a damaged file) and the data key wrapped with HPKE to each
recipient (inspector, lead, bureau escrow), with each recipient's public X25519 key so the key can be
re-wrapped at rotation. No patient data, no secret. During a key rotation the file also holds ``next``: the
new key's check value and wraps, written *before* ``PRAGMA rekey``; whichever key the file opens with wins,
so a crash at any point leaves a case that opens.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, replace
from pathlib import Path

from feijian.crypto.identity import key_id_of
from feijian.crypto.keywrap import SUITE_NAME, unwrap_key, wrap_info, wrap_key
from feijian.crypto.sealing import b64, unb64
from feijian.domain.events import canonical_json
from feijian.domain.errors import InputError
from feijian.store.errors import NotACase, WrongKey, translated
from feijian.store.files import atomic_write

FORMAT = "feijian-case-keys/v1"
ROLES = ("inspector", "lead", "escrow")


def keys_path(case_path: Path) -> Path:
    case_path = Path(case_path)
    return case_path.with_name(case_path.name + ".keys")


def key_check(data_key: bytes, case_id: str) -> str:
    return hmac.new(data_key, f"feijian/key-check/v1|{case_id}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Wrap:
    role: str
    recipient_public: bytes  # X25519
    blob: bytes

    @property
    def recipient(self) -> str:
        return key_id_of(self.recipient_public)

    def to_dict(self) -> dict:
        return {"role": self.role, "recipient": self.recipient, "recipient_public": b64(self.recipient_public),
                "blob": b64(self.blob)}

    @classmethod
    def from_dict(cls, d: dict) -> "Wrap":
        return cls(str(d["role"]), unb64(d["recipient_public"]), unb64(d["blob"]))


@dataclass(frozen=True)
class KeySet:
    check: str
    wraps: tuple[Wrap, ...]

    def to_dict(self) -> dict:
        return {"key_check": self.check, "wraps": [w.to_dict() for w in self.wraps]}

    @classmethod
    def from_dict(cls, d: dict) -> "KeySet":
        return cls(str(d["key_check"]), tuple(Wrap.from_dict(w) for w in d["wraps"]))

    @classmethod
    def make(cls, data_key: bytes, case_id: str, recipients: list[tuple[str, bytes]]) -> "KeySet":
        wraps = []
        for role, pub in recipients:
            with translated():
                wraps.append(Wrap(role, pub, wrap_key(data_key, pub, wrap_info(case_id, role, key_id_of(pub)))))
        return cls(key_check(data_key, case_id), tuple(wraps))

    def recipients(self) -> list[tuple[str, bytes]]:
        return [(w.role, w.recipient_public) for w in self.wraps]

    def unwrap(self, case_id: str, x25519_private, x25519_public: bytes, *, role: str | None = None) -> bytes:
        rid = key_id_of(x25519_public)
        for w in self.wraps:
            if w.recipient == rid and (role is None or w.role == role):
                with translated():
                    key = unwrap_key(w.blob, x25519_private, wrap_info(case_id, w.role, rid))
                if key_check(key, case_id) != self.check:
                    raise WrongKey("密钥校验值不符 / the unwrapped key does not match the case's key check")
                return key
        raise WrongKey("此身份不是本案件的接收方 / this identity is not a recipient of the case key")


@dataclass(frozen=True)
class CaseKeys:
    case_id: str
    current: KeySet
    next: KeySet | None = None
    suite: str = SUITE_NAME

    def to_json(self) -> bytes:
        return canonical_json({"format": FORMAT, "case_id": self.case_id, "suite": self.suite,
                               "current": self.current.to_dict(),
                               "next": self.next.to_dict() if self.next else None}) + b"\n"

    @classmethod
    def load(cls, case_path: Path) -> "CaseKeys":
        p = keys_path(case_path)
        try:
            d = json.loads(p.read_bytes())
        except FileNotFoundError:
            raise NotACase(f"缺少案件密钥文件 / missing case key file {p.name}: not a feijian case") from None
        except (ValueError, UnicodeDecodeError):
            raise NotACase(f"案件密钥文件无效 / invalid case key file {p.name}") from None
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise NotACase(f"案件密钥文件无效 / invalid case key file {p.name}")
        try:
            with translated():
                return cls(str(d["case_id"]), KeySet.from_dict(d["current"]),
                           KeySet.from_dict(d["next"]) if d.get("next") else None, str(d.get("suite", SUITE_NAME)))
        except (KeyError, TypeError, ValueError, InputError):
            raise NotACase(f"案件密钥文件不完整 / incomplete case key file {p.name}") from None

    def save(self, case_path: Path) -> None:
        atomic_write(keys_path(case_path), self.to_json(), mode=0o644)

    def key_sets(self) -> list[KeySet]:
        return [self.current] + ([self.next] if self.next else [])

    def promote(self) -> "CaseKeys":
        return replace(self, current=self.next, next=None) if self.next else self
