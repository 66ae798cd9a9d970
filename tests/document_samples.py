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


def pdf_bomb(n: int = 80 << 20) -> bytes:
    """A one-page PDF whose content stream (FlateDecode, a few hundred KB) unpacks to ``n`` bytes."""
    import zlib

    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (A) Tj ET\n" + b" " * n, 9)
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
            b"<</Length %d/Filter/FlateDecode>>stream\n" % len(content) + content + b"\nendstream",
            b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def docx_with_part(docx_bytes: bytes, part: str, edit) -> bytes:
    """A copy of a DOCX with member ``part`` replaced by ``edit(old bytes)``."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, edit(data) if info.filename == part else data)
    return buf.getvalue()


def understated_zip(data: bytes, part: str, declared: int) -> bytes:
    """The ZIP ``data`` with member ``part``'s uncompressed size declared as ``declared`` bytes (local and
    central headers): a bomb that lies about its size."""
    import struct
    import zipfile

    raw = bytearray(data)
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        if info.filename == part:
            struct.pack_into("<I", raw, info.header_offset + 22, declared)
    pos = 0
    while (pos := bytes(raw).find(b"PK\x01\x02", pos)) >= 0:
        n = struct.unpack_from("<H", raw, pos + 28)[0]
        if bytes(raw[pos + 46:pos + 46 + n]).decode() == part:
            struct.pack_into("<I", raw, pos + 24, declared)
        pos += 4
    return bytes(raw)
