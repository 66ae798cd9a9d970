"""The medical record documents (``emr_docs``) made ready for rules R24–R29, once per screening run.

records.md reads a document clause by clause (:mod:`feijian.rules.record_text` is the reference). Here the
same reading runs vectorised in Arrow, chunk by chunk, so 200,000 documents cost a fraction of a second:
the clause breaks become line feeds (a line feed is never produced by NFKC, so the cut stays where the text
as read had it), then NFKC, whitespace removal and lower case over the whole text, then a split at the line
feeds. Only clauses that contain a term of the knowledge base or an absence term are kept. Tables made in
the DuckDB connection:

- ``doc_meta`` (dno, eid, doc_id, doc_type, doc_date, title): every document, ``dno`` its number in the run;
- ``doc_clause`` (dno, eid, doc_type, doc_date, clause_no, clause, raw, cue_end): the kept clauses,
  normalised and as written, with where the earliest negation cue ends (null: none);
- ``item_term`` (iid, med_list_codg, term), ``item_doc_type`` (iid, doc_type): kb_item_terms of billed items;
- ``absence_term`` (term);
- after the fee lines are in (:func:`build_mentions`): ``doc_item_cand`` (eid, iid), the items whose
  mentions a rule may ask for in an encounter, and ``doc_mention`` (dno, clause_no, eid, doc_type,
  doc_date, iid, s, negated): per clause and item the first mention's start and whether it is negated.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Optional

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.codes import canonical_code, code_names
from feijian.domain.progress import CancelledFn, check_cancelled
from feijian.rules.knowledge_base import KnowledgeBase
from feijian.rules.record_text import NEGATION_CUES, SEPARATOR_CHARS, WHITESPACE, normal_terms, split_list

DOC_COLUMNS = ("doc_id", "mdtrt_id", "doc_type", "doc_time", "title", "text")
BREAK_RE2 = r"\r\n|[\r\n" + re.escape(SEPARATOR_CHARS) + "]"
WHITESPACE_RE2 = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE if c != "\n") + "]+"


def normal_text(text: pa.Array) -> pa.Array:
    """Each document's text in normal form with its clauses separated by line feeds."""
    marked = pc.replace_substring_regex(text, BREAK_RE2, "\n")
    return pc.utf8_lower(pc.replace_substring_regex(pc.utf8_normalize(marked, "NFKC"), WHITESPACE_RE2, ""))


def _any_of(terms: Iterable[str]) -> Optional[str]:
    """An RE2 pattern matching any of the (normalised) terms."""
    terms = sorted(set(terms), key=len, reverse=True)
    return "|".join(re.escape(t) for t in terms) if terms else None


def _cue_end_sql(column: str = "clause") -> str:
    parts = [f"CASE WHEN instr({column}, '{c}') > 0 THEN instr({column}, '{c}') - 1 + {len(c)} END"
             for c in NEGATION_CUES]
    return "least(" + ", ".join(parts) + ")"


def _flat_clauses(norm: pa.Array, raw: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """Every clause of every document: normalised, as written, the document's row and the clause number."""
    nl = pc.split_pattern(norm, "\n")
    rl = pc.split_pattern_regex(raw, BREAK_RE2)
    same = pc.all(pc.equal(pc.list_value_length(nl), pc.list_value_length(rl))).as_py()
    if same is False:  # cannot happen: every break became one line feed, and NFKC makes none
        raise ValueError("clause counts differ between the text as written and its normal form")
    parent = pc.list_parent_indices(nl).to_numpy()
    offsets = nl.offsets.to_numpy()
    clause_no = np.arange(len(parent), dtype=np.int64) - (offsets[parent] - offsets[0])
    return pc.list_flatten(nl), pc.list_flatten(rl), parent, clause_no


def _kb_terms(kb: KnowledgeBase, items: pa.Array) -> tuple[pa.Table, pa.Table, dict]:
    """item_term, item_doc_type and the unit words per iid. A billed item has its ``iid``; an item never
    billed gets a negative one (its terms still tell R27 that a record names another nursing level)."""
    terms, types, units = ([], [], []), ([], []), {}
    if kb.item_terms is not None:
        rows = kb.item_terms.to_pylist()
        pos = pc.index_in(pa.array([r["med_list_codg"] for r in rows], pa.string()), value_set=items).to_pylist()
        for k, (r, iid) in enumerate(zip(rows, pos)):
            iid = -(k + 1) if iid is None else iid
            for t in normal_terms(split_list(r["terms"])):
                terms[0].append(iid)
                terms[1].append(r["med_list_codg"])
                terms[2].append(t)
            for d in split_list(r["doc_types"]):
                types[0].append(iid)
                types[1].append(d)
            units[iid] = normal_terms(split_list(r["unit_words"]))
    term_t = pa.table({"iid": pa.array(terms[0], pa.int32()), "med_list_codg": pa.array(terms[1], pa.string()),
                       "term": pa.array(terms[2], pa.string())})
    type_t = pa.table({"iid": pa.array(types[0], pa.int32()), "doc_type": pa.array(types[1], pa.string())})
    return term_t, type_t, units


def load_documents(con: duckdb.DuckDBPyConnection, chunks: Iterable[pa.Table], kb: KnowledgeBase,
                   universes: dict, cancelled: Optional[CancelledFn] = None,
                   note: Callable[[str], None] = lambda message: None) -> dict:
    """Read the documents' chunks into ``doc_meta``/``doc_clause`` and the knowledge base's terms into
    ``item_term``/``item_doc_type``/``absence_term``. Returns ``{"unit_words": {iid: (words …)}}``."""
    term_t, type_t, units = _kb_terms(kb, universes["items"])
    con.register("item_term_src", term_t)
    con.execute("CREATE TABLE item_term AS SELECT * FROM item_term_src")
    con.register("item_doc_type_src", type_t)
    con.execute("CREATE TABLE item_doc_type AS SELECT DISTINCT * FROM item_doc_type_src")
    names = code_names("doc_type")
    con.register("doc_type_name_src", pa.table({"doc_type": pa.array(list(names), pa.string()),
                                                "name": pa.array(list(names.values()), pa.string())}))
    con.execute("CREATE TABLE doc_type_name AS SELECT * FROM doc_type_name_src")
    con.unregister("doc_type_name_src")
    absence = normal_terms(kb.absence_terms)
    con.register("absence_src", pa.table({"term": pa.array(absence, pa.string())}))
    con.execute("CREATE TABLE absence_term AS SELECT * FROM absence_src")
    for name in ("item_term_src", "item_doc_type_src", "absence_src"):
        con.unregister(name)
    wanted = _any_of([*term_t.column("term").to_pylist(), *absence])

    con.execute("""CREATE TABLE doc_meta (dno BIGINT, eid INTEGER, doc_id VARCHAR, doc_type VARCHAR,
                                          doc_date DATE, title VARCHAR)""")
    con.execute("""CREATE TABLE doc_clause (dno BIGINT, eid INTEGER, doc_type VARCHAR, doc_date DATE,
                                            clause_no BIGINT, clause VARCHAR, raw VARCHAR, cue_end BIGINT)""")
    start = 0
    for chunk in chunks:
        check_cancelled(cancelled)
        n = chunk.num_rows
        note(f"读取病历文书 {start + n:,} 份 / reading record documents: {start + n:,}")
        dno = pa.array(np.arange(start, start + n, dtype=np.int64))
        eid = pc.index_in(chunk.column("mdtrt_id"), value_set=universes["enc"]).cast(pa.int32())
        types = chunk.column("doc_type")
        uniq = pc.unique(types)
        canon = pa.array([canonical_code("doc_type", v) or v for v in uniq.to_pylist()], pa.string())
        doc_type = pc.take(canon, pc.index_in(types, value_set=uniq))
        doc_date = pc.cast(chunk.column("doc_time"), pa.date32())
        con.register("meta_chunk", pa.table({"dno": dno, "eid": eid, "doc_id": chunk.column("doc_id"),
                                             "doc_type": doc_type, "doc_date": doc_date,
                                             "title": chunk.column("title")}))
        con.execute("INSERT INTO doc_meta SELECT * FROM meta_chunk")
        con.unregister("meta_chunk")
        text = chunk.column("text").combine_chunks() if isinstance(chunk.column("text"), pa.ChunkedArray) else chunk.column("text")
        if wanted is not None and n:
            flat, raw, parent, clause_no = _flat_clauses(normal_text(text), text)
            keep = pc.fill_null(pc.match_substring_regex(flat, wanted), False)
            rows = pa.array(parent).filter(keep)
            con.register("clause_chunk", pa.table({
                "dno": pc.take(dno, rows), "eid": pc.take(eid.combine_chunks() if isinstance(eid, pa.ChunkedArray) else eid, rows),
                "doc_type": pc.take(doc_type, rows), "doc_date": pc.take(doc_date, rows),
                "clause_no": pa.array(clause_no).filter(keep), "clause": flat.filter(keep), "raw": raw.filter(keep)}))
            con.execute(f"""INSERT INTO doc_clause SELECT dno, eid, doc_type, doc_date, clause_no, clause, raw,
                            {_cue_end_sql()} FROM clause_chunk""")
            con.unregister("clause_chunk")
        start += n
    return {"unit_words": units}


BUILD_MENTIONS_SQL = """
CREATE TABLE nursing_term_item AS
SELECT DISTINCT t.iid FROM item_term t JOIN kb_items k ON k.med_list_codg = t.med_list_codg
WHERE k.category = 'nursing';

CREATE TABLE doc_item_cand AS
SELECT DISTINCT eid, iid FROM agg_lines WHERE iid IN (SELECT iid FROM item_term)
UNION
SELECT e.eid, n.iid
FROM (SELECT DISTINCT eid FROM agg_lines WHERE iid IN (SELECT iid FROM nursing_term_item)) e
CROSS JOIN nursing_term_item n;

CREATE TABLE doc_mention AS
SELECT dno, clause_no, eid, doc_type, doc_date, iid, s, coalesce(cue_end <= s, false) AS negated
FROM (
  SELECT c.dno, c.clause_no, c.eid, c.doc_type, c.doc_date, t.iid, any_value(c.cue_end) AS cue_end,
         min(instr(c.clause, t.term)) - 1 AS s
  FROM doc_clause c JOIN doc_item_cand b ON b.eid = c.eid JOIN item_term t ON t.iid = b.iid
  WHERE instr(c.clause, t.term) > 0
  GROUP BY c.dno, c.clause_no, c.eid, c.doc_type, c.doc_date, t.iid
);

CREATE TABLE absence_mention AS
SELECT dno, clause_no, eid, doc_type, doc_date, s, coalesce(cue_end <= s, false) AS negated
FROM (
  SELECT c.dno, c.clause_no, c.eid, c.doc_type, c.doc_date, any_value(c.cue_end) AS cue_end,
         min(instr(c.clause, a.term)) - 1 AS s
  FROM doc_clause c JOIN absence_term a ON instr(c.clause, a.term) > 0
  WHERE c.doc_type IN ('nursing', 'progress')
  GROUP BY c.dno, c.clause_no, c.eid, c.doc_type, c.doc_date
);
"""


def build_mentions(con: duckdb.DuckDBPyConnection) -> None:
    """The mention tables (needs ``agg_lines`` and ``kb_items`` with ``iid``)."""
    con.execute(BUILD_MENTIONS_SQL)
