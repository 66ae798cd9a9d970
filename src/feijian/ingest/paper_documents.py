"""Record documents on paper: a photograph or scan (image file, multi-page TIFF) or a PDF read into a
DocumentText. PDF pages with a text layer keep their text (confidence 1, no box); image pages and PDF pages
without a text layer are read with OCR in the worker pool. The reader table of the emr_docs import calls
``read_paper_document`` for these suffixes."""

from __future__ import annotations

from typing import Optional

from feijian.domain.progress import CancelledFn, ProgressFn
from feijian.ingest.document_text import DocumentText, TextLine
from feijian.ingest.ocr import OcrPool, document_from_pages, join_lines, require_engine_module
from feijian.ingest.page_images import IMAGE_SUFFIXES, image_pages, pdf_pages

PAPER_SUFFIXES = IMAGE_SUFFIXES


def read_paper_document(data: bytes, suffix: str, name: str = "", *, pool: Optional[OcrPool] = None,
                        straighten: bool = False, progress: Optional[ProgressFn] = None,
                        cancelled: Optional[CancelledFn] = None) -> DocumentText:
    """Read one file. ``pool`` is reused when given (its workers already hold the models), else one is made.
    ``straighten`` corrects the perspective of photographed pages first (ingest/page_straighten.py)."""
    suffix = suffix.lower()
    if suffix == ".pdf":
        pages = list(pdf_pages(data, name))
        scanned = [(p.page, p.image) for p in pages if p.image is not None]
        read = _read_images(scanned, pool, straighten, progress, cancelled) if scanned else {}
        lines: list[TextLine] = []
        for p in pages:
            if p.image is None:
                lines.extend(TextLine(page=p.page, box=None, confidence=1.0, text=t) for t in p.text_lines)
            else:
                lines.extend(read[p.page])
        text_parts = []
        for p in pages:  # text-layer pages keep their line breaks; read pages join as join_lines says
            text_parts.append("\n".join(p.text_lines) if p.image is None else join_lines(read[p.page]))
        return DocumentText(text="\n".join(part for part in text_parts if part), lines=tuple(lines))
    if suffix in IMAGE_SUFFIXES:
        require_engine_module()
        read = _read_images(((p.page, p) for p in image_pages(data, name)), pool, straighten, progress, cancelled)
        lines = [line for page in sorted(read) for line in read[page]]
        return DocumentText(text=join_lines(lines), lines=tuple(lines))
    raise ValueError(f"not a paper document suffix: {suffix}")


def _read_images(pages, pool, straighten, progress, cancelled) -> dict[int, list[TextLine]]:
    def prepared():
        for number, page in pages:
            if straighten:
                from feijian.ingest.page_straighten import straighten_page

                page = straighten_page(page)
            yield number, page

    own = pool is None
    pool = pool or OcrPool()
    try:
        results = pool.read(prepared(), progress=progress, cancelled=cancelled)
    finally:
        if own:
            pool.close()
    document = document_from_pages(results)  # raises with the reason of a page not read
    out: dict[int, list[TextLine]] = {r.key: [] for r in results}
    for line in document.lines:
        out.setdefault(line.page, []).append(line)
    return out
