"""双随机 draw: recusal always holds, the draw is a pure function of its inputs and seed, verification fails
on any change."""

import hashlib
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feijian.casework import draw as dr
from feijian.crypto.canonical import canonical_json
from feijian.domain.errors import InputError

SEED = "ab" * 32
INST_CSV = ("code,name,type,level,region,risk\n" + "".join(
    f"H{i:03d},医院{i},{'综合' if i % 3 else '专科'},{'三级' if i % 2 else '二级'},R{i % 4},{(i * 7) % 10 / 10}\n"
    for i in range(40))).encode("utf-8")
POOL_CSV = ("identity,unit,region,conflicts\n" + "".join(
    f"P{j:02d},U{j % 5},R{j % 4},{'H001;H002' if j == 3 else ''}\n" for j in range(30))).encode("utf-8")


def test_recompute_matches_and_golden_hash():
    params = dr.DrawParams(6, 2, ("type",), True)
    a = dr.run_draw(INST_CSV, "i.csv", POOL_CSV, "p.csv", params, SEED)
    b = dr.run_draw(INST_CSV, "i.csv", POOL_CSV, "p.csv", params, SEED)
    assert canonical_json(a.to_dict()) == canonical_json(b.to_dict())
    assert len(a.result) == 6 and len({r.institution.code for r in a.result}) == 6
    assert sum(v["drawn"] for v in a.strata.values()) == 6
    # the algorithm's output is pinned: a change to it must come with a new ALGORITHM_VERSION
    digest = hashlib.sha256(canonical_json([r.to_dict() for r in a.result])).hexdigest()
    assert digest == GOLDEN, digest
    assert dr.verify_record(a.to_dict(), INST_CSV, POOL_CSV).ok


GOLDEN = "874bc52f95533847e2ea9325f62f94a541234bc7415f7d87c2ffcea24864f8ea"


def test_changed_input_or_seed_fails():
    params = dr.DrawParams(5, 2)
    rec = dr.run_draw(INST_CSV, "i.csv", POOL_CSV, "p.csv", params, SEED).to_dict()
    changed = INST_CSV.replace(b"H005,", b"H905,")
    v = dr.verify_record(rec, changed, POOL_CSV)
    assert not v.ok and any("institutions" in x for x in v.problems)
    v = dr.verify_record(rec, INST_CSV, POOL_CSV + b"P99,U1,R1,\n")
    assert not v.ok
    other = dict(rec, seed="cd" * 32)
    v = dr.verify_record(other, INST_CSV, POOL_CSV)
    assert not v.ok and any("承诺" in x for x in v.problems)
    # a seed matching a forged commitment still gives a different result than the record claims
    forged = dict(rec, seed="cd" * 32, commitment=dr.commitment_of("cd" * 32))
    assert not dr.verify_record(forged, INST_CSV, POOL_CSV).ok
    edited = json.loads(json.dumps(rec))
    edited["result"][0]["team"][0] = "P29"
    assert not dr.verify_record(edited, INST_CSV, POOL_CSV).ok


def test_commitment_checked_before_the_draw():
    with pytest.raises(InputError, match="承诺"):
        dr.run_draw(INST_CSV, "i.csv", POOL_CSV, "p.csv", dr.DrawParams(2), SEED, commitment="00" * 32)


def test_risk_weighting_favours_risky_institutions():
    insts = [dr.Institution(f"H{i}", f"h{i}", region="A", risk=Decimal("9") if i < 5 else Decimal("0"))
             for i in range(50)]
    pool = [dr.Inspector(f"P{j}", "U", "B") for j in range(20)]
    risky = plain = 0
    for k in range(40):
        seed = hashlib.sha256(str(k).encode()).hexdigest()
        risky += sum(r.institution.risk > 0 for r in dr.draw(insts, pool, dr.DrawParams(5, 1, (), True), seed)[0])
        plain += sum(r.institution.risk > 0 for r in dr.draw(insts, pool, dr.DrawParams(5, 1, (), False), seed)[0])
    assert risky > 3 * plain  # weight 901 vs 1: nearly all draws take the five risky ones


def test_stratified_allocation():
    assert dr.allocate({"a": 10, "b": 30}, 4) == {"a": 1, "b": 3}
    assert sum(dr.allocate({"a": 1, "b": 1, "c": 1}, 2).values()) == 2


def test_bad_inputs_are_clear():
    with pytest.raises(InputError, match="region"):
        dr.parse_institutions(b"code,name\nH1,x\n")
    with pytest.raises(InputError, match="duplicate"):
        dr.parse_institutions(b"code,name,region\nH1,x,A\nH1,y,B\n")
    with pytest.raises(InputError, match="risk"):
        dr.parse_institutions(b"code,name,region,risk\nH1,x,A,high\n")
    with pytest.raises(InputError, match="not enough"):
        dr.draw(dr.parse_institutions(b"code,name,region\nH1,x,A\n"),
                [dr.Inspector("P1", "U", "A"), dr.Inspector("P2", "U", "B")], dr.DrawParams(1, 2), SEED)
    with pytest.raises(InputError):
        dr.draw([dr.Institution("H1", "x", region="A")], [dr.Inspector("P", "U", "B")], dr.DrawParams(2, 1), SEED)


def test_chinese_headers_and_xlsx_alias():
    insts = dr.parse_institutions("机构编码,机构名称,地区,风险评分\nH1,甲医院,东区,0.5\n".encode("gb18030"))
    assert insts[0].region == "东区" and insts[0].risk == Decimal("0.5")
    pool = dr.parse_inspectors("姓名,单位,地区,回避\n张三,市局,西区,H1；H2\n".encode("utf-8"))
    assert pool[0].conflicts == ("H1", "H2")


regions = st.sampled_from(["A", "B", "C", "D"])
units = st.sampled_from(["U1", "U2", "U3", "医院0", "医院1"])


@settings(max_examples=150, deadline=None)
@given(
    inst=st.lists(st.tuples(regions, st.integers(0, 9)), min_size=1, max_size=12),
    pool=st.lists(st.tuples(units, regions, st.lists(st.integers(0, 11), max_size=3)), min_size=1, max_size=25),
    n=st.integers(1, 6), team=st.integers(1, 3), weighted=st.booleans(),
    seed=st.binary(min_size=32, max_size=32),
)
def test_recusal_always_holds(inst, pool, n, team, weighted, seed):
    insts = [dr.Institution(f"H{i}", f"医院{i}", region=r, risk=Decimal(k)) for i, (r, k) in enumerate(inst)]
    inspectors = [dr.Inspector(f"P{j}", u, r, tuple(f"H{c}" for c in cs)) for j, (u, r, cs) in enumerate(pool)]
    params = dr.DrawParams(min(n, len(insts)), team, ("region",) if weighted else (), weighted)
    try:
        result, _ = dr.draw(insts, inspectors, params, seed.hex())
    except InputError as e:
        assert "not enough" in str(e)
        return
    by_id = {p.identity: p for p in inspectors}
    seen = set()
    for r in result:
        assert len(r.team) == team
        for who in r.team:
            p = by_id[who]
            assert p.unit != r.institution.name
            assert p.region != r.institution.region
            assert r.institution.code not in p.conflicts
            assert who not in seen
            seen.add(who)
