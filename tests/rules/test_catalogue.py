"""The catalogue file: every rule of rules.md with the fields the spec requires."""

from feijian.rules.catalogue import CATEGORIES, RULESET_VERSION, load_catalogue

EXPECTED = [f"R{i:02d}" for i in range(1, 30)] + ["S01", "S02", "S03", "S04"]
NEEDS = {"R11": ("diagnoses",), "R18": ("diagnoses",), "R13": ("orders",), "R14": ("orders",), "R15": ("inventory",),
         "R16": ("trace_codes",), "R17": ("operations",), "R19": ("staff",), "R23": ("settlements",),
         **{f"R{i}": ("emr_docs",) for i in range(24, 30)}}


def test_catalogue_complete():
    cat = load_catalogue()
    assert list(cat) == EXPECTED and RULESET_VERSION
    for code, m in cat.items():
        assert m.name_zh and m.name_en and m.check_path and "条例" in m.legal_basis
        assert m.category in CATEGORIES and m.article in (15, 38, 39, 40)
        if code in NEEDS:
            assert m.needs == NEEDS[code]
        elif code.startswith("R"):
            assert m.needs == ()
    # records.md: grains and categories of the record rules
    assert [cat[f"R{i}"].grain for i in range(24, 30)] == ["line", "line", "item-visit", "line", "item-day", "line"]
    assert [cat[f"R{i}"].category for i in range(24, 30)] == ["虚假诊疗", "虚假诊疗", "虚计耗材", "串换", "虚假诊疗", "挂床"]
    assert cat["R08"].grain == "item-day" and cat["R15"].grain == "item-period" and cat["R14"].grain == "order"
