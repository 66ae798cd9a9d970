"""Administrative division codes (行政区划代码, GB/T 2260) with their names, for every place a region code
reaches a person: the bureau's institution and region tables, the cross-institution models, clue lists and
reports.

The table is ``resources/regions/divisions.csv`` (民政部's county-level-and-above list; see the README beside
it). A six-digit code names its province (first two digits), its prefecture (first four) and itself; the
full name joins the levels the list holds (440104 → 广东省广州市越秀区, 110101 → 北京市东城区, 419001 →
河南省济源市). A code the list does not hold is never given a guessed name: it is written as the code with a
mark, and the known level above it where there is one (``440199（地区码表中没有此码，属广东省广州市）``).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from typing import Any

from feijian.domain.formatting import text_or_blank
from feijian.paths import resource

_CODE = re.compile(r"^\d{6}$")
UNKNOWN = "地区码表中没有此码"


@lru_cache(maxsize=1)
def divisions() -> dict[str, str]:
    """code → the ministry's name of that division (``440104`` → ``越秀区``)."""
    with open(resource("regions", "divisions.csv"), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {r["code"].strip(): r["name"].strip() for r in rows if r.get("code") and r.get("name")}
    bad = [c for c in out if not _CODE.match(c)]
    if bad:
        raise ValueError(f"resources/regions/divisions.csv: not six-digit codes: {bad[:5]}")
    return out


def _levels(code: str) -> list[str]:
    """The codes of the province, the prefecture and the division itself, each once, top first."""
    out = []
    for c in (code[:2] + "0000", code[:4] + "00", code):
        if c not in out:
            out.append(c)
    return out


def full_name(code: Any) -> str:
    """``440104`` → ``广东省广州市越秀区``; ``440100`` → ``广东省广州市``; ``""`` for a code not in the list."""
    c = text_or_blank(code)
    names = divisions()
    if not _CODE.match(c) or c not in names:
        return ""
    return "".join(names[x] for x in _levels(c) if x in names)


def _known_parent(code: str) -> str:
    for c in reversed(_levels(code)[:-1]):
        if c in divisions():
            return full_name(c)
    return ""


def region(code: Any) -> str:
    """A region code as people read it: ``440104 广东省广州市越秀区``; an unknown code marked as such
    (``440199（地区码表中没有此码，属广东省广州市）``, ``999999（地区码表中没有此码）``); ``""`` for none."""
    c = text_or_blank(code)
    if not c:
        return ""
    name = full_name(c)
    if name:
        return f"{c} {name}"
    parent = _known_parent(c) if _CODE.match(c) else ""
    return f"{c}（{UNKNOWN}，属{parent}）" if parent else f"{c}（{UNKNOWN}）"


def region_or_text(value: Any) -> str:
    """A 地区 field that may hold a code or already a name (the 双随机 inputs write 玄武区): a six-digit code
    as :func:`region`, any other text as it is."""
    s = text_or_blank(value)
    return region(s) if _CODE.match(s) else s
