"""No plaintext on disk: a case written with a canary patient name and ID number; the canary must not appear,
in UTF-8, GBK or UTF-16, in any file under the data folder, the temp folder or the log folder."""

import io
import logging
import os
import tempfile

import pyarrow as pa

from feijian.cli.context import Context
from feijian.store.case_store import CaseStore
from feijian.store.identities import IdentityStore

from canary_scan import CANARY_ID, CANARY_NAME, scan
from case_fixtures import make_info


def _scan(folders):
    return scan(folders)


def test_canary_never_reaches_the_disk(tmp_path, monkeypatch, bureau):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    ctx = Context(home=home)
    ctx.setup_logging()
    try:
        identity = IdentityStore(home).create("检查员", "J-1", "inspector", "pw")
        path = ctx.cases_dir / "canary.fjcase"
        n = 5000
        visits = pa.table({
            "mdtrt_id": [f"M{i:06d}" for i in range(n)],
            "psn_name": [CANARY_NAME if i % 100 == 7 else f"患者{i}" for i in range(n)],
            "certno": [CANARY_ID if i % 100 == 7 else f"1101051949123{i:05d}" for i in range(n)],
        })
        store = CaseStore.create(path, make_info(), identity, escrow_public=bureau.public().escrow_public)
        with store.transaction():
            store.write_table("b1", "visits", visits)
            store.append_event("note", {"text": f"约谈 {CANARY_NAME}（{CANARY_ID}）"})
        store.add_record("interview", {
            "start": "2026-11-20 10:00", "end": "2026-11-20 10:30", "place": "医保办",
            "interviewers": [{"name": "检查员", "staff_no": "J-1"}, {"name": "记录员", "staff_no": "J-2"}],
            "recorder": "记录员", "interviewee": {"name": CANARY_NAME, "id_number": CANARY_ID},
            "qa": [{"q": "姓名？", "a": CANARY_NAME}]})
        store.add_evidence(io.BytesIO(f"{CANARY_NAME} {CANARY_ID}".encode("gbk") * 100), original_name="scan.txt")
        logging.getLogger("feijian.test").info("wrote case %s", store.case_id)
        # while the case is open (WAL and shared-memory files present) ...
        assert store.read_table("visits").column("psn_name").to_pylist().count(CANARY_NAME) == 50
        assert _scan([home, tmp, ctx.logs_dir]) == []
        store.close()
        with CaseStore.open(path, identity) as again:
            assert CANARY_ID in again.read_table("visits", ["certno"]).column("certno").to_pylist()
        # ... and after it was closed
        assert (ctx.logs_dir / "feijian.log").exists()
        assert _scan([home, tmp, ctx.logs_dir]) == []
    finally:
        for h in logging.getLogger("feijian").handlers:
            h.close()
        logging.getLogger("feijian").handlers[:] = []


def test_the_scanner_finds_a_planted_canary(tmp_path):
    (tmp_path / "leak.txt").write_bytes(CANARY_NAME.encode("utf-16-le"))
    assert _scan([tmp_path]) == [(str(tmp_path / "leak.txt"), CANARY_NAME, "utf-16-le")]


def test_ocr_of_a_page_writes_no_image_or_text_to_disk(tmp_path, monkeypatch):
    """A photographed page naming the canary, read by the OCR worker pool (spawned processes, pipes):
    neither the page nor the read text reaches the temp folder (issue 20)."""
    import pytest

    pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")
    from PIL import Image, ImageDraw, ImageFont

    from feijian.ingest.paper_documents import read_paper_document
    from feijian.paths import resource

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    font = ImageFont.truetype(str(resource("fonts", "wqy-microhei.ttc")), 40)
    img = Image.new("RGB", (1200, 600), "white")
    ImageDraw.Draw(img).text((80, 200), f"患者{CANARY_NAME}，身份证{CANARY_ID}", font=font, fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    png = buf.getvalue()
    doc = read_paper_document(png, ".png", "canary.png")
    assert CANARY_NAME in doc.text
    assert _scan([tmp, tmp_path]) == []
    # the raw pixels of the page are not on disk either (a decoded page written as a temp image)
    row = img.tobytes()[1200 * 3 * 220: 1200 * 3 * 221]
    for root, _, files in os.walk(tmp_path):
        for name in files:
            assert row not in open(os.path.join(root, name), "rb").read()


def test_the_import_key_index_never_spills_to_disk():
    """DuckDB's in-memory default spills to ./.tmp; the key hashing connection of the import has it off."""
    from feijian.ingest.keys import _connection

    assert _connection().execute("select current_setting('temp_directory')").fetchall() == [("",)]


def test_an_emr_docs_import_of_photographed_pages_writes_nothing_plain(tmp_path, monkeypatch):
    """The emr_docs import of an index naming photographed pages (the OCR reader of the reader table, the
    session's worker pool, the originals put into the evidence vault): the read text naming the canary and
    the page's pixels reach neither the temp folder nor the case's folder unencrypted (issue 20)."""
    import pytest

    pytest.importorskip("rapidocr_onnxruntime", reason="OCR extra: make ocr")
    from PIL import Image, ImageDraw, ImageFont

    from feijian.casework.importing import import_folder
    from feijian.crypto.identity import create_identity
    from feijian.paths import resource

    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    tmp, cases, data = tmp_path / "tmp", tmp_path / "cases", tmp_path / "data"
    for d in (tmp, cases, data):
        d.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    font = ImageFont.truetype(str(resource("fonts", "wqy-microhei.ttc")), 40)
    img = Image.new("RGB", (1200, 600), "white")
    ImageDraw.Draw(img).text((80, 200), f"患者{CANARY_NAME}，身份证{CANARY_ID}", font=font, fill="black")
    img.save(data / "page.png", "PNG")
    (data / "病历文书.csv").write_text("文书ID,就诊ID,文书类型,记录时间,文件\nD1,M1,护理记录,2024-12-03 20:00,page.png\n",
                                     encoding="utf-8")
    with CaseStore.create(cases / "c.fjcase", make_info(), create_identity("张检查", "J-001")) as store:
        import_folder(store, data)
        assert CANARY_NAME in store.read_table("emr_docs").column("text")[0].as_py()
        assert _scan([tmp, cases]) == []
    assert _scan([tmp, cases]) == []
    row = img.tobytes()[1200 * 3 * 220: 1200 * 3 * 221]
    png = (data / "page.png").read_bytes()
    for root, _, files in os.walk(tmp_path):
        for name in files:
            path = os.path.join(root, name)
            blob = open(path, "rb").read()
            assert row not in blob, path
            if not path.startswith(str(data)):
                assert png[200:400] not in blob, path  # the original file only inside the vault, encrypted
