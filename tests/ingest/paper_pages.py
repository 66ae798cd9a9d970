"""Page images for the OCR tests, drawn in memory with the bundled CJK font."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from feijian.paths import resource


def page(lines, size=(1240, 1754), font_px=36):
    font = ImageFont.truetype(str(resource("fonts", "wqy-microhei.ttc")), font_px)
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((100, 150 + i * round(font_px * 1.9)), line, font=font, fill="black")
    return img


def encoded(img, fmt="PNG", **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()
