"""A page of a record document's original decoded for the record view (issue 20): the same pixels the
recogniser's boxes were measured in (ingest/page_images.py read it, ingest/page_straighten.py straightened a
photo), scaled down for the screen. In memory only."""

from __future__ import annotations

from dataclasses import dataclass

from feijian.ingest.page_images import (PageImageError, check_pixels, count_image_pages, limits, open_image, open_pdf,
                                        to_page_image)
from feijian.ingest.page_straighten import straighten_image


@dataclass(frozen=True)
class DisplayPage:
    """One page of an original, decoded for the record view: ``image`` (numpy RGB) in which a recognised
    line's box ``(x0, y0, x1, y1)`` stands at ``box × scale``; ``pages``: the file's page count."""

    page: int
    image: object
    scale: float
    pages: int


def display_page(data: bytes, suffix: str, page: int = 1, *, straightened: bool = False,
                 max_side: int = 2000) -> DisplayPage:
    """Page ``page`` of an original (image file or PDF) as the reader saw it, for showing its boxes: the
    same pixels the boxes were measured in (a PDF page rendered at ``pdf_render_dpi``, a photo straightened
    again when it was read straightened), scaled down to ``max_side`` for the screen. In memory only; the
    same limits as the import (an image bomb is refused from its header)."""
    lim = limits()
    if suffix.lower() == ".pdf":
        read, n = _pdf_page(data, page, lim)
    else:
        n = count_image_pages(data)
        if not 1 <= page <= min(n, lim.max_pages):
            raise PageImageError(f"图像没有第 {page} 页（共 {n} 页） / no page {page} (of {n})")
        im = open_image(data)
        if page > 1:
            im.seek(page - 1)
        read = to_page_image(im, page, lim)  # the pixels the recogniser saw (scaled down to ocr_max_side)
    image, unit = read.image, read.scale  # box unit -> pixels of ``image``
    if straightened:
        straight = straighten_image(image)
        if straight is not image:
            image, unit = straight, 1.0  # boxes of a straightened page are in its own pixels
    side = max(image.shape[0], image.shape[1])
    if side > max_side:
        import numpy as np
        from PIL import Image

        fit = max_side / side
        small = Image.fromarray(image).resize((max(1, round(image.shape[1] * fit)), max(1, round(image.shape[0] * fit))),
                                              Image.Resampling.LANCZOS)
        image, unit = np.asarray(small), unit * fit
    return DisplayPage(page, image, unit, n)


def _pdf_page(data: bytes, page: int, lim):
    """A PDF page rendered as the import rendered it (pdf_render_dpi)."""
    pdf = open_pdf(data)
    try:
        n = len(pdf)
        if not 1 <= page <= n:
            raise PageImageError(f"PDF 没有第 {page} 页（共 {n} 页） / no page {page} (of {n})")
        p = pdf[page - 1]
        try:
            width, height = p.get_size()
            render = lim.pdf_render_dpi / 72.0
            check_pixels(round(width * render), round(height * render), page, lim)
            return to_page_image(p.render(scale=render).to_pil(), page, lim), n
        finally:
            p.close()
    finally:
        pdf.close()
