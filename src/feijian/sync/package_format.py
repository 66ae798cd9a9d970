"""The case package format's names (members, kinds, the manifest's format tag) and the small functions that
both the exporter (:mod:`feijian.sync.package`) and the verifier (:mod:`feijian.sync.verify`) apply to a
manifest: one place, so the writer and the reader cannot drift apart."""

from __future__ import annotations

import hashlib
from typing import Iterable

from feijian.domain.events import Event

PACKAGE_FORMAT = "feijian-package/1"
PACKAGE_EXPORTED = "package.exported"  # [package_id, kind, channel, seq, prev, manifest_sha256, sha256]
KINDS = ("lead", "bureau", "final")
SUMS = "SHA256SUMS"
SIG = "SHA256SUMS.minisig"
MANIFEST = "manifest.json"
EVENTS = "events.jsonl.age"
HITS = "hits.csv.age"
FINDINGS = "findings.csv.age"
TABLES_PREFIX = "tables/"  # tables/<table>.arrow.age: a case table as an Arrow IPC stream (issue 15)


def channel_of(kind: str) -> str:
    return "lead" if kind == "lead" else "bureau"


def trusted_comment(manifest: dict) -> str:
    """The minisign trusted comment: binds the signature to the manifest's identity fields."""
    return (f"feijian-package {manifest['package_id']} case={manifest['case_id']} kind={manifest['kind']} "
            f"seq={manifest['seq']} signer={manifest['signer']}")


def audit_head(events: Iterable[Event]) -> dict:
    """The audit-log head carried in the manifest: the number of events and a digest of their hashes."""
    hashes = sorted({e.hash for e in events})
    return {"count": len(hashes), "digest": hashlib.sha256("\n".join(hashes).encode("ascii")).hexdigest()}
