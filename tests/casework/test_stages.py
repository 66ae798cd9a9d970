"""Stages: every gate, lead override with a reason, deadlines and reminders."""

import datetime as dt

import pandas as pd
import pytest

from feijian.casework.calendar import load_calendar
from feijian.casework.clues import import_clues, record_clue_result
from feijian.casework.findings import create_finding, link_evidence
from feijian.casework.review import review_hits
from feijian.casework.stages import (GateNotMet, advance, change_stage, check_gate, current_stage, reminders,
                                     stage_codes, stage_history, stage_status)
from feijian.domain.events import STAGE_CHANGED
from feijian.domain.records import ImportBatch, Role, ScreeningRun, TeamMember

from memstore import MemoryCaseStore, make_info


def test_stage_order():
    assert stage_codes() == ["initiation", "preparation", "entry", "data", "analysis", "evidence", "feedback",
                             "report", "handover", "followup"]


def test_every_gate_in_turn():
    store = MemoryCaseStore(make_info(team=(TeamMember("张三", "A001"),)))
    assert current_stage(store).name_zh == "立项"
    advance(store)  # preparation: the case information is complete
    with pytest.raises(GateNotMet, match="2"):
        advance(store)  # entry: one inspector only
    store.info = make_info()
    advance(store)
    with pytest.raises(GateNotMet):
        advance(store)  # data: nothing imported
    store.record_import_batch(ImportBatch("b1", "2026-03-01T00:00:00Z", "张三"))
    advance(store)
    with pytest.raises(GateNotMet):
        advance(store)  # analysis: no screening
    hits = pd.DataFrame({"hit_id": ["h1", "h2"], "rule_code": ["R01", "R01"], "mdtrt_id": ["V1", "V1"], "amount": ["10", "5"]})
    lines = pd.DataFrame({"hit_id": ["h1", "h2"], "mdtrt_id": ["V1", "V1"], "feedetl_sn": ["1", "2"], "amount": ["10", "5"]})
    store.save_screening(ScreeningRun("r1", "1", "k", (), "", "", ("R01",)), hits, lines)
    advance(store)
    with pytest.raises(GateNotMet):
        advance(store)  # evidence: no findings
    review_hits(store, ["h1"], "confirmed", "核实", catalogue={})
    advance(store)
    with pytest.raises(GateNotMet, match="证据"):
        advance(store)  # feedback: a finding without evidence
    (finding_id,) = [f for f in store.state().entities("finding")]
    item = store.add_evidence(b"x", original_name="病历.pdf")
    link_evidence(store, item.evidence_id, finding_id)
    advance(store)
    problems = check_gate(store, "report")
    assert len(problems) == 1 and "1 条疑点未核查" in problems[0]  # h2 still open
    import_clues(store, "线索编号,线索描述\nX1,重复收费\n".encode("utf-8"), file_name="clues.csv")
    assert len(check_gate(store, "report")) == 2  # and a clue without a result
    review_hits(store, ["h2"], "dismissed", "退费", catalogue={})
    record_clue_result(store, "X1", "属实", "10", "已核实")
    assert check_gate(store, "report") == []
    advance(store)
    with pytest.raises(GateNotMet):
        advance(store)  # handover: the report document is not issued
    store.record_document("report", "飞检〔2026〕1号", b"%PDF")
    advance(store)
    advance(store)
    assert current_stage(store).code == "followup"
    with pytest.raises(Exception):
        advance(store)
    assert [h["to"] for h in stage_history(store)][-1] == "followup"


def test_only_the_lead_may_override_and_the_override_is_recorded():
    store = MemoryCaseStore(make_info())
    change_stage(store, "entry")
    with pytest.raises(GateNotMet):
        change_stage(store, "analysis", override_reason="数据由经办机构直接提供", role=Role.INSPECTOR)
    with pytest.raises(GateNotMet):
        change_stage(store, "analysis", role=Role.LEAD)  # no reason
    change_stage(store, "analysis", override_reason="数据由经办机构直接提供", role=Role.LEAD)
    ev = [e for e in store.events() if e.type == STAGE_CHANGED][-1]
    assert set(ev.payload["failed_gates"]) == {"data", "analysis"}
    assert ev.writes[0]["value"] == {"stage": "analysis", "override_reason": "数据由经办机构直接提供"}
    assert stage_status(store).override_reason == "数据由经办机构直接提供"
    change_stage(store, "entry")  # back: no gate
    assert current_stage(store).code == "entry"


def test_preparation_gate_and_conflicts_block_the_report():
    from feijian.casework import changes
    from feijian.domain.events import FINDING_UPDATED, write

    store = MemoryCaseStore(make_info(medins_code=""))
    assert check_gate(store, "preparation") and "机构编码" in check_gate(store, "preparation")[0]
    store.info = make_info()
    first = change_stage(store, "preparation")
    changes.undo(store, first)  # undo goes back to the initial stage
    assert current_stage(store).code == "initiation"
    f = create_finding(store, title="问题", catalogue={})
    heads = store.state().heads("finding", f.finding_id, "amount")
    for amount in ("10", "20"):  # two inspectors changed the amount without seeing each other's change
        store.append_event(FINDING_UPDATED, {"writes": [write("finding", f.finding_id, "amount", amount, heads)]})
    item = store.add_evidence(b"x")
    link_evidence(store, item.evidence_id, f.finding_id)
    problems = check_gate(store, "report")
    assert len(problems) == 1 and "冲突" in problems[0]


def test_deadline_and_reminders():
    store = MemoryCaseStore(make_info())
    hits = pd.DataFrame({"hit_id": ["h1"], "rule_code": ["R01"], "mdtrt_id": ["V1"], "amount": ["10"]})
    store.save_screening(ScreeningRun("r1", "1", "k", (), "", "", ("R01",)), hits, hits.assign(feedetl_sn="1"))
    change_stage(store, "feedback", override_reason="测试", role=Role.LEAD)
    status = stage_status(store)
    cal = load_calendar()
    assert status.deadline == cal.add_working_days(status.entered_on, 5)
    soon = reminders(store, today=status.entered_on, calendar=cal)
    assert soon[0].level == "info" and soon[0].due == status.deadline
    late = reminders(store, today=status.deadline + dt.timedelta(days=10), calendar=cal)
    assert late[0].level == "overdue" and "逾期" in late[0].message
    assert any(r.level == "todo" and "疑点未核查" in r.message for r in late)  # the report gate's work
