"""The discretion conditions come from the case: set case-wide, set per finding, and from the self-inspection."""

import pytest

from feijian.casework import discretion_conditions as dc
from feijian.casework import self_inspection as si
from feijian.casework.findings import create_finding
from feijian.crypto.identity import create_identity
from feijian.domain.errors import InputError
from feijian.reports.context import build_context
from feijian.reports.discretion_section import suggestions

from test_self_inspection import _store


def test_sources_merge_and_report_context_picks_them_up():
    own = _store()
    si.start(own)
    si.mark_corrected(own, "a", "100")
    pkg = si.export_package(own, create_identity("x", "1"))

    insp = _store()
    declared = create_finding(insp, title="已申报", hit_ids=["a"], article=38)
    hidden = create_finding(insp, title="未申报", hit_ids=["b", "c"], article=38)
    with pytest.raises(InputError, match="by hand"):
        dc.set_conditions(insp, ["self_declared"])
    with pytest.raises(InputError, match="unknown condition"):
        dc.set_conditions(insp, ["lucky"])
    with pytest.raises(InputError, match="no finding"):
        dc.set_conditions(insp, ["repeated"], finding_id="nope")
    assert dc.finding_conditions(insp) == {declared.finding_id: [], hidden.finding_id: []}

    dc.set_conditions(insp, ["refused_cooperation"])
    dc.set_conditions(insp, ["repeated", "refused_cooperation"], finding_id=hidden.finding_id)
    si.import_package(insp, pkg)
    got = dc.conditions_by_finding(insp)
    assert got[declared.finding_id] == [dc.Condition("refused_cooperation", "case"),
                                        dc.Condition("self_declared", "self_inspection")]
    assert got[hidden.finding_id] == [dc.Condition("refused_cooperation", "case"), dc.Condition("repeated", "finding"),
                                      dc.Condition("not_declared", "self_inspection")]

    ctx = build_context(insp, doc="report", with_line_details=False)
    assert ctx.self_status == {"a": "declared", "b": "not_declared", "c": "not_declared", "d": "not_declared"}
    grades = {f.finding_id: s.grade for _, f, s in suggestions(ctx)}
    # 100 yuan is in the lowest band (从轻); the declaration cannot go lower, the refusal raises one step
    assert grades[declared.finding_id] == "一般"
    assert grades[hidden.finding_id] == "从重"
    dc.set_conditions(insp, [])  # clearing the case-wide condition
    assert dc.case_conditions(insp) == []
    ctx = build_context(insp, doc="report", with_line_details=False)
    assert {f.finding_id: s.grade for _, f, s in suggestions(ctx)}[declared.finding_id] == "从轻"
