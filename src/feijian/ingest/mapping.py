"""Headers → contract fields: table recognition, alias matching, user mappings and saved profiles.

A mapping is ``{table: {source header: contract field}}`` (JSON). It is consulted before the contract's
aliases, so a hospital's odd header names can be fixed once and saved as a profile for that hospital.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Optional

from feijian.domain.contract import Contract, TableSpec, load_contract, normalise_name
from feijian.ingest.errors import MappingProblem

MappingDict = dict[str, dict[str, str]]
RESERVED = ("_batch", "_line")


@dataclass(frozen=True)
class ColumnPlan:
    """How the source columns of one file become the columns of a contract table."""

    table: str
    headers: tuple[str, ...]  # as in the file
    fields: tuple[Optional[str], ...]  # contract field per source column, None = extra column
    extra_names: tuple[Optional[str], ...]  # output name of each extra column (None for contract columns)

    @property
    def mapped(self) -> dict[str, str]:
        return {h: f for h, f in zip(self.headers, self.fields) if f}

    def missing_required(self, spec: TableSpec) -> list[str]:
        have = set(f for f in self.fields if f)
        return [f for f in spec.required_fields if f not in have]


@dataclass(frozen=True)
class MappingProposal:
    """What the import assistant shows: the table guessed and a contract field (or None) per header."""

    table: Optional[str]
    columns: dict[str, Optional[str]]
    missing_required: list[str] = field(default_factory=list)
    score: int = 0


def load_mapping(path) -> MappingDict:
    """Read a mapping file ``{table: {source header: contract field}}`` and check it against the contract."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise MappingProblem(f"无法读取映射文件 / cannot read mapping file {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingProblem(f"映射文件不是有效的 JSON / mapping file {path} is not valid JSON: {exc}") from None
    return check_mapping(raw)


def check_mapping(raw) -> MappingDict:
    contract = load_contract()
    if not isinstance(raw, dict):
        raise MappingProblem("映射必须是 {表: {源列名: 字段}} / a mapping is {table: {source header: field}}")
    out: MappingDict = {}
    for table, columns in raw.items():
        spec = contract.tables.get(table) or contract.table_for_name(str(table))
        if spec is None:
            raise MappingProblem(f"映射中的表未知 / unknown table in mapping: {table!r}")
        if not isinstance(columns, dict):
            raise MappingProblem(f"映射 {table!r} 必须是 {{源列名: 字段}} / mapping for {table!r} must be an object")
        cols = out.setdefault(spec.name, {})
        for source, target in columns.items():
            if not isinstance(target, str) or target not in spec.field_names:
                raise MappingProblem(f"{spec.name} 没有字段 {target!r} / {spec.name} has no field {target!r}")
            cols[str(source)] = target
    return out


def save_mapping(path, mapping: Mapping[str, Mapping[str, str]]) -> Path:
    """Write a mapping (checked) as UTF-8 JSON; returns the path."""
    checked = check_mapping({t: dict(c) for t, c in mapping.items()})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(checked, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def _profile_name(medins_code: str) -> str:
    safe = re.sub(r"[^0-9A-Za-z_.-]", "_", medins_code.strip()) or "default"
    return f"{safe}.json"


def save_profile(folder, medins_code: str, mapping: Mapping[str, Mapping[str, str]]) -> Path:
    """Save a mapping as the reusable profile of one institution (``folder/<medins_code>.json``)."""
    return save_mapping(Path(folder) / _profile_name(medins_code), mapping)


def load_profile(folder, medins_code: str) -> MappingDict:
    """The saved profile of an institution, or an empty mapping when there is none."""
    path = Path(folder) / _profile_name(medins_code)
    return load_mapping(path) if path.exists() else {}


def merge_mappings(*mappings: Optional[Mapping[str, Mapping[str, str]]]) -> MappingDict:
    out: MappingDict = {}
    for m in mappings:
        for t, cols in (m or {}).items():
            out.setdefault(t, {}).update(cols)
    return out


def _field_for(spec: TableSpec, header: str, user: Mapping[str, str]) -> Optional[str]:
    wanted = normalise_name(header)
    for source, target in user.items():
        if normalise_name(source) == wanted:
            return target
    f = spec.field_for_header(header)
    return f.name if f else None


def plan_columns(spec: TableSpec, headers: Iterable[str], mapping: Optional[MappingDict] = None) -> ColumnPlan:
    """Assign each source header a contract field (user mapping first, then names and aliases)."""
    headers = tuple("" if h is None else str(h).strip() for h in headers)
    user = (mapping or {}).get(spec.name, {})
    fields: list[Optional[str]] = []
    taken: dict[str, str] = {}
    for h in headers:
        f = _field_for(spec, h, user) if h else None
        if f is not None and f in taken:
            raise MappingProblem(
                f"{spec.name}: 列 {taken[f]!r} 和 {h!r} 都对应字段 {f} / columns {taken[f]!r} and {h!r} both map to {f}"
            )
        if f is not None:
            taken[f] = h
        fields.append(f)
    used = set(spec.field_names) | set(RESERVED)
    extra: list[Optional[str]] = []
    for i, (h, f) in enumerate(zip(headers, fields)):
        if f is not None:
            extra.append(None)
            continue
        name = h or f"column_{i + 1}"
        base, k = name, 2
        while name in used:
            name = f"{base}_{k}"
            k += 1
        used.add(name)
        extra.append(name)
    return ColumnPlan(table=spec.name, headers=headers, fields=tuple(fields), extra_names=tuple(extra))


def _score(spec: TableSpec, headers: tuple[str, ...], mapping: Optional[MappingDict]) -> tuple[int, int, list[str]]:
    user = (mapping or {}).get(spec.name, {})
    found = set()
    for h in headers:
        if h:
            f = _field_for(spec, h, user)
            if f:
                found.add(f)
    missing = [f for f in spec.required_fields if f not in found]
    return len(found), len(spec.fields), missing


def recognise_table(
    headers: Iterable[str],
    *,
    kind: Optional[str] = None,
    mapping: Optional[MappingDict] = None,
    contract: Optional[Contract] = None,
) -> Optional[str]:
    """The table whose fields the headers name best, with all its required fields present; None if none."""
    proposal = propose_mapping(headers, kind=kind, mapping=mapping, contract=contract)
    return proposal.table if proposal.table and not proposal.missing_required else None


def propose_mapping(
    headers: Iterable[str],
    *,
    table: Optional[str] = None,
    kind: Optional[str] = None,
    mapping: Optional[MappingDict] = None,
    contract: Optional[Contract] = None,
) -> MappingProposal:
    """For the import assistant: the likely table and a contract field (or None) for each header.

    Pure: reads only the contract. Ties go to the table with all required fields, then more fields
    matched, then fewer fields in all (a closer fit)."""
    contract = contract or load_contract()
    headers = tuple("" if h is None else str(h).strip() for h in headers)
    if table is not None:
        spec = contract.tables.get(table) or contract.table_for_name(table)
        if spec is None:
            raise MappingProblem(f"未知的表 / unknown table: {table!r}")
        candidates = [spec]
    else:
        candidates = [t for t in contract.tables.values() if kind is None or t.kind == kind]
    best = None
    for spec in candidates:
        matched, total, missing = _score(spec, headers, mapping)
        key = (matched > 0 and not missing, matched, -total)
        if best is None or key > best[0]:
            best = (key, spec, matched, missing)
    if best is None or (best[2] == 0 and table is None):
        return MappingProposal(table=None, columns={h: None for h in headers}, missing_required=[], score=0)
    _, spec, matched, missing = best
    user = (mapping or {}).get(spec.name, {})
    columns: dict[str, Optional[str]] = {}
    seen: set[str] = set()
    for h in headers:
        f = _field_for(spec, h, user) if h else None
        if f in seen:
            f = None
        if f:
            seen.add(f)
        columns[h] = f
    return MappingProposal(table=spec.name, columns=columns, missing_required=missing, score=matched)
