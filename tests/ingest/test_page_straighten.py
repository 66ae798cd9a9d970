"""Straightening a page photographed at an angle (issue 20): the page's outline is found on a dark desk and
the perspective corrected, so the recogniser reads the lines; a flat scan is left as it is."""

import numpy as np
import pytest

from paper_pages import page

cv2 = pytest.importorskip("cv2", reason="OCR extra: make ocr")
pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")

from feijian.ingest.page_images import PageImage  # noqa: E402
from feijian.ingest.page_straighten import page_outline, straighten_image, straighten_page  # noqa: E402

LINES = ["护理记录", "患者于12月3日请假离院，未在病房。", "一级护理，病情平稳。"]


def photographed():
    """The page drawn, then warped onto a dark desk as a phone held at an angle sees it."""
    sheet = np.asarray(page(LINES, size=(1000, 1400), font_px=40))
    src = np.array([[0, 0], [999, 0], [999, 1399], [0, 1399]], dtype="float32")
    corners = np.array([[260, 180], [1180, 260], [1260, 1600], [150, 1500]], dtype="float32")
    desk = np.full((1800, 1400, 3), 60, np.uint8)
    m = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(sheet, m, (1400, 1800))
    mask = cv2.warpPerspective(np.full(sheet.shape[:2], 255, np.uint8), m, (1400, 1800))
    desk[mask > 0] = warped[mask > 0]
    return desk, corners


def test_the_outline_is_found_and_the_page_made_upright():
    photo, corners = photographed()
    found = page_outline(photo)
    assert found is not None and np.abs(found - corners).max() < 15
    straight = straighten_image(photo)
    h, w = straight.shape[:2]
    assert 0.6 < w / h < 0.9 and h < photo.shape[0]  # about the page's proportions (1000 × 1400)
    for y, x in ((5, 5), (5, w - 6), (h - 6, 5), (h - 6, w - 6)):  # the desk is cut away: white corners
        assert straight[y, x].min() > 200


def test_a_straightened_photo_is_read_and_a_flat_scan_left_alone():
    from feijian.ingest.ocr import read_image

    photo, _ = photographed()
    page_image = straighten_page(PageImage(page=1, image=photo, scale=1.0))
    texts = [line.text for line in read_image(page_image)]
    assert LINES[1] in texts
    flat = np.asarray(page(LINES))
    assert straighten_image(flat) is flat
