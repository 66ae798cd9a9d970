"""Review of hits into findings: events, register writes, finding membership and amounts, undo."""

from decimal import Decimal

import pytest

from feijian.casework import changes
from feijian.casework.findings import create_finding, delete_finding, findings, link_evidence, update_finding
from feijian.casework.review import hit_reviews, review_counts, review_hits, unreviewed_hits
from feijian.domain.errors import InputError
from feijian.domain.events import FINDING_CREATED, HIT_REVIEWED
from feijian.domain.records import RuleMeta

from memstore import screened_store

CATALOGUE = {
    "R01": RuleMeta("R01", "重复收费", "duplicate charge", "重复收费", "high",
                    "《医疗保障基金使用监督管理条例》第三十八条第（三）项", 38, "line", ("fees",), "核对收费明细"),
    "R02": RuleMeta("R02", "超标准收费", "price above cap", "超标准收费", "medium",
                    "《医疗保障基金使用监督管理条例》第三十八条第（三）项", 38, "line", ("fees",), "核对价格"),
}


def test_review_is_one_event_with_one_write_per_hit_superseding_heads():
    store = screened_store()
    review_hits(store, ["h1", "h2"], "confirmed", "病历核实重复", catalogue=CATALOGUE)
    evs = [e for e in store.events() if e.type == HIT_REVIEWED]
    assert len(evs) == 1
    assert sorted(w["id"] for w in evs[0].writes) == ["h1", "h2"]
    assert all(w["supersedes"] == [] for w in evs[0].writes)
    first = evs[0].event_id
    review_hits(store, ["h1"], "dismissed", "系退费重开", catalogue=CATALOGUE)
    second = [e for e in store.events() if e.type == HIT_REVIEWED][-1]
    assert second.writes[0]["supersedes"] == [first]
    assert hit_reviews(store.state()) == {"h1": ("dismissed", "系退费重开"), "h2": ("confirmed", "病历核实重复")}
    assert store.state().conflicts() == []


def test_reason_required_and_unknown_hits_refused():
    store = screened_store()
    with pytest.raises(InputError):
        review_hits(store, ["h1"], "confirmed", "  ")
    with pytest.raises(InputError):
        review_hits(store, ["h1"], "dismissed", "")
    with pytest.raises(InputError):
        review_hits(store, ["nope"], "confirmed", "x")
    with pytest.raises(InputError):
        review_hits(store, ["h1"], "maybe", "x")
    review_hits(store, ["h1"], "open")  # re-open needs no reason
    assert len(store.events()) == 2  # screening + the re-open write


def test_confirmed_hits_form_one_finding_per_rule_with_lines_counted_once():
    store = screened_store()
    review_hits(store, ["h1", "h2", "h3", "h4"], "confirmed", "核实", catalogue=CATALOGUE)
    by_rule = {f.rule_code: f for f in findings(store)}
    assert set(by_rule) == {"R01", "R02"}
    assert by_rule["R01"].hit_ids == ("h1", "h2")
    assert by_rule["R01"].amount == Decimal("150")
    assert by_rule["R02"].amount == Decimal("50.5")
    assert by_rule["R01"].legal_basis.endswith("第三十八条第（三）项") and by_rule["R01"].article == 38
    assert by_rule["R01"].title == "重复收费"
    # a finding holding both rules' hits on line V1/1 counts that line once, at its largest amount
    f = create_finding(store, title="合并", hit_ids=["h1", "h3"], catalogue=CATALOGUE)
    assert f.amount == Decimal("100")


def test_dismiss_and_reopen_remove_hits_from_their_finding():
    store = screened_store()
    review_hits(store, ["h1", "h2"], "confirmed", "核实", catalogue=CATALOGUE)
    review_hits(store, ["h2"], "dismissed", "有医嘱", catalogue=CATALOGUE)
    (f,) = findings(store)
    assert f.hit_ids == ("h1",) and f.amount == Decimal("100")
    review_hits(store, ["h1"], "open", catalogue=CATALOGUE)
    (f,) = findings(store)
    assert f.hit_ids == () and f.amount == 0
    review_hits(store, ["h2"], "confirmed", "再次核实", catalogue=CATALOGUE)
    (f,) = findings(store)  # joins the rule's existing finding, no second one
    assert f.hit_ids == ("h2",) and f.amount == Decimal("50")


def test_undo_is_a_compensating_event_and_redo_restores():
    store = screened_store()
    review_hits(store, ["h4"], "confirmed", "先确认", catalogue=CATALOGUE)
    n_before = len(store.events())
    change = review_hits(store, ["h1", "h2"], "confirmed", "核实", catalogue=CATALOGUE)
    assert len(findings(store)) == 2
    back = changes.undo(store, change)
    assert len(store.events()) > n_before + 1  # nothing removed, a compensating event added
    assert hit_reviews(store.state())["h1"] == ("open", "")
    assert [f.rule_code for f in findings(store)] == ["R02"]  # the created R01 finding is gone
    changes.undo(store, back)  # redo
    assert hit_reviews(store.state())["h1"] == ("confirmed", "核实")
    assert {f.rule_code: f.amount for f in findings(store)} == {"R01": Decimal("150"), "R02": Decimal("20.5")}


def test_unreviewed_and_counts():
    store = screened_store()
    assert review_counts(store) == {"open": 5, "confirmed": 0, "dismissed": 0, "total": 5}
    review_hits(store, ["h1", "h2", "h3"], "confirmed", "核实", catalogue=CATALOGUE)
    review_hits(store, ["h5"], "dismissed", "统计波动", catalogue=CATALOGUE)
    assert unreviewed_hits(store) == ["h4"]
    assert review_counts(store)["confirmed"] == 3


def test_update_delete_and_evidence_links():
    store = screened_store()
    f = create_finding(store, rule_code="R01", hit_ids=["h1"], catalogue=CATALOGUE, description="首稿")
    assert any(e.type == FINDING_CREATED for e in store.events())
    ch = update_finding(store, f.finding_id, description="修改稿", status="agreed")
    (g,) = findings(store)
    assert (g.description, g.status) == ("修改稿", "agreed")
    changes.undo(store, ch)
    (g,) = findings(store)
    assert (g.description, g.status) == ("首稿", "draft")
    update_finding(store, f.finding_id, hit_ids=["h1", "h2"])
    assert findings(store)[0].amount == Decimal("150")
    update_finding(store, f.finding_id, amount="1234.5")  # an inspector's own amount
    assert findings(store)[0].amount == Decimal("1234.5")
    with pytest.raises(InputError):
        update_finding(store, f.finding_id, colour="red")
    with pytest.raises(InputError):
        update_finding(store, f.finding_id, amount="-1")
    item = store.add_evidence(b"pdf bytes", original_name="病历.pdf")
    link_evidence(store, item.evidence_id, f.finding_id)
    assert findings(store)[0].evidence_ids == (item.evidence_id,)
    with pytest.raises(InputError):
        link_evidence(store, "missing", f.finding_id)
    d = delete_finding(store, f.finding_id)
    assert findings(store) == []
    changes.undo(store, d)
    assert len(findings(store)) == 1
