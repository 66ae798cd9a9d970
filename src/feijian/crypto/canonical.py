"""Canonical JSON for what crypto signs and authenticates: sorted keys, no blanks, UTF-8, NaN refused.
The same rules as ``feijian.domain.events.canonical_json`` (the crypto layer may not import the domain)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
