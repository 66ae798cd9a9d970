"""Record documents built in a test (emr_docs, records.md): a PDF with a text layer (reportlab, the bundled
CJK font), a DOCX (python-docx), and an index naming many small text files beside it."""

from __future__ import annotations

import io
from pathlib import Path

INDEX_HEADER = "文书ID,就诊ID,文书类型,记录时间,文件"


def make_pdf(text: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from feijian.paths import resource

    pdfmetrics.registerFont(TTFont("WQY", str(resource("fonts", "wqy-microhei.ttc")), subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("WQY", 12)
    for i, line in enumerate(text.split("\n")):
        c.drawString(72, 760 - 18 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def many_files_index(folder: Path, n: int, *, name: str = "病历文书索引.csv") -> Path:
    """``folder`` holding an index of ``n`` nursing notes, each a small GBK text file under ``files/``
    (visits M0 … M9); returns the index's path."""
    files = folder / "files"
    files.mkdir(parents=True, exist_ok=True)
    rows = [INDEX_HEADER]
    for i in range(n):
        (files / f"n{i:06d}.txt").write_bytes(f"护理记录 {i}\n一级护理，患者在病房。".encode("gbk"))
        rows.append(f"D{i:06d},M{i % 10},护理记录,2024-01-05 12:00,files/n{i:06d}.txt")
    index = folder / name
    index.write_bytes(("\n".join(rows) + "\n").encode("utf-8"))
    return index
