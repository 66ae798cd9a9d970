"""Audit of the runner against rules.md: "a case's total amount counts each fee line's money at most once
(the largest amount any rule assigns to it; group amounts are spread over their lines in proportion to
amount)" and the hits file ("keys left empty where the grain has no such key", dates YYYY-MM-DD, amounts
with two decimals)."""

import csv
from decimal import Decimal

from feijian.rules import case_total, write_hits_csv

from rule_tables import case, fee, kb, run, visit

INP = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")]


def test_case_total_spreads_groups_by_amount_and_takes_each_lines_largest():
    items = [{"med_list_codg": "X", "max_units_per_day": "1", "max_units_per_visit": "2", "price_cap_l3": "8"}]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 2, 10), fee("V1", "2", "X", "2024-03-02 09:00", 1, 10),
            fee("V1", "3", "X", "2024-03-03 08:00", 1, 10)]
    r = run(case(fees, INP), kb(items), rules=["R02", "R08", "R09"])
    by = {}
    for row in r.hit_lines.itertuples(index=False):
        by.setdefault(row.feedetl_sn, []).append(Decimal(row.amount))
    # R08 (03-02): (3 − 1) × 30 / 3 = 20 over lines 1 and 2 in proportion 20 : 10
    # R09: (4 − 2) × 40 / 4 = 20 over lines 1, 2, 3 in proportion 20 : 10 : 10
    # R02: (10 − 8) × cnt = 4, 2, 2
    assert sorted(by["1"]) == [Decimal(4), Decimal(10), Decimal("13.3333333333")]
    assert sorted(by["2"]) == [Decimal(2), Decimal(5), Decimal("6.6666666667")]
    assert sorted(by["3"]) == [Decimal(2), Decimal(5)]
    # each line once, with its largest amount: 13.33… + 6.66… + 5
    assert case_total(r.hit_lines) == Decimal("25.00") == r.run.total_amount


def test_case_total_keys_lines_by_encounter_and_serial():
    items = [{"med_list_codg": "X", "price_cap_l3": "8"}]
    vs = INP + [visit("V2", "2024-03-01 09:00", "2024-03-05 10:00", psn_no="P2")]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 1, 10), fee("V2", "1", "X", "2024-03-02 08:00", 1, 11)]
    r = run(case(fees, vs), kb(items), rules=["R02"])
    assert case_total(r.hit_lines) == Decimal("5.00")   # 2 + 3: the same serial in two encounters is two lines


def _rows(r, tmp_path):
    out = tmp_path / "hits.csv"
    write_hits_csv(r.hits, out)
    rows = list(csv.reader(out.read_text("utf-8-sig").splitlines()))
    return {row[0]: row for row in rows[1:]}


def test_hits_file_leaves_the_keys_a_grain_has_not_empty(tmp_path):
    items = [{"med_list_codg": "X", "max_units_per_visit": "1"}]
    orders = [{"mdtrt_id": "V1", "drord_no": "o1", "med_list_codg": "X", "begin_time": "2024-03-01 10:00", "total_cnt": "1"}]
    inv = [{"med_list_codg": "X", "period_start": "2024-03-01", "period_end": "2024-03-31", "opening_qty": "1",
            "purchased_qty": "0", "closing_qty": "0"}]
    setl = [{"setl_id": "S1", "mdtrt_id": "V1", "medfee_sumamt": "30.005"}]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 1, 10, drord_no="o1"),
            fee("V1", "2", "X", "2024-03-03 08:00", 1, 10, drord_no="o1")]
    r = run(case(fees, INP, orders=orders, inventory=inv, settlements=setl), kb(items),
            rules=["R09", "R14", "R15", "R23"])
    rows = _rows(r, tmp_path)
    assert rows["R09"][1:9] == ["item-visit", "V1", "", "X", "", "", "", "10.00"]
    assert rows["R14"][1:9] == ["order", "V1", "", "", "", "o1", "", "10.00"]
    assert rows["R15"][1:9] == ["item-period", "", "", "X", "", "", "2024-03-01", "10.00"]
    # 30.005 − 20 = 10.005: shown half up as 10.01
    assert rows["R23"][1:9] == ["visit", "V1", "", "", "", "", "", "10.01"]
    assert all(row[9] for row in rows.values())   # a detail in every row


def test_hits_file_clue_rows_show_zero_amount(tmp_path):
    vs = [visit("A1", "2024-01-01 09:00", "2024-01-10 10:00"), visit("A2", "2024-01-05 09:00", "2024-01-12 10:00")]
    r = run(case([], vs), rules=["R20"])
    assert _rows(r, tmp_path)["R20"][1:9] == ["visit", "A2", "", "", "", "", "", "0.00"]
