"""Straightening a photographed page before it is read (issue 20): find the page's outline (the largest
four-cornered contour clearly brighter than its surroundings, covering a good part of the photo) and correct
the perspective so the page fills an upright rectangle. A photo without such an outline (a flat scan, a page
filling the frame) is returned as it is. OpenCV (headless) from the OCR extra; all in memory."""

from __future__ import annotations

from dataclasses import replace

from feijian.ingest.page_images import PageImage

MIN_AREA = 0.2  # the outline must cover at least this share of the photo
MAX_AREA = 0.98  # ... and not be the photo's own border


def page_outline(image):
    """The page's four corners (top left, top right, bottom right, bottom left) as a float32 array, or None."""
    import cv2
    import numpy as np

    gray = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY)
    scale = 1000.0 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    scale = min(scale, 1.0)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))  # the text inside the page
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area = small.shape[0] * small.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
        share = cv2.contourArea(contour) / area
        if not MIN_AREA <= share <= MAX_AREA:
            continue
        quad = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
        if len(quad) != 4 or not cv2.isContourConvex(quad):
            continue
        pts = quad.reshape(4, 2).astype("float32") / scale
        s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
        return np.array([pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]], dtype="float32")
    return None


def straighten_image(image):
    """The page cut out of the photo and made upright (the image unchanged when no outline is found)."""
    import cv2
    import numpy as np

    corners = page_outline(image)
    if corners is None:
        return image
    tl, tr, br, bl = corners
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    if width < 50 or height < 50:
        return image
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype="float32")
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(np.ascontiguousarray(image), matrix, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)


def straighten_page(page: PageImage) -> PageImage:
    """A page image straightened (boxes of its lines are then in the straightened page's pixels)."""
    straight = straighten_image(page.image)
    return page if straight is page.image else replace(page, image=straight, scale=1.0)
