import dataclasses
from decimal import Decimal

import pytest

from feijian.domain.events import Event, canonical_json, make_event, uuid7, write


def _ev(**kw):
    base = dict(case_id="c1", author="k1", device="d1", lamport=1, type="hit.reviewed", payload={}, prev_hash="")
    base.update(kw)
    return make_event(**base)


def test_canonical_json_is_sorted_compact_utf8_and_decimal_safe():
    assert canonical_json({"b": 1, "a": "医保", "m": Decimal("1.50")}) == '{"a":"医保","b":1,"m":"1.50"}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_event_hash_covers_every_field():
    ev = _ev(payload={"writes": [write("hit", "h1", "review", {"status": "confirmed", "reason": "病历无记录"})]})
    assert ev.is_intact()
    for name, value in [("payload", {"writes": []}), ("lamport", 2), ("author", "k2"), ("prev_hash", "ab"), ("time", "x")]:
        forged = dataclasses.replace(ev, **{name: value})
        assert not forged.is_intact(), name


def test_event_round_trips_through_json():
    import json

    ev = _ev(payload={"amount": Decimal("12.30")})
    again = Event.from_dict(json.loads(ev.to_json()))
    assert again == ev and again.is_intact()
    assert again.payload["amount"] == "12.30"  # money travels as an exact string


def test_uuid7_is_version_7_and_time_ordered():
    import time
    import uuid

    a = uuid7()
    time.sleep(0.002)
    b = uuid7()
    assert uuid.UUID(a).version == 7 and uuid.UUID(b).variant == uuid.RFC_4122
    assert a < b
    assert len({uuid7() for _ in range(1000)}) == 1000
