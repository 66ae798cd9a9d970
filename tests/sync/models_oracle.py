"""An independent pandas oracle for the bureau's models (docs/models.md), computed from the case tables as
the packages carry them (decrypted here with the bureau's intake key), not from the archive. It shares no
code with ``feijian.sync.bureau_models`` except the configuration it reads and the clue-id formula.

``oracle_rows(tables_by_case, cfg, lo, hi)`` returns the rows the models must produce, each a tuple
``(model, medins_code, case_id, hit_key, psn_no, mdtrt_id, med_list_codg, start, end, amount, measure)``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from feijian.sync.verify import MemoryChain, open_verified

EPOCH = dt.date(1970, 1, 1)
Q = Decimal("0.0001")


def package_tables(paths: list[Path], world) -> dict[tuple[str, str], dict[str, pd.DataFrame]]:
    """{(medins_code, case_id): {table: DataFrame}} read from the packages themselves."""
    key = world.bureau.intake_key
    from feijian.crypto.identity import raw_public

    out = {}
    for p in paths:
        with open_verified(p, world.trust, recipient_public=raw_public(key), chain=MemoryChain(),
                           decrypt_key=key) as pkg:
            tables = {t: pkg.table(t, key).to_pandas(types_mapper=None) for t in pkg.table_names()}
            code = tables["institution"]["medins_code"].iloc[0]
            out[(code, pkg.manifest["case_id"])] = tables
    return out


def _obj(series: pd.Series) -> list:
    return [None if (v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT) else v for v in series]


def _frame(tables, name: str, cols: list[str]) -> pd.DataFrame:
    parts = []
    for (code, case), t in tables.items():
        if name not in t:
            continue
        df = pd.DataFrame({c: pd.Series(_obj(t[name][c]) if c in t[name] else [None] * len(t[name]), dtype=object)
                           for c in cols})  # object columns: a missing value stays None, never NaT or NaN
        df.insert(0, "case_id", case)
        df.insert(0, "medins_code", code)
        parts.append(df)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["medins_code", "case_id", *cols])


def _day(v) -> int | None:
    if v is None:
        return None
    d = v.date() if isinstance(v, (dt.datetime, pd.Timestamp)) else v
    return (d - EPOCH).days


def _minute(v) -> int | None:
    if v is None:
        return None
    return int((pd.Timestamp(v) - pd.Timestamp("1970-01-01")).total_seconds() // 60)


def _amt(v) -> Decimal:
    return Decimal(0) if v is None else Decimal(v)


def _q(v) -> Decimal:
    return Decimal(v).quantize(Q)


def _date(day: int | None):
    return None if day is None else EPOCH + dt.timedelta(days=int(day))


def _min(values) -> object:
    vals = [v for v in values if v is not None]
    return min(vals) if vals else None


def _region(code: str) -> str | None:
    return code[1:7] if len(code) >= 7 and code[0] == "H" and code[1:7].isdigit() else None


def stays(tables, cfg) -> pd.DataFrame:
    v = _frame(tables, "visits", ["mdtrt_id", "psn_no", "med_type", "begntime", "endtime"])
    prefixes = tuple(cfg.inpatient_prefixes)
    keep = [(r.endtime is not None and r.begntime is not None and r.psn_no not in (None, "")
             and r.med_type is not None and str(r.med_type).startswith(prefixes)) for r in v.itertuples()]
    v = v[keep].copy()
    v["b"] = [_day(x) for x in v["begntime"]]
    v["e"] = [_day(x) for x in v["endtime"]]
    g = v.groupby(["medins_code", "case_id", "mdtrt_id", "psn_no"], sort=False).agg(
        bt=("begntime", "min"), b=("b", "min"), e=("e", "max")).reset_index()
    f = _frame(tables, "fees", ["mdtrt_id", "det_item_fee_sumamt"])
    sums: dict = {}
    for r in f.itertuples():
        k = (r.medins_code, r.case_id, r.mdtrt_id)
        sums[k] = sums.get(k, Decimal(0)) + _amt(r.det_item_fee_sumamt)
    g["amount"] = [sums.get((r.medins_code, r.case_id, r.mdtrt_id), Decimal(0)) for r in g.itertuples()]
    return g


def oracle_m01(tables, cfg, lo, hi) -> list[tuple]:
    k = int(cfg.m("M01")["min_overlap_days"])
    s = stays(tables, cfg)
    pairs = s.merge(s, on="psn_no", suffixes=("_a", "_b"))
    out = []
    for r in pairs.itertuples():
        if not r.medins_code_a < r.medins_code_b:
            continue
        overlap = min(r.e_a, r.e_b) - max(r.b_a, r.b_b)
        if overlap < k or not lo <= max(r.b_a, r.b_b) <= hi:
            continue
        key = f"{r.psn_no}|{r.medins_code_a}|{r.mdtrt_id_a}|{r.medins_code_b}|{r.mdtrt_id_b}"
        for side in ("a", "b"):
            g = lambda n: getattr(r, f"{n}_{side}")  # noqa: E731
            out.append(("M01", g("medins_code"), g("case_id"), key, r.psn_no, g("mdtrt_id"), None, _date(g("b")),
                        _date(g("e")), _q(g("amount")), _q(overlap)))
    return out


def oracle_m02(tables, cfg, lo, hi) -> list[tuple]:
    k = int(cfg.m("M02")["min_cases"])
    t = _frame(tables, "trace_codes", ["mdtrt_id", "feedetl_sn", "trac_codg"])
    t = t[[c not in (None, "") for c in t["trac_codg"]]]
    f = _frame(tables, "fees", ["mdtrt_id", "feedetl_sn", "fee_ocur_time", "med_list_codg", "det_item_fee_sumamt"])
    u = t.merge(f, on=["medins_code", "case_id", "mdtrt_id", "feedetl_sn"])
    v = _frame(tables, "visits", ["mdtrt_id", "psn_no"])
    out = []
    for code, grp in u.groupby("trac_codg"):
        n_cases = len({(a, b) for a, b in zip(grp["medins_code"], grp["case_id"])})
        if n_cases < k:
            continue
        rows = sorted(grp.itertuples(), key=lambda r: (r.fee_ocur_time is None, r.fee_ocur_time or dt.datetime.min,
                                                      r.medins_code, r.case_id, r.mdtrt_id, r.feedetl_sn))
        first = rows[0]
        first_day = _day(first.fee_ocur_time)
        if first_day is None or not lo <= first_day <= hi:
            continue
        by_case: dict = {}
        for r in rows:
            by_case.setdefault((r.medins_code, r.case_id), []).append(r)
        for (mc, case), rs in by_case.items():
            mdtrt = _min(r.mdtrt_id for r in rs)
            psn = _min(v[(v.medins_code == mc) & (v.case_id == case) & (v.mdtrt_id == mdtrt)]["psn_no"])
            days = [_day(r.fee_ocur_time) for r in rs]
            amount = sum((_amt(r.det_item_fee_sumamt) for r in rs if r is not first), Decimal(0))
            out.append(("M02", mc, case, code, psn, mdtrt, _min(r.med_list_codg for r in rs), _date(_min(days)),
                        _date(max(d for d in days if d is not None) if any(d is not None for d in days) else None),
                        _q(amount), _q(n_cases)))
    return out


def oracle_m03(tables, cfg, lo, hi) -> list[tuple]:
    m = cfg.m("M03")
    w, k = int(m["window_days"]), int(m["min_institutions"])
    limit = Decimal(w) * Decimal(str(m["max_supply_ratio"]))
    dose = {d.med_list_codg: d.daily_dose for d in cfg.key_drugs}
    f = _frame(tables, "fees", ["mdtrt_id", "fee_ocur_time", "med_list_codg", "cnt", "det_item_fee_sumamt"])
    f = f[f["med_list_codg"].isin(list(dose)) & f["cnt"].notna() & f["fee_ocur_time"].notna()]
    v = _frame(tables, "visits", ["mdtrt_id", "psn_no"])
    v = v[[p not in (None, "") for p in v["psn_no"]]].drop_duplicates()
    lines = f.merge(v, on=["medins_code", "case_id", "mdtrt_id"])
    out = []
    for (psn, drug), grp in lines.groupby(["psn_no", "med_list_codg"]):
        recs = [(_day(r.fee_ocur_time), r.medins_code, r.case_id, r.mdtrt_id, Decimal(r.cnt),
                 Decimal(r.cnt) / dose[drug], _amt(r.det_item_fee_sumamt)) for r in grp.itertuples()]
        if len({r[1] for r in recs}) < k:
            continue
        best = None
        for s in sorted({r[0] for r in recs if r[4] > 0}):
            inside = [r for r in recs if s <= r[0] < s + w]
            supply = sum((r[5] for r in inside), Decimal(0))
            if supply > limit and len({r[1] for r in inside}) >= k and (best is None or supply > best[1]):
                best = (s, supply, len({r[1] for r in inside}))
        if best is None or not lo <= best[0] <= hi:
            continue
        s, supply, _ = best
        by_case: dict = {}
        for r in recs:
            if s <= r[0] < s + w:
                by_case.setdefault((r[1], r[2]), []).append(r)
        for (mc, case), rs in by_case.items():
            out.append(("M03", mc, case, f"{psn}|{drug}|{s}", psn, _min(r[3] for r in rs), drug, _date(s),
                        _date(s + w - 1), _q(sum((r[6] for r in rs), Decimal(0))), _q(supply)))
    return out


def oracle_m04(tables, cfg, lo, hi) -> list[tuple]:
    m = cfg.m("M04")
    gap_max, digits = int(m["max_gap_days"]), int(m["region_prefix_digits"])
    s = stays(tables, cfg)
    out = []
    for psn, grp in s.groupby("psn_no"):
        rows = sorted(grp.itertuples(), key=lambda r: (r.bt, r.b, r.medins_code, r.case_id, r.mdtrt_id))
        for a, b in zip(rows, rows[1:]):
            ra, rb = _region(a.medins_code), _region(b.medins_code)
            gap = b.b - a.e
            if ra is None or rb is None or ra[:digits] == rb[:digits] or not 0 <= gap <= gap_max \
                    or not lo <= a.e <= hi:
                continue
            key = f"{psn}|{a.medins_code}|{a.mdtrt_id}|{b.medins_code}|{b.mdtrt_id}"
            for r in (a, b):
                out.append(("M04", r.medins_code, r.case_id, key, psn, r.mdtrt_id, None, _date(r.b), _date(r.e),
                            _q(r.amount), _q(gap)))
    return out


def oracle_m05(tables, cfg, lo, hi) -> list[tuple]:
    k = int(cfg.m("M05")["min_overlap_minutes"])
    f = _frame(tables, "fees", ["mdtrt_id", "fee_ocur_time", "bilg_dr_codg", "det_item_fee_sumamt"])
    f = f[f["bilg_dr_codg"].notna() & (f["bilg_dr_codg"] != "") & f["fee_ocur_time"].notna()].copy()
    f["day"] = [_day(x) for x in f["fee_ocur_time"]]
    f["minute"] = [_minute(x) for x in f["fee_ocur_time"]]
    spans = {}
    for r in f.itertuples():
        key = (r.bilg_dr_codg, r.day, r.medins_code, r.case_id)
        lo_, hi_, amt, mdtrt = spans.get(key, (r.minute, r.minute, Decimal(0), r.mdtrt_id))
        spans[key] = (min(lo_, r.minute), max(hi_, r.minute), amt + _amt(r.det_item_fee_sumamt),
                      _min([mdtrt, r.mdtrt_id]))
    by_doctor_day: dict = {}
    for (dr, day, mc, case), span in spans.items():
        by_doctor_day.setdefault((dr, day), []).append((mc, case, span))
    out = []
    for (dr, day), items in by_doctor_day.items():
        if not lo <= day <= hi:
            continue
        for a in items:
            for b in items:
                if not a[0] < b[0]:
                    continue
                overlap = min(a[2][1], b[2][1]) - max(a[2][0], b[2][0])
                if overlap < k:
                    continue
                key = f"{dr}|{day}|{a[0]}|{a[1]}|{b[0]}|{b[1]}"
                for side in (a, b):
                    out.append(("M05", side[0], side[1], key, None, side[2][3], None, _date(day), _date(day),
                                _q(side[2][2]), _q(overlap)))
    return out


def oracle_rows(tables, cfg, lo: int = -10**7, hi: int = 10**7) -> list[tuple]:
    out = []
    for fn in (oracle_m01, oracle_m02, oracle_m03, oracle_m04, oracle_m05):
        out += fn(tables, cfg, lo, hi)
    return sorted(out, key=repr)
