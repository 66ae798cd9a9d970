"""The package and intake commands end to end through ``feijian.cli.main`` with three data folders
(bureau, inspector, lead): enroll, export, verify, merge, final export, intake, replay refused."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from feijian.cli import main
from feijian.store.case_keys import keys_path


@pytest.fixture()
def homes(tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "correct horse battery")
    return {n: tmp_path / n for n in ("bureau", "insp", "lead")}


def run(home, *args):
    return main(["--home", str(home), *map(str, args)])


def test_cli_flow(homes, tmp_path, capsys):
    b, i, l = homes["bureau"], homes["insp"], homes["lead"]
    assert run(b, "bureau", "init", "--name", "测试局") == 0
    assert run(i, "identity", "new", "--name", "张三", "--staff-no", "I001") == 0
    assert run(l, "identity", "new", "--name", "李四", "--staff-no", "L001", "--role", "lead") == 0
    assert run(i, "identity", "export", "--out", tmp_path / "insp.json") == 0
    assert run(l, "identity", "export", "--out", tmp_path / "lead.json") == 0
    assert run(b, "bureau", "enroll", tmp_path / "insp.json") == 0
    assert run(b, "bureau", "enroll", tmp_path / "lead.json") == 0
    assert run(b, "bureau", "publish", "--out", tmp_path / "trust.json") == 0
    assert run(i, "trust", "import", tmp_path / "trust.json") == 0
    assert run(l, "trust", "import", tmp_path / "trust.json") == 0
    data = tmp_path / "data"
    data.mkdir()
    (data / "institution.csv").write_text("medins_code,medins_name,medins_lv\nH1101,测试医院,3\n", encoding="utf-8")
    assert run(i, "case", "new", "c1", "--data", data, "--lead", tmp_path / "lead.json") == 0
    case = i / "cases" / "c1.fjcase"
    (l / "cases").mkdir(parents=True)
    shutil.copyfile(case, l / "cases" / "c1.fjcase")  # the lead receives the case (its key is wrapped to the lead)
    shutil.copyfile(keys_path(case), keys_path(l / "cases" / "c1.fjcase"))
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8 photo " * 1000)
    assert run(i, "evidence", "add", "c1", tmp_path / "photo.jpg") == 0
    assert run(i, "package", "export", "c1", "--to", "lead", "--out", tmp_path / "p.fjpkg") == 0
    capsys.readouterr()
    assert run(l, "package", "verify", tmp_path / "p.fjpkg") == 0
    assert "OK lead package" in capsys.readouterr().out
    assert run(l, "package", "merge", "c1", tmp_path / "p.fjpkg") == 0
    assert run(l, "package", "merge", "c1", tmp_path / "p.fjpkg") == 5  # replay
    assert "REPLAY" in capsys.readouterr().err
    assert run(l, "package", "export", "c1", "--to", "bureau", "--out", tmp_path / "final.fjpkg") == 0
    assert run(b, "intake", "import", tmp_path / "final.fjpkg", "--archive", tmp_path / "arch.sqlite",
               "--receipts", tmp_path / "receipts") == 0
    assert len(list((tmp_path / "receipts").glob("*.receipt.json.minisig"))) == 1
    assert run(b, "intake", "import", tmp_path / "final.fjpkg", "--archive", tmp_path / "arch.sqlite") == 5
    # a tampered package: the verifier names the reason code and the member
    with zipfile.ZipFile(tmp_path / "p.fjpkg") as src, zipfile.ZipFile(tmp_path / "bad.fjpkg", "w") as dst:
        for n in src.namelist():
            d = src.read(n)
            dst.writestr(n, d[:-1] + bytes([d[-1] ^ 1]) if n.startswith("evidence/") else d)
    capsys.readouterr()
    assert run(l, "package", "verify", tmp_path / "bad.fjpkg") == 5
    err = capsys.readouterr().err
    assert "HASH_MISMATCH" in err and "evidence/" in err
