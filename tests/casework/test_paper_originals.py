"""Importing an emr_docs index of photographed pages into a real encrypted case (issue 20): the read text in
``emr_docs`` with its OCR confidence and lines, the original photo in the evidence vault (an evidence.added
event), named by the document; a file named twice is stored once."""

import io

import pytest

from feijian.casework.importing import PAGE_EVIDENCE, import_folder
from feijian.crypto.identity import create_identity
from feijian.domain.records import CaseInfo
from feijian.store.case_store import CaseStore

pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")

LINES = ["护理记录", "患者于12月3日请假离院，未在病房。"]


def _png(lines) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    from feijian.paths import resource

    font = ImageFont.truetype(str(resource("fonts", "wqy-microhei.ttc")), 36)
    img = Image.new("RGB", (1240, 600), "white")
    for i, line in enumerate(lines):
        ImageDraw.Draw(img).text((100, 150 + i * 70), line, font=font, fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")


def test_a_photographed_page_goes_into_the_vault_and_its_text_into_emr_docs(tmp_path):
    data = tmp_path / "data"
    (data / "scans").mkdir(parents=True)
    png = _png(LINES)
    (data / "scans/n1.png").write_bytes(png)
    (data / "病历文书.csv").write_text(
        "文书ID,就诊ID,文书类型,记录时间,文件,正文\n"
        "N1,M1,护理记录,2024-12-03 20:00,scans/n1.png,\n"
        "N2,M1,护理记录,2024-12-03 21:00,scans/n1.png,\n"  # the same photo named twice
        "N3,M1,护理记录,2024-12-04 08:00,,一级护理。\n", encoding="utf-8")
    info = CaseInfo(case_id="case-paper", name="纸质病历", medins_code="H1", medins_name="某医院", medins_lv="3")
    with CaseStore.create(tmp_path / "c.fjcase", info, create_identity("张检查", "J-001")) as store:
        summary = import_folder(store, data)
        assert summary.tables == {"emr_docs": 3}
        docs = {r["doc_id"]: r for r in store.read_table("emr_docs").to_pylist()}
        assert docs["N1"]["text"] == "\n".join(LINES) and docs["N1"]["_file_format"] == "ocr/png"
        assert docs["N1"]["_ocr_confidence"] > 0.5 and docs["N1"]["_ocr_lines"]
        assert docs["N3"]["_ocr_confidence"] is None and docs["N3"][PAGE_EVIDENCE] is None
        evidence = docs["N1"][PAGE_EVIDENCE]
        assert evidence and docs["N2"][PAGE_EVIDENCE] == evidence
        items = store.evidence_items()
        assert [i.evidence_id for i in items] == [evidence]
        assert items[0].original_name == "n1.png" and items[0].media_type == "image/png" and "N1" in items[0].note
        assert store.read_evidence(evidence) == png
        assert sum(e.type == "evidence.added" for e in store.events()) == 1
