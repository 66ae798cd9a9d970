"""The team lead's merge (architecture decision 4; research §5).

Each inspector's package is verified (addressed to this lead, of this case, signer enrolled, fresh in the
signer's chain to the lead), its events are added to the lead's case (a union: known events are skipped,
each must be intact and extend its author's chain), and the original package is kept beside the case file
so the lead's final package can embed it unchanged. The state is a deterministic fold of the union;
concurrent edits of one field show up as conflicts (``fold(...).conflicts()``) that the lead resolves with
a ``conflict.resolved`` event superseding every candidate. Export stays blocked until amounts and
statuses are resolved.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from feijian.domain import events as ev_types
from feijian.domain.errors import InputError
from feijian.domain.events import Event, write
from feijian.domain.progress import CancelledFn, ProgressFn, check_cancelled, report
from feijian.domain.projection import Register
from feijian.sync.reasons import Rejected
from feijian.sync.verify import ChainHead, MemoryChain, VerifiedPackage, open_verified


def merge_events(*event_sets: Iterable[Event]) -> list[Event]:
    """The union of event sets: each event once, in a deterministic order (Lamport counter, then id).

    Refuses a damaged event (hash mismatch), two different events under one id, and equivocation (one
    author and device with two different events after the same previous hash: a forked log)."""
    by_id: dict[str, Event] = {}
    by_prev: dict[tuple[str, str, str], str] = {}
    for events in event_sets:
        for e in events:
            if not e.is_intact():
                raise Rejected("EVENT_INVALID", e.event_id, "hash mismatch")
            known = by_id.get(e.event_id)
            if known is not None:
                if known.hash != e.hash:
                    raise Rejected("EVENT_INVALID", e.event_id, "two different events with one id")
                continue
            link = (e.author, e.device, e.prev_hash)
            if link in by_prev and by_prev[link] != e.event_id:
                raise Rejected("CHAIN_FORK", e.event_id, f"forked log of {e.author}/{e.device}")
            by_prev[link] = e.event_id
            by_id[e.event_id] = e
    return sorted(by_id.values(), key=lambda e: (e.lamport, e.event_id))


def packages_dir(store) -> Path:
    """Where a lead keeps the inspectors' original packages (signed ciphertext, no plaintext)."""
    p = Path(store.path)
    return p.with_name(p.stem + ".packages")


def merged_sources(store) -> list[Path]:
    """The original packages merged into this case, for the lead's final package."""
    out = []
    for e in store.events():
        if e.type == ev_types.PACKAGE_MERGED:
            p = packages_dir(store) / f"{e.payload['package_id']}.fjpkg"
            if not p.exists():
                raise InputError(f"找不到已合并的检查员包 / merged package missing: {p}")
            out.append(p)
    return out


class StoreChain(MemoryChain):
    """The lead's memory of accepted packages: its ``package.merged`` events."""

    def __init__(self, events: Iterable[Event]) -> None:
        super().__init__()
        for e in events:
            if e.type == ev_types.PACKAGE_MERGED:
                p = e.payload
                self.packages.add(p["package_id"])
                key = (e.case_id, p["signer"], "lead")
                if key not in self.heads or self.heads[key].seq < p["seq"]:
                    self.heads[key] = ChainHead(p["seq"], p["manifest_sha256"], p.get("audit_count", 0))


@dataclass
class MergeReport:
    packages: list[dict] = field(default_factory=list)  # manifests merged
    events_added: int = 0
    evidence_added: int = 0
    conflicts: list[Register] = field(default_factory=list)


def merge_packages(store, paths: Iterable[Path], *, trust, identity=None, progress: ProgressFn | None = None,
                   cancelled: CancelledFn | None = None) -> MergeReport:
    """Verify each inspector package and merge them all into the lead's ``store`` in one transaction.

    Fails closed: if any package is rejected nothing is merged (:class:`Rejected` names the package)."""
    identity = identity or store.identity
    if identity is None:
        raise InputError("合并需要解锁组长身份 / merging needs the lead's unlocked identity")
    paths = [Path(p) for p in paths]
    chain = StoreChain(store.events())
    opened: list[tuple[Path, VerifiedPackage]] = []
    try:
        for i, path in enumerate(paths):
            check_cancelled(cancelled)
            try:
                pkg = open_verified(path, trust, recipient_public=identity.public.encryption_public,
                                    case_id=store.info.case_id, chain=chain, decrypt_key=identity.encryption_key)
            except Rejected as exc:
                raise Rejected(exc.code, f"{path.name}:{exc.member}" if exc.member else path.name, exc.detail) from None
            if pkg.manifest["kind"] != "lead":
                pkg.close()
                raise Rejected("MANIFEST_INVALID", path.name, "only inspector packages to the lead are merged")
            chain.accept(pkg.manifest, pkg.manifest_sha256)
            opened.append((path, pkg))
            report(progress, i + 1, len(paths) + 1, path.name)
        all_events = merge_events(store.events(), *(pkg.events(identity.encryption_key) for _, pkg in opened))
        out = MergeReport()
        dest_dir = packages_dir(store)
        dest_dir.mkdir(parents=True, exist_ok=True)
        importer = getattr(store, "import_evidence", None)
        with store.transaction():
            out.events_added = store.import_events(all_events)
            known = {item.evidence_id for item in store.evidence_items()} if importer else set()
            for path, pkg in opened:
                m = pkg.manifest
                if importer is not None:
                    for meta in m["evidence"]:
                        if meta["evidence_id"] not in known:
                            importer(meta["evidence_id"], pkg.evidence(meta["evidence_id"], identity.encryption_key))
                            known.add(meta["evidence_id"])
                            out.evidence_added += 1
                shutil.copyfile(path, dest_dir / f"{m['package_id']}.fjpkg")
                store.append_event(ev_types.PACKAGE_MERGED, {
                    "package_id": m["package_id"], "signer": m["signer"], "seq": m["seq"],
                    "manifest_sha256": pkg.manifest_sha256, "events": m["counts"]["events"],
                    "audit_count": m["audit_head"]["count"]})
                out.packages.append(m)
        out.conflicts = store.state().conflicts()
        report(progress, len(paths) + 1, len(paths) + 1, "")
        return out
    finally:
        for _, pkg in opened:
            pkg.close()


def conflict_view(register: Register) -> list[dict]:
    """The side-by-side view of one conflict: each candidate with its author, device and time."""
    return [{"event_id": c.event_id, "author": c.author, "device": c.device, "time": c.time, "value": c.value}
            for c in register.candidates]


def resolve_conflict(store, entity: str, entity_id: str, field_name: str, value: Any, *, reason: str = "") -> Event:
    """The lead's resolution: one write superseding every concurrent value of the register."""
    state = store.state()
    reg = state.registers.get((entity, entity_id, field_name))
    if reg is None:
        raise InputError(f"没有此字段 / no such field {entity}:{entity_id}:{field_name}")
    return store.append_event(ev_types.CONFLICT_RESOLVED, {
        "writes": [write(entity, entity_id, field_name, value, supersedes=reg.heads)],
        "reason": reason, "candidates": [c.event_id for c in reg.candidates]})


def resolution_event_payload(register: Register, value: Any, reason: str = "") -> dict:
    """The payload of a resolution (for callers building events without a store)."""
    e, i, f = register.key
    return {"writes": [write(e, i, f, value, supersedes=register.heads)], "reason": reason,
            "candidates": [c.event_id for c in register.candidates]}


