"""The medical record documents (``emr_docs``) made ready for rules R24–R29, once per screening run.

records.md reads a document clause by clause (:mod:`feijian.rules.record_text` is the reference). Here the
same reading runs vectorised: a document's *normal text* (:func:`normal_text`) is its text with every clause
break turned into a line feed (NFKC never makes one, so the cuts stay where the text as read had them), then
NFKC, whitespace removal and lower case over the whole text. The import stores it beside the text
(:data:`NORMAL_TEXT`), so a screening only computes it for tables that come without it.

A mention of an item in a document is then found in DuckDB from the *first* occurrence of any of its terms:
it is negated when a cue stands before it in its clause, i.e. a cue followed by no line feed up to the
occurrence. A first occurrence that is not negated decides (a mention exists); a negated one decides only
its own clause, so those few (document, item) pairs are read again by the reference module in Python.

Tables made in the DuckDB connection:

- ``doc_text`` (dno, eid, doc_id, doc_type, doc_date, ntext, ocr_conf): every document,
  ``dno`` its number in the run (an Arrow view, not a copy); ``ocr_conf`` the lowest confidence of its lines
  when it was read with OCR (:mod:`feijian.rules.record_ocr`);
- ``item_term`` (iid, med_list_codg, term), ``item_doc_type`` (iid, doc_type), ``absence_term`` (term),
  ``doc_type_name`` (doc_type, name);
- after the fee lines are in (:func:`build_mentions`): ``nursing_term_item`` (iid), ``doc_item_cand``
  (eid, iid), the items whose mentions a rule may ask for in an encounter, ``doc_mention`` (dno, eid,
  doc_type, doc_date, iid, mentioned, pos, clause_no, negated_clause_no): ``pos`` where the first
  non-negated mention stands in ``ntext`` (1-based), its clause number ``clause_no`` only where the
  Python reread found it (else ``clause_no_at(ntext, pos)``, computed for what a rule quotes), and
  ``absence_mention`` (dno, eid, doc_type, doc_date, clause_no) for the documents with a non-negated
  absence term.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Optional

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.codes import canonical_code, code_names
from feijian.domain.errors import InputError
from feijian.domain.progress import CancelledFn, check_cancelled
from feijian.rules.knowledge_base import KnowledgeBase
from feijian.rules.nfkc import nfkc
from feijian.rules.record_text import (NEGATION_CUES, SEPARATOR_CHARS, WHITESPACE, clauses, mentions, normal_terms,
                                       split_list)

NORMAL_TEXT = "_text_norm"  # the column of emr_docs in which the import keeps each document's normal text
OCR_CONFIDENCE = "_ocr_confidence"  # emr_docs: lowest confidence of a line read with OCR (null: not read with OCR)
DOC_COLUMNS = ("doc_id", "mdtrt_id", "doc_type", "doc_time", "text")
META_COLUMNS = ("mdtrt_id", "doc_type", "doc_time")  # what the screening reads of every document (and its normal text)
BREAK_RE2 = r"\r\n|[\r\n" + re.escape(SEPARATOR_CHARS) + "]"
WHITESPACE_RE2 = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE if c != "\n") + "]+"
CUES_RE2 = "|".join(NEGATION_CUES)


BREAKS = ("\r\n", "\r") + tuple(SEPARATOR_CHARS)  # each becomes a line feed, in this order ("\r\n" before "\r")
SPACES = tuple(c for c in WHITESPACE if c != "\n")
WIDE_SPACES_RE2 = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in SPACES if not c.isascii()) + "]"


def _text_bytes(values: pa.Array) -> bytes:
    """The UTF-8 bytes of a string array's values (one copy: ``bytes`` finds a byte at memchr speed)."""
    bufs = values.buffers()
    if len(values) == 0 or bufs[2] is None:
        return b""
    offsets = np.frombuffer(bufs[1], dtype=np.int32, count=len(values) + 1, offset=values.offset * 4)
    return np.frombuffer(bufs[2], dtype=np.uint8)[int(offsets[0]):int(offsets[-1])].tobytes()


def _maybe_present(values: pa.Array, chars: Iterable[str]) -> list[str]:
    """``chars`` without the ASCII ones that do not occur in ``values`` (a byte search each; a character of
    several bytes costs a search about as long as replacing it, so it is kept)."""
    chars = list(chars)
    if values.type != pa.string():
        return chars
    data = _text_bytes(values)
    return [c for c in chars if not c.isascii() or c.encode() in data]


def normal_text(text: pa.Array) -> pa.Array:
    """Each document's text in normal form, its clauses separated by line feeds (clause ``i`` of the text
    as read is line ``i``). The same as replacing :data:`BREAK_RE2` by a line feed, NFKC, removing
    :data:`WHITESPACE_RE2` and lower case, but by literal replacements (``"\\r\\n"`` first, so that it stays
    one break), skipping the ASCII breaks and blanks that do not occur, and a regular expression only for
    the rare wide blanks, when one is there: about 60 % of the time the two regular expressions took. NFKC
    only where it changes something (:func:`feijian.rules.nfkc.nfkc`)."""
    if isinstance(text, pa.ChunkedArray):
        return pa.chunked_array([normal_text(c) for c in text.chunks], text.type)
    for brk in _maybe_present(text, (b for b in BREAKS if b.isascii())):
        text = pc.replace_substring(text, brk, "\n")
    # the wide breaks (，。；！？) are replaced in NFKC's pass over the bytes; the blanks it pads with go with
    # the others
    text = nfkc(text, pad=" ", before={b: "\n" for b in BREAKS if not b.isascii()})
    for blank in _maybe_present(text, (c for c in SPACES if c.isascii())):
        text = pc.replace_substring(text, blank, "")
    if len(text) and pc.any(pc.match_substring_regex(text, WIDE_SPACES_RE2)).as_py():
        text = pc.replace_substring_regex(text, WIDE_SPACES_RE2, "")
    return pc.utf8_lower(text)


def with_normal_text(table: pa.Table) -> pa.Table:
    """An emr_docs table with :data:`NORMAL_TEXT` (computed from ``text`` unless present)."""
    if NORMAL_TEXT in table.column_names or "text" not in table.column_names:
        return table
    text = table.column("text")
    norm = pa.chunked_array([normal_text(c) for c in text.chunks], text.type) if text.num_chunks else \
        pa.chunked_array([], text.type)
    return table.append_column(NORMAL_TEXT, norm)


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


def _table(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table, distinct: bool = False) -> None:
    con.register(name + "_src", data)
    con.execute(f"CREATE TABLE {name} AS SELECT {'DISTINCT ' if distinct else ''}* FROM {name}_src")
    con.unregister(name + "_src")


def _doc_chunk(chunk: pa.Table, start: int, eid: pa.Array) -> pa.Table:
    """One chunk of documents as ``doc_text`` holds them (``eid`` given); its normal text from the chunk's
    ``text`` where the chunk comes without it."""
    n = chunk.num_rows
    types = chunk.column("doc_type")
    uniq = pc.unique(types)
    canon = pa.array([canonical_code("doc_type", v) or v for v in uniq.to_pylist()], pa.string())
    if NORMAL_TEXT in chunk.column_names:
        ntext = chunk.column(NORMAL_TEXT)
    else:
        text = chunk.column("text")
        ntext = pa.chunked_array([normal_text(c) for c in text.chunks], text.type)
    return pa.table({
        "dno": pa.array(np.arange(start, start + n, dtype=np.int64)),
        "eid": eid,
        "doc_type": pc.take(canon, pc.index_in(types, value_set=uniq)),
        "doc_date": pc.cast(chunk.column("doc_time"), pa.date32()),
        "ntext": ntext.cast(pa.large_string()),
        "ocr_conf": chunk.column(OCR_CONFIDENCE).cast(pa.float64()) if OCR_CONFIDENCE in chunk.column_names
        else pa.nulls(n, pa.float64()),
    })


class OriginalTexts:
    """The documents' texts as written, by ``dno``: a chunk's are read from the case (``fetch(positions)``
    yielding ``(position, table with "text")``) the first time one of its documents is asked for, since a
    screening quotes a few documents and reading every text would decode and hold them all."""

    def __init__(self, sizes: list[int], fetch: Optional[Callable]):
        self.sizes = sizes
        self.starts = np.cumsum([0] + sizes)
        self.fetch = fetch
        self.chunks: dict[int, pa.ChunkedArray] = {}

    def add(self, position: int, text: pa.ChunkedArray) -> None:
        if len(text) != self.sizes[position]:
            raise InputError("筛查期间病历文书发生了变化 / the record documents changed while they were screened")
        self.chunks[position] = text

    def values(self, dnos: Iterable[Optional[int]]) -> list[Optional[str]]:
        dnos = list(dnos)
        at = [None if d is None else int(np.searchsorted(self.starts, d, side="right")) - 1 for d in dnos]
        missing = sorted({k for k in at if k is not None and k not in self.chunks})
        if missing:
            got = set()
            for k, chunk in self.fetch(missing) if self.fetch else ():
                self.add(k, chunk.column("text"))
                got.add(k)
            if got != set(missing):
                raise InputError("筛查期间病历文书发生了变化 / the record documents changed while they were screened")
        return [None if k is None else self.chunks[k][d - int(self.starts[k])].as_py() for d, k in zip(dnos, at)]


def _encounter_numbers(chunks: list, universe: pa.Array) -> list:
    """Each chunk's ``eid`` (position of its mdtrt_id in the encounters' universe): through the chunk's own
    unique values, all mapped to the universe in one look-up (one hash table of the universe, not one per
    chunk)."""
    uniques = [pc.unique(c.column("mdtrt_id")).cast(pa.string()) for c in chunks]
    if not uniques:
        return []
    pos = pc.index_in(pa.chunked_array(uniques, pa.string()), value_set=universe)
    out, at = [], 0
    for chunk, u in zip(chunks, uniques):
        local = pc.index_in(chunk.column("mdtrt_id"), value_set=u)
        out.append(pc.take(pos.slice(at, len(u)), local).cast(pa.int32()))
        at += len(u)
    return out


def texts_of(column: pa.ChunkedArray, dnos: Iterable[Optional[int]]) -> list[Optional[str]]:
    """The values of a documents' column at rows ``dnos`` (None for None), each from its own chunk:
    ``ChunkedArray.take`` would first concatenate every chunk, i.e. copy all the documents' texts."""
    dnos = list(dnos)
    out: list[Optional[str]] = [None] * len(dnos)
    at = np.array([-1 if d is None else d for d in dnos], dtype=np.int64)
    wanted = np.flatnonzero(at >= 0)
    if not len(wanted):
        return out
    starts = np.cumsum([0] + [len(c) for c in column.chunks])
    k = np.searchsorted(starts, at[wanted], side="right") - 1
    order = np.argsort(k, kind="stable")
    wanted, k = wanted[order], k[order]
    bounds = np.flatnonzero(np.diff(k)) + 1
    for rows, ks in zip(np.split(wanted, bounds), np.split(k, bounds)):
        chunk = int(ks[0])
        values = column.chunk(chunk).take(pa.array(at[rows] - starts[chunk])).to_pylist()
        for r, v in zip(rows.tolist(), values):
            out[r] = v
    return out


def _text_functions(con: duckdb.DuckDBPyConnection, text: OriginalTexts, ntext: pa.ChunkedArray) -> None:
    """SQL functions over the documents' texts by ``dno``, evaluated in Python for the few rows a rule quotes
    (no scan of every document's text): ``doc_clause(dno, n)`` clause ``n`` of the text as written
    (:func:`feijian.rules.record_text.clauses`), ``doc_clause_no(dno, pos)`` the clause of a position
    (1-based) in the normal text, ``doc_original(dno)`` the text as written."""
    def texts(column, dno: pa.Array) -> list:
        return column.values(dno.to_pylist()) if isinstance(column, OriginalTexts) else texts_of(column, dno.to_pylist())

    def doc_clause(dno: pa.Array, n: pa.Array) -> pa.Array:
        out = []
        for t, k in zip(texts(text, dno), n.to_pylist()):
            parts = clauses(t) if t is not None and k is not None else ()
            out.append(parts[k] if 0 <= (k if k is not None else -1) < len(parts) else None)
        return pa.array(out, pa.string())

    def doc_clause_no(dno: pa.Array, pos: pa.Array) -> pa.Array:
        return pa.array([t[:max(p - 1, 0)].count("\n") if t is not None and p is not None else None
                         for t, p in zip(texts(ntext, dno), pos.to_pylist())], pa.int64())

    def doc_original(dno: pa.Array) -> pa.Array:
        return pa.array(texts(text, dno), pa.string())

    for name, fn, params, result in (("doc_clause", doc_clause, ["BIGINT", "BIGINT"], "VARCHAR"),
                                     ("doc_clause_no", doc_clause_no, ["BIGINT", "BIGINT"], "BIGINT"),
                                     ("doc_original", doc_original, ["BIGINT"], "VARCHAR")):
        con.create_function(name, fn, params, result, type="arrow", null_handling="special")


def load_documents(con: duckdb.DuckDBPyConnection, chunks: Iterable[pa.Table], kb: KnowledgeBase,
                   universes: dict, cancelled: Optional[CancelledFn] = None, *,
                   texts: Optional[Callable] = None) -> dict:
    """Register the documents (``doc_text``; the texts as written are reached through the functions
    :func:`attach_documents` makes) and the knowledge base's terms. ``chunks`` need not hold the texts as
    written: ``texts(positions)`` yields ``(position, chunk with "text")`` for the chunks (by their order in
    ``chunks``) whose texts are asked for (:class:`OriginalTexts`), and for a chunk without its normal text. Returns what the rules read
    in Python: ``{"unit_words": {iid: (words …)}, "terms": {iid: (terms …)}, "documents": pa.Table}``
    (``doc_text``'s table, row ``dno``) and ``"originals"`` (:class:`OriginalTexts`)."""
    term_t, type_t, units = _kb_terms(kb, universes["items"])
    _table(con, "item_term", term_t)
    _table(con, "item_doc_type", type_t, distinct=True)
    _table(con, "absence_term", pa.table({"term": pa.array(normal_terms(kb.absence_terms), pa.string())}))
    names = code_names("doc_type")
    _table(con, "doc_type_name", pa.table({"doc_type": pa.array(list(names), pa.string()),
                                           "name": pa.array(list(names.values()), pa.string())}))
    read = []
    for chunk in chunks:
        check_cancelled(cancelled)
        read.append(chunk)
    if not read:
        read = [pa.table({c: pa.array([], pa.timestamp("s") if c == "doc_time" else pa.string()) for c in DOC_COLUMNS})]
    originals = OriginalTexts([c.num_rows for c in read], texts)
    for i, chunk in enumerate(read):
        if "text" in chunk.column_names:
            originals.add(i, chunk.column("text"))
    without_normal = [i for i, c in enumerate(read) if NORMAL_TEXT not in c.column_names and "text" not in c.column_names]
    if without_normal:  # a case imported before the normal text was kept: its texts, now
        originals.values([int(originals.starts[i]) for i in without_normal if read[i].num_rows])
    parts, start = [], 0
    for i, (chunk, eid) in enumerate(zip(read, _encounter_numbers(read, universes["enc"]))):
        if NORMAL_TEXT not in chunk.column_names and "text" not in chunk.column_names:
            chunk = chunk.append_column("text", originals.chunks[i] if i in originals.chunks
                                        else pa.chunked_array([], pa.string()))
        parts.append(_doc_chunk(chunk, start, eid))
        start += chunk.num_rows
    del read
    docs = pa.concat_tables(parts)
    con.register("doc_text", docs)
    terms: dict[int, list[str]] = {}
    for iid, term in zip(term_t.column("iid").to_pylist(), term_t.column("term").to_pylist()):
        terms.setdefault(iid, []).append(term)
    return {"unit_words": units, "terms": terms, "documents": docs, "originals": originals}


def attach_documents(con: duckdb.DuckDBPyConnection, loaded: dict) -> None:
    """What the rules' connection needs of documents loaded on it or on a cursor of it (a cursor shares the
    tables, not these): the view ``doc_text`` and the functions over the texts (:func:`_text_functions`)."""
    con.register("doc_text", loaded["documents"])
    _text_functions(con, loaded["originals"], loaded["documents"].column("ntext"))


# a cue in the clause before position p (1-based) of d.ntext: a cue followed by no line feed up to p
_NEGATED = f"regexp_matches(left(d.ntext, {{p}} - 1), '({CUES_RE2})[^\\n]*$')"
# the clause number of a position (1-based) in a normal text: the line feeds before it (only for the few
# mentions a rule quotes)
CLAUSE_NO_MACRO = ("CREATE OR REPLACE MACRO clause_no_at(ntext, pos) AS "
                   "length(left(ntext, pos - 1)) - length(replace(left(ntext, pos - 1), chr(10), ''))")

# one pass over the documents: the first occurrence of each item's terms (p) per document, whether a cue
# stands before it in its clause (the same for every term found at p: it depends on the text before p only),
# and the document's encounter, type and date carried along
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

-- the document types in which an item is looked for: its own, and nursing records for nursing items
CREATE TABLE item_scan_type AS
SELECT iid, doc_type FROM item_doc_type
UNION SELECT iid, 'nursing' FROM nursing_term_item
UNION SELECT iid, 'treatment' FROM item_doc_type WHERE doc_type = 'treatment';

-- each (encounter, document type, item) once with the item's terms as a list: a document meets each of its
-- candidate items once, the first occurrence of any term is the least positive position, no grouping
CREATE TABLE first_mention AS
WITH it AS (SELECT iid, list(term) AS terms FROM item_term GROUP BY iid),
cand AS (SELECT b.eid, s.doc_type, b.iid, it.terms FROM doc_item_cand b
         JOIN item_scan_type s ON s.iid = b.iid JOIN it ON it.iid = b.iid)
-- (p null: none of the terms, rows that doc_mention drops. A "WHERE p IS NOT NULL" here is pushed into
-- the join and the terms are searched twice: 0.56 -> 0.47 s CPU at scale 10)
SELECT dno, iid, eid, doc_type, doc_date, p, CASE WHEN p IS NOT NULL THEN {negated_n} END AS negated FROM (
  SELECT d.dno, c.iid, d.eid, d.doc_type, d.doc_date, d.ntext,
         list_min(list_filter(list_transform(c.terms, lambda t: instr(d.ntext, t)), lambda x: x > 0)) AS p
  FROM cand c JOIN doc_text d ON d.eid = c.eid AND d.doc_type = c.doc_type
);

CREATE TABLE first_absence AS
SELECT dno, eid, doc_type, doc_date, min(p) AS p, arg_min(negated, p) AS negated, arg_min(clause_no, p) AS clause_no
FROM (
  SELECT d.dno, d.eid, d.doc_type, d.doc_date, instr(d.ntext, a.term) AS p, p > 0 AND {negated} AS negated,
         clause_no_at(d.ntext, p) AS clause_no
  FROM doc_text d, absence_term a
  WHERE d.doc_type IN ('nursing', 'progress')
) WHERE p > 0 GROUP BY dno, eid, doc_type, doc_date;
""".format(negated=_NEGATED.format(p="p"), negated_n=_NEGATED.format(p="p").replace("d.ntext", "ntext"))


def _reread(ntext: pa.Array, pairs: list, terms_of: Callable[[int], list[str]]) -> pa.Table:
    """The (document, item, first occurrence) triples whose first occurrence is negated, read clause by
    clause with the reference module: the first non-negated mention (its clause, null: none, and its
    position in the normal text, 1-based) and the first negated clause. ``ntext``: the documents' normal
    texts by ``dno``; ``p`` (1-based) where the first occurrence of any of the item's terms stands in it.

    Only the clauses after p's are read. The clauses before it hold none of the terms (a term has no line
    feed). p's clause is the first negated one and has no mention that is not negated: a cue ends at or
    before p (that is what "negated" means here) and every other occurrence in the clause starts at or
    after p. Of the clauses after it, only those containing a term can hold a mention."""
    dnos, iids, found, pos, negated = [], [], [], [], []
    texts = texts_of(ntext, [dno for dno, _, _ in pairs])
    for (dno, iid, p), text in zip(pairs, texts):
        first = first_at = None
        terms = terms_of(iid)
        end = text.find("\n", p - 1)
        first_negated = text.count("\n", 0, p - 1)
        if end >= 0:
            start, no = end + 1, first_negated + 1
            for clause in text[start:].split("\n"):
                if any(t in clause for t in terms):
                    m = next((m for m in mentions(clause, terms) if not m.negated), None)
                    if m is not None:
                        first, first_at = no, start + 1 + m.start
                        break
                start += len(clause) + 1
                no += 1
        for out, v in zip((dnos, iids, found, pos, negated), (dno, iid, first, first_at, first_negated)):
            out.append(v)
    return pa.table({"dno": pa.array(dnos, pa.int64()), "iid": pa.array(iids, pa.int32()),
                     "clause_no": pa.array(found, pa.int64()), "pos": pa.array(pos, pa.int64()),
                     "negated_clause_no": pa.array(negated, pa.int64())})


def build_mentions(con: duckdb.DuckDBPyConnection, loaded: dict) -> None:
    """The mention tables (needs ``agg_lines`` and ``kb_items``)."""
    con.execute(CLAUSE_NO_MACRO)
    con.execute(BUILD_MENTIONS_SQL)
    terms = loaded["terms"]
    ntext = loaded["documents"].column("ntext")
    absence = [r[0] for r in con.execute("SELECT term FROM absence_term").fetchall()]
    pairs = con.execute("SELECT dno, iid, p FROM first_mention WHERE negated ORDER BY dno, iid").fetchall()
    _table(con, "mention_reread", _reread(ntext, pairs, lambda iid: terms[iid]))
    # pos: where the first non-negated mention stands (null: none); clause_no: its clause where the reread
    # found it (else null: clause_no_at(ntext, pos) for the few quoted)
    con.execute("""
    CREATE TABLE doc_mention AS
    SELECT f.dno, f.eid, f.doc_type, f.doc_date, f.iid,
           CASE WHEN f.negated THEN r.clause_no IS NOT NULL ELSE true END AS mentioned,
           CASE WHEN f.negated THEN r.pos ELSE f.p END AS pos,
           CASE WHEN f.negated THEN r.clause_no END AS clause_no,
           CASE WHEN f.negated THEN r.negated_clause_no END AS negated_clause_no
    FROM first_mention f LEFT JOIN mention_reread r ON f.negated AND r.dno = f.dno AND r.iid = f.iid
    WHERE f.p IS NOT NULL
    """)
    pairs = con.execute("SELECT dno, 0, p FROM first_absence WHERE negated ORDER BY dno").fetchall()
    _table(con, "absence_reread", _reread(ntext, pairs, lambda iid: absence))
    con.execute("""
    CREATE TABLE absence_mention AS
    SELECT f.dno, f.eid, f.doc_type, f.doc_date, CASE WHEN f.negated THEN r.clause_no ELSE f.clause_no END AS clause_no
    FROM first_absence f LEFT JOIN absence_reread r ON f.negated AND r.dno = f.dno
    WHERE NOT f.negated OR r.clause_no IS NOT NULL
    """)
