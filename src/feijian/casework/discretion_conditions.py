"""The discretion conditions (裁量情节) a case carries, so the report's suggestion follows from the case itself.

Three sources, merged per finding in this order: conditions set for the whole case (``repeated``,
``refused_cooperation`` …, register ``discretion_conditions/case``), conditions set on one finding
(``discretion_conditions/<finding_id>``), and the self-inspection comparison — ``self_declared`` when every
hit behind the finding was declared in an imported 自查自纠 package, ``not_declared`` when any was not
(``casework/self_inspection.py``). ``self_declared`` and ``not_declared`` come only from the packages and
cannot be set by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from feijian.casework import self_inspection as si
from feijian.casework.changes import Change, commit
from feijian.casework.discretion import national
from feijian.casework.findings import findings as case_findings
from feijian.domain.errors import InputError

CONDITIONS_SET = "discretion.conditions_set"
ENTITY = "discretion_conditions"
CASE_KEY = "case"
FROM_PACKAGES = ("self_declared", "not_declared")
SOURCE_ZH = {"case": "全案", "finding": "本问题", "self_inspection": "自查自纠比对"}


@dataclass(frozen=True)
class Condition:
    code: str
    source: str  # case / finding / self_inspection


def _check(conditions: Iterable[str]) -> list[str]:
    known = national()["conditions"]
    out = []
    for c in conditions:
        c = str(c).strip()
        if not c:
            continue
        if c not in known:
            raise InputError(f"未知情节 / unknown condition: {c} (known: {', '.join(known)})")
        if c in FROM_PACKAGES:
            raise InputError(f"情节 {c} 由导入的自查包决定，不能手工设置 / {c} follows from the imported "
                             "self-inspection packages and cannot be set by hand")
        out.append(c)
    return list(dict.fromkeys(out))


def set_conditions(store, conditions: Iterable[str], *, finding_id: str = "") -> Change:
    """Set the case's (or one finding's) conditions, replacing what was set before; an empty list clears."""
    conds = _check(conditions)
    key = CASE_KEY
    if finding_id:
        if finding_id not in {f.finding_id for f in case_findings(store)}:
            raise InputError(f"没有此问题 / no finding {finding_id}")
        key = finding_id
    where = "全案" if key == CASE_KEY else f"问题 {finding_id}"
    return commit(store, CONDITIONS_SET, {(ENTITY, key, "value"): {"conditions": conds}},
                  description=f"裁量情节 / conditions of {where}: {', '.join(conds) or '（无）'}")


def _stored(state, key: str) -> list[str]:
    v = state.get(ENTITY, key, "value")
    return [str(c) for c in v.get("conditions", ())] if isinstance(v, dict) else []


def case_conditions(store) -> list[str]:
    return _stored(store.state(), CASE_KEY)


def conditions_by_finding(store, findings=None) -> dict[str, list[Condition]]:
    """finding_id -> its conditions with where each comes from, for every (not deleted) finding."""
    fs = [f for f in (findings if findings is not None else case_findings(store)) if not getattr(f, "deleted", False)]
    state = store.state()
    case_wide = _stored(state, CASE_KEY)
    statuses = si.finding_statuses(store, fs)
    out = {}
    for f in fs:
        conds = [Condition(c, "case") for c in case_wide]
        conds += [Condition(c, "finding") for c in _stored(state, f.finding_id) if c not in case_wide]
        st = statuses.get(f.finding_id)
        if st is not None:
            conds.append(Condition("self_declared" if st == si.DECLARED else "not_declared", "self_inspection"))
        out[f.finding_id] = conds
    return out


def finding_conditions(store, findings=None) -> dict[str, list[str]]:
    """finding_id -> condition codes (what the report's discretion section takes)."""
    return {fid: [c.code for c in cs] for fid, cs in conditions_by_finding(store, findings).items()}
