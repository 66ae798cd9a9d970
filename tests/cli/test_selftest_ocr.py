"""The self-test's OCR check (issue 20): a line drawn in the bundled font is read back through the import's
reader and the spawned worker pool (in the frozen bundle: the models bundled, the worker started from the
executable); without the OCR extra the check says so and passes."""

import pytest

from feijian.cli import selftest


def test_the_selftest_reads_a_page_with_the_worker_pool(capsys):
    pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")
    assert selftest._check_ocr() is True
    assert "selftest: OCR read a page in" in capsys.readouterr().out


def test_without_the_ocr_extra_the_check_says_so_and_passes(monkeypatch, capsys):
    import feijian.ingest.ocr as ocr

    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    assert selftest._check_ocr() is True
    assert "OCR extra not installed" in capsys.readouterr().out


def test_a_page_read_wrong_fails_the_selftest(monkeypatch, capsys):
    pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")
    import feijian.ingest.paper_documents as paper

    real = paper.read_paper_document
    monkeypatch.setattr(paper, "read_paper_document",
                        lambda data, suffix: real(data[: len(data) // 3] + b"\xff\xd9", suffix))  # a cut photo
    try:
        ok = selftest._check_ocr()
    except Exception as exc:  # a broken page is refused with its reason: the self-test fails either way
        ok = False
        print(exc)
    assert ok is False
