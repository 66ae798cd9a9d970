"""The stages of a case (立项 … 跟踪) with the gate each needs, deadlines in working days, and reminders.

The current stage is the ``(case, case_id, stage)`` register, ``{"stage": code, "override_reason": str}``
(docs/interfaces.md), written by a ``stage.changed`` event. Moving forward checks the gate of every stage
entered; when a gate fails only the team lead may go on, with a reason, and the failed gates are recorded
in the event. Moving back needs no gate. Stage names, gates in words and deadlines are data
(``resources/casework/stages.toml``); the checks are the functions in ``GATES``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from feijian.casework.calendar import HolidayCalendar, load_calendar
from feijian.casework.changes import Change, PendingWrites, commit
from feijian.domain.errors import FeijianError, InputError
from feijian.domain.events import STAGE_CHANGED
from feijian.domain.records import Role
from feijian.paths import resource

LOCAL_TZ = dt.timezone(dt.timedelta(hours=8))  # China Standard Time: deadlines are counted in local days


class GateNotMet(FeijianError):
    """A stage's gate does not hold and no lead override was given."""

    exit_code = 3


@dataclass(frozen=True)
class Stage:
    code: str
    name_zh: str
    name_en: str
    gate: str
    deadline_working_days: int = 0
    deadline_zh: str = ""

    @property
    def label(self) -> str:
        return f"{self.name_zh} / {self.name_en}"


@lru_cache(maxsize=1)
def load_stages() -> tuple[Stage, ...]:
    data = tomllib.loads(resource("casework", "stages.toml").read_text(encoding="utf-8"))
    return tuple(Stage(**s) for s in data["stage"])


def stage_codes() -> list[str]:
    return [s.code for s in load_stages()]


def get_stage(code: str) -> Stage:
    for s in load_stages():
        if s.code == code or s.name_zh == code:
            return s
    raise InputError(f"没有这个阶段 / no such stage: {code!r} ({', '.join(stage_codes())})")


# --------------------------------------------------------------------------- gates
def _gate_preparation(store) -> list[str]:
    info = store.info
    missing = [label for label, value in (("案件名称 / name", info.name), ("机构编码 / institution code", info.medins_code),
                                          ("机构名称 / institution name", info.medins_name)) if not value]
    return [f"案件信息缺少 {', '.join(missing)} / case information incomplete"] if missing else []


def _gate_entry(store) -> list[str]:
    if len(store.info.team) < 2:
        return [f"检查组只有 {len(store.info.team)} 人，至少需 2 人（条例第二十九条） / the team needs at least two inspectors"]
    return []


def _gate_data(store) -> list[str]:
    return [] if store.import_batches() else ["尚未导入数据 / nothing imported yet"]


def _gate_analysis(store) -> list[str]:
    return [] if store.latest_run() is not None else ["尚未运行规则筛查 / no screening run yet"]


def _findings(store):
    from feijian.casework.findings import findings

    return findings(store)


def _gate_evidence(store) -> list[str]:
    return [] if _findings(store) else ["尚未形成问题 / no findings yet"]


def _without_evidence(store) -> list[str]:
    bad = [f.title or f.finding_id for f in _findings(store) if not f.evidence_ids]
    if not bad:
        return []
    shown = "、".join(bad[:3]) + (" 等" if len(bad) > 3 else "")
    return [f"{len(bad)} 个问题没有证据：{shown} / {len(bad)} findings have no evidence"]


def _gate_feedback(store) -> list[str]:
    return _gate_evidence(store) + _without_evidence(store)


def _gate_report(store) -> list[str]:
    from feijian.casework.clues import clue_progress
    from feijian.casework.review import unreviewed_hits

    problems = []
    open_hits = unreviewed_hits(store)
    if open_hits:
        problems.append(f"还有 {len(open_hits)} 条疑点未核查 / {len(open_hits)} hits are not reviewed")
    problems += _without_evidence(store)
    progress = clue_progress(store)
    if progress.total and progress.cleared < progress.total:
        problems.append(f"还有 {progress.total - progress.cleared} 条线索未反馈 / {progress.total - progress.cleared} clues have no result")
    state = store.state()
    conflicts = [r for r in state.conflicts() if r.key[0] in ("hit", "finding", "evidence", "clue")]
    if conflicts:
        problems.append(f"还有 {len(conflicts)} 处修改冲突待组长裁决 / {len(conflicts)} conflicting edits to resolve")
    return problems


def _gate_handover(store) -> list[str]:
    docs = getattr(store, "documents", None)
    issued = docs() if docs is not None else []
    names = {(d.get("doc") if isinstance(d, dict) else getattr(d, "doc", "")) for d in issued}
    return [] if "report" in names else ["尚未出具检查报告 / the inspection report has not been issued"]


GATES: dict[str, Callable] = {
    "initiation": lambda store: [],
    "preparation": _gate_preparation,
    "entry": _gate_entry,
    "data": _gate_data,
    "analysis": _gate_analysis,
    "evidence": _gate_evidence,
    "feedback": _gate_feedback,
    "report": _gate_report,
    "handover": _gate_handover,
    "followup": lambda store: [],
}


def check_gate(store, code: str) -> list[str]:
    """What stops the case entering stage ``code`` (empty: the gate holds)."""
    return list(GATES[get_stage(code).code](store))


# --------------------------------------------------------------------------- current stage
@dataclass(frozen=True)
class StageStatus:
    stage: Stage
    entered_on: Optional[dt.date]  # local date; None for the initial stage never written
    override_reason: str
    deadline: Optional[dt.date]
    next_stage: Optional[Stage]
    next_gate: tuple[str, ...]  # what stops the next stage


def _register(store):
    state = store.state()
    return state.registers.get(("case", store.info.case_id, "stage"))


def current_stage(store) -> Stage:
    reg = _register(store)
    code = (reg.value or {}).get("stage") if reg is not None else None
    return get_stage(code or "initiation")


def _local_date(utc_iso: str) -> dt.date:
    return dt.datetime.fromisoformat(utc_iso.replace("Z", "+00:00")).astimezone(LOCAL_TZ).date()


def stage_status(store, *, calendar: HolidayCalendar | None = None) -> StageStatus:
    reg = _register(store)
    stage = current_stage(store)
    entered = _local_date(reg.candidates[-1].time) if reg is not None else None
    override = (reg.value or {}).get("override_reason", "") if reg is not None else ""
    deadline = None
    if stage.deadline_working_days and entered is not None:
        deadline = (calendar or load_calendar()).add_working_days(entered, stage.deadline_working_days)
    codes = stage_codes()
    i = codes.index(stage.code)
    nxt = get_stage(codes[i + 1]) if i + 1 < len(codes) else None
    return StageStatus(stage, entered, override, deadline, nxt, tuple(check_gate(store, nxt.code)) if nxt else ())


def _role(store, role) -> Role:
    if role is not None:
        return Role(role)
    identity = getattr(store, "identity", None)
    public = getattr(identity, "public", None)
    return Role(getattr(public, "role", Role.INSPECTOR) or Role.INSPECTOR)


def change_stage(store, target: str, *, override_reason: str = "", role: Role | str | None = None) -> Change:
    """Move the case to stage ``target``. Forward moves check the gate of each stage entered; a failing
    gate raises :class:`GateNotMet` unless the team lead gives ``override_reason`` (recorded in the event and
    the register). ``role`` defaults to the role of the store's identity."""
    target_stage = get_stage(target)
    current = current_stage(store)
    codes = stage_codes()
    i, j = codes.index(current.code), codes.index(target_stage.code)
    if i == j:
        raise InputError(f"案件已在“{current.name_zh}”阶段 / the case is already in stage {current.code}")
    failed: dict[str, list[str]] = {}
    if j > i:
        for code in codes[i + 1: j + 1]:
            problems = check_gate(store, code)
            if problems:
                failed[code] = problems
    override_reason = (override_reason or "").strip()
    if failed:
        lines = "；".join(f"{get_stage(c).name_zh}：{'；'.join(p)}" for c, p in failed.items())
        if not override_reason:
            raise GateNotMet(f"不能进入“{target_stage.name_zh}”阶段：{lines} / gate not met (the lead may override with a reason)")
        if _role(store, role) is not Role.LEAD:
            raise GateNotMet(f"只有组长可以越过关卡 / only the team lead may override a gate: {lines}")
    value = {"stage": target_stage.code, "override_reason": override_reason if failed else ""}
    pending = PendingWrites(store.state())
    pending.set("case", store.info.case_id, "stage", value)
    payload = {"from": current.code, "to": target_stage.code, "failed_gates": failed,
               "override_reason": override_reason if failed else "", "backward": j < i}
    if j < i and override_reason:
        payload["reason"] = override_reason
    return commit(store, STAGE_CHANGED, pending.changed(), payload,
                  f"阶段 {current.name_zh} → {target_stage.name_zh} / stage {current.code} → {target_stage.code}")


def advance(store, *, override_reason: str = "", role: Role | str | None = None) -> Change:
    """Move to the next stage."""
    codes = stage_codes()
    i = codes.index(current_stage(store).code)
    if i + 1 >= len(codes):
        raise InputError("案件已在最后阶段 / the case is in its last stage")
    return change_stage(store, codes[i + 1], override_reason=override_reason, role=role)


def stage_history(store) -> list[dict]:
    """Every stage change: ``{time, author, from, to, override_reason, failed_gates}`` in log order."""
    out = []
    for e in store.events():
        if e.type == STAGE_CHANGED:
            p = e.payload
            out.append({"time": e.time, "author": e.author, "from": p.get("from", ""), "to": p.get("to", ""),
                        "override_reason": p.get("override_reason", ""), "failed_gates": p.get("failed_gates", {})})
    return out


# --------------------------------------------------------------------------- reminders
@dataclass(frozen=True)
class Reminder:
    level: str  # overdue / soon / todo / info
    message: str
    due: Optional[dt.date] = None


def reminders(store, *, today: dt.date | None = None, calendar: HolidayCalendar | None = None) -> list[Reminder]:
    """What the overview shows: the current stage's deadline, and the work that stops the next stage."""
    cal = calendar or load_calendar()
    today = today or dt.datetime.now(LOCAL_TZ).date()
    status = stage_status(store, calendar=cal)
    out: list[Reminder] = []
    if status.deadline is not None:
        left = cal.working_days_between(today, status.deadline)
        what = status.stage.deadline_zh or status.stage.name_zh
        if left < 0:
            out.append(Reminder("overdue", f"{what}已逾期 {-left} 个工作日（{status.deadline}） / overdue by {-left} working days", status.deadline))
        elif left <= 2:
            out.append(Reminder("soon", f"{what}还剩 {left} 个工作日（{status.deadline}） / due in {left} working days", status.deadline))
        else:
            out.append(Reminder("info", f"{what}：{status.deadline}（还剩 {left} 个工作日） / due {status.deadline}", status.deadline))
        if not cal.covers(status.deadline):
            out.append(Reminder("info", f"节假日日历未包含 {status.deadline.year} 年，按周一至周五计算 / no holiday calendar for {status.deadline.year}: weekdays counted"))
    if status.next_stage is not None:
        for p in status.next_gate:
            out.append(Reminder("todo", f"进入“{status.next_stage.name_zh}”前：{p}"))
    return out
