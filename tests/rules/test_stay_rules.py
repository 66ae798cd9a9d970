"""Stay rules R11, R12, R20 (visit grain, clues with amount 0)."""


from rule_tables import case, fee, kb, keys, run, visit


def _dx(m, code, t="1"):
    return {"mdtrt_id": m, "diag_type": t, "diag_code": code}


def test_r11_readmission_30_vs_31_days_and_diagnosis():
    vs = [visit("A1", "2024-01-01 09:00", "2024-01-10 10:00"),
          visit("A2", "2024-02-09 09:00", "2024-02-12 10:00"),   # 30 days after 01-10
          visit("B1", "2024-01-01 09:00", "2024-01-10 10:00", psn_no="P2"),
          visit("B2", "2024-02-10 09:00", "2024-02-12 10:00", psn_no="P2"),  # 31 days
          visit("C1", "2024-01-01 09:00", "2024-01-10 10:00", psn_no="P3"),
          visit("C2", "2024-01-15 09:00", "2024-01-20 10:00", psn_no="P3"),   # other diagnosis
          visit("C3", "2024-01-12 09:00", None, med_type="11", psn_no="P3")]
    dx = [_dx("A1", "J18.9"), _dx("A2", "J18.0"), _dx("B1", "J18.9"), _dx("B2", "J18.0"),
          _dx("C1", "J18.9"), _dx("C2", "K35.8"), _dx("C2", "J18.1", "2")]
    r = run(case([], vs, diagnoses=dx), rules=["R11"])
    assert keys(r, "mdtrt_id") == [("A2",)]
    assert r.hits["amount"][0] == 0
    r2 = run(case([], vs, diagnoses=dx), kb(thresholds={"readmit_days": 31}), rules=["R11"])
    assert keys(r2, "mdtrt_id") == [("A2",), ("B2",)]


def test_r11_previous_stay_is_most_recently_admitted():
    vs = [visit("A1", "2024-01-01 09:00", "2024-01-05"), visit("A2", "2024-01-20 09:00", "2024-01-25"),
          visit("A3", "2024-02-10 09:00", "2024-02-12")]
    dx = [_dx("A1", "J18.9"), _dx("A2", "K35.8"), _dx("A3", "J18.1")]
    assert keys(run(case([], vs, diagnoses=dx), rules=["R11"]), "mdtrt_id") == []


def test_r12_idle_bed_run_strictly_inside_stay():
    items = [{"med_list_codg": "B", "category": "bed"}, {"med_list_codg": "N", "category": "nursing"},
             {"med_list_codg": "T", "category": "lab"}]
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-06 10:00"),   # inside: 02..05
          visit("V2", "2024-03-01 09:00", "2024-03-06 10:00", psn_no="P2"),
          visit("V3", "2024-03-01 09:00", "2024-03-06 10:00", psn_no="P3")]
    fees = [fee("V1", "1", "T", "2024-03-01 10:00", 1, 5), fee("V1", "2", "B", "2024-03-02 10:00", 1, 5),
            fee("V1", "3", "N", "2024-03-03 10:00", 1, 5), fee("V1", "4", "T", "2024-03-05 10:00", 1, 5),
            # V1: 02, 03, 04 idle (04 no lines) -> run of 3
            fee("V2", "1", "T", "2024-03-03 10:00", 1, 5),          # V2: 02 | 04, 05: longest run 2
            fee("V3", "1", "T", "2024-03-03 10:00", 1, 5),
            fee("V3", "r", "T", "2024-03-03 11:00", -1, 5, init_feedetl_sn="1"),  # fully refunded: 03 idle
            fee("V3", "2", "X", "2024-03-04 10:00", 1, 5)]          # item not in kb: a treatment day
    r = run(case(fees, vs), kb(items), rules=["R12"])
    assert keys(r, "mdtrt_id") == [("V1",)]
    r2 = run(case(fees, vs), kb(items, thresholds={"idle_bed_days": 2}), rules=["R12"])
    assert keys(r2, "mdtrt_id") == [("V1",), ("V2",), ("V3",)]


def test_r20_overlapping_stays():
    vs = [visit("A1", "2024-01-01 09:00", "2024-01-10 10:00"),
          visit("A2", "2024-01-10 08:00", "2024-01-15 10:00"),   # starts on A1's discharge date: no overlap
          visit("A3", "2024-01-14 08:00", "2024-01-20 10:00"),   # overlaps A2
          visit("B1", "2024-01-01 09:00", "2024-01-01 18:00", psn_no="P2"),   # stay length 1: [01, 02)
          visit("B2", "2024-01-01 20:00", "2024-01-03 10:00", psn_no="P2"),   # admitted the same day
          visit("C1", "2024-01-05 09:00", "2024-01-30", psn_no="P3"),
          visit("C0", "2024-01-05 09:00", "2024-01-06", psn_no="P3")]   # same begntime: C0 < C1 by id
    r = run(case([], vs), rules=["R20"])
    assert keys(r, "mdtrt_id") == [("A3",), ("B2",), ("C1",)]
