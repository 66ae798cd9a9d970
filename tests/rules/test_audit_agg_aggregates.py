"""Audit of the aggregating rules (R08, R09, R14, R15, R21, R23) against rules.md, point by point: which
lines a group sums (refunds under their own date/order/encounter, orphans ignored), grain keys, boundaries,
empty limits and amounts. Expected values are worked out by hand from the spec sentences quoted."""

import datetime as dt
from decimal import Decimal

from rule_tables import amounts, case, fee, kb, keys, run, visit

INP = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")]
D2 = dt.date(2024, 3, 2)


# R08 "sum of cnt per encounter, item and date > max_units_per_day"

def test_r08_groups_by_encounter_and_calendar_date():
    items = [{"med_list_codg": "X", "max_units_per_day": "2"}]
    vs = INP + [visit("V2", "2024-03-01 09:00", "2024-03-05 10:00", psn_no="P2")]
    fees = [fee("V1", "1", "X", "2024-03-02 23:59", 2, 10), fee("V1", "2", "X", "2024-03-03 00:00", 2, 10),  # two dates
            fee("V2", "1", "X", "2024-03-02 10:00", 2, 10)]                                                  # other encounter
    assert len(run(case(fees, vs), kb(items), rules=["R08"]).hits) == 0


def test_r08_runs_on_outpatient_encounters_too():
    items = [{"med_list_codg": "X", "max_units_per_day": "1"}]
    vs = [visit("O1", "2024-03-02 09:00", None, med_type="11")]
    fees = [fee("O1", "1", "X", "2024-03-02 09:10", 3, 5)]
    # (3 - 1) × 15 / 3 = 10
    assert amounts(run(case(fees, vs), kb(items), rules=["R08"]), "mdtrt_id", "med_list_codg", "date") == {
        ("O1", "X", D2): Decimal("10")}


def test_r08_orphan_refunds_are_ignored():
    """"A refund line whose original does not exist is … ignored by the rules": a refund pointing at a line
    of another encounter, or at another refund line, has no original."""
    items = [{"med_list_codg": "X", "max_units_per_day": "2"}]
    vs = INP + [visit("V2", "2024-03-01 09:00", "2024-03-05 10:00", psn_no="P2")]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 3, 10),
            fee("V2", "9", "X", "2024-03-02 08:00", 1, 10),
            fee("V1", "r1", "X", "2024-03-02 09:00", -1, 10, init_feedetl_sn="9"),    # 9 is V2's line: orphan
            fee("V1", "r2", "X", "2024-03-02 09:30", -1, 10, init_feedetl_sn="r3"),   # refund of a refund: orphan
            fee("V1", "r3", "X", "2024-03-03 09:30", -1, 10, init_feedetl_sn="1")]    # real refund, on 03-03
    r = run(case(fees, vs), kb(items), rules=["R08"])
    # 03-02: only line 1 counts: 3 > 2, (3-2) × 30/3 = 10
    assert amounts(r, "mdtrt_id", "med_list_codg", "date") == {("V1", "X", D2): Decimal("10")}


# R09 "sum of cnt per encounter and item > max_units_per_visit"; amount as R08

def test_r09_sums_refunds_of_any_date_and_averages_the_price():
    items = [{"med_list_codg": "X", "max_units_per_visit": "4"}]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 3, 10), fee("V1", "2", "X", "2024-03-03 08:00", 3, 12),
            fee("V1", "r1", "X", "2024-03-04 08:00", -1, 10, init_feedetl_sn="1")]
    r = run(case(fees, INP), kb(items), rules=["R09"])
    # sum 5 > 4; amount 1 × (30 + 36 - 10) / 5 = 11.2
    assert amounts(r, "mdtrt_id", "med_list_codg") == {("V1", "X"): Decimal("11.2")}
    # exactly the limit: no hit
    fees.append(fee("V1", "r2", "X", "2024-03-04 09:00", -1, 12, init_feedetl_sn="2"))
    assert len(run(case(fees, INP), kb(items), rules=["R09"]).hits) == 0


# R14 "sum of cnt of the encounter's lines under an order (same mdtrt_id and drord_no) > its total_cnt"

def _order(m, no, total):
    return {"mdtrt_id": m, "drord_no": no, "med_list_codg": "D", "begin_time": "2024-03-01 10:00", "total_cnt": total}


def test_r14_lines_count_under_their_own_order_and_encounter():
    vs = INP + [visit("V2", "2024-03-01 09:00", "2024-03-05 10:00", psn_no="P2")]
    orders = [_order("V1", "o1", "4"), _order("V2", "o1", "4")]
    fees = [fee("V1", "1", "D", "2024-03-02 08:00", 3, 2, drord_no="o1"),
            fee("V1", "2", "D", "2024-03-03 08:00", 2, 2, drord_no="o1"),
            # the refund carries no order number: it is counted under its own (empty) order, not o1
            fee("V1", "r2", "D", "2024-03-03 09:00", -2, 2, init_feedetl_sn="2"),
            # same order number in another encounter: V2's own order, 3 ≤ 4
            fee("V2", "1", "D", "2024-03-02 08:00", 3, 2, drord_no="o1")]
    r = run(case(fees, vs, orders=orders), rules=["R14"])
    # V1/o1: 5 > 4; (5 - 4) × 10 / 5 = 2
    assert amounts(r, "mdtrt_id", "drord_no") == {("V1", "o1"): Decimal("2")}
    # with the refund under o1 the order sums 3: no hit
    fees[2] = fee("V1", "r2", "D", "2024-03-03 09:00", -2, 2, init_feedetl_sn="2", drord_no="o1")
    assert len(run(case(fees, vs, orders=orders), rules=["R14"]).hits) == 0


def test_r14_order_lines_of_any_item_count_and_equal_total_is_no_hit():
    orders = [_order("V1", "o1", "4")]
    fees = [fee("V1", "1", "D", "2024-03-02 08:00", 2, 3, drord_no="o1"),
            fee("V1", "2", "E", "2024-03-02 08:00", 2, 5, drord_no="o1")]
    assert len(run(case(fees, INP, orders=orders), rules=["R14"]).hits) == 0
    fees.append(fee("V1", "3", "E", "2024-03-03 08:00", 1, 5, drord_no="o1"))
    r = run(case(fees, INP, orders=orders), rules=["R14"])
    # 5 > 4: (5 - 4) × (6 + 10 + 5) / 5 = 4.2
    assert amounts(r, "mdtrt_id", "drord_no") == {("V1", "o1"): Decimal("4.2")}
    assert sorted(r.hit_lines["feedetl_sn"]) == ["1", "2", "3"]


# R15 "sum of cnt of the item's lines dated in [period_start, period_end] > (opening + purchased − closing) × pack_ratio"

def test_r15_refunds_count_on_their_own_date_across_encounters():
    inv = [{"med_list_codg": "D", "period_start": "2024-03-01", "period_end": "2024-03-31", "opening_qty": "0",
            "purchased_qty": "4", "closing_qty": "0"}]
    vs = INP + [visit("V2", "2024-02-25 09:00", "2024-03-05 10:00", psn_no="P2")]
    fees = [fee("V1", "1", "D", "2024-03-02 08:00", 3, 2), fee("V2", "1", "D", "2024-02-28 08:00", 4, 2),
            fee("V2", "r1", "D", "2024-03-01 08:00", -1, 2, init_feedetl_sn="1"),   # refund inside, original outside
            fee("V2", "2", "D", "2024-03-04 08:00", 3, 2)]
    r = run(case(fees, vs, inventory=inv), rules=["R15"])
    # in March: 3 - 1 + 3 = 5 > 4; (5 - 4) × (6 - 2 + 6) / 5 = 2
    assert amounts(r, "med_list_codg", "period_start") == {("D", dt.date(2024, 3, 1)): Decimal("2")}


def test_r15_stock_exactly_used_is_no_hit():
    inv = [{"med_list_codg": "D", "period_start": "2024-03-01", "period_end": "2024-03-02", "opening_qty": "2",
            "purchased_qty": "1", "closing_qty": "1.5", "pack_ratio": "2"}]
    fees = [fee("V1", "1", "D", "2024-03-02 23:59", 3, 2)]       # (2 + 1 - 1.5) × 2 = 3
    assert len(run(case(fees, INP, inventory=inv), rules=["R15"]).hits) == 0


# R21 "inpatient encounters, items of category bed: sum of cnt per encounter and item > stay length"

def test_r21_refunds_included_each_bed_item_apart_inpatient_only():
    items = [{"med_list_codg": "B", "category": "bed"}, {"med_list_codg": "B2", "category": "bed"}]
    vs = INP + [visit("O1", "2024-03-01 09:00", "2024-03-02 10:00", med_type="11", psn_no="P2"),
                visit("N1", "2024-03-01 09:00", None, psn_no="P3")]   # no discharge date: not checked
    fees = [fee("V1", "1", "B", "2024-03-01 10:00", 5, 40),
            fee("V1", "r1", "B", "2024-03-06 10:00", -1, 40, init_feedetl_sn="1"),   # 4 = stay: no hit
            fee("V1", "2", "B2", "2024-03-02 10:00", 3, 10), fee("V1", "3", "B2", "2024-03-03 10:00", 3, 10),
            fee("O1", "1", "B", "2024-03-01 10:00", 9, 40),
            fee("N1", "1", "B", "2024-03-01 10:00", 9, 40)]
    r = run(case(fees, vs), kb(items), rules=["R21"])
    # V1/B2: 6 > 4 (01..05, 计入不计出): (6 - 4) × 60 / 6 = 20
    assert amounts(r, "mdtrt_id", "med_list_codg") == {("V1", "B2"): Decimal("20")}


# R23 "the sum of the encounter's settlements' medfee_sumamt differs from the sum of its line amounts (refunds
# included) by … 0.015 or more" | "the difference if the settlements are higher, else 0"

def test_r23_only_settled_encounters_and_amount_only_when_settlement_higher():
    vs = [visit(f"V{i}", "2024-03-01 09:00", "2024-03-05", psn_no=f"P{i}") for i in range(1, 5)]
    fees = [fee("V1", "1", "X", "2024-03-02", 1, 100), fee("V2", "1", "X", "2024-03-02", 1, 100),
            fee("V3", "1", "X", "2024-03-02", 1, 100),
            fee("V3", "r1", "X", "2024-03-04", -1, 30, amt="-30", init_feedetl_sn="1")]
    setl = [{"setl_id": "S1", "mdtrt_id": "V1", "medfee_sumamt": "99.9851"},   # lines higher by 0.0149: no hit
            {"setl_id": "S3", "mdtrt_id": "V3", "medfee_sumamt": "100"},       # lines 70: settlement higher by 30
            {"setl_id": "S4", "mdtrt_id": "V4", "medfee_sumamt": "12.5"},      # no lines at all: 0
            {"setl_id": "S5", "mdtrt_id": "V2", "medfee_sumamt": "0"}]         # lines higher: amount 0
    r = run(case(fees, vs, settlements=setl), rules=["R23"])
    assert amounts(r, "mdtrt_id") == {("V2",): Decimal("0"), ("V3",): Decimal("30"), ("V4",): Decimal("12.5")}
    # V3's one original line carries the whole 30 in the hit lines
    lines = r.hit_lines[r.hit_lines["mdtrt_id"] == "V3"]
    assert list(lines["feedetl_sn"]) == ["1"] and Decimal(lines["amount"].iloc[0]) == Decimal("30")


def test_empty_limits_mean_no_check():
    items = [{"med_list_codg": "X"}]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 99, 1, drord_no="o1")]
    orders = [{"mdtrt_id": "V1", "drord_no": "o1", "med_list_codg": "X", "begin_time": "2024-03-01 10:00"}]
    r = run(case(fees, INP, orders=orders), kb(items), rules=["R08", "R09", "R14"])
    assert r.run.rules_run == ("R08", "R09", "R14") and len(r.hits) == 0
    assert keys(r) == []


def test_r21_inpatient_codes_from_the_knowledge_base_with_prefix_star():
    """"a knowledge base may list further inpatient codes in kb_thresholds as inpatient_med_types
    (;-separated, a trailing * matches any suffix)"."""
    items = [{"med_list_codg": "B", "category": "bed"}]
    vs = [visit("K1", "2024-03-01 09:00", "2024-03-03 10:00", med_type="9901"),
          visit("K2", "2024-03-01 09:00", "2024-03-03 10:00", med_type="77", psn_no="P2"),
          visit("K3", "2024-03-01 09:00", "2024-03-03 10:00", med_type="771", psn_no="P3"),   # not 77 exactly
          visit("K4", "2024-03-01 09:00", "2024-03-03 10:00", med_type="51", psn_no="P4")]    # outpatient
    fees = [fee(m, "1", "B", "2024-03-01 10:00", 3, 10) for m in ("K1", "K2", "K3", "K4")]
    r = run(case(fees, vs), kb(items, thresholds={"inpatient_med_types": "99*; 77"}), rules=["R21"])
    # stay 2 days: (3 - 2) × 30 / 3 = 10
    assert amounts(r, "mdtrt_id", "med_list_codg") == {("K1", "B"): Decimal("10"), ("K2", "B"): Decimal("10")}
