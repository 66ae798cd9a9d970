"""What the pages show, read from an open case through the library: hits with their review status and
visit context, figures for the overview. Thin glue over store and casework; no state of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Optional

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


def visit_context(store) -> pd.DataFrame:
    """mdtrt_id -> department, doctor, patient name (for the hits table's filters)."""
    cols = ["mdtrt_id", "adm_dept_name", "adm_dept_codg", "atddr_no", "psn_name", "begntime"]
    try:
        table = store.read_table("visits")
    except Exception:  # a store without visits yet
        table = None
    if table is None:
        return pd.DataFrame(columns=cols)
    present = [c for c in cols if c in table.column_names]
    return table.select(present).to_pandas()


def hits_frame(store, visits: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """The latest run's hits with rule name, department, doctor, status and reason."""
    hits = store.hits()
    if hits is None or len(hits) == 0:
        return pd.DataFrame(columns=["hit_id", "rule_code", "rule", "mdtrt_id", "date", "day", "amount", "detail",
                                     "dept", "doctor", "status", "reason"])
    hits = hits.copy()
    cat = rule_catalogue()
    names = {code: rule_name(code, cat) for code in hits["rule_code"].unique()}
    hits["rule"] = hits["rule_code"].map(names)
    if visits is None:
        visits = visit_context(store)
    if len(visits):
        v = visits.drop_duplicates("mdtrt_id").set_index("mdtrt_id")
        dept = v["adm_dept_name"] if "adm_dept_name" in v else v.get("adm_dept_codg")
        doctor = v["atddr_no"] if "atddr_no" in v else None
        hits["dept"] = hits["mdtrt_id"].map(dept) if dept is not None else ""
        hits["doctor"] = hits["mdtrt_id"].map(doctor) if doctor is not None else ""
    else:
        hits["dept"] = ""
        hits["doctor"] = ""
    if "subject" in hits:  # statistical grains name their department/doctor in `subject`
        hits["dept"] = hits["dept"].where(hits["dept"].notna() & (hits["dept"] != ""), hits["subject"])
    hits["day"] = hit_dates(hits, visits=visits)
    apply_reviews(hits, reviews(store))
    return hits


def apply_reviews(hits: pd.DataFrame, review: dict[str, tuple[str, str]]) -> None:
    status = np.full(len(hits), "open", dtype=object)
    reason = np.full(len(hits), "", dtype=object)
    if review:
        pos = pd.Index(hits["hit_id"]).get_indexer(list(review))
        for p, (s, r) in zip(pos, review.values()):
            if p >= 0:
                status[p] = s
                reason[p] = r
    hits["status"] = status
    hits["reason"] = reason


def money_sum(values) -> Decimal:
    total = Decimal("0")
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
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
        amounts = hits["amount"].map(lambda v: float(v) if v is not None and v == v else 0.0)
        fig.total_amount = money_sum(hits["amount"])
        status = hits["status"]
        fig.open = int((status == "open").sum())
        fig.confirmed = int((status == "confirmed").sum())
        fig.dismissed = int((status == "dismissed").sum())
        fig.confirmed_amount = money_sum(hits.loc[status == "confirmed", "amount"])
        frame = pd.DataFrame({"rule": hits["rule"], "dept": hits["dept"].fillna("（未知）").replace("", "（未知）"),
                              "amount": amounts, "date": hit_dates(hits, store)})
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
