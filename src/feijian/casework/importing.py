"""Importing a folder of hospital extracts into an encrypted case: read and validate with ingest, write
the typed chunks with ``CaseStore.write_table`` and record the batch (chain of custody) — all in one
transaction, so a cancel or an error leaves the case as it was."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import pyarrow as pa

from feijian.domain.errors import InputError
from feijian.domain.events import utc_now, uuid7
from feijian.domain.progress import CancelledFn, ProgressFn, check_cancelled
from feijian.domain.records import ImportBatch, ImportedFile, RejectedRow
from feijian.ingest import DuplicateImport, format_summary, scan_folder
from feijian.ingest.folder import ReferentialProblem
from feijian.ingest.mapping import MappingDict
from feijian.ingest.documents import DOCUMENT_TABLE
from feijian.ingest.reader import prefetch
from feijian.rules.record_prep import with_normal_text

FLUSH_ROWS = 1_000_000  # rows of one table buffered before a write_table call
FLUSH_BYTES = 64 << 20  # ... or bytes (documents: a few thousand long texts)
# typed chunks the reading may run ahead of the store (each at most one Arrow parse block, ≈ 16 MB of
# extract): a flush of a million fee lines keeps the main thread in write_table for seconds, and with two
# chunks of slack the reading soon waited for it. 8 (and PREFETCH_BLOCKS 2): demo scale 10, UTF-8, quiet,
# four runs interleaved with the code before, median 10.1 s -> 9.7 s (about 4 %, near the noise), peak
# memory unchanged (docs/import-speed.md, seventh session)
PREFETCH_CHUNKS = 8


@dataclass
class ImportSummary:
    batch: ImportBatch
    rejected: list[RejectedRow]
    tables: dict[str, int]  # rows written per table
    unrecognised: list[tuple[str, str]] = field(default_factory=list)
    referential: list[ReferentialProblem] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # identical files imported before

    @property
    def files(self) -> tuple[ImportedFile, ...]:
        return self.batch.files

    @property
    def batch_id(self) -> str:
        return self.batch.batch_id

    def text(self) -> str:
        return format_summary(
            self.batch.files, unrecognised=self.unrecognised, referential=self.referential,
            not_checked=self.not_checked, missing_tables=self.missing_tables, skipped=self.skipped,
            batch_id=self.batch.batch_id,
        )

    describe = text  # what the workbench shows after an import

    def __str__(self) -> str:
        return self.text()


def problem_rows(rejected, problems) -> Iterator[tuple]:
    """The store's rows of an import's problems: each refused row, then each example of a kept-row note or a
    referential problem with the number of rows it stands for."""
    for r in rejected:
        yield ("refused", r.file, r.line, r.field, r.value, r.reason, 1)
    for p in problems:
        for file, line, value in p.examples:
            yield (p.kind, file, line, "+".join(p.fields), value, p.message, p.count)


def file_sha256(path: Path, block: int = 8 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(block):
            h.update(chunk)
    return h.hexdigest()


PAGE_EVIDENCE = "_page_evidence"  # emr_docs: the evidence id of the original of a document read with OCR


def store_page_originals(store, stream, chunk: pa.Table, originals: dict, cancelled=None) -> pa.Table:
    """Put the original of every document read with OCR (photograph, scan) into the case's evidence vault,
    encrypted like any evidence (an ``evidence.added`` event each), and name it in the document's
    :data:`PAGE_EVIDENCE` column: the record view shows the page. The file is streamed again from the
    hospital's folder and must still have the SHA-256 it was read with."""
    if "_ocr_confidence" not in chunk.column_names or chunk.column("_ocr_confidence").null_count == chunk.num_rows \
            or getattr(stream, "documents", None) is None:
        return chunk.append_column(PAGE_EVIDENCE, pa.nulls(chunk.num_rows, pa.string())) \
            if PAGE_EVIDENCE not in chunk.column_names else chunk
    files = chunk.column("file").to_pylist()
    shas = chunk.column("_file_sha256").to_pylist()
    doc_ids = chunk.column("doc_id").to_pylist()
    ids: list = []
    for name, sha, conf, doc_id in zip(files, shas, chunk.column("_ocr_confidence").to_pylist(), doc_ids):
        if conf is None or not name or not sha:
            ids.append(None)
            continue
        if sha not in originals:
            check_cancelled(cancelled)
            path = stream.documents.resolve(name)
            with open(path, "rb") as fh:
                item = store.add_evidence(fh, original_name=Path(path).name, cancelled=cancelled,
                                          note=f"病历文书 {doc_id} 原件（文字识别）")
            if item.sha256 != sha:
                raise InputError(f"{name} 在导入过程中被修改（SHA-256 不符）/ {name} changed during the import "
                                 "(SHA-256 differs)")
            originals[sha] = item.evidence_id
        ids.append(originals[sha])
    return chunk.append_column(PAGE_EVIDENCE, pa.array(ids, pa.string()))


def _importer_name(store) -> str:
    identity = getattr(store, "identity", None)
    pub = getattr(identity, "public", None)
    if pub is None:
        return ""
    return f"{pub.name} ({pub.staff_no}, {pub.key_id})"


def _previous_sizes(store) -> set[int]:
    return {f.size for b in store.import_batches() for f in b.files}


def _duplicate_message(name: str, before: ImportedFile) -> str:
    return (f"{name} 已导入过（SHA-256 相同，原文件 {before.file_name}）/ {name} was imported before "
            f"(same SHA-256 as {before.file_name})")


def import_folder(
    store,
    folder,
    *,
    mapping: Optional[MappingDict] = None,
    importer: Optional[str] = None,
    progress: Optional[ProgressFn] = None,
    cancelled: Optional[CancelledFn] = None,
    kind: str = "case",
    skip_duplicates: bool = False,
    chunk_bytes: Optional[int] = None,
    encoding: Optional[str] = None,
) -> ImportSummary:
    """Import every extract in ``folder`` into the case ``store`` as one batch.

    A file imported before (same SHA-256) is refused with :class:`DuplicateImport`, or left out and listed
    in ``skipped`` with ``skip_duplicates=True``. Raises ``Cancelled`` (after rolling back) on cancel."""
    batch_id = uuid7()
    fi = scan_folder(folder, kind=kind, mapping=mapping, batch_id=batch_id, progress=progress,
                     cancelled=cancelled, chunk_bytes=chunk_bytes, encoding=encoding)
    skipped: list[tuple[str, str]] = []
    try:
        # identical files: hash up front only those whose size matches a file imported before
        sizes = _previous_sizes(store)
        keep = []
        for s in fi.streams:
            if s.size in sizes:
                before = store.find_imported_file(file_sha256(s.path))
                if before is not None:
                    if not skip_duplicates:
                        raise DuplicateImport(_duplicate_message(s.name, before))
                    skipped.append((s.name, _duplicate_message(s.name, before)))
                    s.close()
                    continue
            keep.append(s)
        fi.streams = keep
        needed = fi.parents_needed()
        if needed:
            existing = {}
            for parent in needed:
                spec_key = {"visits": ["mdtrt_id"], "fees": ["mdtrt_id", "feedetl_sn"]}.get(parent)
                if spec_key and store.has_table(parent):
                    existing[parent] = store.read_table(parent, columns=spec_key)
            fi.seed_parents(existing)
        written: dict[str, int] = {}
        originals: dict[str, str] = {}  # SHA-256 of a page file -> its evidence id (a file named twice: once)
        with store.transaction():
            buffers: dict[str, list[pa.Table]] = {}
            counts: dict[str, int] = {}
            sizes: dict[str, int] = {}

            def flush(table: str) -> None:
                parts = buffers.pop(table, [])
                counts.pop(table, None)
                sizes.pop(table, None)
                if parts:
                    data = pa.concat_tables(parts, promote_options="permissive") if len(parts) > 1 else parts[0]
                    store.write_table(batch_id, table, data, cancelled=cancelled)
                    written[table] = written.get(table, 0) + data.num_rows

            current = None
            for s, chunk in prefetch(iter(fi), depth=PREFETCH_CHUNKS):  # reading runs ahead while chunks are stored
                check_cancelled(cancelled)
                if current is not None and s.table != current:
                    flush(current)
                current = s.table
                if s.table == DOCUMENT_TABLE:  # the screening reads each document's normal text (records.md)
                    chunk = with_normal_text(chunk)
                    chunk = store_page_originals(store, s, chunk, originals, cancelled)
                buffers.setdefault(s.table, []).append(chunk)
                counts[s.table] = counts.get(s.table, 0) + chunk.num_rows
                sizes[s.table] = sizes.get(s.table, 0) + chunk.nbytes
                if counts[s.table] >= FLUSH_ROWS or sizes[s.table] >= FLUSH_BYTES:
                    flush(s.table)
            for t in list(buffers):
                flush(t)
            check_cancelled(cancelled)
            files = tuple(fi.files)
            seen: dict[str, str] = {}
            for f in files:  # the same bytes twice in one folder (a workbook's sheets share their file)
                if f.sha256 in seen and seen[f.sha256] != f.file_name:
                    raise DuplicateImport(f"{f.file_name} 与 {seen[f.sha256]} 内容相同 / {f.file_name} is identical to {seen[f.sha256]}")
                seen[f.sha256] = f.file_name
                before = store.find_imported_file(f.sha256)
                if before is not None:
                    raise DuplicateImport(_duplicate_message(f.file_name, before))
            batch = ImportBatch(batch_id=batch_id, imported_at=utc_now(),
                                importer=importer if importer is not None else _importer_name(store), files=files)
            store.record_import_batch(batch)
            store.record_import_problems(batch_id, problem_rows(fi.rejected, fi.referential))
    finally:
        fi.close()
    return ImportSummary(
        batch=batch, rejected=fi.rejected, tables=written, unrecognised=fi.unrecognised,
        referential=fi.referential, not_checked=fi.refs.not_checked, missing_tables=fi.missing_tables,
        skipped=skipped,
    )
