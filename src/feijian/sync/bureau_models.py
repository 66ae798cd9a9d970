"""The bureau's cross-institution models M01–M05 (docs/models.md), each one SQL statement run inside the
archive engine over the ``archive_*`` case tables (PostgreSQL, or the small office's SQLite archive: the
same text, written to the common dialect — ``CASE`` instead of ``LEAST``/``GREATEST``, integer day and
minute columns instead of date arithmetic, no literal ``%``).

Every statement returns the same columns, one row per (institution, case) side of a result::

    medins_code, case_id, hit_key, psn_no, mdtrt_id, med_list_codg, start_day, end_day, amount, measure,
    other_medins, other_ref

(days as days since 1970-01-01). :func:`run_models` runs them all, gives each row its clue id and its
description (templates in ``resources/bureau/models.toml``) and stores the run (``model_runs``) and its rows
(``model_hits``) in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import time
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Optional

from feijian.domain import regions as region_names
from feijian.domain.errors import InputError
from feijian.domain.events import utc_now, uuid7
from feijian.paths import resource
from feijian.sync.case_archive import case_table_names

MODELS = ("M01", "M02", "M03", "M04", "M05")
EPOCH = dt.date(1970, 1, 1)
NO_LOWER, NO_UPPER = -10**7, 10**7  # day bounds when no period is given
CLUE_FIELDS = ("clue_id", "clue_type", "psn_no", "mdtrt_id", "med_list_codg", "period_start", "period_end",
               "description", "suspected_amount")
CSV_FIELDS = CLUE_FIELDS + ("model", "medins_code", "medins_name", "case_id", "hit_key")

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS model_runs (
        run_id TEXT PRIMARY KEY, created TEXT NOT NULL, models_sha256 TEXT NOT NULL, key_drugs_sha256 TEXT NOT NULL,
        period_from TEXT, period_to TEXT, stats TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS model_hits (
        run_id TEXT NOT NULL, model TEXT NOT NULL, clue_id TEXT NOT NULL, medins_code TEXT NOT NULL,
        case_id TEXT NOT NULL, hit_key TEXT NOT NULL, psn_no TEXT, mdtrt_id TEXT, med_list_codg TEXT,
        period_start TEXT, period_end TEXT, amount NUMERIC(18,4) NOT NULL, measure NUMERIC(18,4),
        description TEXT NOT NULL, PRIMARY KEY (run_id, clue_id))""",
]


@dataclass(frozen=True)
class KeyDrug:
    med_list_codg: str
    name: str
    daily_dose: Decimal


@dataclass(frozen=True)
class ModelConfig:
    raw: dict
    sha256: str
    key_drugs: tuple[KeyDrug, ...]
    key_drugs_sha256: str

    def m(self, model: str) -> dict:
        return self.raw["models"][model]

    @property
    def inpatient_prefixes(self) -> list[str]:
        return list(self.raw["inpatient_med_type_prefixes"])


def load_config(models_file: Optional[Path] = None, key_drugs_file: Optional[Path] = None) -> ModelConfig:
    mpath = Path(models_file) if models_file else resource("bureau", "models.toml")
    kpath = Path(key_drugs_file) if key_drugs_file else resource("bureau", "key_drugs.csv")
    mraw = mpath.read_bytes()
    try:
        raw = tomllib.loads(mraw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"模型参数文件无效 / invalid models file {mpath}: {exc}") from None
    missing = [m for m in MODELS if m not in raw.get("models", {})]
    if missing or not raw.get("inpatient_med_type_prefixes"):
        raise InputError(f"模型参数文件不完整 / models file {mpath} lacks {missing or 'inpatient_med_type_prefixes'}")
    kraw = kpath.read_bytes()
    drugs = []
    for n, row in enumerate(csv.DictReader(io.StringIO(kraw.decode("utf-8-sig"))), 2):
        try:
            dose = Decimal(row["daily_dose"])
        except Exception:
            raise InputError(f"重点药品清单第 {n} 行日剂量无效 / {kpath} line {n}: daily_dose "
                             f"{row.get('daily_dose')!r}") from None
        if not row.get("med_list_codg") or dose <= 0:
            raise InputError(f"重点药品清单第 {n} 行无效 / {kpath} line {n}: a code and a positive daily dose")
        drugs.append(KeyDrug(row["med_list_codg"].strip(), row.get("drug_name", ""), dose))
    if not drugs:
        raise InputError(f"重点药品清单为空 / no key drugs in {kpath}")
    return ModelConfig(raw, hashlib.sha256(mraw).hexdigest(), tuple(drugs), hashlib.sha256(kraw).hexdigest())


# --- the statements ---------------------------------------------------------------------------------

def _least(a: str, b: str) -> str:
    return f"CASE WHEN {a} < {b} THEN {a} ELSE {b} END"


def _greatest(a: str, b: str) -> str:
    return f"CASE WHEN {a} > {b} THEN {a} ELSE {b} END"


def _overlap_at_least(lo_a: str, hi_a: str, lo_b: str, hi_b: str) -> str:
    """least(hi_a, hi_b) - greatest(lo_a, lo_b) >= ?  as four comparisons (one parameter each, same value)."""
    return f"{hi_a} - {lo_b} >= ? AND {hi_b} - {lo_a} >= ? AND {hi_a} - {lo_a} >= ? AND {hi_b} - {lo_b} >= ?"


def _stays_cte(cfg: ModelConfig) -> str:
    inpatient = " OR ".join(f"substr(med_type, 1, {len(p)}) = '{_lit(p)}'" for p in cfg.inpatient_prefixes)
    return f"""stays AS (
        SELECT medins_code, case_id, mdtrt_id, psn_no, MIN(begntime) AS bt, MIN(begin_day) AS b, MAX(end_day) AS e
        FROM archive_visits
        WHERE endtime IS NOT NULL AND begin_day IS NOT NULL AND psn_no IS NOT NULL AND psn_no <> ''
          AND med_type IS NOT NULL AND ({inpatient})
        GROUP BY medins_code, case_id, mdtrt_id, psn_no)"""


def _lit(text: str) -> str:
    return text.replace("'", "''")


def _stay_amount(alias: str) -> str:
    return (f"(SELECT COALESCE(SUM(f.det_item_fee_sumamt), 0) FROM archive_fees f WHERE f.medins_code = "
            f"{alias}.medins_code AND f.case_id = {alias}.case_id AND f.mdtrt_id = {alias}.mdtrt_id)")


def m01(cfg: ModelConfig, lo: int, hi: int) -> tuple[str, list]:
    k = int(cfg.m("M01")["min_overlap_days"])
    sql = f"""WITH {_stays_cte(cfg)},
    pairs AS (
        SELECT a.psn_no, a.medins_code AS ia, a.case_id AS ca, a.mdtrt_id AS ma, a.b AS ba, a.e AS ea,
               b.medins_code AS ib, b.case_id AS cb, b.mdtrt_id AS mb, b.b AS bb, b.e AS eb,
               {_least('a.e', 'b.e')} - {_greatest('a.b', 'b.b')} AS overlap
        FROM stays a JOIN stays b ON b.psn_no = a.psn_no AND a.medins_code < b.medins_code
        WHERE {_overlap_at_least('a.b', 'a.e', 'b.b', 'b.e')} AND {_greatest('a.b', 'b.b')} BETWEEN ? AND ?),
    sides AS (
        SELECT ia AS medins_code, ca AS case_id, ma AS mdtrt_id, ba AS b, ea AS e, ib AS other_medins,
               mb AS other_ref, psn_no, ia, ma, ib, mb, overlap FROM pairs
        UNION ALL
        SELECT ib, cb, mb, bb, eb, ia, ma, psn_no, ia, ma, ib, mb, overlap FROM pairs)
    SELECT s.medins_code, s.case_id, s.psn_no || '|' || s.ia || '|' || s.ma || '|' || s.ib || '|' || s.mb AS hit_key,
           s.psn_no, s.mdtrt_id, CAST(NULL AS TEXT) AS med_list_codg, s.b AS start_day, s.e AS end_day,
           {_stay_amount('s')} AS amount, s.overlap AS measure, s.other_medins, s.other_ref
    FROM sides s"""
    return sql, [k, k, k, k, lo, hi]


def m02(cfg: ModelConfig, lo: int, hi: int) -> tuple[str, list]:
    k = int(cfg.m("M02")["min_cases"])
    order = ("(u.fee_ocur_time IS NULL), u.fee_ocur_time, u.medins_code, u.case_id, u.mdtrt_id, u.feedetl_sn")
    # cand: codes listed in at least k cases at all (a superset of those billed in k cases), so that only their
    # trace rows are joined to the fee lines
    # (the distinct cases of a code counted as the groups of a GROUP BY, not with COUNT(DISTINCT), which sorts
    # every trace row of the archive by code: spilled to disk at 50 institutions)
    sql = f"""WITH cand AS (
        SELECT trac_codg FROM (
            SELECT medins_code, case_id, trac_codg FROM archive_trace_codes
            WHERE trac_codg IS NOT NULL AND trac_codg <> '' GROUP BY medins_code, case_id, trac_codg) x
        GROUP BY trac_codg HAVING COUNT(*) >= ?),
    uses AS (
        SELECT t.trac_codg, f.medins_code, f.case_id, f.mdtrt_id, f.feedetl_sn, f.fee_ocur_time, f.fee_day,
               f.med_list_codg, f.det_item_fee_sumamt AS amt
        FROM archive_trace_codes t JOIN cand c ON c.trac_codg = t.trac_codg
             JOIN archive_fees f ON f.medins_code = t.medins_code AND f.case_id = t.case_id
             AND f.mdtrt_id = t.mdtrt_id AND f.feedetl_sn = t.feedetl_sn),
    codes AS (
        SELECT trac_codg, COUNT(DISTINCT medins_code || '|' || case_id) AS n_cases FROM uses
        GROUP BY trac_codg HAVING COUNT(DISTINCT medins_code || '|' || case_id) >= ?),
    ranked AS (
        SELECT u.*, c.n_cases, ROW_NUMBER() OVER (PARTITION BY u.trac_codg ORDER BY {order}) AS rn,
               FIRST_VALUE(u.fee_day) OVER (PARTITION BY u.trac_codg ORDER BY {order}) AS first_day,
               FIRST_VALUE(u.medins_code) OVER (PARTITION BY u.trac_codg ORDER BY {order}) AS first_medins,
               FIRST_VALUE(u.case_id) OVER (PARTITION BY u.trac_codg ORDER BY {order}) AS first_case
        FROM uses u JOIN codes c ON c.trac_codg = u.trac_codg),
    sides AS (
        SELECT medins_code, case_id, trac_codg, MIN(mdtrt_id) AS mdtrt_id, MIN(med_list_codg) AS med_list_codg,
               MIN(fee_day) AS start_day, MAX(fee_day) AS end_day,
               SUM(CASE WHEN rn > 1 THEN amt ELSE 0 END) AS amount, MAX(n_cases) AS measure,
               MAX(first_medins) AS first_medins, MAX(first_case) AS first_case
        FROM ranked WHERE first_day BETWEEN ? AND ?
        GROUP BY medins_code, case_id, trac_codg)
    SELECT s.medins_code, s.case_id, s.trac_codg AS hit_key,
           (SELECT MIN(v.psn_no) FROM archive_visits v WHERE v.medins_code = s.medins_code AND v.case_id = s.case_id
              AND v.mdtrt_id = s.mdtrt_id) AS psn_no,
           s.mdtrt_id, s.med_list_codg, s.start_day, s.end_day, s.amount, s.measure,
           s.first_medins AS other_medins, s.trac_codg AS other_ref
    FROM sides s"""
    return sql, [k, k, lo, hi]


def m03(cfg: ModelConfig, lo: int, hi: int) -> tuple[str, list]:
    m = cfg.m("M03")
    w = int(m["window_days"])
    limit = Decimal(w) * Decimal(str(m["max_supply_ratio"]))
    values = ", ".join("(CAST(? AS TEXT), CAST(? AS NUMERIC))" for _ in cfg.key_drugs)
    params: list = [x for d in cfg.key_drugs for x in (d.med_list_codg, d.daily_dose)]
    sql = f"""WITH kd (code, dose) AS (VALUES {values}),
    vp AS (SELECT DISTINCT medins_code, case_id, mdtrt_id, psn_no FROM archive_visits
           WHERE psn_no IS NOT NULL AND psn_no <> ''),
    lines AS (
        SELECT f.medins_code, f.case_id, f.mdtrt_id, vp.psn_no, f.med_list_codg, f.fee_day AS d, f.cnt,
               f.cnt / kd.dose AS supply, f.det_item_fee_sumamt AS amt
        FROM archive_fees f JOIN kd ON kd.code = f.med_list_codg
             JOIN vp ON vp.medins_code = f.medins_code AND vp.case_id = f.case_id AND vp.mdtrt_id = f.mdtrt_id
        WHERE f.fee_day IS NOT NULL AND f.cnt IS NOT NULL),
    cand AS (
        SELECT psn_no, med_list_codg FROM lines GROUP BY psn_no, med_list_codg
        HAVING COUNT(DISTINCT medins_code) >= ?),
    disp AS (
        SELECT l.medins_code, l.case_id, l.psn_no, l.med_list_codg, l.d, MIN(l.mdtrt_id) AS mdtrt_id,
               SUM(l.supply) AS supply, SUM(l.amt) AS amt, MAX(CASE WHEN l.cnt > 0 THEN 1 ELSE 0 END) AS dispensed
        FROM lines l JOIN cand c ON c.psn_no = l.psn_no AND c.med_list_codg = l.med_list_codg
        GROUP BY l.medins_code, l.case_id, l.psn_no, l.med_list_codg, l.d),
    starts AS (SELECT DISTINCT psn_no, med_list_codg, d AS s FROM disp WHERE dispensed = 1),
    win AS (
        SELECT st.psn_no, st.med_list_codg, st.s, SUM(x.supply) AS supply, COUNT(DISTINCT x.medins_code) AS n_inst
        FROM starts st JOIN disp x ON x.psn_no = st.psn_no AND x.med_list_codg = st.med_list_codg
             AND x.d >= st.s AND x.d < st.s + ?
        GROUP BY st.psn_no, st.med_list_codg, st.s),
    best AS (
        SELECT psn_no, med_list_codg, s, supply, n_inst,
               ROW_NUMBER() OVER (PARTITION BY psn_no, med_list_codg ORDER BY supply DESC, s) AS rn
        FROM win WHERE supply > CAST(? AS NUMERIC) AND n_inst >= ?)
    SELECT x.medins_code, x.case_id, h.psn_no || '|' || h.med_list_codg || '|' || CAST(h.s AS TEXT) AS hit_key,
           h.psn_no, MIN(x.mdtrt_id) AS mdtrt_id, h.med_list_codg, h.s AS start_day, h.s + ? AS end_day,
           SUM(x.amt) AS amount, h.supply AS measure, CAST(NULL AS TEXT) AS other_medins,
           CAST(h.n_inst AS TEXT) AS other_ref
    FROM best h JOIN disp x ON x.psn_no = h.psn_no AND x.med_list_codg = h.med_list_codg
         AND x.d >= h.s AND x.d < h.s + ?
    WHERE h.rn = 1 AND h.s BETWEEN ? AND ?
    GROUP BY x.medins_code, x.case_id, h.psn_no, h.med_list_codg, h.s, h.supply, h.n_inst"""
    k = int(m["min_institutions"])
    return sql, params + [k, w, limit, k, w - 1, w, lo, hi]


def m04(cfg: ModelConfig, lo: int, hi: int) -> tuple[str, list]:
    m = cfg.m("M04")
    digits = int(m["region_prefix_digits"])
    sql = f"""WITH {_stays_cte(cfg)},
    ordered AS (
        SELECT s.*, LEAD(medins_code) OVER w AS ib, LEAD(case_id) OVER w AS cb, LEAD(mdtrt_id) OVER w AS mb,
               LEAD(b) OVER w AS bb, LEAD(e) OVER w AS eb
        FROM stays s
        WINDOW w AS (PARTITION BY psn_no ORDER BY bt, b, medins_code, case_id, mdtrt_id)),
    pairs AS (
        SELECT o.psn_no, o.medins_code AS ia, o.case_id AS ca, o.mdtrt_id AS ma, o.b AS ba, o.e AS ea,
               o.ib, o.cb, o.mb, o.bb, o.eb, o.bb - o.e AS gap
        FROM ordered o
        JOIN archive_cases ra ON ra.case_id = o.case_id
        JOIN archive_cases rb ON rb.case_id = o.cb
        WHERE o.ib IS NOT NULL AND o.bb >= o.e AND o.bb - o.e <= ?
          AND ra.region_code IS NOT NULL AND rb.region_code IS NOT NULL
          AND substr(ra.region_code, 1, {digits}) <> substr(rb.region_code, 1, {digits})
          AND o.e BETWEEN ? AND ?),
    sides AS (
        SELECT ia AS medins_code, ca AS case_id, ma AS mdtrt_id, ba AS b, ea AS e, ib AS other_medins,
               mb AS other_ref, psn_no, ia, ma, ib, mb, gap FROM pairs
        UNION ALL
        SELECT ib, cb, mb, bb, eb, ia, ma, psn_no, ia, ma, ib, mb, gap FROM pairs)
    SELECT s.medins_code, s.case_id, s.psn_no || '|' || s.ia || '|' || s.ma || '|' || s.ib || '|' || s.mb AS hit_key,
           s.psn_no, s.mdtrt_id, CAST(NULL AS TEXT) AS med_list_codg, s.b AS start_day, s.e AS end_day,
           {_stay_amount('s')} AS amount, s.gap AS measure, s.other_medins, s.other_ref
    FROM sides s"""
    return sql, [int(m["max_gap_days"]), lo, hi]


def m05(cfg: ModelConfig, lo: int, hi: int) -> tuple[str, list]:
    k = int(cfg.m("M05")["min_overlap_minutes"])
    # drs: doctors billing at two institutions at all (a small aggregate), so that only their lines are spanned
    sql = f"""WITH drs AS (
        SELECT dr FROM (SELECT medins_code, bilg_dr_codg AS dr FROM archive_fees
                        WHERE bilg_dr_codg IS NOT NULL AND bilg_dr_codg <> '' AND fee_min IS NOT NULL
                        GROUP BY medins_code, bilg_dr_codg) x
        GROUP BY dr HAVING COUNT(*) >= 2),
    spans AS (
        SELECT f.bilg_dr_codg AS dr, f.fee_day AS d, f.medins_code, f.case_id, MIN(f.fee_min) AS lo,
               MAX(f.fee_min) AS hi, SUM(f.det_item_fee_sumamt) AS amt, MIN(f.mdtrt_id) AS mdtrt_id
        FROM archive_fees f JOIN drs ON drs.dr = f.bilg_dr_codg
        WHERE f.fee_min IS NOT NULL
        GROUP BY f.bilg_dr_codg, f.fee_day, f.medins_code, f.case_id),
    pairs AS (
        SELECT a.dr, a.d, a.medins_code AS ia, a.case_id AS ca, a.amt AS aa, a.mdtrt_id AS ma,
               b.medins_code AS ib, b.case_id AS cb, b.amt AS ab, b.mdtrt_id AS mb,
               {_least('a.hi', 'b.hi')} - {_greatest('a.lo', 'b.lo')} AS overlap
        FROM spans a JOIN spans b ON b.dr = a.dr AND b.d = a.d AND a.medins_code < b.medins_code
        WHERE {_overlap_at_least('a.lo', 'a.hi', 'b.lo', 'b.hi')} AND a.d BETWEEN ? AND ?),
    sides AS (
        SELECT ia AS medins_code, ca AS case_id, ma AS mdtrt_id, aa AS amount, ib AS other_medins, dr, d, ia, ca, ib,
               cb, overlap FROM pairs
        UNION ALL
        SELECT ib, cb, mb, ab, ia, dr, d, ia, ca, ib, cb, overlap FROM pairs)
    SELECT s.medins_code, s.case_id,
           s.dr || '|' || CAST(s.d AS TEXT) || '|' || s.ia || '|' || s.ca || '|' || s.ib || '|' || s.cb AS hit_key,
           CAST(NULL AS TEXT) AS psn_no, s.mdtrt_id, CAST(NULL AS TEXT) AS med_list_codg, s.d AS start_day,
           s.d AS end_day, s.amount, s.overlap AS measure, s.other_medins, s.dr AS other_ref
    FROM sides s"""
    return sql, [k, k, k, k, lo, hi]


STATEMENTS = {"M01": m01, "M02": m02, "M03": m03, "M04": m04, "M05": m05}
RESULT_COLUMNS = ("medins_code", "case_id", "hit_key", "psn_no", "mdtrt_id", "med_list_codg", "start_day", "end_day",
                  "amount", "measure", "other_medins", "other_ref")


# --- running ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ModelHit:
    model: str
    clue_id: str
    medins_code: str
    case_id: str
    hit_key: str
    psn_no: Optional[str]
    mdtrt_id: Optional[str]
    med_list_codg: Optional[str]
    period_start: Optional[dt.date]
    period_end: Optional[dt.date]
    amount: Decimal
    measure: Optional[Decimal]
    description: str


@dataclass(frozen=True)
class ModelRun:
    run_id: str
    created: str
    period_from: Optional[dt.date]
    period_to: Optional[dt.date]
    seconds: dict[str, float]
    hits: list[ModelHit]

    def count(self, model: str) -> int:
        return sum(1 for h in self.hits if h.model == model)


def clue_id(model: str, hit_key: str, medins_code: str, case_id: str) -> str:
    digest = hashlib.sha256("|".join((model, hit_key, medins_code, case_id)).encode("utf-8")).hexdigest()
    return f"{model}-{digest[:12]}"


def day_number(d: Optional[dt.date]) -> Optional[int]:
    return None if d is None else (d - EPOCH).days


def _date(day) -> Optional[dt.date]:
    return None if day is None else EPOCH + dt.timedelta(days=int(day))


def _dec(v) -> Optional[Decimal]:
    if v is None:
        return None
    d = v if isinstance(v, Decimal) else Decimal(str(v))
    return d.quantize(Decimal("0.0001"))


# PostgreSQL planner settings for one statement. M03 joins CTEs to each other (the key-drug lines with the
# visits on (medins_code, case_id, mdtrt_id), then each dispensing day with the days of its window): the
# planner multiplies the three key columns' selectivities as if independent and estimates the lines at 1 row
# where there are thousands, then nests loops over CTE scans, quadratic in the dispensings: > 30 s instead
# of 0.26 s on two demo institutions (seed 5, statistics fresh), with the estimate right or wrong the hash
# joins it takes without nested loops stay linear. Set for the statement only, then put back.
# M02, M03 and M05 aggregate over every fee or trace row of the archive: their hash tables get the memory of
# a tuned bureau server for the statement (resources/bureau/postgresql.conf; the default 4 MB spills them to
# disk at 50 institutions), and aggregates and joins that group by the partition key run per partition.
_WIDE = {"work_mem": "256MB", "enable_partitionwise_aggregate": "on", "enable_partitionwise_join": "on"}
PG_PLANNER = {"M02": dict(_WIDE), "M03": {"enable_nestloop": "off", **_WIDE}, "M05": dict(_WIDE)}


def run_statement(archive, model: str, cfg: ModelConfig, lo: int = NO_LOWER, hi: int = NO_UPPER) -> list[dict]:
    """One model's raw rows (:data:`RESULT_COLUMNS`), as the engine returns them."""
    sql, params = STATEMENTS[model](cfg, lo, hi)
    if not archive.postgres:  # SQLite binds no Decimal: the text, which CAST(? AS NUMERIC) reads exactly
        params = [str(p) if isinstance(p, Decimal) else p for p in params]
        return [dict(zip(RESULT_COLUMNS, r)) for r in archive._query(sql, tuple(params))]
    settings = PG_PLANNER.get(model, {})
    before = {k: archive._query("SELECT current_setting(?)", (k,))[0][0] for k in settings}
    for k, v in settings.items():  # is_local: the transaction's, never the session's beyond it
        archive._query("SELECT set_config(?, ?, true)", (k, v))
    rows = archive._query(sql, tuple(params))
    for k, v in before.items():
        archive._query("SELECT set_config(?, ?, true)", (k, v))
    return [dict(zip(RESULT_COLUMNS, r)) for r in rows]


def _describe(cfg: ModelConfig, model: str, row: dict, names: dict[str, str], drugs: dict[str, str],
              regions: Optional[dict[str, str]] = None) -> str:
    template = cfg.m(model).get("description", "{hit_key}")
    other = row.get("other_medins") or ""
    regions = regions or {}
    values = {**{k: ("" if v is None else v) for k, v in row.items()},
              "start": _date(row["start_day"]) or "", "end": _date(row["end_day"]) or "",
              "measure": _fmt_measure(row["measure"]), "other_name": names.get(other, other),
              "region": region_names.region(regions.get(row.get("medins_code") or "")) or "地区码未填",
              "other_region": region_names.region(regions.get(other)) or "地区码未填",
              "window": cfg.m(model).get("window_days", ""),
              "drug_name": drugs.get(row.get("med_list_codg") or "", row.get("med_list_codg") or "")}
    return template.format(**values)


def _fmt_measure(v) -> str:
    if v is None:
        return ""
    d = _dec(v).normalize()
    return f"{d:f}"


def ensure_schema(archive) -> None:
    for stmt in SCHEMA:
        archive._exec(stmt)
    archive.commit()


def run_models(archive, *, period_from: Optional[dt.date] = None, period_to: Optional[dt.date] = None,
               cfg: Optional[ModelConfig] = None, models: tuple[str, ...] = MODELS,
               analyze: bool | str = True) -> ModelRun:
    """Run the models over the archive and store the run with its hits (one transaction). On PostgreSQL
    first ``ANALYZE`` what is stale (``analyze=True``: tables and partitions never analyzed or whose rows
    changed by a tenth, ``CaseTables.stale_statistics``), every archive table (``"all"``), or nothing
    (``False``)."""
    cfg = cfg or load_config()
    if period_from and period_to and period_from > period_to:
        raise InputError(f"起始日期晚于结束日期 / --from {period_from} is after --to {period_to}")
    lo = day_number(period_from) if period_from else NO_LOWER
    hi = day_number(period_to) if period_to else NO_UPPER
    ensure_schema(archive)
    if archive.postgres and analyze:
        # intake ANALYZEs what went stale after each batch; what is still stale (an older archive, an
        # intake killed before its batch ended) is analyzed here, or every table when ``analyze="all"``
        if analyze == "all":
            for t in case_table_names():
                archive._exec(f"ANALYZE archive_{t}")
        else:
            archive.cases.analyze_stale()
        archive.commit()
    institutions = archive.cases.institutions()
    names = {r["medins_code"]: r["medins_name"] or r["medins_code"] for r in institutions}
    regions = {r["medins_code"]: r["region_code"] for r in institutions if r["region_code"]}
    drugs = {d.med_list_codg: d.name for d in cfg.key_drugs}
    run_id, created = uuid7(), utc_now()
    hits: list[ModelHit] = []
    seconds: dict[str, float] = {}
    try:
        for model in models:
            t0 = time.perf_counter()
            rows = run_statement(archive, model, cfg, lo, hi)
            seconds[model] = round(time.perf_counter() - t0, 3)
            for r in rows:
                hits.append(ModelHit(model, clue_id(model, r["hit_key"], r["medins_code"], r["case_id"]),
                                     r["medins_code"], r["case_id"], r["hit_key"], r["psn_no"], r["mdtrt_id"],
                                     r["med_list_codg"], _date(r["start_day"]), _date(r["end_day"]),
                                     _dec(r["amount"]) or Decimal("0.0000"), _dec(r["measure"]),
                                     _describe(cfg, model, r, names, drugs, regions)))
        hits.sort(key=lambda h: (h.model, h.medins_code, h.case_id, h.hit_key))
        stats = {"seconds": seconds, "hits": {m: sum(1 for h in hits if h.model == m) for m in models},
                 "thresholds": {m: {k: v for k, v in cfg.m(m).items() if isinstance(v, (int, float))} for m in models}}
        archive._exec("INSERT INTO model_runs VALUES (?,?,?,?,?,?,?)",
                      (run_id, created, cfg.sha256, cfg.key_drugs_sha256,
                       period_from.isoformat() if period_from else None, period_to.isoformat() if period_to else None,
                       json.dumps(stats, ensure_ascii=False, sort_keys=True)))
        rows = [(run_id, h.model, h.clue_id, h.medins_code, h.case_id, h.hit_key, h.psn_no, h.mdtrt_id,
                 h.med_list_codg, h.period_start.isoformat() if h.period_start else None,
                 h.period_end.isoformat() if h.period_end else None,
                 h.amount if archive.postgres else str(h.amount),
                 (h.measure if archive.postgres else (None if h.measure is None else str(h.measure))),
                 h.description) for h in hits]
        if rows:
            archive.conn.cursor().executemany(archive._sql(
                "INSERT INTO model_hits VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"), rows)
        archive.commit()
    except BaseException:
        archive.rollback()
        raise
    return ModelRun(run_id, created, period_from, period_to, seconds, hits)


def write_clue_csv(run: ModelRun, out: Path, cfg: Optional[ModelConfig] = None,
                   names: Optional[dict[str, str]] = None, *, bureau_keys=None) -> Path:
    """The run's cross-institution clue list: the clue-list columns of ``casework/clues.py`` first, then the
    model, the institution and case, and the key; UTF-8 with BOM. With ``bureau_keys``, ``OUT.minisig``
    beside it: a minisign signature by the bureau's signing key over exactly these bytes, trusted comment
    ``feijian-model-run/1 run=… rows=…`` (``domain/clue_list_format.py``). The lists a case imports are the
    per-institution ones (``sync/clue_lists.py``)."""
    from feijian.crypto import minisign
    from feijian.domain.clue_list_format import SIGNATURE_SUFFIX, run_list_comment

    cfg = cfg or load_config()
    names = names or {}
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    for h in run.hits:
        w.writerow([h.clue_id, f"{h.model} {cfg.m(h.model)['name']}", h.psn_no or "", h.mdtrt_id or "",
                    h.med_list_codg or "", h.period_start or "", h.period_end or "", h.description,
                    f"{h.amount.quantize(Decimal('0.01'))}", h.model, h.medins_code,
                    names.get(h.medins_code, ""), h.case_id, h.hit_key])
    data = buf.getvalue().encode("utf-8-sig")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    files = [(out, data)]
    if bureau_keys is not None:
        key_id = bureau_keys.public().key_id
        sig = minisign.sign(data, bureau_keys.signing_key, bytes.fromhex(key_id),
                            run_list_comment(run.run_id, len(run.hits)),
                            untrusted_comment="feijian bureau model run, all institutions")
        files.append((out.with_name(out.name + SIGNATURE_SUFFIX), sig.encode("ascii")))
    for path, content in files:
        tmp = path.with_name(path.name + ".part")
        try:
            tmp.write_bytes(content)
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return out
