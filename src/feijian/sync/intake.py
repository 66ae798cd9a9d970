"""Bureau intake: verify both signature levels, decrypt with the intake key, import into the archive in
one transaction, return a signed receipt (the chain-of-custody hand-over), refuse a package already imported.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from feijian.crypto import minisign
from feijian.crypto.identity import raw_public
from feijian.domain.events import canonical_json, utc_now
from feijian.domain.progress import CancelledFn, ProgressFn, check_cancelled, report
from feijian.domain.projection import fold
from feijian.sync.archive import Archive
from feijian.sync.clue_lists import record_feedback
from feijian.sync.merge import merge_events
from feijian.sync.package_format import MANIFEST
from feijian.sync.reasons import Rejected
from feijian.sync.verify import open_verified

RECEIPT_FORMAT = "feijian-receipt/1"


@dataclass(frozen=True)
class Receipt:
    package_id: str
    case_id: str
    body: bytes  # canonical JSON
    signature: str  # minisign signature of ``body`` by the bureau's signing key

    def verify(self, bureau_signing_public: bytes) -> dict:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        import json

        minisign.verify(self.body, self.signature, Ed25519PublicKey.from_public_bytes(bureau_signing_public))
        return json.loads(self.body)

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        p = folder / f"{self.package_id}.receipt.json"
        p.write_bytes(self.body)  # exactly the signed bytes: `minisign -V -p bureau.pub -m FILE` checks it
        (folder / f"{self.package_id}.receipt.json.minisig").write_text(self.signature)
        return p


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def intake_one(path: Path, archive: Archive, *, bureau_keys, trust) -> Receipt:
    """Verify and import one package into an open archive; returns the signed receipt."""
    key = bureau_keys.intake_key
    intake_public = raw_public(key)
    try:
        pkg = open_verified(path, trust, recipient_public=intake_public, chain=archive, decrypt_key=key)
    except Rejected as exc:
        raise Rejected(exc.code, f"{Path(path).name}:{exc.member}" if exc.member else Path(path).name,
                       exc.detail) from None
    with pkg:
        m = pkg.manifest
        if m["kind"] == "lead":
            raise Rejected("WRONG_RECIPIENT", f"{Path(path).name}:{MANIFEST}", "a package to the lead, not the bureau")
        case_id = m["case_id"]
        imported_at = utc_now()
        sha = _file_sha256(Path(path))
        try:
            events = merge_events(pkg.events(key), *(s.events(key) for s in pkg.sources))
            added = archive.put_events(case_id, events, m["package_id"])
            evidence_n = 0
            taken: set[str] = set()
            for holder in [pkg, *pkg.sources]:
                for meta in holder.manifest["evidence"]:
                    eid = meta["evidence_id"]
                    if eid in taken:
                        continue
                    # open_verified (with the key) already decrypted it and checked its plaintext hash
                    existing = archive.has_evidence(case_id, eid)
                    if existing is not None:
                        if existing != meta["sha256"]:
                            raise Rejected("HASH_MISMATCH", meta["member"], "differs from the archived evidence")
                    else:
                        archive.put_evidence(case_id, meta, holder.member_ciphertext(meta["member"]), m["package_id"])
                        evidence_n += 1
                    taken.add(eid)
            for holder in [pkg, *pkg.sources]:
                for meta in holder.manifest["documents"]:
                    archive.put_document(case_id, meta, holder.member_ciphertext(meta["member"]), m["package_id"])
            for src in m["sources"]:
                archive.put_source(m["package_id"], src)
            tables_holder = next((h for h in [pkg, *pkg.sources] if h.table_names()), None)
            table_rows: dict[str, int] = {}
            superseded = None
            if tables_holder is not None:
                loaded = archive.cases.replace_case(
                    case_id, m["package_id"], m["created"],
                    {t: tables_holder.table(t, key) for t in tables_holder.table_names()})
                if loaded is None:
                    superseded = archive.cases.current(case_id)["package_id"]
                else:
                    table_rows = loaded
            all_events = [e for e in _archived_events(archive, case_id)]
            findings = fold(all_events).entities("finding")
            archive.put_findings(case_id, findings, m["package_id"])
            clues_n = record_feedback(archive, case_id, all_events, m["package_id"])
            body = canonical_json({
                "format": RECEIPT_FORMAT, "package_id": m["package_id"], "case_id": case_id, "kind": m["kind"],
                "signer": m["signer"], "seq": m["seq"], "package_sha256": sha,
                "manifest_sha256": pkg.manifest_sha256, "imported_at": imported_at,
                "bureau": bureau_keys.public().key_id, "events_added": added, "evidence_added": evidence_n,
                "findings": len(findings), "sources": [s["package_id"] for s in m["sources"]],
                **({"table_rows": table_rows} if table_rows else {}),
                **({"bureau_clues": clues_n} if clues_n else {}),
                **({"tables_superseded_by": superseded} if superseded else {})})
            sig = minisign.sign(body, bureau_keys.signing_key, bytes.fromhex(bureau_keys.public().key_id),
                                f"feijian receipt {m['package_id']} sha256={sha}")
            archive.put_package(m, pkg.manifest_sha256, sha, imported_at,
                                canonical_json({"receipt": body.decode("utf-8"), "signature": sig}).decode("utf-8"))
            archive.commit()
        except BaseException:
            archive.rollback()
            raise
    return Receipt(m["package_id"], case_id, body, sig)


def _archived_events(archive: Archive, case_id: str):
    import json

    from feijian.domain.events import Event

    for r in archive._query("SELECT event_id, case_id, author, device, lamport, time, type, payload, prev_hash, hash "
                            "FROM events WHERE case_id = ?", (case_id,)):
        yield Event(r[0], r[1], r[2], r[3], int(r[4]), r[5], r[6], json.loads(r[7]), r[8], r[9])


def intake(paths: Iterable[Path], archive: str | Path, *, bureau_keys, trust, progress: ProgressFn | None = None,
           cancelled: CancelledFn | None = None, analyze: bool = True) -> list[Receipt]:
    """Import packages into the archive (a SQLite path or a PostgreSQL URL); stops at the first rejection
    (earlier packages stay imported, each was its own transaction). On PostgreSQL the batch ends with
    ``ANALYZE`` of the archive tables and partitions whose statistics went stale
    (``CaseTables.stale_statistics``; ``analyze=False``: not, for the benchmark)."""
    paths = [Path(p) for p in paths]
    receipts = []
    with Archive.open(archive, bureau_keys=bureau_keys) as a:
        for i, p in enumerate(paths):
            check_cancelled(cancelled)
            receipts.append(intake_one(p, a, bureau_keys=bureau_keys, trust=trust))
            report(progress, i + 1, len(paths), p.name)
        if a.postgres and analyze and receipts:
            a.cases.analyze_stale()  # once per batch: the tables whose rows changed by a tenth, or never analyzed
            a.commit()
    return receipts
