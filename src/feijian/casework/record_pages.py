"""The pages of a record document read with OCR, for the record view (issue 20): each recognised line with its
page, box and confidence, where it stands in the document's text, which lines hold the mentions of the
selected item (and where in the line), which were read with low confidence, and the page image of the
original, decoded from the evidence vault in memory. Pure functions except :func:`page_image`, which reads
the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional, Sequence

from feijian.casework.record_documents import Document
from feijian.ingest.document_text import TextLine, lines_from_json


@dataclass(frozen=True)
class PageLine:
    """One recognised line: its number in the document's ``_ocr_lines`` (``index``), page, box, confidence,
    text and its span in the document's text (``start``, ``end``; -1 when the text no longer holds it)."""

    index: int
    page: int
    box: tuple[float, float, float, float]
    confidence: float
    text: str
    start: int = -1
    end: int = -1
    original: Optional[str] = None  # the recogniser's reading of a line an inspector corrected (or confirmed)

    @property
    def corrected(self) -> bool:
        return self.original is not None

    @property
    def low(self) -> bool:
        return self.confidence < low_confidence()


def low_confidence() -> float:
    from feijian.ingest.page_images import limits

    return limits().low_confidence


def straightened(doc: Document, page: int) -> bool:
    """Whether ``page`` was straightened before it was read (its boxes are in the straightened page)."""
    if not doc.ocr_lines:
        return False
    try:
        return page in (json.loads(doc.ocr_lines).get("straightened") or ())
    except (ValueError, AttributeError, TypeError):
        return False


def line_spans(text: str, lines: Sequence[TextLine]) -> list[tuple[int, int]]:
    """Where each line stands in ``text`` (read in order, each after the one before; (-1, -1) when a line is
    not found, e.g. a text whose lines were joined differently)."""
    out, cursor = [], 0
    for line in lines:
        at = text.find(line.text, cursor) if line.text else -1
        if at < 0:
            out.append((-1, -1))
            continue
        out.append((at, at + len(line.text)))
        cursor = at + len(line.text)
    return out


def corrected_originals(doc: Document) -> dict[int, str]:
    """Line index → the recogniser's reading, for the lines corrected in the document as shown
    (casework.ocr_corrections.corrected_row keeps them under ``"corrected"``)."""
    try:
        kept = json.loads(doc.ocr_lines).get("corrected") if doc.ocr_lines else None
    except (ValueError, AttributeError):
        return {}
    return {int(k): str(v[0]) for k, v in (kept or {}).items()}


def page_lines(doc: Document) -> list[PageLine]:
    """The document's recognised lines (empty for a document with a text layer)."""
    lines = lines_from_json(doc.ocr_lines) if doc.ocr_lines else ()
    spans = line_spans(doc.text, lines)
    originals = corrected_originals(doc)
    return [PageLine(i, x.page, tuple(float(v) for v in x.box), float(x.confidence), x.text, s, e, originals.get(i))
            for i, (x, (s, e)) in enumerate(zip(lines, spans))]


def pages_of(lines: Sequence[PageLine]) -> list[int]:
    return sorted({x.page for x in lines}) or [1]


def mention_lines(lines: Sequence[PageLine], spans: Sequence[tuple[int, int]]) -> dict[int, list[tuple[int, int]]]:
    """For the mentions at ``spans`` (start, end in the document's text): line index → the parts of the line
    they cover, as character offsets within the line (a mention across a wrapped line covers two lines)."""
    out: dict[int, list[tuple[int, int]]] = {}
    for start, end in spans:
        for x in lines:
            if x.start < 0 or x.end <= start or x.start >= end:
                continue
            out.setdefault(x.index, []).append((max(start, x.start) - x.start, min(end, x.end) - x.start))
    return out


def part_box(line: PageLine, first: int, last: int) -> tuple[float, float, float, float]:
    """The part of the line's box holding characters ``first`` to ``last`` (end exclusive), estimated from the
    line's width shared among its characters, a half-width one (digits, Latin) counting half (the recogniser
    gives boxes per line)."""
    import unicodedata

    x0, y0, x1, y1 = line.box
    widths = [1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in line.text] or [1.0]
    unit = (x1 - x0) / sum(widths)
    return (x0 + sum(widths[:first]) * unit, y0, x0 + sum(widths[:last]) * unit, y1)


def first_page_with(lines: Sequence[PageLine], indexes) -> Optional[int]:
    found = [x.page for x in lines if x.index in set(indexes)]
    return min(found) if found else None


def original_suffix(doc: Document) -> str:
    """The suffix the original is decoded by: ``.pdf`` for a scanned PDF, else an image's."""
    fmt = doc.file_format or ""
    if fmt.startswith("pdf"):
        return ".pdf"
    kind = fmt.split("/", 1)[1] if "/" in fmt else "png"
    return "." + kind


def page_image(store, doc: Document, page: int, *, max_side: int = 2000):
    """Page ``page`` of the document's original from the evidence vault, decoded in memory
    (:func:`feijian.ingest.page_display.display_page`); raises InputError when there is no original."""
    from feijian.domain.errors import InputError
    from feijian.ingest.page_display import display_page

    if not doc.page_evidence:
        raise InputError(f"文书 {doc.doc_id} 没有原件图像 / document {doc.doc_id} has no page original")
    data = store.read_evidence(doc.page_evidence)
    return display_page(data, original_suffix(doc), page, straightened=straightened(doc, page), max_side=max_side)
