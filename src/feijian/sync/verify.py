"""Verifying a case package: a fixed order, fail closed, one reason code per failure naming the member.

Order (research §4.4, adapted to the minisign/SHA256SUMS format):

1. the container, before any content is read (:mod:`feijian.sync.archive_reader`);
2. ``SHA256SUMS`` and ``SHA256SUMS.minisig`` present;
3. the signer's key id is enrolled (not revoked) in the bureau trust list, then the signature verifies;
4. ``SHA256SUMS`` is strict, and it lists exactly the ZIP's members (none missing, none extra);
5. every member's SHA-256 (decoded straight from its local record), no nested archives outside ``sources/``;
6. the manifest: canonical JSON, the expected fields, bound to the signature's trusted comment, signed by
   the key it names, a role that may sign its kind, the members it lists, counts, case, recipient;
7. embedded inspector packages (final packages): each verified the same way, bound by hash;
8. with a decryption key: every event intact and of this case, the audit head, each evidence item's hash;
9. freshness against the receiver's state: package id never seen, seq = last + 1, prev = last manifest.

Nothing is written to disk; nothing is trusted before the step that checks it.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Optional, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from feijian.crypto import age, minisign
from feijian.domain.events import Event
from feijian.sync.archive_reader import ArchiveReader, Limits, check_name, load_canonical_json, looks_like_archive
from feijian.sync.package_format import (EVENTS, FINDINGS, HITS, KINDS, MANIFEST, PACKAGE_FORMAT, SIG, SUMS, TABLES_PREFIX,
                                         audit_head,
                                         channel_of, trusted_comment)
from feijian.sync.reasons import Rejected

SUMS_LINE = re.compile(r"^([0-9a-f]{64})  (\S+)$")
MANIFEST_FIELDS = {"format": str, "package_id": str, "case_id": str, "kind": str, "created": str, "signer": str,
                   "signer_role": str, "device": str, "recipients": list, "seq": int, "prev": str,
                   "audit_head": dict, "counts": dict, "evidence": list, "documents": list, "sources": list,
                   "members": list}
OPTIONAL_MANIFEST_FIELDS = {"tables": list}  # case tables for the bureau archive (issue 15); older packages lack it
MAX_SMALL = 64 << 20  # manifest, sums, signature, events


@dataclass(frozen=True)
class ChainHead:
    seq: int
    manifest_sha256: str
    audit_count: int = 0


class ChainState(Protocol):
    """The receiver's memory of what it accepted (the lead's case store, the bureau archive)."""

    def seen(self, package_id: str) -> bool: ...

    def last(self, case_id: str, signer: str, channel: str) -> Optional[ChainHead]: ...


@dataclass
class Verdict:
    ok: bool
    code: str = ""
    member: str = ""
    message: str = ""
    manifest: Optional[dict] = None
    signer: object = None  # the PublicIdentity from the trust list
    sha256: str = ""
    sources: list = field(default_factory=list)
    manifest_sha256: str = ""

    def __bool__(self) -> bool:
        return self.ok


@dataclass
class VerifiedPackage:
    """An open, verified package: read members in memory through it, then ``close()``."""

    reader: ArchiveReader
    manifest: dict
    manifest_sha256: str
    signer: object
    sha256: str
    sums: dict[str, str]
    sources: list["VerifiedPackage"] = field(default_factory=list)
    _events: Optional[list[Event]] = None
    _tables: dict = field(default_factory=dict)

    def close(self) -> None:
        for s in self.sources:
            s.close()
        self.reader.close()

    def __enter__(self) -> "VerifiedPackage":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def decrypt_member(self, name: str, key) -> bytes:
        data = self.reader.read(name)
        try:
            return age.decrypt(data, key)
        except age.AgeError as exc:
            raise Rejected("DECRYPT_FAILED", name, str(exc)) from None

    def events(self, key) -> list[Event]:
        if self._events is None:
            self._events = parse_events(self.decrypt_member(EVENTS, key), self.manifest)
        return self._events

    def evidence(self, evidence_id: str, key) -> bytes:
        meta = next((e for e in self.manifest["evidence"] if e["evidence_id"] == evidence_id), None)
        if meta is None:
            raise Rejected("MEMBER_MISSING", f"evidence/{evidence_id}")
        data = self.decrypt_member(meta["member"], key)
        if len(data) != meta["size"] or hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise Rejected("HASH_MISMATCH", meta["member"], "decrypted evidence differs from its recorded hash")
        return data

    def check_evidence(self, evidence_id: str, key) -> None:
        """Decrypt an evidence member as a stream and check its size and SHA-256 without keeping it."""
        meta = next((e for e in self.manifest["evidence"] if e["evidence_id"] == evidence_id), None)
        if meta is None:
            raise Rejected("MEMBER_MISSING", f"evidence/{evidence_id}")
        name = meta["member"]
        try:
            age.check_header(self.reader.head(name, 64 * 1024))
            sink = _HashSink()
            age.decrypt_stream(_ChunkReader(self.reader.iter_chunks(name)), sink, key)
        except age.AgeError as exc:
            raise Rejected("DECRYPT_FAILED", name, str(exc)) from None
        if sink.n != meta["size"] or sink.h.hexdigest() != meta["sha256"]:
            raise Rejected("HASH_MISMATCH", name, "decrypted evidence differs from its recorded hash")

    def table_names(self) -> list[str]:
        return [t["table"] for t in self.manifest.get("tables", [])]

    def table(self, table: str, key):
        """A carried case table as a ``pyarrow.Table`` (decrypted in memory, its plaintext hash checked)."""
        import pyarrow as pa

        if table in self._tables:
            return self._tables[table]
        meta = next((t for t in self.manifest.get("tables", []) if t["table"] == table), None)
        if meta is None:
            raise Rejected("MEMBER_MISSING", f"{TABLES_PREFIX}{table}")
        data = self.decrypt_member(meta["member"], key)
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise Rejected("HASH_MISMATCH", meta["member"], "decrypted table differs from its recorded hash")
        try:
            out = pa.ipc.open_stream(pa.BufferReader(data)).read_all()
        except (pa.ArrowInvalid, OSError) as exc:
            raise Rejected("MANIFEST_INVALID", meta["member"], f"not an Arrow stream: {exc}") from None
        if out.num_rows != meta["rows"]:
            raise Rejected("COUNT_MISMATCH", meta["member"], f"{out.num_rows} rows, the manifest says {meta['rows']}")
        self._tables[table] = out
        return out

    def optional_member(self, name: str, key) -> Optional[bytes]:
        return self.decrypt_member(name, key) if name in self.sums else None

    def member_ciphertext(self, name: str) -> bytes:
        return self.reader.read(name)


class _HashSink:
    def __init__(self) -> None:
        self.h = hashlib.sha256()
        self.n = 0

    def write(self, data) -> int:
        self.h.update(data)
        self.n += len(data)
        return len(data)

    def flush(self) -> None:
        pass


class _ChunkReader:
    def __init__(self, chunks) -> None:
        self.it = iter(chunks)
        self.buf = memoryview(b"")

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            out = bytes(self.buf) + b"".join(self.it)
            self.buf = memoryview(b"")
            return out
        while not len(self.buf):
            try:
                self.buf = memoryview(next(self.it))
            except StopIteration:
                return b""
        out, self.buf = bytes(self.buf[:n]), self.buf[n:]
        return out


def parse_events(data: bytes, manifest: dict) -> list[Event]:
    events = []
    seen = set()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for i, line in enumerate(lines, 1):
        d = load_canonical_json(line, f"{EVENTS}:{i}")
        if not isinstance(d, dict):
            raise Rejected("EVENT_INVALID", f"{EVENTS}:{i}")
        try:
            ev = Event.from_dict(d)
        except (KeyError, TypeError, ValueError):
            raise Rejected("EVENT_INVALID", f"{EVENTS}:{i}", "missing fields") from None
        if ev.to_json() != line:
            raise Rejected("EVENT_INVALID", f"{EVENTS}:{i}", "unknown or extra fields")
        if not ev.is_intact():
            raise Rejected("EVENT_INVALID", f"{EVENTS}:{i}", f"hash mismatch {ev.event_id}")
        if ev.case_id != manifest["case_id"]:
            raise Rejected("EVENT_INVALID", f"{EVENTS}:{i}", "event of another case")
        if ev.event_id in seen:
            raise Rejected("EVENT_INVALID", f"{EVENTS}:{i}", "duplicate event")
        seen.add(ev.event_id)
        events.append(ev)
    if audit_head(events) != manifest["audit_head"] or len(events) != manifest["counts"].get("events"):
        raise Rejected("COUNT_MISMATCH", EVENTS, "events differ from the manifest's audit head")
    return events


def _lookup(trust, key_id: str):
    if isinstance(trust, dict):
        return trust.get(key_id), False
    found = trust.find(key_id)
    revoked = found is None and key_id in set(getattr(trust, "revoked", ()) or ())
    return found, revoked


def _check_manifest(m: object) -> dict:
    if not isinstance(m, dict):
        raise Rejected("MANIFEST_INVALID", MANIFEST, "not an object")
    missing = set(MANIFEST_FIELDS) - set(m)
    extra = set(m) - set(MANIFEST_FIELDS) - set(OPTIONAL_MANIFEST_FIELDS)
    if missing or extra:
        raise Rejected("MANIFEST_INVALID", MANIFEST, f"fields missing {sorted(missing)} extra {sorted(extra)}")
    for k, t in MANIFEST_FIELDS.items():
        if not isinstance(m[k], t) or (t is int and isinstance(m[k], bool)):
            raise Rejected("MANIFEST_INVALID", MANIFEST, f"field {k} has the wrong type")
    for k, t in OPTIONAL_MANIFEST_FIELDS.items():
        if k in m and not isinstance(m[k], t):
            raise Rejected("MANIFEST_INVALID", MANIFEST, f"field {k} has the wrong type")
    if m["format"] != PACKAGE_FORMAT:
        raise Rejected("MANIFEST_INVALID", MANIFEST, f"unknown format {m['format']!r}")
    if m["kind"] not in KINDS:
        raise Rejected("MANIFEST_INVALID", MANIFEST, f"unknown kind {m['kind']!r}")
    if m["seq"] < 1 or (m["seq"] == 1) != (m["prev"] == "") or (m["prev"] and not re.fullmatch(r"[0-9a-f]{64}", m["prev"])):
        raise Rejected("MANIFEST_INVALID", MANIFEST, "seq/prev malformed")
    return m


def open_verified(source: str | Path | BinaryIO, trust, *, recipient_public: bytes | None = None,
                  case_id: str | None = None, chain: ChainState | None = None, decrypt_key=None,
                  limits: Limits = Limits(), nested: bool = False) -> VerifiedPackage:
    """Verify a package and keep it open for reading; raises :class:`Rejected` on the first failure."""
    reader = ArchiveReader(source, limits)  # step 1
    try:
        return _verify_open(reader, trust, recipient_public=recipient_public, case_id=case_id, chain=chain,
                            decrypt_key=decrypt_key, limits=limits, nested=nested)
    except BaseException:
        reader.close()
        raise


def _verify_open(reader: ArchiveReader, trust, *, recipient_public, case_id, chain, decrypt_key, limits,
                 nested) -> VerifiedPackage:
    names = set(reader.names())
    # 2. signature files present
    if SUMS not in names:
        raise Rejected("SUMS_MISSING", SUMS)
    if SIG not in names:
        raise Rejected("SIG_MISSING", SIG)
    sums_bytes = reader.read(SUMS, max_size=MAX_SMALL)
    sig_bytes = reader.read(SIG, max_size=64 * 1024)
    # 3. signer enrolled, then the signature
    try:
        parsed = minisign.parse_signature(sig_bytes)
    except minisign.SignatureError as exc:
        raise Rejected("SIG_MALFORMED", SIG, str(exc)) from None
    if parsed.algorithm != minisign.SIG_ALG_PREHASHED:
        raise Rejected("SIG_MALFORMED", SIG, "only the prehashed ED algorithm is accepted")
    key_id = parsed.key_id.hex()
    signer, revoked = _lookup(trust, key_id)
    if signer is None:
        raise Rejected("SIGNER_REVOKED" if revoked else "SIGNER_UNKNOWN", SIG, key_id)
    try:
        comment = minisign.verify(sums_bytes, sig_bytes, Ed25519PublicKey.from_public_bytes(signer.signing_public),
                                  key_id8=parsed.key_id)
    except minisign.SignatureError as exc:
        raise Rejected("SIG_INVALID", SUMS, str(exc)) from None
    # 4. SHA256SUMS strict; exactly the members
    try:
        text = sums_bytes.decode("ascii")
    except UnicodeDecodeError:
        raise Rejected("SUMS_MALFORMED", SUMS, "not ASCII") from None
    if not text.endswith("\n"):
        raise Rejected("SUMS_MALFORMED", SUMS, "no final newline")
    sums: dict[str, str] = {}
    for line in text[:-1].split("\n"):
        mt = SUMS_LINE.match(line)
        if not mt:
            raise Rejected("SUMS_MALFORMED", SUMS, f"bad line {line[:80]!r}")
        name = mt.group(2)
        try:
            check_name(name.encode("ascii"))
        except Rejected as exc:
            raise Rejected("SUMS_MALFORMED", name, exc.code) from None
        if name in sums or name in (SUMS, SIG):
            raise Rejected("SUMS_MALFORMED", name, "listed twice")
        sums[name] = mt.group(1)
    if list(sums) != sorted(sums):
        raise Rejected("SUMS_MALFORMED", SUMS, "lines not sorted")
    for name in sorted(sums):
        if name not in names:
            raise Rejected("MEMBER_MISSING", name)
    for name in sorted(names - set(sums) - {SUMS, SIG}):
        raise Rejected("MEMBER_EXTRA", name)
    # 5. every hash, nested archives
    for name in sorted(sums):
        h = hashlib.sha256()
        first = True
        for chunk in reader.iter_chunks(name):
            if first:
                if not name.startswith("sources/") and looks_like_archive(name, chunk[:512]):
                    raise Rejected("NESTED_ARCHIVE", name)
                first = False
            h.update(chunk)
        if first and not name.startswith("sources/") and looks_like_archive(name, b""):
            raise Rejected("NESTED_ARCHIVE", name)
        if h.hexdigest() != sums[name]:
            raise Rejected("HASH_MISMATCH", name)
    # 6. the manifest
    if MANIFEST not in sums:
        raise Rejected("MANIFEST_MISSING", MANIFEST)
    manifest_bytes = reader.read(MANIFEST, max_size=MAX_SMALL)
    m = _check_manifest(load_canonical_json(manifest_bytes, MANIFEST))
    if m["signer"] != key_id:
        raise Rejected("SIGNER_MISMATCH", MANIFEST, f"manifest names {m['signer']}, signed by {key_id}")
    if comment != trusted_comment(m):
        raise Rejected("MANIFEST_INVALID", SIG, "trusted comment does not match the manifest")
    role = str(getattr(signer, "role", ""))
    if m["signer_role"] != role or (m["kind"] == "final" and role != "lead"):
        raise Rejected("ROLE_MISMATCH", MANIFEST, f"{role} cannot sign a {m['kind']} package as {m['signer_role']}")
    if nested and m["kind"] != "lead":
        raise Rejected("MANIFEST_INVALID", MANIFEST, "an embedded package must be an inspector's package to the lead")
    listed = set(m["members"]) | {MANIFEST}
    if m["members"] != sorted(set(m["members"])):
        raise Rejected("MANIFEST_INVALID", MANIFEST, "members not sorted or repeated")
    for name in sorted(set(sums) - listed):
        raise Rejected("MEMBER_EXTRA", name, "not in the manifest")
    for name in sorted(listed - set(sums)):
        raise Rejected("MEMBER_MISSING", name, "listed in the manifest")
    _check_members(m, sums)
    if case_id is not None and m["case_id"] != case_id:
        raise Rejected("WRONG_CASE", MANIFEST, m["case_id"])
    if recipient_public is not None and age.recipient(recipient_public) not in {r.get("age") for r in m["recipients"] if isinstance(r, dict)}:
        raise Rejected("WRONG_RECIPIENT", MANIFEST)
    pkg = VerifiedPackage(reader, m, hashlib.sha256(manifest_bytes).hexdigest(), signer, "", sums)
    # 7. embedded inspector packages
    for src in m["sources"]:
        data = reader.read(src["member"])
        try:
            inner = open_verified(io.BytesIO(data), trust, recipient_public=recipient_public,
                                  case_id=m["case_id"], decrypt_key=decrypt_key, limits=limits, nested=True)
        except Rejected as exc:
            raise Rejected("SOURCE_INVALID", f"{src['member']}:{exc.member}", exc.code) from None
        if inner.manifest_sha256 != src["manifest_sha256"] or inner.manifest["package_id"] != src["package_id"] \
                or inner.manifest["signer"] != src["signer"] or inner.manifest["seq"] != src["seq"]:
            raise Rejected("SOURCE_INVALID", src["member"], "manifest differs from the one the lead listed")
        inner.sha256 = src["sha256"]
        pkg.sources.append(inner)
    # 8. contents, with the key
    if decrypt_key is not None:
        events = pkg.events(decrypt_key)
        evidence_events = {e.payload.get("evidence_id"): e.payload for e in events if e.type == "evidence.added"}
        for meta in m["evidence"]:
            pkg.check_evidence(meta["evidence_id"], decrypt_key)
            recorded = evidence_events.get(meta["evidence_id"])
            if recorded is not None and recorded.get("sha256") not in (None, meta["sha256"]):
                raise Rejected("HASH_MISMATCH", meta["member"], "differs from the hash recorded at acquisition")
        for t in m.get("tables", []):
            pkg.table(t["table"], decrypt_key)
        for src in pkg.sources:  # the lead may not alter what an inspector sent
            ours = {e["evidence_id"]: e["sha256"] for e in m["evidence"]}
            for e in src.manifest["evidence"]:
                if e["evidence_id"] in ours and ours[e["evidence_id"]] != e["sha256"]:
                    raise Rejected("SOURCE_INVALID", e["member"], "the lead's copy differs from the inspector's")
            known = {ev.event_id: ev.hash for ev in events}
            for ev in src.events(decrypt_key):
                if ev.event_id in known and known[ev.event_id] != ev.hash:
                    raise Rejected("SOURCE_INVALID", EVENTS, f"event {ev.event_id} differs")
    # 9. freshness
    if chain is not None:
        check_fresh(m, pkg.manifest_sha256, chain)
    return pkg


def _check_members(m: dict, sums: dict[str, str]) -> None:
    counts = m["counts"]
    ev_members = {e.get("member") for e in m["evidence"] if isinstance(e, dict)}
    doc_members = {d.get("member") for d in m["documents"] if isinstance(d, dict)}
    src_members = {s.get("member") for s in m["sources"] if isinstance(s, dict)}
    tables = m.get("tables", [])
    tab_members = {t.get("member") for t in tables if isinstance(t, dict)}
    for group, prefix, members in (("evidence", "evidence/", ev_members), ("documents", "documents/", doc_members),
                                   ("sources", "sources/", src_members), ("tables", TABLES_PREFIX, tab_members)):
        actual = {n for n in sums if n.startswith(prefix)}
        if members != actual or counts.get(group, 0 if group == "tables" else None) != len(actual):
            raise Rejected("COUNT_MISMATCH", prefix.rstrip("/"), f"{group}: manifest and members differ")
    for t in tables:
        if not isinstance(t, dict) or set(t) != {"table", "member", "rows", "sha256"} or not isinstance(t["rows"], int) \
                or not isinstance(t["table"], str) or t["member"] != f"{TABLES_PREFIX}{t['table']}.arrow.age":
            raise Rejected("MANIFEST_INVALID", MANIFEST, "table entry malformed")
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", t["table"]):
            raise Rejected("MANIFEST_INVALID", MANIFEST, f"table name {t['table']!r}")
    for e in m["evidence"]:
        if set(e) != {"evidence_id", "member", "sha256", "size"} or not isinstance(e["size"], int):
            raise Rejected("MANIFEST_INVALID", MANIFEST, "evidence entry malformed")
    for s in m["sources"]:
        if set(s) != {"member", "package_id", "signer", "seq", "manifest_sha256", "sha256"}:
            raise Rejected("MANIFEST_INVALID", MANIFEST, "source entry malformed")
        if sums.get(s["member"]) != s["sha256"]:
            raise Rejected("HASH_MISMATCH", s["member"], "source package hash differs from the manifest")
    if m["sources"] and m["kind"] != "final":
        raise Rejected("MANIFEST_INVALID", MANIFEST, "only final packages embed sources")
    if EVENTS not in sums or FINDINGS not in sums:
        raise Rejected("MEMBER_MISSING", EVENTS if EVENTS not in sums else FINDINGS)
    allowed = {EVENTS, FINDINGS, HITS, MANIFEST}
    for n in sums:
        if n not in allowed and not n.startswith(("evidence/", "documents/", "sources/", TABLES_PREFIX)):
            raise Rejected("MEMBER_EXTRA", n, "not a member of the package format")


def check_fresh(m: dict, manifest_sha256: str, chain: ChainState) -> None:
    if chain.seen(m["package_id"]):
        raise Rejected("REPLAY", MANIFEST, m["package_id"])
    last = chain.last(m["case_id"], m["signer"], channel_of(m["kind"]))
    last_seq = last.seq if last else 0
    if m["seq"] <= last_seq:
        raise Rejected("ROLLBACK", MANIFEST, f"seq {m['seq']} after {last_seq}")
    if m["seq"] > last_seq + 1:
        raise Rejected("CHAIN_GAP", MANIFEST, f"seq {m['seq']} after {last_seq}")
    if m["prev"] != (last.manifest_sha256 if last else ""):
        raise Rejected("CHAIN_FORK", MANIFEST)
    if last and m["audit_head"].get("count", 0) < last.audit_count:
        raise Rejected("AUDIT_ROLLBACK", MANIFEST)


def verify_package(path: str | Path, trust, *, file_hash: bool = False, **options) -> Verdict:
    """Verify ``path`` against ``trust`` (a TrustList, or ``{key_id: PublicIdentity}``); never raises on a bad
    package: the verdict carries the reason code and member. Options as :func:`open_verified`; with
    ``file_hash`` the verdict also carries the package file's SHA-256 (one more pass over the file)."""
    try:
        pkg = open_verified(path, trust, **options)
    except Rejected as exc:
        return Verdict(False, exc.code, exc.member, str(exc))
    try:
        sha = ""
        if file_hash:
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            sha = h.hexdigest()
        return Verdict(True, "", "", "OK", pkg.manifest, pkg.signer, sha, [s.manifest for s in pkg.sources],
                       pkg.manifest_sha256)
    finally:
        pkg.close()


class MemoryChain:
    """A :class:`ChainState` in memory (tests, and a lead checking a batch of packages before merging)."""

    def __init__(self) -> None:
        self.packages: set[str] = set()
        self.heads: dict[tuple[str, str, str], ChainHead] = {}

    def seen(self, package_id: str) -> bool:
        return package_id in self.packages

    def last(self, case_id: str, signer: str, channel: str) -> Optional[ChainHead]:
        return self.heads.get((case_id, signer, channel))

    def accept(self, manifest: dict, manifest_sha256: str) -> None:
        self.packages.add(manifest["package_id"])
        self.heads[(manifest["case_id"], manifest["signer"], channel_of(manifest["kind"]))] = ChainHead(
            manifest["seq"], manifest_sha256, manifest["audit_head"].get("count", 0))
