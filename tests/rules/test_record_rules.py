"""Rules R24–R29 of records.md on tiny tables written here: each rule's hits, boundaries and amounts, the
"not run" reasons, and the engine's vectorised reading of the documents against the reference module."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rule_tables import amounts, case, doc, fee, kb, keys, run, visit

from feijian.rules.record_text import document_mentions, normal_terms, split_list

INP = [visit("V1", "2024-03-01 09:00", "2024-03-10 10:00")]
CT = {"med_list_codg": "CT", "doc_types": "exam_report", "terms": "CT;计算机断层"}
LAB = {"med_list_codg": "CBC", "doc_types": "检验报告", "terms": "血常规"}
OP = {"med_list_codg": "PCI", "doc_types": "operation", "terms": "经皮冠状动脉介入;PCI"}
STENT = {"med_list_codg": "ST", "doc_types": "operation", "terms": "支架;药物洗脱支架"}
NUR1 = {"med_list_codg": "N1", "doc_types": "nursing", "terms": "一级护理;Ⅰ级护理"}
NUR2 = {"med_list_codg": "N2", "doc_types": "nursing", "terms": "二级护理;Ⅱ级护理"}
DIAL = {"med_list_codg": "HD", "doc_types": "treatment", "terms": "血液透析"}
ITEMS = [{"med_list_codg": "ST", "category": "high_value_material"}, {"med_list_codg": "PCI", "category": "surgery"},
         {"med_list_codg": "N1", "category": "nursing"}, {"med_list_codg": "N2", "category": "nursing"},
         {"med_list_codg": "BED", "category": "bed"}, {"med_list_codg": "DIET", "category": "diet"}]
KB = kb(ITEMS, materials=[{"material_codg": "ST", "oprn_prefixes": "36.06"}],
        terms=[CT, LAB, OP, STENT, NUR1, NUR2, DIAL])


def screen(fees, docs, rules, knowledge=KB, visits=INP):
    return run(case(fees, visits, emr_docs=docs), knowledge, rules=rules)


# R24 -----------------------------------------------------------------------------------------------------

def test_r24_report_window_is_fee_date_to_fee_date_plus_report_days():
    fees = [fee("V1", str(i), "CT", f"2024-03-0{i} 10:00", 1, 200) for i in range(1, 6)]
    docs = [doc("D1", "V1", "exam_report", "2024-03-04 08:00", "胸部CT平扫：双肺纹理清晰")]
    # fee 1: window 1..4 holds the report; 2,3,4 too; fee 5: window 5..8 does not (report dated before)
    assert keys(screen(fees, docs, ["R24"])) == [("V1", "5")]
    tighter = kb(ITEMS, terms=[CT], thresholds={"report_days": 2})
    assert keys(screen(fees, docs, ["R24"], tighter)) == [("V1", "1"), ("V1", "5")]


def test_r24_a_report_one_day_after_the_window_is_a_hit_and_the_amount_is_the_net_amount():
    fees = [fee("V1", "1", "CT", "2024-03-02 10:00", 2, 200),
            fee("V1", "r", "CT", "2024-03-03 10:00", -1, 200, init_feedetl_sn="1")]
    docs = [doc("D1", "V1", "exam_report", "2024-03-06 08:00", "CT 检查所见：未见异常")]
    res = screen(fees, docs, ["R24"])
    assert amounts(res) == {("V1", "1"): Decimal("200")}
    assert "2024-03-02 至 2024-03-05" in res.hits["detail"].iloc[0]


def test_r24_negated_mentions_other_types_other_items_and_titles_do_not_count():
    fees = [fee("V1", str(i), "CT", "2024-03-02 10:00", 1, 200, feedetl_sn=str(i)) for i in range(1, 2)]
    for text, typ, hit in [("未行CT检查", "exam_report", True), ("取消CT", "exam_report", True),
                           ("CT未见异常", "exam_report", False), ("CT示肺炎", "progress", True),
                           ("血常规正常", "exam_report", True), ("ＣＴ检查", "exam_report", False),
                           ("计算机 断层扫描", "exam_report", False), ("计算机，断层", "exam_report", True),
                           ("c t 检查", "exam_report", False),
                           ("未行CT增强，改行CT平扫", "exam_report", False),  # the first is negated, the second not
                           ("取消CT；拒绝CT检查", "exam_report", True)]:
        res = screen(fees, [doc("D1", "V1", typ, "2024-03-02 12:00", text)], ["R24"])
        assert (len(res.hits) == 1) is hit, (text, typ)
    titled = [doc("D1", "V1", "exam_report", "2024-03-02 12:00", "检查所见：正常", title="CT报告")]
    assert len(screen(fees, titled, ["R24"]).hits) == 1


def test_r24_quotes_a_negated_clause_and_says_when_no_document_of_the_type_exists():
    fees = [fee("V1", "1", "CT", "2024-03-02 10:00", 1, 200), fee("V1", "2", "CBC", "2024-03-02 10:00", 1, 20)]
    docs = [doc("D1", "V1", "exam_report", "2024-03-02 12:00", "患者拒绝CT检查，改行超声")]
    hits = screen(fees, docs, ["R24"]).hits.set_index("feedetl_sn")["detail"]
    assert "「患者拒绝CT检查」（否定）" in hits["1"]
    assert "检验报告" in hits["2"] and "该期间无此类文书" in hits["2"]


def test_r24_fully_refunded_lines_are_no_hits():
    fees = [fee("V1", "1", "CT", "2024-03-02 10:00", 1, 200),
            fee("V1", "r", "CT", "2024-03-02 11:00", -1, 200, init_feedetl_sn="1")]
    assert len(screen(fees, [doc("D1", "V1", "nursing", "2024-03-02 12:00", "一般情况可")], ["R24"]).hits) == 0


# R25 -----------------------------------------------------------------------------------------------------

def test_r25_operation_note_within_one_day_either_side():
    fees = [fee("V1", "1", "PCI", "2024-03-03 10:00", 1, 3000), fee("V1", "2", "PCI", "2024-03-05 10:00", 1, 3000),
            fee("V1", "3", "PCI", "2024-03-06 10:00", 1, 3000)]
    docs = [doc("D1", "V1", "operation", "2024-03-04 09:00", "在局麻下行经皮冠状动脉介入治疗")]
    assert keys(screen(fees, docs, ["R25"])) == [("V1", "3")]


def test_r25_leaves_high_value_materials_to_r26_and_checks_items_absent_from_kb_items():
    knowledge = kb(ITEMS, terms=[OP, STENT, {"med_list_codg": "APP", "doc_types": "operation", "terms": "阑尾切除"}])
    fees = [fee("V1", "1", "ST", "2024-03-03 10:00", 1, 800), fee("V1", "2", "APP", "2024-03-03 10:00", 1, 900)]
    assert keys(screen(fees, [], ["R25"], knowledge)) == [("V1", "2")]


# R26 -----------------------------------------------------------------------------------------------------

def test_r26_billed_above_the_documented_count():
    fees = [fee("V1", "1", "ST", "2024-03-03 10:00", 3, 800)]
    docs = [doc("D1", "V1", "operation", "2024-03-03 12:00", "于前降支植入药物洗脱支架两枚，术程顺利")]
    res = screen(fees, docs, ["R26"])
    assert amounts(res, "mdtrt_id", "med_list_codg") == {("V1", "ST"): Decimal("800")}
    assert "记载 2 个" in res.hits["detail"].iloc[0] and "植入药物洗脱支架两枚" in res.hits["detail"].iloc[0]


def test_r26_counts_sum_over_documents_of_their_largest_mention():
    fees = [fee("V1", "1", "ST", "2024-03-03 10:00", 3, 800), fee("V1", "2", "ST", "2024-03-04 10:00", 1, 800)]
    docs = [doc("D1", "V1", "operation", "2024-03-03 12:00", "植入支架1枚。再植入支架2枚"),
            doc("D2", "V1", "operation", "2024-03-04 12:00", "支架植入术"),     # no count: 1
            doc("D3", "V1", "progress", "2024-03-04 12:00", "支架5枚"),         # not a document of the item
            doc("D4", "V1", "operation", "2024-03-05 12:00", "未植入支架3枚")]   # negated: 0
    res = screen(fees, docs, ["R26"])
    assert amounts(res, "mdtrt_id", "med_list_codg") == {("V1", "ST"): Decimal("800")}  # 4 billed, 3 recorded


def test_r26_quotes_the_clause_whose_mention_gave_the_count():
    def detail(texts, billed):
        docs = [doc(f"D{i}", "V1", "operation", f"2024-03-0{3 + i} 12:00", t) for i, t in enumerate(texts)]
        return screen([fee("V1", "1", "ST", "2024-03-03 10:00", billed, 800)], docs, ["R26"]).hits["detail"].iloc[0]

    # two clauses with counts: the larger one decides, wherever it stands; a tie quotes the first
    assert detail(["植入支架1枚。回旋支再植入支架2枚"], 3).endswith("记载 2 个：「回旋支再植入支架2枚」")
    assert detail(["前降支植入支架3枚。回旋支植入支架2枚"], 4).endswith("记载 3 个：「前降支植入支架3枚」")
    assert detail(["支架置入术，植入支架2枚；术后造影示支架2枚通畅"], 3).endswith("：「植入支架2枚」")
    # a negated larger count is no count: the clause quoted is the one counted
    assert detail(["植入支架1枚；未植入支架3枚"], 2).endswith("记载 1 个：「植入支架1枚」")
    # two documents: their counts add up, the quote is the document with the larger count
    assert detail(["支架2枚", "再次手术，植入支架3枚"], 9).endswith("记载 5 个（2 份文书，其一：「植入支架3枚」）")


def test_r26_a_material_term_inside_a_procedure_name_is_a_mention_counting_one():
    # records.md nests an item's own terms only: 支架 in 支架置入术 (the PCI item's term) counts 1 stent
    knowledge = kb(ITEMS, materials=[{"material_codg": "ST", "oprn_prefixes": "36.06"}],
                   terms=[STENT, {**OP, "terms": "支架置入术;PCI"}])
    docs = [doc("D1", "V1", "operation", "2024-03-03 12:00", "于前降支行经皮冠状动脉支架置入术（PCI）")]
    one = [fee("V1", "1", "ST", "2024-03-03 10:00", 1, 800)]
    assert len(screen(one, docs, ["R26"], knowledge).hits) == 0
    res = screen([fee("V1", "1", "ST", "2024-03-03 10:00", 2, 800)], docs, ["R26"], knowledge)
    assert "记载 1 个" in res.hits["detail"].iloc[0]


def test_r26_chinese_numerals_equal_to_the_bill_and_refunds_are_near_misses():
    fees = [fee("V1", "1", "ST", "2024-03-03 10:00", 12, 800)]
    docs = [doc("D1", "V1", "operation", "2024-03-03 12:00", "共植入支架十二枚")]
    assert len(screen(fees, docs, ["R26"]).hits) == 0
    fees = [fee("V1", "1", "ST", "2024-03-03 10:00", 3, 800),
            fee("V1", "r", "ST", "2024-03-03 11:00", -1, 800, init_feedetl_sn="1")]
    docs = [doc("D1", "V1", "operation", "2024-03-03 12:00", "植入药物洗脱支架2枚")]
    assert len(screen(fees, docs, ["R26"]).hits) == 0


def test_r26_amount_uses_the_average_unit_price_and_no_mention_means_zero():
    fees = [fee("V1", "1", "ST", "2024-03-03 10:00", 1, 800), fee("V1", "2", "ST", "2024-03-03 10:00", 1, 900)]
    res = screen(fees, [doc("D1", "V1", "operation", "2024-03-03 12:00", "手术顺利")], ["R26"])
    assert amounts(res, "mdtrt_id", "med_list_codg") == {("V1", "ST"): Decimal("1700")}
    assert "没有提及" in res.hits["detail"].iloc[0]


def test_r26_only_materials_listed_with_terms():
    knowledge = kb(ITEMS, terms=[STENT])  # no kb_procedure_materials row
    fees = [fee("V1", "1", "ST", "2024-03-03 10:00", 3, 800)]
    assert len(screen(fees, [], ["R26"], knowledge).hits) == 0


def test_r26_unit_words_of_the_item_replace_the_default():
    knowledge = kb(ITEMS, materials=[{"material_codg": "ST", "oprn_prefixes": "36"}],
                   terms=[{**STENT, "unit_words": "只"}])
    fees = [fee("V1", "1", "ST", "2024-03-03 10:00", 2, 800)]
    assert len(screen(fees, [doc("D1", "V1", "operation", "2024-03-03", "支架2只")], ["R26"], knowledge).hits) == 0
    assert len(screen(fees, [doc("D1", "V1", "operation", "2024-03-03", "支架2枚")], ["R26"], knowledge).hits) == 1


# R27 -----------------------------------------------------------------------------------------------------

def test_r27_billed_level_differs_from_the_nursing_record_of_the_day():
    fees = [fee("V1", str(d), "N2", f"2024-03-0{d} 08:00", 1, 25) for d in (2, 3, 4, 5)]
    docs = [doc("D2", "V1", "nursing", "2024-03-02 20:00", "遵医嘱一级护理，患者安静"),
            doc("D3", "V1", "nursing", "2024-03-03 20:00", "一级护理改为二级护理"),   # both: no hit
            doc("D4", "V1", "nursing", "2024-03-04 20:00", "患者安静入睡"),             # neither: no hit
            doc("D5", "V1", "progress", "2024-03-05 20:00", "一级护理")]                 # not nursing: no hit
    res = screen(fees, docs, ["R27"])
    assert keys(res) == [("V1", "2")]
    assert "N1" in res.hits["detail"].iloc[0] and "遵医嘱一级护理" in res.hits["detail"].iloc[0]


def test_r27_a_negated_other_level_does_not_count():
    fees = [fee("V1", "1", "N2", "2024-03-02 08:00", 1, 25)]
    docs = [doc("D2", "V1", "nursing", "2024-03-02 20:00", "取消一级护理")]
    assert len(screen(fees, docs, ["R27"]).hits) == 0


def test_r27_roman_and_latin_levels_read_through_nfkc_and_the_nesting_is_per_item():
    roman = kb(ITEMS, terms=[NUR1, NUR2])  # 一级护理;Ⅰ级护理 and 二级护理;Ⅱ级护理
    fees = [fee("V1", "1", "N2", "2024-03-02 08:00", 1, 25), fee("V1", "2", "N1", "2024-03-03 08:00", 1, 40),
            fee("V1", "3", "N1", "2024-03-04 08:00", 1, 40)]
    docs = [doc("D2", "V1", "nursing", "2024-03-02 20:00", "护理级别：Ⅰ级护理"),   # Ⅰ -> "i": N1, not N2
            doc("D3", "V1", "nursing", "2024-03-03 20:00", "护理级别：I级护理"),   # Latin I: N1 itself
            # Ⅱ级护理 is "ii级护理", which holds N1's "i级护理": both levels are mentioned (records.md nests
            # only an item's own terms), so the N1 line is no hit
            doc("D4", "V1", "nursing", "2024-03-04 20:00", "护理级别：Ⅱ级护理")]
    res = screen(fees, docs, ["R27"], roman)
    assert keys(res) == [("V1", "1")]
    assert "「护理级别：Ⅰ级护理」" in res.hits["detail"].iloc[0]


# R28 -----------------------------------------------------------------------------------------------------

def test_r28_sessions_billed_above_those_recorded_that_day():
    fees = [fee("V1", "1", "HD", "2024-03-02 08:00", 3, 400), fee("V1", "2", "HD", "2024-03-03 08:00", 1, 400)]
    docs = [doc("T1", "V1", "treatment", "2024-03-02 09:00", "行血液透析治疗4小时"),
            doc("T2", "V1", "treatment", "2024-03-02 15:00", "血液透析顺利"),
            doc("T3", "V1", "progress", "2024-03-02 15:00", "血液透析"),        # not a treatment record
            doc("T4", "V1", "treatment", "2024-03-03 15:00", "血液透析")]
    res = screen(fees, docs, ["R28"])
    assert amounts(res, "mdtrt_id", "med_list_codg", "date") == {("V1", "HD", __import__("datetime").date(2024, 3, 2)): Decimal("400")}


def test_r28_detail_quotes_the_deciding_clause_or_says_what_was_read():
    d = __import__("datetime").date
    fees = [fee("V1", "1", "HD", "2024-03-02 08:00", 2, 400), fee("V1", "2", "HD", "2024-03-03 08:00", 3, 400),
            fee("V1", "3", "HD", "2024-03-04 08:00", 1, 400), fee("V1", "4", "HD", "2024-03-05 08:00", 1, 400),
            fee("V1", "5", "HD", "2024-03-06 08:00", 2, 400)]
    docs = [doc("T1", "V1", "treatment", "2024-03-02 09:00", "上机顺利。行血液透析4小时"),
            doc("T2", "V1", "treatment", "2024-03-02 15:00", "患者拒绝血液透析，已告知医生"),  # negated
            doc("T3", "V1", "treatment", "2024-03-03 09:00", "血液透析顺利"),
            doc("T4", "V1", "treatment", "2024-03-03 15:00", "下午行血液透析"),
            doc("T5", "V1", "treatment", "2024-03-05 09:00", "雾化治疗顺利"),               # names another item
            doc("T6", "V1", "progress", "2024-03-06 09:00", "血液透析"),                  # not a treatment record
            doc("T7", "V1", "treatment", "2024-03-06 09:00", "今日血液透析")]
    res = screen(fees, docs, ["R28"])
    detail = {r.date: r.detail for r in res.hits.itertuples()}
    assert sorted(detail) == [d(2024, 3, 2), d(2024, 3, 3), d(2024, 3, 4), d(2024, 3, 5), d(2024, 3, 6)]
    assert detail[d(2024, 3, 2)].endswith("提及该项目 1 份；文书记载「患者拒绝血液透析」（否定）")
    assert detail[d(2024, 3, 3)].endswith("提及该项目 2 份，其一：「血液透析顺利」")
    assert detail[d(2024, 3, 4)].endswith("提及该项目 0 份（当日无治疗记录）")
    assert detail[d(2024, 3, 5)].endswith("提及该项目 0 份（当日治疗记录 1 份，均未提及）")
    assert detail[d(2024, 3, 6)].endswith("提及该项目 1 份：「今日血液透析」")
    assert "计费 3 次" in detail[d(2024, 3, 3)]


# R29 -----------------------------------------------------------------------------------------------------

def test_r29_bed_nursing_and_diet_billed_on_a_day_the_record_says_away():
    fees = [fee("V1", "b", "BED", "2024-03-04 00:00", 1, 50), fee("V1", "n", "N2", "2024-03-04 00:00", 1, 25),
            fee("V1", "d", "DIET", "2024-03-04 00:00", 1, 30), fee("V1", "c", "CT", "2024-03-04 00:00", 1, 200),
            fee("V1", "b2", "BED", "2024-03-05 00:00", 1, 50), fee("V1", "b3", "BED", "2024-03-06 00:00", 1, 50)]
    docs = [doc("P1", "V1", "progress", "2024-03-04 09:00", "患者请假外出，当日返院"),
            doc("P2", "V1", "nursing", "2024-03-05 09:00", "患者拒绝请假外出"),       # negated
            doc("P3", "V1", "exam_report", "2024-03-06 09:00", "患者不在病房")]      # not nursing/progress
    res = screen(fees, docs, ["R29"], kb(ITEMS))
    assert keys(res) == [("V1", "b"), ("V1", "d"), ("V1", "n")]
    assert "请假外出" in res.hits["detail"].iloc[0]


def test_r29_only_strictly_between_admission_and_discharge_and_own_absence_terms():
    fees = [fee("V1", "a", "BED", "2024-03-01 12:00", 1, 50), fee("V1", "z", "BED", "2024-03-10 09:00", 1, 50),
            fee("V1", "m", "BED", "2024-03-05 09:00", 1, 50)]
    docs = [doc(f"P{d}", "V1", "nursing", f"2024-03-{d:02d} 09:00", "患者回家探亲") for d in (1, 5, 10)]
    assert len(screen(fees, docs, ["R29"], kb(ITEMS)).hits) == 0
    own = kb(ITEMS, thresholds={"absence_terms": "回家探亲；外宿"})
    assert keys(screen(fees, docs, ["R29"], own)) == [("V1", "m")]


def test_r29_needs_no_item_terms_and_skips_stays_without_discharge():
    fees = [fee("V1", "m", "BED", "2024-03-05 09:00", 1, 50)]
    docs = [doc("P1", "V1", "nursing", "2024-03-05 09:00", "未在病房")]
    assert len(screen(fees, docs, ["R29"], kb(ITEMS), [visit("V1", "2024-03-01 09:00")]).hits) == 0
    assert len(screen(fees, docs, ["R29"], kb(ITEMS)).hits) == 1


# not run ---------------------------------------------------------------------------------------------------

def test_without_documents_every_record_rule_is_not_run_and_without_terms_r24_to_r28():
    fees = [fee("V1", "1", "CT", "2024-03-02 10:00", 1, 200)]
    res = run(case(fees, INP), KB, rules=["R24", "R25", "R26", "R27", "R28", "R29"])
    assert set(res.not_run) == {"R24", "R25", "R26", "R27", "R28", "R29"}
    assert all("emr_docs" in reason for reason in res.not_run.values())
    res = screen(fees, [doc("D1", "V1", "nursing", "2024-03-02", "未在病房")],
                 ["R24", "R25", "R26", "R27", "R28", "R29"], kb(ITEMS))
    assert set(res.not_run) == {"R24", "R25", "R26", "R27", "R28"}
    assert "kb_item_terms" in res.not_run["R24"] and "R29" in res.run.rules_run


def test_the_knowledge_base_checks_its_item_terms():
    import pytest

    from feijian.rules import KnowledgeBaseError

    with pytest.raises(KnowledgeBaseError, match="doc_type"):
        kb(terms=[{"med_list_codg": "X", "doc_types": "手术记录;病案首页", "terms": "甲"}])
    with pytest.raises(KnowledgeBaseError, match="no terms"):
        kb(terms=[{"med_list_codg": "X", "doc_types": "operation", "terms": " ; "}])
    assert kb(terms=[{"med_list_codg": "X", "doc_types": "手术记录；护理记录", "terms": "甲"}]).item_terms.column(
        "doc_types").to_pylist() == ["operation;nursing"]


# the engine's reading against the reference ------------------------------------------------------------------

texts = st.text(alphabet=st.sampled_from(list("CTct计算机断层未行取消拒绝见异常，。;；!\n\r \u3000ＣＴ\u00a0\u2003x")),
                max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=6))
def test_r24_in_the_engine_reads_documents_as_the_reference_does(bodies):
    """One CT line per document's date; a line is a hit exactly where the reference module finds no
    non-negated mention in that day's report."""
    terms = normal_terms(split_list(CT["terms"]))
    fees = [fee("V1", str(i), "CT", f"2024-03-{i + 1:02d} 10:00", 1, 200) for i in range(len(bodies))]
    docs = [doc(f"D{i}", "V1", "exam_report", f"2024-03-{i + 1:02d} 12:00", b) for i, b in enumerate(bodies)]
    knowledge = kb(ITEMS, terms=[CT], thresholds={"report_days": 0})
    got = {sn for _, sn in keys(screen(fees, docs, ["R24"], knowledge))}
    expected = {str(i) for i, b in enumerate(bodies) if not document_mentions(b, terms)}
    assert got == expected


def test_quotes_come_from_the_text_as_written_and_a_quote_read_with_ocr_is_marked():
    """The deciding clause is quoted as written (full-width letters and spaces kept), found by the
    document's number and clause after the normal texts decided; a document read with OCR (confidence
    above the threshold) marks the hit whose quote it gave, not the other."""
    import pyarrow as pa

    from feijian.rules.record_ocr import needs_ocr_review

    items = [{"med_list_codg": "BED", "category": "bed"}, {"med_list_codg": "CT", "category": "exam"}]
    terms = [{"med_list_codg": "CT", "doc_types": "exam_report", "terms": "计算机断层"}]
    visits = [visit("V1", "2024-03-01 09:00", "2024-03-10 10:00"), visit("V2", "2024-03-01 09:00", "2024-03-10 10:00")]
    fees = [fee("V1", "1", "BED", "2024-03-05 00:00", 1, 50), fee("V2", "1", "BED", "2024-03-06 00:00", 1, 50),
            fee("V2", "2", "CT", "2024-03-06 10:00", 1, 200)]
    docs = [doc("N1", "V1", "nursing", "2024-03-05 20:00", "体温正常。患者 于 3月5日 请假 离院，ＡＢ 未归"),
            doc("N2", "V2", "nursing", "2024-03-06 20:00", "夜间平稳；患者外出未归！"),
            doc("E2", "V2", "exam_report", "2024-03-06 15:00", "胸部平扫：未行计算机 断层。建议复查")]
    tables = case(fees, visits, emr_docs=docs)
    tables["emr_docs"] = tables["emr_docs"].append_column("_ocr_confidence", pa.array([None, 0.99, None], pa.float64()))
    hits = run(tables, kb(items, terms=terms), rules=["R24", "R29"]).hits
    by = {(r.rule_code, r.mdtrt_id): r.detail for r in hits.itertuples()}
    assert set(by) == {("R29", "V1"), ("R29", "V2"), ("R24", "V2")}
    assert "「患者 于 3月5日 请假 离院」" in by[("R29", "V1")] and not needs_ocr_review(by[("R29", "V1")])
    assert "「患者外出未归」" in by[("R29", "V2")] and needs_ocr_review(by[("R29", "V2")])
    assert "「胸部平扫：未行计算机 断层」（否定）" in by[("R24", "V2")]
