"""feijian draw commit|run|verify|pdf and case new --from-draw, end to end in-process."""

import json
import subprocess

import pytest

from cli_run import run


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    monkeypatch.setenv("FEIJIAN_PASSPHRASE", "pass-1")


INST = ("机构编码,机构名称,机构类型,等级,地区,风险评分\n" + "".join(
    f"H{i:03d},第{i}医院,{'综合医院' if i % 3 else '专科医院'},{'三级' if i % 2 else '二级'},区{i % 3},{i % 5}\n"
    for i in range(20))).encode("utf-8")
POOL = ("identity,unit,region,conflicts\n" + "".join(
    f"检查员{j:02d},单位{j % 4},区{j % 3},{'H001' if j < 3 else ''}\n" for j in range(16))).encode("utf-8")


@pytest.fixture
def drawn(tmp_path, capsys):
    bureau, insp = tmp_path / "bureau", tmp_path / "insp"
    assert run(bureau, "bureau", "init", "--name", "某省医疗保障局") == 0
    (tmp_path / "inst.csv").write_bytes(INST)
    (tmp_path / "pool.csv").write_bytes(POOL)
    assert run(bureau, "draw", "commit", "--seed-out", str(tmp_path / "seed"), "--out", str(tmp_path / "commit.json")) == 0
    commitment = json.loads((tmp_path / "commit.json").read_bytes())["commitment"]
    assert commitment in capsys.readouterr().out
    assert run(bureau, "draw", "run", "--institutions", str(tmp_path / "inst.csv"), "--inspectors",
               str(tmp_path / "pool.csv"), "--n", "4", "--stratify", "type", "--weighted", "--seed-file",
               str(tmp_path / "seed"), "--commitment", str(tmp_path / "commit.json"), "--authority",
               "某省医疗保障局", "--out", str(tmp_path / "record.json")) == 0
    capsys.readouterr()
    return bureau, insp, tmp_path


def test_verify_independently_and_fail_on_change(drawn, capsys):
    bureau, insp, d = drawn
    args = ["draw", "verify", str(d / "record.json"), "--institutions", str(d / "inst.csv"), "--inspectors",
            str(d / "pool.csv")]
    assert run(bureau, *args) == 0
    assert "验证通过" in capsys.readouterr().out
    # a stranger with only the minisign public key: stock minisign checks the signature too
    from feijian.crypto import minisign
    from feijian.store.identities import BureauStore

    pub = BureauStore(bureau).public()
    (d / "bureau.pub").write_text(minisign.public_key_file(pub.verifier(), bytes.fromhex(pub.key_id)))
    assert run(d / "stranger", *args, "--pubkey", str(d / "bureau.pub")) == 0
    subprocess.run(["minisign", "-V", "-p", str(d / "bureau.pub"), "-m", str(d / "record.json")], check=True,
                   capture_output=True)
    # changed input
    (d / "inst.csv").write_bytes(INST.replace(b"H007,", b"H077,"))
    assert run(bureau, *args) == 2
    assert "institutions" in capsys.readouterr().err
    (d / "inst.csv").write_bytes(INST)
    # changed seed in the record: the signature no longer holds, and without it the commitment fails
    rec = json.loads((d / "record.json").read_bytes())
    rec["seed"] = "00" * 32
    (d / "record.json").write_text(json.dumps(rec))
    assert run(bureau, *args) == 2
    assert "signature" in capsys.readouterr().err


def test_pdf_and_case_from_draw(drawn, capsys):
    bureau, insp, d = drawn
    assert run(bureau, "draw", "pdf", str(d / "record.json"), "--out", str(d / "record.pdf")) == 0
    assert (d / "record.pdf").read_bytes()[:5] == b"%PDF-"
    fonts = subprocess.run(["pdffonts", str(d / "record.pdf")], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts and "Helvetica" not in fonts
    text = subprocess.run(["pdftotext", str(d / "record.pdf"), "-"], capture_output=True, text=True).stdout
    rec = json.loads((d / "record.json").read_bytes())
    assert rec["seed"] in text.replace("\n", "") or rec["seed"][:32] in text
    code = rec["result"][0]["code"]
    assert run(insp, "identity", "new", "--name", "王", "--staff-no", "9") == 0
    run(insp, "identity", "export", "--out", str(d / "me.json"))
    run(bureau, "bureau", "enroll", str(d / "me.json"))
    run(bureau, "bureau", "publish", "--out", str(d / "tl.json"))
    run(insp, "trust", "import", str(d / "tl.json"))
    capsys.readouterr()
    assert run(insp, "case", "new", "抽中", "--from-draw", str(d / "record.json"), "--institution", "H999") == 2
    assert "not drawn" in capsys.readouterr().err
    assert run(insp, "case", "new", "抽中", "--from-draw", str(d / "record.json"), "--institution", code) == 0
    from feijian.store.case_store import CaseStore
    from feijian.store.identities import IdentityStore

    ident = IdentityStore(insp).unlock("pass-1")
    with CaseStore.open(insp / "cases" / "抽中.fjcase", ident) as store:
        info = store.info
    assert info.medins_code == code and info.medins_name == rec["result"][0]["name"]
    assert "双随机" in info.trigger
    assert set(rec["result"][0]["team"]) <= {m.name for m in info.team}
    # a tampered record is refused
    (d / "record.json").write_bytes((d / "record.json").read_bytes().replace(code.encode(), b"H999", 1))
    assert run(insp, "case", "new", "抽中2", "--from-draw", str(d / "record.json"), "--institution", "H999") == 2
