"""Capture on site (issue 20): a photo of a paper page, taken at an angle, read with OCR (straightened first),
captured onto an encounter: the photo in the evidence vault as it is, the read text a new document that the
next screening reads (a planted R29 hit appears), undone like any change; nothing of the page's text reaches
the disk outside the store."""

import datetime as dt
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from feijian.casework.captured_pages import (capture_document, captured_rows, proposed_date, proposed_doc_type,
                                             read_photo, withdraw_document)
from feijian.casework.changes import undo
from feijian.casework.screening import screen_case
from feijian.crypto.identity import create_identity
from feijian.domain.errors import InputError
from feijian.domain.records import CaseInfo
from feijian.store.case_store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from canary_scan import CANARY_ID, scan  # noqa: E402
from rule_tables import case, doc, fee, kb, visit  # noqa: E402

ITEMS = [{"med_list_codg": "BED", "category": "bed"}]
KB = kb(ITEMS)
LINES = ["护理记录", "2024年3月5日 20:30", "患者于今日请假离院，未在病房。", f"身份证号 {CANARY_ID}"]


def photographed_jpeg() -> bytes:
    """The page drawn, then warped onto a dark desk as a phone held at an angle sees it, as a JPEG."""
    cv2 = pytest.importorskip("cv2")
    from paper_pages import encoded, page
    from PIL import Image

    sheet = np.asarray(page(LINES, size=(1000, 1400), font_px=40))
    src = np.array([[0, 0], [999, 0], [999, 1399], [0, 1399]], dtype="float32")
    corners = np.array([[260, 180], [1180, 260], [1260, 1600], [150, 1500]], dtype="float32")
    desk = np.full((1800, 1400, 3), 60, np.uint8)
    m = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(sheet, m, (1400, 1800))
    mask = cv2.warpPerspective(np.full(sheet.shape[:2], 255, np.uint8), m, (1400, 1800))
    desk[mask > 0] = warped[mask > 0]
    return encoded(Image.fromarray(desk), "JPEG", quality=85)


@pytest.fixture
def disk(tmp_path, monkeypatch):
    """Temp and the user's folders under the test's folder, to be scanned afterwards."""
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    return tmp_path


def _store(path):
    info = CaseInfo(case_id="case-capture", name="现场采集", medins_code="H1", medins_name="测试医院", medins_lv="3",
                    data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))
    s = CaseStore.create(path, info, create_identity("张检查", "J-001"))
    tables = case([fee("V1", "1", "BED", "2024-03-05 00:00", 1, 50)],
                  [visit("V1", "2024-03-01 09:00", "2024-03-10 10:00")],
                  emr_docs=[doc("P1", "V1", "progress", "2024-03-02 09:00", "病情平稳。")])
    for name, t in tables.items():
        s.write_table("b1", name, t)
    return s


def test_a_photographed_page_captured_onto_an_encounter(disk):
    pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")
    inputs = disk / "input"
    inputs.mkdir()
    photo = inputs / "IMG_0001.jpg"
    photo.write_bytes(photographed_jpeg())
    (disk / "case").mkdir()
    store = _store(disk / "case" / "c.fjcase")
    try:
        assert len(screen_case(store, kb=KB, rules=["R29"]).hits) == 0
        reading = read_photo(None, photo)
        assert reading.straightened == (1,) and reading.file_format == "ocr/jpeg"
        assert "请假离院" in reading.text and CANARY_ID in reading.text.replace(" ", "")
        assert reading.proposed == dt.datetime(2024, 3, 5, 20, 30)
        assert proposed_doc_type(reading.text) == "nursing"
        change = capture_document(store, reading, photo, mdtrt_id="V1", doc_type="护理记录", doc_time=reading.proposed)
        [row] = captured_rows(store.state())
        assert row["doc_type"] == "nursing" and row["doc_time"] == dt.datetime(2024, 3, 5, 20, 30)
        assert row["text"] == reading.text and row["_ocr_lines"] and row["_file_format"] == "ocr/jpeg"
        [item] = store.evidence_items()
        assert row["_page_evidence"] == item.evidence_id and store.read_evidence(item.evidence_id) == photo.read_bytes()
        assert [e.type for e in store.events()][-2:] == ["evidence.added", "emr.document_captured"]
        hits = screen_case(store, kb=KB, rules=["R29"]).hits
        assert list(hits["feedetl_sn"]) == ["1"] and "请假离院" in hits["detail"].iloc[0]
        undo(store, change)  # withdrawn: the screening no longer reads it (the photo stays evidence)
        assert captured_rows(store.state()) == []
        assert len(screen_case(store, kb=KB, rules=["R29"]).hits) == 0
        # nothing of the page's text outside the store, while it is open and after
        assert scan([disk], texts=(CANARY_ID,), skip=[inputs]) == []
    finally:
        store.close()
    assert scan([disk], texts=(CANARY_ID,), skip=[inputs]) == []


def test_bad_captures_are_refused(disk, tmp_path):
    from feijian.casework.captured_pages import PageReading, check_photo

    store = _store(tmp_path / "c.fjcase")
    try:
        (tmp_path / "notes.txt").write_text("x")
        with pytest.raises(InputError, match="not a page photo"):
            check_photo(tmp_path / "notes.txt")
        with pytest.raises(InputError, match="no such file"):
            check_photo(tmp_path / "missing.jpg")
        reading = PageReading("p.jpg", "0" * 64, 3, "护理记录", '{"lines":[]}', 0.9, "ocr/jpeg", 1)
        kwargs = dict(mdtrt_id="V1", doc_type="nursing", doc_time=dt.datetime(2024, 3, 5))
        with pytest.raises(InputError, match="changed after it was read"):
            capture_document(store, reading, b"abc", **kwargs)
        for bad in ({"mdtrt_id": ""}, {"doc_type": "照片"}, {"doc_time": None}):
            with pytest.raises(InputError):
                capture_document(store, reading, b"abc", **{**kwargs, **bad})
        assert captured_rows(store.state()) == [] and store.evidence_items() == []
        with pytest.raises(InputError):
            withdraw_document(store, "CAP-none")
    finally:
        store.close()


def test_the_date_proposed_from_the_page():
    assert proposed_date("护理记录\n2024年3月5日 20:30 体温正常") == dt.datetime(2024, 3, 5, 20, 30)
    assert proposed_date("记录日期：2024-03-06") == dt.datetime(2024, 3, 6)
    assert proposed_date("2024年2月30日；2024/03/07 08:15") == dt.datetime(2024, 3, 7, 8, 15)  # no 30 February
    stay = (dt.date(2024, 3, 1), dt.date(2024, 3, 10))
    assert proposed_date("出生 1950年1月2日，2024年3月4日入院", *stay) == dt.datetime(2024, 3, 4)
    assert proposed_date("未写日期", *stay) is None
    assert proposed_doc_type("检查报告\n腹部超声") == "exam_report" and proposed_doc_type("某页") is None
