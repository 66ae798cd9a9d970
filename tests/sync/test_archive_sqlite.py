"""The small office's SQLite archive: encrypted with SQLCipher under a key derived from the bureau's intake
key. A canary patient name sent in a package's case tables never reaches the disk in plaintext (UTF-8, GBK,
UTF-16), while the archive reads it back; without the bureau's keys, or with another bureau's, the archive
does not open; the models run on it and agree with the pandas oracle."""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal

import pyarrow as pa
import pytest
import sqlcipher3
from models_oracle import oracle_rows, package_tables

from feijian.demoprovince import Province, write_packages
from feijian.crypto.trust import BureauKeys
from feijian.domain.errors import InputError
from feijian.sync.archive import Archive
from feijian.sync.bureau_models import load_config, run_models
from feijian.sync.intake import intake

CANARY_NAME = "欧阳金丝雀"
CANARY_PSN = "金丝雀人员0001"


def _needles():
    return [(t, enc, t.encode(enc)) for t in (CANARY_NAME, CANARY_PSN) for enc in ("utf-8", "gbk", "utf-16-le",
                                                                                  "utf-16-be")]


def _scan(*folders):
    found = []
    for folder in folders:
        for root, _, files in os.walk(folder):
            for name in files:
                path = os.path.join(root, name)
                try:
                    data = open(path, "rb").read()
                except OSError:
                    continue
                found += [(path, t, enc) for t, enc, needle in _needles() if needle in data]
    return found


def _canary_province(province) -> Province:
    """The demo province with a canary patient in the first institution's visits."""
    inst = province.institutions[0]
    visits = inst.tables["visits"]
    names = visits.column("psn_name").to_pylist()
    psn = visits.column("psn_no").to_pylist()
    for i in range(0, len(names), 97):
        names[i], psn[i] = CANARY_NAME, CANARY_PSN
    visits = visits.set_column(visits.column_names.index("psn_name"), "psn_name", pa.array(names, pa.string()))
    visits = visits.set_column(visits.column_names.index("psn_no"), "psn_no", pa.array(psn, pa.string()))
    tables = dict(inst.tables, visits=visits)
    first = type(inst)(inst.index, inst.medins_code, inst.medins_name, inst.seed, tables)
    return Province([first, *province.institutions[1:]], province.planted, province.near_misses)


@pytest.fixture(scope="module")
def canary_packages(province, world, tmp_path_factory):
    p = _canary_province(province)
    return write_packages(p, tmp_path_factory.mktemp("canary-packages"), world.inspectors[1], world.intake_public)


def test_canary_never_reaches_the_disk(canary_packages, world, tmp_path, monkeypatch):
    folder, tmp = tmp_path / "archive", tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    path = folder / "archive.sqlite"
    intake([p.path for p in canary_packages], path, bureau_keys=world.bureau, trust=world.trust)
    with Archive.open(path, bureau_keys=world.bureau) as a:
        run_models(a)
        # while open (WAL and shared memory present), the archive reads the canary back ...
        rows = a._query("SELECT COUNT(*) FROM archive_visits WHERE psn_no = ?", (CANARY_PSN,))
        assert rows[0][0] == len(range(0, canary_packages[0].manifest["tables"][-1]["rows"], 97))
        # the patient's name is not archived at all (resources/bureau/archive.toml): no model reads it
        assert "psn_name" not in {r[1] for r in a._query("PRAGMA table_info(archive_visits)")}
        assert _scan(folder, tmp) == []
    # ... and after it was closed
    assert _scan(folder, tmp) == []
    # the control: the same rows in a plain SQLite file do show the canary to the scan
    plain = sqlcipher3.connect(str(tmp_path / "plain.sqlite"))
    plain.execute("CREATE TABLE t (psn_name TEXT)")
    plain.execute("INSERT INTO t VALUES (?)", (CANARY_NAME,))
    plain.commit()
    plain.close()
    assert _scan(tmp_path)


def test_archive_needs_this_bureaus_keys(canary_packages, world, tmp_path):
    path = tmp_path / "a.sqlite"
    intake([canary_packages[1].path], path, bureau_keys=world.bureau, trust=world.trust)
    with pytest.raises(InputError, match="bureau's keys"):
        Archive.open(path)
    with pytest.raises(InputError, match="not encrypted with this bureau's key"):
        Archive.open(path, bureau_keys=BureauKeys.generate("另一医保局"))
    assert not path.read_bytes().startswith(b"SQLite format 3")


def test_models_on_sqlite_agree_with_the_oracle(province_packages, world, tmp_path):
    path = tmp_path / "a.sqlite"
    intake([p.path for p in province_packages], path, bureau_keys=world.bureau, trust=world.trust)
    cfg = load_config()
    with Archive.open(path, bureau_keys=world.bureau) as a:
        run = run_models(a, cfg=cfg)
    cent = Decimal("0.01")
    got = sorted(((h.model, h.medins_code, h.case_id, h.hit_key, h.psn_no, h.mdtrt_id, h.med_list_codg,
                   h.period_start, h.period_end, h.amount.quantize(cent), h.measure.quantize(cent)) for h in run.hits),
                 key=repr)
    want = sorted((r[:9] + (r[9].quantize(cent), r[10].quantize(cent)) for r in
                   oracle_rows(package_tables([p.path for p in province_packages], world), cfg)), key=repr)
    assert got == want and got


def test_clue_round_trip_on_sqlite(province_packages, world, tmp_path):
    from clue_roundtrip import check_feedback, round_trip

    path = tmp_path / "a.sqlite"
    intake([p.path for p in province_packages], path, bureau_keys=world.bureau, trust=world.trust)
    check_feedback(*round_trip(path, world, tmp_path, bureau_keys_for_open=world.bureau))
