"""emr_docs (records.md): a CSV with the text, or an index naming files beside it; every bad file a refused
row with its reason, the rest of the import intact."""

from feijian.ingest import read_file

DOC_HEADER = "doc_id,mdtrt_id,doc_type,doc_time,title,text"


def test_csv_with_text_reads_and_a_row_with_neither_text_nor_file_is_refused(write):
    p = write("病历文书.csv", DOC_HEADER + ",file\n"
              "D1,M1,手术记录,2024-01-05 10:00,手术记录,\"术中植入支架两枚，过程顺利。\",\n"
              "D2,M1,nursing,2024-01-05 12:00,护理记录,,\n"
              "D3,M1,nursing,2024-01-06 12:00,护理记录,\"一级护理\",\n")
    r = read_file(p)
    assert r.table == "emr_docs"
    assert r.data.column("doc_id").to_pylist() == ["D1", "D3"]
    assert r.data.column("text").to_pylist()[0] == "术中植入支架两枚，过程顺利。"
    assert [(x.line, x.field) for x in r.rejected] == [(3, "text/file")]
    assert "needs one of text, file" in r.rejected[0].reason
    assert r.file.rows == 3 and r.file.read == 2 and r.file.refused == 1
