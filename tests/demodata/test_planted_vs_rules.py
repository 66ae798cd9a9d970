"""The acid test: the real import (feijian.ingest) and rules engine (feijian.rules) run on the demo
hospital must flag exactly the planted deterministic hits, with the planted amounts, and at least the
planted statistical ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

import demodata_oracle as oracle

ingest = pytest.importorskip("feijian.ingest", reason="the ingest layer has not landed")
runner = pytest.importorskip("feijian.rules.runner", reason="the rules engine has not landed")
from feijian.rules.knowledge_base import KnowledgeBase  # noqa: E402


def _s(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


@pytest.fixture(scope="module")
def result(demo):
    out, _ = demo
    read = ingest.read_folder(out)
    kb = KnowledgeBase.from_tables(ingest.read_folder(out / "kb", kind="kb").tables)
    return read, runner.screen(read.tables, kb)


def test_import_takes_every_row(demo, result):
    _, manifest = demo
    read, _ = result
    assert read.rejected == []
    assert read.unrecognised == []
    for table, rows in manifest.counts.items():
        assert read.tables[table].num_rows == rows, table


def test_documents_come_both_ways_and_planted_record_hits_are_in_both(demo, result):
    _, manifest = demo
    read, _ = result
    docs = read.tables["emr_docs"]
    formats = docs.column("_file_format").to_pylist()
    from_files = {m for m, f in zip(docs.column("mdtrt_id").to_pylist(), formats) if f}
    in_csv = {m for m, f in zip(docs.column("mdtrt_id").to_pylist(), formats) if not f}
    assert {f.split("/")[0] for f in formats if f} == {"pdf", "docx", "txt"}
    assert sum(1 for f in formats if f) == manifest.files["病历文书索引.csv"]["rows"]
    record_hits = {h["mdtrt_id"] for h in manifest.hits if h["rule_code"] in ("R24", "R25", "R26", "R27", "R28", "R29")}
    assert record_hits & from_files and record_hits & in_csv
    assert not from_files & in_csv  # an encounter's documents come one way


def test_every_rule_ran(result):
    read, res = result
    assert "emr_docs" in read.tables  # the demo writes medical record documents: R24–R29 run like the others
    assert res.not_run == {}


def test_rules_flag_exactly_the_planted_hits(demo, result):
    _, manifest = demo
    _, res = result
    got = {}
    for r in res.hits.itertuples():
        if r.rule_code.startswith("S"):
            continue
        key = (r.rule_code, _s(r.mdtrt_id), _s(r.feedetl_sn), _s(r.med_list_codg), _s(r.date), _s(r.drord_no),
               _s(r.period_start))
        got[key] = oracle.cents(Decimal(str(r.amount)))
    expected = {oracle.manifest_key(h): h["amount"] for h in manifest.hits}
    assert sorted(set(got) - set(expected)) == []
    assert sorted(set(expected) - set(got)) == []
    assert {k: (got[k], v) for k, v in expected.items() if got[k] != v} == {}


def test_statistical_models_flag_at_least_the_planted(demo, result):
    _, manifest = demo
    _, res = result
    hits = res.hits[res.hits.rule_code.str.startswith("S")]
    for planted in manifest.statistical:
        rows = hits[hits.rule_code == planted["rule_code"]]
        subject = planted.get("subject", {})
        if planted["mdtrt_id"]:
            match = rows[rows.mdtrt_id == planted["mdtrt_id"]]
        elif "month" in subject:
            match = rows[rows.subject.astype(str).str.contains(subject["dept_codg"])
                         & (rows.period_start.astype(str).str[:7] == subject["month"])]
        else:
            match = rows[rows.subject.astype(str).str.contains(subject["dr_codg"])]
            if "med_list_codg" in subject:
                match = match[match.med_list_codg == subject["med_list_codg"]]
        assert len(match) == 1, (planted, rows[["subject", "mdtrt_id", "med_list_codg", "period_start"]])
