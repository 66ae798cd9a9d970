"""The data contract (``resources/contract/tables.toml``) as typed records.

Readers recognise tables and headers with :func:`find_table` and :meth:`TableSpec.field_for_header`;
the demo generator and the rules take field names from here.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from feijian.paths import resource

FIELD_TYPES = ("str", "decimal", "datetime", "date", "bool")


def normalise_name(text: str) -> str:
    """Header or table name for comparison: NFKC (full-width → half-width), blanks removed, lower case."""
    text = unicodedata.normalize("NFKC", str(text))
    return "".join(text.split()).lower()


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    required: bool = False
    required_inpatient: bool = False
    sensitive: bool = False
    default: Optional[str] = None
    aliases: tuple[str, ...] = ()

    def matches(self, header: str) -> bool:
        wanted = normalise_name(header)
        return wanted == normalise_name(self.name) or any(wanted == normalise_name(a) for a in self.aliases)


@dataclass(frozen=True)
class TableSpec:
    name: str
    kind: str  # "case" or "kb"
    names: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...] = ()
    required_table: bool = False
    required_one_of: tuple[str, ...] = ()  # a row needs at least one of these fields (emr_docs: text or file)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    def field_for_header(self, header: str) -> Optional[FieldSpec]:
        """The contract field a source header stands for (English name or alias), or None."""
        for f in self.fields:
            if f.matches(header):
                return f
        return None

    def matches_name(self, stem: str) -> bool:
        wanted = normalise_name(stem)
        return any(wanted == normalise_name(n) for n in self.names)

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


@dataclass(frozen=True)
class Contract:
    version: str
    tables: dict[str, TableSpec] = field(default_factory=dict)

    def table(self, name: str) -> TableSpec:
        return self.tables[name]

    @property
    def case_tables(self) -> tuple[str, ...]:
        return tuple(n for n, t in self.tables.items() if t.kind == "case")

    @property
    def kb_tables(self) -> tuple[str, ...]:
        return tuple(n for n, t in self.tables.items() if t.kind == "kb")

    def table_for_name(self, stem: str) -> Optional[TableSpec]:
        """The table a file stem names (``fees``, ``费用明细`` …), or None."""
        for t in self.tables.values():
            if t.matches_name(stem):
                return t
        return None


def _parse(raw: dict) -> Contract:
    tables = {}
    for name, t in raw["tables"].items():
        fields = []
        for f in t["fields"]:
            if f["type"] not in FIELD_TYPES:
                raise ValueError(f"contract: {name}.{f['name']} has unknown type {f['type']!r}")
            req = f.get("required", False)
            fields.append(
                FieldSpec(
                    name=f["name"],
                    type=f["type"],
                    required=req is True,
                    required_inpatient=req == "inpatient",
                    sensitive=bool(f.get("sensitive", False)),
                    default=f.get("default"),
                    aliases=tuple(f.get("aliases", ())),
                )
            )
        tables[name] = TableSpec(
            name=name,
            kind=t["kind"],
            names=tuple(t["names"]),
            fields=tuple(fields),
            key=tuple(t.get("key", ())),
            required_table=bool(t.get("required_table", False)),
            required_one_of=tuple(t.get("required_one_of", ())),
        )
    return Contract(version=str(raw["contract_version"]), tables=tables)


@lru_cache(maxsize=1)
def load_contract() -> Contract:
    with open(resource("contract", "tables.toml"), "rb") as fh:
        return _parse(tomllib.load(fh))
