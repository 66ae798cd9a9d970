"""The demo hospital's reference data: its items (``resources/demodata/hospital_items.csv`` joined with
the sample knowledge base ``resources/kb/kb_items.csv``), departments and clinical pathways
(``resources/demodata/hospital.toml``)."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Optional

from feijian.paths import resource

LIST_TYPE_CODES = {"drug": "101", "service": "201", "material": "301"}


def kb_dir() -> Path:
    return resource("kb")


@dataclass(frozen=True)
class Item:
    key: str
    code: str  # med_list_codg
    local_code: str
    name: str
    list_type: str  # drug / service / material
    category: str
    pric: Decimal  # the hospital's price (≤ the level-3 cap)
    chrgitm_type: str
    chrgitm_lv: str
    pack_ratio: Decimal
    traced: bool
    cap: Optional[Decimal]
    gender_limit: str
    age_min: Optional[Decimal]
    age_max: Optional[Decimal]
    max_day: Optional[Decimal]
    max_visit: Optional[Decimal]
    dx_limit: tuple[str, ...]
    inpatient_only: bool

    @property
    def stocked(self) -> bool:
        """Drugs and materials are kept in stock (进销存); services are not."""
        return self.list_type in ("drug", "material")


@dataclass(frozen=True)
class InpatientTemplate:
    name: str
    dx: tuple[str, str]
    other_dx: tuple[tuple[str, str], ...]
    los: tuple[int, int]
    age: tuple[int, int]
    gender: str
    daily: tuple[tuple[str, int], ...]
    admit: tuple[tuple[str, int], ...]
    once: tuple[tuple[str, int, int], ...]
    discharge: tuple[tuple[str, int], ...]
    op: Optional[dict]


@dataclass(frozen=True)
class OutpatientTemplate:
    name: str
    med_type: str
    dx: tuple[str, str]
    age: tuple[int, int]
    gender: str
    items: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    n_doctors: int
    inpatient: tuple[InpatientTemplate, ...]
    outpatient: tuple[OutpatientTemplate, ...]


@dataclass(frozen=True)
class Hospital:
    institution: dict
    departments: tuple[Department, ...]
    items: dict  # key -> Item
    by_code: dict  # med_list_codg -> Item
    names: dict
    per_doctor_month_in: int
    per_doctor_month_out: int

    def item(self, key: str) -> Item:
        return self.items[key]

    def department(self, code: str) -> Department:
        for d in self.departments:
            if d.code == code:
                return d
        raise KeyError(code)


def _dec(text: str) -> Optional[Decimal]:
    text = (text or "").strip()
    return Decimal(text) if text else None


def read_kb_csv(name: str) -> list[dict]:
    with open(kb_dir() / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def load_hospital() -> Hospital:
    kb = {r["med_list_codg"]: r for r in read_kb_csv("kb_items")}
    items: dict[str, Item] = {}
    with open(resource("demodata", "hospital_items.csv"), encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            k = kb[r["med_list_codg"]]
            items[r["key"]] = Item(
                key=r["key"], code=r["med_list_codg"], local_code=r["medins_list_codg"], name=k["name"],
                list_type=k["list_type"], category=k["category"], pric=Decimal(r["pric"]),
                chrgitm_type=r["med_chrgitm_type"], chrgitm_lv=r["chrgitm_lv"],
                pack_ratio=_dec(r["pack_ratio"]) or Decimal(1), traced=r["traced"] == "1",
                cap=_dec(k["price_cap_l3"]), gender_limit=k["gender_limit"], age_min=_dec(k["age_min"]),
                age_max=_dec(k["age_max"]), max_day=_dec(k["max_units_per_day"]),
                max_visit=_dec(k["max_units_per_visit"]),
                dx_limit=tuple(p for p in k["dx_limit"].split(";") if p),
                inpatient_only=k["inpatient_only"] == "1",
            )
    with open(resource("demodata", "hospital.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    depts = []
    for d in raw["departments"]:
        inp = tuple(
            InpatientTemplate(
                name=t["name"], dx=tuple(t["dx"]), other_dx=tuple(tuple(x) for x in t.get("other_dx", [])),
                los=tuple(t["los"]), age=tuple(t["age"]), gender=t.get("gender", ""),
                daily=tuple(tuple(x) for x in t.get("daily", [])), admit=tuple(tuple(x) for x in t.get("admit", [])),
                once=tuple(tuple(x) for x in t.get("once", [])),
                discharge=tuple(tuple(x) for x in t.get("discharge", [])), op=t.get("op"),
            )
            for t in d.get("inpatient", [])
        )
        outp = tuple(
            OutpatientTemplate(
                name=t["name"], med_type=t["med_type"], dx=tuple(t["dx"]), age=tuple(t["age"]),
                gender=t.get("gender", ""), items=tuple(tuple(x) for x in t["items"]),
            )
            for t in d.get("outpatient", [])
        )
        depts.append(Department(d["code"], d["name"], int(d["doctors"]), inp, outp))
    return Hospital(
        institution=raw["institution"], departments=tuple(depts), items=items,
        by_code={i.code: i for i in items.values()}, names=raw["names"],
        per_doctor_month_in=int(raw["scale"]["inpatient_per_doctor_month"]),
        per_doctor_month_out=int(raw["scale"]["outpatient_per_doctor_month"]),
    )
