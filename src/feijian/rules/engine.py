"""The screening engine's shared ground: an in-process DuckDB connection over the Arrow tables (no database
file, no spill to disk) and the common definitions of rules.md, written once as SQL views and small tables:

- ``enc``: encounters with ``is_inp`` (inpatient: med_type 2*, 52 or the knowledge base's
  ``inpatient_med_types``), stay dates ``A``/``D`` and ``stay_len`` = max(1, D − A) (计入不计出);
- ``refund_sums``: per original line, the sums of its refund lines (refunds whose original is missing or is
  itself a refund are orphans and ignored everywhere);
- ``orig_net``: every original (non-refund) line with ``net_cnt``/``net_amt``; ``net_lines``: those with
  net cnt > 0 — the lines line-grain rules and R12 see;
- ``agg_lines``: originals plus non-orphan refunds, each under its own date/order/encounter — what
  aggregating rules sum;
- ``kb_items`` with ``cap`` (the price cap of the institution's level) and ``iid``, and the other
  knowledge-base tables.

Speed and memory: the keys are numbered once in Arrow (``eid`` encounter, ``iid`` item, ``did`` order
number, ``nid`` item name, ``lid`` fee row; :func:`_load_fees`), so joins and groupings run on integers;
the fee lines are materialised once, lean (no long strings), and a rule fetches the strings of its hits
only (:func:`with_text`, the lookups ``enc_ids``, ``item_ids``, ``order_ids``, ``name_ids``). Only the
columns in ``RULE_COLUMNS`` are read.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable, Iterator, Mapping, Optional

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.contract import load_contract
from feijian.domain.formatting import SQL_MACROS
from feijian.domain.errors import InputError
from feijian.domain.progress import CancelledFn, check_cancelled
from feijian.rules import record_prep
from feijian.rules.knowledge_base import KnowledgeBase

MONEY = pa.decimal128(18, 4)
TOLERANCE = Decimal("0.005")
MEMORY_LIMIT = "3GB"
_ARROW = {"str": pa.string(), "decimal": MONEY, "bool": pa.bool_(), "date": pa.date32(),
          "datetime": pa.timestamp("s")}


def connect(memory_limit: str = MEMORY_LIMIT, threads: int = 2) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB: no database file, spilling disabled (temp_directory empty) so no plaintext
    patient data ever reaches the disk; queries beyond the memory limit fail instead of spilling."""
    con = duckdb.connect(":memory:", config={
        "threads": threads,
        "memory_limit": memory_limit,
        "temp_directory": "",
        "preserve_insertion_order": False,
    })
    con.execute("SET enable_external_access = false")  # no file reads or writes from SQL
    return con


def conform(name: str, table: pa.Table, columns: Optional[tuple] = None) -> pa.Table:
    """A case table with every contract field (or only ``columns``: the others are dropped) present in the
    contract's Arrow type (absent → nulls)."""
    spec = load_contract().table(name)
    fields = [f for f in spec.fields if columns is None or f.name in columns]
    out = table.select([f.name for f in fields if f.name in table.column_names]) if columns is not None else table
    for f in fields:
        target = _ARROW[f.type]
        if f.name not in out.column_names:
            out = out.append_column(f.name, pa.nulls(out.num_rows, target))
            continue
        col = out.column(f.name)
        if col.type != target:
            try:
                if f.type == "str":
                    col = col.cast(pa.string())
                else:
                    col = col.cast(target)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise InputError(f"表 {name} 的字段 {f.name} 类型不对 / {name}.{f.name} is not {f.type}: {exc}") from None
            out = out.set_column(out.column_names.index(f.name), f.name, col)
    return out


def sql_str(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def inpatient_predicate(kb: KnowledgeBase, column: str = "med_type") -> str:
    parts = [f"starts_with({column}, '2')", f"{column} = '52'"]
    for p in kb.inpatient_med_types:
        if p.endswith("*"):
            parts.append(f"starts_with({column}, {sql_str(p[:-1])})")
        else:
            parts.append(f"{column} = {sql_str(p)}")
    return "coalesce(" + " OR ".join(parts) + ", false)"


@dataclass
class Context:
    """What a rule function sees: the prepared connection, the knowledge base and the case's tables."""

    con: duckdb.DuckDBPyConnection
    kb: KnowledgeBase
    present: frozenset  # case tables given (imported), possibly empty
    medins_lv: Optional[str] = None
    extras: dict = field(default_factory=dict)
    loaders: dict = field(default_factory=dict)  # name -> Loader: work done once, when a rule first needs it
    cancelled: Optional[CancelledFn] = None
    views: dict = field(default_factory=dict)  # name -> Arrow table registered on ``con`` for the rules

    def threshold(self, name: str) -> Decimal:
        return self.kb.threshold(name)

    def need(self, name: str):
        """Run the loader ``name`` once (e.g. ``documents``: the record documents of R24–R29) and return
        what it returned."""
        if name not in self.extras:
            loader = self.loaders[name]
            value = loader.work(self.con, self.cancelled)
            loader.attach(self.con, value)
            self.extras[name] = value
        return self.extras[name]

    def on(self, con: duckdb.DuckDBPyConnection, cancelled: Optional[CancelledFn] = None) -> "Context":
        """This run's context on another connection of its database (a cursor, :mod:`feijian.rules.background`):
        the tables are shared, the registered views are made there too; loaders run again there when needed."""
        for name, t in self.views.items():
            con.register(name, t)
        return replace(self, con=con, extras={}, cancelled=cancelled)


@dataclass(frozen=True)
class Loader:
    """Work a rule may need, done once per run: ``work(con, cancelled)`` on a connection (the run's, or a
    cursor of it in the background) returns the value; ``attach(con, value)`` then makes on the run's
    connection what a cursor does not share with it (registered Arrow views, Python functions)."""

    work: Callable[[duckdb.DuckDBPyConnection, Optional[CancelledFn]], object]
    attach: Callable[[duckdb.DuckDBPyConnection, object], None] = lambda con, value: None


COMMON_SQL = """
CREATE MACRO money(x) AS format('{{:,.2f}} 元', CAST(round(CAST(x AS DECIMAL(38, 4)), 2) AS DOUBLE));
CREATE MACRO ymd(x) AS strftime(x, '%Y-%m-%d');

CREATE TABLE enc AS
SELECT eid, mdtrt_id, psn_no, gend, brdy, age, med_type, begntime, endtime, dscg_way,
       adm_dept_codg, atddr_no,
       {inpatient} AS is_inp,
       CAST(begntime AS DATE) AS A,
       CAST(endtime AS DATE) AS D,
       CAST(greatest(1, date_diff('day', CAST(begntime AS DATE), CAST(endtime AS DATE))) AS INTEGER) AS stay_len
FROM visits;

CREATE TABLE kb_items AS
SELECT i.iid, k.*, {cap} AS cap FROM kb_items_src k LEFT JOIN item_ids i ON i.med_list_codg = k.med_list_codg;
"""

# refund lines (``init_feedetl_sn`` set) are few: they are collected from the fee chunks first
# (``refund_cand``) and summed per original line over all of them (``refund_all_sums``), so each chunk of
# original lines gets its net values as it streams in. A refund only counts when its original is an original
# line (non-orphan); ``refund_lines`` and ``refund_sums`` keep those only, once every original is in.
REFUND_CAND_SQL = """
CREATE TABLE refund_cand AS
SELECT lid, eid, iid, did, feedetl_sn, init_feedetl_sn, fee_ocur_time,
       CAST(fee_ocur_time AS DATE) AS fee_date, cnt, det_item_fee_sumamt AS amt
FROM refund_src;

CREATE TABLE refund_all_sums AS
SELECT eid, init_feedetl_sn AS feedetl_sn, sum(cnt) AS rcnt, sum(amt) AS ramt
FROM refund_cand GROUP BY ALL;
"""

REFUND_SQL = """
CREATE TABLE refund_lines AS
SELECT * FROM refund_cand
WHERE lid IN (SELECT c.lid FROM refund_cand c JOIN orig_base o ON o.eid = c.eid AND o.feedetl_sn = c.init_feedetl_sn);
DROP TABLE refund_cand;
DROP TABLE refund_all_sums;

CREATE TABLE refund_sums AS
SELECT eid, init_feedetl_sn AS feedetl_sn, sum(cnt) AS rcnt, sum(amt) AS ramt
FROM refund_lines GROUP BY ALL;
"""

# every original (non-refund) line once, lean: integer keys instead of the long strings (mdtrt_id,
# med_list_codg, med_list_name, drord_no), which rules fetch for their hits only (``TEXT_JOIN``); built
# chunk by chunk from ``fee_chunk`` (one chunk, keys encoded; its refund lines are skipped here)
ORIG_SELECT = """
SELECT o.lid, o.eid, o.iid, o.did, o.nid, o.feedetl_sn, o.fee_ocur_time, CAST(o.fee_ocur_time AS DATE) AS fee_date,
       {list_type} AS list_type, o.pric, {bilg_dr_codg} AS bilg_dr_codg,
       o.cnt, o.det_item_fee_sumamt AS amt {net}
FROM fee_chunk o {join}
WHERE o.init_feedetl_sn IS NULL
"""
# short, repetitive codes stored as DuckDB ENUMs (1–4 bytes instead of 16 per line); ``orig_net`` casts them
# back, so rules see VARCHAR
ENUM_COLUMNS = ("list_type", "bilg_dr_codg")
NET_COLUMNS = (", CAST(o.cnt + coalesce(r.rcnt, 0) AS DECIMAL(18, 4)) AS net_cnt, "
               "CAST(o.det_item_fee_sumamt + coalesce(r.ramt, 0) AS DECIMAL(18, 4)) AS net_amt")
NET_JOIN = "LEFT JOIN refund_all_sums r ON r.eid = o.eid AND r.feedetl_sn = o.feedetl_sn"

ORIG_VIEWS_SQL = """
CREATE VIEW orig_net AS
SELECT lid, eid, iid, did, nid, feedetl_sn, fee_ocur_time, fee_date, CAST(list_type AS VARCHAR) AS list_type, pric,
       CAST(bilg_dr_codg AS VARCHAR) AS bilg_dr_codg, cnt, amt, {net}
FROM orig_base;

CREATE VIEW net_lines AS SELECT * FROM orig_net WHERE net_cnt > 0;

CREATE VIEW agg_lines AS
SELECT lid, eid, iid, did, feedetl_sn, false AS is_refund, fee_ocur_time, fee_date, cnt, amt
FROM orig_base
UNION ALL
SELECT lid, eid, iid, did, feedetl_sn, true, fee_ocur_time, fee_date, cnt, amt
FROM refund_lines;
"""


# the strings of hit lines: ``h`` (with ``lid``) joined to its line and the lookups; columns ``t_mdtrt_id``,
# ``t_feedetl_sn``, ``t_med_list_codg``, ``t_med_list_name``, ``t_drord_no`` and the item text ``t_item``
TEXT_JOIN = """
JOIN orig_net o_ ON o_.lid = h.lid
LEFT JOIN enc_ids e_ ON e_.eid = o_.eid LEFT JOIN item_ids i_ ON i_.iid = o_.iid
LEFT JOIN name_ids m_ ON m_.nid = o_.nid LEFT JOIN order_ids d_ ON d_.did = o_.did
"""
TEXT_COLS = ("e_.mdtrt_id AS t_mdtrt_id, o_.feedetl_sn AS t_feedetl_sn, i_.med_list_codg AS t_med_list_codg, "
             "m_.med_list_name AS t_med_list_name, d_.drord_no AS t_drord_no, "
             "i_.med_list_codg || coalesce('（' || m_.med_list_name || '）', '') AS t_item")


def with_text(core: str, select: str) -> str:
    """A line rule in two steps: ``core`` finds the hit lines (selecting ``lid`` and what ``select`` needs
    as ``h.*``), ``select`` builds the hit rows from ``h`` and the line's strings (``TEXT_COLS``)."""
    return f"WITH h AS MATERIALIZED ({core}), t AS (SELECT h.*, {TEXT_COLS} FROM h {TEXT_JOIN}) SELECT {select} FROM t"


# the case-table columns the rules read (the others, e.g. ``_batch``, need not be loaded for screening)
RULE_COLUMNS = {
    "institution": ("medins_code", "medins_name", "medins_lv"),
    "visits": ("mdtrt_id", "psn_no", "gend", "brdy", "age", "med_type", "begntime", "endtime", "dscg_way",
               "adm_dept_codg", "atddr_no"),
    "fees": ("feedetl_sn", "mdtrt_id", "init_feedetl_sn", "drord_no", "fee_ocur_time", "med_list_codg",
             "med_list_name", "list_type", "cnt", "pric", "det_item_fee_sumamt", "bilg_dr_codg"),
    "orders": ("mdtrt_id", "drord_no", "med_list_codg", "total_cnt"),
    "diagnoses": ("mdtrt_id", "diag_type", "diag_code"),
    "operations": ("mdtrt_id", "oprn_code", "oper_dr_codg"),
    "settlements": ("mdtrt_id", "medfee_sumamt"),
    "inventory": ("med_list_codg", "period_start", "period_end", "opening_qty", "purchased_qty", "closing_qty",
                  "pack_ratio"),
    "trace_codes": ("mdtrt_id", "feedetl_sn", "trac_codg"),
    "staff": ("dr_codg", "practice_from", "practice_to"),
    # emr_docs: read only by feijian.rules.record_prep's loader, when a record rule needs it
}


CHUNK_ROWS = 1_000_000  # an in-memory fees table is streamed into DuckDB in slices of this many rows
KEY_SOURCES = {"enc": "mdtrt_id", "items": "med_list_codg", "orders": "drord_no", "names": "med_list_name"}


def _chunks(source, name: str, columns: Optional[tuple] = None, extra: tuple = ()) -> Iterator[pa.Table]:
    """The conformed chunks of one case table: an Arrow table in slices, or a chunked source's chunks
    (anything with ``chunks(columns)``, e.g. the case store's, read only with the rules' columns or the
    ``columns`` given). Non-contract columns named in ``extra`` are kept where a chunk has them."""
    columns = columns or RULE_COLUMNS.get(name)
    if isinstance(source, pa.Table):
        pieces = (source.slice(i, CHUNK_ROWS) for i in range(0, max(source.num_rows, 1), CHUNK_ROWS))
    else:
        pieces = source.chunks(list(columns) + list(extra) if columns else None)
    for piece in pieces:
        out = conform(name, piece, columns)
        for col in extra:
            if col in piece.column_names:
                out = out.append_column(col, piece.column(col))
        yield out


def _chunks_at(source, name: str, columns: tuple, positions: list) -> Iterator[tuple[int, pa.Table]]:
    """``(position, chunk)`` for the chunks at ``positions`` (the order of :func:`_chunks`), conformed, with
    ``columns`` only: an Arrow table's slices, a source's chunks read only there where it can
    (``chunks(columns, positions)``, e.g. the case store's), else picked from all of them."""
    wanted = sorted(set(positions))
    if isinstance(source, pa.Table):
        pieces = ((i, source.slice(i * CHUNK_ROWS, CHUNK_ROWS)) for i in wanted)
    else:
        try:
            pieces = zip(wanted, source.chunks(list(columns), positions=wanted))
        except TypeError:  # a source without positions: every chunk, the wanted ones kept
            pieces = ((i, c) for i, c in enumerate(source.chunks(list(columns))) if i in set(wanted))
    for i, piece in pieces:
        yield i, conform(name, piece, columns)


def _empty(name: str) -> pa.Table:
    spec = load_contract().table(name)
    return conform(name, pa.table({f.name: pa.array([], _ARROW[f.type]) for f in spec.fields}), RULE_COLUMNS.get(name))


def _empty_fee_lines() -> pa.Table:
    """No fee lines, with the ``lid`` the loader gives each line."""
    return _empty("fees").append_column("lid", pa.array([], pa.int64()))


def _whole(source, name: str) -> pa.Table:
    """A (small) case table in memory, conformed; absent → empty."""
    if source is None:
        return _empty(name)
    pieces = list(_chunks(source, name))
    return pa.concat_tables(pieces) if pieces else _empty(name)


def _universe(columns: list) -> pa.Array:
    chunks = [c for col in columns for c in (col.chunks if isinstance(col, pa.ChunkedArray) else [col])]
    chunks = [c.cast(pa.string()) for c in chunks]
    if not chunks:
        return pa.array([], pa.string())
    return pc.drop_null(pc.unique(pa.chunked_array(chunks, pa.string())))


def _key_codes(pool: ThreadPoolExecutor, table: pa.Table, jobs: list, universes: dict) -> pa.Table:
    """``table`` with an integer key column per job (new column, source column, universe name): the
    position of the value in its universe; a null string gets a null key. Arrow's hashing kernels release
    the GIL, so the jobs run on two threads."""
    codes = pool.map(lambda j: pc.index_in(table.column(j[1]), value_set=universes[j[2]], skip_nulls=True), jobs)
    for (col, _, _), arr in zip(jobs, list(codes)):
        table = table.append_column(col, arr)
    return table


FEE_KEYS = [("eid", "mdtrt_id", "enc"), ("iid", "med_list_codg", "items"), ("did", "drord_no", "orders"),
            ("nid", "med_list_name", "names")]


def _chunk_maps(uniques: list, universe: pa.Array) -> list:
    """For each chunk's unique values, their positions in ``universe``: one hash table of the universe for
    all chunks (building it per chunk costs O(universe) each time)."""
    if not uniques:
        return []
    pos = pc.index_in(pa.chunked_array([u.cast(pa.string()) for u in uniques], pa.string()), value_set=universe)
    out, start = [], 0
    for u in uniques:
        out.append(pos.slice(start, len(u)))
        start += len(u)
    return out


def _load_fees(con: duckdb.DuckDBPyConnection, source, small: dict, pool: ThreadPoolExecutor,
               cancelled: Optional[CancelledFn], note: Callable[[str], None]) -> dict:
    """Stream the fee lines into DuckDB without ever holding them whole in Arrow (issue 4: memory).

    Pass 1 reads the chunks for the key universes — ``eid`` (encounter: the same number for a ``mdtrt_id``
    in every case table), ``iid`` (item), ``did`` (order number, in fees and orders), ``nid`` (item name) —
    and keeps the refund lines. Pass 2 reads them again, numbers the keys (through each chunk's own unique
    values, mapped to the universe once), and appends each chunk's original lines with their net values to
    ``orig_base``. ``lid`` is the fee row's position in the table. Returns the universes (``enc_ids`` … map
    the numbers back to the strings)."""
    contract = load_contract()
    parts: dict = {k: [] for k in (*KEY_SOURCES, *ENUM_COLUMNS)}
    columns = {**KEY_SOURCES, **{c: c for c in ENUM_COLUMNS}}
    refunds: list[pa.Table] = []
    sizes: list[int] = []
    for chunk in _chunks(source, "fees") if source is not None else ():
        check_cancelled(cancelled)
        note(f"读取费用明细 {sum(sizes) + chunk.num_rows:,} 条 / reading fee lines: {sum(sizes) + chunk.num_rows:,}")
        for k, u in zip(parts, list(pool.map(lambda k, c=chunk: pc.unique(c.column(columns[k])), parts))):
            parts[k].append(u)
        is_refund = pc.is_valid(chunk.column("init_feedetl_sn"))
        if pc.any(is_refund).as_py():
            rows = np.flatnonzero(is_refund.to_numpy(zero_copy_only=False))
            # filter, not take: take concatenates a chunked column's chunks first
            refunds.append(chunk.filter(is_refund).append_column("lid", pa.array(rows + sum(sizes), pa.int64())))
        sizes.append(chunk.num_rows)
    # the encounter numbers in the contract's table order (fees' values where fees stand), as before
    enc_cols = []
    for name in contract.case_tables:
        if name == "fees":
            enc_cols += parts["enc"]
        elif name in small and "mdtrt_id" in small[name].column_names:
            enc_cols.append(small[name].column("mdtrt_id"))
    sources = {"enc": enc_cols, "items": parts["items"], "orders": parts["orders"] + [small["orders"].column("drord_no")],
               "names": parts["names"], **{col: parts[col] for col in ENUM_COLUMNS}}
    universes = dict(zip(sources, pool.map(_universe, sources.values())))  # hashing releases the GIL
    maps = dict(zip(KEY_SOURCES, pool.map(lambda k: _chunk_maps(parts[k], universes[k]), KEY_SOURCES)))
    stored = {}
    for col in ENUM_COLUMNS:
        values = universes.pop(col)
        stored[col] = f"o.{col}"
        if len(values):
            con.register("enum_values", pa.table({"v": values}))
            con.execute(f"CREATE TYPE enum_{col} AS ENUM (SELECT v FROM enum_values)")
            con.unregister("enum_values")
            stored[col] = f"CAST(o.{col} AS enum_{col})"

    refund_src = pa.concat_tables(refunds) if refunds else _empty_fee_lines()
    con.register("refund_src", _key_codes(pool, refund_src, FEE_KEYS, universes))
    con.execute(REFUND_CAND_SQL)
    con.unregister("refund_src")
    del refunds, refund_src
    netted = con.execute("SELECT count(*) FROM refund_all_sums").fetchall()[0][0] > 0
    select = ORIG_SELECT.format(net=NET_COLUMNS if netted else "", join=NET_JOIN if netted else "", **stored)

    def encode(chunk: pa.Table, i: int) -> pa.Table:
        """The chunk's keys: position among the chunk's unique values → position in the universe."""
        def codes(job):
            col, src, universe = job
            local = pc.index_in(chunk.column(src), value_set=parts[universe][i], skip_nulls=True)
            return pc.take(maps[universe][i], local)

        for (col, _, _), arr in zip(FEE_KEYS, list(pool.map(codes, FEE_KEYS))):
            chunk = chunk.append_column(col, arr)
        return chunk

    if not sizes:  # no lines at all: orig_base is still made, empty
        con.register("fee_chunk", _key_codes(pool, _empty_fee_lines(), FEE_KEYS, universes))
        con.execute("CREATE TABLE orig_base AS " + select)
        con.unregister("fee_chunk")
    offset = 0
    for i, chunk in enumerate(_chunks(source, "fees") if sizes else ()):
        check_cancelled(cancelled)
        note(f"载入费用明细 {offset + chunk.num_rows:,}/{sum(sizes):,} 条 / loading fee lines: "
             f"{offset + chunk.num_rows:,} of {sum(sizes):,}")
        if i >= len(sizes) or chunk.num_rows != sizes[i]:
            raise InputError("筛查期间费用明细发生了变化 / the fee lines changed while they were screened")
        lid = pa.array(np.arange(offset, offset + chunk.num_rows, dtype=np.int64))
        offset += chunk.num_rows
        con.register("fee_chunk", encode(chunk.append_column("lid", lid), i))
        con.execute(("INSERT INTO orig_base " if i else "CREATE TABLE orig_base AS ") + select)
        con.unregister("fee_chunk")
        del chunk
    if offset != sum(sizes):
        raise InputError("筛查期间费用明细发生了变化 / the fee lines changed while they were screened")
    con.execute(REFUND_SQL)
    con.execute(ORIG_VIEWS_SQL.format(net="net_cnt, net_amt" if netted else "cnt AS net_cnt, amt AS net_amt"))
    return universes


def prepare(tables: Mapping[str, object], kb: KnowledgeBase, con: Optional[duckdb.DuckDBPyConnection] = None, *,
            cancelled: Optional[CancelledFn] = None, note: Optional[Callable[[str], None]] = None) -> Context:
    """Register the tables and build the common definitions once per run. A table is an Arrow table or a
    chunked source (``chunks(columns)`` yielding Arrow tables, e.g. the case store's): the fee lines are
    streamed into DuckDB chunk by chunk (:func:`_load_fees`), the other (small) tables are held in Arrow.
    ``note(message)`` hears how far the loading is; ``cancelled()`` is checked between chunks."""
    con = con or connect()
    contract = load_contract()
    present = frozenset(n for n, t in tables.items() if t is not None and n in contract.case_tables)
    # the documents are streamed by their own loader (record_prep), only when a record rule runs
    small = {name: _whole(tables.get(name), name) for name in contract.case_tables if name not in ("fees", "emr_docs")}
    views: dict[str, pa.Table] = {}  # the Arrow tables registered for the rules (per connection: Context.on)
    with ThreadPoolExecutor(max_workers=2) as pool:
        universes = _load_fees(con, tables.get("fees"), small, pool, cancelled, note or (lambda message: None))
        jobs = {name: [j for j in (("eid", "mdtrt_id", "enc"), ("did", "drord_no", "orders"))
                       if j[1] in t.column_names] for name, t in small.items()}
        for name, t in small.items():
            views[name] = _key_codes(pool, t, jobs[name], universes)
    for name, key, universe in (("enc_ids", "eid", "enc"), ("item_ids", "iid", "items"),
                                ("order_ids", "did", "orders"), ("name_ids", "nid", "names")):
        values = universes[universe]
        views[name] = pa.table({key: pa.array(np.arange(len(values), dtype=np.int32)), KEY_SOURCES[universe]: values})
    for name, t in kb.tables().items():
        views[name + ("_src" if name == "kb_items" else "")] = t
    for name, t in views.items():
        con.register(name, t)

    lv = None
    inst = small["institution"]
    if inst.num_rows and "medins_lv" in inst.column_names:
        lv = inst.column("medins_lv")[0].as_py()
        lv = str(lv).strip() if lv is not None else None
    cap = f"price_cap_l{lv}" if lv in ("1", "2", "3") else "CAST(NULL AS DECIMAL(18, 4))"
    con.execute(SQL_MACROS)  # qty(), age_range(): the SQL twins of domain.formatting
    con.execute(COMMON_SQL.format(inpatient=inpatient_predicate(kb), cap=cap))
    pa.default_memory_pool().release_unused()  # the chunk buffers of the load: back to the system for the rules
    ctx = Context(con=con, kb=kb, present=present, medins_lv=lv if lv in ("1", "2", "3") else None,
                  cancelled=cancelled, views=views)
    if "emr_docs" in present:
        def documents(con: duckdb.DuckDBPyConnection, cancelled: Optional[CancelledFn]) -> dict:
            source = tables["emr_docs"]
            # the texts as written are read later, only for the chunks of the few documents quoted; an Arrow
            # table's are at hand (a slice is no copy)
            columns = record_prep.DOC_COLUMNS if isinstance(source, pa.Table) else record_prep.META_COLUMNS
            loaded = record_prep.load_documents(
                con, _chunks(source, "emr_docs", columns, (record_prep.NORMAL_TEXT, record_prep.OCR_CONFIDENCE)),
                kb, universes, cancelled,
                texts=lambda positions: _chunks_at(source, "emr_docs", ("text",), positions))
            record_prep.build_mentions(con, loaded)
            return loaded

        ctx.loaders["documents"] = Loader(documents, record_prep.attach_documents)
    return ctx
