"""The bundled CJK font for PDFs: WenQuanYi Micro Hei (``resources/fonts/wqy-microhei.ttc``, Apache-2.0).

It is registered as a TrueType font, which reportlab embeds as a subset of the glyphs used — never the
unembedded ``STSong-Light`` CID font, which shows as tofu on a machine without Chinese fonts
(background/desktop-qt-packaging-research.md §3). The font has no bold face: the bold and italic variants
map to the same face so that ``<b>`` in a paragraph never fails; headings use size instead.
"""

from __future__ import annotations

import threading
from pathlib import Path

from feijian.domain.errors import FeijianError
from feijian.paths import resource

FONT_NAME = "FeijianSans"
FONT_FILE = ("fonts", "wqy-microhei.ttc")

_lock = threading.Lock()
_registered = False


class FontMissing(FeijianError):
    """The bundled font file is not where it should be (a broken installation)."""


def font_path() -> Path:
    return resource(*FONT_FILE)


def register_fonts() -> str:
    """Register the bundled font with reportlab once per process; returns its reportlab name."""
    global _registered
    if _registered:
        return FONT_NAME
    with _lock:
        if _registered:
            return FONT_NAME
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        path = font_path()
        if not path.is_file():
            raise FontMissing(f"找不到内置字体 / bundled font missing: {path}")
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT_NAME, bold, italic, FONT_NAME)
        _registered = True
    return FONT_NAME
