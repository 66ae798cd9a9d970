"""Reproducible samples (病历抽查 / 双随机) of encounters or fee lines, and their review results.

The frame is the population sorted by a stable key (``mdtrt_id``, then ``feedetl_sn`` for lines), so the same
data give the same frame on any machine. Selection uses numpy's PCG64 generator seeded with the user's seed
(stratum streams are spawned from it with ``SeedSequence``); money is handled in integer fen. A draw is
recorded as a ``sample.drawn`` event with the seed, algorithm, numpy version, population size, total and
SHA-256 hash, the strata and the selected unit ids — the ids too, because numpy promises the same stream
only for the same build (audit-tools research §3.4). Methods:

- ``srs``: simple random sampling without replacement;
- ``systematic``: interval N/n from a random start;
- ``stratified``: strata by department or amount band, proportional (or equal) allocation, SRS in each;
- ``mus``: monetary-unit sampling, PPS systematic over the cumulative amount (units larger than the interval
  are certain to be selected; a unit hit several times is reviewed once and its ``hits`` recorded).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from feijian.casework.changes import Change, PendingWrites, commit
from feijian.casework.extrapolation import DEFAULT_CONFIDENCE, Estimate, _interval, mean_per_unit, ratio, difference, stratified
from feijian.domain.errors import InputError
from feijian.domain.events import uuid7

SAMPLE_DRAWN = "sample.drawn"  # [sample]: everything needed to re-perform the draw
SAMPLE_RESULT = "sample.result"  # writes (sample_unit, "<sample_id>/<unit_id>", result)

METHODS = ("srs", "systematic", "stratified", "mus")
METHOD_ZH = {"srs": "简单随机抽样", "systematic": "系统抽样", "stratified": "分层随机抽样", "mus": "货币单位抽样"}
UNITS = ("encounter", "line")
UNIT_ZH = {"encounter": "就诊（病历）", "line": "费用明细"}
ALGORITHM = "numpy.random.Generator(PCG64); population sorted by unit key; amounts in fen"
def _default_bands() -> tuple[float, ...]:
    import tomllib

    from feijian.paths import resource

    data = tomllib.loads(resource("casework", "sampling.toml").read_text(encoding="utf-8"))
    return tuple(float(b) for b in data["amount_bands"])


DEFAULT_BANDS = _default_bands()  # yuan: lower edges of the amount bands (resources/casework/sampling.toml)
UNSET = "（未填）"


@dataclass(frozen=True)
class Sample:
    sample_id: str
    unit: str
    method: str
    seed: int
    requested: int
    algorithm: str
    numpy_version: str
    population_size: int
    population_total: str  # yuan, decimal string
    population_hash: str
    selected: tuple[str, ...]  # unit ids in frame order
    strata: tuple[dict, ...] = ()  # {name, population_size, population_total, n}
    stratify_by: str = ""
    bands: tuple[float, ...] = ()
    mus_interval: str = ""
    hits: tuple[int, ...] = ()  # MUS: how many sampling points fell in each selected unit
    excluded: int = 0  # MUS: units with zero or negative amounts, outside the MUS frame

    @property
    def ids(self) -> tuple[str, ...]:
        """The selected unit ids (same as ``selected``)."""
        return self.selected

    def to_payload(self) -> dict:
        d = asdict(self)
        d["selected"] = list(self.selected)
        d["strata"] = [dict(s) for s in self.strata]
        d["bands"] = list(self.bands)
        d["hits"] = list(self.hits)
        return d

    @classmethod
    def from_payload(cls, d: Mapping[str, Any]) -> "Sample":
        return cls(**{
            **d, "selected": tuple(d["selected"]), "strata": tuple(d.get("strata") or ()),
            "bands": tuple(d.get("bands") or ()), "hits": tuple(d.get("hits") or ()),
        })


# --------------------------------------------------------------------------- frames
def _strings(table, name: str) -> np.ndarray:
    """A column as an object array of str ("" for null or a missing column)."""
    if table is None or name not in table.column_names:
        return np.full(0 if table is None else table.num_rows, "", dtype=object)
    col = pc.cast(table.column(name), pa.string())
    return np.asarray(pc.fill_null(col, "").to_numpy(zero_copy_only=False), dtype=object)


def _fen(table, name: str) -> np.ndarray:
    """Money column in integer fen (half away from zero), vectorised; null → 0."""
    if table is None or name not in table.column_names:
        return np.zeros(0 if table is None else table.num_rows, dtype=np.int64)
    col = table.column(name)
    try:
        values = pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise InputError(f"金额列 {name} 含非数字 / the amount column {name} holds non-numbers") from None
    values = np.nan_to_num(values.astype(np.float64), nan=0.0) * 100.0
    return (np.sign(values) * np.floor(np.abs(values) + 0.5)).astype(np.int64)


def build_frame(fees, visits=None, *, unit: str = "encounter") -> pd.DataFrame:
    """The sampling frame from Arrow tables: columns ``unit_id, mdtrt_id, feedetl_sn, department, doctor,
    amount_fen``, sorted by the unit key. An encounter's amount is the net sum of its fee lines."""
    if unit not in UNITS:
        raise InputError(f"抽样单位须为 encounter 或 line / the unit must be encounter or line: {unit!r}")
    if fees is None or fees.num_rows == 0:
        raise InputError("案件没有费用明细，无法抽样 / the case has no fee lines to sample")
    lines = pd.DataFrame({
        "mdtrt_id": _strings(fees, "mdtrt_id"),
        "feedetl_sn": _strings(fees, "feedetl_sn"),
        "department": _strings(fees, "bilg_dept_codg"),
        "doctor": _strings(fees, "bilg_dr_codg"),
        "amount_fen": _fen(fees, "det_item_fee_sumamt"),
    })
    if unit == "line":
        frame = lines.sort_values(["mdtrt_id", "feedetl_sn"], kind="mergesort").reset_index(drop=True)
        frame.insert(0, "unit_id", frame["mdtrt_id"] + "|" + frame["feedetl_sn"])
        return frame
    enc = lines.groupby("mdtrt_id", sort=True).agg(amount_fen=("amount_fen", "sum"), department=("department", "first"),
                                                    doctor=("doctor", "first")).reset_index()
    if visits is not None and visits.num_rows:
        v = pd.DataFrame({
            "mdtrt_id": _strings(visits, "mdtrt_id"),
            "v_department": _strings(visits, "adm_dept_codg"),
            "v_doctor": _strings(visits, "atddr_no"),
        })
        enc = v.merge(enc, on="mdtrt_id", how="outer")  # encounters without fees are units of amount 0
        enc["amount_fen"] = enc["amount_fen"].fillna(0).astype(np.int64)
        enc["department"] = enc["v_department"].where(enc["v_department"].fillna("") != "", enc["department"]).fillna("")
        enc["doctor"] = enc["v_doctor"].where(enc["v_doctor"].fillna("") != "", enc["doctor"]).fillna("")
        enc = enc.drop(columns=["v_department", "v_doctor"])
    enc = enc.sort_values("mdtrt_id", kind="mergesort").reset_index(drop=True)
    enc.insert(0, "unit_id", enc["mdtrt_id"])
    enc["feedetl_sn"] = ""
    return enc[["unit_id", "mdtrt_id", "feedetl_sn", "department", "doctor", "amount_fen"]]


def store_frame(store, unit: str = "encounter") -> pd.DataFrame:
    return build_frame(store.read_table("fees"), store.read_table("visits"), unit=unit)


def frame_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of the frame as text: one ``unit_id<TAB>amount in fen<LF>`` line per unit, in frame order."""
    h = hashlib.sha256()
    step = 1_000_000
    for i in range(0, len(frame), step):
        part = frame.iloc[i: i + step]
        text = (part["unit_id"].astype(str) + "\t" + part["amount_fen"].astype(np.int64).astype(str) + "\n").str.cat()
        h.update(text.encode("utf-8"))
    return h.hexdigest()


def yuan(fen: int) -> str:
    return str((Decimal(int(fen)) / 100).quantize(Decimal("0.01")))


def band_labels(frame: pd.DataFrame, bands: Sequence[float]) -> pd.Series:
    edges = sorted(float(b) for b in bands)
    if not edges:
        raise InputError("金额分层须给出边界 / amount bands need edges")
    yuan_amounts = frame["amount_fen"].to_numpy() / 100.0
    idx = np.searchsorted(np.asarray(edges), yuan_amounts, side="right") - 1
    labels = []
    for i in idx:
        if i < 0:
            labels.append(f"<{edges[0]:g}")
        elif i == len(edges) - 1:
            labels.append(f"≥{edges[-1]:g}")
        else:
            labels.append(f"{edges[i]:g}–{edges[i + 1]:g}")
    return pd.Series(labels, index=frame.index)


def strata_of(frame: pd.DataFrame, stratify_by: str, bands: Sequence[float] = DEFAULT_BANDS) -> pd.Series:
    if stratify_by == "department":
        return frame["department"].fillna("").replace("", UNSET)
    if stratify_by == "amount":
        return band_labels(frame, bands)
    raise InputError(f"分层依据须为 department 或 amount / stratify by department or amount: {stratify_by!r}")


# --------------------------------------------------------------------------- selection
def _check_n(n: int, N: int) -> None:
    if n < 1:
        raise InputError("样本量须为正整数 / the sample size must be a positive number")
    if n > N:
        raise InputError(f"样本量 {n} 超过总体 {N} / the sample size {n} exceeds the population {N}")


def _srs(rng: np.random.Generator, N: int, n: int) -> np.ndarray:
    return np.sort(rng.choice(N, size=n, replace=False))


def _allocate(sizes: Sequence[int], n: int, allocation: str) -> list[int]:
    L = len(sizes)
    N = sum(sizes)
    if allocation == "equal":
        base = [min(s, n // L) for s in sizes]
        rest = n - sum(base)
        for i in range(L):
            if rest <= 0:
                break
            extra = min(sizes[i] - base[i], rest)
            base[i] += extra
            rest -= extra
        return base
    if allocation != "proportional":
        raise InputError(f"分配方式须为 proportional 或 equal / allocation must be proportional or equal: {allocation!r}")
    quotas = [n * s / N for s in sizes]
    # every stratum gets two units when n allows (so that its variance can be estimated), else one
    floor_n = 2 if n >= 2 * L else (1 if n >= L else 0)
    base = [min(s, floor_n) for s in sizes]
    alloc = [max(b, min(s, int(math.floor(q)))) for b, s, q in zip(base, sizes, quotas)]
    while sum(alloc) < n:  # largest shortfall first (ties: first stratum)
        i = max((j for j in range(L) if alloc[j] < sizes[j]), key=lambda j: (quotas[j] - alloc[j], -j))
        alloc[i] += 1
    while sum(alloc) > n:  # the minimum overshot: take from the most over-allocated
        i = min((j for j in range(L) if alloc[j] > base[j]), key=lambda j: (quotas[j] - alloc[j], j))
        alloc[i] -= 1
    return alloc


def draw(frame: pd.DataFrame, method: str, n: int, seed: int, *, unit: str = "encounter", stratify_by: str = "department",
         bands: Sequence[float] = DEFAULT_BANDS, allocation: str = "proportional", sample_id: str | None = None) -> Sample:
    """Draw a sample from ``frame`` (see :func:`build_frame`). Same frame, method, n and seed → same sample."""
    if method not in METHODS:
        raise InputError(f"抽样方法须为 {'/'.join(METHODS)} / unknown sampling method: {method!r}")
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        raise InputError(f"随机种子须为整数 / the seed must be a whole number: {seed!r}") from None
    if seed < 0:
        raise InputError("随机种子须为非负整数 / the seed must not be negative")
    n = int(n)
    N = len(frame)
    common = dict(
        sample_id=sample_id or uuid7(), unit=unit, method=method, seed=seed, requested=n, algorithm=ALGORITHM,
        numpy_version=np.__version__, population_size=N, population_total=yuan(int(frame["amount_fen"].sum())),
        population_hash=frame_hash(frame),
    )
    ids = frame["unit_id"].to_numpy()
    rng = np.random.Generator(np.random.PCG64(seed))
    if method == "srs":
        _check_n(n, N)
        return Sample(**common, selected=tuple(ids[_srs(rng, N, n)]))
    if method == "systematic":
        _check_n(n, N)
        k = N / n
        start = rng.random() * k
        idx = np.floor(start + k * np.arange(n)).astype(np.int64)
        return Sample(**common, selected=tuple(ids[np.minimum(idx, N - 1)]))
    if method == "stratified":
        _check_n(n, N)
        labels = strata_of(frame, stratify_by, bands)
        groups = pd.Series(np.arange(N), index=labels.to_numpy()).groupby(level=0, sort=True).indices
        names = sorted(groups)
        positions = [np.sort(np.asarray(groups[name], dtype=np.int64)) for name in names]
        alloc = _allocate([len(p) for p in positions], n, allocation)
        streams = np.random.SeedSequence(seed).spawn(len(names))
        chosen, strata = [], []
        for name, pos, n_h, ss in zip(names, positions, alloc, streams):
            sel = pos[_srs(np.random.Generator(np.random.PCG64(ss)), len(pos), n_h)] if n_h else np.array([], dtype=np.int64)
            chosen.append(sel)
            strata.append({"name": name, "population_size": int(len(pos)),
                           "population_total": yuan(int(frame["amount_fen"].to_numpy()[pos].sum())), "n": int(n_h)})
        idx = np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=np.int64)
        return Sample(**common, selected=tuple(ids[idx]), strata=tuple(strata), stratify_by=stratify_by,
                      bands=tuple(float(b) for b in bands) if stratify_by == "amount" else ())
    # MUS
    fen = frame["amount_fen"].to_numpy()
    pos = np.flatnonzero(fen > 0)
    total = int(fen[pos].sum())
    if total <= 0:
        raise InputError("总体金额为零，无法货币单位抽样 / the population has no positive amounts for MUS")
    if n < 1:
        raise InputError("样本量须为正整数 / the sample size must be a positive number")
    interval = total / n
    start = rng.random() * interval
    points = start + interval * np.arange(n)
    cum = np.cumsum(fen[pos])
    which = np.searchsorted(cum, points, side="right")
    which = np.minimum(which, len(pos) - 1)
    uniq, counts = np.unique(which, return_counts=True)
    return Sample(**{**common, "population_size": int(len(pos)), "population_total": yuan(total)},
                  selected=tuple(ids[pos[uniq]]), mus_interval=str(Decimal(interval / 100).quantize(Decimal("0.01"))),
                  hits=tuple(int(c) for c in counts), excluded=int(N - len(pos)))


# --------------------------------------------------------------------------- the case's samples
def draw_sample(store, method: str, n: int, seed: int, *, unit: str = "encounter", **options) -> Sample:
    """Draw from the case's data and record the draw as a ``sample.drawn`` event."""
    sample = draw(store_frame(store, unit), method, n, seed, unit=unit, **options)
    store.append_event(SAMPLE_DRAWN, {"sample": sample.to_payload()})
    return sample


def samples(store) -> list[Sample]:
    return [Sample.from_payload(e.payload["sample"]) for e in store.events() if e.type == SAMPLE_DRAWN]


def get_sample(store, sample_id: str) -> Sample:
    for s in samples(store):
        if s.sample_id == sample_id:
            return s
    raise InputError(f"没有这个样本 / no such sample: {sample_id}")


def reperform(store, sample: Sample) -> tuple[bool, str]:
    """Re-perform a recorded draw on the case's data: ``(True, "")`` when the frame hash and the selection
    match, else ``(False, reason)``."""
    frame = store_frame(store, sample.unit)
    if frame_hash(frame) != sample.population_hash:
        return False, "总体已变化（哈希不符） / the population changed (hash differs)"
    again = draw(frame, sample.method, sample.requested, sample.seed, unit=sample.unit,
                 stratify_by=sample.stratify_by or "department", bands=sample.bands or DEFAULT_BANDS,
                 sample_id=sample.sample_id)
    if again.selected != sample.selected:
        return False, "同一种子未能重现样本 / the seed does not reproduce the selection"
    return True, ""


def sample_sheet(store, sample: Sample) -> pd.DataFrame:
    """The sample sheet (抽样清单): one row per selected unit with its key, department, doctor, amount,
    stratum, MUS hits and review result."""
    frame = store_frame(store, sample.unit).set_index("unit_id")
    missing = [u for u in sample.selected if u not in frame.index]
    rows = frame.loc[[u for u in sample.selected if u in frame.index]].reset_index()
    out = pd.DataFrame({
        "序号": range(1, len(rows) + 1),
        "unit_id": rows["unit_id"],
        "mdtrt_id": rows["mdtrt_id"],
        "feedetl_sn": rows["feedetl_sn"],
        "department": rows["department"],
        "doctor": rows["doctor"],
        "amount": [yuan(f) for f in rows["amount_fen"]],
    })
    if sample.method == "stratified":
        labels = strata_of(rows.rename(columns={}), sample.stratify_by, sample.bands or DEFAULT_BANDS)
        out["stratum"] = list(labels)
    if sample.method == "mus":
        out["hits"] = list(sample.hits)[: len(out)]
    results = sample_results(store, sample.sample_id)
    out["audited"] = [results.get(u, {}).get("audited", "") for u in out["unit_id"]]
    out["overpayment"] = [results.get(u, {}).get("overpayment", "") for u in out["unit_id"]]
    out["note"] = [results.get(u, {}).get("note", "") for u in out["unit_id"]]
    if missing:
        raise InputError(f"样本中有 {len(missing)} 个单位已不在案件数据中 / {len(missing)} sampled units are gone from the data")
    return out


# --------------------------------------------------------------------------- review results and extrapolation
def record_result(store, sample_id: str, unit_id: str, audited: Any, note: str = "") -> Change:
    """Record the review of one sampled unit: its audited (correct) amount; the overpayment is the unit's
    book amount minus the audited amount."""
    from feijian.casework.findings import money_str, to_decimal

    sample = get_sample(store, sample_id)
    if unit_id not in sample.selected:
        raise InputError(f"该单位不在样本中 / the unit is not in the sample: {unit_id}")
    frame = store_frame(store, sample.unit).set_index("unit_id")
    book = Decimal(int(frame.at[unit_id, "amount_fen"])) / 100
    audited_d = to_decimal(audited, "核定金额 / audited amount")
    pending = PendingWrites(store.state())
    pending.set("sample_unit", f"{sample_id}/{unit_id}", "result", {
        "book": money_str(book), "audited": money_str(audited_d), "overpayment": money_str(book - audited_d),
        "note": note or "",
    })
    return commit(store, SAMPLE_RESULT, pending.changed(), {"sample_id": sample_id}, f"样本核查结果 / sample result {unit_id}")


def sample_results(store, sample_id: str) -> dict[str, dict]:
    prefix = f"{sample_id}/"
    return {k[len(prefix):]: v.get("result") or {} for k, v in store.state().entities("sample_unit").items()
            if k.startswith(prefix) and v.get("result")}


def extrapolate(store, sample_id: str, *, estimator: str = "mean-per-unit", confidence: float = DEFAULT_CONFIDENCE) -> Estimate:
    """Extrapolate a fully reviewed sample's overpayment to its population. Stratified samples use the
    stratified estimator, MUS samples the PPS (Hansen–Hurwitz) estimator on the tainting of each sampling
    point; otherwise ``estimator`` is ``mean-per-unit``, ``difference`` or ``ratio``."""
    sample = get_sample(store, sample_id)
    results = sample_results(store, sample_id)
    missing = [u for u in sample.selected if u not in results]
    if missing:
        raise InputError(f"还有 {len(missing)} 个样本单位未核查 / {len(missing)} sampled units are not reviewed yet")
    over = [float(results[u]["overpayment"]) for u in sample.selected]
    book = [float(results[u]["book"]) for u in sample.selected]
    if sample.method == "stratified":
        frame = store_frame(store, sample.unit)
        labels = dict(zip(frame["unit_id"], strata_of(frame, sample.stratify_by, sample.bands or DEFAULT_BANDS)))
        groups: dict[str, list[float]] = {s["name"]: [] for s in sample.strata}
        for u, o in zip(sample.selected, over):
            groups[labels[u]].append(o)
        empty = [s["name"] for s in sample.strata if not s["n"] and s["population_size"]]
        if empty:
            raise InputError(f"这些层没有样本，无法外推到全体：{'、'.join(empty)} / strata without a sample: {', '.join(empty)}")
        return stratified([(s["population_size"], groups[s["name"]]) for s in sample.strata], confidence=confidence)
    if sample.method == "mus":
        taints = []
        for b, o, h in zip(book, over, sample.hits):
            taints += [o / b if b else 0.0] * h
        return pps_taint(taints, float(sample.population_total), sample.population_size, confidence=confidence)
    if estimator == "mean-per-unit":
        return mean_per_unit(over, sample.population_size, confidence=confidence)
    if estimator == "difference":
        return difference(book, [b - o for b, o in zip(book, over)], sample.population_size, confidence=confidence)
    if estimator == "ratio":
        return ratio(over, book, sample.population_size, float(sample.population_total), confidence=confidence)
    raise InputError(f"估计方法须为 mean-per-unit/difference/ratio / unknown estimator: {estimator!r}")


def pps_taint(taints: Sequence[float], population_total: float, population_size: int, *,
              confidence: float = DEFAULT_CONFIDENCE) -> Estimate:
    """Monetary-unit (PPS with replacement) estimate: total = X·mean(taint), SE = X·s/√n."""
    n = len(taints)
    if n < 2:
        raise InputError("样本至少需要 2 个抽样点 / at least 2 sampling points are needed")
    mean = math.fsum(taints) / n
    sd = math.sqrt(math.fsum((t - mean) ** 2 for t in taints) / (n - 1))
    return _interval("mus", population_size, n, population_total * mean, population_total * sd / math.sqrt(n), n - 1, confidence)


def record_results_from_hits(store, sample_id: str, *, overwrite: bool = False) -> int:
    """Fill the sample's review from the hit review: each sampled unit's overpayment is the money of the
    confirmed hits on its fee lines (each line once, at its largest amount); audited = book − overpayment.
    Units already reviewed are kept unless ``overwrite``. The note says the value came from the hit review,
    for the inspector to check against the record. Returns the number of units recorded."""
    from feijian.casework.changes import transaction
    from feijian.casework.findings import line_amounts
    from feijian.casework.review import hit_reviews

    sample = get_sample(store, sample_id)
    confirmed = sorted(h for h, (status, _) in hit_reviews(store.state()).items() if status == "confirmed")
    lines = line_amounts(store.hit_lines(confirmed)) if confirmed else line_amounts(None)
    over: dict[str, Decimal] = {}
    for m, sn, amount in zip(lines["mdtrt_id"], lines["feedetl_sn"], lines["amount"]):
        key = m if sample.unit == "encounter" else f"{m}|{sn}"
        over[key] = over.get(key, Decimal("0")) + amount
    frame = store_frame(store, sample.unit).set_index("unit_id")
    done = set() if overwrite else set(sample_results(store, sample_id))
    n = 0
    with transaction(store):
        for u in sample.selected:
            if u in done:
                continue
            book = Decimal(int(frame.at[u, "amount_fen"])) / 100
            record_result(store, sample_id, u, book - over.get(u, Decimal("0")),
                          note="依据疑点核查结论填写，请对照病历复核 / from the hit review, to be checked")
            n += 1
    return n
