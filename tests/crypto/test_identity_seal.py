import json

import pytest

from feijian.crypto.errors import BadKeyFile, WrongPassphrase
from feijian.crypto.identity import PublicIdentity, create_identity, public_of_sealed, seal_identity, unseal_identity


def test_seal_unseal_round_trip():
    me = create_identity("王检查", "A-17", "lead")
    blob = seal_identity(me, "长口令 long passphrase")
    back = unseal_identity(blob, "长口令 long passphrase")
    assert back.public == me.public and back.device_id == me.device_id
    msg = b"checkpoint"
    me.public.verifier().verify(back.sign(msg), msg)  # the same signing key
    assert public_of_sealed(blob) == me.public


def test_wrong_passphrase():
    blob = seal_identity(create_identity("a", "1"), "right")
    with pytest.raises(WrongPassphrase):
        unseal_identity(blob, "wrong")


def test_swapped_public_part_is_detected():
    a, b = create_identity("a", "1"), create_identity("b", "2")
    d = json.loads(seal_identity(a, "pw"))
    d["header"]["public"] = b.public.to_dict()
    with pytest.raises(WrongPassphrase):  # the header is authenticated data
        unseal_identity(json.dumps(d).encode(), "pw")


def test_public_identity_json_and_key_id():
    me = create_identity("张三", "007")
    pub = PublicIdentity.from_json(me.public.to_json())
    assert pub == me.public
    assert len(pub.key_id) == 16 and pub.key_id8 == bytes.fromhex(pub.key_id)
    d = json.loads(me.public.to_json())
    d["key_id"] = "0" * 16
    with pytest.raises(BadKeyFile):
        PublicIdentity.from_dict(d)
    with pytest.raises(BadKeyFile):
        PublicIdentity.from_json(b"[]")


def test_role_must_be_known():
    with pytest.raises(ValueError):
        create_identity("a", "1", "janitor")
