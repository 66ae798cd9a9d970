"""The case tables in a real PostgreSQL archive (issue 15): a demo province's packages archived end to end,
row counts per table and per institution against the packages, every value as it was sent, one partition
per institution; a package imported twice adds nothing; a newer package of a case replaces its rows in one
transaction (and an older one arriving late does not); a failed load, a replay and an unknown signer change
nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from pg_server import create_database

from feijian.demoprovince import case_id_of, write_packages
from feijian.domain.contract import load_contract
from feijian.sync.archive import Archive
from feijian.sync.case_archive import case_table_names, columns, partition_name
from feijian.sync.intake import intake
from feijian.sync.reasons import Rejected

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def archived(pg_server, province, province_packages, world):
    url = create_database(pg_server, "case_archive")
    intake([p.path for p in province_packages], url, bureau_keys=world.bureau, trust=world.trust)
    return url


def counts_by_institution(url: str) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    with psycopg.connect(url) as conn:
        for t in case_table_names():
            for code, n in conn.execute(f"SELECT medins_code, COUNT(*) FROM archive_{t} GROUP BY medins_code"):
                out.setdefault(t, {})[code] = n
    return out


def expected_counts(province, tables_of=None) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for inst in province.institutions:
        tables = (tables_of or {}).get(inst.index, inst.tables)
        for t, data in tables.items():
            if data.num_rows:
                out.setdefault(t, {})[inst.medins_code] = data.num_rows
    return out


def fingerprint(url: str) -> str:
    """A hash of every archived case row and of the archive's bookkeeping (what "changes nothing" means)."""
    h = hashlib.sha256()
    with psycopg.connect(url) as conn:
        for t in [*(f"archive_{t}" for t in case_table_names()), "archive_cases", "packages", "chain_heads", "events"]:
            h.update(t.encode())
            for row in sorted(repr(r) for r in conn.execute(f"SELECT * FROM {t}")):
                h.update(row.encode())
    return h.hexdigest()


def archived_rows(url: str, table: str, medins_code: str) -> list[dict]:
    names = [c.name for c in columns(table)]
    quoted = ", ".join(f'"{n}"' for n in names)
    with psycopg.connect(url) as conn:
        rows = conn.execute(f"SELECT {quoted} FROM archive_{table} WHERE medins_code = %s ORDER BY _seq",
                            (medins_code,)).fetchall()
    return [dict(zip(names, r)) for r in rows]


def test_every_row_of_every_package_is_archived(archived, province):
    assert counts_by_institution(archived) == expected_counts(province)
    with Archive.open(archived) as a:
        insts = a.cases.institutions()
    assert [(i["medins_code"], i["region_code"], i["cases"]) for i in insts] == sorted(
        (inst.medins_code, inst.medins_code[1:7], 1) for inst in province.institutions)


def test_one_partition_per_institution(archived, province):
    with psycopg.connect(archived) as conn:
        for t in case_table_names():
            parts = {r[0] for r in conn.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s", (f"archive_{t}",))}
            assert parts == {partition_name(t, inst.medins_code) for inst in province.institutions}, t
            kind = conn.execute("SELECT relkind FROM pg_class WHERE relname = %s", (f"archive_{t}",)).fetchone()[0]
            assert kind == "p", t  # the parent is partitioned and holds no rows itself
        names = {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns "
                                            "WHERE table_name = 'archive_visits'")}
        assert "psn_no" in names and not names & {"psn_name", "certno"}  # no patient name, no ID number


def _reltuples(url: str, province) -> dict[tuple[str, str], float]:
    with psycopg.connect(url) as conn:
        return {(t, inst.medins_code): conn.execute("SELECT reltuples FROM pg_class WHERE relname = %s",
                                                    (partition_name(t, inst.medins_code),)).fetchone()[0]
                for t in case_table_names() for inst in province.institutions}


def test_intake_analyzes_what_it_loaded(archived, province):
    """Every partition an intake loaded has planner statistics when the intake returns (reltuples is -1 on a
    table never analyzed); small partitions are counted exactly."""
    want = expected_counts(province)
    for (t, code), n in _reltuples(archived, province).items():
        rows = want.get(t, {}).get(code, 0)
        assert n >= 0, (t, code)
        if rows <= 30_000:  # ANALYZE's sample covers the whole table
            assert n == rows, (t, code)
    with Archive.open(archived) as a:
        assert a.cases.stale_statistics() == ([], [])  # the batch ended with ANALYZE
    with psycopg.connect(archived) as conn:
        for t in case_table_names():
            parent = conn.execute("SELECT reltuples FROM pg_class WHERE relname = %s", (f"archive_{t}",)).fetchone()[0]
            assert parent == sum(want.get(t, {}).values()) or parent > 30_000, t


def test_models_analyze_partitions_loaded_without(pg_server, province, province_packages, world):
    url = create_database(pg_server, "case_archive_unanalyzed")
    intake([p.path for p in province_packages], url, bureau_keys=world.bureau, trust=world.trust, analyze=False)
    assert all(n < 0 for n in _reltuples(url, province).values())
    from feijian.sync.bureau_models import run_models

    with Archive.open(url) as a:
        parents, parts = a.cases.stale_statistics()
        assert parents == sorted(f"archive_{t}" for t in case_table_names()) and parts == []
        run_models(a, models=("M01",))
        assert a.cases.stale_statistics() == ([], [])
    assert all(n >= 0 for n in _reltuples(url, province).values())


def test_values_arrive_as_sent(archived, province):
    """Every archived value equals the package's: strings (empty is not NULL), decimals, times, dates; the
    derived day and minute columns; the sensitive field is not archived."""
    contract = load_contract()
    inst = province.institutions[1]
    for t in case_table_names():
        sent = inst.tables[t].to_pylist()
        got = archived_rows(archived, t, inst.medins_code)
        assert len(got) == len(sent), t
        sensitive = {f.name for f in contract.tables[t].fields if f.sensitive}
        assert [g["_seq"] for g in got] == list(range(len(sent))), t  # the row's place in the package's table
        for s, g in zip(sent, got):
            assert not sensitive & set(g), t
            for name, value in g.items():
                if name in ("medins_code", "case_id", "package_id", "_seq") or name.endswith(("_day", "_min")):
                    continue
                assert value == s.get(name), (t, name, value, s.get(name))
            assert g["medins_code"] == inst.medins_code and g["case_id"] == case_id_of(inst)
    epoch = dt.date(1970, 1, 1)
    for g in archived_rows(archived, "visits", inst.medins_code):
        if g["begntime"] is not None:
            assert g["begin_day"] == (g["begntime"].date() - epoch).days
        if g["endtime"] is not None:
            assert g["end_day"] == (g["endtime"].date() - epoch).days
    for g in archived_rows(archived, "fees", inst.medins_code)[:500]:
        if g["fee_ocur_time"] is not None:
            delta = g["fee_ocur_time"] - dt.datetime(1970, 1, 1)
            assert g["fee_day"] == delta.days and g["fee_min"] == int(delta.total_seconds() // 60)


def test_replay_and_unknown_signer_change_nothing(archived, province, province_packages, world, tmp_path):
    before = fingerprint(archived)
    with pytest.raises(Rejected) as exc:
        intake([province_packages[0].path], archived, bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code == "REPLAY"
    stranger = write_packages(province, tmp_path / "outsider", world.outsider, world.intake_public)
    with pytest.raises(Rejected) as exc:
        intake([stranger[0].path], archived, bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code == "SIGNER_UNKNOWN"
    assert fingerprint(archived) == before


def _newer_tables(inst) -> dict[str, pa.Table]:
    """The institution's tables as a later package would carry them: a third of the fees gone, one visit's
    department recoded, orders no longer sent."""
    t = dict(inst.tables)
    fees = t["fees"]
    t["fees"] = fees.filter(pc.not_equal(pc.bit_wise_and(pc.cast(fees.column("_line"), pa.int64()), 3), 0))
    visits = t["visits"]
    dept = visits.column("adm_dept_codg").to_pylist()
    dept[0] = "RECODED"
    t["visits"] = visits.set_column(visits.column_names.index("adm_dept_codg"), "adm_dept_codg",
                                    pa.array(dept, pa.string()))
    del t["orders"]
    return t


def test_newer_package_replaces_the_case(pg_server, province, province_packages, world, tmp_path):
    url = create_database(pg_server, "case_archive_replace")
    intake([p.path for p in province_packages], url, bureau_keys=world.bureau, trust=world.trust)
    inst = province.institutions[0]
    newer = _newer_tables(inst)
    pkg2 = write_packages(province, tmp_path / "v2", world.inspectors[0], world.intake_public,
                          tables={i.index: (newer if i.index == 0 else i.tables) for i in province.institutions},
                          seq=2, prev={i.index: p.manifest_sha256 for i, p in zip(province.institutions,
                                                                                    province_packages)})
    intake([pkg2[0].path], url, bureau_keys=world.bureau, trust=world.trust)
    want = expected_counts(province, {0: newer})
    assert counts_by_institution(url) == want
    assert "orders" not in want or inst.medins_code not in want["orders"]
    visits = archived_rows(url, "visits", inst.medins_code)
    first = newer["visits"].slice(0, 1).to_pylist()[0]
    assert [v["adm_dept_codg"] for v in visits if (v["_batch"], v["_line"]) == (first["_batch"], first["_line"])] \
        == ["RECODED"]
    assert {r["package_id"] for r in visits} == {pkg2[0].package_id}
    with Archive.open(url) as a:
        assert a.cases.current(case_id_of(inst))["package_id"] == pkg2[0].package_id
    # importing the newer package again adds nothing
    before = fingerprint(url)
    with pytest.raises(Rejected) as exc:
        intake([pkg2[0].path], url, bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code == "REPLAY"
    assert fingerprint(url) == before


def test_older_package_arriving_late_does_not_replace(pg_server, province, world, tmp_path):
    """Two inspectors' packages of one case: the later one imported first stays the visible case."""
    url = create_database(pg_server, "case_archive_late")
    inst = province.institutions[2]
    one = {inst.index: _newer_tables(inst)}
    only = type(province)([inst], events={inst.index: province.events[inst.index]})
    older = write_packages(only, tmp_path / "old", world.inspectors[1], world.intake_public)
    newer = write_packages(only, tmp_path / "new", world.inspectors[2], world.intake_public, tables=one)
    intake([newer[0].path], url, bureau_keys=world.bureau, trust=world.trust)
    after_newer = counts_by_institution(url)
    intake([older[0].path], url, bureau_keys=world.bureau, trust=world.trust)  # its events still count
    assert counts_by_institution(url) == after_newer == expected_counts(only, one)
    with Archive.open(url) as a:
        assert a.cases.current(case_id_of(inst))["package_id"] == newer[0].package_id
        assert a.package_ids() and len(a.package_ids()) == 2


def test_failed_load_leaves_the_old_case(pg_server, province, province_packages, world, tmp_path):
    """A newer package whose last table cannot be loaded (a fee count that is not a number): the case's
    rows deleted and partly reloaded before the failure are all rolled back."""
    url = create_database(pg_server, "case_archive_failed")
    intake([province_packages[0].path], url, bureau_keys=world.bureau, trust=world.trust)
    before = fingerprint(url)
    inst = province.institutions[0]
    bad = dict(inst.tables)
    visits = bad["visits"]  # loaded last (tables load in name order)
    age = visits.column("age").cast(pa.string()).to_pylist()
    age[-1] = "not a number"
    bad["visits"] = visits.set_column(visits.column_names.index("age"), "age", pa.array(age, pa.string()))
    only = type(province)([inst], events={inst.index: province.events[inst.index]})
    pkg2 = write_packages(only, tmp_path / "bad", world.inspectors[0], world.intake_public, tables={0: bad},
                          seq=2, prev={0: province_packages[0].manifest_sha256})
    with pytest.raises(Rejected) as exc:
        intake([pkg2[0].path], url, bureau_keys=world.bureau, trust=world.trust)
    assert exc.value.code == "MANIFEST_INVALID" and "visits" in str(exc.value)
    assert fingerprint(url) == before


KILLED_INTAKE = """
import sys
from pathlib import Path
from feijian.crypto.trust import BureauKeys, TrustList
from feijian.sync.intake import intake
keys = BureauKeys.unseal(Path(sys.argv[1]).read_bytes(), "pw")
trust = TrustList.from_json(Path(sys.argv[2]).read_bytes())
intake([Path(sys.argv[4])], sys.argv[3], bureau_keys=keys, trust=trust)
"""


def test_intake_killed_mid_copy_leaves_the_archive_as_it_was(pg_server, province, province_packages, world,
                                                             tmp_path):
    """A newer package of a case is being copied in when its intake process gets SIGKILL: the server rolls the
    transaction back, and the archive holds the older package's rows, exactly."""
    import os
    import signal
    import subprocess
    import sys
    import time

    url = create_database(pg_server, "case_archive_killed")
    intake([province_packages[0].path], url, bureau_keys=world.bureau, trust=world.trust)
    before = fingerprint(url)
    inst = province.institutions[0]
    big = dict(inst.tables)
    big["fees"] = pa.concat_tables([inst.tables["fees"]] * 6)  # long enough a COPY to be caught in the act
    big["fees"] = big["fees"].set_column(big["fees"].column_names.index("_line"), "_line",
                                         pa.array(range(big["fees"].num_rows), pa.int64()))
    only = type(province)([inst], events={inst.index: province.events[inst.index]})
    pkg2 = write_packages(only, tmp_path / "v2", world.inspectors[0], world.intake_public, tables={0: big},
                          seq=2, prev={0: province_packages[0].manifest_sha256})
    (tmp_path / "keys").write_bytes(world.bureau.seal("pw", fast=True))
    (tmp_path / "trust.json").write_bytes(world.trust.to_json())
    child = subprocess.Popen([sys.executable, "-c", KILLED_INTAKE, str(tmp_path / "keys"), str(tmp_path / "trust.json"),
                              url, str(pkg2[0].path)], stderr=subprocess.PIPE)
    seen = False
    with psycopg.connect(url, autocommit=True) as watch:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            rows = watch.execute("SELECT query FROM pg_stat_activity WHERE query LIKE 'COPY archive_fees%' "
                                 "AND state = 'active'").fetchall()
            if rows:
                seen = True
                time.sleep(0.2)  # well inside the copy of the fees
                os.kill(child.pid, signal.SIGKILL)
                break
            time.sleep(0.01)
        child.wait(30)
        assert seen, f"the intake finished before its COPY was seen: {child.stderr.read()[-500:]!r}"
        assert child.returncode == -signal.SIGKILL
        # the server notices the dead client and aborts its transaction
        while watch.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'COPY archive_%' "
                            "AND pid <> pg_backend_pid()").fetchone()[0]:
            assert time.monotonic() < deadline + 60
            time.sleep(0.1)
    assert fingerprint(url) == before
    # and the same package goes in cleanly afterwards (nothing of the killed attempt is left to conflict)
    intake([pkg2[0].path], url, bureau_keys=world.bureau, trust=world.trust)
    assert counts_by_institution(url)["fees"][inst.medins_code] == big["fees"].num_rows
