from feijian.domain.contract import load_contract, normalise_name


def test_every_table_of_the_data_contract_is_there():
    c = load_contract()
    assert set(c.case_tables) == {
        "institution", "visits", "fees", "orders", "diagnoses", "operations",
        "settlements", "inventory", "trace_codes", "staff", "emr_docs",
    }
    assert set(c.kb_tables) == {"kb_items", "kb_exclusive_pairs", "kb_procedure_materials", "kb_thresholds",
                                "kb_item_terms"}
    assert [t for t in c.tables.values() if t.required_table] == [c.table("institution"), c.table("visits"), c.table("fees")]


def test_medical_record_documents_need_text_or_file():
    docs = load_contract().table("emr_docs")
    assert docs.key == ("doc_id",)
    assert docs.required_one_of == ("text", "file")
    assert docs.field_for_header("文书内容").name == "text"
    assert docs.field_for_header("报告时间").name == "doc_time"
    assert load_contract().table("fees").required_one_of == ()


def test_fee_line_key_is_encounter_plus_serial():
    assert load_contract().table("fees").key == ("mdtrt_id", "feedetl_sn")


def test_headers_match_by_name_or_alias_ignoring_case_blanks_and_full_width():
    fees = load_contract().table("fees")
    assert fees.field_for_header("  医保目录编码 ").name == "med_list_codg"
    assert fees.field_for_header("MED_LIST_CODG").name == "med_list_codg"
    assert fees.field_for_header("ｍｅｄ＿ｌｉｓｔ＿ｃｏｄｇ").name == "med_list_codg"  # full-width
    assert fees.field_for_header("明细 项目 费用总额").name == "det_item_fee_sumamt"
    assert fees.field_for_header("备注") is None


def test_tables_are_recognised_by_english_or_chinese_file_names():
    c = load_contract()
    assert c.table_for_name("费用明细").name == "fees"
    assert c.table_for_name("Fees").name == "fees"
    assert c.table_for_name("药品追溯码").name == "trace_codes"
    assert c.table_for_name("互斥项目").name == "kb_exclusive_pairs"
    assert c.table_for_name("readme") is None


def test_types_and_requirements_follow_the_contract():
    c = load_contract()
    visits = c.table("visits")
    assert visits.field("begntime").type == "datetime" and visits.field("begntime").required
    assert visits.field("endtime").required_inpatient and not visits.field("endtime").required
    assert visits.field("certno").sensitive
    assert c.table("inventory").field("pack_ratio").default == "1"
    assert c.table("fees").field("cnt").type == "decimal"


def test_normalise_name():
    assert normalise_name("Ｆｅｅ Ｓ") == "fees"
