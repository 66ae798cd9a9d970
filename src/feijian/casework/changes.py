"""Register writes with their undo: the common machinery of every casework decision.

A decision is one event carrying register writes (``feijian.domain.events.write``) that supersede the current
heads of each register. :func:`commit` appends it and returns a :class:`Change` that knows the values it
replaced, so :func:`undo` can write them back as a *compensating* event (nothing is ever deleted from the
log). The GUI's ``QUndoStack`` keeps the ``Change`` objects: ``undo(store, change)`` undoes, and undoing the
change that ``undo`` returned redoes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from feijian.domain.events import write
from feijian.domain.projection import CaseState

UNDONE = "change.undone"  # [undoes: event ids]; writes the registers' earlier values back

# The value a register "had" before its first write, where one is meaningful. A register without a default
# that did not exist before a change is left as it is by the undo; the entity's ``deleted`` flag hides it.
ABSENT_DEFAULTS: dict[tuple[str, str], Any] = {
    ("hit", "review"): {"status": "open", "reason": ""},
    ("finding", "deleted"): True,
    ("item_term", "deleted"): True,  # a phrase the case added (casework.case_terms): undone, it is withdrawn
    ("ocr_correction", "deleted"): True,  # a correction of an OCR line (casework.ocr_corrections)
    ("captured_doc", "deleted"): True,  # a document captured on site (casework.captured_pages)
    ("clue", "result"): {"result": "", "verified_amount": "0", "explanation": "", "evidence_ids": []},
    ("evidence", "finding_id"): "",
    ("case", "stage"): {"stage": "initiation", "override_reason": ""},
    ("sample_unit", "result"): None,
}

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Change:
    """What one decision did: its event ids, the writes made and the writes that undo them."""

    event_ids: tuple[str, ...]
    writes: tuple[tuple[Key, Any], ...]
    undo_writes: tuple[tuple[Key, Any], ...]
    description: str = ""

    @property
    def empty(self) -> bool:
        return not self.writes


@dataclass
class PendingWrites:
    """Writes being collected for one event, each superseding the register's heads in ``state``; a second
    write of one register within the batch replaces the first."""

    state: CaseState
    _values: dict[Key, Any] = field(default_factory=dict)

    def set(self, entity: str, entity_id: str, field_name: str, value: Any) -> None:
        self._values[(entity, entity_id, field_name)] = value

    def current(self, entity: str, entity_id: str, field_name: str, default: Any = None) -> Any:
        key = (entity, entity_id, field_name)
        if key in self._values:
            return self._values[key]
        return self.state.get(entity, entity_id, field_name, default)

    def __len__(self) -> int:
        return len(self._values)

    def changed(self) -> dict[Key, Any]:
        """Only the writes that change a value (or resolve a conflict)."""
        out = {}
        for key, value in self._values.items():
            reg = self.state.registers.get(key)
            if reg is None or reg.in_conflict or reg.value != value:
                out[key] = value
        return out


def _register_writes(state: CaseState, values: dict[Key, Any]) -> list[dict]:
    return [write(e, i, f, v, supersedes=state.heads(e, i, f)) for (e, i, f), v in values.items()]


def _undo_values(state: CaseState, values: dict[Key, Any]) -> list[tuple[Key, Any]]:
    undo = []
    for key in values:
        reg = state.registers.get(key)
        if reg is not None:
            undo.append((key, reg.value))
        elif (key[0], key[2]) in ABSENT_DEFAULTS:
            undo.append((key, ABSENT_DEFAULTS[(key[0], key[2])]))
    # a newly created finding: its undo marks it deleted
    created = {k[1] for k in values if k[0] == "finding" and (k[0], k[1], "title") not in state.registers}
    for fid in sorted(created):
        key = ("finding", fid, "deleted")
        if not any(k == key for k, _ in undo):
            undo.append((key, True))
    return undo


def commit(store, event_type: str, values: dict[Key, Any], payload: dict | None = None, description: str = "") -> Change:
    """Append one event writing ``values`` (superseding each register's current heads) and return its Change.
    Nothing is appended when ``values`` is empty."""
    if not values:
        return Change((), (), (), description)
    state = store.state()
    body = dict(payload or {})
    body["writes"] = _register_writes(state, values)
    ev = store.append_event(event_type, body)
    return Change((ev.event_id,), tuple(values.items()), tuple(_undo_values(state, values)), description)


def combine(changes: Iterable[Change], description: str = "") -> Change:
    """Several changes made together, undone together (the undo of the first write of a register wins)."""
    changes = [c for c in changes if not c.empty]
    undo: dict[Key, Any] = {}
    for c in changes:
        for key, value in c.undo_writes:
            undo.setdefault(key, value)
    return Change(
        tuple(e for c in changes for e in c.event_ids),
        tuple(w for c in changes for w in c.writes),
        tuple(undo.items()),
        description or "; ".join(c.description for c in changes if c.description),
    )


def undo(store, change: Change) -> Change:
    """Write back the values ``change`` replaced, as one compensating event. Returns the Change of the undo,
    whose own undo redoes ``change``."""
    values = {key: value for key, value in change.undo_writes}
    redo = commit(store, UNDONE, values, {"undoes": list(change.event_ids)}, f"撤销 / undo: {change.description}")
    return redo


@contextlib.contextmanager
def transaction(store) -> Iterator[None]:
    """The store's transaction when it has one (events written inside commit or roll back together)."""
    tx = getattr(store, "transaction", None)
    if tx is None:
        yield
        return
    with tx():
        yield
