"""An emr_docs index pointing at photographed pages and scans (issue 20): images and PDF pages without a text
layer are read with OCR through the reader table; each document says it was read with OCR, with its lowest
confidence and its lines (page, box, confidence); bad pages are refused rows with their reason."""

import hashlib
import json
import struct
import zlib

import pytest

from feijian.ingest import read_file
from feijian.ingest.doc_readers import reader_for
from feijian.ingest.document_text import lines_from_json

from paper_pages import encoded, page

pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")

INDEX_HEADER = "文书ID,就诊ID,文书类型,记录时间,文件"
OP = ["经皮冠状动脉介入治疗手术记录", "术中经右桡动脉穿刺，置入药物洗脱支架2枚。"]
NURSING = ["护理记录", "一级护理，患者在病房。"]


def _bomb_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def _text_pdf(lines) -> bytes:
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(lines):
        c.drawString(72, 760 - 18 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    d = tmp_path_factory.mktemp("paper")
    (d / "pages").mkdir()
    (d / "pages/op.png").write_bytes(encoded(page(OP)))
    (d / "pages/nursing.jpg").write_bytes(encoded(page(NURSING), "JPEG", quality=75))
    (d / "pages/scan.pdf").write_bytes(encoded(page(OP[:1]), "PDF", resolution=150))
    (d / "pages/text.pdf").write_bytes(_text_pdf(NURSING))
    (d / "pages/bomb.png").write_bytes(_bomb_png())
    (d / "pages/broken.jpg").write_bytes(encoded(page(OP), "JPEG", quality=75)[:4000])
    rows = ["P1,M1,手术记录,2024-01-05 10:00,pages/op.png",
            "P2,M1,护理记录,2024-01-05 12:00,pages/nursing.jpg",
            "P3,M1,手术记录,2024-01-05 10:00,pages/scan.pdf",
            "P4,M1,护理记录,2024-01-05 12:00,pages/text.pdf",
            "P5,M1,其他,2024-01-05 12:00,pages/bomb.png",
            "P6,M1,其他,2024-01-05 12:00,pages/broken.jpg"]
    (d / "病历文书.csv").write_text("\n".join([INDEX_HEADER] + rows) + "\n", encoding="utf-8")
    return d, read_file(d / "病历文书.csv")


def test_images_and_scanned_pdfs_are_read_with_ocr_and_say_so(index):
    folder, r = index
    rows = {x["doc_id"]: x for x in r.data.to_pylist()}
    assert set(rows) == {"P1", "P2", "P3", "P4"}
    assert rows["P1"]["text"] == "\n".join(OP)
    assert rows["P2"]["text"] == "\n".join(NURSING)
    assert rows["P3"]["text"] == OP[0]
    assert [rows[k]["_file_format"] for k in ("P1", "P2", "P3", "P4")] == ["ocr/png", "ocr/jpeg", "pdf+ocr", "pdf"]
    for k in ("P1", "P2", "P3"):
        assert 0.5 < rows[k]["_ocr_confidence"] <= 1.0
        lines = lines_from_json(rows[k]["_ocr_lines"])
        assert [x.text for x in lines] == rows[k]["text"].split("\n")
        assert min(x.confidence for x in lines) == rows[k]["_ocr_confidence"]
        assert all(x.page == 1 and x.box[2] > x.box[0] + 100 for x in lines)
        assert json.loads(rows[k]["_ocr_lines"])["pages"] == {"1": rows[k]["_ocr_confidence"]}
    # a text-layer PDF is not read with OCR
    assert rows["P4"]["_ocr_confidence"] is None and rows["P4"]["_ocr_lines"] is None
    assert "一级护理" in rows["P4"]["text"]
    # the originals are hashed into the chain of custody as any document file
    assert rows["P1"]["_file_sha256"] == hashlib.sha256((folder / "pages/op.png").read_bytes()).hexdigest()


def test_an_image_bomb_and_a_broken_jpeg_are_refused_rows_with_their_reason(index):
    _, r = index
    reasons = {x.line: x.reason for x in r.rejected}
    assert sorted(reasons) == [6, 7]
    assert "100000×100000" in reasons[6] and "not decoded" in reasons[6] and "SHA-256" in reasons[6]
    assert "broken" in reasons[7]
    assert r.document_file.read == 4 and r.document_file.refused == 2


def test_every_image_suffix_has_a_reader_and_pdf_falls_back_to_ocr():
    for suffix in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".PNG"):
        assert reader_for(suffix) is not None
    assert reader_for(".pdf").__name__ == "read_pdf_or_scan"


def test_without_the_extra_an_image_is_a_refused_row_saying_how_to_install(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    (tmp_path / "p.png").write_bytes(encoded(page(OP[:1])))
    (tmp_path / "emr_docs.csv").write_text(INDEX_HEADER + "\nA,M1,手术记录,2024-01-05 10:00,p.png\n", encoding="utf-8")
    r = read_file(tmp_path / "emr_docs.csv")
    assert r.data.num_rows == 0
    assert "feijian[ocr]" in r.rejected[0].reason
