"""Planted violations of every rule of rules.md, several of each, with the boundary cases the rules name.
Each scenario builds clean encounters (background.py) for fresh persons and then breaks exactly one
thing, recording the hit it expects (or the near miss it expects NOT to be a hit)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Optional

from feijian.demodata import background as bg
from feijian.demodata import people
from feijian.demodata.background import People, Person, at
from feijian.demodata.catalogue import Hospital
from feijian.demodata.manifest import Planted
from feijian.demodata.model import Encounter, Line, net

D = dt.date


class Planter:
    def __init__(self, hosp: Hospital, seed: int):
        self.hosp = hosp
        self.year = int(hosp.institution["year"])
        self.rng = random.Random(f"feijian-demo/{seed}/planted")
        self.persons = People(hosp, prefix="1")
        self.encounters: list[Encounter] = []
        self.hits: list[Planted] = []
        self.near: list[Planted] = []
        self.stat: list[Planted] = []
        self.extra_staff: list[dict] = []
        self.inventory_shortfalls: list[tuple] = []  # (item code, month, excess units, note)
        self.inventory_exact: list[tuple] = []  # (item code, month, note): stock exactly covers sales
        self._slots: dict[int, int] = {}
        self._trace = 0

    # ------------------------------------------------------------------ building blocks
    def d(self, month: int, day: int) -> dt.date:
        return dt.date(self.year, month, day)

    def person(self, *, gend: str, age: int, ref: dt.date, brdy: Optional[dt.date] = None) -> Person:
        return self.persons.new(self.rng, gend=gend, age=age, ref=ref, brdy=brdy)

    def doctor(self, dept_code: str, index: int = 0) -> str:
        return bg.doctor_code(self.hosp.department(dept_code), index)

    def stay(self, dept_code: str, t: int, admit: dt.date, los: Optional[int] = None, *,
             person: Optional[Person] = None, gend: Optional[str] = None, age: Optional[int] = None,
             brdy: Optional[dt.date] = None, doctor_index: int = 0, discharge_items: bool = True) -> Encounter:
        dept = self.hosp.department(dept_code)
        tmpl = dept.inpatient[t]
        if person is None:
            g = gend if gend is not None else (tmpl.gender or self.rng.choice("12"))
            person = self.person(gend=g, age=age if age is not None else self.rng.randint(*tmpl.age), ref=admit,
                                 brdy=brdy)
        enc = bg.inpatient(self.hosp, self.rng, dept, tmpl, self.doctor(dept_code, doctor_index), person, admit,
                           los=los, discharge_items=discharge_items)
        self.encounters.append(enc)
        return enc

    def visit(self, dept_code: str, t: int, day: dt.date, *, person: Optional[Person] = None,
              gend: Optional[str] = None, age: Optional[int] = None) -> Encounter:
        dept = self.hosp.department(dept_code)
        tmpl = dept.outpatient[t]
        if person is None:
            g = gend if gend is not None else (tmpl.gender or self.rng.choice("12"))
            person = self.person(gend=g, age=age if age is not None else self.rng.randint(*tmpl.age), ref=day)
        enc = bg.outpatient(self.hosp, self.rng, dept, tmpl, self.doctor(dept_code, 1), person, day)
        self.encounters.append(enc)
        return enc

    def when(self, enc: Encounter, day: dt.date, hour: int = 19, second: int = 10) -> dt.datetime:
        """A fresh minute on ``day`` for an added line (never the minute of another line)."""
        k = self._slots.get(id(enc), 0)
        self._slots[id(enc)] = k + 1
        return at(day, hour) + dt.timedelta(minutes=k, seconds=second)

    def day(self, enc: Encounter, i: int) -> dt.date:
        return enc.admit_date + dt.timedelta(days=i)

    def find(self, enc: Encounter, key: str, i: Optional[int] = None) -> Line:
        for line in enc.lines:
            if line.item.key == key and line.refund_of is None and (i is None or line.date == self.day(enc, i)):
                return line
        raise LookupError(f"{key} on day {i}")

    def add(self, enc: Encounter, key: str, cnt, day: dt.date, **kw) -> Line:
        return enc.add(self.hosp.item(key), cnt, kw.pop("time", None) or self.when(enc, day), **kw)

    def trace_code(self) -> str:
        self._trace += 1
        return f"83{self._trace:018d}"

    @staticmethod
    def net_amount(enc: Encounter, line: Line) -> Decimal:
        return net(enc)[id(line)][2]

    def hit_line(self, rule: str, enc: Encounter, line: Line, note: str, amount: Optional[Decimal] = None) -> None:
        self.hits.append(Planted(rule, "line", note, enc=enc, line=line,
                                 amount=self.net_amount(enc, line) if amount is None else amount))

    def miss_line(self, rule: str, enc: Encounter, line: Line, note: str) -> None:
        self.near.append(Planted(rule, "line", note, enc=enc, line=line, amount=None))

    def hit_visit(self, rule: str, enc: Encounter, note: str, amount: Decimal = Decimal(0)) -> None:
        self.hits.append(Planted(rule, "visit", note, enc=enc, amount=amount))

    def miss_visit(self, rule: str, enc: Encounter, note: str) -> None:
        self.near.append(Planted(rule, "visit", note, enc=enc, amount=None))

    # ------------------------------------------------------------------ all of them
    def plant_all(self) -> None:
        for code in ("r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10", "r11", "r12", "r13",
                     "r14", "r15", "r16", "r17", "r18", "r19", "r20", "r21", "r22", "r23", "stats"):
            getattr(self, code)()

    # R01 duplicate charge ------------------------------------------------------------
    def r01(self) -> None:
        e = self.stay("0701", 0, self.d(2, 5), 10)
        orig = self.find(e, "DANH", 2)
        dup = e.add(orig.item, orig.cnt, orig.time)
        self.hit_line("R01", e, dup, "同一分钟重复收取丹红注射液（完全相同的第二条）")

        e = self.stay("0701", 0, self.d(3, 12), 10)
        orig = self.find(e, "ATV", 3)
        orig.time = orig.time.replace(second=40)
        dup = e.add(orig.item, orig.cnt, orig.time.replace(second=5))
        self.hit_line("R01", e, orig, "同一分钟内重复：后录入的一条秒数更早，故原录入条目为重复条目")

        e = self.stay("0701", 0, self.d(4, 8), 10)
        orig = self.find(e, "CLO", 2)
        dup = e.add(orig.item, orig.cnt, orig.time)
        e.refund(dup, dup.cnt, self.when(e, self.day(e, 3), 10))
        self.miss_line("R01", e, dup, "重复条目已全额退费：不是重复收费")
        asa = self.find(e, "ASA", 4)
        other = e.add(asa.item, 2, asa.time)
        self.miss_line("R01", e, other, "同一分钟同一项目但数量不同：不是重复收费")

        e = self.stay("0304", 0, self.d(5, 14), 8)
        orig = self.find(e, "MET", 2)
        d1 = e.add(orig.item, orig.cnt, orig.time)
        d2 = e.add(orig.item, orig.cnt, orig.time)
        self.hit_line("R01", e, d1, "同一分钟三条相同的二甲双胍：第二条")
        self.hit_line("R01", e, d2, "同一分钟三条相同的二甲双胍：第三条")
        orig = self.find(e, "MET", 4)
        dup = e.add(orig.item, orig.cnt, orig.time)
        e.refund(dup, 1, self.when(e, self.day(e, 4)))
        self.miss_line("R01", e, dup, "重复条目部分退费后净数量不同：不是重复收费")

    # R02 price above cap -------------------------------------------------------------
    def r02(self) -> None:
        e = self.stay("0401", 0, self.d(6, 3), 6)
        us = self.find(e, "US", 0)
        us.pric = Decimal("200.00")
        us.amount = Decimal("200.00")
        self.hit_line("R02", e, us, "彩超单价200元，三级限价180元", amount=Decimal("20.00"))
        cbc = self.find(e, "CBC", 0)
        cbc.pric = Decimal("20.004")
        cbc.amount = Decimal("20.00")
        self.miss_line("R02", e, cbc, "单价20.004元，超限价不足0.005元容差：不是超标准收费")

        e = self.stay("0402", 0, self.d(7, 9), 10)
        line = self.add(e, "CEFAZ", 2, self.day(e, 4), pric=Decimal("7.50"))
        e.refund(line, 1, self.when(e, self.day(e, 5)))
        self.hit_line("R02", e, line, "头孢唑林单价7.50元超限价6元，部分退费后净数量1", amount=Decimal("1.50"))

        e = self.stay("0304", 0, self.d(8, 6), 8)
        ins = self.find(e, "INS", 3)
        ins.pric = Decimal("66.00")
        ins.amount = Decimal("66.00")
        self.hit_line("R02", e, ins, "门冬胰岛素单价66元，限价60元", amount=Decimal("6.00"))

    # R03 gender ------------------------------------------------------------------------
    def r03(self) -> None:
        e = self.stay("0304", 0, self.d(3, 4), 8, gend="2")
        line = self.add(e, "PSA", 1, self.day(e, 1))
        self.hit_line("R03", e, line, "女性患者收取前列腺特异性抗原测定")
        e = self.stay("0701", 0, self.d(9, 16), 10, gend="1")
        line = self.add(e, "PRG", 1, self.day(e, 2))
        self.hit_line("R03", e, line, "男性患者收取黄体酮注射液")
        e = self.stay("0304", 0, self.d(10, 2), 8, gend="9")
        line = self.add(e, "PSA", 1, self.day(e, 1))
        self.miss_line("R03", e, line, "性别未说明（9）：不判断性别限定")

    # R04 age ---------------------------------------------------------------------------
    def r04(self) -> None:
        e = self.stay("0304", 0, self.d(4, 16), 8, age=45)
        line = self.add(e, "CHILD", 3, self.day(e, 2))
        self.hit_line("R04", e, line, "45岁患者收取儿童专用的小儿氨酚黄那敏颗粒")

        # a 14-year-old who turns 15 during the stay: lines before the birthday pass, from it on they hit
        birthday = self.d(5, 10)
        brdy = birthday.replace(year=birthday.year - 15)
        e = self.stay("0601", 0, self.d(5, 8), 5, brdy=brdy, age=14)
        for line in [l for l in e.lines if l.item.key == "CHILD"]:
            if people.age_on(brdy, line.date) > 14:
                self.hit_line("R04", e, line, "患者已满15岁（当日生日），超儿童用药年龄上限14岁")
            else:
                self.miss_line("R04", e, line, "患者当日14岁：在年龄上限内")

        e = self.stay("0701", 0, self.d(6, 11), 10, age=52)
        line = self.add(e, "GERI", 1, self.day(e, 3))
        self.hit_line("R04", e, line, "52岁患者收取老年综合评估（限65岁及以上）")
        fee_day = self.d(7, 3)
        e = self.stay("0701", 0, fee_day - dt.timedelta(days=2), 10, brdy=fee_day.replace(year=fee_day.year - 65))
        line = self.add(e, "GERI", 1, fee_day)
        self.miss_line("R04", e, line, "患者当日满65岁：在年龄下限内")

        e = self.stay("0304", 0, self.d(8, 20), 8, age=30)
        e.write_brdy = False
        e.certno = ""
        e.age = 30
        line = self.add(e, "CHILD", 3, self.day(e, 1))
        self.hit_line("R04", e, line, "无出生日期，按就诊记录年龄30岁判断：超儿童用药年龄上限")

    # R05 outside the stay --------------------------------------------------------------
    def r05(self) -> None:
        e = self.stay("0402", 0, self.d(8, 5), 10)
        before = self.add(e, "NS", 1, e.admit_date - dt.timedelta(days=1))
        after = self.add(e, "NS", 1, e.discharge_date + dt.timedelta(days=1))
        self.hit_line("R05", e, before, "入院前一日收费")
        self.hit_line("R05", e, after, "出院后一日收费")
        late = self.add(e, "NS", 1, e.discharge_date, time=e.endtime + dt.timedelta(hours=3))
        self.miss_line("R05", e, late, "出院当日（出院时刻之后）收费：不在住院期外（按日期判断）")
        early = self.add(e, "NS", 1, e.admit_date, time=e.begntime - dt.timedelta(hours=2))
        self.miss_line("R05", e, early, "入院当日（入院时刻之前）收费：不在住院期外")

    # R06 after death -------------------------------------------------------------------
    def r06(self) -> None:
        e = self.stay("0701", 0, self.d(9, 10), 6, discharge_items=False)
        e.dscg_way = "5"
        e.endtime = at(e.discharge_date, 14, 30)
        same_day = self.add(e, "NS", 1, e.discharge_date, time=at(e.discharge_date, 16, 0, 20))
        self.hit_line("R06", e, same_day, "死亡时间之后当日收费")
        next_day = self.add(e, "LMWH", 1, e.discharge_date, time=at(e.discharge_date + dt.timedelta(days=1), 9, 0, 5))
        self.hit_line("R06", e, next_day, "死亡次日收费")
        self.hit_line("R05", e, next_day, "死亡次日收费，亦在住院期外")
        exact = self.add(e, "IV", 1, e.discharge_date, time=e.endtime)
        self.miss_line("R06", e, exact, "收费时间恰为死亡时间：不算死亡后")

    # R07 exclusive pairs ---------------------------------------------------------------
    def r07(self) -> None:
        e = self.stay("0304", 0, self.d(10, 8), 8)
        alt = self.add(e, "ALT", 1, e.admit_date)
        self.hit_line("R07", e, alt, "同日已收肝功能组合，又单收丙氨酸氨基转移酶")
        e = self.stay("0304", 0, self.d(10, 14), 8)
        alt = self.add(e, "ALT", 1, self.day(e, 3))
        self.miss_line("R07", e, alt, "肝功能组合与丙氨酸氨基转移酶不在同一日（互斥范围为同日）")
        e = self.stay("0304", 0, self.d(10, 20), 8)
        alt = self.add(e, "ALT", 1, e.admit_date)
        lft = self.find(e, "LFT", 0)
        e.refund(lft, lft.cnt, self.when(e, e.admit_date, 21))
        self.miss_line("R07", e, alt, "同日的肝功能组合已全额退费：单收丙氨酸氨基转移酶不算互斥")
        e = self.stay("0401", 0, self.d(11, 4), 6)
        lap = self.add(e, "LAPX", 1, e.admit_date)
        self.hit_line("R07", e, lap, "同次住院已收腹腔镜下胆囊切除术，又收腹腔镜检查术（范围：同次就诊）")

    # R08 units per day -----------------------------------------------------------------
    def r08(self) -> None:
        e = self.stay("0401", 1, self.d(2, 20), 5)
        iv = self.hosp.item("IV")
        day = self.day(e, 1)
        self.add(e, "IV", 4, day)
        self._item_day("R08", e, iv, day, excess=Decimal(1), note="静脉输液当日计5次，日限4次")

        e = self.stay("0401", 1, self.d(3, 18), 5)
        day2, day3 = self.day(e, 2), self.day(e, 3)
        big = self.add(e, "IV", 5, day2)
        e.refund(big, 2, self.when(e, day3))
        self._item_day("R08", e, iv, day2, excess=Decimal(2), note="静脉输液当日计6次（次日退2次，退费计入次日）")
        day1 = self.day(e, 1)
        extra = self.add(e, "IV", 4, day1)
        e.refund(extra, 1, self.when(e, day1))
        self.near.append(Planted("R08", "item-day", "当日计5次、同日退1次，净4次等于日限：不超限", enc=e,
                                 med_list_codg=iv.code, date=day1, amount=None))

    def _item_day(self, rule: str, e: Encounter, item, day: dt.date, *, excess: Decimal, note: str) -> None:
        lines = [l for l in e.lines if l.item is item and l.date == day]
        cnt = sum((l.cnt for l in lines), Decimal(0))
        amt = sum((l.amount for l in lines), Decimal(0))
        assert cnt - item.max_day == excess, (rule, cnt, item.max_day)
        self.hits.append(Planted(rule, "item-day", note, enc=e, med_list_codg=item.code, date=day,
                                 amount=excess * amt / cnt))

    # R09 units per encounter -----------------------------------------------------------
    def r09(self) -> None:
        xray = self.hosp.item("XRAY")
        e = self.stay("0402", 0, self.d(4, 15), 10)
        self.add(e, "XRAY", 1, self.day(e, 5))
        self.add(e, "XRAY", 1, self.day(e, 7))
        lines = [l for l in e.lines if l.item is xray]
        cnt = sum((l.cnt for l in lines), Decimal(0))
        amt = sum((l.amount for l in lines), Decimal(0))
        self.hits.append(Planted("R09", "item-visit", "胸片本次住院计4次，次限3次", enc=e, med_list_codg=xray.code,
                                 amount=(cnt - xray.max_visit) * amt / cnt))
        us = self.hosp.item("US")
        e = self.stay("0401", 0, self.d(9, 16), 6)
        for i in (1, 2, 3, 4):
            self.add(e, "US", 1, self.day(e, i))
        lines = [l for l in e.lines if l.item is us]
        cnt = sum((l.cnt for l in lines), Decimal(0))
        amt = sum((l.amount for l in lines), Decimal(0))
        self.hits.append(Planted("R09", "item-visit", "彩超本次住院计5次，次限4次", enc=e, med_list_codg=us.code,
                                 amount=(cnt - us.max_visit) * amt / cnt))
        e = self.stay("0402", 0, self.d(5, 20), 10)
        self.add(e, "XRAY", 1, self.day(e, 5))
        last = self.add(e, "XRAY", 1, self.day(e, 7))
        e.refund(last, 1, self.when(e, self.day(e, 8)))
        self.near.append(Planted("R09", "item-visit", "计4次、退1次，净3次等于次限：不超限", enc=e,
                                 med_list_codg=xray.code, amount=None))

    # R10 outpatient during a stay ------------------------------------------------------
    def r10(self) -> None:
        stay = self.stay("0304", 0, self.d(6, 10), 8)
        p = Person(stay.psn_no, stay.psn_name, stay.certno, stay.gend, stay.brdy)
        inside = self.visit("0304", 0, self.d(6, 14), person=p)
        for line in inside.lines:
            self.hit_line("R10", inside, line, "住院期间（6月10日至18日）同一参保人门诊就诊收费")
        on_a = self.visit("0304", 0, stay.admit_date, person=p)
        on_d = self.visit("0304", 0, stay.discharge_date, person=p)
        self.miss_line("R10", on_a, on_a.lines[0], "门诊就诊在入院当日：不在住院期间（严格在入出院日期之间）")
        self.miss_line("R10", on_d, on_d.lines[0], "门诊就诊在出院当日：不在住院期间")

    # R11 readmission -------------------------------------------------------------------
    def r11(self) -> None:
        first = self.stay("0701", 0, self.d(3, 1), 10)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        again = self.stay("0701", 0, first.discharge_date + dt.timedelta(days=30), 10, person=p)
        self.hit_visit("R11", again, "出院后第30天再次入院，主要诊断同为I63")
        first = self.stay("0304", 0, self.d(7, 1), 8)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        again = self.stay("0304", 0, first.discharge_date + dt.timedelta(days=5), 8, person=p)
        again.diagnoses[0] = ("1", "E11.600", "2型糖尿病伴有并发症")
        self.hit_visit("R11", again, "出院5天后再入院，主要诊断前3位同为E11")
        first = self.stay("0701", 0, self.d(5, 2), 10)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        again = self.stay("0701", 0, first.discharge_date + dt.timedelta(days=31), 10, person=p)
        self.miss_visit("R11", again, "出院后第31天再入院：超过30天")
        first = self.stay("0304", 0, self.d(9, 2), 8)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        again = self.stay("0701", 0, first.discharge_date + dt.timedelta(days=10), 10, person=p)
        self.miss_visit("R11", again, "10天内再入院但主要诊断不同（E11与I63）")

    # R12 idle bed days -----------------------------------------------------------------
    def r12(self) -> None:
        keep = {"bed", "nursing", "diet"}

        def idle(e: Encounter, days: list[int]) -> None:
            dates = {self.day(e, i) for i in days}
            e.lines = [l for l in e.lines if l.date not in dates or l.item.category in keep]

        e = self.stay("0402", 0, self.d(1, 15), 12)
        idle(e, [5, 6, 7])
        self.hit_visit("R12", e, "住院第6至8天仅收床位、护理、膳食费（连续3天挂床）")
        e = self.stay("0402", 0, self.d(2, 12), 12)
        idle(e, [5, 6])
        self.miss_visit("R12", e, "仅连续2天无实质诊疗：未达3天")
        e = self.stay("0402", 0, self.d(3, 10), 12)
        idle(e, [4, 5, 6])
        line = self.add(e, "LMWH", 1, self.day(e, 5))
        e.refund(line, 1, self.when(e, self.day(e, 5), 21))
        self.hit_visit("R12", e, "连续3天挂床，其间唯一的用药已全额退费")

    # R13 no order ----------------------------------------------------------------------
    def r13(self) -> None:
        e = self.stay("0701", 0, self.d(6, 20), 10)
        line = self.add(e, "ASA", 1, self.day(e, 3), drord="")
        self.hit_line("R13", e, line, "阿司匹林收费无医嘱号")
        line = self.add(e, "DANH", 1, self.day(e, 4), drord="YZ9999")
        e.missing_orders.add("YZ9999")
        self.hit_line("R13", e, line, "丹红注射液收费的医嘱号在医嘱表中不存在")
        line = self.add(e, "IVSET", 1, self.day(e, 4), drord="")
        self.miss_line("R13", e, line, "耗材不要求医嘱")
        line = self.add(e, "ATV", 1, self.day(e, 5), drord="")
        e.refund(line, 1, self.when(e, self.day(e, 5), 21))
        self.miss_line("R13", e, line, "无医嘱的收费已全额退费")
        v = self.visit("0701", 0, self.d(6, 22))
        line = self.add(v, "ASA", 30, v.admit_date, drord="")
        self.miss_line("R13", v, line, "门诊收费不检查医嘱")

    # R14 beyond the order --------------------------------------------------------------
    @staticmethod
    def _billed_under_order(e: Encounter, line: Line) -> tuple[Decimal, Decimal]:
        """(sum of cnt, sum of amount) of the encounter's lines under ``line``'s order, refunds included
        (numbering the lines gives them their order numbers)."""
        e.number_lines()
        lines = [l for l in e.lines if l.drord == line.drord]
        return sum((l.cnt for l in lines), Decimal(0)), sum((l.amount for l in lines), Decimal(0))

    def _order_short_of_billing(self, e: Encounter, key: str, short: int, why: str) -> None:
        """An order whose total is ``short`` units less than what was billed under it: an R14 hit of
        ``short`` × the average unit price."""
        line = self.find(e, key, 0)
        cnt, amt = self._billed_under_order(e, line)
        e.order_total_override[line.drord] = cnt - short
        self.hits.append(Planted("R14", "order", why, enc=e, drord_no=line.drord, amount=Decimal(short) * amt / cnt))

    def r14(self) -> None:
        self._order_short_of_billing(self.stay("0304", 0, self.d(7, 8), 8), "INS", 2, "门冬胰岛素医嘱总量比计费少2支")
        self._order_short_of_billing(self.stay("0402", 0, self.d(11, 18), 10), "LMWH", 3, "低分子肝素医嘱总量比计费少3支")
        e = self.stay("0304", 0, self.d(8, 12), 8)
        met = self.find(e, "MET", 2)
        e.refund(met, 3, self.when(e, self.day(e, 2)))
        e.order_total_override[met.drord] = self._billed_under_order(e, met)[0]
        self.near.append(Planted("R14", "order", "计费扣除退费后等于医嘱总量", enc=e, drord_no=met.drord, amount=None))

    # R15 stock --------------------------------------------------------------------------
    def r15(self) -> None:
        self.inventory_shortfalls.append((self.hosp.item("CRO").code, 6, Decimal(5), "6月头孢曲松销售比可供数量多5支"))
        self.inventory_shortfalls.append((self.hosp.item("TROC").code, 9, Decimal(1), "9月腹腔镜穿刺器销售比可供数量多1个"))
        self.inventory_exact.append((self.hosp.item("INS").code, 3, "3月门冬胰岛素可供数量恰等于销售数量：不超"))

    # R16 traceability codes -------------------------------------------------------------
    def r16(self) -> None:
        code = self.trace_code()
        a = self.stay("0304", 0, self.d(2, 3), 8)
        b = self.stay("0304", 0, self.d(3, 6), 8)
        self.find(a, "INS", 1).trace = code
        lb = self.find(b, "INS", 2)
        lb.trace = code
        self.hit_line("R16", b, lb, "追溯码与2月另一患者已结算的门冬胰岛素相同")
        code = self.trace_code()
        c = self.stay("0304", 0, self.d(4, 3), 8)
        l1, l2, l3 = self.find(c, "INS", 1), self.find(c, "INS", 2), self.find(c, "INS", 3)
        for l in (l1, l2, l3):
            l.trace = code
        self.hit_line("R16", c, l2, "同一追溯码第二次计费")
        self.hit_line("R16", c, l3, "同一追溯码第三次计费")
        code = self.trace_code()
        d1 = self.stay("0304", 0, self.d(5, 3), 8)
        d2 = self.stay("0304", 0, self.d(6, 3), 8)
        first = self.find(d1, "INS", 1)
        first.trace = code
        d1.refund(first, first.cnt, self.when(d1, self.day(d1, 1)))
        second = self.find(d2, "INS", 1)
        second.trace = code
        self.miss_line("R16", d2, second, "先前使用该追溯码的收费已全额退费：不算重复")

    # R17 high-value material without operation -------------------------------------------
    def r17(self) -> None:
        e = self.stay("0701", 0, self.d(7, 15), 10)
        line = self.add(e, "STENT", 1, self.day(e, 2))
        self.hit_line("R17", e, line, "脑梗死患者无冠脉介入手术却收取冠脉支架")
        e = self.stay("0401", 1, self.d(8, 12), 5)
        line = self.add(e, "TROC", 1, e.admit_date)
        self.hit_line("R17", e, line, "开腹阑尾切除（47.09）收取腹腔镜穿刺器（限51.23、47.01等）")
        e = self.stay("0402", 0, self.d(9, 8), 10)
        code, name, day, dr = e.operations[0]
        e.operations[0] = ("81.5200", "部分髋关节置换术", day, dr)
        hip = self.find(e, "HIP")
        self.miss_line("R17", e, hip, "半髋置换（81.52）使用髋关节假体：手术相符")

    # R18 diagnosis-restricted items ---------------------------------------------------------
    def r18(self) -> None:
        e = self.stay("0701", 0, self.d(9, 3), 10)
        line = self.add(e, "INS", 1, self.day(e, 2))
        self.hit_line("R18", e, line, "无糖尿病诊断使用门冬胰岛素")
        e = self.stay("0701", 0, self.d(9, 20), 10)
        e.diagnoses.append(("2", "E11.900", "2型糖尿病"))
        line = self.add(e, "INS", 1, self.day(e, 2))
        self.miss_line("R18", e, line, "其他诊断含2型糖尿病（E11）：符合限定诊断")
        e = self.stay("0402", 0, self.d(10, 9), 10)
        line = self.add(e, "CLO", 1, self.day(e, 4))
        self.hit_line("R18", e, line, "股骨颈骨折患者无冠心病或脑梗死诊断使用氯吡格雷")

    # R19 unqualified doctor -------------------------------------------------------------
    def r19(self) -> None:
        self.extra_staff.append({"dr_codg": "D0402099", "dept_codg": "0402", "practice_from": self.d(7, 1).replace(year=self.year - 1),
                                 "practice_to": self.d(6, 30), "note": "进修医生，执业至6月30日"})
        self.extra_staff.append({"dr_codg": "D0701098", "dept_codg": "0701", "practice_from": self.d(9, 1),
                                 "practice_to": None, "note": "新入职医生，9月1日起执业"})
        e = self.stay("0402", 0, self.d(6, 24), 10)
        on_last = self.add(e, "CBC", 1, self.d(6, 30), dr="D0402099")
        self.miss_line("R19", e, on_last, "执业终止日当日开单：仍在执业期内")
        after = self.add(e, "XRAY", 1, self.d(7, 2), dr="D0402099")
        self.hit_line("R19", e, after, "开单医生执业已于6月30日终止")
        e = self.stay("0701", 0, self.d(8, 14), 10)
        before = self.add(e, "CT", 1, self.d(8, 20), dr="D0701098")
        self.hit_line("R19", e, before, "开单医生9月1日才开始执业")
        unknown = self.add(e, "ECG", 1, self.d(8, 21), dr="D9999001")
        self.hit_line("R19", e, unknown, "开单医生编码不在医务人员名单中")

    # R20 overlapping stays ----------------------------------------------------------------
    def r20(self) -> None:
        first = self.stay("0701", 0, self.d(10, 1), 10)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        second = self.stay("0304", 0, self.d(10, 8), 8, person=p)
        self.hit_visit("R20", second, "10月8日入院时，同一参保人10月1日起的住院尚未出院")
        first = self.stay("0402", 0, self.d(4, 2), 12)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        second = self.stay("0304", 0, self.d(4, 5), 4, person=p)
        self.hit_visit("R20", second, "住院期间（4月2日至14日）同一参保人又有4月5日至9日的住院")
        first = self.stay("0701", 0, self.d(11, 1), 9)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        second = self.stay("0304", 0, first.discharge_date, 8, person=p)
        self.miss_visit("R20", second, "出院当日再入院：住院区间[入院, 入院+住院天数)不重叠")

    # R21 bed days -------------------------------------------------------------------------
    def r21(self) -> None:
        bed = self.hosp.item("BED")
        e = self.stay("0304", 0, self.d(11, 12), 8)
        self.add(e, "BED", 1, e.discharge_date)
        self.hits.append(Planted("R21", "item-visit", "出院当日也收床位费：床位9天，住院8天", enc=e,
                                 med_list_codg=bed.code, amount=bed.pric))
        e = self.stay("0701", 0, self.d(10, 16), 10)
        self.add(e, "BED", 1, e.discharge_date)
        self.hits.append(Planted("R21", "item-visit", "出院当日收床位费：床位11天，住院10天", enc=e,
                                 med_list_codg=bed.code, amount=bed.pric))
        e = self.stay("0304", 0, self.d(11, 20), 0)
        self.near.append(Planted("R21", "item-visit", "当日入出院，住院天数按1天计，床位1天", enc=e,
                                 med_list_codg=bed.code, amount=None))

    # R22 inpatient-only item in outpatient care -----------------------------------------------
    def r22(self) -> None:
        v = self.visit("0402", 0, self.d(12, 3))
        line = self.add(v, "LIP", 1, v.admit_date, time=v.begntime + dt.timedelta(minutes=30))
        self.hit_line("R22", v, line, "门诊收取限住院使用的脂肪乳注射液")
        v = self.visit("0303", 0, self.d(12, 5))
        line = self.add(v, "LIP", 2, v.admit_date, time=v.begntime + dt.timedelta(minutes=30))
        v.refund(line, 1, v.begntime + dt.timedelta(minutes=50))
        self.hit_line("R22", v, line, "门诊收取脂肪乳注射液2瓶，退1瓶")

    # R23 settlement vs fee lines --------------------------------------------------------------
    def r23(self) -> None:
        cases = [
            (Decimal("100.00"), True, Decimal("100.00"), "结算总额比明细合计多100元"),
            (Decimal("-50.00"), True, Decimal(0), "结算总额比明细合计少50元（金额记0）"),
            (Decimal("0.02"), True, Decimal("0.02"), "结算总额比明细合计多0.02元"),
            (Decimal("0.01"), False, None, "相差0.01元：在容差内"),
        ]
        for k, (delta, is_hit, amount, note) in enumerate(cases):
            e = self.stay("0402", 0, self.d(2 + 2 * k, 22), 10)
            e.settlement_amounts = [("delta", delta)]
            if is_hit:
                self.hit_visit("R23", e, note, amount)
            else:
                self.miss_visit("R23", e, note)
        e = self.stay("0402", 0, self.d(11, 3), 10)
        e.settlement_amounts = [("split", Decimal("0.6"))]
        self.miss_visit("R23", e, "中途结算：两次结算合计等于明细合计")

    # statistical models ------------------------------------------------------------------
    def stats(self) -> None:
        for (code, month), extra in sorted(bg.S01_JUMPS.items()):
            dept = self.hosp.department(code)
            self.stat.append(Planted("S01", "department-month", f"{dept.name}{month}月住院患者均加用"
                                     f"{self.hosp.item(extra[0][0]).name}，次均费用较前3月显著增长",
                                     subject={"dept_codg": code, "month": f"{self.year}-{month:02d}"}, amount=None))
        for dept_code, t, admit, units in (("0302", 0, self.d(6, 12), 8), ("0304", 0, self.d(2, 16), 4)):
            e = self.stay(dept_code, t, admit, 9 if dept_code == "0302" else 8, doctor_index=2)
            self.add(e, "RHBNP", units, self.day(e, 4))
            self.stat.append(Planted("S02", "visit", f"住院第5天单日费用骤增（重组人脑利钠肽{units}支）", enc=e,
                                     amount=None))
        for (code, index), extra in sorted(bg.S03_OUTLIERS.items()):
            self.stat.append(Planted("S03", "doctor", "该医生每日加用重组人脑利钠肽，次均费用远高于科内其他医生",
                                     subject={"dr_codg": bg.doctor_code(self.hosp.department(code), index),
                                              "dept_codg": code}, amount=None))
        for (code, index), (key, units) in sorted(bg.S04_OUTLIERS.items()):
            item = self.hosp.item(key)
            self.stat.append(Planted("S04", "doctor-item", f"该医生每台手术使用{units}个{item.name}，同行多为1个",
                                     subject={"dr_codg": bg.doctor_code(self.hosp.department(code), index),
                                              "dept_codg": code, "med_list_codg": item.code}, amount=None))
