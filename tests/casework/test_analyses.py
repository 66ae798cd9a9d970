"""The inspector's analyses, each held against an independent pandas/numpy computation on hypothesis data
and on the demo hospital's fee lines."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from feijian.casework import analyses as A
from feijian.casework.analysis_benford import benford, chi_square_p, conformity, thresholds
from feijian.casework.analysis_source import load_table, locked_connection
from feijian.domain.errors import InputError

MONEY = pa.decimal128(18, 4)
amounts = st.decimals(min_value=Decimal("-50"), max_value=Decimal("99999"), places=2, allow_nan=False,
                      allow_infinity=False)
rows = st.lists(st.tuples(st.one_of(st.none(), amounts), st.sampled_from(["a", "b", "c", None]),
                          st.integers(0, 40), st.sampled_from(["x", "y"])), min_size=1, max_size=60)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def frame_table(data) -> tuple[pa.Table, pd.DataFrame]:
    t = pa.table({"amt": pa.array([r[0] for r in data], MONEY), "grp": pa.array([r[1] for r in data], pa.string()),
                  "sn": pa.array([f"F{r[2]:04d}" for r in data], pa.string()),
                  "kind": pa.array([r[3] for r in data], pa.string())})
    df = pd.DataFrame({"amt": pd.Series([np.nan if r[0] is None else float(r[0]) for r in data], dtype=float), "grp": [r[1] for r in data],
                       "sn": [f"F{r[2]:04d}" for r in data], "kind": [r[3] for r in data]})
    return t, df


def stat(result, name):
    return dict(zip(result.table.column("statistic").to_pylist(), result.table.column("value").to_pylist()))[name]


@SETTINGS
@given(rows)
def test_field_statistics_agree_with_pandas(data):
    t, df = frame_table(data)
    r = A.field_statistics(locked_connection({"t": t}), "t", "amt")
    s = df["amt"].dropna()
    assert r.summary["rows"] == len(df) and r.summary["count"] == len(s) and r.summary["nulls"] == df["amt"].isna().sum()
    assert r.summary["distinct"] == s.nunique()
    if len(s):
        assert float(r.summary["min"]) == s.min() and float(r.summary["max"]) == s.max()
        assert float(r.summary["sum"]) == pytest.approx(s.sum(), abs=1e-6)
        assert r.summary["mean"] == pytest.approx(s.mean())
        for q in A.QUANTILES:
            assert r.summary[f"p{round(q * 100):02d}"] == pytest.approx(float(np.quantile(s, q)), abs=1e-6)
    counts = df["grp"].value_counts(dropna=False)
    g = A.field_statistics(locked_connection({"t": t}), "t", "grp")
    assert [n for _, n in g.summary["top"]] == sorted(counts.tolist(), reverse=True)[:10]


@SETTINGS
@given(rows, st.lists(st.integers(-20, 5000), min_size=2, max_size=5, unique=True))
def test_stratification_agrees_with_pandas_cut(data, edges):
    edges = sorted(edges)
    t, df = frame_table(data)
    r = A.stratify(locked_connection({"t": t}), "t", "amt", edges)
    bands = pd.cut(df["amt"], bins=edges, right=False)
    got = {row["band"]: row for row in r.table.to_pylist()}
    for i, (lo, hi) in enumerate(zip(edges, edges[1:])):
        last = i == len(edges) - 2
        inside = (df["amt"] >= lo) & ((df["amt"] <= hi) if last else (df["amt"] < hi))
        row = [v for k, v in got.items() if k.startswith(f"[{lo}, {hi}")][0]
        assert row["count"] == inside.sum()
        assert float(row["sum"]) == pytest.approx(df.loc[inside, "amt"].sum(), abs=1e-6)
    assert sum(x["count"] for x in got.values()) == len(df)
    assert len(bands) == len(df)
    below = (df["amt"] < edges[0]).sum()
    assert got.get(f"< {edges[0]}", {"count": 0})["count"] == below
    assert got.get("空值 / null", {"count": 0})["count"] == df["amt"].isna().sum()


@SETTINGS
@given(rows)
def test_gaps_and_key_duplicates_agree_with_a_plain_loop(data):
    t, df = frame_table(data)
    con = locked_connection({"t": t})
    r = A.sequence_gaps(con, "t", "sn", groups=["kind"])
    want = []
    for kind, part in df.groupby("kind"):
        nums = sorted({int(s[1:]) for s in part["sn"]})
        want += [(kind, a, b, b - a - 1) for a, b in zip(nums, nums[1:]) if b - a > 1]
    got = [(x["kind"], int(x["after_number"]), int(x["before_number"]), x["missing"]) for x in r.table.to_pylist()]
    assert got == sorted(want)
    d = A.sequence_duplicates(con, "t", "sn", groups=["kind"])
    counts = df.groupby(["kind", "sn"]).size()
    assert sorted((x["kind"], x["sn"], x["n"]) for x in d.table.to_pylist()) == \
        sorted((k, s, n) for (k, s), n in counts.items() if n > 1)


@SETTINGS
@given(rows)
def test_duplicates_top_n_and_crosstab_agree_with_pandas(data):
    t, df = frame_table(data)
    con = locked_connection({"t": t})
    d = A.duplicates(con, "t", ["grp", "kind"], value="amt")
    sizes = df.groupby(["grp", "kind"], dropna=False).size()
    assert d.summary["groups"] == (sizes > 1).sum() and d.summary["rows_in_groups"] == sizes[sizes > 1].sum()
    top = A.top_n(con, "t", "kind", value="amt", n=1)
    sums = df.groupby("kind")["amt"].sum(min_count=1)
    if sums.notna().any():
        assert top.table.column("kind")[0].as_py() == sums.sort_values(ascending=False, kind="stable").index[0] or \
            sums.max() == sums.min()
    x = A.crosstab(con, "t", "kind", "grp")
    want = pd.crosstab(df["kind"], df["grp"].fillna("(空)"))
    for row in x.table.to_pylist():
        for col in want.columns:
            assert int(row[col]) == want.loc[row["kind"], col]
        assert int(row["合计 / total"]) == want.loc[row["kind"]].sum()


def benford_numpy(values: np.ndarray, digits: int):
    v = np.abs(values[~np.isnan(values)])
    v = v[v >= 10]
    lead = np.floor(v / 10 ** (np.floor(np.log10(v)) - (digits - 1))).astype(int)
    ds = np.arange(1, 10) if digits == 1 else np.arange(10, 100)
    counts = np.array([(lead == d).sum() for d in ds])
    p = np.log10(1 + 1 / ds)
    actual = counts / len(v)
    return counts, np.abs(actual - p).mean(), ((counts - len(v) * p) ** 2 / (len(v) * p)).sum()


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1000, 99_999_999), min_size=5, max_size=300), st.sampled_from([1, 2]))
def test_benford_agrees_with_numpy_logarithms(cents, digits):
    values = np.array(cents) / 100.0
    t = pa.table({"amt": pa.array([Decimal(c) / 100 for c in cents], MONEY)})
    r = benford(locked_connection({"t": t}), "t", "amt", digits=digits)
    counts, mad, chi = benford_numpy(values, digits)
    assert r.table.column("count").to_pylist() == counts.tolist()
    assert r.summary["mad"] == pytest.approx(mad) and r.summary["chi_square"] == pytest.approx(chi)


def test_nigrini_thresholds_and_chi_square_tails():
    th = thresholds()
    assert (th["first"]["close"], th["first"]["acceptable"], th["first"]["marginal"]) == (0.006, 0.012, 0.015)
    assert (th["first_two"]["close"], th["first_two"]["acceptable"], th["first_two"]["marginal"]) == \
        (0.0012, 0.0018, 0.0022)
    assert conformity("first", 0.0059) == "close" and conformity("first", 0.013) == "marginal"
    assert conformity("first_two", 0.0023) == "nonconformity"
    # the 5 % critical values of the chi-square tables: 15.507 (8 df), 112.022 (89 df)
    assert chi_square_p(15.507, 8) == pytest.approx(0.05, abs=1e-4)
    assert chi_square_p(112.022, 89) == pytest.approx(0.05, abs=1e-4)
    assert chi_square_p(20.090, 8) == pytest.approx(0.01, abs=1e-4)


def test_benford_on_exponential_amounts_conforms_and_on_uniform_ones_does_not():
    rng = np.random.default_rng(3)
    good = np.round(np.exp(rng.uniform(np.log(10), np.log(10 ** 7), 20_000)), 2)
    bad = np.round(rng.uniform(10, 99, 20_000), 2)
    con = locked_connection({"g": pa.table({"amt": good}), "b": pa.table({"amt": bad})})
    assert benford(con, "g", "amt").summary["conformity"] in ("close", "acceptable")
    assert benford(con, "b", "amt").summary["conformity"] == "nonconformity"
    assert benford(con, "b", "amt", digits=2).summary["p_value"] < 1e-6


def test_bad_inputs_are_refused_with_a_clear_message():
    con = locked_connection({"t": pa.table({"amt": pa.array([Decimal(1)], MONEY), "s": ["x"]})})
    with pytest.raises(InputError, match="not numeric"):
        A.stratify(con, "t", "s", [0, 1])
    with pytest.raises(InputError, match="increase"):
        A.stratify(con, "t", "amt", [5, 1])
    with pytest.raises(InputError, match="first or first two"):
        benford(con, "t", "amt", digits=3)
    with pytest.raises(InputError, match="at least one field"):
        A.duplicates(con, "t", [])


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from feijian import demodata
    from feijian.casework.importing import import_folder
    from feijian.crypto.identity import create_identity
    from feijian.domain.records import CaseInfo
    from feijian.store.case_store import CaseStore

    mp = pytest.MonkeyPatch()
    mp.setenv("FEIJIAN_KDF_FAST", "1")
    root = tmp_path_factory.mktemp("analysis-demo")
    demodata.generate(root / "data", scale=0.03, seed=7)
    info = CaseInfo(str(uuid.uuid4()), "演示", "H1", "演示医院", "3", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    store = CaseStore.create(root / "d.fjcase", info, create_identity("周检查", "YB-9"))
    import_folder(store, root / "data")
    yield store
    store.close()
    mp.undo()


def test_on_the_demo_every_analysis_agrees_with_pandas(demo_store):
    fees = load_table(demo_store, "fees", ["feedetl_sn", "mdtrt_id", "med_list_codg", "det_item_fee_sumamt",
                                           "bilg_dr_codg", "list_type"])
    df = fees.to_pandas()
    df["amt"] = df["det_item_fee_sumamt"].astype(float)
    con = locked_connection({"fees": fees})
    s = A.field_statistics(con, "fees", "det_item_fee_sumamt").summary
    assert s["count"] == df["amt"].notna().sum() and float(s["sum"]) == pytest.approx(df["amt"].sum(), abs=0.01)
    assert s["p50"] == pytest.approx(df["amt"].median())
    edges = [0, 50, 200, 1000, 10_000]
    strata = {r["band"]: r for r in A.stratify(con, "fees", "det_item_fee_sumamt", edges).table.to_pylist()}
    cut = pd.cut(df["amt"], bins=edges, right=False).value_counts()
    assert strata["[50, 200)"]["count"] == cut[pd.Interval(50, 200, closed="left")]
    top = A.top_n(con, "fees", "bilg_dr_codg", value="det_item_fee_sumamt", n=5).table
    sums = df.groupby("bilg_dr_codg", dropna=False)["amt"].sum().round(2)
    want = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))[:5]  # ties by the value, ascending
    assert [k for k, _ in want] == top.column("bilg_dr_codg").to_pylist()
    assert [float(v) for v in top.column("total").to_pylist()] == pytest.approx([v for _, v in want])
    dup = A.duplicates(con, "fees", ["mdtrt_id", "feedetl_sn"]).summary
    assert dup["groups"] == (df.groupby(["mdtrt_id", "feedetl_sn"]).size() > 1).sum()
    b = benford(con, "fees", "det_item_fee_sumamt", digits=2)
    counts, mad, _ = benford_numpy(df["amt"].to_numpy(), 2)
    assert b.table.column("count").to_pylist() == counts.tolist() and b.summary["mad"] == pytest.approx(mad)
    x = A.crosstab(con, "fees", "list_type", "list_type").table
    assert sum(int(v) for v in x.column("合计 / total").to_pylist()) == len(df)
    gaps = A.sequence_gaps(con, "fees", "feedetl_sn", groups=["mdtrt_id"]).summary
    assert gaps["keys"] == df["feedetl_sn"].notna().sum()
    assert math.isfinite(gaps["missing"])
