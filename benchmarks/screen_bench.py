"""Screening benchmark (issue 4): all rules over scale-S synthetic data (1 ≈ 150k fee lines), with
wall time, peak memory and lines/s; a straightforward pandas baseline (default dtypes, merges and groupbys
as a first draft would write them) for a representative rule subset; and hand-written DuckDB SQL for R01,
R02, R05 and R08 over the same in-memory Arrow tables. Prints ratios.

    .venv/bin/python benchmarks/screen_bench.py --scale 10 [--scale 100]

Uses ``feijian.demodata.generate`` when it offers in-memory tables, else its own generator below.
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from feijian.rules import KnowledgeBase, screen
from feijian.rules.engine import connect

MONEY = pa.decimal128(18, 4)
BASE = np.datetime64("2024-01-01T00:00:00", "s")


def _ids(prefix: str, n: int, width: int = 9) -> pa.Array:
    nums = pa.array(np.arange(n)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(nums, width, "0"), "")


def _dec(values: np.ndarray) -> pa.Array:
    """int64 values in 1/10000 units -> decimal128(18, 4), built from the 128-bit little-endian words."""
    v = np.asarray(values, dtype=np.int64)
    words = np.empty((len(v), 2), dtype=np.int64)
    words[:, 0] = v
    words[:, 1] = np.where(v < 0, -1, 0)
    return pa.Array.from_buffers(MONEY, len(v), [None, pa.py_buffer(words.tobytes())])


def generate(scale: float, seed: int = 7) -> tuple[dict, KnowledgeBase]:
    rng = np.random.default_rng(seed)
    n_lines = int(150_000 * scale)
    n_enc = max(10, n_lines // 60)
    n_items = 3000
    n_psn = max(5, int(n_enc * 0.7))
    inp = rng.random(n_enc) < 0.6
    begin = BASE + (rng.integers(0, 365 * 86400, n_enc)).astype("timedelta64[s]")
    stay = np.where(inp, np.clip(rng.lognormal(1.9, 0.5, n_enc).astype(int), 1, 60), 0)
    end = begin + (stay * 86400 + rng.integers(0, 36000, n_enc)).astype("timedelta64[s]")
    depts = rng.integers(0, 20, n_enc)
    visits = pa.table({
        "mdtrt_id": _ids("M", n_enc), "psn_no": _ids("P", n_psn).take(pa.array(rng.integers(0, n_psn, n_enc))),
        "gend": pa.array(rng.choice(["1", "2"], n_enc)),
        "brdy": pa.array((np.datetime64("1940-01-01") + rng.integers(0, 30000, n_enc).astype("timedelta64[D]"))),
        "med_type": pa.array(np.where(inp, "21", "11")),
        "begntime": pa.array(begin), "endtime": pa.array(np.where(inp, end, np.datetime64("NaT"))),
        "dscg_way": pa.array(np.where(rng.random(n_enc) < 0.01, "5", "1")),
        "adm_dept_codg": pc.binary_join_element_wise("D", pa.array(depts).cast(pa.string()), ""),
        "atddr_no": pc.binary_join_element_wise("DR", pa.array(depts * 10 + rng.integers(0, 8, n_enc)).cast(pa.string()), ""),
    })
    enc = rng.integers(0, n_enc, n_lines)
    enc.sort()
    span = np.maximum(stay[enc], 1) * 86400
    t = begin[enc] + (rng.random(n_lines) * span).astype("timedelta64[s]")
    item = np.minimum(rng.zipf(1.3, n_lines) - 1, n_items - 1)
    cnt = rng.integers(1, 4, n_lines) * 10000
    base_price = rng.integers(100, 50000, n_items) * 100
    pric = base_price[item]
    over = rng.random(n_lines) < 0.003
    pric = np.where(over, pric + 50000, pric)
    # per-encounter sequence numbers (repeat across encounters, as the national interface allows)
    starts = np.r_[0, np.flatnonzero(np.diff(enc)) + 1]
    seq = np.arange(n_lines) - np.repeat(starts, np.diff(np.r_[starts, n_lines]))
    dup = rng.random(n_lines) < 0.005
    amt = cnt * pric // 10000
    fees = pa.table({
        "feedetl_sn": pa.array(seq).cast(pa.string()), "mdtrt_id": visits.column("mdtrt_id").take(pa.array(enc)),
        "init_feedetl_sn": pa.nulls(n_lines, pa.string()),
        "drord_no": pc.binary_join_element_wise("O", pa.array(seq // 5).cast(pa.string()), ""),
        "fee_ocur_time": pa.array(t), "med_list_codg": _ids("I", n_items, 14).take(pa.array(item)),
        "cnt": _dec(cnt), "pric": _dec(pric), "det_item_fee_sumamt": _dec(amt),
        "bilg_dr_codg": visits.column("atddr_no").take(pa.array(enc)),
    })
    # duplicates: copy of a line with a new sequence number; refunds: -cnt of an existing line
    d_idx = np.flatnonzero(dup)
    dups = fees.take(pa.array(d_idx)).set_column(0, "feedetl_sn", pc.binary_join_element_wise("d", fees.column(0).take(pa.array(d_idx)), ""))
    r_idx = np.flatnonzero(rng.random(n_lines) < 0.005)
    refunds = fees.take(pa.array(r_idx))
    refunds = refunds.set_column(2, "init_feedetl_sn", refunds.column("feedetl_sn"))
    refunds = refunds.set_column(0, "feedetl_sn", pc.binary_join_element_wise("r", refunds.column("feedetl_sn"), ""))
    refunds = refunds.set_column(6, "cnt", _dec(-cnt[r_idx])).set_column(8, "det_item_fee_sumamt", _dec(-amt[r_idx]))
    fees = pa.concat_tables([fees, dups, refunds])
    codes = _ids("I", n_items, 14)
    cat = rng.choice(["drug", "lab", "exam", "bed", "nursing", "diet", "surgery", "high_value_material"], n_items,
                     p=[.5, .15, .1, .05, .05, .05, .05, .05])
    cap = base_price
    kb_items = pa.table({
        "med_list_codg": codes, "category": pa.array(cat),
        "list_type": pa.array(np.where(cat == "drug", "drug", np.where(cat == "high_value_material", "material", "service"))),
        "price_cap_l1": _dec(cap), "price_cap_l2": _dec(cap), "price_cap_l3": _dec(cap),
        "gender_limit": pa.array(np.where(rng.random(n_items) < 0.02, "2", None)),
        "age_min": pa.array(np.where(rng.random(n_items) < 0.02, "18", None)),
        "max_units_per_day": pa.array(np.where(rng.random(n_items) < 0.3, "6", None)),
        "max_units_per_visit": pa.array(np.where(rng.random(n_items) < 0.1, "60", None)),
        "dx_limit": pa.array(np.where(rng.random(n_items) < 0.02, "E11;I10", None)),
        "inpatient_only": pa.array(cat == "bed"),
    })
    pairs = pa.table({"code_a": codes.take(pa.array(np.arange(0, 40, 2))), "code_b": codes.take(pa.array(np.arange(1, 40, 2))),
                      "scope": pa.array(["day", "visit"] * 10)})
    hv = np.flatnonzero(cat == "high_value_material")[:30]
    mats = pa.table({"material_codg": codes.take(pa.array(hv)), "oprn_prefixes": pa.array(["36.0;81.5"] * len(hv))})
    kb = KnowledgeBase.from_tables({"kb_items": kb_items, "kb_exclusive_pairs": pairs, "kb_procedure_materials": mats})
    mids = visits.column("mdtrt_id")
    dx = pa.table({"mdtrt_id": mids, "diag_type": pa.array(["1"] * n_enc),
                   "diag_code": pa.array(rng.choice(["J18.9", "I10.x", "E11.9", "K35.8", "C34.1"], n_enc))})
    op_idx = np.flatnonzero(inp & (rng.random(n_enc) < 0.3))
    ops = pa.table({"mdtrt_id": mids.take(pa.array(op_idx)), "oprn_code": pa.array(rng.choice(["36.06", "81.51", "47.01"], len(op_idx))),
                    "oper_dr_codg": visits.column("atddr_no").take(pa.array(op_idx))})
    orders = pa.table({"mdtrt_id": fees.column("mdtrt_id"), "drord_no": fees.column("drord_no"),
                       "med_list_codg": fees.column("med_list_codg"), "begin_time": fees.column("fee_ocur_time")})
    orders = pa.table(duckdb.sql("SELECT mdtrt_id, drord_no, any_value(med_list_codg) med_list_codg, min(begin_time) begin_time, "
                                 "CAST(count(*) * 2 AS DECIMAL(18,4)) total_cnt FROM orders GROUP BY ALL").to_arrow_table())
    setl = pa.table(duckdb.sql("SELECT 'S' || mdtrt_id setl_id, mdtrt_id, CAST(sum(det_item_fee_sumamt) + "
                               "CASE WHEN hash(mdtrt_id) % 100 = 0 THEN 5 ELSE 0 END AS DECIMAL(18,4)) medfee_sumamt "
                               "FROM fees GROUP BY mdtrt_id").to_arrow_table())
    inv = pa.table(duckdb.sql("SELECT med_list_codg, DATE '2024-01-01' period_start, DATE '2024-12-31' period_end, "
                              "CAST(0 AS DECIMAL(18,4)) opening_qty, CAST(sum(cnt) * 0.99 AS DECIMAL(18,4)) purchased_qty, "
                              "CAST(0 AS DECIMAL(18,4)) closing_qty FROM fees GROUP BY 1").to_arrow_table())
    drug_lines = np.flatnonzero(rng.random(fees.num_rows) < 0.05)
    tc = pa.table({"mdtrt_id": fees.column("mdtrt_id").take(pa.array(drug_lines)),
                   "feedetl_sn": fees.column("feedetl_sn").take(pa.array(drug_lines)),
                   "trac_codg": pc.binary_join_element_wise("T", pa.array(rng.integers(0, len(drug_lines), len(drug_lines))).cast(pa.string()), "")})
    staff = pa.table({"dr_codg": pa.array(sorted({f"DR{i}" for i in range(200)}))})
    inst = pa.table({"medins_code": ["H1"], "medins_name": ["基准医院"], "medins_lv": ["3"]})
    tables = {"institution": inst, "visits": visits, "fees": fees, "diagnoses": dx, "operations": ops, "orders": orders,
              "settlements": setl, "inventory": inv, "trace_codes": tc, "staff": staff}
    return tables, kb


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _peak_mb() -> float:
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn):
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


# --- hand-written DuckDB SQL for R01, R02, R05, R08 (what an analyst would type) ------------------------
HAND_SQL = {
    "R01": """
        WITH r AS (SELECT mdtrt_id, init_feedetl_sn sn, sum(cnt) c, sum(det_item_fee_sumamt) a FROM fees
                   WHERE init_feedetl_sn IS NOT NULL GROUP BY ALL),
        n AS (SELECT f.*, f.cnt + coalesce(r.c, 0) nc, f.det_item_fee_sumamt + coalesce(r.a, 0) na FROM fees f
              LEFT JOIN r ON r.mdtrt_id = f.mdtrt_id AND r.sn = f.feedetl_sn WHERE f.init_feedetl_sn IS NULL)
        SELECT mdtrt_id, feedetl_sn, na FROM (SELECT *, row_number() OVER (PARTITION BY mdtrt_id, med_list_codg,
               date_trunc('minute', fee_ocur_time), nc, pric ORDER BY fee_ocur_time, feedetl_sn) rn FROM n WHERE nc > 0)
        WHERE rn > 1""",
    "R02": """
        SELECT f.mdtrt_id, f.feedetl_sn, (f.pric - k.price_cap_l3) * f.cnt FROM fees f JOIN kb_items k USING (med_list_codg)
        WHERE f.init_feedetl_sn IS NULL AND f.pric > k.price_cap_l3 + 0.005""",
    "R05": """
        SELECT f.mdtrt_id, f.feedetl_sn, f.det_item_fee_sumamt FROM fees f JOIN visits v USING (mdtrt_id)
        WHERE f.init_feedetl_sn IS NULL AND v.med_type LIKE '2%'
          AND (CAST(f.fee_ocur_time AS DATE) < CAST(v.begntime AS DATE) OR CAST(f.fee_ocur_time AS DATE) > CAST(v.endtime AS DATE))""",
    "R08": """
        SELECT f.mdtrt_id, f.med_list_codg, CAST(f.fee_ocur_time AS DATE) d, sum(cnt) s, sum(det_item_fee_sumamt) a
        FROM fees f JOIN kb_items k USING (med_list_codg) WHERE k.max_units_per_day IS NOT NULL
        GROUP BY ALL HAVING sum(cnt) > any_value(k.max_units_per_day)""",
}


def hand_duckdb(tables, kb) -> dict:
    con = connect()
    con.register("fees", tables["fees"])
    con.register("visits", tables["visits"])
    con.register("kb_items", kb.items)
    counts = {}
    for code, sql in HAND_SQL.items():
        counts[code] = len(con.sql(sql).to_arrow_table())
    con.close()
    return counts


# --- the straightforward pandas baseline (default dtypes, merge + groupby) -------------------------------
def pandas_baseline(tables, kb) -> dict:
    fees = tables["fees"].to_pandas()
    visits = tables["visits"].to_pandas()
    items = kb.items.to_pandas()
    for c in ("cnt", "pric", "det_item_fee_sumamt"):
        fees[c] = fees[c].astype(float)
    for c in ("price_cap_l3", "max_units_per_day", "max_units_per_visit"):
        items[c] = pd.to_numeric(items[c])
    counts = {}
    ref = fees[fees["init_feedetl_sn"].notna()]
    orig = fees[fees["init_feedetl_sn"].isna()]
    rs = ref.groupby(["mdtrt_id", "init_feedetl_sn"], as_index=False)[["cnt", "det_item_fee_sumamt"]].sum()
    rs.columns = ["mdtrt_id", "feedetl_sn", "rc", "ra"]
    net = orig.merge(rs, on=["mdtrt_id", "feedetl_sn"], how="left")
    net["net_cnt"] = net["cnt"] + net["rc"].fillna(0)
    net["net_amt"] = net["det_item_fee_sumamt"] + net["ra"].fillna(0)
    net = net[net["net_cnt"] > 0]
    net["fee_date"] = net["fee_ocur_time"].dt.normalize()
    # R01
    net["minute"] = net["fee_ocur_time"].dt.floor("min")
    s = net.sort_values(["fee_ocur_time", "mdtrt_id", "feedetl_sn"])
    counts["R01"] = int(s.duplicated(["mdtrt_id", "med_list_codg", "minute", "net_cnt", "pric"]).sum())
    # R02
    m = net.merge(items[["med_list_codg", "price_cap_l3"]], on="med_list_codg")
    counts["R02"] = int((m["pric"] > m["price_cap_l3"] + 0.005).sum())
    # R05
    v = visits.copy()
    v["A"] = v["begntime"].dt.normalize()
    v["D"] = v["endtime"].dt.normalize()
    m = net.merge(v[["mdtrt_id", "med_type", "A", "D"]], on="mdtrt_id")
    m = m[m["med_type"].str.startswith("2")]
    counts["R05"] = int(((m["fee_date"] < m["A"]) | (m["fee_date"] > m["D"])).sum())
    # R08
    allf = fees.copy()
    allf["fee_date"] = allf["fee_ocur_time"].dt.normalize()
    g = allf.groupby(["mdtrt_id", "med_list_codg", "fee_date"], as_index=False)[["cnt", "det_item_fee_sumamt"]].sum()
    g = g.merge(items[["med_list_codg", "max_units_per_day"]], on="med_list_codg")
    counts["R08"] = int((g["cnt"] > g["max_units_per_day"]).sum())
    # R09
    g = allf.groupby(["mdtrt_id", "med_list_codg"], as_index=False)[["cnt", "det_item_fee_sumamt"]].sum()
    g = g.merge(items[["med_list_codg", "max_units_per_visit"]], on="med_list_codg")
    counts["R09"] = int((g["cnt"] > g["max_units_per_visit"]).sum())
    # R22
    m = net.merge(items[["med_list_codg", "inpatient_only"]], on="med_list_codg").merge(v[["mdtrt_id", "med_type"]], on="mdtrt_id")
    counts["R22"] = int((m["inpatient_only"].fillna(False).astype(bool) & ~m["med_type"].str.startswith("2")).sum())
    # R23
    st = tables["settlements"].to_pandas()
    st["medfee_sumamt"] = st["medfee_sumamt"].astype(float)
    a = st.groupby("mdtrt_id")["medfee_sumamt"].sum()
    b = allf.groupby("mdtrt_id")["det_item_fee_sumamt"].sum()
    d = (a - b.reindex(a.index).fillna(0)).abs()
    counts["R23"] = int((d >= 0.015).sum())
    return counts


BASELINE_RULES = ["R01", "R02", "R05", "R08", "R09", "R22", "R23"]


def bench(scale: float) -> None:
    print(f"\n=== scale {scale:g} ===")
    (tg, (tables, kb)) = timed(lambda: generate(scale))
    n = tables["fees"].num_rows
    print(f"generated {n:,} fee lines, {tables['visits'].num_rows:,} encounters in {tg:.1f} s; RSS {_rss_mb():.0f} MB")
    base_rss = _rss_mb()
    _reset_peak()
    t_all, res = timed(lambda: screen(tables, kb))
    peak = _peak_mb()
    print(f"all rules ({len(res.run.rules_run)} run, {len(res.not_run)} not run): {t_all:.2f} s, "
          f"{n / t_all / 1e6:.2f} M lines/s, peak RSS {peak:.0f} MB (data held before: {base_rss:.0f} MB), "
          f"{len(res.hits):,} hits, case total {res.run.total_amount}")
    per_rule = res.hits.groupby("rule_code").size().to_dict()
    print("  hits per rule:", dict(sorted(per_rule.items())))
    t_four, r4 = timed(lambda: screen(tables, kb, rules=["R01", "R02", "R05", "R08"]))
    t_hand, hc = timed(lambda: hand_duckdb(tables, kb))
    c4 = r4.hits.groupby("rule_code").size().to_dict()
    print(f"R01,R02,R05,R08 engine {t_four:.2f} s vs hand-written DuckDB {t_hand:.2f} s: ratio {t_four / t_hand:.2f}x "
          f"(engine also builds hit lines, ids and details); counts engine {c4} hand {hc}")
    t_sub, rs = timed(lambda: screen(tables, kb, rules=BASELINE_RULES))
    if scale <= 20:
        t_pd, pc_ = timed(lambda: pandas_baseline(tables, kb))
        print(f"{','.join(BASELINE_RULES)}: engine {t_sub:.2f} s vs straightforward pandas {t_pd:.2f} s: "
              f"engine {t_pd / t_sub:.1f}x faster; pandas counts {pc_}")
    else:
        print(f"{','.join(BASELINE_RULES)}: engine {t_sub:.2f} s (pandas baseline skipped above scale 20: memory)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, action="append")
    args = ap.parse_args()
    for s in args.scale or [10]:
        bench(s)


if __name__ == "__main__":
    main()
