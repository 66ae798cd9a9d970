"""Knowledge-base validation and its content hash."""

import pyarrow as pa
import pytest

from feijian.rules import KnowledgeBase, KnowledgeBaseError

from rule_tables import kb


def _t(**cols):
    return pa.table({k: pa.array(v, pa.string()) for k, v in cols.items()})


def test_strings_are_typed_and_unknown_category_is_fine():
    k = KnowledgeBase.from_tables({"kb_items": _t(med_list_codg=["A"], category=["自定义"], price_cap_l3=["1,234.5"],
                                                  inpatient_only=["1"])})
    row = k.items.to_pylist()[0]
    assert str(row["price_cap_l3"]) == "1234.5000" and row["inpatient_only"] is True


@pytest.mark.parametrize("tables, words", [
    ({"kb_items": _t(med_list_codg=["A"], max_units_per_day=["三"])}, "max_units_per_day"),
    ({"kb_items": _t(med_list_codg=["A", "A"])}, "duplicates"),
    ({"kb_items": _t(med_list_codg=["A"], gender_limit=["3"])}, "gender_limit"),
    ({"kb_items": _t(med_list_codg=["A"], age_min=["10"], age_max=["5"])}, "age_min"),
    ({"kb_exclusive_pairs": _t(code_a=["A"], code_b=["B"], scope=["week"])}, "scope"),
    ({"kb_exclusive_pairs": _t(code_a=["A"], code_b=["A"], scope=["day"])}, "code_a equals code_b"),
    ({"kb_exclusive_pairs": _t(code_a=["A", "A"], code_b=["B", "B"], scope=["day", "DAY"])}, "duplicates"),
    ({"kb_thresholds": _t(name=["readmit_days"], value=["thirty"])}, "readmit_days"),
    ({"kb_thresholds": _t(name=["x", "x"], value=["1", "2"])}, "duplicates"),
    ({"kb_procedure_materials": _t(material_codg=["M"], oprn_prefixes=[";"])}, "prefixes"),
    ({"kb_items": _t(name=["no code"])}, "med_list_codg"),
    ({"kb_nonsense": _t(a=["1"])}, "kb_nonsense"),
])
def test_bad_knowledge_base_is_a_clear_error(tables, words):
    with pytest.raises(KnowledgeBaseError) as e:
        KnowledgeBase.from_tables(tables)
    assert words in str(e.value) and "\n" not in str(e.value)


def test_hash_is_canonical():
    a = kb([{"med_list_codg": "A", "price_cap_l1": "10"}, {"med_list_codg": "B"}], thresholds={"readmit_days": 30})
    b = kb([{"med_list_codg": "B"}, {"med_list_codg": "A", "price_cap_l1": "10.00"}], thresholds={"readmit_days": 30})
    c = kb([{"med_list_codg": "A", "price_cap_l1": "11"}, {"med_list_codg": "B"}], thresholds={"readmit_days": 30})
    assert a.hash == b.hash != c.hash
    assert a.threshold("readmit_days") == 30 and a.threshold("idle_bed_days") == 3


def test_full_width_semicolons_separate_prefix_lists():
    """A province's tables typed with a Chinese input method write "；": it separates like ";"."""
    k = KnowledgeBase.from_tables({
        "kb_items": _t(med_list_codg=["A"], dx_limit=["I10；I11"]),
        "kb_procedure_materials": _t(material_codg=["M"], oprn_prefixes=["36.06；36.07"]),
        "kb_thresholds": _t(name=["inpatient_med_types", "readmit_days"], value=["99*；77", "30"])})
    assert k.items.column("dx_limit").to_pylist() == ["I10;I11"]
    assert k.procedure_materials.column("oprn_prefixes").to_pylist() == ["36.06;36.07"]
    assert k.inpatient_med_types == ("99*", "77")
    same = KnowledgeBase.from_tables({
        "kb_items": _t(med_list_codg=["A"], dx_limit=["I10;I11"]),
        "kb_procedure_materials": _t(material_codg=["M"], oprn_prefixes=["36.06;36.07"]),
        "kb_thresholds": _t(name=["inpatient_med_types", "readmit_days"], value=["99*;77", "30"])})
    assert k.hash == same.hash
