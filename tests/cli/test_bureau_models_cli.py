"""``feijian bureau models`` end to end on the bureau's encrypted SQLite archive: keys from the data folder,
the summary per model, the clue list CSV; bad options are one clear error."""

from __future__ import annotations

import csv

import pytest
from cli_run import run

from feijian.demoprovince import write_packages
from feijian.crypto.identity import create_identity
from feijian.store.identities import BureauStore
from feijian.sync.intake import intake


def test_bureau_models_command(province_of_two, tmp_path, capsys, monkeypatch):
    province = province_of_two
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "局方口令")
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    home = tmp_path / "bureau"
    assert run(home, "bureau", "init", "--name", "示范医保局") == 0
    store = BureauStore(home)
    keys = store.unlock("局方口令")
    inspector = create_identity("检查员", "J-9")
    store.enroll(keys, inspector.public)
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
    # signed by the bureau: the stock minisign accepts it under the bureau's key; a case refuses it as a clue list
    import shutil
    import subprocess

    from feijian.casework.signed_clues import verify_clue_list
    from feijian.domain.errors import InputError
    from feijian.sync.clue_lists import public_key_file

    sig = out.with_name(out.name + ".minisig")
    assert sig.exists() and "signed" in text
    if shutil.which("minisign"):
        (tmp_path / "bureau.pub").write_text(public_key_file(keys.public()), encoding="ascii")
        checked = subprocess.run(["minisign", "-V", "-p", str(tmp_path / "bureau.pub"), "-m", str(out)],
                                 capture_output=True, text=True)
        assert checked.returncode == 0 and "feijian-model-run/1 run=" in checked.stdout, checked.stderr
        assert f"rows={len(rows)}" in checked.stdout
    with pytest.raises(InputError, match="not for a clue list"):
        verify_clue_list(out.read_bytes(), sig.read_bytes(), store.trust_list())
    altered = out.read_bytes().replace(b"M01", b"M02", 1)
    with pytest.raises(InputError, match="altered"):
        verify_clue_list(altered, sig.read_bytes(), store.trust_list())

    assert run(home, "bureau", "models", "--archive", str(archive), "--models", "M03", "--from", "2024-13-01") == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err
    assert run(home, "bureau", "models", "--archive", str(archive), "--models", "M09") != 0
    assert "M09" in capsys.readouterr().err
    assert run(home, "bureau", "models", "--archive", str(tmp_path / "none.sqlite")) != 0
    assert "no such archive" in capsys.readouterr().err


def test_clue_lists_round_trip_on_the_command_line(province_of_two, tmp_path, capsys, monkeypatch):
    """``bureau clues`` writes signed lists the stock minisign accepts; a team with the trust list imports its
    institution's list (``clues import``), answers one clue, exports to the bureau; ``intake import`` and
    ``bureau feedback`` show the answer against its model."""
    import shutil
    import subprocess

    from feijian.domain.records import CaseInfo
    from feijian.store.case_store import CaseStore
    from feijian.store.identities import IdentityStore

    province = province_of_two
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "局方口令")
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    home, team_home = tmp_path / "bureau", tmp_path / "team"
    assert run(home, "bureau", "init", "--name", "示范医保局") == 0
    bstore = BureauStore(home)
    keys = bstore.unlock("局方口令")
    team = IdentityStore(team_home).create("检查员", "J-9", "inspector", "局方口令", fast=True)
    bstore.enroll(keys, team.public)
    pkgs = write_packages(province, tmp_path / "pkgs", team, keys.public().intake_public)
    archive = tmp_path / "archive.sqlite"
    intake([p.path for p in pkgs], archive, bureau_keys=keys, trust=bstore.trust_list())
    assert run(home, "bureau", "clues", "--archive", str(archive), "--out", str(tmp_path / "lists")) == 2
    assert "no model run" in capsys.readouterr().err
    assert run(home, "bureau", "models", "--archive", str(archive)) == 0
    assert run(home, "bureau", "clues", "--archive", str(archive), "--out", str(tmp_path / "lists")) == 0
    assert "2 clue lists" in capsys.readouterr().out
    inst = province.institutions[0].medins_code
    lst = tmp_path / "lists" / f"{inst}.clues.csv"
    if shutil.which("minisign"):
        out = subprocess.run(["minisign", "-V", "-p", str(tmp_path / "lists" / "bureau.pub"), "-m", str(lst)],
                             capture_output=True, text=True)
        assert out.returncode == 0 and f"medins={inst}" in out.stdout, out.stderr
    with open(lst, encoding="utf-8-sig", newline="") as f:
        first = next(csv.DictReader(f))

    assert run(home, "bureau", "publish", "--out", str(tmp_path / "trust.json")) == 0
    (team_home / "cases").mkdir(parents=True)
    info = CaseInfo("TEAM-CASE-1", "线索核查", inst, "示范医院001", "3")
    CaseStore.create(team_home / "cases" / "t.fjcase", info, team).close()
    assert run(team_home, "clues", "import", "t", str(lst)) == 2  # no trust list yet
    assert "no trust list" in capsys.readouterr().err
    assert run(team_home, "trust", "import", str(tmp_path / "trust.json")) == 0
    assert run(team_home, "clues", "import", "t", str(lst)) == 0
    assert "signed by the bureau" in capsys.readouterr().out
    assert run(team_home, "clues", "result", "t", first["线索编号"], "--result", "属实", "--amount",
               first["疑似金额"], "--explanation", "病历核对属实") == 0
    pkg = tmp_path / "team.fjpkg"
    assert run(team_home, "package", "export", "t", "--to", "bureau", "--out", str(pkg)) == 0
    assert run(home, "intake", "import", str(pkg), "--archive", str(archive)) == 0
    capsys.readouterr()
    assert run(home, "bureau", "feedback", "--archive", str(archive), "--details") == 0
    text = capsys.readouterr().out
    model = first["模型"]
    line = next(ln for ln in text.splitlines() if ln.startswith(model + " "))
    cells = line.split("\t")
    assert cells[3] == "1" and cells[4] == "1" and cells[-1] == "100%"  # answered 1, confirmed 1
    assert f"{first['线索编号']}\tTEAM-CASE-1\tconfirmed\t{first['疑似金额']}" in text
