"""Passphrase → key with Argon2id (``cryptography``), calibrated once to take at least 0.5 s.

The parameters travel with what they protect (they are bound into the seal's AEAD associated data), so a
file sealed on a fast laptop opens on a slow one and a downgrade of the parameters fails authentication.
Tests set ``FEIJIAN_KDF_FAST=1`` (or pass ``fast=True``) to get cheap parameters.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from feijian.crypto.errors import BadKeyFile

TARGET_SECONDS = 0.5
# RFC 9106 second recommended option: t=3, p=4, 64 MiB; iterations are raised until the target is met.
BASE_ITERATIONS = 3
BASE_LANES = 4
BASE_MEMORY_KIB = 64 * 1024
FAST = {"iterations": 1, "lanes": 1, "memory_kib": 64}
# Refuse absurd parameters from a file (a denial of service, or a downgrade below any sensible cost).
MAX_MEMORY_KIB = 4 * 1024 * 1024
MAX_ITERATIONS = 1000

_calibrated: "KdfParams | None" = None


@dataclass(frozen=True)
class KdfParams:
    iterations: int
    lanes: int
    memory_kib: int
    algorithm: str = "argon2id"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "KdfParams":
        try:
            p = cls(int(d["iterations"]), int(d["lanes"]), int(d["memory_kib"]), str(d.get("algorithm", "argon2id")))
        except (KeyError, TypeError, ValueError):
            raise BadKeyFile("密钥文件的 KDF 参数无效 / invalid KDF parameters in key file") from None
        if p.algorithm != "argon2id" or not (1 <= p.iterations <= MAX_ITERATIONS) or not (1 <= p.lanes <= 64) \
                or not (8 * p.lanes <= p.memory_kib <= MAX_MEMORY_KIB):
            raise BadKeyFile("密钥文件的 KDF 参数无效 / invalid KDF parameters in key file")
        return p


def derive(passphrase: str, salt: bytes, params: KdfParams, length: int = 32) -> bytes:
    kdf = Argon2id(salt=salt, length=length, iterations=params.iterations, lanes=params.lanes,
                   memory_cost=params.memory_kib)
    return kdf.derive(passphrase.encode("utf-8"))


def fast_params() -> KdfParams:
    return KdfParams(**FAST)


def fast_requested() -> bool:
    return os.environ.get("FEIJIAN_KDF_FAST") == "1"


def calibrate(target: float = TARGET_SECONDS, *, measure=None) -> KdfParams:
    """Parameters taking at least ``target`` seconds on this machine: RFC 9106's t=3/p=4/64 MiB, with more
    iterations until a measured derivation (the faster of two) reaches the target with a 25 % margin.
    ``measure(params)`` times one derivation (default: really derive and time it)."""
    measure = measure or _time
    params = KdfParams(BASE_ITERATIONS, BASE_LANES, BASE_MEMORY_KIB)
    for _ in range(4):
        elapsed = min(measure(params), measure(params))
        if elapsed >= target * 1.1:
            return params
        iterations = math.ceil(params.iterations * target * 1.25 / max(elapsed, 1e-3))
        params = KdfParams(min(max(iterations, params.iterations + 1), MAX_ITERATIONS), BASE_LANES, BASE_MEMORY_KIB)
    return params


def default_params(*, fast: bool | None = None) -> KdfParams:
    """The parameters for a new seal: cheap ones when ``fast`` (or ``FEIJIAN_KDF_FAST=1``), else calibrated once
    per process."""
    global _calibrated
    if fast if fast is not None else fast_requested():
        return fast_params()
    if _calibrated is None:
        _calibrated = calibrate()
    return _calibrated


def _time(params: KdfParams) -> float:
    start = time.perf_counter()
    derive("calibration", b"\0" * 16, params)
    return time.perf_counter() - start
