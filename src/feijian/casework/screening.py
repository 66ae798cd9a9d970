"""Screening a case: the knowledge base (the bundled sample or a province's folder) read with ingest, the
case tables read from the encrypted store, the rules run in memory, the result saved as an event."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from feijian.domain.contract import load_contract
from feijian.domain.progress import CancelledFn, ProgressFn
from feijian.paths import resource
from feijian.rules import KnowledgeBase, ScreeningResult, screen
from feijian.rules.knowledge_base import KB_TABLES, KnowledgeBaseError


def bundled_kb_folder() -> Path:
    return resource("kb")


def load_kb(folder: Optional[Path] = None, *, progress: Optional[ProgressFn] = None,
            cancelled: Optional[CancelledFn] = None) -> KnowledgeBase:
    """The knowledge base in ``folder`` (the bundled sample when None), validated. A row the reader refused
    is an error here: a knowledge base with silently missing limits would miss hits."""
    from feijian.ingest import read_folder

    folder = Path(folder) if folder is not None else bundled_kb_folder()
    if not folder.is_dir():
        raise KnowledgeBaseError(f"知识库目录不存在 / no knowledge-base folder: {folder}")
    read = read_folder(folder, kind="kb", progress=progress, cancelled=cancelled)
    if read.rejected:
        r = read.rejected[0]
        raise KnowledgeBaseError(
            f"知识库 {r.file} 第 {r.line} 行无法读取（共 {len(read.rejected)} 行）/ knowledge base {r.file} line {r.line}: "
            f"{r.field} {r.reason}")
    tables = {n: t for n, t in read.tables.items() if n in KB_TABLES}
    if not tables:
        raise KnowledgeBaseError(f"目录中没有知识库表 / no knowledge-base tables in {folder}")
    return KnowledgeBase.from_tables(tables)


def batch_hashes(store) -> tuple[str, ...]:
    """The SHA-256 of every imported source file, sorted: what the run screened."""
    return tuple(sorted({f.sha256 for b in store.import_batches() for f in b.files}))


def case_tables(store, *, columns: Optional[dict] = None) -> dict:
    """The case's imported tables (absent ones left out, so rules report "not run"), with only the columns
    the rules read (``rules.engine.RULE_COLUMNS``; ``columns`` overrides) to keep memory down."""
    from feijian.rules.engine import RULE_COLUMNS

    columns = RULE_COLUMNS if columns is None else columns
    out = {}
    for name in load_contract().case_tables:
        cols = columns.get(name)
        t = store.read_table(name, columns=list(cols) if cols else None)
        if t is not None:
            out[name] = t
    return out


class StoredTable:
    """A case table in the encrypted store as a chunked source for the screening engine: its chunks are
    read one at a time (``CaseStore.iter_table``), so the fee lines are never held whole in Arrow."""

    def __init__(self, store, name: str):
        self.store, self.name = store, name

    def chunks(self, columns: Optional[list] = None, positions: Optional[list] = None):
        """The chunks (only those at ``positions`` of the storage order, when given)."""
        return self.store.iter_table(self.name, columns, positions)


def case_sources(store) -> dict:
    """The case's imported tables as chunked sources (absent ones left out, so rules report "not run"); the
    record documents with the inspectors' corrections of OCR lines and the documents captured on site
    (:mod:`feijian.casework.case_documents`)."""
    from feijian.casework.case_documents import document_source

    out = {name: StoredTable(store, name) for name in load_contract().case_tables if store.has_table(name)}
    documents = document_source(store)
    if documents is not None:
        out["emr_docs"] = documents
    return out


def screen_case(store, *, kb: Optional[KnowledgeBase] = None, rules: Optional[Iterable[str]] = None,
                progress: Optional[ProgressFn] = None, cancelled: Optional[CancelledFn] = None,
                save: bool = True) -> ScreeningResult:
    """Screen the case in ``store`` with ``kb`` (the bundled sample when None) and the case's own phrases
    (:mod:`feijian.casework.case_terms`), and save the run (an event with the run record, the hits and their
    lines). Cancelled before saving: nothing is written."""
    from feijian.casework.case_terms import case_kb

    kb = case_kb(store, kb if kb is not None else load_kb())
    result = screen(case_sources(store), kb, rules=rules, progress=progress, cancelled=cancelled,
                    batch_hashes=batch_hashes(store))
    if save:
        store.save_screening(result.run, result.hits, result.hit_lines)
    return result
