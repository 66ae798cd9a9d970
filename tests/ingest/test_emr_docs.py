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


# ---- an index with files beside it -------------------------------------------------------------------
import io
import zipfile

import pytest

from feijian.ingest import read_folder
from feijian.ingest.doc_readers import READERS, DocumentText, read_document_bytes, register_reader

from document_samples import INDEX_HEADER, make_pdf  # noqa: E402

OP_NOTE = "手术记录\n术中植入药物洗脱支架两枚，过程顺利。\n患者安返病房"


def make_docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        d.add_paragraph(line)
    t = d.add_table(rows=1, cols=1)
    t.cell(0, 0).text = "耗材：支架 2 枚"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (40 << 20))
    return buf.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<record><p>&lol9;</p></record>"""


@pytest.fixture
def docs_folder(tmp_path, write):
    write("files/op.pdf", make_pdf(OP_NOTE))
    write("files/op.docx", make_docx(OP_NOTE))
    write("files/nursing.txt", "护理记录\n一级护理，患者在病房。", encoding="gbk")
    write("files/exam.xml", "<?xml version='1.0' encoding='GBK'?><report><t>CT 检查报告</t><b>未见异常</b></report>",
          encoding="gbk")
    write("files/lab.html", "<html><body><h1>检验报告</h1><p>血常规&nbsp;正常</p><script>x()</script></body></html>")
    write("top.txt", "出院记录：好转出院。")
    write("files/corrupt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ngarbage\xff\xfe")
    write("files/bomb.docx", zip_bomb())
    write("files/laughs.xml", BILLION_LAUGHS)
    write("files/broken.txt", "入院记录".encode("gbk") + b"\xc4\n" + "一级护理".encode("gbk"))
    write("files/op.odt", b"PK\x03\x04")
    write("secret.txt", "outside")  # the index lives in docs/, so this is outside its folder
    rows = [
        "E1,M1,手术记录,2024-01-05 10:00,files/op.pdf",
        "E2,M1,手术记录,2024-01-05 10:00,files\\op.docx",
        "E3,M1,护理记录,2024-01-05 12:00,files/nursing.txt",
        "E4,M1,检查报告,2024-01-06 09:00,files/exam.xml",
        "E5,M1,检验报告,2024-01-06 09:00,files/lab.html",
        "E6,M1,出院记录,2024-01-07 09:00,top.txt",
        "E7,M1,检查报告,2024-01-06 09:00,files/corrupt.pdf",
        "E8,M1,手术记录,2024-01-05 10:00,files/bomb.docx",
        "E9,M1,检查报告,2024-01-06 09:00,files/laughs.xml",
        "E10,M1,护理记录,2024-01-05 12:00,files/broken.txt",
        "E11,M1,其他,2024-01-05 12:00,../secret.txt",
        "E12,M1,其他,2024-01-05 12:00,/etc/passwd",
        "E13,M1,其他,2024-01-05 12:00,files/missing.pdf",
        "E14,M1,其他,2024-01-05 12:00,files/link.txt",
        "E15,M1,其他,2024-01-05 12:00,files/op.odt",
    ]
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in list(tmp_path.iterdir()):
        if p.name != "docs":
            p.rename(docs / p.name)
    (docs / "files" / "link.txt").symlink_to(docs / "secret.txt" if False else tmp_path / "outside.txt")
    (tmp_path / "outside.txt").write_text("outside the folder")
    (docs / "病历文书.csv").write_bytes(("\n".join([INDEX_HEADER] + rows) + "\n").encode("utf-8"))
    return docs


def _reasons(read):
    return {r.line: r.reason for r in read.rejected}


def test_index_with_files_reads_every_format_and_refuses_each_bad_file(docs_folder):
    r = read_file(docs_folder / "病历文书.csv")
    got = dict(zip(r.data.column("doc_id").to_pylist(), r.data.column("text").to_pylist()))
    assert set(got) == {"E1", "E2", "E3", "E4", "E5", "E6"}
    assert "药物洗脱支架两枚" in got["E1"] and "患者安返病房" in got["E1"]
    assert got["E2"].split("\n")[:3] == OP_NOTE.split("\n") and "支架 2 枚" in got["E2"]
    assert got["E3"] == "护理记录\n一级护理，患者在病房。"
    assert got["E4"] == "CT 检查报告\n未见异常"
    assert got["E5"] == "检验报告\n血常规\xa0正常"
    reasons = _reasons(r)
    assert sorted(reasons) == list(range(8, 17))
    assert "corrupt or unreadable PDF" in reasons[8] or "no text in the file" in reasons[8]
    assert "ZIP bomb" in reasons[9]
    assert "entity expansion" in reasons[10]
    assert "undecodable byte 0xc4 at line 1" in reasons[11]
    assert "outside the index's folder" in reasons[12]
    assert "absolute path" in reasons[13]
    assert "file not found" in reasons[14]
    assert "outside the index's folder (a link)" in reasons[15]
    assert "unsupported document file type .odt" in reasons[16]
    assert all(x.field == "file" for x in r.rejected)
    assert r.file.rows == 15 and r.file.read == 6 and r.file.refused == 9
    # chain of custody: each file's SHA-256 beside its text, the files' manifest in the batch
    import hashlib

    sha = dict(zip(r.data.column("doc_id").to_pylist(), r.data.column("_file_sha256").to_pylist()))
    assert sha["E1"] == hashlib.sha256((docs_folder / "files/op.pdf").read_bytes()).hexdigest()
    assert r.data.column("_file_format").to_pylist()[2] == "txt/gbk"
    d = r.document_file
    assert d.table == "emr_docs" and d.rows == 15 and d.read == 6 and d.refused == 9
    assert "SHA-256" in reasons[9]  # a file read but refused: its hash is in the report


def test_the_folder_import_lists_the_document_files_once_and_not_as_unrecognised(docs_folder):
    r = read_folder(docs_folder)
    assert r.tables["emr_docs"].num_rows == 6
    assert [f.table for f in r.files] == ["emr_docs", "emr_docs"]
    assert "top.txt" not in [u[0] for u in r.unrecognised]
    assert "secret.txt" in [u[0] for u in r.unrecognised]  # not named by the index (only as ../secret.txt)


def test_a_document_above_the_text_limit_is_refused(write, monkeypatch, tmp_path):
    from feijian.ingest import doc_readers

    monkeypatch.setattr(doc_readers, "load_limits", lambda: doc_readers.DocumentLimits(max_text_bytes=1000))
    from feijian.ingest import documents

    monkeypatch.setattr(documents, "load_limits", lambda: doc_readers.DocumentLimits(max_text_bytes=1000))
    write("big.txt", "一级护理。" * 100)
    write("small.txt", "一级护理。")
    p = write("emr_docs.csv", INDEX_HEADER + "\nA,M1,nursing,2024-01-05 10:00,big.txt\nB,M1,nursing,2024-01-05 10:00,small.txt\n")
    r = read_file(p)
    assert r.data.column("doc_id").to_pylist() == ["B"]
    assert "over the 0.000953674 MB limit" in r.rejected[0].reason or "limit" in r.rejected[0].reason


def test_a_reader_can_be_added_for_another_suffix():
    saved = dict(READERS)
    try:
        register_reader(".ocr", lambda data, limits: DocumentText("识别的文字", ()))
        assert read_document_bytes(b"x", ".ocr").text == "识别的文字"
    finally:
        READERS.clear()
        READERS.update(saved)


def test_an_index_mixing_texts_and_files_keeps_each_row_with_its_own_text_and_custody(write, tmp_path, monkeypatch):
    """Rows with their text in the index are found in bulk, rows naming a file are read one by one: with a
    chunk of one file each, every row keeps its own text, SHA-256 and line; a missing file and a row with
    neither are refused at their lines; a blank text (whitespace only, U+3000) with a file reads the file."""
    import hashlib

    from feijian.ingest import documents as ingest_documents
    from feijian.ingest.doc_readers import DocumentLimits

    monkeypatch.setattr(ingest_documents, "load_limits", lambda: DocumentLimits(batch_rows=1))
    (tmp_path / "a.txt").write_text("甲文件", encoding="utf-8")
    (tmp_path / "b.txt").write_text("乙文件", encoding="utf-8")
    p = write("病历文书.csv", DOC_HEADER + ",file\n"
              "D1,M1,nursing,2024-01-05 10:00,t,一级护理,\n"
              "D2,M1,nursing,2024-01-05 11:00,t,,a.txt\n"
              "D3,M1,nursing,2024-01-05 12:00,t,二级护理,b.txt\n"
              "D4,M1,nursing,2024-01-05 13:00,t,,gone.txt\n"
              "D5,M1,nursing,2024-01-05 14:00,t,,\n"
              "D6,M1,nursing,2024-01-05 15:00,t,\u3000 ,b.txt\n"
              "D7,M1,nursing,2024-01-05 16:00,t,三级护理, \n")
    r = read_file(p)
    d = r.data
    assert d.column("doc_id").to_pylist() == ["D1", "D2", "D3", "D6", "D7"]
    assert d.column("text").to_pylist() == ["一级护理", "甲文件", "二级护理", "乙文件", "三级护理"]
    sha = {n: hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("a.txt", "b.txt")}
    assert d.column("_file_sha256").to_pylist() == [None, sha["a.txt"], None, sha["b.txt"], None]
    assert d.column("_file_size").to_pylist() == [None, 9, None, 9, None]
    assert d.column("_line").to_pylist() == [2, 3, 4, 7, 8]
    assert [(x.line, x.field) for x in r.rejected] == [(5, "file"), (6, "text/file")]
    assert "file not found" in r.rejected[0].reason
    assert r.file.rows == 7 and r.file.read == 5 and r.file.refused == 2
    assert r.document_file.rows == 3 and r.document_file.refused == 1
