import pytest

from feijian.store.errors import TrustError, WrongPassphrase
from feijian.crypto.trust import BureauKeys, TrustList
from feijian.domain.errors import InputError
from feijian.store.identities import BureauStore, IdentityStore, NoIdentity


def test_identity_create_unlock_passwd(tmp_path):
    ids = IdentityStore(tmp_path)
    assert not ids.exists()
    with pytest.raises(NoIdentity):
        ids.public()
    me = ids.create("周检查", "J-7", "lead", "old pass")
    assert ids.exists() and ids.public() == me.public and ids.public().role == "lead"
    assert b"old pass" not in ids.path.read_bytes()
    with pytest.raises(InputError):
        ids.create("x", "y", "inspector", "p")
    with pytest.raises(InputError):
        IdentityStore(tmp_path / "other").create("x", "y", "janitor", "p")
    before = ids.path.read_bytes()
    with pytest.raises(WrongPassphrase):
        ids.unlock("not it")
    assert ids.path.read_bytes() == before
    ids.change_passphrase("old pass", "new pass")
    with pytest.raises(WrongPassphrase):
        ids.unlock("old pass")
    assert ids.unlock("new pass").key_id == me.key_id
    with pytest.raises(WrongPassphrase):
        ids.change_passphrase("wrong", "x")


def test_enrol_publish_import_pins_the_bureau(tmp_path):
    bureau = BureauStore(tmp_path / "bureau")
    keys = bureau.init("bureau pass", "省局")
    with pytest.raises(InputError):
        bureau.init("again")
    ids = IdentityStore(tmp_path / "insp")
    me = ids.create("a", "1", "inspector", "p")
    ids.export_public(tmp_path / "me.json")
    assert bureau.enroll_file(bureau.unlock("bureau pass"), tmp_path / "me.json") == me.public
    tl1 = bureau.publish(tmp_path / "tl1.json")
    assert ids.trust_list() is None and ids.bureau_public() is None
    imported = ids.import_trust(tmp_path / "tl1.json")
    assert imported.find(me.key_id) == me.public and ids.bureau_public() == keys.public()

    # a newer list from the same bureau is accepted; an older one or another bureau's is not
    other = IdentityStore(tmp_path / "insp2").create("b", "2", "inspector", "p")
    bureau.enroll(keys, other.public)
    bureau.publish(tmp_path / "tl2.json")
    assert ids.import_trust(tmp_path / "tl2.json").seq == tl1.seq + 1
    with pytest.raises(TrustError, match="older"):
        ids.import_trust(tmp_path / "tl1.json")
    rogue = BureauKeys.generate("假局")
    (tmp_path / "rogue.json").write_bytes(TrustList(rogue.public(), (other.public,)).sign(rogue).to_json())
    with pytest.raises(TrustError):
        ids.import_trust(tmp_path / "rogue.json")
    with pytest.raises(WrongPassphrase):
        bureau.unlock("nope")


def test_bureau_shortcuts_for_scripts(tmp_path):
    bureau = BureauStore(tmp_path / "bureau")
    keys = bureau.init("bp")
    ids = IdentityStore(tmp_path / "insp")
    me = ids.create("a", "1", "lead", "p")
    tl = bureau.enroll(me.public, "bp")  # (member, passphrase)
    assert tl.find(me.key_id) == me.public
    assert ids.import_trust(bureau.publish()).find(me.key_id) == me.public  # a TrustList object
    assert bureau.escrow_public() == keys.public().escrow_public and bureau.intake_public() == keys.public().intake_public
    with pytest.raises(WrongPassphrase):
        bureau.enroll(me.public, "wrong")
