"""The runner: rule selection, "not run", progress and cancel, stable hit ids, hit lines, case total,
the hits file."""

import csv
from decimal import Decimal

import pytest

from feijian.domain.errors import Cancelled, InputError
from feijian.rules import case_total, load_catalogue, screen, write_hits_csv
from feijian.rules.rule_set import load_rules

from rule_tables import case, fee, kb, run, visit

INP = [visit("V1", "2024-03-01 09:00", "2024-03-05 10:00")]


def _fees():
    return [fee("V1", "1", "X", "2024-03-02 10:00", 1, 10), fee("V1", "2", "X", "2024-03-02 10:00", 1, 10),
            fee("V1", "3", "X", "2024-03-09 10:00", 1, 10)]


def test_every_catalogue_rule_is_registered():
    assert set(load_catalogue()) == set(load_rules())
    assert len(load_catalogue()) == 33  # R01–R29 and S01–S04


def test_missing_tables_are_not_run_never_no_hits():
    r = run(case(_fees(), INP))
    for code in ("R11", "R13", "R14", "R15", "R16", "R17", "R18", "R19", "R23"):
        assert code in r.not_run and "needs" in r.not_run[code]
        assert code not in r.run.rules_run
    assert "R01" in r.run.rules_run
    r2 = screen({"visits": case([], INP)["visits"]}, kb())
    assert set(r2.not_run) == set(load_catalogue())


def test_unknown_rule_is_an_input_error():
    with pytest.raises(InputError):
        run(case(_fees(), INP), rules=["R99"])


def test_progress_and_cancel():
    seen = []
    run_ = screen(case(_fees(), INP), kb(), rules=["R01", "R05"], progress=lambda d, t, m: seen.append((d, t, m)))
    assert seen[-1][0] == seen[-1][1] == 2 and any("R05" in m for _, _, m in seen)
    assert run_.run.rules_run == ("R01", "R05")
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        screen(case(_fees(), INP), kb(), rules=["R01", "R05", "R06"], cancelled=cancelled)


def test_hit_ids_are_stable_and_differ_by_rule():
    a = run(case(_fees(), INP), rules=["R01", "R05"])
    b = run(case(list(reversed(_fees())), INP), rules=["R05", "R01"])
    assert sorted(a.hits["hit_id"]) == sorted(b.hits["hit_id"])
    assert a.hits["hit_id"].is_unique


def test_case_total_counts_each_line_once_with_largest_amount():
    items = [{"med_list_codg": "X", "price_cap_l3": "8", "max_units_per_day": "1"}]
    r = run(case(_fees(), INP), kb(items), rules=["R01", "R02", "R05", "R08"])
    # line 1: R02 2, R08 5 -> 5; line 2: R01 10 -> 10; line 3: R05 10 -> 10
    assert case_total(r.hit_lines) == Decimal("25.00")
    assert r.run.total_amount == Decimal("25.00")
    assert r.run.kb_hash and r.run.ruleset_version


def test_hits_file_format(tmp_path):
    items = [{"med_list_codg": "X", "max_units_per_day": "1"}]
    fees = _fees() + [fee("V1", "4", "X", "2024-03-02 11:00", 1, "10.01")]
    r = run(case(fees, INP), kb(items), rules=["R05", "R08"])
    out = tmp_path / "hits.csv"
    assert write_hits_csv(r.hits, out) == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["rule_code", "grain", "mdtrt_id", "feedetl_sn", "med_list_codg", "date", "drord_no",
                       "period_start", "amount", "detail"]
    by_rule = {row[0]: row for row in rows[1:]}
    assert by_rule["R05"][1:9] == ["line", "V1", "3", "", "", "", "", "10.00"]
    # R08: 3 units, limit 1: 2 × 30.01 / 3 = 20.0066… -> 20.01
    assert by_rule["R08"][1:9] == ["item-day", "V1", "", "X", "2024-03-02", "", "", "20.01"]


def test_amount_rounds_half_up_only_on_output(tmp_path):
    # price 0.0125 above cap × 1: 0.0125 -> 0.01 shown; × 2 lines are separate hits
    items = [{"med_list_codg": "X", "price_cap_l3": "10"}]
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 1, "10.0125"), fee("V1", "2", "X", "2024-03-02 11:00", 2, "10.0125")]
    r = run(case(fees, INP), kb(items), rules=["R02"])
    assert sorted(r.hits["amount"]) == [Decimal("0.0125"), Decimal("0.025")]
    write_hits_csv(r.hits, tmp_path / "h.csv")
    amounts = sorted(row[8] for row in list(csv.reader((tmp_path / "h.csv").read_text("utf-8-sig").splitlines()))[1:])
    assert amounts == ["0.01", "0.03"]
    assert case_total(r.hit_lines) == Decimal("0.04")  # 0.0375 rounded once


def test_orphan_refund_ignored_everywhere():
    setl = [{"setl_id": "S1", "mdtrt_id": "V1", "medfee_sumamt": "10"}]
    fees = [fee("V1", "1", "X", "2024-03-02 10:00", 1, 10), fee("V1", "r", "X", "2024-03-02 10:00", -1, 10, init_feedetl_sn="zz")]
    r = run(case(fees, INP, settlements=setl), rules=["R23", "R01", "R05"])
    assert len(r.hits) == 0
