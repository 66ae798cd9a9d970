"""Review, findings, stages and sampling on the real encrypted CaseStore (not only the in-memory test store)."""

from decimal import Decimal

import pandas as pd

from feijian.casework import changes
from feijian.casework.findings import findings, link_evidence
from feijian.casework.review import hit_reviews, review_hits
from feijian.casework.stages import change_stage, current_stage
from feijian.crypto.identity import create_identity
from feijian.domain.records import Role, ScreeningRun
from feijian.store.case_store import CaseStore

from memstore import make_info


def test_review_findings_undo_and_stage_on_case_store(tmp_path):
    identity = create_identity("王五", "A009", Role.LEAD)
    with CaseStore.create(tmp_path / "c.fjcase", make_info(), identity) as store:
        hits = pd.DataFrame({"hit_id": ["h1", "h2"], "rule_code": ["R01", "R01"], "mdtrt_id": ["V1", "V1"],
                             "amount": [Decimal("100"), Decimal("50")]})
        lines = pd.DataFrame({"hit_id": ["h1", "h2"], "mdtrt_id": ["V1", "V1"], "feedetl_sn": ["1", "2"],
                              "amount": [Decimal("100"), Decimal("50")]})
        store.save_screening(ScreeningRun("r1", "1", "k", (), "", "", ("R01",)), hits, lines)
        change = review_hits(store, ["h1", "h2"], "confirmed", "病历核实")
        (f,) = findings(store)
        assert f.amount == Decimal("150") and f.article == 38 and "第三十八条" in f.legal_basis  # from the catalogue
        changes.undo(store, change)
        assert findings(store) == [] and hit_reviews(store.state())["h1"][0] == "open"
        review_hits(store, ["h1"], "confirmed", "病历核实")
        (f,) = findings(store)
        item = store.add_evidence(__import__("io").BytesIO(b"scan"), original_name="医嘱单.jpg")
        link_evidence(store, item.evidence_id, f.finding_id)
        assert findings(store)[0].evidence_ids == (item.evidence_id,)
        change_stage(store, "analysis", override_reason="演练", role=Role.LEAD)
        assert current_stage(store).code == "analysis"
        assert store.verify().ok
    with CaseStore.open(tmp_path / "c.fjcase", identity) as again:  # the state survives reopening
        assert current_stage(again).code == "analysis" and len(findings(again)) == 1
