"""The current state of a case as a deterministic fold of its events (architecture decision 4).

Every state change is a register write ``(entity, id, field) := value`` that names the writes it
``supersedes`` (the values its author saw). A register's value is the set of writes no other write
supersedes. One surviving value is the state; several different surviving values are a *conflict*: two
people changed one field without seeing each other's change. The fold depends only on the *set* of events,
so merging laptops is a union of events and every order of merging gives the same state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from feijian.domain.events import Event, canonical_json

RegisterKey = tuple[str, str, str]  # (entity, id, field)


@dataclass(frozen=True)
class Candidate:
    event_id: str
    author: str
    device: str
    lamport: int
    time: str
    value: Any


@dataclass(frozen=True)
class Register:
    key: RegisterKey
    candidates: tuple[Candidate, ...]  # the surviving writes, ordered by (lamport, event_id)

    @property
    def in_conflict(self) -> bool:
        return len({canonical_json(c.value) for c in self.candidates}) > 1

    @property
    def value(self) -> Any:
        """The value, or the latest candidate's (by Lamport counter, then event id) while in conflict."""
        return self.candidates[-1].value

    @property
    def heads(self) -> tuple[str, ...]:
        """The event ids a new write to this register must supersede."""
        return tuple(c.event_id for c in self.candidates)


@dataclass(frozen=True)
class CaseState:
    registers: dict[RegisterKey, Register]

    def get(self, entity: str, entity_id: str, field: str, default: Any = None) -> Any:
        reg = self.registers.get((entity, entity_id, field))
        return default if reg is None else reg.value

    def heads(self, entity: str, entity_id: str, field: str) -> tuple[str, ...]:
        reg = self.registers.get((entity, entity_id, field))
        return () if reg is None else reg.heads

    def entities(self, entity: str) -> dict[str, dict[str, Any]]:
        """``{id: {field: value}}`` for every id of ``entity``, in id order."""
        out: dict[str, dict[str, Any]] = {}
        for (ent, eid, fld), reg in sorted(self.registers.items()):
            if ent == entity:
                out.setdefault(eid, {})[fld] = reg.value
        return out

    def conflicts(self, entity: str | None = None) -> list[Register]:
        return [
            r
            for k, r in sorted(self.registers.items())
            if r.in_conflict and (entity is None or k[0] == entity)
        ]


def fold(events: Iterable[Event]) -> CaseState:
    """Fold events into the current state. Duplicates (same event id) count once."""
    writes: dict[RegisterKey, dict[str, Candidate]] = {}
    superseded: set[tuple[RegisterKey, str]] = set()
    seen: set[str] = set()
    for ev in events:
        if ev.event_id in seen:
            continue
        seen.add(ev.event_id)
        for w in ev.writes:
            key = (w["entity"], w["id"], w["field"])
            writes.setdefault(key, {})[ev.event_id] = Candidate(
                ev.event_id, ev.author, ev.device, ev.lamport, ev.time, w.get("value")
            )
            for old in w.get("supersedes", ()):
                superseded.add((key, old))
    registers = {}
    for key, cands in writes.items():
        alive = [c for eid, c in cands.items() if (key, eid) not in superseded]
        if not alive:  # a cycle of supersedes cannot be written honestly; keep every value visible
            alive = list(cands.values())
        alive.sort(key=lambda c: (c.lamport, c.event_id))
        registers[key] = Register(key, tuple(alive))
    return CaseState(registers)
