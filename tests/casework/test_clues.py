"""Clue lists: import (CSV in GBK/UTF-8, XLSX), links to case data and hits, results, and the feedback file
whose rows match the input one to one."""

import csv
import io
from decimal import Decimal

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from feijian.casework.clues import (clue_progress, clues, export_feedback, import_clues, link_clue, read_clue_list,
                                    record_clue_result)
from feijian.domain.errors import InputError
from feijian.domain.records import ScreeningRun

from memstore import MemoryCaseStore, make_info

HEADER = ["线索编号", "线索类型", "人员编号", "就诊ID", "医保目录编码", "开始日期", "结束日期", "线索描述", "疑似金额", "备注（局内）"]
ROWS = [
    ["GJ-003", "重复收费", "P1", "V1", "", "2025-01-01", "2025-12-31", "同一时刻重复计费", "150.00", "甲"],
    ["GJ-001", "超标准收费", "", "", "X100", "2025-03-01", "2025-03-31", "X100 单价超限", "30", ""],
    ["GJ-002", "虚假就医", "P9", "", "", "", "", "疑似冒名就医", "1,200.50", "丙"],
]


def _store():
    store = MemoryCaseStore(make_info())
    store.write_table("b1", "visits", pa.table({"mdtrt_id": ["V1", "V2", "V3"], "psn_no": ["P1", "P1", "P2"]}))
    store.write_table("b1", "fees", pa.table({
        "mdtrt_id": ["V1", "V1", "V2", "V3"], "feedetl_sn": ["1", "2", "1", "1"],
        "med_list_codg": ["A1", "A1", "X100", "X100"],
        "fee_ocur_time": pa.array(pd.to_datetime(["2025-02-01", "2025-02-01", "2025-03-05", "2025-04-01"])),
        "det_item_fee_sumamt": ["100", "50", "30", "40"],
    }))
    hits = pd.DataFrame({"hit_id": ["h1", "h2"], "rule_code": ["R01", "R02"], "mdtrt_id": ["V1", "V2"],
                         "med_list_codg": ["A1", "X100"], "amount": ["50", "10"]})
    lines = pd.DataFrame({"hit_id": ["h1", "h2"], "mdtrt_id": ["V1", "V2"], "feedetl_sn": ["2", "1"], "amount": ["50", "10"]})
    store.save_screening(ScreeningRun("r", "1", "k", (), "", "", ("R01", "R02")), hits, lines)
    return store


def _csv(encoding="gbk", rows=ROWS, header=HEADER) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def test_round_trip_csv_gbk(tmp_path):
    store = _store()
    cl = import_clues(store, _csv("gbk"), file_name="线索清单.csv")
    assert cl.encoding == "gb18030" and len(cl.rows) == 3
    assert [c.clue_id for c in clues(store)] == ["GJ-003", "GJ-001", "GJ-002"]  # input order kept
    assert clues(store)[2].suspected_amount == Decimal("1200.50")
    assert clue_progress(store).cleared == 0
    record_clue_result(store, "GJ-003", "属实", "150", "病历与医嘱核实重复计费")
    record_clue_result(store, "GJ-001", "partly", "20", "部分单价超限")
    record_clue_result(store, "GJ-002", "无法核实", "0", "参保人已离世，无法询问")
    p = clue_progress(store)
    assert (p.total, p.cleared) == (3, 3) and p.by_result == {"属实": 1, "部分属实": 1, "不属实": 0, "无法核实": 1}
    assert p.verified_amount == Decimal("170")
    out = export_feedback(store, tmp_path / "反馈.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert back[0] == HEADER + ["核查结果", "核实金额", "核查说明", "证据编号", "关联疑点数"]
    assert [r[: len(HEADER)] for r in back[1:]] == ROWS  # one to one, same order, cells as given
    assert [r[len(HEADER)] for r in back[1:]] == ["属实", "部分属实", "无法核实"]
    assert back[1][len(HEADER) + 1] == "150.00"


def test_round_trip_xlsx_and_english_headers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["clue_id", "description", "suspected_amount", "psn_no"])
    ws.append(["C1", "test", 12.5, "P2"])
    ws.append([1002, "数字编号", 3, ""])
    buf = io.BytesIO()
    wb.save(buf)
    store = _store()
    import_clues(store, buf.getvalue(), file_name="clues.xlsx")
    assert [c.clue_id for c in clues(store)] == ["C1", "1002"]
    record_clue_result(store, "C1", "unfounded", "0", "核实无误")
    out = export_feedback(store, tmp_path / "feedback.xlsx")
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][-5:] == ("result", "verified_amount", "explanation", "evidence_ids", "linked_hits")
    assert [r[0] for r in rows[1:]] == ["C1", "1002"]
    assert rows[1][4] == "unfounded" and rows[2][4] in ("", None)


def test_links_to_encounters_lines_and_hits():
    store = _store()
    import_clues(store, _csv("utf-8"), file_name="c.csv")
    by_id = {c.clue_id: c for c in clues(store)}
    person = link_clue(store, by_id["GJ-003"])  # V1 named, P1 also has V2
    assert person.encounters == ("V1", "V2") and person.lines == 3 and person.line_amount == Decimal("180")
    assert set(person.hit_ids) == {"h1", "h2"}
    item = link_clue(store, by_id["GJ-001"])  # item X100 in March only: V2's line, not V3's April line
    assert item.encounters == ("V2",) and item.lines == 1 and item.hit_ids == ("h2",)
    nobody = link_clue(store, "GJ-002")
    assert nobody.encounters == () and nobody.hit_ids == ()


def test_bad_lists_and_results_are_refused():
    store = _store()
    with pytest.raises(InputError, match="clue_id"):
        read_clue_list(_csv(header=["编号X"] + HEADER[1:]))
    with pytest.raises(InputError, match="重复"):
        read_clue_list(_csv(rows=[ROWS[0], ROWS[0]]))
    with pytest.raises(InputError, match="日期"):
        read_clue_list(_csv(rows=[ROWS[0][:5] + ["2025-13-45"] + ROWS[0][6:]]))
    with pytest.raises(InputError):
        read_clue_list(_csv(rows=[ROWS[0][:8] + ["abc"] + ROWS[0][9:]]))
    with pytest.raises(InputError):
        read_clue_list(b"\xff\xfe\x00garbage\x81")
    import_clues(store, _csv(), file_name="a.csv")
    with pytest.raises(InputError, match="已导入"):
        import_clues(store, _csv(), file_name="a-again.csv")
    with pytest.raises(InputError):
        import_clues(store, _csv(rows=[ROWS[1]], encoding="utf-8"), file_name="b.csv")  # GJ-001 already in the case
    with pytest.raises(InputError):
        record_clue_result(store, "GJ-001", "大概属实", "1", "x")
    with pytest.raises(InputError):
        record_clue_result(store, "GJ-001", "不属实", "5", "x")
    with pytest.raises(InputError):
        record_clue_result(store, "GJ-001", "属实", "5", "  ")
    with pytest.raises(InputError):
        record_clue_result(store, "GJ-001", "属实", "5", "ok", evidence_ids=["nope"])
    with pytest.raises(InputError):
        record_clue_result(store, "NOPE", "属实", "5", "ok")


def test_blank_rows_are_counted_not_kept():
    cl = read_clue_list(_csv(rows=[ROWS[0], ["", "", ""], ROWS[1]]))
    assert len(cl.rows) == 2 and cl.blank_rows == 1


def test_results_proposed_from_the_hit_review():
    from feijian.casework.clues import record_results_from_hits
    from feijian.casework.review import review_hits

    store = _store()
    import_clues(store, _csv("utf-8"), file_name="c.csv")
    assert record_results_from_hits(store) == 1  # GJ-002: nothing in the data → 无法核实; others have open hits
    review_hits(store, ["h1"], "confirmed", "核实", catalogue={})
    review_hits(store, ["h2"], "dismissed", "合理", catalogue={})
    assert record_results_from_hits(store) == 2
    by = {c.clue_id: c for c in clues(store)}
    assert (by["GJ-003"].result, by["GJ-003"].verified_amount) == ("partly", Decimal("50"))  # h1 confirmed, h2 not
    assert (by["GJ-001"].result, by["GJ-001"].verified_amount) == ("unfounded", Decimal("0"))
    assert by["GJ-002"].result == "unverifiable" and "复核" in by["GJ-002"].explanation
    assert clue_progress(store).cleared == 3
