"""The case package format and its export (issue 8; architecture decision 3).

A package (``*.fjpkg``) is a ZIP that stock tools can check::

    manifest.json           canonical JSON, no patient data: case, package id, kind, signer, recipients,
                            seq and prev (the chain per case, signer and channel), audit-log head, counts,
                            evidence hashes, the payload member list, embedded sources
    events.jsonl.age        every event of the case, one canonical JSON object a line      (age-encrypted)
    hits.csv.age            the latest screening's hits                                   (age-encrypted)
    findings.csv.age        the findings as the events fold them                          (age-encrypted)
    evidence/<id>.age       each evidence item                                            (age-encrypted)
    documents/<name>.age    each issued document (PDF)                                    (age-encrypted)
    sources/<pkg id>.fjpkg  final packages only: each inspector's original signed package, as received
    SHA256SUMS              ``sha256sum`` format, every member above
    SHA256SUMS.minisig      minisign ``ED`` signature of SHA256SUMS by the signer's key

Check by hand: ``unzip -d x p.fjpkg && cd x && minisign -V -p signer.pub -m SHA256SUMS && sha256sum -c
SHA256SUMS && age -d -i bureau.key evidence/<id>.age``. Encrypted members go to the recipients: for ``lead``
packages the case lead and the bureau intake key (so the bureau can read the inspector's package embedded
in the lead's final package); for ``bureau`` and ``final`` packages the bureau intake key.

Kinds: ``lead`` (inspector → lead), ``bureau`` (inspector → bureau), ``final`` (lead → bureau, embeds the
merged inspector packages, countersigning them). ``seq``/``prev`` run per (case, signer, channel) where the
channel is ``lead`` or ``bureau``; ``prev`` is the SHA-256 of the previous manifest of that chain.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from feijian.crypto import age, minisign
from feijian.domain.errors import FeijianError, InputError
from feijian.domain.events import Event, canonical_json, utc_now, uuid7
from feijian.domain.progress import CancelledFn, ProgressFn, check_cancelled, report
from feijian.domain.projection import fold
from feijian.sync.merge import merged_sources
from feijian.sync.package_format import (EVENTS, FINDINGS, HITS, KINDS, MANIFEST, PACKAGE_EXPORTED, PACKAGE_FORMAT, SIG,
                                         SUMS, TABLES_PREFIX, audit_head, channel_of, trusted_comment)

FINDING_FIELDS = ("finding_id", "title", "rule_code", "hit_ids", "amount", "legal_basis", "article",
                  "description", "category", "status", "deleted")
BLOCKING_FIELDS = {("finding", "amount"), ("finding", "status"), ("finding", "deleted"), ("hit", "review")}
_SAFE = re.compile(r"[^A-Za-z0-9._-]")
CHUNK = 1 << 20


class ExportBlocked(FeijianError):
    """Export refused while an amount or status is in conflict."""




def safe_member_name(text: str) -> str:
    out = _SAFE.sub("_", text).lstrip("._") or "x"
    return out[:120]






def events_jsonl(events: Iterable[Event]) -> bytes:
    ordered = sorted({e.event_id: e for e in events}.values(), key=lambda e: (e.lamport, e.event_id))
    return b"".join(e.to_json() + b"\n" for e in ordered)


def findings_csv(events: Iterable[Event]) -> bytes:
    """The findings as the events fold them, one row each (lists joined with ``;``)."""
    state = fold(events)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FINDING_FIELDS)
    for fid, fields in state.entities("finding").items():
        row = []
        for name in FINDING_FIELDS:
            v = fid if name == "finding_id" else fields.get(name, "")
            if isinstance(v, (list, tuple)):
                v = ";".join(map(str, v))
            row.append("" if v is None else str(v))
        w.writerow(row)
    return buf.getvalue().encode("utf-8")


def blocking_conflicts(events: Iterable[Event]) -> list:
    return [r for r in fold(events).conflicts() if (r.key[0], r.key[2]) in BLOCKING_FIELDS]


@dataclass
class EvidenceSource:
    evidence_id: str
    sha256: str  # hash at acquisition; checked again while packing
    size: int
    chunks: Callable[[], Iterable[bytes]]


@dataclass
class DocumentSource:
    name: str
    data: bytes


@dataclass
class PackageContent:
    case_id: str
    events: list[Event]
    hits_csv: Optional[bytes] = None
    evidence: list[EvidenceSource] = field(default_factory=list)
    documents: list[DocumentSource] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)  # final packages: the inspectors' original packages
    tables: dict = field(default_factory=dict)  # case tables for the bureau archive: {table: pyarrow.Table}


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    package_id: str
    case_id: str
    kind: str
    seq: int
    prev: str
    manifest_sha256: str
    sha256: str
    manifest: dict


class _HashingWriter:
    def __init__(self, raw) -> None:
        self.raw = raw
        self.h = hashlib.sha256()
        self.n = 0

    def write(self, data) -> int:
        self.h.update(data)
        self.n += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        pass


class _HashingReader:
    """A file-like reader over chunks that hashes what it hands out (the plaintext, once)."""

    def __init__(self, chunks: Iterable[bytes], cancelled: CancelledFn | None) -> None:
        self.it: Iterator[bytes] = iter(chunks)
        self.buf = memoryview(b"")
        self.h = hashlib.sha256()
        self.n = 0
        self.cancelled = cancelled

    def _next(self) -> bool:
        for chunk in self.it:
            check_cancelled(self.cancelled)
            if chunk:
                self.h.update(chunk)
                self.n += len(chunk)
                self.buf = memoryview(chunk)
                return True
        return False

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            parts = [bytes(self.buf)]
            while self._next():
                parts.append(bytes(self.buf))
            self.buf = memoryview(b"")
            return b"".join(parts)
        if not len(self.buf) and not self._next():
            return b""
        out, self.buf = bytes(self.buf[:n]), self.buf[n:]
        return out


def _zinfo(name: str, compress: bool) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    zi.create_system = 3
    zi.external_attr = 0o100644 << 16
    return zi


def _source_manifest(path: Path) -> tuple[dict, str, str]:
    """(manifest, manifest sha256, file sha256) of an embedded package, read with the safe reader."""
    from feijian.sync.archive_reader import ArchiveReader, load_canonical_json

    with ArchiveReader(path) as r:
        raw = r.read(MANIFEST, max_size=16 << 20)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return load_canonical_json(raw, MANIFEST), hashlib.sha256(raw).hexdigest(), h.hexdigest()


def write_package(out: Path, content: PackageContent, identity, *, kind: str, recipients: dict[str, bytes],
                  seq: int, prev: str, package_id: str | None = None,
                  progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> PackageInfo:
    """Write a signed package to ``out`` (atomically: a partial file is removed on any failure)."""
    if kind not in KINDS:
        raise InputError(f"未知的包类型 / unknown package kind: {kind}")
    if not recipients:
        raise InputError("没有接收方密钥 / no recipient keys")
    out = Path(out)
    package_id = package_id or uuid7()
    keys = [recipients[k] for k in sorted(recipients)]
    tmp = out.with_name(out.name + ".part")
    sums: dict[str, str] = {}
    total = sum(e.size for e in content.evidence) + 1
    done = 0
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=False) as zf:

            def put_bytes(name: str, data: bytes, *, encrypt: bool, compress: bool = False) -> None:
                payload = age.encrypt(data, keys) if encrypt else data
                zf.writestr(_zinfo(name, compress), payload)
                sums[name] = hashlib.sha256(payload).hexdigest()

            put_bytes(EVENTS, events_jsonl(content.events), encrypt=True)
            put_bytes(FINDINGS, findings_csv(content.events), encrypt=True)
            if content.hits_csv is not None:
                put_bytes(HITS, content.hits_csv, encrypt=True)
            evidence_meta = []
            seen_names: set[str] = set()
            for ev in sorted(content.evidence, key=lambda e: e.evidence_id):
                check_cancelled(cancelled)
                name = f"evidence/{safe_member_name(ev.evidence_id)}.age"
                if name.casefold() in seen_names:
                    raise InputError(f"证据编号重复 / duplicate evidence id {ev.evidence_id}")
                seen_names.add(name.casefold())
                reader = _HashingReader(ev.chunks(), cancelled)
                with zf.open(_zinfo(name, False), "w") as raw:
                    w = _HashingWriter(raw)
                    age.encrypt_stream(reader, w, keys)
                if reader.h.hexdigest() != ev.sha256 or reader.n != ev.size:
                    raise FeijianError(f"证据 {ev.evidence_id} 的哈希与登记时不符 / evidence {ev.evidence_id} "
                                       "does not match its hash at acquisition")
                sums[name] = w.h.hexdigest()
                evidence_meta.append({"evidence_id": ev.evidence_id, "member": name, "sha256": ev.sha256,
                                      "size": ev.size})
                done += ev.size
                report(progress, done, total, ev.evidence_id)
            documents_meta = []
            for doc in sorted(content.documents, key=lambda d: d.name):
                name = f"documents/{safe_member_name(doc.name)}.age"
                if name.casefold() in seen_names:
                    raise InputError(f"文书名称重复 / duplicate document name {doc.name}")
                seen_names.add(name.casefold())
                put_bytes(name, doc.data, encrypt=True)
                documents_meta.append({"member": name, "sha256": hashlib.sha256(doc.data).hexdigest(),
                                       "size": len(doc.data)})
            tables_meta = []
            for tname in sorted(content.tables):
                check_cancelled(cancelled)
                data = arrow_stream(content.tables[tname])
                name = f"{TABLES_PREFIX}{tname}.arrow.age"
                put_bytes(name, data, encrypt=True)
                tables_meta.append({"table": tname, "member": name, "rows": content.tables[tname].num_rows,
                                    "sha256": hashlib.sha256(data).hexdigest()})
                del data
            sources_meta = []
            for src in content.sources:
                check_cancelled(cancelled)
                m, msha, fsha = _source_manifest(Path(src))
                name = f"sources/{safe_member_name(m['package_id'])}.fjpkg"
                if name in sums:
                    raise InputError(f"重复的来源包 / duplicate source package {m['package_id']}")
                with zf.open(_zinfo(name, False), "w") as raw, open(src, "rb") as f:
                    w = _HashingWriter(raw)
                    shutil.copyfileobj(f, w, CHUNK)
                if w.h.hexdigest() != fsha:
                    raise FeijianError(f"来源包在打包时被修改 / source package changed while packing: {src}")
                sums[name] = fsha
                sources_meta.append({"member": name, "package_id": m["package_id"], "signer": m["signer"],
                                     "seq": m["seq"], "manifest_sha256": msha, "sha256": fsha})
            manifest = {
                "format": PACKAGE_FORMAT,
                "package_id": package_id,
                "case_id": content.case_id,
                "kind": kind,
                "created": utc_now(),
                "signer": identity.public.key_id,
                "signer_role": identity.public.role,
                "device": identity.device_id,
                "recipients": [{"name": k, "age": age.recipient(recipients[k])} for k in sorted(recipients)],
                "seq": seq,
                "prev": prev,
                "audit_head": audit_head(content.events),
                "counts": {"events": len({e.event_id for e in content.events}),
                           "findings": len(fold(content.events).entities("finding")),
                           "evidence": len(evidence_meta), "documents": len(documents_meta),
                           "sources": len(sources_meta), "hits": _csv_rows(content.hits_csv),
                           **({"tables": len(tables_meta)} if tables_meta else {})},
                "evidence": evidence_meta,
                "documents": documents_meta,
                "sources": sorted(sources_meta, key=lambda s: s["member"]),
                "members": sorted(sums),
            }
            if tables_meta:
                manifest["tables"] = tables_meta
            manifest_bytes = canonical_json(manifest)
            put_bytes(MANIFEST, manifest_bytes, encrypt=False, compress=True)
            sums_bytes = "".join(f"{sums[n]}  {n}\n" for n in sorted(sums)).encode("ascii")
            zf.writestr(_zinfo(SUMS, True), sums_bytes)
            sig = minisign.sign(sums_bytes, identity.signing_key, bytes.fromhex(identity.public.key_id),
                                trusted_comment(manifest),
                                untrusted_comment=f"feijian package signed by {identity.public.key_id}")
            zf.writestr(_zinfo(SIG, True), sig.encode("ascii"))
        h = hashlib.sha256()
        with open(tmp, "rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                h.update(chunk)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    report(progress, total, total, "")
    return PackageInfo(out, package_id, content.case_id, kind, seq, prev,
                       hashlib.sha256(manifest_bytes).hexdigest(), h.hexdigest(), manifest)


def arrow_stream(table) -> bytes:
    """A table as an Arrow IPC stream, zstd-compressed (readable by any Arrow library)."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as w:
        w.write_table(table, max_chunksize=1 << 16)
    return sink.getvalue().to_pybytes()


def _csv_rows(data: Optional[bytes]) -> int:
    if not data:
        return 0
    return max(0, len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1)


# --- export from a case store ----------------------------------------------------------------------

def chain_position(events: Iterable[Event], signer: str, channel: str) -> tuple[int, str]:
    """(next seq, prev) for a signer's chain in a channel, from its ``package.exported`` events."""
    last_seq, last_sha = 0, ""
    for e in events:
        if e.type == PACKAGE_EXPORTED and e.author == signer and e.payload.get("channel") == channel:
            if int(e.payload["seq"]) > last_seq:
                last_seq, last_sha = int(e.payload["seq"]), e.payload["manifest_sha256"]
    return last_seq + 1, last_sha


def store_content(store, *, sources: Iterable[Path] = ()) -> PackageContent:
    """What a case store puts in a package (duck-typed over the CaseStore API of docs/interfaces.md)."""
    sources = list(sources)
    events = list(store.events())
    hits_csv = None
    try:
        hits = store.hits()
    except Exception:  # no screening yet is not an error: the package simply has no hits member
        hits = None
    if hits is not None and len(hits):
        hits_csv = hits.to_csv(index=False).encode("utf-8")
    evidence = []
    own = getattr(getattr(store, "identity", None), "key_id", None)
    for item in store.evidence_items():
        eid = item.evidence_id
        if sources and own and item.added_by != own:
            continue  # merged from an inspector's package: it travels inside that (nested) package, not twice
        evidence.append(EvidenceSource(eid, item.sha256, item.size, lambda eid=eid: store.iter_evidence(eid)))
    documents = []
    for d in (store.documents() if hasattr(store, "documents") else []):
        row = d if isinstance(d, dict) else vars(d)
        data = store.read_document(row["doc_no"])
        sha = hashlib.sha256(data).hexdigest()
        documents.append(DocumentSource(f"{row.get('doc', 'document')}-{sha[:16]}.pdf", data))
    return PackageContent(store.info.case_id, events, hits_csv, evidence, documents, list(sources),
                          case_tables(store))


def case_tables(store) -> dict:
    """The case's imported contract tables (kind ``case``), for the bureau archive (issue 15)."""
    from feijian.domain.contract import load_contract

    out = {}
    has = getattr(store, "has_table", None)
    if has is None:
        return out
    for name, spec in load_contract().tables.items():
        if spec.kind == "case" and has(name):
            t = store.read_table(name)
            if t is not None:
                out[name] = t
    return out


def recipients_for(to: str, *, lead_public: bytes | None, bureau_intake_public: bytes | None) -> dict[str, bytes]:
    if bureau_intake_public is None:
        raise InputError("没有医保局接收公钥：请先 `feijian trust import` / no bureau intake key: run `feijian trust import`")
    if to == "lead":
        if lead_public is None:
            raise InputError("没有组长公钥 / no team-lead key for this case")
        return {"lead": lead_public, "bureau": bureau_intake_public}
    return {"bureau": bureau_intake_public}


def export_package(store, identity, *, to: str, out: Path, lead_public: bytes | None = None,
                   bureau_intake_public: bytes | None = None, sources: Iterable[Path] = (),
                   progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> PackageInfo:
    """Export a signed package of ``store`` for the lead (``to="lead"``) or the bureau (``to="bureau"``).

    A lead exporting to the bureau with merged inspector packages (``sources``) writes a ``final`` package.
    Refused while an amount or status is in conflict. Records a ``package.exported`` event.
    """
    if to not in ("lead", "bureau"):
        raise InputError(f"--to 只能是 lead 或 bureau / --to must be lead or bureau, not {to!r}")
    if to == "bureau" and not sources and identity.public.role == "lead":
        sources = merged_sources(store)
    sources = [Path(s) for s in sources]
    kind = "lead" if to == "lead" else ("final" if sources else "bureau")
    if kind == "final" and identity.public.role != "lead":
        raise InputError("只有组长可以导出最终包 / only the team lead exports a final package")
    blocking = blocking_conflicts(store.events())
    if blocking:
        keys = ", ".join(f"{e}:{i}:{f}" for e, i, f in (r.key for r in blocking[:5]))
        raise ExportBlocked(f"存在未解决的金额或状态冲突，不能导出 / export blocked: unresolved conflicts ({keys})")
    store.checkpoint()  # the package carries a signed checkpoint of the event log's heads (no register writes)
    content = store_content(store, sources=sources)
    recipients = recipients_for(to, lead_public=lead_public, bureau_intake_public=bureau_intake_public)
    channel = channel_of(kind)
    seq, prev = chain_position(content.events, identity.public.key_id, channel)
    info = write_package(Path(out), content, identity, kind=kind, recipients=recipients, seq=seq, prev=prev,
                         progress=progress, cancelled=cancelled)
    store.append_event(PACKAGE_EXPORTED, {"package_id": info.package_id, "kind": kind, "channel": channel,
                                          "seq": seq, "prev": prev, "manifest_sha256": info.manifest_sha256,
                                          "sha256": info.sha256})
    return info
