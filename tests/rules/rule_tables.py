"""Tiny case and knowledge-base tables written in the tests, typed as ingest delivers them
(docs/interfaces.md): decimal128(18, 4) money, timestamp("s"), date32, string codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa

from feijian.domain.contract import load_contract
from feijian.rules import KnowledgeBase, screen

_TYPES = {"str": pa.string(), "decimal": pa.decimal128(18, 4), "bool": pa.bool_(), "date": pa.date32(),
          "datetime": pa.timestamp("s")}


def _value(t: str, v):
    if v is None or v == "":
        return None
    if t == "decimal":
        return Decimal(str(v))
    if t == "datetime" and isinstance(v, str):
        return dt.datetime.fromisoformat(v)
    if t == "date" and isinstance(v, str):
        return dt.date.fromisoformat(v)
    if t == "str":
        return str(v)
    return v


def table(name: str, rows: list[dict]) -> pa.Table:
    spec = load_contract().table(name)
    for r in rows:
        unknown = set(r) - set(spec.field_names)
        assert not unknown, f"{name}: unknown fields {unknown}"
    cols = {f.name: pa.array([_value(f.type, r.get(f.name)) for r in rows], _TYPES[f.type]) for f in spec.fields}
    if spec.kind == "case":
        cols["_batch"] = pa.array(["b1"] * len(rows), pa.string())
        cols["_line"] = pa.array(range(2, len(rows) + 2), pa.int64())
    return pa.table(cols)


def fee(mdtrt_id, sn, code, time, cnt, pric, amt=None, **kw) -> dict:
    amt = Decimal(str(cnt)) * Decimal(str(pric)) if amt is None else amt
    return {"mdtrt_id": mdtrt_id, "feedetl_sn": sn, "med_list_codg": code, "fee_ocur_time": time,
            "cnt": cnt, "pric": pric, "det_item_fee_sumamt": amt, **kw}


def doc(doc_id, mdtrt_id, doc_type, time, text, **kw) -> dict:
    return {"doc_id": doc_id, "mdtrt_id": mdtrt_id, "doc_type": doc_type, "doc_time": time, "text": text, **kw}


def visit(mdtrt_id, begin, end=None, med_type="21", psn_no="P1", **kw) -> dict:
    return {"mdtrt_id": mdtrt_id, "psn_no": psn_no, "med_type": med_type, "begntime": begin, "endtime": end, **kw}


def case(fees, visits, level="3", **others) -> dict:
    out = {
        "institution": table("institution", [{"medins_code": "H1", "medins_name": "测试医院", "medins_lv": level}]),
        "visits": table("visits", visits),
        "fees": table("fees", fees),
    }
    for name, rows in others.items():
        out[name] = table(name, rows)
    return out


def kb(items=(), pairs=(), materials=(), thresholds=None, terms=()) -> KnowledgeBase:
    tables = {"kb_items": table("kb_items", list(items))}
    if terms:
        tables["kb_item_terms"] = table("kb_item_terms", list(terms))
    if pairs:
        tables["kb_exclusive_pairs"] = table("kb_exclusive_pairs", list(pairs))
    if materials:
        tables["kb_procedure_materials"] = table("kb_procedure_materials", list(materials))
    if thresholds:
        tables["kb_thresholds"] = table("kb_thresholds", [{"name": k, "value": str(v)} for k, v in thresholds.items()])
    return KnowledgeBase.from_tables(tables)


def run(tables, knowledge=None, rules=None):
    return screen(tables, knowledge or kb(), rules=rules)


def keys(result, *cols):
    cols = cols or ("mdtrt_id", "feedetl_sn")
    return sorted(tuple(r) for r in result.hits[list(cols)].itertuples(index=False, name=None))


def amounts(result, *cols):
    cols = cols or ("mdtrt_id", "feedetl_sn")
    return {tuple(r[:-1]): r[-1] for r in result.hits[list(cols) + ["amount"]].itertuples(index=False, name=None)}

