"""Record documents on paper: a photograph or scan (image file, multi-page TIFF) or a PDF read into a
DocumentText. PDF pages with a text layer keep their text (no box); image pages and PDF pages without a text
layer are read with OCR in the worker pool.

The emr_docs import reads them through the reader table of :mod:`feijian.ingest.doc_readers`: this module
registers a reader for every image suffix and replaces the ``.pdf`` reader by one that keeps pypdf's text
layer and reads the pages without one with OCR. The import opens an :class:`OcrSession` around its files
(:class:`feijian.ingest.documents.DocumentFiles`), so one worker pool (models loaded once) serves all the
documents of an index, with the import's progress and cancel; a reader called outside a session starts a pool
for the one file."""

from __future__ import annotations

from typing import Callable, Optional

from feijian.domain.errors import Cancelled, InputError
from feijian.domain.progress import CancelledFn, ProgressFn
from feijian.ingest.doc_readers import DocumentLimits, DocumentProblem, read_pdf, register_reader
from feijian.ingest.document_text import DocumentText, TextLine
from feijian.ingest.ocr import OcrPool, document_from_pages, join_lines, require_engine_module
from feijian.ingest.page_images import IMAGE_SUFFIXES, image_pages, pdf_pages

PAPER_SUFFIXES = IMAGE_SUFFIXES
OCR_SOURCES = ("ocr/", "pdf+ocr")  # DocumentText.source of a document read (wholly or in part) with OCR


def is_ocr_source(source: Optional[str]) -> bool:
    return bool(source) and source.startswith(OCR_SOURCES)


def read_paper_document(data: bytes, suffix: str, name: str = "", *, pool: Optional[OcrPool] = None,
                        straighten: bool = False, progress: Optional[ProgressFn] = None,
                        cancelled: Optional[CancelledFn] = None) -> DocumentText:
    """Read one file. ``pool`` is reused when given (its workers already hold the models), else one is made.
    ``straighten`` corrects the perspective of photographed pages first (ingest/page_straighten.py)."""
    suffix = suffix.lower()
    if suffix == ".pdf":
        pages = list(pdf_pages(data, name))
        scanned = [(p.page, p.image) for p in pages if p.image is not None]
        if scanned:
            require_engine_module()
        turned: set[int] = set()
        widths: dict[int, float] = {}
        read = _read_images(scanned, pool, straighten, progress, cancelled, turned, widths) if scanned else {}
        lines: list[TextLine] = []
        for p in pages:
            if p.image is None:
                lines.extend(TextLine(page=p.page, box=None, confidence=1.0, text=t) for t in p.text_lines)
            else:
                lines.extend(read[p.page])
        text_parts = []
        for p in pages:  # text-layer pages keep their line breaks; read pages join as join_lines says
            text_parts.append("\n".join(p.text_lines) if p.image is None else join_lines(read[p.page], widths))
        return DocumentText(text="\n".join(part for part in text_parts if part), lines=tuple(lines),
                            source="pdf+ocr" if scanned else "pdf", straightened=tuple(sorted(turned)))
    if suffix in IMAGE_SUFFIXES:
        require_engine_module()
        turned, widths = set(), {}
        read = _read_images(((p.page, p) for p in image_pages(data, name)), pool, straighten, progress, cancelled,
                            turned, widths)
        lines = [line for page in sorted(read) for line in read[page]]
        kind = {".jpg": "jpeg", ".tif": "tiff"}.get(suffix, suffix[1:])
        return DocumentText(text=join_lines(lines, widths), lines=tuple(lines), source=f"ocr/{kind}",
                            straightened=tuple(sorted(turned)))
    raise ValueError(f"not a paper document suffix: {suffix}")


def _read_images(pages, pool, straighten, progress, cancelled, turned=None, widths=None) -> dict[int, list[TextLine]]:
    """The lines of each page read; ``turned`` collects the pages that were straightened, ``widths`` each
    page's width in the boxes' units (the source image's pixels)."""
    def prepared():
        for number, page in pages:
            if straighten:
                from feijian.ingest.page_straighten import straighten_page

                straight = straighten_page(page)
                if straight is not page and turned is not None:
                    turned.add(number)
                page = straight
            if widths is not None:
                widths[number] = page.image.shape[1] / (page.scale or 1.0)
            yield number, page

    own = pool is None
    pool = pool or OcrPool()
    try:
        results = pool.read(prepared(), progress=progress, cancelled=cancelled)
    finally:
        if own:
            pool.close()
    document = document_from_pages(results, widths)  # raises with the reason of a page not read
    out: dict[int, list[TextLine]] = {r.key: [] for r in results}
    for line in document.lines:
        out.setdefault(line.page, []).append(line)
    return out


# --- the import's readers --------------------------------------------------------------------------------


class OcrSession:
    """The OCR of one import: a worker pool started when the first page needs reading and kept for the
    import's other files, the import's cancel, and a note per page read (``note(message)``)."""

    def __init__(self, *, note: Optional[Callable[[str], None]] = None, cancelled: Optional[CancelledFn] = None,
                 straighten: bool = True, workers: int = 0) -> None:
        self.note = note
        self.cancelled = cancelled
        self.straighten = straighten
        self.workers = workers
        self.current = ""  # the file being read, for the notes
        self.pages = 0  # pages read in this session
        self._pool: Optional[OcrPool] = None

    def pool(self) -> OcrPool:
        if self._pool is None:
            self._pool = OcrPool(workers=self.workers)
        return self._pool

    def progress(self, done: int, total: int, message: str) -> None:
        self.pages += 1
        if self.note is not None:
            self.note(f"{self.current}: 文字识别 {message} / OCR, {self.pages} pages read")

    def read(self, data: bytes, suffix: str) -> DocumentText:
        return read_paper_document(data, suffix, self.current, pool=self.pool(), straighten=self.straighten,
                                   progress=self.progress, cancelled=self.cancelled)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __enter__(self) -> "OcrSession":
        _SESSIONS.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _SESSIONS.remove(self)


_SESSIONS: list[OcrSession] = []  # the sessions in use (innermost last); readers use the innermost


def _read_with_ocr(data: bytes, suffix: str) -> DocumentText:
    """OCR a file for the reader table: a refused row's reason for anything that stops the reading (the
    extra missing, an image bomb, a broken image, a page over its time limit …); a cancel goes through."""
    try:
        if _SESSIONS:
            return _SESSIONS[-1].read(data, suffix)
        return read_paper_document(data, suffix)
    except Cancelled:
        raise
    except DocumentProblem:
        raise
    except InputError as exc:
        raise DocumentProblem(str(exc)) from None


def _image_reader(suffix: str):
    def read(data: bytes, limits: DocumentLimits) -> DocumentText:
        return _read_with_ocr(data, suffix)

    read.__name__ = f"read_image{suffix.replace('.', '_')}"
    return read


def read_pdf_or_scan(data: bytes, limits: DocumentLimits) -> DocumentText:
    """A PDF: its text layer (pypdf) when every page has one; else the pages without a text layer read with
    OCR (pdfium renders them) and the others' text layer kept. Without the OCR extra a PDF with a scanned
    page is refused (a document read in part would make the absence rules wrong)."""
    doc = read_pdf(data, limits)
    with_text = {line.page for line in doc.lines if line.text.strip()}
    if with_text and len(with_text) >= _pdf_page_count(data):
        return doc
    return _read_with_ocr(data, ".pdf")


def _pdf_page_count(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data), strict=False).pages)


def register_paper_readers() -> None:
    for suffix in IMAGE_SUFFIXES:
        register_reader(suffix, _image_reader(suffix))
    register_reader(".pdf", read_pdf_or_scan)


register_paper_readers()
