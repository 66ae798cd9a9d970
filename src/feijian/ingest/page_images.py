"""Page images of a paper record, opened safely: the pages of a photograph or scan (JPEG, PNG, TIFF with many
pages, BMP, WebP) or of a PDF whose pages have no text layer (rendered with pypdfium2). Everything stays in
memory: the file arrives as bytes and each page leaves as a numpy RGB array; nothing is written to disk.

A file is refused with its reason, before the work that would exhaust the machine: a page whose header says it
decodes to more than ``max_pixels`` (an image bomb), a file with more than ``max_pages`` pages, a truncated or
broken image. Limits are in resources/ocr/limits.toml."""

from __future__ import annotations

import io
import threading
import tomllib
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

from feijian.domain.errors import InputError
from feijian.paths import resource

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp")


class PageImageError(InputError):
    """A page image that cannot or must not be read (too large, too many pages, broken)."""


@dataclass(frozen=True)
class OcrLimits:
    max_pixels: int
    max_pages: int
    max_file_bytes: int
    pdf_render_dpi: int
    ocr_max_side: int
    ocr_det_side: int
    ocr_rec_batch: int
    page_timeout_seconds: float
    low_confidence: float
    min_line_score: float


@lru_cache(maxsize=1)
def limits() -> OcrLimits:
    raw = tomllib.loads(resource("ocr", "limits.toml").read_text(encoding="utf-8"))
    return OcrLimits(**raw)


@dataclass(frozen=True)
class PageImage:
    page: int  # 1-based
    image: object  # numpy uint8 array, height × width × 3 (RGB)
    scale: float  # image pixels per source pixel (< 1 when scaled down for the recogniser)


@dataclass(frozen=True)
class PdfPage:
    """A PDF page: its text layer when it has one, else the page rendered (``image``)."""

    page: int
    text_lines: tuple[str, ...]
    image: Optional[PageImage]


def require_pdfium():
    try:
        import pypdfium2
    except ImportError:
        raise InputError("未安装 pypdfium2，无法读取扫描件 PDF；请安装 pip install 'feijian[ocr]' / "
                         "pypdfium2 missing: install feijian[ocr] to read scanned PDFs") from None
    return pypdfium2


def check_pixels(width: int, height: int, page: int, lim: OcrLimits) -> None:
    if width <= 0 or height <= 0:
        raise PageImageError(f"第 {page} 页图像尺寸无效 {width}×{height} / page {page} has an invalid size")
    if width * height > lim.max_pixels:
        raise PageImageError(
            f"第 {page} 页图像 {width}×{height} 像素，超过上限 {lim.max_pixels:,} 像素，拒绝解码（疑似图像炸弹）"
            f" / page {page} is {width}×{height} px, above the limit of {lim.max_pixels:,} px: not decoded")


def to_page_image(im, page: int, lim: OcrLimits) -> PageImage:
    import numpy as np
    from PIL import Image

    check_pixels(im.width, im.height, page, lim)
    try:
        im.load()
    except Exception as exc:  # truncated or corrupt data: Pillow raises OSError, SyntaxError, ValueError …
        raise PageImageError(f"第 {page} 页图像已损坏，无法解码（{exc}） / page {page} is broken: {exc}") from None
    scale = 1.0
    side = max(im.width, im.height)
    if side > lim.ocr_max_side:
        scale = lim.ocr_max_side / side
        im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.Resampling.LANCZOS)
    if im.mode != "RGB":
        im = im.convert("RGB")
    return PageImage(page=page, image=np.asarray(im), scale=scale)


def count_image_pages(data: bytes) -> int:
    """Number of frames of an image file, counted without decoding (a TIFF's IFD chain), at most max_pages+1."""
    im = open_image(data)
    lim = limits()
    n = 1
    while n <= lim.max_pages:
        try:
            im.seek(n)
        except EOFError:
            break
        n += 1
    return n


_OPEN_LOCK = threading.Lock()


def open_image(data: bytes):
    """Open an image file, reading only its header. Pillow's own bomb guard is held off for the header (so
    that our check can say the size) and stays on, at max_pixels, for every decode."""
    from PIL import Image, UnidentifiedImageError

    with _OPEN_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        Image.MAX_IMAGE_PIXELS = None
        try:
            im = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            raise PageImageError("不是可识别的图像文件 / not an image file Pillow can read") from None
        except Exception as exc:
            raise PageImageError(f"图像文件头损坏（{exc}） / broken image header: {exc}") from None
        finally:
            Image.MAX_IMAGE_PIXELS = limits().max_pixels
    check_pixels(im.width, im.height, 1, limits())
    return im


def image_pages(data: bytes, name: str = "") -> Iterator[PageImage]:
    """The pages of an image file, one at a time (so a 300-page TIFF never sits in memory whole)."""
    lim = limits()
    if len(data) > lim.max_file_bytes:
        raise PageImageError(f"文件 {name} 超过 {lim.max_file_bytes:,} 字节 / file {name} too large")
    n = count_image_pages(data)
    if n > lim.max_pages:
        raise PageImageError(
            f"文件 {name} 超过 {lim.max_pages} 页，整份拒绝（部分读取会使缺失类规则误判） / "
            f"{name} has more than {lim.max_pages} pages: refused whole")
    im = open_image(data)
    for index in range(n):
        if index:
            im.seek(index)
        yield to_page_image(im, index + 1, lim)


def open_pdf(data: bytes, name: str = ""):
    """The PDF as pypdfium2 opens it; a file it cannot open is a PageImageError with the reason."""
    pdfium = require_pdfium()
    try:
        return pdfium.PdfDocument(data)
    except Exception as exc:
        raise PageImageError(f"PDF 文件 {name} 无法打开（{exc}） / PDF {name} cannot be opened: {exc}") from None


def pdf_pages(data: bytes, name: str = "") -> Iterator[PdfPage]:
    """The pages of a PDF: a page with a text layer gives its text lines, a page without one is rendered."""
    lim = limits()
    if len(data) > lim.max_file_bytes:
        raise PageImageError(f"文件 {name} 超过 {lim.max_file_bytes:,} 字节 / file {name} too large")
    pdf = open_pdf(data, name)
    try:
        n = len(pdf)
        if n > lim.max_pages:
            raise PageImageError(
                f"PDF {name} 有 {n} 页，超过上限 {lim.max_pages} 页，整份拒绝 / {name} has {n} pages, "
                f"above the limit of {lim.max_pages}: refused whole")
        scale = lim.pdf_render_dpi / 72.0
        for index in range(n):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_range() or ""
                textpage.close()
                lines = tuple(line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
                if "".join(lines).strip():
                    yield PdfPage(page=index + 1, text_lines=lines, image=None)
                    continue
                width, height = page.get_size()
                check_pixels(round(width * scale), round(height * scale), index + 1, lim)
                bitmap = page.render(scale=scale)
                im = bitmap.to_pil()
                yield PdfPage(page=index + 1, text_lines=(), image=to_page_image(im, index + 1, lim))
            finally:
                page.close()
    finally:
        pdf.close()

