"""The bureau's models M01–M05 (docs/models.md) in SQL on a real PostgreSQL archive of the demo province,
held against an independent pandas oracle over the packages' own tables: the same rows, the same amounts to
the cent-hundredth; exactly the planted cross-institution cases and none of the near misses; the period
filter; the run and its hits stored; the clue list written."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal

import psycopg
import pytest
from models_oracle import EPOCH, oracle_rows, package_tables
from pg_server import create_database

from feijian.sync.archive import Archive
from feijian.sync.bureau_models import CSV_FIELDS, MODELS, load_config, run_models, write_clue_csv
from feijian.sync.intake import intake

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def archive_url(pg_server, province_packages, world):
    url = create_database(pg_server, "bureau_models")
    intake([p.path for p in province_packages], url, bureau_keys=world.bureau, trust=world.trust)
    return url


@pytest.fixture(scope="module")
def tables(province_packages, world):
    return package_tables([p.path for p in province_packages], world)


def as_rows(run) -> list[tuple]:
    return sorted(((h.model, h.medins_code, h.case_id, h.hit_key, h.psn_no, h.mdtrt_id, h.med_list_codg,
                    h.period_start, h.period_end, h.amount, h.measure) for h in run.hits), key=repr)


def test_models_agree_with_the_oracle_and_find_the_planted(archive_url, tables, province):
    cfg = load_config()
    with Archive.open(archive_url) as a:
        run = run_models(a, cfg=cfg)
    got, want = as_rows(run), oracle_rows(tables, cfg)
    assert got == want
    for m in MODELS:
        assert run.count(m) > 0, m
    # exactly the planted cases, both sides of each
    m01 = {tuple(sorted([(r[3].split("|")[1], r[3].split("|")[2]), (r[3].split("|")[3], r[3].split("|")[4])]))
           for r in got if r[0] == "M01"}
    assert m01 == province.planted["M01"]
    assert {r[3] for r in got if r[0] == "M02"} == province.planted["M02"]
    assert {(r[4], r[6], r[7]) for r in got if r[0] == "M03"} == province.planted["M03"]
    m04 = {(k[0], (k[1], k[2]), (k[3], k[4])) for k in (r[3].split("|") for r in got if r[0] == "M04")}
    assert m04 == province.planted["M04"]
    # the two regions named (resources/regions), as the description reaches the inspectors
    assert all(re.search(r"本机构在 44\d{4} 广东省\S+市\S+区，对方在 44\d{4} 广东省\S+市\S+区）$", h.description)
               for h in run.hits if h.model == "M04")
    m05 = {(k[0], EPOCH + dt.timedelta(days=int(k[1])), (k[2], k[4]))
           for k in (r[3].split("|") for r in got if r[0] == "M05")}
    assert m05 == province.planted["M05"]
    for m, rows in (("M01", 2), ("M02", 2), ("M03", 2), ("M04", 2), ("M05", 2)):
        assert run.count(m) == rows * len(province.planted[m]), m  # one row per institution side
    near = {p for m in ("M01", "M03") for p in province.near_misses[m]}
    assert not near & {h.psn_no for h in run.hits}
    assert not set(province.near_misses["M05"]) & {h.hit_key.split("|")[0] for h in run.hits if h.model == "M05"}
    # M02: the earliest use is the genuine sale, every other use is the amount
    for code in province.planted["M02"]:
        amounts = sorted(h.amount for h in run.hits if h.model == "M02" and h.hit_key == code)
        assert amounts == [Decimal("0.0000"), Decimal("28.0000")]


def test_period_filter(archive_url, tables):
    cfg = load_config()
    lo, hi = dt.date(2024, 4, 1), dt.date(2024, 8, 31)
    with Archive.open(archive_url) as a:
        run = run_models(a, cfg=cfg, period_from=lo, period_to=hi)
        full = run_models(a, cfg=cfg)
    want = oracle_rows(tables, cfg, (lo - EPOCH).days, (hi - EPOCH).days)
    assert as_rows(run) == want
    assert 0 < len(run.hits) < len(full.hits)


def test_run_is_stored_and_repeatable(archive_url, tmp_path):
    with Archive.open(archive_url) as a:
        first = run_models(a)
        second = run_models(a)
        names = {i["medins_code"]: i["medins_name"] for i in a.cases.institutions()}
    assert [h.clue_id for h in first.hits] == [h.clue_id for h in second.hits]
    assert len({h.clue_id for h in first.hits}) == len(first.hits)
    with psycopg.connect(archive_url) as conn:
        stored = conn.execute("SELECT model, clue_id, amount FROM model_hits WHERE run_id = %s ORDER BY clue_id",
                              (first.run_id,)).fetchall()
        stats = conn.execute("SELECT stats, models_sha256 FROM model_runs WHERE run_id = %s",
                             (first.run_id,)).fetchone()
    assert stored == sorted((h.model, h.clue_id, h.amount) for h in first.hits)
    assert stats[1] == load_config().sha256 and '"M03"' in stats[0]
    out = write_clue_csv(first, tmp_path / "clues.csv", names=names)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_FIELDS and len(rows) == len(first.hits)
    assert {r["clue_id"] for r in rows} == {h.clue_id for h in first.hits}
    m01 = next(r for r in rows if r["model"] == "M01")
    assert m01["clue_type"].startswith("M01 ") and "住院" in m01["description"] and m01["medins_name"]


def test_clue_lists_out_feedback_in(archive_url, world, tmp_path):
    """Issue 15 done-when: the models' clue lists out (signed, one per institution), a team imports one into a
    new case, answers in two packages, and the PostgreSQL archive shows those answers per model."""
    from clue_roundtrip import check_feedback, round_trip

    check_feedback(*round_trip(archive_url, world, tmp_path))


def test_planner_settings_are_the_statement_s_only(archive_url):
    """M03 runs with nested loops off (bureau_models.PG_PLANNER); the models after it in the same transaction,
    and the session after the run, plan with the server's settings again."""
    from feijian.sync.bureau_models import PG_PLANNER, run_statement

    assert PG_PLANNER["M03"]["enable_nestloop"] == "off"
    cfg = load_config()
    with Archive.open(archive_url) as a:
        a._exec("SET enable_nestloop = on")
        assert run_statement(a, "M03", cfg)
        assert a._query("SELECT current_setting('enable_nestloop')")[0][0] == "on"  # same transaction
        run_models(a, cfg=cfg, models=("M03",))
        assert a._query("SELECT current_setting('enable_nestloop')")[0][0] == "on"
