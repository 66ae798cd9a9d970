"""Issuing a document: render it from the case, write the PDF the user asked for, and record the issue
in the case (an event carrying the PDF's SHA-256)."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feijian.domain.errors import InputError
from feijian.reports.context import build_context
from feijian.reports.documents import DOCUMENTS, document_module, render_bytes


@dataclass(frozen=True)
class IssuedDocument:
    doc: str
    doc_no: str
    path: Path
    sha256: str
    size: int
    pages: int
    event_id: str


def render(doc: str, store, out: Path, *, record: bool = True, **options: Any) -> IssuedDocument:
    """Render document ``doc`` (one of :data:`DOCUMENTS`) for the case in ``store`` into ``out``.

    ``options`` go to :func:`feijian.reports.context.build_context` (``authority``, ``contact``,
    ``rules``, ``statuses``, ``doc_no``, ``generated_at``, ``record_id`` …). With ``record`` (the default)
    the issue is recorded in the case as an event with the PDF's SHA-256; the file is written first to a
    temporary name beside ``out`` and renamed, so a failed render leaves no partial PDF.
    """
    document_module(doc)  # unknown names fail before any work
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise InputError(f"输出文件应以 .pdf 结尾 / the output file should end in .pdf: {out}")
    if not out.parent.exists():
        raise InputError(f"输出目录不存在 / no such folder: {out.parent}")
    ctx = build_context(store, doc=doc, **options)
    if record and "doc_no" not in options:
        used = {d["doc_no"] for d in store.documents()}
        seq = len(used) + 1
        while ctx.doc_no in used:  # documents merged from other laptops may have taken the number
            seq += 1
            from feijian.reports.context import default_doc_no_prefix, format_doc_no

            prefix = default_doc_no_prefix(store, ctx.generated_at.year)
            ctx.doc_no = format_doc_no(options.get("doc_no_pattern", "{prefix}{seq}号"), prefix=prefix, seq=seq,
                                       year=ctx.generated_at.year, doc=doc)
    pdf = render_bytes(doc, ctx)
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_bytes(pdf)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"无法写入 / cannot write {out}: {exc.strerror}") from None
    event_id = ""
    if record:
        event_id = store.record_document(doc, ctx.doc_no, pdf, file_name=out.name).event_id
    return IssuedDocument(doc, ctx.doc_no, out, hashlib.sha256(pdf).hexdigest(), len(pdf), count_pages(pdf), event_id)


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF we wrote: reportlab writes one page tree, whose root has the largest ``/Count``."""
    counts = [int(m) for m in re.findall(rb"/Count (\d+)", pdf)]
    return max(counts, default=0)


__all__ = ["render", "IssuedDocument", "DOCUMENTS"]
