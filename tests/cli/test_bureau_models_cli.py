"""``feijian bureau models`` end to end on the bureau's encrypted SQLite archive: keys from the data folder,
the summary per model, the clue list CSV; bad options are one clear error."""

from __future__ import annotations

import csv

from cli_run import run

from feijian.cli.bureau_demo import build_province, write_packages
from feijian.crypto.identity import create_identity
from feijian.store.identities import BureauStore
from feijian.sync.intake import intake


def test_bureau_models_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "局方口令")
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    home = tmp_path / "bureau"
    assert run(home, "bureau", "init", "--name", "示范医保局") == 0
    store = BureauStore(home)
    keys = store.unlock("局方口令")
    inspector = create_identity("检查员", "J-9")
    store.enroll(keys, inspector.public)
    province = build_province(tmp_path / "province", 2, scale=0.02, seed=5)
    pkgs = write_packages(province, tmp_path / "pkgs", inspector, keys.public().intake_public)
    archive = tmp_path / "archive.sqlite"
    intake([p.path for p in pkgs], archive, bureau_keys=keys, trust=store.trust_list())
    capsys.readouterr()
    out = tmp_path / "clues.csv"
    assert run(home, "bureau", "models", "--archive", str(archive), "--out", str(out)) == 0
    text = capsys.readouterr().out
    assert "M01" in text and "M05" in text and "2 家机构" in text
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["model"] for r in rows} == {"M01", "M02", "M03", "M05"}  # two institutions in one city: no M04
    assert {r["medins_code"] for r in rows} == {i.medins_code for i in province.institutions}

    assert run(home, "bureau", "models", "--archive", str(archive), "--models", "M03", "--from", "2024-13-01") == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err
    assert run(home, "bureau", "models", "--archive", str(archive), "--models", "M09") != 0
    assert "M09" in capsys.readouterr().err
    assert run(home, "bureau", "models", "--archive", str(tmp_path / "none.sqlite")) != 0
    assert "no such archive" in capsys.readouterr().err
