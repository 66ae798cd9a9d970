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
number, ``nid`` item name, ``lid`` fee row; :func:`_encode_keys`), so joins and groupings run on integers;
the fee lines are materialised once, lean (no long strings), and a rule fetches the strings of its hits
only (:func:`with_text`, the lookups ``enc_ids``, ``item_ids``, ``order_ids``, ``name_ids``). Only the
columns in ``RULE_COLUMNS`` are read.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping, Optional

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.contract import load_contract
from feijian.domain.errors import InputError
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

    def threshold(self, name: str) -> Decimal:
        return self.kb.threshold(name)


COMMON_SQL = """
CREATE MACRO qty(x) AS format('{{}}', x);
CREATE MACRO money(x) AS CAST(round(x, 2) AS VARCHAR);
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

# refund lines whose original exists and is itself an original (non-orphans); the candidates are few, so
# they are the build side of the join and the fee lines are scanned once
REFUND_SQL = """
CREATE TABLE refund_cand AS
SELECT lid, eid, iid, did, feedetl_sn, init_feedetl_sn, fee_ocur_time,
       CAST(fee_ocur_time AS DATE) AS fee_date, cnt, det_item_fee_sumamt AS amt
FROM fees WHERE init_feedetl_sn IS NOT NULL;

CREATE TABLE refund_lines AS
SELECT * FROM refund_cand
WHERE lid IN (SELECT c.lid FROM refund_cand c JOIN fees o ON o.eid = c.eid AND o.feedetl_sn = c.init_feedetl_sn
              WHERE o.init_feedetl_sn IS NULL);
DROP TABLE refund_cand;

CREATE TABLE refund_sums AS
SELECT eid, init_feedetl_sn AS feedetl_sn, sum(cnt) AS rcnt, sum(amt) AS ramt
FROM refund_lines GROUP BY ALL;
"""

# every original (non-refund) line once, lean: integer keys instead of the long strings (mdtrt_id,
# med_list_codg, med_list_name, drord_no), which rules fetch for their hits only (``TEXT_JOIN``)
ORIG_SQL = """
CREATE TABLE orig_base AS
SELECT o.lid, o.eid, o.iid, o.did, o.nid, o.feedetl_sn, o.fee_ocur_time, CAST(o.fee_ocur_time AS DATE) AS fee_date,
       o.list_type, o.pric, o.bilg_dr_codg,
       o.cnt, o.det_item_fee_sumamt AS amt {net}
FROM fees o {join}
WHERE o.init_feedetl_sn IS NULL;

CREATE VIEW orig_net AS SELECT * {alias} FROM orig_base;

CREATE VIEW net_lines AS SELECT * FROM orig_net WHERE net_cnt > 0;

CREATE VIEW agg_lines AS
SELECT lid, eid, iid, did, feedetl_sn, false AS is_refund, fee_ocur_time, fee_date, cnt, amt
FROM orig_net
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
}


def _universe(columns: list) -> pa.Array:
    chunks = [c.cast(pa.string()) for col in columns for c in col.chunks]
    if not chunks:
        return pa.array([], pa.string())
    return pc.drop_null(pc.unique(pa.chunked_array(chunks, pa.string())))


def _encode_keys(tables: dict) -> dict:
    """Integer keys computed once in Arrow: ``eid`` (encounter: the same number for a ``mdtrt_id`` in every
    case table), ``iid`` (item of a fee line), ``did`` (order number, in fees and orders) and ``lid`` (fee
    row); a null string gets a null key. Joins and groupings on them are equivalent to those on the strings
    and much cheaper. ``enc_ids`` and ``item_ids`` map the numbers back to the strings."""
    with_id = [n for n, t in tables.items() if "mdtrt_id" in t.column_names]
    has_order = [n for n in ("fees", "orders") if "drord_no" in tables[n].column_names]
    # (universe name, source columns); then (table, new column, source column, universe name)
    sources = {
        "enc": [tables[n].column("mdtrt_id") for n in with_id],
        "items": [tables["fees"].column("med_list_codg")],
        "orders": [tables[n].column("drord_no") for n in has_order],
        "names": [tables["fees"].column("med_list_name")],
    }
    jobs = ([(n, "eid", "mdtrt_id", "enc") for n in with_id] + [(n, "did", "drord_no", "orders") for n in has_order]
            + [("fees", "iid", "med_list_codg", "items"), ("fees", "nid", "med_list_name", "names")])
    # Arrow's hashing kernels release the GIL: two threads for the two cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        universes = dict(zip(sources, pool.map(_universe, sources.values())))
        codes = list(pool.map(lambda j: pc.index_in(tables[j[0]].column(j[2]), value_set=universes[j[3]],
                                                     skip_nulls=True), jobs))
    enc, items, orders, names = (universes[k] for k in ("enc", "items", "orders", "names"))
    out = dict(tables)
    for (name, col, _, _), arr in zip(jobs, codes):
        out[name] = out[name].append_column(col, arr)
    out["fees"] = out["fees"].append_column("lid", pa.array(np.arange(out["fees"].num_rows, dtype=np.int64)))
    out["enc_ids"] = pa.table({"eid": pa.array(np.arange(len(enc), dtype=np.int32)), "mdtrt_id": enc})
    out["item_ids"] = pa.table({"iid": pa.array(np.arange(len(items), dtype=np.int32)), "med_list_codg": items})
    out["order_ids"] = pa.table({"did": pa.array(np.arange(len(orders), dtype=np.int32)), "drord_no": orders})
    out["name_ids"] = pa.table({"nid": pa.array(np.arange(len(names), dtype=np.int32)), "med_list_name": names})
    return out


def prepare(tables: Mapping[str, pa.Table], kb: KnowledgeBase, con: Optional[duckdb.DuckDBPyConnection] = None) -> Context:
    """Register the tables and build the common definitions once per run."""
    con = con or connect()
    contract = load_contract()
    present = frozenset(n for n, t in tables.items() if t is not None and n in contract.case_tables)
    conformed = {}
    for name in contract.case_tables:
        t = tables.get(name)
        if t is None:
            t = pa.table({f.name: pa.array([], _ARROW[f.type]) for f in contract.table(name).fields})
        conformed[name] = conform(name, t, RULE_COLUMNS.get(name))  # only what the rules read
    for name, t in _encode_keys(conformed).items():
        con.register(name, t)
    for name, t in kb.tables().items():
        con.register(name + ("_src" if name == "kb_items" else ""), t)

    lv = None
    inst = tables.get("institution")
    if inst is not None and inst.num_rows and "medins_lv" in inst.column_names:
        lv = inst.column("medins_lv")[0].as_py()
        lv = str(lv).strip() if lv is not None else None
    cap = f"price_cap_l{lv}" if lv in ("1", "2", "3") else "CAST(NULL AS DECIMAL(18, 4))"
    con.execute(COMMON_SQL.format(inpatient=inpatient_predicate(kb), cap=cap))
    con.execute(REFUND_SQL)
    if con.execute("SELECT count(*) FROM refund_sums").fetchone()[0]:
        sql = ORIG_SQL.format(net=", CAST(o.cnt + coalesce(r.rcnt, 0) AS DECIMAL(18, 4)) AS net_cnt, "
                                  "CAST(o.det_item_fee_sumamt + coalesce(r.ramt, 0) AS DECIMAL(18, 4)) AS net_amt",
                              join="LEFT JOIN refund_sums r ON r.eid = o.eid AND r.feedetl_sn = o.feedetl_sn", alias="")
    else:  # no refunds: the net values are the line's own, not stored twice
        sql = ORIG_SQL.format(net="", join="", alias=", cnt AS net_cnt, amt AS net_amt")
    con.execute(sql)
    return Context(con=con, kb=kb, present=present, medins_lv=lv if lv in ("1", "2", "3") else None)
