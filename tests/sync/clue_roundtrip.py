"""The clue round trip of issue 15 on any archive (PostgreSQL or SQLite): the models' run becomes signed
clue lists, one institution's team imports its list into a new encrypted case, answers clues, and its
package comes back through intake; the archive then holds exactly those answers, per model."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from feijian.casework.clues import clues, record_clue_result
from feijian.casework.signed_clues import import_signed_clues
from feijian.domain.errors import InputError
from feijian.domain.records import CaseInfo
from feijian.store.case_store import CaseStore
from feijian.sync.archive import Archive
from feijian.sync.bureau_models import run_models
from feijian.sync.clue_lists import feedback_rows, feedback_summary, write_clue_lists
from feijian.sync.intake import intake
from feijian.sync.package import export_package


def round_trip(target, world, tmp_path, *, bureau_keys_for_open=None):
    """Returns what the checks need; asserts the steps on the way."""
    with Archive.open(target, bureau_keys=bureau_keys_for_open) as a:
        run = run_models(a)
        sent = write_clue_lists(a, tmp_path / "lists", world.bureau)
    per_inst = Counter(h.medins_code for h in run.hits)
    assert {s.medins_code: s.clues for s in sent} == dict(per_inst)
    # the institution with the most clues; its team makes a new case and imports the list
    lst = max(sent, key=lambda s: (s.clues, s.medins_code))
    team = world.inspectors[1]
    info = CaseInfo(case_id=f"TEAM-{lst.medins_code}", name="线索核查", medins_code=lst.medins_code,
                    medins_name="示范医院", medins_lv="3")
    case_path = tmp_path / "team.fjcase"
    with CaseStore.create(case_path, info, team, escrow_public=world.bureau.public().escrow_public) as store:
        # another institution's list is refused, as is this one altered
        other = next(s for s in sent if s.medins_code != lst.medins_code)
        with pytest.raises(InputError, match="is for institution"):
            import_signed_clues(store, other.path, world.trust)
        tampered = tmp_path / "lists" / "tampered.clues.csv"
        tampered.write_bytes(lst.path.read_bytes().replace(b"\r\n", b"\n"))
        tampered.with_name(tampered.name + ".minisig").write_bytes(lst.signature_path.read_bytes())
        with pytest.raises(InputError, match="altered"):
            import_signed_clues(store, tampered, world.trust)
        cl, sig = import_signed_clues(store, lst.path, world.trust)
        assert sig.run_id == run.run_id and len(cl.rows) == lst.clues
        items = clues(store)
        assert {c.clue_id for c in items} == {h.clue_id for h in run.hits if h.medins_code == lst.medins_code}
        answers = {}
        for k, c in enumerate(items):
            if k % 3 == 0:
                answers[c.clue_id] = ("confirmed", c.suspected_amount)
            elif k % 3 == 1:
                answers[c.clue_id] = ("unfounded", Decimal("0"))
        first = dict(list(answers.items())[: max(1, len(answers) // 2)])
        for cid, (res, amount) in first.items():
            record_clue_result(store, cid, res, amount, "逐条核查：病历、医嘱与费用明细比对")
        pkg1 = export_package(store, team, to="bureau", out=tmp_path / "team-1.fjpkg",
                              bureau_intake_public=world.intake_public)
    receipt = intake([pkg1.path], target, bureau_keys=world.bureau, trust=world.trust)[0]
    assert receipt.verify(world.bureau.public().signing_public)["bureau_clues"] == lst.clues
    with Archive.open(target, bureau_keys=bureau_keys_for_open) as a:
        rows1 = feedback_rows(a)
    assert {r["clue_id"]: r["result"] for r in rows1 if r["result"]} == {k: v[0] for k, v in first.items()}
    # the team answers the rest; the next package replaces the case's answers
    with CaseStore.open(case_path, team) as store:
        for cid, (res, amount) in answers.items():
            if cid not in first:
                record_clue_result(store, cid, res, amount, "逐条核查：现场询问与病历核对")
        pkg2 = export_package(store, team, to="bureau", out=tmp_path / "team-2.fjpkg",
                              bureau_intake_public=world.intake_public)
    intake([pkg2.path], target, bureau_keys=world.bureau, trust=world.trust)
    with Archive.open(target, bureau_keys=bureau_keys_for_open) as a:
        rows2 = feedback_rows(a)
        summary = {f.model: f for f in feedback_summary(a)}
    return run, lst, answers, rows2, summary


def check_feedback(run, lst, answers, rows, summary):
    assert lst.clues >= 3 and {v[0] for v in answers.values()} == {"confirmed", "unfounded"}
    assert {r["clue_id"]: r["result"] for r in rows if r["result"]} == {k: v[0] for k, v in answers.items()}
    assert len(rows) == lst.clues and {r["case_id"] for r in rows} == {f"TEAM-{lst.medins_code}"}
    model_of = {h.clue_id: h.model for h in run.hits}
    for m in {h.model for h in run.hits}:
        f = summary[m]
        mine = [cid for cid in model_of if model_of[cid] == m and cid in {r["clue_id"] for r in rows}]
        assert f.sent == sum(1 for h in run.hits if h.model == m)
        assert f.received == len(mine)
        assert f.answered == sum(1 for cid in mine if cid in answers)
        assert f.by_result["confirmed"] == sum(1 for cid in mine if answers.get(cid, ("",))[0] == "confirmed")
        assert f.by_result["unfounded"] == sum(1 for cid in mine if answers.get(cid, ("",))[0] == "unfounded")
        want_amount = sum((answers[cid][1] for cid in mine if cid in answers), Decimal("0"))
        assert f.verified_amount == want_amount.quantize(Decimal("0.01"))
        if f.answered:
            assert f.precision == f.by_result["confirmed"] / f.answered
