"""CSV reading: delimiters, quoting, physical line numbers, bad rows refused with reasons, counts balance."""

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest

from feijian.domain.errors import Cancelled
from feijian.ingest import EmptyFile, MappingProblem, NotATable, iter_file, read_file
from feijian.ingest.validate import R_AMOUNT, R_DUPLICATE, R_ENDTIME, R_IMPOSSIBLE, R_MISSING, R_REFUND

from ingest_samples import FEE_HEADER, balanced, fee_row


def test_types_codes_leading_zeros_and_extra_columns(write):
    text = (FEE_HEADER + ",list_type,chrgitm_lv,备注\n"
            + fee_row("0001", mdtrt="000123456789012345") + ",101,甲,first\n"
            + fee_row("0002", cnt="1", pric="\"1,234.50\"", amt="1234.5") + ",耗材,乙,\n")
    r = read_file(write("fees.csv", text))
    d = r.data
    assert r.table == "fees" and balanced(r) and r.file.read == 2
    assert d.column("feedetl_sn").to_pylist() == ["0001", "0002"]
    assert d.column("mdtrt_id").to_pylist()[0] == "000123456789012345"
    assert d.schema.field("cnt").type == pa.decimal128(18, 4)
    assert d.schema.field("fee_ocur_time").type == pa.timestamp("s")
    assert d.column("pric").to_pylist()[1] == Decimal("1234.5")
    assert d.column("list_type").to_pylist() == ["drug", "material"]
    assert d.column("chrgitm_lv").to_pylist() == ["01", "02"]
    assert d.column("备注").to_pylist() == ["first", None]
    assert d.column("_line").to_pylist() == [2, 3]
    assert set(d.column("_batch").to_pylist()) == {r.data.column("_batch")[0].as_py()}
    assert d.column("drord_no").null_count == 2  # absent optional field: present, empty


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_sniffed(write, delimiter):
    text = FEE_HEADER.replace(",", delimiter) + "\n" + fee_row("1").replace(",", delimiter) + "\n"
    r = read_file(write("fees.csv", text))
    assert r.delimiter == delimiter and r.file.read == 1


def test_chinese_and_full_width_headers(write):
    text = ("费用明细流水号, 就诊ＩＤ ,费用发生时间,医保目录编码,数量,单价,金额\n"
            "F1,M1,2024-01-05 08:30,X1,2,1.5,3\n")
    r = read_file(write("收费明细.csv", text))
    assert r.table == "fees" and r.file.read == 1
    assert r.columns["就诊ＩＤ"] == "mdtrt_id"


def test_table_recognised_by_headers(write):
    r = read_file(write("export_0001.csv", FEE_HEADER + "\n" + fee_row("1") + "\n"))
    assert r.table == "fees"


def test_quoted_field_with_newlines_keeps_physical_lines(write):
    text = (FEE_HEADER + ",备注\n"
            + fee_row("1") + ',"line one\nline two\n\nline four"\n'
            + fee_row("2") + ",plain\n"
            + "\n"
            + fee_row("3", amt="9") + ",bad amount\n"
            + fee_row("4", cnt="two") + ",not a number\n")
    r = read_file(write("fees.csv", text))
    assert r.data.column("_line").to_pylist() == [2, 6, 8]
    assert r.data.column("备注").to_pylist()[0] == "line one\nline two\n\nline four"
    assert [(x.line, x.field) for x in r.rejected] == [(9, "cnt")]
    [note] = r.notes  # the amount that is not cnt × pric: imported, noted on its physical line
    assert (note.reason, note.count, note.examples[0][1]) == (R_AMOUNT, 1, 8)
    assert balanced(r)


def test_crlf_line_ends(write):
    text = (FEE_HEADER + "\r\n" + fee_row("1") + "\r\n" + fee_row("2") + "\r\n")
    r = read_file(write("fees.csv", text))
    assert r.data.column("_line").to_pylist() == [2, 3]
    assert r.data.column("det_item_fee_sumamt").to_pylist() == [Decimal("3"), Decimal("3")]


def test_truncated_last_line(write):
    text = FEE_HEADER + "\n" + fee_row("1") + "\n" + fee_row("2") + "\n" + "3,M1,,2024-01"
    r = read_file(write("fees.csv", text))
    assert r.file.rows == 3 and r.file.read == 2 and r.file.refused == 1
    assert r.rejected[0].line == 4 and "expected 8" in r.rejected[0].reason


def test_truncated_inside_quotes(write):
    text = FEE_HEADER + "\n" + fee_row("1") + "\n" + '2,M1,,2024-01-05 08:30,X01,2,1.5,"3.0'
    r = read_file(write("fees.csv", text))
    assert r.file.rows == 2 and r.file.read == 1
    assert r.rejected[0].line == 3 and "unterminated" in r.rejected[0].reason


def test_bad_rows_refused_with_reasons(write):
    text = "\n".join([
        FEE_HEADER,
        fee_row("1"),
        fee_row("1"),  # duplicate key (mdtrt_id + feedetl_sn)
        fee_row("1", mdtrt="M2"),  # same sn, other encounter: fine
        fee_row("2", cnt="-2", amt="-3"),  # negative without refund reference: imported, noted
        fee_row("3", init="1", cnt="-2", amt="-3"),  # a refund: fine
        fee_row("4", amt="3.02"),  # beyond ±0.01: imported, noted
        fee_row("5", amt="3.01"),  # within ±0.01
        fee_row("6", time="2024-02-30 08:00"),  # impossible date
        fee_row("7", code=""),  # missing required
        fee_row("8", cnt="two"),
    ]) + "\n"
    r = read_file(write("fees.csv", text))
    got = {x.line: (x.field, x.reason.split(":")[0]) for x in r.rejected}
    assert got == {
        3: ("mdtrt_id+feedetl_sn", R_DUPLICATE),
        9: ("fee_ocur_time", R_IMPOSSIBLE),
        10: ("med_list_codg", R_MISSING),
        11: ("cnt", "无法识别的数字 / not a number"),
    }
    assert r.data.column("_line").to_pylist() == [2, 4, 5, 6, 7, 8]
    notes = {(n.field, n.reason): (n.count, [(ln, v) for _f, ln, v in n.examples]) for n in r.notes}
    assert notes == {("cnt", R_REFUND): (1, [(5, "-2")]),
                     ("det_item_fee_sumamt", R_AMOUNT): (1, [(7, "3.02 ≠ 2 × 1.5 = 3")])}
    assert [x.value for x in r.rejected if x.line == 3] == ["M1|1"]
    assert balanced(r)


def test_inpatient_without_endtime(write):
    text = ("mdtrt_id,psn_no,med_type,begntime,endtime,gend\n"
            "M1,P1,21,2024-01-01 08:00,2024-01-03 08:00,男\n"
            "M2,P1,21,2024-01-01 08:00,,女\n"
            "M3,P1,11,2024-01-01 08:00,,女\n")
    r = read_file(write("visits.csv", text))
    assert [(x.line, x.reason) for x in r.rejected] == [(3, R_ENDTIME)]
    assert r.data.column("gend").to_pylist() == ["1", "2"]


def test_empty_file(write):
    with pytest.raises(EmptyFile, match="empty"):
        read_file(write("fees.csv", b""))


def test_header_only(write):
    r = read_file(write("fees.csv", FEE_HEADER + "\n"))
    assert r.file.rows == r.file.read == r.file.refused == 0
    assert r.data.num_rows == 0 and "cnt" in r.data.column_names and "_line" in r.data.column_names


def test_not_a_table(write):
    with pytest.raises(NotATable):
        read_file(write("notes.txt", "这是一份会议纪要。\n没有表格。\n"))


def test_missing_required_column_named(write):
    with pytest.raises(MappingProblem, match="det_item_fee_sumamt"):
        read_file(write("fees.csv", FEE_HEADER.replace(",det_item_fee_sumamt", "") + "\n"))


def test_mapping_for_unknown_headers(write):
    text = "流水,就诊ID,时间,编码,数量,单价,总额\nF1,M1,2024-01-05 08:30,X1,2,1.5,3\n"
    mapping = {"fees": {"流水": "feedetl_sn", "时间": "fee_ocur_time", "编码": "med_list_codg", "总额": "det_item_fee_sumamt"}}
    r = read_file(write("fees.csv", text), mapping=mapping)
    assert r.file.read == 1 and r.data.column("feedetl_sn").to_pylist() == ["F1"]


def test_title_row_before_header(write):
    text = "某某医院费用明细导出\n" + FEE_HEADER + "\n" + fee_row("1") + "\n" + fee_row("1") + "\n"
    r = read_file(write("fees.csv", text))
    assert r.data.column("_line").to_pylist() == [3] and r.rejected[0].line == 4


def _big_fee_text(n):
    rows = [FEE_HEADER]
    for i in range(n):
        if i % 97 == 5:
            rows.append(fee_row(f"{i}", amt="99"))  # refused
        elif i % 101 == 7:
            rows.append(fee_row(f"{i}", mdtrt='"M1"') + ',"x\ny"')  # too many fields, with a newline
        else:
            rows.append(fee_row(f"{i}", time=f"2024-01-{1 + i % 28:02d} 08:30"))
    return "\n".join(rows) + "\n"


def test_streaming_in_small_chunks_equals_whole_read(write):
    path = write("fees.csv", _big_fee_text(3000))
    whole = read_file(path)
    progress = []
    stream = iter_file(path, chunk_bytes=4096, progress=lambda d, t, m: progress.append((d, t)))
    chunks = list(stream)
    assert len(chunks) > 10
    streamed = pa.concat_tables(chunks)
    assert streamed.drop(["_batch"]).equals(whole.data.drop(["_batch"]))
    assert [(x.line, x.reason) for x in stream.rejected] == [(x.line, x.reason) for x in whole.rejected]
    assert stream.file.sha256 == whole.file.sha256 and stream.file.rows == 3000
    assert progress[-1][0] == progress[-1][1] == path.stat().st_size
    assert all(a[0] <= b[0] for a, b in zip(progress, progress[1:]))
    # every line number is right: the text's line of each row starts with its sn
    lines = path.read_text().split("\n")
    for sn, ln in zip(streamed.column("feedetl_sn").to_pylist()[::50], streamed.column("_line").to_pylist()[::50]):
        assert lines[ln - 1].startswith(f"{sn},")


def test_cancel(write):
    path = write("fees.csv", _big_fee_text(2000))
    calls = []
    stream = iter_file(path, chunk_bytes=2048, cancelled=lambda: len(calls) > 2)
    with pytest.raises(Cancelled):
        for chunk in stream:
            calls.append(chunk)


def test_sha256_and_size_recorded(write):
    import hashlib

    path = write("fees.csv", FEE_HEADER + "\n" + fee_row("1") + "\n")
    r = read_file(path)
    assert r.file.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert r.file.size == path.stat().st_size and r.file.file_name == "fees.csv"


def test_excel_serial_in_csv(write):
    r = read_file(write("fees.csv", FEE_HEADER + "\n" + fee_row("1", time="45296.75") + "\n"))
    assert r.data.column("fee_ocur_time").to_pylist() == [dt.datetime(2024, 1, 5, 18, 0)]


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_line_numbers_in_big_blocks_with_blank_lines(write, eol):
    rows = [FEE_HEADER] + [fee_row(str(i)) for i in range(3000)]
    rows.insert(1500, "")  # a blank line in the middle: not a record, but it counts as a line
    r = read_file(write("fees.csv", eol.join(rows) + eol))
    assert r.file.rows == 3000 and r.data.column("_line").to_pylist()[1498:1500] == [1500, 1502]
    r2 = read_file(write(f"x{len(eol)}/fees.csv", eol.join(rows[:1500] + rows[1501:]) + eol))
    assert r2.data.column("_line").to_pylist()[-1] == 3001
