"""case / evidence / bureau recover commands end to end, in-process."""

import hashlib

import pytest

from cli_run import run


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "pass-1")


@pytest.fixture
def world(tmp_path):
    insp, bureau = tmp_path / "insp", tmp_path / "bureau"
    assert run(insp, "identity", "new", "--name", "王", "--staff-no", "9") == 0
    run(insp, "identity", "export", "--out", str(tmp_path / "me.json"))
    run(bureau, "bureau", "init")
    run(bureau, "bureau", "enroll", str(tmp_path / "me.json"))
    run(bureau, "bureau", "publish", "--out", str(tmp_path / "tl.json"))
    run(insp, "trust", "import", str(tmp_path / "tl.json"))
    data = tmp_path / "data"
    data.mkdir()
    (data / "institution.csv").write_bytes("定点医药机构编号,机构名称,医院等级\nH001,某某医院,三级\n".encode("gbk"))
    return insp, bureau, data


def test_case_new_list_evidence_verify(world, tmp_path, capsys):
    insp, _, data = world
    assert run(insp, "case", "new", "案一", "--data", str(data)) == 0
    out = capsys.readouterr().out
    assert "inspector, escrow" in out
    assert run(insp, "case", "new", "案一", "--data", str(data)) == 2
    assert run(insp, "case", "list") == 0
    assert "案一" in capsys.readouterr().out
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 a photo" * 1000)
    assert run(insp, "evidence", "add", "案一", str(photo), "--note", "病房") == 0
    out = capsys.readouterr().out
    assert hashlib.sha256(photo.read_bytes()).hexdigest() in out
    eid = out.split("evidence id: ")[1].split()[0]
    assert run(insp, "evidence", "export", "案一", eid, "--out", str(tmp_path / "back.jpg")) == 0
    assert (tmp_path / "back.jpg").read_bytes() == photo.read_bytes()
    assert run(insp, "case", "checkpoint", "案一") == 0
    capsys.readouterr()
    assert run(insp, "case", "verify", "案一") == 0
    assert "OK" in capsys.readouterr().out


def test_case_new_bad_input(world, tmp_path, capsys):
    insp, _, data = world
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(insp, "case", "new", "x", "--data", str(empty)) == 2
    assert run(insp, "case", "new", "a/b", "--data", str(data)) == 2
    (empty / "institution.csv").write_text("机构名称\n某医院\n", "utf-8")
    assert run(insp, "case", "new", "y", "--data", str(empty)) == 2
    err = capsys.readouterr().err
    assert "medins_code" in err and "Traceback" not in err


def test_verify_reports_tampering(world, tmp_path, capsys):
    insp, _, data = world
    run(insp, "case", "new", "案二", "--data", str(data))
    path = insp / "cases" / "案二.fjcase"
    from feijian.store.case_store import CaseStore
    from feijian.store.identities import IdentityStore

    with CaseStore.open(path, IdentityStore(insp).unlock("pass-1")) as s:
        s.append_event("note", {"a": 1})
        s.conn.execute("DROP TRIGGER events_no_update")
        s.conn.execute("UPDATE events SET payload = '{\"a\":2}' WHERE type = 'note'")
    capsys.readouterr()
    assert run(insp, "case", "verify", "案二") == 5
    assert "hash mismatch" in capsys.readouterr().err


def test_bureau_recover_to_a_new_identity(world, tmp_path, capsys):
    insp, bureau, data = world
    run(insp, "case", "new", "案三", "--data", str(data))
    case = insp / "cases" / "案三.fjcase"
    # the inspector forgot the passphrase: a new identity, recovered at the bureau
    new_home = tmp_path / "new"
    run(new_home, "identity", "new", "--name", "王", "--staff-no", "9")
    run(new_home, "identity", "export", "--out", str(tmp_path / "new.json"))
    assert run(bureau, "bureau", "recover", str(case), "--identity", str(tmp_path / "new.json")) == 0
    capsys.readouterr()
    assert run(new_home, "case", "verify", str(case)) == 0
    assert run(insp, "case", "verify", str(case)) == 3  # the old identity no longer opens it
    assert "not a recipient" in capsys.readouterr().err
