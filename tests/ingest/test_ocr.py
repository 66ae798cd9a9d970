"""Reading photographs and scans of paper records (issue 20): the recogniser's lines with page, box and
confidence; the worker pool's progress, cancel and per-page time limit; refusing image bombs, broken JPEGs
and over-long TIFFs before the work; scanned PDFs rendered; the missing-extra message."""

import struct
import sys
import time
import zlib

import pytest

from feijian.domain.errors import Cancelled
from feijian.ingest import ocr
from feijian.ingest.document_text import TextLine
from feijian.ingest.ocr import OcrPool, OcrUnavailable, join_lines
from feijian.ingest.page_images import PageImageError, image_pages, limits, pdf_pages
from feijian.ingest.paper_documents import read_paper_document

from paper_pages import encoded, page

pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")

LINES = ["经皮冠状动脉介入治疗手术记录", "术中经右桡动脉穿刺，置入药物洗脱支架2枚。", "患者于12月3日请假离院，未在病房。"]


@pytest.fixture(scope="module")
def pool():
    with OcrPool(workers=1) as p:
        yield p


def test_a_page_is_read_into_lines_with_page_box_and_confidence(pool):
    doc = read_paper_document(encoded(page(LINES)), ".png", "p.png", pool=pool)
    assert [line.text for line in doc.lines] == LINES
    first = doc.lines[0]
    assert first.page == 1 and 0.9 < first.confidence <= 1.0
    x0, y0, x1, y1 = first.box
    assert 90 <= x0 <= 110 and 140 <= y0 <= 165 and x1 > 500  # where the line was drawn
    assert doc.text == "\n".join(LINES)


def test_a_jpeg_photo_and_a_multi_page_tiff(pool):
    jpeg = encoded(page(LINES[:1]), "JPEG", quality=70)
    assert read_paper_document(jpeg, ".jpg", pool=pool).lines[0].text == LINES[0]
    frames = [page([LINES[0]]), page([LINES[2]])]
    buf = encoded(frames[0], "TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    doc = read_paper_document(buf, ".tif", pool=pool)
    assert [(line.page, line.text) for line in doc.lines] == [(1, LINES[0]), (2, LINES[2])]


def test_a_scanned_pdf_is_rendered_and_read_and_a_text_pdf_keeps_its_layer(pool):
    scanned = encoded(page(LINES[:2]), "PDF", resolution=150)
    doc = read_paper_document(scanned, ".pdf", pool=pool)
    assert [line.text for line in doc.lines] == LINES[:2]
    assert all(line.box is not None and line.confidence < 1 for line in doc.lines)
    from reportlab.pdfgen import canvas
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    import io

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont("STSong-Light", 14)
    c.drawString(72, 700, "一级护理，病情平稳。")
    c.save()
    pages = list(pdf_pages(out.getvalue()))
    assert pages[0].image is None and "一级护理" in "".join(pages[0].text_lines)


def _png_header_only(width, height):
    """A PNG that says it is width × height: valid signature and IHDR, one tiny IDAT. Decoding it would
    need width × height × 3 bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_an_image_bomb_is_refused_by_its_header_before_decoding():
    import resource as rlimit

    before = rlimit.getrusage(rlimit.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(PageImageError, match="100000×100000.*图像炸弹"):
        list(image_pages(_png_header_only(100_000, 100_000), "bomb.png"))
    assert time.monotonic() - started < 2
    assert rlimit.getrusage(rlimit.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB: nothing near 30 GB


def test_a_broken_jpeg_is_refused_with_its_reason():
    jpeg = encoded(page(LINES), "JPEG", quality=80)
    with pytest.raises(PageImageError, match="损坏"):
        list(image_pages(jpeg[: len(jpeg) // 3], "broken.jpg"))
    with pytest.raises(PageImageError, match="不是可识别的图像"):
        list(image_pages(b"\xff\xd8\xff" + b"junk" * 10, "junk.jpg"))


def test_a_500_page_tiff_is_refused_whole_without_decoding_its_pages():
    from PIL import Image

    small = [Image.new("L", (8, 8), 255) for _ in range(500)]
    buf = encoded(small[0], "TIFF", save_all=True, append_images=small[1:])
    with pytest.raises(PageImageError, match=f"超过 {limits().max_pages} 页"):
        next(image_pages(buf, "long.tif"))


def test_a_large_photo_is_scaled_down_for_the_recogniser_and_boxes_stay_in_its_pixels(pool):
    big = page(LINES[:1], size=(4960, 7016), font_px=144)
    [p] = list(image_pages(encoded(big, "JPEG", quality=85)))
    assert max(p.image.shape[:2]) == limits().ocr_max_side and p.scale < 1
    [result] = pool.read([("k", p)])
    assert result.lines[0].text == LINES[0]
    assert 85 <= result.lines[0].box[0] <= 120 and result.lines[0].box[2] > 1500  # the photo's own pixels


def test_a_page_over_the_time_limit_is_refused_and_the_next_page_still_read():
    [p] = list(image_pages(encoded(page(LINES[:1]))))
    progress = []
    with OcrPool(workers=1, page_timeout=6) as slow_pool:
        started = time.monotonic()
        results = slow_pool.read([("stuck", ("sleep", 600)), ("ok", p)],
                                 progress=lambda d, t, m: progress.append(d))
    # the stuck page sleeps 600 s: far under that means it was abandoned at its limit (the margin is for a
    # loaded machine's worker start-up, not a speed target)
    assert time.monotonic() - started < 120
    assert results[0].key == "stuck" and "超过 6 秒" in results[0].error and results[0].lines == ()
    assert results[1].key == "ok" and results[1].error == "" and results[1].lines[0].text == LINES[0]
    assert progress[-1] == 2


def test_cancel_stops_the_workers():
    with OcrPool(workers=1, page_timeout=120) as p:
        started = time.monotonic()
        with pytest.raises(Cancelled):
            p.read([("a", ("sleep", 600))], cancelled=lambda: time.monotonic() - started > 3)
        assert time.monotonic() - started < 120  # not the 600 s the page would sleep
        assert p._slots == []


def test_without_the_extra_the_message_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(OcrUnavailable, match=r"未安装文字识别组件.*feijian\[ocr\]"):
        ocr.require_engine_module()
    assert not ocr.ocr_available()


def test_wrapped_lines_join_without_a_break_and_clause_ends_keep_it():
    lines = [TextLine(1, (100, 0, 1000, 30), 0.99, "术中经右桡动"), TextLine(1, (100, 40, 1005, 70), 0.99, "脉穿刺。"),
             TextLine(1, (100, 80, 400, 110), 0.99, "一级护理"), TextLine(1, (100, 120, 998, 150), 0.99, "病情平稳")]
    assert join_lines(lines) == "术中经右桡动脉穿刺。\n一级护理\n病情平稳"
    assert join_lines(lines, {1: 1100}) == "术中经右桡动脉穿刺。\n一级护理\n病情平稳"


def test_short_lines_of_a_sparse_page_are_not_joined():
    lines = [TextLine(1, (100, 0, 560, 30), 0.99, "今日查房，患者精神可，饮食睡眠可"),
             TextLine(1, (100, 40, 600, 70), 0.99, "患者下午请假外出，当日18时返回病房")]
    assert join_lines(lines) == "今日查房，患者精神可，饮食睡眠可患者下午请假外出，当日18时返回病房"  # no width known
    assert join_lines(lines, {1: 1240}) == "今日查房，患者精神可，饮食睡眠可\n患者下午请假外出，当日18时返回病房"
