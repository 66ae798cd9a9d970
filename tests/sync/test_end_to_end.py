"""End to end (issue 8): three inspectors work on copies of one case, export to the lead; the lead merges,
sees and resolves a conflict, exports the final package; the bureau imports it. Every finding and evidence
item arrives with its hash intact; a second import is refused."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from feijian.crypto import age
from feijian.domain import events as E
from feijian.domain.events import write
from feijian.domain.records import CaseInfo, TeamMember
from feijian.store.case_keys import keys_path
from feijian.store.case_store import CaseStore
from feijian.sync.archive import Archive
from feijian.sync.intake import intake
from feijian.sync.merge import conflict_view, merge_packages, resolve_conflict
from feijian.sync.package import ExportBlocked, export_package
from feijian.sync.reasons import Rejected
from feijian.sync.verify import verify_package


def _copy_case(src, dst):
    shutil.copyfile(src, dst)
    shutil.copyfile(keys_path(src), keys_path(dst))


def _set(store, fid, field, value):
    return store.append_event(E.FINDING_UPDATED, {"writes": [write("finding", fid, field, value,
                                                                  supersedes=store.state().heads("finding", fid, field))]})


@pytest.fixture()
def team_case(world, tmp_path):
    lead, (a, b, c) = world.lead, world.inspectors
    info = CaseInfo(case_id=world.case_id, name="测试医院飞检", medins_code="H11010500001", medins_name="测试医院",
                    medins_lv="3", team=(TeamMember("组长", "L001", "lead", lead.key_id),))
    base = tmp_path / "lead.fjcase"
    with CaseStore.create(base, info, lead, lead=lead.public, escrow_public=world.bureau.public().escrow_public) as s:
        s.append_event(E.FINDING_CREATED, {"writes": [write("finding", "F1", "title", "重复收取护理费"),
                                                      write("finding", "F1", "amount", "1000.00"),
                                                      write("finding", "F1", "status", "draft")]})
        key = s.data_key
    copies = {}
    for name in ("a", "b", "c"):
        copies[name] = tmp_path / f"{name}.fjcase"
        _copy_case(base, copies[name])
    return base, key, copies


def test_three_inspectors_lead_bureau(world, team_case, tmp_path):
    base, key, copies = team_case
    lead, (a, b, c) = world.lead, world.inspectors
    out = tmp_path / "out"
    out.mkdir()
    photos = {}
    pkgs = []
    for name, ident in zip("abc", (a, b, c)):
        with CaseStore.open_with_key(copies[name], key, ident) as s:
            data = f"现场照片 {name} ".encode() * 2000
            item = s.add_evidence(__import__("io").BytesIO(data), original_name=f"photo-{name}.jpg", finding_id="F1")
            photos[item.evidence_id] = hashlib.sha256(data).hexdigest()
            if name == "b":
                _set(s, "F1", "amount", "900.00")
            if name == "c":
                _set(s, "F1", "amount", "1100.00")
                _set(s, "F1", "title", "重复收取护理费（已核实）")
            info = export_package(s, ident, to="lead", out=out / f"{name}.fjpkg",
                                  lead_public=lead.public.encryption_public,
                                  bureau_intake_public=world.intake_public)
            assert info.kind == "lead" and info.seq == 1
            pkgs.append(info.path)
    with CaseStore.open_with_key(base, key, lead) as s:
        report = merge_packages(s, pkgs, trust=world.trust)
        assert len(report.packages) == 3
        # the inspectors' evidence is in the lead's own vault now: listed, readable, hash intact, linked
        assert report.evidence_added == 3
        merged = {i.evidence_id: i for i in s.evidence_items()}
        assert {eid: merged[eid].sha256 for eid in photos} == photos
        for eid, sha in photos.items():
            assert hashlib.sha256(s.read_evidence(eid)).hexdigest() == sha
            assert merged[eid].finding_id == "F1" and merged[eid].original_name.startswith("photo-")
            assert merged[eid].added_by != lead.key_id  # the inspector who took it, not the lead
        assert s.verify().ok
        amount = [r for r in report.conflicts if r.key == ("finding", "F1", "amount")]
        assert len(amount) == 1
        assert sorted(v["value"] for v in conflict_view(amount[0])) == ["1100.00", "900.00"]
        assert not [r for r in report.conflicts if r.key[2] == "title"]  # one edit only: no conflict
        with pytest.raises(ExportBlocked):
            export_package(s, lead, to="bureau", out=out / "final.fjpkg", bureau_intake_public=world.intake_public)
        assert not (out / "final.fjpkg").exists()
        # merging the same package again is a replay
        with pytest.raises(Rejected) as exc:
            merge_packages(s, pkgs[:1], trust=world.trust)
        assert exc.value.code == "REPLAY"
        resolve_conflict(s, "finding", "F1", "amount", "1000.00", reason="组长核定")
        assert not s.state().conflicts()
        final = export_package(s, lead, to="bureau", out=out / "final.fjpkg", bureau_intake_public=world.intake_public)
        after = s.events()
        assert after[-2].type == "checkpoint"  # the package carries a signed checkpoint of the log
        case_events = {e.event_id for e in after[:-1]}  # the export records one more event, after the package
        assert final.kind == "final" and len(final.manifest["sources"]) == 3
        assert final.manifest["evidence"] == []  # the merged photos travel once, inside their inspectors' packages
    v = verify_package(final.path, world.trust, decrypt_key=world.bureau.intake_key)
    assert v.ok, v.message
    archive = tmp_path / "archive.sqlite"
    receipts = intake([final.path], archive, bureau_keys=world.bureau, trust=world.trust)
    body = receipts[0].verify(world.bureau.public().signing_public)
    assert body["package_id"] == final.package_id and len(body["sources"]) == 3
    with Archive.open(archive, bureau_keys=world.bureau) as arch:
        assert arch.evidence_hashes(world.case_id) == photos  # every evidence item, hash intact
        for eid, sha in photos.items():
            plain = age.decrypt(arch.evidence_ciphertext(world.case_id, eid), world.bureau.intake_key)
            assert hashlib.sha256(plain).hexdigest() == sha
        f1 = arch.findings(world.case_id)["F1"]
        assert f1["amount"] == "1000.00" and f1["title"] == "重复收取护理费（已核实）"
        assert arch.event_count(world.case_id) == len(case_events)
    with pytest.raises(Rejected) as exc:
        intake([final.path], archive, bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code == "REPLAY"


def test_inspector_chain_continues(world, team_case, tmp_path):
    base, key, copies = team_case
    a = world.inspectors[0]
    with CaseStore.open_with_key(copies["a"], key, a) as s:
        p1 = export_package(s, a, to="bureau", out=tmp_path / "1.fjpkg", bureau_intake_public=world.intake_public)
        p2 = export_package(s, a, to="bureau", out=tmp_path / "2.fjpkg", bureau_intake_public=world.intake_public)
    assert (p1.seq, p2.seq, p2.prev) == (1, 2, p1.manifest_sha256)
    archive = tmp_path / "arch.sqlite"
    with pytest.raises(Rejected) as exc:  # out of order: 2 before 1
        intake([p2.path], archive, bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code == "CHAIN_GAP"
    assert len(intake([p1.path, p2.path], archive, bureau_keys=world.bureau, trust=world.trust)) == 2
