import json
import time

import pytest

from feijian.crypto import kdf
from feijian.crypto.errors import BadKeyFile, WrongPassphrase
from feijian.crypto.sealing import seal, unseal


def test_env_var_gives_cheap_parameters():
    assert kdf.default_params() == kdf.fast_params()
    assert kdf.default_params(fast=False) != kdf.fast_params()


def test_calibrated_default_takes_at_least_half_a_second():
    params = kdf.calibrate()
    assert params.iterations >= kdf.BASE_ITERATIONS and params.memory_kib >= 64 * 1024
    start = time.perf_counter()
    kdf.derive("a passphrase", b"s" * 16, params)
    assert time.perf_counter() - start >= 0.5


def test_seal_round_trip_and_wrong_passphrase():
    blob = seal(b"secret", "口令一", format="test/v1", header={"who": "me"})
    assert unseal(blob, "口令一", format="test/v1") == ({"who": "me"}, b"secret")
    with pytest.raises(WrongPassphrase):
        unseal(blob, "口令二", format="test/v1")
    assert b"secret" not in blob


@pytest.mark.parametrize("field,value", [("kdf", {"iterations": 2, "lanes": 1, "memory_kib": 64, "algorithm": "argon2id"}),
                                         ("header", {"who": "mallory"})])
def test_parameters_and_header_are_bound_into_the_seal(field, value):
    blob = seal(b"secret", "pw", format="test/v1", header={"who": "me"})
    d = json.loads(blob)
    d[field] = value
    with pytest.raises(WrongPassphrase):
        unseal(json.dumps(d).encode(), "pw", format="test/v1")


def test_absurd_parameters_are_refused_before_deriving():
    d = json.loads(seal(b"x", "pw", format="test/v1"))
    d["kdf"]["memory_kib"] = 1 << 40
    with pytest.raises(BadKeyFile):
        unseal(json.dumps(d).encode(), "pw", format="test/v1")


def test_not_a_seal():
    with pytest.raises(BadKeyFile):
        unseal(b"\x00\x01 not json", "pw", format="test/v1")
    with pytest.raises(BadKeyFile):
        unseal(seal(b"x", "pw", format="other/v1"), "pw", format="test/v1")
