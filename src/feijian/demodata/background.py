"""Clean encounters: what a well-run department bills. Every rule stays quiet on them by construction
(prices at the hospital's price ≤ cap, quantities within limits, an order for every line, one bed day
per stay day, a substantive service every stay day, unique persons so stays never overlap)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Optional

from feijian.demodata import people
from feijian.demodata.catalogue import Department, Hospital, InpatientTemplate, OutpatientTemplate
from feijian.demodata.model import Encounter, money

# Patterns planted into the background: S03 doctors whose every stay carries an extra daily drug,
# S04 doctors who use several high-value materials per operation, S01 department-months whose stays all
# carry an extra daily drug. S03 needs a department of ≥ 11 doctors (the largest z-score among n doctors is
# sqrt(n − 1)), and one outlier per department (two equal outliers among 14 cap each other's z at 2.45).
S03_OUTLIERS = {("0301", 13): (("RHBNP", 2),), ("0302", 13): (("RHBNP", 2),)}
S04_OUTLIERS = {("0301", 1): ("STENT", 4), ("0401", 3): ("TROC", 3)}
S01_JUMPS = {("0303", 10): (("ESO", 2),), ("0701", 12): (("ESO", 3),)}


def doctor_code(dept: Department, index: int) -> str:
    return f"D{dept.code}{index + 1:03d}"


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second)


@dataclass
class Person:
    psn_no: str
    name: str
    certno: str
    gend: str
    brdy: dt.date


class People:
    """Hands out synthetic insured persons with unique numbers."""

    def __init__(self, hosp: Hospital, prefix: str = "0"):
        self.hosp = hosp
        self.area = hosp.institution["area_code"]
        self.prefix = prefix
        self.n = 0

    def new(self, rng: random.Random, *, gend: str, age: int, ref: dt.date,
            brdy: Optional[dt.date] = None) -> Person:
        self.n += 1
        if not gend:
            gend = rng.choice("12")
        brdy = brdy or people.birth_date(rng, age, ref)
        return Person(
            psn_no=f"{self.area}{self.prefix}{self.n:013d}",
            name=people.person_name(rng, self.hosp.names, gend),
            certno=people.certno(self.area, brdy, self.n, gend),
            gend=gend,
            brdy=brdy,
        )


def inpatient(hosp: Hospital, rng: random.Random, dept: Department, tmpl: InpatientTemplate, doctor: str,
              person: Person, admit: dt.date, *, los: Optional[int] = None, discharge_items: bool = True,
              extra_daily: tuple = ()) -> Encounter:
    """A clean inpatient stay. ``los`` = discharge date − admission date (0 allowed: a same-day stay)."""
    los = rng.randint(*tmpl.los) if los is None else los
    begn = at(admit, rng.randint(8, 11), rng.randint(0, 59), rng.randint(0, 59))
    disch = admit + dt.timedelta(days=los)
    end = at(disch, rng.randint(9, 11) if los else 17, rng.randint(0, 59), rng.randint(0, 59))
    enc = Encounter(
        psn_no=person.psn_no, psn_name=person.name, certno=person.certno, gend=person.gend, brdy=person.brdy,
        med_type="21", begntime=begn, endtime=end, dept=dept.code, dept_name=dept.name, doctor=doctor,
        insutype=rng.choice(("310", "310", "390")), age=people.age_on(person.brdy, admit), dscg_way="1",
    )
    enc.diagnoses.append(("1", tmpl.dx[0], tmpl.dx[1]))
    for code, name in tmpl.other_dx:
        enc.diagnoses.append(("2", code, name))
    item = hosp.item
    stay = enc.stay_days
    for i in range(stay):
        day = admit + dt.timedelta(days=i)
        start = begn + dt.timedelta(minutes=40) if i == 0 else at(day, 8, rng.randint(0, 20))
        slots = iter(range(200))

        def when() -> dt.datetime:
            k = next(slots)
            return start.replace(second=0) + dt.timedelta(minutes=3 * k, seconds=rng.randint(0, 59))

        for key, cnt in tmpl.daily + tuple(extra_daily):
            enc.add(item(key), cnt, when())
        if i == 0:
            for key, cnt in tmpl.admit:
                enc.add(item(key), cnt, when())
        for key, cnt, offset in tmpl.once:
            if offset == i:
                enc.add(item(key), cnt, when())
        if tmpl.op and i == min(tmpl.op["day"], stay - 1):
            enc.operations.append((tmpl.op["code"], tmpl.op["name"], day, doctor))
            for key, cnt in tmpl.op["items"]:
                enc.add(item(key), cnt, when())
    if discharge_items and los > 0:
        t = at(disch, 8, 5)
        for k, (key, cnt) in enumerate(tmpl.discharge):
            enc.add(item(key), cnt, t + dt.timedelta(minutes=3 * k, seconds=rng.randint(0, 59)))
    return enc


def outpatient(hosp: Hospital, rng: random.Random, dept: Department, tmpl: OutpatientTemplate, doctor: str,
               person: Person, day: dt.date) -> Encounter:
    begn = at(day, rng.randint(8, 16), rng.randint(0, 59), rng.randint(0, 59))
    enc = Encounter(
        psn_no=person.psn_no, psn_name=person.name, certno=person.certno, gend=person.gend, brdy=person.brdy,
        med_type=tmpl.med_type, begntime=begn, endtime=None, dept=dept.code, dept_name=dept.name,
        doctor=doctor, insutype=rng.choice(("310", "390")), age=people.age_on(person.brdy, day),
    )
    enc.diagnoses.append(("1", tmpl.dx[0], tmpl.dx[1]))
    start = begn.replace(second=0) + dt.timedelta(minutes=5)
    for k, (key, cnt) in enumerate(tmpl.items):
        enc.add(hosp.item(key), cnt, start + dt.timedelta(minutes=2 * k, seconds=rng.randint(0, 59)))
    return enc


def per_doctor(base: int, scale: float) -> int:
    return max(1, int(round(base * scale)))


def block(hosp: Hospital, dept: Department, year: int, month: int, seed: int, scale: float,
          persons: People) -> list[Encounter]:
    """The clean encounters of one department admitted in one month. Encounter ``i`` follows template
    ``i mod T`` and doctor ``(i + month) mod n``: every month has the same mix of pathways."""
    rng = random.Random(f"feijian-demo/{seed}/{dept.code}/{year}-{month:02d}")
    last_day = 15 if month == 12 else 28
    out: list[Encounter] = []
    n_in = dept.n_doctors * per_doctor(hosp.per_doctor_month_in, scale)
    for i in range(n_in):
        tmpl = dept.inpatient[i % len(dept.inpatient)]
        d_index = (i + month) % dept.n_doctors
        doctor = doctor_code(dept, d_index)
        admit = dt.date(year, month, rng.randint(1, last_day))
        person = persons.new(rng, gend=tmpl.gender, age=rng.randint(*tmpl.age), ref=admit)
        extra = S03_OUTLIERS.get((dept.code, d_index), ()) + S01_JUMPS.get((dept.code, month), ())
        enc = inpatient(hosp, rng, dept, tmpl, doctor, person, admit, extra_daily=extra)
        if tmpl.op:
            _material_units(rng, enc, dept, d_index)
        out.append(enc)
    n_out = dept.n_doctors * per_doctor(hosp.per_doctor_month_out, scale)
    for i in range(n_out):
        tmpl = dept.outpatient[i % len(dept.outpatient)]
        doctor = doctor_code(dept, (i + month) % dept.n_doctors)
        day = dt.date(year, month, rng.randint(1, 28))
        person = persons.new(rng, gend=tmpl.gender, age=rng.randint(*tmpl.age), ref=day)
        out.append(outpatient(hosp, rng, dept, tmpl, doctor, person, day))
    return out


def _material_units(rng: random.Random, enc: Encounter, dept: Department, d_index: int) -> None:
    """Stents per PCI: mostly one, sometimes two; an S04 doctor uses more of his material every time."""
    outlier = S04_OUTLIERS.get((dept.code, d_index))
    for line in enc.lines:
        if outlier and line.item.key == outlier[0]:
            units = outlier[1]
        elif line.item.key == "STENT":
            units = 2 if rng.random() < 0.25 else 1
        else:
            continue
        line.cnt = line.cnt * units
        line.amount = money(line.cnt * line.pric)
