"""No plaintext document text on disk (records.md, issue 14): record documents naming a canary patient, given
as text in an emr_docs CSV and as .txt (GBK), .pdf and .docx files beside an index, are imported, screened
(an R26 hit quotes the canary's clause) and read in the record view; afterwards no file outside the input
folder (the data folder with the case, temp, logs, the user's caches) holds the canary in UTF-8, GBK or
UTF-16. Logging runs at DEBUG so that a debug line quoting a document would be caught too."""

import csv
import logging
import shutil
import tempfile
import uuid

import pandas as pd
import pytest

from canary_scan import CANARY_ID, CANARY_NAME, scan
from document_samples import make_docx, make_pdf

STENT = "C0301010100000100001"
CLAUSE = f"患者{CANARY_NAME}术中于右冠状动脉植入药物洗脱支架一枚"
FILE_TEXT = f"{CANARY_NAME}，身份证号 {CANARY_ID}，一级护理，患者在病房。"


def _write_documents(folder, mdtrt: str, day: str) -> None:
    with open(folder / "病历文书.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["文书ID", "就诊ID", "文书类型", "记录时间", "标题", "内容"])
        w.writerow(["C-1", mdtrt, "手术记录", f"{day} 11:30", "PCI 手术记录",
                    f"手术名称：经皮冠状动脉介入治疗。\n{CLAUSE}，身份证号 {CANARY_ID}。\n术程顺利。"])
    files = folder / "文书文件"
    files.mkdir()
    (files / "nursing.txt").write_bytes(("护理记录\n" + FILE_TEXT).encode("gbk"))
    (files / "exam.pdf").write_bytes(make_pdf("检查报告：" + FILE_TEXT))
    (files / "progress.docx").write_bytes(make_docx("病程记录：" + FILE_TEXT))
    with open(folder / "病历文书索引.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["文书ID", "就诊ID", "文书类型", "记录时间", "文件"])
        w.writerow(["F-1", mdtrt, "护理记录", f"{day} 18:00", "文书文件/nursing.txt"])
        w.writerow(["F-2", mdtrt, "检查报告", f"{day} 09:00", "文书文件/exam.pdf"])
        w.writerow(["F-3", mdtrt, "病程记录", f"{day} 20:00", "文书文件/progress.docx"])


@pytest.fixture()
def isolated_disk(tmp_path, monkeypatch):
    """Temp, user caches and config under the test's folder, and a DEBUG log file there."""
    tmp, user = tmp_path / "tmp", tmp_path / "user"
    tmp.mkdir()
    user.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    for var, sub in (("HOME", ""), ("XDG_CACHE_HOME", ".cache"), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_DATA_HOME", ".local/share")):
        monkeypatch.setenv(var, str(user / sub))
    logs = tmp_path / "logs"
    logs.mkdir()
    handler = logging.FileHandler(logs / "feijian.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("feijian")
    saved = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG)
    try:
        yield [tmp, user, logs]
    finally:
        handler.close()
        root.handlers[:], level = saved
        root.setLevel(level)


def test_document_canary_never_reaches_the_disk(qtbot, tmp_path, demo_folder, isolated_disk):
    from feijian.casework.case_terms import add_item_term
    from feijian.casework.importing import import_folder
    from feijian.casework.screening import screen_case
    from feijian.domain.records import CaseInfo
    from feijian.gui.main_window import Workbench
    from feijian.gui.session import Session

    fees = pd.read_csv(next(demo_folder.glob("费用明细.csv")), dtype=str, encoding="gb18030")
    two = fees[(fees["医保目录编码"] == STENT) & (fees["数量"].astype(float) >= 2)].iloc[0]
    mdtrt, day = two["就诊ID"], two["费用发生时间"][:10]
    inputs = tmp_path / "input"
    data = inputs / "data"
    shutil.copytree(demo_folder, data, ignore=shutil.ignore_patterns("病历文书*"))
    docs = inputs / "docs"
    docs.mkdir()
    _write_documents(docs, mdtrt, day)

    home = tmp_path / "home"
    session = Session(home)
    session.identity = session.identities.create("周检查", "YB-9", "inspector", "canary-passphrase", fast=True)
    path = session.create_case(CaseInfo(str(uuid.uuid4()), "文书案件", "H1", "演示市第一人民医院", "3"))
    store = session.open_case(path)
    import_folder(store, data)
    summary = import_folder(store, docs)
    assert not summary.rejected and summary.tables["emr_docs"] == 4
    add_item_term(store, STENT, "药物洗脱支架", doc_types=["operation"])
    screen_case(store)
    store.close()

    wb = Workbench(home)
    qtbot.addWidget(wb)
    try:
        wb.session.identity = wb.session.identities.unlock("canary-passphrase")
        window = wb.open_case(wb.session.case_files()[0])
        texts = window.ctx.table("emr_docs").column("text").to_pylist()
        assert sum(FILE_TEXT in t for t in texts) == 3  # each file's text, read from txt, pdf and docx
        hits = window.ctx.hits()
        hit = hits[(hits["rule_code"].astype(str) == "R26") & (hits["mdtrt_id"].astype(str) == mdtrt)]
        assert len(hit) == 1 and CANARY_NAME in str(hit["detail"].iat[0])  # the hit quotes the canary's clause
        window.show_page("hits")
        window.ctx.open_record.emit(mdtrt, str(hit["hit_id"].iat[0]))
        panel = window.pages["record"].documents
        assert CANARY_NAME in panel.text.toPlainText()
        for doc_id in ("F-1", "F-2", "F-3"):  # every document opened in the view
            panel.open_document(panel.document(doc_id))
            assert CANARY_ID in panel.text.toPlainText()
        window.show_page("data")
        # while the case is open (WAL and shared memory present) ...
        folders = [home, tmp_path]
        assert scan(folders, skip=[inputs]) == []
        window.close()
    finally:
        wb.shutdown()
    # ... and after it was closed
    assert (isolated_disk[2] / "feijian.log").stat().st_size > 0
    assert scan(folders, skip=[inputs]) == []
    # the scan would have seen the input's own plaintext
    assert scan([inputs]) and all("input" in p for p, _, _ in scan([inputs]))
