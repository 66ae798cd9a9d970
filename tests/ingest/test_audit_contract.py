"""Audit of ingest against ../shared/docs/data-contract.md: each test pins one sentence of the contract with
tiny tables written here (no demo data)."""

import datetime as dt
from decimal import Decimal

import pytest

from feijian.domain.contract import load_contract
from feijian.ingest import iter_file, propose_mapping, read_file, read_folder
from feijian.ingest.validate import R_DUPLICATE, R_MISSING

from ingest_samples import FEE_HEADER, balanced, fee_row, make_workbook


# ---- keys and duplicates ----------------------------------------------------------------------------------

def test_a_refused_row_does_not_make_the_next_row_with_its_key_a_duplicate(write):
    # "A row that cannot be read (…, duplicate key) is rejected": the duplicate is of a row that was read.
    text = "\n".join([
        FEE_HEADER,
        fee_row("1", time="not a time"),  # refused: unreadable date-time
        fee_row("1"),  # the first readable row of key M1|1: imported
        fee_row("1", amt="3.01"),  # a real duplicate of line 3
    ]) + "\n"
    r = read_file(write("fees.csv", text))
    assert r.data.column("_line").to_pylist() == [3]
    assert [(x.line, x.reason) for x in r.rejected if x.reason == R_DUPLICATE] == [(4, R_DUPLICATE)]
    assert [x.line for x in r.rejected] == [2, 4]
    assert balanced(r)


def test_a_refused_row_in_an_earlier_chunk_does_not_block_its_key(write):
    rows = [fee_row(str(i)) for i in range(1, 400)]
    rows[0] = fee_row("1", cnt="x")  # line 2 refused
    rows.append(fee_row("1"))  # line 401: the only readable row of key M1|1, several chunks later
    path = write("fees.csv", FEE_HEADER + "\n" + "\n".join(rows) + "\n")
    stream = iter_file(path, chunk_bytes=1024)
    lines = [ln for chunk in stream for ln in chunk.column("_line").to_pylist()]
    assert 401 in lines and 2 not in lines
    assert [x.line for x in stream.rejected] == [2]


def test_keys_of_orders_settlements_staff_and_kb_items(write):
    orders = ("drord_no,mdtrt_id,med_list_codg,begin_time\n"
              "D1,M1,X,2024-01-05 08:00\nD1,M2,X,2024-01-05 08:00\nD1,M1,Y,2024-01-06 08:00\n")
    r = read_file(write("orders.csv", orders))
    assert [(x.line, x.field) for x in r.rejected] == [(4, "mdtrt_id+drord_no")]  # unique within its encounter
    setl = "setl_id,mdtrt_id,medfee_sumamt\nS1,M1,10\nS1,M2,10\nS2,M1,5\n"
    r = read_file(write("settlements.csv", setl))
    assert [(x.line, x.field) for x in r.rejected] == [(3, "setl_id")]
    staff = "dr_codg,dr_name\nD01,a\nD01,b\nD1,c\n"
    r = read_file(write("staff.csv", staff))
    assert [(x.line, x.field) for x in r.rejected] == [(3, "dr_codg")]  # codes are text: D01 ≠ D1
    kb = "med_list_codg,name\n001,a\n1,b\n001,c\n"
    r = read_file(write("kb_items.csv", kb), kind="kb")
    assert [(x.line, x.field) for x in r.rejected] == [(4, "med_list_codg")]


# ---- XLSX: the report's file and line ---------------------------------------------------------------------

FEES_XLSX = [
    ["费用明细流水号", "就诊ID", "费用发生时间", "医保目录编码", "数量", "单价", "金额"],
    ["1", "M1", dt.datetime(2024, 1, 5, 8, 30), "X01", 2, 1.5, 3],
    ["2", "M1", "bad", "X01", 2, 1.5, 3],
]


def test_xlsx_refused_row_names_the_file_and_the_sheet_row(tmp_path):
    # the report row is "file, line, …" with line = the sheet row number
    path = make_workbook(tmp_path / "fees.xlsx", [("说明", [["本文件为费用明细"]]), ("Sheet1", [["某医院"], []] + FEES_XLSX)])
    r = read_file(path)
    assert r.file.sheet == "Sheet1"
    assert [(x.file, x.line, x.field) for x in r.rejected] == [("fees.xlsx", 5, "fee_ocur_time")]
    assert r.data.column("_line").to_pylist() == [4]


def test_several_tables_in_one_workbook_keep_the_sheet_in_the_report(tmp_path):
    visits = [["mdtrt_id", "psn_no", "med_type", "begntime"], ["M1", "P1", "11", "2024-01-05 08:00"], ["M2", "P1", "11", ""]]
    make_workbook(tmp_path / "extract.xlsx", [("visits", visits), ("fees", FEES_XLSX)])
    fr = read_folder(tmp_path)
    assert sorted((x.file, x.line) for x in fr.rejected) == [("extract.xlsx[fees]", 3), ("extract.xlsx[visits]", 3)]


# ---- headers and table names ------------------------------------------------------------------------------

# every Chinese alias the contract names, field by field
SPEC_ALIASES = {
    "institution": {"机构编码": "medins_code", "定点机构编码": "medins_code", "机构名称": "medins_name",
                    "医院等级": "medins_lv", "机构等级": "medins_lv", "机构类型": "medins_type"},
    "visits": {"就诊ID": "mdtrt_id", "就诊流水号": "mdtrt_id", "住院号": "mdtrt_id", "人员编号": "psn_no",
               "个人编号": "psn_no", "姓名": "psn_name", "身份证号": "certno", "证件号码": "certno", "性别": "gend",
               "出生日期": "brdy", "年龄": "age", "险种类型": "insutype", "医疗类别": "med_type", "入院时间": "begntime",
               "就诊时间": "begntime", "出院时间": "endtime", "离院方式": "dscg_way", "科室编码": "adm_dept_codg",
               "科室名称": "adm_dept_name", "主治医生编码": "atddr_no"},
    "fees": {"费用明细流水号": "feedetl_sn", "明细流水号": "feedetl_sn", "记账流水号": "feedetl_sn", "就诊ID": "mdtrt_id",
             "原费用流水号": "init_feedetl_sn", "医嘱号": "drord_no", "处方号": "drord_no", "费用发生时间": "fee_ocur_time",
             "医保目录编码": "med_list_codg", "医疗目录编码": "med_list_codg", "医院项目编码": "medins_list_codg",
             "项目名称": "med_list_name", "医疗目录名称": "med_list_name", "目录类别": "list_type", "数量": "cnt",
             "单价": "pric", "明细项目费用总额": "det_item_fee_sumamt", "金额": "det_item_fee_sumamt",
             "开单科室编码": "bilg_dept_codg", "开单医生编码": "bilg_dr_codg", "收费项目等级": "chrgitm_lv",
             "医疗收费项目类别": "med_chrgitm_type", "收费项目类别": "med_chrgitm_type", "医保范围金额": "inscp_scp_amt"},
    "orders": {"医嘱号": "drord_no", "就诊ID": "mdtrt_id", "医保目录编码": "med_list_codg", "医嘱类型": "order_kind",
               "开始时间": "begin_time", "停止时间": "end_time", "总量": "total_cnt", "开立医生": "drord_dr_codg"},
    "diagnoses": {"就诊ID": "mdtrt_id", "诊断类别": "diag_type", "诊断类型": "diag_type", "诊断代码": "diag_code",
                  "诊断编码": "diag_code", "诊断名称": "diag_name"},
    "operations": {"就诊ID": "mdtrt_id", "手术操作代码": "oprn_code", "手术编码": "oprn_code",
                   "手术操作名称": "oprn_name", "手术日期": "oprn_date", "术者编码": "oper_dr_codg"},
    "settlements": {"结算ID": "setl_id", "就诊ID": "mdtrt_id", "结算时间": "setl_time", "医疗费总额": "medfee_sumamt",
                    "统筹基金支付": "hifp_pay", "个人账户支付": "acct_pay", "个人现金支付": "psn_cash_pay"},
    "inventory": {"上期结存数": "opening_qty", "期初数量": "opening_qty", "本期收入数": "purchased_qty",
                  "购进数量": "purchased_qty", "本期结存数": "closing_qty", "期末数量": "closing_qty", "拆零比": "pack_ratio"},
    "trace_codes": {"追溯码": "trac_codg", "drug_trac_codg": "trac_codg"},
    "staff": {"医生编码": "dr_codg", "执业开始日期": "practice_from", "执业终止日期": "practice_to"},
}


@pytest.mark.parametrize("table", sorted(SPEC_ALIASES))
def test_every_alias_of_the_contract_is_recognised(table):
    aliases = SPEC_ALIASES[table]
    for header, field in aliases.items():
        assert propose_mapping([header], table=table).columns[header] == field, (table, header)
    # and the English field names, whatever their case, blanks and width
    for f in load_contract().table(table).field_names:
        odd = f"  {f.upper()} "
        wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in f)
        assert propose_mapping([odd], table=table).columns == {odd.strip(): f}
        assert propose_mapping([wide], table=table).columns == {wide: f}


SPEC_TABLE_NAMES = {
    "institution": ["机构信息", "被检机构"], "visits": ["就诊信息", "就诊记录"], "fees": ["费用明细", "收费明细"],
    "orders": ["医嘱", "医嘱信息"], "diagnoses": ["诊断", "诊断信息"], "operations": ["手术", "手术操作"],
    "settlements": ["结算", "结算信息"], "inventory": ["进销存", "库存"], "trace_codes": ["追溯码", "药品追溯码"],
    "staff": ["医务人员", "医生信息"], "kb_items": ["医保目录"], "kb_exclusive_pairs": ["互斥项目"],
    "kb_procedure_materials": ["手术耗材匹配"], "kb_thresholds": ["阈值"],
}


def test_every_table_name_of_the_contract_is_recognised():
    contract = load_contract()
    for table, names in SPEC_TABLE_NAMES.items():
        for n in [table] + names:
            assert contract.table_for_name(n).name == table, n


def test_file_named_in_chinese_with_chinese_headers_and_an_unknown_column(write):
    text = "就诊ID,医生编码,操作员\nM1,D1,张三\n"  # neither table nor header order matter; 操作员 is unknown
    r = read_file(write("医务人员.csv", "dr_codg,执业开始日期,执业终止日期,备注\nD1,2020-01-01,,x\n"))
    assert r.table == "staff" and r.data.column("备注").to_pylist() == ["x"]
    assert r.data.column("practice_to").to_pylist() == [None]  # empty = still valid
    r = read_file(write("a.csv", "机构编码,机构名称,医院等级\n0001,某医院,三级\n"))
    assert r.table == "institution" and r.data.column("medins_code").to_pylist() == ["0001"]
    assert r.data.column("medins_lv").to_pylist() == ["3"]
    del text


# ---- values as hospitals write them ------------------------------------------------------------------------

def test_decimals_dates_and_codes_in_a_real_looking_fee_file(write):
    header = "费用明细流水号,就诊ID,费用发生时间,医保目录编码,目录类别,收费项目等级,医疗收费项目类别,数量,单价,金额"
    text = "\n".join([
        header,
        '1,M1,2024/01/05 08:30,X,101,甲,西药费,1,"1,234.50","1,234.50"',
        "2,M1,20240105083000,X,201,乙,治疗费,２,１．５,３",
        "3,M1,45296.5,X,301,丙,卫生材料费,1,0.1234,0.12",
        "4,M1,2024-01-05 08:30,X,药品,03,14,1,0.12345,0.12",  # five decimal places: refused
        "5,M1,2024-01-05 08:30:61,X,诊疗项目,02,01,1,1,1",  # no such second: refused
    ]) + "\r\n\r\n"  # trailing blank lines are not rows
    r = read_file(write("费用明细.csv", text))
    assert r.table == "fees" and r.file.rows == 5 and balanced(r)
    assert r.data.column("pric").to_pylist() == [Decimal("1234.5"), Decimal("1.5"), Decimal("0.1234")]
    assert r.data.column("fee_ocur_time").to_pylist() == [
        dt.datetime(2024, 1, 5, 8, 30), dt.datetime(2024, 1, 5, 8, 30), dt.datetime(2024, 1, 5, 12, 0)]
    assert r.data.column("list_type").to_pylist() == ["drug", "service", "material"]
    assert r.data.column("chrgitm_lv").to_pylist() == ["01", "02", "03"]
    assert r.data.column("med_chrgitm_type").to_pylist() == ["09", "05", "08"]
    assert [(x.line, x.field) for x in r.rejected] == [(5, "pric"), (6, "fee_ocur_time")]


def test_date_fields_accept_the_date_forms_and_midnight(write):
    text = ("med_list_codg,period_start,period_end,opening_qty,purchased_qty,closing_qty\n"
            "A,2024/1/1,20240131,10,5,3\n"
            "B,45292,2024-01-31 00:00:00,1,1,1\n"
            "C,2024-01-01,2024-01-31,1,1,\n")  # closing_qty required
    r = read_file(write("进销存.csv", text))
    assert r.data.column("period_start").to_pylist() == [dt.date(2024, 1, 1)] * 2
    assert r.data.column("period_end").to_pylist() == [dt.date(2024, 1, 31)] * 2
    assert r.data.column("pack_ratio").to_pylist() == [Decimal(1)] * 2  # default 1
    assert [(x.line, x.field, x.reason) for x in r.rejected] == [(4, "closing_qty", R_MISSING)]


def test_visit_codes_and_inpatient_endtime(write):
    text = ("就诊ID,人员编号,性别,医疗类别,入院时间,出院时间,出生日期\n"
            "M1,P1,男,21,2024-01-01 08:00,2024-01-03 10:00,1980-05-06\n"
            "M2,P1,女,11,2024-01-01 08:00,,\n"
            "M3,P1,9,14,2024-01-01 08:00,,\n"
            "M4,P1,0,21,2024-01-01 08:00,,\n")  # inpatient without discharge time: refused
    r = read_file(write("visits.csv", text))
    assert r.data.column("gend").to_pylist() == ["1", "2", "9"]
    assert r.data.column("brdy").to_pylist() == [dt.date(1980, 5, 6), None, None]
    assert [(x.line, x.field) for x in r.rejected] == [(5, "endtime")]


def test_gbk_file_with_semicolons_and_quoted_newline(write):
    text = ("诊断类别;就诊ID;诊断代码;诊断名称\r\n"
            '主要诊断;M1;I10;"高血压\r\n（原发性）"\r\n'
            "其他诊断;M1;E11.9;糖尿病\r\n"
            ";M1;;无代码\r\n")
    r = read_file(write("诊断.csv", text, encoding="gbk"))
    assert r.file.encoding == "gbk" and r.table == "diagnoses"
    assert r.data.column("diag_type").to_pylist() == ["1", "2"]
    assert r.data.column("diag_name").to_pylist()[0] == "高血压\r\n（原发性）"
    assert [(x.line, x.field) for x in r.rejected] == [(5, "diag_code")]  # the quoted newline spans lines 2-3


def test_seconds_60_and_61_are_not_rolled_over():
    import pyarrow as pa
    from feijian.ingest import values as V

    xs = ["2024-01-05 08:30:60", "2024/01/05 08:30:61", "20240105083060", "2024-01-05 08:30:59"]
    tp = V.parse_datetime(pa.array(xs))
    assert tp.typed.to_pylist() == [None, None, None, dt.datetime(2024, 1, 5, 8, 30, 59)]
    assert (tp.bad | tp.impossible).tolist() == [True, True, True, False]


def test_a_blank_does_not_stand_for_a_digit():
    import pyarrow as pa
    from feijian.ingest import values as V

    xs = ["20240105 83000", "2024-01-05 08: 3:00", "20240105083000", "2024-01-05 08:03:00"]
    tp = V.parse_datetime(pa.array(xs))
    assert tp.typed.to_pylist() == [None, None, dt.datetime(2024, 1, 5, 8, 30), dt.datetime(2024, 1, 5, 8, 3)]
    assert tp.bad.tolist() == [True, True, False, False]
