"""The event log inside the case store: hash-chained per (author, device), append-only by triggers, with
signed checkpoints over the chain heads (architecture decision 4, research §6)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from feijian.crypto.identity import Identity, key_id_of, raw_public
from feijian.crypto.sealing import b64, unb64
from feijian.domain.events import CHECKPOINT, GENESIS, Event, canonical_json, make_event
from feijian.store.errors import ChainError

CHECKPOINT_DOMAIN = b"feijian/checkpoint/v1\n"
_COLUMNS = "event_id, case_id, author, device, lamport, time, type, payload, prev_hash, hash"


def insert(conn, ev: Event) -> None:
    conn.execute(f"INSERT INTO events ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                 (ev.event_id, ev.case_id, ev.author, ev.device, ev.lamport, ev.time, ev.type,
                  canonical_json(ev.payload).decode("utf-8"), ev.prev_hash, ev.hash))


def _row_to_event(row) -> Event:
    return Event(event_id=row[0], case_id=row[1], author=row[2], device=row[3], lamport=row[4], time=row[5],
                 type=row[6], payload=json.loads(row[7]), prev_hash=row[8], hash=row[9])


def all_events(conn) -> list[Event]:
    return [_row_to_event(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM events ORDER BY seq")]


def head(conn, author: str, device: str) -> str:
    row = conn.execute("SELECT hash FROM events WHERE author = ? AND device = ? ORDER BY seq DESC LIMIT 1",
                       (author, device)).fetchone()
    return row[0] if row else GENESIS


def next_lamport(conn) -> int:
    return (conn.execute("SELECT MAX(lamport) FROM events").fetchone()[0] or 0) + 1


def append(conn, case_id: str, identity: Identity, type: str, payload: dict) -> Event:
    ev = make_event(case_id=case_id, author=identity.key_id, device=identity.device_id, lamport=next_lamport(conn),
                    type=type, payload=payload, prev_hash=head(conn, identity.key_id, identity.device_id))
    insert(conn, ev)
    return ev


def heads(conn) -> dict[str, dict]:
    """Every chain's head: ``author/device`` → {hash, count, lamport}."""
    out = {}
    for author, device, count in conn.execute("SELECT author, device, COUNT(*) FROM events GROUP BY author, device"):
        h, lamport = conn.execute("SELECT hash, lamport FROM events WHERE author=? AND device=? ORDER BY seq DESC LIMIT 1",
                                  (author, device)).fetchone()
        out[f"{author}/{device}"] = {"hash": h, "count": count, "lamport": lamport}
    return out


def checkpoint_message(case_id: str, chain_heads: dict) -> bytes:
    return CHECKPOINT_DOMAIN + canonical_json({"case_id": case_id, "heads": chain_heads})


def checkpoint(conn, case_id: str, identity: Identity) -> Event:
    chain_heads = heads(conn)
    sig = identity.sign(checkpoint_message(case_id, chain_heads))
    payload = {"heads": chain_heads, "signing_public": b64(raw_public(identity.signing_key)), "signature": b64(sig)}
    return append(conn, case_id, identity, CHECKPOINT, payload)


def import_events(conn, case_id: str, events: list[Event]) -> int:
    """Add events from another laptop; already-known ones are skipped. Each must be intact, of this case and
    extend its chain without a gap or fork."""
    known = {r[0]: r[1] for r in conn.execute("SELECT event_id, hash FROM events")}
    added = 0
    for ev in sorted(events, key=lambda e: (e.author, e.device, e.lamport, e.event_id)):
        if not ev.is_intact():
            raise ChainError(f"事件 {ev.event_id} 的哈希不符 / event {ev.event_id}: hash mismatch")
        if ev.case_id != case_id:
            raise ChainError(f"事件 {ev.event_id} 属于另一个案件 / event {ev.event_id} belongs to case {ev.case_id}")
        if ev.event_id in known:
            if known[ev.event_id] != ev.hash:
                raise ChainError(f"事件 {ev.event_id} 与已有的不同 / event {ev.event_id} differs from the stored one")
            continue
        if head(conn, ev.author, ev.device) != ev.prev_hash:
            raise ChainError(f"事件 {ev.event_id} 不接续设备链 {ev.author}/{ev.device}（缺失或分叉）"
                             f" / event {ev.event_id} does not extend chain {ev.author}/{ev.device} (gap or fork)")
        insert(conn, ev)
        known[ev.event_id] = ev.hash
        added += 1
    return added


@dataclass
class ChainReport:
    chains: int
    events: int
    checkpoints: int
    problems: list[str]


def verify(events: list[Event], *, trusted_heads: dict | None = None) -> ChainReport:
    """Walk each (author, device) chain in order; name the first break of each chain exactly; check every
    checkpoint's signature and that the heads it signed are in the log."""
    problems: list[str] = []
    chains: dict[str, list[Event]] = {}
    for ev in events:
        chains.setdefault(f"{ev.author}/{ev.device}", []).append(ev)
    by_hash = {}
    for name, chain in chains.items():
        prev = GENESIS
        for i, ev in enumerate(chain, 1):
            if not ev.is_intact():
                problems.append(f"链 {name} 第 {i} 个事件 {ev.event_id}（{ev.type}）内容被改动 / chain {name}: event #{i} "
                                f"{ev.event_id} ({ev.type}) hash mismatch")
                break
            if ev.prev_hash != prev:
                problems.append(f"链 {name} 第 {i} 个事件 {ev.event_id} 断链 / chain {name}: event #{i} {ev.event_id} "
                                f"does not link to its predecessor (missing or reordered event)")
                break
            by_hash[ev.hash] = (name, i)
            prev = ev.hash
    checkpoints = [ev for ev in events if ev.type == CHECKPOINT]
    for ev in checkpoints:
        p = ev.payload
        try:
            pub = unb64(p["signing_public"])
            if key_id_of(pub) != ev.author:
                raise ValueError("signer")
            Ed25519PublicKey.from_public_bytes(pub).verify(unb64(p["signature"]), checkpoint_message(ev.case_id, p["heads"]))
        except (KeyError, ValueError, InvalidSignature, Exception):
            problems.append(f"检查点 {ev.event_id} 签名无效 / checkpoint {ev.event_id}: bad checkpoint signature")
            continue
        for name, h in p["heads"].items():
            if by_hash.get(h["hash"]) != (name, h["count"]):
                problems.append(f"检查点 {ev.event_id} 签署的链头 {name}#{h['count']} 不在日志中 / checkpoint "
                                f"{ev.event_id}: signed head {name}#{h['count']} is not in the log (rewritten or truncated)")
    for name, h in (trusted_heads or {}).items():
        if by_hash.get(h["hash"]) != (name, h["count"]):
            problems.append(f"日志没有延续可信链头 {name}#{h['count']} / log does not extend trusted head {name}#{h['count']}")
    return ChainReport(len(chains), len(events), len(checkpoints), problems)
