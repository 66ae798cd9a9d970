"""The background's statistics are well-behaved on purpose: month means stable, doctors alike, so the
statistical models have a clear signal at the planted points (computed here from the written files)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import Decimal

import pytest

import demodata_oracle as oracle


@pytest.fixture(scope="module")
def data(demo):
    out, manifest = demo
    return oracle.Data(out, manifest.files), manifest


def _costs(d):
    cost = defaultdict(Decimal)
    for l in d.lines:
        cost[l["m"]] += l["amt"]
    return cost


def test_s01_only_the_planted_department_month_jumps(data):
    d, manifest = data
    cost = _costs(d)
    month = defaultdict(list)
    for m, v in d.visits.items():
        if d.inpatient(m):
            month[(v["dept"], v["begn"].month)].append(cost[m])
    mean = {k: sum(v) / len(v) for k, v in month.items()}
    jumps = set()
    for (dept, mo), value in mean.items():
        prev = [mean.get((dept, mo - k)) for k in (1, 2, 3)]
        if mo > 3 and all(p is not None for p in prev) and value > Decimal("1.3") * sum(prev) / 3:
            jumps.add((dept, f"2024-{mo:02d}"))
    planted = {(h["subject"]["dept_codg"], h["subject"]["month"]) for h in manifest.statistical
               if h["rule_code"] == "S01"}
    assert len(planted) >= 2 and jumps == planted


def test_s03_s04_planted_doctors_stand_out_and_nobody_else(data):
    d, manifest = data
    cost = _costs(d)
    per_doc = defaultdict(list)
    dept_of = {}
    for m, v in d.visits.items():
        if d.inpatient(m):
            per_doc[v["dr"]].append(float(cost[m]))
            dept_of[v["dr"]] = v["dept"]
    means = {dr: statistics.fmean(c) for dr, c in per_doc.items()}
    flagged = set()
    for dept in set(dept_of.values()):
        docs = [dr for dr in means if dept_of[dr] == dept]
        if len(docs) < 5:
            continue
        mu, sd = statistics.fmean(means[x] for x in docs), statistics.pstdev(means[x] for x in docs)
        flagged |= {x for x in docs if sd and (means[x] - mu) / sd > 3}
    planted = {h["subject"]["dr_codg"] for h in manifest.statistical if h["rule_code"] == "S03"}
    assert len(planted) >= 2 and flagged == planted

    ops = defaultdict(int)
    for r in d.t["operations"]:
        ops[r["oper_dr_codg"]] += 1
    s04s = [h for h in manifest.statistical if h["rule_code"] == "S04"]
    assert len(s04s) >= 2
    for s04 in s04s:
        units = defaultdict(Decimal)
        for l in d.lines:
            if l["code"] == s04["subject"]["med_list_codg"]:
                units[d.visits[l["m"]]["dr"]] += l["cnt"]
        # peers: every operating doctor (those who never use the material count with 0 per operation)
        rate = {dr: float(units[dr]) / n for dr, n in ops.items()}
        peers = [r for dr, r in rate.items() if dr != s04["subject"]["dr_codg"]]
        assert rate[s04["subject"]["dr_codg"]] > statistics.fmean(peers) + 3 * statistics.pstdev(peers)


@pytest.mark.parametrize("k", [0, 1])
def test_s02_planted_stay_has_the_most_uneven_daily_costs_of_its_department(data, k):
    d, manifest = data
    s02 = [h for h in manifest.statistical if h["rule_code"] == "S02"][k]
    dept = d.visits[s02["mdtrt_id"]]["dept"]
    daily = defaultdict(lambda: defaultdict(Decimal))
    for l in d.lines:
        if d.visits[l["m"]]["dept"] == dept and d.inpatient(l["m"]):
            daily[l["m"]][l["time"].date()] += l["amt"]
    cv = {m: statistics.pstdev(map(float, days.values())) / statistics.fmean(map(float, days.values()))
          for m, days in daily.items()}
    top = max(cv, key=cv.get)
    assert top == s02["mdtrt_id"]
    others = sorted(v for m, v in cv.items() if m != top)
    assert cv[top] > 2 * others[-1]


def test_the_clean_background_has_negated_mentions_of_every_kind(data):
    """Negated phrases stand in clean documents of every kind the rules read (reports, nursing records,
    treatment and operation notes), each beside a mention that is not negated, so the engine's negation
    path runs at every scale; the oracle test shows that none of them makes a hit."""
    d, manifest = data
    terms = {r["med_list_codg"]: oracle._list(r["terms"]) for r in d.t["kb_item_terms"]}
    absence = oracle._list(oracle.ABSENCE)
    planted = {h["mdtrt_id"] for h in manifest.hits + manifest.near_misses}
    negated = defaultdict(int)
    for r in d.t["emr_docs"]:
        if r["mdtrt_id"] in planted:
            continue
        kind = oracle.DOC_TYPES.get(r["doc_type"], r["doc_type"])
        for clause in oracle._clauses(r["text"]):
            for words in (*terms.values(), absence):
                if any(oracle._negated(clause, s) for s, _ in oracle._places(clause, words)):
                    negated[kind] += 1
    assert all(negated[k] >= 5 for k in ("exam_report", "lab_report", "nursing", "treatment", "operation")), negated
    assert sum(negated.values()) > len(d.t["emr_docs"]) // 200, (dict(negated), len(d.t["emr_docs"]))
