"""Issuing documents from a real (encrypted) case store: the PDF is written, the issue is an event carrying
the PDF's SHA-256, document numbers follow each other; and the ``feijian report`` command."""

from __future__ import annotations

import datetime as dt
import hashlib

import pyarrow as pa
import pytest

from feijian.casework.findings import create_finding
from feijian.cli import main
from feijian.crypto.identity import create_identity
from feijian.domain.errors import InputError
from feijian.domain.events import DOCUMENT_ISSUED
from feijian.domain.records import CaseInfo, Role, TeamMember
from feijian.reports.documents import UnknownDocument
from feijian.reports.issue import render
from feijian.store.case_store import CaseStore
from pdftext import pages_text, squash
from report_sample import make_context

WHEN = dt.datetime(2026, 3, 10, 15, 30, 0)


def fill_case(store: CaseStore) -> None:
    """A small case through the store's own API, from the in-memory sample."""
    sample = make_context(n_findings=3, lines_per_finding=6)
    for b in sample.batches:
        store.record_import_batch(b)
    fees = pa.Table.from_pandas(sample.hit_lines.rename(columns={"amount": "det_item_fee_sumamt", "dept": "bilg_dept_codg"})
                                .drop(columns=["hit_id"]).astype({"cnt": str, "pric": str, "det_item_fee_sumamt": str}),
                                preserve_index=False)
    store.write_table("b-0001", "fees", fees)
    hits = sample.hits.assign(amount=sample.hits["amount"].map(str), date=sample.hits["date"].map(str))
    lines = sample.hit_lines[["hit_id", "mdtrt_id", "feedetl_sn", "amount"]].assign(amount=lambda d: d["amount"].map(str))
    store.save_screening(sample.run, hits, lines)
    for f in sample.findings:
        create_finding(store, title=f.title, rule_code=f.rule_code, hit_ids=f.hit_ids, description=f.description)
    for rec in sample.records:
        store.add_record(rec.kind, dict(rec.data))


@pytest.fixture
def case(tmp_path):
    identity = create_identity("王建国", "11010023001", "lead")
    info = CaseInfo("0196a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b", "演示", "H11010500123", "北京市示范第一人民医院", "三级甲等",
                    data_period_start=dt.date(2025, 1, 1), data_period_end=dt.date(2025, 12, 31),
                    doc_no_prefix="京医保飞检〔2026〕", team=(TeamMember("王建国", "11010023001", Role.LEAD),
                                                          TeamMember("李晓梅", "11010023002")))
    with CaseStore.create(tmp_path / "c.fjcase", info, identity) as store:
        fill_case(store)
        yield store


def test_render_writes_pdf_and_records_the_issue(case, tmp_path):
    out = tmp_path / "problems.pdf"
    issued = render("problem-list", case, out, generated_at=WHEN, authority="北京市医疗保障局")
    pdf = out.read_bytes()
    assert issued.sha256 == hashlib.sha256(pdf).hexdigest() and issued.size == len(pdf)
    assert issued.doc_no == "京医保飞检〔2026〕1号"
    assert issued.pages == len(pages_text(pdf))
    docs = case.documents()
    assert [(d["doc"], d["doc_no"], d["sha256"]) for d in docs] == [("problem-list", issued.doc_no, issued.sha256)]
    ev = [e for e in case.events() if e.type == DOCUMENT_ISSUED]
    assert len(ev) == 1 and ev[0].payload["sha256"] == issued.sha256 and ev[0].event_id == issued.event_id
    # the figures are the case's: each finding's amount is the sum of its hits' lines
    text = "\n".join(pages_text(pdf))
    lines = case.hit_lines()
    from decimal import Decimal
    from feijian.casework.findings import findings

    for f in findings(case):
        expected = sum((Decimal(a) for a in lines[lines["hit_id"].isin(f.hit_ids)]["amount"]), Decimal(0))
        assert f"{expected:,.2f}" in text
    assert "北京市示范第一人民医院" in text


def test_numbers_follow_each_other_and_drafts_are_not_recorded(case, tmp_path):
    a = render("notice", case, tmp_path / "a.pdf", generated_at=WHEN)
    b = render("report", case, tmp_path / "b.pdf", generated_at=WHEN)
    c = render("hit-list", case, tmp_path / "c.pdf", generated_at=WHEN, record=False)
    assert (a.doc_no, b.doc_no) == ("京医保飞检〔2026〕1号", "京医保飞检〔2026〕2号")
    assert c.event_id == "" and len(case.documents()) == 2
    flat = squash("".join(pages_text((tmp_path / "b.pdf").read_bytes())))
    assert case.latest_run().kb_hash in flat
    assert all(f.sha256 in flat for bt in case.import_batches() for f in bt.files)


def test_typed_records_from_the_store(case, tmp_path):
    render("interview", case, tmp_path / "i.pdf", generated_at=WHEN)
    flat = squash("".join(pages_text((tmp_path / "i.pdf").read_bytes())))
    assert "110105198001011238" in flat and "医保办主任" in flat
    rec = [e for e in case.evidence_items() if e.kind == "interview"][0]
    assert rec.sha256 in flat


def test_hit_list_filter_by_rule(case, tmp_path):
    render("hit-list", case, tmp_path / "h.pdf", generated_at=WHEN, rules=["R06"])
    text = "\n".join(pages_text((tmp_path / "h.pdf").read_bytes()))
    assert "规则 R06" in text
    hits = case.hits()
    assert all(h[:10] not in squash(text) for h in hits[hits["rule_code"] != "R06"]["hit_id"])
    assert any(h in squash(text) for h in hits[hits["rule_code"] == "R06"]["hit_id"])


def test_bad_requests_fail_clearly_and_write_nothing(case, tmp_path):
    with pytest.raises(UnknownDocument):
        render("minutes", case, tmp_path / "x.pdf")
    with pytest.raises(InputError, match=r"\.pdf"):
        render("notice", case, tmp_path / "x.docx")
    with pytest.raises(InputError, match="no such folder"):
        render("notice", case, tmp_path / "missing" / "x.pdf")
    with pytest.raises(InputError, match="already issued"):
        render("notice", case, tmp_path / "n1.pdf", doc_no="A1")
        render("notice", case, tmp_path / "n2.pdf", doc_no="A1")
    assert not (tmp_path / "x.pdf").exists() and len(case.documents()) == 1


def test_cli_report(tmp_path, monkeypatch, capsys):
    from feijian.store.identities import IdentityStore

    home = tmp_path / "home"
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "correct horse battery staple")
    identity = IdentityStore(home).create("王建国", "11010023001", "lead", "correct horse battery staple", fast=True)
    info = CaseInfo("0196a1b2-0000-7000-8000-000000000001", "演示", "H1", "示范医院", "二级")
    with CaseStore.create(home / "cases" / "demo.fjcase", info, identity) as store:
        fill_case(store)
    out = tmp_path / "report.pdf"
    rc = main(["--home", str(home), "report", "demo", "--doc", "report", "--out", str(out), "--authority", "某省医疗保障局"])
    printed = capsys.readouterr().out
    assert rc == 0 and out.exists()
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    assert sha in printed and "飞检〔" in printed
    rc = main(["--home", str(home), "report", "demo", "--doc", "interview", "--out", str(tmp_path / "nope.txt")])
    assert rc != 0 and ".pdf" in capsys.readouterr().err
    with CaseStore.open(home / "cases" / "demo.fjcase", identity) as store:
        assert [d["sha256"] for d in store.documents()] == [sha]
