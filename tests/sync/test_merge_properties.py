"""Merge properties (research §5.3) with hypothesis: random programs of writes and one-way syncs over three
devices. The merge is commutative, associative, idempotent and order-independent, loses no event, and the
fold shows a conflict exactly when an independent oracle (happened-before tracked by the harness) finds two
concurrent writes of different values to one field."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from feijian.domain.events import make_event, write
from feijian.domain.projection import fold
from feijian.sync.merge import merge_events
from feijian.sync.reasons import Rejected

DEVICES = ("zhang", "li", "wang")
FIELDS = ("amount", "status")
VALUES = {"amount": ("900.00", "1000.00", "1100.00"), "status": ("draft", "agreed", "disputed")}

step = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(DEVICES), st.sampled_from(FIELDS), st.integers(0, 2)),
    st.tuples(st.just("sync"), st.sampled_from(DEVICES), st.sampled_from(DEVICES)),
)
programs = st.lists(step, min_size=1, max_size=25)


def run(program):
    """Run a program; return the devices' event sets and the oracle's happened-before knowledge."""
    local = {d: [] for d in DEVICES}
    prev = {d: "" for d in DEVICES}
    known_before: dict[str, set[str]] = {}
    for s in program:
        if s[0] == "write":
            _, dev, field, v = s
            state = fold(local[dev])
            lamport = max((e.lamport for e in local[dev]), default=0) + 1
            ev = make_event(case_id="C", author=dev, device=dev, lamport=lamport, type="finding.updated",
                            payload={"writes": [write("finding", "F1", field, VALUES[field][v],
                                                      supersedes=state.heads("finding", "F1", field))]},
                            prev_hash=prev[dev])
            prev[dev] = ev.hash
            known_before[ev.event_id] = {e.event_id for e in local[dev]}
            local[dev] = local[dev] + [ev]
        else:
            _, src, dst = s
            local[dst] = merge_events(local[dst], local[src])
    return local, known_before


def oracle_conflicts(events, known_before):
    out = set()
    for field in FIELDS:
        writes = [e for e in events if e.writes[0]["field"] == field]
        alive = [w for w in writes if not any(w.event_id in known_before[o.event_id] for o in writes if o is not w)]
        if len({w.writes[0]["value"] for w in alive}) > 1:
            out.add(("finding", "F1", field))
    return out


@settings(max_examples=120, deadline=None)
@given(programs)
def test_commutative_associative_idempotent(program):
    local, _ = run(program)
    a, b, c = (local[d] for d in DEVICES)
    assert merge_events(a, b) == merge_events(b, a)
    assert merge_events(merge_events(a, b), c) == merge_events(a, merge_events(b, c))
    assert merge_events(a, a) == merge_events(a)
    assert fold(merge_events(a, b)) == fold(merge_events(b, a))


@settings(max_examples=120, deadline=None)
@given(programs, st.randoms(use_true_random=False))
def test_order_independent_and_nothing_lost(program, rnd: random.Random):
    local, _ = run(program)
    union = merge_events(*local.values())
    ids = set().union(*({e.event_id for e in evs} for evs in local.values()))
    assert {e.event_id for e in union} == ids
    shuffled = list(union)
    rnd.shuffle(shuffled)
    assert fold(shuffled) == fold(union)
    # convergence: everyone syncs with everyone, every view is the same
    assert all(fold(merge_events(evs, union)) == fold(union) for evs in local.values())


@settings(max_examples=150, deadline=None)
@given(programs)
def test_conflicts_exactly_when_concurrent(program):
    local, known_before = run(program)
    union = merge_events(*local.values())
    got = {r.key for r in fold(union).conflicts()}
    assert got == oracle_conflicts(union, known_before)
    for evs in local.values():  # and on every device's partial view
        assert {r.key for r in fold(evs).conflicts()} == oracle_conflicts(evs, known_before)


def test_scripted_conflict_and_resolution():
    local, kb = run([("write", "zhang", "amount", 0), ("sync", "zhang", "li"), ("write", "zhang", "amount", 1),
                     ("write", "li", "amount", 2), ("write", "li", "status", 1)])
    union = merge_events(*local.values())
    [reg] = fold(union).conflicts()
    assert reg.key == ("finding", "F1", "amount")
    assert sorted(c.author for c in reg.candidates) == ["li", "zhang"]
    fix = make_event(case_id="C", author="lead", device="lead", lamport=99, type="conflict.resolved",
                     payload={"writes": [write("finding", "F1", "amount", "1000.00", supersedes=reg.heads)]},
                     prev_hash="")
    state = fold(union + [fix])
    assert not state.conflicts() and state.get("finding", "F1", "amount") == "1000.00"


def test_forged_and_forked_events_refused():
    local, _ = run([("write", "zhang", "amount", 0), ("write", "zhang", "amount", 1)])
    e1, e2 = local["zhang"]
    fork = make_event(case_id="C", author="zhang", device="zhang", lamport=2, type="finding.updated",
                      payload={"writes": []}, prev_hash=e1.prev_hash)
    try:
        merge_events([e1, e2], [fork])
    except Rejected as exc:
        assert exc.code == "CHAIN_FORK"
    else:
        raise AssertionError("fork accepted")
    from dataclasses import replace

    try:
        merge_events([replace(e2, lamport=7)])
    except Rejected as exc:
        assert exc.code == "EVENT_INVALID"
    else:
        raise AssertionError("damaged event accepted")
