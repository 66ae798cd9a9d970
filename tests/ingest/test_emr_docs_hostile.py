"""Hostile files beside an emr_docs index (issue 14, records.md): each is a refused row whose reason says what
is wrong, nothing outside the index's folder is read, nothing hangs, and the good rows of the same index
still import. (The first hostile set, ZIP bomb by ratio, billion laughs, ../, /etc/passwd, a link, a corrupt
PDF and a broken GBK byte, is in test_emr_docs.py.)"""

import os

import pytest

from feijian.ingest import read_file
from feijian.ingest import documents as ingest_documents
from feijian.ingest.doc_readers import DocumentLimits

from document_samples import (INDEX_HEADER, docx_with_part, make_docx, make_pdf, pdf_bomb, understated_zip)

SECRET = "机密：不应被读取"
GOOD = "护理记录\n一级护理，患者在病房。"
CAP = 512 << 10  # the file size cap of this test (512 KiB)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    docs = root / "docs"
    f = docs / "files"
    f.mkdir(parents=True)
    (f / "good.txt").write_text(GOOD, encoding="utf-8")
    (f / "good.pdf").write_bytes(make_pdf(GOOD))
    (f / "good.docx").write_bytes(make_docx(GOOD))
    (f / "big.txt").write_bytes(("一级护理。" * (CAP // 10 + 100)).encode("gbk"))  # just over the cap, plain GBK
    (f / "utf16.txt").write_bytes(b"\xff\xfe" + GOOD.encode("utf-16-le"))
    (f / "utf16nobom.txt").write_bytes(GOOD.encode("utf-16-le"))
    (f / "nul.txt").write_bytes(GOOD.encode("utf-8") + b"\x00\x00\x00")
    secret_url = (outside / "secret.txt").as_uri().encode()
    (f / "xxe.xml").write_bytes(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "' + secret_url
                                + b'">]><r><p>&x;</p></r>')
    (f / "xxe16.xml").write_bytes(('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x SYSTEM "'
                                   + secret_url.decode() + '">]><r>&x;</r>').encode("utf-16"))
    (f / "xxe.docx").write_bytes(docx_with_part(
        make_docx("正文"), "word/document.xml",
        lambda xml: xml.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "' + secret_url + b'">]>', 1)
        .replace("正文".encode(), "正文&x;".encode())))
    padded = docx_with_part(make_docx("正文"), "word/document.xml",
                            lambda xml: xml.replace(b"<w:body>", b"<w:body>" + b" " * (8 << 20), 1))
    (f / "lying.docx").write_bytes(understated_zip(padded, "word/document.xml", 2000))
    (f / "bomb.pdf").write_bytes(pdf_bomb())
    (f / "folder.txt").mkdir()  # a directory with a document's name
    os.mkfifo(f / "pipe.txt")  # reading it would block forever
    (docs / "linkdir").symlink_to(outside, target_is_directory=True)
    rows = [
        ("G1", "files/good.txt"), ("G2", "files/good.pdf"), ("G3", "files/good.docx"),
        ("H1", "files/big.txt"), ("H2", "files/utf16.txt"), ("H3", "files/utf16nobom.txt"), ("H4", "files/nul.txt"),
        ("H5", "files/xxe.xml"), ("H6", "files/xxe16.xml"), ("H7", "files/xxe.docx"), ("H8", "files/lying.docx"),
        ("H9", "files/bomb.pdf"), ("H10", "files/pipe.txt"), ("H11", "files/folder.txt"), ("H12", "linkdir/secret.txt"),
        ("H13", "files/../../outside/secret.txt"), ("H14", "..\\outside\\secret.txt"),
        ("H15", "\\\\server\\share\\secret.txt"), ("H16", "C:\\outside\\secret.txt"),
        ("H17", str(outside / "secret.txt")), ("H18", "files/good\x00.txt"), ("H19", "files/\x1bgood.txt"),
    ]
    lines = [INDEX_HEADER] + [f'{d},M1,护理记录,2024-01-05 12:00,"{p}"' for d, p in rows]
    (docs / "病历文书.csv").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return docs


@pytest.fixture(scope="module")
def result(hostile):
    mp = pytest.MonkeyPatch()
    mp.setattr(ingest_documents, "load_limits", lambda: DocumentLimits(max_file_bytes=CAP))
    try:
        yield read_file(hostile / "病历文书.csv")
    finally:
        mp.undo()


def test_the_good_rows_import(result):
    got = dict(zip(result.data.column("doc_id").to_pylist(), result.data.column("text").to_pylist()))
    assert sorted(got) == ["G1", "G2", "G3"]
    assert got["G1"] == GOOD and "一级护理，患者在病房。" in got["G2"] and got["G3"] == GOOD
    assert result.file.rows == 22 and result.file.read == 3 and result.file.refused == 19
    assert not any(SECRET in t for t in got.values())


REASONS = {  # doc_id (line = its row + 1) -> what the refusal must say
    "H1": "over the 0.5 MB limit",
    "H2": "UTF-16 text is not a contract encoding",
    "H3": "not a text file (UTF-16 without BOM, or binary?)",
    "H4": "a NUL byte at line 2",
    "H5": "declares entities",
    "H6": "declares entities",
    "H7": "part word/document.xml declares entities",
    "H8": "corrupt or unreadable DOCX",
    "H9": "a decompression bomb",
    "H10": "is not a file",
    "H11": "is not a file",
    "H12": "leads outside the index's folder (a link)",
    "H13": "points outside the index's folder",
    "H14": "points outside the index's folder",
    "H15": "is an absolute path",
    "H16": "is an absolute path",
    "H17": "is an absolute path",
    "H18": "holds control characters",
    "H19": "holds control characters",
}


@pytest.mark.parametrize("doc_id", sorted(REASONS, key=lambda d: int(d[1:])))
def test_each_hostile_file_is_a_refused_row_with_its_reason(result, doc_id):
    line = 4 + int(doc_id[1:])  # header, G1-G3, then H1 on line 5 ...
    [row] = [r for r in result.rejected if r.line == line]
    assert row.field == "file"
    assert REASONS[doc_id] in row.reason, row.reason
    assert SECRET not in row.reason


def test_the_index_manifest_counts_every_named_file(result):
    d = result.document_file
    assert (d.rows, d.read, d.refused) == (22, 3, 19)
