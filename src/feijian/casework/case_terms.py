"""The case's own phrases for the knowledge base's ``kb_item_terms`` (records.md): an inspector who finds in a
record how this hospital writes a billed item (``经皮冠脉介入`` for PCI) adds the phrase to the case. Each
addition is an event with a register of its own (``item_term``, a new id, ``value``), so additions by
several inspectors merge as a union and never conflict; withdrawing one writes ``deleted``. Screening a case
(:func:`feijian.casework.screening.screen_case`) reads the knowledge base with the case's phrases added
(:func:`case_kb`), so the next run uses them and its record names the knowledge base it ran with.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from feijian.casework.changes import Change, commit
from feijian.domain.codes import canonical_code
from feijian.domain.errors import InputError
from feijian.domain.events import uuid7
from feijian.rules.knowledge_base import DOC_TYPES, KnowledgeBase
from feijian.rules.record_text import normal_terms, split_list

ITEM_TERM_ADDED = "kb.term_added"
ITEM_TERM_WITHDRAWN = "kb.term_withdrawn"


@dataclass(frozen=True)
class CaseTerm:
    term_id: str
    med_list_codg: str
    term: str
    doc_types: tuple[str, ...]  # empty: those of the knowledge base's row for the item
    note: str = ""


def _doc_types(doc_types) -> tuple[str, ...]:
    out = []
    for raw in split_list(doc_types) if isinstance(doc_types, str) else list(doc_types or ()):
        code = canonical_code("doc_type", raw)
        if code is None:
            raise InputError(f"文书类型无效 / unknown document type {raw!r} (one of {', '.join(DOC_TYPES)})")
        out.append(code)
    return tuple(dict.fromkeys(out))


def add_item_term(store, med_list_codg: str, term: str, *, doc_types=(), note: str = "") -> Change:
    """Add ``term`` as a phrase of the item ``med_list_codg`` in this case (``doc_types``: where it is
    expected; needed when the knowledge base has no row for the item)."""
    code = str(med_list_codg or "").strip()
    text = str(term or "").strip()
    if not code:
        raise InputError("缺少项目编码 / no item code")
    if not normal_terms([text]):
        raise InputError("用语为空 / the phrase is empty")
    value = {"med_list_codg": code, "term": text, "doc_types": list(_doc_types(doc_types)), "note": str(note or "")}
    tid = uuid7()
    return commit(store, ITEM_TERM_ADDED, {("item_term", tid, "value"): value, ("item_term", tid, "deleted"): False},
                  description=f"添加用语 / add phrase {text} → {code}")


def withdraw_item_term(store, term_id: str) -> Change:
    if store.state().get("item_term", term_id, "value") is None:
        raise InputError(f"没有这条用语 / no such phrase: {term_id}")
    return commit(store, ITEM_TERM_WITHDRAWN, {("item_term", term_id, "deleted"): True},
                  description=f"撤回用语 / withdraw phrase {term_id}")


def case_terms(state) -> list[CaseTerm]:
    """The case's phrases in force, in the order they were added."""
    out = []
    for tid, fields in sorted(state.entities("item_term").items()):
        value = fields.get("value")
        if not isinstance(value, dict) or fields.get("deleted"):
            continue
        out.append(CaseTerm(tid, str(value.get("med_list_codg", "")), str(value.get("term", "")),
                            tuple(value.get("doc_types") or ()), str(value.get("note", ""))))
    return out


def with_case_terms(kb: KnowledgeBase, terms: list[CaseTerm]) -> KnowledgeBase:
    """The knowledge base with the phrases added to their items' ``kb_item_terms`` rows (a row is made for
    an item without one, from the phrase's document types). Unchanged when there are none."""
    if not terms:
        return kb
    rows = {r["med_list_codg"]: dict(r) for r in (kb.item_terms.to_pylist() if kb.item_terms is not None else [])}
    for t in terms:
        row = rows.get(t.med_list_codg)
        if row is None:
            if not t.doc_types:
                raise InputError(f"项目 {t.med_list_codg} 在知识库中没有文书用语，须指定文书类型 / "
                                 f"item {t.med_list_codg} has no kb_item_terms row: give the document types")
            row = rows[t.med_list_codg] = {"med_list_codg": t.med_list_codg, "doc_types": "", "terms": "",
                                           "unit_words": None}
        row["terms"] = ";".join(dict.fromkeys([*split_list(row["terms"]), t.term]))
        row["doc_types"] = ";".join(dict.fromkeys([*split_list(row["doc_types"]), *t.doc_types]))
    table = pa.table({k: pa.array([r[k] for r in rows.values()], pa.string())
                      for k in ("med_list_codg", "doc_types", "terms", "unit_words")})
    return KnowledgeBase.from_tables({**kb.tables(), "kb_item_terms": table})


def case_kb(store, kb: KnowledgeBase) -> KnowledgeBase:
    """The knowledge base a screening of this case runs with: ``kb`` and the case's phrases."""
    return with_case_terms(kb, case_terms(store.state()))
