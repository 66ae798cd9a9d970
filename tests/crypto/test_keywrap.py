import os

import pytest

from feijian.crypto.errors import WrongKey
from feijian.crypto.identity import create_identity
from feijian.crypto.keywrap import unwrap_key, wrap_info, wrap_key


@pytest.fixture(scope="module")
def people():
    return create_identity("a", "1"), create_identity("b", "2")


def test_round_trip(people):
    a, _ = people
    dek = os.urandom(32)
    info = wrap_info("case-1", "inspector", a.public.encryption_key_id)
    blob = wrap_key(dek, a.public.encryption_public, info)
    assert dek not in blob
    assert unwrap_key(blob, a.encryption_key, info) == dek


@pytest.mark.parametrize("case,role,recipient", [("case-2", "inspector", None), ("case-1", "escrow", None),
                                                  ("case-1", "inspector", "other")])
def test_wrap_is_bound_to_case_role_and_recipient(people, case, role, recipient):
    a, b = people
    dek = os.urandom(32)
    blob = wrap_key(dek, a.public.encryption_public, wrap_info("case-1", "inspector", a.public.encryption_key_id))
    rid = b.public.encryption_key_id if recipient else a.public.encryption_key_id
    with pytest.raises(WrongKey):
        unwrap_key(blob, a.encryption_key, wrap_info(case, role, rid))


def test_other_recipient_cannot_unwrap(people):
    a, b = people
    info = wrap_info("c", "inspector", a.public.encryption_key_id)
    blob = wrap_key(os.urandom(32), a.public.encryption_public, info)
    with pytest.raises(WrongKey):
        unwrap_key(blob, b.encryption_key, info)
    with pytest.raises(WrongKey):
        unwrap_key(blob[:-1] + bytes([blob[-1] ^ 1]), a.encryption_key, info)
