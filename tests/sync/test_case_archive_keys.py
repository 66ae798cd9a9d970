"""The archive keys a case row by its place in the package's table, not by (import batch, line in its
source file): one table delivered in several files of one import (fees by month, record documents as a CSV
and an index beside their files) has equal lines in one batch, and every row is archived."""

from __future__ import annotations

import sqlite3

import pyarrow as pa

from feijian.sync.archive import Archive


def test_one_table_from_two_files_of_one_batch_is_archived_whole():
    archive = Archive(sqlite3.connect(":memory:"), postgres=False)
    inst = pa.table({"medins_code": ["H44010600123"], "medins_name": ["测试医院"], "_batch": ["b1"], "_line": [2]})
    docs = pa.table({"doc_id": ["D1", "D2", "D3", "D4"], "mdtrt_id": ["V1"] * 4,
                     "doc_type": ["nursing"] * 4, "text": ["一级护理", "", "二级护理", ""],
                     "file": [None, "病历文书/D2.pdf", None, "病历文书/D4.docx"],
                     "_batch": ["b1"] * 4, "_line": [2, 2, 3, 3]})  # lines 2 and 3 of 病历文书.csv and of the index
    counts = archive.cases.replace_case("c1", "p1", "2026-12-07T10:00:00Z", {"institution": inst, "emr_docs": docs})
    assert counts == {"institution": 1, "emr_docs": 4}
    rows = archive._query("SELECT doc_id, _batch, _line, _seq FROM archive_emr_docs ORDER BY _seq")
    assert rows == [("D1", "b1", 2, 0), ("D2", "b1", 2, 1), ("D3", "b1", 3, 2), ("D4", "b1", 3, 3)]
    # a newer package of the case replaces its rows
    assert archive.cases.replace_case("c1", "p2", "2026-12-07T11:00:00Z",
                                      {"institution": inst, "emr_docs": docs.slice(0, 2)}) == {"institution": 1,
                                                                                              "emr_docs": 2}
    assert archive.cases.row_counts()["emr_docs"] == 2
