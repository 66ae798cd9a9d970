"""Events: the truth of what people did to a case (architecture decision 4).

An event is immutable and content-addressed: ``hash`` is the SHA-256 of its canonical JSON form (every
field but ``hash``). Events of one (author, device) form a chain through ``prev_hash``. An event that
changes a case's state carries ``writes``: register writes ``{"entity", "id", "field", "value",
"supersedes": [event ids]}`` that :mod:`feijian.domain.projection` folds into the current state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Iterable

GENESIS = ""  # prev_hash of the first event of a device chain


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON: sorted keys, no blanks, UTF-8, Decimals as strings; NaN refused."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_default
    ).encode("utf-8")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def uuid7() -> str:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits; sorts by creation time."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Event:
    event_id: str
    case_id: str
    author: str  # key id of the author's signing key
    device: str
    lamport: int
    time: str  # UTC ISO 8601
    type: str
    payload: dict = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    def body(self) -> dict:
        d = asdict(self)
        d.pop("hash")
        return d

    def computed_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.body())).hexdigest()

    def is_intact(self) -> bool:
        return self.hash == self.computed_hash()

    @property
    def writes(self) -> list[dict]:
        return list(self.payload.get("writes", ()))

    def to_json(self) -> bytes:
        return canonical_json(asdict(self))

    @classmethod
    def from_dict(cls, d: dict) -> "Event":
        return cls(
            event_id=d["event_id"],
            case_id=d["case_id"],
            author=d["author"],
            device=d["device"],
            lamport=int(d["lamport"]),
            time=d["time"],
            type=d["type"],
            payload=d.get("payload") or {},
            prev_hash=d.get("prev_hash", GENESIS),
            hash=d.get("hash", ""),
        )


def make_event(
    *,
    case_id: str,
    author: str,
    device: str,
    lamport: int,
    type: str,
    payload: dict,
    prev_hash: str,
    event_id: str | None = None,
    time: str | None = None,
) -> Event:
    """A new event with its hash computed. The payload is normalised through canonical JSON so that the
    stored form and the hashed form are the same object."""
    payload = json.loads(canonical_json(payload))
    ev = Event(
        event_id=event_id or uuid7(),
        case_id=case_id,
        author=author,
        device=device,
        lamport=lamport,
        time=time or utc_now(),
        type=type,
        payload=payload,
        prev_hash=prev_hash,
    )
    return Event(**{**ev.body(), "hash": ev.computed_hash()})


def write(entity: str, entity_id: str, field_name: str, value: Any, supersedes: Iterable[str] = ()) -> dict:
    """One register write for an event's ``writes`` list."""
    return {"entity": entity, "id": entity_id, "field": field_name, "value": value, "supersedes": sorted(supersedes)}


# Event types (payload keys in brackets). Every type that changes state carries ``writes``.
CASE_CREATED = "case.created"  # [info]
IMPORT_BATCH = "import.batch"  # [batch_id, files, tables]
SCREEN_RUN = "screen.run"  # [run_id, ruleset_version, kb_hash, batch_hashes, hit_count, not_run, total_amount]
HIT_REVIEWED = "hit.reviewed"  # writes (hit, hit_id, review) = {"status", "reason"}
FINDING_CREATED = "finding.created"  # writes (finding, id, <field>) for each field
FINDING_UPDATED = "finding.updated"  # writes (finding, id, <field>)
EVIDENCE_ADDED = "evidence.added"  # [evidence_id, sha256, size, original_name, kind, media_type]; writes (evidence, id, finding_id|note)
DOCUMENT_ISSUED = "document.issued"  # [doc, doc_no, sha256, file_name]
STAGE_CHANGED = "stage.changed"  # writes (case, case_id, stage) = {"stage", "override_reason"}
CONFLICT_RESOLVED = "conflict.resolved"  # writes one register, superseding every concurrent value
CHECKPOINT = "checkpoint"  # [heads, signature]
PACKAGE_MERGED = "package.merged"  # [package_id, signer, seq, events]
