"""An encounter as the generator builds it: the visit, its fee lines, diagnoses and operations. Orders,
settlements and traceability codes are derived from the lines when the encounter is written, so a
clean encounter is consistent by construction; planted violations override what they need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from feijian.demodata.catalogue import Item

CENT = Decimal("0.01")


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT)


@dataclass
class Line:
    item: Item
    cnt: Decimal
    pric: Decimal
    time: dt.datetime
    dr: str
    dept: str
    amount: Decimal = Decimal(0)
    sn: str = ""
    refund_of: Optional["Line"] = None
    drord: Optional[str] = None  # None: the encounter's order for the item; "": no order number
    trace: Optional[str] = None  # traceability code (drugs that carry one)

    @property
    def date(self) -> dt.date:
        return self.time.date()


@dataclass
class Encounter:
    psn_no: str
    psn_name: str
    certno: str
    gend: str
    brdy: Optional[dt.date]
    med_type: str
    begntime: dt.datetime
    endtime: Optional[dt.datetime]
    dept: str
    dept_name: str
    doctor: str
    insutype: str = "310"
    age: Optional[int] = None
    dscg_way: str = ""
    lines: list = field(default_factory=list)
    diagnoses: list = field(default_factory=list)  # (diag_type, code, name)
    operations: list = field(default_factory=list)  # (code, name, date, doctor)
    mdtrt_id: str = ""
    order_total_override: dict = field(default_factory=dict)  # drord_no -> total_cnt (str)
    missing_orders: set = field(default_factory=set)  # drord_no values not written to orders
    settlement_amounts: Optional[list] = None  # explicit medfee_sumamt of each settlement
    write_brdy: bool = True
    order_no: dict = field(default_factory=dict)  # item key -> drord_no of the encounter's order for it
    doc_hooks: list = field(default_factory=list)  # callables(docs) changing the derived record documents

    @property
    def inpatient(self) -> bool:
        return self.med_type.startswith("2") or self.med_type == "52"

    @property
    def admit_date(self) -> dt.date:
        return self.begntime.date()

    @property
    def discharge_date(self) -> dt.date:
        return (self.endtime or self.begntime).date()

    @property
    def stay_days(self) -> int:
        return max(1, (self.discharge_date - self.admit_date).days)

    def add(self, item: Item, cnt, time: dt.datetime, *, pric: Optional[Decimal] = None, dr: Optional[str] = None,
            refund_of: Optional[Line] = None, drord: Optional[str] = None) -> Line:
        cnt = Decimal(cnt)
        p = item.pric if pric is None else Decimal(pric)
        line = Line(item=item, cnt=cnt, pric=p, time=time, dr=dr or self.doctor, dept=self.dept,
                    amount=money(cnt * p), refund_of=refund_of, drord=drord)
        self.lines.append(line)
        return line

    def refund(self, line: Line, cnt, time: dt.datetime) -> Line:
        """A refund line (negative quantity) of ``line``."""
        return self.add(line.item, -Decimal(cnt), time, pric=line.pric, dr=line.dr, refund_of=line,
                        drord=line.drord)

    def number_lines(self) -> None:
        """Give every line its ``feedetl_sn`` (in order of time, then creation) and its order number."""
        order_no = self.order_no
        for line in self.lines:
            if line.drord is None:
                key = line.item.key
                if key not in order_no:
                    order_no[key] = f"YZ{len(order_no) + 1:04d}"
                line.drord = order_no[key]
        ordered = sorted(range(len(self.lines)), key=lambda i: (self.lines[i].time, i))
        for n, i in enumerate(ordered, start=1):
            self.lines[i].sn = f"{n:06d}"

    def total(self) -> Decimal:
        return sum((l.amount for l in self.lines), Decimal(0))


def net(enc: Encounter) -> dict:
    """Net lines of an encounter: original line -> (net cnt, net amount). Refund lines are folded in."""
    out = {}
    for line in enc.lines:
        if line.refund_of is None:
            out[id(line)] = [line, line.cnt, line.amount]
    for line in enc.lines:
        if line.refund_of is not None:
            rec = out[id(line.refund_of)]
            rec[1] += line.cnt
            rec[2] += line.amount
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}
