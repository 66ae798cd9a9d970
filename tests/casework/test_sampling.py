"""Sampling: every method reproducible from its seed, recorded as an event, re-performable; extrapolation of
a reviewed sample."""

import pyarrow as pa
import pytest

from feijian.casework import sampling
from feijian.casework.sampling import (SAMPLE_DRAWN, build_frame, draw, draw_sample, extrapolate, record_result,
                                       reperform, sample_sheet, samples)
from feijian.domain.errors import InputError

from memstore import MemoryCaseStore, make_info


def _tables(n_visits=60):
    mdtrt, sn, amt, dept, dr = [], [], [], [], []
    for v in range(n_visits):
        for line in range(1 + v % 4):
            mdtrt.append(f"V{v:04d}")
            sn.append(str(line + 1))
            amt.append(f"{(v * 37 + line * 101) % 900 + 10}.{v % 100:02d}")
            dept.append(["NK", "WK", "FK"][v % 3])
            dr.append(f"D{v % 5}")
    fees = pa.table({"mdtrt_id": mdtrt, "feedetl_sn": sn, "det_item_fee_sumamt": amt,
                     "bilg_dept_codg": dept, "bilg_dr_codg": dr})
    visits = pa.table({"mdtrt_id": [f"V{v:04d}" for v in range(n_visits)],
                       "adm_dept_codg": [["NK", "WK", "FK"][v % 3] for v in range(n_visits)],
                       "atddr_no": [f"D{v % 5}" for v in range(n_visits)]})
    return fees, visits


def _store():
    store = MemoryCaseStore(make_info())
    fees, visits = _tables()
    store.write_table("b1", "fees", fees)
    store.write_table("b1", "visits", visits)
    return store


def test_frame_is_sorted_by_a_stable_key_whatever_the_input_order():
    fees, visits = _tables()
    shuffled = fees.take(list(reversed(range(fees.num_rows))))
    a = build_frame(fees, visits)
    b = build_frame(shuffled, visits)
    assert list(a["unit_id"]) == sorted(a["unit_id"]) and a.equals(b)
    assert sampling.frame_hash(a) == sampling.frame_hash(b)
    lines = build_frame(shuffled, unit="line")
    assert len(lines) == fees.num_rows and list(lines["unit_id"]) == sorted(lines["unit_id"])
    assert a["amount_fen"].sum() == lines["amount_fen"].sum()


@pytest.mark.parametrize("method, kw", [("srs", {}), ("systematic", {}), ("stratified", {"stratify_by": "department"}),
                                        ("stratified", {"stratify_by": "amount", "bands": (0, 500, 1000)}), ("mus", {})])
def test_each_method_is_reproducible_from_its_seed(method, kw):
    fees, visits = _tables()
    frame = build_frame(fees, visits)
    s1 = draw(frame, method, 12, 20260315, **kw)
    s2 = draw(build_frame(fees.take(list(reversed(range(fees.num_rows)))), visits), method, 12, 20260315, **kw)
    assert s1.selected == s2.selected and s1.population_hash == s2.population_hash
    assert len(set(s1.selected)) == len(s1.selected)
    others = {draw(frame, method, 12, seed, **kw).selected for seed in range(1, 6)}
    assert len(others) > 1  # the seed matters
    if method != "mus":
        assert len(s1.selected) == 12
    else:
        assert sum(s1.hits) == 12 and 1 <= len(s1.selected) <= 12


def test_stratified_allocation_is_proportional_with_one_per_stratum():
    frame = build_frame(*_tables())
    s = draw(frame, "stratified", 9, 1, stratify_by="department")
    assert [(x["name"], x["population_size"], x["n"]) for x in s.strata] == [("FK", 20, 3), ("NK", 20, 3), ("WK", 20, 3)]
    assert sum(x["n"] for x in s.strata) == len(s.selected)
    small = draw(frame, "stratified", 4, 1, stratify_by="department")
    assert all(x["n"] >= 1 for x in small.strata) and len(small.selected) == 4


def test_allocation_gives_two_per_stratum_when_it_can():
    assert sampling._allocate([100, 3, 2], 10, "proportional") == [6, 2, 2]
    assert sampling._allocate([100, 3, 1], 10, "proportional") == [7, 2, 1]
    assert sampling._allocate([50, 50, 50], 4, "proportional") == [2, 1, 1]
    assert sampling._allocate([10, 20], 6, "equal") == [3, 3]


def test_systematic_is_evenly_spaced_and_mus_favours_large_amounts():
    frame = build_frame(*_tables())
    s = draw(frame, "systematic", 6, 99)
    pos = [list(frame["unit_id"]).index(u) for u in s.selected]
    assert [b - a for a, b in zip(pos, pos[1:])] == [10] * 5
    big = frame["amount_fen"].max()
    m = draw(frame, "mus", 30, 5)
    top = frame.loc[frame["amount_fen"] >= frame["amount_fen"].sum() / 30, "unit_id"]
    assert set(top) <= set(m.selected)  # units above the interval are certain
    assert big > 0


def test_bad_requests_are_refused():
    frame = build_frame(*_tables())
    with pytest.raises(InputError):
        draw(frame, "srs", 61, 1)
    with pytest.raises(InputError):
        draw(frame, "cluster", 5, 1)
    with pytest.raises(InputError):
        draw(frame, "srs", 5, "abc")
    with pytest.raises(InputError):
        build_frame(None)


def test_draw_is_recorded_and_reperformed_then_extrapolated():
    store = _store()
    s = draw_sample(store, "srs", 10, 42)
    ev = [e for e in store.events() if e.type == SAMPLE_DRAWN]
    assert len(ev) == 1 and ev[0].payload["sample"]["selected"] == list(s.selected)
    assert ev[0].payload["sample"]["seed"] == 42 and ev[0].payload["sample"]["population_hash"] == s.population_hash
    assert samples(store) == [s]
    assert reperform(store, s) == (True, "")
    sheet = sample_sheet(store, s)
    assert list(sheet["unit_id"]) == list(s.selected)
    with pytest.raises(InputError):
        extrapolate(store, s.sample_id)  # not reviewed yet
    for i, u in enumerate(s.selected):
        book = float(sheet.loc[sheet["unit_id"] == u, "amount"].iloc[0])
        record_result(store, s.sample_id, u, book - (20 if i % 2 else 0), note="核查")
    est = extrapolate(store, s.sample_id)
    assert est.point == pytest.approx(60 * (20 * 5 / 10))
    assert est.lower < est.point < est.upper
    with pytest.raises(InputError):
        record_result(store, s.sample_id, "NOT-IN-SAMPLE", 1)
    # the population changes: re-performing says so
    fees, visits = _tables(61)
    store.write_table("b2", "fees", fees)
    store.write_table("b2", "visits", visits)
    ok, why = reperform(store, s)
    assert not ok and "hash" in why


def test_stratified_and_mus_samples_extrapolate():
    store = _store()
    st = draw_sample(store, "stratified", 9, 3, stratify_by="department")
    for u in st.selected:
        record_result(store, st.sample_id, u, 0)  # everything was overpaid
    est = extrapolate(store, st.sample_id)
    assert len(est.strata) == 3 and est.method == "stratified"
    mus = draw_sample(store, "mus", 8, 3)
    for u in mus.selected:
        record_result(store, mus.sample_id, u, 0)
    e2 = extrapolate(store, mus.sample_id)  # every tainting is 100 %: the estimate is the total, exactly
    assert e2.point == pytest.approx(float(mus.population_total)) and e2.standard_error == pytest.approx(0)


def test_results_filled_from_the_hit_review():
    import pandas as pd

    from feijian.casework.review import review_hits
    from feijian.domain.records import ScreeningRun

    store = _store()
    hits = pd.DataFrame({"hit_id": ["a", "b", "c"], "rule_code": ["R01", "R02", "R01"]})
    lines = pd.DataFrame({"hit_id": ["a", "b", "c"], "mdtrt_id": ["V0005", "V0005", "V0007"],
                          "feedetl_sn": ["1", "1", "2"], "amount": ["12.5", "4", "3"]})
    store.save_screening(ScreeningRun("r", "1", "k", (), "", "", ()), hits, lines)
    review_hits(store, ["a", "b"], "confirmed", "核实", catalogue={})
    review_hits(store, ["c"], "dismissed", "合理", catalogue={})
    s = draw(store_frame := sampling.store_frame(store), "srs", 60, 1)  # every encounter
    store.append_event(SAMPLE_DRAWN, {"sample": s.to_payload()})
    assert sampling.record_results_from_hits(store, s.sample_id) == 60
    res = sampling.sample_results(store, s.sample_id)
    assert res["V0005"]["overpayment"] == "12.5000"  # line V0005/1 once, at its largest amount
    assert res["V0007"]["overpayment"] == "0.0000"  # the dismissed hit does not count
    est = extrapolate(store, s.sample_id)
    assert est.point == pytest.approx(12.5) and est.standard_error == pytest.approx(0)  # a census
    assert len(store_frame) == 60
