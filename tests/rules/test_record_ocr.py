"""「OCR 待核」(issue 20): R24–R29 hits on documents read with OCR from photographed-like pages (drawn with the
bundled CJK font, blurred, noised, rotated, JPEG-compressed, then read by the recogniser) are marked for
review when their documents hold lines below the confidence threshold or the quoted clause was read by OCR;
the same documents given as text are not marked."""

import io
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from rule_tables import case, doc, fee, kb, run, visit

from feijian.rules.record_ocr import OCR_REVIEW_MARK, low_confidence, needs_ocr_review

pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")
sys.path.insert(0, str(Path(__file__).parents[1] / "ingest"))
from paper_pages import encoded, page  # noqa: E402

INP = [visit("V1", "2024-03-01 09:00", "2024-03-10 10:00")]
ITEMS = [{"med_list_codg": "BED", "category": "bed"}, {"med_list_codg": "CT", "category": "exam"}]
CT = {"med_list_codg": "CT", "doc_types": "exam_report", "terms": "计算机断层"}
KB = kb(ITEMS, terms=[CT])
NURSING = ["护理记录", "患者于3月5日请假离院，未在病房。"]
EXAM = ["检查报告", "胸部计算机断层扫描：双肺纹理清晰，未见异常。"]


def photographed(lines, blur=0.0):
    from PIL import Image, ImageFilter

    img = page(lines, size=(1240, 600), font_px=30)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    arr = np.asarray(img).astype(np.int16)
    arr = np.clip(arr + np.random.default_rng(1).normal(0, 25, arr.shape), 0, 255).astype(np.uint8)
    img = Image.fromarray(arr).rotate(1.5, fillcolor="white")
    return encoded(img, "JPEG", quality=55)


@pytest.fixture(scope="module")
def read_pages():
    from feijian.ingest.document_text import min_confidence
    from feijian.ingest.ocr import OcrPool
    from feijian.ingest.paper_documents import read_paper_document

    with OcrPool(workers=1) as pool:
        nursing = read_paper_document(photographed(NURSING), ".jpg", pool=pool)
        exam = read_paper_document(photographed(EXAM, blur=2.5), ".jpg", pool=pool)  # out of focus
    return {"nursing": (nursing.text, min_confidence(nursing)), "exam": (exam.text, min_confidence(exam))}


FEES = [fee("V1", "1", "BED", "2024-03-05 00:00", 1, 50), fee("V1", "2", "CT", "2024-03-05 10:00", 1, 200)]


def _screen(docs, ocr=None):
    tables = case(FEES, INP, emr_docs=docs)
    if ocr is not None:
        tables["emr_docs"] = tables["emr_docs"].append_column("_ocr_confidence", pa.array(ocr, pa.float64()))
    return run(tables, KB, rules=["R24", "R29"]).hits.set_index("rule_code")["detail"]


def test_hits_on_pages_read_with_ocr_are_marked_and_the_same_text_is_not(read_pages):
    nursing_text, nursing_conf = read_pages["nursing"]
    exam_text, exam_conf = read_pages["exam"]
    assert "请假离院" in nursing_text and nursing_conf >= low_confidence()  # a page read well
    assert "计算机断层" not in exam_text and exam_conf < low_confidence()  # the blurred page: the term not read
    docs = [doc("N1", "V1", "nursing", "2024-03-05 20:00", nursing_text),
            doc("E1", "V1", "exam_report", "2024-03-05 15:00", exam_text)]
    hits = _screen(docs, [nursing_conf, exam_conf])
    # R29: the clause quoted was read by OCR (well): marked for review, the clause kept
    assert needs_ocr_review(hits["R29"]) and "请假离院" in hits["R29"] and "所引文句由文字识别读出" in hits["R29"]
    assert "置信度低" not in hits["R29"]
    # R24: an absence of "CT" in a report read below the threshold
    assert hits["R24"].startswith(OCR_REVIEW_MARK)
    assert f"最低 {exam_conf:.2f}（阈值 {low_confidence():.2f}）" in hits["R24"]
    # the same documents as text: R24 finds its report, R29 is not marked
    text_hits = _screen([doc("N1", "V1", "nursing", "2024-03-05 20:00", "\n".join(NURSING)),
                         doc("E1", "V1", "exam_report", "2024-03-05 15:00", "\n".join(EXAM))])
    assert list(text_hits.index) == ["R29"] and not needs_ocr_review(text_hits["R29"])


def test_a_low_confidence_page_outside_the_rules_window_or_type_marks_nothing(read_pages):
    exam_text, exam_conf = read_pages["exam"]
    docs = [doc("N1", "V1", "nursing", "2024-03-05 20:00", "\n".join(NURSING)),
            doc("E1", "V1", "exam_report", "2024-03-09 15:00", exam_text)]  # after the report window
    hits = _screen(docs, [None, exam_conf])
    assert set(hits.index) == {"R24", "R29"}
    assert not needs_ocr_review(hits["R24"]) and not needs_ocr_review(hits["R29"])
