"""records.md, "Reading the text": clauses, normal form, mentions, negation cues and counts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feijian.rules.record_text import (NEGATION_CUES, chinese_number, clause_spans, clauses, count_after,
                                       document_count, document_mentions, locate, mentioned, mentions, normal_terms,
                                       normalise, split_list)

STENT = normal_terms(["支架", "药物洗脱支架"])
UNITS = normal_terms(["枚", "根", "个", "支", "条", "套", "片"])


def test_clauses_cut_at_each_separator_and_every_kind_of_line_break():
    text = "甲，乙。丙；丁;戊！己？庚!辛?壬\n癸\r\n子\r丑"
    assert clauses(text) == ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑"]
    assert [text[a:b] for a, b in clause_spans(text)] == clauses(text)


def test_clauses_are_cut_before_normalising_so_a_half_width_comma_does_not_cut():
    assert clauses("CT,MRI、B超：未见异常") == ["CT,MRI、B超：未见异常"]
    # NFKC turns the full-width comma into ",", but the cut happened before
    assert [normalise(c) for c in clauses("ＣＴ，ＭＲＩ")] == ["ct", "mri"]
    # a small semicolon (U+FE54) becomes ";" under NFKC, yet it is not a separator as read
    assert clauses("甲﹔乙") == ["甲﹔乙"]


def test_normal_form_is_nfkc_without_whitespace_and_lower_case():
    assert normalise(" 冠状动脉\u3000造影 （ＣＡＧ）\t") == "冠状动脉造影(cag)"
    assert normalise("Ⅱ级 护理") == "ii级护理"
    assert normal_terms(["ＣＴ", " ct ", "", "  "]) == ("ct",)


def test_a_mention_never_spans_a_clause_border():
    assert not document_mentions("冠状动脉，造影术顺利", normal_terms(["冠状动脉造影"]))
    assert document_mentions("冠状动脉 造影术顺利", normal_terms(["冠状动脉造影"]))


def test_latin_terms_match_without_case_and_full_width():
    assert document_mentions("行胸部ｃｔ平扫", normal_terms(["CT"]))
    assert document_mentions("行胸部Ct平扫", normal_terms(["ct"]))


def test_nested_terms_at_one_place_count_once_and_the_longer_stands():
    found = mentions(normalise("植入药物洗脱支架2枚"), STENT)
    assert [(m.start, m.end, m.term) for m in found] == [(2, 8, "药物洗脱支架")]
    # two places: the plain term later in the clause is a mention of its own
    found = mentions(normalise("植入药物洗脱支架2枚及裸支架1枚"), STENT)
    assert [m.term for m in found] == ["药物洗脱支架", "支架"]


def test_nesting_is_among_the_items_own_terms_only():
    """records.md, reading 3: "a clause contains one of the item's terms; where one term is contained in
    another matched at the same place, that place counts once" -- the terms compared are the item's own.
    A material's term inside a procedure's name (支架 in 支架置入术, another item's term) is a mention of
    the material: records.md does not exclude it, so the engine does not either (the count is then 1)."""
    clause = normalise("行经皮冠状动脉支架置入术，术程顺利")
    assert [(m.start, m.end, m.term) for m in mentions(clause, STENT)] == [(7, 9, "支架")]
    assert document_count("行经皮冠状动脉支架置入术", STENT, UNITS) == 1
    # the same place matched by a longer term of the same item counts once, with the longer term
    both = normal_terms(["支架置入术", "支架", "置入"])
    assert [m.term for m in mentions(normalise("支架置入术"), both)] == ["支架置入术"]
    # overlapping (not nested) terms of one item are two places
    assert [m.term for m in mentions(normalise("支架置入术"), normal_terms(["支架置", "置入术"]))] == ["支架置", "置入术"]
    # a count written after the procedure name is the material's count
    assert document_count("行支架置入术，植入药物洗脱支架两枚", STENT, UNITS) == 2


@pytest.mark.parametrize("cue", NEGATION_CUES)
def test_every_cue_before_the_term_negates_it(cue):
    clause = normalise(f"患者{cue}冠脉造影检查")
    assert [m.negated for m in mentions(clause, normal_terms(["冠脉造影"]))] == [True]
    assert not mentioned(clause, normal_terms(["冠脉造影"]))


def test_a_cue_ending_exactly_where_the_term_begins_negates_and_after_it_does_not():
    assert not mentioned(normalise("拒绝请假外出"), normal_terms(["请假外出"]))
    assert mentioned(normalise("请假外出后拒绝返院"), normal_terms(["请假外出"]))
    # a cue in another clause does not negate
    assert mentioned(normalise("未行增强") + "", normal_terms(["增强"])) is False
    assert document_mentions("未行增强，行CT平扫", normal_terms(["CT"]))


def test_findings_are_not_negations():
    assert mentioned(normalise("胸部CT未见异常"), normal_terms(["CT"]))
    assert mentioned(normalise("CT检查未做增强"), normal_terms(["CT"]))  # cue after the term


@pytest.mark.parametrize("text,value", [
    ("零", 0), ("一", 1), ("两", 2), ("二", 2), ("九", 9), ("十", 10), ("十一", 11), ("十二", 12), ("十九", 19),
    ("二十", 20), ("二十一", 21), ("三十五", 35), ("九十", 90), ("九十九", 99), ("一十二", 12)])
def test_chinese_numerals(text, value):
    assert chinese_number(text) == value


def test_every_chinese_numeral_from_one_to_ninety_nine():
    digits = "一二三四五六七八九"
    for n in range(1, 100):
        tens, units = divmod(n, 10)
        word = (("" if tens == 1 else digits[tens - 1]) + "十" if tens else "") + (digits[units - 1] if units else "")
        assert chinese_number(word) == n, word


@pytest.mark.parametrize("run", ["十十", "一十二十", "百", "", "十零", "零十"])
def test_runs_that_are_no_number(run):
    assert chinese_number(run) is None


@pytest.mark.parametrize("text,count", [
    ("植入药物洗脱支架2枚", 2), ("植入药物洗脱支架两枚", 2), ("植入支架十二枚", 12), ("支架共计３枚", 3),
    ("支架1套", 1), ("支架置入", 1), ("支架送至狭窄处，2枚", 1),  # the count is in another clause
    ("支架于第2次扩张后植入3枚", 3),   # the first number directly followed by a unit word
    ("支架两侧各1根", 1),              # 两 is followed by 侧, not a unit word
    ("支架二十一枚", 21),
])
def test_counts(text, count):
    assert document_count(text, STENT, UNITS) == count


def test_the_count_of_a_document_is_its_largest_mention_and_negated_mentions_count_nothing():
    assert document_count("植入支架1枚。术中再植入支架2枚", STENT, UNITS) == 2
    assert document_count("未植入支架3枚", STENT, UNITS) == 0
    assert document_count("无相关记载", STENT, UNITS) == 0
    assert document_count("支架2枚，另一处取消支架5枚", STENT, UNITS) == 2


def test_unit_words_of_the_item():
    assert count_after(normalise("透析器2个"), 3, normal_terms(["个"])) == 2
    assert count_after(normalise("导管2根"), 2, normal_terms(["套"])) == 1


def test_locate_places_mentions_in_the_text_as_written():
    text = "术中植入药物洗脱 支架２枚。\r\n未植入支架"
    found = list(locate(text, STENT, UNITS))
    assert [(text[m.start:m.end], m.negated, m.count) for m in found] == [("药物洗脱 支架", False, 2),
                                                                         ("支架", True, 1)]
    assert text[found[0].count_start:found[0].count_end] == "２"  # the count as written, for highlighting
    assert found[1].count_start is None
    assert found[0].clause_no == 0 and found[1].clause_no == 2  # "。" then "\r\n": an empty clause between
    assert text[found[1].clause_start:found[1].clause_end] == "未植入支架"


def test_split_list_takes_both_semicolons():
    assert split_list("枚; 根；个;;") == ["枚", "根", "个"]
    assert split_list(None) == []


clause_text = st.text(alphabet=st.sampled_from(list("支架药物洗脱未植入两枚12，。 \u3000ＡａCT\n\r")), max_size=40)


@given(clause_text)
def test_locate_agrees_with_the_clause_reading(text):
    """Every mention located in the text is a mention of its clause's normal form, and the other way round."""
    located = [(m.clause_no, m.negated) for m in locate(text, STENT)]
    expected = [(i, m.negated) for i, c in enumerate(clauses(text)) for m in mentions(normalise(c), STENT)]
    assert located == expected
