"""Shared builders for the package tests (imported by name, not a conftest): real identities, a real signed trust list, real events."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from feijian.crypto.identity import create_identity
from feijian.crypto.trust import BureauKeys, TrustList
from feijian.domain import events as E
from feijian.domain.events import make_event, write
from feijian.sync.package import EvidenceSource, PackageContent, write_package


@dataclass
class World:
    bureau: BureauKeys
    trust: TrustList
    lead: object
    inspectors: list
    outsider: object
    case_id: str = "CASE-2026-001"

    @property
    def intake_public(self) -> bytes:
        return self.bureau.public().intake_public


def make_world() -> World:
    bureau = BureauKeys.generate("测试医保局")
    lead = create_identity("组长", "L001", "lead")
    inspectors = [create_identity(f"检查员{i}", f"I00{i}") for i in range(3)]
    trust = TrustList(bureau=bureau.public())
    for ident in [lead, *inspectors]:
        trust = trust.add(ident.public)
    return World(bureau, trust.sign(bureau), lead, inspectors, create_identity("外人", "X999"))


class Chain:
    """An author's event chain (what a store does when it appends)."""

    def __init__(self, identity, case_id: str) -> None:
        self.identity = identity
        self.case_id = case_id
        self.prev = ""
        self.lamport = 0

    def event(self, type: str, payload: dict, *, lamport: int | None = None):
        self.lamport = max(self.lamport + 1, lamport or 0)
        ev = make_event(case_id=self.case_id, author=self.identity.public.key_id, device=self.identity.device_id,
                        lamport=self.lamport, type=type, payload=payload, prev_hash=self.prev)
        self.prev = ev.hash
        return ev


def evidence(data: bytes, eid: str | None = None) -> EvidenceSource:
    return EvidenceSource(eid or hashlib.sha256(data).hexdigest()[:12], hashlib.sha256(data).hexdigest(), len(data),
                          lambda: [data[i:i + 65536] for i in range(0, len(data), 65536)] or [b""])


def sample_content(world: World, author, *, n_evidence: int = 2) -> PackageContent:
    ch = Chain(author, world.case_id)
    evs = [ch.event(E.CASE_CREATED, {"info": {"case_id": world.case_id}})]
    evs.append(ch.event(E.FINDING_CREATED, {"writes": [write("finding", "F1", "title", "重复收费"),
                                                       write("finding", "F1", "amount", "1250.00"),
                                                       write("finding", "F1", "status", "draft")]}))
    items = []
    for i in range(n_evidence):
        data = os.urandom(3000) + f"证据{i}".encode()
        item = evidence(data, f"EV{i}")
        evs.append(ch.event(E.EVIDENCE_ADDED, {"evidence_id": item.evidence_id, "sha256": item.sha256,
                                               "size": item.size, "writes": [write("evidence", item.evidence_id,
                                                                                   "finding_id", "F1")]}))
        items.append(item)
    return PackageContent(world.case_id, evs, "hit_id,amount\nH1,12.50\n".encode(), items)


def build(world: World, path, author=None, *, kind: str = "bureau", seq: int = 1, prev: str = "",
          content: PackageContent | None = None, recipients: dict | None = None, package_id: str | None = None):
    author = author or world.inspectors[0]
    content = content or sample_content(world, author)
    if recipients is None:
        recipients = {"bureau": world.intake_public}
        if kind == "lead":
            recipients["lead"] = world.lead.public.encryption_public
    return write_package(path, content, author, kind=kind, recipients=recipients, seq=seq, prev=prev,
                         package_id=package_id)
