"""What the pages show, read from an open case through the library: hits with their review status and
visit context, figures for the overview. Thin glue over store and casework; no state of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

import numpy as np
import pandas as pd

STATUS_LABELS = {"open": "待核查", "confirmed": "已确认", "dismissed": "已排除"}


def rule_catalogue() -> dict:
    try:
        from feijian.rules.catalogue import load_catalogue
    except ImportError:
        return {}
    return load_catalogue()


def rule_name(code: str, catalogue: Optional[dict] = None) -> str:
    meta = (catalogue if catalogue is not None else rule_catalogue()).get(code)
    return f"{code} {meta.name_zh}" if meta is not None else code


def reviews(store) -> dict[str, tuple[str, str]]:
    """hit_id -> (status, reason) for every reviewed hit."""
    state = store.state()
    try:
        from feijian.casework.review import hit_reviews

        return dict(hit_reviews(state))
    except ImportError:
        out = {}
        for hit_id, fields in state.entities("hit").items():
            r = fields.get("review") or {}
            out[hit_id] = (r.get("status", "open"), r.get("reason", ""))
        return out


def stage_of(store) -> tuple[str, str]:
    """(code, label) of the case's stage."""
    try:
        from feijian.casework import stages

        if hasattr(stages, "current_stage"):
            st = stages.current_stage(store)
            return str(st.code), str(getattr(st, "name_zh", "") or st.code)
    except ImportError:
        pass
    value = store.state().get("case", store.info.case_id, "stage") or {}
    code = value.get("stage", "") if isinstance(value, dict) else str(value)
    return code, code or "准备"


VISIT_CONTEXT = ["mdtrt_id", "adm_dept_name", "adm_dept_codg", "atddr_no", "psn_name", "begntime"]


def visit_table(store):
    """mdtrt_id -> department, doctor, patient name, admission as Arrow (None without visits)."""
    try:
        table = store.read_table("visits", columns=VISIT_CONTEXT)
    except Exception:  # a store without visits yet
        table = None
    if table is None:
        return None
    return table.select([c for c in VISIT_CONTEXT if c in table.column_names])


def visit_context(store) -> pd.DataFrame:
    """mdtrt_id -> department, doctor, patient name (for the hits table's filters)."""
    table = visit_table(store)
    return pd.DataFrame(columns=VISIT_CONTEXT) if table is None else table.to_pandas()


HIT_FRAME_COLUMNS = ["hit_id", "rule_code", "rule", "mdtrt_id", "date", "day", "amount", "detail", "dept", "doctor",
                     "status", "reason"]


def _arrow(values, type_=None):
    """A pandas column (or visits' column) as an Arrow array: zero-copy for Arrow-backed columns."""
    import pyarrow as pa

    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.ArrowDtype):
        arr = values.array.__arrow_array__()
    else:
        arr = pa.array(values, from_pandas=True)
    if type_ is not None and arr.type != type_:
        import pyarrow.compute as pc

        arr = pc.cast(arr, type_)
    return arr


def _hits_arrow(store):
    """The latest run's hits as Arrow: the store's columnar accessor when it has one."""
    import pyarrow as pa

    if hasattr(store, "hits_table"):
        return store.hits_table()
    hits = store.hits()
    return None if hits is None or not len(hits) else pa.Table.from_pandas(hits, preserve_index=False)


def _named(values, label) -> "pa.Array":
    """Each value of an Arrow string column through ``label``, computed once per distinct value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    distinct = pc.unique(values)
    labels = pa.array([label(v) if v else v for v in distinct.to_pylist()], pa.string())
    return pc.take(labels, pc.index_in(values, value_set=distinct))


def hits_frame(store, visits=None, names=None) -> pd.DataFrame:
    """The latest run's hits with rule name, department, doctor, day, status and reason.

    Built in Arrow and returned as an Arrow-backed frame (``pd.ArrowDtype``): amounts stay exact
    decimal128 and no column holds a Python object per row (1M hits: tens of ms, not seconds);
    ``status``/``reason`` are categoricals, replaced in place on decisions (:func:`apply_reviews`).
    ``visits``: the visits' context (Arrow or pandas); read from the store when not given. Doctors are shown
    with their names (``D0301014 李秀静``) and a statistical hit's subject as its department and doctor, from
    ``names`` (:func:`feijian.casework.name_directory.name_directory` when not given)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = _hits_arrow(store)
    if table is None or table.num_rows == 0:
        return pd.DataFrame(columns=HIT_FRAME_COLUMNS)
    table = table.replace_schema_metadata(None)
    cat = rule_catalogue()
    codes = pc.unique(table["rule_code"])
    rule_names = pa.array([rule_name(c, cat) if c is not None else "" for c in codes.to_pylist()], pa.string())
    rule = pc.take(rule_names, pc.index_in(table["rule_code"], value_set=codes))
    n = table.num_rows
    if visits is None:
        visits = visit_table(store)
    if isinstance(visits, pd.DataFrame):
        visits = pa.Table.from_pandas(visits, preserve_index=False) if len(visits) else None
    nulls = pa.nulls(n, pa.string())
    dept, doctor, begin = nulls, nulls, None
    if visits is not None and visits.num_rows and "mdtrt_id" in visits.column_names:
        hit_ids = _arrow(table["mdtrt_id"], pa.string())
        if visits.num_rows > 4 * n:  # few hits: keep only their visits before hashing (750k visits, 344 hits)
            visits = visits.filter(pc.is_in(_arrow(visits["mdtrt_id"], pa.string()), value_set=pc.unique(hit_ids)))
        at = pc.index_in(hit_ids, value_set=_arrow(visits["mdtrt_id"], pa.string()))
        vcols = visits.column_names
        dept_col = "adm_dept_name" if "adm_dept_name" in vcols else ("adm_dept_codg" if "adm_dept_codg" in vcols else None)
        if dept_col is not None:
            dept = pc.take(_arrow(visits[dept_col], pa.string()), at)
        if "atddr_no" in vcols:
            doctor = pc.take(_arrow(visits["atddr_no"], pa.string()), at)
        if "begntime" in vcols:
            begin = pc.take(_arrow(visits["begntime"]), at)
    if names is None:
        from feijian.casework.name_directory import name_directory

        names = name_directory(store)
    if "subject" in table.column_names:  # statistical grains name their department/doctor in `subject`
        from feijian.casework.name_directory import subject_names

        subject = _arrow(table["subject"], pa.string())
        has_dept = pc.fill_null(pc.not_equal(dept, ""), False)
        dept = pc.if_else(has_dept, dept, _named(subject, lambda v: subject_names(v, names)[0]))
        has_doctor = pc.fill_null(pc.not_equal(doctor, ""), False)
        doctor = pc.if_else(has_doctor, doctor, _named(subject, lambda v: subject_names(v, names)[1] or None))
    if names.staff:
        doctor = _named(doctor, names.doctor)
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    frame["rule"] = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([rule]) if isinstance(rule, pa.Array) else rule))
    frame["dept"] = pd.Series(pd.arrays.ArrowExtensionArray(_chunked(dept)))
    frame["doctor"] = pd.Series(pd.arrays.ArrowExtensionArray(_chunked(doctor)))
    frame["day"] = _hit_days(table, begin)
    apply_reviews(frame, reviews(store))
    return frame


def _chunked(arr):
    import pyarrow as pa

    return arr if isinstance(arr, pa.ChunkedArray) else pa.chunked_array([arr])


def _hit_days(table, begin) -> np.ndarray:
    """A day per hit (datetime64): its own date, else its period, else its encounter's admission."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = []
    for name in ("date", "period_start"):
        if name in table.column_names:
            parts.append(pc.cast(table[name], pa.timestamp("us"), safe=False))
    if begin is not None:
        if getattr(begin.type, "tz", None):
            begin = pc.local_timestamp(begin)
        parts.append(pc.cast(begin, pa.timestamp("us"), safe=False))
    if not parts:
        return np.full(table.num_rows, np.datetime64("NaT"), dtype="datetime64[us]")
    day = pc.coalesce(*parts) if len(parts) > 1 else parts[0]
    return day.to_numpy(zero_copy_only=False) if isinstance(day, pa.Array) else day.to_numpy()


STATUSES = ("open", "confirmed", "dismissed")


def apply_reviews(hits: pd.DataFrame, review: dict[str, tuple[str, str]]) -> None:
    """Set the ``status`` and ``reason`` columns from the decisions, as categoricals (one byte per hit, no
    Python object per row): a few ms for 1M hits, so it can run after every decision."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(hits)
    status = np.zeros(n, dtype=np.int8)
    reason = np.zeros(n, dtype=np.int32)
    statuses = list(STATUSES)
    reasons = [""]
    if review and n:
        ids = pa.array([str(h) for h in review], pa.string())
        pos = pc.index_in(ids, value_set=_arrow(hits["hit_id"], pa.string())).to_numpy(zero_copy_only=False)
        status_code: dict[str, int] = {s: i for i, s in enumerate(statuses)}
        reason_code: dict[str, int] = {"": 0}
        for p, (s, r) in zip(pos, review.values()):
            if p != p or p is None:  # a decision on a hit of another run
                continue
            s, r = str(s or "open"), str(r or "")
            if s not in status_code:
                status_code[s] = len(statuses)
                statuses.append(s)
            if r not in reason_code:
                reason_code[r] = len(reasons)
                reasons.append(r)
            status[int(p)] = status_code[s]
            reason[int(p)] = reason_code[r]
    hits["status"] = pd.Categorical.from_codes(status, categories=statuses)
    hits["reason"] = pd.Categorical.from_codes(reason, categories=reasons)


def money_sum(values) -> Decimal:
    """The exact sum of money values (Decimals, Arrow decimals, numbers as text); missing ones skipped.
    An Arrow-backed decimal column is summed in Arrow (exact, no Python object per row)."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.ArrowDtype):
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = _arrow(values)
        if pa.types.is_decimal(arr.type):
            total = pc.sum(arr).as_py()
            return Decimal("0") if total is None else Decimal(total)
    total = Decimal("0")
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            continue
        total += v if isinstance(v, Decimal) else Decimal(str(v))
    return total


@dataclass
class CaseFigures:
    stage: str = ""
    stage_label: str = ""
    hits: int = 0
    open: int = 0
    confirmed: int = 0
    dismissed: int = 0
    total_amount: Decimal = Decimal("0")
    confirmed_amount: Decimal = Decimal("0")
    findings: int = 0
    findings_amount: Decimal = Decimal("0")
    evidence: int = 0
    rows: dict = field(default_factory=dict)
    by_rule: list = field(default_factory=list)  # [(label, count, amount)]
    by_dept: list = field(default_factory=list)
    by_month: list = field(default_factory=list)


def hit_dates(hits: pd.DataFrame, store=None, visits: Optional[pd.DataFrame] = None) -> pd.Series:
    """A date per hit for charts: its own date, else its period, else its encounter's admission."""
    date = pd.to_datetime(hits["date"], errors="coerce") if "date" in hits else pd.Series(pd.NaT, index=hits.index)
    if "period_start" in hits:
        date = date.fillna(pd.to_datetime(hits["period_start"], errors="coerce"))
    if date.isna().any() and "mdtrt_id" in hits:
        if visits is None and store is not None:
            visits = visit_context(store)
        if visits is not None and len(visits) and "begntime" in visits:
            begin = visits.drop_duplicates("mdtrt_id").set_index("mdtrt_id")["begntime"]
            date = date.fillna(pd.to_datetime(hits["mdtrt_id"].map(begin), errors="coerce"))
    return date


def findings_of(store) -> list:
    try:
        from feijian.casework.findings import findings
    except ImportError:
        return []
    return [f for f in findings(store)]


def case_figures(store, hits: Optional[pd.DataFrame] = None) -> CaseFigures:
    fig = CaseFigures()
    fig.stage, fig.stage_label = stage_of(store)
    try:
        fig.rows = dict(store.table_row_counts())
    except Exception:
        fig.rows = {}
    if hits is None:
        hits = hits_frame(store)
    fig.hits = len(hits)
    if len(hits):
        from feijian.gui.models.frame_model import money_floats

        amounts = np.nan_to_num(money_floats(hits["amount"]))
        fig.total_amount = money_sum(hits["amount"])
        status = hits["status"]
        fig.open = int((status == "open").sum())
        fig.confirmed = int((status == "confirmed").sum())
        fig.dismissed = int((status == "dismissed").sum())
        fig.confirmed_amount = money_sum(hits.loc[status == "confirmed", "amount"])
        frame = pd.DataFrame({"rule": hits["rule"].to_numpy(dtype=object, na_value=""),
                              "dept": hits["dept"].fillna("（未知）").replace("", "（未知）").to_numpy(dtype=object),
                              "amount": amounts,
                              "date": (hits["day"] if "day" in hits else hit_dates(hits, store)).to_numpy()})
        g = frame.groupby("rule", observed=True)["amount"].agg(["count", "sum"]).sort_values("count", ascending=False)
        fig.by_rule = [(str(k), int(r["count"]), float(r["sum"])) for k, r in g.iterrows()]
        g = frame.groupby("dept", observed=True)["amount"].agg(["count", "sum"]).sort_values("sum", ascending=False)
        fig.by_dept = [(str(k), int(r["count"]), float(r["sum"])) for k, r in g.head(12).iterrows()]
        dated = frame.dropna(subset=["date"])
        if len(dated):
            g = dated.groupby(dated["date"].dt.to_period("M"))["amount"].agg(["count", "sum"]).sort_index()
            fig.by_month = [(str(k), int(r["count"]), float(r["sum"])) for k, r in g.iterrows()]
    fs = [f for f in findings_of(store) if not getattr(f, "deleted", False)]
    fig.findings = len(fs)
    fig.findings_amount = money_sum(f.amount for f in fs)
    try:
        fig.evidence = len(store.evidence_items())
    except Exception:
        fig.evidence = 0
    return fig
