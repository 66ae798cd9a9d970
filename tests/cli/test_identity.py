"""identity / trust / bureau commands end to end, in-process through ``feijian.cli.main``."""

import json

import pytest

from cli_run import run


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "pass-1")


def test_identity_lifecycle(tmp_path, capsys):
    home = tmp_path / "insp"
    assert run(home, "identity", "show") == 2
    assert "identity new" in capsys.readouterr().err
    assert run(home, "identity", "new", "--name", "张三", "--staff-no", "007") == 0
    assert run(home, "identity", "new", "--name", "张三", "--staff-no", "007") == 2  # exists
    capsys.readouterr()
    assert run(home, "identity", "show") == 0
    shown = capsys.readouterr().out
    assert "张三" in shown and "007" in shown
    assert run(home, "identity", "export", "--out", str(tmp_path / "me.json")) == 0
    exported = json.loads((tmp_path / "me.json").read_text("utf-8"))
    assert exported["name"] == "张三" and exported["key_id"] in shown
    assert "private" not in (tmp_path / "me.json").read_text("utf-8")

    (tmp_path / "new.txt").write_text("pass-2\n", "utf-8")
    assert run(home, "identity", "passwd", "--new-passphrase-file", str(tmp_path / "new.txt")) == 0
    assert run(home, "identity", "passwd", "--new-passphrase-file", str(tmp_path / "new.txt")) == 3  # old one is gone
    assert "wrong passphrase" in capsys.readouterr().err


def test_minisign_public_key(tmp_path, capsys):
    home = tmp_path / "insp"
    run(home, "identity", "new", "--name", "a", "--staff-no", "1")
    capsys.readouterr()
    assert run(home, "identity", "show", "--minisign") == 0
    text = capsys.readouterr().out
    from feijian.crypto.minisign import parse_public_key_file
    from feijian.store.identities import IdentityStore

    pub, key_id8 = parse_public_key_file(text)
    me = IdentityStore(home).public()
    assert key_id8 == me.key_id8
    assert text.splitlines()[0].startswith("untrusted comment:")


def test_bureau_enrol_publish_trust_import(tmp_path, capsys):
    insp, bureau = tmp_path / "insp", tmp_path / "bureau"
    run(insp, "identity", "new", "--name", "李", "--staff-no", "2")
    run(insp, "identity", "export", "--out", str(tmp_path / "me.json"))
    assert run(bureau, "bureau", "init", "--name", "国家局") == 0
    assert run(bureau, "bureau", "enroll", str(tmp_path / "me.json")) == 0
    assert run(bureau, "bureau", "publish", "--out", str(tmp_path / "tl.json")) == 0
    assert run(insp, "trust", "import", str(tmp_path / "tl.json")) == 0
    capsys.readouterr()
    assert run(insp, "trust", "show") == 0
    assert "李" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text("{}", "utf-8")
    assert run(insp, "trust", "import", str(tmp_path / "bad.json")) != 0
    assert run(bureau, "bureau", "enroll", str(tmp_path / "bad.json")) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2
