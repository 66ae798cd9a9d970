"""The text of one record document as read from its file, line by line: for a page image or a scanned PDF the
recogniser's lines with their page, box and confidence; for a text file one line per element, no box and
confidence 1. (The emr_docs import's reader table returns this shape for every suffix.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the page's pixels (top left origin)


@dataclass(frozen=True)
class TextLine:
    page: int  # 1-based
    box: Optional[Box]
    confidence: float  # 0..1; 1.0 for a text layer
    text: str


@dataclass(frozen=True)
class DocumentText:
    text: str
    lines: tuple[TextLine, ...] = ()

    @property
    def ocr_lines(self) -> tuple[TextLine, ...]:
        return tuple(line for line in self.lines if line.box is not None and line.confidence < 1.0)

    @property
    def min_confidence(self) -> Optional[float]:
        """Lowest confidence of a recognised line; None when nothing was recognised (a text document)."""
        lines = self.ocr_lines
        return min(line.confidence for line in lines) if lines else None
