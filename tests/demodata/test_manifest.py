"""The planted manifest against the written files: a plain second implementation of R01–R29
(demodata_oracle.py, written from rules.md and records.md) must find exactly the planted hits with the same amounts —
which also shows that the clean background triggers no rule — and none of the near misses."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest

import demodata_oracle as oracle
from feijian.demodata.people import check_digit

DETERMINISTIC = [f"R{n:02d}" for n in range(1, 30)]
STATISTICAL = ["S01", "S02", "S03", "S04"]


@pytest.fixture(scope="module")
def screened(demo):
    out, manifest = demo
    data = oracle.Data(out, manifest.files)
    return data, oracle.screen(data)


def test_every_rule_is_planted_several_times(demo):
    _, manifest = demo
    per_rule = {}
    for h in manifest.hits:
        per_rule[h["rule_code"]] = per_rule.get(h["rule_code"], 0) + 1
    assert sorted(per_rule) == DETERMINISTIC
    assert min(per_rule.values()) >= 2, per_rule
    assert sorted({h["rule_code"] for h in manifest.statistical}) == STATISTICAL
    # boundary cases the rules name are planted as near misses
    assert len({h["rule_code"] for h in manifest.near_misses}) >= 24
    # records.md: every record rule has its edge cases (negations, window ends, numerals, other documents)
    near = {}
    for h in manifest.near_misses:
        near[h["rule_code"]] = near.get(h["rule_code"], 0) + 1
    assert all(near.get(f"R{n}", 0) >= 2 for n in range(24, 30)), near


def test_oracle_finds_exactly_the_planted_hits(demo, screened):
    _, manifest = demo
    _, hits = screened
    expected = {oracle.manifest_key(h): h["amount"] for h in manifest.hits}
    assert sorted(set(hits) - set(expected)) == []  # the background is clean
    assert sorted(set(expected) - set(hits)) == []  # every planted violation is in the data
    wrong = {k: (oracle.cents(hits[k]), expected[k]) for k in expected if oracle.cents(hits[k]) != expected[k]}
    assert wrong == {}


def test_near_misses_are_not_hits(demo, screened):
    _, manifest = demo
    _, hits = screened
    keys = {oracle.manifest_key(h) for h in manifest.near_misses}
    assert keys and not (keys & set(hits))
    # and they exist in the data: each near-miss line is a real fee line
    data, _ = screened
    for h in manifest.near_misses:
        if h["feedetl_sn"]:
            assert (h["mdtrt_id"], h["feedetl_sn"]) in data.by_key, h


def test_planted_keys_exist_in_the_files(demo, screened):
    _, manifest = demo
    data, _ = screened
    for h in manifest.hits:
        if h["mdtrt_id"]:
            assert h["mdtrt_id"] in data.visits, h
        if h["feedetl_sn"]:
            assert (h["mdtrt_id"], h["feedetl_sn"]) in data.by_key, h
        if h["med_list_codg"]:
            assert h["med_list_codg"] in data.items, h


def test_files_come_as_real_extracts_do(demo):
    out, manifest = demo
    enc = {name: info["encoding"] for name, info in manifest.files.items()}
    assert enc["费用明细.csv"] == "gbk" and enc["就诊信息.csv"] == "gbk"
    raw = (out / "费用明细.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk").startswith("费用明细流水号,就诊ID,")
    assert (out / "被检机构.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (out / "手术操作.csv").read_text(encoding="utf-8").splitlines()[0].count("|") == 4
    assert (out / "orders.csv").read_text(encoding="utf-8").startswith("drord_no,mdtrt_id,")
    from openpyxl import load_workbook

    ws = load_workbook(out / "医务人员.xlsx").worksheets[0]
    assert ws.title == "医务人员"
    assert ws["A2"].data_type == "s" and ws["A2"].number_format == "@"  # codes are text cells
    assert ws["D2"].is_date
    kb = sorted(p.name for p in (out / "kb").iterdir())
    assert kb == ["kb_exclusive_pairs.csv", "kb_item_terms.csv", "kb_items.csv", "kb_procedure_materials.csv",
                  "kb_thresholds.csv"]
    counts = json.loads((out / "meta" / "planted.json").read_text(encoding="utf-8"))["counts"]
    assert counts["fees"] > 50_000 and set(counts) == {
        "institution", "visits", "fees", "orders", "diagnoses", "operations", "settlements", "inventory",
        "trace_codes", "staff", "emr_docs"}


def test_people_are_well_formed(screened):
    data, _ = screened
    rows = data.t["visits"]
    certs = [r["certno"] for r in rows if r["certno"]]
    assert len(certs) > 1000
    for c in certs:
        assert len(c) == 18 and c[:17].isdigit() and check_digit(c[:17]) == c[17], c
    for r in rows:
        if r["certno"] and r["brdy"]:
            assert r["certno"][6:14] == r["brdy"].replace("-", "")
            assert int(r["certno"][16]) % 2 == (1 if r["gend"] == "男" else 0)


def test_check_digit_known_value():
    # the example of GB 11643-1999: 11010519491231002X
    assert check_digit("11010519491231002") == "X"


def test_background_is_priced_within_caps(screened):
    data, _ = screened
    over = [l for l in data.net if l["pric"] > Decimal(data.items[l["code"]]["price_cap_l3"] or "1e9") + Decimal("0.005")]
    assert {oracle.manifest_key({"rule_code": "R02", "mdtrt_id": l["m"], "feedetl_sn": l["sn"], "med_list_codg": "",
                                 "date": "", "drord_no": "", "period_start": ""}) for l in over} <= set(screened[1])


def test_knowledge_base_has_what_the_rules_need(demo):
    out, _ = demo
    read = lambda n: list(csv.DictReader(open(out / "kb" / f"{n}.csv", encoding="utf-8")))  # noqa: E731
    thresholds = {r["name"]: r["value"] for r in read("kb_thresholds")}
    assert thresholds == {"readmit_days": "30", "idle_bed_days": "3", "growth_ratio": "0.3", "outlier_z": "3"}
    items = read("kb_items")
    cats = {r["category"] for r in items}
    assert {"bed", "nursing", "diet", "exam", "lab", "surgery", "high_value_material"} <= cats
    assert {r["scope"] for r in read("kb_exclusive_pairs")} == {"day", "visit"}
    assert any(r["gender_limit"] for r in items) and any(r["age_min"] for r in items)
    assert any(r["age_max"] for r in items) and any(r["dx_limit"] for r in items)
    assert any(r["inpatient_only"] == "1" for r in items)
    hv = {r["med_list_codg"] for r in items if r["category"] == "high_value_material"}
    assert {r["material_codg"] for r in read("kb_procedure_materials")} == hv


def test_meta_clues_and_evidence(demo, screened):
    out, manifest = demo
    data, _ = screened
    with open(out / "meta" / "clues.csv", encoding="utf-8-sig", newline="") as fh:
        clues = list(csv.DictReader(fh))
    assert list(clues[0]) == ["clue_id", "clue_type", "psn_no", "mdtrt_id", "med_list_codg", "period_start",
                              "period_end", "description", "suspected_amount"]
    assert 8 <= len(clues) <= 12
    planted = {h["mdtrt_id"] for h in manifest.hits}
    on_planted = [c for c in clues if c["mdtrt_id"] in planted]
    on_clean = [c for c in clues if c["mdtrt_id"] and c["mdtrt_id"] not in planted]
    assert on_planted and on_clean
    founded = {c["clue_id"]: c["founded"] for c in manifest.clues}
    assert sorted(founded) == sorted(c["clue_id"] for c in clues)
    for c in clues:
        if c["mdtrt_id"]:
            assert founded[c["clue_id"]] == (c["mdtrt_id"] in planted)
    assert 0 < sum(founded.values()) < len(founded)
    for c in clues:
        if c["mdtrt_id"]:
            assert data.visits[c["mdtrt_id"]]["psn"] == c["psn_no"]
    png = (out / "meta" / "evidence" / "收费凭证扫描件.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    import struct
    import zlib

    width, height = struct.unpack(">II", png[16:24])
    idat_len = struct.unpack(">I", png[33:37])[0]
    assert png[37:41] == b"IDAT"
    assert zlib.crc32(png[37:41 + idat_len]) & 0xFFFFFFFF == struct.unpack(">I", png[41 + idat_len:45 + idat_len])[0]
    assert len(zlib.decompress(png[41:41 + idat_len])) == height * (width + 1)
    text = (out / "meta" / "evidence" / "询问笔录.txt").read_text(encoding="utf-8")
    assert "询问笔录" in text
