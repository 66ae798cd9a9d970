"""S01–S04, the statistical models: clues (amount 0), each with a case that flags and one that does not."""

from decimal import Decimal

from rule_tables import case, fee, kb, run, visit


def _stay(mid, month, cost, dept="K1", dr="D1", psn=None, day=10):
    """An inpatient encounter discharged in ``month`` (2024) with one fee line of ``cost``."""
    v = visit(mid, f"2024-{month:02d}-{day - 3:02d} 09:00", f"2024-{month:02d}-{day:02d} 10:00", psn_no=psn or f"P{mid}",
              adm_dept_codg=dept, atddr_no=dr)
    return v, fee(mid, "1", "X", f"2024-{month:02d}-{day - 2:02d} 10:00", 1, cost)


def _s01(april_cost):
    vs, fs = [], []
    for i, (m, c) in enumerate([(1, 100), (2, 100), (3, 100), (4, april_cost)]):
        v, f = _stay(f"V{i}", m, c)
        vs.append(v)
        fs.append(f)
    return run(case(fs, vs), rules=["S01"])


def test_s01_growth_above_ratio_flags_the_department_month():
    r = _s01(131)  # 131 > mean(100, 100, 100) × 1.3
    assert len(r.hits) == 1
    h = r.hits.iloc[0]
    assert h["subject"] == "K1" and str(h["period_start"]) == "2024-04-01" and h["amount"] == 0
    assert h["grain"] == "department-month"
    # money as people write it (issue 18): not 131.0 元
    assert h["detail"] == "科室 K1 2024-04 住院次均费用 131.00 元（1 人次），前 3 个月次均 100.00 元，增长 31.0%"


def test_s01_growth_at_the_ratio_or_without_three_previous_months_is_no_hit():
    assert len(_s01(130).hits) == 0  # exactly 30% more: not "more than"
    v, f = _stay("V9", 4, 500)
    w, g = _stay("V8", 3, 100)
    assert len(run(case([f, g], [v, w]), rules=["S01"]).hits) == 0


def _dispersed(mid, daily, dept="K1"):
    v = visit(mid, "2024-03-01 09:00", "2024-03-20 10:00", psn_no=f"P{mid}", adm_dept_codg=dept)
    fs = [fee(mid, str(i), "X", f"2024-03-{2 + i:02d} 10:00", 1, c) for i, c in enumerate(daily)]
    return v, fs


def _s02(odd):
    vs, fs = [], []
    for i in range(5):
        v, f = _dispersed(f"V{i}", [100, 100, 100])
        vs.append(v)
        fs += f
    v, f = _dispersed("V9", odd)
    return run(case(fs + f, vs + [v]), rules=["S02"])


def test_s02_daily_cost_dispersion_above_the_departments_99th_percentile():
    r = _s02([10, 500, 20])
    assert list(r.hits["mdtrt_id"]) == ["V9"] and r.hits.iloc[0]["amount"] == 0
    assert len(r.hit_lines) == 3 and set(r.hit_lines["amount"]) == {Decimal(0)}  # the encounter's lines, clue


def test_s02_same_dispersion_everywhere_is_no_hit():
    assert len(_s02([100, 100, 100]).hits) == 0  # equal to the percentile is not above it


def _s03(n_doctors, n_high=1):
    vs, fs = [], []
    for d in range(n_doctors):
        v, f = _stay(f"V{d}", 3, 1000 if d < n_high else 100, dr=f"D{d}")
        vs.append(v)
        fs.append(f)
    return run(case(fs, vs), kb(thresholds={"outlier_z": "1.5"}), rules=["S03"])


def test_s03_doctor_outlier_in_a_department_of_five():
    r = _s03(5)  # mean 280, sd 402.5: 1000 > 280 + 1.5 × 402.5
    assert list(r.hits["subject"]) == ["K1/D0"] and r.hits.iloc[0]["grain"] == "doctor"
    assert "次均费用 1,000.00 元（1 人次），科室 5 名医生均值 280.00 元、标准差 402.49 元" in r.hits.iloc[0]["detail"]


def test_s03_needs_five_doctors_and_a_real_outlier():
    assert len(_s03(4).hits) == 0
    assert len(_s03(5, n_high=2).hits) == 0  # 1000, 1000, 100 ×3: mean 460, sd 492.9 → 1000 < 1199


def _s04(top_uses, n_top=1):
    items = [{"med_list_codg": "M1", "category": "high_value_material"}]
    vs, fs, ops = [], [], []
    for d in range(5):
        mid = f"V{d}"
        vs.append(visit(mid, "2024-03-01 09:00", "2024-03-05 10:00", psn_no=f"P{d}"))
        fs.append(fee(mid, "1", "M1", "2024-03-02 10:00", top_uses if d < n_top else 1, 100))
        ops.append({"mdtrt_id": mid, "oprn_code": "36.06", "oper_dr_codg": f"S{d}"})
    return run(case(fs, vs, operations=ops), kb(items, thresholds={"outlier_z": "1.5"}), rules=["S04"])


def test_s04_material_uses_per_operation_above_peers():
    r = _s04(10)  # rates 10,1,1,1,1: mean 2.8, sd 4.02 → 10 > 8.84
    assert [(h["subject"], h["med_list_codg"]) for _, h in r.hits.iterrows()] == [("S0", "M1")]
    assert r.hits.iloc[0]["grain"] == "doctor-item" and r.hits.iloc[0]["amount"] == 0
    assert r.hits.iloc[0]["detail"] == "医生 S0 每台手术使用高值耗材 M1 10 个，5 名术者均值 2.8、标准差 4.02"  # not 10.0 个


def test_s04_equal_use_is_no_hit():
    assert len(_s04(1).hits) == 0
    assert len(_s04(10, n_top=2).hits) == 0  # rates 10,10,1,1,1: mean 4.6, sd 4.93 → 10 < 12.0
