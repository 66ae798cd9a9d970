"""自查自纠: corrections, the self-report's totals, the signed package and the inspection case's split."""

from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest

from feijian.casework import self_inspection as si
from feijian.casework.findings import create_finding
from feijian.crypto.identity import create_identity
from feijian.domain.errors import InputError
from feijian.domain.records import ScreeningRun

from memstore import MemoryCaseStore, make_info


def _store(hit_ids=("a", "b", "c", "d")):
    store = MemoryCaseStore(make_info())
    store.write_table("b", "fees", pa.table({
        "mdtrt_id": ["V1", "V1", "V2", "V3"], "feedetl_sn": ["1", "2", "1", "1"],
        "det_item_fee_sumamt": ["100", "50", "200", "10"], "bilg_dept_codg": ["NK", "NK", "", "EK"],
        "bilg_dr_codg": ["D1", "D2", "", "D3"]}))
    store.write_table("b", "visits", pa.table({"mdtrt_id": ["V1", "V2", "V3"], "adm_dept_codg": ["NK", "WK", "EK"],
                                               "atddr_no": ["D1", "D9", "D3"]}))
    all_hits = {"a": ("R01", "V1", "1", "100"), "b": ("R01", "V1", "2", "50"), "c": ("R02", "V2", "1", "200"),
                "d": ("R06", "V3", "1", "10")}
    sel = [h for h in hit_ids if h in all_hits]
    hits = pd.DataFrame({"hit_id": sel, "rule_code": [all_hits[h][0] for h in sel],
                         "amount": [all_hits[h][3] for h in sel]})
    lines = pd.DataFrame({"hit_id": sel, "mdtrt_id": [all_hits[h][1] for h in sel],
                          "feedetl_sn": [all_hits[h][2] for h in sel], "amount": [all_hits[h][3] for h in sel]})
    store.save_screening(ScreeningRun("r", "1", "k", (), "", "", ("R01", "R02", "R06")), hits, lines)
    return store


def test_mark_report_package_and_split():
    own = _store()
    with pytest.raises(InputError, match="self-inspection"):
        si.mark_corrected(own, "a", "100")
    si.start(own, staff="医保办")
    si.mark_corrected(own, "a", "100", note="已退回")
    si.mark_corrected(own, "c", "150")
    with pytest.raises(InputError, match="exceeds"):
        si.mark_corrected(own, "b", "51")
    with pytest.raises(InputError, match="no hit"):
        si.mark_corrected(own, "zz", "1")
    rep = si.self_report(own)
    assert rep.hits_total == 4 and rep.amount_total == Decimal("360") and rep.refund_total == Decimal("250")
    by_rule = rep.by_rule.set_index("rule_code")
    assert by_rule.loc["R01", "hits"] == 2 and by_rule.loc["R01", "corrected"] == 1
    by_dept = rep.by_department.set_index("department")
    assert by_dept.loc["WK", "refund"] == Decimal("150")  # no billing department: the visit's
    assert by_dept.loc["NK", "amount"] == Decimal("150")

    staff = create_identity("院内医保办", "H-01")
    pkg = si.export_package(own, staff)
    assert b"V1" not in pkg.body  # no visit identifiers leave in the package
    content = si.verify_package(pkg)
    assert [d["hit_id"] for d in content["declared"]] == ["a", "c"]

    # the inspection case finds a, b, c and d; a and c were declared
    insp = _store()
    assert si.split_hits(insp) is None
    f1 = create_finding(insp, title="重复", hit_ids=["a"], article=38)
    f2 = create_finding(insp, title="混合", hit_ids=["b", "c"], article=38)
    si.import_package(insp, pkg)
    split = si.split_hits(insp)
    assert split.declared == ("a", "c") and split.not_declared == ("b", "d")
    assert split.declared_amount == Decimal("300") and split.not_declared_amount == Decimal("60")
    assert si.finding_conditions(insp, [f1, f2]) == {f1.finding_id: ["self_declared"], f2.finding_id: ["not_declared"]}


def test_package_tampering_and_other_institution_refused():
    own = _store()
    si.start(own)
    si.mark_corrected(own, "a", "10")
    pkg = si.export_package(own, create_identity("x", "1"))
    assert b'"10.00"' in pkg.body  # money to the cent
    bad = si.SelfPackage(pkg.body.replace(b'"10.00"', b'"0.00"'), pkg.signature)
    with pytest.raises(InputError, match="signature"):
        si.verify_package(bad)
    other = MemoryCaseStore(make_info(medins_code="H999"))
    with pytest.raises(InputError, match="another institution"):
        si.import_package(other, pkg)


def test_declared_but_not_found():
    own = _store()
    si.start(own)
    si.mark_corrected(own, "d", "10")
    insp = _store(hit_ids=("a", "b"))
    si.import_package(insp, si.export_package(own, create_identity("x", "1")))
    split = si.split_hits(insp)
    assert split.declared == () and split.not_declared == ("a", "b") and split.declared_not_found == ("d",)


def test_statuses_bulk_marks_and_package_files(tmp_path):
    own = _store()
    si.start(own)
    with pytest.raises(InputError, match="row 2"):
        si.mark_many(own, [("a", "100", ""), ("b", "60", "")])  # b's amount is 50
    assert si.corrections(own.state()) == {}  # nothing written when a row is bad
    with pytest.raises(InputError, match="twice"):
        si.mark_many(own, [("a", "1", ""), ("a", "2", "")])
    si.mark_many(own, [("a", "100", "退"), ("c", "0", "")])
    assert {h for h, c in si.corrections(own.state()).items() if c.corrected} == {"a", "c"}
    pkg = si.export_package(own, create_identity("x", "1"))
    body, sig = si.write_package(pkg, tmp_path / "self.json")
    assert sig.name == "self.json.minisig"
    back = si.read_package(body)
    assert back == pkg
    sig.unlink()
    with pytest.raises(InputError, match="missing"):
        si.read_package(body)

    insp = _store()
    assert si.hit_statuses(insp) is None
    f_all = create_finding(insp, title="全申报", hit_ids=["a", "c"], article=38)
    f_some = create_finding(insp, title="部分", hit_ids=["a", "b"], article=38)
    f_none = create_finding(insp, title="手工", amount="5", article=38)
    assert si.finding_statuses(insp, [f_all, f_some, f_none]) == {}
    si.import_package(insp, pkg)
    assert si.hit_statuses(insp) == {"a": si.DECLARED, "b": si.NOT_DECLARED, "c": si.DECLARED, "d": si.NOT_DECLARED}
    assert si.finding_statuses(insp, [f_all, f_some, f_none]) == {f_all.finding_id: si.DECLARED,
                                                                  f_some.finding_id: si.NOT_DECLARED}


def test_report_total_counts_a_fee_line_once():
    """Two hits on the same fee line (R01 and R06 both flag V1/1) are its money once in the whole amount, as in
    the screening run; each rule's row still shows its own hit."""
    store = _store(("a", "b"))
    hits = pd.DataFrame({"hit_id": ["a", "e"], "rule_code": ["R01", "R06"], "amount": ["100", "100"]})
    lines = pd.DataFrame({"hit_id": ["a", "e"], "mdtrt_id": ["V1", "V1"], "feedetl_sn": ["1", "1"],
                          "amount": ["100", "100"]})
    store.save_screening(ScreeningRun("r2", "1", "k", (), "", "", ("R01", "R06")), hits, lines)
    rep = si.self_report(store)
    assert rep.hits_total == 2 and rep.amount_total == Decimal("100")
    assert rep.by_rule.set_index("rule_code").loc["R06", "amount"] == Decimal("100")

