"""`feijian demo` runs the whole job to the end on a small demo hospital and leaves every output behind."""

import contextlib
import io
import json
import re
import shutil
import sqlite3
import subprocess

import pytest

from feijian.cli import main


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """One `feijian demo` (≈ 50 s) for the tests of this file: its data folder and what it printed."""
    home = tmp_path_factory.mktemp("demo-home")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["--home", str(home), "demo", "--scale", "0.02", "--seed", "3"])
    return home, code, printed.getvalue()


def test_demo_runs_the_whole_job(demo_run):
    tmp_path, code, printed = demo_run
    assert code == 0, printed[-3000:]
    for step in ("导入 import", "筛查 screen", "核查 review", "证据 evidence", "线索核查 clues", "抽样 sampling",
                 "文书 documents", "数据包 package", "医保局接收 bureau intake"):
        assert step in printed, step
    import re

    assert re.search(r"金额（每条明细只计一次）\d[\d,]*\.\d\d 元", printed)
    assert not re.search(r"(?<![\d,.])\d{4,}\.\d\d 元", printed), printed  # money grouped: 13,137.97 元
    out = tmp_path / "demo" / "out"
    pdfs = sorted(p.stem for p in out.glob("*.pdf"))
    assert pdfs == sorted(["notice", "data-confirmation", "onsite-record", "interview", "hit-list", "problem-list", "report"])
    assert all(p.read_bytes().startswith(b"%PDF") for p in out.glob("*.pdf"))
    assert (out / "demo-bureau.fjpkg").stat().st_size > 0
    case_file = tmp_path / "demo" / "demo.fjcase"
    assert not case_file.read_bytes().startswith(b"SQLite format 3")  # encrypted
    archive = (out / "bureau-archive.sqlite").read_bytes()
    assert len(archive) > 4096 and not archive.startswith(b"SQLite format 3")  # written by intake, encrypted
    with sqlite3.connect(out / "bureau-archive.sqlite") as db, pytest.raises(sqlite3.DatabaseError):
        db.execute("select name from sqlite_master").fetchall()  # unreadable without the bureau's key
    planted = json.loads((tmp_path / "demo" / "data" / "meta" / "planted.json").read_text(encoding="utf-8"))
    assert planted["hits"]
    # the record documents are imported both ways: 病历文书.csv with the text, an index beside PDF/DOCX/TXT files
    index = planted["files"]["病历文书索引.csv"]
    assert planted["files"]["病历文书.csv"]["rows"] > 0 and 100 < index["rows"] < 2000
    assert {"pdf", "docx", "txt"} <= set(index["formats"]) and sum(index["formats"].values()) == index["rows"]
    docs_line = next(line for line in printed.splitlines() if "病历文书 record documents" in line)
    assert "病历文书.csv" in docs_line and "病历文书索引.csv" in docs_line and "pdf:" in docs_line
    assert f"{planted['counts']['emr_docs']} 份" in docs_line


# what a person must never read in a document: an ISO timestamp, a float artefact, a minus sign or an open
# dash before a number (``限 –14 岁``), an unset field the data could have filled
ARTEFACTS = re.compile(r"T\d\d:|\d\.0(?:\s|$)|−\d|(?:^|\s)–\d|\d–(?:\s|$)|未设定")


def artefacts_in(text: str) -> list[str]:
    return [text[max(0, m.start() - 30):m.end() + 30] for m in ARTEFACTS.finditer(text)]


def test_demo_documents_read_as_people_write(demo_run):
    tmp_path, code, printed = demo_run
    assert code == 0, printed[-3000:]
    exe = shutil.which("pdftotext")
    assert exe, "poppler-utils (pdftotext) is needed"
    found = {}
    for pdf in sorted((tmp_path / "demo" / "out").glob("*.pdf")):
        text = subprocess.run([exe, "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        assert "数据期间" not in text or "年" in text.split("数据期间", 1)[1][:60], pdf.name
        if artefacts_in(text):
            found[pdf.name] = artefacts_in(text)[:5]
    assert not found, found
