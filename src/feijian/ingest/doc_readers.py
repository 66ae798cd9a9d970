"""The text of one medical record document file (records.md, table ``emr_docs``): a table from a file's
suffix to its reader, each reader turning the file's bytes into a :class:`DocumentText`.

Readers shipped here read a text layer: ``.txt`` (UTF-8 with or without BOM, GBK, GB18030, decided strictly
like the extracts), ``.pdf`` (pypdf), ``.docx`` (python-docx, after a ZIP-bomb guard on the declared member
sizes), ``.xml`` / ``.htm`` / ``.html`` (lxml without entity resolution, DTD loading or network; a document
that declares entities is refused). A file that cannot be read raises :class:`DocumentProblem` with the
reason the import report gives for its row.

Extension point: ``register_reader(".png", reader)`` adds a reader (image OCR, a scanned PDF); a reader is
``reader(data: bytes, limits: DocumentLimits) -> DocumentText`` and may fill ``lines`` with each line's page,
box and confidence. A reader for a suffix already registered replaces it (a scanned-PDF reader may call
:func:`read_pdf` first and fall back to OCR when the text layer is empty).
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from feijian.domain.errors import InputError
from feijian.paths import resource


class DocumentProblem(InputError):
    """A document file that cannot be read: its row is refused with this message as the reason."""


@dataclass(frozen=True)
class TextLine:
    """One line of a document as read: its page (1-based), its box on the page ``(x0, y0, x1, y1)`` in
    points when the reader knows it, the reader's confidence (OCR) and the text."""

    page: int
    box: Optional[tuple] = None
    confidence: Optional[float] = None
    text: str = ""


@dataclass(frozen=True)
class DocumentText:
    """A document's text (its elements joined with line breaks, records.md) and, where the reader gives
    them, its lines with page and position; ``source`` says how it was read (``pdf``, ``txt/gbk`` …)."""

    text: str
    lines: tuple[TextLine, ...] = ()
    source: str = ""
    straightened: tuple[int, ...] = ()  # pages straightened before they were read (their boxes are in that page)


@dataclass(frozen=True)
class DocumentLimits:
    max_file_bytes: int = 64 << 20
    max_text_bytes: int = 32 << 20
    docx_max_uncompressed: int = 256 << 20
    docx_max_ratio: int = 100
    docx_max_members: int = 10000
    batch_rows: int = 2000
    batch_bytes: int = 32 << 20


@lru_cache(maxsize=1)
def load_limits() -> DocumentLimits:
    with open(resource("ingest", "documents.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    return DocumentLimits(**{k: int(v) for k, v in raw.items()})


Reader = Callable[[bytes, DocumentLimits], DocumentText]
READERS: dict[str, Reader] = {}


def register_reader(suffix: str, reader: Reader) -> None:
    READERS[suffix.lower()] = reader


def reader_for(suffix: str) -> Optional[Reader]:
    return READERS.get(suffix.lower())


def size_text(n: int) -> str:
    return f"{n / (1 << 20):g} MB"


def check_text_size(text: str, limits: DocumentLimits) -> None:
    size = len(text.encode("utf-8"))
    if size > limits.max_text_bytes:
        raise DocumentProblem(f"文书正文 {size_text(size)} 超过上限 {size_text(limits.max_text_bytes)} / the document's text "
                              f"({size_text(size)}) is over the {size_text(limits.max_text_bytes)} limit")


def _joined(lines: list[TextLine], source: str) -> DocumentText:
    return DocumentText("\n".join(x.text for x in lines), tuple(lines), source)


# ---- .txt ----------------------------------------------------------------------------------------------
def read_txt(data: bytes, limits: DocumentLimits) -> DocumentText:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentProblem("UTF-16 编码的文本，不是约定的编码（UTF-8、GBK、GB18030），请另存为 UTF-8 / UTF-16 text "
                              "is not a contract encoding (UTF-8, GBK, GB18030): save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise DocumentProblem(f"第 {line} 行（字节 {nul}）含 NUL 字节：不是文本文件（UTF-16 或二进制？）/ a NUL byte at "
                              f"line {line} (byte {nul}): not a text file (UTF-16 without BOM, or binary?)")
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gbk", "gb18030")
    first_error: Optional[UnicodeDecodeError] = None
    for enc in candidates:
        try:
            return DocumentText(data.decode(enc), (), f"txt/{enc}")
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            last = exc
    at = last.start
    line = data.count(b"\n", 0, at) + 1
    raise DocumentProblem(f"第 {line} 行（字节 {at}）无法按 UTF-8、GBK 或 GB18030 解码 / undecodable byte "
                          f"0x{data[at]:02x} at line {line} (byte {at}): not UTF-8, GBK or GB18030")


# ---- .pdf ----------------------------------------------------------------------------------------------
def read_pdf(data: bytes, limits: DocumentLimits) -> DocumentText:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentProblem("PDF 已加密 / the PDF is encrypted")
        lines: list[TextLine] = []
        size = 0
        for page_no, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            size += len(text.encode("utf-8"))
            if size > limits.max_text_bytes:
                check_text_size("x" * (limits.max_text_bytes + 1), limits)
            lines.extend(TextLine(page_no, None, None, t) for t in text.splitlines())
    except DocumentProblem:
        raise
    except LimitReachedError as exc:  # pypdf caps what one stream may decompress to
        raise DocumentProblem(f"PDF 的内容流解压后超过上限（解压炸弹？）/ a PDF stream decompresses beyond the limit "
                              f"(a decompression bomb?): {_short(exc)}") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError,
            AssertionError, ZeroDivisionError) as exc:
        raise DocumentProblem(f"PDF 文件损坏或无法读取 / corrupt or unreadable PDF: {_short(exc)}") from None
    return _joined(lines, "pdf")


# ---- .docx ---------------------------------------------------------------------------------------------
def check_zip(data: bytes, limits: DocumentLimits, kind: str = "DOCX") -> None:
    """Refuse a ZIP whose declared sizes promise a bomb, before anything is decompressed."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentProblem(f"{kind} 文件损坏（不是 ZIP）/ corrupt {kind} (not a ZIP file): {_short(exc)}") from None
    infos = zf.infolist()
    if len(infos) > limits.docx_max_members:
        raise DocumentProblem(f"{kind} 含 {len(infos)} 个成员，超过上限 / {kind} has {len(infos)} members "
                              f"(limit {limits.docx_max_members}): a ZIP bomb?")
    total = sum(i.file_size for i in infos)
    if total > limits.docx_max_uncompressed:
        raise DocumentProblem(f"{kind} 解压后 {size_text(total)}，超过上限 {size_text(limits.docx_max_uncompressed)}（ZIP 炸弹？）/ "
                              f"{kind} would unpack to {size_text(total)}, over the {size_text(limits.docx_max_uncompressed)} "
                              f"limit (a ZIP bomb?)")
    for i in infos:
        if i.file_size > (1 << 20) and i.file_size > limits.docx_max_ratio * max(1, i.compress_size):
            raise DocumentProblem(f"{kind} 成员 {i.filename} 压缩比 {i.file_size // max(1, i.compress_size)}:1 "
                                  f"超过上限（ZIP 炸弹？）/ {kind} member {i.filename} compresses "
                                  f"{i.file_size // max(1, i.compress_size)}:1, over {limits.docx_max_ratio}:1 "
                                  f"(a ZIP bomb?)")


_ENTITY_MARKS = (b"<!ENTITY", "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))


def _refuse_part_entities(data: bytes, kind: str = "DOCX") -> None:
    """Refuse a package whose XML parts declare entities (Word never writes a DTD): read member by member
    in blocks, after :func:`check_zip` bounded what they unpack to."""
    keep = max(len(m) for m in _ENTITY_MARKS) - 1
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if not info.filename.lower().endswith((".xml", ".rels")):
                    continue
                tail = b""
                with zf.open(info) as fh:
                    while block := fh.read(1 << 20):
                        window = tail + block
                        if any(m in window for m in _ENTITY_MARKS):
                            raise DocumentProblem(f"{kind} 的 {info.filename} 声明了实体（实体扩展攻击？）/ {kind} part "
                                                  f"{info.filename} declares entities (an entity expansion attack?): "
                                                  "not read")
                        tail = window[-keep:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        raise DocumentProblem(f"{kind} 文件损坏或无法读取 / corrupt or unreadable {kind}: {_short(exc)}") from None


def read_docx(data: bytes, limits: DocumentLimits) -> DocumentText:
    check_zip(data, limits)
    _refuse_part_entities(data)
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        lines = [TextLine(1, None, None, Paragraph(p, document).text) for p in body.iter(qn("w:p"))]
    except DocumentProblem:
        raise
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise DocumentProblem(f"DOCX 文件损坏或无法读取 / corrupt or unreadable DOCX: {_short(exc)}") from None
    return _joined(lines, "docx")


# ---- .xml / .html --------------------------------------------------------------------------------------
def _refuse_entities(data: bytes) -> None:
    if b"<!ENTITY" in data.upper() or b"<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y" in data.upper():
        raise DocumentProblem("XML/HTML 声明了实体（实体扩展攻击？）/ the XML/HTML declares entities "
                              "(an entity expansion attack?): not read")


def _element_lines(root) -> list[TextLine]:
    from lxml import etree

    lines = []
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            if el.tail and el.tail.strip():
                lines.append(TextLine(1, None, None, el.tail.strip()))
            continue
        if etree.QName(el).localname.lower() in ("script", "style"):
            pieces = [el.tail]
        else:
            pieces = [el.text, el.tail]
        lines.extend(TextLine(1, None, None, p.strip()) for p in pieces if p and p.strip())
    return lines


def read_xml(data: bytes, limits: DocumentLimits) -> DocumentText:
    from lxml import etree

    _refuse_entities(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise DocumentProblem(f"XML 文件损坏 / malformed XML: {_short(exc)}") from None
    return _joined(_element_lines(root), "xml")


def read_html(data: bytes, limits: DocumentLimits) -> DocumentText:
    from lxml import etree, html

    _refuse_entities(data)
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)  # never loads a DTD
    decoded = read_txt(data, limits)  # HTML seldom declares its encoding: decided like a text file
    try:
        root = html.document_fromstring(decoded.text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise DocumentProblem(f"HTML 文件无法读取 / unreadable HTML: {_short(exc)}") from None
    return _joined(_element_lines(root), "html/" + decoded.source.split("/", 1)[1])


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


def read_document_bytes(data: bytes, suffix: str, limits: Optional[DocumentLimits] = None) -> DocumentText:
    """A document's text from its bytes, by its file suffix; raises DocumentProblem."""
    limits = limits or load_limits()
    reader = reader_for(suffix)
    if reader is None:
        known = "、".join(sorted(READERS))
        raise DocumentProblem(f"不支持的文书文件类型 {suffix or '（无后缀）'}（支持 {known}）/ unsupported document file "
                              f"type {suffix or '(none)'} (supported: {', '.join(sorted(READERS))})")
    doc = reader(data, limits)
    check_text_size(doc.text, limits)
    if not doc.text.strip():
        raise DocumentProblem("文件中没有文字（扫描件？）/ no text in the file (a scan without a text layer?)")
    return doc


for _suffix, _reader in ((".txt", read_txt), (".pdf", read_pdf), (".docx", read_docx), (".xml", read_xml),
                         (".html", read_html), (".htm", read_html)):
    register_reader(_suffix, _reader)
