"""The text of one record document as read from its file, line by line (the shapes are those of the emr_docs
import's reader table, :mod:`feijian.ingest.doc_readers`): for a page image or a scanned PDF the recogniser's
lines with their page, box (the page's pixels, top left origin) and confidence; for a text layer one line per
element, no box. Helpers here tell recognised lines apart and summarise their confidence per document and page,
as the import stores them (``_ocr_confidence``, ``_ocr_lines``)."""

from __future__ import annotations

import json
from typing import Optional

from feijian.ingest.doc_readers import DocumentText, TextLine

__all__ = ["Box", "DocumentText", "TextLine", "ocr_lines", "min_confidence", "page_confidence", "lines_json",
           "lines_from_json"]

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def ocr_lines(doc: DocumentText) -> tuple[TextLine, ...]:
    """The lines a recogniser read (they have a box and a confidence; a text layer's lines have no box)."""
    return tuple(line for line in doc.lines if line.box is not None and line.confidence is not None)


def min_confidence(doc: DocumentText) -> Optional[float]:
    """Lowest confidence of a recognised line; None when nothing was recognised (a text document)."""
    lines = ocr_lines(doc)
    return min(line.confidence for line in lines) if lines else None


def page_confidence(doc: DocumentText) -> dict[int, float]:
    """Lowest confidence of a recognised line per page."""
    out: dict[int, float] = {}
    for line in ocr_lines(doc):
        out[line.page] = min(out.get(line.page, 1.0), line.confidence)
    return out


def lines_json(doc: DocumentText) -> Optional[str]:
    """The recognised lines as stored beside the document (None when none was recognised): a JSON object
    ``{"pages": {page: lowest confidence}, "lines": [[page, [x0, y0, x1, y1], confidence, text], …]}`` and, when
    some were straightened before reading, ``"straightened": [page, …]``."""
    lines = ocr_lines(doc)
    if not lines:
        return None
    out = {"pages": {str(k): v for k, v in sorted(page_confidence(doc).items())},
           "lines": [[x.page, [round(float(v), 1) for v in x.box], x.confidence, x.text] for x in lines]}
    if doc.straightened:  # pages photographed at an angle, straightened before reading: the boxes are in them
        out["straightened"] = list(doc.straightened)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def lines_from_json(value: Optional[str]) -> tuple[TextLine, ...]:
    if not value:
        return ()
    raw = json.loads(value)
    return tuple(TextLine(page=int(p), box=tuple(box), confidence=float(c), text=str(t)) for p, box, c, t in raw["lines"])
