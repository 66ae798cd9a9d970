"""移送: the conditions pick the findings per authority, flags add the ones the data cannot show, the letter is
rendered with the evidence list and its hashes and recorded in the case as a document and as a transfer."""

import datetime as dt
import hashlib
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from feijian.casework.findings import create_finding
from feijian.domain.records import CaseInfo, ImportBatch, TeamMember
from feijian.store.case_store import CaseStore
from feijian.store.identities import IdentityStore

from cli_run import run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
from pdftext import pages_text, pdffonts, squash  # noqa: E402

PASS = "correct horse battery staple"


@pytest.fixture
def case(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", PASS)
    identity = IdentityStore(home).create("张三", "A001", "lead", PASS, fast=True)
    (home / "cases").mkdir(parents=True)
    info = CaseInfo("0190c0de-0000-7000-8000-0000000000bb", "移送测试", "H1", "测试医院", "3",
                    team=(TeamMember("张三", "A001"),))
    with CaseStore.create(home / "cases" / "t.fjcase", info, identity) as store:
        store.write_table("b1", "fees", pa.table({
            "mdtrt_id": ["V1"], "feedetl_sn": ["1"],
            "fee_ocur_time": pa.array([dt.datetime(2025, 1, 1)], pa.timestamp("s")),
            "det_item_fee_sumamt": pa.array([Decimal("10.00")], pa.decimal128(18, 4))}))
        store.record_import_batch(ImportBatch("b1", "2026-03-01T00:00:00Z", "张三"))
        ids = {
            "big_fraud": create_finding(store, title="伪造住院骗取基金", amount="5000", article=40, category="虚假诊疗").finding_id,
            "small_fraud": create_finding(store, title="少量虚记", amount="200", article=40, category="虚假诊疗").finding_id,
            "unqualified": create_finding(store, title="无资质医师开单", rule_code="R19", amount="800", article=38,
                                          category="数据不符").finding_id,
            "plain": create_finding(store, title="重复收费", amount="90", article=38, category="重复收费").finding_id,
        }
    return home, ids


def test_suggest_flag_letter_and_record(case, tmp_path, capsys):
    home, ids = case
    assert run(home, "transfer", "suggest", "t") == 0
    out = capsys.readouterr().out
    police = out.split("公安机关")[1].split("卫生健康")[0]
    assert ids["big_fraud"] in police and ids["small_fraud"] not in police  # under the 3,000 yuan floor
    health = out.split("卫生健康主管部门")[1].split("纪检监察")[0]
    assert ids["unqualified"] in health and ids["big_fraud"] in health and ids["plain"] not in health
    assert "纪检监察机关（discipline）：0 个问题" in out

    photo = tmp_path / "住院登记.jpg"
    photo.write_bytes(b"\xff\xd8 ledger" * 100)
    assert run(home, "evidence", "add", "t", str(photo), "--finding", ids["big_fraud"]) == 0
    letter = tmp_path / "police.pdf"
    capsys.readouterr()
    assert run(home, "transfer", "letter", "t", "--to", "police", "--out", str(letter), "--recipient", "某市公安局",
               "--authority", "某市医疗保障局") == 0
    assert "1 个问题" in capsys.readouterr().out
    pdf = letter.read_bytes()
    text = squash("".join(pages_text(pdf)))
    assert "涉嫌犯罪案件移送书" in text and "某市公安局：" in text and "伪造住院骗取基金" in text
    assert "少量虚记" not in text and "国务院令第310号" in text
    assert hashlib.sha256(photo.read_bytes()).hexdigest() in text  # the evidence list carries the hash
    assert all(f["emb"] == "yes" for f in pdffonts(pdf))

    # discipline only by a flag; an unknown flag or finding is refused
    assert run(home, "transfer", "letter", "t", "--to", "discipline", "--out", str(tmp_path / "d.pdf")) != 0
    assert run(home, "transfer", "flag", "t", ids["plain"], "--flags", "bribery") != 0
    assert run(home, "transfer", "flag", "t", "nope", "--flags", "public_official") != 0
    assert run(home, "transfer", "flag", "t", ids["plain"], "--flags", "public_official") == 0
    assert run(home, "transfer", "letter", "t", "--to", "discipline", "--out", str(tmp_path / "d.pdf"),
               "--recipient", "某市纪委监委") == 0
    assert "检查组标记：涉及公职人员" in squash("".join(pages_text((tmp_path / "d.pdf").read_bytes())))
    # named findings override the conditions
    assert run(home, "transfer", "letter", "t", "--to", "health", "--findings", ids["plain"], "--out",
               str(tmp_path / "h.pdf"), "--no-record") == 0
    assert run(home, "transfer", "letter", "t", "--to", "health", "--findings", "nope", "--out", str(tmp_path / "x.pdf")) != 0

    capsys.readouterr()
    assert run(home, "transfer", "list", "t") == 0
    out = capsys.readouterr().out
    assert "某市公安局" in out and "某市纪委监委" in out and out.count("个问题") == 2  # the draft is not recorded
    identity = IdentityStore(home).unlock(PASS)
    with CaseStore.open(home / "cases" / "t.fjcase", identity) as store:
        docs = [d for d in store.documents() if d["doc"] == "transfer"]
        assert len(docs) == 2
        assert hashlib.sha256(letter.read_bytes()).hexdigest() in {d["sha256"] for d in docs}
