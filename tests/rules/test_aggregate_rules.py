"""Aggregating rules: sums of all lines (refunds included, under their own date/order/encounter)."""

from decimal import Decimal

from rule_tables import amounts, case, fee, kb, keys, run, visit

INP = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")]


def test_r08_units_per_day_with_refund_on_own_date():
    items = [{"med_list_codg": "X", "max_units_per_day": "2"}]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 2, 10),
            fee("V1", "2", "X", "2024-03-02 20:00", 2, 12),
            fee("V1", "3", "X", "2024-03-03 08:00", 3, 10),
            fee("V1", "r3", "X", "2024-03-03 09:00", -1, 10, init_feedetl_sn="3"),   # day 3 nets to 2: no hit
            fee("V1", "4", "X", "2024-03-04 08:00", 2, 10),
            fee("V1", "r4", "X", "2024-03-05 09:00", -2, 10, init_feedetl_sn="4"),   # refund counted on 03-05
            fee("V1", "5", "X", "2024-03-05 08:00", 3, 10)]
    r = run(case(fees, INP), kb(items), rules=["R08"])
    got = amounts(r, "mdtrt_id", "med_list_codg", "date")
    import datetime as dt
    # 03-02: sum 4 > 2, amount (4-2) × 44/4 = 22; 03-05: 3 - 2 = 1 ≤ 2: no hit
    assert got == {("V1", "X", dt.date(2024, 3, 2)): Decimal("22")}
    lines = r.hit_lines.sort_values("feedetl_sn")
    assert list(lines["feedetl_sn"]) == ["1", "2"]
    # spread in proportion to amount: 20 and 24 of 44
    assert [Decimal(a) for a in lines["amount"]] == [Decimal(22) * 20 / 44, Decimal(22) * 24 / 44]


def test_r08_exact_limit_and_no_limit():
    items = [{"med_list_codg": "X", "max_units_per_day": "2"}, {"med_list_codg": "Y"}]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 2, 10), fee("V1", "2", "Y", "2024-03-02 08:00", 50, 10)]
    assert len(run(case(fees, INP), kb(items), rules=["R08"]).hits) == 0


def test_r08_average_unit_price_is_exact():
    items = [{"med_list_codg": "X", "max_units_per_day": "1"}]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 1, 10), fee("V1", "2", "X", "2024-03-02 09:00", 1, 10),
            fee("V1", "3", "X", "2024-03-02 10:00", 1, "10.01")]
    r = run(case(fees, INP), kb(items), rules=["R08"])
    # multiplied before dividing; the quotient is kept to 10 decimals, rounded half up
    assert r.hits["amount"][0] == Decimal("20.0066666667")


def test_r09_units_per_visit_repeated_sn_across_encounters():
    items = [{"med_list_codg": "X", "max_units_per_visit": "3"}]
    vs = INP + [visit("V2", "2024-03-01 09:00", "2024-03-05", psn_no="P2")]
    fees = [fee("V1", "1", "X", "2024-03-02 08:00", 2, 10), fee("V1", "2", "X", "2024-03-03 08:00", 2, 10),
            fee("V2", "1", "X", "2024-03-02 08:00", 2, 10), fee("V2", "r", "X", "2024-03-02 08:00", 1, 10, init_feedetl_sn="9")]
    r = run(case(fees, vs), kb(items), rules=["R09"])
    # V2's refund line has no original (sn 9): ignored, so V2 sums to 2
    assert amounts(r, "mdtrt_id", "med_list_codg") == {("V1", "X"): Decimal("10")}


def test_r14_order_total():
    orders = [{"mdtrt_id": "V1", "drord_no": "o1", "med_list_codg": "D", "begin_time": "2024-03-01 10:00", "total_cnt": "4"},
              {"mdtrt_id": "V1", "drord_no": "o2", "med_list_codg": "D", "begin_time": "2024-03-01 10:00", "total_cnt": "5"},
              {"mdtrt_id": "V1", "drord_no": "o3", "med_list_codg": "D", "begin_time": "2024-03-01 10:00"}]
    fees = [fee("V1", "1", "D", "2024-03-02 08:00", 3, 2, drord_no="o1"), fee("V1", "2", "D", "2024-03-03 08:00", 3, 3, drord_no="o1"),
            fee("V1", "3", "D", "2024-03-02 08:00", 5, 2, drord_no="o2"),
            fee("V1", "4", "D", "2024-03-02 08:00", 99, 2, drord_no="o3")]
    r = run(case(fees, INP, orders=orders), rules=["R14"])
    # o1: 6 > 4, (6-4) × 15/6 = 5
    assert amounts(r, "mdtrt_id", "drord_no") == {("V1", "o1"): Decimal("5")}


def test_r15_stock_period_inclusive_with_pack_ratio():
    import datetime as dt
    inv = [{"med_list_codg": "D", "period_start": "2024-03-01", "period_end": "2024-03-31", "opening_qty": "1",
            "purchased_qty": "2", "closing_qty": "1", "pack_ratio": "10"},
           {"med_list_codg": "E", "period_start": "2024-03-01", "period_end": "2024-03-31", "opening_qty": "0",
            "purchased_qty": "5", "closing_qty": "0"}]
    vs = INP + [visit("V2", "2024-03-30 09:00", "2024-04-02", psn_no="P2")]
    fees = [fee("V1", "1", "D", "2024-03-01 00:00", 15, 1), fee("V2", "1", "D", "2024-03-31 23:59", 8, 1),
            fee("V2", "2", "D", "2024-04-01 00:00", 50, 1),       # outside the period
            fee("V1", "2", "E", "2024-03-02 00:00", 5, 1)]          # exactly the stock
    r = run(case(fees, vs, inventory=inv), rules=["R15"])
    assert amounts(r, "med_list_codg", "period_start") == {("D", dt.date(2024, 3, 1)): Decimal("3")}
    assert sorted(r.hit_lines["mdtrt_id"]) == ["V1", "V2"]


def test_r21_bed_days_above_stay_length():
    items = [{"med_list_codg": "B", "category": "bed"}]
    vs = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00"),       # stay 4
          visit("V2", "2024-03-01 09:00", "2024-03-01 18:00", psn_no="P2")]  # same day: stay 1
    fees = [fee("V1", "1", "B", "2024-03-01 10:00", 5, 40), fee("V2", "1", "B", "2024-03-01 10:00", 1, 40)]
    r = run(case(fees, vs), kb(items), rules=["R21"])
    assert amounts(r, "mdtrt_id", "med_list_codg") == {("V1", "B"): Decimal("40")}


def test_r23_settlement_mismatch_threshold():
    vs = [visit(f"V{i}", "2024-03-01 09:00", "2024-03-05", psn_no=f"P{i}") for i in range(1, 6)]
    fees = [fee(f"V{i}", "1", "X", "2024-03-02", 1, 100) for i in range(1, 6)]
    fees.append(fee("V5", "r", "X", "2024-03-02", -1, "0.5", amt="-0.5", init_feedetl_sn="1"))
    setl = [{"setl_id": "S1", "mdtrt_id": "V1", "medfee_sumamt": "100.014"},
            {"setl_id": "S2", "mdtrt_id": "V2", "medfee_sumamt": "60"}, {"setl_id": "S2b", "mdtrt_id": "V2", "medfee_sumamt": "40.015"},
            {"setl_id": "S3", "mdtrt_id": "V3", "medfee_sumamt": "90"},
            {"setl_id": "S5", "mdtrt_id": "V5", "medfee_sumamt": "100"}]
    r = run(case(fees, vs, settlements=setl), rules=["R23"])
    got = amounts(r, "mdtrt_id")
    assert got == {("V2",): Decimal("0.015"), ("V3",): Decimal("0"), ("V5",): Decimal("0.5")}


def test_detail_writes_quantities_as_people_do():
    """The Chinese detail prints 4 units, not 4.0 (DuckDB's decimal text), and keeps real fractions."""
    items = [{"med_list_codg": "X", "max_units_per_day": "2"}]
    whole = run(case([fee("V1", "1", "X", "2024-03-02 08:00", 2, 10), fee("V1", "2", "X", "2024-03-02 20:00", 2, 12)],
                     INP), kb(items), rules=["R08"])
    assert whole.hits["detail"].tolist() == ["项目 X 在 2024-03-02 共 4 个单位，超过日限量 2"]
    part = run(case([fee("V1", "1", "X", "2024-03-02 08:00", 2, 10), fee("V1", "2", "X", "2024-03-02 20:00", "2.5", 12)],
                    INP), kb(items), rules=["R08"])
    assert "共 4.5 个单位" in part.hits["detail"][0]
