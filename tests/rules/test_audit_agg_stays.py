"""Audit of R11, R12, R20 (stays) and R16 (traceability codes) against rules.md: which encounter is "the
previous stay", tie-breaks by (begntime, mdtrt_id), dates strictly between A and D, [A, A + stay length),
"smallest line" with strings compared as strings, net lines only."""

from decimal import Decimal

from rule_tables import amounts, case, fee, kb, keys, run, visit


def _dx(m, code, t="1"):
    return {"mdtrt_id": m, "diag_type": t, "diag_code": code}


# R11 "the previous stay of the same psn_no (the most recently admitted earlier inpatient encounter, by
# begntime then mdtrt_id)"

def test_r11_previous_stay_tie_broken_by_mdtrt_id():
    vs = [visit("A", "2024-01-05 09:00", "2024-01-08 10:00"), visit("B", "2024-01-05 09:00", "2024-01-10 10:00"),
          visit("C", "2024-01-20 09:00", "2024-01-22 10:00")]
    # same begntime: A comes before B, so C's previous stay is B (K35), B's is A (J18)
    dx = [_dx("A", "J18.9"), _dx("B", "K35.8"), _dx("C", "J18.0")]
    assert keys(run(case([], vs, diagnoses=dx), rules=["R11"]), "mdtrt_id") == []
    dx = [_dx("A", "J18.9"), _dx("B", "K35.8"), _dx("C", "K35.1")]
    assert keys(run(case([], vs, diagnoses=dx), rules=["R11"]), "mdtrt_id") == [("C",)]
    # B itself: A − D(previous) = 01-05 − 01-08 = −3 ≤ 30, same principal diagnosis
    dx = [_dx("A", "K35.9"), _dx("B", "K35.8"), _dx("C", "I10")]
    assert keys(run(case([], vs, diagnoses=dx), rules=["R11"]), "mdtrt_id") == [("B",)]


def test_r11_previous_stay_may_be_a_52_encounter_and_dates_not_times_count():
    vs = [visit("A", "2024-01-01 09:00", "2024-01-10 23:59", med_type="52"),
          visit("B", "2024-02-09 00:01", "2024-02-12 10:00")]      # 30 days by date (times ignored)
    dx = [_dx("A", "O80"), _dx("B", "O80.1")]
    r = run(case([], vs, diagnoses=dx), rules=["R11"])
    assert keys(r, "mdtrt_id") == [("B",)] and r.hits["amount"][0] == 0


def test_r11_other_person_never_previous():
    vs = [visit("A", "2024-01-01 09:00", "2024-01-10 10:00"),
          visit("B", "2024-01-12 09:00", "2024-01-14 10:00", psn_no="P2")]
    dx = [_dx("A", "J18.9"), _dx("B", "J18.9")]
    assert len(run(case([], vs, diagnoses=dx), rules=["R11"]).hits) == 0


# R12 "a run of ≥ idle_bed_days consecutive dates strictly between A and D on which every net line's item is
# of category bed, nursing or diet (a date with no lines counts as idle)"

def test_r12_run_exactly_the_threshold_and_diet_is_idle():
    items = [{"med_list_codg": "B", "category": "bed"}, {"med_list_codg": "F", "category": "diet"},
             {"med_list_codg": "T", "category": "lab"}]
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00"),               # inside: 02, 03, 04
          visit("V2", "2024-03-01 09:00", "2024-03-04 10:00", psn_no="P2"),  # inside: 02, 03 only
          visit("O1", "2024-03-01 09:00", "2024-03-09 10:00", med_type="11", psn_no="P3")]  # outpatient
    fees = [fee("V1", "1", "T", "2024-03-01 10:00", 1, 5), fee("V1", "2", "F", "2024-03-03 10:00", 1, 5),
            fee("V1", "3", "T", "2024-03-05 00:30", 1, 5),     # on D: not inside the stay
            fee("V2", "1", "B", "2024-03-02 10:00", 1, 5)]
    r = run(case(fees, vs), kb(items), rules=["R12"])
    assert keys(r, "mdtrt_id") == [("V1",)] and r.hits["amount"][0] == 0


def test_r12_refund_lines_are_not_treatments_but_a_partly_refunded_line_is():
    items = [{"med_list_codg": "B", "category": "bed"}, {"med_list_codg": "T", "category": "lab"}]
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00"),
          visit("V2", "2024-03-01 09:00", "2024-03-05 10:00", psn_no="P2")]
    fees = [fee("V1", "1", "T", "2024-03-01 10:00", 2, 5),
            fee("V1", "r1", "T", "2024-03-03 10:00", -1, 5, init_feedetl_sn="1"),   # a refund: no treatment on 03
            fee("V2", "1", "T", "2024-03-03 10:00", 2, 5),
            fee("V2", "r1", "T", "2024-03-04 10:00", -1, 5, init_feedetl_sn="1")]   # net cnt 1: 03 is busy
    assert keys(run(case(fees, vs), kb(items), rules=["R12"]), "mdtrt_id") == [("V1",)]


# R20 "whose stay [A, A + stay length) overlaps that of an earlier-admitted one (earlier by begntime, then
# mdtrt_id)"

def test_r20_earlier_by_admission_time_and_any_earlier_stay():
    vs = [visit("Z1", "2024-01-10 09:00", "2024-01-20 10:00"),
          visit("A9", "2024-01-15 09:00", "2024-01-16 10:00"),    # admitted later than Z1: A9 is the hit
          visit("L1", "2024-02-01 09:00", "2024-02-28 10:00", psn_no="P2"),
          visit("S1", "2024-02-05 09:00", "2024-02-07 10:00", psn_no="P2"),
          visit("S2", "2024-02-10 09:00", "2024-02-12 10:00", psn_no="P2"),  # overlaps L1, not S1
          visit("Q1", "2024-03-01 09:00", "2024-03-01 12:00", psn_no="P3"),  # same day: [03-01, 03-02)
          visit("Q2", "2024-03-02 08:00", "2024-03-03 12:00", psn_no="P3"),  # next day: no overlap
          visit("X1", "2024-01-10 09:00", "2024-01-20 10:00", psn_no="P4"),
          visit("O1", "2024-01-12 09:00", "2024-01-14 10:00", med_type="11", psn_no="P4")]  # outpatient
    r = run(case([], vs), rules=["R20"])
    assert keys(r, "mdtrt_id") == [("A9",), ("S1",), ("S2",)]
    assert set(r.hits["amount"]) == {Decimal(0)}


# R16 "net lines sharing a trac_codg: all but the smallest" | smallest by (fee_ocur_time, mdtrt_id, feedetl_sn),
# strings compared as strings | amount: net amount

def test_r16_smallest_line_compares_strings_as_strings():
    vs = [visit("V10", "2024-03-01 09:00", "2024-03-05"), visit("V9", "2024-03-01 09:00", "2024-03-05", psn_no="P2")]
    t = "2024-03-02 10:00"
    fees = [fee("V9", "1", "D", t, 1, 5), fee("V10", "9", "D", t, 1, 5), fee("V10", "10", "D", t, 1, 5),
            fee("V9", "2", "E", t, 1, 7), fee("V9", "10", "E", t, 1, 7)]
    tc = [{"mdtrt_id": m, "feedetl_sn": s, "trac_codg": "T1"} for m, s in (("V9", "1"), ("V10", "9"), ("V10", "10"))]
    tc += [{"mdtrt_id": "V9", "feedetl_sn": s, "trac_codg": "T2"} for s in ("2", "10")]
    r = run(case(fees, vs, trace_codes=tc), rules=["R16"])
    # T1: "V10" < "V9", then "10" < "9": V10/10 is the smallest; T2: "10" < "2"
    assert keys(r) == [("V10", "9"), ("V9", "1"), ("V9", "2")]


def test_r16_net_amount_refund_lines_and_unknown_lines_never_hold_a_code():
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-05")]
    fees = [fee("V1", "1", "D", "2024-03-02 10:00", 1, 5),
            fee("V1", "2", "D", "2024-03-03 10:00", 3, 5),
            fee("V1", "r2", "D", "2024-03-01 08:00", -1, 5, init_feedetl_sn="2")]   # 2 nets to 2 × 5 = 10
    tc = [{"mdtrt_id": "V1", "feedetl_sn": "r2", "trac_codg": "T1"},     # a refund line: does not take part
          {"mdtrt_id": "V1", "feedetl_sn": "0", "trac_codg": "T1"},      # no such line: does not take part
          {"mdtrt_id": "V1", "feedetl_sn": "2", "trac_codg": "T1"}, {"mdtrt_id": "V1", "feedetl_sn": "1", "trac_codg": "T1"},
          {"mdtrt_id": "V1", "feedetl_sn": "2", "trac_codg": "T2"}, {"mdtrt_id": "V1", "feedetl_sn": "1", "trac_codg": "T2"}]
    r = run(case(fees, vs, trace_codes=tc), rules=["R16"])
    assert amounts(r) == {("V1", "2"): Decimal("10")}   # one hit although two codes repeat
