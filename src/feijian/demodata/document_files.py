"""The demo hospital's record documents as files, the way many hospitals export them (records.md): an index
``病历文书索引.csv`` (the document's columns and ``文件``) beside a folder ``病历文书/`` of PDF files (a text
layer drawn with reportlab in the bundled CJK font), DOCX files (python-docx, one paragraph per line) and
GBK text files, the format chosen by the document's id.

:func:`write_document_files` turns the ``病历文书.csv`` a generated demo folder holds (the text in a column)
into that form, for all encounters or the chosen ones; the documents not chosen stay in the CSV. Each file
holds exactly the document's text: importing the file form gives the same texts as the CSV form (a PDF line
too wide for the page is drawn smaller, never wrapped, since a wrap would cut a clause). Same input, same
bytes: the PDFs are written invariant, the DOCX archives dated like the demo's workbooks.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from functools import lru_cache
from typing import Iterable, Optional
from xml.sax.saxutils import escape as xml_escape

from feijian.demodata.writers import FIXED_TIME, FileSpec, normalise_zip, spec_for
from feijian.domain.contract import load_contract
from feijian.paths import resource

INDEX_NAME = "病历文书索引.csv"
FILES_DIR = "病历文书"
FORMATS = ("pdf", "docx", "txt")
FONT = "WQYMicroHei"
FONT_SIZE = 10.5
MIN_FONT_SIZE = 4.0
PAGE_MARGIN = 56.0  # points (about 2 cm)
_SAFE = re.compile(r"[^0-9A-Za-z_.-]")


@dataclass
class DocumentFilesWritten:
    index: Path
    files: dict[str, int] = field(default_factory=dict)  # format -> files written
    kept_in_csv: int = 0  # documents left in 病历文书.csv (with their text)

    @property
    def documents(self) -> int:
        return sum(self.files.values())


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(resource("fonts", "wqy-microhei.ttc")), subfontIndex=0))


def pdf_bytes(text: str, title: str = "") -> bytes:
    """An A4 PDF whose text layer is ``text``, one drawn line per line of the text (pages as needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    _register_font()
    width, height = A4
    usable = width - 2 * PAGE_MARGIN
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("feijian demo-data")
    c.setCreator("feijian demo-data")
    leading = FONT_SIZE * 1.6
    y = height - PAGE_MARGIN
    for line in text.split("\n"):
        if y < PAGE_MARGIN:
            c.showPage()
            y = height - PAGE_MARGIN
        size = FONT_SIZE
        drawn = stringWidth(line, FONT, size)
        if drawn > usable:  # smaller, not wrapped: a wrap would add a line break inside a clause
            size = max(MIN_FONT_SIZE, size * usable / drawn)
        c.setFont(FONT, size)
        c.drawString(PAGE_MARGIN, y, line)
        y -= leading
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_can_hold(text: str) -> bool:
    """Whether the PDF text layer gives ``text`` back exactly: no empty line (nothing is drawn for it), no
    space at a line's ends, no line too long for the smallest font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reportlab.lib.pagesizes import A4

    _register_font()
    usable = A4[0] - 2 * PAGE_MARGIN
    return all(line and line == line.strip() and "  " not in line
               and stringWidth(line, FONT, MIN_FONT_SIZE) <= usable for line in text.split("\n"))


_TITLE_MARK, _BODY_MARK = "FEIJIANDOCXTITLE", "FEIJIANDOCXBODY"


@lru_cache(maxsize=1)
def _docx_template() -> tuple[tuple[str, bytes], ...]:
    """The members of an empty DOCX made once by python-docx (dated like the demo's workbooks), with marks
    where the title and the paragraphs go: filling them is some 30 times faster than a python-docx
    document per file (20 ms), and gives the same XML python-docx writes for one paragraph per line."""
    import docx

    d = docx.Document()
    props = d.core_properties
    props.author = props.last_modified_by = "feijian demo-data"
    props.title = _TITLE_MARK
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    d.add_paragraph(_BODY_MARK)
    buf = io.BytesIO()
    d.save(buf)
    z = zipfile.ZipFile(io.BytesIO(normalise_zip(buf.getvalue())))
    return tuple((i.filename, z.read(i.filename)) for i in z.infolist())


def _paragraph(line: str) -> str:
    if not line:
        return "<w:p/>"
    space = ' xml:space="preserve"' if line != line.strip() else ""
    return f"<w:p><w:r><w:t{space}>{xml_escape(line)}</w:t></w:r></w:p>"


def docx_bytes(text: str, title: str = "") -> bytes:
    """A DOCX with one paragraph per line of ``text`` (python-docx's template and paragraph XML)."""
    body = "".join(_paragraph(line) for line in text.split("\n")).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in _docx_template():
            if name == "word/document.xml":
                data = data.replace(f"<w:p><w:r><w:t>{_BODY_MARK}</w:t></w:r></w:p>".encode(), body)
            elif name == "docProps/core.xml":
                data = data.replace(_TITLE_MARK.encode(), xml_escape(title).encode("utf-8"))
            zi = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data, compresslevel=6)
    return out.getvalue()


def txt_bytes(text: str) -> tuple[bytes, str]:
    """The text in GBK (GB18030 for a character GBK lacks), with the encoding used."""
    try:
        return text.encode("gbk"), "gbk"
    except UnicodeEncodeError:
        return text.encode("gb18030"), "gb18030"


def _header_roles(header: list[str]) -> tuple[int, Optional[int], int, int]:
    spec = load_contract().table("emr_docs")
    names = [(f.name if (f := spec.field_for_header(h)) is not None else None) for h in header]
    missing = [n for n in ("doc_id", "text") if n not in names]
    if missing:
        raise ValueError(f"病历文书.csv lacks the columns {', '.join(missing)}")
    return names.index("text"), names.index("file") if "file" in names else None, names.index("doc_id"), \
        names.index("mdtrt_id")


INDEX_SPEC = FileSpec("emr_docs", INDEX_NAME, "utf-8-sig", "zh")  # the index, written like 病历文书.csv


def file_format(doc_id: str, text: str, formats: tuple[str, ...] = FORMATS) -> str:
    """A document's file format: picked from its id (the same whichever documents are written); one a PDF
    cannot give back exactly (an empty line, spaces at a line's ends) takes the next format instead."""
    fmt = formats[zlib.crc32(doc_id.encode("utf-8")) % len(formats)]
    if fmt == "pdf" and not pdf_can_hold(text):
        fmt = next((f for f in formats if f != "pdf"), "docx")
    return fmt


def document_file(doc_id: str, text: str, title: str = "",
                  formats: tuple[str, ...] = FORMATS) -> tuple[str, str, bytes]:
    """``(file name, format, bytes)`` of one document's file (the name from its id, path-safe)."""
    fmt = file_format(doc_id, text, formats)
    name = f"{_SAFE.sub('_', doc_id)}.{fmt}"
    if fmt == "pdf":
        data = pdf_bytes(text, title)
    elif fmt == "docx":
        data = docx_bytes(text, title)
    else:
        data, _enc = txt_bytes(text)
    return name, fmt, data


def write_document_files(folder, *, dest=None, encounters: Optional[Iterable[str]] = None,
                         formats: tuple[str, ...] = FORMATS) -> DocumentFilesWritten:
    """Write the documents of ``folder``'s 病历文书.csv (those of ``encounters``, or all) as files with an
    index into ``dest`` (default: ``folder`` itself); the other documents stay in a 病历文书.csv there (none
    left: no CSV). Each document's format is :func:`file_format`'s. (The generator writes the demo's own
    file form directly, document by document: ``generator._Generation.write_documents``.)"""
    folder = Path(folder)
    dest = Path(dest) if dest is not None else folder
    csv_spec = spec_for("emr_docs")
    source = folder / csv_spec.file_name
    wanted = set(encounters) if encounters is not None else None
    with open(source, encoding=csv_spec.encoding, newline="") as fh:
        rows = list(csv.reader(fh, delimiter=csv_spec.delimiter))
    header, body = rows[0], rows[1:]
    text_at, file_at, id_at, mdtrt_at = _header_roles(header)
    index_header = header if file_at is not None else header + ["文件"]
    file_col = file_at if file_at is not None else len(header)
    files_dir = dest / FILES_DIR
    files_dir.mkdir(parents=True, exist_ok=True)
    written = DocumentFilesWritten(index=dest / INDEX_NAME)
    index_rows, kept = [], []
    for row in body:
        if wanted is not None and row[mdtrt_at] not in wanted:
            kept.append(row)
            continue
        title = row[header.index("标题")] if "标题" in header else ""
        name, fmt, data = document_file(row[id_at], row[text_at], title, formats)
        (files_dir / name).write_bytes(data)
        written.files[fmt] = written.files.get(fmt, 0) + 1
        out = list(row) + ([""] if file_at is None else [])
        out[text_at] = ""
        out[file_col] = f"{FILES_DIR}/{name}"
        index_rows.append(out)
    with open(written.index, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(index_header)
        w.writerows(index_rows)
    target_csv = dest / csv_spec.file_name
    if kept:
        with open(target_csv, "w", encoding=csv_spec.encoding, newline="") as fh:
            w = csv.writer(fh, delimiter=csv_spec.delimiter, lineterminator="\r\n")
            w.writerow(header)
            w.writerows(kept)
    elif target_csv.exists():
        target_csv.unlink()
    written.kept_in_csv = len(kept)
    return written
