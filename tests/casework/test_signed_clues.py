"""A clue list signed by the bureau is imported only when its signature is the trust list's bureau's, over
exactly its bytes, for a clue list of this case's institution; every other list is refused with its reason
and the case is left without it. The stock minisign tool accepts the same signature."""

import shutil
import subprocess

import pytest

from feijian.casework.clues import clue_lists, clues, record_clue_result
from feijian.casework.signed_clues import import_signed_clues, signature_path
from feijian.crypto import minisign
from feijian.crypto.trust import BureauKeys, TrustList
from feijian.domain.clue_list_format import trusted_comment
from feijian.domain.errors import InputError
from feijian.sync.clue_lists import list_bytes, public_key_file

from memstore import MemoryCaseStore, make_info

ROWS = [("M01-aaaaaaaaaaaa", "M01", "P1", "V1", None, "2024-03-01", "2024-03-08", "同期住院", "300.0000", "H0001"),
        ("M03-bbbbbbbbbbbb", "M03", "P2", None, "X01", "2024-05-01", "2024-05-30", "超量开药", "27.0000", "H0001")]


@pytest.fixture(scope="module")
def bureau():
    keys = BureauKeys.generate("省医保局")
    return keys, TrustList(bureau=keys.public()).sign(keys)


def _write(tmp_path, keys, rows=ROWS, medins="H0001", comment=None, name="H0001.clues.csv"):
    data = list_bytes(rows, "RUN1", {"H0001": "测试医院"}, {"M01": "同期住院", "M03": "超量开药"})
    path = tmp_path / name
    path.write_bytes(data)
    sig = minisign.sign(data, keys.signing_key, bytes.fromhex(keys.public().key_id),
                        comment or trusted_comment("RUN1", medins, len(rows)))
    signature_path(path).write_text(sig)
    return path


def test_signed_list_imported_and_answered(bureau, tmp_path):
    keys, trust = bureau
    store = MemoryCaseStore(make_info())
    path = _write(tmp_path, keys)
    cl, sig = import_signed_clues(store, path, trust)
    assert sig.run_id == "RUN1" and sig.medins_code == "H0001" and sig.bureau_key_id == keys.public().key_id
    assert [c.clue_id for c in clues(store)] == ["M01-aaaaaaaaaaaa", "M03-bbbbbbbbbbbb"]
    assert clues(store)[0].clue_type == "M01 同期住院" and clues(store)[1].med_list_codg == "X01"
    event = next(e for e in store.events() if e.type == "clue.list.imported")
    assert event.payload["origin"]["bureau_key_id"] == keys.public().key_id
    record_clue_result(store, "M01-aaaaaaaaaaaa", "属实", "300", "两院病历核对，本人未在本院住院")
    assert clues(store)[0].result == "confirmed"


def test_stock_minisign_accepts_the_signature(bureau, tmp_path):
    if not shutil.which("minisign"):
        pytest.skip("no minisign")
    keys, _ = bureau
    path = _write(tmp_path, keys)
    pub = tmp_path / "bureau.pub"
    pub.write_text(public_key_file(keys.public()))
    out = subprocess.run(["minisign", "-V", "-p", str(pub), "-m", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "feijian-clue-list/1 run=RUN1 medins=H0001 clues=2" in out.stdout


@pytest.mark.parametrize("case, reason", [
    ("unsigned", "unsigned"),
    ("tampered", "altered after"),
    ("unknown signer", "unknown key"),
    ("damaged signature", "damaged"),
    ("not a clue list signature", "not for a clue list"),
    ("other institution", "is for institution H0002"),
    ("count differs", "its signature says 3"),
    ("no trust list", "no trust list"),
])
def test_refused_with_reason(bureau, tmp_path, case, reason):
    keys, trust = bureau
    store = MemoryCaseStore(make_info())
    path = _write(tmp_path, keys)
    if case == "unsigned":
        signature_path(path).unlink()
    elif case == "tampered":
        path.write_bytes(path.read_bytes().replace("300.00".encode(), "30.00".encode()))
    elif case == "unknown signer":
        _write(tmp_path, BureauKeys.generate("假医保局"))
    elif case == "damaged signature":
        signature_path(path).write_text(signature_path(path).read_text()[:-20])
    elif case == "not a clue list signature":
        _write(tmp_path, keys, comment="feijian receipt PKG1 sha256=00")
    elif case == "other institution":
        _write(tmp_path, keys, medins="H0002")
    elif case == "count differs":
        _write(tmp_path, keys, comment=trusted_comment("RUN1", "H0001", 3))
    elif case == "no trust list":
        trust = None
    with pytest.raises(InputError) as exc:
        import_signed_clues(store, path, trust)
    assert reason in str(exc.value)
    assert clue_lists(store) == []


def test_unsigned_only_when_asked(bureau, tmp_path):
    keys, trust = bureau
    store = MemoryCaseStore(make_info())
    path = _write(tmp_path, keys)
    signature_path(path).unlink()
    cl, sig = import_signed_clues(store, path, trust, unsigned=True)
    assert sig is None and len(cl.rows) == 2
    assert next(e for e in store.events() if e.type == "clue.list.imported").payload["origin"]["unsigned"]
    # a signature that is there must verify, --unsigned or not
    other = _write(tmp_path, keys, name="b.clues.csv")
    other.write_bytes(other.read_bytes() + b"\r\n")
    with pytest.raises(InputError, match="altered"):
        import_signed_clues(MemoryCaseStore(make_info()), other, trust, unsigned=True)
