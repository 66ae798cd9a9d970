"""The files an ``emr_docs`` index names (records.md): each resolved inside the index's folder, read once,
hashed on entry (SHA-256, the chain of custody) and turned into text by :mod:`feijian.ingest.doc_readers`.

Per document the import keeps, beside its text, the file's ``_file_sha256``, ``_file_size`` and
``_file_format``; the batch lists one :class:`ImportedFile` for all files of an index, whose SHA-256 is that
of the *manifest*: one line ``<sha256>  <size>  <file>`` per file read, in the index's order (refused files
included: a refused row's reason carries its file's SHA-256). A file that escapes the folder, is missing,
too large or unreadable is a refused row with the reason; nothing is written to disk.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Callable, Optional

from feijian.domain.progress import CancelledFn
from feijian.domain.records import ImportedFile
from feijian.ingest.doc_readers import (READERS, DocumentLimits, DocumentProblem, load_limits, read_document_bytes,
                                       reader_for, size_text)
from feijian.ingest.document_text import lines_json, min_confidence
from feijian.ingest.paper_documents import OcrSession, is_ocr_source  # registers the image and scanned-PDF readers

DOCUMENT_TABLE = "emr_docs"
CUSTODY_COLUMNS = ("_file_sha256", "_file_size", "_file_format")
# a document read with OCR: the lowest confidence of its recognised lines, and those lines (page, box,
# confidence, text) as JSON (feijian.ingest.document_text.lines_json); null for a text document
OCR_COLUMNS = ("_ocr_confidence", "_ocr_lines")


@dataclass
class DocumentRead:
    """One named file: its text (None when refused) or the reason it was refused."""

    text: Optional[str] = None
    problem: str = ""
    sha256: Optional[str] = None
    size: Optional[int] = None
    source: str = ""
    ocr_confidence: Optional[float] = None  # lowest confidence of a recognised line (None: not read with OCR)
    ocr_lines: Optional[str] = None  # the recognised lines, JSON

    @property
    def is_ocr(self) -> bool:
        return is_ocr_source(self.source)


@dataclass
class DocumentFiles:
    """The files one index names, read one by one; the manifest grows as they are read."""

    base: Path
    index_name: str
    limits: DocumentLimits = field(default_factory=lambda: load_limits())
    note: Optional[Callable[[str], None]] = None  # a progress message per page read with OCR
    cancelled: Optional[CancelledFn] = None

    def close(self) -> None:
        """Stop the OCR workers (if any page was read)."""
        self.ocr.close()

    def __post_init__(self) -> None:
        self.base = Path(self.base)
        self._root = Path(os.path.realpath(self.base))
        self._manifest = hashlib.sha256()
        self.named = 0
        self.read = 0
        self.refused = 0
        self.bytes = 0
        self.formats: dict[str, int] = {}
        self.top_level: set[str] = set()  # names of files directly in the folder (not "unrecognised" there)
        self.ocr = OcrSession(note=self.note, cancelled=self.cancelled)

    def resolve(self, name: str) -> Path:
        """The file ``name`` stands for, inside the index's folder; raises DocumentProblem otherwise."""
        raw = name.strip()
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
            raise DocumentProblem(f"文件路径含控制字符 / {raw!r} holds control characters: not a file name")
        posix = raw.replace("\\", "/")
        if PurePosixPath(posix).is_absolute() or PureWindowsPath(raw).drive or PureWindowsPath(raw).root:
            raise DocumentProblem(f"文件路径是绝对路径，只接受索引所在文件夹内的相对路径 / {raw!r} is an absolute path: "
                                  "only paths inside the index's folder are read")
        parts = PurePosixPath(posix).parts
        if ".." in parts:
            raise DocumentProblem(f"文件路径指向索引所在文件夹之外 / {raw!r} points outside the index's folder")
        path = self.base.joinpath(*parts)
        try:
            real = Path(os.path.realpath(path))
        except (OSError, ValueError) as exc:
            raise DocumentProblem(f"无法解析文件路径 / cannot resolve {raw!r}: {exc}") from None
        if real != self._root and self._root not in real.parents:
            raise DocumentProblem(f"文件（经符号链接）指向索引所在文件夹之外 / {raw!r} leads outside the index's "
                                  "folder (a link)")
        return path

    def read_one(self, name: str) -> DocumentRead:
        self.named += 1
        try:
            path = self.resolve(name)
            if len(PurePosixPath(name.strip().replace("\\", "/")).parts) == 1:
                self.top_level.add(path.name)
            if reader_for(path.suffix) is None:
                raise DocumentProblem(f"不支持的文书文件类型 {path.suffix or '（无后缀）'} / unsupported document file type "
                                      f"{path.suffix or '(none)'} (supported: {', '.join(sorted(READERS))})")
            try:
                size = path.stat().st_size
                if not path.is_file():
                    raise DocumentProblem(f"不是文件 / {name!r} is not a file")
            except FileNotFoundError:
                raise DocumentProblem(f"文件不存在 / file not found: {name}") from None
            except OSError as exc:
                raise DocumentProblem(f"无法读取文件 / cannot read {name}: {exc.strerror}") from None
            if size > self.limits.max_file_bytes:
                cap = size_text(self.limits.max_file_bytes)
                raise DocumentProblem(f"文件 {size / (1 << 20):.1f} MB 超过上限 {cap} / the file ({size / (1 << 20):.1f} MB) "
                                      f"is over the {cap} limit")
            try:
                with open(path, "rb") as fh:
                    data = fh.read(self.limits.max_file_bytes + 1)
            except OSError as exc:
                raise DocumentProblem(f"无法读取文件 / cannot read {name}: {exc.strerror}") from None
            if len(data) > self.limits.max_file_bytes:  # it grew after it was looked at
                cap = size_text(self.limits.max_file_bytes)
                raise DocumentProblem(f"文件超过上限 {cap} / the file is over the {cap} limit")
        except DocumentProblem as exc:
            self.refused += 1
            return DocumentRead(problem=str(exc))
        sha = hashlib.sha256(data).hexdigest()
        self._manifest.update(f"{sha}  {len(data)}  {name.strip()}\n".encode("utf-8"))
        self.bytes += len(data)
        try:
            self.ocr.current = name.strip()
            with self.ocr:
                doc = read_document_bytes(data, path.suffix, self.limits)
        except DocumentProblem as exc:
            self.refused += 1
            return DocumentRead(problem=f"{exc} (SHA-256 {sha})", sha256=sha, size=len(data))
        except MemoryError:
            self.refused += 1
            return DocumentRead(problem=f"文件太大，内存不足 / out of memory reading the file (SHA-256 {sha})",
                                sha256=sha, size=len(data))
        size = len(data)
        del data
        self.read += 1
        self.formats[doc.source] = self.formats.get(doc.source, 0) + 1
        return DocumentRead(text=doc.text, sha256=sha, size=size, source=doc.source,
                            ocr_confidence=min_confidence(doc), ocr_lines=lines_json(doc))

    @property
    def file_name(self) -> str:
        return f"{self.index_name}（文书文件 / document files）"

    def imported_file(self) -> Optional[ImportedFile]:
        """The chain-of-custody record of the files (None when the index named none)."""
        if not self.named:
            return None
        formats = " ".join(f"{k}:{v}" for k, v in sorted(self.formats.items()))
        return ImportedFile(file_name=self.file_name, table=DOCUMENT_TABLE, sha256=self._manifest.hexdigest(),
                            size=self.bytes, encoding=formats or "documents", rows=self.named, read=self.read,
                            refused=self.refused)
