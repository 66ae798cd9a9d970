"""A demo province for the bureau's archive and models (issue 15): N demo hospitals (the demo generator with
different seeds), each made a distinct institution (its own code in a region, its own persons, doctors and
trace codes), plus shared persons, trace codes and doctors planted across them so that every model of
docs/models.md has hits and near misses. ``planted`` lists each planted hit by its model key.

The institution rewrite is what keeps the background free of cross-institution hits: every seed of the demo
generator numbers persons, doctors and trace codes the same way, so without it the "same person" would be
in every hospital. Their signed packages: :mod:`feijian.demoprovince.packages`.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from feijian.demodata.generator import generate
from feijian.ingest.folder import read_folder
from feijian.paths import resource

DOCTOR_FIELDS = {"visits": ("atddr_no",), "fees": ("bilg_dr_codg",), "orders": ("drord_dr_codg",),
                 "operations": ("oper_dr_codg",), "staff": ("dr_codg",)}


@dataclass
class DemoInstitution:
    index: int
    medins_code: str
    medins_name: str
    seed: int
    tables: dict[str, pa.Table]


@dataclass
class Province:
    institutions: list[DemoInstitution]
    planted: dict[str, set] = field(default_factory=dict)  # model -> set of keys (docs/models.md)
    near_misses: dict[str, list] = field(default_factory=dict)
    events: dict[int, list] = field(default_factory=dict)  # institution index -> its case's events (packages.write_packages)


def _config() -> dict:
    return tomllib.loads(resource("bureau", "demo_province.toml").read_text(encoding="utf-8"))


def _prefix(col: pa.ChunkedArray, prefix: str) -> pa.ChunkedArray:
    return pc.if_else(pc.is_null(col), col, pc.binary_join_element_wise(pa.scalar(prefix), col, ""))


def _rewrite(tables: dict[str, pa.Table], i: int, code: str, name: str) -> dict[str, pa.Table]:
    tag = f"I{i:03d}"
    out = {}
    for t, data in tables.items():
        cols = dict(zip(data.column_names, data.columns))
        if t == "institution":
            cols["medins_code"] = pa.chunked_array([pa.array([code] * data.num_rows)])
            cols["medins_name"] = pa.chunked_array([pa.array([name] * data.num_rows)])
        if t == "visits":
            cols["psn_no"] = _prefix(cols["psn_no"], tag)
        if t == "trace_codes":
            cols["trac_codg"] = _prefix(cols["trac_codg"], tag)
        for f in DOCTOR_FIELDS.get(t, ()):
            if f in cols:
                cols[f] = _prefix(cols[f], tag)
        out[t] = pa.table(list(cols.values()), names=list(cols.keys()))
    return out


class _Planter:
    def __init__(self, province: Province, year: int, seed: int) -> None:
        self.p = province
        self.year = year
        self.rng = random.Random(f"province-{seed}")
        self.rows: dict[int, dict[str, list[dict]]] = {}
        self.n = 0

    def inst(self, i: int) -> DemoInstitution:
        return self.p.institutions[i]

    def add(self, i: int, table: str, row: dict) -> None:
        self.rows.setdefault(i, {}).setdefault(table, []).append(row)

    def day(self) -> dt.date:
        return dt.date(self.year, 1, 1) + dt.timedelta(days=self.rng.randrange(20, 320))

    def encounter(self, i: int, psn: str, med_type: str, begin: dt.datetime, end: dt.datetime | None,
                  lines: list[tuple[str, Decimal, Decimal, dt.datetime, str]], tag: str) -> str:
        """A visit at institution ``i`` with fee lines (code, cnt, price, time, doctor); returns mdtrt_id."""
        self.n += 1
        mdtrt = f"PL{self.n:06d}{tag}"
        self.add(i, "visits", {"mdtrt_id": mdtrt, "psn_no": psn, "med_type": med_type, "begntime": begin,
                               "endtime": end, "gend": "1", "insutype": "310"})
        for k, (code, cnt, pric, when, doctor) in enumerate(lines, 1):
            self.add(i, "fees", {"feedetl_sn": f"{mdtrt}-{k:03d}", "mdtrt_id": mdtrt, "fee_ocur_time": when,
                                 "med_list_codg": code, "cnt": cnt, "pric": pric, "det_item_fee_sumamt": cnt * pric,
                                 "bilg_dr_codg": doctor, "list_type": "drug" if code.startswith("X") else "service"})
        return mdtrt

    def finish(self) -> None:
        for i, by_table in self.rows.items():
            inst = self.inst(i)
            for t, rows in by_table.items():
                base = inst.tables[t]
                extra = pa.Table.from_pylist([{c: r.get(c) for c in base.column_names if c not in ("_batch", "_line")}
                                              | {"_batch": "planted", "_line": k + 1} for k, r in enumerate(rows)],
                                             schema=base.schema)
                inst.tables[t] = pa.concat_tables([base, extra])


def build_province(work_dir: Path, n: int, *, scale: float = 0.05, seed: int = 1) -> Province:
    """N institutions in ``work_dir`` (the generator's extracts, read back), with the planted cases."""
    cfg = _config()
    regions = cfg["regions"]
    institutions = []
    for i in range(n):
        folder = Path(work_dir) / f"inst{i:03d}"
        generate(folder, seed=seed + i, scale=scale)
        tables = read_folder(folder).tables
        region = regions[i % len(regions)]
        code = f"H{region}{i:05d}"
        name = f"示范医院{i + 1:03d}"
        institutions.append(DemoInstitution(i, code, name, seed + i, _rewrite(tables, i, code, name)))
    province = Province(institutions)
    _plant(province, cfg, seed)
    return province


def _plant(p: Province, cfg: dict, seed: int) -> None:
    year = int(cfg.get("year", 2024))
    pl = _Planter(p, year, seed)
    n = len(p.institutions)
    k = int(cfg["per_model"])
    bed, drug = cfg["bed_code"], cfg["drug_code"]
    at = dt.datetime.combine
    far = _pairs(p, cfg, far=True)
    near = _pairs(p, cfg, far=False)
    for m in ("M01", "M02", "M03", "M04", "M05"):
        p.planted[m] = set()
        p.near_misses[m] = []
    for j in range(k):
        a, b = j % n, (j + 1) % n
        if a == b:
            break
        # M01: overlapping stays (hit) and a same-day transfer (near miss)
        psn = f"SHARED-M01-{j:03d}"
        d = pl.day()
        va = pl.encounter(a, psn, "21", at(d, dt.time(9)), at(d + dt.timedelta(days=6), dt.time(10)),
                          [(bed, Decimal(6), Decimal(50), at(d, dt.time(12)), "")], "A")
        vb = pl.encounter(b, psn, "21", at(d + dt.timedelta(days=2), dt.time(15)),
                          at(d + dt.timedelta(days=8), dt.time(9)),
                          [(bed, Decimal(6), Decimal(50), at(d + dt.timedelta(days=2), dt.time(16)), "")], "B")
        ca, cb = p.institutions[a].medins_code, p.institutions[b].medins_code
        p.planted["M01"].add(tuple(sorted([(ca, va), (cb, vb)])))
        psn = f"NEAR-M01-{j:03d}"
        d = pl.day()
        na, nb = near[j % len(near)] if near else (a, b)  # same city: a transfer there is not M04 either
        pl.encounter(na, psn, "21", at(d, dt.time(9)), at(d + dt.timedelta(days=4), dt.time(9)),
                     [(bed, Decimal(4), Decimal(50), at(d, dt.time(12)), "")], "A")
        pl.encounter(nb, psn, "21", at(d + dt.timedelta(days=4), dt.time(14)), at(d + dt.timedelta(days=7), dt.time(9)),
                     [(bed, Decimal(3), Decimal(50), at(d + dt.timedelta(days=4), dt.time(15)), "")], "B")
        p.near_misses["M01"].append(psn)
        # M02: one trace code billed at two institutions
        code = f"SHAREDTRACE{j:06d}"
        for i_, tag in ((a, "A"), (b, "B")):
            d = pl.day()
            v = pl.encounter(i_, f"SHARED-M02-{j:03d}{tag}", "11", at(d, dt.time(10)), at(d, dt.time(11)),
                             [(drug, Decimal(1), Decimal(28), at(d, dt.time(10, 30)), "")], tag)
            pl.add(i_, "trace_codes", {"mdtrt_id": v, "feedetl_sn": f"{v}-001", "trac_codg": code})
        p.planted["M02"].add(code)
        # M03: a key drug from two institutions, 60 supply days in a 30-day window (hit); 40 (near miss)
        kd, dose = cfg["key_drug_code"], Decimal(str(cfg["key_drug_daily_dose"]))
        for prefix, qty in (("SHARED", 30), ("NEAR", 20)):
            psn = f"{prefix}-M03-{j:03d}"
            d = pl.day()
            pl.encounter(a, psn, "11", at(d, dt.time(9)), at(d, dt.time(10)),
                         [(kd, Decimal(qty) * dose, Decimal("0.9"), at(d, dt.time(9, 30)), "")], "A")
            d2 = d + dt.timedelta(days=5)
            pl.encounter(b, psn, "11", at(d2, dt.time(9)), at(d2, dt.time(10)),
                         [(kd, Decimal(qty) * dose, Decimal("0.9"), at(d2, dt.time(9, 30)), "")], "B")
            if prefix == "SHARED":
                p.planted["M03"].add((psn, kd, d))
            else:
                p.near_misses["M03"].append(psn)
        # M04: discharged in one city, admitted in a far city the next day (hit); same city (near miss)
        if far:
            fa, fb = far[j % len(far)]
            psn = f"SHARED-M04-{j:03d}"
            d = pl.day()
            va = pl.encounter(fa, psn, "21", at(d, dt.time(9)), at(d + dt.timedelta(days=3), dt.time(9)),
                              [(bed, Decimal(3), Decimal(50), at(d, dt.time(12)), "")], "A")
            vb = pl.encounter(fb, psn, "21", at(d + dt.timedelta(days=4), dt.time(15)),
                              at(d + dt.timedelta(days=6), dt.time(9)),
                              [(bed, Decimal(2), Decimal(50), at(d + dt.timedelta(days=4), dt.time(16)), "")], "B")
            p.planted["M04"].add((psn, (p.institutions[fa].medins_code, va), (p.institutions[fb].medins_code, vb)))
        # M05: one doctor billing at two institutions 09-12 and 10-13 the same day (hit); 08-09 / 10-11 (near)
        for prefix, spans in (("SHARED", ((9, 12), (10, 13))), ("NEAR", ((8, 9), (10, 11)))):
            doctor = f"{prefix}DR{j:04d}"
            d = pl.day()
            for (h0, h1), i_, tag in zip(spans, (a, b), ("A", "B")):
                pl.encounter(i_, f"{prefix}-M05-{j:03d}{tag}", "11", at(d, dt.time(h0)), at(d, dt.time(h1)),
                             [(bed, Decimal(1), Decimal(10), at(d, dt.time(h0)), doctor),
                              (bed, Decimal(1), Decimal(10), at(d, dt.time(h1)), doctor)], tag)
            if prefix == "SHARED":
                p.planted["M05"].add((doctor, d, tuple(sorted((p.institutions[a].medins_code,
                                                                p.institutions[b].medins_code)))))
            else:
                p.near_misses["M05"].append(doctor)
    pl.finish()


def _pairs(p: Province, cfg: dict, *, far: bool) -> list[tuple[int, int]]:
    digits = int(cfg.get("far_prefix_digits", 4))
    pairs = []
    for a in p.institutions:
        for b in p.institutions:
            if a.index < b.index and (a.medins_code[1:1 + digits] != b.medins_code[1:1 + digits]) == far:
                pairs.append((a.index, b.index))
    return pairs
