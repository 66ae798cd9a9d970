"""Line-grain rules: a positive, a negative and the boundaries rules.md names, on tiny hand-made tables."""

from decimal import Decimal

from rule_tables import amounts, case, fee, kb, keys, run, visit

INP = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")]


def test_r01_duplicate_same_minute_keeps_smallest_line():
    fees = [fee("V1", "3", "X", "2024-03-02 10:00:50", 2, 5),
            fee("V1", "2", "X", "2024-03-02 10:00:10", 2, 5),
            fee("V1", "1", "X", "2024-03-02 10:00:10", 2, 5),   # smallest: same time, smaller sn
            fee("V1", "4", "X", "2024-03-02 10:01:00", 2, 5),   # next minute: not a duplicate
            fee("V1", "5", "X", "2024-03-02 10:00:20", 1, 5),   # other cnt
            fee("V1", "6", "X", "2024-03-02 10:00:20", 2, 6)]   # other price
    r = run(case(fees, INP), rules=["R01"])
    assert keys(r) == [("V1", "2"), ("V1", "3")]
    assert amounts(r)[("V1", "3")] == Decimal("10")


def test_r01_refund_netting_and_fully_refunded_original():
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 3, 5),
            fee("V1", "2", "X", "2024-03-02 10:00", 2, 5),
            fee("V1", "R1", "X", "2024-03-02 12:00", -1, 5, init_feedetl_sn="1"),  # 1 nets to cnt 2: same as 2
            fee("V1", "7", "Y", "2024-03-02 11:00", 1, 5),
            fee("V1", "8", "Y", "2024-03-02 11:00", 1, 5),
            fee("V1", "R7", "Y", "2024-03-02 12:00", -1, 5, init_feedetl_sn="7")]  # 7 fully refunded: 8 alone
    r = run(case(fees, INP), rules=["R01"])
    assert keys(r) == [("V1", "2")]
    assert amounts(r)[("V1", "2")] == Decimal("10")


def test_r01_same_sn_in_two_encounters_is_not_a_duplicate():
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 1, 5), fee("V2", "1", "X", "2024-03-02 10:00", 1, 5)]
    r = run(case(fees, INP + [visit("V2", "2024-03-01 09:00", "2024-03-05 10:00", psn_no="P2")]), rules=["R01"])
    assert keys(r) == []


def test_r01_tie_on_time_breaks_by_sn_as_string():
    fees = [fee("V1", "10", "X", "2024-03-02 10:00", 1, 5), fee("V1", "9", "X", "2024-03-02 10:00", 1, 5)]
    r = run(case(fees, INP), rules=["R01"])
    assert keys(r) == [("V1", "9")]  # "10" < "9" as strings


def test_r02_price_cap_by_level_with_tolerance():
    items = [{"med_list_codg": "X", "price_cap_l2": "10", "price_cap_l3": "12"}]
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 3, "12.5"),
            fee("V1", "2", "X", "2024-03-02 11:00", 1, "12.005"),  # within tolerance
            fee("V1", "3", "X", "2024-03-02 12:00", 1, "12.0051"),
            fee("V1", "R", "X", "2024-03-02 13:00", -1, "12.5", init_feedetl_sn="1")]
    r = run(case(fees, INP, level="3"), kb(items), rules=["R02"])
    assert keys(r) == [("V1", "1"), ("V1", "3")]
    assert amounts(r)[("V1", "1")] == Decimal("1.0")  # 0.5 × net cnt 2
    r2 = run(case(fees, INP, level="2"), kb(items), rules=["R02"])
    assert len(r2.hits) == 3
    r3 = run(case(fees, INP, level="9"), kb(items), rules=["R02"])
    assert "R02" in r3.not_run and len(r3.hits) == 0


def test_r03_gender():
    items = [{"med_list_codg": "F", "gender_limit": "2"}]
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-05", gend="1"), visit("V2", "2024-03-01 09:00", "2024-03-05", gend="2", psn_no="P2"),
          visit("V3", "2024-03-01 09:00", "2024-03-05", gend="9", psn_no="P3")]
    fees = [fee(v, "1", "F", "2024-03-02 10:00", 1, 7) for v in ("V1", "V2", "V3")]
    r = run(case(fees, vs), kb(items), rules=["R03"])
    assert keys(r) == [("V1", "1")]


def test_r04_age_birthday_boundary_and_fallback_age():
    items = [{"med_list_codg": "K", "age_max": "14"}, {"med_list_codg": "A", "age_min": "18"}]
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-20", brdy="2009-03-10"),   # 14 until 03-09, 15 from 03-10
          visit("V2", "2024-03-01 09:00", "2024-03-20", age="17", psn_no="P2"),
          visit("V3", "2024-03-01 09:00", "2024-03-20", psn_no="P3")]  # age unknown
    fees = [fee("V1", "1", "K", "2024-03-09 10:00", 1, 7), fee("V1", "2", "K", "2024-03-10 10:00", 1, 7),
            fee("V2", "1", "A", "2024-03-02 10:00", 1, 7), fee("V3", "1", "A", "2024-03-02 10:00", 1, 7)]
    r = run(case(fees, vs), kb(items), rules=["R04"])
    assert keys(r) == [("V1", "2"), ("V2", "1")]


def test_r05_outside_stay_discharge_day_counts_as_inside():
    fees = [fee("V1", "1", "X", "2024-02-29 23:59", 1, 5),
            fee("V1", "2", "X", "2024-03-01 00:00", 1, 5),
            fee("V1", "3", "X", "2024-03-05 23:00", 1, 5),   # discharge date itself, after discharge time
            fee("V1", "4", "X", "2024-03-06 00:00", 2, 5),
            fee("O1", "1", "X", "2024-04-06 00:00", 1, 5)]
    vs = INP + [visit("O1", "2024-03-01 09:00", None, med_type="11", psn_no="P1")]
    r = run(case(fees, vs), rules=["R05"])
    assert keys(r) == [("V1", "1"), ("V1", "4")]
    assert amounts(r)[("V1", "4")] == Decimal("10")


def test_r05_maternity_52_and_kb_inpatient_types():
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-05", med_type="52"),
          visit("V2", "2024-03-01 09:00", "2024-03-05", med_type="9901", psn_no="P2"),
          visit("V3", "2024-03-01 09:00", "2024-03-05", med_type="11", psn_no="P3")]
    fees = [fee(v, "1", "X", "2024-03-09 10:00", 1, 5) for v in ("V1", "V2", "V3")]
    assert keys(run(case(fees, vs), rules=["R05"])) == [("V1", "1")]
    k = kb(thresholds={"inpatient_med_types": "99*;77"})
    assert keys(run(case(fees, vs), k, rules=["R05"])) == [("V1", "1"), ("V2", "1")]


def test_r06_after_death():
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00", dscg_way="5"),
          visit("V2", "2024-03-01 09:00", "2024-03-05 10:00", dscg_way="1", psn_no="P2")]
    fees = [fee("V1", "1", "X", "2024-03-05 10:00", 1, 5), fee("V1", "2", "X", "2024-03-05 10:01", 1, 5),
            fee("V2", "1", "X", "2024-03-05 10:01", 1, 5)]
    assert keys(run(case(fees, vs), rules=["R06"])) == [("V1", "2")]


def test_r07_day_and_visit_scope():
    pairs = [{"code_a": "A", "code_b": "B", "scope": "day"}, {"code_a": "C", "code_b": "D", "scope": "visit"}]
    fees = [fee("V1", "1", "A", "2024-03-02 08:00", 1, 50), fee("V1", "2", "B", "2024-03-02 20:00", 1, 10),
            fee("V1", "3", "B", "2024-03-03 08:00", 1, 10),    # other day: day scope does not apply
            fee("V1", "4", "C", "2024-03-02 08:00", 1, 50), fee("V1", "5", "D", "2024-03-04 08:00", 2, 10)]
    r = run(case(fees, INP), kb(pairs=pairs), rules=["R07"])
    assert keys(r) == [("V1", "2"), ("V1", "5")]
    assert amounts(r)[("V1", "5")] == Decimal("20")


def test_r07_fully_refunded_code_a_is_no_counterpart_and_code_b_partly_refunded():
    pairs = [{"code_a": "A", "code_b": "B", "scope": "visit"}]
    fees = [fee("V1", "1", "A", "2024-03-02 08:00", 1, 50), fee("V1", "r", "A", "2024-03-02 09:00", -1, 50, init_feedetl_sn="1"),
            fee("V1", "2", "B", "2024-03-02 08:00", 1, 10)]
    assert keys(run(case(fees, INP), kb(pairs=pairs), rules=["R07"])) == []
    fees2 = [fee("V1", "1", "A", "2024-03-02 08:00", 1, 50), fee("V1", "2", "B", "2024-03-02 08:00", 3, 10),
             fee("V1", "r", "B", "2024-03-02 09:00", -1, 10, init_feedetl_sn="2")]
    r = run(case(fees2, INP), kb(pairs=pairs), rules=["R07"])
    assert amounts(r) == {("V1", "2"): Decimal("20")}


def test_r10_outpatient_strictly_inside_stay():
    vs = INP + [visit("O1", "2024-03-03 09:00", None, med_type="11"),
                visit("O2", "2024-03-05 09:00", None, med_type="11"),   # discharge date: not strictly inside
                visit("O3", "2024-03-01 15:00", None, med_type="11"),   # admission date
                visit("O4", "2024-03-03 09:00", None, med_type="11", psn_no="P9")]
    fees = [fee(v, "1", "X", "2024-03-03 10:00", 1, 5) for v in ("O1", "O2", "O3", "O4")]
    assert keys(run(case(fees, vs), rules=["R10"])) == [("O1", "1")]


def test_r13_no_order_list_type_fallback_and_not_run():
    items = [{"med_list_codg": "D", "list_type": "drug"}, {"med_list_codg": "M", "list_type": "material"}]
    orders = [{"mdtrt_id": "V1", "drord_no": "o1", "med_list_codg": "D", "begin_time": "2024-03-01 10:00"},
              {"mdtrt_id": "V2", "drord_no": "o2", "med_list_codg": "D", "begin_time": "2024-03-01 10:00"}]
    fees = [fee("V1", "1", "D", "2024-03-02 10:00", 1, 5, drord_no="o1"),
            fee("V1", "2", "D", "2024-03-02 10:00", 1, 5),                  # no order number
            fee("V1", "3", "D", "2024-03-02 10:00", 1, 5, drord_no="o2"),   # another encounter's order
            fee("V1", "4", "M", "2024-03-02 10:00", 1, 5),                  # material: not checked
            fee("V1", "5", "M", "2024-03-02 10:00", 1, 5, list_type="service")]  # own list_type wins
    r = run(case(fees, INP, orders=orders), kb(items), rules=["R13"])
    assert keys(r) == [("V1", "2"), ("V1", "3"), ("V1", "5")]
    r2 = run(case(fees, INP), kb(items), rules=["R13"])
    assert "orders" in r2.not_run["R13"] and len(r2.hits) == 0


def test_r16_trace_code_all_but_smallest():
    vs = INP + [visit("V2", "2024-03-01 09:00", "2024-03-05", psn_no="P2")]
    fees = [fee("V1", "1", "D", "2024-03-02 10:00", 1, 5), fee("V2", "1", "D", "2024-03-02 09:00", 1, 5),
            fee("V1", "2", "D", "2024-03-03 10:00", 1, 5),
            fee("V1", "3", "D", "2024-03-01 10:00", 1, 5), fee("V1", "r3", "D", "2024-03-01 11:00", -1, 5, init_feedetl_sn="3")]
    tc = [{"mdtrt_id": "V1", "feedetl_sn": "1", "trac_codg": "T1"}, {"mdtrt_id": "V2", "feedetl_sn": "1", "trac_codg": "T1"},
          {"mdtrt_id": "V1", "feedetl_sn": "2", "trac_codg": "T1"},
          {"mdtrt_id": "V1", "feedetl_sn": "3", "trac_codg": "T2"}, {"mdtrt_id": "V1", "feedetl_sn": "2", "trac_codg": "T2"}]
    r = run(case(fees, vs, trace_codes=tc), rules=["R16"])
    # T1: V2/1 (09:00) is first; T2: V1/3 fully refunded, so V1/2 is the first holder of T2
    assert keys(r) == [("V1", "1"), ("V1", "2")]


def test_r17_material_needs_matching_operation():
    mats = [{"material_codg": "M", "oprn_prefixes": "36.06;36.07"}]
    vs = INP + [visit("V2", "2024-03-01 09:00", "2024-03-05", psn_no="P2"), visit("V3", "2024-03-01 09:00", "2024-03-05", psn_no="P3")]
    ops = [{"mdtrt_id": "V1", "oprn_code": "36.0601"}, {"mdtrt_id": "V2", "oprn_code": "37.22"}]
    fees = [fee(v, "1", "M", "2024-03-02 10:00", 1, 900) for v in ("V1", "V2", "V3")]
    assert keys(run(case(fees, vs, operations=ops), kb(materials=mats), rules=["R17"])) == [("V2", "1"), ("V3", "1")]


def test_r18_diagnosis_limit_any_diagnosis():
    items = [{"med_list_codg": "D", "dx_limit": "E11;E10"}]
    vs = INP + [visit("V2", "2024-03-01 09:00", "2024-03-05", psn_no="P2")]
    dx = [{"mdtrt_id": "V1", "diag_type": "2", "diag_code": "E11.900"}, {"mdtrt_id": "V2", "diag_type": "1", "diag_code": "I10"}]
    fees = [fee(v, "1", "D", "2024-03-02 10:00", 1, 9) for v in ("V1", "V2")]
    assert keys(run(case(fees, vs, diagnoses=dx), kb(items), rules=["R18"])) == [("V2", "1")]


def test_r19_unknown_doctor_and_practice_period_inclusive():
    staff = [{"dr_codg": "D1", "practice_from": "2024-03-02", "practice_to": "2024-03-03"}, {"dr_codg": "D2"}]
    fees = [fee("V1", "1", "X", "2024-03-01 10:00", 1, 5, bilg_dr_codg="D1"),
            fee("V1", "2", "X", "2024-03-02 10:00", 1, 5, bilg_dr_codg="D1"),
            fee("V1", "3", "X", "2024-03-03 23:00", 1, 5, bilg_dr_codg="D1"),
            fee("V1", "4", "X", "2024-03-04 10:00", 1, 5, bilg_dr_codg="D1"),
            fee("V1", "5", "X", "2024-03-04 10:00", 1, 5, bilg_dr_codg="D9"),
            fee("V1", "6", "X", "2024-03-04 10:00", 1, 5, bilg_dr_codg="D2"),
            fee("V1", "7", "X", "2024-03-04 10:00", 1, 5)]
    assert keys(run(case(fees, INP, staff=staff), rules=["R19"])) == [("V1", "1"), ("V1", "4"), ("V1", "5")]


def test_r22_inpatient_only_in_outpatient():
    items = [{"med_list_codg": "B", "inpatient_only": True}]
    vs = INP + [visit("O1", "2024-04-01 09:00", None, med_type="11")]
    fees = [fee("V1", "1", "B", "2024-03-02 10:00", 1, 5), fee("O1", "1", "B", "2024-04-01 10:00", 1, 5)]
    assert keys(run(case(fees, vs), kb(items), rules=["R22"])) == [("O1", "1")]
