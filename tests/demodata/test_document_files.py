"""The demo's record documents as files (demodata/document_files.py): PDF, DOCX and GBK text beside an index;
importing the file form gives the same texts as the CSV form, and the same input gives the same bytes."""

import csv
import hashlib

import pytest

from feijian.demodata.document_files import FILES_DIR, INDEX_NAME, write_document_files
from feijian.ingest import read_file, read_folder


def _encounters(demo_folder, limit=15):
    """Encounters whose documents together cover every document type the demo writes (and a few more)."""
    with open(demo_folder / "病历文书.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_type = {}
    for r in rows:
        by_type.setdefault(r["文书类型"], r["就诊ID"])
    chosen = list(dict.fromkeys(by_type.values()))
    for r in rows:
        if len(chosen) >= limit:
            break
        if r["就诊ID"] not in chosen:
            chosen.append(r["就诊ID"])
    return rows, chosen, set(by_type)


@pytest.fixture(scope="module")
def file_form(demo, tmp_path_factory):
    folder, _ = demo
    rows, chosen, types = _encounters(folder)
    dest = tmp_path_factory.mktemp("docfiles")
    written = write_document_files(folder, dest=dest, encounters=chosen)
    return folder, dest, written, rows, chosen, types


def test_importing_the_file_form_gives_the_texts_of_the_csv_form(file_form):
    folder, dest, written, rows, chosen, types = file_form
    csv_form = read_file(folder / "病历文书.csv")
    files_form = read_file(dest / INDEX_NAME)
    assert not files_form.rejected
    want = dict(zip(csv_form.data.column("doc_id").to_pylist(), csv_form.data.column("text").to_pylist()))
    got = dict(zip(files_form.data.column("doc_id").to_pylist(), files_form.data.column("text").to_pylist()))
    moved = [r["文书ID"] for r in rows if r["就诊ID"] in set(chosen)]
    assert sorted(got) == sorted(moved) and len(got) == written.documents
    assert {k: want[k] for k in got} == got
    # every format, every document type, and the other columns as in the CSV form
    assert set(written.files) == {"pdf", "docx", "txt"} and min(written.files.values()) >= 5
    formats = set(files_form.data.column("_file_format").to_pylist())
    assert {"pdf", "docx", "txt/gbk"} <= formats
    assert set(files_form.data.column("doc_type").to_pylist()) == set(csv_form.data.column("doc_type").to_pylist())
    assert len(set(files_form.data.column("doc_type").to_pylist())) == len(types)
    for col in ("mdtrt_id", "doc_type", "doc_time", "title", "author"):
        a = dict(zip(csv_form.data.column("doc_id").to_pylist(), csv_form.data.column(col).to_pylist()))
        b = dict(zip(files_form.data.column("doc_id").to_pylist(), files_form.data.column(col).to_pylist()))
        assert {k: a[k] for k in b} == b, col
    # the custody of each file: its SHA-256 beside its text
    sha = dict(zip(files_form.data.column("doc_id").to_pylist(), files_form.data.column("_file_sha256").to_pylist()))
    some = next(iter(sha))
    path = next((dest / FILES_DIR).glob(f"{some}.*"))
    assert sha[some] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_folder_holds_both_forms_and_imports_every_document_once(file_form):
    folder, dest, written, rows, chosen, _ = file_form
    assert written.kept_in_csv == len(rows) - written.documents
    both = read_folder(dest)
    docs = both.tables["emr_docs"]
    assert docs.num_rows == len(rows) and len(set(docs.column("doc_id").to_pylist())) == len(rows)
    assert not both.rejected
    assert not [u for u in both.unrecognised if u[0] == FILES_DIR]


def test_the_same_documents_give_the_same_bytes(file_form, tmp_path):
    folder, dest, _, _, chosen, _ = file_form
    again = write_document_files(folder, dest=tmp_path, encounters=chosen[:3])
    for path in (tmp_path / FILES_DIR).iterdir():
        assert path.read_bytes() == (dest / FILES_DIR / path.name).read_bytes(), path.name
    assert again.documents == len(list((tmp_path / FILES_DIR).iterdir()))
