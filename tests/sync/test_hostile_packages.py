"""The hostile-package corpus (issue 8): each attack is rejected with its reason code; the honest one passes.

Packages are built for real (real keys, real trust list, real age encryption) and then altered: at the
level of ZIP bytes with a tiny hand-written ZIP writer (for structural attacks zipfile refuses to write),
or member by member and re-signed with an enrolled key (for attacks on the signed content).
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
import zlib
from dataclasses import replace

import pytest
from sync_pkgkit import Chain, build, evidence, sample_content

from feijian.crypto import age, minisign
from feijian.domain.events import canonical_json, make_event
from feijian.sync.package import EVENTS, MANIFEST, SIG, SUMS, PackageContent, trusted_comment
from feijian.sync.verify import MemoryChain, verify_package


# --- helpers ----------------------------------------------------------------------------------------

def members_of(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def craft_zip(entries: list[dict], *, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """A ZIP from raw entries: name (bytes), data, and optional method, flags, crc, usize, csize, xattr,
    made_by, local_name, offset (central directory header offset override)."""
    out = bytearray(prefix)
    central = bytearray()
    for e in entries:
        name = e["name"] if isinstance(e["name"], bytes) else e["name"].encode()
        data = e["data"]
        method = e.get("method", 0)
        comp = data if method != 8 else (lambda c: c.compress(data) + c.flush())(zlib.compressobj(9, zlib.DEFLATED, -15))
        if "comp" in e:
            comp = e["comp"]
        crc = e.get("crc", zlib.crc32(data))
        usize = e.get("usize", len(data))
        csize = e.get("csize", len(comp))
        flags = e.get("flags", 0)
        offset = len(out) - len(prefix) if "offset" not in e else e["offset"]
        lname = e.get("local_name", name)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc, csize, usize, len(lname), 0)
        out += lname + comp
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", e.get("made_by", (3 << 8) | 20), 20, flags, method,
                               0, 0x21, crc, csize, usize, len(name), 0, 0, 0, 0, e.get("xattr", 0o100644 << 16), offset)
        central += name
    cd_offset = len(out) - len(prefix)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out) + suffix


def raw_entries(members: dict[str, bytes]) -> list[dict]:
    return [{"name": n, "data": d} for n, d in members.items()]


def sums_of(members: dict[str, bytes]) -> bytes:
    names = sorted(n for n in members if n not in (SUMS, SIG))
    return "".join(f"{hashlib.sha256(members[n]).hexdigest()}  {n}\n" for n in names).encode()


def resign(members: dict[str, bytes], signer, *, sums: bytes | None = None, comment: str | None = None) -> dict:
    out = dict(members)
    out[SUMS] = sums if sums is not None else sums_of(out)
    if comment is None:
        try:
            comment = trusted_comment(json.loads(out[MANIFEST]))
        except (KeyError, ValueError):
            comment = "x"
    out[SIG] = minisign.sign(out[SUMS], signer.signing_key, bytes.fromhex(signer.public.key_id), comment).encode()
    return out


def set_manifest(pkg_members: dict, **changes) -> dict:
    m = json.loads(pkg_members[MANIFEST])
    m.update(changes)
    return {**pkg_members, MANIFEST: canonical_json(m)}


def zip_members(members: dict[str, bytes]) -> bytes:
    return craft_zip(raw_entries(members))


# --- the corpus -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def honest(world, tmp_path_factory):
    path = tmp_path_factory.mktemp("honest") / "honest.fjpkg"
    build(world, path)
    return path


@pytest.fixture(scope="module")
def honest_members(honest):
    return members_of(honest)


def _check(world, tmp_path, data: bytes, code: str, *, options=None, trust=None):
    p = tmp_path / "attack.fjpkg"
    p.write_bytes(data)
    opts = {"recipient_public": world.intake_public, "decrypt_key": world.bureau.intake_key}
    opts.update(options or {})
    v = verify_package(p, trust or world.trust, **opts)
    assert not v.ok, "hostile package accepted"
    assert v.code == code, v.message
    return v


def test_honest_package_accepted(world, honest):
    v = verify_package(honest, world.trust, recipient_public=world.intake_public, decrypt_key=world.bureau.intake_key,
                       chain=MemoryChain(), case_id=world.case_id)
    assert v.ok, v.message
    assert v.manifest["counts"]["evidence"] == 2
    assert v.signer.key_id == world.inspectors[0].public.key_id


def test_rezipped_honest_members_accepted(world, honest_members, tmp_path):
    # our hand-written ZIP writer makes valid archives: the structural attacks below differ only in the attack
    p = tmp_path / "rezip.fjpkg"
    p.write_bytes(zip_members(honest_members))
    assert verify_package(p, world.trust, decrypt_key=world.bureau.intake_key).ok


def M(honest_members):
    return dict(honest_members)


# Each case: (id, function(world, members) -> bytes, expected code)
def _structural():
    cases = []

    def add(name, code):
        def deco(fn):
            cases.append(pytest.param(fn, code, id=name))
            return fn
        return deco

    @add("not-a-zip", "NOT_A_ZIP")
    def _(w, m):
        return b"this is not a zip file at all, just text" * 10

    @add("empty-file", "NOT_A_ZIP")
    def _(w, m):
        return b""

    @add("truncated", "NOT_A_ZIP")
    def _(w, m):
        data = zip_members(m)
        return data[: len(data) // 2]

    @add("trailing-garbage", "DATA_OUTSIDE_MEMBERS")
    def _(w, m):
        return craft_zip(raw_entries(m), suffix=b"GARBAGE" * 3)

    @add("prepended-data", "DATA_OUTSIDE_MEMBERS")
    def _(w, m):
        return craft_zip(raw_entries(m), prefix=b"MZ\x90\x00 prepended executable stub")

    @add("gap-between-members", "DATA_OUTSIDE_MEMBERS")
    def _(w, m):
        entries = raw_entries(m)
        data = craft_zip(entries)
        # Move the first member's data 5 bytes later by inserting junk after its record.
        first_len = 30 + len(entries[0]["name"].encode()) + len(entries[0]["data"])
        patched = bytearray(data[:first_len] + b"JUNK!" + data[first_len:])
        # fix central directory offsets (+5 for all but the first) and the EOCD offset
        cd_off = struct.unpack_from("<I", patched, len(patched) - 6)[0] + 5
        struct.pack_into("<I", patched, len(patched) - 6, cd_off)
        p = cd_off
        for i in range(len(entries)):
            nlen = struct.unpack_from("<H", patched, p + 28)[0]
            if i:
                off = struct.unpack_from("<I", patched, p + 42)[0]
                struct.pack_into("<I", patched, p + 42, off + 5)
            p += 46 + nlen
        return bytes(patched)

    @add("overlapping-entries", "OVERLAPPING_MEMBERS")
    def _(w, m):
        entries = raw_entries(m)
        entries.append({"name": "evidence/zz.age", "data": entries[0]["data"], "offset": 0})
        return craft_zip(entries)

    for i, (nm, code) in enumerate([
        ("../evil.txt", "PATH_TRAVERSAL"), ("evidence/../../evil.txt", "PATH_TRAVERSAL"),
        ("/etc/cron.d/x", "ABSOLUTE_NAME"), ("C:/Windows/x.dll", "ABSOLUTE_NAME"),
        ("evidence\\..\\..\\evil.txt", "BACKSLASH_IN_NAME"), ("evidence/./x", "BAD_NAME"),
        ("evidence//x", "BAD_NAME"), (".hidden/x", "BAD_NAME"), ("evidence/证据.jpg", "BAD_NAME"),
        ("evidence/x\x00../../evil", "BAD_NAME"), ("evidence/", "SPECIAL_MEMBER"),
    ]):
        def fn(w, m, nm=nm):
            return craft_zip(raw_entries(m) + [{"name": nm.encode("utf-8"), "data": b"x"}])
        cases.append(pytest.param(fn, code, id=f"name-{i}-{code}"))

    @add("duplicate-name", "DUPLICATE_NAME")
    def _(w, m):
        return craft_zip(raw_entries(m) + [{"name": MANIFEST, "data": b"{}"}])

    @add("duplicate-name-casefold", "DUPLICATE_NAME")
    def _(w, m):
        return craft_zip(raw_entries(m) + [{"name": "Manifest.JSON", "data": b"{}"}])

    @add("symlink", "SYMLINK")
    def _(w, m):
        return craft_zip(raw_entries(m) + [{"name": "evidence/link", "data": b"/etc/passwd", "xattr": 0o120777 << 16}])

    @add("directory-attr", "SPECIAL_MEMBER")
    def _(w, m):
        return craft_zip(raw_entries(m) + [{"name": "evidence/dir", "data": b"", "xattr": 0x10, "made_by": 20}])

    @add("encrypted-member", "ENCRYPTED_MEMBER")
    def _(w, m):
        entries = raw_entries(m)
        entries[0]["flags"] = 1
        return craft_zip(entries)

    @add("data-descriptor", "ZIP_UNSUPPORTED")
    def _(w, m):
        entries = raw_entries(m)
        entries[0]["flags"] = 8
        return craft_zip(entries)

    @add("bzip2-method", "UNSUPPORTED_METHOD")
    def _(w, m):
        entries = raw_entries(m)
        entries[0]["method"] = 12
        return craft_zip(entries)

    @add("zip-bomb-ratio", "ZIP_BOMB")
    def _(w, m):
        return craft_zip(raw_entries(m) + [{"name": "evidence/bomb.age", "data": b"\0" * (20 << 20), "method": 8}])

    @add("lying-size", "SIZE_MISMATCH")
    def _(w, m):
        # a DEFLATE stream of 3 MiB declared as 10 bytes (ratio check passes: the declared size is tiny)
        big = bytes(range(256)) * (3 << 12)
        entries = raw_entries(m)
        e = next(x for x in entries if x["name"] == "hits.csv.age")
        e.update(method=8, data=big, usize=10, crc=zlib.crc32(big[:10]))
        return craft_zip(entries)

    @add("stored-size-differs", "SIZE_MISMATCH")
    def _(w, m):
        entries = raw_entries(m)
        entries[0]["usize"] = len(entries[0]["data"]) + 100
        return craft_zip(entries)

    @add("bad-crc", "CRC_MISMATCH")
    def _(w, m):
        entries = raw_entries(m)
        entries[0]["crc"] = zlib.crc32(b"other")
        return craft_zip(entries)

    @add("local-name-differs", "HEADER_MISMATCH")
    def _(w, m):
        entries = raw_entries(m)
        nm = entries[0]["name"].encode()
        entries[0]["local_name"] = nm[:-1] + (b"X" if nm[-1:] != b"X" else b"Y")
        return craft_zip(entries)

    return cases


@pytest.mark.parametrize("attack,code", _structural())
def test_structural_attacks(world, honest_members, tmp_path, attack, code):
    _check(world, tmp_path, attack(world, dict(honest_members)), code)


def _signed():
    cases = []

    def add(name, code, **kw):
        def deco(fn):
            cases.append(pytest.param(fn, code, kw, id=name))
            return fn
        return deco

    @add("signature-removed", "SIG_MISSING")
    def _(w, m):
        m.pop(SIG)
        return m

    @add("sums-removed", "SUMS_MISSING")
    def _(w, m):
        m.pop(SUMS)
        return m

    @add("signature-garbage", "SIG_MALFORMED")
    def _(w, m):
        m[SIG] = b"untrusted comment: x\nnot base64 !!\ntrusted comment: y\nAAAA\n"
        return m

    @add("signature-legacy-algorithm", "SIG_MALFORMED")
    def _(w, m):
        import base64
        lines = m[SIG].decode().split("\n")
        blob = base64.b64decode(lines[1])
        lines[1] = base64.b64encode(b"Ed" + blob[2:]).decode()
        m[SIG] = "\n".join(lines).encode()
        return m

    @add("signed-by-outsider", "SIGNER_UNKNOWN")
    def _(w, m):
        return resign(set_manifest(m, signer=w.outsider.public.key_id), w.outsider)

    @add("signed-by-revoked", "SIGNER_REVOKED", revoke=True)
    def _(w, m):
        return m

    @add("sums-edited-old-signature", "SIG_INVALID")
    def _(w, m):
        s = bytearray(m[SUMS])
        s[3] = ord("0") if s[3] != ord("0") else ord("1")
        m[SUMS] = bytes(s)
        return m

    @add("trusted-comment-edited", "SIG_INVALID")
    def _(w, m):
        m[SIG] = m[SIG].replace(b"seq=1", b"seq=9")
        return m

    @add("member-tampered-same-size", "HASH_MISMATCH")
    def _(w, m):
        d = bytearray(m["evidence/EV0.age"])
        d[-40] ^= 0xFF
        m["evidence/EV0.age"] = bytes(d)
        return m

    @add("member-truncated", "HASH_MISMATCH")
    def _(w, m):
        m["evidence/EV1.age"] = m["evidence/EV1.age"][:-100]
        return m

    @add("member-missing", "MEMBER_MISSING")
    def _(w, m):
        m.pop("evidence/EV1.age")
        return m

    @add("member-planted", "MEMBER_EXTRA")
    def _(w, m):
        m["evidence/planted.age"] = age.encrypt(b"fake evidence", [w.intake_public])
        return m

    @add("member-planted-and-signed-not-in-manifest", "MEMBER_EXTRA")
    def _(w, m):
        m["documents/planted.age"] = age.encrypt(b"%PDF fake", [w.intake_public])
        return resign(m, w.inspectors[0])

    @add("sums-single-space", "SUMS_MALFORMED")
    def _(w, m):
        return resign(m, w.inspectors[0], sums=sums_of(m).replace(b"  ", b" "))

    @add("sums-unsorted", "SUMS_MALFORMED")
    def _(w, m):
        lines = sums_of(m).splitlines(keepends=True)
        return resign(m, w.inspectors[0], sums=b"".join(reversed(lines)))

    @add("nested-archive-by-content", "NESTED_ARCHIVE")
    def _(w, m):
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as zf:
            zf.writestr("x", b"y")
        m["documents/report.age"] = inner.getvalue()
        return resign(m, w.inspectors[0])

    @add("nested-archive-by-name", "NESTED_ARCHIVE")
    def _(w, m):
        m["documents/more.zip"] = b"not really a zip"
        return resign(m, w.inspectors[0])

    @add("manifest-not-canonical", "NOT_CANONICAL_JSON")
    def _(w, m):
        m[MANIFEST] = json.dumps(json.loads(m[MANIFEST]), indent=2).encode()
        return resign(m, w.inspectors[0])

    @add("manifest-duplicate-key", "NOT_CANONICAL_JSON")
    def _(w, m):
        m[MANIFEST] = b'{"case_id":"X",' + m[MANIFEST][1:]
        return resign(m, w.inspectors[0], comment=trusted_comment(json.loads(m[MANIFEST])))

    @add("manifest-extra-field", "MANIFEST_INVALID")
    def _(w, m):
        return resign(set_manifest(m, admin=True), w.inspectors[0])

    @add("manifest-names-another-signer", "SIGNER_MISMATCH")
    def _(w, m):
        return resign(set_manifest(m, signer=w.inspectors[1].public.key_id), w.inspectors[0])

    @add("trusted-comment-of-another-package", "MANIFEST_INVALID")
    def _(w, m):
        other = trusted_comment({**json.loads(m[MANIFEST]), "package_id": "0190-other"})
        return resign(m, w.inspectors[0], comment=other)

    @add("inspector-claims-final", "ROLE_MISMATCH")
    def _(w, m):
        return resign(set_manifest(m, kind="final"), w.inspectors[0])

    @add("inspector-claims-lead-role", "ROLE_MISMATCH")
    def _(w, m):
        return resign(set_manifest(m, signer_role="lead"), w.inspectors[0])

    @add("manifest-member-list-short", "MEMBER_EXTRA")
    def _(w, m):
        man = json.loads(m[MANIFEST])
        return resign(set_manifest(m, members=[x for x in man["members"] if x != "hits.csv.age"]), w.inspectors[0])

    @add("manifest-evidence-count-lies", "COUNT_MISMATCH")
    def _(w, m):
        man = json.loads(m[MANIFEST])
        return resign(set_manifest(m, counts={**man["counts"], "evidence": 1}), w.inspectors[0])

    @add("wrong-case", "WRONG_CASE", case_id="CASE-OTHER")
    def _(w, m):
        return m

    @add("wrong-recipient", "WRONG_RECIPIENT")
    def _(w, m):
        other = age.recipient(w.lead.public.encryption_public)
        return resign(set_manifest(m, recipients=[{"name": "bureau", "age": other}]), w.inspectors[0])

    @add("evidence-replaced-and-resigned", "HASH_MISMATCH")
    def _(w, m):
        m["evidence/EV0.age"] = age.encrypt(b"substituted photo", [w.intake_public])
        return resign(m, w.inspectors[0])

    @add("member-not-decryptable", "DECRYPT_FAILED")
    def _(w, m):
        m["evidence/EV0.age"] = age.encrypt(b"for someone else", [w.lead.public.encryption_public])
        return resign(m, w.inspectors[0])

    @add("event-tampered", "EVENT_INVALID")
    def _(w, m):
        lines = age.decrypt(m[EVENTS], w.bureau.intake_key).split(b"\n")
        d = json.loads(lines[1])
        d["payload"]["writes"][1]["value"] = "99999.00"
        lines[1] = canonical_json(d)
        m[EVENTS] = age.encrypt(b"\n".join(lines), [w.intake_public])
        return resign(m, w.inspectors[0])

    @add("event-of-another-case", "EVENT_INVALID")
    def _(w, m):
        ch = Chain(w.inspectors[0], "CASE-OTHER")
        ev = ch.event("finding.created", {"writes": []})
        lines = age.decrypt(m[EVENTS], w.bureau.intake_key).split(b"\n")
        lines.insert(0, ev.to_json())
        m[EVENTS] = age.encrypt(b"\n".join(lines), [w.intake_public])
        return resign(m, w.inspectors[0])

    @add("event-dropped", "COUNT_MISMATCH")
    def _(w, m):
        lines = age.decrypt(m[EVENTS], w.bureau.intake_key).split(b"\n")
        m[EVENTS] = age.encrypt(b"\n".join(lines[1:]), [w.intake_public])
        return resign(m, w.inspectors[0])

    @add("event-line-not-canonical", "NOT_CANONICAL_JSON")
    def _(w, m):
        lines = age.decrypt(m[EVENTS], w.bureau.intake_key).split(b"\n")
        lines[0] = json.dumps(json.loads(lines[0])).encode()
        m[EVENTS] = age.encrypt(b"\n".join(lines), [w.intake_public])
        return resign(m, w.inspectors[0])

    return cases


@pytest.mark.parametrize("attack,code,opts", _signed())
def test_signed_content_attacks(world, honest_members, tmp_path, attack, code, opts):
    trust = world.trust
    options = {}
    if opts.get("revoke"):
        trust = trust.revoke(world.inspectors[0].public.key_id).sign(world.bureau)
    if "case_id" in opts:
        options["case_id"] = opts["case_id"]
    _check(world, tmp_path, zip_members(attack(world, dict(honest_members))), code, options=options, trust=trust)


def test_manifest_and_signature_swapped_from_another_package(world, honest_members, tmp_path):
    other = members_of(build(world, tmp_path / "other.fjpkg").path)
    swapped = {**honest_members, MANIFEST: other[MANIFEST], SUMS: other[SUMS], SIG: other[SIG]}
    _check(world, tmp_path, zip_members(swapped), "HASH_MISMATCH")


# --- freshness --------------------------------------------------------------------------------------

def test_replay_rollback_gap_fork_audit(world, tmp_path):
    author = world.inspectors[1]
    chain = MemoryChain()
    opts = dict(recipient_public=world.intake_public, chain=chain)

    def accept(info):
        v = verify_package(info.path, world.trust, **opts)
        assert v.ok, v.message
        chain.accept(v.manifest, v.manifest_sha256)
        return v

    content = sample_content(world, author)
    p1 = build(world, tmp_path / "1.fjpkg", author, content=content)
    accept(p1)
    assert verify_package(p1.path, world.trust, **opts).code == "REPLAY"
    bigger = PackageContent(content.case_id, content.events + [Chain(author, world.case_id).event("x", {}, lamport=50)],
                            content.hits_csv, content.evidence)
    p2 = build(world, tmp_path / "2.fjpkg", author, seq=2, prev=p1.manifest_sha256, content=bigger)
    # out of order: seq 3 before 2 is a gap; a fork names the wrong previous manifest
    gap = build(world, tmp_path / "gap.fjpkg", author, seq=3, prev=p2.manifest_sha256, content=bigger)
    assert verify_package(gap.path, world.trust, **opts).code == "CHAIN_GAP"
    fork = build(world, tmp_path / "fork.fjpkg", author, seq=2, prev="f" * 64, content=bigger)
    assert verify_package(fork.path, world.trust, **opts).code == "CHAIN_FORK"
    accept(p2)
    old = build(world, tmp_path / "old.fjpkg", author, seq=1, content=content)  # old state, fresh package id
    assert verify_package(old.path, world.trust, **opts).code == "ROLLBACK"
    shrunk = build(world, tmp_path / "shrunk.fjpkg", author, seq=3, prev=p2.manifest_sha256, content=content)
    assert verify_package(shrunk.path, world.trust, **opts).code == "AUDIT_ROLLBACK"


# --- final packages: two signature levels -----------------------------------------------------------

@pytest.fixture(scope="module")
def final_parts(world, tmp_path_factory):
    d = tmp_path_factory.mktemp("final")
    sources = []
    events = []
    items = []
    for i, insp in enumerate(world.inspectors[:2]):
        c = sample_content(world, insp)
        c.evidence = [evidence(f"inspector {i} photo".encode() * 100, f"E{i}")]
        c.events = c.events[:2] + [Chain(insp, world.case_id).event("evidence.added", {
            "evidence_id": f"E{i}", "sha256": c.evidence[0].sha256, "size": c.evidence[0].size})]
        sources.append(build(world, d / f"src{i}.fjpkg", insp, kind="lead", content=c).path)
        events += c.events
        items += c.evidence
    return d, sources, PackageContent(world.case_id, events, None, items, [], sources)


def test_final_package_accepted(world, final_parts, tmp_path):
    d, sources, content = final_parts
    info = build(world, tmp_path / "final.fjpkg", world.lead, kind="final", content=content)
    v = verify_package(info.path, world.trust, recipient_public=world.intake_public, decrypt_key=world.bureau.intake_key)
    assert v.ok, v.message
    assert [s["package_id"] for s in v.sources] == [s["package_id"] for s in info.manifest["sources"]]


def test_final_package_with_altered_source_evidence(world, final_parts, tmp_path):
    d, sources, content = final_parts
    m = members_of(sources[0])
    m["evidence/E0.age"] = age.encrypt(b"edited by the lead", [world.intake_public, world.lead.public.encryption_public])
    m = resign(m, world.lead)  # the lead cannot re-sign as the inspector: the signer no longer matches
    forged = tmp_path / "forged-src.fjpkg"
    forged.write_bytes(zip_members(m))
    info = build(world, tmp_path / "final.fjpkg", world.lead, kind="final",
                 content=replace(content, sources=[forged, sources[1]]))
    v = verify_package(info.path, world.trust, decrypt_key=world.bureau.intake_key)
    assert v.code == "SOURCE_INVALID" and v.member.startswith("sources/")


def test_final_package_where_lead_changed_evidence_copy(world, final_parts, tmp_path):
    d, sources, content = final_parts
    new = evidence(b"a different photo", "E0")
    changed = [new, *content.evidence[1:]]
    # the lead also rewrites the acquisition event (same id, new hash) so the package is self-consistent
    events = []
    for ev in content.events:
        if ev.type == "evidence.added" and ev.payload.get("evidence_id") == "E0":
            ev = make_event(**{k: v for k, v in ev.body().items() if k not in ("payload",)},
                            payload={**ev.payload, "sha256": new.sha256, "size": new.size})
        events.append(ev)
    info = build(world, tmp_path / "final.fjpkg", world.lead, kind="final",
                 content=replace(content, evidence=changed, events=events))
    v = verify_package(info.path, world.trust, decrypt_key=world.bureau.intake_key)
    assert v.code == "SOURCE_INVALID", v.message
    # without the rewritten event the outer package itself is inconsistent
    info = build(world, tmp_path / "final2.fjpkg", world.lead, kind="final", content=replace(content, evidence=changed))
    assert verify_package(info.path, world.trust, decrypt_key=world.bureau.intake_key).code == "HASH_MISMATCH"


def test_final_package_signed_by_inspector(world, final_parts, tmp_path):
    d, sources, content = final_parts
    info = build(world, tmp_path / "final.fjpkg", world.inspectors[2], kind="final", content=content)
    assert verify_package(info.path, world.trust).code == "ROLE_MISMATCH"


def test_source_swapped_after_signing(world, final_parts, tmp_path):
    d, sources, content = final_parts
    info = build(world, tmp_path / "final.fjpkg", world.lead, kind="final", content=content)
    m = members_of(info.path)
    name = info.manifest["sources"][0]["member"]
    m[name] = (d / "src1.fjpkg").read_bytes()
    _check(world, tmp_path, zip_members(m), "HASH_MISMATCH")


def test_corpus_is_large_enough():
    assert len(_structural()) + len(_signed()) + 5 + 4 >= 40
