import json
import time

import pytest

from feijian.crypto import kdf
from feijian.crypto.errors import BadKeyFile, WrongPassphrase
from feijian.crypto.sealing import seal, unseal


def test_env_var_gives_cheap_parameters():
    assert kdf.default_params() == kdf.fast_params()
    assert kdf.default_params(fast=False) != kdf.fast_params()


@pytest.mark.parametrize("seconds_per_iteration", [0.002, 0.03, 0.2])
def test_calibration_reaches_the_target_on_slow_and_fast_machines(seconds_per_iteration):
    """A machine where a derivation costs ``seconds_per_iteration`` per pass: the chosen parameters cost at
    least the target there (the cost model stands in for the clock, which a loaded CI machine distorts)."""
    def cost(params):
        return params.iterations * seconds_per_iteration
    params = kdf.calibrate(0.5, measure=cost)
    assert params.iterations >= kdf.BASE_ITERATIONS and params.memory_kib >= 64 * 1024
    assert cost(params) >= 0.5
    assert params.iterations == kdf.BASE_ITERATIONS or cost(params) < 0.5 * 1.25 * 2  # not wildly beyond


def test_calibrated_default_is_really_slow():
    params = kdf.calibrate()
    start = time.perf_counter()
    kdf.derive("a passphrase", b"s" * 16, params)
    # calibrated at >= 0.5 s; a machine less loaded now than during calibration may be up to ~2x faster
    assert time.perf_counter() - start >= 0.2


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
