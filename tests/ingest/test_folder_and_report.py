"""A folder: tables found by name or header, referential checks reported, the report file, the summary."""

import csv

import pytest

from feijian.ingest import format_summary, read_folder, write_report

from ingest_samples import FEE_HEADER, fee_row

VISITS = "mdtrt_id,psn_no,med_type,begntime,endtime\nM1,P1,11,2024-01-05 08:00,\nM2,P2,11,2024-01-06 08:00,\n"


def test_referential_checks_reported_not_refused(write, tmp_path):
    write("visits.csv", VISITS)
    write("fees.csv", "\n".join([FEE_HEADER, fee_row("1"), fee_row("2", mdtrt="M9"),
                                  fee_row("3", init="1", cnt="-2", amt="-3"),
                                  fee_row("4", init="77", cnt="-2", amt="-3")]) + "\n")
    write("readme.md", "# notes")
    r = read_folder(tmp_path)
    assert r.tables["fees"].num_rows == 4 and not r.rejected
    problems = {p.message.split(" / ")[1]: p for p in r.referential}
    assert problems["fee lines whose encounter is missing"].count == 1
    assert problems["fee lines whose encounter is missing"].examples == [("fees.csv", 3, "M9")]
    assert problems["refunds whose original line is missing"].examples == [("fees.csv", 5, "M1|77")]
    assert r.unrecognised and r.unrecognised[0][0] == "readme.md"
    assert r.missing_tables == ["institution"]
    text = format_summary(r.files, referential=r.referential, unrecognised=r.unrecognised)
    assert "fees.csv | fees | utf-8 |" in text and "readme.md" in text


def test_referential_not_checked_without_visits(write, tmp_path):
    write("fees.csv", FEE_HEADER + "\n" + fee_row("1") + "\n")
    r = read_folder(tmp_path)
    assert not r.referential and any("visits" in n for n in r.not_checked)


def test_duplicate_keys_across_files_of_one_table(write, tmp_path):
    write("fees.csv", FEE_HEADER + "\n" + fee_row("1") + "\n")
    write("收费明细.csv", FEE_HEADER + "\n" + fee_row("1") + "\n" + fee_row("2") + "\n")
    r = read_folder(tmp_path)
    assert r.tables["fees"].num_rows == 2
    assert [(x.file, x.line) for x in r.rejected] == [("收费明细.csv", 2)]


def test_a_table_named_file_that_is_not_a_table_is_an_error(write, tmp_path):
    write("fees.csv", "just some words\nand more\n")
    with pytest.raises(Exception) as exc:
        read_folder(tmp_path)
    assert "fees.csv" in str(exc.value)


def test_unnamed_non_table_listed(write, tmp_path):
    write("memo.csv", "会议纪要\n无\n")
    write("visits.csv", VISITS)
    r = read_folder(tmp_path)
    assert [u[0] for u in r.unrecognised] == ["memo.csv"] and r.tables["visits"].num_rows == 2


def test_write_report_utf8_bom(write, tmp_path):
    write("fees.csv", FEE_HEADER + "\n" + fee_row("1", cnt="5x") + "\n" + fee_row("2", code="") + "\n")
    r = read_folder(tmp_path)
    out = write_report(r.rejected, tmp_path / "out" / "report.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["file", "line", "field", "value", "reason"]
    assert [(x[0], x[1], x[2]) for x in rows[1:]] == [("fees.csv", "2", "cnt"), ("fees.csv", "3", "med_list_codg")]


def test_kb_folder_reads_the_bundled_sample():
    from feijian.paths import resource

    r = read_folder(resource("kb"), kind="kb")
    assert "kb_items" in r.tables and not r.rejected
    assert r.tables["kb_items"].schema.field("inpatient_only").type.id == __import__("pyarrow").bool_().id


def test_undecodable_file_not_named_like_a_table_is_listed(write, tmp_path):
    write("photo.csv", b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x81\xff")
    write("visits.csv", VISITS)
    r = read_folder(tmp_path)
    assert [u[0] for u in r.unrecognised] == ["photo.csv"] and "visits" in r.tables


def test_undecodable_table_file_is_an_error(write, tmp_path):
    from feijian.ingest import EncodingProblem

    write("visits.csv", VISITS.encode("utf-8") + b"M3,P3,11,\xff\xff,\n")
    with pytest.raises(EncodingProblem, match="visits.csv"):
        read_folder(tmp_path)


def test_declared_encoding_for_a_folder(write, tmp_path):
    from feijian.ingest import EncodingProblem

    write("visits.csv", VISITS.replace("P1", "张三"), "gbk")
    assert read_folder(tmp_path, encoding="gbk").tables["visits"].column("psn_no").to_pylist()[0] == "张三"
    with pytest.raises(EncodingProblem, match="declared"):
        read_folder(tmp_path, encoding="utf-8")


def test_readable_rows_that_break_an_expectation_are_imported_and_noted(write, tmp_path):
    """The contract refuses a row only when it cannot be read: an unknown gender or list-type code, an amount
    that is not cnt × pric, a negative quantity without the refunded line — imported as written, counted and
    shown with examples (a visit refused for its gender code would orphan all of its fees)."""
    write("visits.csv", "mdtrt_id,psn_no,med_type,begntime,endtime,gend\n"
                        "M1,P1,11,2024-01-05 08:00,,X\nM2,P2,11,2024-01-06 08:00,,男\n")
    write("fees.csv", "\n".join([FEE_HEADER + ",list_type",
                                  fee_row("1") + ",999", fee_row("2", amt="3.50") + ",药品",
                                  fee_row("3", cnt="-2", amt="-3") + ",101",
                                  fee_row("4", cnt="x") + ",101"]) + "\n")
    r = read_folder(tmp_path)
    visits, fees = r.tables["visits"], r.tables["fees"]
    assert visits.column("gend").to_pylist() == ["X", "1"]
    assert fees.column("list_type").to_pylist() == ["999", "drug", "drug"]
    assert fees.column("cnt").to_pylist()[2] == -2
    assert [(x.line, x.field) for x in r.rejected] == [(5, "cnt")]  # only the unreadable number is refused
    assert all(f.read + f.refused == f.rows for f in r.files)
    notes = {(p.table, p.fields): (p.count, p.examples) for p in r.referential if p.kind == "note"}
    assert notes == {("visits", ("gend",)): (1, [("visits.csv", 2, "X")]),
                     ("fees", ("list_type",)): (1, [("fees.csv", 2, "999")]),
                     ("fees", ("det_item_fee_sumamt",)): (1, [("fees.csv", 3, "3.50 ≠ 2 × 1.5 = 3")]),
                     ("fees", ("cnt",)): (1, [("fees.csv", 4, "-2")])}
    text = format_summary(r.files, referential=r.referential)
    assert "已导入，请核对 / imported, to check: fees.det_item_fee_sumamt" in text and "visits.csv:2 X" in text


def test_a_date_field_written_with_a_time_keeps_its_date_and_is_noted(write, tmp_path):
    """HIS exports often write an operation's date as a date-time: the row is readable, so the operation is
    imported on its calendar date (refusing it would make R17 see a material without its operation)."""
    write("operations.csv", "mdtrt_id,oprn_code,oprn_date\nM1,36.0601,2024-01-05 10:30\nM1,88.5500,2024-01-06\n")
    r = read_folder(tmp_path)
    assert not r.rejected
    assert [str(d) for d in r.tables["operations"].column("oprn_date").to_pylist()] == ["2024-01-05", "2024-01-06"]
    [note] = [p for p in r.referential if p.kind == "note"]
    assert (note.fields, note.count, note.examples) == (("oprn_date",), 1, [("operations.csv", 2, "2024-01-05 10:30")])
