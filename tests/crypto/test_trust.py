import json

import pytest

from feijian.crypto.errors import BadKeyFile, TrustError, WrongPassphrase
from feijian.crypto.identity import create_identity
from feijian.crypto.trust import BureauKeys, TrustList, empty_trust_list


@pytest.fixture(scope="module")
def bureau():
    return BureauKeys.generate("省医保局")


def test_enrol_sign_verify_find(bureau):
    a, b = create_identity("a", "1"), create_identity("b", "2", "lead")
    tl = empty_trust_list(bureau).add(a.public).sign(bureau).add(b.public).sign(bureau)
    back = TrustList.from_json(tl.to_json()).verify(bureau.public().signing_public)
    assert back.seq == 3 and back.find(a.key_id) == a.public and back.find(b.key_id).role == "lead"
    assert back.find("0" * 16) is None
    revoked = back.revoke(a.key_id).sign(bureau)
    assert revoked.verify(bureau.public().signing_public).find(a.key_id) is None


def test_tampered_list_does_not_verify(bureau):
    a, mallory = create_identity("a", "1"), create_identity("m", "666")
    tl = empty_trust_list(bureau).add(a.public).sign(bureau)
    d = json.loads(tl.to_json())
    d["members"].append(mallory.public.to_dict())
    with pytest.raises(TrustError):
        TrustList.from_json(json.dumps(d)).verify(bureau.public().signing_public)


def test_list_signed_by_another_bureau_is_refused(bureau):
    other = BureauKeys.generate("假冒")
    forged = empty_trust_list(other)
    with pytest.raises(TrustError):
        forged.verify(bureau.public().signing_public)
    with pytest.raises(TrustError):
        empty_trust_list(bureau).sign(other)


def test_bureau_keys_seal(bureau):
    blob = bureau.seal("bureau pass")
    assert BureauKeys.unseal(blob, "bureau pass").public() == bureau.public()
    with pytest.raises(WrongPassphrase):
        BureauKeys.unseal(blob, "nope")
    with pytest.raises(BadKeyFile):
        TrustList.from_json(b"{}")
