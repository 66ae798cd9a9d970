"""Workbooks: read from bytes, the sheet named like the table or the first with a header, several sheets."""

import datetime as dt
from decimal import Decimal

import pytest

from feijian.ingest import NotATable, open_sources, read_file, read_folder

from ingest_samples import make_workbook

FEE_ROWS = [
    ["费用明细流水号", "就诊ID", "费用发生时间", "医保目录编码", "数量", "单价", "金额", "医保范围金额"],
    ["0001", "M001", dt.datetime(2024, 1, 5, 8, 30), "X01", 2, 1.5, 3, 3],
    ["0002", "M001", 45296.5, "X02", 1, 0.1, 0.1, None],  # an Excel serial typed as a number
    [None, None, None, None, None, None, None, None],  # blank row: not a record
    ["0003", "M001", "2024-02-30", "X03", 1, 1, 1, None],  # impossible date
]


def test_sheet_named_like_table_after_a_cover_sheet(tmp_path):
    path = make_workbook(tmp_path / "导出.xlsx", [("说明", [["本文件由 HIS 导出"]]), ("费用明细", FEE_ROWS)])
    r = read_file(path)
    assert r.table == "fees" and r.file.sheet == "费用明细" and r.file.encoding == "xlsx"
    assert r.data.column("feedetl_sn").to_pylist() == ["0001", "0002"]
    assert r.data.column("fee_ocur_time").to_pylist() == [dt.datetime(2024, 1, 5, 8, 30), dt.datetime(2024, 1, 5, 12, 0)]
    assert r.data.column("pric").to_pylist() == [Decimal("1.5"), Decimal("0.1")]
    assert r.data.column("_line").to_pylist() == [2, 3]
    assert [(x.line, x.field) for x in r.rejected] == [(5, "fee_ocur_time")]
    assert r.file.rows == 3 == r.file.read + r.file.refused


def test_first_sheet_with_a_header_when_names_say_nothing(tmp_path):
    rows = [["某某医院"], []] + FEE_ROWS[:3]
    path = make_workbook(tmp_path / "fees.xlsx", [("Sheet1", [["无关内容"]]), ("Sheet2", rows)])
    r = read_file(path)
    assert r.file.sheet == "Sheet2" and r.data.column("_line").to_pylist() == [4, 5]


def test_several_tables_in_one_workbook(tmp_path):
    visits = [["mdtrt_id", "psn_no", "med_type", "begntime", "gend"], ["M001", "P1", "11", "2024-01-05 08:00", "女"]]
    path = make_workbook(tmp_path / "extract.xlsx", [("visits", visits), ("fees", FEE_ROWS[:3]), ("notes", [["x"]])])
    streams = open_sources(path)
    assert sorted(s.table for s in streams) == ["fees", "visits"]
    fr = read_folder(tmp_path)
    assert fr.tables["visits"].column("gend").to_pylist() == ["2"]
    assert fr.tables["fees"].num_rows == 2
    assert {f.sheet for f in fr.files} == {"visits", "fees"}
    assert len({f.sha256 for f in fr.files}) == 1


def test_workbook_without_tables(tmp_path):
    path = make_workbook(tmp_path / "fees.xlsx", [("Sheet1", [["hello", "world"], [1, 2]])])
    with pytest.raises(Exception) as exc:
        read_file(path)
    assert "missing required" in str(exc.value) or isinstance(exc.value, NotATable)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "fees.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(NotATable, match="workbook"):
        read_file(path)
