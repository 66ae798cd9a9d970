"""Correcting a line a recogniser read (issue 20): the correction is an event, the original reading kept; the
screening reads the corrected text (a rule's outcome changes), a corrected line no longer makes a hit
「OCR 待核」, an undo restores the reading and the outcome."""

import datetime as dt
import json
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from feijian.casework.case_documents import encounter_rows
from feijian.casework.changes import undo
from feijian.casework.ocr_corrections import (corrected_row, corrections, correct_line, original_line,
                                              withdraw_correction)
from feijian.casework.screening import screen_case
from feijian.crypto.identity import create_identity
from feijian.domain.errors import InputError
from feijian.domain.records import CaseInfo
from feijian.rules.record_ocr import needs_ocr_review
from feijian.rules.record_prep import NORMAL_TEXT, with_normal_text
from feijian.store.case_store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
from rule_tables import case, doc, fee, kb, visit  # noqa: E402

CT = {"med_list_codg": "CT", "doc_types": "exam_report", "terms": "计算机断层"}
ITEMS = [{"med_list_codg": "CT", "category": "exam"}]
# the exam report as the recogniser read it: 层 misread as 屋 in its second line, with low confidence
READ = [("检查报告", 0.98), ("胸部计算机断屋扫描：双肺纹理清晰。", 0.61), ("未见异常。", 0.97)]


def ocr_row(doc_id="E1", lines=READ):
    text = "\n".join(t for t, _ in lines)
    raw = {"pages": {"1": min(c for _, c in lines)},
           "lines": [[1, [100, 100 + 60 * i, 900, 140 + 60 * i], c, t] for i, (t, c) in enumerate(lines)]}
    return doc(doc_id, "V1", "exam_report", "2024-03-02 12:00", text), json.dumps(raw, ensure_ascii=False), \
        min(c for _, c in lines)


def planted_store(path):
    info = CaseInfo(case_id="case-ocr", name="更正", medins_code="H1", medins_name="测试医院", medins_lv="3",
                    data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))
    s = CaseStore.create(path, info, create_identity("张检查", "J-001"))
    row, lines, conf = ocr_row()
    tables = case([fee("V1", "1", "CT", "2024-03-02 10:00", 1, 200)],
                  [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")], emr_docs=[row])
    docs = tables["emr_docs"]
    docs = docs.append_column("_ocr_confidence", pa.array([conf], pa.float64()))
    docs = docs.append_column("_ocr_lines", pa.array([lines], pa.string()))
    tables["emr_docs"] = with_normal_text(docs)
    for name, t in tables.items():
        s.write_table("b1", name, t)
    return s


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    s = planted_store(tmp_path / "t.fjcase")
    yield s
    s.close()


KB = kb(ITEMS, terms=[CT])


def _r24(store):
    return screen_case(store, kb=KB, rules=["R24"]).hits


def test_a_corrected_line_changes_the_outcome_and_the_undo_restores_it(store):
    hits = _r24(store)
    assert list(hits["feedetl_sn"]) == ["1"] and needs_ocr_review(hits["detail"].iloc[0])  # the misread page
    [row] = store.read_table("emr_docs").to_pylist()
    change = correct_line(store, row, 1, "胸部计算机断层扫描：双肺纹理清晰。")
    assert [e.type for e in store.events()][-1] == "ocr.line_corrected" and "断屋" in change.description
    assert len(_r24(store)) == 0  # the report names the CT now
    # the import is untouched: the original reading is in emr_docs and in the correction
    [stored] = store.read_table("emr_docs").to_pylist()
    assert "断屋" in stored["text"] and stored[NORMAL_TEXT] == row[NORMAL_TEXT]
    [fix] = corrections(store.state())["E1"].values()
    assert (fix.original, fix.text, fix.line) == ("胸部计算机断屋扫描：双肺纹理清晰。", "胸部计算机断层扫描：双肺纹理清晰。", 1)
    # the record view's rows: corrected, the reading kept, the line confirmed
    [shown] = encounter_rows(store, "V1", [row])
    assert shown["text"] == "检查报告\n胸部计算机断层扫描：双肺纹理清晰。\n未见异常。"
    raw = json.loads(shown["_ocr_lines"])
    assert raw["lines"][1][2] == 1.0 and raw["corrected"]["1"][0] == fix.original
    assert shown["_ocr_confidence"] == pytest.approx(0.97)
    assert original_line(shown, 1) == fix.original  # correcting again starts from the reading
    undo(store, change)
    hits = _r24(store)
    assert list(hits["feedetl_sn"]) == ["1"] and needs_ocr_review(hits["detail"].iloc[0])
    assert corrections(store.state()) == {}


def test_confirming_a_low_confidence_line_clears_the_ocr_review_reason(store):
    [row] = store.read_table("emr_docs").to_pylist()
    before = _r24(store)["detail"].iloc[0]
    assert "置信度低" in before
    correct_line(store, row, 1, READ[1][0])  # saved unchanged: the reading confirmed by a person
    after = _r24(store)
    assert len(after) == 1 and "置信度低" not in after["detail"].iloc[0]  # still no CT: the hit stands
    withdraw_correction(store, "E1", 1)
    assert "置信度低" in _r24(store)["detail"].iloc[0]
    with pytest.raises(InputError):
        withdraw_correction(store, "E1", 2)


def test_bad_corrections_are_refused(store):
    [row] = store.read_table("emr_docs").to_pylist()
    for line, text in ((1, "  "), (1, "两行\n文字"), (7, "第八行")):
        with pytest.raises(InputError):
            correct_line(store, row, line, text)
    with pytest.raises(InputError, match="OCR"):
        correct_line(store, {**row, "_ocr_lines": None}, 0, "x")
    assert corrections(store.state()) == {}


def test_a_correction_of_a_line_read_differently_since_is_not_applied():
    from feijian.casework.ocr_corrections import LineCorrection

    row, lines, _conf = ocr_row()
    row["_ocr_lines"] = lines
    stale = {1: LineCorrection("E1", 1, "另一种读法", "更正")}
    assert corrected_row(row, stale)["text"] == row["text"]
    fix = {1: LineCorrection("E1", 1, READ[1][0], "胸部CT：双肺纹理清晰。"), 2: LineCorrection("E1", 2, "未见异常。", "未见明显异常。")}
    out = corrected_row(row, fix)
    assert out["text"] == "检查报告\n胸部CT：双肺纹理清晰。\n未见明显异常。"
    assert out["_ocr_confidence"] == pytest.approx(0.98)
