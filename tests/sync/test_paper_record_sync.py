"""Paper records through a package (issue 20): an inspector's correction of an OCR line and a page captured on
site travel to the lead in a signed package; after the merge the lead's screening reads both, the photo is in
the lead's vault with its hash, and the original reading is kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sys
from pathlib import Path

import pyarrow as pa

from feijian.casework.captured_pages import PageReading, capture_document, captured_rows
from feijian.casework.ocr_corrections import correct_line, corrections
from feijian.casework.screening import screen_case
from feijian.domain.records import CaseInfo
from feijian.rules.record_ocr import needs_ocr_review
from feijian.store.case_keys import keys_path
from feijian.store.case_store import CaseStore
from feijian.sync.merge import merge_packages
from feijian.sync.package import export_package

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
from rule_tables import case, doc, fee, kb, visit  # noqa: E402

KB = kb([{"med_list_codg": "CT", "category": "exam"}, {"med_list_codg": "BED", "category": "bed"}],
        terms=[{"med_list_codg": "CT", "doc_types": "exam_report", "terms": "计算机断层"}])
READ = [("检查报告", 0.98), ("胸部计算机断屋扫描：未见异常。", 0.6)]
PHOTO = b"\xff\xd8\xff\xe0" + b"photo of a nursing record" * 200


def _lead_case(world, path):
    info = CaseInfo(case_id=world.case_id, name="纸质病历", medins_code="H1", medins_name="测试医院", medins_lv="3",
                    data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))
    raw = {"pages": {"1": 0.6}, "lines": [[1, [100, 100 + 60 * i, 900, 140 + 60 * i], c, t] for i, (t, c) in enumerate(READ)]}
    with CaseStore.create(path, info, world.lead, lead=world.lead.public,
                          escrow_public=world.bureau.public().escrow_public) as s:
        tables = case([fee("V1", "1", "CT", "2024-03-02 10:00", 1, 200), fee("V1", "2", "BED", "2024-03-05 00:00", 1, 50)],
                      [visit("V1", "2024-03-01 09:00", "2024-03-10 10:00")],
                      emr_docs=[doc("E1", "V1", "exam_report", "2024-03-02 12:00", "\n".join(t for t, _ in READ))])
        docs = tables["emr_docs"].append_column("_ocr_confidence", pa.array([0.6], pa.float64()))
        tables["emr_docs"] = docs.append_column("_ocr_lines", pa.array([json.dumps(raw, ensure_ascii=False)]))
        for name, t in tables.items():
            s.write_table("b1", name, t)
        return s.data_key


def _rules(store):
    hits = screen_case(store, kb=KB, rules=["R24", "R29"]).hits
    return dict(zip(hits["rule_code"], hits["detail"]))


def test_a_correction_and_a_captured_page_reach_the_lead(world, tmp_path):
    lead_path, insp_path = tmp_path / "lead.fjcase", tmp_path / "a.fjcase"
    key = _lead_case(world, lead_path)
    shutil.copyfile(lead_path, insp_path)
    shutil.copyfile(keys_path(lead_path), keys_path(insp_path))
    inspector = world.inspectors[0]
    with CaseStore.open_with_key(insp_path, key, inspector) as s:
        assert set(_rules(s)) == {"R24"}
        [row] = s.read_table("emr_docs").to_pylist()
        correct_line(s, row, 1, "胸部计算机断层扫描：未见异常。")
        lines = json.dumps({"pages": {"1": 0.95}, "lines": [[1, [50, 50, 600, 90], 0.95, "护理记录"],
                                                            [1, [50, 120, 900, 160], 0.95, "患者请假离院，未在病房。"]]},
                           ensure_ascii=False)
        reading = PageReading("IMG_7.jpg", hashlib.sha256(PHOTO).hexdigest(), len(PHOTO), "护理记录\n患者请假离院，未在病房。",
                              lines, 0.95, "ocr/jpeg", 1)
        capture_document(s, reading, PHOTO, mdtrt_id="V1", doc_type="nursing", doc_time=dt.datetime(2024, 3, 5, 20))
        assert set(_rules(s)) == {"R29"}
        out = tmp_path / "out"
        out.mkdir()
        pkg = export_package(s, inspector, to="lead", out=out / "a.fjpkg", lead_public=world.lead.public.encryption_public,
                             bureau_intake_public=world.intake_public).path
    with CaseStore.open_with_key(lead_path, key, world.lead) as s:
        assert set(_rules(s)) == {"R24"}
        report = merge_packages(s, [pkg], trust=world.trust)
        assert report.evidence_added == 1 and not report.conflicts
        rules = _rules(s)
        assert set(rules) == {"R29"} and needs_ocr_review(rules["R29"])  # the quoted clause was read by OCR
        [fix] = corrections(s.state())["E1"].values()
        assert fix.original == READ[1][0]
        [row] = captured_rows(s.state())
        assert s.read_evidence(row["_page_evidence"]) == PHOTO
        assert "断屋" in s.read_table("emr_docs").column("text")[0].as_py()  # the import as it was
