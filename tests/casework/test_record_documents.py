"""The record view's reading of an encounter's documents (casework/record_documents.py)."""

import datetime as dt

import pyarrow as pa

from feijian.casework.case_terms import CaseTerm, with_case_terms
from feijian.casework.record_documents import (absence_reading, encounter_documents, find_clause, item_reading,
                                               marks, mention_counts, quoted_clause, similar_clauses)
from feijian.rules.knowledge_base import KnowledgeBase

OPERATION = "手术名称：经皮冠状动脉介入治疗。\n术中植入药物洗脱支架两枚，\n前降支因血管迂曲取消支架植入。"


def _rows():
    return [
        {"doc_id": "D3", "doc_type": "护理记录", "doc_time": "2024-01-21 18:00", "text": "一级护理。请假外出。"},
        {"doc_id": "D2", "doc_type": "operation", "doc_time": dt.datetime(2024, 1, 21, 11, 30), "title": "PCI",
         "text": OPERATION},
        {"doc_id": "D1", "doc_type": "入院记录", "doc_time": "2024-01-19 10:00", "text": "患者胸痛3天入院。"},
        {"doc_id": "D0", "doc_type": "会诊记录", "doc_time": "2024-01-20", "text": "心内科会诊。"},
        {"doc_id": "DX", "doc_type": "operation", "doc_time": "2024-01-22", "text": None, "file": "missing.pdf"},
    ]


def _kb(terms="支架;药物洗脱支架", unit_words=None):
    table = pa.table({"med_list_codg": ["C03"], "doc_types": ["operation"], "terms": [terms],
                      "unit_words": [unit_words]})
    return KnowledgeBase.from_tables({"kb_item_terms": table})


def test_documents_in_type_order_then_time_with_chinese_type_names_read_as_codes():
    docs = encounter_documents(_rows())
    assert [d.doc_id for d in docs] == ["D1", "D2", "D3", "D0"]  # admission, operation, nursing, unknown last
    assert [d.doc_type for d in docs[:3]] == ["admission", "operation", "nursing"]
    assert docs[1].type_name == "手术记录" and docs[1].label == "2024-01-21 11:30　PCI"
    assert docs[3].type_name == "会诊记录"  # an unknown type is kept as written
    assert "DX" not in {d.doc_id for d in docs}  # a refused file has no text to show


def test_marks_place_the_mention_the_negated_one_and_the_count_in_the_text_as_written():
    docs = encounter_documents(_rows())
    reading = item_reading(_kb(), "C03", "药物洗脱冠状动脉支架系统")
    assert reading.known and reading.doc_types == ("operation",)
    found = marks(docs[1], reading)
    assert [(OPERATION[m.start:m.end], m.negated) for m in found] == [("药物洗脱支架", False), ("支架", True)]
    first = found[0]
    assert OPERATION[first.count_start:first.count_end] == "两" and first.count == 2
    assert mention_counts(docs, reading) == {"D1": (0, 0), "D2": (1, 1), "D3": (0, 0), "D0": (0, 0)}


def test_an_item_without_terms_is_unknown_and_marks_nothing():
    reading = item_reading(_kb(), "OTHER", "心电图")
    assert not reading.known and marks(encounter_documents(_rows())[1], reading) == []


def test_the_case_phrases_count_in_the_reading():
    kb = with_case_terms(_kb(), [CaseTerm("t1", "C03", "冠脉支架", ())])
    assert "冠脉支架" in item_reading(kb, "C03").terms


def test_absence_reading_uses_the_knowledge_base_terms():
    docs = encounter_documents(_rows())
    found = marks(docs[2], absence_reading(_kb()))
    assert [docs[2].text[m.start:m.end] for m in found] == ["请假外出"]


def test_quoted_clause_and_where_it_stands():
    detail = "项目 C03 本次就诊计费 3 个单位，手术记录记载 2 个：「术中植入药物洗脱支架两枚」"
    assert quoted_clause(detail) == "术中植入药物洗脱支架两枚"
    assert quoted_clause("没有引用") is None
    docs = encounter_documents(_rows())
    assert find_clause(docs, quoted_clause(detail)) == ("D2", 2)
    # a quote cut at 60 characters ends in …: the clause starting with it is found
    assert find_clause(docs, quoted_clause("「术中植入药物洗脱…」")) == ("D2", 2)
    # blanks written differently in the quote
    assert find_clause(docs, "术中植入 药物洗脱支架") == ("D2", 2)
    assert find_clause(docs, "没有这句") is None


def test_similar_clauses_rank_the_item_clause_first_within_its_document_types():
    docs = encounter_documents(_rows())
    ranked = similar_clauses(docs, item_reading(_kb(), "C03", "药物洗脱冠状动脉支架系统"))
    assert ranked and ranked[0].key == ("D2", 2)
    assert {key[0] for key in (s.key for s in ranked)} == {"D2"}  # only documents of the item's types
    unknown = similar_clauses(docs, item_reading(_kb(), "N1", "Ⅰ级护理"))
    assert unknown and "护理" in unknown[0].clause  # no terms: the name alone finds 一级护理
