"""An encounter's medical record documents for the inspector who reads them against the bill (records.md,
the record view): the documents in order, what the selected item is called in them (the knowledge base's
``kb_item_terms`` with the case's own phrases), where each mention stands (negated ones told apart, the
count R26 read), the clause a hit quoted, and the clauses most like the item where no term matches
("finding the words"). Pure functions: the record view draws what they return.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from feijian.domain.codes import canonical_code, code_names
from feijian.rules.knowledge_base import DOC_TYPES, KnowledgeBase
from feijian.rules.record_similarity import Similar, rank_clauses
from feijian.rules.record_text import (DEFAULT_UNIT_WORDS, TextMention, clauses, locate, normal_terms,
                                       normalise, split_list)

# rules whose hit is decided by a note that the patient was away (R29): their focus is the absence terms
ABSENCE_RULES = frozenset({"R29"})
_QUOTE = re.compile(r"「([^」]*)」")


@dataclass(frozen=True)
class Document:
    doc_id: str
    doc_type: str  # code of codes.toml's [doc_type], or as the hospital wrote it when unknown
    type_name: str  # 手术记录 …
    time: Optional[dt.datetime]
    title: str
    author: str
    text: str
    ocr_lines: str = ""  # emr_docs _ocr_lines (JSON) of a document read with OCR, else ""
    page_evidence: str = ""  # the evidence id of its original (photo, scan), else ""
    file_format: str = ""  # emr_docs _file_format (``ocr/jpeg``, ``pdf+ocr`` …)

    @property
    def read_by_ocr(self) -> bool:
        return bool(self.ocr_lines)

    @property
    def label(self) -> str:
        when = self.time.strftime("%Y-%m-%d %H:%M") if self.time else "—"
        return f"{when}　{self.title or self.type_name}"


@dataclass(frozen=True)
class ItemReading:
    """How the record names one billed item: its terms (normal form), the document types it is expected
    in and the unit words of its count. ``terms`` is empty where the knowledge base has no row."""

    code: str
    name: str
    terms: tuple[str, ...]
    doc_types: tuple[str, ...]
    unit_words: tuple[str, ...]

    @property
    def known(self) -> bool:
        return bool(self.terms)


def _time(value) -> Optional[dt.datetime]:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        import pandas as pd

        ts = pd.Timestamp(value)
        return None if pd.isna(ts) else ts.to_pydatetime().replace(tzinfo=None)
    except (TypeError, ValueError):
        return None


def type_order() -> dict[str, int]:
    return {code: i for i, code in enumerate(DOC_TYPES)}


def encounter_documents(rows: Optional[Iterable[dict]]) -> list[Document]:
    """The documents of one encounter (``emr_docs`` rows as dicts), by type in the order of the contract's
    document types and then by time. Rows without text (a file that was refused) are not documents."""
    names = code_names("doc_type")
    order = type_order()
    docs = []
    for r in rows or ():
        text = r.get("text")
        if text is None:
            continue
        raw = str(r.get("doc_type") or "")
        code = canonical_code("doc_type", raw) or raw
        docs.append(Document(str(r.get("doc_id") or ""), code, names.get(code, code or "未分类"),
                             _time(r.get("doc_time")), str(r.get("title") or ""), str(r.get("author") or ""),
                             str(text), str(r.get("_ocr_lines") or ""), str(r.get("_page_evidence") or ""),
                             str(r.get("_file_format") or "")))
    far = dt.datetime.max
    return sorted(docs, key=lambda d: (order.get(d.doc_type, len(order)), d.time or far, d.doc_id))


def item_reading(kb: KnowledgeBase, code: str, name: str = "") -> ItemReading:
    """The reading of item ``code`` in ``kb`` (pass the case's knowledge base, casework.case_terms.case_kb,
    so that the case's phrases count)."""
    table = kb.item_terms
    if table is not None:
        for row in table.to_pylist():
            if str(row.get("med_list_codg")) == code:
                units = normal_terms(split_list(row.get("unit_words"))) or normal_terms(DEFAULT_UNIT_WORDS)
                return ItemReading(code, name, normal_terms(split_list(row.get("terms"))),
                                   tuple(split_list(row.get("doc_types"))), units)
    return ItemReading(code, name, (), (), normal_terms(DEFAULT_UNIT_WORDS))


def absence_reading(kb: KnowledgeBase) -> ItemReading:
    """The terms that say the patient was away (R29), read like an item's."""
    return ItemReading("", "不在院", normal_terms(kb.absence_terms), ("nursing", "progress"), ())


def marks(doc: Document, reading: ItemReading, *, count: bool = True) -> list[TextMention]:
    """Where ``reading``'s terms stand in ``doc``'s text (with the count R26 reads when ``count``)."""
    if not reading.terms:
        return []
    return list(locate(doc.text, reading.terms, reading.unit_words if count else ()))


def quoted_clause(detail: Optional[str]) -> Optional[str]:
    """The clause a record rule's detail quotes in 「」 (without a trailing … of a cut quote), or None."""
    m = _QUOTE.search(detail or "")
    if not m:
        return None
    quote = m.group(1).rstrip("…").strip()
    return quote or None


def find_clause(docs: Sequence[Document], quote: Optional[str]) -> Optional[tuple[str, int]]:
    """``(doc_id, clause number)`` of the first clause whose text as written starts with ``quote`` (the rules
    quote a trimmed clause, cut at 60 characters), or None."""
    if not quote:
        return None
    for d in docs:
        for no, clause in enumerate(clauses(d.text)):
            if clause.strip().startswith(quote):
                return d.doc_id, no
    norm = normalise(quote)  # a quote whose blanks were written differently
    for d in docs:
        for no, clause in enumerate(clauses(d.text)):
            if norm and normalise(clause).startswith(norm):
                return d.doc_id, no
    return None


def similar_clauses(docs: Sequence[Document], reading: ItemReading, *, top: int = 8) -> list[Similar]:
    """The clauses of ``docs`` most like the item's name and terms, best first; key ``(doc_id, clause no)``.
    Only the documents of the item's types when it has any and the encounter has them."""
    wanted = [d for d in docs if d.doc_type in reading.doc_types] or list(docs)
    query = [q for q in (reading.name, *reading.terms) if q]
    if not query:
        return []
    pool = [((d.doc_id, no), c) for d in wanted for no, c in enumerate(clauses(d.text)) if c.strip()]
    return rank_clauses(query, pool, top=top)


def mention_counts(docs: Sequence[Document], reading: ItemReading) -> dict[str, tuple[int, int]]:
    """Per document: (mentions, negated mentions) of the item."""
    out = {}
    for d in docs:
        found = marks(d, reading, count=False)
        out[d.doc_id] = (sum(not m.negated for m in found), sum(m.negated for m in found))
    return out
