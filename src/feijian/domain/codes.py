"""The code tables of ``resources/contract/codes.toml`` as plain dictionaries: for a field, every accepted
spelling (in the contract's name normal form) and its canonical code. The importer maps whole columns with
them (``feijian.ingest.values``); the knowledge base uses them for the lists it holds (``doc_types``)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from typing import Optional

from feijian.domain.contract import normalise_name
from feijian.paths import resource


@lru_cache(maxsize=1)
def code_tables() -> dict:
    with open(resource("contract", "codes.toml"), "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def spellings(field: str) -> dict[str, str]:
    """Normalised spelling → canonical code for ``field`` (e.g. ``doc_type``: 手术记录 → operation)."""
    return {normalise_name(s): code for code, names in code_tables()[field]["codes"].items() for s in names}


def canonical_code(field: str, value: Optional[str]) -> Optional[str]:
    """The canonical code of one value, or None where it is none of the field's spellings."""
    if value is None:
        return None
    return spellings(field).get(normalise_name(value))


@lru_cache(maxsize=1)
def display_names() -> dict:
    """``resources/contract/code_names.toml``: names of codes the importer keeps as written (``med_type``)."""
    with open(resource("contract", "code_names.toml"), "rb") as fh:
        return tomllib.load(fh)


def code_names(field: str) -> dict[str, str]:
    """Canonical code → its first Chinese spelling (for people: ``operation`` → 手术记录); for a field only
    named for display (``med_type``: ``21`` → 普通住院), its names. KeyError for a field with neither."""
    if field not in code_tables():
        return dict(display_names()[field]["names"])
    out = {}
    for code, names in code_tables()[field]["codes"].items():
        zh = [n for n in names if any("\u4e00" <= ch <= "\u9fff" for ch in n)]
        out[code] = zh[0] if zh else code
    return out
