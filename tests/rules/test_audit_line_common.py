"""Audit of rules.md "Common definitions" as the line-grain rules see them: net lines, refund matching by
(mdtrt_id, init_feedetl_sn), orphan refunds, fully refunded lines, inpatient encounters, age and price cap.
Each test is built from tiny tables written here."""

from decimal import Decimal

from rule_tables import amounts, case, fee, kb, keys, run, visit

INP = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")]
V2 = visit("V2", "2024-03-01 09:00", "2024-03-05 10:00", psn_no="P2")


def test_refund_nets_only_the_line_of_its_own_encounter():
    # R1 belongs to V2 and names sn "1": it refunds V2/1 (missing: an orphan), never V1/1
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 2, 5), fee("V1", "2", "X", "2024-03-02 10:00", 1, 5),
            fee("V2", "R1", "X", "2024-03-02 11:00", -1, 5, init_feedetl_sn="1")]
    r = run(case(fees, INP + [V2]), rules=["R01"])
    assert keys(r) == []  # V1/1 keeps net cnt 2, so it is no duplicate of V1/2 (cnt 1)


def test_orphan_refund_lines_are_never_hits_and_net_nothing():
    items = [{"med_list_codg": "X", "price_cap_l3": "1"}]
    fees = [fee("V1", "r1", "X", "2024-03-02 10:00", -1, 5, init_feedetl_sn="404"),
            fee("V1", "r2", "X", "2024-03-02 10:00", -1, 5, init_feedetl_sn="405")]
    r = run(case(fees, INP), kb(items), rules=["R01", "R02", "R05"])
    assert len(r.hits) == 0


def test_refund_lines_are_never_hits_even_when_they_match_a_rule():
    # the refund line lies outside the stay and above the cap; only the original (net cnt 1) is a hit
    items = [{"med_list_codg": "X", "price_cap_l3": "4"}]
    fees = [fee("V1", "1", "X", "2024-03-07 10:00", 2, 5),
            fee("V1", "r", "X", "2024-03-08 10:00", -1, 5, init_feedetl_sn="1")]
    r = run(case(fees, INP), kb(items), rules=["R02", "R05"])
    assert sorted(r.hits["rule_code"]) == ["R02", "R05"]
    assert set(keys(r)) == {("V1", "1")}
    got = {(c, a) for c, a in zip(r.hits["rule_code"], r.hits["amount"])}
    assert got == {("R02", Decimal("1")), ("R05", Decimal("5"))}  # (5 − 4) × net cnt 1; net amount 5


def test_several_refunds_of_one_line_are_summed_and_net_zero_is_fully_refunded():
    fees = [fee("V1", "1", "X", "2024-03-07 10:00", 3, 5),
            fee("V1", "r1", "X", "2024-03-07 11:00", -1, 5, init_feedetl_sn="1"),
            fee("V1", "r2", "X", "2024-03-07 12:00", -2, 5, init_feedetl_sn="1"),
            fee("V1", "2", "X", "2024-03-07 10:00", 2, 5),
            fee("V1", "r3", "X", "2024-03-07 11:00", -3, 5, init_feedetl_sn="2"),  # over-refunded: net −1
            fee("V1", "3", "X", "2024-03-07 10:00", 4, 5),
            fee("V1", "r4", "X", "2024-03-07 11:00", -1, 5, init_feedetl_sn="3"),
            fee("V1", "r5", "X", "2024-03-07 11:00", -1, 5, init_feedetl_sn="3")]
    r = run(case(fees, INP), rules=["R05"])
    assert amounts(r) == {("V1", "3"): Decimal("10")}


def test_net_amount_is_the_sum_of_amounts_not_net_cnt_times_price():
    # the refund gave back a different amount than cnt × pric: the net amount is the sum of amounts
    fees = [fee("V1", "1", "X", "2024-03-07 10:00", 3, 5, amt="15"),
            fee("V1", "r", "X", "2024-03-07 11:00", -1, 5, amt="-4.5", init_feedetl_sn="1")]
    r = run(case(fees, INP), rules=["R05"])
    assert amounts(r) == {("V1", "1"): Decimal("10.5")}


def test_inpatient_med_types_from_kb_exact_and_prefix_and_outpatient_otherwise():
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-05", med_type="77"),
          visit("V2", "2024-03-01 09:00", "2024-03-05", med_type="771", psn_no="P2"),
          visit("V3", "2024-03-01 09:00", "2024-03-05", med_type="9912", psn_no="P3"),
          visit("V4", "2024-03-01 09:00", "2024-03-05", med_type="12", psn_no="P4"),    # contains 2, not first
          visit("V5", "2024-03-01 09:00", "2024-03-05", med_type="2101", psn_no="P5"),
          visit("V6", "2024-03-01 09:00", "2024-03-05", med_type="5201", psn_no="P6")]  # 52 exactly only
    fees = [fee(v, "1", "B", "2024-03-09 10:00", 1, 5) for v in ("V1", "V2", "V3", "V4", "V5", "V6")]
    items = [{"med_list_codg": "B", "inpatient_only": True}]
    k = kb(items, thresholds={"inpatient_med_types": "77; 99*"})
    assert keys(run(case(fees, vs), k, rules=["R05"])) == [("V1", "1"), ("V3", "1"), ("V5", "1")]
    assert keys(run(case(fees, vs), k, rules=["R22"])) == [("V2", "1"), ("V4", "1"), ("V6", "1")]


def test_age_uses_brdy_before_visit_age_and_leap_day_birthdays():
    items = [{"med_list_codg": "K", "age_max": "11"}, {"med_list_codg": "A", "age_min": "18"}]
    vs = [visit("V1", "2024-02-01 09:00", "2024-03-20", brdy="2012-02-29"),
          visit("V2", "2023-02-01 09:00", "2023-03-20", brdy="2011-02-28", psn_no="P2"),
          visit("V3", "2024-03-01 09:00", "2024-03-20", brdy="2006-03-01", age="12", psn_no="P3"),
          visit("V4", "2024-03-01 09:00", "2024-03-20", age="18", psn_no="P4"),
          visit("V5", "2024-03-01 09:00", "2024-03-20", age="17.9", psn_no="P5")]
    fees = [fee("V1", "1", "K", "2024-02-28 10:00", 1, 7),   # 11: allowed
            fee("V1", "2", "K", "2024-02-29 10:00", 1, 7),   # 12: hit
            fee("V2", "1", "K", "2023-02-27 10:00", 1, 7),   # 11
            fee("V2", "2", "K", "2023-02-28 10:00", 1, 7),   # 12: hit
            fee("V3", "1", "A", "2024-03-01 10:00", 1, 7),   # brdy: 18 on the day (visit age 12 ignored)
            fee("V3", "2", "A", "2024-02-29 23:00", 1, 7),   # 17 the day before: hit
            fee("V4", "1", "A", "2024-03-02 10:00", 1, 7),   # age_min inclusive
            fee("V5", "1", "A", "2024-03-02 10:00", 1, 7)]   # fractional visit age below the minimum
    r = run(case(fees, vs), kb(items), rules=["R04"])
    assert keys(r) == [("V1", "2"), ("V2", "2"), ("V3", "2"), ("V5", "1")]


def test_price_cap_of_the_institution_level_only_and_zero_cap_is_a_cap():
    items = [{"med_list_codg": "X", "price_cap_l1": "3", "price_cap_l3": "0"},
             {"med_list_codg": "Y", "price_cap_l3": "4"}]
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 2, 5), fee("V1", "2", "Y", "2024-03-02 10:00", 1, "4.01"),
            fee("V1", "3", "Z", "2024-03-02 10:00", 1, 999)]  # not in the knowledge base
    assert amounts(run(case(fees, INP, level="3"), kb(items), rules=["R02"])) == {
        ("V1", "1"): Decimal("10"), ("V1", "2"): Decimal("0.01")}
    assert keys(run(case(fees, INP, level="2"), kb(items), rules=["R02"])) == []  # empty caps: no check
    assert amounts(run(case(fees, INP, level="1"), kb(items), rules=["R02"])) == {("V1", "1"): Decimal("4")}


def test_needed_tables_missing_means_not_run():
    fees = [fee("V1", "1", "M", "2024-03-02 10:00", 1, 5, bilg_dr_codg="D9")]
    items = [{"med_list_codg": "M", "dx_limit": "E11"}]
    mats = [{"material_codg": "M", "oprn_prefixes": "36"}]
    r = run(case(fees, INP), kb(items, materials=mats), rules=["R13", "R17", "R18", "R19"])
    assert len(r.hits) == 0
    assert set(r.not_run) == {"R13", "R17", "R18", "R19"}
    for code, table in (("R13", "orders"), ("R17", "operations"), ("R18", "diagnoses"), ("R19", "staff")):
        assert table in r.not_run[code]
    # present but empty tables: the rules run and every checked line is a hit
    r2 = run(case(fees, INP, operations=[], diagnoses=[], staff=[], orders=[]),
             kb(items + [], materials=mats), rules=["R17", "R18", "R19"])
    assert r2.not_run == {}
    assert sorted(r2.hits["rule_code"]) == ["R17", "R18", "R19"]


def test_original_lines_with_cnt_zero_or_negative_do_not_exist_for_line_rules():
    # net cnt ≤ 0 is "fully refunded" whether or not refund lines made it so
    fees = [fee("V1", "1", "X", "2024-03-07 10:00", 0, 5, amt="0"),
            fee("V1", "2", "X", "2024-03-07 10:00", -1, 5),
            fee("V1", "3", "X", "2024-03-07 10:00", "0.5", 5)]
    assert keys(run(case(fees, INP), rules=["R05"])) == [("V1", "3")]
