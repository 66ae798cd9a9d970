"""Capture on site (issue 20): a page of the paper record photographed by the inspector becomes a record
document of an encounter. The photo is read with OCR (straightened first when photographed at an angle,
:func:`read_photo`, run in a child process by the GUI), the inspector chooses the document type and confirms
the date (:func:`proposed_date` offers one read from the page), and :func:`capture_document` puts the photo
into the evidence vault as it is (hashed and encrypted like any evidence: an ``evidence.added`` event) and the
read text into the case as a new ``emr_docs`` document: an event with a register of its own
(``captured_doc``, the document's id, ``value`` its row), so it is logged, undone (withdrawn), merged and
packaged like every other change. The screening and the record view read it beside the imported documents
(:mod:`feijian.casework.case_documents`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from feijian.casework.changes import Change, commit, transaction
from feijian.domain.codes import canonical_code
from feijian.domain.errors import InputError
from feijian.domain.events import uuid7

DOCUMENT_CAPTURED = "emr.document_captured"
DOCUMENT_WITHDRAWN = "emr.captured_document_withdrawn"
ENTITY = "captured_doc"
CAPTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".pdf")
MAX_PHOTO_BYTES = 64 << 20
CAPTURED = "_captured"  # emr_docs column of a captured document's row: who captured it and when

_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[年\-/.．]\s*(\d{1,2})\s*[月\-/.．]\s*(\d{1,2})\s*日?"
                   r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2}))?")


@dataclass(frozen=True)
class PageReading:
    """A photo read with OCR, before it is captured (plain data: it crosses the pipe from the child)."""

    file_name: str
    sha256: str
    size: int
    text: str
    ocr_lines: str  # the lines as emr_docs keeps them (feijian.ingest.document_text.lines_json)
    confidence: Optional[float]  # lowest line confidence
    file_format: str  # ocr/jpeg, pdf+ocr …
    pages: int
    straightened: tuple[int, ...] = ()
    proposed: Optional[dt.datetime] = None  # the date read from the page


def check_photo(path: Path) -> None:
    p = Path(path)
    if p.suffix.lower() not in CAPTURE_SUFFIXES:
        raise InputError(f"不是页面照片或扫描件 / not a page photo or scan: {p.name} "
                         f"(one of {', '.join(CAPTURE_SUFFIXES)})")
    if not p.is_file():
        raise InputError(f"找不到文件 / no such file: {p}")
    if p.stat().st_size > MAX_PHOTO_BYTES:
        raise InputError(f"{p.name} 超过 {MAX_PHOTO_BYTES >> 20} MB / larger than {MAX_PHOTO_BYTES >> 20} MB")


def read_photo(store, path, *, progress=None, cancelled=None) -> PageReading:
    """Read the photo (or scan) at ``path`` with OCR, straightening a page photographed at an angle. In
    memory only: nothing is written. ``store`` is unused (the GUI runs this in a child process, which opens
    the case)."""
    from feijian.ingest.document_text import lines_json, min_confidence
    from feijian.ingest.paper_documents import read_paper_document

    p = Path(path)
    check_photo(p)
    data = p.read_bytes()
    suffix = {".jpeg": ".jpg", ".tiff": ".tif"}.get(p.suffix.lower(), p.suffix.lower())
    doc = read_paper_document(data, suffix, p.name, straighten=True, progress=progress, cancelled=cancelled)
    lines = lines_json(doc)
    if not doc.text.strip() or not lines:
        raise InputError(f"{p.name} 上没有识别出文字 / no text was read on {p.name}")
    pages = len({line.page for line in doc.lines}) or 1
    return PageReading(p.name, hashlib.sha256(data).hexdigest(), len(data), doc.text, lines, min_confidence(doc),
                       doc.source, pages, tuple(doc.straightened), proposed_date(doc.text))


def proposed_date(text: str, start: Optional[dt.date] = None, end: Optional[dt.date] = None) -> Optional[dt.datetime]:
    """The first date written on the page (``2024年3月5日``, ``2024-03-05 14:30`` …) that is a real date and,
    when the stay (``start``, ``end``) is given, falls within it; None when there is none."""
    for m in _DATE.finditer(text or ""):
        y, mo, d, hh, mm = m.groups()
        try:
            when = dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0))
        except ValueError:
            continue
        if start is not None and when.date() < start or end is not None and when.date() > end:
            continue
        return when
    return None


def proposed_doc_type(text: str) -> Optional[str]:
    """The document type whose name the page's first lines carry (``护理记录`` → ``nursing``), or None."""
    from feijian.domain.codes import code_names

    head = "".join((text or "").splitlines()[:3])
    found = [(head.find(name), code) for code, name in code_names("doc_type").items()
             if code != "other" and name and name in head]
    return min(found)[1] if found else None


def capture_document(store, reading: PageReading, photo, *, mdtrt_id: str, doc_type: str, doc_time,
                     title: str = "") -> Change:
    """Capture the photo read as ``reading`` as a document of encounter ``mdtrt_id``: the photo (bytes or a
    path; it must be the one read, same SHA-256) into the evidence vault, the document as an event."""
    mdtrt = str(mdtrt_id or "").strip()
    if not mdtrt:
        raise InputError("缺少就诊ID / no encounter")
    code = canonical_code("doc_type", doc_type)
    if code is None:
        raise InputError(f"文书类型无效 / unknown document type {doc_type!r}")
    if not isinstance(doc_time, dt.datetime):
        if isinstance(doc_time, dt.date):
            doc_time = dt.datetime(doc_time.year, doc_time.month, doc_time.day)
        else:
            raise InputError("缺少记录时间 / no document date")
    data = Path(photo).read_bytes() if isinstance(photo, (str, Path)) else bytes(photo)
    if hashlib.sha256(data).hexdigest() != reading.sha256:
        raise InputError(f"{reading.file_name} 在识别后被修改（SHA-256 不符）/ {reading.file_name} changed after it "
                         "was read (SHA-256 differs)")
    doc_id = f"CAP-{uuid7()}"
    identity = getattr(store, "identity", None)
    who = getattr(getattr(identity, "public", None), "name", "") or ""
    with transaction(store):
        item = store.add_evidence(io.BytesIO(data), original_name=reading.file_name,
                                  note=f"现场拍摄的病历文书 {doc_id} 原件 / photo of record document {doc_id} taken on site")
        value = {"doc_id": doc_id, "mdtrt_id": mdtrt, "doc_type": code, "doc_time": doc_time.isoformat(timespec="minutes"),
                 "title": str(title or "").strip(), "text": reading.text, "file": reading.file_name,
                 "_ocr_lines": reading.ocr_lines, "_ocr_confidence": reading.confidence,
                 "_file_format": reading.file_format, "_file_sha256": reading.sha256,
                 "_page_evidence": item.evidence_id, "captured_by": who}
        change = commit(store, DOCUMENT_CAPTURED, {(ENTITY, doc_id, "value"): value, (ENTITY, doc_id, "deleted"): False},
                        description=f"现场采集病历文书 / capture record document {doc_id} ({reading.file_name} → {mdtrt})")
    return change


def withdraw_document(store, doc_id: str) -> Change:
    if store.state().get(ENTITY, doc_id, "value") is None:
        raise InputError(f"没有这份现场采集的文书 / no captured document {doc_id}")
    return commit(store, DOCUMENT_WITHDRAWN, {(ENTITY, doc_id, "deleted"): True},
                  description=f"撤回现场采集的文书 / withdraw captured document {doc_id}")


def captured_rows(state, mdtrt_id: Optional[str] = None) -> list[dict]:
    """The captured documents in force as ``emr_docs`` rows (``doc_time`` a datetime), in capture order."""
    out = []
    for _doc_id, fields in state.entities(ENTITY).items():
        v = fields.get("value")
        if not isinstance(v, dict) or fields.get("deleted"):
            continue
        if mdtrt_id is not None and v.get("mdtrt_id") != mdtrt_id:
            continue
        row = {k: v.get(k) for k in ("doc_id", "mdtrt_id", "doc_type", "title", "text", "file", "_ocr_lines",
                                     "_ocr_confidence", "_file_format", "_file_sha256", "_page_evidence")}
        row["doc_time"] = dt.datetime.fromisoformat(v["doc_time"]) if v.get("doc_time") else None
        row["title"] = row["title"] or f"现场采集 {row['file'] or ''}".strip()
        row["author"] = None
        row[CAPTURED] = str(v.get("captured_by") or "") or "现场采集"
        out.append(row)
    return out
