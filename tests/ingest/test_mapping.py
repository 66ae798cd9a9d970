"""Mappings: proposals for the import assistant, mapping files and per-hospital profiles, preview."""

import json

import pytest

from feijian.ingest import MappingProblem, load_mapping, load_profile, preview, propose_mapping, save_mapping, save_profile
from feijian.ingest.mapping import recognise_table


def test_propose_mapping_guesses_table_and_fields():
    p = propose_mapping(["费用明细流水号", "就诊ID", "费用发生时间", "医保目录编码", "数量", "单价", "金额", "奇怪的列"])
    assert p.table == "fees" and not p.missing_required
    assert p.columns["金额"] == "det_item_fee_sumamt" and p.columns["奇怪的列"] is None


def test_propose_mapping_reports_missing_required():
    p = propose_mapping(["就诊ID", "数量", "单价"], table="fees")
    assert p.table == "fees" and set(p.missing_required) == {"feedetl_sn", "fee_ocur_time", "med_list_codg", "det_item_fee_sumamt"}
    assert recognise_table(["就诊ID", "数量"]) is None


def test_headers_of_visits_recognised():
    assert recognise_table(["就诊ID", "人员编号", "医疗类别", "入院时间", "出院时间"]) == "visits"


def test_mapping_files_and_profiles(tmp_path):
    m = {"fees": {"流水": "feedetl_sn", "总额": "det_item_fee_sumamt"}}
    path = save_mapping(tmp_path / "m.json", m)
    assert load_mapping(path) == m
    save_profile(tmp_path / "profiles", "H110/01", m)
    assert load_profile(tmp_path / "profiles", "H110/01") == m
    assert load_profile(tmp_path / "profiles", "other") == {}


@pytest.mark.parametrize("bad", [{"fees": {"x": "no_such_field"}}, {"no_table": {}}, ["not", "an", "object"]])
def test_bad_mapping_refused(tmp_path, bad):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(MappingProblem):
        load_mapping(path)


def test_mapping_file_not_json(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("{oops", encoding="utf-8")
    with pytest.raises(MappingProblem, match="JSON"):
        load_mapping(path)


def test_two_columns_for_one_field_refused(write):
    from feijian.ingest import read_file

    path = write("fees.csv", "feedetl_sn,费用明细流水号,mdtrt_id\n1,1,M1\n")
    with pytest.raises(MappingProblem, match="feedetl_sn"):
        read_file(path)


def test_preview_before_mapping(write):
    path = write("fees.csv", "流水,就诊ID,数量\n0001,M1,2\n0002,M1,3\n0003,M2,1\n")
    pv = preview(path, n=2, table="fees")
    assert pv["headers"] == ["流水", "就诊ID", "数量"]
    assert pv["rows"] == [["0001", "M1", "2"], ["0002", "M1", "3"]]
    assert pv["mapping"]["就诊ID"] == "mdtrt_id" and pv["mapping"]["流水"] is None
    assert "feedetl_sn" in pv["missing_required"] and pv["encoding"] == "utf-8"
