"""Audit of the line-grain rules of rules.md (R01–R07, R10, R13, R17–R19, R22): the points the spec states
that test_line_rules.py does not pin — tie-breaks, amounts of partly refunded hits, null handling,
counterparts and scopes — each on tiny tables written here."""

from decimal import Decimal

from rule_tables import amounts, case, fee, kb, keys, run, visit

INP = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")]


def v(mdtrt_id, psn_no, begin="2024-03-01 09:00", end="2024-03-05 10:00", **kw):
    return visit(mdtrt_id, begin, end, psn_no=psn_no, **kw)


# R01 ------------------------------------------------------------------------------------------------------

def test_r01_smallest_is_by_full_time_before_sn():
    # same minute: the earlier second is kept even though its sn is larger as a string
    fees = [fee("V1", "1", "X", "2024-03-02 10:00:30", 1, 5), fee("V1", "2", "X", "2024-03-02 10:00:05", 1, 5)]
    assert keys(run(case(fees, INP), rules=["R01"])) == [("V1", "1")]


def test_r01_hit_amount_is_its_net_amount_and_items_and_minutes_split_groups():
    fees = [fee("V1", "a", "X", "2024-03-02 10:00", 1, 5),
            fee("V1", "b", "X", "2024-03-02 10:00:59", 3, 5),
            fee("V1", "rb", "X", "2024-03-02 11:00", -2, 5, init_feedetl_sn="b"),  # b nets to cnt 1, 5.00
            fee("V1", "c", "Y", "2024-03-02 10:00", 1, 5),                           # other item
            fee("V1", "d", "X", "2024-03-02 09:59:59", 1, 5)]                        # previous minute
    assert amounts(run(case(fees, INP), rules=["R01"])) == {("V1", "b"): Decimal("5")}


def test_r01_price_compared_exactly_and_three_of_a_kind():
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 1, "5.00"), fee("V1", "2", "X", "2024-03-02 10:00", 1, "5.0001"),
            fee("V1", "3", "X", "2024-03-02 10:00", 1, 5), fee("V1", "4", "X", "2024-03-02 10:00", 1, "5.0")]
    assert keys(run(case(fees, INP), rules=["R01"])) == [("V1", "3"), ("V1", "4")]


def test_r01_fully_refunded_smallest_line_is_not_the_original():
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 1, 5),
            fee("V1", "r1", "X", "2024-03-02 10:00", -1, 5, init_feedetl_sn="1"),
            fee("V1", "2", "X", "2024-03-02 10:00", 1, 5), fee("V1", "3", "X", "2024-03-02 10:00", 1, 5)]
    assert keys(run(case(fees, INP), rules=["R01"])) == [("V1", "3")]


# R02 ------------------------------------------------------------------------------------------------------

def test_r02_fully_refunded_line_is_no_hit_and_amount_uses_net_cnt():
    items = [{"med_list_codg": "X", "price_cap_l3": "10"}]
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 2, 12),
            fee("V1", "r1", "X", "2024-03-02 11:00", -2, 12, init_feedetl_sn="1"),
            fee("V1", "2", "X", "2024-03-02 10:00", "2.5", "10.01")]
    assert amounts(run(case(fees, INP), kb(items), rules=["R02"])) == {("V1", "2"): Decimal("0.025")}


# R03 ------------------------------------------------------------------------------------------------------

def test_r03_male_only_item_and_unknown_or_missing_gender_not_checked():
    items = [{"med_list_codg": "M", "gender_limit": "1"}]
    vs = [v("V1", "P1", gend="2"), v("V2", "P2", gend="1"), v("V3", "P3", gend="0"), v("V4", "P4")]
    fees = [fee(x, "1", "M", "2024-03-02 10:00", 2, 7) for x in ("V1", "V2", "V3", "V4")]
    fees.append(fee("V1", "r", "M", "2024-03-02 11:00", -1, 7, init_feedetl_sn="1"))
    assert amounts(run(case(fees, vs), kb(items), rules=["R03"])) == {("V1", "1"): Decimal("7")}


# R04 ------------------------------------------------------------------------------------------------------

def test_r04_both_limits_inclusive_and_no_limit_no_check():
    items = [{"med_list_codg": "K", "age_min": "6", "age_max": "14"}, {"med_list_codg": "N"}]
    vs = [v("V1", "P1", begin="2024-01-01 09:00", end="2024-12-31", brdy="2010-06-15")]
    fees = [fee("V1", "1", "K", "2024-06-14 10:00", 1, 7),  # 13
            fee("V1", "2", "K", "2024-06-15 10:00", 1, 7),  # 14: allowed
            fee("V1", "3", "N", "2024-06-15 10:00", 1, 7)]
    assert keys(run(case(fees, vs), kb(items), rules=["R04"])) == []
    vs2 = [v("V1", "P1", begin="2024-01-01 09:00", end="2024-12-31", brdy="2018-06-15")]
    fees2 = [fee("V1", "1", "K", "2024-06-14 10:00", 1, 7),  # 5: hit
             fee("V1", "2", "K", "2024-06-15 10:00", 1, 7)]  # 6: allowed
    assert keys(run(case(fees2, vs2), kb(items), rules=["R04"])) == [("V1", "1")]


# R05 ------------------------------------------------------------------------------------------------------

def test_r05_no_discharge_date_checks_only_before_admission_and_refunded_lines_vanish():
    vs = [v("V1", "P1", end=None)]
    fees = [fee("V1", "1", "X", "2024-02-29 10:00", 1, 5), fee("V1", "2", "X", "2025-01-01 10:00", 1, 5),
            fee("V1", "3", "X", "2024-02-28 10:00", 1, 5),
            fee("V1", "r3", "X", "2024-03-02 10:00", -1, 5, init_feedetl_sn="3")]
    assert keys(run(case(fees, vs), rules=["R05"])) == [("V1", "1")]


def test_r05_outpatient_encounters_are_not_checked():
    vs = [v("O1", "P1", med_type="11", begin="2024-03-01 09:00", end="2024-03-01 10:00")]
    fees = [fee("O1", "1", "X", "2024-03-09 10:00", 1, 5)]
    assert keys(run(case(fees, vs), rules=["R05"])) == []


# R06 ------------------------------------------------------------------------------------------------------

def test_r06_outpatient_death_and_seconds_count():
    vs = [v("O1", "P1", med_type="11", begin="2024-03-01 09:00", end="2024-03-01 10:00:00", dscg_way="5"),
          v("V2", "P2", dscg_way="5", end=None)]
    fees = [fee("O1", "1", "X", "2024-03-01 10:00:01", 2, 5), fee("O1", "2", "X", "2024-03-01 09:59:59", 1, 5),
            fee("V2", "1", "X", "2024-05-01 10:00", 1, 5)]  # no endtime: nothing to compare with
    assert amounts(run(case(fees, vs), rules=["R06"])) == {("O1", "1"): Decimal("10")}


# R07 ------------------------------------------------------------------------------------------------------

def test_r07_code_a_in_another_encounter_is_no_counterpart_and_line_hit_once():
    pairs = [{"code_a": "A", "code_b": "B", "scope": "visit"}, {"code_a": "C", "code_b": "B", "scope": "day"},
             {"code_a": "A", "code_b": "B", "scope": "day"}]
    vs = INP + [v("V2", "P1", begin="2024-04-01 09:00", end="2024-04-05")]
    fees = [fee("V1", "1", "A", "2024-03-02 08:00", 1, 50), fee("V1", "2", "C", "2024-03-02 09:00", 1, 50),
            fee("V1", "3", "B", "2024-03-02 10:00", 1, 10),
            fee("V2", "1", "B", "2024-04-02 10:00", 1, 10)]  # the same person, another encounter
    assert amounts(run(case(fees, vs), kb(pairs=pairs), rules=["R07"])) == {("V1", "3"): Decimal("10")}


def test_r07_code_a_line_is_not_itself_a_hit_and_refunded_code_b_vanishes():
    pairs = [{"code_a": "A", "code_b": "B", "scope": "day"}]
    fees = [fee("V1", "1", "A", "2024-03-02 00:00", 1, 50), fee("V1", "2", "B", "2024-03-02 23:59:59", 1, 10),
            fee("V1", "3", "B", "2024-03-02 12:00", 1, 10),
            fee("V1", "r3", "B", "2024-03-02 13:00", -1, 10, init_feedetl_sn="3")]
    assert keys(run(case(fees, INP), kb(pairs=pairs), rules=["R07"])) == [("V1", "2")]


# R10 ------------------------------------------------------------------------------------------------------

def test_r10_all_net_lines_of_the_visit_once_and_stays_without_discharge_ignored():
    vs = [v("V1", "P1", begin="2024-03-01 09:00", end="2024-03-10 10:00"),
          v("V2", "P1", begin="2024-03-02 09:00", end="2024-03-09 10:00"),   # a second stay around O1
          v("V3", "P2", begin="2024-03-01 09:00", end=None),
          v("O1", "P1", med_type="11", begin="2024-03-05 09:00", end=None),
          v("O2", "P2", med_type="11", begin="2024-03-05 09:00", end=None),
          v("O3", "P1", med_type="11", begin="2024-03-10 00:00", end=None)]  # discharge date of V1
    fees = [fee("O1", "1", "X", "2024-03-05 10:00", 2, 5), fee("O1", "2", "Y", "2024-03-06 10:00", 1, 3),
            fee("O1", "3", "Y", "2024-03-05 10:00", 1, 3),
            fee("O1", "r3", "Y", "2024-03-05 11:00", -1, 3, init_feedetl_sn="3"),
            fee("O2", "1", "X", "2024-03-05 10:00", 1, 5), fee("O3", "1", "X", "2024-03-10 10:00", 1, 5)]
    assert amounts(run(case(fees, vs), rules=["R10"])) == {("O1", "1"): Decimal("10"), ("O1", "2"): Decimal("3")}


def test_r10_inpatient_of_another_type_does_not_count_as_outpatient():
    vs = [v("V1", "P1", begin="2024-03-01 09:00", end="2024-03-10 10:00"),
          v("V2", "P1", med_type="52", begin="2024-03-05 09:00", end="2024-03-06 10:00")]
    fees = [fee("V2", "1", "X", "2024-03-05 10:00", 1, 5)]
    assert keys(run(case(fees, vs), rules=["R10"])) == []


# R13 ------------------------------------------------------------------------------------------------------

def test_r13_outpatient_and_untyped_lines_not_checked_order_of_other_item_is_enough():
    items = [{"med_list_codg": "S", "list_type": "service"}]
    vs = INP + [v("O1", "P1", med_type="11", begin="2024-04-01 09:00", end=None)]
    orders = [{"mdtrt_id": "V1", "drord_no": "o1", "med_list_codg": "Q", "begin_time": "2024-03-01 10:00"}]
    fees = [fee("V1", "1", "S", "2024-03-02 10:00", 1, 5, drord_no="o1"),   # order exists (other item): no hit
            fee("V1", "2", "U", "2024-03-02 10:00", 1, 5),                  # no list_type anywhere: not checked
            fee("V1", "3", "U", "2024-03-02 10:00", 1, 5, list_type="drug", drord_no="o9"),
            fee("V1", "4", "S", "2024-03-02 10:00", 2, 5),
            fee("V1", "r4", "S", "2024-03-02 11:00", -2, 5, init_feedetl_sn="4"),  # fully refunded
            fee("O1", "1", "S", "2024-04-01 10:00", 1, 5)]                  # outpatient: not checked
    assert amounts(run(case(fees, vs, orders=orders), kb(items), rules=["R13"])) == {("V1", "3"): Decimal("5")}


# R17 ------------------------------------------------------------------------------------------------------

def test_r17_any_operation_of_the_encounter_with_any_prefix_and_net_amount():
    mats = [{"material_codg": "M", "oprn_prefixes": "36.06; 00.66"}]
    vs = INP + [v("V2", "P2"), v("V3", "P3")]
    ops = [{"mdtrt_id": "V1", "oprn_code": "88.72"}, {"mdtrt_id": "V1", "oprn_code": "00.6601"},
           {"mdtrt_id": "V2", "oprn_code": "88.72"}, {"mdtrt_id": "V3", "oprn_code": "3"}]  # V3: shorter than prefix
    fees = [fee(x, "1", "M", "2024-03-02 10:00", 2, 900) for x in ("V1", "V2", "V3")]
    fees += [fee("V2", "r", "M", "2024-03-02 11:00", -1, 900, init_feedetl_sn="1"),
             fee("V2", "2", "N", "2024-03-02 10:00", 1, 900)]  # not listed: not checked
    assert amounts(run(case(fees, vs, operations=ops), kb(materials=mats), rules=["R17"])) == {
        ("V2", "1"): Decimal("900"), ("V3", "1"): Decimal("1800")}


# R18 ------------------------------------------------------------------------------------------------------

def test_r18_no_diagnosis_is_a_hit_and_other_encounters_diagnoses_do_not_count():
    items = [{"med_list_codg": "D", "dx_limit": "E11"}, {"med_list_codg": "N"}]
    vs = INP + [v("V2", "P1", begin="2024-04-01 09:00", end="2024-04-05")]
    dx = [{"mdtrt_id": "V2", "diag_type": "1", "diag_code": "E11.9"}]
    fees = [fee("V1", "1", "D", "2024-03-02 10:00", 1, 9), fee("V1", "2", "N", "2024-03-02 10:00", 1, 9),
            fee("V2", "1", "D", "2024-04-02 10:00", 1, 9)]
    assert keys(run(case(fees, vs, diagnoses=dx), kb(items), rules=["R18"])) == [("V1", "1")]


def test_r18_prefix_must_start_the_code():
    items = [{"med_list_codg": "D", "dx_limit": "11"}]
    dx = [{"mdtrt_id": "V1", "diag_type": "1", "diag_code": "E11.9"}]
    fees = [fee("V1", "1", "D", "2024-03-02 10:00", 1, 9)]
    assert keys(run(case(fees, INP, diagnoses=dx), kb(items), rules=["R18"])) == [("V1", "1")]


# R19 ------------------------------------------------------------------------------------------------------

def test_r19_open_ended_periods_and_refunded_lines():
    staff = [{"dr_codg": "D1", "practice_to": "2024-03-02"}, {"dr_codg": "D2", "practice_from": "2024-03-03"}]
    fees = [fee("V1", "1", "X", "2020-01-01 10:00", 1, 5, bilg_dr_codg="D1"),
            fee("V1", "2", "X", "2024-03-03 00:00", 1, 5, bilg_dr_codg="D1"),   # after practice_to: hit
            fee("V1", "3", "X", "2024-03-02 23:59", 1, 5, bilg_dr_codg="D2"),   # before practice_from: hit
            fee("V1", "4", "X", "2099-01-01 10:00", 1, 5, bilg_dr_codg="D2"),
            fee("V1", "5", "X", "2024-03-04 10:00", 1, 5, bilg_dr_codg="D9"),
            fee("V1", "r5", "X", "2024-03-04 11:00", -1, 5, init_feedetl_sn="5", bilg_dr_codg="D9")]
    assert keys(run(case(fees, INP, staff=staff), rules=["R19"])) == [("V1", "2"), ("V1", "3")]


# R22 ------------------------------------------------------------------------------------------------------

def test_r22_amount_is_net_amount_and_false_flag_not_checked():
    items = [{"med_list_codg": "B", "inpatient_only": True}, {"med_list_codg": "C", "inpatient_only": False},
             {"med_list_codg": "E", "price_cap_l3": "9"}]  # flag empty: no check
    vs = [v("O1", "P1", med_type="14", begin="2024-04-01 09:00", end=None)]
    fees = [fee("O1", "1", "B", "2024-04-01 10:00", 3, 5),
            fee("O1", "r", "B", "2024-04-01 11:00", -1, 5, init_feedetl_sn="1"),
            fee("O1", "2", "C", "2024-04-01 10:00", 1, 5), fee("O1", "3", "E", "2024-04-01 10:00", 1, 5)]
    assert amounts(run(case(fees, vs), kb(items), rules=["R22"])) == {("O1", "1"): Decimal("10")}


def test_r01_amount_is_the_billed_net_amount_not_cnt_times_price():
    # det_item_fee_sumamt may differ from cnt × pric by rounding (±0.01): the hit shows the billed money
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 3, "3.333", amt="10.00"),
            fee("V1", "2", "X", "2024-03-02 10:00", 3, "3.333", amt="9.99")]
    assert amounts(run(case(fees, INP), rules=["R01"])) == {("V1", "2"): Decimal("9.99")}
