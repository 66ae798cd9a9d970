
from hypothesis import given, settings
from hypothesis import strategies as st

from feijian.domain.events import make_event, write
from feijian.domain.projection import fold


def _set(author, lamport, value, supersedes=(), key=("finding", "f1", "amount")):
    return make_event(
        case_id="c", author=author, device=author, lamport=lamport, type="finding.updated",
        payload={"writes": [write(*key, value, supersedes)]}, prev_hash="",
    )


def test_a_later_write_that_saw_the_earlier_one_replaces_it():
    a = _set("a", 1, "100.00")
    b = _set("b", 2, "80.00", supersedes=[a.event_id])
    state = fold([b, a])
    assert state.get("finding", "f1", "amount") == "80.00"
    assert state.conflicts() == []
    assert state.heads("finding", "f1", "amount") == (b.event_id,)


def test_concurrent_writes_of_different_values_are_a_conflict_until_resolved():
    base = _set("a", 1, "100.00")
    x = _set("a", 2, "90.00", supersedes=[base.event_id])
    y = _set("b", 2, "70.00", supersedes=[base.event_id])
    state = fold([base, x, y])
    [conflict] = state.conflicts()
    assert {c.value for c in conflict.candidates} == {"90.00", "70.00"}
    resolution = _set("lead", 3, "70.00", supersedes=conflict.heads)
    resolved = fold([base, x, y, resolution])
    assert resolved.conflicts() == [] and resolved.get("finding", "f1", "amount") == "70.00"


def test_concurrent_writes_of_the_same_value_are_no_conflict():
    base = _set("a", 1, "1")
    state = fold([base, _set("a", 2, "2", [base.event_id]), _set("b", 2, "2", [base.event_id])])
    assert state.conflicts() == [] and state.get("finding", "f1", "amount") == "2"


def test_entities_groups_fields_by_id():
    events = [
        _set("a", 1, "t1", key=("finding", "f1", "title")),
        _set("a", 2, "5.00", key=("finding", "f1", "amount")),
        _set("a", 3, "t2", key=("finding", "f2", "title")),
    ]
    assert fold(events).entities("finding") == {"f1": {"title": "t1", "amount": "5.00"}, "f2": {"title": "t2"}}


@st.composite
def histories(draw):
    """Random edit histories by several authors on a few registers, each writer superseding what it saw."""
    events, seen_by = [], {}
    for i in range(draw(st.integers(1, 25))):
        author = draw(st.sampled_from("abc"))
        key = ("finding", draw(st.sampled_from(["f1", "f2"])), draw(st.sampled_from(["amount", "status"])))
        visible = seen_by.setdefault(author, [])
        sup = [e.event_id for e in visible if e.payload["writes"][0]["field"] == key[2] and e.payload["writes"][0]["id"] == key[1]]
        ev = _set(author, i + 1, draw(st.sampled_from(["x", "y", "z"])), supersedes=sup, key=key)
        events.append(ev)
        visible.append(ev)
        if draw(st.booleans()):  # sometimes another author syncs everything so far
            seen_by[draw(st.sampled_from("abc"))] = list(events)
    return events


@settings(max_examples=60, deadline=None)
@given(histories(), st.randoms())
def test_fold_depends_only_on_the_set_of_events(events, rnd):
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert fold(events) == fold(shuffled) == fold(events + shuffled[:3])
