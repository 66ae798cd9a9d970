"""The demo's paper records (issue 20): a handful of documents as photos and scans beside an index, chosen
where planted R24–R29 hits quote their clause; skipped, with the reason, without the OCR extra."""

import csv
import importlib.util

import pytest

from feijian import demodata
from feijian.demodata import paper_pages


@pytest.fixture(scope="module")
def paper_demo(tmp_path_factory):
    pytest.importorskip("cv2", reason="OCR extra: make ocr")
    out = tmp_path_factory.mktemp("paper") / "data"
    return out, demodata.generate(out, scale=0.01, seed=3, paper=True)


def _rows(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def test_photos_and_scans_stand_beside_an_index_and_leave_the_csv(paper_demo):
    out, manifest = paper_demo
    docs = manifest.paper_documents
    assert 4 <= len(docs) <= 20
    kinds = {d["kind"] for d in docs.values()}
    assert {"photo", "perspective", "scan_pdf"} <= kinds
    assert {d["rule_code"] for d in docs.values()} <= set(paper_pages.RULES)
    index = _rows(out / paper_pages.INDEX_NAME)  # the demo's index of document files, the pages added to it
    paper = [r for r in index if r["文件"].endswith((".jpg", ".png")) or r["文书ID"] in docs]
    assert {r["文书ID"] for r in paper} == set(docs)
    assert all(r["内容"] == "" and (out / r["文件"]).is_file() for r in index)
    assert len(index) > len(paper) == manifest.files[paper_pages.INDEX_NAME]["rows"] - sum(
        n for k, n in manifest.files[paper_pages.INDEX_NAME]["formats"].items() if k in ("pdf", "docx", "txt"))
    text_rows = _rows(out / "病历文书.csv")
    assert text_rows and not {r["文书ID"] for r in text_rows} & set(docs)  # moved, not copied
    assert len(text_rows) == manifest.files["病历文书.csv"]["rows"]
    for d in docs.values():
        data = (out / d["file"]).read_bytes()
        assert data[:4] in (b"\xff\xd8\xff\xe0", b"\x89PNG", b"%PDF") or data[:3] == b"\xff\xd8\xff"
        if d["kind"] == "scan_pdf":
            from pypdf import PdfReader
            import io

            assert not "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).strip()
    assert "纸质病历" in manifest.paper


def test_without_the_ocr_extra_the_demo_says_it_skipped_them(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "rapidocr_onnxruntime" else real(name, *a))
    manifest = demodata.generate(tmp_path / "d", scale=0.01, seed=3, paper=True)
    assert not manifest.paper_documents and "rapidocr_onnxruntime" in manifest.paper
    index = _rows(tmp_path / "d" / paper_pages.INDEX_NAME)  # only the demo's PDF/DOCX/TXT files
    assert index and not any(r["文件"].endswith((".jpg", ".png")) for r in index)
