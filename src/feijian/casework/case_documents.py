"""The case's record documents as the rules and the record view read them: the imported ``emr_docs`` with the
inspectors' corrections of OCR lines applied (:mod:`feijian.casework.ocr_corrections`), then the documents
captured on site (:mod:`feijian.casework.captured_pages`). The import's chunks are never rewritten: the
corrections and captures are events, applied where the documents are read.

:func:`document_source` is the screening's chunked source of ``emr_docs`` (None when there is nothing to
add, so the stored table is read as it is); :func:`encounter_rows` does the same for one encounter's rows in
the record view.
"""

from __future__ import annotations

from typing import Iterable, Optional

import pyarrow as pa

from feijian.casework.captured_pages import captured_rows
from feijian.casework.ocr_corrections import corrected_row, corrections
from feijian.rules.record_prep import NORMAL_TEXT, OCR_CONFIDENCE, normal_text

TABLE = "emr_docs"
CAPTURED_TYPES = {"doc_time": pa.timestamp("s"), OCR_CONFIDENCE: pa.float64()}


def _select(table: pa.Table, columns: Optional[list]) -> pa.Table:
    return table if columns is None else table.select([c for c in columns if c in table.column_names])


def _with_normal_text(table: pa.Table) -> pa.Table:
    if NORMAL_TEXT in table.column_names:
        table = table.drop_columns([NORMAL_TEXT])
    return table.append_column(NORMAL_TEXT, normal_text(pa.array(table.column("text").to_pylist(), pa.string())))


class CaseDocuments:
    """``emr_docs`` as a chunked source (``chunks(columns, positions)``, like screening.StoredTable): the
    stored chunks, a chunk holding a corrected document read whole and corrected, then one chunk of the
    captured documents (position: the number of stored chunks)."""

    def __init__(self, store, fixes: dict, captured: list[dict]):
        self.store, self.fixes, self.captured = store, fixes, captured
        self.stored = len(store.table_chunks(TABLE)) if store.has_table(TABLE) else 0

    def chunks(self, columns: Optional[list] = None, positions: Optional[Iterable[int]] = None):
        wanted = None if positions is None else sorted(set(positions))
        stored = None if wanted is None else [p for p in wanted if p < self.stored]
        if stored is None or stored:
            cols = None if columns is None else list(dict.fromkeys([*columns, "doc_id"]))
            order = iter(range(self.stored) if stored is None else stored)
            for pos, chunk in zip(order, self.store.iter_table(TABLE, cols, stored)):
                if self.fixes and "doc_id" in chunk.column_names and \
                        set(self.fixes) & set(chunk.column("doc_id").to_pylist()):
                    chunk = self._corrected(pos)
                yield _select(chunk, columns)
        if self.captured and (wanted is None or self.stored in wanted):
            yield _select(self.captured_table(), columns)

    def _corrected(self, position: int) -> pa.Table:
        whole = next(iter(self.store.iter_table(TABLE, None, [position])))
        rows = [corrected_row(r, self.fixes[r["doc_id"]]) if r.get("doc_id") in self.fixes else r
                for r in whole.to_pylist()]
        table = pa.Table.from_pylist(rows, schema=whole.schema)
        return _with_normal_text(table) if NORMAL_TEXT in whole.column_names else table

    def captured_table(self) -> pa.Table:
        names = list(dict.fromkeys(k for r in self.captured for k in r))
        table = pa.table({k: pa.array([r.get(k) for r in self.captured], CAPTURED_TYPES.get(k, pa.string()))
                          for k in names})
        return _with_normal_text(table)


def document_source(store) -> Optional[CaseDocuments]:
    """The screening's source of ``emr_docs`` when the case has corrections or captured documents, else None."""
    state = store.state()
    fixes, captured = corrections(state), captured_rows(state)
    if not fixes and not captured:
        return None
    return CaseDocuments(store, fixes, captured)


def encounter_rows(store, mdtrt_id: str, rows: Iterable[dict]) -> list[dict]:
    """One encounter's ``emr_docs`` rows (dicts) with the corrections applied and its captured documents added."""
    state = store.state()
    fixes = corrections(state)
    out = [corrected_row(r, fixes[r.get("doc_id")]) if r.get("doc_id") in fixes else dict(r) for r in rows or ()]
    return out + captured_rows(state, mdtrt_id)
