"""Amounts and penalty ranges: per finding, and totals per institution, department and doctor."""

from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest

from feijian.casework.findings import create_finding
from feijian.casework.penalties import UNATTRIBUTED, article_rule, penalty_range, penalty_summary, points_range
from feijian.domain.records import ScreeningRun

from memstore import MemoryCaseStore, make_info


def test_article_ranges():
    assert penalty_range(38, Decimal("100")) == (Decimal("100"), Decimal("200"))
    assert penalty_range(40, Decimal("100")) == (Decimal("200"), Decimal("500"))
    assert penalty_range(39, Decimal("123")) == (Decimal("10000"), Decimal("50000"))
    assert penalty_range(15, Decimal("10")) == (Decimal("10"), Decimal("20"))  # Art. 15 duty, punished under 38
    assert penalty_range(0, Decimal("10")) == (0, 0)
    assert article_rule(99) is None
    assert points_range("虚假诊疗", 40) == (10, 12) and points_range("其他", 39) == (1, 3)


def _store():
    store = MemoryCaseStore(make_info())
    store.write_table("b", "fees", pa.table({
        "mdtrt_id": ["V1", "V1", "V2"], "feedetl_sn": ["1", "2", "1"],
        "det_item_fee_sumamt": ["100", "50", "200"], "inscp_scp_amt": ["80", "50", "200"],
        "bilg_dept_codg": ["NK", "NK", ""], "bilg_dr_codg": ["D1", "D2", ""],
    }))
    store.write_table("b", "visits", pa.table({"mdtrt_id": ["V1", "V2"], "adm_dept_codg": ["NK", "WK"], "atddr_no": ["D1", "D9"]}))
    hits = pd.DataFrame({"hit_id": ["a", "b", "c", "d"], "rule_code": ["R01", "R01", "R02", "R22"]})
    lines = pd.DataFrame({"hit_id": ["a", "b", "c", "d"], "mdtrt_id": ["V1", "V1", "V1", "V2"],
                          "feedetl_sn": ["1", "2", "1", "1"], "amount": ["100", "50", "30", "200"]})
    store.save_screening(ScreeningRun("r", "1", "k", (), "", "", ()), hits, lines)
    return store


def test_summary_counts_each_line_once_and_splits_by_department_and_doctor():
    store = _store()
    dup = create_finding(store, title="重复收费", hit_ids=["a", "b"], article=38, category="重复收费")
    cap = create_finding(store, title="超标准", hit_ids=["c"], article=38, category="超标准收费")
    fake = create_finding(store, title="虚构服务", hit_ids=["d"], article=40, category="虚假诊疗")
    data = create_finding(store, title="未按规定传送数据", article=39, category="数据不符")
    s = penalty_summary(store)
    by = {a.finding_id: a for a in s.assessments}
    assert by[dup.finding_id].amount_to_recover == Decimal("150")
    assert (by[dup.finding_id].penalty_min, by[dup.finding_id].penalty_max) == (Decimal("150"), Decimal("300"))
    assert by[dup.finding_id].amount_in_scope == Decimal("130")  # line V1/1 is 80 % in scope
    assert (by[fake.finding_id].penalty_min, by[fake.finding_id].penalty_max) == (Decimal("400"), Decimal("1000"))
    assert (by[data.finding_id].penalty_min, by[data.finding_id].penalty_max) == (Decimal("10000"), Decimal("50000"))
    # V1/1 is in two findings (100 and 30): counted once, at 100
    assert s.overlap == Decimal("30")
    assert s.total_recover == Decimal("350")
    assert s.total_penalty_min == Decimal("150") + Decimal("400") + Decimal("10000")
    assert s.total_penalty_max == Decimal("300") + Decimal("1000") + Decimal("50000")
    dept = dict(zip(s.by_department["department"], s.by_department["recover"]))
    assert dept == {"NK": Decimal("150"), "WK": Decimal("200"), UNATTRIBUTED: Decimal("0")}  # WK from the encounter
    doc = s.by_doctor.set_index("doctor")
    assert doc.loc["D1", "recover"] == Decimal("100") and doc.loc["D9", "recover"] == Decimal("200")
    assert (doc.loc["D9", "points_min"], doc.loc["D9", "points_max"]) == (10, 12)
    assert doc.loc["D9", "status"] == "终止资格风险"
    assert (doc.loc["D1", "points_min"], doc.loc["D1", "points_max"]) == (1, 3)  # only the duplicate finding owns D1's line
    assert by[cap.finding_id].amount_to_recover == Decimal("30")  # its own amount, though it owns no line in the totals


def test_in_scope_basis_and_hand_set_amounts():
    store = _store()
    f = create_finding(store, title="重复收费", hit_ids=["a"], article=38, amount="500")  # e.g. an extrapolated amount
    s = penalty_summary(store, basis="in-scope")
    (a,) = s.assessments
    assert a.amount_gross == Decimal("500") and a.amount_in_scope == Decimal("480")  # 80 in scope + 400 by hand
    assert a.amount_to_recover == Decimal("480") and a.penalty_max == Decimal("960")
    dept = dict(zip(s.by_department["department"], s.by_department["recover"]))
    assert dept == {"NK": Decimal("80"), UNATTRIBUTED: Decimal("400")}
    assert s.total_recover == Decimal("480")
    with pytest.raises(Exception):
        penalty_summary(store, basis="net")
    assert f.amount == Decimal("500")
